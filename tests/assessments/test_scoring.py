"""Specification of the pure scoring service (assessments/scoring.py).

The worked example at the top can be checked with pencil and paper; the unit tests pin
one rule each; the property tests at the bottom hold for any answers.
"""

import math
import random

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from assessments.method import method_text
from assessments.scoring import (
    PERSPECTIVES,
    AssessmentResult,
    Band,
    BandSettings,
    Benchmark,
    BenchmarkEntry,
    Confidence,
    PerceptionGap,
    PerspectiveGroup,
    PillarRule,
    PillarTrend,
    QuestionResult,
    QuestionRule,
    QuestionTrend,
    ReasonKind,
    ResponseInput,
    ResponsePillarScore,
    Rules,
    TrendStatus,
    Verdict,
    VerdictReason,
    benchmark,
    benchmark_entry,
    compare,
    score_assessment,
    score_response,
)

# --------------------------------------------------------------------------------------
# Worked example: 4 respondents, 2 pillars.
#
#   pillar  weight | question             weight  critical
#   data    1      | data.catalogue       1
#                  | data.quality         2
#                  | data.access          1
#   ethics  3      | ethics.lawful-basis  1       yes
#                  | ethics.policy        1
#
#   answers (dk = don't know, - = not answered)
#                    catalogue quality access | lawful-basis policy | importance data/ethics
#   1 leadership         4        2      4    |      4         4    |   5 / 5
#   2 business           3        dk     3    |      4         4    |   4 / 1
#   3 data_it            0        2      0    |      0         4    |   - / -   (3 / 3)
#   4 legal_risk         1        1      -    |      2         2    |   4 / -   (4 / 3)
#
# Respondent maturity = 100 x sum(weight x level) / (4 x sum of weights answered):
#   data:   1: (4 + 2x2 + 4)/16 = 75   2: (3 + 3)/8 = 75   3: (0 + 2x2 + 0)/16 = 25
#           4: (1 + 1x2)/12 = 25
#   ethics: 1: 8/8 = 100   2: 100   3: (0 + 4)/8 = 50   4: (2 + 2)/8 = 50
# Data:   mean 50, median 50, pstdev 25 (every value 25 from the mean),
#         consensus 100 x (1 - 25/50) = 50, risk 50 -> high (exactly at the threshold),
#         coverage (3/3 + 2/3 + 3/3 + 2/3)/4 = 5/6, 4 respondents -> medium confidence,
#         importance (5 + 4 + 3 + 4)/4 = 4.
# Ethics: mean 75, median 75, pstdev 25, consensus 50, risk 25 -> moderate, but
#         lawful-basis has 1 zero out of 4 levels = 25% >= 25% -> red flag -> band high.
#         coverage 1, importance (5 + 1 + 3 + 3)/4 = 3.
# Overall index = (1 x 50 + 3 x 75)/(1 + 3) = 68.75. Verdict: not ready (red flag).
# --------------------------------------------------------------------------------------

DATA = PillarRule(
    "data", "Data foundation", weight=1.0, recommendations={"high": "Appoint data owners."}
)
ETHICS = PillarRule("ethics", "Ethics, legal and governance", weight=3.0)
METHOD = PillarRule("method", "Delivery methodology")
WORKED_RULES = Rules(
    pillars=(DATA, ETHICS),
    questions=(
        QuestionRule(
            "data.catalogue",
            "data",
            text="Sources are listed in a catalogue with a named owner each.",
            recommendation="Build a data catalogue.",
            references=("ISO/IEC 42001 A.7",),
        ),
        QuestionRule("data.quality", "data", weight=2.0),
        QuestionRule("data.access", "data"),
        QuestionRule("ethics.lawful-basis", "ethics", critical=True, references=("GDPR Art. 6",)),
        QuestionRule("ethics.policy", "ethics"),
    ),
)


def _answers(
    catalogue: int | str | None,
    quality: int | str | None,
    access: int | str | None,
    lawful: int | str | None,
    policy: int | str | None,
) -> dict[str, int | None]:
    given_answers = {
        "data.catalogue": catalogue,
        "data.quality": quality,
        "data.access": access,
        "ethics.lawful-basis": lawful,
        "ethics.policy": policy,
    }
    return {code: level for code, level in given_answers.items() if level != "-"}  # type: ignore[misc]


WORKED_RESPONSES = (
    ResponseInput(1, "leadership", {"data": 5, "ethics": 5}, _answers(4, 2, 4, 4, 4)),
    ResponseInput(2, "business", {"data": 4, "ethics": 1}, _answers(3, None, 3, 4, 4)),
    ResponseInput(3, "data_it", {}, _answers(0, 2, 0, 0, 4)),
    ResponseInput(4, "legal_risk", {"data": 4}, _answers(1, 1, "-", 2, 2)),
)


@pytest.fixture
def worked() -> AssessmentResult:
    return score_assessment(WORKED_RULES, WORKED_RESPONSES)


def test_score_response_worked_example_respondent_with_dont_know() -> None:
    scores = score_response(WORKED_RULES, WORKED_RESPONSES[1])

    assert scores == {
        "data": ResponsePillarScore(
            pillar="data",
            maturity=75.0,
            coverage=2 / 3,
            answered=2,
            dont_know=1,
            questions=3,
            importance=4,
            blockers=(),
        ),
        "ethics": ResponsePillarScore(
            pillar="ethics",
            maturity=100.0,
            coverage=1.0,
            answered=2,
            dont_know=0,
            questions=2,
            importance=1,
            blockers=(),
        ),
    }


def test_score_response_worked_example_lists_critical_zero_as_blocker() -> None:
    scores = score_response(WORKED_RULES, WORKED_RESPONSES[2])

    assert scores["data"].maturity == 25.0
    assert scores["ethics"].maturity == 50.0
    assert scores["ethics"].blockers == ("ethics.lawful-basis",)
    assert scores["ethics"].importance == 3


def test_score_assessment_worked_example_data_pillar(worked: AssessmentResult) -> None:
    data = worked.pillar("data")

    assert data.name == "Data foundation"
    assert data.respondents == 4
    assert data.maturity == 50.0
    assert data.median == 50.0
    assert data.stdev == 25.0
    assert data.consensus == 50.0
    assert data.coverage == pytest.approx(5 / 6)
    assert data.confidence == Confidence.MEDIUM
    assert data.importance == 4.0
    assert data.risk == 50.0
    assert data.band == Band.HIGH
    assert data.band_raised_by_red_flag is False
    assert data.red_flags == ()
    assert data.recommendation == "Appoint data owners."


def test_score_assessment_worked_example_ethics_pillar_raised_by_red_flag(
    worked: AssessmentResult,
) -> None:
    ethics = worked.pillar("ethics")

    assert ethics.maturity == 75.0
    assert ethics.median == 75.0
    assert ethics.stdev == 25.0
    assert ethics.consensus == 50.0
    assert ethics.coverage == 1.0
    assert ethics.importance == 3.0
    assert ethics.risk == 25.0  # the figure stays 100 - maturity...
    assert ethics.band == Band.HIGH  # ...but the band is raised from moderate
    assert ethics.band_raised_by_red_flag is True
    assert ethics.red_flags == ("ethics.lawful-basis",)
    assert ethics.recommendation == ""


