"""The question bank as a readable file: validate, load into the database, export back.

A file describes one questionnaire version. Loading is idempotent; a version that already
has answers is frozen and only accepts a file identical to what it holds.

Every text a person reads (the title and description, pillar name and description, band
recommendations, question text, help, levels and recommendation) is either a plain string
(English) or a mapping of language code to text with English required; every language that
appears anywhere must be complete everywhere. English is stored in the model fields, the
other languages in their `translations`. Texts in other languages may still be added or
corrected once a version has answers: they translate, they do not change what is asked.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from .models import DEFAULT_SETTINGS, LEVELS, MAX_LEVEL, Pillar, Question, Questionnaire
from .scoring import DEFAULT_BLOCKER_BELOW, PERSPECTIVES, Aggregation, Band, BandSettings

QUESTIONNAIRES = Path(__file__).resolve().parent / "questionnaires"
# Every version the product ships, oldest first; the last is the one new assessments use.
BUNDLED_FILES = (
    QUESTIONNAIRES / "genai-readiness-v1.yaml",
    QUESTIONNAIRES / "genai-readiness-v2.yaml",
    QUESTIONNAIRES / "genai-readiness-v3.yaml",
)
BUNDLED = BUNDLED_FILES[-1]
ENGLISH = "en"
PILLAR_FIELDS = ("code", "name", "description", "weight", "recommendations")
# Settings a file states only when it departs from the default.
OPTIONAL_SETTINGS = (
    "not_established_share",
    "aggregation",
    "establish_unanswered",
    "disagreement_gap",
)
QUESTION_FIELDS = (
    "code",
    "text",
    "help",
    "perspectives",
    "weight",
    "critical",
    "blocker_below",
    "deciding_perspectives",
    "levels",
    "recommendation",
    "references",
)
# Texts a person reads, which may come in several languages.
QUESTIONNAIRE_TEXTS = ("title", "description")
PILLAR_TEXTS = ("name", "description", "recommendations")
QUESTION_TEXTS = ("text", "help", "levels", "recommendation")


class QuestionnaireFileError(Exception):
    """A file that cannot be loaded; `problems` names each question and field at fault."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class QuestionnaireFrozen(QuestionnaireFileError):
    pass


@dataclass(frozen=True)
class LoadResult:
    questionnaire: Questionnaire
    created: bool
    changed: bool


