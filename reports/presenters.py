"""One assessment's results arranged for reading: the dashboard and the PDF show the same.

Plain data in (the results a person may see, the quotes shared with them), plain data out;
no query. Words for codes stay in `assessments.labels` and `assessments.wording`; the
templates put them on the page.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from assessments import scoring
from assessments.models import Assessment
from assessments.results.access import VisibleResults
from assessments.scoring import (
    Band,
    BandSettings,
    Finding,
    PathStep,
    PerceptionGap,
    PerspectiveGroup,
    PillarResult,
    QuestionResult,
    Verdict,
    Withheld,
)

from . import charts
from .selectors import Quote

TOP_FINDINGS = 6
HEADLINE_COUNT = 3  # largest risks and strengths in the executive summary
ACTION_PLAN_ROWS = 12
PILLAR_FINDINGS = 3
# A change smaller than half a point rounds to zero: it is shown as "no change".
STEADY = 0.5


@dataclass(frozen=True)
class Change:
    """A difference between two figures on the 0–100 scale, with its direction in words."""

    delta: float

    @property
    def points(self) -> int:
        return round(abs(self.delta))

    @property
    def direction(self) -> str:
        if abs(self.delta) < STEADY:
            return "same"
        return "up" if self.delta > 0 else "down"

    @property
    def arrow(self) -> str:
        return {"up": "▲", "down": "▼", "same": "▶"}[self.direction]

    @property
    def signed(self) -> str:
        return {"up": f"+{self.points}", "down": f"−{self.points}", "same": "±0"}[self.direction]

    @property
    def words(self) -> str:
        if self.direction == "same":
            return _("no change")
        if self.direction == "up":
            return _("up %(points)d points") % {"points": self.points}
        return _("down %(points)d points") % {"points": self.points}


def _change(delta: float | None) -> Change | None:
    return None if delta is None else Change(delta)


@dataclass(frozen=True)
class QuestionRow:
    question: QuestionResult
    bar: SafeString | None  # None when withheld or nobody was asked
    change: Change | None
    new: bool  # not in the previous assessment's questionnaire


@dataclass(frozen=True)
class PillarSection:
    pillar: PillarResult
    change: Change | None
    previous: float | None
    benchmark: float | None
    questions: tuple[QuestionRow, ...]
    findings: tuple["RankedFinding", ...]
    quotes: tuple[Quote, ...]

    @property
    def code(self) -> str:
        return self.pillar.pillar


@dataclass(frozen=True)
class HeatCell:
    value: float | None
    band: Band | None
    withheld: Withheld | None


@dataclass(frozen=True)
class HeatRow:
    pillar: PillarResult
    cells: tuple[HeatCell, ...]


@dataclass(frozen=True)
class Heatmap:
    groups: tuple[PerspectiveGroup, ...]
    rows: tuple[HeatRow, ...]
    hidden_respondents: int


@dataclass(frozen=True)
class PathGroup:
    needed_for: Verdict
    steps: tuple[PathStep, ...]


@dataclass(frozen=True)
class Strength:
    question: QuestionResult
    pillar: str  # name


@dataclass(frozen=True)
class RankedFinding:
    rank: int  # 1 for the first priority
    finding: Finding
    pillar: str  # name


@dataclass(frozen=True)
class Gap:
    gap: PerceptionGap
    pillar: str  # name


@dataclass(frozen=True)
class PillarMove:
    """A pillar before and now. `status`: compared, new (only now) or removed (only before)."""

    code: str
    name: str
    previous: float | None
    current: float | None
    band_previous: Band | None
    band_current: Band | None
    change: Change | None
    status: str


@dataclass(frozen=True)
class QuestionMove:
    """A question before and now, matched by its code across questionnaire versions."""

    code: str
    text: str
    pillar: str  # name
    previous: float | None
    current: float | None
    change: Change | None
    status: str


@dataclass(frozen=True)
class Movement:
    """What moved since the previous assessment: the index, every pillar, the questions
    whose score changed (largest change first), and the questions added or removed
    between questionnaire versions."""

    since: str  # the previous assessment's title
    overall_previous: float | None
    overall_current: float | None
    overall: Change | None
    pillars: tuple[PillarMove, ...]
    moved: tuple[QuestionMove, ...]
    steady: int  # compared questions whose score did not change
    added: tuple[QuestionMove, ...]
    removed: tuple[QuestionMove, ...]

    @property
    def compared(self) -> int:
        return len(self.moved) + self.steady


@dataclass(frozen=True)
class ReportPage:
    """Everything the dashboard and the PDF show of one assessment's results."""

    assessment: Assessment
    results: VisibleResults
    radar: SafeString | None  # None with fewer than three pillars: no radar can show them
    pillars: tuple[PillarSection, ...]
    top_findings: tuple[RankedFinding, ...]
    risks: tuple[RankedFinding, ...]
    strengths: tuple[Strength, ...]
    action_plan: tuple[RankedFinding, ...]
    path: tuple[PathGroup, ...]
    heatmap: Heatmap
    gaps: tuple[Gap, ...]
    overall_change: Change | None
    quotes: tuple[Quote, ...]
    movement: Movement | None = None

    @property
    def report(self) -> scoring.Report:
        return self.results.report

    @property
    def result(self) -> scoring.AssessmentResult:
        return self.results.result

    @property
    def live(self) -> bool:
        return self.results.live

    @property
    def as_of(self) -> datetime:
        return self.results.as_of

    @property
    def respondents(self) -> int:
        return self.result.respondents

    @property
    def has_heatmap(self) -> bool:
        return bool(self.heatmap.groups)


