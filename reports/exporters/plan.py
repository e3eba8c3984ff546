"""The client's action plan as CSV and XLSX, to track outside the app: one row per action
with its finding's reference, owner, due date and status. Every text is neutralised as in
the other spreadsheets; the XLSX offers the statuses as a list."""

from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Action, Assessment

from .base import Export
from .metadata import metadata_for, stamp
from .tables import CSV, XLSX, Cell, _csv, _filename, _text, _Workbook

WIDTHS = (18, 22, 40, 40, 22, 12, 14, 10, 30, 40)


def _header() -> tuple[str, ...]:
    return (
        _("Reference"),
        _("Pillar"),
        _("Finding"),
        _("Action"),
        _("Owner"),
        _("Due date"),
        _("Status"),
        _("Overdue"),
        _("Why dropped"),
        _("Note"),
    )


def _rows(assessment: Assessment) -> list[tuple[Cell, ...]]:
    today = timezone.localdate()
    return [
        (
            _text(action.question.code),
            _text(action.question.pillar.in_language().name),
            _text(action.question.in_language().text),
            _text(action.title),
            _text(action.owner_label),
            action.due_on.isoformat() if action.due_on else "",
            _text(action.get_status_display()),
            _("yes") if action.is_overdue(today) else "",
            _text(action.dropped_reason),
            _text(action.note),
        )
        for action in assessment.actions.for_plan()
    ]


def action_plan_csv(assessment: Assessment) -> Export:
    return Export(
        _filename(assessment, "csv", "action-plan"), CSV, _csv([_header(), *_rows(assessment)])
    )


def action_plan_xlsx(assessment: Assessment) -> Export:
    from openpyxl.worksheet.datavalidation import DataValidation

    book = _Workbook()
    rows = _rows(assessment)
    book.table(_("Action plan"), _header(), rows, widths=WIDTHS)
    sheet = book.book.active
    statuses = ",".join(str(label) for _value, label in Action.Status.choices)
    choice = DataValidation(type="list", formula1=f'"{statuses}"', allow_blank=False)
    choice.add(f"G2:G{max(len(rows), 1) + 200}")  # room for rows added by hand
    sheet.add_data_validation(choice)
    metadata = metadata_for(assessment, None, subject=_("Action plan"))
    content = stamp(book.save(), metadata)
    return Export(_filename(assessment, "xlsx", "action-plan"), XLSX, content)