def read_file(path: Path | str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise QuestionnaireFileError([f"{path}: cannot be read: {error}"]) from error
    if not isinstance(data, dict):
        raise QuestionnaireFileError([f"{path}: expected a mapping at the top level"])
    return data


class _Checker:
    """Collects every problem in one pass, so an author can fix the file in one go."""

    def __init__(self):
        self.problems: list[str] = []
        # where -> the languages that text was given in, to check completeness at the end
        self.languages: dict[str, set[str]] = {}

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def translatable(self, where: str, value: Any, *, required: bool = True) -> dict[str, str]:
        """A text as {language: text}; a plain string is English."""
        if isinstance(value, dict):
            texts = {}
            for language, text in value.items():
                if not isinstance(language, str) or not language.isalpha():
                    self.fail(where, f"{language!r} is not a language code")
                    continue
                texts[language.lower()] = self.text(f"{where} [{language}]", text)
            if ENGLISH not in texts:
                self.fail(where, "an English text (en) is needed")
        elif value is None and not required:
            texts = {}
        else:
            texts = {ENGLISH: self.text(where, value, required=required)}
        if texts.get(ENGLISH) or required:
            self.languages[where] = set(texts) | {ENGLISH}
        return texts

    def check_languages_complete(self) -> None:
        every = set().union(*self.languages.values()) if self.languages else set()
        for where, present in self.languages.items():
            missing = sorted(every - present)
            if missing:
                self.fail(where, f"no text in {', '.join(missing)}")

    def perspectives(self, where: str, value: Any) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(where, "a list of perspective codes is needed")
            return []
        unknown = [v for v in value if v not in PERSPECTIVES]
        if unknown:
            self.fail(where, f"unknown perspectives {unknown}; known: {', '.join(PERSPECTIVES)}")
        return [v for v in PERSPECTIVES if v in value]

    def text(self, where: str, value: Any, *, required: bool = True) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(where, "a non-empty text is needed")
            return ""
        return value.strip()

    def weight(self, where: str, value: Any) -> float:
        if value is None:
            return 1.0
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            self.fail(where, f"a positive number is needed, found {value!r}")
            return 1.0
        return float(value)


def validate(data: dict[str, Any]) -> dict[str, Any]:
    """Return the file's content in canonical form, or raise with every problem found."""
    check = _Checker()
    slug = check.text("slug", data.get("slug"))
    title = _canonical(check.translatable("title", data.get("title")))
    description = _canonical(
        check.translatable("description", data.get("description"), required=False)
    )
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        check.fail("version", f"a whole number from 1 is needed, found {version!r}")
    settings = _validate_settings(check, data.get("settings") or {})
    pillars = data.get("pillars")
    if not isinstance(pillars, list) or not pillars:
        check.fail("pillars", "a list of pillars is needed")
        pillars = []

    seen_pillars: set[str] = set()
    seen_questions: set[str] = set()
    canonical_pillars = []
    for index, pillar in enumerate(pillars, start=1):
        where = f"pillar {pillar.get('code', index) if isinstance(pillar, dict) else index}"
        if not isinstance(pillar, dict):
            check.fail(where, "a mapping is needed")
            continue
        code = check.text(f"{where}: code", pillar.get("code"))
        if code in seen_pillars:
            check.fail(f"{where}: code", "used twice")
        seen_pillars.add(code)
        recommendations = pillar.get("recommendations") or {}
        if not isinstance(recommendations, dict):
            check.fail(f"{where}: recommendations", "a mapping of band to text is needed")
            recommendations = {}
        band_texts = {
            band.value: check.translatable(
                f"{where}: recommendations: {band.value}", recommendations.get(band.value)
            )
            for band in Band
        }
        unknown = set(recommendations) - {band.value for band in Band}
        if unknown:
            check.fail(f"{where}: recommendations", f"unknown bands {sorted(unknown)}")
        questions = pillar.get("questions")
        if not isinstance(questions, list) or not questions:
            check.fail(f"{where}: questions", "a list of questions is needed")
            questions = []
        canonical_questions = [
            _validate_question(check, question, index, code, seen_questions)
            for index, question in enumerate(questions, start=1)
        ]
        canonical_pillars.append(
            {
                "code": code,
                "name": _canonical(check.translatable(f"{where}: name", pillar.get("name"))),
                "description": _canonical(
                    check.translatable(
                        f"{where}: description", pillar.get("description"), required=False
                    )
                ),
                "weight": check.weight(f"{where}: weight", pillar.get("weight")),
                "recommendations": {band: _canonical(texts) for band, texts in band_texts.items()},
                "questions": canonical_questions,
            }
        )
    check.check_languages_complete()
    if check.problems:
        raise QuestionnaireFileError(check.problems)
    return {
        "slug": slug,
        "version": version,
        "title": title,
        "description": description,
        "settings": settings,
        "pillars": canonical_pillars,
    }


def _validate_settings(check: _Checker, settings: Any) -> dict[str, Any]:
    if not isinstance(settings, dict):
        check.fail("settings", "a mapping is needed")
        return DEFAULT_SETTINGS
    bands = {**DEFAULT_SETTINGS["bands"], **(settings.get("bands") or {})}
    try:
        BandSettings(**bands)
    except (TypeError, ValueError) as error:
        check.fail("settings: bands", str(error))
    share = settings.get("red_flag_share", DEFAULT_SETTINGS["red_flag_share"])
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 1:
        check.fail(
            "settings: red_flag_share", f"a share above 0 and at most 1 is needed, found {share!r}"
        )
    not_established = settings.get("not_established_share")
    if not_established is not None and (
        isinstance(not_established, bool)
        or not isinstance(not_established, int | float)
        or not 0 <= not_established < 1
    ):
        check.fail(
            "settings: not_established_share",
            f"a share from 0 to below 1 is needed, found {not_established!r}",
        )
    canonical = {"bands": bands, "red_flag_share": share}
    if not_established is not None:
        canonical["not_established_share"] = not_established
    aggregation = settings.get("aggregation", Aggregation.RESPONDENT_FIRST.value)
    if aggregation not in {choice.value for choice in Aggregation}:
        check.fail(
            "settings: aggregation",
            f"one of {', '.join(choice.value for choice in Aggregation)} is needed, "
            f"found {aggregation!r}",
        )
    elif aggregation != Aggregation.RESPONDENT_FIRST:
        canonical["aggregation"] = aggregation
    if settings.get("establish_unanswered", False) not in (True, False):
        check.fail("settings: establish_unanswered", "true or false is needed")
    elif settings.get("establish_unanswered"):
        canonical["establish_unanswered"] = True
    gap = settings.get("disagreement_gap")
    if gap is not None and (
        isinstance(gap, bool) or not isinstance(gap, int | float) or not 0 < gap <= 100
    ):
        check.fail("settings: disagreement_gap", f"points above 0 and at most 100, found {gap!r}")
    elif gap is not None:
        canonical["disagreement_gap"] = gap
    return canonical


def _validate_question(
    check: _Checker, question: Any, index: int, pillar_code: str, seen: set[str]
) -> dict[str, Any]:
    if not isinstance(question, dict):
        check.fail(f"pillar {pillar_code}: question {index}", "a mapping is needed")
        return {}
    code = question.get("code")
    where = f"question {code or f'{pillar_code} #{index}'}"
    code = check.text(f"{where}: code", code)
    if code in seen:
        check.fail(f"{where}: code", "used twice")
    seen.add(code)
    levels = question.get("levels")
    if not isinstance(levels, list) or len(levels) != len(LEVELS):
        found = len(levels) if isinstance(levels, list) else "none"
        check.fail(
            f"{where}: levels", f"{len(LEVELS)} level descriptions are needed, found {found}"
        )
        levels = []
    level_texts = [
        check.translatable(f"{where}: levels: level {level}", description)
        for level, description in enumerate(levels)
    ]
    references = question.get("references") or []
    if not isinstance(references, list) or not all(isinstance(r, str) for r in references):
        check.fail(f"{where}: references", "a list of texts is needed")
        references = []
    critical = question.get("critical", False)
    if not isinstance(critical, bool):
        check.fail(f"{where}: critical", f"true or false is needed, found {critical!r}")
    blocker_below = question.get("blocker_below", DEFAULT_BLOCKER_BELOW)
    if isinstance(blocker_below, bool) or blocker_below not in range(1, MAX_LEVEL + 1):
        check.fail(
            f"{where}: blocker_below",
            f"a level from 1 to {MAX_LEVEL} is needed, found {blocker_below!r}",
        )
        blocker_below = DEFAULT_BLOCKER_BELOW
    perspectives = check.perspectives(f"{where}: perspectives", question.get("perspectives"))
    deciding = check.perspectives(
        f"{where}: deciding_perspectives", question.get("deciding_perspectives")
    )
    if critical is False and (deciding or blocker_below != DEFAULT_BLOCKER_BELOW):
        check.fail(
            where, "blocker_below and deciding_perspectives apply to critical questions only"
        )
    not_asked = [p for p in deciding if perspectives and p not in perspectives]
    if not_asked:
        check.fail(f"{where}: deciding_perspectives", f"{not_asked} are not asked this question")
    return {
        "code": code,
        "text": _canonical(check.translatable(f"{where}: text", question.get("text"))),
        "help": _canonical(
            check.translatable(f"{where}: help", question.get("help"), required=False)
        ),
        "perspectives": perspectives,
        "weight": check.weight(f"{where}: weight", question.get("weight")),
        "critical": critical is True,
        "blocker_below": blocker_below,
        "deciding_perspectives": deciding,
        "levels": [_canonical(texts) for texts in level_texts],
        "recommendation": _canonical(
            check.translatable(
                f"{where}: recommendation", question.get("recommendation"), required=False
            )
        ),
        "references": [reference.strip() for reference in references],
    } | ({"not_applicable": True} if _not_applicable(check, where, question) else {})


def _not_applicable(check: "_Checker", where: str, question: dict[str, Any]) -> bool:
    """A question that may not apply to every initiative offers "does not apply", counted
    like "don't know" but labelled as such."""
    value = question.get("not_applicable", False)
    if value not in (True, False):
        check.fail(f"{where}: not_applicable", "true or false is needed")
        return False
    return value


def _canonical(texts: dict[str, str]) -> str | dict[str, str]:
    """English alone as a plain string; several languages as a mapping, English first."""
    texts = {language: text for language, text in texts.items() if text}
    if set(texts) <= {ENGLISH}:
        return texts.get(ENGLISH, "")
    return {
        ENGLISH: texts.get(ENGLISH, ""),
        **{k: v for k, v in sorted(texts.items()) if k != ENGLISH},
    }


def english(value: str | dict[str, str]) -> str:
    return value if isinstance(value, str) else value.get(ENGLISH, "")


def _translations(content: dict[str, Any], fields: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """{language: {field: text}} for every language other than English in these fields."""
    languages = sorted(
        {
            language
            for field in fields
            for value in _texts_of(content[field])
            if isinstance(value, dict)
            for language in value
            if language != ENGLISH
        }
    )
    return {
        language: {field: _in_language(content[field], language) for field in fields}
        for language in languages
    }


def _texts_of(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, dict) and not _is_text_mapping(value):
        return list(value.values())
    return [value]


def _is_text_mapping(value: dict) -> bool:
    """{en: …, de: …} is one text; {low: …, high: …} (recommendations) holds several."""
    return ENGLISH in value and all(isinstance(v, str) for v in value.values())


def _in_language(value: Any, language: str) -> Any:
    if isinstance(value, list):
        return [_in_language(item, language) for item in value]
    if isinstance(value, dict) and not _is_text_mapping(value):
        return {key: _in_language(item, language) for key, item in value.items()}
    return value.get(language, "") if isinstance(value, dict) else value


def _in_english(value: Any) -> Any:
    return _in_language(value, ENGLISH) if not isinstance(value, str) else value


def _with_translations(english_value: Any, translations: dict[str, dict], field: str) -> Any:
    """The canonical file form of a field from its English value and stored translations."""
    if not translations:
        return english_value
    if isinstance(english_value, list):
        return [
            _canonical({ENGLISH: text, **{lang: t[field][i] for lang, t in translations.items()}})
            for i, text in enumerate(english_value)
        ]
    if isinstance(english_value, dict):
        return {
            key: _canonical(
                {ENGLISH: text, **{lang: t[field][key] for lang, t in translations.items()}}
            )
            for key, text in english_value.items()
        }
    return _canonical(
        {ENGLISH: english_value, **{lang: t[field] for lang, t in translations.items()}}
    )


def export(questionnaire: Questionnaire) -> dict[str, Any]:
    """The questionnaire in the same canonical form that `validate` returns."""
    questions_by_pillar: dict[int, list[Question]] = {}
    for question in questionnaire.questions.order_by("order"):
        questions_by_pillar.setdefault(question.pillar_id, []).append(question)
    return {
        "slug": questionnaire.slug,
        "version": questionnaire.version,
        **_export_fields(questionnaire, QUESTIONNAIRE_TEXTS, QUESTIONNAIRE_TEXTS),
        "settings": _export_settings(questionnaire),
        "pillars": [
            {
                **_export_fields(pillar, PILLAR_FIELDS, PILLAR_TEXTS),
                "questions": [
                    _export_question(question)
                    for question in questions_by_pillar.get(pillar.pk, [])
                ],
            }
            for pillar in questionnaire.pillars.order_by("order")
        ],
    }


def _export_settings(questionnaire: Questionnaire) -> dict[str, Any]:
    settings = {"bands": questionnaire.bands, "red_flag_share": questionnaire.red_flag_share}
    optional = ("not_established_share", "aggregation", "establish_unanswered", "disagreement_gap")
    settings |= {
        key: questionnaire.settings[key] for key in optional if key in questionnaire.settings
    }
    return settings


def _export_fields(
    obj: Questionnaire | Pillar | Question, fields: tuple[str, ...], texts: tuple[str, ...]
):
    return {
        field: _with_translations(getattr(obj, field), obj.translations, field)
        if field in texts
        else getattr(obj, field)
        for field in fields
    }


def _export_question(question: Question) -> dict[str, Any]:
    exported = _export_fields(question, QUESTION_FIELDS, QUESTION_TEXTS)
    return exported | ({"not_applicable": True} if question.not_applicable else {})


def dump_yaml(content: dict[str, Any]) -> str:
    return yaml.safe_dump(content, sort_keys=False, allow_unicode=True, width=100)


@transaction.atomic
def load(data: dict[str, Any]) -> LoadResult:
    """Create or update one questionnaire version from validated file content."""
    content = validate(data)
    questionnaire = (
        Questionnaire.objects.select_for_update()
        .filter(slug=content["slug"], version=content["version"])
        .first()
    )
    created = questionnaire is None
    if not created:
        held = export(questionnaire)
        if held == content:
            return LoadResult(questionnaire, created=False, changed=False)
        if questionnaire.is_frozen and english_only(held) != english_only(content):
            raise QuestionnaireFrozen(
                [
                    f"{questionnaire.slug} version {questionnaire.version} already has answers "
                    "and cannot change: publish the file as a new version instead."
                ]
            )
    questionnaire = questionnaire or Questionnaire(slug=content["slug"], version=content["version"])
    for field, value in _stored_fields(content, QUESTIONNAIRE_TEXTS, QUESTIONNAIRE_TEXTS).items():
        setattr(questionnaire, field, value)
    questionnaire.settings = content["settings"]
    questionnaire.save()
    _replace_pillars(questionnaire, content["pillars"])
    return LoadResult(questionnaire, created=created, changed=True)


def _replace_pillars(questionnaire: Questionnaire, pillars: list[dict[str, Any]]) -> None:
    """Update pillars and questions in place by code; drop the ones the file no longer has."""
    questionnaire.questions.exclude(
        code__in=[q["code"] for p in pillars for q in p["questions"]]
    ).delete()
    questionnaire.pillars.exclude(code__in=[p["code"] for p in pillars]).delete()
    question_order = 0
    for pillar_order, pillar_content in enumerate(pillars, start=1):
        pillar, _ = Pillar.objects.update_or_create(
            questionnaire=questionnaire,
            code=pillar_content["code"],
            defaults={
                **_stored_fields(pillar_content, PILLAR_FIELDS, PILLAR_TEXTS),
                "order": pillar_order,
            },
        )
        for question_content in pillar_content["questions"]:
            question_order += 1
            Question.objects.update_or_create(
                questionnaire=questionnaire,
                code=question_content["code"],
                defaults={
                    **_stored_fields(question_content, QUESTION_FIELDS, QUESTION_TEXTS),
                    "not_applicable": question_content.get("not_applicable", False),
                    "pillar": pillar,
                    "order": question_order,
                },
            )


def english_only(content: dict[str, Any]) -> dict[str, Any]:
    """Canonical content with its other languages left out: what answers are given to."""

    def english_fields(item: dict[str, Any], texts: tuple[str, ...]) -> dict[str, Any]:
        return {key: _in_english(value) if key in texts else value for key, value in item.items()}

    return english_fields(content, QUESTIONNAIRE_TEXTS) | {
        "pillars": [
            english_fields(pillar, PILLAR_TEXTS)
            | {"questions": [english_fields(q, QUESTION_TEXTS) for q in pillar["questions"]]}
            for pillar in content["pillars"]
        ]
    }


def _stored_fields(
    content: dict[str, Any], fields: tuple[str, ...], texts: tuple[str, ...]
) -> dict[str, Any]:
    """Model field values: English in the fields, other languages in `translations`."""
    stored = {
        field: _in_english(content[field]) if field in texts else content[field]
        for field in fields
        if field != "code"
    }
    stored["translations"] = _translations(content, texts)
    return stored


def load_file(path: Path | str) -> LoadResult:
    return load(read_file(path))
