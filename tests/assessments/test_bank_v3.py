"""Version 3 of the question bank: it loads, it routes each question to the perspectives that
can answer it, and no perspective reads too much.

Reading burden per perspective is counted as in `words_per_perspective` of
test_questionnaire_files.py: the words of question text, help and the five levels of every
question the perspective is asked (a question without perspectives is asked of everyone).
Estimated minutes = words / 200 (words per minute, reading on a phone)
                    + questions × 10 seconds / 60 (choosing a level).
"""

import pytest

from assessments.questionnaire_files import (
    QUESTIONNAIRES,
    english_only,
    load_file,
    read_file,
    validate,
)
from assessments.scoring import PERSPECTIVES

pytestmark = pytest.mark.django_db

V3 = QUESTIONNAIRES / "genai-readiness-v3.yaml"
V2 = QUESTIONNAIRES / "genai-readiness-v2.yaml"
V1 = QUESTIONNAIRES / "genai-readiness-v1.yaml"

MAX_QUESTIONS = 18
MAX_WORDS = 1900
WORDS_PER_MINUTE = 200
SECONDS_PER_QUESTION = 10

# Critical questions where only level 0 blocks, and the ones that block below level 2.
LEVEL_ZERO_BLOCKERS = {
    "data.quality",
    "expectations.human-oversight",
    "expectations.autonomy",
    "ethics.accountability",
    "ethics.output-safety",
    "ethics.transparency",
    "change.ai-literacy",
    "method.evaluation",
    "method.monitoring",
    "method.incidents",
}
LEVEL_TWO_BLOCKERS = {
    "data.usage-rights",
    "ethics.personal-data",
    "ethics.ai-act-class",
    "method.security",
    "method.supplier-terms",
}
DOES_NOT_APPLY = {
    "ethics.bias",
    "expectations.autonomy",
    "ethics.explainability",
    "expectations.running-cost",
    "method.supplier-terms",
    "method.supplier-exit",
}


def questions_of(data: dict) -> list[dict]:
    return [question for pillar in data["pillars"] for question in pillar["questions"]]


def asked(question: dict) -> list[str]:
    return question.get("perspectives") or list(PERSPECTIVES)


def burden(data: dict) -> dict[str, tuple[int, int, float]]:
    """(questions, words, estimated minutes) that a respondent of each perspective reads."""
    counts = {perspective: [0, 0] for perspective in PERSPECTIVES}
    for question in questions_of(data):
        words = sum(
            len(text.split())
            for text in [question["text"], question.get("help") or "", *question["levels"]]
        )
        for perspective in asked(question):
            counts[perspective][0] += 1
            counts[perspective][1] += words
    return {
        perspective: (
            questions,
            words,
            words / WORDS_PER_MINUTE + questions * SECONDS_PER_QUESTION / 60,
        )
        for perspective, (questions, words) in counts.items()
    }


@pytest.fixture(scope="module")
def data():
    """The file's content in English, as the figures on reading time count it."""
    return english_only(validate(read_file(V3)))


@pytest.fixture
def questionnaire():
    return load_file(V3).questionnaire


def test_version_3_loads_with_its_six_pillars_and_settings(questionnaire, data):
    assert (questionnaire.slug, questionnaire.version) == ("genai-readiness", 3)
    assert list(questionnaire.pillars.order_by("order").values_list("code", flat=True)) == [
        "data",
        "expectations",
        "skills",
        "ethics",
        "change",
        "method",
    ]
    assert questionnaire.questions.count() == len(questions_of(data))
    assert questionnaire.bands == {"moderate": 30, "high": 45, "critical": 62.5}
    assert questionnaire.red_flag_share == 0.2
    assert questionnaire.not_established_share == 0.5
    assert questionnaire.aggregation == "question_first"
    assert questionnaire.establish_unanswered is True
    assert questionnaire.disagreement_gap == 50


def test_no_perspective_reads_more_than_18_questions_or_1900_words(data):
    table = burden(data)

    print()
    print(f"{'perspective':<12} {'questions':>9} {'words':>6} {'minutes':>8}")
    for perspective, (questions, words, minutes) in table.items():
        print(f"{perspective:<12} {questions:>9} {words:>6} {minutes:>8.1f}")
    for perspective, (questions, words, _) in table.items():
        assert questions <= MAX_QUESTIONS, perspective
        assert words <= MAX_WORDS, perspective
        assert questions > 0, perspective


def test_every_critical_question_is_asked_of_at_least_two_perspectives(questionnaire):
    for question in questionnaire.questions.filter(critical=True):
        assert len(question.perspectives or PERSPECTIVES) >= 2, question.code


def test_every_deciding_perspective_is_asked_the_question(questionnaire):
    for question in questionnaire.questions.all():
        for perspective in question.deciding_perspectives:
            assert question.asked_of(perspective), (question.code, perspective)


