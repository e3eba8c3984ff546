from django.core.management.base import BaseCommand, CommandError
from django.tasks import TaskResultStatus

from assessments.reminders import send_due_reminders


class Command(BaseCommand):
    help = (
        "Queue today's reminders: one to each respondent who has not submitted, a set number "
        "of days before the closing date, and the weekly list of overdue actions to their "
        "owners. Run it daily from a scheduler; a second run the same day sends nothing again."
    )

    def handle(self, *args, **options):
        result = send_due_reminders.enqueue()
        if result.status == TaskResultStatus.FAILED:  # a backend that runs tasks at once
            raise CommandError(f"Sending the reminders failed: {result.errors[-1].traceback}")
        if result.is_finished:
            sent = result.return_value
            self.stdout.write(
                f"Sent {sent['respondent_reminders']} reminder(s) to respondents and "
                f"{sent['overdue_digests']} list(s) of overdue actions."
            )
        else:
            self.stdout.write(f"Queued the reminders (task {result.id}); the worker sends them.")
