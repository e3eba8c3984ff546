"""The path to ready works: doing every step of it to the answers and scoring again gives
the verdict the path names, on random assessments and on the demo."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments import loading
from assessments.demo import seed_demo
from assessments.models import Assessment, Response
from assessments.scoring import (
    MAX_LEVEL,
    PERSPECTIVES,
    Aggregation,
    BandSettings,
    PillarRule,
    QuestionRule,
    ReasonKind,
    ResponseInput,
    Rules,
    StepKind,
    Verdict,
    score_assessment,
)

RANK = {Verdict.NOT_READY: 0, Verdict.READY_WITH_CONDITIONS: 1, Verdict.READY: 2}
ANSWER = st.sampled_from(["-", None, 0, 1, 2, 3, 4])


@st.composite
def assessments(draw: st.DrawFn) -> tuple[Rules, list[ResponseInput]]:
    pillars = tuple(PillarRule(f"p{i}", f"Pillar {i}") for i in range(draw(st.integers(1, 3))))
    questions = tuple(
        QuestionRule(
            f"p{i}.q{j}",
            f"p{i}",
            weight=draw(st.sampled_from([0.5, 1.0, 2.0])),
            critical=(critical := draw(st.booleans())),
            blocker_below=draw(st.integers(1, 2)) if critical else 1,
            perspectives=draw(st.sampled_from([(), ("data_it",), ("business", "legal_risk")])),
            deciding_perspectives=draw(st.sampled_from([(), ("legal_risk",)])) if critical else (),
        )
        for i in range(len(pillars))
        for j in range(draw(st.integers(1, 3)))
    )
    rules = Rules(
        pillars,
        questions,
        bands=draw(st.sampled_from([BandSettings(), BandSettings(30, 45, 62.5)])),
        red_flag_share=draw(st.sampled_from([0.2, 0.25, 0.5])),
        not_established_share=draw(st.sampled_from([None, 0.5])),
        anonymity_threshold=3,
        aggregation=draw(st.sampled_from(list(Aggregation))),
        establish_unanswered=draw(st.booleans()),
        disagreement_gap=draw(st.sampled_from([None, 50])),
    )
    responses = [
        ResponseInput(
            index,
            draw(st.sampled_from(PERSPECTIVES[:4])),
            {},
            {q.code: level for q in questions if (level := draw(ANSWER)) != "-"},
        )
        for index in range(1, draw(st.integers(1, 12)) + 1)
    ]
    return rules, responses


def _with(response: ResponseInput, answers: dict) -> ResponseInput:
    return ResponseInput(response.id, response.perspective, response.importance, answers)


def _asked(rules: Rules, response: ResponseInput, question: QuestionRule) -> bool:
    return question.asked_of(response.perspective) or response.sees_all


def _own_level(rules: Rules, response: ResponseInput, pillar: str, fallback: float) -> int:
    """The level at or above this respondent's own maturity in the pillar, so that giving
    it lowers nobody's figure (the pillar's figure for someone with no level there yet)."""
    weighted = weights = 0.0
    for question in rules.questions_by_pillar[pillar]:
        level = response.answers.get(question.code)
        if isinstance(level, int) and _asked(rules, response, question):
            weighted += question.weight * level
            weights += question.weight
    maturity = 100 * weighted / (MAX_LEVEL * weights) if weights else fallback
    return min(MAX_LEVEL, math.ceil(maturity / 25 - 1e-9))


def _question_level(rules: Rules, responses: list[ResponseInput], question: QuestionRule) -> int:
    """The level at or above the question's mean answer: a new answer there lowers neither
    the question's mean nor, when questions are averaged first, its pillar."""
    levels = [
        r.answers[question.code]
        for r in responses
        if isinstance(r.answers.get(question.code), int) and _asked(rules, r, question)
    ]
    return math.ceil(sum(levels) / len(levels) - 1e-9) if levels else 0


