"""The disclosure rule, checked on random histories of an assessment.

Random sequences of submissions, "don't know" padding, erasures and publications: after
each, for every pair of publications and every figure both show, the responses behind it
(worked out here from the answers, independently of the code under test) are the same or
differ by at least the threshold in each direction; no shown figure rests on fewer than the
threshold; and the published verdict is the live one.
"""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.results import disclosure
from assessments.scoring import (
    PERSPECTIVES,
    AssessmentResult,
    PillarRule,
    QuestionRule,
    ResponseInput,
    Rules,
    Withheld,
    score_assessment,
)

ANSWER = st.sampled_from([None, 0, 1, 2, 3, 4, 4])
ROUTED = ("leadership", "data_it")


@st.composite
def histories(draw: st.DrawFn) -> tuple[Rules, list[tuple]]:
    rules = Rules(
        pillars=(PillarRule("data", "Data", weight=2.0), PillarRule("ethics", "Ethics")),
        questions=(
            QuestionRule("data.a", "data"),
            QuestionRule("data.b", "data", perspectives=ROUTED),
            QuestionRule("ethics.c", "ethics", critical=True, deciding_perspectives=("data_it",)),
            QuestionRule("ethics.d", "ethics", weight=2.0),
        ),
        anonymity_threshold=draw(st.integers(3, 5)),
        red_flag_share=0.25,
        not_established_share=0.5,
    )
    steps = []
    for _ in range(draw(st.integers(4, 40))):
        kind = draw(st.sampled_from(["submit", "submit", "submit", "pad", "erase", "publish"]))
        if kind == "submit":
            perspective = draw(st.sampled_from(PERSPECTIVES[:3]))
            answers = {q.code: draw(ANSWER) for q in rules.questions}
            steps.append(("submit", perspective, answers))
        elif kind == "pad":
            steps.append(("pad", draw(st.sampled_from(PERSPECTIVES[:3]))))
        elif kind == "erase":
            steps.append(("erase", draw(st.integers(0, 1000))))
        else:
            steps.append(("publish",))
    steps.append(("publish",))
    return rules, steps


def _true_contributors(rules: Rules, responses: list[ResponseInput], cell: str) -> frozenset:
    """The responses giving a level to a cell, from the answers alone."""

    def gives_level(response: ResponseInput, question: QuestionRule) -> bool:
        return question.asked_of(response.perspective) and isinstance(
            response.answers.get(question.code), int
        )

    kind, _, rest = cell.partition(":")
    if kind == "question":
        question = next(q for q in rules.questions if q.code == rest)
        return frozenset(r.id for r in responses if gives_level(r, question))
    if kind == "pillar":
        questions = [q for q in rules.questions if q.pillar == rest]
        return frozenset(r.id for r in responses if any(gives_level(r, q) for q in questions))
    if kind == "group":
        perspective, _, pillar = rest.partition(":")
        members = [r for r in responses if r.perspective == perspective]
        if not pillar:
            return frozenset(r.id for r in members)
        questions = [q for q in rules.questions if q.pillar == pillar]
        return frozenset(r.id for r in members if any(gives_level(r, q) for q in questions))
    if kind == "gap":
        pillar, first, second = rest.split(":")
        return _true_contributors(rules, responses, f"group:{first}:{pillar}") | (
            _true_contributors(rules, responses, f"group:{second}:{pillar}")
        )
    raise AssertionError(cell)


