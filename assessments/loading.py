"""Read what scoring needs from the database, in a fixed number of queries.

`scoring.py` stays pure; this module is the only bridge between its dataclasses and the ORM.
"""

from collections import defaultdict

from django.db.models import Avg, Count

from . import scoring
from .models import (
    Answer,
    Assessment,
    AssessmentPillarSummary,
    Questionnaire,
    Response,
)


def load_rules(questionnaire: Questionnaire, *, anonymity_threshold: int = 5) -> scoring.Rules:
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
    questions = tuple(
        scoring.QuestionRule(
            code=code,
            pillar=pillar_code,
            weight=weight,
            critical=critical,
            text=text,
            recommendation=recommendation,
            references=tuple(references),
        )
        for code, pillar_code, weight, critical, text, recommendation, references in (
            questionnaire.questions.order_by("order").values_list(
                "code",
                "pillar__code",
                "weight",
                "critical",
                "text",
                "recommendation",
                "references",
            )
        )
    )
    return scoring.Rules(
        pillars=pillars,
        questions=questions,
        bands=scoring.BandSettings(**questionnaire.bands),
        anonymity_threshold=anonymity_threshold,
        red_flag_share=questionnaire.red_flag_share,
    )


def assessment_rules(assessment: Assessment) -> scoring.Rules:
    return load_rules(assessment.questionnaire, anonymity_threshold=assessment.anonymity_threshold)


def load_responses(responses) -> list[scoring.ResponseInput]:
    """The given responses with their answers as scoring input: two queries, whatever the size."""
    rows = list(responses.values_list("pk", "perspective", "importance"))
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
        )
        for pk, perspective, importance in rows
    ]


def score_assessment(assessment: Assessment) -> scoring.AssessmentResult:
    """Score an assessment's submitted responses: four queries (the questionnaire is joined)."""
    rules = assessment_rules(assessment)
    responses = load_responses(Response.objects.submitted().filter(assessment=assessment))
    return scoring.score_assessment(rules, responses)


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


def benchmark_entries(*, exclude_organisation: int) -> list[scoring.BenchmarkEntry]:
    """Pillar means of other organisations' closed assessments: one query over summaries."""
    rows = (
        AssessmentPillarSummary.objects.filter(
            assessment__status=Assessment.Status.CLOSED, maturity__isnull=False
        )
        .exclude(assessment__organisation_id=exclude_organisation)
        .values_list(
            "assessment_id",
            "assessment__organisation_id",
            "assessment__organisation__sector",
            "pillar",
            "maturity",
        )
    )
    entries: dict[int, tuple[int, str, dict[str, float]]] = {}
    for assessment_id, organisation_id, sector, pillar, maturity in rows.iterator(chunk_size=5000):
        entries.setdefault(assessment_id, (organisation_id, sector, {}))[2][pillar] = maturity
    return [
        scoring.BenchmarkEntry(organisation_id=organisation_id, sector=sector, pillars=pillars)
        for organisation_id, sector, pillars in entries.values()
    ]


def benchmark_for(assessment: Assessment, *, same_sector: bool = False) -> scoring.Benchmark | None:
    organisation = assessment.organisation
    return scoring.benchmark(
        benchmark_entries(exclude_organisation=organisation.pk),
        exclude_organisation=organisation.pk,
        sector=organisation.sector if same_sector else None,
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
