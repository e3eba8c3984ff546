"""Read what scoring needs from the database, in a fixed number of queries.

`scoring.py` stays pure; this module is the only bridge between its dataclasses and the ORM.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Avg, Count, QuerySet

__all__ = ["questions_by_code"]  # read through here by views

from . import scoring
from .models import (
    DEFAULT_ANONYMITY_THRESHOLD,
    Answer,
    Assessment,
    AssessmentPillarSummary,
    Evidence,
    Questionnaire,
    Response,
    questions_by_code,
)


def load_rules(
    questionnaire: Questionnaire, *, anonymity_threshold: int = DEFAULT_ANONYMITY_THRESHOLD
) -> scoring.Rules:
    """Pillars and questions of a questionnaire version as scoring rules: two queries."""
    pillars = tuple(
        scoring.PillarRule(
            code=pillar.code,
            name=pillar.name,
            weight=pillar.weight,
            recommendations=pillar.recommendations,
        )
        for pillar in questionnaire.pillars.order_by("order")
    )
    fields = [
        "code",
        "weight",
        "critical",
        "text",
        "recommendation",
        "references",
        "levels",
        "perspectives",
        "blocker_below",
        "deciding_perspectives",
    ]
    questions = tuple(
        scoring.QuestionRule(pillar=row.pop("pillar__code"), **row)
        for row in questionnaire.questions.order_by("order").values(*fields, "pillar__code")
    )
    return scoring.Rules(
        pillars=pillars,
        questions=questions,
        bands=scoring.BandSettings(**questionnaire.bands),
        anonymity_threshold=anonymity_threshold,
        red_flag_share=questionnaire.red_flag_share,
        not_established_share=questionnaire.not_established_share,
        aggregation=questionnaire.aggregation,
        establish_unanswered=questionnaire.establish_unanswered,
        disagreement_gap=questionnaire.disagreement_gap,
    )


def assessment_rules(assessment: Assessment) -> scoring.Rules:
    return load_rules(assessment.questionnaire, anonymity_threshold=assessment.anonymity_threshold)


def load_responses(responses: QuerySet[Response]) -> list[scoring.ResponseInput]:
    """The given responses with their answers as scoring input: two queries, whatever the size."""
    rows = list(responses.values_list("pk", "perspective", "importance", "sees_all_questions"))
    answers: dict[int, dict[str, int | None]] = defaultdict(dict)
    answer_rows = Answer.objects.filter(response__in=responses.values("pk")).values_list(
        "response_id", "question__code", "level", "dont_know"
    )
    for response_id, code, level, dont_know in answer_rows.iterator(chunk_size=5000):
        if level is not None:
            answers[response_id][code] = level
        elif dont_know:
            answers[response_id][code] = scoring.DONT_KNOW
    return [
        scoring.ResponseInput(
            id=pk,
            perspective=perspective or "other",
            importance=importance or {},
            answers=answers.get(pk, {}),
            sees_all=sees_all,
        )
        for pk, perspective, importance, sees_all in rows
    ]


def seen_evidence(assessment: Assessment) -> frozenset[tuple[int, str]]:
    """(response id, question code) of every piece of evidence the consultant has seen."""
    if not assessment.evidence_questions:
        return frozenset()  # nothing asks for evidence: no query
    return frozenset(
        Evidence.objects.filter(response__assessment=assessment, seen=True).values_list(
            "response_id", "question__code"
        )
    )


def score_assessment(
    assessment: Assessment,
    *,
    min_respondents: int = 1,
    response_ids: Iterable[int] | None = None,
) -> scoring.AssessmentResult:
    """Score an assessment's submitted responses (or those of `response_ids`): four queries."""
    rules = assessment_rules(assessment)
    responses = Response.objects.submitted().filter(assessment=assessment)
    if response_ids is not None:
        responses = responses.filter(pk__in=list(response_ids))
    return scoring.score_assessment(
        rules, load_responses(responses), min_respondents=min_respondents
    )


def previous_assessment(assessment: Assessment) -> Assessment | None:
    """The organisation's assessment before this one that has submitted responses."""
    return (
        Assessment.objects.filter(
            organisation_id=assessment.organisation_id,
            created_at__lt=assessment.created_at,
            responses__submitted_at__isnull=False,
        )
        .select_related("questionnaire")
        .order_by("-created_at")
        .first()
    )


def summary_rows(assessment: Assessment) -> list[AssessmentPillarSummary]:
    """Recompute an assessment's pillar summaries from its stored response scores."""
    figures = (
        Response.objects.submitted()
        .filter(assessment=assessment, pillar_scores__isnull=False)
        .values("pillar_scores__pillar")
        .annotate(
            maturity=Avg("pillar_scores__maturity"), respondents=Count("pillar_scores__maturity")
        )
    )
    return [
        AssessmentPillarSummary(
            assessment=assessment,
            pillar=row["pillar_scores__pillar"],
            maturity=row["maturity"],
            respondents=row["respondents"],
        )
        for row in figures
    ]
