from django.core.management.base import BaseCommand

from assessments.results.benchmark import release_benchmark


class Command(BaseCommand):
    help = (
        "Make a new benchmark release from the organisations' closing publications, if one "
        "is due: a day after the last, and with at least three new organisations. Closing an "
        "assessment tries too; run this daily from a scheduler as well."
    )

    def handle(self, *args, **options):
        release = release_benchmark()
        if release is None:
            self.stdout.write("No release due.")
        else:
            self.stdout.write(f"Released a benchmark of {release.organisations} organisations.")
