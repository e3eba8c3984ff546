"""The question bank as a file: the bundled version, validation, idempotent loads, freezing."""

import copy
from io import StringIO

import pytest
import yaml
from django.core.management import CommandError, call_command

from assessments.models import Pillar, Question, Questionnaire
from assessments.questionnaire_files import (
    BUNDLED,
    BUNDLED_FILES,
    QuestionnaireFileError,
    QuestionnaireFrozen,
    dump_yaml,
    english,
    export,
    load,
    load_file,
    read_file,
    validate,
)
from assessments.scoring import PERSPECTIVES
from tests.factories import AnswerFactory, AssessmentFactory, ResponseFactory

pytestmark = pytest.mark.django_db

PILLAR_CODES = ["data", "expectations", "skills", "ethics", "change", "method"]

V2 = BUNDLED_FILES[1]  # the tests of file handling use a version whose content they know


def bundled() -> dict:
    return read_file(V2)


def question_in(data: dict, code: str) -> dict:
    return next(q for p in data["pillars"] for q in p["questions"] if q["code"] == code)


def pillar_in(data: dict, code: str) -> dict:
    return next(p for p in data["pillars"] if p["code"] == code)


def write(tmp_path, data: dict, name: str = "questionnaire.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def table_snapshot() -> dict:
    """Every row of the question bank, by primary key, to compare before and after a load."""
    return {
        "questionnaires": list(Questionnaire.objects.order_by("pk").values()),
        "pillars": list(Pillar.objects.order_by("pk").values()),
        "questions": list(Question.objects.order_by("pk").values()),
    }


def answer_one_question(questionnaire: Questionnaire, code: str = "data.inventory"):
    assessment = AssessmentFactory(questionnaire=questionnaire)
    response = ResponseFactory(assessment=assessment)
    return AnswerFactory(response=response, question=questionnaire.questions.get(code=code))


# The bundled file


def test_bundled_file_loads_six_pillars_in_the_order_of_the_method():
    questionnaire = load_file(V2).questionnaire

    assert list(questionnaire.pillars.order_by("order").values_list("code", flat=True)) == (
        PILLAR_CODES
    )


def test_bundled_file_holds_five_to_nine_questions_per_pillar_and_about_forty():
    """Five to eight a pillar and forty in all until version 3, whose review added AI Act
    transparency and split the model supplier's terms from the exit from it: routing keeps
    every perspective at 18 questions or fewer (test_bank_v3)."""
    questionnaire = load_file(BUNDLED).questionnaire

    counts = {pillar.code: len(pillar.question_list) for pillar in questionnaire.outline()}
    assert questionnaire.questions.count() <= 45
    assert 5 <= min(counts.values()) <= max(counts.values()) <= 9


def test_bundled_file_gives_every_question_five_level_descriptions():
    questionnaire = load_file(BUNDLED).questionnaire

    level_counts = {
        len(levels) for levels in questionnaire.questions.values_list("levels", flat=True)
    }
    assert level_counts == {5}


def test_bundled_file_has_critical_questions_in_data_and_in_ethics():
    questionnaire = load_file(V2).questionnaire

    critical_pillars = set(
        questionnaire.questions.filter(critical=True).values_list("pillar__code", flat=True)
    )
    assert {"data", "ethics"} <= critical_pillars


def test_bundled_file_numbers_questions_in_file_order():
    questionnaire = load_file(V2).questionnaire

    codes_in_file = [q["code"] for p in bundled()["pillars"] for q in p["questions"]]
    assert list(questionnaire.questions.order_by("order").values_list("code", flat=True)) == (
        codes_in_file
    )


def test_bundled_file_on_an_empty_database_reports_created():
    result = load_file(V2)

    assert (result.created, result.changed) == (True, True)
    assert str(result.questionnaire) == "GenAI Readiness Assessment (v2)"


# Idempotence and round trip


def test_load_twice_keeps_the_same_rows_and_primary_keys():
    load_file(V2)
    before = table_snapshot()

    result = load_file(V2)

    assert (result.created, result.changed) == (False, False)
    assert table_snapshot() == before


def test_export_equals_the_validated_file():
    questionnaire = load_file(V2).questionnaire

    assert export(questionnaire) == validate(bundled())


def test_export_then_load_round_trips_without_change(tmp_path):
    questionnaire = load_file(V2).questionnaire
    before = table_snapshot()
    path = tmp_path / "exported.yaml"
    path.write_text(dump_yaml(export(questionnaire)), encoding="utf-8")

    result = load_file(path)

    assert result.changed is False
    assert table_snapshot() == before


def test_load_changed_text_updates_the_question_in_place(tmp_path):
    questionnaire = load_file(V2).questionnaire
    question_pk = questionnaire.questions.get(code="data.inventory").pk
    data = bundled()
    question_in(data, "data.inventory")["text"] = "Who owns each data source?"

    result = load_file(write(tmp_path, data))

    assert (result.created, result.changed) == (False, True)
    assert Question.objects.get(pk=question_pk).text == "Who owns each data source?"


def test_load_without_a_question_removes_it(tmp_path):
    questionnaire = load_file(V2).questionnaire
    data = bundled()
    pillar_in(data, "data")["questions"] = [
        q for q in pillar_in(data, "data")["questions"] if q["code"] != "data.integration"
    ]

    load_file(write(tmp_path, data))

    assert questionnaire.questions.filter(code="data.integration").exists() is False
    assert questionnaire.questions.count() == 39


# Broken files are refused whole, naming the question and the field


def four_levels(data):
    question_in(data, "data.inventory")["levels"].pop()


def negative_weight(data):
    question_in(data, "data.quality")["weight"] = -1


def duplicated_code(data):
    question_in(data, "data.integration")["code"] = "data.inventory"


def missing_band_recommendation(data):
    del pillar_in(data, "ethics")["recommendations"]["critical"]


def empty_level_text(data):
    question_in(data, "skills.llm-engineering")["levels"][2] = " "


def critical_not_a_boolean(data):
    question_in(data, "data.usage-rights")["critical"] = "yes"


def duplicated_pillar_code(data):
    pillar_in(data, "change")["code"] = "skills"


def unknown_band(data):
    pillar_in(data, "method")["recommendations"]["severe"] = "Stop."


@pytest.mark.parametrize(
    ("mutate", "problem"),
    [
        (four_levels, "question data.inventory: levels: 5 level descriptions are needed, found 4"),
        (negative_weight, "question data.quality: weight: a positive number is needed, found -1"),
        (duplicated_code, "question data.inventory: code: used twice"),
        (
            missing_band_recommendation,
            "pillar ethics: recommendations: critical: a non-empty text is needed",
        ),
        (
            empty_level_text,
            "question skills.llm-engineering: levels: level 2: a non-empty text is needed",
        ),
        (
            critical_not_a_boolean,
            "question data.usage-rights: critical: true or false is needed, found 'yes'",
        ),
        (duplicated_pillar_code, "pillar skills: code: used twice"),
        (unknown_band, "pillar method: recommendations: unknown bands ['severe']"),
    ],
    ids=lambda value: value.__name__ if callable(value) else "",
)
def test_load_broken_file_is_refused_naming_question_and_field(tmp_path, mutate, problem):
    data = bundled()
    mutate(data)

    with pytest.raises(QuestionnaireFileError) as error:
        load_file(write(tmp_path, data))

    assert error.value.problems == [problem]


def test_load_broken_file_lists_every_problem_at_once():
    data = bundled()
    four_levels(data)
    negative_weight(data)
    missing_band_recommendation(data)

    with pytest.raises(QuestionnaireFileError) as error:
        load(data)

    assert error.value.problems == [
        "question data.inventory: levels: 5 level descriptions are needed, found 4",
        "question data.quality: weight: a positive number is needed, found -1",
        "pillar ethics: recommendations: critical: a non-empty text is needed",
    ]


def test_load_broken_file_on_an_empty_database_creates_nothing(tmp_path):
    data = bundled()
    four_levels(data)

    with pytest.raises(QuestionnaireFileError):
        load_file(write(tmp_path, data))

    assert (Questionnaire.objects.count(), Pillar.objects.count(), Question.objects.count()) == (
        0,
        0,
        0,
    )


def test_load_broken_file_leaves_the_loaded_version_unchanged(tmp_path):
    load_file(V2)
    before = table_snapshot()
    data = bundled()
    question_in(data, "data.inventory")["text"] = "A changed question text"
    negative_weight(data)

    with pytest.raises(QuestionnaireFileError):
        load_file(write(tmp_path, data))

    assert table_snapshot() == before
    assert Question.objects.filter(text="A changed question text").exists() is False


def test_read_file_that_is_not_a_mapping_is_refused(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- just\n- a list\n", encoding="utf-8")

    with pytest.raises(QuestionnaireFileError) as error:
        read_file(path)

    assert error.value.problems == [f"{path}: expected a mapping at the top level"]


# A version with answers is frozen


def test_load_changed_file_for_a_version_with_answers_is_refused(tmp_path):
    questionnaire = load_file(V2).questionnaire
    answer_one_question(questionnaire)
    before = table_snapshot()
    data = bundled()
    question_in(data, "data.quality")["text"] = "A changed question text"

    with pytest.raises(QuestionnaireFrozen) as error:
        load_file(write(tmp_path, data))

    assert error.value.problems == [
        "genai-readiness version 2 already has answers and cannot change: "
        "publish the file as a new version instead."
    ]
    assert table_snapshot() == before


def test_a_version_with_answers_takes_texts_in_another_language(tmp_path):
    questionnaire = load_file(V2).questionnaire
    answer = answer_one_question(questionnaire)

    result = load_file(write(tmp_path, translated(bundled())))

    assert result.changed is True
    question = questionnaire.questions.get(code="data.inventory")
    assert question.translations["de"]["text"] == f"DE {question.text}"
    questionnaire.refresh_from_db()
    assert questionnaire.translations["de"]["title"] == f"DE {questionnaire.title}"
    assert question.answers.get() == answer  # translating kept every answer


def test_a_translation_does_not_let_english_change_on_a_version_with_answers(tmp_path):
    questionnaire = load_file(V2).questionnaire
    answer_one_question(questionnaire)
    data = translated(bundled())
    question_in(data, "data.quality")["text"]["en"] = "A changed question text"

    with pytest.raises(QuestionnaireFrozen):
        load_file(write(tmp_path, data))


def test_load_identical_file_for_a_version_with_answers_is_accepted():
    questionnaire = load_file(V2).questionnaire
    answer_one_question(questionnaire)

    result = load_file(V2)

    assert (result.created, result.changed) == (False, False)


def test_load_changed_file_as_a_new_version_leaves_the_frozen_one_alone(tmp_path):
    frozen = load_file(V2).questionnaire
    answer_one_question(frozen)
    data = bundled()
    data["version"] = 3
    question_in(data, "data.quality")["text"] = "A changed question text"

    result = load_file(write(tmp_path, data))

    assert (result.created, result.questionnaire.version) == (True, 3)
    assert result.questionnaire.questions.get(code="data.quality").text == "A changed question text"
    assert frozen.questions.get(code="data.quality").text != "A changed question text"


def test_questionnaire_is_frozen_only_once_answered():
    questionnaire = load_file(V2).questionnaire
    assert questionnaire.is_frozen is False

    answer_one_question(questionnaire)

    assert questionnaire.is_frozen is True


# Management commands


def test_load_questionnaire_command_reports_what_it_loaded():
    out = StringIO()

    call_command("load_questionnaire", str(V2), stdout=out)

    assert out.getvalue() == "Loaded GenAI Readiness Assessment (v2) (6 pillars, 40 questions).\n"


def test_load_questionnaire_command_twice_reports_up_to_date():
    call_command("load_questionnaire", str(V2), stdout=StringIO())
    out = StringIO()

    call_command("load_questionnaire", str(V2), stdout=out)

    assert out.getvalue() == (
        "GenAI Readiness Assessment (v2) is already up to date (6 pillars, 40 questions).\n"
    )


def test_load_questionnaire_command_reports_an_update(tmp_path):
    call_command("load_questionnaire", str(V2), stdout=StringIO())
    data = bundled()
    data["title"] = "GenAI Readiness"
    out = StringIO()

    call_command("load_questionnaire", str(write(tmp_path, data)), stdout=out)

    assert out.getvalue() == "Updated GenAI Readiness (v2) (6 pillars, 40 questions).\n"


def test_load_questionnaire_command_with_a_broken_file_fails_naming_the_problem(tmp_path):
    data = bundled()
    four_levels(data)
    path = write(tmp_path, data)

    with pytest.raises(CommandError) as error:
        call_command("load_questionnaire", str(path), stdout=StringIO())

    assert str(error.value) == (
        f"{path} was not loaded; nothing changed.\n"
        "  question data.inventory: levels: 5 level descriptions are needed, found 4"
    )
    assert Questionnaire.objects.exists() is False


def test_export_questionnaire_command_writes_yaml_that_parses_back_to_the_file():
    load_file(V2)
    out = StringIO()

    call_command("export_questionnaire", "genai-readiness", "2", stdout=out)

    assert yaml.safe_load(out.getvalue()) == validate(bundled())


def test_export_questionnaire_command_output_file_loads_back_without_change(tmp_path):
    load_file(V2)
    path = tmp_path / "export.yaml"

    call_command(
        "export_questionnaire", "genai-readiness", "2", output=str(path), stderr=StringIO()
    )

    assert load_file(path).changed is False
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == validate(bundled())


def test_export_questionnaire_command_with_an_unknown_slug_fails():
    load_file(V2)

    with pytest.raises(CommandError) as error:
        call_command("export_questionnaire", "no-such-questionnaire", "1", stdout=StringIO())

    assert str(error.value) == "There is no questionnaire no-such-questionnaire version 1."


def test_validate_returns_canonical_content_unchanged():
    canonical = validate(bundled())

    assert validate(copy.deepcopy(canonical)) == canonical


# Version 2: both versions side by side, routing, blockers, translations


def test_every_bundled_version_loads_into_an_empty_database_side_by_side():
    for path in BUNDLED_FILES:
        load_file(path)

    assert list(Questionnaire.objects.order_by("version").values_list("slug", "version")) == [
        ("genai-readiness", 1),
        ("genai-readiness", 2),
        ("genai-readiness", 3),
    ]
    assert Questionnaire.objects.get(version=1).questions.count() == 42
    assert Questionnaire.objects.get(version=2).questions.count() == 40
    assert Questionnaire.objects.get(version=3).questions.count() == 44


def words_per_perspective(data: dict) -> dict[str, int]:
    """Words of question text, help and levels that a respondent of each perspective reads."""
    counts = dict.fromkeys(PERSPECTIVES, 0)
    for pillar in data["pillars"]:
        for question in pillar["questions"]:
            words = sum(
                len(text.split())
                for text in [question["text"], question.get("help") or "", *question["levels"]]
            )
            for perspective in question.get("perspectives") or PERSPECTIVES:
                counts[perspective] += words
    return counts


def test_no_perspective_reads_more_than_about_2500_words_in_version_2():
    counts = words_per_perspective(bundled())

    print("Words per perspective (question, help, five levels):", counts)
    assert max(counts.values()) <= 2500
    assert min(counts.values()) > 0


def test_every_perspective_is_asked_something_in_every_pillar_of_version_2():
    data = bundled()

    for perspective in PERSPECTIVES:
        for pillar in data["pillars"]:
            asked = [
                q
                for q in pillar["questions"]
                if perspective in (q.get("perspectives") or [perspective])
            ]
            if perspective != "other":
                assert asked, (perspective, pillar["code"])


def test_critical_questions_of_version_2_name_their_blocker_level_and_deciders():
    questionnaire = load_file(V2).questionnaire

    rights = questionnaire.questions.get(code="data.usage-rights")
    lawful = questionnaire.questions.get(code="ethics.personal-data")
    assert (rights.critical, rights.blocker_below, rights.deciding_perspectives) == (
        True,
        2,
        ["data_it"],
    )
    assert (lawful.blocker_below, lawful.deciding_perspectives) == (2, ["legal_risk"])
    assert questionnaire.not_established_share == 0.5


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        (
            "perspectives",
            ["lawyers"],
            "question data.quality: perspectives: unknown perspectives ['lawyers']; known: "
            "leadership, business, data_it, legal_risk, people_hr, other",
        ),
        (
            "blocker_below",
            2,
            "question data.quality: blocker_below and deciding_perspectives apply to critical "
            "questions only",
        ),
        (
            "blocker_below",
            5,
            "question data.quality: blocker_below: a level from 1 to 4 is needed, found 5",
        ),
    ],
)
def test_routing_and_blocker_fields_are_validated(field, value, problem):
    data = bundled()
    question_in(data, "data.quality")[field] = value

    with pytest.raises(QuestionnaireFileError) as error:
        validate(data)

    assert problem in error.value.problems


