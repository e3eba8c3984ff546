"""One assessment's results arranged for reading: the dashboard and the PDF show the same.

Plain data in (the results a person may see, the quotes shared with them, the client's plan),
plain data out; no query. Words for codes stay in `assessments.labels` and
`assessments.wording`; the templates put them on the page.
"""

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments import scoring, wording
from assessments.labels import label
from assessments.models import Assessment, Questionnaire
from assessments.plan import Target, default_title
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
    StepKind,
    Verdict,
    Withheld,
)

from . import charts
from .figures import Change, points_words, score
from .selectors import Plan, PlannedAction, Quote

TOP_FINDINGS = 6
HEADLINE_COUNT = 3  # largest risks and strengths in the executive summary
ACTION_PLAN_ROWS = 12


def _change(previous: float | None, current: float | None) -> Change | None:
    return Change.between(previous, current)


@dataclass(frozen=True)
class QuestionRow:
    question: QuestionResult
    bar: SafeString | None  # None when withheld or nobody was asked
    change: Change | None
    new: bool  # not in the previous assessment's questionnaire


@dataclass(frozen=True)
class TargetGap:
    """A pillar's target and how far the figure the reader sees is from it. The target is
    not a figure (it is agreed, or the questionnaire's default); the gap is, so it is None
    wherever the pillar's maturity is withheld or not judged."""

    pillar: str  # code
    name: str
    target: int
    agreed: bool  # agreed with the client, not the default of the low-risk band
    gap: int | None  # points still to go from the printed maturity, 0 once reached

    @classmethod
    def of(cls, target: Target, maturity: float | None) -> "TargetGap":
        printed = score(maturity)
        gap = None if printed is None else max(0, target.maturity - printed)
        return cls(target.pillar, target.name, target.maturity, target.agreed, gap)

    @property
    def reached(self) -> bool:
        return self.gap == 0

    @property
    def gap_words(self) -> str:
        """ "24 to go", "reached", or "" without a figure to measure from."""
        if self.gap is None:
            return ""
        return _("reached") if self.reached else _("%(points)d to go") % {"points": self.gap}

    @property
    def words(self) -> str:
        """ "Target 80 · 24 to go"; "Target 70 (low risk, by default)" without a figure."""
        words = _("Target %(target)d") % {"target": self.target}
        if not self.agreed:
            words = _("%(target)s (low risk, by default)") % {"target": words}
        return f"{words} · {self.gap_words}" if self.gap_words else words


@dataclass(frozen=True)
class PillarSection:
    pillar: PillarResult
    change: Change | None
    previous: float | None
    benchmark: float | None
    questions: tuple[QuestionRow, ...]
    findings: tuple["RankedFinding", ...]
    quotes: tuple[Quote, ...]
    evidence: scoring.PillarEvidence | None = None  # where a question asks for evidence
    target: TargetGap | None = None  # None when the page was made without the plan

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
class PathLine:
    """A step on the path to ready; a step that raises a pillar names the pillar's target
    when the target asks for more than the step's band limit."""

    step: PathStep
    target: int | None = None


@dataclass(frozen=True)
class PathGroup:
    needed_for: Verdict
    steps: tuple[PathLine, ...]


def path_words(
    result: scoring.AssessmentResult, line: PathLine, *, show_codes: bool = False
) -> str:
    """ "Raise Data foundation (now 56) above 70: to low risk; target 80." """
    words = wording.path_step(result, line.step, show_codes=show_codes)
    if line.target is None:
        return words
    return _("%(step)s; target %(target)d.") % {
        "step": words.removesuffix("."),
        "target": line.target,
    }


@dataclass(frozen=True)
class Strength:
    question: QuestionResult
    pillar: str  # name


@dataclass(frozen=True)
class RankedFinding:
    rank: int  # 1 for the first priority
    finding: Finding
    pillar: str  # name
    action: PlannedAction | None = None  # the client's action on it, if there is one yet

    @property
    def planned(self) -> str:
        """The action's title, where it says more than the recommendation's first sentence
        it starts from; "" otherwise, and without an action."""
        if self.action is None or self.action.title == default_title(self.finding):
            return ""
        return self.action.title


