"""Template filters and tags for results: labels and the verdict's words from one place."""

from datetime import date

from django import template

from .. import wording
from ..labels import label as label_for
from ..scoring import AssessmentResult, PathStep

register = template.Library()


@register.filter
def shown(obj, field: str):
    """A question bank text in the reader's language:
    {{ action.question|shown:"text" }}, {{ question.pillar|shown:"name" }}."""
    if hasattr(obj, "in_language"):
        obj = obj.in_language()
    return getattr(obj, field)


@register.filter
def label(value: str | None, kind: str) -> str:
    """{{ pillar.band|label:"band" }} → "high"."""
    return label_for(kind, value)


@register.simple_tag
def verdict_reason(result: AssessmentResult, show_codes: bool = False) -> str:
    return wording.verdict_reason(result, show_codes=show_codes)


@register.simple_tag
def verdict_because(result: AssessmentResult, show_codes: bool = False) -> str:
    return wording.verdict_because(result, show_codes=show_codes)


@register.simple_tag
def path_step(result: AssessmentResult, step: PathStep, show_codes: bool = False) -> str:
    return wording.path_step(result, step, show_codes=show_codes)


@register.simple_tag
def question_name(result: AssessmentResult, code: str, show_codes: bool = False) -> str:
    return wording.question_name(result, code, show_codes=show_codes)


@register.filter
def iso_date(value: str) -> date | None:
    """An ISO date as results store it, as a date for the `date` filter."""
    return date.fromisoformat(value) if value else None
