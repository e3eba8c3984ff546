"""Specification of the pure workshop figures (assessments/scoring/contested.py).

Worked examples that can be checked with pencil and paper: a question's consensus, the
ranking of contested questions, and whether a room reached consensus.
"""

import math

import pytest

from assessments.scoring import (
    ContestReason,
    PillarRule,
    QuestionRule,
    ResponseInput,
    Rules,
    consensus_outcome,
    contested_questions,
    level_consensus,
    score_assessment,
)

# --------------------------------------------------------------------------------------
# A question's consensus: 100 × (1 − σ / 2) of the levels given.


def test_everyone_on_one_level_is_full_consensus():
    assert level_consensus([0, 0, 5, 0, 0]) == 100.0


def test_half_at_level_0_and_half_at_level_4_is_no_consensus():
    assert level_consensus([2, 0, 0, 0, 2]) == 0.0


def test_levels_1_2_3_once_each():
    # mean 2, σ = √(2/3) = 0.8165 → 100 × (1 − 0.4082)
    assert level_consensus([0, 1, 1, 1, 0]) == pytest.approx(100 * (1 - math.sqrt(2 / 3) / 2))
    assert level_consensus([0, 1, 1, 1, 0]) == pytest.approx(59.175, abs=0.001)


def test_no_level_given_has_no_consensus():
    assert level_consensus([0, 0, 0, 0, 0]) is None


# --------------------------------------------------------------------------------------
# Contested questions.
#
#   pillar  | question   asked of
#   data    | data.agree   everyone
#           | data.split   everyone
#   ethics  | ethics.e1    everyone
#           | ethics.e2    everyone
#           | ethics.e3    leadership only
#
#   answers (4 people each)  data.agree data.split | e1  e2  e3
#   leadership                    2      0,0,4,4   |  4   2   3
#   data_it                       2      0,0,4,4   |  0   2   -
#
#   data.agree: one level             → consensus 100, nothing contested
#   data.split: four at 0, four at 4 (σ = 2) → consensus 0 → 100 points; both groups
#               average level 2, so the data pillar has no perception gap
#   ethics: leadership (4+2)/8 = 75, data_it (0+2)/8 = 25 on e1 and e2 → gap 50
#   ethics.e1: σ = 2 → 100 + gap 50 = 150, reason: low consensus
#   ethics.e2: one level → 0 + gap 50 = 50, reason: perception gap
#   ethics.e3: one level, asked of leadership only → no gap → nothing contested
#   ranking: ethics.e1 (150), data.split (100), ethics.e2 (50)

RULES = Rules(
    pillars=(PillarRule("data", "Data"), PillarRule("ethics", "Ethics")),
    questions=(
        QuestionRule("data.agree", "data"),
        QuestionRule("data.split", "data"),
        QuestionRule("ethics.e1", "ethics"),
        QuestionRule("ethics.e2", "ethics"),
        QuestionRule("ethics.e3", "ethics", perspectives=("leadership",)),
    ),
    anonymity_threshold=3,
)
LEADERSHIP = {"data.agree": 2, "ethics.e1": 4, "ethics.e2": 2, "ethics.e3": 3}
DATA_IT = {"data.agree": 2, "ethics.e1": 0, "ethics.e2": 2}
SPLIT = (0, 0, 4, 4)


def responses():
    return [
        ResponseInput(
            id=10 * group + n,
            perspective=perspective,
            answers={**answers, "data.split": SPLIT[n]},
        )
        for group, (perspective, answers) in enumerate(
            [("leadership", LEADERSHIP), ("data_it", DATA_IT)]
        )
        for n in range(4)
    ]


def test_the_worked_example_ranks_by_points_of_disagreement():
    result = score_assessment(RULES, responses())

    contested = contested_questions(result, RULES)

    assert [(q.code, round(q.score, 6)) for q in contested] == [
        ("ethics.e1", 150.0),
        ("data.split", 100.0),
        ("ethics.e2", 50.0),
    ]


def test_the_reason_is_the_larger_signal():
    result = score_assessment(RULES, responses())

    reasons = {q.code: q.reason for q in contested_questions(result, RULES)}

    assert reasons == {
        "ethics.e1": ContestReason.LOW_CONSENSUS,
        "data.split": ContestReason.LOW_CONSENSUS,
        "ethics.e2": ContestReason.PERCEPTION_GAP,
    }