@dataclass(frozen=True)
class Gap:
    """The largest perception gap of a pillar. Groups are compared on the questions both
    were asked; when those are all of the pillar's, the two figures are the heat map's and
    are quoted, otherwise only the gap is, so that no group has two figures for a pillar."""

    gap: PerceptionGap
    pillar: str  # name
    all_questions: bool  # both groups were asked every question of the pillar

    @property
    def points(self) -> int:
        """The difference of the two figures as printed."""
        return (score(self.gap.high) or 0) - (score(self.gap.low) or 0)

    @property
    def words(self) -> str:
        """ "Leadership see 58, Business 38: a gap of 20 points." """
        high = label("perspective", self.gap.high_perspective)
        low = label("perspective", self.gap.low_perspective)
        if self.all_questions:
            return _("%(high)s see %(high_value)d, %(low)s %(low_value)d: a gap of %(points)s.") % {
                "high": high,
                "high_value": score(self.gap.high),
                "low": low,
                "low_value": score(self.gap.low),
                "points": points_words(self.points),
            }
        return ngettext(
            "%(high)s and %(low)s are %(points)s apart on the one question both were asked.",
            "%(high)s and %(low)s are %(points)s apart on the %(count)d questions both were asked.",
            self.gap.questions,
        ) % {
            "high": high,
            "low": low,
            "points": points_words(self.points),
            "count": self.gap.questions,
        }


def perception_gaps(result: scoring.AssessmentResult) -> tuple[Gap, ...]:
    """Each pillar's largest perception gap, as the dashboard, documents and API quote it."""
    names = {pillar.pillar: pillar.name for pillar in result.pillars}
    asked = Counter(question.pillar for question in result.questions.values())
    return tuple(
        Gap(gap, names[gap.pillar], gap.questions >= asked[gap.pillar]) for gap in result.gaps
    )


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
class BandLimit:
    """A risk band whose lower limit differs between the two questionnaire versions."""

    band: Band
    previous: float
    current: float


@dataclass(frozen=True)
class Movement:
    """What moved since the previous assessment: the index, every pillar, the questions
    whose score changed (largest change first), and the questions added or removed
    between questionnaire versions.

    When the versions differ (`matched`), the index before and now is over the questions
    asked both times only, and `band_limits` lists the risk bands whose limits changed.
    """

    since: str  # the previous assessment's title
    overall_previous: float | None
    overall_current: float | None
    overall: Change | None
    pillars: tuple[PillarMove, ...]
    moved: tuple[QuestionMove, ...]
    steady: int  # compared questions whose score did not change
    added: tuple[QuestionMove, ...]
    removed: tuple[QuestionMove, ...]
    matched: bool = False  # the questionnaires differ: the index is on matched questions
    previous_questionnaire: str = ""  # its title and version, when it differs
    band_limits: tuple[BandLimit, ...] = ()

    @property
    def compared(self) -> int:
        return len(self.moved) + self.steady

    @property
    def caveats(self) -> tuple[str, ...]:
        """What a reader must know before reading a change across questionnaire versions:
        what was added and removed, which band limits moved, what the index compares."""
        if not self.matched:
            return ()
        lines = []
        if self.previous_questionnaire:
            lines.append(
                _("“%(title)s” used %(questionnaire)s.")
                % {"title": self.since, "questionnaire": self.previous_questionnaire}
            )
        added, removed = len(self.added), len(self.removed)
        lines.append(
            _(
                "Since then %(added)s and %(removed)s; the readiness index before and now "
                "counts only %(compared)s."
            )
            % {
                "added": ngettext(
                    "%(count)d question was added", "%(count)d questions were added", added
                )
                % {"count": added},
                "removed": ngettext(
                    "%(count)d is no longer asked", "%(count)d are no longer asked", removed
                )
                % {"count": removed},
                "compared": ngettext(
                    "the question asked both times",
                    "the %(count)d questions asked both times",
                    self.compared,
                )
                % {"count": self.compared},
            }
        )
        if self.band_limits:
            limits = ", ".join(
                _("%(band)s from %(before)s to %(now)s")
                % {
                    "band": label("band", limit.band),
                    # A limit, not a score: 62.5 stays 62.5.
                    "before": wording.decimal(f"{limit.previous:g}"),
                    "now": wording.decimal(f"{limit.current:g}"),
                }
                for limit in self.band_limits
            )
            lines.append(
                _("Risk band limits changed (risk from 0 to 100): %(limits)s.") % {"limits": limits}
            )
        return tuple(lines)


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
    def targets(self) -> tuple[TargetGap, ...]:
        """Every pillar's target, in order; empty when the page was made without the plan."""
        return tuple(section.target for section in self.pillars if section.target)

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

    @property
    def gaps_note(self) -> str:
        """Why a gap may not be the difference of two heat map figures, in one line."""
        return _(
            "Each gap compares two perspectives on the questions both were asked. Where "
            "that is only some of a pillar's questions, the gap alone is given: the figures "
            "above count every question each group was asked."
        )


