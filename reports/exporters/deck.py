"""The report as a PowerPoint deck that stands on its own, with native, editable charts.

Every slide carries speaker notes with the method behind its figures (what they mean, the
anonymity threshold, what is withheld and why), every chart a description of its content in
words, and no text under 14 points. A text that does not fit continues on the next slide.
"""

from collections.abc import Sequence
from io import BytesIO

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from assessments.labels import label
from assessments.models import Assessment
from assessments.wording import question_name, verdict_because

from .. import presenters
from ..figures import percent, score, score_text
from ..presenters import path_words
from .base import Export, export_filename
from .documents import (
    BAND_COLOURS,
    DRAFT_RED,
    MUTED,
    VERDICT_COLOURS,
    ChartSeries,
    Document,
    change_text,
    document_for,
    evidenced_words,
    radar_series,
    verdict_words,
)
from .metadata import stamp
from .slides import (
    BODY,
    HEADING,
    INK,
    TITLE,
    Line,
    cell_height,
    height_of,
    paginate,
    rows_of,
    rows_per_page,
    wrap,
)
from .thumbnail import cover_thumbnail

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
WHITE = "FFFFFF"

WIDTH, HEIGHT = 13.333, 7.5  # inches, 16:9
LEFT = 0.5
FULL = WIDTH - 2 * LEFT
TOP = 1.2  # below the title
BOTTOM = 6.85  # above the footer
BODY_HEIGHT = BOTTOM - TOP

QUESTION_LABEL = 34  # characters on a line of a question's label beside its bar
PILLAR_LABEL = 18  # characters on a line of a pillar's name beside its bars
CATEGORY_LINE = BODY * 1.2 / 72  # inches a line of a chart's category label takes
MOVED_QUESTIONS = 6
PILLAR_PRIORITIES = 2

# The method's sections (`scoring.method_text`) each slide's notes repeat; those that name
# questions by code (weights, red flags) stay in the report's appendix. Named by their
# English titles, which `_method` translates.
NOTES_METHOD = {
    "summary": (gettext_noop("Overall index and verdict"), gettext_noop("Risk bands")),
    "path": (gettext_noop("Overall index and verdict"),),
    "movement": (gettext_noop("Trend and benchmark"),),
    "pillar": (
        gettext_noop("Answers and maturity"),
        gettext_noop("Pillar results"),
        gettext_noop("Risk bands"),
    ),
    "perspectives": (gettext_noop("Perspectives"),),
    "action_plan": (gettext_noop("Priorities"),),
    "next_steps": (gettext_noop("Anonymity"),),
}


def report_pptx(assessment: Assessment, *, draft: bool = False) -> Export | None:
    """The report as a deck: cover, executive summary, the path to ready, what moved since the
    previous assessment, one slide per pillar, perspectives, the action plan and next steps.
    """
    document = document_for(assessment, draft=draft)
    if document is None:
        return None
    deck = _Deck(document)
    deck.cover_slide()
    deck.summary_slide()
    deck.path_slides()
    deck.movement_slide()
    for section in document.page.pillars:
        deck.pillar_slides(section)
    deck.perspective_slides()
    deck.action_plan_slides()
    deck.next_steps_slide()
    deck.number_slides()
    content = stamp(
        deck.save(),
        document.file_metadata(_("GenAI readiness summary")),
        thumbnail=cover_thumbnail(document, width=256, height=144),  # 16:9
    )
    filename = export_filename(assessment, document.day, "pptx", draft=draft)
    return Export(filename, PPTX, content)


