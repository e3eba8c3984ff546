"""The anonymised benchmark: other organisations' published figures, as dated releases.

A release is made from each organisation's latest closing publication, with only the
pillars that publication showed (each resting on at least its anonymity threshold), never
from live figures. A new release is made at most once a day, and only when at least
`NEW_ORGANISATIONS_PER_RELEASE` organisations joined since the previous one, so that
neither closing one more assessment nor comparing two releases tells anything about one
organisation, let alone one person. Everyone is compared with the latest release, without
their own organisation, from `scoring.BENCHMARK_MIN_ORGANISATIONS` organisations up.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from .. import scoring
from ..models import Assessment, BenchmarkRelease, ResultSnapshot

RELEASE_INTERVAL = timedelta(days=1)
NEW_ORGANISATIONS_PER_RELEASE = 3


def closing_entries() -> list[scoring.BenchmarkEntry]:
    """Each organisation's latest closing publication, as a benchmark entry."""
    latest: dict[int, ResultSnapshot] = {}
    snapshots = (
        ResultSnapshot.objects.filter(
            kind=ResultSnapshot.Kind.FINAL, assessment__status=Assessment.Status.CLOSED
        )
        .select_related("assessment__organisation")
        .order_by("assessment__organisation_id", "-published_at", "-pk")
    )
    for snapshot in snapshots:
        latest.setdefault(snapshot.assessment.organisation_id, snapshot)
    entries = []
    for organisation_id, snapshot in sorted(latest.items()):
        entry = scoring.benchmark_entry(
            snapshot.read_report().result,
            organisation_id=organisation_id,
            sector=snapshot.assessment.organisation.sector,
        )
        if entry.pillars:
            entries.append(entry)
    return entries


def latest_release() -> BenchmarkRelease | None:
    return BenchmarkRelease.objects.first()


@transaction.atomic
def release_benchmark(*, now: datetime | None = None) -> BenchmarkRelease | None:
    """Make a new release if one is due: the previous one is a day old or more and at least
    three organisations joined since; the first from the minimum number of organisations.
    None when none is due."""
    now = now or timezone.now()
    # One release at a time, whichever container asks.
    previous = BenchmarkRelease.objects.select_for_update().first()
    entries = closing_entries()
    organisations = {entry.organisation_id for entry in entries}
    if previous is None:
        if len(organisations) < scoring.BENCHMARK_MIN_ORGANISATIONS:
            return None
    else:
        if now - previous.released_at < RELEASE_INTERVAL:
            return None
        known = {organisation for organisation, _sector, _pillars in previous.entries}
        if len(organisations - known) < NEW_ORGANISATIONS_PER_RELEASE:
            return None
    return BenchmarkRelease.objects.create(
        released_at=now,
        organisations=len(organisations),
        entries=[[entry.organisation_id, entry.sector, dict(entry.pillars)] for entry in entries],
    )


def benchmark_for(assessment: Assessment, *, same_sector: bool = False) -> scoring.Benchmark | None:
    """The latest release without the assessment's own organisation; None below the
    minimum number of organisations or before the first release."""
    release = latest_release()
    if release is None:
        return None
    organisation = assessment.organisation
    figures = scoring.benchmark(
        [
            scoring.BenchmarkEntry(organisation_id=pk, sector=sector, pillars=pillars)
            for pk, sector, pillars in release.entries
        ],
        exclude_organisation=organisation.pk,
        sector=organisation.sector if same_sector else None,
    )
    if figures is None:
        return None
    return scoring.Benchmark(
        organisations=figures.organisations,
        sector=figures.sector,
        pillars=figures.pillars,
        released_on=timezone.localdate(release.released_at).isoformat(),
    )


def latest_release_id() -> int | None:
    """What every benchmark rests on: the latest release."""
    return BenchmarkRelease.objects.values_list("pk", flat=True).first()
