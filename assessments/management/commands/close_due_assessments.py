from django.core.management.base import BaseCommand

from assessments.services import close_due_assessments


class Command(BaseCommand):
    help = (
        "Close open assessments whose closing date has passed and publish their final results. "
        "Pages do this as they are opened; run this daily from a scheduler as well."
    )

    def handle(self, *args, **options):
        closed = close_due_assessments()
        self.stdout.write(f"Closed {closed} assessment(s).")