def _radar(report: scoring.Report, *, size: int, title: str) -> SafeString | None:
    result = report.result
    if len(result.pillars) < 3:
        return None
    axes = [pillar.name for pillar in result.pillars]
    series = [
        charts.Series(
            _("This assessment"), [pillar.maturity for pillar in result.pillars], "current"
        )
    ]
    if report.trend is not None:
        before = {trend.pillar: trend.previous for trend in report.trend.pillars}
        values = [before.get(pillar.pillar) for pillar in result.pillars]
        if any(value is not None for value in values):
            series.append(charts.Series(report.previous_title or _("Previous"), values, "previous"))
    if report.benchmark is not None:
        values = [report.benchmark.pillars.get(pillar.pillar) for pillar in result.pillars]
        if any(value is not None for value in values):
            label = _("Benchmark of %(count)d organisations") % {
                "count": report.benchmark.organisations
            }
            series.append(charts.Series(label, values, "benchmark"))
    return charts.radar(axes, series, title=title, size=size)


def _question_rows(
    result: scoring.AssessmentResult,
    report: scoring.Report,
    pillar: str,
    bar_width: int,
    tooltips: bool,
    with_charts: bool = True,
) -> tuple[QuestionRow, ...]:
    trends = {t.code: t for t in report.trend.questions} if report.trend else {}
    rows = []
    for question in result.questions.values():
        if question.pillar != pillar:
            continue
        bar = None
        shown = question.withheld is None and question.distribution_withheld is None
        if with_charts and shown and question.asked:
            bar = charts.distribution_bar(
                question.distribution,
                dont_know=question.dont_know,
                title=_("Answers to: %(question)s") % {"question": question.text},
                width=bar_width,
                tooltips=tooltips,
            )
        trend = trends.get(question.code)
        rows.append(
            QuestionRow(
                question=question,
                bar=bar,
                change=_change(trend.delta) if trend else None,
                new=bool(trend and trend.status == scoring.TrendStatus.NEW),
            )
        )
    return tuple(rows)


def _heatmap(result: scoring.AssessmentResult, bands: BandSettings) -> Heatmap:
    rows = []
    for pillar in result.pillars:
        cells = []
        for group in result.perspectives:
            value = group.pillars.get(pillar.pillar)
            cells.append(
                HeatCell(
                    value=value,
                    band=bands.band(100.0 - value) if value is not None else None,
                    withheld=group.withheld.get(pillar.pillar),
                )
            )
        rows.append(HeatRow(pillar, tuple(cells)))
    return Heatmap(tuple(result.perspectives), tuple(rows), result.hidden_respondents)


def _strengths(result: scoring.AssessmentResult, names: dict[str, str]) -> tuple[Strength, ...]:
    scored = [
        (index, question)
        for index, question in enumerate(result.questions.values())
        if question.mean is not None and question.withheld is None
    ]
    scored.sort(key=lambda item: (-(item[1].mean or 0), -item[1].answered, item[0]))
    return tuple(
        Strength(question, names[question.pillar]) for _, question in scored[:HEADLINE_COUNT]
    )


def _path(steps: Sequence[PathStep]) -> tuple[PathGroup, ...]:
    order = [Verdict.READY_WITH_CONDITIONS, Verdict.READY]
    return tuple(
        PathGroup(verdict, tuple(step for step in steps if step.needed_for == verdict))
        for verdict in order
        if any(step.needed_for == verdict for step in steps)
    )


