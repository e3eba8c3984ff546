"""The report as files to finish and present: a Word document of its sections, and a
PowerPoint deck of the executive summary with one slide per pillar.

Both are drawn from the same arranged results as the dashboard and the PDF
(`presenters.report_page`), so every format shows the same figures and withholds the same:
the latest publication, or for a consultant the live figures marked "Draft" on every page
and slide. Charts in the deck are native, editable charts with the figures as their data,
so that a consultant can restyle them in PowerPoint. python-docx and python-pptx are
imported inside the functions, like WeasyPrint: only a download pays for them.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.labels import label
from assessments.models import Assessment
from assessments.results.access import live_results, published_results
from assessments.wording import path_step, question_name, verdict_because

from .. import presenters, selectors
from ..presenters import ReportPage
from .base import Export, export_filename

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

BRAND = "1B3A6B"
ACCENT = "3D7BE0"
MUTED = "5C636A"
DRAFT_RED = "B3261E"
VERDICT_COLOURS = {"ready": "1E7B4F", "ready_with_conditions": "9A6B00", "not_ready": "B3261E"}
VERDICT_SYMBOLS = {"ready": "✓", "ready_with_conditions": "!", "not_ready": "✕"}
BAND_COLOURS = {"low": "1E7B4F", "moderate": "9A6B00", "high": "C0501C", "critical": "B3261E"}
DECK_PATH_STEPS = 3
DECK_FINDINGS = 2
QUESTION_LABEL = 48  # characters of a question's text on a chart axis


@dataclass(frozen=True)
class Document:
    """What a document is made of: the arranged results, its date and whether a draft."""

    page: ReportPage
    day: date
    draft: bool

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

    @property
    def respondents_line(self) -> str:
        return _("%(count)d submitted responses") % {"count": self.page.respondents}


def _document(assessment: Assessment, *, draft: bool) -> Document | None:
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
    )
    return Document(page, timezone.localdate(results.as_of), draft)


def _verdict_words(page: ReportPage) -> str:
    verdict = page.result.verdict
    if verdict is None:
        return _("No verdict yet")
    return f"{VERDICT_SYMBOLS[verdict.value]} {label('verdict', verdict)}"


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def _change(change: presenters.Change | None) -> str:
    return "—" if change is None else f"{change.arrow} {change.signed}"


def _distribution(question) -> str:
    if question.distribution_withheld:
        return _("%(count)d with a level, counts per level withheld: %(reason)s") % {
            "count": question.answered,
            "reason": label("withheld", question.distribution_withheld),
        }
    counts = " · ".join(f"{level}: {count}" for level, count in enumerate(question.distribution))
    return f"{counts} · ?: {question.dont_know}"


# Word


def report_docx(assessment: Assessment, *, draft: bool = False) -> Export | None:
    """The report's sections as a Word document: cover, executive summary, what moved, one
    section per pillar, perspectives, the action plan with empty owner and due-date
    columns, and the method appendix."""
    document = _document(assessment, draft=draft)
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
        self.paragraph(_verdict_words(page), bold=True, colour=colour, size=18)
        self.paragraph(verdict_because(result))
        benchmark = page.report.benchmark
        self.table(
            (_("Readiness index"), _("Respondents"), _("Red flags"), _("Benchmark")),
            [
                (
                    f"{_score(result.overall_index)} / 100"
                    + (f"  {_change(page.overall_change)}" if page.overall_change else ""),
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
                % {"title": page.report.previous_title},
                colour=MUTED,
            )
        self.word.add_heading(_("Largest risks"), level=2)
        for item in page.risks:
            note = _("%(pillar)s · %(band)s risk · score %(score)s") % {
                "pillar": item.pillar,
                "band": label("band", item.finding.band),
                "score": _score(item.finding.score),
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
                % {"pillar": item.pillar, "score": _score(item.question.mean)},
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
        rows = [
            (
                _("Readiness index"),
                _score(movement.overall_previous),
                _score(movement.overall_current),
                _change(movement.overall),
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
                    _score(item.previous),
                    _score(item.current),
                    _change(item.change),
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
                (_("Question"), _("Code"), _("Before"), _("Now"), _("Change")),
                [
                    (
                        item.text,
                        item.code,
                        _score(item.previous),
                        _score(item.current),
                        _change(item.change),
                    )
                    for item in movement.moved
                ],
                (8.1, 3.5, 1.7, 1.7, 2),
            )
        if movement.added:
            self.word.add_heading(_("Questions added since then"), level=2)
            for item in movement.added:
                self.bullet(
                    f"{item.text} ({item.code})",
                    _("score %(score)s now") % {"score": _score(item.current)},
                )
        if movement.removed:
            self.word.add_heading(_("Questions no longer asked"), level=2)
            for item in movement.removed:
                self.bullet(
                    f"{item.text} ({item.code})",
                    _("score %(score)s before") % {"score": _score(item.previous)},
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
                        f"{_score(pillar.maturity)} / 100 "
                        + (_change(section.change) if section.change else ""),
                        f"{_score(pillar.risk)} · {label('band', pillar.band)}"
                        + (
                            " · " + _("raised by a red flag")
                            if pillar.band_raised_by_red_flag
                            else ""
                        ),
                        f"{label('confidence', pillar.confidence)} · "
                        + _("%(count)d respondents") % {"count": pillar.respondents},
                        f"{round(100 * pillar.coverage)}%",
                        (
                            f"{_score(pillar.consensus)} / 100 · "
                            if pillar.consensus is not None
                            else ""
                        )
                        + _("spread %(spread)s") % {"spread": _score(pillar.stdev)},
                        _score(section.previous),
                        _score(section.benchmark),
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
                answers = _distribution(question)
            change = _("new") if row.new else _change(row.change)
            rows.append((text, question.code, answers, _score(question.mean), change))
        self.table(
            (
                _("Question"),
                _("Code"),
                _("Answers: level 0 → 4, ? don't know"),
                _("Score"),
                _("Change"),
            ),
            rows,
            (6.8, 3.2, 4, 1.4, 1.6),
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
                    cells.append(f"{_score(cell.value)} · {label('band', cell.band)}")
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
            for item in self.page.gaps:
                gap = item.gap
                self.bullet(
                    _(
                        "%(pillar)s: %(high)s see %(high_value)s, %(low)s %(low_value)s, a gap "
                        "of %(points)s points."
                    )
                    % {
                        "pillar": item.pillar,
                        "high": label("perspective", gap.high_perspective),
                        "high_value": _score(gap.high),
                        "low": label("perspective", gap.low_perspective),
                        "low_value": _score(gap.low),
                        "points": _score(gap.gap),
                    }
                )

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
                    f"{round(100 * pillar.coverage)}%",
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


# PowerPoint


def report_pptx(assessment: Assessment, *, draft: bool = False) -> Export | None:
    """The executive summary as a deck: a title slide, the summary (verdict, index, radar,
    largest risks, path to ready), what moved since the previous assessment, and one slide
    per pillar with its question scores as a bar chart."""
    document = _document(assessment, draft=draft)
    if document is None:
        return None
    deck = _Deck(document)
    deck.title_slide()
    deck.summary_slide()
    deck.movement_slide()
    for section in document.page.pillars:
        deck.pillar_slide(section)
    filename = export_filename(assessment, document.day, "pptx", draft=draft)
    return Export(filename, PPTX, deck.save())


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
        properties = self.deck.core_properties
        properties.title = f"{document.assessment.organisation.name}: {document.assessment.title}"
        properties.subject = _("GenAI readiness summary")

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
            [(_verdict_words(page), 28, True, "FFFFFF")],
            fill=VERDICT_COLOURS.get(verdict, MUTED),
        )
        self.text(slide, (0.5, 2.05, 6.1, 1.45), [(verdict_because(result), 11, False, "212529")])
        index = [
            (
                _("Readiness index %(index)s / 100") % {"index": _score(result.overall_index)},
                18,
                True,
                BRAND,
            )
        ]
        if page.overall_change:
            since = _("since “%(title)s”") % {"title": page.report.previous_title}
            index.append((f"{_change(page.overall_change)} {since}", 12, False, MUTED))
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
                    "before": _score(movement.overall_previous),
                    "now": _score(movement.overall_current),
                    "change": _change(movement.overall),
                },
                16,
                True,
                BRAND,
            ),
            (_("Questions that moved most"), 14, True, BRAND),
        ]
        for item in movement.moved[:6]:
            lines.append((f"{_change(item.change)}  {_short(item.text, 70)}", 11, False, "212529"))
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
            figure = _("Maturity %(score)s / 100") % {"score": _score(pillar.maturity)}
            if section.change:
                figure += "  " + _change(section.change)
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
