"""Scoring rules beyond the worked example: the minimum behind every figure, blockers and
deciding perspectives, questions that could not be established, perspective routing, the
calibrated verdict, the path to ready, and results stored as data and read back."""

import json

import pytest

from assessments.scoring import (
    AssessmentResult,
    Band,
    BandSettings,
    BenchmarkEntry,
    PathStep,
    PillarRule,
    QuestionRule,
    ReasonKind,
    ResponseInput,
    Rules,
    StepKind,
    Verdict,
    VerdictReason,
    Withheld,
    benchmark,
    compare,
    from_data,
    score_assessment,
    score_response,
    to_data,
)
from assessments.scoring.results import Benchmark, Trend

PILLARS = (
    PillarRule("data", "Data foundation"),
    PillarRule("ethics", "Ethics, legal and governance"),
)


def _response(
    response_id: int, answers: dict, perspective: str = "business", **kwargs
) -> ResponseInput:
    return ResponseInput(response_id, perspective, {}, answers, **kwargs)


# --- a minimum behind every figure ------------------------------------------------------

ETHICS_ONLY = Rules(
    (PillarRule("ethics", "Ethics, legal and governance"),),
    (
        QuestionRule("ethics.policy", "ethics"),
        QuestionRule("ethics.lawful-basis", "ethics", critical=True),
    ),
    anonymity_threshold=3,
)


def test_pillar_resting_on_one_respondent_is_withheld_at_the_threshold() -> None:
    # Two respondents answer don't know everywhere, one answers level 1: "Ethics 25,
    # critical" would be exactly that one person's answers.
    responses = [
        _response(1, {"ethics.policy": None, "ethics.lawful-basis": None}),
        _response(2, {"ethics.policy": None, "ethics.lawful-basis": None}),
        _response(3, {"ethics.policy": 1, "ethics.lawful-basis": 1}),
    ]

    result = score_assessment(ETHICS_ONLY, responses, min_respondents=3)

    ethics = result.pillar("ethics")
    assert (ethics.maturity, ethics.risk, ethics.band) == (None, None, None)
    assert ethics.withheld == Withheld.FEW_ANSWERS
    assert result.questions["ethics.policy"].mean is None
    assert result.questions["ethics.policy"].distribution == (0, 0, 0, 0, 0)
    assert result.questions["ethics.policy"].withheld == Withheld.FEW_ANSWERS
    assert result.overall_index is None
    assert result.verdict is None
    assert result.reasons == (VerdictReason(ReasonKind.WITHHELD, pillars=("ethics",)),)
    assert result.findings == ()


def test_live_view_shows_the_same_pillar_from_one_respondent() -> None:
    responses = [
        _response(1, {"ethics.policy": None}),
        _response(2, {"ethics.policy": None}),
        _response(3, {"ethics.policy": 1, "ethics.lawful-basis": 1}),
    ]

    result = score_assessment(ETHICS_ONLY, responses)

    assert result.pillar("ethics").maturity == 25.0
    assert result.pillar("ethics").withheld is None


def test_red_flag_resting_on_one_answer_is_not_shown_at_the_threshold() -> None:
    responses = [
        _response(1, {"ethics.policy": 3, "ethics.lawful-basis": 0}),
        _response(2, {"ethics.policy": 3}),
        _response(3, {"ethics.policy": 3}),
    ]

    published = score_assessment(ETHICS_ONLY, responses, min_respondents=3)
    live = score_assessment(ETHICS_ONLY, responses)

    assert published.red_flags == ()
    assert published.questions["ethics.lawful-basis"].withheld == Withheld.FEW_ANSWERS
    assert published.pillar("ethics").maturity == 62.5  # three respondents gave a level
    assert live.red_flags == ("ethics.lawful-basis",)


def test_withheld_critical_question_caps_the_verdict_with_a_reason() -> None:
    responses = [
        _response(1, {"ethics.policy": 4, "ethics.lawful-basis": 4}),
        _response(2, {"ethics.policy": 4}),
        _response(3, {"ethics.policy": 4}),
    ]

    result = score_assessment(ETHICS_ONLY, responses, min_respondents=3)

    assert result.verdict == Verdict.READY_WITH_CONDITIONS
    assert result.reasons == (
        VerdictReason(ReasonKind.WITHHELD, questions=("ethics.lawful-basis",)),
    )


def test_min_respondents_below_one_raises() -> None:
    with pytest.raises(ValueError, match="min_respondents must be at least 1"):
        score_assessment(ETHICS_ONLY, [], min_respondents=0)