def test_score_assessment_worked_example_totals_and_verdict(worked: AssessmentResult) -> None:
    assert worked.respondents == 4
    assert [p.pillar for p in worked.pillars] == ["data", "ethics"]
    assert worked.overall_index == 68.75
    assert worked.red_flags == ("ethics.lawful-basis",)
    assert worked.verdict == Verdict.NOT_READY
    assert worked.reasons == (
        VerdictReason(ReasonKind.RED_FLAGS, questions=("ethics.lawful-basis",)),
    )
    # Every perspective group has 1 respondent, below the default threshold of 5.
    assert worked.perspectives == ()
    assert worked.gaps == ()


def test_score_assessment_worked_example_questions(worked: AssessmentResult) -> None:
    # catalogue: levels 4, 3, 0, 1 -> mean 100 x 8/16 = 50
    # quality:   levels 2, 2, 1 + one don't know -> 100 x 5/12
    # access:    levels 4, 3, 0 (respondent 4 skipped it) -> 100 x 7/12
    # lawful:    levels 4, 4, 0, 2 -> 100 x 10/16 = 62.5; 1 zero in 4 = 25% -> red flag
    # policy:    levels 4, 4, 4, 2 -> 100 x 14/16 = 87.5
    assert list(worked.questions) == [
        "data.catalogue",
        "data.quality",
        "data.access",
        "ethics.lawful-basis",
        "ethics.policy",
    ]
    assert worked.questions["data.catalogue"] == QuestionResult(
        code="data.catalogue",
        pillar="data",
        text="Sources are listed in a catalogue with a named owner each.",
        critical=False,
        asked=4,
        answered=4,
        dont_know=0,
        distribution=(1, 1, 0, 1, 1),
        mean=50.0,
        risk=50.0,
        band=Band.HIGH,
        blockers=0,
        red_flag=False,
        red_flag_by_deciding=False,
        not_established=False,
    )
    quality = worked.questions["data.quality"]
    assert (quality.answered, quality.dont_know) == (3, 1)
    assert quality.distribution == (0, 1, 2, 0, 0)
    assert quality.mean == pytest.approx(500 / 12)
    assert quality.band == Band.HIGH
    access = worked.questions["data.access"]
    assert (access.answered, access.dont_know) == (3, 0)
    assert access.mean == pytest.approx(700 / 12)
    assert access.band == Band.MODERATE
    lawful = worked.questions["ethics.lawful-basis"]
    assert lawful.distribution == (1, 0, 1, 0, 2)
    assert (lawful.mean, lawful.risk, lawful.band, lawful.red_flag) == (
        62.5,
        37.5,
        Band.MODERATE,
        True,
    )
    policy = worked.questions["ethics.policy"]
    assert (policy.mean, policy.risk, policy.band, policy.red_flag) == (
        87.5,
        12.5,
        Band.LOW,
        False,
    )


def test_score_assessment_worked_example_findings(worked: AssessmentResult) -> None:
    # priority = risk x question weight x pillar weight x importance / 3
    #   lawful-basis 37.5  x 1 x 3 x 3/3 = 112.5   (red flag: first whatever its priority)
    #   quality      58.33 x 2 x 1 x 4/3 = 155.56
    #   catalogue    50    x 1 x 1 x 4/3 =  66.67
    #   access       41.67 x 1 x 1 x 4/3 =  55.56
    #   policy       12.5  x 1 x 3 x 3/3 =  37.5
    findings = worked.findings

    assert [f.question for f in findings] == [
        "ethics.lawful-basis",
        "data.quality",
        "data.catalogue",
        "data.access",
        "ethics.policy",
    ]
    assert [f.priority for f in findings] == pytest.approx(
        [112.5, 1400 / 9, 200 / 3, 500 / 9, 37.5]
    )
    assert [f.red_flag for f in findings] == [True, False, False, False, False]
    catalogue = findings[2]
    assert catalogue.pillar == "data"
    assert catalogue.text == "Sources are listed in a catalogue with a named owner each."
    assert catalogue.recommendation == "Build a data catalogue."
    assert catalogue.references == ("ISO/IEC 42001 A.7",)
    assert (catalogue.score, catalogue.risk, catalogue.band) == (50.0, 50.0, Band.HIGH)


# --------------------------------------------------------------------------------------
# A simple questionnaire for unit tests: one question per pillar, weight 1, so that
# maturity = 25 x level and risk = 100 - 25 x level.
# --------------------------------------------------------------------------------------

SIMPLE = Rules(
    pillars=(
        PillarRule("data", "Data foundation"),
        PillarRule("ethics", "Ethics, legal and governance"),
        PillarRule("skills", "Skills and talent"),
    ),
    questions=(
        QuestionRule("data.catalogue", "data"),
        QuestionRule("ethics.lawful-basis", "ethics", critical=True),
        QuestionRule("skills.llmops", "skills"),
    ),
)


def _simple(
    response_id: int,
    data: int | None,
    ethics: int | None,
    skills: int | None,
    perspective: str = "business",
) -> ResponseInput:
    return ResponseInput(
        response_id,
        perspective,
        {},
        {"data.catalogue": data, "ethics.lawful-basis": ethics, "skills.llmops": skills},
    )


def _only(
    response_id: int, code: str, level: int | None, perspective: str = "business"
) -> ResponseInput:
    return ResponseInput(response_id, perspective, {}, {code: level})


# --- bands -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("risk", "band"),
    [
        (0.0, Band.LOW),
        (24.999, Band.LOW),
        (25.0, Band.MODERATE),
        (49.999, Band.MODERATE),
        (50.0, Band.HIGH),
        (74.999, Band.HIGH),
        (75.0, Band.CRITICAL),
        (100.0, Band.CRITICAL),
    ],
)
def test_band_settings_band_at_and_around_thresholds(risk: float, band: Band) -> None:
    assert BandSettings().band(risk) == band


def test_band_settings_band_ignores_float_noise_below_threshold() -> None:
    assert BandSettings().band(25.0 - 1e-12) == Band.MODERATE


def test_band_settings_custom_thresholds() -> None:
    bands = BandSettings(moderate=10, high=20, critical=30)

    assert [bands.band(r) for r in (9.9, 10, 20, 30)] == [
        Band.LOW,
        Band.MODERATE,
        Band.HIGH,
        Band.CRITICAL,
    ]


@pytest.mark.parametrize(
    "thresholds", [(0, 50, 75), (50, 25, 75), (25, 50, 50), (25, 50, 101), (math.nan, 50, 75)]
)
def test_band_settings_invalid_thresholds_raise(thresholds: tuple[float, float, float]) -> None:
    with pytest.raises(ValueError, match="0 < moderate < high < critical <= 100"):
        BandSettings(*thresholds)


def test_band_rank_orders_low_to_critical() -> None:
    assert [b.rank for b in (Band.LOW, Band.MODERATE, Band.HIGH, Band.CRITICAL)] == [0, 1, 2, 3]
    assert max([Band.MODERATE, Band.CRITICAL, Band.HIGH], key=lambda b: b.rank) == Band.CRITICAL


# --- rules validation --------------------------------------------------------------------