def walk_the_path(rules: Rules, responses: list[ResponseInput]) -> list[ResponseInput]:
    """Do every step of the path to ready to the answers, as a team would."""
    result = score_assessment(rules, responses)
    by_code = {q.code: q for q in rules.questions}
    responses = list(responses)
    steps = sorted(result.path, key=lambda s: s.kind == StepKind.RAISE_PILLAR)
    for step in steps:
        if step.kind == StepKind.LIFT_RED_FLAG:
            question = by_code[step.question]
            responses = [
                _with(r, {**r.answers, question.code: question.blocker_below})
                if isinstance(r.answers.get(question.code), int)
                and r.answers[question.code] < question.blocker_below
                and _asked(rules, r, question)
                else r
                for r in responses
            ]
        elif step.kind in (StepKind.ESTABLISH, StepKind.JUDGE_PILLAR):
            questions = (
                [by_code[step.question]]
                if step.kind == StepKind.ESTABLISH
                else rules.questions_by_pillar[step.pillar]
            )
            if not any(_asked(rules, r, q) for r in responses for q in questions):
                asked_some = next((q for q in questions if q.perspectives), questions[0])
                responses.append(_newcomer(rules, asked_some, len(responses) + 1000))
                continue
            for question in questions:
                pillar = score_assessment(rules, responses).pillar(question.pillar).maturity
                fallback = 100.0 if pillar is None else pillar
                responses = [
                    _with(
                        r,
                        {
                            **r.answers,
                            question.code: max(
                                question.blocker_below,
                                _own_level(rules, r, question.pillar, fallback),
                                _question_level(rules, responses, question),
                                min(MAX_LEVEL, math.ceil(fallback / 25 - 1e-9)),  # the pillar's
                            ),
                        },
                    )
                    if _asked(rules, r, question)
                    and not isinstance(r.answers.get(question.code), int)
                    else r
                    for r in responses
                ]
        elif step.kind == StepKind.ALIGN:
            # Agreeing on the pillar: everyone's answers there at the top level.
            responses = [
                _with(
                    r,
                    {
                        **r.answers,
                        **{
                            q.code: MAX_LEVEL
                            for q in rules.questions_by_pillar[step.pillar]
                            if isinstance(r.answers.get(q.code), int)
                        },
                    },
                )
                for r in responses
            ]
        else:
            responses = _raise_pillar(rules, responses, step.pillar, step.target)
    return responses


def _newcomer(rules: Rules, question: QuestionRule, response_id: int) -> ResponseInput:
    """Someone of a perspective the question is asked of, who answers all they are asked
    at the top level: the only way to judge what nobody here was asked."""
    perspective = question.perspectives[0] if question.perspectives else "other"
    return ResponseInput(
        response_id,
        perspective,
        {},
        {q.code: MAX_LEVEL for q in rules.questions if q.asked_of(perspective)},
    )


def _raise_pillar(rules: Rules, responses, pillar: str, target: float):
    """Raise the lowest answers of the pillar one level at a time until it is above target."""
    while (maturity := score_assessment(rules, responses).pillar(pillar).maturity) is not None:
        if maturity > target + 1e-9:
            break
        lowest = min(
            (
                (r.answers[q.code], index, q.code)
                for index, r in enumerate(responses)
                for q in rules.questions_by_pillar[pillar]
                if _asked(rules, r, q)
                and isinstance(r.answers.get(q.code), int)
                and r.answers[q.code] < MAX_LEVEL
            ),
            default=None,
        )
        assert lowest is not None, "every answer is at the top level, still below the target"
        level, index, code = lowest
        responses[index] = _with(responses[index], {**responses[index].answers, code: level + 1})
    return responses


def _unforeseeable(before, after) -> bool:
    """A disagreement between two perspectives that the path could not see: one of them had
    no figure on the pillar (too few people with a level there) until the steps gave its
    people answers. The path names what it can see; this one only the new answers show."""
    if not after.misaligned or any(r.kind != ReasonKind.DISAGREEMENT for r in after.reasons):
        return False
    shown = {
        (group.perspective, pillar)
        for group in before.perspectives
        for pillar, value in group.pillars.items()
        if value is not None and pillar not in group.withheld
    }
    return any(
        (high, pillar) not in shown or (low, pillar) not in shown
        for pillar, high, low in after.misaligned
    )


def _named_verdict(path) -> Verdict:
    return max((step.needed_for for step in path), key=RANK.__getitem__)


@settings(max_examples=400, deadline=None)
@given(assessments())
def test_property_walking_the_path_reaches_the_verdict_it_names(assessment):
    rules, responses = assessment
    before = score_assessment(rules, responses)
    if not before.path:
        assert before.verdict in (Verdict.READY, None)
        return

    after = score_assessment(rules, walk_the_path(rules, responses))

    if _unforeseeable(before, after):
        return
    assert RANK[after.verdict] >= RANK[_named_verdict(before.path)]


def test_raise_steps_name_the_maturity_to_rise_above():
    rules = Rules(
        (PillarRule("p0", "Pillar 0"),),
        (QuestionRule("p0.q0", "p0"),),
        bands=BandSettings(30, 45, 62.5),
    )
    responses = [ResponseInput(1, "business", {}, {"p0.q0": 1})]

    (to_high, to_low) = score_assessment(rules, responses).path

    assert (to_high.target, to_high.points, to_high.needed_for) == (
        37.5,
        13,
        Verdict.READY_WITH_CONDITIONS,
    )
    assert (to_low.target, to_low.needed_for) == (70.0, Verdict.READY)


@pytest.mark.django_db
def test_walking_the_demos_paths_reaches_their_verdicts():
    seed_demo()
    checked = 0
    for assessment in Assessment.objects.select_related("questionnaire"):
        rules = loading.assessment_rules(assessment)
        responses = loading.load_responses(
            Response.objects.submitted().filter(assessment=assessment)
        )
        before = score_assessment(rules, responses)
        if not before.path:
            continue
        after = score_assessment(rules, walk_the_path(rules, responses))
        assert RANK[after.verdict] >= RANK[_named_verdict(before.path)], assessment.title
        checked += 1
    assert checked >= 2