def test_pillar_secondary_suppression_hides_a_group_cell_revealing_the_hidden_one() -> None:
    # threshold 3: business 3 and leadership 3 give data levels; one "other" respondent
    # (a hidden group) does too. Total minus the two shown cells would reveal that person.
    rules = Rules(
        PILLARS,
        (QuestionRule("data.a", "data"), QuestionRule("ethics.a", "ethics")),
        anonymity_threshold=3,
    )
    responses = [_response(i, {"data.a": 2, "ethics.a": 2}, "business") for i in range(3)]
    responses += [_response(10 + i, {"data.a": 4, "ethics.a": 2}, "leadership") for i in range(4)]
    responses += [_response(20 + i, {"ethics.a": 2}, "data_it") for i in range(3)]
    responses += [_response(30, {"data.a": 0, "ethics.a": 2}, "data_it")]

    groups = {g.perspective: g for g in score_assessment(rules, responses).perspectives}

    # data_it has 4 members (shown) but only 1 gave a data level: its cell is withheld, and
    # business (the smallest remaining) is withheld too so that 1 + 3 = 4 stay hidden.
    assert groups["data_it"].pillars["data"] is None
    assert groups["data_it"].withheld["data"] == Withheld.FEW_ANSWERS
    assert groups["business"].pillars["data"] is None
    assert groups["business"].withheld["data"] == Withheld.SECONDARY
    assert groups["leadership"].pillars["data"] == 100.0
    assert all(g.pillars["ethics"] == 50.0 for g in groups.values())


# --- blockers, deciding perspectives, not established ------------------------------------

LAWFUL = QuestionRule(
    "ethics.lawful-basis",
    "ethics",
    critical=True,
    blocker_below=2,
    deciding_perspectives=("legal_risk",),
)


def _lawful_rules(**settings) -> Rules:
    return Rules(
        (PillarRule("ethics", "Ethics, legal and governance"),),
        (LAWFUL, QuestionRule("ethics.policy", "ethics")),
        **settings,
    )


def test_level_one_blocks_when_blocker_below_is_two() -> None:
    score = score_response(_lawful_rules(), _response(1, {"ethics.lawful-basis": 1}))

    assert score["ethics"].blockers == ("ethics.lawful-basis",)


def test_level_two_does_not_block_when_blocker_below_is_two() -> None:
    score = score_response(_lawful_rules(), _response(1, {"ethics.lawful-basis": 2}))

    assert score["ethics"].blockers == ()


def test_deciding_perspective_blocker_raises_red_flag_though_outvoted() -> None:
    # One lawyer at level 1 against nine optimists at 4: 10% is below the 25% share, but
    # the lawyer's answer on lawful basis decides.
    responses = [_response(1, {"ethics.lawful-basis": 1}, "legal_risk")]
    responses += [_response(i, {"ethics.lawful-basis": 4}) for i in range(2, 11)]

    result = score_assessment(_lawful_rules(), responses)

    lawful = result.questions["ethics.lawful-basis"]
    assert (lawful.red_flag, lawful.red_flag_by_deciding, lawful.blockers) == (True, True, 1)
    assert result.verdict == Verdict.NOT_READY
    assert result.pillar("ethics").band == Band.HIGH


def test_same_blocker_from_another_perspective_is_outvoted() -> None:
    responses = [_response(1, {"ethics.lawful-basis": 1}, "business")]
    responses += [_response(i, {"ethics.lawful-basis": 4}) for i in range(2, 11)]

    result = score_assessment(_lawful_rules(), responses)

    assert result.questions["ethics.lawful-basis"].red_flag is False
    assert result.red_flags == ()


def test_red_flag_by_share_is_not_attributed_to_the_deciding_perspective() -> None:
    responses = [_response(1, {"ethics.lawful-basis": 0}, "legal_risk")]
    responses += [_response(2, {"ethics.lawful-basis": 4})]

    lawful = score_assessment(_lawful_rules(), responses).questions["ethics.lawful-basis"]

    assert (lawful.red_flag, lawful.red_flag_by_deciding) == (True, False)


def test_critical_question_most_could_not_answer_is_not_established() -> None:
    rules = _lawful_rules(not_established_share=0.5)
    responses = [_response(1, {"ethics.lawful-basis": 4, "ethics.policy": 4})]
    responses += [_response(2, {"ethics.lawful-basis": None, "ethics.policy": 4})]
    responses += [_response(3, {"ethics.policy": 4})]  # skipped it

    result = score_assessment(rules, responses)

    assert result.not_established == ("ethics.lawful-basis",)
    assert result.verdict == Verdict.NOT_READY
    assert result.reasons == (
        VerdictReason(ReasonKind.NOT_ESTABLISHED, questions=("ethics.lawful-basis",)),
    )


