"""The headline of an assessment's results, kept for the lists that show many at once.

The portfolio shows a verdict, a readiness index and a riskiest pillar for every client,
and the organisation page the index and pillars of every assessment over time. Scoring each
assessment on every look would cost tens of milliseconds apiece; reading whole stored
reports would cost nearly as much. So each result's headline is stored in small columns
(`ResultHeadline`) and read in one query:

- a publication's headline is taken once from its snapshot, which never changes;
- the live headline carries what live figures rest on (`live_basis`: the set of submitted
  responses as their count, id sum and largest id, the questionnaire version and the
  scoring code). The lists read those numbers for all their assessments from one aggregate
  query over responses, and score again only the assessments whose basis moved, all
  together: rules once per questionnaire version and every answer in two queries, however
  many changed. The dashboard stores the headline too whenever it scores live figures
  afresh (`live.live_figures`).

Submitted answers are read-only, so the set of submitted responses changes whenever the
figures can; an administrator's correction of a submitted answer is picked up the next time
the dashboard scores the assessment.
"""

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Count, Max, Q, Sum

from .. import loading, scoring
from ..models import Assessment, Questionnaire, Response, ResultHeadline, ResultSnapshot
from .fingerprints import SCORING_CODE_VERSION

LIVE = "live"
HEADLINE_FIELDS = (
    "assessment_id",
    "source",
    "basis",
    "respondents",
    "verdict",
    "overall_index",
    "riskiest_pillar",
    "riskiest_name",
    "riskiest_band",
    "riskiest_maturity",
    "pillars",
)


def snapshot_source(snapshot_id: int) -> str:
    return f"snapshot:{snapshot_id}"


@dataclass(frozen=True)
class Headline:
    """What a list shows of one result."""

    respondents: int
    verdict: str  # "" without a verdict
    overall_index: float | None
    riskiest_pillar: str  # code, "" when no pillar has a band
    riskiest_name: str
    riskiest_band: str
    riskiest_maturity: float | None
    pillars: tuple[tuple[str, str, float | None], ...] = ()  # (code, name, maturity or None)

    @property
    def index_pillars(self) -> int:
        """How many pillars the index is made of (the others withheld or not assessed)."""
        return sum(1 for _code, _name, value in self.pillars if value is not None)

    @property
    def partial(self) -> bool:
        """The index rests on some pillars only: lists say so, rather than look complete."""
        return bool(self.pillars) and self.index_pillars < len(self.pillars)

    def maturity(self, pillar: str) -> float | None:
        for code, _name, value in self.pillars:
            if code == pillar:
                return value
        return None


def headline_of(result: scoring.AssessmentResult) -> Headline:
    """The headline of a scoring result. The riskiest pillar is the one in the worst band
    (a red flag raises a band), then with the highest risk, then the first in order; a
    withheld or unassessed pillar is never it."""
    banded = [
        (index, pillar)
        for index, pillar in enumerate(result.pillars)
        if pillar.band is not None and pillar.risk is not None and not pillar.withheld
    ]
    riskiest = (
        min(banded, key=lambda item: (-item[1].band.rank, -(item[1].risk or 0), item[0]))[1]
        if banded
        else None
    )
    return Headline(
        respondents=result.respondents,
        verdict=result.verdict.value if result.verdict else "",
        overall_index=result.overall_index,
        riskiest_pillar=riskiest.pillar if riskiest else "",
        riskiest_name=riskiest.name if riskiest else "",
        riskiest_band=riskiest.band.value if riskiest and riskiest.band else "",
        riskiest_maturity=riskiest.maturity if riskiest else None,
        pillars=tuple(
            (pillar.pillar, pillar.name, None if pillar.withheld else pillar.maturity)
            for pillar in result.pillars
        ),
    )


def live_basis(
    *, questionnaire_id: int, count: int, id_sum: int | None, last_id: int | None
) -> str:
    """What an assessment's live headline rests on: the scoring code, the questionnaire
    version and the set of submitted responses (ids only grow, and a submitted response's
    answers do not change)."""
    return f"{SCORING_CODE_VERSION}:{questionnaire_id}:{count}:{id_sum or 0}:{last_id or 0}"


def response_figures(assessments: Q) -> dict[int, dict]:
    """Per assessment matching `assessments` (a condition on Response's `assessment`): people
    invited (links not withdrawn), submitted, what the live basis needs, and the latest
    invitation and submission; one query."""
    active = Q(revoked_at__isnull=True)
    submitted = active & Q(submitted_at__isnull=False)
    rows = (
        Response.objects.filter(assessments)
        .order_by()
        .values("assessment_id")
        .annotate(
            invited=Count("pk", filter=active),
            submitted=Count("pk", filter=submitted),
            id_sum=Sum("pk", filter=submitted),
            last_id=Max("pk", filter=submitted),
            last_invited=Max("invited_at"),
            last_submitted=Max("submitted_at"),
        )
    )
    return {row.pop("assessment_id"): row for row in rows}