class _Deck:
    def __init__(self, document: Document):
        from pptx import Presentation
        from pptx.util import Inches

        self.doc = document
        # The consultancy's colours, or the product's own.
        self.primary, self.accent = document.brand.primary, document.brand.accent
        self.page = document.page
        self.result = document.page.result
        self.method = {section.title: section.paragraphs for section in self.page.report.method}
        self.deck = Presentation()
        self.deck.slide_width = Inches(WIDTH)
        self.deck.slide_height = Inches(HEIGHT)

    # Building blocks

    def _slide(self, title: str, notes: Sequence[str]):
        """A slide with its title, footer, draft marking and speaker notes."""
        from pptx.enum.text import PP_ALIGN
        from pptx.util import Inches

        slide = self.deck.slides.add_slide(self.deck.slide_layouts[5])  # title only
        shape = slide.shapes.title
        shape.left, shape.top = Inches(LEFT), Inches(0.3)
        width = FULL - 1.4
        shape.width, shape.height = Inches(width), Inches(0.8)
        shape.text_frame.word_wrap = True
        # A long title gets smaller rather than run into the slide's content.
        size = next(
            (size for size in (TITLE, 24) if rows_of(Line(title, size, True), width) == 1), 20
        )
        _fill_paragraph(shape.text_frame.paragraphs[0], Line(title, size, True, self.primary))
        shape.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
        self._decorate(slide, notes)
        return slide

    def _decorate(self, slide, notes: Sequence[str]) -> None:
        self._footer(slide)
        if self.doc.draft:
            self.text(
                slide,
                (WIDTH - LEFT - 1.3, 0.35, 1.3, 0.45),
                [Line(_("DRAFT"), BODY, True, DRAFT_RED)],
                outline=DRAFT_RED,
            )
        slide.notes_slide.notes_text_frame.text = "\n\n".join([*notes, *self._source_notes()])

    def _footer(self, slide) -> None:
        assessment = self.doc.assessment
        where = f"{assessment.organisation.name} · {assessment.title}"
        if self.doc.draft:
            words = _("DRAFT · live figures, not published") + " · " + where
            line = Line(words, BODY, True, DRAFT_RED)
        else:
            line = Line(f"{where} · {self.doc.results_line}", BODY, False, MUTED)
        self.text(slide, (LEFT, HEIGHT - 0.55, FULL - 1.3, 0.45), [line])

    def number_slides(self) -> None:
        """“3 / 17” in the footer's corner, once every slide is made."""
        from pptx.enum.text import PP_ALIGN

        total = len(self.deck.slides)
        for number, slide in enumerate(self.deck.slides, start=1):
            shape = self.text(
                slide,
                (WIDTH - LEFT - 1.2, HEIGHT - 0.55, 1.2, 0.45),
                [Line(f"{number} / {total}", BODY, False, MUTED)],
            )
            shape.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT

    def _source_notes(self) -> list[str]:
        """What every slide's notes end with: where the figures come from and who is behind
        them."""
        threshold = self.doc.assessment.anonymity_threshold
        if self.doc.draft:
            source = _(
                "Draft: %(results)s, from %(respondents)s. The client's management sees the "
                "published results only, in which a figure that fewer than %(n)d people gave a "
                "level is withheld."
            )
        else:
            source = _(
                "%(results)s, from %(respondents)s. A figure is shown only when at least "
                "%(n)d people gave it a level (a perspective group needs %(n)d people); "
                "otherwise it reads “withheld” with its reason, so that no person's answer can "
                "be told apart."
            )
        return [
            source
            % {
                "results": self.doc.results_line,
                "respondents": self.doc.respondents_line,
                "n": threshold,
            }
        ]

    def _method(self, slide_kind: str) -> list[str]:
        return [
            paragraph
            for title in NOTES_METHOD[slide_kind]
            # A snapshot keeps the method in the language it was published in.
            for paragraph in self.method.get(_(title), self.method.get(title, ()))
        ]

    def text(self, slide, box, lines: Sequence[Line], *, fill: str = "", outline: str = ""):
        """A text box of `lines`, each a paragraph; `box`: left, top, width, height in inches."""
        from pptx.dml.color import RGBColor
        from pptx.enum.text import MSO_ANCHOR
        from pptx.util import Inches, Pt

        left, top, width, height = box
        shape = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        frame = shape.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.TOP
        frame.margin_left = frame.margin_right = Inches(0.1)
        if fill:
            shape.fill.solid()
            shape.fill.fore_color.rgb = RGBColor.from_string(fill)
            frame.margin_left = frame.margin_right = Inches(0.15)
        if outline:
            shape.line.color.rgb = RGBColor.from_string(outline)
            shape.line.width = Pt(1.5)
        for index, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            _fill_paragraph(paragraph, line)
        return shape

    def flow(self, title: str, notes: Sequence[str], blocks: Sequence[Sequence[Line]], *, top=TOP):
        """`blocks` in a full-width text box, continued on further slides when they do not
        fit; the first slide's box starts at `top`. Returns the slides."""
        pages = paginate(blocks, FULL, [BOTTOM - top, BODY_HEIGHT])
        slides = []
        for number, lines in enumerate(pages):
            slide = self._slide(title if number == 0 else _continued(title), notes)
            start = top if number == 0 else TOP
            self.text(slide, (LEFT, start, FULL, BOTTOM - start), lines)
            slides.append(slide)
        return slides

    def table(self, slide, top: float, header: Sequence[str], rows, widths: Sequence[float]):
        """A table with a header row; `rows`: lists of cells, each a text, a Line or a list of
        Lines; `widths` in inches."""
        from pptx.dml.color import RGBColor
        from pptx.util import Inches

        header_lines = [[Line(text, BODY, True, WHITE)] for text in header]
        lines = [header_lines] + [[_cell_lines(cell) for cell in row] for row in rows]
        heights = [cell_height(row, widths) for row in lines]
        shape = slide.shapes.add_table(
            len(rows) + 1,
            len(widths),
            Inches(LEFT),
            Inches(top),
            Inches(sum(widths)),
            Inches(sum(heights)),
        )
        table = shape.table
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Inches(width)
        for row, height in zip(table.rows, heights, strict=True):
            row.height = Inches(height)
        for row_index, row in enumerate(lines):
            for cell, paragraphs in zip(table.rows[row_index].cells, row, strict=True):
                cell.fill.solid()
                cell.fill.fore_color.rgb = RGBColor.from_string(
                    self.primary if row_index == 0 else WHITE
                )
                cell.margin_left = cell.margin_right = Inches(0.08)
                cell.margin_top = cell.margin_bottom = Inches(0.03)
                frame = cell.text_frame
                frame.word_wrap = True
                for index, line in enumerate(paragraphs):
                    paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
                    _fill_paragraph(paragraph, line)
        return shape

    def _chart(self, slide, kind, box, categories, series, *, legend: bool, description: str):
        """A native chart with 0–100 values; `series`: (name, values, colour); `description`:
        its content in words, for people who cannot see it."""
        from pptx.dml.color import RGBColor
        from pptx.enum.chart import XL_LEGEND_POSITION
        from pptx.util import Inches, Pt

        from .chart_data import SafeCategoryChartData

        data = SafeCategoryChartData(number_format="0")
        data.categories = categories
        for name, values, _colour in series:
            # The printed integers: PowerPoint would round a decimal by its own rule.
            data.add_series(name, [score(value) for value in values])
        left, top, width, height = box
        frame = slide.shapes.add_chart(
            kind, Inches(left), Inches(top), Inches(width), Inches(height), data
        )
        frame._element.nvGraphicFramePr.cNvPr.set("descr", description)
        chart = frame.chart
        chart.font.size = Pt(BODY)
        axis = chart.value_axis
        axis.minimum_scale, axis.maximum_scale = 0, 100
        axis.major_unit = 25
        axis.tick_labels.font.size = Pt(BODY)
        chart.has_legend = legend
        if legend:
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
            chart.legend.font.size = Pt(BODY)
        for plot_series, (_name, _values, colour) in zip(chart.series, series, strict=True):
            line = plot_series.format.line
            line.color.rgb = RGBColor.from_string(colour)
            line.width = Pt(2.25)
        return chart

    def _bars(self, slide, box, categories, series, *, axis: str, description: str):
        """Horizontal bars, one label on each, every category named; `axis`: what the
        values are."""
        from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
        from pptx.util import Pt

        chart = self._chart(
            slide,
            XL_CHART_TYPE.BAR_CLUSTERED,
            box,
            categories,
            series,
            legend=len(series) > 1,
            description=description,
        )
        _fill_bars(chart, [colour for _name, _values, colour in series])
        plot = chart.plots[0]
        plot.has_data_labels = True
        plot.data_labels.number_format = "0"
        plot.data_labels.number_format_is_linked = False
        plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
        plot.data_labels.font.size = Pt(BODY)
        plot.gap_width = 50
        chart.has_title = False  # the slide's title says whose bars these are
        chart.value_axis.has_title = True
        chart.value_axis.axis_title.text_frame.text = axis
        chart.value_axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(BODY)
        chart.value_axis.axis_title.text_frame.paragraphs[0].runs[0].font.bold = False
        chart.category_axis.tick_labels.font.size = Pt(BODY)
        _name_every_category(chart)
        return chart

    # Slides

    def cover_slide(self) -> None:
        from pptx.enum.text import PP_ALIGN
        from pptx.util import Inches

        assessment = self.doc.assessment
        slide = self.deck.slides.add_slide(self.deck.slide_layouts[0])
        title = slide.shapes.title
        title.left, title.top = Inches(LEFT + 0.5), Inches(1.2)
        title.width, title.height = Inches(FULL - 1), Inches(1.8)
        _fill_paragraph(
            title.text_frame.paragraphs[0], Line(assessment.title, 40, True, self.primary)
        )
        if self.doc.brand.logo:
            logo = BytesIO(self.doc.brand.logo.content)
            picture = slide.shapes.add_picture(
                logo, Inches(LEFT + 0.5), Inches(0.4), height=Inches(0.6)
            )
            picture._element.nvPicPr.cNvPr.set("descr", self.doc.brand.shown_name)
        subtitle = slide.placeholders[1]
        subtitle.left, subtitle.top = Inches(LEFT + 0.5), Inches(3.2)
        subtitle.width, subtitle.height = Inches(FULL - 1), Inches(3.2)
        contact = assessment.contact
        lines = [
            Line(assessment.organisation.name, 24, True, INK),
            Line(self.doc.results_line, 18, False, DRAFT_RED if self.doc.draft else MUTED),
            Line(self.doc.respondents_line, 18, False, MUTED),
        ]
        if contact:
            lines.append(Line(_("Consultant: %(name)s") % {"name": contact}, 18, False, MUTED))
        if self.doc.brand.contact_line:
            lines.append(Line(self.doc.brand.contact_line, BODY, False, MUTED))
        if self.doc.draft:
            lines.append(
                Line(
                    _("Draft: the client's management sees the published results only."),
                    18,
                    True,
                    DRAFT_RED,
                )
            )
        lines.append(
            Line(
                _(
                    "Group figures only, never a person's answers. Any figure that fewer than "
                    "%(n)d people answered is withheld and says so."
                )
                % {"n": assessment.anonymity_threshold},
                BODY,
                False,
                MUTED,
            )
        )
        frame = subtitle.text_frame
        for index, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            _fill_paragraph(paragraph, line)
            paragraph.alignment = PP_ALIGN.LEFT
        title.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
        self._decorate(
            slide,
            [
                _(
                    "This deck presents the results of “%(title)s” for %(organisation)s: the "
                    "verdict and what stands in its way, each pillar, how the perspectives see "
                    "them, and the actions in order of priority."
                )
                % {"title": assessment.title, "organisation": assessment.organisation.name},
                _(
                    "Scores run from 0 to 100, higher is more mature; risk is 100 minus "
                    "maturity. Each slide's notes say how its figures are made."
                ),
            ],
        )

    def summary_slide(self) -> None:
        from pptx.enum.chart import XL_CHART_TYPE

        page, result = self.page, self.result
        withheld = [pillar for pillar in result.pillars if pillar.withheld]
        notes = [
            _("The largest risks are the first findings of the action plan."),
            *self._method("summary"),
            *[
                _("%(pillar)s is withheld: %(reason)s.")
                % {"pillar": pillar.name, "reason": label("withheld", pillar.withheld)}
                for pillar in withheld
            ],
        ]
        slide = self._slide(_("Executive summary"), notes)
        column = 6.1
        verdict = result.verdict.value if result.verdict else ""
        self.text(
            slide,
            (LEFT, TOP, column, 0.75),
            [Line(verdict_words(page), TITLE, True, WHITE)],
            fill=VERDICT_COLOURS.get(verdict, MUTED),
        )
        index = [
            Line(
                _("Readiness index %(index)s / 100") % {"index": score_text(result.overall_index)},
                HEADING + 2,
                True,
                self.primary,
            )
        ]
        if page.overall_change:
            since = _("since “%(title)s”") % {"title": page.report.previous_title}
            index.append(Line(f"{change_text(page.overall_change)} {since}", BODY, False, MUTED))
        risks = [Line(_("Largest risks"), HEADING, True, self.primary)]
        for item in page.risks:
            name = question_name(result, item.finding.question, show_codes=False)
            note = f" — {item.pillar}, {label('band', item.finding.band)}"
            flag = " ⚑" if item.finding.red_flag else ""
            risks.append(Line(f"{item.rank}. {name}{note}{flag}"))
        if not page.risks:
            risks.append(Line(_("None: every question with enough answers is at the top level.")))
        top = TOP + 0.85
        blocks = [[Line(verdict_because(result))], index, risks]
        while blocks and top + height_of(blocks[0], column) <= BOTTOM:
            height = height_of(blocks[0], column)
            self.text(slide, (LEFT, top, column, height), blocks.pop(0))
            top += height + 0.05
        if blocks:  # a verdict with many reasons: what does not fit goes on
            self.flow(_continued(_("Executive summary")), notes, blocks)

        pillars = result.pillars
        if len(pillars) < 3:  # no radar can show fewer than three axes
            self.text(
                slide,
                (6.9, TOP, 6.0, BODY_HEIGHT),
                [Line(_("Maturity per pillar"), HEADING, True, self.primary)]
                + [Line(f"{p.name}: {self._maturity_words(p)}") for p in pillars],
            )
            return
        lines = radar_series(page, self.doc.brand)
        series = [(line.name, list(line.values), line.colour) for line in lines]
        described = [_("Radar chart of maturity per pillar, 0 to 100, higher is more mature.")]
        described += [
            _("%(series)s: %(values)s.")
            % {
                "series": name,
                "values": "; ".join(
                    # Only this assessment's own figures can be withheld here.
                    f"{pillar.name} {_value_words(value, pillar.withheld if index == 0 else None)}"
                    for pillar, value in zip(pillars, values, strict=True)
                ),
            }
            for index, (name, values, _colour) in enumerate(series)
        ]
        if len(series) > 1:
            described.append(
                _("The previous assessment is dashed, the benchmark dotted, the targets dash-dot.")
            )
        chart = self._chart(
            slide,
            XL_CHART_TYPE.RADAR_MARKERS,
            (6.9, TOP - 0.1, 6.0, BODY_HEIGHT + 0.1),
            [p.name for p in pillars],
            series,
            legend=len(series) > 1,
            description=" ".join(described),
        )
        _dash(chart, lines)
        _plot_within(chart, x=0.2, y=0.1, width=0.6, height=0.72)

    def _maturity_words(self, pillar) -> str:
        if pillar.withheld:
            return _("withheld (%(reason)s)") % {"reason": label("withheld", pillar.withheld)}
        if not pillar.assessed:
            return _("not assessed")
        return _("%(score)s / 100, %(band)s risk") % {
            "score": score_text(pillar.maturity),
            "band": label("band", pillar.band),
        }

    def path_slides(self) -> None:
        if not self.page.path:
            return
        result = self.result
        blocks = []
        for group in self.page.path:
            heading = Line(
                _("To reach “%(verdict)s”") % {"verdict": label("verdict", group.needed_for)},
                HEADING,
                True,
                self.primary,
            )
            for index, step in enumerate(group.steps):  # a `presenters.PathLine` each
                line = Line("• " + path_words(result, step))
                blocks.append([heading, line] if index == 0 else [line])
        steps = sum(len(group.steps) for group in self.page.path)
        notes = [
            ngettext(
                "%(count)d change stands between this assessment and a better verdict.",
                "%(count)d changes stand between this assessment and a better verdict.",
                steps,
            )
            % {"count": steps},
            *self._method("path"),
            _(
                "Suppression hides details, never the verdict: the path rests on every counted "
                "response, and a pillar whose figure is withheld is named without its figure."
            ),
        ]
        intro = Line(
            _("The smallest changes that would move the verdict, in the order they count."),
            BODY,
            False,
            MUTED,
        )
        self.flow(_("The path to ready"), notes, [[intro], *blocks])

    def movement_slide(self) -> None:
        movement = self.page.movement
        if movement is None:
            return
        compared = [item for item in movement.pillars if item.status == "compared"]
        others = [item for item in movement.pillars if item.status != "compared"]
        notes = [
            _(
                "Each pillar's maturity now and in “%(title)s”, 0 to 100. A change under half a "
                "point reads as no change."
            )
            % {"title": movement.since},
            *self._method("movement"),
            *[
                _("%(pillar)s is in only one of the two assessments.") % {"pillar": item.name}
                for item in others
            ],
        ]
        slide = self._slide(_("What moved since “%(title)s”") % {"title": movement.since}, notes)
        if compared:
            self._bars(
                slide,
                (LEFT, TOP - 0.1, 6.6, BODY_HEIGHT + 0.1),
                [_wrapped(item.name, PILLAR_LABEL) for item in reversed(compared)],
                [
                    (movement.since, [item.previous for item in reversed(compared)], self.accent),
                    (_("Now"), [item.current for item in reversed(compared)], self.primary),
                ],
                axis=_("Maturity, 0 to 100"),
                description=_(
                    "Bar chart of each pillar's maturity, 0 to 100, in “%(title)s” and now: "
                    "%(values)s."
                )
                % {
                    "title": movement.since,
                    "values": "; ".join(
                        f"{item.name} {_value_words(item.previous)} → {_value_words(item.current)}"
                        for item in compared
                    ),
                },
            )
        column = (7.4, FULL + LEFT - 7.4)
        lines = [
            Line(
                _("Readiness index %(before)s → %(now)s  %(change)s")
                % {
                    "before": score_text(movement.overall_previous),
                    "now": score_text(movement.overall_current),
                    "change": change_text(movement.overall),
                },
                HEADING + 2,
                True,
                self.primary,
            ),
            Line(
                _("%(moved)d of %(compared)d questions asked both times changed score")
                % {"moved": len(movement.moved), "compared": movement.compared},
                HEADING,
                True,
                self.primary,
            ),
        ]
        if movement.matched:
            lines.append(Line(_("on the questions asked both times"), BODY, False, MUTED))
        if movement.added or movement.removed:
            lines.append(
                Line(
                    _("%(added)d questions added, %(removed)d no longer asked since then.")
                    % {"added": len(movement.added), "removed": len(movement.removed)},
                    BODY,
                    False,
                    MUTED,
                )
            )
        # The questions that moved most, as many as fit; the report lists them all.
        for item in movement.moved[:MOVED_QUESTIONS]:
            line = Line(f"{change_text(item.change)}  “{item.text}”")
            if height_of([*lines, line], column[1]) > BODY_HEIGHT:
                break
            lines.append(line)
        self.text(slide, (column[0], TOP, column[1], BODY_HEIGHT), lines)

    def pillar_slides(self, section: presenters.PillarSection) -> None:
        pillar = section.pillar
        title = pillar.name
        if pillar.band:
            title += " — " + _("%(band)s risk") % {"band": label("band", pillar.band)}
        # A withheld question keeps its place, with the reason instead of its bar.
        rows = [row for row in section.questions if row.question.asked or row.question.withheld]
        withheld = [row.question for row in rows if row.question.withheld]
        notes = [
            _(
                "Left: the pillar's maturity and risk band, how sure the figure is, and what "
                "to do. Right: each question's mean score, 0 to 100 (level 0 is 0, level 4 is "
                "100)."
            ),
            *self._method("pillar"),
        ]
        if pillar.withheld:
            notes.append(
                _("This pillar's figures are withheld: %(reason)s.")
                % {"reason": label("withheld", pillar.withheld)}
            )
        if section.target:
            notes.append(section.target.words + ".")
        if section.evidence and pillar.assessed and not pillar.withheld:
            notes.append(evidenced_words(section.evidence) + ".")
        notes += [
            _("Withheld: “%(question)s”, %(reason)s.")
            % {"question": question.text, "reason": label("withheld", question.withheld)}
            for question in withheld
        ]
        if section.findings:
            notes += [
                _("Priority %(rank)d, “%(question)s”: %(recommendation)s")
                % {
                    "rank": item.rank,
                    "question": item.finding.text,
                    "recommendation": item.finding.recommendation or "—",
                }
                for item in section.findings
            ]
        slide = self._slide(title, notes)
        column = 4.0
        self.text(slide, (LEFT, TOP, column, BODY_HEIGHT), self._pillar_lines(section, column))
        chart_left = LEFT + column + 0.2
        box = (chart_left, TOP - 0.1, WIDTH - LEFT - chart_left, BODY_HEIGHT + 0.1)
        shown = 0
        for number, chunk in enumerate(_fitting(rows, box[3])):
            if number:
                slide = self._slide(_continued(title), notes)
                where = _("Questions %(first)d to %(last)d of %(count)d") % {
                    "first": shown + 1,
                    "last": shown + len(chunk),
                    "count": len(rows),
                }
                lines = [*self._pillar_lines(section, column)[:1], Line(where, BODY, False, MUTED)]
                self.text(slide, (LEFT, TOP, column, BODY_HEIGHT), lines)
            self._question_bars(slide, box, chunk)
            shown += len(chunk)

    def _pillar_lines(self, section: presenters.PillarSection, width: float) -> list[Line]:
        pillar, result = section.pillar, self.result
        lines = []
        if pillar.withheld:
            lines.append(
                Line(
                    _("Withheld: %(reason)s. Fewer than %(n)d people gave a level in this pillar.")
                    % {"reason": label("withheld", pillar.withheld), "n": result.min_respondents},
                    BODY,
                    False,
                    MUTED,
                )
            )
        elif not pillar.assessed:
            lines.append(
                Line(_("Not assessed: nobody gave a level in this pillar."), BODY, False, MUTED)
            )
        else:
            figure = _("Maturity %(score)s / 100") % {"score": score_text(pillar.maturity)}
            colour = BAND_COLOURS.get(pillar.band.value if pillar.band else "", self.primary)
            lines.append(Line(figure, 24, True, colour))
            if section.change:
                since = _("since “%(title)s”") % {"title": self.page.report.previous_title}
                lines.append(Line(f"{change_text(section.change)} {since}", BODY, True, colour))
            facts = _(
                "%(band)s risk · confidence %(confidence)s · %(count)d respondents · "
                "coverage %(coverage)d%%"
            ) % {
                "band": label("band", pillar.band),
                "confidence": label("confidence", pillar.confidence),
                "count": pillar.respondents,
                "coverage": percent(pillar.coverage),
            }
            lines.append(Line(facts, BODY, False, MUTED))
            if section.evidence:
                lines.append(Line(evidenced_words(section.evidence), BODY, False, MUTED))
            if pillar.red_flags:
                count = len(pillar.red_flags)
                flags = ngettext("⚑ %(count)d red flag", "⚑ %(count)d red flags", count)
                lines.append(Line(flags % {"count": count}, BODY, True, DRAFT_RED))
        if section.target:
            lines.append(Line(section.target.words, BODY, True, self.primary))
        if pillar.recommendation:
            lines.append(Line(_("What to do"), HEADING, True, self.primary))
            lines.append(Line(pillar.recommendation))
        reasons = dict.fromkeys(
            label("withheld", row.question.withheld)
            for row in section.questions
            if row.question.withheld
        )
        bars = [
            Line(_("No bar, withheld: %(reason)s.") % {"reason": reason}, BODY, False, MUTED)
            for reason in reasons
        ]
        # The pillar's first priorities, as many as fit; the action plan lists them all.
        priorities = [Line(_("Priorities"), HEADING, True, self.primary)]
        for item in section.findings[:PILLAR_PRIORITIES]:
            name = question_name(result, item.finding.question, show_codes=False)
            line = Line(f"{item.rank}. {name}" + (" ⚑" if item.finding.red_flag else ""))
            if height_of([*lines, *priorities, line, *bars], width) > BODY_HEIGHT:
                break
            priorities.append(line)
        return lines + (priorities if len(priorities) > 1 else []) + bars

    def _question_bars(self, slide, box, rows: Sequence[presenters.QuestionRow]) -> None:
        categories, values, described = [], [], []
        for row in reversed(rows):  # bar charts draw the first category at the bottom
            question = row.question
            categories.append(_wrapped(_question_label(question), QUESTION_LABEL))
            values.append(question.mean if question.withheld is None else None)
        for row in rows:
            question = row.question
            described.append(f"“{question.text}” {_value_words(question.mean, question.withheld)}")
        self._bars(
            slide,
            box,
            categories,
            [(_("Score (0–100)"), values, self.primary)],
            axis=_("Mean score per question, 0 to 100"),
            description=_("Bar chart of the mean score per question, 0 to 100: %(values)s.")
            % {"values": "; ".join(described)},
        )

    def perspective_slides(self) -> None:
        heatmap, threshold = self.page.heatmap, self.doc.assessment.anonymity_threshold
        title = _("Perspectives")
        notes = [
            _(
                "Each cell is the mean maturity of a pillar as one perspective sees it, 0 to "
                "100, with its risk band. A perception gap is the largest difference between "
                "two shown groups in a pillar."
            ),
            *self._method("perspectives"),
        ]
        if not heatmap.groups:
            self.flow(
                title,
                notes,
                [
                    [
                        Line(
                            _(
                                "No perspective group is large enough to be shown: a group "
                                "needs at least %(n)d respondents."
                            )
                            % {"n": threshold}
                        )
                    ]
                ],
            )
            return
        reasons: dict[str, int] = {}  # withheld reason → its mark, in order of appearance
        rows = []
        for row in heatmap.rows:
            cells = [Line(row.pillar.name, BODY, True)]
            for cell in row.cells:
                if cell.withheld:
                    mark = reasons.setdefault(cell.withheld, len(reasons) + 1)
                    words = _("withheld (%(mark)d)") % {"mark": mark}
                    cells.append(Line(words, BODY, False, MUTED))
                elif cell.value is None:
                    cells.append(Line("—", BODY, False, MUTED))
                else:
                    colour = BAND_COLOURS.get(cell.band.value if cell.band else "", INK)
                    words = f"{score_text(cell.value)} · {label('band', cell.band)}"
                    cells.append(Line(words, BODY, True, colour))
            rows.append(cells)
        header = [_("Pillar")] + [
            f"{label('perspective', group.perspective)} ({group.respondents})"
            for group in heatmap.groups
        ]
        first = 3.3
        widths = [first] + [(FULL - first) / len(heatmap.groups)] * len(heatmap.groups)
        legend = [
            Line(
                _(
                    "Mean maturity (0–100) and risk band; (n): respondents. Groups under %(n)d "
                    "are not shown; —: no level given."
                )
                % {"n": threshold},
                BODY,
                False,
                MUTED,
            )
        ]
        legend += [
            Line(
                f"({mark}) " + _("withheld: %(reason)s") % {"reason": label("withheld", reason)},
                BODY,
                False,
                MUTED,
            )
            for reason, mark in reasons.items()
        ]
        if heatmap.hidden_respondents:
            legend.append(
                Line(
                    _(
                        "%(count)d respondents belong to perspectives with fewer than %(n)d "
                        "respondents: they count in every other figure, but no group of theirs "
                        "is shown."
                    )
                    % {"count": heatmap.hidden_respondents, "n": threshold},
                    BODY,
                    False,
                    MUTED,
                )
            )
        gaps = [
            [
                Line(
                    _(
                        "%(pillar)s: %(high)s see %(high_value)s, %(low)s %(low_value)s, a gap "
                        "of %(points)s points."
                    )
                    % {
                        "pillar": item.pillar,
                        "high": label("perspective", item.gap.high_perspective),
                        "high_value": score_text(item.gap.high),
                        "low": label("perspective", item.gap.low_perspective),
                        "low_value": score_text(item.gap.low),
                        "points": score_text(item.gap.gap),
                    }
                )
            ]
            for item in self.page.gaps
        ]
        if gaps:
            gaps[0] = [Line(_("Largest perception gaps"), HEADING, True, self.primary), *gaps[0]]
        table_height = cell_height([[Line(text, BODY, True)] for text in header], widths) + sum(
            cell_height([[line] for line in row], widths) for row in rows
        )
        top = TOP + table_height + 0.15
        slides = self.flow(title, notes, [legend, *gaps], top=top)
        self.table(slides[0], TOP, header, rows, widths)

    def action_plan_slides(self) -> None:
        plan, result = self.page.action_plan, self.result
        title = _("Action plan")
        intro = Line(
            _(
                "The findings in order of priority: red flags first, then risk × weight × "
                "importance. Owner, due date and status are those of the client's action "
                "plan; a finding without an action yet has them empty."
            ),
            BODY,
            False,
            MUTED,
        )
        notes = [
            *self._method("action_plan"),
            *[
                _("%(rank)d. “%(question)s”: %(recommendation)s References: %(references)s.")
                % {
                    "rank": item.rank,
                    "question": item.finding.text,
                    "recommendation": item.finding.recommendation or "—",
                    "references": " · ".join(item.finding.references) or "—",
                }
                + (f" {_('Planned')}: {item.planned}" if item.planned else "")
                for item in plan
            ],
        ]
        if not plan:
            self.flow(
                title,
                notes,
                [
                    [intro],
                    [Line(_("No action: every question with enough answers is at the top level."))],
                ],
            )
            return
        header = ["#", _("Finding"), _("Next step"), _("Owner"), _("Due date")]
        widths = [0.55, 4.6, 3.8, 1.6, 1.75]
        rows = []
        for item in plan:
            finding = item.finding
            where = item.pillar + (" · ⚑ " + _("red flag") if finding.red_flag else "")
            next_step = (
                _("Level %(level)d:") % {"level": finding.next_level} + " " + finding.next_step
                if finding.next_step
                else "—"
            )
            rows.append(
                [
                    str(item.rank),
                    [
                        Line(question_name(result, finding.question, show_codes=False), BODY, True),
                        Line(where, BODY, False, DRAFT_RED if finding.red_flag else MUTED),
                    ],
                    next_step,
                    item.action.owner if item.action else "",
                    _due_lines(item.action),
                ]
            )
        intro_height = height_of([intro], FULL)
        header_height = cell_height([[Line(text, BODY, True)] for text in header], widths)
        heights = [cell_height([_cell_lines(cell) for cell in row], widths) for row in rows]
        room = BODY_HEIGHT - intro_height - header_height
        for number, indexes in enumerate(rows_per_page(heights, [room])):
            slide = self._slide(title if number == 0 else _continued(title), notes)
            self.text(slide, (LEFT, TOP, FULL, intro_height), [intro])
            self.table(slide, TOP + intro_height, header, [rows[i] for i in indexes], widths)

    def next_steps_slide(self) -> None:
        page, result, assessment = self.page, self.result, self.doc.assessment
        flags = len(result.red_flags)
        steps = []
        unplanned = [
            item
            for item in page.action_plan
            if not (item.action and item.action.owner and item.action.due_on)
        ]
        if unplanned:
            steps.append(
                ngettext(
                    "Name an owner and a due date for the action in the plan that has none.",
                    "Name an owner and a due date for each of the %(count)d actions in the "
                    "plan that have none, starting at the top.",
                    len(unplanned),
                )
                % {"count": len(unplanned)}
            )
        overdue = sum(1 for item in page.action_plan if item.action and item.action.overdue)
        if overdue:
            steps.append(
                ngettext(
                    "Agree a new date, or the help it needs, for the overdue action.",
                    "Agree new dates, or the help they need, for the %(count)d overdue actions.",
                    overdue,
                )
                % {"count": overdue}
            )
        if flags:
            steps.append(
                ngettext(
                    "Lift the red flag first: it blocks production whatever the other figures say.",
                    "Lift the %(count)d red flags first: each blocks production whatever the "
                    "other figures say.",
                    flags,
                )
                % {"count": flags}
            )
        if page.path:
            group = page.path[0]
            steps.append(
                ngettext(
                    "Work the path to ready: %(count)d change leads to “%(verdict)s”.",
                    "Work the path to ready: %(count)d changes lead to “%(verdict)s”.",
                    len(group.steps),
                )
                % {"count": len(group.steps), "verdict": label("verdict", group.needed_for)}
            )
        if page.gaps:
            steps.append(
                _(
                    "Bring the perspectives that see a pillar most differently together: a "
                    "launch needs a shared picture."
                )
            )
        steps.append(
            _(
                "Share these results with the people who answered: they show group figures "
                "only, never a person's answers."
            )
        )
        steps.append(
            _(
                "Plan a follow-up assessment once the first actions are done: its report shows "
                "what moved."
            )
        )
        blocks = [
            [Line(f"{number}. {step}", HEADING)] for number, step in enumerate(steps, start=1)
        ]
        contact = assessment.contact
        if contact:
            blocks.append(
                [
                    Line(_("Questions?"), HEADING, True, self.primary),
                    Line(f"{contact} · {contact.email}"),
                ]
            )
        notes = [
            _(
                "The steps follow from the figures of this deck: the action plan, the red "
                "flags, the path to ready and the perception gaps."
            ),
            *self._method("next_steps"),
        ]
        self.flow(_("Next steps"), notes, blocks)

    def save(self) -> bytes:
        buffer = BytesIO()
        self.deck.save(buffer)
        return buffer.getvalue()


