"""An organisation's readiness index and pillars across its assessments, as line charts.

Pillars are matched by code across questionnaire versions; a pillar an assessment did not
have, or whose figure was withheld, leaves a gap in its line, never a zero.
"""

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from assessments.results.entries import AssessmentLine

from .charts import Series, line_chart
from .figures import score
from .portfolio import History

INDEX_SIZE = (640, 220)
PILLAR_SIZE = (300, 160)


@dataclass(frozen=True)
class PillarChart:
    code: str
    name: str
    chart: SafeString
    latest: float | None


@dataclass(frozen=True)
class HistoryCharts:
    index: SafeString
    pillars: tuple[PillarChart, ...]


def point_labels(lines: list[AssessmentLine]) -> list[str]:
    """When each assessment ran: "May 2026", or with the day where two share a month."""
    months = [date_format(line.started, "M Y") for line in lines]
    if len(set(months)) == len(months):
        return months
    return [date_format(line.started, "j M Y") for line in lines]


def history_charts(history: History) -> HistoryCharts | None:
    """None without any assessment with results."""
    lines = history.with_results
    if not lines:
        return None
    labels = point_labels(lines)
    index = line_chart(
        labels,
        [Series(_("Readiness index"), [_clamp(line.headline.overall_index) for line in lines])],
        title=_("Readiness index across assessments, 0 to 100"),
        width=INDEX_SIZE[0],
        height=INDEX_SIZE[1],
    )
    # Pillars in the order of the newest assessment, then any that only older ones had.
    order: dict[str, str] = {}
    for line in reversed(lines):
        for code, name, _value in line.headline.pillars:
            order.setdefault(code, name)
    pillars = []
    for code, name in order.items():
        values = [_clamp(line.headline.maturity(code)) for line in lines]
        chart = line_chart(
            labels,
            [Series(name, values)],
            title=_("%(pillar)s: maturity across assessments, 0 to 100") % {"pillar": name},
            width=PILLAR_SIZE[0],
            height=PILLAR_SIZE[1],
        )
        pillars.append(PillarChart(code, name, chart, values[-1]))
    return HistoryCharts(index=index, pillars=tuple(pillars))


def _clamp(value: float | None) -> float | None:
    """Whole points, as the tables print them; 0–100 by construction, and rounding noise
    must not make the chart refuse one."""
    return None if value is None else float(min(100, max(0, score(value) or 0)))
