"""What the lists of many assessments show, kept up to date by the services that change it.

The portfolio lists every organisation a person serves or manages: its newest assessment
with its progress, the verdict, readiness index, change and riskiest pillar of the newest
assessment with results, and the last activity. Worked out on every look, that meant
reading every assessment and aggregating every response of every client; so it is worked
out here, per organisation, whenever something it shows changes (an assessment created,
edited, opened or closed, a link sent or withdrawn, a submission, an erasure, a
publication), and stored as two `PortfolioEntry` rows: what its consultants see (live
figures) and what its client managers see (the latest publication). The portfolio then
reads one row per organisation and filters, sorts and pages in the database.

The organisation page reads the same lines (`assessment_lines`, `attach_headlines`) for
its one organisation.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.tasks import task

from accounts.models import Organisation

from ..models import Assessment, PortfolioEntry, ResultSnapshot
from ..scoring import Band, Verdict
from . import headlines
from .headlines import Headline

# Worst first: the order in which a consultant wants to see verdicts.
VERDICT_ORDER = {
    Verdict.NOT_READY.value: 0,
    Verdict.READY_WITH_CONDITIONS.value: 1,
    Verdict.READY.value: 2,
}
STATUS_ORDER = {
    Assessment.Status.OPEN.value: 0,
    Assessment.Status.DRAFT.value: 1,
    Assessment.Status.CLOSED.value: 2,
}
# What every list needs of an assessment, and what the organisation page adds.
ASSESSMENT_FIELDS = ("pk", "organisation_id", "title", "status", "questionnaire_id")
DATE_FIELDS = ("anonymity_threshold", "created_at", "opened_at", "closed_at", "closes_on")


@dataclass(slots=True)
class AssessmentLine:
    """One assessment as a list shows it."""

    pk: int
    organisation_id: int
    title: str
    status: str
    questionnaire_id: int
    anonymity_threshold: int = 0
    created_at: datetime | None = None
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    closes_on: date | None = None
    invited: int = 0
    submitted: int = 0
    published_at: datetime | None = None  # of its latest publication
    snapshot_id: int | None = None  # its latest publication
    last_activity: datetime | None = None  # latest invitation, submission or publication
    headline: Headline | None = None  # the results the person may see of it
    change: object = None  # set by the organisation page: the index's change before it

    @property
    def started(self) -> datetime:
        return self.opened_at or self.created_at

    @property
    def completion(self) -> float | None:
        return self.submitted / self.invited if self.invited else None

    def get_status_display(self) -> str:
        return Assessment.Status(self.status).label


def assessment_lines(organisations: QuerySet, *, dates: bool = False) -> list[AssessmentLine]:
    """The assessments of these organisations, newest first per organisation, with their
    progress, their last activity and their latest publication: three queries (with
    `dates`, also the assessments' own dates)."""
    ids = organisations.values("pk")
    fields = ASSESSMENT_FIELDS + DATE_FIELDS if dates else ASSESSMENT_FIELDS
    lines = [
        AssessmentLine(**row)
        for row in Assessment.objects.filter(organisation__in=ids)
        .order_by("organisation_id", "-created_at", "-pk")
        .values(*fields)
    ]
    figures = headlines.response_figures(Q(assessment__organisation__in=ids))
    publications: dict[int, tuple[int, datetime]] = {}
    for pk, assessment_id, published_at in (
        ResultSnapshot.objects.filter(assessment__organisation__in=ids)
        .order_by("assessment_id", "published_at", "pk")
        .values_list("pk", "assessment_id", "published_at")
    ):
        publications[assessment_id] = (pk, published_at)  # the latest wins
    for line in lines:
        row = figures.get(line.pk)
        if row:
            line.invited, line.submitted = row["invited"], row["submitted"]
        if line.pk in publications:
            line.snapshot_id, line.published_at = publications[line.pk]
        moments = [line.published_at]
        if row:
            moments += [row["last_invited"], row["last_submitted"]]
        line.last_activity = max((moment for moment in moments if moment), default=None)
    return lines


def has_results(line: AssessmentLine, *, live: bool) -> bool:
    return line.submitted > 0 if live else line.snapshot_id is not None


def attach_headlines(lines: Sequence[AssessmentLine], *, live: bool, pillars: bool) -> None:
    """Each line gets the stored headline of the results its reader may see: live figures
    or its latest publication (None without results); one query."""
    if live:
        found = headlines.live_headlines(
            (line.pk for line in lines if line.submitted), pillars=pillars
        )
        for line in lines:
            line.headline = found.get(line.pk) if line.submitted else None
        return
    found = headlines.published_headlines(
        (line.snapshot_id for line in lines if line.snapshot_id), pillars=pillars
    )
    for line in lines:
        line.headline = found.get(line.snapshot_id) if line.snapshot_id else None


def _risk_rank(headline: Headline) -> float | None:
    """Riskiest first: the worst band, then the lowest maturity."""
    if not headline.riskiest_band:
        return None
    band = Band(headline.riskiest_band)
    return -(band.rank * 1000 + (100 - (headline.riskiest_maturity or 0)))


def _entry(organisation_id: int, audience: str, lines: list[AssessmentLine]) -> PortfolioEntry:
    """`lines`: one organisation's assessments, newest first, with the audience's headlines."""
    live = audience == PortfolioEntry.Audience.LIVE
    with_results = [
        line for line in lines if has_results(line, live=live) and line.headline is not None
    ]
    current = lines[0] if lines else None
    figures = with_results[0] if with_results else None
    previous = with_results[1] if len(with_results) > 1 else None
    headline = figures.headline if figures else None
    return PortfolioEntry(
        organisation_id=organisation_id,
        audience=audience,
        current_id=current.pk if current else None,
        current_title=current.title if current else "",
        current_status=current.status if current else "",
        status_rank=STATUS_ORDER[current.status] if current else None,
        invited=current.invited if current else 0,
        submitted=current.submitted if current else 0,
        completion=current.completion if current else None,
        last_activity=max(
            (line.last_activity for line in lines if line.last_activity), default=None
        ),
        figures_title=figures.title if figures else "",
        figures_are_older=figures is not None and figures is not current,
        previous_title=previous.title if previous else "",
        has_figures=headline is not None,
        respondents=headline.respondents if headline else 0,
        verdict=headline.verdict if headline else "",
        verdict_rank=VERDICT_ORDER.get(headline.verdict) if headline else None,
        overall_index=headline.overall_index if headline else None,
        previous_index=previous.headline.overall_index if previous else None,
        riskiest_pillar=headline.riskiest_pillar if headline else "",
        riskiest_name=headline.riskiest_name if headline else "",
        riskiest_band=headline.riskiest_band if headline else "",
        riskiest_maturity=headline.riskiest_maturity if headline else None,
        risk_rank=_risk_rank(headline) if headline else None,
    )


ENTRY_FIELDS = [
    field.name
    for field in PortfolioEntry._meta.concrete_fields
    if field.name not in ("id", "organisation", "audience")
]


def refresh_entries(organisation_ids: Iterable[int]) -> None:
    """Work out again what the portfolio shows of these organisations, for both audiences,
    from their assessments and stored headlines: six queries however many organisations."""
    ids = sorted(set(organisation_ids))
    if not ids:
        return
    lines = assessment_lines(Organisation.objects.filter(pk__in=ids))
    by_organisation: dict[int, list[AssessmentLine]] = defaultdict(list)
    for line in lines:
        by_organisation[line.organisation_id].append(line)
    entries = []
    for audience in PortfolioEntry.Audience.values:
        attach_headlines(lines, live=audience == PortfolioEntry.Audience.LIVE, pillars=False)
        entries += [_entry(pk, audience, by_organisation[pk]) for pk in ids]
    PortfolioEntry.objects.bulk_create(
        entries,
        update_conflicts=True,
        unique_fields=["organisation", "audience"],
        update_fields=ENTRY_FIELDS,
    )


def refresh_all(batch: int = 500) -> int:
    """Work out again every organisation's entries (after a deploy or a migration), by
    batches; returns how many organisations."""
    ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        refresh_entries(ids[start : start + batch])
    return len(ids)


def figures_changed(assessment: Assessment) -> None:
    """After the submitted responses of an assessment changed (a submission, an erasure, a
    recomputation; opening and closing): its organisation's entries now, in the caller's
    transaction, and its live headline by the task worker, which scores every answer.

    The task is queued in the same transaction, so it exists exactly when the change does;
    a burst of submissions to one assessment costs one or two scorings, not one each
    (`headlines.refresh_live` scores only what moved). With the immediate task backend
    (development, tests) it runs at once."""
    refresh_entries([assessment.organisation_id])
    refresh_after_change.enqueue(assessment_id=assessment.pk)


@task
def refresh_after_change(*, assessment_id: int) -> None:
    """The task worker's part of `figures_changed`: the live headline, then the entries
    that show it."""
    if headlines.refresh_live(assessment_id):
        organisation_id = Assessment.objects.values_list("organisation_id", flat=True).get(
            pk=assessment_id
        )
        refresh_entries([organisation_id])
