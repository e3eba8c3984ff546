"""Reads for the reports: the results a person may see, and respondents' comments.

Who sees which results is decided once, in `assessments.access.results_for`; this module
only supplies the cached live figures to it and reads the quotes that go with them.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.access import OrganisationAccess
from assessments import loading, scoring
from assessments.access import VisibleResults, results_for
from assessments.models import Answer, Assessment, Pillar, Question, ResultSnapshot

from . import headlines
from .fingerprints import digest, live_inputs
from .models import LiveFigures


def live_figures(assessment: Assessment) -> tuple[str, scoring.Report]:
    """The live figures of an assessment with their fingerprint, scored once per change of
    their inputs.

    Looking again reads the stored figures in a constant number of queries, however many
    people answered; a new submission (or anything else the figures rest on) gives a new
    fingerprint, and the figures are scored and stored afresh.
    """
    inputs = live_inputs(assessment)
    fingerprint = digest("live", inputs)
    stored = LiveFigures.objects.filter(fingerprint=fingerprint).values_list("report", flat=True)
    for data in stored:
        return fingerprint, scoring.from_data(scoring.Report, data)
    report = loading.live_report(assessment)
    responses = inputs["responses"]
    basis = headlines.live_basis(
        questionnaire_id=assessment.questionnaire_id,
        count=responses["count"],
        id_sum=responses["id_sum"],
        last_id=responses["last_id"],
    )
    try:
        with transaction.atomic():
            LiveFigures.objects.create(
                fingerprint=fingerprint, assessment=assessment, report=scoring.to_data(report)
            )
            # Only the latest figures of an assessment are worth keeping.
            LiveFigures.objects.filter(assessment=assessment).exclude(
                fingerprint=fingerprint
            ).delete()
    except IntegrityError:
        pass  # another request stored the same figures a moment earlier
    # The lists read the headline of these figures, so that they need not score them again.
    headlines.store_live(assessment, report.result, basis)
    return fingerprint, report


def live_report(assessment: Assessment) -> scoring.Report:
    """The consultant's live figures, from the cache when nothing changed."""
    return live_figures(assessment)[1]


def live_results(assessment: Assessment) -> VisibleResults:
    """The consultant's live figures as results to show, as of now."""
    return VisibleResults(live_report(assessment), timezone.now(), None)


def visible_results(access: OrganisationAccess, assessment: Assessment) -> VisibleResults | None:
    """`results_for`, with the consultant's live figures read from their cache."""
    return results_for(access, assessment, live_report=live_report)


def published_results(assessment: Assessment) -> VisibleResults | None:
    """The latest published snapshot: what the client's management sees and downloads.

    Consultants may look at it too, to check what they hand over; a manager's results come
    from `visible_results`, which gives them exactly this.
    """
    snapshot = assessment.snapshots.first()
    if snapshot is None:
        return None
    return VisibleResults(loading.snapshot_report(snapshot), snapshot.published_at, snapshot)


@dataclass(frozen=True)
class Quote:
    """A comment a consultant chose for sharing: never with a name, and with a perspective
    only when that perspective's group is shown in the results (at least the anonymity
    threshold of respondents)."""

    id: int
    text: str
    question: str  # code
    question_text: str
    pillar: str
    perspective: str  # "" when the group is too small to be named


def _counted_answers(assessment: Assessment, snapshot: ResultSnapshot | None) -> QuerySet[Answer]:
    """Answers of the responses the figures count: the snapshot's, or every submitted one."""
    answers = Answer.objects.filter(response__assessment=assessment)
    if snapshot is not None:
        return answers.filter(response_id__in=snapshot.response_ids)
    return answers.filter(response__submitted_at__isnull=False, response__revoked_at__isnull=True)


def shared_comment_rows(
    assessment: Assessment, snapshot: ResultSnapshot | None
) -> list[tuple[int, str, str, str, str, str]]:
    """(id, comment, question code, question text, pillar code, perspective) of the shared
    comments of the responses that the snapshot (or, with None, the live figures) count."""
    return list(
        _counted_answers(assessment, snapshot)
        .filter(comment_shared_at__isnull=False)
        .exclude(comment="")
        .order_by("question__pillar__order", "question__order", "comment_shared_at", "pk")
        .values_list(
            "pk",
            "comment",
            "question__code",
            "question__text",
            "question__pillar__code",
            "response__perspective",
        )
    )


def shared_quotes(
    assessment: Assessment,
    results: VisibleResults,
    rows: list[tuple[int, str, str, str, str, str]] | None = None,
) -> list[Quote]:
    """The shared comments of the responses behind these results, in questionnaire order.

    A perspective is named only when its group is shown in the results, which already keep
    every group smaller than the anonymity threshold (or revealing one by difference) out.
    """
    if rows is None:
        rows = shared_comment_rows(assessment, results.snapshot)
    named = {
        group.perspective
        for group in results.result.perspectives
        if group.respondents >= assessment.anonymity_threshold
    }
    return [
        Quote(pk, text, code, question, pillar, perspective if perspective in named else "")
        for pk, text, code, question, pillar, perspective in rows
    ]


def comments_to_review(assessment: Assessment) -> QuerySet[Answer]:
    """Every comment of the submitted responses, for the consultant to choose from."""
    return (
        _counted_answers(assessment, None)
        .exclude(comment="")
        .select_related("question__pillar", "response")
        .order_by("question__pillar__order", "question__order", "pk")
    )


def previous_names(assessment: Assessment, report: scoring.Report) -> dict[str, tuple[str, str]]:
    """The words for what only the previous assessment had: code → (question text, pillar
    name) of each removed question, and code → (pillar name, "") of each removed pillar.

    The trend carries codes and figures only; the texts come from the newest questionnaire
    version of the same kind that had them. No query when nothing was removed.
    """
    trend = report.trend
    if trend is None:
        return {}
    removed = scoring.TrendStatus.REMOVED
    questions = [item.code for item in trend.questions if item.status == removed]
    pillars = [item.pillar for item in trend.pillars if item.status == removed]
    slug = assessment.questionnaire.slug
    names: dict[str, tuple[str, str]] = {}
    if questions:
        rows = (
            Question.objects.filter(questionnaire__slug=slug, code__in=questions)
            .order_by("code", "-questionnaire__version")
            .values_list("code", "text", "pillar__name")
        )
        for code, text, pillar in rows:
            names.setdefault(code, (text, pillar))
    if pillars:
        rows = (
            Pillar.objects.filter(questionnaire__slug=slug, code__in=pillars)
            .order_by("code", "-questionnaire__version")
            .values_list("code", "name")
        )
        for code, name in rows:
            names.setdefault(code, (name, ""))
    return names
