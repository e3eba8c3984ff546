"""Assessments answered on version 1 of the question bank score exactly as they did before
version 2 brought blocker levels, deciding perspectives and routing.

The expected figures were computed by the scoring module as it stood before those rules
(commit 47604c7) from the same answers.
"""

import random

import pytest

from assessments import loading
from assessments.models import Answer, Response
from assessments.questionnaire_files import BUNDLED_FILES, load_file
from assessments.scoring import Band, Verdict
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db

PERSPECTIVES = ["leadership", "business", "data_it", "legal_risk"]
BEFORE_VERSION_TWO = {
    "data": (44.8642, Band.HIGH, ()),
    "expectations": (46.5888, Band.HIGH, ("expectations.human-oversight",)),
    "skills": (42.6659, Band.HIGH, ()),
    "ethics": (51.81, Band.MODERATE, ()),
    "change": (43.1011, Band.HIGH, ()),
    "method": (49.0655, Band.HIGH, ("method.evaluation",)),
}


@pytest.fixture
def assessment():
    """14 respondents answering version 1 from a seeded generator (skips and don't know too)."""
    questionnaire = load_file(BUNDLED_FILES[0]).questionnaire
    assessment = AssessmentFactory(questionnaire=questionnaire, anonymity_threshold=3)
    pillars = list(questionnaire.pillars.order_by("order"))
    questions = list(questionnaire.questions.order_by("order"))
    rng = random.Random(7)
    for number in range(14):
        answers = []
        for question in questions:
            draw = rng.random()
            if draw < 0.1:
                continue
            level = None if draw < 0.18 else rng.choice([0, 0, 1, 2, 2, 3, 3, 4])
            answers.append((question, level))
        response = Response.objects.create(
            assessment=assessment,
            token_hash=f"v1-{number}",
            perspective=PERSPECTIVES[number % 4],
            importance={pillar.code: rng.randint(1, 5) for pillar in pillars},
            submitted_at=assessment.created_at,
        )
        Answer.objects.bulk_create(
            Answer(response=response, question=q, level=level, dont_know=level is None)
            for q, level in answers
        )
    return assessment


def test_version_one_pillars_score_as_before(assessment):
    result = loading.score_assessment(assessment)

    assert {
        p.pillar: (round(p.maturity, 4), p.band, p.red_flags) for p in result.pillars
    } == BEFORE_VERSION_TWO


def test_version_one_verdict_and_index_are_as_before(assessment):
    result = loading.score_assessment(assessment)

    assert result.overall_index == pytest.approx(46.34925514085731, abs=1e-12)
    assert result.verdict == Verdict.NOT_READY
    assert result.red_flags == ("expectations.human-oversight", "method.evaluation")
    assert result.not_established == ()  # version 1 has no such rule