def test_rules_anonymity_threshold_below_three_raises() -> None:
    with pytest.raises(ValueError, match="never below 3"):
        Rules(SIMPLE.pillars, SIMPLE.questions, anonymity_threshold=2)


def test_rules_anonymity_threshold_three_is_allowed() -> None:
    assert Rules(SIMPLE.pillars, SIMPLE.questions, anonymity_threshold=3).anonymity_threshold == 3


def test_rules_question_of_unknown_pillar_raises() -> None:
    with pytest.raises(ValueError, match="unknown pillar people"):
        Rules(SIMPLE.pillars, (QuestionRule("people.q", "people"),))


def test_rules_duplicate_question_code_raises() -> None:
    with pytest.raises(ValueError, match="Question codes must be unique"):
        Rules(SIMPLE.pillars, (QuestionRule("q", "data"), QuestionRule("q", "ethics")))


def test_rules_red_flag_share_above_one_raises() -> None:
    with pytest.raises(ValueError, match="red_flag_share"):
        Rules(SIMPLE.pillars, SIMPLE.questions, red_flag_share=1.5)


def test_question_rule_zero_weight_raises() -> None:
    with pytest.raises(ValueError, match="weight must be > 0"):
        QuestionRule("q", "data", weight=0)


def test_pillar_rule_recommendation_for_unknown_band_raises() -> None:
    with pytest.raises(ValueError, match="unknown bands"):
        PillarRule("data", "Data", recommendations={"severe": "..."})


def test_rules_lookups_by_code() -> None:
    assert WORKED_RULES.question("data.quality").weight == 2.0
    assert WORKED_RULES.pillar("ethics").name == "Ethics, legal and governance"
    assert [q.code for q in WORKED_RULES.questions_by_pillar["ethics"]] == [
        "ethics.lawful-basis",
        "ethics.policy",
    ]


# --- one response ------------------------------------------------------------------------


def test_score_response_dont_know_lowers_coverage_not_maturity() -> None:
    rules = Rules(
        (DATA,), (QuestionRule("a", "data"), QuestionRule("b", "data"), QuestionRule("c", "data"))
    )
    answered = score_response(rules, ResponseInput(1, "business", {}, {"a": 4, "b": 2}))
    with_dont_know = score_response(
        rules, ResponseInput(1, "business", {}, {"a": 4, "b": 2, "c": None})
    )

    assert answered["data"].maturity == with_dont_know["data"].maturity == 75.0
    assert answered["data"].coverage == with_dont_know["data"].coverage == pytest.approx(2 / 3)
    assert (answered["data"].dont_know, with_dont_know["data"].dont_know) == (0, 1)


def test_score_response_dont_know_instead_of_level_lowers_coverage() -> None:
    rules = Rules((DATA,), (QuestionRule("a", "data"), QuestionRule("b", "data")))
    both = score_response(rules, ResponseInput(1, "business", {}, {"a": 4, "b": 0}))
    one = score_response(rules, ResponseInput(1, "business", {}, {"a": 4, "b": None}))

    assert (both["data"].maturity, both["data"].coverage) == (50.0, 1.0)
    assert (one["data"].maturity, one["data"].coverage) == (100.0, 0.5)


def test_score_response_only_dont_know_has_no_maturity() -> None:
    scores = score_response(SIMPLE, _simple(1, None, None, None))

    assert scores["data"].maturity is None
    assert scores["data"].coverage == 0.0
    assert scores["data"].dont_know == 1


def test_score_response_weighted_mean_of_levels() -> None:
    # (1 x 4 + 3 x 0) / (4 x (1 + 3)) = 4/16 = 25
    rules = Rules((DATA,), (QuestionRule("a", "data"), QuestionRule("b", "data", weight=3)))

    scores = score_response(rules, ResponseInput(1, "business", {}, {"a": 4, "b": 0}))

    assert scores["data"].maturity == 25.0


def test_score_response_unknown_question_codes_are_ignored() -> None:
    response = ResponseInput(1, "business", {}, {"data.catalogue": 4, "old.question": 9})

    assert score_response(SIMPLE, response)["data"].maturity == 100.0


@pytest.mark.parametrize("level", [-1, 5, 2.5, "3"])
def test_score_response_invalid_level_raises(level: object) -> None:
    response = ResponseInput(7, "business", {}, {"data.catalogue": level})  # type: ignore[dict-item]

    with pytest.raises(ValueError, match=r"Response 7: level .* of data\.catalogue is not 0\.\.4"):
        score_response(SIMPLE, response)


@pytest.mark.parametrize("rating", [0, 6])
def test_score_response_invalid_importance_raises(rating: int) -> None:
    response = ResponseInput(7, "business", {"data": rating}, {})

    with pytest.raises(ValueError, match="importance"):
        score_response(SIMPLE, response)


def test_score_assessment_invalid_level_raises() -> None:
    with pytest.raises(ValueError, match=r"not 0\.\.4"):
        score_assessment(SIMPLE, [_simple(1, 4, 4, 4), _simple(2, 4, 8, 4)])


# --- assessment pillars ------------------------------------------------------------------


def test_score_assessment_empty_responses() -> None:
    result = score_assessment(SIMPLE, [])

    assert result.respondents == 0
    assert result.overall_index is None
    assert result.verdict is None
    assert result.reasons == (VerdictReason(ReasonKind.NO_RESPONSES),)
    assert result.red_flags == ()
    assert result.findings == ()
    assert result.perspectives == ()
    data = result.pillar("data")
    assert (data.maturity, data.risk, data.band, data.consensus) == (None, None, None, None)
    assert (data.coverage, data.respondents, data.importance) == (0.0, 0, None)
    assert data.confidence == Confidence.LOW
    assert result.questions["data.catalogue"].distribution == (0, 0, 0, 0, 0)
    assert result.questions["data.catalogue"].mean is None


def test_score_assessment_only_dont_know_gives_no_verdict() -> None:
    result = score_assessment(SIMPLE, [_simple(1, None, None, None)])

    assert result.verdict is None
    assert result.reasons == (VerdictReason(ReasonKind.NO_LEVELS),)
    assert result.pillar("data").coverage == 0.0
    assert result.questions["data.catalogue"].dont_know == 1


def test_score_assessment_single_respondent_has_zero_stdev_and_no_consensus() -> None:
    data = score_assessment(SIMPLE, [_simple(1, 3, 4, 4)]).pillar("data")

    assert (data.maturity, data.median, data.stdev, data.consensus) == (75.0, 75.0, 0.0, None)


def test_score_assessment_consensus_clamped_at_zero_for_widest_split() -> None:
    # maturities 0 and 100: pstdev 50 -> consensus 100 x (1 - 50/50) = 0
    data = score_assessment(SIMPLE, [_simple(1, 0, 4, 4), _simple(2, 4, 4, 4)]).pillar("data")

    assert (data.maturity, data.stdev, data.consensus) == (50.0, 50.0, 0.0)


def test_score_assessment_median_of_odd_count() -> None:
    # maturities 0, 75, 100: median 75, mean 175/3
    responses = [_simple(1, 0, 4, 4), _simple(2, 3, 4, 4), _simple(3, 4, 4, 4)]

    data = score_assessment(SIMPLE, responses).pillar("data")

    assert data.median == 75.0
    assert data.maturity == pytest.approx(175 / 3)
    # deviations from 175/3: -175/3, 50/3, 125/3 -> pstdev = sqrt((175² + 50² + 125²)/27)
    assert data.stdev == pytest.approx(math.sqrt((175**2 + 50**2 + 125**2) / 27))


