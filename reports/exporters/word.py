"""The report's sections as a Word document, to finish and send."""

from collections.abc import Sequence
from io import BytesIO

from django.utils.translation import gettext as _

from assessments.labels import label
from assessments.models import Assessment
from assessments.scoring import MAX_LEVEL
from assessments.wording import question_name, verdict_because

from .. import presenters
from ..figures import percent, risk, score, score_text
from ..presenters import path_words
from .base import Export, export_filename
from .documents import (
    DONT_KNOW_HATCH,
    DONT_KNOW_TEXT_FILL,
    DRAFT_RED,
    LEVEL_FILLS,
    LEVEL_TEXT_FILLS,
    MUTED,
    VERDICT_COLOURS,
    ChartSeries,
    Document,
    change_text,
    distribution_text,
    document_for,
    due_words,
    evidenced_words,
    radar_series,
    shortened,
    verdict_words,
)
from .metadata import stamp
from .thumbnail import cover_thumbnail

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ANSWER_LABEL = 60  # characters of a question's text beside its answer bar
TABLE_TEXT = 9  # points


def report_docx(assessment: Assessment, *, draft: bool = False) -> Export | None:
    """The report's sections as a Word document: cover, executive summary, what moved, one
    section per pillar, perspectives, the action plan with the client's owners and due-date
    columns, and the method appendix."""
    document = document_for(assessment, draft=draft)
    if document is None:
        return None
    writer = _Word(document)
    writer.cover()
    writer.summary()
    writer.movement()
    for section in document.page.pillars:
        writer.pillar(section)
    writer.perspectives()
    writer.action_plan()
    writer.method()
    content = stamp(
        writer.save(),
        document.file_metadata(_("GenAI readiness report")),
        thumbnail=cover_thumbnail(document, width=181, height=256),  # A4 portrait
    )
    filename = export_filename(assessment, document.day, "docx", draft=draft)
    return Export(filename, DOCX, content)


