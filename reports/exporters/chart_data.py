"""Chart data for the deck whose embedded workbook never holds a formula.

A native PowerPoint chart keeps its figures in a small workbook inside the file, which
PowerPoint opens for "Edit data". python-pptx writes it with XlsxWriter, which by default
turns any string that starts with "=" into a formula: a previous assessment titled
"=HYPERLINK(…)" would become a live formula there. Here every text goes in as a string,
neutralised like every other spreadsheet we write; the labels on the slide itself (the
chart's own cache) keep the text as it was typed.

Imported only when a deck is made, like python-pptx itself.
"""

from contextlib import contextmanager

from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from xlsxwriter import Workbook

from .base import neutralise


class _NeutralisingSheet:
    """An XlsxWriter worksheet whose `write` neutralises text; everything else passes through."""

    def __init__(self, sheet):
        self._sheet = sheet

    def write(self, row, col, value, *args):
        return self._sheet.write(row, col, _safe(value), *args)

    def write_column(self, row, col, values, *args):
        return self._sheet.write_column(row, col, [_safe(value) for value in values], *args)

    def __getattr__(self, name):
        return getattr(self._sheet, name)


def _safe(value):
    return neutralise(value) if isinstance(value, str) else value


class _SafeWorkbookWriter(CategoryWorkbookWriter):
    @contextmanager
    def _open_worksheet(self, xlsx_file):
        workbook = Workbook(
            xlsx_file, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        )
        worksheet = workbook.add_worksheet()
        yield workbook, _NeutralisingSheet(worksheet)
        workbook.close()


class SafeCategoryChartData(CategoryChartData):
    """`CategoryChartData` whose embedded workbook holds text as neutralised strings."""

    @property
    def _workbook_writer(self):
        return _SafeWorkbookWriter(self)
