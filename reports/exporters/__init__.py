"""Downloads: each is a function returning `(filename, content_type, bytes)`, or None while
there is nothing to put in it. Views and commands only send or save what these return.

- `pdf`: the PDF report (published, or the consultant's live draft), stored by fingerprint;
- `tables`: figures and raw answers as CSV and XLSX;
- `word` and `deck`: the report as a Word document and the summary as a PowerPoint deck
  (what they share is in `documents`, Word's native charts in `word_charts`);
- `metadata` and `thumbnail`: what each Office file says about itself, and its thumbnail.
"""

from .base import Export, export_filename, neutralise
from .deck import report_pptx
from .pdf import (
    PDF,
    PDF_BASE_URL,
    PDF_STYLESHEET,
    PDF_TEMPLATE,
    _static_fetcher,
    charts_as_images,
    draft_report_pdf,
    published_report_job,
    published_report_pdf,
    render_pdf,
    report_filename,
)
from .tables import (
    published_figures_csv,
    published_figures_xlsx,
    raw_answers_csv,
    raw_answers_xlsx,
)
from .word import report_docx

__all__ = [
    "PDF",
    "PDF_BASE_URL",
    "PDF_STYLESHEET",
    "PDF_TEMPLATE",
    "Export",
    "_static_fetcher",
    "charts_as_images",
    "draft_report_pdf",
    "export_filename",
    "neutralise",
    "published_figures_csv",
    "published_figures_xlsx",
    "published_report_job",
    "published_report_pdf",
    "raw_answers_csv",
    "raw_answers_xlsx",
    "render_pdf",
    "report_docx",
    "report_filename",
    "report_pptx",
]
