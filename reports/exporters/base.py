"""What every exporter returns, how its file is named, and how untrusted text is made safe
for spreadsheet programs."""

from datetime import date
from typing import IO, NamedTuple

from django.utils.text import slugify

from assessments.models import Assessment


class Export(NamedTuple):
    filename: str
    content_type: str
    content: bytes | IO[bytes]  # a file, from its start, when too large to hold in memory


def export_filename(
    assessment: Assessment, day: date, extension: str, *, kind: str = "", draft: bool = False
) -> str:
    """acme-insurance_genai-readiness-before-go-live_2026-11-26[_kind][_draft].extension."""
    parts = [
        slugify(assessment.organisation.name, allow_unicode=True) or "organisation",
        slugify(assessment.title, allow_unicode=True) or "assessment",
        day.isoformat(),
    ]
    if kind:
        parts.append(kind)
    if draft:
        parts.append("draft")
    return "_".join(parts) + "." + extension


# A cell that starts with one of these is read as a formula (or the start of one) by Excel,
# LibreOffice and Google Sheets: "=HYPERLINK(…)" in a comment would become a live link.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Text as a spreadsheet shows it and never runs: a leading apostrophe before anything
    a spreadsheet program would read as a formula (OWASP's advice on CSV injection)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
