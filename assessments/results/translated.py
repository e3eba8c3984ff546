"""Results in the reader's language.

Scoring and publication keep the question bank's English (a snapshot never changes); the
texts a report carries from the bank (pillar names and advice, questions, their
recommendations and next levels) and the method in words are shown in the reader's
language, looked up by code in the version's translations.
"""

import dataclasses

from django.conf import settings
from django.utils.translation import gettext

from .. import loading, scoring
from ..method import method_text
from ..models import Questionnaire, language_code, pillars_by_code, questions_by_code


def in_language(
    report: scoring.Report,
    questionnaire: Questionnaire,
    *,
    threshold: int,
    language: str | None = None,
) -> scoring.Report:
    """The report with the bank's texts and the method in `language` (the active one);
    `threshold` is the anonymity threshold the report was scored with."""
    language = language_code(language)
    if language == language_code(settings.LANGUAGE_CODE):
        return report
    pillars = {
        code: pillar.in_language(language)
        for code, pillar in pillars_by_code(questionnaire.pk).items()
    }
    questions = {
        code: question.in_language(language)
        for code, question in questions_by_code(questionnaire.pk).items()
    }
    result = report.result
    result = dataclasses.replace(
        result,
        pillars=tuple(_pillar(item, pillars.get(item.pillar)) for item in result.pillars),
        questions={
            code: _question(item, questions.get(code)) for code, item in result.questions.items()
        },
        findings=tuple(_finding(item, questions.get(item.question)) for item in result.findings),
    )
    method = _method(report, questionnaire, threshold, pillars)
    return dataclasses.replace(report, result=result, method=method)


def _pillar(item: scoring.PillarResult, pillar) -> scoring.PillarResult:
    if pillar is None:
        return item
    advice = pillar.recommendations.get(item.band.value, "") if item.band else ""
    return dataclasses.replace(
        item, name=pillar.name, recommendation=advice if item.recommendation else ""
    )


def _question(item: scoring.QuestionResult, question) -> scoring.QuestionResult:
    return item if question is None else dataclasses.replace(item, text=question.text)


def _finding(item: scoring.Finding, question) -> scoring.Finding:
    if question is None:
        return item
    next_step = item.next_step
    if next_step and item.next_level is not None and item.next_level < len(question.levels):
        next_step = question.levels[item.next_level]
    return dataclasses.replace(
        item,
        text=question.text,
        recommendation=question.recommendation if item.recommendation else "",
        next_step=next_step,
    )


def _method(
    report: scoring.Report, questionnaire: Questionnaire, threshold: int, pillars: dict
) -> tuple[scoring.MethodSection, ...]:
    """The method for the same rules (the version is frozen, the threshold is the one the
    figures used), followed by what the report adds to it (a consultant's dismissals,
    whose reasons stay as written)."""
    rules = loading.load_rules(questionnaire, anonymity_threshold=threshold)
    named = tuple(
        dataclasses.replace(rule, name=pillars[rule.code].name) if rule.code in pillars else rule
        for rule in rules.pillars
    )
    method = method_text(dataclasses.replace(rules, pillars=named))
    added = report.method[len(method) :]
    return method + tuple(
        dataclasses.replace(section, title=gettext(section.title)) for section in added
    )
