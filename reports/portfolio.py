"""Reads for the lists of many assessments: the consultant's portfolio of clients, and one
organisation's assessments over time.

The portfolio reads one stored row per organisation (`PortfolioEntry`, kept by the services
that change it: `assessments.results.entries`) and filters, sorts and pages in the
database, in a fixed number of queries whatever the number of organisations, assessments
and respondents; nothing is scored or aggregated on the request.

Who sees which figures is the rule of `assessments.access.results_for`: a consultant the
live figures, a client manager the latest publication, per organisation by their role there.
"""

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, Count, F, FilteredRelation, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Lower

from accounts.access import RESULT_READERS
from accounts.models import Organisation, Role
from assessments.models import Assessment, PortfolioEntry
from assessments.results import entries
from assessments.results.entries import AssessmentLine
from assessments.results.headlines import Headline

from .figures import Change

NO_ASSESSMENT = "none"
NO_VERDICT = "none"
# The columns of an organisation's entry for the person's role, as the page reads them.
ENTRY_COLUMNS = (
    "current_id",
    "current_title",
    "current_status",
    "invited",
    "submitted",
    "last_activity",
    "figures_title",
    "figures_are_older",
    "previous_title",
    "has_figures",
    "respondents",
    "verdict",
    "overall_index",
    "previous_index",
    "riskiest_pillar",
    "riskiest_name",
    "riskiest_band",
    "riskiest_maturity",
)
# Each sort key's column; rows without the figure come last, whichever the direction.
SORT_KEYS = {
    "name": "name",
    "status": "status_rank",
    "completion": "completion",
    "verdict": "verdict_rank",
    "index": "overall_index",
    "change": "change",
    "risk": "risk_rank",
    "activity": "last_activity",
}
DEFAULT_SORT = "-activity"
TEXT_COLUMNS = {"current_title", "current_status", "figures_title", "previous_title", "verdict"}


@dataclass(frozen=True)
class LatestAssessment:
    """An organisation's newest assessment, as its row shows it."""

    pk: int
    title: str
    status: str
    invited: int
    submitted: int

    def get_status_display(self) -> str:
        return Assessment.Status(self.status).label


@dataclass(frozen=True)
class ClientRow:
    """One organisation in the portfolio."""

    pk: int
    name: str
    slug: str
    sector: str
    role: Role
    current: LatestAssessment | None
    headline: Headline | None  # of the newest assessment with results the person may see
    figures_title: str  # that assessment's
    figures_are_older: bool  # the newest assessment has no results yet
    previous_title: str  # the assessment before it with results, whose index `change` is from
    change: Change | None
    last_activity: datetime | None

    @property
    def live(self) -> bool:
        """Live figures (a consultant's), or the published ones (a client manager's)."""
        return self.role == Role.CONSULTANT

    @property
    def verdict(self) -> str:
        return self.headline.verdict if self.headline else ""

    @property
    def status(self) -> str:
        return self.current.status if self.current else ""

    def get_sector_display(self) -> str:
        return Organisation(sector=self.sector).get_sector_display()


def _pick(column: str) -> Case | Coalesce:
    """An entry's column for the person's role there: the live entry for a consultant."""
    picked = Case(
        When(role=Role.CONSULTANT, then=F(f"live_entry__{column}")),
        default=F(f"published_entry__{column}"),
    )
    return Coalesce(picked, Value("")) if column in TEXT_COLUMNS else picked


def client_entries(user, *, search: str = "", sector: str = "") -> QuerySet:
    """Every organisation the person serves or manages, with their `role` there and the
    columns of its entry for that role (`ENTRY_COLUMNS`, and the sort keys). Staff act as
    consultants everywhere."""
    if user.is_staff:
        organisations = Organisation.objects.annotate(role=Value(Role.CONSULTANT))
    else:
        organisations = Organisation.objects.filter(
            memberships__user=user, memberships__role__in=RESULT_READERS
        ).annotate(role=F("memberships__role"))
    if search:
        organisations = organisations.filter(name__icontains=search)
    if sector:
        organisations = organisations.filter(sector=sector)
    columns = {*ENTRY_COLUMNS, *SORT_KEYS.values()} - {"name", "change"}
    return (
        organisations.annotate(
            live_entry=FilteredRelation(
                "portfolio_entries",
                condition=Q(portfolio_entries__audience=PortfolioEntry.Audience.LIVE),
            ),
            published_entry=FilteredRelation(
                "portfolio_entries",
                condition=Q(portfolio_entries__audience=PortfolioEntry.Audience.PUBLISHED),
            ),
        )
        .annotate(
            **{column: _pick(column) for column in sorted(columns)},
        )
        .annotate(change=F("overall_index") - F("previous_index"))
    )


