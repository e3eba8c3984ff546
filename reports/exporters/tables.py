"""Figures and raw answers as CSV and XLSX, for the people who analyse them further.

- Raw answers (consultants only): one row per respondent and question asked of them, under
  a pseudonym, never an address or a name; the XLSX adds the live pillar figures and the
  method.
- Published figures (everyone who reads results): the latest publication as the dashboard
  shows it, every figure resting on fewer respondents than the anonymity threshold marked
  "withheld" with the reason, and no individual answer.

Every free text (comments, but also question texts and names, which are ours) goes through
`neutralise`, so that no cell is ever run as a formula. CSV is UTF-8 with a byte-order
mark, which spreadsheet programs need to read accents, and quotes every text field; XLSX
keeps such cells strings. The deck's chart workbooks do the same (`chart_data.py`).
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO

from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assessments.labels import label
from assessments.models import Action, Answer, Assessment, Response
from assessments.results.access import live_results, published_results
from assessments.wording import question_name, verdict_reason

from .. import presenters, selectors
from ..figures import percent, risk, score
from ..presenters import ReportPage
from ..selectors import PlannedAction
from .base import Export, export_filename, neutralise
from .metadata import FileMetadata, metadata_for, stamp

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WITHHELD = "withheld"
PSEUDONYM_LENGTH = 8

Cell = str | int | float | date | None


def _number(value: float | None) -> int | None:
    """The figure as every other format prints it."""
    return score(value)


def _text(value: object) -> str:
    return neutralise(str(value)) if value is not None else ""


# Raw answers


def pseudonyms(assessment_id: int, response_ids: Iterable[int]) -> dict[int, str]:
    """A pseudonym per response, stable within the assessment: "R-" and the first hex
    digits of an HMAC of the assessment's and the response's ids under the SECRET_KEY.

    The same person keeps the same pseudonym in every export of the assessment, so two
    exports can be compared; it says nothing of the order in which people were invited or
    answered; nobody without the key can work out which response it is; and it is never
    derived from the e-mail address. Two pseudonyms that would collide take more digits.
    """
    full = {
        pk: salted_hmac(
            "reports.exporters.pseudonym", f"{assessment_id}:{pk}", algorithm="sha256"
        ).hexdigest()
        for pk in response_ids
    }
    short = {pk: digest[:PSEUDONYM_LENGTH] for pk, digest in full.items()}
    taken: dict[str, int] = {}
    for value in short.values():
        taken[value] = taken.get(value, 0) + 1
    return {
        pk: "R-"
        + (short[pk] if taken[short[pk]] == 1 else full[pk][: PSEUDONYM_LENGTH * 2]).upper()
        for pk in full
    }


@dataclass(frozen=True)
class RawAnswers:
    header: tuple[str, ...]
    rows: Iterable[tuple[Cell, ...]]  # read from the database as they are written


def raw_answers(assessment: Assessment) -> RawAnswers | None:
    """One row per submitted respondent and question asked of them, ordered by pseudonym
    and then as the questionnaire asks; None before the first submitted response.

    Three queries (the responses, the questions, the questionnaire), then the answers of
    `ANSWER_BATCH` respondents at a time as the rows are consumed, so that an assessment of
    ten thousand respondents is never held in memory whole. Only what the analysis needs:
    no address, no name, no time of answering.
    """
    responses = list(
        Response.objects.submitted()
        .filter(assessment=assessment)
        .values_list("pk", "perspective", "sees_all_questions")
    )
    if not responses:
        return None
    questionnaire = assessment.questionnaire
    version = f"{questionnaire.slug} v{questionnaire.version}"
    questions = list(
        questionnaire.questions.select_related("pillar").order_by("pillar__order", "order")
    )
    names = pseudonyms(assessment.pk, [pk for pk, _, _ in responses])
    header = (
        _("Respondent"),
        _("Perspective"),
        _("Pillar code"),
        _("Pillar"),
        _("Question code"),
        _("Question"),
        _("Level (0–4) or don't know"),
        _("Comment"),
        _("Questionnaire version"),
    )
    ordered = sorted(responses, key=lambda row: names[row[0]])
    return RawAnswers(header, _raw_rows(ordered, names, questions, version))


ANSWER_BATCH = 500


def _raw_rows(
    responses: list[tuple[int, str, bool]], names: dict[int, str], questions, version: str
) -> Iterator[tuple[Cell, ...]]:
    dont_know = _("don't know")
    for start in range(0, len(responses), ANSWER_BATCH):
        batch = responses[start : start + ANSWER_BATCH]
        answers = {
            (response_id, question_id): (level, unsure, comment)
            for response_id, question_id, level, unsure, comment in Answer.objects.filter(
                response_id__in=[pk for pk, _, _ in batch]
            ).values_list("response_id", "question_id", "level", "dont_know", "comment")
        }
        for pk, perspective, sees_all in batch:
            for question in questions:
                if not (sees_all or question.asked_of(perspective)):
                    continue
                level, unknown, comment = answers.get((pk, question.pk), (None, False, ""))
                yield (
                    names[pk],
                    _text(label("perspective", perspective or "other")),
                    question.pillar.code,
                    _text(question.pillar.name),
                    question.code,
                    _text(question.text),
                    level if level is not None else (dont_know if unknown else ""),
                    _text(comment),
                    version,
                )


def raw_answers_csv(assessment: Assessment) -> Export | None:
    """The raw answers as CSV; None before the first submitted response."""
    answers = raw_answers(assessment)
    if answers is None:
        return None
    content = _csv([answers.header, *answers.rows])
    return Export(_filename(assessment, "csv", "raw-answers"), CSV, content)


def raw_answers_xlsx(assessment: Assessment) -> Export | None:
    """The raw answers, the live pillar figures and the method, as three sheets."""
    answers = raw_answers(assessment)
    if answers is None:
        return None
    page = _page(assessment, live_results(assessment))
    workbook = _StreamedWorkbook()
    workbook.table(
        _("Answers"),
        answers.header,
        answers.rows,
        widths=(12, 22, 14, 28, 26, 60, 14, 60, 20),
    )
    workbook.table(_("Pillars"), *_pillar_table(page), widths=(28, 12, 10, 12, 12, 12, 12, 10, 12))
    workbook.method(page, note=_raw_note(assessment))
    metadata = metadata_for(assessment, None, subject=_("Raw answers"))
    return Export(_filename(assessment, "xlsx", "raw-answers"), XLSX, workbook.save(metadata))


def _raw_note(assessment: Assessment) -> list[str]:
    return [
        _(
            "Raw answers of every submitted response, for the consultant's own analysis. "
            "Each respondent appears under a pseudonym that stays the same in every export "
            "of this assessment; no address or name is in this file."
        ),
        _(
            "A perspective with few respondents can identify people: do not hand this file "
            "to the client's management. They receive the published figures, where any "
            "figure resting on fewer than %(n)d respondents is withheld."
        )
        % {"n": assessment.anonymity_threshold},
        _("The pillar figures are live: every submitted response as of %(date)s, not published.")
        % {"date": timezone.localdate().isoformat()},
    ]


# Published figures


def _page(assessment: Assessment, results) -> ReportPage:
    return presenters.report_page(
        assessment,
        results,
        (),
        with_charts=False,
        previous_names=selectors.previous_names(assessment, results.report),
        previous_questionnaire=selectors.previous_questionnaire(assessment, results.report),
        plan=selectors.client_plan(assessment, timezone.localdate()),
    )


def _published_page(assessment: Assessment) -> ReportPage | None:
    results = published_results(assessment)
    if results is None:
        return None
    return _page(assessment, results)


def _withheld(reason) -> str:
    return f"{WITHHELD}: {label('withheld', reason)}"


def _pillar_table(page: ReportPage) -> tuple[tuple[str, ...], list[tuple[Cell, ...]]]:
    header = (
        _("Pillar"),
        _("Maturity (0–100)"),
        _("Risk"),
        _("Risk band"),
        _("Confidence"),
        _("Respondents"),
        _("Coverage (%)"),
        _("Spread"),
        _("Consensus"),
        _("Red flags"),
        _("Previous"),
        _("Change"),
        _("Benchmark"),
    )
    rows: list[tuple[Cell, ...]] = []
    for section in page.pillars:
        pillar = section.pillar
        if pillar.withheld:
            rows.append((_text(pillar.name), _withheld(pillar.withheld), *[""] * 11))
            continue
        rows.append(
            (
                _text(pillar.name),
                _number(pillar.maturity),
                risk(pillar.risk),
                label("band", pillar.band) if pillar.band else _("not assessed"),
                label("confidence", pillar.confidence),
                pillar.respondents,
                percent(pillar.coverage),
                _number(pillar.stdev),
                _number(pillar.consensus),
                len(pillar.red_flags),
                _number(section.previous),
                section.change.delta if section.change else None,
                _number(section.benchmark),
            )
        )
    return header, rows


def _question_header() -> tuple[str, ...]:
    return (
        _("Pillar"),
        _("Question code"),
        _("Question"),
        _("Score (0–100)"),
        _("Answered with a level"),
        _("Don't know"),
        *(_("Level %(level)d") % {"level": level} for level in range(5)),
        _("Red flag"),
        _("Change"),
    )


def _question_values(section, row) -> tuple[Cell, ...]:
    """A question's figures after its pillar, code and text; a withheld one shows nothing
    but why, not even how many answered."""
    question = row.question
    start = (_text(section.pillar.name), question.code, _text(question.text))
    if question.withheld:
        return (*start, _withheld(question.withheld), *[""] * 9)
    return (
        *start,
        _number(question.mean),
        question.answered,
        question.dont_know,
        # Counts per level are withheld when a level holds only one or two answers.
        *(
            [_withheld(question.distribution_withheld)] + [""] * (len(question.distribution) - 1)
            if question.distribution_withheld
            else question.distribution
        ),
        _("yes") if question.red_flag else _("no"),
        _("new") if row.new else (row.change.delta if row.change else None),
    )


def _question_table(page: ReportPage) -> tuple[tuple[str, ...], list[tuple[Cell, ...]]]:
    rows = [_question_values(section, row) for section in page.pillars for row in section.questions]
    return _question_header(), rows


def _perspective_table(page: ReportPage) -> tuple[tuple[str, ...], list[tuple[Cell, ...]]]:
    groups = page.heatmap.groups
    header = (
        _("Pillar"),
        *(f"{label('perspective', group.perspective)} ({group.respondents})" for group in groups),
    )
    rows: list[tuple[Cell, ...]] = []
    for heat_row in page.heatmap.rows:
        cells: list[Cell] = []
        for cell in heat_row.cells:
            if cell.withheld:
                cells.append(_withheld(cell.withheld))
            else:
                cells.append(_number(cell.value))
        rows.append((_text(heat_row.pillar.name), *cells))
    return header, rows


def _summary(page: ReportPage) -> list[tuple[str, Cell, str]]:
    """(figure, value, note) of the assessment as a whole."""
    result = page.result
    snapshot = page.results.snapshot
    lines: list[tuple[str, Cell, str]] = [
        (_("Organisation"), _text(page.assessment.organisation.name), ""),
        (_("Assessment"), _text(page.assessment.title), ""),
        (
            _("Results"),
            label("snapshot", snapshot.kind) if snapshot else _("Live figures (draft)"),
            timezone.localdate(page.as_of).isoformat(),
        ),
        (_("Respondents"), page.respondents, ""),
        (
            _("Verdict"),
            label("verdict", result.verdict) if result.verdict else _("No verdict yet"),
            _text(verdict_reason(result, show_codes=True)),
        ),
        (_("Readiness index (0–100)"), _number(result.overall_index), ""),
        (_("Red flags"), len(result.red_flags), ""),
    ]
    if page.overall_change is not None:
        lines.append(
            (
                _("Change of the readiness index"),
                page.overall_change.delta,
                _text(_("since “%(title)s”") % {"title": page.report.previous_title}),
            )
        )
    if page.heatmap.hidden_respondents:
        lines.append(
            (
                _("Respondents in groups too small to show"),
                page.heatmap.hidden_respondents,
                _("counted in every other figure"),
            )
        )
    lines.append(
        (
            _("Anonymity threshold"),
            page.assessment.anonymity_threshold,
            _("a figure resting on fewer respondents is withheld"),
        )
    )
    return lines


def _long_rows(page: ReportPage) -> list[tuple[Cell, ...]]:
    """Every figure of the publication as one row: section, pillar, question, perspective,
    figure, value, note. Withheld figures read "withheld" with the reason as note."""
    rows: list[tuple[Cell, ...]] = []
    for figure, value, note in _summary(page):
        rows.append((_("assessment"), "", "", "", "", "", figure, value, note))
    pillar_header, pillar_rows = _pillar_table(page)
    for section, values in zip(page.pillars, pillar_rows, strict=True):
        code, name = section.code, _text(section.pillar.name)
        if section.pillar.withheld:
            reason = label("withheld", section.pillar.withheld)
            rows.append((_("pillar"), code, name, "", "", "", pillar_header[1], WITHHELD, reason))
            continue
        for figure, value in zip(pillar_header[1:], values[1:], strict=True):
            rows.append((_("pillar"), code, name, "", "", "", figure, value, ""))
    question_header = _question_header()
    for section in page.pillars:
        for row in section.questions:
            values = _question_values(section, row)
            start = (_("question"), section.code, values[0], values[1], values[2], "")
            if row.question.withheld:
                reason = label("withheld", row.question.withheld)
                rows.append((*start, question_header[3], WITHHELD, reason))
                continue
            for figure, value in zip(question_header[3:], values[3:], strict=True):
                rows.append((*start, figure, value, ""))
    for group_index, group in enumerate(page.heatmap.groups):
        perspective = label("perspective", group.perspective)
        rows.append(
            (_("perspective"), "", "", "", "", perspective, _("Respondents"), group.respondents, "")
        )
        for heat_row in page.heatmap.rows:
            cell = heat_row.cells[group_index]
            pillar = heat_row.pillar
            if cell.withheld:
                value, note = WITHHELD, label("withheld", cell.withheld)
            else:
                value, note = _number(cell.value), ""
            rows.append(
                (
                    _("perspective"),
                    pillar.pillar,
                    _text(pillar.name),
                    "",
                    "",
                    perspective,
                    _("Maturity (0–100)"),
                    value,
                    note,
                )
            )
    return rows


def _long_header() -> tuple[str, ...]:
    return (
        _("Section"),
        _("Pillar code"),
        _("Pillar"),
        _("Question code"),
        _("Question"),
        _("Perspective"),
        _("Figure"),
        _("Value"),
        _("Note"),
    )


def published_figures_csv(assessment: Assessment) -> Export | None:
    """Every figure of the latest publication, one per row; None while nothing is
    published."""
    page = _published_page(assessment)
    if page is None:
        return None
    content = _csv([_long_header(), *_long_rows(page)])
    return Export(_filename(assessment, "csv", "published-figures", page), CSV, content)


def published_figures_xlsx(assessment: Assessment) -> Export | None:
    """The latest publication as sheets: summary, pillars, questions, perspectives, the
    action plan to track and the method; None while nothing is published."""
    page = _published_page(assessment)
    if page is None:
        return None
    workbook = _Workbook()
    workbook.table(
        _("Summary"),
        (_("Figure"), _("Value"), _("Note")),
        _summary(page),
        widths=(34, 26, 90),
    )
    workbook.table(_("Pillars"), *_pillar_table(page), widths=(28, 16, 10, 12, 12, 12, 12, 10, 12))
    workbook.table(
        _("Questions"),
        *_question_table(page),
        widths=(24, 26, 60, 16, 12, 10, 9, 9, 9, 9, 9, 10, 10),
    )
    if page.heatmap.groups:
        header, rows = _perspective_table(page)
        workbook.table(_("Perspectives"), header, rows, widths=(28, *[20] * (len(header) - 1)))
    workbook.action_plan(page)
    workbook.method(page, note=[_published_note(page)])
    metadata = metadata_for(assessment, page.results.snapshot, subject=_("Published figures"))
    content = stamp(workbook.save(), metadata)
    return Export(_filename(assessment, "xlsx", "published-figures", page), XLSX, content)


# What a manager may set an action to: a list in the sheet, so that it can be filtered.
ACTION_STATUSES = (
    gettext_noop("open"),
    gettext_noop("in progress"),
    gettext_noop("done"),
    gettext_noop("dropped"),
)
STATUS_WORDS = dict(zip(Action.Status.values, ACTION_STATUSES, strict=True))


def _action_plan_table(page: ReportPage) -> tuple[tuple[str, ...], list[tuple[Cell, ...]]]:
    header = (
        _("Priority"),
        _("Reference"),
        _("Pillar"),
        _("Finding"),
        _("Red flag"),
        _("Recommendation"),
        _("Next step"),
        _("Sources"),
        _("Owner"),
        _("Due date"),
        _("Status"),
        _("Overdue"),
    )
    rows = []
    for item in page.action_plan:
        finding = item.finding
        next_step = (
            _("Level %(level)d: %(step)s")
            % {"level": finding.next_level, "step": finding.next_step}
            if finding.next_step
            else ""
        )
        rows.append(
            (
                item.rank,
                _text(finding.question),
                _text(item.pillar),
                _text(question_name(page.result, finding.question, show_codes=False)),
                _("yes") if finding.red_flag else _("no"),
                _text(finding.recommendation),
                _text(next_step),
                _text(" · ".join(finding.references)),
                *_action_cells(item.action),
            )
        )
    return header, rows


def _action_cells(action: PlannedAction | None) -> tuple[Cell, ...]:
    """Owner, due date, status and whether overdue, as the client's plan has them; empty
    where a finding has no action yet."""
    if action is None:
        return ("", None, None, "")
    return (
        _text(action.owner),
        action.due_on,
        _(STATUS_WORDS[action.status]),
        _("overdue") if action.overdue else "",
    )


def _published_note(page: ReportPage) -> str:
    return _(
        "Published figures of %(date)s: group figures only, never a person's answers. A "
        "figure resting on fewer than %(n)d respondents reads “withheld” with the reason."
    ) % {
        "date": timezone.localdate(page.as_of).isoformat(),
        "n": page.assessment.anonymity_threshold,
    }


# Writing


def _filename(assessment: Assessment, extension: str, kind: str, page=None) -> str:
    day: date = timezone.localdate(page.as_of) if page is not None else timezone.localdate()
    return export_filename(assessment, day, extension, kind=kind)


def _csv(rows: Sequence[Sequence[Cell]]) -> bytes:
    buffer = io.StringIO(newline="")
    # Every text field quoted: a spreadsheet that splits on ";" too keeps "x;=cmd" one cell.
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue().encode("utf-8-sig")


class _Workbook:
    """An openpyxl workbook with our conventions: a bold frozen header with a filter,
    wrapped text, strings that stay strings, and withheld cells greyed in italics."""

    def __init__(self):
        from openpyxl import Workbook

        self.book = Workbook()
        self.first = True

    def _sheet(self, title: str):
        if self.first:
            self.first = False
            sheet = self.book.active
            sheet.title = title[:31]
            return sheet
        return self.book.create_sheet(title[:31])

    def table(self, title: str, header, rows, *, widths: Sequence[int] = ()):
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter

        sheet = self._sheet(title)
        bold = Font(bold=True, color="FFFFFF")
        fill = PatternFill("solid", fgColor="1B3A6B")
        muted = Font(italic=True, color="5C636A")
        wrap = Alignment(wrap_text=True, vertical="top")
        sheet.append([_text(value) for value in header])
        for cell in sheet[1]:
            cell.font, cell.fill, cell.alignment = bold, fill, wrap
        for row in rows:
            sheet.append(list(row))
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    # A string cell, whatever it looks like: never a formula, date or number.
                    cell.data_type = "s"
                    cell.alignment = wrap
                    if cell.value.startswith(WITHHELD):
                        cell.font = muted
        sheet.freeze_panes = "A2"
        if rows:
            sheet.auto_filter.ref = sheet.dimensions
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        return sheet

    def action_plan(self, page: ReportPage) -> None:
        """The findings as a tracker for the client's manager: the owner, due date and
        status of the client's plan, to fill in where a finding has no action yet, and a
        status chosen from a list."""
        from openpyxl.styles import Alignment
        from openpyxl.worksheet.datavalidation import DataValidation

        header, rows = _action_plan_table(page)
        sheet = self.table(
            _("Action plan"), header, rows, widths=(9, 24, 22, 50, 9, 60, 50, 40, 20, 13, 13, 10)
        )
        last = max(sheet.max_row, 2) + 200  # room for actions the manager adds
        owner, due, status = "I", "J", "K"
        statuses = ",".join(_(value) for value in ACTION_STATUSES)
        choose = DataValidation(type="list", formula1=f'"{statuses}"', allow_blank=True)
        choose.error = _("Choose one of: %(statuses)s.") % {"statuses": statuses}
        choose.showErrorMessage = True
        # Any date after 1 January 2000 (day 36526 of a spreadsheet's calendar).
        dated = DataValidation(type="date", operator="greaterThan", formula1="36526")
        dated.error = _("Enter a date, such as %(example)s.") % {"example": "2027-03-31"}
        dated.showErrorMessage = True
        for validation, column in ((choose, status), (dated, due)):
            sheet.add_data_validation(validation)
            validation.add(f"{column}2:{column}{last}")
        for row in range(2, last + 1):
            sheet[f"{due}{row}"].number_format = "yyyy-mm-dd"
            sheet[f"{owner}{row}"].number_format = "@"  # a name stays text, never a formula
            for column in (owner, due, status):
                sheet[f"{column}{row}"].alignment = Alignment(vertical="top")

    def method(self, page: ReportPage, *, note: Sequence[str]) -> None:
        from openpyxl.styles import Alignment, Font

        sheet = self._sheet(_("Method"))
        sheet.column_dimensions["A"].width = 110
        wrap = Alignment(wrap_text=True, vertical="top")
        for paragraph in note:
            sheet.append([_text(paragraph)])
        for section in page.report.method:
            sheet.append([])
            sheet.append([_text(section.title)])
            sheet.cell(sheet.max_row, 1).font = Font(bold=True, color="1B3A6B")
            for paragraph in section.paragraphs:
                sheet.append([_text(paragraph)])
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                    cell.alignment = wrap

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.book.save(buffer)
        return buffer.getvalue()


class _StreamedWorkbook:
    """`_Workbook`'s conventions for a workbook too large to hold: the raw answers of ten
    thousand respondents (160,000 rows).

    Written with XlsxWriter row by row into a temporary file (`constant_memory`: each row
    leaves memory once the next begins), several times faster than openpyxl cell by cell.
    Write-once: no cell can be changed after its row, which `_Workbook` allows."""

    def __init__(self):
        from xlsxwriter import Workbook

        self.file = tempfile.TemporaryFile()  # noqa: SIM115 (handed on by `save`)
        self.book = Workbook(
            self.file,
            {
                "constant_memory": True,
                # A string is a string: never a formula, a number or a link.
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        wrap = {"text_wrap": True, "valign": "top"}
        self.text = self.book.add_format(wrap)
        self.header = self.book.add_format(
            {**wrap, "bold": True, "font_color": "#FFFFFF", "bg_color": "#1B3A6B"}
        )
        self.muted = self.book.add_format({**wrap, "italic": True, "font_color": "#5C636A"})
        self.heading = self.book.add_format({**wrap, "bold": True, "font_color": "#1B3A6B"})

    def _write(self, sheet, row: int, values: Iterable[Cell], text_format=None) -> None:
        for column, value in enumerate(values):
            if value is None or value == "":
                continue  # an empty cell
            if isinstance(value, str):
                style = text_format or (self.muted if value.startswith(WITHHELD) else self.text)
                sheet.write_string(row, column, value, style)
            else:
                sheet.write_number(row, column, value)

    def table(self, title: str, header, rows: Iterable, *, widths: Sequence[int] = ()) -> None:
        sheet = self.book.add_worksheet(title[:31])
        for index, width in enumerate(widths):
            sheet.set_column(index, index, width)
        sheet.freeze_panes(1, 0)
        self._write(sheet, 0, [_text(value) for value in header], self.header)
        count = 0
        for count, row in enumerate(rows, start=1):
            self._write(sheet, count, row)
        if count:
            sheet.autofilter(0, 0, count, len(header) - 1)

    def method(self, page: ReportPage, *, note: Sequence[str]) -> None:
        sheet = self.book.add_worksheet(_("Method")[:31])
        sheet.set_column(0, 0, 110)
        row = 0
        for paragraph in note:
            self._write(sheet, row, [_text(paragraph)])
            row += 1
        for section in page.report.method:
            self._write(sheet, row + 1, [_text(section.title)], self.heading)
            row += 2
            for paragraph in section.paragraphs:
                self._write(sheet, row, [_text(paragraph)])
                row += 1

    def save(self, metadata: FileMetadata) -> IO[bytes]:
        """The file, from its start, with `metadata` as its properties: written by XlsxWriter
        itself, since `stamp` would read the whole package back into memory."""
        self.book.set_properties(
            {
                "title": metadata.title,
                "subject": metadata.subject,
                "author": metadata.author,
                "company": metadata.company,
                "created": metadata.created,
            }
        )
        self.book.close()
        self.file.seek(0)
        return self.file
