from django.conf import settings
from django.core.management.base import BaseCommand

from assessments.services import purge_personal_data


class Command(BaseCommand):
    help = (
        "Remove respondents' e-mail addresses and names from assessments closed for longer "
        "than PERSONAL_DATA_RETENTION_DAYS. Run it daily from a scheduler."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.PERSONAL_DATA_RETENTION_DAYS,
            help="Retention period in days (default: PERSONAL_DATA_RETENTION_DAYS).",
        )

    def handle(self, *args, days, **options):
        purged = purge_personal_data(retention_days=days)
        self.stdout.write(f"Removed the contact details of {purged} respondent(s).")
