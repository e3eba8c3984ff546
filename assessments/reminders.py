"""Reminders: one to each respondent who has not submitted, shortly before the closing date,
and a weekly list of overdue actions to each owner with a login.

`send_due_reminders` (a task, enqueued daily by `manage.py send_reminders`) sends what is
due. Running it twice a day sends nothing twice: a reminder is marked on its response, and a
digest recorded for its week, before the mail is queued. Both mails are optional: each
carries a link that turns its kind off for its receiver (`accounts.opt_out`).

The reminder cannot carry the personal link: it is stored hashed, and a new one would stop
the respondent's open tab. So it says when the link was sent and whom to ask for a new one,
and nothing about answers: a mailbox may be read by someone else.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import groupby

from django.conf import settings
from django.db.models import Exists, Max, OuterRef
from django.db.models.functions import Coalesce
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from accounts.mail import send_templated_mail
from accounts.models import Membership, OptionalMail, User
from accounts.opt_out import has_opted_out

from .models import MAX_REMINDER_DAYS_BEFORE, Action, Assessment, OverdueDigest, Response

# Respondent reminders


def reminder_is_due(assessment: Assessment, today: date) -> bool:
    """Open, reminding, and `today` in the last `reminder_days_before` days before it closes
    (the closing day included)."""
    return (
        assessment.status == Assessment.Status.OPEN
        and assessment.send_reminder
        and assessment.closes_on is not None
        and assessment.closes_on - timedelta(days=assessment.reminder_days_before)
        <= today
        <= assessment.closes_on
    )


def responses_to_remind(assessment: Assessment, today: date):
    """Respondents of the assessment not yet reminded who have neither submitted nor lost
    their link, with an address, and whose link went out before today (nobody gets an
    invitation and a reminder on one day). `link_sent_at` is when the latest link went out:
    a link sent again replaces the first."""
    start_of_today = timezone.make_aware(datetime.combine(today, time.min))
    return (
        assessment.responses.filter(
            submitted_at__isnull=True, revoked_at__isnull=True, reminded_at__isnull=True
        )
        .filter(contact__email__gt="")
        .select_related("contact")
        .annotate(link_sent_at=Coalesce(Max("replaced_links__replaced_at"), "invited_at"))
        .filter(link_sent_at__lt=start_of_today)
    )


def send_respondent_reminders(*, today: date) -> int:
    """Remind every respondent due a reminder today; returns how many were sent."""
    candidates = Assessment.objects.filter(
        status=Assessment.Status.OPEN,
        send_reminder=True,
        closes_on__range=(today, today + timedelta(days=MAX_REMINDER_DAYS_BEFORE)),
    ).select_related("organisation", "created_by")
    sent = 0
    for assessment in candidates:
        if not reminder_is_due(assessment, today):
            continue
        consultant = assessment.contact
        for response in responses_to_remind(assessment, today):
            if has_opted_out(OptionalMail.RESPONDENT_REMINDER, response.email):
                continue
            # Marked first, only if nobody else did: a second run, even at the same moment,
            # finds it marked and sends nothing.
            claimed = Response.objects.filter(pk=response.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if claimed:
                send_templated_mail(
                    template="assessments/email/reminder",
                    context={
                        "response": response,
                        "assessment": assessment,
                        "organisation": assessment.organisation,
                        "link_sent_on": timezone.localdate(response.link_sent_at),
                    },
                    to=[response.email],
                    sender=consultant,
                    optional=OptionalMail.RESPONDENT_REMINDER,
                    language=assessment.report_language,
                )
                sent += 1
    return sent


# Overdue actions


def week_of(day: date) -> date:
    """The Monday of the ISO week `day` is in."""
    return day - timedelta(days=day.weekday())


def overdue_actions_by_owner(today: date) -> dict[User, list[Action]]:
    """Overdue actions of owners with an active login, of organisations they still belong
    to, for owners who have had no digest this week; each owner's by due date."""
    still_a_member = Membership.objects.filter(
        user=OuterRef("owner"), organisation=OuterRef("assessment__organisation")
    )
    actions = (
        Action.objects.overdue(today)
        .filter(owner__is_active=True)
        .filter(Exists(still_a_member))
        .exclude(owner__overdue_digests__week=week_of(today))
        .select_related("owner", "assessment__organisation")
        .order_by("owner_id", "due_on", "pk")
    )
    return {owner: list(owned) for owner, owned in groupby(actions, key=lambda a: a.owner)}


@dataclass(frozen=True)
class PlanActions:
    """One assessment's overdue actions in a digest, with the address of its plan."""

    assessment: Assessment
    url: str
    actions: list[Action]


def by_plan(actions: list[Action]) -> list[PlanActions]:
    """The actions grouped by their assessment, the group with the oldest due date first."""
    groups: dict[int, list[Action]] = {}
    for action in actions:
        groups.setdefault(action.assessment_id, []).append(action)
    return [
        PlanActions(
            assessment=owned[0].assessment,
            url=settings.SITE_URL
            + reverse(
                "reports:plan",
                args=[owned[0].assessment.organisation.slug, owned[0].assessment_id],
            ),
            actions=owned,
        )
        for owned in groups.values()
    ]


def send_overdue_digests(*, today: date) -> int:
    """Send each owner with overdue actions the week's digest; returns how many were sent."""
    sent = 0
    for owner, actions in overdue_actions_by_owner(today).items():
        if has_opted_out(OptionalMail.OVERDUE_ACTIONS, owner.email):
            continue
        _digest, created = OverdueDigest.objects.get_or_create(
            user=owner, week=week_of(today), defaults={"actions": len(actions)}
        )
        if created:
            send_templated_mail(
                template="assessments/email/overdue_actions",
                context={
                    "owner": owner,
                    "count": len(actions),
                    "plans": by_plan(actions),
                    "today": today,
                },
                to=[owner.email],
                optional=OptionalMail.OVERDUE_ACTIONS,
                language=owner.language or settings.LANGUAGE_CODE,
            )
            sent += 1
    return sent


@task
def send_due_reminders() -> dict[str, int]:
    """Everything due today; enqueued daily by `manage.py send_reminders`."""
    today = timezone.localdate()
    return {
        "respondent_reminders": send_respondent_reminders(today=today),
        "overdue_digests": send_overdue_digests(today=today),
    }