def _shown_cells(rules: Rules, result: AssessmentResult, responses) -> dict[str, frozenset]:
    """Every figure the published result shows, with the responses behind it."""
    cells = [f"question:{c}" for c, q in result.questions.items() if q.mean is not None]
    cells += [f"pillar:{p.pillar}" for p in result.pillars if p.maturity is not None]
    for group in result.perspectives:
        cells.append(f"group:{group.perspective}")
        cells += [
            f"group:{group.perspective}:{p}" for p, v in group.pillars.items() if v is not None
        ]
    for gap in result.gaps:
        first, second = sorted((gap.high_perspective, gap.low_perspective))
        cells.append(f"gap:{gap.pillar}:{first}:{second}")
    shown = {cell: _true_contributors(rules, responses, cell) for cell in cells}
    if result.overall_index is not None:
        shown["index"] = frozenset().union(
            *(shown[f"pillar:{p.pillar}"] for p in result.pillars if p.maturity is not None)
        )
    return shown


def _replay(rules: Rules, steps: list[tuple]):
    """Run a history; yield (live result, published result, responses) per publication."""
    responses: list[ResponseInput] = []
    earlier: list[dict] = []
    next_id = 1
    for step in steps:
        if step[0] == "submit":
            responses.append(ResponseInput(next_id, step[1], {}, step[2]))
            next_id += 1
        elif step[0] == "pad":
            answers = {q.code: None for q in rules.questions}
            responses.append(ResponseInput(next_id, step[1], {}, answers))
            next_id += 1
        elif step[0] == "erase" and responses:
            responses.pop(step[1] % len(responses))
        elif step[0] == "publish" and responses:
            live = score_assessment(rules, responses)
            published = disclosure.disclose(rules, responses, live, earlier=earlier)
            earlier.append(published.contributors)
            yield live, published.result, list(responses)


@settings(max_examples=300, deadline=None)
@given(histories())
def test_property_no_shown_figure_or_difference_rests_on_fewer_than_the_threshold(history):
    rules, steps = history
    threshold = rules.anonymity_threshold
    releases = []
    for _live, published, responses in _replay(rules, steps):
        shown = _shown_cells(rules, published, responses)
        for cell, ids in shown.items():
            assert len(ids) >= threshold, (cell, sorted(ids))
        for question in published.questions.values():
            if question.mean is not None and question.distribution_withheld is None:
                assert all(count == 0 or count > 2 for count in question.distribution)
        releases.append(shown)

    for before, after in itertools.combinations(releases, 2):
        for cell in before.keys() & after.keys():
            added, removed = after[cell] - before[cell], before[cell] - after[cell]
            assert len(added) in (0,) or len(added) >= threshold, (cell, added)
            assert len(removed) in (0,) or len(removed) >= threshold, (cell, removed)


@settings(max_examples=200, deadline=None)
@given(histories())
def test_property_suppression_never_changes_the_verdict(history):
    rules, steps = history
    for live, published, _responses in _replay(rules, steps):
        assert published.verdict == live.verdict
        assert published.reasons == live.reasons
        assert published.red_flags == live.red_flags
        assert published.not_established == live.not_established
        assert [(s.kind, s.pillar, s.question, s.target) for s in published.path] == [
            (s.kind, s.pillar, s.question, s.target) for s in live.path
        ]


@settings(max_examples=200, deadline=None)
@given(histories())
def test_property_a_red_flag_from_fewer_than_the_threshold_shows_no_count(history):
    rules, steps = history
    threshold = rules.anonymity_threshold
    for live, published, _responses in _replay(rules, steps):
        for code in live.red_flags:
            if live.questions[code].blockers < threshold:
                question = published.questions[code]
                assert question.withheld is Withheld.FLAG_FROM_FEW
                assert (question.answered, question.blockers, question.mean) == (0, 0, None)
                assert sum(question.distribution) == 0


def test_changes_enough_needs_every_difference_empty_or_at_the_threshold():
    before = frozenset(range(10))

    assert disclosure.changes_enough(before, before, 5)
    assert disclosure.changes_enough(before | {10, 11, 12, 13, 14}, before, 5)
    assert not disclosure.changes_enough(before | {10}, before, 5)
    assert not disclosure.changes_enough(before - {0}, before, 5)
    assert not disclosure.changes_enough((before - {0}) | set(range(10, 15)), before, 5)
