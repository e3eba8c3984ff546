"""Arranging results for the page and the PDF: plain data in, plain data out."""

import pytest

from assessments.scoring import PathStep, StepKind, Verdict
from reports.presenters import Change, _path


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

    groups = _path([raise_data, lift, raise_ethics])

    assert [(group.needed_for, group.steps) for group in groups] == [
        (Verdict.READY_WITH_CONDITIONS, (lift,)),
        (Verdict.READY, (raise_data, raise_ethics)),
    ]


def test_a_ready_verdict_has_no_path():
    assert _path([]) == ()
