"""Every figure a report prints, rounded once and the same way in every format.

The dashboard, the PDF, the Word document, the deck (its chart data too), the XLSX and
the CSV all print a score, a change or a gap through these functions, so that one
question never reads 63 in one format and 62 in another. Scores on the 0–100 scale are
rounded half up (62.5 → 63), once, from the unrounded figure (`wording.whole`, which the
verdict's words use too); Python's `round` rounds half to even, and PowerPoint would round
a decimal in a chart by its own rule. A change or a gap is the difference of the two
printed figures, so that "41 → 50" reads "+9".
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.wording import whole


def score(value: float | None) -> int | None:
    """A figure on the 0–100 scale as every format prints it: 62.5 → 63, 62.49 → 62."""
    return None if value is None else whole(value)


def risk(value: float | None) -> int | None:
    """A risk (100 − maturity) as printed: 100 minus the printed maturity, so that the two
    figures beside each other always add up to 100 (49.5 and 50.5 print 50 and 50)."""
    return None if value is None else 100 - whole(100 - value)


def score_text(value: float | None) -> str:
    """The printed figure, or "—" when there is none."""
    printed = score(value)
    return "—" if printed is None else str(printed)


def percent(share: float | None) -> int | None:
    """A share 0..1 as a whole percentage, by the same rule: 0.955 → 96."""
    return None if share is None else score(100 * share)


def points_words(points: int) -> str:
    """ "1 point", "12 points"."""
    return ngettext("%(points)d point", "%(points)d points", points) % {"points": points}


@dataclass(frozen=True)
class Change:
    """A difference between two figures on the 0–100 scale, with its direction in words.

    Made by `between` from the two figures as printed, so that the change a page shows
    is the difference of the numbers beside it.
    """

    delta: float

    @classmethod
    def between(cls, previous: float | None, current: float | None) -> "Change | None":
        before, now = score(previous), score(current)
        return None if before is None or now is None else cls(now - before)

    @property
    def points(self) -> int:
        return score(abs(self.delta)) or 0

    @property
    def direction(self) -> str:
        if not self.points:
            return "same"
        return "up" if self.delta > 0 else "down"

    @property
    def arrow(self) -> str:
        return {"up": "▲", "down": "▼", "same": "▶"}[self.direction]

    @property
    def signed(self) -> str:
        return {"up": f"+{self.points}", "down": f"−{self.points}", "same": "±0"}[self.direction]

    @property
    def text(self) -> str:
        """ "▲ +9", as the documents print it."""
        return f"{self.arrow} {self.signed}"

    @property
    def words(self) -> str:
        if self.direction == "same":
            return _("no change")
        if self.direction == "up":
            return _("up %(points)s") % {"points": points_words(self.points)}
        return _("down %(points)s") % {"points": points_words(self.points)}
