from django.core.management.base import BaseCommand, CommandError

from assessments.models import Questionnaire
from assessments.questionnaire_files import dump_yaml, export


class Command(BaseCommand):
    help = "Write a questionnaire version back as YAML (to standard output, or --output FILE)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("version", type=int)
        parser.add_argument("--output", "-o", help="file to write instead of standard output")

    def handle(self, *args, slug, version, output, **options):
        questionnaire = Questionnaire.objects.filter(slug=slug, version=version).first()
        if questionnaire is None:
            raise CommandError(f"There is no questionnaire {slug} version {version}.")
        text = dump_yaml(export(questionnaire))
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text)
            self.stderr.write(f"Wrote {output}.")
        else:
            self.stdout.write(text, ending="")