def test_score_assessment_coverage_counts_responses_without_a_level() -> None:
    # two responses: one answered data, the other said don't know -> coverage (1 + 0)/2
    data = score_assessment(SIMPLE, [_simple(1, 4, 4, 4), _simple(2, None, 4, 4)]).pillar("data")

    assert (data.respondents, data.coverage, data.maturity) == (1, 0.5, 100.0)


def test_score_assessment_importance_missing_counts_as_three() -> None:
    responses = [
        ResponseInput(1, "business", {"data": 5}, {"data.catalogue": 2}),
        ResponseInput(2, "business", {}, {"data.catalogue": 2}),
    ]

    assert score_assessment(SIMPLE, responses).pillar("data").importance == 4.0


@pytest.mark.parametrize(
    ("respondents", "levels", "confidence"),
    [
        (8, {"a": 4, "b": 4, "c": 4, "d": 4, "e": 4}, Confidence.HIGH),  # 8, coverage 1
        (8, {"a": 4, "b": 4, "c": 4, "d": 4}, Confidence.HIGH),  # coverage 0.8 exactly
        (8, {"a": 4, "b": 4, "c": 4}, Confidence.MEDIUM),  # coverage 0.6
        (7, {"a": 4, "b": 4, "c": 4, "d": 4, "e": 4}, Confidence.MEDIUM),
        (3, {"a": 4, "b": 4, "c": 4}, Confidence.MEDIUM),
        (3, {"a": 4, "b": 4}, Confidence.LOW),  # coverage 0.4
        (2, {"a": 4, "b": 4, "c": 4, "d": 4, "e": 4}, Confidence.LOW),
    ],
)
def test_score_assessment_confidence_from_respondents_and_coverage(
    respondents: int, levels: dict[str, int], confidence: Confidence
) -> None:
    rules = Rules((DATA,), tuple(QuestionRule(code, "data") for code in "abcde"))
    responses = [ResponseInput(i, "business", {}, levels) for i in range(respondents)]

    assert score_assessment(rules, responses).pillar("data").confidence == confidence


def test_score_assessment_overall_index_skips_pillars_without_data() -> None:
    rules = Rules(
        (PillarRule("data", "Data", weight=1), PillarRule("ethics", "Ethics", weight=3)),
        (QuestionRule("data.q", "data"), QuestionRule("ethics.q", "ethics")),
    )

    result = score_assessment(rules, [ResponseInput(1, "business", {}, {"data.q": 2})])

    assert result.overall_index == 50.0


def test_score_assessment_pillar_accessor_unknown_code_raises() -> None:
    with pytest.raises(KeyError):
        score_assessment(SIMPLE, []).pillar("nope")


def test_score_assessment_duplicate_response_id_raises() -> None:
    with pytest.raises(ValueError, match="Response 1 is given more than once"):
        score_assessment(SIMPLE, [_simple(1, 4, 4, 4), _simple(1, 3, 3, 3)])


def test_score_assessment_accepts_a_generator() -> None:
    result = score_assessment(SIMPLE, (_simple(i, 4, 4, 4) for i in range(3)))

    assert result.respondents == 3


# --- red flags ---------------------------------------------------------------------------


def test_red_flag_at_exact_share_raises_band_to_high() -> None:
    # 1 zero out of 4 levels = 25%; maturity (0 + 100 x 3)/4 = 75 -> risk 25 -> moderate -> high
    responses = [_only(1, "ethics.lawful-basis", 0)] + [
        _only(i, "ethics.lawful-basis", 4) for i in range(2, 5)
    ]

    result = score_assessment(SIMPLE, responses)

    ethics = result.pillar("ethics")
    assert result.questions["ethics.lawful-basis"].red_flag is True
    assert (ethics.risk, ethics.band, ethics.band_raised_by_red_flag) == (25.0, Band.HIGH, True)
    assert result.red_flags == ("ethics.lawful-basis",)


def test_red_flag_below_share_is_not_raised() -> None:
    # 1 zero out of 5 levels = 20% < 25%; maturity 80 -> risk 20 -> low
    responses = [_only(1, "ethics.lawful-basis", 0)] + [
        _only(i, "ethics.lawful-basis", 4) for i in range(2, 6)
    ]

    result = score_assessment(SIMPLE, responses)

    assert result.questions["ethics.lawful-basis"].red_flag is False
    assert result.pillar("ethics").band == Band.LOW
    assert result.red_flags == ()


def test_red_flag_share_ignores_dont_know() -> None:
    # 1 zero out of 4 levels (the 2 don't knows do not count) = 25%
    responses = [_only(1, "ethics.lawful-basis", 0)]
    responses += [_only(i, "ethics.lawful-basis", 4) for i in range(2, 5)]
    responses += [_only(i, "ethics.lawful-basis", None) for i in range(5, 7)]

    assert score_assessment(SIMPLE, responses).red_flags == ("ethics.lawful-basis",)


def test_red_flag_custom_share() -> None:
    rules = Rules(SIMPLE.pillars, SIMPLE.questions, red_flag_share=0.2)
    responses = [_only(1, "ethics.lawful-basis", 0)] + [
        _only(i, "ethics.lawful-basis", 4) for i in range(2, 6)
    ]

    assert score_assessment(rules, responses).red_flags == ("ethics.lawful-basis",)


def test_red_flag_never_from_non_critical_question() -> None:
    result = score_assessment(SIMPLE, [_only(1, "data.catalogue", 0)])

    assert result.questions["data.catalogue"].red_flag is False
    assert result.pillar("data").band == Band.CRITICAL
    assert result.pillar("data").band_raised_by_red_flag is False


def test_red_flag_keeps_critical_band_unraised() -> None:
    result = score_assessment(SIMPLE, [_only(1, "ethics.lawful-basis", 0)])

    ethics = result.pillar("ethics")
    assert (ethics.band, ethics.band_raised_by_red_flag) == (Band.CRITICAL, False)
    assert ethics.red_flags == ("ethics.lawful-basis",)


# --- verdict -----------------------------------------------------------------------------


def test_verdict_ready_when_every_pillar_low() -> None:
    result = score_assessment(SIMPLE, [_simple(1, 4, 4, 4), _simple(2, 4, 3, 4)])

    # ethics: (100 + 75)/2 = 87.5 -> risk 12.5 -> low
    assert result.verdict == Verdict.READY
    assert result.reasons == (VerdictReason(ReasonKind.ALL_LOW),)


def test_verdict_ready_with_conditions_for_moderate_pillar() -> None:
    result = score_assessment(SIMPLE, [_simple(1, 3, 4, 4)])

    assert result.verdict == Verdict.READY_WITH_CONDITIONS
    assert result.reasons == (VerdictReason(ReasonKind.MODERATE_RISK, pillars=("data",)),)