def _movement(
    report: scoring.Report, previous_names: Mapping[str, tuple[str, str]]
) -> Movement | None:
    """`previous_names`: code → (text or name, pillar name) of the questions and pillars
    that only the previous assessment had, which the results no longer carry."""
    trend = report.trend
    if trend is None:
        return None
    result = report.result
    names = {pillar.pillar: pillar.name for pillar in result.pillars}
    pillars = tuple(
        PillarMove(
            code=item.pillar,
            name=names.get(item.pillar) or previous_names.get(item.pillar, (item.pillar, ""))[0],
            previous=item.previous,
            current=item.current,
            band_previous=item.band_previous,
            band_current=item.band_current,
            change=_change(item.delta),
            status=item.status.value,
        )
        for item in trend.pillars
    )
    moves = []
    for item in trend.questions:
        question = result.questions.get(item.code)
        if question is not None:
            text, pillar = question.text, names.get(question.pillar, question.pillar)
        else:
            text, pillar = previous_names.get(item.code, (item.code, ""))
        moves.append(
            QuestionMove(
                code=item.code,
                text=text,
                pillar=pillar,
                previous=item.previous,
                current=item.current,
                change=_change(item.delta),
                status=item.status.value,
            )
        )
    compared = [move for move in moves if move.status == scoring.TrendStatus.COMPARED]
    moved = [move for move in compared if move.change and move.change.direction != "same"]
    moved.sort(key=lambda move: -abs(move.change.delta if move.change else 0))
    return Movement(
        since=report.previous_title,
        overall_previous=trend.overall_previous,
        overall_current=trend.overall_current,
        overall=_change(trend.overall_delta),
        pillars=pillars,
        moved=tuple(moved),
        steady=len(compared) - len(moved),
        added=tuple(m for m in moves if m.status == scoring.TrendStatus.NEW),
        removed=tuple(m for m in moves if m.status == scoring.TrendStatus.REMOVED),
    )


def report_page(
    assessment: Assessment,
    results: VisibleResults,
    quotes: Sequence[Quote],
    *,
    radar_size: int = 420,
    bar_width: int = 240,
    pillar_findings: int = PILLAR_FINDINGS,
    for_print: bool = False,
    with_charts: bool = True,
    previous_names: Mapping[str, tuple[str, str]] | None = None,
) -> ReportPage:
    """Arrange `results` for the dashboard (default sizes) or the PDF (smaller charts, no
    tooltips, and fewer findings per pillar so that each pillar keeps to its page); with
    `charts=False`, without the SVG charts (spreadsheets and documents draw their own).

    `previous_names`: the texts of questions and pillars only the previous assessment had
    (`selectors.previous_names`), so that what was removed reads as words, not codes.
    """
    report, result = results.report, results.result
    names = {pillar.pillar: pillar.name for pillar in result.pillars}
    trends = {t.pillar: t for t in report.trend.pillars} if report.trend else {}
    benchmark = report.benchmark.pillars if report.benchmark else {}
    ranked = tuple(
        RankedFinding(rank, finding, names[finding.pillar])
        for rank, finding in enumerate(result.findings, start=1)
    )
    sections = []
    for pillar in result.pillars:
        trend = trends.get(pillar.pillar)
        sections.append(
            PillarSection(
                pillar=pillar,
                change=_change(trend.delta) if trend else None,
                previous=trend.previous if trend else None,
                benchmark=benchmark.get(pillar.pillar),
                questions=_question_rows(
                    result,
                    report,
                    pillar.pillar,
                    bar_width,
                    tooltips=not for_print,
                    with_charts=with_charts,
                ),
                findings=tuple(r for r in ranked if r.finding.pillar == pillar.pillar)[
                    :pillar_findings
                ],
                quotes=tuple(quote for quote in quotes if quote.pillar == pillar.pillar),
            )
        )
    title = _("Maturity per pillar, 0 to 100: %(assessment)s") % {"assessment": assessment.title}
    return ReportPage(
        assessment=assessment,
        results=results,
        radar=_radar(report, size=radar_size, title=title) if with_charts else None,
        pillars=tuple(sections),
        top_findings=ranked[:TOP_FINDINGS],
        risks=ranked[:HEADLINE_COUNT],
        strengths=_strengths(result, names),
        action_plan=ranked[:ACTION_PLAN_ROWS],
        path=_path(result.path),
        heatmap=_heatmap(result, BandSettings(**assessment.questionnaire.bands)),
        gaps=tuple(Gap(gap, names[gap.pillar]) for gap in result.gaps),
        overall_change=_change(report.trend.overall_delta) if report.trend else None,
        quotes=tuple(quotes),
        movement=_movement(report, previous_names or {}),
    )