def _radar(
    report: scoring.Report, targets: Sequence[TargetGap], *, size: int, title: str
) -> SafeString | None:
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
    if targets:
        goals = {target.pillar: target.target for target in targets}
        values = [goals.get(pillar.pillar) for pillar in result.pillars]
        series.append(charts.Series(_("Target"), values, "target"))
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
                change=_change(trend.previous, trend.current) if trend else None,
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


def _strengths(
    result: scoring.AssessmentResult, names: dict[str, str], risks: Sequence[RankedFinding]
) -> tuple[Strength, ...]:
    """The best-scored questions; never one of the largest risks or a red flag, which a
    reader could otherwise find under both headings of a short questionnaire."""
    excluded = {item.finding.question for item in risks}
    scored = [
        (index, question)
        for index, question in enumerate(result.questions.values())
        if question.mean is not None
        and question.withheld is None
        and not question.red_flag
        and question.code not in excluded
    ]
    scored.sort(key=lambda item: (-(item[1].mean or 0), -item[1].answered, item[0]))
    return tuple(
        Strength(question, names[question.pillar]) for _, question in scored[:HEADLINE_COUNT]
    )


def _path_line(step: PathStep, goals: Mapping[str, int]) -> PathLine:
    goal = goals.get(step.pillar) if step.kind == StepKind.RAISE_PILLAR else None
    # The first whole maturity above the limit is what the step asks already (the default
    # target of "low risk" is just that): name only a target that asks for more.
    above_limit = (
        goal is not None and step.target is not None and goal > math.floor(step.target) + 1
    )
    return PathLine(step, goal if above_limit else None)


def _path(steps: Sequence[PathStep], targets: Sequence[TargetGap]) -> tuple[PathGroup, ...]:
    order = [Verdict.READY_WITH_CONDITIONS, Verdict.READY]
    goals = {target.pillar: target.target for target in targets}
    return tuple(
        PathGroup(
            verdict,
            tuple(_path_line(step, goals) for step in steps if step.needed_for == verdict),
        )
        for verdict in order
        if any(step.needed_for == verdict for step in steps)
    )


def _band_limits(previous: Mapping[str, float], current: Mapping[str, float]) -> tuple:
    return tuple(
        BandLimit(Band(band), previous[band], current[band])
        for band in ("moderate", "high", "critical")
        if previous.get(band) != current.get(band)
    )


def _movement(
    report: scoring.Report,
    previous_names: Mapping[str, tuple[str, str]],
    questionnaire: Questionnaire,
    previous_questionnaire: Questionnaire | None,
) -> Movement | None:
    """`previous_names`: code → (text or name, pillar name) of the questions and pillars
    that only the previous assessment had, which the results no longer carry;
    `previous_questionnaire`: the version the previous assessment used."""
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
            change=_change(item.previous, item.current),
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
                change=_change(item.previous, item.current),
                status=item.status.value,
            )
        )
    compared = [move for move in moves if move.status == scoring.TrendStatus.COMPARED]
    moved = [move for move in compared if move.change and move.change.direction != "same"]
    moved.sort(key=lambda move: -abs(move.change.delta if move.change else 0))
    added = tuple(m for m in moves if m.status == scoring.TrendStatus.NEW)
    removed = tuple(m for m in moves if m.status == scoring.TrendStatus.REMOVED)
    other_version = previous_questionnaire is not None and (
        previous_questionnaire.pk != questionnaire.pk
    )
    # Across versions the index before and now would rest on different questions: the
    # headline compares the questions asked both times only.
    matched = bool(added or removed or other_version)
    before, now = (
        (trend.matched_previous, trend.matched_current)
        if matched
        else (trend.overall_previous, trend.overall_current)
    )
    return Movement(
        since=report.previous_title,
        overall_previous=before,
        overall_current=now,
        overall=_change(before, now),
        pillars=pillars,
        moved=tuple(moved),
        steady=len(compared) - len(moved),
        added=added,
        removed=removed,
        matched=matched,
        previous_questionnaire=str(previous_questionnaire) if other_version else "",
        band_limits=(
            _band_limits(previous_questionnaire.bands, questionnaire.bands)
            if previous_questionnaire is not None and other_version
            else ()
        ),
    )


