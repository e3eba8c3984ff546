"""Small helpers for the dashboard and the PDF: figures as printed, changes with their
direction in words, shares."""

from django import template

from assessments.scoring import AssessmentResult

from .. import charts, figures, presenters
from ..figures import Change

register = template.Library()


@register.inclusion_tag("reports/_change.html")
def change(change: Change | None, since: str = ""):
    """▲ +16, with "up 16 points since …" for screen readers; nothing without a change."""
    return {"change": change, "since": since}


@register.filter
def score(value: float | None) -> int | str:
    """62.5 → 63: a figure as every format prints it (`figures.score`); "" without one."""
    printed = figures.score(value)
    return "" if printed is None else printed


@register.filter
def risk(value: float | None) -> int | str:
    """A risk as printed beside its maturity (`figures.risk`); "" without one."""
    printed = figures.risk(value)
    return "" if printed is None else printed


@register.filter
def percent(share: float | None) -> str:
    """0.953 → "95%"; "—" when there is no figure."""
    if share is None:
        return "—"
    return f"{figures.percent(share)}%"


@register.filter
def percent_of(part: int | None, whole: int | None) -> str:
    """12|percent_of:13 → "92%"."""
    if not whole:
        return "—"
    return f"{figures.percent((part or 0) / whole)}%"


@register.simple_tag
def level_swatch(level: str = "", size: int = 16):
    """The key of an answer level in a legend, as the bars draw it; "don't know" without a
    level."""
    return charts.level_swatch(int(level) if level != "" else None, size=size)


@register.simple_tag
def path_line(result: AssessmentResult, line: presenters.PathLine, show_codes: bool = False):
    """A step on the path to ready, with the pillar's target where it asks for more."""
    return presenters.path_words(result, line, show_codes=show_codes)
