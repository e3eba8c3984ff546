"""What the Word document (`word`) and the PowerPoint deck (`deck`) share: the results
they show, their colours and the words for a verdict, a score and a change.

Both are drawn from the same arranged results as the dashboard and the PDF
(`presenters.report_page`), so every format shows the same figures and withholds the same:
the latest publication, or for a consultant the live figures marked "Draft" on every page
and slide. Charts in the deck are native, editable charts with the figures as their data,
so that a consultant can restyle them in PowerPoint. python-docx and python-pptx are
imported inside the functions, like WeasyPrint: only a download pays for them.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.branding import Brand, brand
from assessments import scoring
from assessments.labels import label
from assessments.models import Assessment
from assessments.results.access import live_results, published_results

from .. import presenters, selectors
from ..figures import score_text
from ..palette import (
    DONT_KNOW_BACKGROUND,
    DONT_KNOW_LINES,
    DONT_KNOW_TEXT,
    LEVEL_COLOURS,
    LEVEL_TEXT,
    hex_digits,
)
from ..presenters import ReportPage
from ..selectors import PlannedAction
from .metadata import FileMetadata, metadata_for

MUTED = "5C636A"
DRAFT_RED = "B3261E"
VERDICT_COLOURS = {"ready": "1E7B4F", "ready_with_conditions": "9A6B00", "not_ready": "B3261E"}
VERDICT_SYMBOLS = {"ready": "✓", "ready_with_conditions": "!", "not_ready": "✕"}
BAND_COLOURS = {"low": "1E7B4F", "moderate": "9A6B00", "high": "C0501C", "critical": "B3261E"}
BENCHMARK_GREY = "8A9099"
TARGET_GREEN = "1E7B4F"
# The answer levels as every format draws them (`reports.palette`).
LEVEL_FILLS = tuple(hex_digits(colour) for colour in LEVEL_COLOURS)
LEVEL_TEXT_FILLS = tuple(hex_digits(colour) for colour in LEVEL_TEXT)
DONT_KNOW_HATCH = (hex_digits(DONT_KNOW_LINES), hex_digits(DONT_KNOW_BACKGROUND))
DONT_KNOW_TEXT_FILL = hex_digits(DONT_KNOW_TEXT)


@dataclass(frozen=True)
class ChartSeries:
    """One line of a chart: its name, a 0–100 value per category (None: no figure), its
    colour and, besides colour, its dash (an `MSO_LINE_DASH_STYLE` name, "" for solid)."""

    name: str
    values: tuple[float | None, ...]
    colour: str
    dash: str = ""


@dataclass(frozen=True)
class Document:
    """What a document is made of: the arranged results, its date and whether a draft."""

    page: ReportPage
    day: date
    draft: bool
    brand: Brand  # the consultancy's name, logo and colours, or the product's own

    @property
    def assessment(self) -> Assessment:
        return self.page.assessment

    @property
    def results_line(self) -> str:
        if self.draft:
            return _("Live figures of %(date)s (draft, not published)") % {
                "date": date_format(self.day, "DATE_FORMAT")
            }
        return _("%(kind)s published on %(date)s") % {
            "kind": label("snapshot", self.page.results.snapshot.kind),
            "date": date_format(self.day, "DATE_FORMAT"),
        }

    def file_metadata(self, subject: str) -> FileMetadata:
        """The file's properties: the figures' title, publisher and date of making."""
        return metadata_for(self.assessment, self.page.results.snapshot, subject=subject)

    @property
    def respondents_line(self) -> str:
        return _("%(count)d submitted responses") % {"count": self.page.respondents}


def document_for(assessment: Assessment, *, draft: bool) -> Document | None:
    """The results a document shows: the live figures for a draft, the latest publication
    otherwise; None while there is nothing to show."""
    results = live_results(assessment) if draft else published_results(assessment)
    if results is None or not results.result.respondents:
        return None
    page = presenters.report_page(
        assessment,
        results,
        selectors.shared_quotes(assessment, results),
        with_charts=False,
        previous_names=selectors.previous_names(assessment, results.report),
        previous_questionnaire=selectors.previous_questionnaire(assessment, results.report),
        plan=selectors.client_plan(assessment, timezone.localdate()),
    )
    return Document(page, timezone.localdate(results.as_of), draft, brand())


def verdict_words(page: ReportPage) -> str:
    verdict = page.result.verdict
    if verdict is None:
        return _("No verdict yet")
    return f"{VERDICT_SYMBOLS[verdict.value]} {label('verdict', verdict)}"


def change_text(change: presenters.Change | None) -> str:
    return "—" if change is None else change.text


def distribution_text(question) -> str:
    if question.distribution_withheld:
        return _("%(count)d with a level, counts per level withheld: %(reason)s") % {
            "count": question.answered,
            "reason": label("withheld", question.distribution_withheld),
        }
    counts = " · ".join(f"{level}: {count}" for level, count in enumerate(question.distribution))
    return f"{counts} · ?: {question.dont_know}"


def radar_series(page: ReportPage, brand: Brand) -> list[ChartSeries]:
    """Pillar maturity as a radar shows it: this assessment, then the previous assessment
    and the benchmark where they have a figure for some pillar, then the targets."""
    pillars = page.result.pillars
    series = [ChartSeries(_("This assessment"), tuple(p.maturity for p in pillars), brand.primary)]
    trend = page.report.trend
    if trend is not None:
        before = {item.pillar: item.previous for item in trend.pillars}
        values = tuple(before.get(p.pillar) for p in pillars)
        if any(value is not None for value in values):
            name = page.report.previous_title or _("Previous")
            series.append(ChartSeries(name, values, brand.accent, "DASH"))
    benchmark = page.report.benchmark
    if benchmark is not None:
        values = tuple(benchmark.pillars.get(p.pillar) for p in pillars)
        if any(value is not None for value in values):
            series.append(ChartSeries(_("Benchmark"), values, BENCHMARK_GREY, "ROUND_DOT"))
    if page.targets:
        goals = {target.pillar: target.target for target in page.targets}
        values = tuple(goals.get(p.pillar) for p in pillars)
        series.append(ChartSeries(_("Target"), values, TARGET_GREEN, "DASH_DOT"))
    return series


def evidenced_words(figure: scoring.PillarEvidence) -> str:
    """ "Evidenced 52 (high ratings of 3 people count as 2 until their evidence is seen)",
    as the dashboard's pillar card says it; the reason alone where it is withheld."""
    if figure.withheld:
        return _("Evidenced: withheld: %(reason)s") % {"reason": label("withheld", figure.withheld)}
    if figure.unverified:
        note = ngettext(
            "a high rating of %(count)d person counts as 2 until its evidence is seen",
            "high ratings of %(count)d people count as 2 until their evidence is seen",
            figure.unverified,
        ) % {"count": figure.unverified}
    else:
        note = _("every high rating has its evidence seen")
    return _("Evidenced %(score)s (%(note)s)") % {
        "score": score_text(figure.evidenced),
        "note": note,
    }


def due_words(action: PlannedAction | None) -> str:
    """ "31 Jan 2027 · In progress · overdue"; "" without an action."""
    if action is None:
        return ""
    parts = [date_format(action.due_on, "DATE_FORMAT")] if action.due_on else []
    parts.append(action.status_label)
    if action.overdue:
        parts.append(_("overdue"))
    return " · ".join(parts)


def shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
