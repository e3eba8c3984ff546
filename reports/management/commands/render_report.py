from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from assessments.models import Assessment
from reports import exporters

# The organisation `seed_demo` creates; --demo renders its open assessment.
DEMO_ORGANISATION = "acme-insurance"

# Each format's exporters: (published, live draft).
FORMATS = {
    "pdf": (exporters.published_report_pdf, exporters.draft_report_pdf),
    "docx": (exporters.report_docx, partial(exporters.report_docx, draft=True)),
    "pptx": (exporters.report_pptx, partial(exporters.report_pptx, draft=True)),
}


class Command(BaseCommand):
    help = (
        "Render an assessment's report (PDF, or the Word document or PowerPoint deck with "
        "--format): the latest published results, or with --draft the live figures marked as "
        "a draft."
    )

    def add_arguments(self, parser):
        parser.add_argument("assessment", nargs="?", type=int, help="the assessment's id")
        parser.add_argument(
            "--demo", action="store_true", help="the demo organisation's open assessment"
        )
        parser.add_argument("--draft", action="store_true", help="the live figures, as a draft")
        parser.add_argument(
            "--format", choices=sorted(FORMATS), default="pdf", help="file format (default: pdf)"
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="the report's language (default: the assessment's report language)",
        )
        parser.add_argument(
            "-o", "--output", help="file to write (default: the report's own file name)"
        )

    def handle(self, *args, assessment=None, demo=False, draft=False, output=None, **options):
        found = self._assessment(assessment, demo=demo)
        published, live = FORMATS[options["format"]]
        with translation.override(options["language"] or found.report_language):
            export = live(found) if draft else published(found)
        if export is None:
            if draft:
                raise CommandError(f"“{found.title}” has no submitted response yet.")
            raise CommandError(
                f"Nothing of “{found.title}” is published yet. Publish its results first, "
                "or render the live figures with --draft."
            )
        path = Path(output or export.filename)
        path.write_bytes(export.content)
        self.stdout.write(f"{path} ({len(export.content) // 1024} KB, {export.filename})")

    def _assessment(self, pk: int | None, *, demo: bool) -> Assessment:
        assessments = Assessment.objects.with_progress().select_related(
            "organisation", "questionnaire", "created_by"
        )
        if demo == (pk is not None):
            raise CommandError("Give an assessment id, or --demo.")
        if demo:
            found = assessments.filter(
                organisation__slug=DEMO_ORGANISATION, status=Assessment.Status.OPEN
            ).first()
            if found is None:
                raise CommandError("There is no demo data: run `python manage.py seed_demo` first.")
            return found
        try:
            return assessments.get(pk=pk)
        except Assessment.DoesNotExist:
            raise CommandError(f"There is no assessment with id {pk}.") from None