def test_critical_question_half_could_not_answer_is_established() -> None:
    rules = _lawful_rules(not_established_share=0.5)
    responses = [
        _response(1, {"ethics.lawful-basis": 4, "ethics.policy": 4}),
        _response(2, {"ethics.lawful-basis": None, "ethics.policy": 4}),
    ]

    assert score_assessment(rules, responses).not_established == ()


def test_not_established_rule_is_off_without_a_share() -> None:
    responses = [_response(i, {"ethics.lawful-basis": None, "ethics.policy": 4}) for i in range(3)]

    result = score_assessment(_lawful_rules(), responses)

    assert result.not_established == ()
    assert result.verdict == Verdict.READY


@pytest.mark.parametrize("blocker_below", [0, 5])
def test_blocker_below_outside_one_to_four_raises(blocker_below: int) -> None:
    with pytest.raises(ValueError, match=r"blocker_below must be 1\.\.4"):
        QuestionRule("q", "p", critical=True, blocker_below=blocker_below)


# --- perspective routing ----------------------------------------------------------------

ROUTED = Rules(
    PILLARS,
    (
        QuestionRule("data.inventory", "data"),
        QuestionRule("data.pipeline", "data", perspectives=("data_it",)),
        QuestionRule("ethics.policy", "ethics"),
    ),
    anonymity_threshold=3,
)


def test_question_not_asked_is_neither_dont_know_nor_missing() -> None:
    score = score_response(ROUTED, _response(1, {"data.inventory": 4}, "business"))

    assert score["data"].questions == 1
    assert score["data"].coverage == 1.0
    assert score["data"].maturity == 100.0


def test_respondent_who_sees_all_is_asked_every_question() -> None:
    response = _response(1, {"data.inventory": 4}, "business", sees_all=True)

    score = score_response(ROUTED, response)

    assert score["data"].questions == 2
    assert score["data"].coverage == 0.5


def test_answer_to_a_question_not_asked_is_ignored() -> None:
    score = score_response(ROUTED, _response(1, {"data.inventory": 4, "data.pipeline": 0}))

    assert score["data"].maturity == 100.0


def test_business_pillar_score_is_not_lowered_by_data_it_questions() -> None:
    responses = [_response(i, {"data.inventory": 4, "ethics.policy": 4}) for i in range(3)]

    result = score_assessment(ROUTED, responses)

    assert result.pillar("data").maturity == 100.0
    assert result.pillar("data").coverage == 1.0
    assert result.questions["data.pipeline"].asked == 0


def test_gap_compares_groups_on_the_questions_both_were_asked() -> None:
    # data_it rate the pipeline 0 and the inventory 4 (pillar 50); business rate the
    # inventory 4 (pillar 100). On the one question both were asked they agree.
    responses = [
        _response(i, {"data.inventory": 4, "data.pipeline": 0, "ethics.policy": 2}, "data_it")
        for i in range(3)
    ]
    responses += [
        _response(10 + i, {"data.inventory": 4, "ethics.policy": 2}, "business") for i in range(3)
    ]

    result = score_assessment(ROUTED, responses)

    groups = {g.perspective: g.pillars["data"] for g in result.perspectives}
    assert groups == {"business": 100.0, "data_it": 50.0}
    data_gap = next(g for g in result.gaps if g.pillar == "data")
    assert (data_gap.gap, data_gap.questions) == (0.0, 1)


# --- calibrated verdict (the bands of question bank v2) ---------------------------------

CALIBRATED = Rules(
    (PillarRule("a", "A"), PillarRule("b", "B")),
    (
        QuestionRule("a.one", "a"),
        QuestionRule("a.two", "a"),
        QuestionRule("b.one", "b"),
        QuestionRule("b.two", "b"),
    ),
    bands=BandSettings(moderate=30, high=45, critical=62.5),
    red_flag_share=0.2,
    not_established_share=0.5,
)


def _everyone_at(levels: dict[str, int], respondents: int = 5) -> AssessmentResult:
    return score_assessment(CALIBRATED, [_response(i, levels) for i in range(respondents)])


@pytest.mark.parametrize(
    ("level", "verdict"),
    [(3, Verdict.READY), (2, Verdict.READY_WITH_CONDITIONS), (1, Verdict.NOT_READY)],
)
def test_every_answer_at_one_level_gives_the_calibrated_verdict(level: int, verdict) -> None:
    result = _everyone_at(dict.fromkeys(("a.one", "a.two", "b.one", "b.two"), level))

    assert result.verdict == verdict


