"""Rebuild what the lists read, after a deploy or a migration: `rebuild_headlines`."""

from django.core.management.base import BaseCommand

from assessments.results import entries, headlines


class Command(BaseCommand):
    help = (
        "Score again the live headlines whose responses or scoring code changed, store the "
        "headline of every publication without one, and work out every organisation's "
        "portfolio entries, so that no page builds them on a request."
    )

    def handle(self, *args, **options):
        live, published = headlines.rebuild()
        organisations = entries.refresh_all()
        self.stdout.write(
            f"{live} live headlines scored, {published} published headlines stored, "
            f"{organisations} organisations' portfolio entries worked out."
        )