def filter_entries(listed: QuerySet, *, status: str = "", verdict: str = "") -> QuerySet:
    if status:
        listed = listed.filter(current_status="" if status == NO_ASSESSMENT else status)
    if verdict:
        listed = listed.filter(verdict="" if verdict == NO_VERDICT else verdict)
    return listed


@dataclass(frozen=True)
class Tally:
    """What the page says of the rows before the status and verdict filters."""

    total: int
    verdict_counts: Counter  # after the status filter
    any_live: bool
    any_published: bool


def tally(listed: QuerySet, *, status: str = "") -> Tally:
    """Counts by role, status and verdict: one query."""
    groups = list(
        listed.order_by()
        .values("role", "current_status", "verdict")
        .annotate(count=Count("pk", distinct=True))
    )
    wanted = "" if status == NO_ASSESSMENT else status
    verdicts: Counter = Counter()
    for group in groups:
        if not status or group["current_status"] == wanted:
            verdicts[group["verdict"] or NO_VERDICT] += group["count"]
    return Tally(
        total=sum(group["count"] for group in groups),
        verdict_counts=verdicts,
        any_live=any(group["role"] == Role.CONSULTANT for group in groups),
        any_published=any(group["role"] != Role.CONSULTANT for group in groups),
    )


def sort_entries(listed: QuerySet, sort: str) -> QuerySet:
    """`sort`: a key of SORT_KEYS, with "-" for descending; rows without the figure stay
    last either way, and ties keep name order."""
    column = SORT_KEYS[sort.removeprefix("-")]
    key = Lower("name") if column == "name" else F(column)
    ordered = key.desc(nulls_last=True) if sort.startswith("-") else key.asc(nulls_last=True)
    return listed.order_by(ordered, Lower("name"), "pk")


def client_rows(listed: QuerySet) -> list[ClientRow]:
    """The rows of these (already paged) entries."""
    fields = ("pk", "name", "slug", "sector", "role", *ENTRY_COLUMNS)
    return [_row(values) for values in listed.values(*fields)]


def _row(values: dict) -> ClientRow:
    headline = None
    if values["has_figures"]:
        headline = Headline(
            respondents=values["respondents"],
            verdict=values["verdict"],
            overall_index=values["overall_index"],
            riskiest_pillar=values["riskiest_pillar"],
            riskiest_name=values["riskiest_name"],
            riskiest_band=values["riskiest_band"],
            riskiest_maturity=values["riskiest_maturity"],
        )
    current = None
    if values["current_id"] is not None:
        current = LatestAssessment(
            pk=values["current_id"],
            title=values["current_title"],
            status=values["current_status"],
            invited=values["invited"],
            submitted=values["submitted"],
        )
    return ClientRow(
        pk=values["pk"],
        name=values["name"],
        slug=values["slug"],
        sector=values["sector"],
        role=Role(values["role"]),
        current=current,
        headline=headline,
        figures_title=values["figures_title"],
        figures_are_older=bool(values["figures_are_older"]),
        previous_title=values["previous_title"],
        change=Change.between(values["previous_index"], values["overall_index"]),
        last_activity=values["last_activity"],
    )


# One organisation over time


@dataclass(frozen=True)
class History:
    """An organisation's assessments, newest first, and those with results oldest first."""

    assessments: list[AssessmentLine]
    with_results: list[AssessmentLine]  # oldest first, each with a headline
    live: bool


def _with_changes(lines: Sequence[AssessmentLine]) -> None:
    """`lines`: one organisation's assessments with results, newest first."""
    for line, before in itertools.pairwise(lines):
        now = line.headline.overall_index if line.headline else None
        then = before.headline.overall_index if before.headline else None
        if now is not None and then is not None:
            line.change = Change.between(then, now)


def organisation_history(organisation: Organisation, role: Role) -> History:
    """All assessments of one organisation with the results the person may see: live
    headlines for a consultant, the latest publication's for a client manager."""
    live = role == Role.CONSULTANT
    lines = entries.assessment_lines(Organisation.objects.filter(pk=organisation.pk), dates=True)
    with_results = [line for line in lines if entries.has_results(line, live=live)]
    entries.attach_headlines(with_results, live=live, pillars=True)
    with_results = [line for line in with_results if line.headline is not None]
    _with_changes(with_results)
    return History(assessments=lines, with_results=list(reversed(with_results)), live=live)