class _Word:
    def __init__(self, document: Document):
        from docx import Document as WordDocument
        from docx.shared import Pt, RGBColor

        self.doc = document
        self.page = document.page
        self.result = document.page.result
        self.word = WordDocument()
        self.Pt, self.RGBColor = Pt, RGBColor
        normal = self.word.styles["Normal"]
        normal.font.name = "Calibri"
        normal.font.size = Pt(10)
        normal.paragraph_format.space_after = Pt(4)
        for name in ("Title", "Heading 1", "Heading 2"):
            self.word.styles[name].font.color.rgb = RGBColor.from_string(self.doc.brand.primary)
        self._margins()

    def _margins(self) -> None:
        from docx.shared import Cm, Mm

        section = self.word.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Cm(2)
        header = section.header.paragraphs[0]
        if self.doc.draft:
            run = header.add_run(_("DRAFT · live figures, not published"))
            run.bold = True
            run.font.color.rgb = self.RGBColor.from_string(DRAFT_RED)
        else:
            header.add_run(f"{self.doc.assessment.organisation.name} · {self.doc.assessment.title}")
        footer = section.footer.paragraphs[0]
        footer.add_run(_("Group figures only: no person’s answers are shown.") + "  ·  ")
        footer.add_run(_("Page") + " ")
        _page_number(footer)

    def chapter(self, title: str) -> None:
        """A heading that starts a new page. Not a page break before it: a break that falls
        at the very end of a full page leaves an empty page behind."""
        self.word.add_heading(title, level=1).paragraph_format.page_break_before = True

    def paragraph(
        self, text: str = "", *, bold: bool = False, colour: str = "", size: int = 0, into=None
    ):
        """A paragraph of one run, at the end of the document or of the cell `into`."""
        paragraph = (into or self.word).add_paragraph()
        if text:
            run = paragraph.add_run(text)
            run.bold = bold
            if colour:
                run.font.color.rgb = self.RGBColor.from_string(colour)
            if size:
                run.font.size = self.Pt(size)
        return paragraph

    def bullet(self, text: str, note: str = "", *, number: int | None = None):
        """A bulleted item; with `number`, an item numbered by it (a rank, not a bullet)."""
        if number is None:
            paragraph = self.word.add_paragraph(style="List Bullet")
        else:
            from docx.shared import Cm

            paragraph = self.word.add_paragraph()
            paragraph.paragraph_format.left_indent = Cm(0.75)
            paragraph.paragraph_format.first_line_indent = Cm(-0.75)
            paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(0.75))
            paragraph.add_run(f"{number}.\t")
        paragraph.add_run(text)
        if note:
            run = paragraph.add_run(f" · {note}")
            run.font.color.rgb = self.RGBColor.from_string(MUTED)
        return paragraph

    def table(
        self,
        header: Sequence[str] | None,
        rows: Sequence[Sequence[str]],
        widths: Sequence[float] = (),
    ):
        """A grid with a bold header row repeated on every page (none for a list of
        facts), in a size that keeps words whole in narrow columns; `widths` in
        centimetres, the text column widest."""
        columns = len(header) if header else len(rows[0])
        table = self.word.add_table(rows=0, cols=columns)
        table.style = "Table Grid"
        if widths:
            table.autofit = False
        if header:
            cells = table.add_row().cells
            for cell, text in zip(cells, header, strict=True):
                run = cell.paragraphs[0].add_run(text)
                run.bold, run.font.size = True, self.Pt(TABLE_TEXT)
            _repeat_header(table.rows[0])
        for values in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, values, strict=True):
                cell.paragraphs[0].add_run(str(text)).font.size = self.Pt(TABLE_TEXT)
        self._widths(table, widths)
        self.word.add_paragraph()
        return table

    @staticmethod
    def _widths(table, widths: Sequence[float]) -> None:
        """Column widths in centimetres. Word reads each cell's width, LibreOffice the
        table's grid: set both."""
        from docx.shared import Cm

        for column, width in zip(table.columns, widths, strict=False):
            column.width = Cm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=False):
                cell.width = Cm(width)

    def cover(self) -> None:
        from docx.shared import Mm

        assessment, brand = self.doc.assessment, self.doc.brand
        if brand.logo:
            self.word.add_picture(BytesIO(brand.logo.content), height=Mm(15))
        self.word.add_heading(assessment.title, level=0)
        self.paragraph(assessment.organisation.name, size=16, colour=brand.primary)
        if brand.contact_line:
            self.paragraph(brand.contact_line, colour=MUTED)
        if self.doc.draft:
            self.paragraph(
                _(
                    "Draft: live figures, not published. The client's management sees the "
                    "published results only."
                ),
                bold=True,
                colour=DRAFT_RED,
            )
        contact = assessment.contact
        self.table(
            None,
            [
                (_("Organisation"), assessment.organisation.name),
                (_("Assessment"), assessment.title),
                (_("Results"), self.doc.results_line),
                (_("Respondents"), self.doc.respondents_line),
                (_("Consultant"), f"{contact} · {contact.email}" if contact else "—"),
                (_("Questionnaire"), str(assessment.questionnaire)),
            ],
            (4, 13),
        )
        self.paragraph(
            _(
                "Group figures only, never a person's answers. Any figure that fewer than "
                "%(n)d people answered is withheld and says so. The method, with every number "
                "it uses, is in the appendix."
            )
            % {"n": assessment.anonymity_threshold},
            colour=MUTED,
        )

    def summary(self) -> None:
        page, result = self.page, self.result
        self.chapter(_("Executive summary"))
        # The verdict and the key figures beside the radar: the summary keeps to its page.
        layout = self.word.add_table(rows=1, cols=2)
        layout.autofit = False
        self._widths(layout, (9.5, 7.5))
        text, figure = layout.rows[0].cells
        colour = VERDICT_COLOURS.get(result.verdict.value if result.verdict else "", MUTED)
        verdict = text.paragraphs[0].add_run(verdict_words(page))
        verdict.bold, verdict.font.size = True, self.Pt(18)
        verdict.font.color.rgb = self.RGBColor.from_string(colour)
        self.paragraph(verdict_because(result), into=text)
        benchmark = page.report.benchmark
        facts = [
            (
                _("Readiness index"),
                f"{score_text(result.overall_index)} / 100"
                + (f"  {change_text(page.overall_change)}" if page.overall_change else ""),
            ),
            (_("Respondents"), str(page.respondents)),
            (_("Red flags"), str(len(result.red_flags))),
            (
                _("Benchmark"),
                _("%(count)d organisations") % {"count": benchmark.organisations}
                if benchmark
                else _("not yet (needs 5 organisations)"),
            ),
        ]
        for name, value in facts:
            paragraph = self.paragraph(f"{name}: ", bold=True, into=text)
            paragraph.add_run(value)
        if page.overall_change:
            self.paragraph(
                _("Changes (▲ up, ▼ down) are against “%(title)s”.")
                % {"title": page.report.previous_title}
                + (
                    " " + _("The index's change is on the questions asked both times.")
                    if page.movement and page.movement.matched
                    else ""
                ),
                colour=MUTED,
                into=text,
            )
        self.radar(figure.paragraphs[0])
        self.word.add_heading(_("Largest risks"), level=2)
        for item in page.risks:
            note = _("%(pillar)s · %(band)s risk · score %(score)s") % {
                "pillar": item.pillar,
                "band": label("band", item.finding.band),
                "score": score_text(item.finding.score),
            }
            if item.finding.red_flag:
                note += " · " + _("red flag")
            self.bullet(
                question_name(result, item.finding.question, show_codes=False),
                note,
                number=item.rank,
            )
        if not page.risks:
            self.paragraph(_("None: every question with enough answers is at the top level."))
        self.word.add_heading(_("Strengths"), level=2)
        for item in page.strengths:
            self.bullet(
                f"“{item.question.text}”",
                _("%(pillar)s · score %(score)s")
                % {"pillar": item.pillar, "score": score_text(item.question.mean)},
            )
        if not page.strengths:
            self.paragraph(_("None yet: no question has enough answers."))
        if page.path:
            # One block: where the page has no room for all of it, it moves to the next
            # page whole, never one step alone on it.
            self.word.add_heading(_("Path to ready"), level=2)
            block = []
            for group in page.path:
                block.append(
                    self.paragraph(
                        _("To reach “%(verdict)s”:")
                        % {"verdict": label("verdict", group.needed_for)},
                        bold=True,
                    )
                )
                block += [self.bullet(path_words(result, line)) for line in group.steps]
            for paragraph in block[:-1]:
                paragraph.paragraph_format.keep_with_next = True

    def radar(self, paragraph) -> None:
        """Pillar maturity as a native radar chart, with the previous assessment (dashed)
        and the benchmark (dotted) where they have figures."""
        from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
        from pptx.util import Pt

        from .chart_data import SafeCategoryChartData
        from .word_charts import add_chart, place_plot_area

        pillars = self.result.pillars
        if len(pillars) < 3:
            return
        series = radar_series(self.page, self.doc.brand)
        data = SafeCategoryChartData(number_format="0")
        data.categories = [pillar.name for pillar in pillars]
        for item in series:
            # The printed integers: Word would round a decimal by its own rule.
            data.add_series(item.name, [score(value) for value in item.values])
        description = "; ".join(
            f"{item.name}: "
            + ", ".join(
                f"{pillar.name} {score_text(value)}"
                for pillar, value in zip(pillars, item.values, strict=True)
            )
            for item in series
        )
        chart = add_chart(
            paragraph,
            XL_CHART_TYPE.RADAR_MARKERS,
            data,
            width=7.5,
            height=8,
            description=_("Maturity per pillar, 0 to 100. %(figures)s") % {"figures": description},
        )
        chart.font.size = Pt(8)
        chart.font.name = "Calibri"
        place_plot_area(chart, x=0.24, y=0.1, width=0.52, height=0.62)
        axis = chart.value_axis
        axis.minimum_scale, axis.maximum_scale, axis.major_unit = 0, 100, 25
        chart.has_legend = True
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        for plot_series, item in zip(chart.series, series, strict=True):
            _line(plot_series, item)

    def answers(self, section: presenters.PillarSection) -> None:
        """How many chose each level of each question, as a native stacked bar chart with
        its level on every segment; questions whose counts are withheld are left out (the
        table below says why)."""
        from pptx.dml.color import RGBColor
        from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
        from pptx.util import Pt

        from .chart_data import SafeCategoryChartData
        from .word_charts import add_chart

        questions = [
            row.question
            for row in reversed(section.questions)  # bar charts draw the first at the bottom
            if row.question.asked
            and row.question.withheld is None
            and row.question.distribution_withheld is None
        ]
        if not questions:
            return
        data = SafeCategoryChartData(number_format="0")
        data.categories = [shortened(question.text, ANSWER_LABEL) for question in questions]
        names = [_("Level %(level)d") % {"level": level} for level in range(MAX_LEVEL + 1)]
        for level, name in enumerate(names):
            data.add_series(name, [question.distribution[level] for question in questions])
        data.add_series(_("Don't know"), [question.dont_know for question in questions])
        chart = add_chart(
            self.paragraph(),
            XL_CHART_TYPE.BAR_STACKED_100,
            data,
            width=17,
            height=2.2 + 0.85 * len(questions),
            description=" ".join(
                f"{question.text}: {distribution_text(question)}."
                for question in reversed(questions)
            ),
        )
        chart.font.size = Pt(8)
        chart.font.name = "Calibri"
        chart.has_legend = True
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.value_axis.visible = False
        chart.value_axis.has_major_gridlines = False
        plot = chart.plots[0]
        plot.gap_width = 45
        short_names = [f"L{level}" for level in range(MAX_LEVEL + 1)] + ["?"]
        texts = [*LEVEL_TEXT_FILLS, DONT_KNOW_TEXT_FILL]
        for plot_series, fill in zip(chart.series, LEVEL_FILLS, strict=False):
            _fill(plot_series, fill)
        _fill(chart.series[-1], *DONT_KNOW_HATCH)
        for plot_series, short, text in zip(chart.series, short_names, texts, strict=True):
            labels = plot_series.data_labels
            labels.show_value = True
            # "L2: 5"; an empty level (width 0) says nothing.
            labels.number_format = f'"{short}: "0;;;'
            labels.number_format_is_linked = False
            labels.position = XL_LABEL_POSITION.CENTER
            labels.font.size = Pt(8)
            labels.font.color.rgb = RGBColor.from_string(text)
        self.paragraph(
            _(
                "Each bar: how many respondents chose each level, from level 0 (left, "
                "darkest) to 4 (palest), then don't know (hatched); “L2: 5” is five people "
                "at level 2."
            ),
            colour=MUTED,
            size=8,
        )

    def movement(self) -> None:
        movement = self.page.movement
        if movement is None:
            return
        self.chapter(_("What moved since “%(title)s”") % {"title": movement.since})
        self.paragraph(
            _(
                "Pillars and questions are matched by their code, also across questionnaire "
                "versions. Scores from 0 to 100; higher is more mature."
            ),
            colour=MUTED,
        )
        for caveat in movement.caveats:
            self.paragraph(caveat, bold=True)
        rows = [
            (
                _("Readiness index")
                + (" " + _("on the questions asked both times") if movement.matched else ""),
                score_text(movement.overall_previous),
                score_text(movement.overall_current),
                change_text(movement.overall),
                "",
            )
        ]
        for item in movement.pillars:
            bands = (
                f"{label('band', item.band_previous)} → {label('band', item.band_current)}"
                if item.band_previous
                and item.band_current
                and item.band_previous != item.band_current
                else label("band", item.band_current or item.band_previous) or "—"
            )
            rows.append(
                (
                    item.name,
                    score_text(item.previous),
                    score_text(item.current),
                    change_text(item.change),
                    bands,
                )
            )
        self.table(
            (_("Pillar"), _("Before"), _("Now"), _("Change"), _("Risk band")),
            rows,
            (6, 2.5, 2.5, 2.5, 3.5),
        )
        self.word.add_heading(
            _("%(moved)d of %(compared)d questions asked both times changed score")
            % {"moved": len(movement.moved), "compared": movement.compared},
            level=2,
        )
        if movement.moved:
            self.table(
                (_("Question"), _("Before"), _("Now"), _("Change")),
                [
                    (
                        item.text,
                        score_text(item.previous),
                        score_text(item.current),
                        change_text(item.change),
                    )
                    for item in movement.moved
                ],
                (11.6, 1.7, 1.7, 2),
            )
        if movement.added:
            self.word.add_heading(_("Questions added since then"), level=2)
            for item in movement.added:
                self.bullet(
                    item.text,
                    _("score %(score)s now") % {"score": score_text(item.current)},
                )
        if movement.removed:
            self.word.add_heading(_("Questions no longer asked"), level=2)
            for item in movement.removed:
                self.bullet(
                    item.text,
                    _("score %(score)s before") % {"score": score_text(item.previous)},
                )

    def pillar(self, section: presenters.PillarSection) -> None:
        pillar, result = section.pillar, self.result
        heading = pillar.name
        if pillar.band:
            heading += " — " + _("%(band)s risk") % {"band": label("band", pillar.band)}
        self.chapter(heading)
        if pillar.withheld:
            self.paragraph(
                _("Withheld: %(reason)s. Fewer than %(n)d people gave a level in this pillar.")
                % {"reason": label("withheld", pillar.withheld), "n": result.min_respondents},
                colour=MUTED,
            )
        elif not pillar.assessed:
            self.paragraph(_("Not assessed: nobody gave a level in this pillar."), colour=MUTED)
        else:
            self.table(
                (
                    _("Maturity"),
                    _("Risk"),
                    _("Confidence"),
                    _("Coverage"),
                    _("Consensus"),
                    _("Previous"),
                    _("Benchmark"),
                ),
                [
                    (
                        f"{score_text(pillar.maturity)} / 100 "
                        + (change_text(section.change) if section.change else ""),
                        f"{risk(pillar.risk)} · {label('band', pillar.band)}"
                        + (
                            " · " + _("raised by a red flag")
                            if pillar.band_raised_by_red_flag
                            else ""
                        ),
                        f"{label('confidence', pillar.confidence)} · "
                        + _("%(count)d respondents") % {"count": pillar.respondents},
                        f"{percent(pillar.coverage)}%",
                        (
                            f"{score_text(pillar.consensus)} / 100 · "
                            if pillar.consensus is not None
                            else ""
                        )
                        + _("spread %(spread)s") % {"spread": score_text(pillar.stdev)},
                        score_text(section.previous),
                        score_text(section.benchmark),
                    )
                ],
                (2.4, 2.6, 2.7, 2.1, 2.6, 2.1, 2.5),
            )
        # Beside the figures: what the client aims for, and how much of it is evidenced.
        beside = [section.target.words] if section.target else []
        if section.evidence and pillar.assessed and not pillar.withheld:
            beside.append(evidenced_words(section.evidence))
        if beside:
            self.paragraph(" · ".join(beside))
        if pillar.recommendation:
            paragraph = self.paragraph(_("What to do") + ": ", bold=True)
            paragraph.add_run(pillar.recommendation)
        self.answers(section)
        rows = []
        for row in section.questions:
            question = row.question
            text = question.text + (" ⚑ " + _("red flag") if question.red_flag else "")
            if question.withheld:
                answers = _("Withheld: %(reason)s") % {
                    "reason": label("withheld", question.withheld)
                }
            elif not question.asked:
                answers = _("nobody was asked")
            else:
                answers = distribution_text(question)
            change = _("new") if row.new else change_text(row.change)
            rows.append((text, answers, score_text(question.mean), change))
        self.table(
            (
                _("Question"),
                _("Answers: level 0 → 4, ? don't know"),
                _("Score"),
                _("Change"),
            ),
            rows,
            (9.2, 4.4, 1.6, 1.8),
        )
        if section.findings:
            self.word.add_heading(_("Findings"), level=2)
            for item in section.findings:
                finding = item.finding
                self.paragraph(
                    _("Priority %(rank)d: %(question)s")
                    % {
                        "rank": item.rank,
                        "question": question_name(result, finding.question, show_codes=False),
                    },
                    bold=True,
                )
                if finding.recommendation:
                    self.paragraph(_("Recommendation") + ": " + finding.recommendation)
                if finding.next_step:
                    self.paragraph(
                        _("Next step (level %(level)d)") % {"level": finding.next_level}
                        + ": "
                        + finding.next_step
                    )
                if finding.references:
                    self.paragraph(
                        _("References") + ": " + " · ".join(finding.references), colour=MUTED
                    )
        if section.quotes:
            self.word.add_heading(_("What respondents wrote"), level=2)
            for quote in section.quotes:
                paragraph = self.word.add_paragraph(style="Quote")
                paragraph.add_run(quote.text)
                source = _("On “%(question)s”") % {"question": quote.question_text}
                if quote.perspective:
                    source += " · " + label("perspective", quote.perspective)
                self.paragraph(source, colour=MUTED)

    def perspectives(self) -> None:
        heatmap = self.page.heatmap
        if not heatmap.groups:
            return
        self.chapter(_("Perspectives"))
        self.paragraph(
            _(
                "Mean maturity per pillar as each perspective sees it, 0 to 100, with its risk "
                "band. Only groups of at least %(n)d respondents are shown."
            )
            % {"n": self.doc.assessment.anonymity_threshold},
            colour=MUTED,
        )
        header = [_("Pillar")] + [
            f"{label('perspective', group.perspective)} ({group.respondents})"
            for group in heatmap.groups
        ]
        rows = []
        for row in heatmap.rows:
            cells = []
            for cell in row.cells:
                if cell.withheld:
                    cells.append(
                        _("withheld: %(reason)s") % {"reason": label("withheld", cell.withheld)}
                    )
                elif cell.value is None:
                    cells.append("—")
                else:
                    cells.append(f"{score_text(cell.value)} · {label('band', cell.band)}")
            rows.append([row.pillar.name, *cells])
        rest = 13 / max(1, len(heatmap.groups))
        self.table(header, rows, (4, *[rest] * len(heatmap.groups)))
        if heatmap.hidden_respondents:
            self.paragraph(
                _(
                    "%(count)d respondents belong to perspectives with fewer than %(n)d "
                    "respondents: they count in every other figure, but no group of theirs is "
                    "shown."
                )
                % {
                    "count": heatmap.hidden_respondents,
                    "n": self.doc.assessment.anonymity_threshold,
                },
                colour=MUTED,
            )
        if self.page.gaps:
            self.word.add_heading(_("Largest perception gaps"), level=2)
            self.paragraph(self.page.gaps_note, colour=MUTED)
            for item in self.page.gaps:
                self.bullet(f"{item.pillar}: {item.words}")

    def action_plan(self) -> None:
        self.chapter(_("Action plan"))
        self.paragraph(
            _(
                "The findings in order of priority: red flags first, then risk × weight × "
                "importance. Owner, due date and status are those of the client's action "
                "plan; a finding without an action yet has them empty."
            ),
            colour=MUTED,
        )
        if not self.page.action_plan:
            self.paragraph(_("No action: every question with enough answers is at the top level."))
            return
        table = self.table(
            ("#", _("Finding and action"), _("Owner"), _("Due date, status")),
            [
                (
                    str(item.rank),
                    "",
                    item.action.owner if item.action else "",
                    due_words(item.action),
                )
                for item in self.page.action_plan
            ],
            (0.9, 10.1, 3.2, 2.8),
        )
        for row, item in zip(table.rows[1:], self.page.action_plan, strict=True):
            self._action(row.cells[1], item)

    def _action(self, cell, item: presenters.RankedFinding) -> None:
        """Where, what and how of one finding in its cell: its pillar, the
        question, the recommendation, the next step and the sources."""
        finding = item.finding
        where = item.pillar
        if finding.red_flag:
            where += " · ⚑ " + _("red flag")
        lines = [(where, MUTED, False)]
        lines.append((question_name(self.result, finding.question, show_codes=False), "", True))
        if finding.recommendation:
            lines.append((finding.recommendation, "", False))
        if finding.next_step:
            step = _("Next step (level %(level)d)") % {"level": finding.next_level}
            lines.append((f"{step}: {finding.next_step}", "", False))
        if finding.references:
            lines.append((_("References") + ": " + " · ".join(finding.references), MUTED, False))
        if item.planned:
            lines.append((_("Planned") + ": " + item.planned, "", False))
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
        for text, colour, bold in lines:
            self.paragraph(text, bold=bold, colour=colour, size=TABLE_TEXT, into=cell)

    def method(self) -> None:
        result = self.result
        self.chapter(_("Appendix: method"))
        self.word.add_heading(_("This report"), level=2)
        facts = [
            (_("Figures"), self.doc.results_line),
            (_("Respondents"), self.doc.respondents_line),
            (
                _("Suppression rule"),
                _(
                    "A pillar, question or red flag is shown when at least %(count)d respondents "
                    "gave it a level; perspective groups need at least %(n)d respondents."
                )
                % {"count": result.min_respondents, "n": self.doc.assessment.anonymity_threshold},
            ),
            (_("Questionnaire"), str(self.doc.assessment.questionnaire)),
        ]
        if self.page.report.trend:
            facts.append((_("Compared with"), self.page.report.previous_title))
        self.table(None, facts, (4, 13))
        self.table(
            (_("Pillar"), _("Respondents"), _("Coverage"), _("Confidence")),
            [
                (
                    pillar.name,
                    str(pillar.respondents),
                    f"{percent(pillar.coverage)}%",
                    label("confidence", pillar.confidence),
                )
                for pillar in result.pillars
                if not pillar.withheld
            ]
            + [
                (pillar.name, _("withheld"), _("withheld"), _("withheld"))
                for pillar in result.pillars
                if pillar.withheld
            ],
            (7, 3, 3, 4),
        )
        for section in self.page.report.method:
            self.word.add_heading(section.title, level=2)
            for paragraph in section.paragraphs:
                self.paragraph(paragraph)

    def save(self) -> bytes:
        buffer = BytesIO()
        self.word.save(buffer)
        return buffer.getvalue()