def report_page(
    assessment: Assessment,
    results: VisibleResults,
    quotes: Sequence[Quote],
    *,
    radar_size: int = 420,
    bar_width: int = 240,
    for_print: bool = False,
    with_charts: bool = True,
    previous_names: Mapping[str, tuple[str, str]] | None = None,
    previous_questionnaire: Questionnaire | None = None,
    plan: Plan | None = None,
) -> ReportPage:
    """Arrange `results` for the dashboard (default sizes) or the PDF (smaller charts, no
    tooltips); with `charts=False`, without the SVG charts (spreadsheets and documents
    draw their own).

    One ranked list of findings: each pillar lists the rows of the action plan that are
    its own, with the same priorities.

    `previous_names`: the texts of questions and pillars only the previous assessment had
    (`selectors.previous_names`), so that what was removed reads as words, not codes;
    `previous_questionnaire`: the version it used (`selectors.previous_questionnaire`);
    `plan`: the client's targets and actions (`selectors.client_plan`), which every pillar,
    the radar, the path to ready and the action plan then show.
    """
    report, result = results.report, results.result
    names = {pillar.pillar: pillar.name for pillar in result.pillars}
    trends = {t.pillar: t for t in report.trend.pillars} if report.trend else {}
    benchmark = report.benchmark.pillars if report.benchmark else {}
    actions = plan.actions if plan else {}
    ranked = tuple(
        RankedFinding(rank, finding, names[finding.pillar], actions.get(finding.question))
        for rank, finding in enumerate(result.findings, start=1)
    )
    maturity = {pillar.pillar: pillar.maturity for pillar in result.pillars}
    targets = {
        target.pillar: TargetGap.of(target, maturity.get(target.pillar))
        for target in (plan.targets if plan else ())
        if target.pillar in maturity
    }
    plan = ranked[:ACTION_PLAN_ROWS]
    risks = ranked[:HEADLINE_COUNT]
    movement = _movement(
        report, previous_names or {}, assessment.questionnaire, previous_questionnaire
    )
    evidence = {figure.pillar: figure for figure in report.evidence}
    sections = []
    for pillar in result.pillars:
        trend = trends.get(pillar.pillar)
        sections.append(
            PillarSection(
                pillar=pillar,
                change=_change(trend.previous, trend.current) if trend else None,
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
                findings=tuple(r for r in plan if r.finding.pillar == pillar.pillar),
                quotes=tuple(quote for quote in quotes if quote.pillar == pillar.pillar),
                evidence=evidence.get(pillar.pillar),
                target=targets.get(pillar.pillar),
            )
        )
    title = _("Maturity per pillar, 0 to 100: %(assessment)s") % {"assessment": assessment.title}
    return ReportPage(
        assessment=assessment,
        results=results,
        radar=(
            _radar(report, tuple(targets.values()), size=radar_size, title=title)
            if with_charts
            else None
        ),
        pillars=tuple(sections),
        top_findings=ranked[:TOP_FINDINGS],
        risks=risks,
        strengths=_strengths(result, names, risks),
        action_plan=plan,
        path=_path(result.path, tuple(targets.values())),
        heatmap=_heatmap(result, BandSettings(**assessment.questionnaire.bands)),
        gaps=perception_gaps(result),
        overall_change=movement.overall if movement else None,
        quotes=tuple(quotes),
        movement=movement,
    )