def _due_lines(action) -> str | list[Line]:
    """The due date, the status and "overdue" of an action, a line each; "" without one."""
    if action is None:
        return ""
    lines = [Line(date_format(action.due_on, "SHORT_DATE_FORMAT"))] if action.due_on else []
    lines.append(Line(action.status_label, BODY, False, MUTED))
    if action.overdue:
        lines.append(Line(_("overdue"), BODY, True, DRAFT_RED))
    return lines


def _continued(title: str) -> str:
    return _("%(title)s (continued)") % {"title": title}


def _wrapped(text: str, characters: int) -> str:
    """A chart label on lines of at most `characters`, broken between words."""
    return "\n".join(wrap(text, characters))


def _question_label(question) -> str:
    """A question's text, and why it has no bar when it has none."""
    if question.withheld:
        return question.text + " — " + _("withheld")
    if question.mean is None:
        return question.text + " — " + _("no level given")
    return question.text


def _value_words(value: float | None, withheld: str | None = None) -> str:
    if withheld:
        return _("withheld, %(reason)s") % {"reason": label("withheld", withheld)}
    return _("no figure") if value is None else score_text(value)


def _fitting(rows: Sequence[presenters.QuestionRow], height: float) -> list[list]:
    """The question rows in as few charts `height` inches tall as hold their wrapped labels,
    shared out evenly (5 and 4 rather than 8 and 1)."""
    room = height - 0.9  # the value axis, its title and the chart's own margins
    needs = [
        len(wrap(_question_label(row.question), QUESTION_LABEL)) * CATEGORY_LINE + 0.08
        for row in rows
    ]
    for count in range(1, len(rows) + 1):
        size = -(-len(rows) // count)  # ceiling
        starts = range(0, len(rows), size)
        if all(sum(needs[start : start + size]) <= room for start in starts):
            return [list(rows[start : start + size]) for start in starts]
    return [[row] for row in rows]


def _cell_lines(cell: "str | Line | list[Line]") -> list[Line]:
    if isinstance(cell, str):
        return [Line(cell)]
    return [cell] if isinstance(cell, Line) else cell


def _fill_paragraph(paragraph, line: Line) -> None:
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    paragraph.text = ""
    run = paragraph.add_run()
    run.text = line.text
    run.font.size = Pt(line.size)
    run.font.bold = line.bold
    run.font.color.rgb = RGBColor.from_string(line.colour)
    paragraph.space_after = Pt(4)


def _fill_bars(chart, colours: Sequence[str]) -> None:
    from pptx.dml.color import RGBColor

    for plot_series, colour in zip(chart.series, colours, strict=True):
        plot_series.format.fill.solid()
        plot_series.format.fill.fore_color.rgb = RGBColor.from_string(colour)
        plot_series.format.line.fill.background()


def _name_every_category(chart) -> None:
    """Every category keeps its label: PowerPoint otherwise skips some when space is short."""
    from pptx.oxml.ns import qn
    from pptx.oxml.xmlchemy import OxmlElement

    axis = chart.category_axis._element
    skip = OxmlElement("c:tickLblSkip")
    skip.set("val", "1")
    following = axis.find(qn("c:noMultiLvlLbl"))
    if following is not None:
        following.addprevious(skip)
    else:
        axis.append(skip)


def _plot_within(chart, *, x: float, y: float, width: float, height: float) -> None:
    """Place the plot by hand, as shares of the chart: left alone, LibreOffice draws a radar
    with long axis names at a fraction of the space it has."""
    from pptx.oxml.ns import qn
    from pptx.oxml.xmlchemy import OxmlElement

    layout = chart._chartSpace.find(f"{qn('c:chart')}/{qn('c:plotArea')}/{qn('c:layout')}")
    manual = OxmlElement("c:manualLayout")
    for tag, value in (
        ("c:layoutTarget", "inner"),
        ("c:xMode", "edge"),
        ("c:yMode", "edge"),
        ("c:x", x),
        ("c:y", y),
        ("c:w", width),
        ("c:h", height),
    ):
        element = OxmlElement(tag)
        element.set("val", str(value))
        manual.append(element)
    layout.append(manual)


def _dash(chart, series: Sequence[ChartSeries]) -> None:
    """The previous assessment dashed, the benchmark dotted, the targets dash-dot: not by
    colour alone."""
    from pptx.enum.dml import MSO_LINE_DASH_STYLE

    for plot_series, line in zip(chart.series, series, strict=True):
        if line.dash:
            plot_series.format.line.dash_style = getattr(MSO_LINE_DASH_STYLE, line.dash)
