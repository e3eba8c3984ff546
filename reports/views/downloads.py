"""Downloads of one assessment: the PDF report, the figures and raw answers as spreadsheets,
and the report as Word and PowerPoint files to finish and present.

Each view asks an exporter for `(filename, content_type, bytes)` and only sends it. What is
in the file follows the one rule of who sees what (`assessments.access`): client managers
download the latest published results only; consultants may also download their live
figures, marked as a draft, and the raw answers under pseudonyms. Every download is written
to the audit log, without any personal data.
"""

from collections.abc import Callable
from functools import partial

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts import audit
from accounts.access import CONSULTANTS, RESULT_READERS
from accounts.models import AuditEvent
from assessments.access import assessment_view
from assessments.models import Assessment

from .. import exporters, tasks
from ..exporters import plan as plan_exports
from .common import no_results, preparing, send


def download(
    make: Callable[[Assessment], exporters.Export | None],
    *,
    roles,
    title: str,
    file_format: str,
    kind: str,
):
    """A view that sends what `make` exports of the assessment, or a page saying that there
    is nothing to export yet; `kind` and `file_format` go to the audit log."""

    @assessment_view(roles=roles)
    def view(request, access, assessment):
        with translation.override(assessment.report_language):
            export = make(assessment)
        if export is None:
            return no_results(request, access, assessment, title=title)
        return _exported(request, access, assessment, export, file_format=file_format, kind=kind)

    return view


def _exported(request, access, assessment, export, *, file_format: str, kind: str):
    """Send the file, and write to the audit log who downloaded what."""
    audit.record(
        AuditEvent.Action.EXPORTED,
        actor=request.user,
        organisation=access.organisation,
        subject=assessment,
        format=file_format,
        kind=kind,
    )
    return send(export)


@assessment_view(roles=RESULT_READERS)
def report_pdf(request, access, assessment):
    """The published PDF as the task worker stored it after the publication; if it is not
    there yet (still rendering, or new shared comments), a page that says so and looks again
    in a few seconds, never a request that waits for the render."""
    with translation.override(assessment.report_language):
        job = exporters.published_report_job(assessment)
        export = job.stored() if job else None
    if job is None:
        return no_results(request, access, assessment, title=_("PDF report"))
    if export is None:
        # A repeat task finds the PDF stored and does nothing. With the immediate backend
        # (development, tests) the PDF is there when `enqueue` returns.
        tasks.prepare_published_report.enqueue(assessment_id=assessment.pk)
        with translation.override(assessment.report_language):
            export = job.stored()
    if export is None:
        return preparing(request, access, assessment, title=_("PDF report"))
    return _exported(
        request, access, assessment, export, file_format="pdf", kind="published report"
    )


# Published results: what the client's management hands on, for everyone who reads results.
published = partial(download, roles=RESULT_READERS)
report_docx = published(
    partial(exporters.report_docx, draft=False),
    title=_("Word report"),
    file_format="docx",
    kind="published report",
)
report_pptx = published(
    partial(exporters.report_pptx, draft=False),
    title=_("PowerPoint summary"),
    file_format="pptx",
    kind="published summary",
)
figures_csv = published(
    exporters.published_figures_csv,
    title=_("Published figures"),
    file_format="csv",
    kind="published figures",
)
figures_xlsx = published(
    exporters.published_figures_xlsx,
    title=_("Published figures"),
    file_format="xlsx",
    kind="published figures",
)

# Live figures, marked as a draft, and raw answers: for consultants only.
consultants_only = partial(download, roles=CONSULTANTS)
draft_pdf = consultants_only(
    exporters.draft_report_pdf,
    title=_("Draft PDF report"),
    file_format="pdf",
    kind="draft report",
)
draft_docx = consultants_only(
    partial(exporters.report_docx, draft=True),
    title=_("Draft Word report"),
    file_format="docx",
    kind="draft report",
)
draft_pptx = consultants_only(
    partial(exporters.report_pptx, draft=True),
    title=_("Draft PowerPoint summary"),
    file_format="pptx",
    kind="draft summary",
)
answers_csv = consultants_only(
    exporters.raw_answers_csv,
    title=_("Raw answers"),
    file_format="csv",
    kind="raw answers",
)
answers_xlsx = consultants_only(
    exporters.raw_answers_xlsx,
    title=_("Raw answers"),
    file_format="xlsx",
    kind="raw answers",
)

# The client's action plan, for the people who keep it.
plan_csv = published(
    plan_exports.action_plan_csv, title=_("Action plan"), file_format="csv", kind="action plan"
)
plan_xlsx = published(
    plan_exports.action_plan_xlsx, title=_("Action plan"), file_format="xlsx", kind="action plan"
)
