"""The rules a question bank opts into from version 3: question-first pillar figures,
critical questions that are never silently left out, and disagreement that caps the
verdict. Versions 1 and 2 keep their rules (tests/assessments/test_version_one.py)."""

import pytest

from assessments.scoring import (
    Aggregation,
    BandSettings,
    PillarRule,
    QuestionRule,
    ReasonKind,
    ResponseInput,
    Rules,
    StepKind,
    Verdict,
    VerdictReason,
    score_assessment,
)

BANDS = BandSettings(moderate=30, high=45, critical=62.5)


def rules(*questions: QuestionRule, **settings) -> Rules:
    return Rules(
        (PillarRule("p", "Pillar"), PillarRule("q", "Other")),
        questions,
        bands=BANDS,
        anonymity_threshold=3,
        red_flag_share=0.2,
        not_established_share=0.5,
        **settings,
    )


def people(perspective: str, count: int, answers: dict, first: int = 1) -> list[ResponseInput]:
    return [ResponseInput(first + n, perspective, {}, dict(answers)) for n in range(count)]


# Question-first pillar figures


def test_question_first_weighs_each_question_as_declared_whoever_is_asked():
    everyone = QuestionRule("p.everyone", "p", weight=1.0)
    experts = QuestionRule("p.experts", "p", weight=3.0, perspectives=("data_it",))
    other = QuestionRule("q.one", "q")
    responses = people("business", 9, {"p.everyone": 4, "q.one": 3}) + people(
        "data_it", 3, {"p.everyone": 4, "p.experts": 0, "q.one": 3}, first=20
    )

    respondent_first = score_assessment(rules(everyone, experts, other), responses)
    question_first = score_assessment(
        rules(everyone, experts, other, aggregation=Aggregation.QUESTION_FIRST), responses
    )

    # Respondent first: nine at 100 and three at 25 -> 81.25, the experts' zero swamped.
    assert respondent_first.pillar("p").maturity == pytest.approx(81.25)
    # Question first: (1 x 100 + 3 x 0) / 4 = 25, the expert question counts three times.
    assert question_first.pillar("p").maturity == pytest.approx(25.0)
    assert question_first.pillar("p").median == respondent_first.pillar("p").median


def test_effective_weight_equals_declared_weight_for_every_question():
    """Raise one question's mean by 10 points: the pillar moves by its declared share."""
    questions = (
        QuestionRule("p.a", "p", weight=2.0),
        QuestionRule("p.b", "p", weight=1.0, perspectives=("legal_risk",)),
        QuestionRule("p.c", "p", weight=1.0, perspectives=("data_it", "business")),
        QuestionRule("q.one", "q"),
    )
    base = {"p.a": 2, "p.b": 2, "p.c": 2, "q.one": 2}
    mix = [("leadership", 2), ("business", 4), ("data_it", 3), ("legal_risk", 1)]
    the_rules = rules(*questions, aggregation=Aggregation.QUESTION_FIRST)

    def pillar(levels: dict) -> float:
        responses, first = [], 1
        for perspective, count in mix:
            asked = {
                c: lv for c, lv in levels.items() if the_rules.question(c).asked_of(perspective)
            }
            responses += people(perspective, count, asked, first=first)
            first += count
        return score_assessment(the_rules, responses).pillar("p").maturity

    before = pillar(base)
    for question in questions[:3]:
        raised = pillar({**base, question.code: 3})  # +25 points on that question
        assert (raised - before) / 25 == pytest.approx(question.weight / 4, abs=0.01)


# Critical questions are never silently left out


def test_a_critical_question_asked_of_nobody_is_not_established():
    lawful = QuestionRule("p.lawful", "p", critical=True, perspectives=("legal_risk",))
    responses = people("business", 4, {"p.other": 4, "q.one": 4})
    the_rules = rules(
        lawful, QuestionRule("p.other", "p"), QuestionRule("q.one", "q"), establish_unanswered=True
    )

    result = score_assessment(the_rules, responses)

    assert result.not_established == ("p.lawful",)
    assert result.verdict is Verdict.NOT_READY
    assert result.reasons == (VerdictReason(ReasonKind.NOT_ESTABLISHED, questions=("p.lawful",)),)


def test_every_decider_not_knowing_leaves_the_question_not_established():
    lawful = QuestionRule(
        "p.lawful",
        "p",
        critical=True,
        perspectives=("legal_risk", "data_it"),
        deciding_perspectives=("legal_risk",),
    )
    responses = people("data_it", 5, {"p.lawful": 4, "q.one": 4}) + people(
        "legal_risk", 1, {"p.lawful": None, "q.one": 4}, first=10
    )
    on = rules(lawful, QuestionRule("q.one", "q"), establish_unanswered=True)
    off = rules(lawful, QuestionRule("q.one", "q"))

    assert score_assessment(on, responses).not_established == ("p.lawful",)
    assert score_assessment(off, responses).not_established == ()


# Disagreement caps the verdict


def test_two_perspectives_fifty_points_apart_cap_ready_at_conditions():
    questions = (QuestionRule("p.one", "p"), QuestionRule("q.one", "q"))
    responses = people("business", 3, {"p.one": 4, "q.one": 4}) + people(
        "data_it", 3, {"p.one": 2, "q.one": 4}, first=10
    )

    capped = score_assessment(rules(*questions, disagreement_gap=50), responses)
    uncapped = score_assessment(rules(*questions), responses)

    assert uncapped.verdict is Verdict.READY
    assert capped.verdict is Verdict.READY_WITH_CONDITIONS
    assert capped.reasons == (VerdictReason(ReasonKind.DISAGREEMENT, pillars=("p",)),)
    assert capped.misaligned == (("p", "business", "data_it"),)
    (step,) = capped.path
    assert (step.kind, step.pillar, step.perspectives) == (
        StepKind.ALIGN,
        "p",
        ("business", "data_it"),
    )


def test_a_group_below_the_threshold_cannot_cap_the_verdict():
    questions = (QuestionRule("p.one", "p"), QuestionRule("q.one", "q"))
    responses = people("business", 3, {"p.one": 4, "q.one": 4}) + people(
        "data_it", 2, {"p.one": 0, "q.one": 4}, first=10
    )

    result = score_assessment(rules(*questions, disagreement_gap=50), responses)

    assert result.misaligned == ()
