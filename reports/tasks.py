"""Work done for the reports outside a request, by the task worker (`manage.py db_worker`)."""

from django.tasks import task
from django.utils import translation

from assessments.models import Assessment

from . import exporters


@task
def prepare_published_report(*, assessment_id: int) -> None:
    """Render and store the PDF of the assessment's latest published results, so that the
    first download after a publication is a read.

    Nothing to do if it is stored already (a repeat task is cheap), or if the assessment
    was deleted since.
    """
    assessment = (
        Assessment.objects.with_progress()
        .select_related("organisation", "questionnaire", "created_by")
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None:
        return
    # The PDF's words and its fingerprint follow the assessment's report language.
    with translation.override(assessment.report_language):
        exporters.published_report_pdf(assessment)