def test_one_pillar_averaging_below_level_one_and_a_half_is_not_ready() -> None:
    # a averages level 1.4 across respondents (three at 1, two at 2: risk 65); b is at 4.
    responses = [
        _response(i, {"a.one": level, "a.two": level, "b.one": 4, "b.two": 4})
        for i, level in enumerate([1, 1, 1, 2, 2])
    ]

    result = score_assessment(CALIBRATED, responses)

    assert result.pillar("a").maturity == pytest.approx(35.0)
    assert result.pillar("a").band == Band.CRITICAL
    assert result.verdict == Verdict.NOT_READY


def test_pillar_averaging_level_two_and_a_half_is_only_moderate() -> None:
    result = _everyone_at({"a.one": 2, "a.two": 3, "b.one": 4, "b.two": 4})

    assert result.pillar("a").band == Band.MODERATE
    assert result.verdict == Verdict.READY_WITH_CONDITIONS


# --- path to ready and next steps -------------------------------------------------------


def test_path_from_not_ready_lifts_flags_then_raises_pillars() -> None:
    rules = Rules(
        (PillarRule("a", "A"), PillarRule("b", "B")),
        (QuestionRule("a.flag", "a", critical=True), QuestionRule("b.one", "b")),
        bands=BandSettings(moderate=30, high=45, critical=62.5),
    )
    # a: levels 0 and 4 -> maturity 50, risk 50 (high) and a red flag; b: level 1 -> risk 75.
    responses = [_response(1, {"a.flag": 0, "b.one": 1}), _response(2, {"a.flag": 4, "b.one": 1})]

    result = score_assessment(rules, responses)

    conditions, ready = Verdict.READY_WITH_CONDITIONS, Verdict.READY
    assert result.path == (
        PathStep(StepKind.LIFT_RED_FLAG, conditions, pillar="a", question="a.flag"),
        PathStep(
            StepKind.RAISE_PILLAR,
            conditions,
            pillar="b",
            points=13,
            target_band=Band.HIGH,
            target=37.5,
        ),
        PathStep(
            StepKind.RAISE_PILLAR, ready, pillar="a", points=21, target_band=Band.LOW, target=70
        ),
        PathStep(
            StepKind.RAISE_PILLAR, ready, pillar="b", points=46, target_band=Band.LOW, target=70
        ),
    )


def test_path_is_empty_when_ready() -> None:
    assert _everyone_at(dict.fromkeys(("a.one", "a.two", "b.one", "b.two"), 4)).path == ()


def test_path_asks_for_answers_where_a_pillar_could_not_be_judged() -> None:
    result = _everyone_at({"a.one": 4, "a.two": 4})

    assert result.path == (PathStep(StepKind.JUDGE_PILLAR, Verdict.READY, pillar="b"),)


def test_finding_next_step_is_the_level_above_the_mean_answer() -> None:
    rules = Rules(
        (PillarRule("a", "A"),),
        (QuestionRule("a.one", "a", levels=("none", "some", "written", "checked", "improved")),),
    )
    responses = [_response(1, {"a.one": 2}), _response(2, {"a.one": 3})]  # mean level 2.5

    (finding,) = score_assessment(rules, responses).findings

    assert (finding.next_level, finding.next_step) == (3, "checked")


# --- stored as data ----------------------------------------------------------------------


def test_result_reads_back_equal_after_a_json_round_trip() -> None:
    responses = [
        _response(
            i,
            {"data.inventory": i % 5, "data.pipeline": 2, "ethics.policy": None},
            "data_it" if i % 2 else "business",
        )
        for i in range(8)
    ]
    result = score_assessment(ROUTED, responses, min_respondents=3)

    stored = json.loads(json.dumps(to_data(result)))

    assert from_data(AssessmentResult, stored) == result


def test_trend_and_benchmark_read_back_equal() -> None:
    before = _everyone_at({"a.one": 1, "a.two": 2})
    after = _everyone_at({"a.one": 2, "a.two": 3, "b.one": 1})
    trend = compare(after, before)
    entries = [BenchmarkEntry(org, "retail", {"a": 10.0 * org}) for org in range(1, 6)]
    bench = benchmark(entries, exclude_organisation=99)

    assert from_data(Trend, json.loads(json.dumps(to_data(trend)))) == trend
    assert from_data(Benchmark, json.loads(json.dumps(to_data(bench)))) == bench
