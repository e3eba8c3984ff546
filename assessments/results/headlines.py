"""The headline of an assessment's results, kept for the lists that show many at once.

The portfolio shows a verdict, a readiness index and a riskiest pillar for every client,
and the organisation page the index and pillars of every assessment over time. Scoring each
assessment on every look would cost tens of milliseconds apiece; reading whole stored
reports would cost nearly as much. So each result's headline is stored in small columns
(`ResultHeadline`), written by the services that change it and only read by the lists:

- a publication's headline is stored with the snapshot (`store_published`), which never
  changes;
- the live headline is scored again whenever the set of submitted responses changes
  (`refresh_live`, after a submission, an erasure, opening and closing, a recomputation:
  by the task worker, `entries.refresh_after_change`), and the dashboard stores it too
  whenever it scores live figures afresh (`live.live_figures`). It carries what it rests
  on (`live_basis`: the count, id sum and largest id of the submitted responses, the
  questionnaire version and the scoring code), so that a refresh scores only what moved,
  and `rebuild` (the `rebuild_headlines` command, run after every deploy and migration)
  scores what moved together: rules once per questionnaire version and every answer in a
  few queries, however many changed.
"""

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
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
    """What decides an assessment's live headline."""

    assessment_id: int
    questionnaire_id: int
    basis: str


def live_headlines(assessment_ids: Iterable[int], *, pillars: bool = True) -> dict[int, Headline]:
    """The stored live headline of each assessment that has one; one query, nothing scored.
    `pillars=False` leaves each pillar's figure out, for lists that do not show them."""
    ids = list(assessment_ids)
    if not ids:
        return {}
    stored = ResultHeadline.objects.filter(assessment_id__in=ids, source=LIVE)
    return {row["assessment_id"]: _from_row(row) for row in stored.values(*_fields(pillars))}


def _live_states(assessments: Q) -> list[LiveState]:
    """The live basis, as the responses are now, of the assessments matching `assessments`
    (a condition on Response's `assessment`) with submitted responses: two queries."""
    figures = response_figures(assessments)
    versions = dict(
        Assessment.objects.filter(pk__in=list(figures)).values_list("pk", "questionnaire_id")
    )
    return [
        LiveState(
            assessment_id=pk,
            questionnaire_id=versions[pk],
            basis=live_basis(
                questionnaire_id=versions[pk],
                count=row["submitted"],
                id_sum=row["id_sum"],
                last_id=row["last_id"],
            ),
        )
        for pk, row in figures.items()
        if row["submitted"]
    ]


@transaction.atomic
def refresh_live(assessment_id: int) -> bool:
    """Score the live headline of an assessment again if its submitted responses changed
    since it was stored; returns whether it did.

    Takes the assessment's lock first, so that two refreshes at once run one after the
    other: the later one then finds the headline already counting both and scores nothing.
    """
    Assessment.objects.select_for_update().filter(pk=assessment_id).first()
    states = _live_states(Q(assessment=assessment_id))
    stored = ResultHeadline.objects.filter(assessment=assessment_id, source=LIVE)
    if not states:
        stored.delete()
        return False
    if stored.filter(basis=states[0].basis).exists():
        return False
    _score_live(states)
    return True


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
    """The stored headline of each snapshot (by snapshot id); one query."""
    sources = {snapshot_source(pk): pk for pk in set(snapshot_ids)}
    if not sources:
        return {}
    stored = ResultHeadline.objects.filter(source__in=list(sources)).values(*_fields(pillars))
    return {sources[row["source"]]: _from_row(row) for row in stored}


def store_published(snapshot: ResultSnapshot, result: scoring.AssessmentResult) -> None:
    """Keep the headline of a publication, as it is published."""
    _store([(snapshot.assessment_id, snapshot_source(snapshot.pk), "", headline_of(result))])


def rebuild(batch: int = 500) -> tuple[int, int]:
    """Score again every live headline whose basis moved (or that is missing), and store the
    headline of every publication without one, by batches of assessments; returns how many
    of each. For after a deploy or a migration: the lists only read."""
    stale_live = 0
    ids = list(Assessment.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        states = _live_states(Q(assessment__in=ids[start : start + batch]))
        stored = dict(
            ResultHeadline.objects.filter(
                assessment_id__in=[state.assessment_id for state in states], source=LIVE
            ).values_list("assessment_id", "basis")
        )
        stale = [state for state in states if stored.get(state.assessment_id) != state.basis]
        if stale:
            _score_live(stale)
        stale_live += len(stale)
    stored_sources = set(
        ResultHeadline.objects.exclude(source=LIVE).values_list("source", flat=True)
    )
    missing = [
        pk
        for pk in ResultSnapshot.objects.order_by("pk").values_list("pk", flat=True)
        if snapshot_source(pk) not in stored_sources
    ]
    for start in range(0, len(missing), batch):
        for snapshot in ResultSnapshot.objects.filter(pk__in=missing[start : start + batch]):
            store_published(snapshot, snapshot.read_report().result)
    return stale_live, len(missing)