def _page_number(paragraph) -> None:
    """A PAGE field, which Word and LibreOffice fill in with the page's number."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _repeat_header(row) -> None:
    """A table's first row repeats at the top of every page it runs onto."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _line(plot_series, series: ChartSeries) -> None:
    from pptx.dml.color import RGBColor
    from pptx.enum.dml import MSO_LINE_DASH_STYLE
    from pptx.util import Pt

    line = plot_series.format.line
    line.color.rgb = RGBColor.from_string(series.colour)
    line.width = Pt(2)
    if series.dash:
        line.dash_style = getattr(MSO_LINE_DASH_STYLE, series.dash)
    plot_series.smooth = False


def _fill(plot_series, colour: str, background: str = "") -> None:
    """A solid fill; with a background, diagonal lines of `colour` on it."""
    from pptx.dml.color import RGBColor
    from pptx.enum.dml import MSO_PATTERN_TYPE

    fill = plot_series.format.fill
    if background:
        fill.patterned()
        fill.pattern = MSO_PATTERN_TYPE.WIDE_UPWARD_DIAGONAL
        fill.back_color.rgb = RGBColor.from_string(background)
    else:
        fill.solid()
    fill.fore_color.rgb = RGBColor.from_string(colour)
    plot_series.format.line.color.rgb = RGBColor.from_string("FFFFFF")
