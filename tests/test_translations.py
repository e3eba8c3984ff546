"""Every language the product speaks is complete: templates, code, the question bank."""

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.template.base import Lexer, TokenType

from assessments.questionnaire_files import BUNDLED, load_file

ROOT = Path(__file__).resolve().parents[1]
OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# Words no language translates: the product's name and the names of file formats.
UNTRANSLATED = re.compile(r"GenAI Readiness|PDF|Word|PowerPoint|Excel|CSV")
TAG = re.compile(r"<[^>]*>", re.S)
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1>", re.S)
READ_ATTRIBUTES = re.compile(r'\b(?:title|alt|placeholder|aria-label|aria-description)="([^"]*)"')
WORDS = re.compile(r"[A-Za-z]{2,}")


def catalogue(language: str):
    path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as file:
        return read_po(file, locale=language)


def untranslated(language: str) -> list[str]:
    """The messages of the catalogue with no translation, or only a guessed one."""
    return [
        str(message.id)
        for message in catalogue(language)
        if message.id
        and (
            message.fuzzy
            or not (all(message.string) if isinstance(message.string, tuple) else message.string)
        )
    ]


def text_outside_translation(source: str) -> list[str]:
    """Text a person reads in a template that no {% translate %} or
    {% blocktranslate %} covers: between tags, and in attributes that are read out."""
    parts, depth = [], 0
    for token in Lexer(source).tokenize():
        command = token.contents.split()[0] if token.token_type == TokenType.BLOCK else ""
        if command in ("blocktranslate", "blocktrans", "comment"):
            depth += 1
        elif command in ("endblocktranslate", "endblocktrans", "endcomment"):
            depth -= 1
        elif depth == 0:
            parts.append(token.contents if token.token_type == TokenType.TEXT else " § ")
    text = SCRIPT_OR_STYLE.sub(" ", "".join(parts))
    found = [value for value in READ_ATTRIBUTES.findall(text) if WORDS.search(value)]
    text = re.sub(r"&[a-z#0-9]+;", " ", TAG.sub(" ", text))
    found += [line.strip() for line in text.splitlines() if WORDS.search(line)]
    return [item for item in found if WORDS.search(UNTRANSLATED.sub("", item))]


@pytest.mark.parametrize(
    "path", sorted(ROOT.glob("templates/**/*.html")) + sorted(ROOT.glob("templates/**/*.txt"))
)
def test_every_text_in_a_template_is_marked_for_translation(path):
    assert text_outside_translation(path.read_text(encoding="utf-8")) == [], path


def test_the_template_check_finds_text_left_out():
    source = '{% load i18n %}<p title="Hover me">{% translate "Saved" %} Left out</p>'

    assert text_outside_translation(source) == ["Hover me", "§   §  Left out"]


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_message_of_the_catalogue_is_translated(language):
    assert untranslated(language) == []


@pytest.mark.skipif(
    shutil.which("xgettext") is None,
    reason="collecting messages needs GNU gettext: sudo apt-get install gettext",
)
@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_the_catalogue_holds_every_message_of_the_code_and_templates(
    language, settings, tmp_path, monkeypatch
):
    """A string marked in a template or in Python after the catalogue was last updated
    would show in English: collect the messages afresh, in a copy of the sources so that
    the catalogue itself is left alone, and compare."""
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".*", "var", "docs", "tests", "*.mo"))
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=[language], no_obsolete=True, verbosity=0)
    with (copy / "locale" / language / "LC_MESSAGES" / "django.po").open("rb") as file:
        fresh = read_po(file)

    missing = [
        str(message.id) for message in fresh if message.id and (message.fuzzy or not message.string)
    ]
    assert missing == [], "run: python manage.py makemessages -l " + language


@pytest.mark.django_db
@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_the_question_bank_is_complete_in_every_language(language):
    questionnaire = load_file(BUNDLED).questionnaire

    assert questionnaire.translations[language]["title"]
    for pillar in questionnaire.pillars.all():
        texts = pillar.translations[language]
        assert texts["name"], pillar.code
        assert texts["description"], pillar.code
        assert set(texts["recommendations"]) == set(pillar.recommendations), pillar.code
        assert all(texts["recommendations"].values()), pillar.code
    for question in questionnaire.questions.all():
        texts = question.translations[language]
        assert texts["text"] != question.text, question.code
        assert len(texts["levels"]) == len(question.levels), question.code
        assert all(texts["levels"]), question.code
        assert texts["recommendation"], question.code
        assert bool(texts["help"]) == bool(question.help), question.code
