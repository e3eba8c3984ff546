"""The anonymised benchmark: other organisations' figures to compare with."""

from django.db.models import Count, Max, Sum

from .. import scoring
from ..models import Assessment, AssessmentPillarSummary


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


def fingerprint(assessment: Assessment) -> dict:
    """What the benchmark an assessment is compared with rests on, in one query."""
    return (
        AssessmentPillarSummary.objects.filter(
            assessment__status=Assessment.Status.CLOSED, maturity__isnull=False
        )
        .exclude(assessment__organisation_id=assessment.organisation_id)
        .aggregate(
            rows=Count("pk"),
            organisations=Count("assessment__organisation", distinct=True),
            maturity=Sum("maturity"),
            last_id=Max("pk"),
        )
    )