def test_verdict_ready_with_conditions_for_high_and_moderate_pillars() -> None:
    result = score_assessment(SIMPLE, [_simple(1, 2, 3, 3)])

    assert result.verdict == Verdict.READY_WITH_CONDITIONS
    assert result.reasons == (
        VerdictReason(ReasonKind.HIGH_RISK, pillars=("data",)),
        VerdictReason(ReasonKind.MODERATE_RISK, pillars=("ethics", "skills")),
    )


def test_verdict_not_assessed_pillar_caps_at_ready_with_conditions() -> None:
    result = score_assessment(SIMPLE, [_simple(1, 4, 4, None)])

    assert result.verdict == Verdict.READY_WITH_CONDITIONS
    assert result.reasons == (VerdictReason(ReasonKind.NOT_ASSESSED, pillars=("skills",)),)


def test_verdict_not_assessed_pillar_named_with_moderate_pillar() -> None:
    result = score_assessment(SIMPLE, [_simple(1, 3, 4, None)])

    assert result.reasons == (
        VerdictReason(ReasonKind.MODERATE_RISK, pillars=("data",)),
        VerdictReason(ReasonKind.NOT_ASSESSED, pillars=("skills",)),
    )


def test_verdict_not_ready_for_critical_pillar() -> None:
    result = score_assessment(SIMPLE, [_simple(1, 1, 4, 4)])

    assert result.verdict == Verdict.NOT_READY
    assert result.reasons == (VerdictReason(ReasonKind.CRITICAL_RISK, pillars=("data",)),)


def test_verdict_not_ready_for_critical_pillar_and_red_flag() -> None:
    rules = Rules(
        (PillarRule("ethics", "Ethics, legal and governance"),),
        (QuestionRule("ethics.lawful-basis", "ethics", critical=True),),
    )

    result = score_assessment(rules, [_only(1, "ethics.lawful-basis", 0)])

    assert result.verdict == Verdict.NOT_READY
    assert result.reasons == (
        VerdictReason(ReasonKind.CRITICAL_RISK, pillars=("ethics",)),
        VerdictReason(ReasonKind.RED_FLAGS, questions=("ethics.lawful-basis",)),
    )


def test_verdict_not_ready_for_red_flag_alone_in_low_pillar() -> None:
    # With a 10% share, 1 zero in 10 flags the question though ethics sits at 90 (low risk).
    rules = Rules(SIMPLE.pillars, SIMPLE.questions, red_flag_share=0.1)
    responses = [_simple(1, 4, 0, 4)] + [_simple(i, 4, 4, 4) for i in range(2, 11)]

    result = score_assessment(rules, responses)

    assert result.pillar("ethics").risk == pytest.approx(10.0)
    assert result.pillar("ethics").band == Band.HIGH
    assert result.verdict == Verdict.NOT_READY
    assert result.reasons == (
        VerdictReason(ReasonKind.RED_FLAGS, questions=("ethics.lawful-basis",)),
    )


def test_verdict_reason_lists_several_red_flags() -> None:
    rules = Rules(
        (PillarRule("ethics", "Ethics"),),
        (
            QuestionRule("ethics.a", "ethics", critical=True),
            QuestionRule("ethics.b", "ethics", critical=True),
            QuestionRule("ethics.c", "ethics"),
        ),
    )
    response = ResponseInput(1, "business", {}, {"ethics.a": 0, "ethics.b": 0, "ethics.c": 4})

    result = score_assessment(rules, [response])

    # maturity 4/12 = 33.3 -> risk 66.7 -> high, not critical
    assert result.reasons == (
        VerdictReason(ReasonKind.RED_FLAGS, questions=("ethics.a", "ethics.b")),
    )


# --- perspectives and anonymity ----------------------------------------------------------


def _group(start: int, size: int, perspective: str, level: int = 4) -> list[ResponseInput]:
    return [_simple(start + i, level, 4, 4, perspective) for i in range(size)]


def test_perspectives_groups_at_threshold_are_shown_with_gap() -> None:
    responses = _group(0, 5, "business", level=2) + _group(10, 5, "leadership", level=4)

    result = score_assessment(SIMPLE, responses)

    assert result.perspectives == (
        PerspectiveGroup("leadership", 5, {"data": 100.0, "ethics": 100.0, "skills": 100.0}),
        PerspectiveGroup("business", 5, {"data": 50.0, "ethics": 100.0, "skills": 100.0}),
    )
    assert result.hidden_respondents == 0
    assert result.gaps[0] == PerceptionGap("data", "leadership", 100.0, "business", 50.0, 50.0, 1)
    # the other pillars agree: gap 0, in pillar order
    assert [(g.pillar, g.gap) for g in result.gaps] == [
        ("data", 50.0),
        ("ethics", 0.0),
        ("skills", 0.0),
    ]


def test_perspectives_small_group_suppresses_smallest_other_group() -> None:
    # threshold 5, groups 6/6/2: data_it (2) is hidden; 2 < 5 hidden respondents could be
    # worked out from the total, so the smallest shown group is hidden too: business and
    # leadership tie at 6, business comes first by name.
    responses = _group(0, 6, "business") + _group(10, 6, "leadership") + _group(20, 2, "data_it")

    result = score_assessment(SIMPLE, responses)

    assert [(g.perspective, g.respondents) for g in result.perspectives] == [("leadership", 6)]
    assert result.gaps == ()


def test_perspectives_secondary_suppression_takes_smallest_group() -> None:
    # groups 7/5/4: hide 4 (< 5), then 5 more -> 9 hidden; 7 shown
    responses = _group(0, 7, "business") + _group(10, 5, "leadership") + _group(20, 4, "data_it")

    result = score_assessment(SIMPLE, responses)

    assert [(g.perspective, g.respondents) for g in result.perspectives] == [("business", 7)]


def test_perspectives_hidden_groups_reaching_threshold_need_no_secondary_suppression() -> None:
    # groups 6/6/3/3: the two small groups hide 6 >= 5 respondents together
    responses = (
        _group(0, 6, "business")
        + _group(10, 6, "leadership")
        + _group(20, 3, "data_it")
        + _group(30, 3, "legal_risk")
    )

    result = score_assessment(SIMPLE, responses)

    assert [(g.perspective, g.respondents) for g in result.perspectives] == [
        ("leadership", 6),
        ("business", 6),
    ]


def test_perspectives_all_groups_below_threshold_show_nothing() -> None:
    responses = _group(0, 4, "business") + _group(10, 4, "leadership")

    result = score_assessment(SIMPLE, responses)

    assert result.perspectives == ()
    assert result.gaps == ()


def test_perspectives_lower_threshold_shows_small_groups() -> None:
    rules = Rules(SIMPLE.pillars, SIMPLE.questions, anonymity_threshold=3)
    responses = _group(0, 3, "business", level=1) + _group(10, 3, "people_hr", level=3)

    result = score_assessment(rules, responses)

    assert [(g.perspective, g.pillars["data"]) for g in result.perspectives] == [
        ("business", 25.0),
        ("people_hr", 75.0),
    ]
    assert result.gaps[0] == PerceptionGap("data", "people_hr", 75.0, "business", 25.0, 50.0, 1)


