"""The executive summary as a PowerPoint deck with native, editable charts."""

from collections.abc import Sequence
from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.labels import label
from assessments.models import Assessment
from assessments.wording import path_step, question_name, verdict_because

from .. import presenters
from .base import Export, export_filename
from .documents import (
    ACCENT,
    BAND_COLOURS,
    BRAND,
    DRAFT_RED,
    MUTED,
    VERDICT_COLOURS,
    Document,
    change_text,
    document_for,
    score_text,
    verdict_words,
)
from .metadata import stamp
from .thumbnail import cover_thumbnail

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DECK_PATH_STEPS = 3
DECK_FINDINGS = 2
QUESTION_LABEL = 48  # characters of a question's text on a chart axis


def report_pptx(assessment: Assessment, *, draft: bool = False) -> Export | None:
    """The executive summary as a deck: a title slide, the summary (verdict, index, radar,
    largest risks, path to ready), what moved since the previous assessment, and one slide
    per pillar with its question scores as a bar chart."""
    document = document_for(assessment, draft=draft)
    if document is None:
        return None
    deck = _Deck(document)
    deck.title_slide()
    deck.summary_slide()
    deck.movement_slide()
    for section in document.page.pillars:
        deck.pillar_slide(section)
    content = stamp(
        deck.save(),
        document.file_metadata(_("GenAI readiness summary")),
        thumbnail=cover_thumbnail(document, width=256, height=144),  # 16:9
    )
    filename = export_filename(assessment, document.day, "pptx", draft=draft)
    return Export(filename, PPTX, content)


