"""Words for the codes that results carry: one table, read by pages, PDFs and exports alike."""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import PERSPECTIVE_LABELS, Assessment, ResultSnapshot
from .scoring import Band, Confidence, TrendStatus, Verdict, Withheld

LABELS: Mapping[str, Mapping[str, str]] = {
    "band": {
        Band.LOW: pgettext_lazy("risk", "low"),
        Band.MODERATE: pgettext_lazy("risk", "moderate"),
        Band.HIGH: pgettext_lazy("risk", "high"),
        Band.CRITICAL: pgettext_lazy("risk", "critical"),
    },
    "verdict": {
        Verdict.READY: _("Ready"),
        Verdict.READY_WITH_CONDITIONS: _("Ready with conditions"),
        Verdict.NOT_READY: _("Not ready"),
    },
    "confidence": {
        Confidence.LOW: pgettext_lazy("confidence", "low"),
        Confidence.MEDIUM: pgettext_lazy("confidence", "medium"),
        Confidence.HIGH: pgettext_lazy("confidence", "high"),
    },
    "perspective": PERSPECTIVE_LABELS,
    "withheld": {
        Withheld.FEW_ANSWERS: _("not enough answers"),
        Withheld.SECONDARY: _("hidden so that a smaller group cannot be worked out"),
        Withheld.FEW_CHANGES: _("too few changes since the previous publication"),
        Withheld.SMALL_COUNTS: _("a level holds only one or two answers"),
        Withheld.FLAG_FROM_FEW: _("raised by the people who decide on this question"),
    },
    "status": dict(Assessment.Status.choices),
    "response_status": {
        "invited": _("Invited"),
        "started": _("Started"),
        "submitted": _("Submitted"),
        "revoked": _("Link withdrawn"),
    },
    "snapshot": dict(ResultSnapshot.Kind.choices),
    "trend": {
        TrendStatus.COMPARED: _("compared with the previous assessment"),
        TrendStatus.NEW: _("new since the previous assessment"),
        TrendStatus.REMOVED: _("no longer asked"),
    },
}


def label(kind: str, value: str | None) -> str:
    """The words for `value` in the table `kind`; the code itself if the table lacks it."""
    if value is None or value == "":
        return ""
    return str(LABELS[kind].get(value, value))
