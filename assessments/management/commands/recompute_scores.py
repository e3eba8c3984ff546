from django.core.management.base import BaseCommand

from assessments.models import Assessment
from assessments.services import recompute_scores


class Command(BaseCommand):
    help = "Recompute the stored per-pillar figures of every submitted response."

    def handle(self, *args, **options):
        assessments = Assessment.objects.select_related("questionnaire").order_by("pk")
        total = sum(recompute_scores(assessment=assessment) for assessment in assessments)
        self.stdout.write(
            self.style.SUCCESS(
                f"Recomputed {total} responses in {assessments.count()} assessments."
            )
        )