class _Deck:
    WIDTH, HEIGHT = 13.333, 7.5  # inches, 16:9

    def __init__(self, document: Document):
        from pptx import Presentation
        from pptx.util import Inches

        self.doc = document
        self.page = document.page
        self.result = document.page.result
        self.deck = Presentation()
        self.deck.slide_width = Inches(self.WIDTH)
        self.deck.slide_height = Inches(self.HEIGHT)

    # Building blocks

    def _slide(self, title: str):
        from pptx.dml.color import RGBColor
        from pptx.util import Inches, Pt

        slide = self.deck.slides.add_slide(self.deck.slide_layouts[5])  # title only
        shape = slide.shapes.title
        shape.left, shape.top = Inches(0.5), Inches(0.3)
        shape.width, shape.height = Inches(self.WIDTH - 1), Inches(0.8)
        shape.text = title
        paragraph = shape.text_frame.paragraphs[0]
        paragraph.font.size = Pt(28)
        paragraph.font.bold = True
        paragraph.font.color.rgb = RGBColor.from_string(BRAND)
        from pptx.enum.text import PP_ALIGN

        paragraph.alignment = PP_ALIGN.LEFT
        self._footer(slide)
        return slide

    def _footer(self, slide) -> None:
        assessment = self.doc.assessment
        if self.doc.draft:
            words = _("DRAFT · live figures, not published")
            colour = DRAFT_RED
        else:
            words = f"{assessment.organisation.name} · {assessment.title} · {self.doc.results_line}"
            colour = MUTED
        self.text(
            slide,
            (0.5, self.HEIGHT - 0.45, self.WIDTH - 1, 0.3),
            [
                (
                    words + "  ·  " + _("Group figures only: no person’s answers are shown."),
                    10,
                    self.doc.draft,
                    colour,
                )
            ],
        )

    def text(self, slide, box, lines, *, fill: str = "", bullets: bool = False):
        """`lines`: (text, size, bold, colour) each a paragraph; `box`: inches."""
        from pptx.dml.color import RGBColor
        from pptx.enum.text import MSO_ANCHOR
        from pptx.util import Inches, Pt

        left, top, width, height = box
        shape = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        frame = shape.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.TOP
        if fill:
            shape.fill.solid()
            shape.fill.fore_color.rgb = RGBColor.from_string(fill)
            frame.margin_left = frame.margin_right = Inches(0.15)
        for index, (words, size, bold, colour) in enumerate(lines):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = ("• " if bullets and index else "") + words
            run.font.size = Pt(size)
            run.font.bold = bold
            if colour:
                run.font.color.rgb = RGBColor.from_string(colour)
            paragraph.space_after = Pt(4)
        return shape

    def _chart(self, slide, kind, box, categories, series, *, legend: bool):
        """A native chart with 0–100 values; `series`: (name, values, colour)."""
        from pptx.dml.color import RGBColor
        from pptx.enum.chart import XL_LEGEND_POSITION
        from pptx.util import Inches, Pt

        from .chart_data import SafeCategoryChartData

        data = SafeCategoryChartData(number_format="0")
        data.categories = categories
        for name, values, _colour in series:
            data.add_series(name, [None if v is None else round(v, 1) for v in values])
        left, top, width, height = box
        frame = slide.shapes.add_chart(
            kind, Inches(left), Inches(top), Inches(width), Inches(height), data
        )
        chart = frame.chart
        chart.font.size = Pt(11)
        axis = chart.value_axis
        axis.minimum_scale, axis.maximum_scale = 0, 100
        axis.major_unit = 25
        chart.has_legend = legend
        if legend:
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
        for plot_series, (_name, _values, colour) in zip(chart.series, series, strict=True):
            line = plot_series.format.line
            line.color.rgb = RGBColor.from_string(colour)
            line.width = Pt(2.25)
        return chart

    # Slides

    def title_slide(self) -> None:
        from pptx.dml.color import RGBColor
        from pptx.util import Pt

        assessment = self.doc.assessment
        slide = self.deck.slides.add_slide(self.deck.slide_layouts[0])
        slide.shapes.title.text = assessment.title
        title = slide.shapes.title.text_frame.paragraphs[0]
        title.font.color.rgb = RGBColor.from_string(BRAND)
        title.font.bold = True
        subtitle = slide.placeholders[1]
        subtitle.text = assessment.organisation.name
        lines = [self.doc.results_line, self.doc.respondents_line]
        if self.doc.draft:
            lines.append(_("Draft: the client's management sees the published results only."))
        for words in lines:
            paragraph = subtitle.text_frame.add_paragraph()
            paragraph.text = words
            paragraph.font.size = Pt(16)
            if self.doc.draft:
                paragraph.font.color.rgb = RGBColor.from_string(DRAFT_RED)
        self._footer(slide)

    def summary_slide(self) -> None:
        from pptx.enum.chart import XL_CHART_TYPE

        page, result = self.page, self.result
        slide = self._slide(_("Executive summary"))
        verdict = result.verdict.value if result.verdict else ""
        self.text(
            slide,
            (0.5, 1.2, 6.1, 0.75),
            [(verdict_words(page), 28, True, "FFFFFF")],
            fill=VERDICT_COLOURS.get(verdict, MUTED),
        )
        self.text(slide, (0.5, 2.05, 6.1, 1.45), [(verdict_because(result), 11, False, "212529")])
        index = [
            (
                _("Readiness index %(index)s / 100") % {"index": score_text(result.overall_index)},
                18,
                True,
                BRAND,
            )
        ]
        if page.overall_change:
            since = _("since “%(title)s”") % {"title": page.report.previous_title}
            index.append((f"{change_text(page.overall_change)} {since}", 12, False, MUTED))
        self.text(slide, (0.5, 3.5, 6.1, 0.8), index)
        risks = [(_("Largest risks"), 16, True, BRAND)]
        for item in page.risks:
            name = question_name(result, item.finding.question, show_codes=False)
            note = f" — {item.pillar}, {label('band', item.finding.band)}"
            flag = " ⚑" if item.finding.red_flag else ""
            risks.append((f"{item.rank}. {name}{note}{flag}", 11, False, "212529"))
        if not page.risks:
            none = _("None: every question with enough answers is at the top level.")
            risks.append((none, 11, False, MUTED))
        self.text(slide, (0.5, 4.35, 6.1, 2.6), risks)

        pillars = result.pillars
        series = [(_("This assessment"), [p.maturity for p in pillars], BRAND)]
        trend = page.report.trend
        if trend is not None:
            before = {item.pillar: item.previous for item in trend.pillars}
            values = [before.get(p.pillar) for p in pillars]
            if any(value is not None for value in values):
                series.append((page.report.previous_title or _("Previous"), values, ACCENT))
        benchmark = page.report.benchmark
        if benchmark is not None:
            values = [benchmark.pillars.get(p.pillar) for p in pillars]
            if any(value is not None for value in values):
                series.append((_("Benchmark"), values, "8A9099"))
        if len(pillars) >= 3:
            chart = self._chart(
                slide,
                XL_CHART_TYPE.RADAR_MARKERS,
                (6.9, 1.0, 6.0, 4.0),
                [p.name for p in pillars],
                series,
                legend=len(series) > 1,
            )
            chart.font.size = _points(10)
            _dash(chart, series)
        steps = [step for group in page.path for step in group.steps]
        if steps:
            lines = [(_("Path to ready"), 14, True, BRAND)]
            shown = steps[:DECK_PATH_STEPS]
            lines += [(path_step(result, step), 10, False, "212529") for step in shown]
            if len(steps) > len(shown):
                more = _("…and %(count)d more steps in the report.") % {
                    "count": len(steps) - len(shown)
                }
                lines.append((more, 10, False, MUTED))
            self.text(slide, (6.9, 5.05, 6.0, 1.95), lines)

    def movement_slide(self) -> None:
        from pptx.enum.chart import XL_CHART_TYPE

        movement = self.page.movement
        if movement is None:
            return
        slide = self._slide(_("What moved since “%(title)s”") % {"title": movement.since})
        compared = [item for item in movement.pillars if item.status == "compared"]
        if compared:
            chart = self._chart(
                slide,
                XL_CHART_TYPE.COLUMN_CLUSTERED,
                (0.5, 1.2, 7.2, 5.5),
                [item.name for item in compared],
                [
                    (movement.since, [item.previous for item in compared], ACCENT),
                    (_("Now"), [item.current for item in compared], BRAND),
                ],
                legend=True,
            )
            _fill_bars(chart, [ACCENT, BRAND])
        lines = [
            (
                _("Readiness index: %(before)s → %(now)s  %(change)s")
                % {
                    "before": score_text(movement.overall_previous),
                    "now": score_text(movement.overall_current),
                    "change": change_text(movement.overall),
                },
                16,
                True,
                BRAND,
            ),
            (_("Questions that moved most"), 14, True, BRAND),
        ]
        for item in movement.moved[:6]:
            lines.append(
                (f"{change_text(item.change)}  {_short(item.text, 70)}", 11, False, "212529")
            )
        if not movement.moved:
            lines.append((_("No question changed score."), 11, False, MUTED))
        if movement.added or movement.removed:
            lines.append(
                (
                    _("%(added)d questions added, %(removed)d no longer asked since then.")
                    % {"added": len(movement.added), "removed": len(movement.removed)},
                    11,
                    False,
                    MUTED,
                )
            )
        self.text(slide, (8.0, 1.2, 4.8, 5.6), lines)

    def pillar_slide(self, section: presenters.PillarSection) -> None:
        from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION

        pillar, result = section.pillar, self.result
        title = pillar.name
        if pillar.band:
            title += " — " + _("%(band)s risk") % {"band": label("band", pillar.band)}
        slide = self._slide(title)
        lines = []
        if pillar.withheld:
            lines.append(
                (
                    _("Withheld: %(reason)s. Fewer than %(n)d people gave a level in this pillar.")
                    % {"reason": label("withheld", pillar.withheld), "n": result.min_respondents},
                    14,
                    False,
                    MUTED,
                )
            )
        elif not pillar.assessed:
            lines.append((_("Not assessed: nobody gave a level in this pillar."), 14, False, MUTED))
        else:
            figure = _("Maturity %(score)s / 100") % {"score": score_text(pillar.maturity)}
            if section.change:
                figure += "  " + change_text(section.change)
            lines.append(
                (
                    figure,
                    24,
                    True,
                    BAND_COLOURS.get(pillar.band.value if pillar.band else "", BRAND),
                )
            )
            facts = _(
                "%(band)s risk · confidence %(confidence)s · %(count)d respondents · "
                "coverage %(coverage)d%%"
            ) % {
                "band": label("band", pillar.band),
                "confidence": label("confidence", pillar.confidence),
                "count": pillar.respondents,
                "coverage": round(100 * pillar.coverage),
            }
            lines.append((facts, 12, False, MUTED))
            if pillar.red_flags:
                count = len(pillar.red_flags)
                flags = ngettext("⚑ %(count)d red flag", "⚑ %(count)d red flags", count)
                lines.append((flags % {"count": count}, 12, True, DRAFT_RED))
        if pillar.recommendation:
            lines.append((_("What to do"), 14, True, BRAND))
            lines.append((pillar.recommendation, 12, False, "212529"))
        if section.findings:
            lines.append((_("Priorities"), 14, True, BRAND))
            for item in section.findings[:DECK_FINDINGS]:
                lines.append(
                    (
                        f"{item.rank}. "
                        + question_name(result, item.finding.question, show_codes=False),
                        12,
                        True,
                        "212529",
                    )
                )
                if item.finding.next_step:
                    lines.append((item.finding.next_step, 11, False, MUTED))
        self.text(slide, (0.5, 1.2, 5.6, 5.6), lines)

        rows = [row for row in section.questions if row.question.asked]
        if not rows:
            return
        categories = []
        values = []
        for row in reversed(rows):  # bar charts draw the first category at the bottom
            question = row.question
            name = _short(question.text, QUESTION_LABEL)
            if question.withheld:
                name += " (" + _("withheld") + ")"
            categories.append(name)
            values.append(question.mean if question.withheld is None else None)
        chart = self._chart(
            slide,
            XL_CHART_TYPE.BAR_CLUSTERED,
            (6.3, 1.1, 6.6, 5.8),
            categories,
            [(_("Score (0–100)"), values, BRAND)],
            legend=False,
        )
        _fill_bars(chart, [BRAND])
        plot = chart.plots[0]
        plot.has_data_labels = True
        plot.data_labels.number_format = "0"
        plot.data_labels.number_format_is_linked = False
        plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
        plot.gap_width = 60
        chart.category_axis.tick_labels.font.size = _points(10)
        chart.has_title = True
        chart.chart_title.text_frame.text = _("Score per question, 0 to 100")
        chart.chart_title.text_frame.paragraphs[0].font.size = _points(12)

    def save(self) -> bytes:
        buffer = BytesIO()
        self.deck.save(buffer)
        return buffer.getvalue()


def _points(size: int):
    from pptx.util import Pt

    return Pt(size)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _fill_bars(chart, colours: Sequence[str]) -> None:
    from pptx.dml.color import RGBColor

    for plot_series, colour in zip(chart.series, colours, strict=True):
        plot_series.format.fill.solid()
        plot_series.format.fill.fore_color.rgb = RGBColor.from_string(colour)
        plot_series.format.line.fill.background()


def _dash(chart, series) -> None:
    """The previous assessment dashed, the benchmark dotted: not by colour alone."""
    from pptx.enum.dml import MSO_LINE_DASH_STYLE

    styles = [None, MSO_LINE_DASH_STYLE.DASH, MSO_LINE_DASH_STYLE.ROUND_DOT]
    for plot_series, style in zip(chart.series, styles, strict=False):
        if style is not None:
            plot_series.format.line.dash_style = style
