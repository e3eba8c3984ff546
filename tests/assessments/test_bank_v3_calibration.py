"""Version 3 of the question bank, calibrated: the reviewer's cases and this release's cases,
each with the verdict a practitioner expects, live and published alike, for a typical
13-person client team (leadership 2, business 4, data/IT 3, legal/risk 1, people/HR 1,
other 1)."""

import pytest

from assessments import loading, scoring
from assessments.models import Answer, Assessment, Response
from assessments.questionnaire_files import QUESTIONNAIRES, load_file
from assessments.results import publication
from assessments.scoring import Verdict
from tests.support.teams import answered_by_team

pytestmark = pytest.mark.django_db

TEAM = {"leadership": 2, "business": 4, "data_it": 3, "legal_risk": 1, "people_hr": 1, "other": 1}
READY, CONDITIONS, NOT_READY = Verdict.READY, Verdict.READY_WITH_CONDITIONS, Verdict.NOT_READY


@pytest.fixture
def bank():
    return load_file(QUESTIONNAIRES / "genai-readiness-v3.yaml").questionnaire


def assessment_of(bank, levels, team=TEAM) -> Assessment:
    """Everyone answers what they are asked; `levels(perspective, code)` gives the level
    (None: don't know)."""
    return answered_by_team(
        bank, team, lambda perspective, _number, code: levels(perspective, code)
    )


def verdicts(assessment) -> tuple[scoring.AssessmentResult, scoring.AssessmentResult]:
    live = loading.score_assessment(assessment)
    published = publication.prepare(assessment).report.result
    return live, published


CASES = {
    "every answer at 3": (lambda p, c: 3, READY),
    "every answer at 2": (lambda p, c: 2, CONDITIONS),
    "every answer at 4 but security at 1": (
        lambda p, c: 1 if c == "method.security" else 4,
        NOT_READY,
    ),
    "the lawyer does not know about personal data": (
        lambda p, c: None if (p, c) == ("legal_risk", "ethics.personal-data") else 3,
        NOT_READY,
    ),
    "business at 4, data/IT at 1 on expectations": (
        lambda p, c: (
            (4 if p == "business" else 1 if p == "data_it" else 3)
            if c.startswith("expectations.")
            else 4
        ),
        CONDITIONS,
    ),
    "mid-pilot, 2 and 3 mixed": (lambda p, c: 2 + (len(p) + len(c)) % 2, CONDITIONS),
    "data/IT at 0 on the data foundation's basics, the rest at 3": (
        lambda p, c: (
            0
            if c in {"data.inventory", "data.integration", "data.freshness", "data.quality"}
            else 3
        ),
        NOT_READY,
    ),
    "no monitoring, incident process or supplier review, security at 2": (
        lambda p, c: (
            0
            if c
            in {
                "method.monitoring",
                "method.incidents",
                "method.supplier-terms",
                "method.supplier-exit",
            }
            else 2
            if c == "method.security"
            else 4
        ),
        NOT_READY,
    ),
    "one lawyer: usage rights never checked": (
        lambda p, c: 0 if (p, c) == ("legal_risk", "data.usage-rights") else 4,
        NOT_READY,
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_calibration(bank, case):
    levels, expected = CASES[case]

    live, published = verdicts(assessment_of(bank, levels))

    assert live.verdict is expected, live.reasons
    assert (published.verdict, published.reasons) == (live.verdict, live.reasons)


def test_disagreement_on_expectations_is_named_in_the_path(bank):
    levels, _ = CASES["business at 4, data/IT at 1 on expectations"]

    live, _ = verdicts(assessment_of(bank, levels))

    assert ("expectations", "business", "data_it") in live.misaligned
    assert [(s.kind, s.pillar) for s in live.path] == [(scoring.StepKind.ALIGN, "expectations")]


def test_one_end_user_at_zero_on_human_oversight_is_outvoted_but_the_lawyer_is_not(bank):
    team = {**TEAM, "business": 12}

    def one_business_zero(p, c):
        return 0 if (p, c) == ("business", "expectations.human-oversight") else 4

    outvoted = assessment_of(bank, one_business_zero, team)
    # One end user at 0; the other eleven business people and four others at 4.
    first = Response.objects.filter(assessment=outvoted, perspective="business").first()
    Answer.objects.filter(
        response__assessment=outvoted, question__code="expectations.human-oversight"
    ).exclude(response=first).update(level=4)
    lawyer = assessment_of(
        bank, lambda p, c: 0 if (p, c) == ("legal_risk", "expectations.human-oversight") else 4
    )

    assert "expectations.human-oversight" not in verdicts(outvoted)[0].red_flags
    assert verdicts(lawyer)[0].red_flags == ("expectations.human-oversight",)


def test_a_team_without_the_deciders_leaves_critical_questions_not_established(bank):
    live, published = verdicts(assessment_of(bank, lambda p, c: 4, team={"leadership": 5}))

    assert live.verdict is NOT_READY
    assert "ethics.transparency" in live.not_established
    assert published.not_established == live.not_established


def test_effective_weight_equals_declared_weight_for_every_question(bank):
    """Raise one question by a level for everyone asked: its pillar moves by the question's
    declared share of the pillar's weight, within one percentage point."""
    rules = loading.load_rules(bank)
    base = {q.code: 2 for q in rules.questions}

    def pillar_figures(levels: dict[str, int]) -> dict[str, float]:
        inputs, number = [], 0
        for perspective, count in TEAM.items():
            asked = {c: lv for c, lv in levels.items() if rules.question(c).asked_of(perspective)}
            for _ in range(count):
                number += 1
                inputs.append(scoring.ResponseInput(number, perspective, {}, asked))
        result = scoring.score_assessment(rules, inputs)
        return {p.pillar: p.maturity for p in result.pillars}

    before = pillar_figures(base)
    for question in rules.questions:
        after = pillar_figures({**base, question.code: 3})
        declared = question.weight / sum(
            q.weight for q in rules.questions_by_pillar[question.pillar]
        )
        effective = (after[question.pillar] - before[question.pillar]) / 25
        assert effective == pytest.approx(declared, abs=0.01), question.code
