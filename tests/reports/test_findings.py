"""One set of findings on every page, and figures printed by one rule: properties over
random results, arranged without a database."""

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.models import Assessment, Questionnaire
from assessments.results.access import VisibleResults
from assessments.scoring import (
    PerceptionGap,
    PillarRule,
    QuestionRule,
    Report,
    ResponseInput,
    Rules,
    score_assessment,
)
from reports import presenters
from reports.figures import Change, risk, score

PILLARS = ("data", "ethics", "method")


@st.composite
def results(draw):
    """Scored results of 1 to 12 respondents on 2 to 14 questions in up to three pillars,
    some of them critical."""
    count = draw(st.integers(2, 14))
    questions = tuple(
        QuestionRule(
            f"{PILLARS[number % 3]}.q{number}",
            PILLARS[number % 3],
            critical=draw(st.booleans()),
            text=f"Question {number}?",
        )
        for number in range(count)
    )
    rules = Rules(tuple(PillarRule(code, code.title()) for code in PILLARS), questions)
    level = st.one_of(st.none(), st.integers(0, 4))
    responses = [
        ResponseInput(
            number,
            draw(st.sampled_from(["business", "data_it", "leadership"])),
            {},
            {question.code: draw(level) for question in questions},
        )
        for number in range(1, draw(st.integers(1, 12)) + 1)
    ]
    return score_assessment(rules, responses)


def arranged(result) -> presenters.ReportPage:
    assessment = Assessment(title="Spring check", questionnaire=Questionnaire(settings={}))
    visible = VisibleResults(Report(result, ()), datetime(2026, 1, 1, tzinfo=UTC), None)
    return presenters.report_page(assessment, visible, (), with_charts=False)


@given(results())
@settings(max_examples=60, deadline=None)
def test_a_question_is_never_both_a_largest_risk_and_a_strength(result):
    page = arranged(result)

    risks = {item.finding.question for item in page.risks}
    strengths = {item.question.code for item in page.strengths}
    assert not risks & strengths


@given(results())
@settings(max_examples=60, deadline=None)
def test_pillar_pages_list_the_action_plans_priorities(result):
    page = arranged(result)

    for section in page.pillars:
        assert section.findings == tuple(
            item for item in page.action_plan if item.finding.pillar == section.code
        )
    on_pillar_pages = sorted(item.rank for section in page.pillars for item in section.findings)
    assert on_pillar_pages == [item.rank for item in page.action_plan]


def test_scores_are_rounded_half_up_once():
    # Python's round gives 62 and 46; a chart program might give either.
    assert [score(62.5), score(45.5), score(62.49), score(0.5), score(None)] == [
        63,
        46,
        62,
        1,
        None,
    ]
    assert score(62.45) == 62  # not 62.5 first, then 63


def test_a_change_is_the_difference_of_the_printed_figures():
    # 41.4 prints 41 and 49.6 prints 50: the change beside them reads +9, not +8.
    assert Change.between(41.4, 49.6).signed == "+9"
    assert Change.between(50.4, 49.6).signed == "±0"
    assert Change.between(None, 49.6) is None


def _gap(high: float, low: float, questions: int, *, all_questions: bool) -> presenters.Gap:
    gap = PerceptionGap("data", "leadership", high, "business", low, high - low, questions)
    return presenters.Gap(gap, "Data foundation", all_questions)


def test_a_gap_on_every_question_quotes_the_heat_maps_figures():
    assert _gap(58.4, 37.5, 5, all_questions=True).words == (
        "Leadership see 58, Business 38: a gap of 20 points."
    )


def test_a_gap_on_some_questions_gives_the_gap_alone_in_the_singular_too():
    assert _gap(51.0, 50.4, 1, all_questions=False).words == (
        "Leadership and Business are 1 point apart on the one question both were asked."
    )


def test_a_risk_and_its_maturity_print_as_figures_that_add_up_to_100():
    assert (score(49.5), risk(50.5)) == (50, 50)
    assert (score(62.5), risk(37.5)) == (63, 37)
