"""The fingerprint of a rendered PDF, so that a cached copy is used only while it is true.

The figures' part is the snapshot's id, or the live figures' fingerprint
(`assessments.results.live`); a PDF adds what it prints besides the figures: the shared
quotes, the client's plan, the names on its cover, its date and the template version.
"""

from django.utils.translation import get_language

from assessments.results.fingerprints import digest

# Raise when the PDF template or its stylesheet changes: every cached PDF is rendered anew.
TEMPLATE_VERSION = "2026-12-04.7"


def pdf_fingerprint(
    *, figures: str, quotes: object, plan: object, cover: object, draft: bool
) -> str:
    """`figures`: the snapshot's id or the live fingerprint; `quotes`, `plan` and `cover`:
    what the PDF prints besides the figures."""
    return digest("pdf", TEMPLATE_VERSION, get_language(), draft, figures, quotes, plan, cover)