def _from_row(row: Mapping) -> Headline:
    return Headline(
        respondents=row["respondents"],
        verdict=row["verdict"],
        overall_index=row["overall_index"],
        riskiest_pillar=row["riskiest_pillar"],
        riskiest_name=row["riskiest_name"],
        riskiest_band=row["riskiest_band"],
        riskiest_maturity=row["riskiest_maturity"],
        pillars=tuple(tuple(pillar) for pillar in row.get("pillars", ())),
    )


def _fields(pillars: bool) -> tuple[str, ...]:
    return HEADLINE_FIELDS if pillars else HEADLINE_FIELDS[:-1]


def _store(rows: list[tuple[int, str, str, Headline]]) -> None:
    """Insert or replace headlines: (assessment id, source, basis, headline)."""
    if not rows:
        return
    ResultHeadline.objects.bulk_create(
        [
            ResultHeadline(
                assessment_id=assessment_id,
                source=source,
                basis=basis,
                respondents=headline.respondents,
                verdict=headline.verdict,
                overall_index=headline.overall_index,
                riskiest_pillar=headline.riskiest_pillar,
                riskiest_name=headline.riskiest_name,
                riskiest_band=headline.riskiest_band,
                riskiest_maturity=headline.riskiest_maturity,
                pillars=[list(pillar) for pillar in headline.pillars],
            )
            for assessment_id, source, basis, headline in rows
        ],
        update_conflicts=True,
        unique_fields=["assessment", "source"],
        update_fields=[*list(HEADLINE_FIELDS[2:]), "computed_at"],
    )


def store_live(assessment: Assessment, result: scoring.AssessmentResult, basis: str) -> None:
    """Keep the live headline of figures just scored (the dashboard does, after scoring)."""
    _store([(assessment.pk, LIVE, basis, headline_of(result))])


@dataclass(frozen=True)
class LiveState:
    """What decides an assessment's live headline, read in bulk by the lists."""

    assessment_id: int
    questionnaire_id: int
    basis: str


def live_headlines(states: Iterable[LiveState], *, pillars: bool = True) -> dict[int, Headline]:
    """The live headline of each assessment: stored ones whose basis still holds, and the
    others scored now, together, and stored. Queries: one to read, and for what changed
    two per questionnaire version, three for the responses and their answers, one to store.
    `pillars=False` leaves each pillar's figure out, for lists that do not show them."""
    states = {state.assessment_id: state for state in states}
    if not states:
        return {}
    stored = ResultHeadline.objects.filter(assessment_id__in=list(states), source=LIVE).values(
        *_fields(pillars)
    )
    found: dict[int, Headline] = {}
    for row in stored:
        if row["basis"] == states[row["assessment_id"]].basis:
            found[row["assessment_id"]] = _from_row(row)
    stale = [state for state in states.values() if state.assessment_id not in found]
    if stale:
        found.update(_score_live(stale))
    return found


def _score_live(states: list[LiveState]) -> dict[int, Headline]:
    """Score the live figures of several assessments at once, as `live.score_live` does
    for one, and store their headlines."""
    rules_by_version = {
        questionnaire.pk: loading.load_rules(questionnaire)
        for questionnaire in Questionnaire.objects.filter(
            pk__in={state.questionnaire_id for state in states}
        )
    }
    ids = [state.assessment_id for state in states]
    thresholds = dict(
        Assessment.objects.filter(pk__in=ids).values_list("pk", "anonymity_threshold")
    )
    responses = Response.objects.submitted().filter(assessment_id__in=ids)
    owner = dict(responses.values_list("pk", "assessment_id"))
    inputs: dict[int, list[scoring.ResponseInput]] = defaultdict(list)
    for response in loading.load_responses(responses):
        inputs[owner[response.id]].append(response)
    headlines = {}
    for state in states:
        rules = dataclasses.replace(
            rules_by_version[state.questionnaire_id],
            anonymity_threshold=thresholds[state.assessment_id],
        )
        result = scoring.score_assessment(rules, inputs.get(state.assessment_id, []))
        headlines[state.assessment_id] = headline_of(result)
    _store(
        [
            (state.assessment_id, LIVE, state.basis, headlines[state.assessment_id])
            for state in states
        ]
    )
    return headlines


def published_headlines(
    snapshot_ids: Iterable[int], *, pillars: bool = True
) -> dict[int, Headline]:
    """The headline of each snapshot (by snapshot id): stored, or read once from the
    snapshot and stored, since a publication never changes."""
    ids = set(snapshot_ids)
    if not ids:
        return {}
    sources = {snapshot_source(pk): pk for pk in ids}
    found = {
        sources[row["source"]]: _from_row(row)
        for row in ResultHeadline.objects.filter(source__in=list(sources)).values(*_fields(pillars))
    }
    missing = ids - set(found)
    if missing:
        rows = []
        for snapshot in ResultSnapshot.objects.filter(pk__in=missing):
            headline = headline_of(snapshot.read_report().result)
            found[snapshot.pk] = headline
            rows.append((snapshot.assessment_id, snapshot_source(snapshot.pk), "", headline))
        _store(rows)
    return found
