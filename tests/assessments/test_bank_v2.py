"""Version 2 of the question bank with its calibrated verdict, worked through the database:
every respondent answers what their perspective is asked, at one level."""

import pytest

from assessments import loading
from assessments.questionnaire_files import BUNDLED_FILES, load_file
from assessments.scoring import ReasonKind, Verdict
from tests.support.teams import answered_by_team

pytestmark = pytest.mark.django_db

PERSPECTIVES = ["leadership", "business", "data_it", "legal_risk", "people_hr"]


@pytest.fixture
def questionnaire():
    return load_file(BUNDLED_FILES[1]).questionnaire


def answered(
    questionnaire,
    levels: dict[str, int] | int,
    *,
    each: int = 3,
    dont_know: frozenset[str] = frozenset(),
    **overrides,
):
    """`each` respondents per perspective answering every question they are asked at a level
    (or per question code), don't know to the `dont_know` codes; `overrides` maps
    "perspective:code" to a level for the first respondent of that perspective."""

    def level_of(perspective: str, number: int, code: str) -> int | None:
        if code in dont_know:
            return None
        return overrides.get(
            f"{perspective}:{code}" if number == 0 else "",
            levels if isinstance(levels, int) else levels.get(code, 3),
        )

    assessment = answered_by_team(questionnaire, dict.fromkeys(PERSPECTIVES, each), level_of)
    return loading.score_assessment(assessment, min_respondents=3)


@pytest.mark.parametrize(
    ("level", "verdict"),
    [(3, Verdict.READY), (2, Verdict.READY_WITH_CONDITIONS), (1, Verdict.NOT_READY)],
)
def test_every_answer_at_one_level_gives_the_calibrated_verdict(questionnaire, level, verdict):
    assert answered(questionnaire, level).verdict == verdict


def test_one_pillar_below_level_one_and_a_half_is_not_ready_whatever_the_others(questionnaire):
    ethics = questionnaire.questions.filter(pillar__code="ethics", critical=False)
    result = answered(questionnaire, dict.fromkeys(ethics.values_list("code", flat=True), 0))

    assert result.pillar("ethics").band.value == "critical"
    assert result.verdict == Verdict.NOT_READY


def test_one_lawyer_at_level_one_on_lawful_basis_raises_a_red_flag(questionnaire):
    result = answered(questionnaire, 4, **{"legal_risk:ethics.personal-data": 1})

    lawful = result.questions["ethics.personal-data"]
    assert (lawful.red_flag, lawful.red_flag_by_deciding) == (True, True)
    assert result.verdict == Verdict.NOT_READY


def test_the_same_answer_from_people_and_hr_is_outvoted(questionnaire):
    result = answered(questionnaire, 4, **{"people_hr:ethics.personal-data": 1})

    assert result.questions["ethics.personal-data"].red_flag is False


def test_a_critical_question_most_could_not_answer_blocks_readiness(questionnaire):
    result = answered(questionnaire, 4, dont_know=frozenset({"method.security"}))

    assert "method.security" in result.not_established
    assert result.reasons[0].kind == ReasonKind.NOT_ESTABLISHED
