"""Reads for the reports besides the figures: respondents' comments, the client's plan
(targets and actions), and the names of what only a previous assessment had.

Who sees which results is decided once, in `assessments.results.access`.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from assessments import loading, scoring
from assessments.models import (
    Action,
    Answer,
    Assessment,
    Pillar,
    Question,
    Questionnaire,
    ResultSnapshot,
)
from assessments.plan import Target, targets
from assessments.results.access import VisibleResults


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


def _counted_answers(assessment: Assessment) -> QuerySet[Answer]:
    """Answers of the responses the live figures count: every submitted one."""
    return Answer.objects.filter(
        response__assessment=assessment,
        response__submitted_at__isnull=False,
        response__revoked_at__isnull=True,
    )


def shared_comment_rows(
    assessment: Assessment, snapshot: ResultSnapshot | None
) -> list[tuple[int, str, str, str, str, str]]:
    """(id, comment, question code, question text, pillar code, perspective) of the shared
    comments of the responses that the snapshot (or, with None, the live figures) count.

    The few shared comments are read first, then kept if the snapshot counts their
    response: ten thousand ids never go into the query."""
    answers = (
        _counted_answers(assessment)
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
            "response_id",
        )
    )
    counted = set(snapshot.response_ids) if snapshot is not None else None
    return [row[:-1] for row in answers if counted is None or row[-1] in counted]


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
        _counted_answers(assessment)
        .exclude(comment="")
        .select_related("question__pillar", "response")
        .order_by("question__pillar__order", "question__order", "pk")
    )


def previous_names(assessment: Assessment, report: scoring.Report) -> dict[str, tuple[str, str]]:
    """The words for what only the previous assessment had: code → (question text, pillar
    name) of each removed question, and code → (pillar name, "") of each removed pillar.

    The trend carries codes and figures only; the texts come from the newest questionnaire
    version of the same kind that had them, in the reader's language where that version
    has it, and a pillar still asked is named as the report names it. No query when nothing
    was removed.
    """
    trend = report.trend
    if trend is None:
        return {}
    removed = scoring.TrendStatus.REMOVED
    questions = [item.code for item in trend.questions if item.status == removed]
    pillars = [item.pillar for item in trend.pillars if item.status == removed]
    slug = assessment.questionnaire.slug
    names: dict[str, tuple[str, str]] = {}
    current = {pillar.pillar: pillar.name for pillar in report.result.pillars}
    if questions:
        rows = (
            Question.objects.filter(questionnaire__slug=slug, code__in=questions)
            .select_related("pillar")
            .order_by("code", "-questionnaire__version")
        )
        for question in rows:
            pillar = current.get(question.pillar.code) or question.pillar.in_language().name
            names.setdefault(question.code, (question.in_language().text, pillar))
    if pillars:
        rows = Pillar.objects.filter(questionnaire__slug=slug, code__in=pillars).order_by(
            "code", "-questionnaire__version"
        )
        for pillar in rows:
            names.setdefault(pillar.code, (pillar.in_language().name, ""))
    return names


def previous_questionnaire(assessment: Assessment, report: scoring.Report) -> Questionnaire | None:
    """The questionnaire version of the assessment the trend compares with; no query when
    there is no trend."""
    if report.trend is None:
        return None
    previous = loading.previous_assessment(assessment)
    return previous.questionnaire if previous else None


@dataclass(frozen=True)
class PlannedAction:
    """An action of the client's plan as a report prints it: no note, which is the plan
    page's working text."""

    title: str
    owner: str  # "" when nobody owns it yet
    due_on: date | None
    status: str  # an `Action.Status` value
    overdue: bool  # past its due date and still to do
    dropped_reason: str

    @property
    def status_label(self) -> str:
        return str(Action.Status(self.status).label)


@dataclass(frozen=True)
class Plan:
    """What the client plans: a target for every pillar, and the actions by the code of the
    question whose finding they answer. Neither is a figure: a manager sees both, and only
    the distance to a target rests on the figures they may see."""

    targets: tuple[Target, ...]
    actions: Mapping[str, PlannedAction]


def client_plan(assessment: Assessment, today: date) -> Plan:
    """The assessment's targets and actions, in three queries; `today` decides what is
    overdue."""
    actions = {
        action.question.code: PlannedAction(
            title=action.title,
            owner=action.owner_label,
            due_on=action.due_on,
            status=action.status,
            overdue=action.is_overdue(today),
            dropped_reason=action.dropped_reason,
        )
        for action in assessment.actions.for_plan()
    }
    return Plan(tuple(targets(assessment)), actions)
