"""A client manager's token never reads a figure that the manager's results withhold.

Random teams answer (levels, "don't know", perspectives too small to show), results are
published once or twice, sometimes after an earlier assessment of the same organisation
(a trend); then every number of the snapshot the API returns is checked against the
results the manager sees (`published_results`): each is one of them as printed, and a
withheld cell carries its reason and no number at all.
"""

from collections.abc import Iterator
from numbers import Number

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Role
from assessments import scoring
from assessments.results import publication
from assessments.results.access import published_results
from reports.figures import percent, risk, score
from tests.factories import AssessmentFactory, MembershipFactory, OrganisationFactory

from .conftest import answered_with, token_client

pytestmark = pytest.mark.django_db

PERSPECTIVES = ["business", "business", "business", "data_it", "leadership"]
LEVEL = st.sampled_from([None, 0, 1, 2, 3, 4, 4])
# Keys whose numbers are the difference of two figures beside them, checked as such.
DIFFERENCES = {"change", "points", "gap"}


def _numbers(data, path=()) -> Iterator[tuple[tuple, Number]]:
    """Every number in a JSON value, with where it is (booleans are no figures)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _numbers(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _numbers(value, (*path, index))
    elif isinstance(data, Number) and not isinstance(data, bool):
        yield path, data


def _visible_numbers(report: scoring.Report) -> set[Number]:
    """Every number the manager's results hold, raw and as every format prints it."""
    numbers: set[Number] = set()
    for _, value in _numbers(scoring.to_data(report)):
        numbers |= {value, score(value), risk(value)}
        if 0 <= value <= 1:
            numbers.add(percent(value))
    return numbers


def _cells(data) -> Iterator[dict]:
    """Every object of the JSON that says whether it is withheld."""
    if isinstance(data, dict):
        if "withheld" in data:
            yield data
        for value in data.values():
            yield from _cells(value)
    elif isinstance(data, list):
        for value in data:
            yield from _cells(value)


@st.composite
def histories(draw):
    threshold = draw(st.integers(3, 5))
    team = st.lists(
        st.tuples(st.sampled_from(PERSPECTIVES), st.lists(LEVEL, min_size=5, max_size=5)),
        min_size=threshold,
        max_size=threshold + 6,
    )
    later = st.lists(
        st.tuples(st.sampled_from(PERSPECTIVES), st.lists(LEVEL, min_size=5, max_size=5)),
        max_size=threshold + 3,
    )
    return threshold, draw(st.booleans()), draw(team), draw(later)


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=histories())
def test_a_managers_token_reads_no_figure_the_managers_results_withhold(
    small_questionnaire, consultant, history
):
    threshold, follows_up, team, later = history
    organisation = OrganisationFactory()
    manager = MembershipFactory(organisation=organisation, role=Role.MANAGER).user
    if follows_up:
        earlier = AssessmentFactory(
            organisation=organisation, questionnaire=small_questionnaire, anonymity_threshold=3
        )
        for perspective, levels in team[:3]:
            answered_with(earlier, perspective, levels)
        publication.publish_results(assessment=earlier, published_by=consultant)
    assessment = AssessmentFactory(
        organisation=organisation,
        questionnaire=small_questionnaire,
        anonymity_threshold=threshold,
    )
    for perspective, levels in team:
        answered_with(assessment, perspective, levels)
    publication.publish_results(assessment=assessment, published_by=consultant)
    if len(later) >= threshold:
        for perspective, levels in later:
            answered_with(assessment, perspective, levels)
        publication.publish_results(assessment=assessment, published_by=consultant)

    response = token_client(manager).get(
        reverse("api:snapshot", args=[organisation.slug, assessment.pk])
    )

    assert response.status_code == 200
    snapshot = response.json()
    visible = published_results(assessment)
    allowed = _visible_numbers(visible.report)
    for path, value in _numbers(snapshot):
        if path[-1] not in DIFFERENCES:
            assert value in allowed, path
    _assert_withheld_cells_carry_no_number(snapshot)
    _assert_same_cells_withheld(snapshot, visible.result)
    _assert_shown_figures_as_printed(snapshot, visible.result)
    _assert_differences_of_printed_figures(snapshot)


def _assert_withheld_cells_carry_no_number(snapshot):
    maturity = {pillar["code"]: pillar["maturity"] for pillar in snapshot["pillars"]}
    for cell in _cells(snapshot):
        if cell["withheld"] is None:
            continue
        figures = {
            key: value
            for key, value in cell.items()
            if isinstance(value, Number | list) and not isinstance(value, bool)
        }
        figures.pop("weight", None)  # the questionnaire's, not an answer's
        figures.pop("red_flags", None)  # question codes
        if "claimed" in figures:
            # Beside a withheld evidenced figure: the pillar's own figure as shown, or none.
            assert figures.pop("claimed") == maturity[cell["pillar"]]
        assert figures == {}, cell


def _assert_same_cells_withheld(snapshot, result):
    assert [p["withheld"] and p["withheld"]["code"] for p in snapshot["pillars"]] == [
        p.withheld for p in result.pillars
    ]
    assert [q["withheld"] and q["withheld"]["code"] for q in snapshot["questions"]] == [
        q.withheld for q in result.questions.values()
    ]
    assert [q["distribution"] is None for q in snapshot["questions"]] == [
        q.withheld is not None or q.distribution_withheld is not None
        for q in result.questions.values()
    ]
    index = snapshot["index"]
    assert (index["value"], index["withheld"] and index["withheld"]["code"]) == (
        score(result.overall_index),
        result.index_withheld,
    )
    assert [g["perspective"]["code"] for g in snapshot["perspectives"]] == [
        g.perspective for g in result.perspectives
    ]


def _assert_shown_figures_as_printed(snapshot, result):
    assert (snapshot["verdict"] or {}).get("code") == result.verdict
    assert snapshot["respondents"] == result.respondents
    for shown, pillar in zip(snapshot["pillars"], result.pillars, strict=True):
        assert (shown["maturity"], shown["risk"]) == (score(pillar.maturity), risk(pillar.risk))
    for shown, question in zip(snapshot["questions"], result.questions.values(), strict=True):
        assert shown["score"] == score(question.mean)
    for shown, group in zip(snapshot["perspectives"], result.perspectives, strict=True):
        assert {cell["pillar"]: cell["maturity"] for cell in shown["pillars"]} == {
            pillar: score(value) for pillar, value in group.pillars.items()
        }


def _assert_differences_of_printed_figures(snapshot):
    trend = snapshot["trend"]
    if trend is None:
        return
    for move in [trend["overall"], trend["matched"], *trend["pillars"], *trend["questions"]]:
        if move["previous"] is None or move["current"] is None:
            assert move["change"] is None
        else:
            assert move["change"] == move["current"] - move["previous"]