def test_critical_questions_and_their_blocker_levels(questionnaire):
    critical = {
        question.code: question.blocker_below
        for question in questionnaire.questions.filter(critical=True)
    }

    assert critical == {
        **dict.fromkeys(LEVEL_ZERO_BLOCKERS, 1),
        **dict.fromkeys(LEVEL_TWO_BLOCKERS, 2),
    }
    for question in questionnaire.questions.filter(critical=True):
        assert question.deciding_perspectives, question.code


@pytest.mark.parametrize(
    ("code", "deciding"),
    [
        ("data.usage-rights", "legal_risk"),
        ("expectations.human-oversight", "legal_risk"),
        ("ethics.personal-data", "legal_risk"),
        ("ethics.ai-act-class", "legal_risk"),
        ("ethics.transparency", "legal_risk"),
        ("method.supplier-terms", "legal_risk"),
        ("data.quality", "data_it"),
        ("method.evaluation", "data_it"),
        ("method.security", "data_it"),
        ("method.monitoring", "data_it"),
        ("method.incidents", "data_it"),
        ("ethics.output-safety", "data_it"),
        ("expectations.autonomy", "data_it"),
        ("ethics.accountability", "leadership"),
        ("change.ai-literacy", "people_hr"),
    ],
)
def test_the_perspective_that_knows_decides(questionnaire, code, deciding):
    assert deciding in questionnaire.questions.get(code=code).deciding_perspectives


@pytest.mark.parametrize(
    ("code", "perspective"),
    [
        ("ethics.personal-data", "data_it"),
        ("ethics.ai-act-class", "business"),
        ("data.usage-rights", "legal_risk"),
        ("expectations.human-oversight", "legal_risk"),
    ],
)
def test_routing_asks_the_perspectives_the_review_named(questionnaire, code, perspective):
    assert questionnaire.questions.get(code=code).asked_of(perspective)


def test_does_not_apply_is_offered_where_a_question_may_not_fit(questionnaire, data):
    offered = set(
        questionnaire.questions.filter(not_applicable=True).values_list("code", flat=True)
    )

    assert offered == DOES_NOT_APPLY
    for question in questions_of(data):
        if question["code"] in DOES_NOT_APPLY:
            assert "Does not apply when" in question["help"], question["code"]


def test_codes_compare_with_earlier_versions(data):
    """Kept codes ask the same idea; method.provider is split; new ideas have new codes."""
    codes = {q["code"] for q in questions_of(data)}
    earlier = {q["code"] for path in (V1, V2) for q in questions_of(read_file(path))}

    assert "method.provider" not in codes
    assert {"method.team", "skills.evaluation-design"} <= codes & earlier
    assert codes - earlier == {
        "ethics.transparency",
        "method.supplier-terms",
        "method.supplier-exit",
    }


def test_every_question_has_a_recommendation_and_every_pillar_band_a_text(questionnaire):
    for question in questionnaire.questions.all():
        assert question.recommendation.strip(), question.code
    for pillar in questionnaire.pillars.all():
        assert set(pillar.recommendations) == {"low", "moderate", "high", "critical"}
        assert all(text.strip() for text in pillar.recommendations.values()), pillar.code


def test_references_state_limits_and_dates_the_review_asked_for(data):
    references = {q["code"]: " | ".join(q["references"]) for q in questions_of(data)}

    assert "MANAGE 2.2" in references["expectations.running-cost"]
    assert "MAP 3.2" not in references["expectations.running-cost"]
    assert "MAP 3.2 (cost of errors)" in references["expectations.value-case"]
    assert "MAP 1.4" in references["expectations.value-case"]
    for clause in ("MAP 1.3", "MAP 1.4", "MANAGE 1.1"):
        assert clause in references["expectations.success-criteria"]
    assert "Art. 10(2)–(4), (6)" in references["data.quality"]
    assert "10(2)(f)–(g) and 10(5)" in references["ethics.bias"]
    assert "legal or similarly significant effects" in references["expectations.human-oversight"]
    for clause in ("50(3)", "50(5)", "applies since 2 August 2026"):
        assert clause in references["ethics.transparency"]
    assert "applies since 2 February 2025" in references["change.ai-literacy"]
    assert "Art. 73 (providers" in references["method.incidents"]
    assert "Art. 26(5)" in references["method.incidents"]
    assert "42001 10.2" in references["method.incidents"]
    assert "A.8.4" in references["method.incidents"]
    assert "Annex III" in references["ethics.explainability"]
    assert "6(3)–(4)" in references["ethics.ai-act-class"]
    assert "Art. 27" in references["ethics.ai-act-class"]
    assert "Art. 25(1)(c)" in references["ethics.ai-act-role"]
    assert "GDPR Art. 6(4)" in references["data.usage-rights"]
    assert "A.10.3" in references["method.supplier-terms"]
    assert "Art. 53(1)(b) and Annex XII" in references["method.supplier-terms"]
    assert "MANAGE 3.2" in references["method.supplier-exit"]
    assert "OWASP Top 10 for LLM Applications 2025" in references["method.security"]
