from django.core.management.base import BaseCommand, CommandError

from assessments.questionnaire_files import QuestionnaireFileError, load_file


class Command(BaseCommand):
    help = "Validate a questionnaire file (YAML or JSON) and load it into the database."

    def add_arguments(self, parser):
        parser.add_argument("path", help="e.g. assessments/questionnaires/genai-readiness-v1.yaml")

    def handle(self, *args, path, **options):
        try:
            result = load_file(path)
        except QuestionnaireFileError as error:
            raise CommandError(
                f"{path} was not loaded; nothing changed.\n  " + "\n  ".join(error.problems)
            ) from error
        questionnaire = result.questionnaire
        counts = (
            f"{questionnaire.pillars.count()} pillars, {questionnaire.questions.count()} questions"
        )
        if result.created:
            message = f"Loaded {questionnaire} ({counts})."
        elif result.changed:
            message = f"Updated {questionnaire} ({counts})."
        else:
            message = f"{questionnaire} is already up to date ({counts})."
        self.stdout.write(self.style.SUCCESS(message))