def test_a_contested_question_names_the_gap_between_the_groups():
    result = score_assessment(RULES, responses())

    e2 = next(q for q in contested_questions(result, RULES) if q.code == "ethics.e2")

    assert (e2.gap.high_perspective, e2.gap.low_perspective, e2.gap.gap) == (
        "leadership",
        "data_it",
        50.0,
    )
    assert e2.consensus == 100.0


def test_a_question_not_asked_of_both_groups_takes_no_gap():
    result = score_assessment(RULES, responses())

    assert "ethics.e3" not in {q.code for q in contested_questions(result, RULES)}


def test_groups_below_the_anonymity_threshold_give_no_gap():
    rules = Rules(pillars=RULES.pillars, questions=RULES.questions, anonymity_threshold=6)
    result = score_assessment(rules, responses())

    contested = contested_questions(result, rules)

    assert [(q.code, q.score, q.gap) for q in contested] == [
        ("data.split", 100.0, None),
        ("ethics.e1", 100.0, None),
    ]


def test_the_limit_keeps_the_most_contested():
    result = score_assessment(RULES, responses())

    assert [q.code for q in contested_questions(result, RULES, limit=1)] == ["ethics.e1"]


def test_equal_scores_keep_questionnaire_order():
    rules = Rules(
        pillars=(PillarRule("data", "Data"),),
        questions=(QuestionRule("b", "data"), QuestionRule("a", "data")),
    )
    answers = [
        ResponseInput(id=1, perspective="other", answers={"a": 0, "b": 0}),
        ResponseInput(id=2, perspective="other", answers={"a": 4, "b": 4}),
    ]

    contested = contested_questions(score_assessment(rules, answers), rules)

    assert [q.code for q in contested] == ["b", "a"]


def test_withheld_and_unanswered_questions_are_left_out():
    rules = Rules(
        pillars=(PillarRule("data", "Data"),),
        questions=(QuestionRule("answered", "data"), QuestionRule("dont-know", "data")),
    )
    answers = [
        ResponseInput(id=n, perspective="other", answers={"answered": n % 5, "dont-know": None})
        for n in (1, 2)
    ]

    assert contested_questions(score_assessment(rules, answers, min_respondents=3), rules) == ()
    assert [q.code for q in contested_questions(score_assessment(rules, answers), rules)] == [
        "answered"
    ]


# --------------------------------------------------------------------------------------
# Consensus in the room: the share of final-round votes within one level of the agreed one.


def test_every_vote_within_one_level_reaches_consensus():
    outcome = consensus_outcome([0, 1, 5, 2, 0], dont_know=0, agreed_level=2)

    assert (outcome.votes, outcome.within, outcome.share, outcome.reached) == (8, 8, 1.0, True)


def test_votes_at_both_ends_leave_dissent():
    outcome = consensus_outcome([3, 0, 0, 0, 3], dont_know=0, agreed_level=2)

    assert (outcome.within, outcome.share, outcome.reached) == (0, 0.0, False)


def test_dont_know_counts_as_a_vote_that_does_not_agree():
    # 3 of 4 votes within one level: exactly the 75 % needed.
    outcome = consensus_outcome([0, 0, 3, 0, 0], dont_know=1, agreed_level=2)

    assert (outcome.votes, outcome.within, outcome.share, outcome.reached) == (4, 3, 0.75, True)


def test_just_below_the_share_is_dissent():
    # 5 of 7 = 71 %
    outcome = consensus_outcome([2, 0, 3, 2, 0], dont_know=0, agreed_level=2)

    assert (outcome.within, outcome.reached) == (5, False)


def test_within_one_level_stops_at_the_ends_of_the_scale():
    assert consensus_outcome([2, 1, 1, 0, 0], dont_know=0, agreed_level=0).within == 3
    assert consensus_outcome([0, 0, 1, 2, 3], dont_know=0, agreed_level=4).within == 5


def test_the_required_share_is_a_setting():
    outcome = consensus_outcome([2, 0, 3, 2, 0], dont_know=0, agreed_level=2, required_share=0.7)

    assert outcome.reached is True


def test_no_votes_gives_no_outcome():
    assert consensus_outcome([0, 0, 0, 0, 0], dont_know=0, agreed_level=2) is None


@pytest.mark.parametrize("level", [-1, 5])
def test_an_agreed_level_outside_the_scale_is_refused(level):
    with pytest.raises(ValueError, match="agreed level"):
        consensus_outcome([1, 1, 1, 1, 1], dont_know=0, agreed_level=level)
