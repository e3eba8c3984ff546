"""Reads for the lists of many assessments: the consultant's portfolio of clients, and one
organisation's assessments over time.

Everything comes from stored rows in a fixed number of queries, whatever the number of
organisations: the organisations with the person's role, their assessments, one aggregate
over responses (progress, activity and what live figures rest on), their publications'
dates, and the stored headlines (`assessments.results.headlines`). Grouping, filtering and sorting
happen in Python over a few hundred light rows; nothing is scored here unless it changed.

Who sees which figures is the rule of `assessments.access.results_for`: a consultant the
live figures, a client manager the latest publication, per organisation by their role there.
"""

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from accounts.access import RESULT_READERS
from accounts.models import Membership, Organisation, Role
from assessments.models import Assessment, ResultSnapshot
from assessments.results import headlines
from assessments.results.headlines import Headline, LiveState
from assessments.scoring import Band, Verdict

from .presenters import Change

# Worst first: the order in which a consultant wants to see verdicts.
VERDICT_ORDER = {
    Verdict.NOT_READY.value: 0,
    Verdict.READY_WITH_CONDITIONS.value: 1,
    Verdict.READY.value: 2,
    "": 3,
}
STATUS_ORDER = {
    Assessment.Status.OPEN.value: 0,
    Assessment.Status.DRAFT.value: 1,
    Assessment.Status.CLOSED.value: 2,
    "": 3,
}
NO_ASSESSMENT = "none"
NO_VERDICT = "none"
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
    id_sum: int | None = None  # of the submitted responses
    last_id: int | None = None  # of the submitted responses
    headline: Headline | None = None  # the results the person may see of it
    change: Change | None = None  # of the index since the previous assessment with results

    @property
    def started(self) -> datetime:
        return self.opened_at or self.created_at

    @property
    def completion(self) -> float | None:
        return self.submitted / self.invited if self.invited else None

    @property
    def basis(self) -> str:
        """What its live headline rests on (`headlines.live_basis`)."""
        return headlines.live_basis(
            questionnaire_id=self.questionnaire_id,
            count=self.submitted,
            id_sum=self.id_sum,
            last_id=self.last_id,
        )

    def get_status_display(self) -> str:
        return Assessment.Status(self.status).label


@dataclass
class ClientRow:
    """One organisation in the portfolio."""

    pk: int
    name: str
    slug: str
    sector: str
    role: Role
    assessments: list[AssessmentLine] = field(default_factory=list)  # newest first
    current: AssessmentLine | None = None  # the newest assessment
    figures: AssessmentLine | None = None  # the newest with results the person may see
    previous: AssessmentLine | None = None  # the one before `figures` with results
    last_activity: datetime | None = None

    @property
    def live(self) -> bool:
        """Live figures (a consultant's), or the published ones (a client manager's)."""
        return self.role == Role.CONSULTANT

    @property
    def headline(self) -> Headline | None:
        return self.figures.headline if self.figures else None

    @property
    def verdict(self) -> str:
        return self.headline.verdict if self.headline else ""

    @property
    def change(self) -> Change | None:
        return self.figures.change if self.figures else None

    @property
    def status(self) -> str:
        return self.current.status if self.current else ""

    @property
    def figures_are_older(self) -> bool:
        """The newest assessment has no results yet: the verdict is its predecessor's."""
        return self.figures is not None and self.figures is not self.current

    def get_sector_display(self) -> str:
        return Organisation(sector=self.sector).get_sector_display()


def _organisations(user, *, search: str = "", sector: str = "") -> QuerySet:
    organisations = Organisation.objects.visible_to(user, roles=RESULT_READERS)
    if search:
        organisations = organisations.filter(name__icontains=search)
    if sector:
        organisations = organisations.filter(sector=sector)
    return organisations


def _lines(organisations: QuerySet, *, dates: bool = False) -> list[AssessmentLine]:
    """The assessments of these organisations, newest first per organisation, with their
    progress, what their live figures rest on, their last activity and their latest
    publication: three queries (with `dates`, also the assessments' own dates)."""
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
            line.id_sum, line.last_id = row["id_sum"], row["last_id"]
        if line.pk in publications:
            line.snapshot_id, line.published_at = publications[line.pk]
        moments = [line.published_at]
        if row:
            moments += [row["last_invited"], row["last_submitted"]]
        line.last_activity = max((moment for moment in moments if moment), default=None)
    return lines


def _has_results(line: AssessmentLine, role: Role) -> bool:
    if role == Role.CONSULTANT:
        return line.submitted > 0
    return line.snapshot_id is not None


def _attach_headlines(
    lines: Sequence[AssessmentLine], roles: dict[int, Role], *, pillars: bool
) -> None:
    """Each line with results gets the headline its reader may see, and the change of the
    index since the organisation's assessment before it with results: two queries, plus
    the scoring of what changed since it was last looked at."""
    live = [line for line in lines if roles[line.organisation_id] == Role.CONSULTANT]
    published = [line for line in lines if roles[line.organisation_id] != Role.CONSULTANT]
    live_found = headlines.live_headlines(
        (LiveState(line.pk, line.questionnaire_id, line.basis) for line in live if line.submitted),
        pillars=pillars,
    )
    published_found = headlines.published_headlines(
        (line.snapshot_id for line in published if line.snapshot_id), pillars=pillars
    )
    for line in live:
        line.headline = live_found.get(line.pk)
    for line in published:
        line.headline = published_found.get(line.snapshot_id) if line.snapshot_id else None


def _with_changes(lines: Sequence[AssessmentLine]) -> None:
    """`lines`: one organisation's assessments with results, newest first."""
    for line, before in itertools.pairwise(lines):
        now = line.headline.overall_index if line.headline else None
        then = before.headline.overall_index if before.headline else None
        if now is not None and then is not None:
            line.change = Change.between(then, now)


