from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessments.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create demo organisations, logins and answered assessments (idempotent)."

    def handle(self, *args, **options):
        # The demo has a known superuser password and a fixed respondent link.
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates logins with a published password and is for development "
                "only: it runs with DEBUG=1, never against a production database."
            )
        summary = seed_demo()
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Demo logins:"))
        for login in summary.logins:
            self.stdout.write(f"  {login.email:<30} {DEMO_PASSWORD}   {login.role}")
        self.stdout.write(
            f"Demo respondent link (no password): {settings.SITE_URL}{summary.respondent_path}"
        )
