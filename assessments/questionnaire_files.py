"""The question bank as a readable file: validate, load into the database, export back.

A file describes one questionnaire version. Loading is idempotent; a version that already
has answers is frozen and only accepts a file identical to what it holds.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from .models import DEFAULT_SETTINGS, LEVELS, Pillar, Question, Questionnaire
from .scoring import Band, BandSettings

BUNDLED = Path(__file__).resolve().parent / "questionnaires" / "genai-readiness-v1.yaml"
PILLAR_FIELDS = ("code", "name", "description", "weight", "recommendations")
QUESTION_FIELDS = (
    "code",
    "text",
    "help",
    "weight",
    "critical",
    "levels",
    "recommendation",
    "references",
)


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

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

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
        for band in Band:
            check.text(f"{where}: recommendations: {band.value}", recommendations.get(band.value))
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
                "name": check.text(f"{where}: name", pillar.get("name")),
                "description": check.text(
                    f"{where}: description", pillar.get("description"), required=False
                ),
                "weight": check.weight(f"{where}: weight", pillar.get("weight")),
                "recommendations": {
                    band.value: str(recommendations.get(band.value, "")).strip() for band in Band
                },
                "questions": canonical_questions,
            }
        )
    if check.problems:
        raise QuestionnaireFileError(check.problems)
    return {
        "slug": slug,
        "version": version,
        "title": check.text("title", data.get("title")),
        "description": str(data.get("description") or "").strip(),
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
    return {"bands": bands, "red_flag_share": share}


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
    for level, description in enumerate(levels):
        check.text(f"{where}: levels: level {level}", description)
    references = question.get("references") or []
    if not isinstance(references, list) or not all(isinstance(r, str) for r in references):
        check.fail(f"{where}: references", "a list of texts is needed")
        references = []
    critical = question.get("critical", False)
    if not isinstance(critical, bool):
        check.fail(f"{where}: critical", f"true or false is needed, found {critical!r}")
    return {
        "code": code,
        "text": check.text(f"{where}: text", question.get("text")),
        "help": check.text(f"{where}: help", question.get("help"), required=False),
        "weight": check.weight(f"{where}: weight", question.get("weight")),
        "critical": critical is True,
        "levels": [str(level).strip() for level in levels],
        "recommendation": check.text(
            f"{where}: recommendation", question.get("recommendation"), required=False
        ),
        "references": [reference.strip() for reference in references],
    }


def export(questionnaire: Questionnaire) -> dict[str, Any]:
    """The questionnaire in the same canonical form that `validate` returns."""
    questions_by_pillar: dict[int, list[Question]] = {}
    for question in questionnaire.questions.order_by("order"):
        questions_by_pillar.setdefault(question.pillar_id, []).append(question)
    return {
        "slug": questionnaire.slug,
        "version": questionnaire.version,
        "title": questionnaire.title,
        "description": questionnaire.description,
        "settings": {
            "bands": questionnaire.bands,
            "red_flag_share": questionnaire.red_flag_share,
        },
        "pillars": [
            {
                **{field: getattr(pillar, field) for field in PILLAR_FIELDS},
                "questions": [
                    {field: getattr(question, field) for field in QUESTION_FIELDS}
                    for question in questions_by_pillar.get(pillar.pk, [])
                ],
            }
            for pillar in questionnaire.pillars.order_by("order")
        ],
    }


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
        if export(questionnaire) == content:
            return LoadResult(questionnaire, created=False, changed=False)
        if questionnaire.is_frozen:
            raise QuestionnaireFrozen(
                [
                    f"{questionnaire.slug} version {questionnaire.version} already has answers "
                    "and cannot change: publish the file as a new version instead."
                ]
            )
    questionnaire = questionnaire or Questionnaire(slug=content["slug"], version=content["version"])
    questionnaire.title = content["title"]
    questionnaire.description = content["description"]
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
        fields = {field: pillar_content[field] for field in PILLAR_FIELDS if field != "code"}
        pillar, _ = Pillar.objects.update_or_create(
            questionnaire=questionnaire,
            code=pillar_content["code"],
            defaults={**fields, "order": pillar_order},
        )
        for question_content in pillar_content["questions"]:
            question_order += 1
            fields = {
                field: question_content[field] for field in QUESTION_FIELDS if field != "code"
            }
            Question.objects.update_or_create(
                questionnaire=questionnaire,
                code=question_content["code"],
                defaults={**fields, "pillar": pillar, "order": question_order},
            )


def load_file(path: Path | str) -> LoadResult:
    return load(read_file(path))