def _roles(user, *, search: str, sector: str) -> list[dict]:
    """The organisations (pk, name, slug, sector) with the person's role in each, in name
    order: one query. Staff act as consultants everywhere."""
    fields = ("pk", "name", "slug", "sector")
    if user.is_staff:
        organisations = _organisations(user, search=search, sector=sector)
        rows = organisations.order_by(Lower("name"), "pk").values(*fields)
        return [{**row, "role": Role.CONSULTANT} for row in rows]
    memberships = Membership.objects.filter(user=user, role__in=RESULT_READERS)
    if search:
        memberships = memberships.filter(organisation__name__icontains=search)
    if sector:
        memberships = memberships.filter(organisation__sector=sector)
    return [
        {"pk": pk, "name": name, "slug": slug, "sector": sector_code, "role": role}
        for pk, name, slug, sector_code, role in memberships.order_by(
            Lower("organisation__name"), "organisation_id"
        ).values_list(
            "organisation_id",
            "organisation__name",
            "organisation__slug",
            "organisation__sector",
            "role",
        )
    ]


def client_rows(user, *, search: str = "", sector: str = "") -> list[ClientRow]:
    """Every organisation the person serves or manages, with its latest assessment, the
    results they may see and the last activity, in name order."""
    organisations = _organisations(user, search=search, sector=sector)
    rows = {
        row["pk"]: ClientRow(
            pk=row["pk"],
            name=row["name"],
            slug=row["slug"],
            sector=row["sector"],
            role=Role(row["role"]),
        )
        for row in _roles(user, search=search, sector=sector)
    }
    lines = _lines(organisations)
    for line in lines:
        if line.organisation_id in rows:
            rows[line.organisation_id].assessments.append(line)
    needed = []
    for row in rows.values():
        with_results = [line for line in row.assessments if _has_results(line, row.role)]
        row.current = row.assessments[0] if row.assessments else None
        row.figures = with_results[0] if with_results else None
        row.previous = with_results[1] if len(with_results) > 1 else None
        needed += with_results[:2]
        row.last_activity = max(
            (line.last_activity for line in row.assessments if line.last_activity), default=None
        )
    _attach_headlines(needed, {pk: row.role for pk, row in rows.items()}, pillars=False)
    for row in rows.values():
        _with_changes([line for line in (row.figures, row.previous) if line])
    return list(rows.values())


# Filtering and sorting the portfolio


def filter_rows(rows: Sequence[ClientRow], *, status: str = "", verdict: str = "") -> list:
    if status:
        wanted = "" if status == NO_ASSESSMENT else status
        rows = [row for row in rows if row.status == wanted]
    if verdict:
        wanted = "" if verdict == NO_VERDICT else verdict
        rows = [row for row in rows if row.verdict == wanted]
    return list(rows)


def verdict_counts(rows: Sequence[ClientRow]) -> Counter:
    return Counter(row.verdict or NO_VERDICT for row in rows)


def _risk_key(row: ClientRow):
    headline = row.headline
    if headline is None or not headline.riskiest_band:
        return (1, 0.0)
    band = Band(headline.riskiest_band)
    return (0, -(band.rank * 1000 + (100 - (headline.riskiest_maturity or 0))))


# Each key puts rows without the figure last, whichever the direction.
SORT_KEYS = {
    "name": lambda row: (0, row.name.casefold()),
    "status": lambda row: (row.current is None, STATUS_ORDER[row.status]),
    "completion": lambda row: (
        row.current is None or row.current.completion is None,
        row.current.completion if row.current and row.current.completion is not None else 0,
    ),
    "verdict": lambda row: (not row.verdict, VERDICT_ORDER[row.verdict]),
    "index": lambda row: (
        row.headline is None or row.headline.overall_index is None,
        row.headline.overall_index if row.headline and row.headline.overall_index else 0,
    ),
    "change": lambda row: (row.change is None, row.change.delta if row.change else 0),
    "risk": _risk_key,
    "activity": lambda row: (
        row.last_activity is None,
        row.last_activity.timestamp() if row.last_activity else 0,
    ),
}
DEFAULT_SORT = "-activity"


def sort_rows(rows: Sequence[ClientRow], sort: str) -> list[ClientRow]:
    """`sort`: a key of SORT_KEYS, with "-" for descending; rows without the figure stay
    last either way, and ties keep name order."""
    name = sort.removeprefix("-")
    key = SORT_KEYS[name]
    by_name = sorted(rows, key=SORT_KEYS["name"])
    if not sort.startswith("-"):
        return sorted(by_name, key=key)
    present = [row for row in by_name if not key(row)[0]]
    missing = [row for row in by_name if key(row)[0]]
    return sorted(present, key=lambda row: key(row)[1], reverse=True) + missing


# One organisation over time


@dataclass(frozen=True)
class History:
    """An organisation's assessments, newest first, and those with results oldest first."""

    assessments: list[AssessmentLine]
    with_results: list[AssessmentLine]  # oldest first, each with a headline
    live: bool


def organisation_history(organisation: Organisation, role: Role) -> History:
    """All assessments of one organisation with the results the person may see: live
    headlines for a consultant, the latest publication's for a client manager."""
    organisations = Organisation.objects.filter(pk=organisation.pk)
    lines = _lines(organisations, dates=True)
    with_results = [line for line in lines if _has_results(line, role)]
    _attach_headlines(with_results, {organisation.pk: role}, pillars=True)
    with_results = [line for line in with_results if line.headline is not None]
    _with_changes(with_results)
    return History(
        assessments=lines,
        with_results=list(reversed(with_results)),
        live=role == Role.CONSULTANT,
    )
