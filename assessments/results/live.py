"""The consultant's live figures: every submitted response, now.

Scored once per change of what they rest on, and kept in `LiveFigures` under a fingerprint
of those inputs, so that looking again reads them in a constant number of queries however
many people answered. The assessment page, the dashboard, the PDF and the exports all read
them through `live_report`.
"""

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Subquery, Sum

from .. import loading, scoring
from ..method import stored_method
from ..models import Assessment, AssessmentPillarSummary, LiveFigures, Response
from . import benchmark, headlines
from .fingerprints import SCORING_CODE_VERSION, digest


def live_inputs(assessment: Assessment) -> dict[str, object]:
    """What the live figures of an assessment are made from, in four queries.

    Submitted answers cannot change (a submitted response is read-only); an administrator's
    correction goes through `services.delete_answers`, which rebuilds the assessment's
    stored pillar summaries like every service that changes what counts: their newest id
    tells a correction apart without reading ten thousand people's answers. The previous
    assessment is read from its stored pillar summaries, and the benchmark from its release.
    """
    summaries = AssessmentPillarSummary.objects.filter(assessment=assessment).order_by("-pk")
    responses = (
        Response.objects.submitted()
        .filter(assessment=assessment)
        .aggregate(
            count=Count("pk", distinct=True),
            id_sum=Sum("pk", distinct=True),
            last_id=Max("pk"),
            last_submitted=Max("submitted_at"),
            summaries=Max(Subquery(summaries.values("pk")[:1])),
            # Evidence seen or not changes the evidenced figures.
            evidence_count=Count("evidence", distinct=True),
            last_evidence=Max("evidence__updated_at"),
        )
    )
    previous = loading.previous_assessment(assessment)
    previous_figures = (
        list(
            AssessmentPillarSummary.objects.filter(assessment=previous)
            .order_by("pillar")
            .values_list("pillar", "maturity", "respondents")
        )
        if previous
        else []
    )
    questionnaire = assessment.questionnaire
    return {
        "scoring": SCORING_CODE_VERSION,
        "assessment": assessment.pk,
        "threshold": assessment.anonymity_threshold,
        "questionnaire": [questionnaire.pk, questionnaire.version, questionnaire.settings],
        "responses": responses,
        "previous": [previous.pk, previous.title, previous_figures] if previous else None,
        "benchmark": benchmark.latest_release_id(),
        "evidence_questions": assessment.evidence_questions,
    }


def live_fingerprint(assessment: Assessment) -> str:
    return digest("live", live_inputs(assessment))


def score_live(assessment: Assessment) -> scoring.Report:
    """Score the live figures afresh, compared with the previous assessment's, also live."""
    rules = loading.assessment_rules(assessment)
    responses = Response.objects.submitted().filter(assessment=assessment)
    inputs = loading.load_responses(responses)
    result = scoring.score_assessment(rules, inputs)
    previous = loading.previous_assessment(assessment)
    figures, _lowered = scoring.evidenced_pillars(
        rules,
        inputs,
        result,
        questions=assessment.evidence_questions,
        seen=loading.seen_evidence(assessment),
    )
    return scoring.Report(
        result=result,
        method=stored_method(rules),
        trend=scoring.compare(result, loading.score_assessment(previous)) if previous else None,
        previous_title=previous.title if previous else "",
        benchmark=benchmark.benchmark_for(assessment),
        evidence=figures,
    )


def live_figures(assessment: Assessment) -> tuple[str, scoring.Report]:
    """The live figures of an assessment with their fingerprint, scored once per change of
    their inputs.

    A new submission (or anything else the figures rest on) gives a new fingerprint, and
    the figures are scored and stored afresh, with the headline the lists read.
    """
    inputs = live_inputs(assessment)
    fingerprint = digest("live", inputs)
    stored = LiveFigures.objects.filter(fingerprint=fingerprint).values_list("report", flat=True)
    for data in stored:
        return fingerprint, scoring.from_data(scoring.Report, data)
    report = score_live(assessment)
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
    headlines.store_live(assessment, report.result, basis)
    return fingerprint, report


def live_report(assessment: Assessment) -> scoring.Report:
    """The consultant's live figures, from the cache when nothing changed."""
    return live_figures(assessment)[1]
