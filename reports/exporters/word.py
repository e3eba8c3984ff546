"""The report's sections as a Word document, to finish and send."""

from collections.abc import Sequence
from io import BytesIO

from django.utils.translation import gettext as _

from assessments.labels import label
from assessments.models import Assessment
from assessments.wording import path_step, question_name, verdict_because

from .. import presenters
from ..figures import percent, risk, score_text
from .base import Export, export_filename
from .documents import (
    BRAND,
    DRAFT_RED,
    MUTED,
    VERDICT_COLOURS,
    Document,
    change_text,
    distribution_text,
    document_for,
    verdict_words,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def report_docx(assessment: Assessment, *, draft: bool = False) -> Export | None:
    """The report's sections as a Word document: cover, executive summary, what moved, one
    section per pillar, perspectives, the action plan with empty owner and due-date
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
    filename = export_filename(assessment, document.day, "docx", draft=draft)
    return Export(filename, DOCX, writer.save())


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
        for name in ("Title", "Heading 1", "Heading 2"):
            self.word.styles[name].font.color.rgb = RGBColor.from_string(BRAND)
        properties = self.word.core_properties
        properties.title = f"{document.assessment.organisation.name}: {document.assessment.title}"
        properties.subject = _("GenAI readiness report")
        contact = document.assessment.contact
        properties.author = str(contact) if contact else "GenAI Readiness"
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

    def paragraph(self, text: str = "", *, bold: bool = False, colour: str = "", size: int = 0):
        paragraph = self.word.add_paragraph()
        if text:
            run = paragraph.add_run(text)
            run.bold = bold
            if colour:
                run.font.color.rgb = self.RGBColor.from_string(colour)
            if size:
                run.font.size = self.Pt(size)
        return paragraph

    def bullet(self, text: str, note: str = "") -> None:
        paragraph = self.word.add_paragraph(style="List Bullet")
        paragraph.add_run(text)
        if note:
            run = paragraph.add_run(f" · {note}")
            run.font.color.rgb = self.RGBColor.from_string(MUTED)

    def table(
        self,
        header: Sequence[str] | None,
        rows: Sequence[Sequence[str]],
        widths: Sequence[float] = (),
    ) -> None:
        """A grid with a bold header row repeated on every page (none for a list of
        facts); `widths` in centimetres, the text column widest."""
        from docx.shared import Cm

        columns = len(header) if header else len(rows[0])
        table = self.word.add_table(rows=0, cols=columns)
        table.style = "Table Grid"
        if widths:
            table.autofit = False
        if header:
            cells = table.add_row().cells
            for cell, text in zip(cells, header, strict=True):
                cell.paragraphs[0].add_run(text).bold = True
            _repeat_header(table.rows[0])
        for values in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, values, strict=True):
                cell.text = str(text)
        # Word reads each cell's width, LibreOffice the table's grid: set both.
        for column, width in zip(table.columns, widths, strict=False):
            column.width = Cm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=False):
                cell.width = Cm(width)
        self.word.add_paragraph()

    def cover(self) -> None:
        assessment = self.doc.assessment
        self.word.add_heading(assessment.title, level=0)
        self.paragraph(assessment.organisation.name, size=16, colour=BRAND)
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
        self.word.add_page_break()
        self.word.add_heading(_("Executive summary"), level=1)
        colour = VERDICT_COLOURS.get(result.verdict.value if result.verdict else "", MUTED)
        self.paragraph(verdict_words(page), bold=True, colour=colour, size=18)
        self.paragraph(verdict_because(result))
        benchmark = page.report.benchmark
        self.table(
            (_("Readiness index"), _("Respondents"), _("Red flags"), _("Benchmark")),
            [
                (
                    f"{score_text(result.overall_index)} / 100"
                    + (f"  {change_text(page.overall_change)}" if page.overall_change else ""),
                    str(page.respondents),
                    str(len(result.red_flags)),
                    _("%(count)d organisations") % {"count": benchmark.organisations}
                    if benchmark
                    else _("not yet (needs 5 organisations)"),
                )
            ],
            (4.25, 4.25, 4.25, 4.25),
        )
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
            )
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
                f"{item.rank}. {question_name(result, item.finding.question, show_codes=False)}",
                note,
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
            self.word.add_heading(_("Path to ready"), level=2)
            for group in page.path:
                self.paragraph(
                    _("To reach “%(verdict)s”:") % {"verdict": label("verdict", group.needed_for)},
                    bold=True,
                )
                for step in group.steps:
                    self.bullet(path_step(result, step))

    def movement(self) -> None:
        movement = self.page.movement
        if movement is None:
            return
        self.word.add_page_break()
        self.word.add_heading(
            _("What moved since “%(title)s”") % {"title": movement.since}, level=1
        )
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
        self.word.add_page_break()
        heading = pillar.name
        if pillar.band:
            heading += " — " + _("%(band)s risk") % {"band": label("band", pillar.band)}
        self.word.add_heading(heading, level=1)
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
                (3, 3.2, 2.8, 2, 2.4, 1.8, 1.8),
            )
        if pillar.recommendation:
            paragraph = self.paragraph(_("What to do") + ": ", bold=True)
            paragraph.add_run(pillar.recommendation)
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
            (10, 4, 1.4, 1.6),
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
        self.word.add_page_break()
        self.word.add_heading(_("Perspectives"), level=1)
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
        self.word.add_page_break()
        self.word.add_heading(_("Action plan"), level=1)
        self.paragraph(
            _(
                "The findings in order of priority: red flags first, then risk × weight × "
                "importance. Owner and due date are for you to fill in."
            ),
            colour=MUTED,
        )
        if not self.page.action_plan:
            self.paragraph(_("No action: every question with enough answers is at the top level."))
            return
        rows = []
        for item in self.page.action_plan:
            finding = item.finding
            rows.append(
                (
                    str(item.rank),
                    item.pillar + (" ⚑" if finding.red_flag else ""),
                    question_name(self.result, finding.question, show_codes=False)
                    + ("\n" + finding.recommendation if finding.recommendation else ""),
                    (
                        _("Level %(level)d:") % {"level": finding.next_level}
                        + " "
                        + finding.next_step
                        if finding.next_step
                        else "—"
                    ),
                    " · ".join(finding.references) or "—",
                    "",
                    "",
                )
            )
        self.table(
            (
                "#",
                _("Pillar"),
                _("Action"),
                _("Next step"),
                _("Reference"),
                _("Owner"),
                _("Due date"),
            ),
            rows,
            (0.8, 2.4, 5, 3.8, 2, 1.5, 1.5),
        )

    def method(self) -> None:
        result = self.result
        self.word.add_page_break()
        self.word.add_heading(_("Appendix: method"), level=1)
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