def test_perspectives_group_without_data_in_pillar_has_none_and_no_gap() -> None:
    responses = [_simple(i, 4, 4, None, "business") for i in range(5)]
    responses += [_simple(i, 2, 4, 4, "leadership") for i in range(10, 15)]

    result = score_assessment(SIMPLE, responses)

    business = result.perspectives[1]
    assert business.perspective == "business"
    assert business.pillars["skills"] is None
    assert [g.pillar for g in result.gaps] == ["data", "ethics"]


def test_perspectives_pillar_figure_resting_on_fewer_than_threshold_is_hidden() -> None:
    # business has 5 members, but only 4 gave a level in skills: that figure would expose
    # fewer people than the threshold allows, so it is hidden and makes no gap.
    responses = [_simple(i, 4, 4, 4 if i else None, "business") for i in range(5)]
    responses += [_simple(i, 2, 4, 4, "leadership") for i in range(10, 15)]

    result = score_assessment(SIMPLE, responses)

    business = result.perspectives[1]
    assert business.pillars == {"data": 100.0, "ethics": 100.0, "skills": None}
    assert [g.pillar for g in result.gaps] == ["data", "ethics"]


# --- findings ----------------------------------------------------------------------------


def test_findings_red_flag_first_then_priority_then_question_order() -> None:
    rules = Rules(
        (PillarRule("p", "P"),),
        (
            QuestionRule("p.flag", "p", critical=True),
            QuestionRule("p.tie-a", "p"),
            QuestionRule("p.tie-b", "p"),
            QuestionRule("p.heavy", "p", weight=3),
            QuestionRule("p.done", "p"),
        ),
    )
    # flag: levels 0, 4 -> risk 50, priority 50, red flag (50% >= 25%)
    # tie-a, tie-b: level 2 both -> risk 50, priority 50
    # heavy: level 3 -> risk 25 x 3 = 75
    # done: level 4 -> risk 0 -> no finding
    responses = [
        ResponseInput(
            1, "business", {}, {"p.flag": 0, "p.tie-a": 2, "p.tie-b": 2, "p.heavy": 3, "p.done": 4}
        ),
        ResponseInput(
            2, "business", {}, {"p.flag": 4, "p.tie-a": 2, "p.tie-b": 2, "p.heavy": 3, "p.done": 4}
        ),
    ]

    findings = score_assessment(rules, responses).findings

    assert [(f.question, f.priority) for f in findings] == [
        ("p.flag", 50.0),
        ("p.heavy", 75.0),
        ("p.tie-a", 50.0),
        ("p.tie-b", 50.0),
    ]


def test_findings_importance_and_pillar_weight_scale_priority() -> None:
    rules = Rules(
        (PillarRule("a", "A", weight=2), PillarRule("b", "B")),
        (QuestionRule("a.q", "a"), QuestionRule("b.q", "b")),
    )
    response = ResponseInput(1, "business", {"a": 1, "b": 5}, {"a.q": 2, "b.q": 2})

    findings = score_assessment(rules, [response]).findings

    # a: 50 x 1 x 2 x 1/3 = 33.3; b: 50 x 1 x 1 x 5/3 = 83.3
    assert [(f.question, f.priority) for f in findings] == [
        ("b.q", pytest.approx(250 / 3)),
        ("a.q", pytest.approx(100 / 3)),
    ]


# --- trend -------------------------------------------------------------------------------


def test_compare_new_removed_and_compared_questions() -> None:
    previous_rules = Rules(
        (DATA,), (QuestionRule("data.a", "data"), QuestionRule("data.old", "data"))
    )
    current_rules = Rules(
        (DATA,),
        (
            QuestionRule("data.a", "data"),
            QuestionRule("data.new", "data"),
            QuestionRule("data.silent", "data"),
        ),
    )
    previous = score_assessment(
        previous_rules, [ResponseInput(1, "business", {}, {"data.a": 2, "data.old": 4})]
    )
    current = score_assessment(
        current_rules, [ResponseInput(1, "business", {}, {"data.a": 3, "data.new": 1})]
    )

    trend = compare(current, previous)

    assert trend.questions == (
        QuestionTrend("data.a", 50.0, 75.0, 25.0, TrendStatus.COMPARED),
        QuestionTrend("data.new", None, 25.0, None, TrendStatus.NEW),
        QuestionTrend("data.old", 100.0, None, None, TrendStatus.REMOVED),
    )
    # previous data: (2 + 4)/8 = 75; current data: (3 + 1)/8 = 50
    assert trend.pillars == (
        PillarTrend("data", 75.0, 50.0, -25.0, Band.MODERATE, Band.HIGH, TrendStatus.COMPARED),
    )
    assert (trend.overall_previous, trend.overall_current, trend.overall_delta) == (
        75.0,
        50.0,
        -25.0,
    )


def test_compare_question_without_data_on_one_side_is_left_out() -> None:
    # skills.llmops exists in both assessments; a figure on one side only compares nothing.
    previous = score_assessment(SIMPLE, [_simple(1, 4, 4, None)])
    current = score_assessment(SIMPLE, [_simple(1, 4, 4, 2)])

    trend = compare(current, previous)

    assert [q.code for q in trend.questions] == ["data.catalogue", "ethics.lawful-basis"]
    assert [p.pillar for p in trend.pillars] == ["data", "ethics"]


def test_compare_withheld_figure_is_left_out() -> None:
    previous = score_assessment(SIMPLE, [_simple(i, 2, 2, 2) for i in range(3)])
    current = score_assessment(SIMPLE, [_simple(i, 3, 3, 3) for i in range(2)], min_respondents=3)

    trend = compare(current, previous)

    assert trend.questions == ()
    assert trend.pillars == ()
    assert trend.overall_delta is None


def test_compare_leaves_out_items_without_data_on_either_side() -> None:
    previous = score_assessment(SIMPLE, [_simple(1, 4, 4, None)])
    current = score_assessment(SIMPLE, [_simple(1, 3, 4, None)])

    trend = compare(current, previous)

    assert [q.code for q in trend.questions] == ["data.catalogue", "ethics.lawful-basis"]
    assert [p.pillar for p in trend.pillars] == ["data", "ethics"]
    assert trend.pillars[0].delta == -25.0


def test_compare_a_question_whose_code_changed_but_not_its_text_is_compared() -> None:
    # Version 2 moved the incident question from ethics to method: one question, asked
    # both times, neither added nor no longer asked.
    incident = "How would an incident caused by the AI system be handled?"
    previous_rules = Rules(
        (DATA, ETHICS),
        (QuestionRule("data.a", "data"), QuestionRule("ethics.incidents", "ethics", text=incident)),
    )
    current_rules = Rules(
        (DATA, METHOD),
        (QuestionRule("data.a", "data"), QuestionRule("method.incidents", "method", text=incident)),
    )
    previous = score_assessment(
        previous_rules, [ResponseInput(1, "business", {}, {"data.a": 2, "ethics.incidents": 1})]
    )
    current = score_assessment(
        current_rules, [ResponseInput(1, "business", {}, {"data.a": 2, "method.incidents": 3})]
    )

    trend = compare(current, previous)

    assert trend.questions == (
        QuestionTrend("data.a", 50.0, 50.0, 0.0, TrendStatus.COMPARED),
        QuestionTrend(
            "method.incidents", 25.0, 75.0, 50.0, TrendStatus.COMPARED, "ethics.incidents"
        ),
    )