def test_a_deciding_perspective_must_be_asked_the_question():
    data = bundled()
    question_in(data, "data.usage-rights")["deciding_perspectives"] = ["people_hr"]

    with pytest.raises(QuestionnaireFileError) as error:
        validate(data)

    assert error.value.problems == [
        "question data.usage-rights: deciding_perspectives: ['people_hr'] are not asked this "
        "question"
    ]


def translated(data: dict) -> dict:
    """Every text of the file in English and in German (the German is a stand-in)."""
    data = copy.deepcopy(data)

    def both(text):
        if isinstance(text, dict):
            return {**text, "de": f"DE {text['en']}"}
        return {"en": text, "de": f"DE {text}"} if text else text

    data["title"] = both(data["title"])
    data["description"] = both(data["description"])
    for pillar in data["pillars"]:
        pillar["name"] = both(pillar["name"])
        pillar["description"] = both(pillar["description"])
        pillar["recommendations"] = {b: both(t) for b, t in pillar["recommendations"].items()}
        for question in pillar["questions"]:
            for field in ("text", "help", "recommendation"):
                question[field] = both(question.get(field))
            question["levels"] = [both(level) for level in question["levels"]]
    return data


def test_a_translated_file_stores_english_in_the_fields_and_the_rest_as_translations():
    questionnaire = load(translated(bundled())).questionnaire

    question = questionnaire.questions.get(code="data.inventory")
    english_text = english(question_in(bundled(), "data.inventory")["text"])
    assert question.text == english_text
    assert question.translations["de"]["text"] == f"DE {english_text}"
    assert question.translations["de"]["levels"][0].startswith("DE ")
    pillar = questionnaire.pillars.get(code="ethics")
    assert pillar.translations["de"]["recommendations"]["critical"].startswith("DE ")


def test_a_translated_file_exports_back_unchanged():
    data = translated(bundled())

    questionnaire = load(data).questionnaire

    assert export(questionnaire) == validate(data)
    assert load(data).changed is False


def test_a_language_given_for_some_texts_only_is_refused_naming_each_gap():
    data = bundled()
    question_in(data, "data.inventory")["text"] = {"en": "Which sources?", "de": "Welche Quellen?"}

    with pytest.raises(QuestionnaireFileError) as error:
        validate(data)

    assert "question data.quality: text: no text in de" in error.value.problems
    assert "pillar data: name: no text in de" in error.value.problems


def test_a_translated_text_without_english_is_refused():
    data = translated(bundled())
    question_in(data, "data.inventory")["text"] = {"de": "Welche Quellen?"}

    with pytest.raises(QuestionnaireFileError) as error:
        validate(data)

    assert "question data.inventory: text: an English text (en) is needed" in error.value.problems
