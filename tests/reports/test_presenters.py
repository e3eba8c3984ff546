"""Arranging results for the page and the PDF: plain data in, plain data out."""

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from assessments import scoring
from assessments.models import Assessment, Questionnaire
from assessments.plan import Target
from assessments.results.access import VisibleResults
from assessments.scoring import (
    PathStep,
    PillarRule,
    QuestionRule,
    Report,
    ResponseInput,
    Rules,
    StepKind,
    Verdict,
    Withheld,
    score_assessment,
)
from reports import presenters
from reports.presenters import Change, PathLine, _path
from reports.selectors import Plan, PlannedAction


@pytest.mark.parametrize(
    ("delta", "arrow", "signed", "words"),
    [
        (16.2, "▲", "+16", "up 16 points"),
        (-4.6, "▼", "−5", "down 5 points"),
        (0.4, "▶", "±0", "no change"),
        (-0.49, "▶", "±0", "no change"),
    ],
)
def test_a_change_has_an_arrow_a_number_and_words(delta, arrow, signed, words):
    change = Change(delta)

    assert (change.arrow, change.signed, change.words) == (arrow, signed, words)


def test_path_to_ready_is_grouped_by_the_verdict_each_step_is_needed_for():
    lift = PathStep(StepKind.LIFT_RED_FLAG, Verdict.READY_WITH_CONDITIONS, "ethics", "e.gdpr")
    raise_data = PathStep(StepKind.RAISE_PILLAR, Verdict.READY, "data", points=12)
    raise_ethics = PathStep(StepKind.RAISE_PILLAR, Verdict.READY, "ethics", points=30)

    groups = _path([raise_data, lift, raise_ethics], ())

    assert [(group.needed_for, group.steps) for group in groups] == [
        (Verdict.READY_WITH_CONDITIONS, (PathLine(lift),)),
        (Verdict.READY, (PathLine(raise_data), PathLine(raise_ethics))),
    ]


def test_a_ready_verdict_has_no_path():
    assert _path([], ()) == ()


# Targets, the path to ready and the action plan: the client's plan on the page


def scored(levels: dict[str, int]) -> scoring.AssessmentResult:
    """Three pillars of one question each, answered by three respondents alike."""
    rules = Rules(
        tuple(PillarRule(code, code.title()) for code in ("data", "ethics", "method")),
        tuple(QuestionRule(code, code.split(".")[0], text=f"{code}?") for code in levels),
    )
    responses = [ResponseInput(number, "business", {}, levels) for number in (1, 2, 3)]
    return score_assessment(rules, responses)


def page_of(result, plan: Plan | None, *, charts: bool = False) -> presenters.ReportPage:
    assessment = Assessment(title="Spring check", questionnaire=Questionnaire(settings={}))
    visible = VisibleResults(Report(result, ()), datetime(2026, 1, 1, tzinfo=UTC), None)
    return presenters.report_page(assessment, visible, (), with_charts=charts, plan=plan)


def withheld(result, code: str) -> scoring.AssessmentResult:
    """The result as a manager sees it when `code`'s pillar rests on too few people."""
    pillars = tuple(
        replace(p, maturity=None, risk=None, band=None, withheld=Withheld.FEW_ANSWERS)
        if p.pillar == code
        else p
        for p in result.pillars
    )
    return replace(result, pillars=pillars)


TARGETS = (
    Target("data", "Data", 80, True),
    Target("ethics", "Ethics", 76, False),
    Target("method", "Method", 40, True),
)


def test_each_pillar_shows_its_target_and_the_points_to_go_from_the_printed_figure():
    # Level 2 everywhere: maturity 50.
    page = page_of(scored({"data.q": 2, "ethics.q": 2, "method.q": 2}), Plan(TARGETS, {}))

    assert [(t.pillar, t.target, t.agreed, t.gap, t.words) for t in page.targets] == [
        ("data", 80, True, 30, "Target 80 · 30 to go"),
        ("ethics", 76, False, 26, "Target 76 (low risk, by default) · 26 to go"),
        ("method", 40, True, 0, "Target 40 · reached"),
    ]
    assert [section.target for section in page.pillars] == list(page.targets)


def test_the_gap_is_the_difference_of_the_printed_figures():
    gap = presenters.TargetGap.of(TARGETS[0], 55.5)  # printed 56

    assert (gap.gap, gap.words) == (24, "Target 80 · 24 to go")


def test_a_withheld_pillar_keeps_its_target_but_shows_no_gap():
    result = withheld(scored({"data.q": 2, "ethics.q": 2, "method.q": 2}), "data")

    page = page_of(result, Plan(TARGETS, {}))

    (data,) = [t for t in page.targets if t.pillar == "data"]
    assert (data.target, data.gap, data.gap_words, data.words) == (80, None, "", "Target 80")


def test_without_the_plan_a_page_has_no_targets_and_no_actions():
    page = page_of(scored({"data.q": 1, "ethics.q": 2, "method.q": 2}), None)

    assert page.targets == ()
    assert {item.action for item in page.action_plan} == {None}


def test_the_radar_draws_the_targets_as_a_third_kind_of_line():
    page = page_of(
        scored({"data.q": 2, "ethics.q": 2, "method.q": 2}), Plan(TARGETS, {}), charts=True
    )

    assert 'class="series series-target"' in page.radar
    assert "Data: This assessment 50, Target 80;" in page.radar


def test_a_raise_step_names_the_target_where_it_asks_for_more_than_the_band():
    # Level 1 on data (25, high risk), 3 elsewhere (75, moderate): ready needs data and
    # the others above 75; data's target 80 asks for more, ethics' default 76 does not.
    result = scored({"data.q": 1, "ethics.q": 3, "method.q": 3})
    page = page_of(result, Plan(TARGETS, {}))

    lines = [presenters.path_words(result, line) for group in page.path for line in group.steps]
    assert "Raise Data (now 25) above 75: to low risk; target 80." in lines
    assert "Raise Ethics (now 75) above 75: to low risk." in lines


def test_each_ranked_finding_carries_its_action():
    result = scored({"data.q": 1, "ethics.q": 2, "method.q": 3})
    action = PlannedAction("Name the owners", "Ines", date(2027, 1, 31), "in_progress", True, "")

    page = page_of(result, Plan(TARGETS, {"data.q": action}))

    assert [(item.finding.question, item.action) for item in page.action_plan] == [
        (finding.question, action if finding.question == "data.q" else None)
        for finding in result.findings
    ]
    assert page.action_plan[0].planned == "Name the owners"
    assert action.status_label == "In progress"
