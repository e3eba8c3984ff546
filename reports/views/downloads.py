"""Downloads of one assessment: the PDF report, the figures and raw answers as spreadsheets,
and the report as Word and PowerPoint files to finish and present.

Each view asks an exporter for `(filename, content_type, bytes)` and only sends it. What is
in the file follows the one rule of who sees what (`assessments.access`): client managers
download the latest published results only; consultants may also download their live
figures, marked as a draft, and the raw answers under pseudonyms. Every download is written
to the audit log, without any personal data.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _

from accounts import audit
from accounts.access import CONSULTANTS, RESULT_READERS
from accounts.models import AuditEvent
from assessments.access import assessment_view

from .. import exporters
from .common import no_results, send


def _download(
    request,
    access,
    assessment,
    make: Callable[[], exporters.Export | None],
    *,
    title: str,
    file_format: str,
    kind: str,
):
    export = make()
    if export is None:
        return no_results(request, access, assessment, title=title)
    audit.record(
        AuditEvent.Action.EXPORTED,
        actor=request.user,
        organisation=access.organisation,
        subject=assessment,
        format=file_format,
        kind=kind,
    )
    return send(export)


# Published results: what the client's management hands on, for everyone who reads results.


@assessment_view(roles=RESULT_READERS)
def report_pdf(request, access, assessment):
    """The PDF of the published results: what the client's management hands to its board."""
    return _download(
        request,
        access,
        assessment,
        lambda: exporters.published_report_pdf(assessment),
        title=_("PDF report"),
        file_format="pdf",
        kind="published report",
    )


@assessment_view(roles=RESULT_READERS)
def report_docx(request, access, assessment):
    return _download(
        request,
        access,
        assessment,
        lambda: exporters.report_docx(assessment, draft=False),
        title=_("Word report"),
        file_format="docx",
        kind="published report",
    )


@assessment_view(roles=RESULT_READERS)
def report_pptx(request, access, assessment):
    return _download(
        request,
        access,
        assessment,
        lambda: exporters.report_pptx(assessment, draft=False),
        title=_("PowerPoint summary"),
        file_format="pptx",
        kind="published summary",
    )


@assessment_view(roles=RESULT_READERS)
def figures_csv(request, access, assessment):
    return _download(
        request,
        access,
        assessment,
        lambda: exporters.published_figures_csv(assessment),
        title=_("Published figures"),
        file_format="csv",
        kind="published figures",
    )


@assessment_view(roles=RESULT_READERS)
def figures_xlsx(request, access, assessment):
    return _download(
        request,
        access,
        assessment,
        lambda: exporters.published_figures_xlsx(assessment),
        title=_("Published figures"),
        file_format="xlsx",
        kind="published figures",
    )


# Live figures and raw answers: for consultants only.


@assessment_view(roles=CONSULTANTS)
def draft_pdf(request, access, assessment):
    """The PDF of the live figures, marked as a draft on every page."""
    return _download(
        request,
        access,
        assessment,
        lambda: exporters.draft_report_pdf(assessment),
        title=_("Draft PDF report"),
        file_format="pdf",
        kind="draft report",
    )


@assessment_view(roles=CONSULTANTS)
def draft_docx(request, access, assessment):
    return _download(
        request,
        access,
        assessment,
        lambda: exporters.report_docx(assessment, draft=True),
        title=_("Draft Word report"),
        file_format="docx",
        kind="draft report",
    )


@assessment_view(roles=CONSULTANTS)
def draft_pptx(request, access, assessment):
    return _download(
        request,
        access,
        assessment,
        lambda: exporters.report_pptx(assessment, draft=True),
        title=_("Draft PowerPoint summary"),
        file_format="pptx",
        kind="draft summary",
    )


@assessment_view(roles=CONSULTANTS)
def answers_csv(request, access, assessment):
    return _download(
        request,
        access,
        assessment,
        lambda: exporters.raw_answers_csv(assessment),
        title=_("Raw answers"),
        file_format="csv",
        kind="raw answers",
    )


@assessment_view(roles=CONSULTANTS)
def answers_xlsx(request, access, assessment):
    return _download(
        request,
        access,
        assessment,
        lambda: exporters.raw_answers_xlsx(assessment),
        title=_("Raw answers"),
        file_format="xlsx",
        kind="raw answers",
    )