@given(
    before=st.lists(st.sampled_from("abcdef"), unique=True),
    now=st.lists(st.sampled_from("abcdef"), unique=True),
    texts=st.lists(st.sampled_from(["How?", "Who?", "When?"]), min_size=6, max_size=6),
)
@settings(max_examples=60, deadline=None)
def test_compare_never_lists_a_question_as_both_added_and_no_longer_asked(
    before: list[str], now: list[str], texts: list[str]
) -> None:
    """Whatever the codes and texts of two versions, no code and no text is both."""
    text = dict(zip("abcdef", texts, strict=True))

    def scored(codes: list[str], pillar: str) -> AssessmentResult:
        rules = Rules(
            (PillarRule(pillar, pillar),),
            tuple(QuestionRule(f"{pillar}.{c}", pillar, text=text[c]) for c in codes)
            or (QuestionRule(f"{pillar}.none", pillar),),
        )
        answers = {question.code: 2 for question in rules.questions}
        return score_assessment(rules, [ResponseInput(1, "business", {}, answers)])

    previous, current = scored(before, "data"), scored(now, "method")

    trend = compare(current, previous)

    added = {q.code for q in trend.questions if q.status == TrendStatus.NEW}
    removed = {q.code for q in trend.questions if q.status == TrendStatus.REMOVED}
    added_texts = {current.questions[code].text for code in added}
    removed_texts = {previous.questions[code].text for code in removed}
    assert not added & removed
    assert not (added_texts & removed_texts) - {""}


def test_compare_gives_the_index_over_the_questions_asked_both_times() -> None:
    previous_rules = Rules(
        (DATA, ETHICS),
        (
            QuestionRule("data.a", "data"),
            QuestionRule("data.old", "data"),
            QuestionRule("ethics.a", "ethics"),
        ),
    )
    current_rules = Rules(
        (DATA, ETHICS),
        (
            QuestionRule("data.a", "data"),
            QuestionRule("data.new", "data"),
            QuestionRule("ethics.a", "ethics"),
        ),
    )
    previous = score_assessment(
        previous_rules,
        [ResponseInput(1, "business", {}, {"data.a": 1, "data.old": 0, "ethics.a": 2})],
    )
    current = score_assessment(
        current_rules,
        [ResponseInput(1, "business", {}, {"data.a": 3, "data.new": 4, "ethics.a": 2})],
    )

    trend = compare(current, previous)

    # Matched: data.a 25 → 75 (weight 1), ethics.a 50 → 50 (weight 3).
    assert (trend.matched_previous, trend.matched_current) == (
        pytest.approx((25 + 3 * 50) / 4),
        pytest.approx((75 + 3 * 50) / 4),
    )


# --- benchmark ---------------------------------------------------------------------------


def _entries(count: int, sector: str = "finance", start: int = 1) -> list[BenchmarkEntry]:
    return [
        BenchmarkEntry(org, sector, {"data": 10.0 * org}) for org in range(start, start + count)
    ]


def test_benchmark_four_organisations_is_none() -> None:
    assert benchmark(_entries(4), exclude_organisation=99) is None


def test_benchmark_five_organisations_gives_mean() -> None:
    # organisations 1..5 with data 10..50 -> mean 30
    assert benchmark(_entries(5), exclude_organisation=99) == Benchmark(
        organisations=5, sector=None, pillars={"data": 30.0}
    )


def test_benchmark_excludes_asking_organisation() -> None:
    assert benchmark(_entries(5), exclude_organisation=3) is None
    assert benchmark(_entries(6), exclude_organisation=6) == Benchmark(5, None, {"data": 30.0})


def test_benchmark_organisation_with_several_entries_counts_once() -> None:
    # organisation 1 closed four assessments: 10, 20, 30, 40 -> 25; others 20, 30, 40, 50
    # mean over organisations: (25 + 20 + 30 + 40 + 50)/5 = 33
    entries = _entries(5) + [BenchmarkEntry(1, "finance", {"data": v}) for v in (20, 30, 40)]

    result = benchmark(entries, exclude_organisation=99)

    assert result == Benchmark(5, None, {"data": 33.0})


def test_benchmark_organisation_with_several_entries_does_not_reach_minimum() -> None:
    entries = [*_entries(4), BenchmarkEntry(1, "finance", {"data": 50.0})]

    assert benchmark(entries, exclude_organisation=99) is None


def test_benchmark_sector_filter() -> None:
    entries = _entries(5, "finance") + _entries(4, "health", start=10)

    assert benchmark(entries, exclude_organisation=99, sector="health") is None
    assert benchmark(entries, exclude_organisation=99, sector="finance") == Benchmark(
        5, "finance", {"data": 30.0}
    )
    assert benchmark(entries, exclude_organisation=99) == Benchmark(
        9, None, {"data": pytest.approx((150 + 460) / 9)}
    )


def test_benchmark_leaves_out_pillar_scored_by_too_few_organisations() -> None:
    entries = [*_entries(5), BenchmarkEntry(1, "finance", {"ethics": 80.0})]

    assert benchmark(entries, exclude_organisation=99) == Benchmark(5, None, {"data": 30.0})


def test_benchmark_entry_from_result_keeps_assessed_pillars() -> None:
    result = score_assessment(SIMPLE, [_simple(1, 2, 4, None)])

    assert benchmark_entry(result, organisation_id=3, sector="retail") == BenchmarkEntry(
        3, "retail", {"data": 50.0, "ethics": 100.0}
    )


# --- method text -------------------------------------------------------------------------


def test_method_text_states_the_numbers_used() -> None:
    sections = {s.title: s.paragraphs for s in method_text(WORKED_RULES)}

    assert sections["Risk bands"][1] == (
        "Low below 25, moderate from 25, high from 50, critical from 75."
    )
    assert sections["Weights"] == (
        "Pillar weights: Data foundation (1) and Ethics, legal and governance (3).",
        "Questions weighted above 1: data.quality (2).",
        "All other questions have weight 1.",
    )
    assert sections["Red flags"][:3] == (
        "Critical questions: ethics.lawful-basis.",
        "An answer to a critical question below its blocker level is a blocker: level 0, "
        "for every critical question.",
        "A critical question raises a red flag when at least 25% of those who gave a level "
        "gave a blocker.",
    )
    assert sections["Perspectives"][0] == (
        "Results per perspective are shown only for groups of at least 5 respondents."
    )


def test_method_text_follows_custom_settings() -> None:
    rules = Rules(
        SIMPLE.pillars,
        SIMPLE.questions,
        bands=BandSettings(20, 40, 60),
        anonymity_threshold=7,
        red_flag_share=0.1,
    )
    sections = {s.title: s.paragraphs for s in method_text(rules)}

    assert sections["Risk bands"][1] == (
        "Low below 20, moderate from 20, high from 40, critical from 60."
    )
    assert sections["Red flags"][2] == (
        "A critical question raises a red flag when at least 10% of those who gave a level "
        "gave a blocker."
    )
    assert sections["Weights"][1] == "No question is weighted above 1."
    assert sections["Perspectives"][0] == (
        "Results per perspective are shown only for groups of at least 7 respondents."
    )


# --------------------------------------------------------------------------------------
# Property tests
# --------------------------------------------------------------------------------------

WEIGHTS = st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.0])
ANSWER = st.sampled_from(["-", None, 0, 1, 2, 3, 4])  # "-" = not answered


@st.composite
def scenarios(draw: st.DrawFn, max_responses: int = 16) -> tuple[Rules, list[ResponseInput]]:
    pillars = tuple(
        PillarRule(f"p{i}", f"Pillar {i}", weight=draw(WEIGHTS))
        for i in range(draw(st.integers(1, 3)))
    )
    questions = tuple(
        QuestionRule(f"p{i}.q{j}", f"p{i}", weight=draw(WEIGHTS), critical=draw(st.booleans()))
        for i in range(len(pillars))
        for j in range(draw(st.integers(1, 3)))
    )
    rules = Rules(
        pillars,
        questions,
        anonymity_threshold=draw(st.integers(3, 5)),
        red_flag_share=draw(st.sampled_from([0.0, 0.25, 0.5, 1.0])),
    )
    responses = []
    for response_id in range(draw(st.integers(0, max_responses))):
        answers = {q.code: level for q in questions if (level := draw(ANSWER)) != "-"}
        importance = {p.code: draw(st.integers(1, 5)) for p in pillars if draw(st.booleans())}
        perspective = draw(st.sampled_from(PERSPECTIVES[:3]))
        responses.append(ResponseInput(response_id, perspective, importance, answers))
    return rules, responses


def _replace_answer(response: ResponseInput, code: str, level: object) -> ResponseInput:
    answers = dict(response.answers)
    if level == "-":
        answers.pop(code, None)
    else:
        answers[code] = level  # type: ignore[assignment]
    return ResponseInput(response.id, response.perspective, response.importance, answers)


def _within(value: float | None, low: float, high: float) -> bool:
    return value is None or low <= value <= high


@given(scenarios())
def test_property_every_figure_within_bounds(scenario: tuple[Rules, list[ResponseInput]]) -> None:
    rules, responses = scenario

    result = score_assessment(rules, responses)

    assert _within(result.overall_index, 0, 100)
    for p in result.pillars:
        assert _within(p.maturity, 0, 100)
        assert _within(p.median, 0, 100)
        assert _within(p.risk, 0, 100)
        assert _within(p.stdev, 0, 50)
        assert _within(p.consensus, 0, 100)
        assert 0 <= p.coverage <= 1
        assert _within(p.importance, 1, 5)
    for q in result.questions.values():
        assert _within(q.mean, 0, 100)
        assert sum(q.distribution) == q.answered
    for group in result.perspectives:
        assert all(_within(m, 0, 100) for m in group.pillars.values())
    assert all(0 <= g.gap <= 100 for g in result.gaps)
    assert all(f.priority > 0 for f in result.findings)
    for response in responses:
        for score in score_response(rules, response).values():
            assert _within(score.maturity, 0, 100)
            assert 0 <= score.coverage <= 1


@given(scenarios(), st.data())
def test_property_raising_an_answer_never_raises_risk(
    scenario: tuple[Rules, list[ResponseInput]], data: st.DataObject
) -> None:
    rules, responses = scenario
    raisable = [
        (index, code)
        for index, response in enumerate(responses)
        for code, level in response.answers.items()
        if level is not None and level < 4
    ]
    assume(raisable)
    index, code = data.draw(st.sampled_from(raisable))
    pillar = rules.question(code).pillar
    raised = list(responses)
    raised[index] = _replace_answer(responses[index], code, responses[index].answers[code] + 1)

    before = score_assessment(rules, responses).pillar(pillar)
    after = score_assessment(rules, raised).pillar(pillar)
    respondent_before = score_response(rules, responses[index])[pillar]
    respondent_after = score_response(rules, raised[index])[pillar]

    assert after.risk <= before.risk
    assert respondent_after.maturity >= respondent_before.maturity


@given(scenarios(), st.data())
def test_property_level_to_dont_know_is_unanswered_for_maturity_and_coverage(
    scenario: tuple[Rules, list[ResponseInput]], data: st.DataObject
) -> None:
    rules, responses = scenario
    levels = [
        (index, code)
        for index, response in enumerate(responses)
        for code, level in response.answers.items()
        if level is not None
    ]
    assume(levels)
    index, code = data.draw(st.sampled_from(levels))
    pillar = rules.question(code).pillar
    response = responses[index]

    before = score_response(rules, response)[pillar]
    dont_know = score_response(rules, _replace_answer(response, code, None))[pillar]
    removed = score_response(rules, _replace_answer(response, code, "-"))[pillar]

    assert dont_know.maturity == removed.maturity
    assert dont_know.coverage == removed.coverage
    assert dont_know.coverage == pytest.approx(before.coverage - 1 / before.questions)
    assert dont_know.dont_know == before.dont_know + 1


@given(scenarios(), st.data())
def test_property_dont_know_on_unanswered_question_changes_no_figure_but_its_count(
    scenario: tuple[Rules, list[ResponseInput]], data: st.DataObject
) -> None:
    rules, responses = scenario
    unanswered = [
        (index, q.code)
        for index, response in enumerate(responses)
        for q in rules.questions
        if q.code not in response.answers
    ]
    assume(unanswered)
    index, code = data.draw(st.sampled_from(unanswered))
    pillar = rules.question(code).pillar
    changed = list(responses)
    changed[index] = _replace_answer(responses[index], code, None)

    before = score_response(rules, responses[index])[pillar]
    after = score_response(rules, changed[index])[pillar]
    assessment_before = score_assessment(rules, responses).pillar(pillar)
    assessment_after = score_assessment(rules, changed).pillar(pillar)

    assert (after.maturity, after.coverage) == (before.maturity, before.coverage)
    assert after.dont_know == before.dont_know + 1
    assert assessment_after.maturity == assessment_before.maturity
    assert assessment_after.coverage == assessment_before.coverage


@settings(max_examples=100)
@given(scenarios(), st.randoms(use_true_random=False))
def test_property_response_order_changes_nothing(
    scenario: tuple[Rules, list[ResponseInput]], rng: random.Random
) -> None:
    rules, responses = scenario
    shuffled = list(responses)
    rng.shuffle(shuffled)

    assert score_assessment(rules, shuffled) == score_assessment(rules, responses)


@settings(max_examples=200)
@given(scenarios(max_responses=30))
def test_property_no_group_below_threshold_and_hidden_total_not_guessable(
    scenario: tuple[Rules, list[ResponseInput]],
) -> None:
    rules, responses = scenario
    threshold = rules.anonymity_threshold

    groups = score_assessment(rules, responses).perspectives

    assert all(group.respondents >= threshold for group in groups)
    hidden = len(responses) - sum(group.respondents for group in groups)
    if groups:
        assert hidden == 0 or hidden >= threshold


@given(scenarios())
def test_property_any_red_flag_means_not_ready(
    scenario: tuple[Rules, list[ResponseInput]],
) -> None:
    rules, responses = scenario

    result = score_assessment(rules, responses)

    if result.red_flags:
        assert result.verdict == Verdict.NOT_READY
        assert all(
            result.pillar(rules.question(code).pillar).band.rank >= Band.HIGH.rank
            for code in result.red_flags
        )
