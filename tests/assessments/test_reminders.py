"""Reminders to respondents before the closing date, and the weekly list of overdue actions."""

from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Membership, OptionalMail, Role
from accounts.opt_out import address_hash, opt_out
from assessments import reminders
from assessments.models import Action, Assessment, OverdueDigest, ReplacedLink
from tests.factories import ActionFactory, AssessmentFactory, MembershipFactory, ResponseFactory
from tests.mails import html_of

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 12, 7)
DANA = "dana@example.org"


def moment(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture(autouse=True)
def mail_settings(settings):
    settings.SITE_URL = "https://readiness.example.com"
    settings.CONSULTANCY_NAME = "Initrode Consulting"


@pytest.fixture
def alice(consultant):
    consultant.name = "Alice Smith"
    consultant.save()
    return consultant


@pytest.fixture
def closing(open_assessment, alice):
    """Open, closing three days after MONDAY, reminding three days before (the default)."""
    open_assessment.closes_on = MONDAY + timedelta(days=3)
    open_assessment.created_by = alice
    open_assessment.save()
    return open_assessment


def invite(assessment, sent=MONDAY - timedelta(days=10), **fields):
    fields = {"email": DANA, "name": "Dana Scully", **fields}
    return ResponseFactory(assessment=assessment, invited_at=moment(sent), **fields)


def remind(today=MONDAY) -> int:
    return reminders.send_respondent_reminders(today=today)


# Respondents: when


@pytest.mark.parametrize(
    ("closes_in", "reminded"),
    [(4, False), (3, True), (1, True), (0, True), (-1, False)],
    ids=["too-early", "first-day", "day-before", "closing-day", "past-closing-day"],
)
def test_a_respondent_is_reminded_within_the_days_before_closing(
    mailoutbox, closing, closes_in, reminded
):
    closing.closes_on = MONDAY + timedelta(days=closes_in)
    closing.save()
    invite(closing)

    assert remind() == int(reminded)
    assert [message.to for message in mailoutbox] == ([[DANA]] if reminded else [])


def test_the_consultant_sets_how_many_days_before(mailoutbox, closing):
    closing.reminder_days_before = 7
    closing.closes_on = MONDAY + timedelta(days=8)
    closing.save()
    invite(closing)

    assert remind() == 0
    assert remind(MONDAY + timedelta(days=1)) == 1


def test_a_respondent_is_reminded_once_only(mailoutbox, closing):
    response = invite(closing)

    sent = [remind(), remind(), remind(MONDAY + timedelta(days=1))]

    assert sent == [1, 0, 0]
    assert len(mailoutbox) == 1
    response.refresh_from_db()
    assert response.reminded_at is not None


def test_no_reminder_when_the_consultant_turned_it_off(mailoutbox, closing):
    closing.send_reminder = False
    closing.save()
    invite(closing)

    assert remind() == 0
    assert mailoutbox == []


@pytest.mark.parametrize("status", [Assessment.Status.DRAFT, Assessment.Status.CLOSED])
def test_no_reminder_unless_the_assessment_is_open(mailoutbox, closing, status):
    closing.status = status
    closing.save()
    invite(closing)

    assert remind() == 0


def test_no_reminder_without_a_closing_date(mailoutbox, closing):
    closing.closes_on = None
    closing.save()
    invite(closing)

    assert remind() == 0


@pytest.mark.parametrize(
    "fields",
    [
        {"submitted_at": moment(MONDAY - timedelta(days=2))},
        {"revoked_at": moment(MONDAY - timedelta(days=2))},
        {"email": "", "name": ""},  # a workshop participant's, or one whose address was erased
    ],
    ids=["submitted", "link-revoked", "no-address"],
)
def test_who_submitted_lost_their_link_or_has_no_address_is_not_reminded(
    mailoutbox, closing, fields
):
    invite(closing, **fields)

    assert remind() == 0
    assert mailoutbox == []


def test_nobody_gets_an_invitation_and_a_reminder_on_one_day(mailoutbox, closing):
    invite(closing, sent=MONDAY)

    assert remind() == 0
    assert remind(MONDAY + timedelta(days=1)) == 1


def test_who_turned_reminders_off_is_not_reminded_nor_marked(mailoutbox, closing):
    response = invite(closing)
    opt_out(kind=OptionalMail.RESPONDENT_REMINDER, hashed_address=address_hash("Dana@Example.org"))

    assert remind() == 0
    response.refresh_from_db()
    assert response.reminded_at is None


def test_turning_off_the_overdue_list_leaves_reminders_on(mailoutbox, closing):
    invite(closing)
    opt_out(kind=OptionalMail.OVERDUE_ACTIONS, hashed_address=address_hash(DANA))

    assert remind() == 1


# Respondents: what the reminder says


@pytest.fixture
def reminder(mailoutbox, closing):
    invite(closing, sent=date(2026, 11, 20))
    remind()
    [message] = mailoutbox
    return message


def test_the_reminder_comes_from_the_consultant_who_runs_it_and_replies_reach_them(reminder):
    assert reminder.from_email.startswith('"Alice Smith, Initrode Consulting via GenAI Readiness"')
    assert reminder.reply_to == ["Alice Smith <alice@example.org>"]


def test_the_reminder_says_when_it_closes_and_when_the_link_was_sent(reminder):
    assert reminder.subject == (
        "Reminder: the GenAI readiness assessment for Acme Insurance closes on 10 December"
    )
    assert "Hello Dana Scully," in reminder.body
    assert "closes at the end of Thursday 10 December 2026" in reminder.body
    assert "sent to you on 20 November 2026" in reminder.body
    assert "“GenAI readiness assessment for Acme Insurance”" in reminder.body
    assert "Reply to this e-mail to ask Alice Smith for a new link." in reminder.body


def test_the_reminder_carries_no_link_to_the_answers_and_says_nothing_about_them(reminder):
    html = html_of(reminder)
    text = reminder.body + " ".join(html.blocks)

    assert "/r/" not in text
    assert "answer" not in text.lower()
    assert all("/mail/stop/" in href for href in html.hrefs)


def test_a_link_sent_again_is_the_one_the_reminder_dates(mailoutbox, closing):
    response = invite(closing, sent=date(2026, 11, 20))
    ReplacedLink.objects.create(
        response=response, token_hash="0" * 64, replaced_at=moment(date(2026, 11, 27))
    )

    remind()

    assert "sent to you on 27 November 2026" in mailoutbox[0].body


def test_the_reminder_offers_its_opt_out_in_the_text_the_html_and_the_headers(reminder):
    url = reminder.extra_headers["List-Unsubscribe"].strip("<>")

    assert url.startswith("https://readiness.example.com/mail/stop/")
    assert reminder.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in reminder.body
    assert html_of(reminder).hrefs == [url]
    assert DANA not in url


def test_the_headers_travel_in_the_message_sent(reminder):
    sent = reminder.message()

    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert sent["List-Unsubscribe"].startswith("<https://readiness.example.com/mail/stop/")


# Overdue actions


@pytest.fixture
def bob(manager):
    manager.name = "Bob Jones"
    manager.save()
    return manager


def overdue(owner, assessment, due=MONDAY - timedelta(days=1), **fields):
    return ActionFactory(assessment=assessment, owner=owner, due_on=due, **fields)


def digest(today=MONDAY) -> int:
    return reminders.send_overdue_digests(today=today)


def test_an_owner_gets_their_overdue_actions_with_organisation_assessment_and_plan(
    mailoutbox, bob, open_assessment
):
    overdue(bob, open_assessment, title="Name an owner for each data source")

    assert digest() == 1
    [message] = mailoutbox
    plan = f"https://readiness.example.com/o/acme/assessments/{open_assessment.pk}/plan/"
    assert message.to == ["bob@example.org"]
    assert message.subject == "One of your actions is overdue: GenAI readiness plan"
    assert "Acme Insurance · Spring check" in message.body
    assert "- Name an owner for each data source (due 6 December 2026, Open)" in message.body
    assert plan in message.body
    assert plan in html_of(message).hrefs


def test_only_actions_past_their_due_date_and_still_to_do_are_listed(
    mailoutbox, bob, open_assessment, small_questionnaire
):
    questions = list(small_questionnaire.questions.order_by("order"))
    overdue(bob, open_assessment, question=questions[0], title="Late")
    overdue(bob, open_assessment, question=questions[1], title="Due today", due=MONDAY)
    overdue(bob, open_assessment, question=questions[2], title="Done", status=Action.Status.DONE)
    overdue(bob, open_assessment, question=questions[3], title="No date", due=None)
    overdue(
        bob,
        open_assessment,
        question=questions[4],
        title="Dropped",
        status=Action.Status.DROPPED,
        dropped_reason="Out of scope",
    )

    digest()

    [message] = mailoutbox
    listed = [line for line in message.body.splitlines() if line.startswith("- ")]
    assert listed == ["- Late (due 6 December 2026, Open)"]


def test_nobody_without_overdue_actions_gets_a_list(mailoutbox, bob, open_assessment):
    overdue(bob, open_assessment, due=MONDAY + timedelta(days=1))

    assert digest() == 0
    assert mailoutbox == []


def test_an_owner_named_without_a_login_gets_nothing(mailoutbox, open_assessment):
    overdue(None, open_assessment, owner_name="Erin from legal")

    assert digest() == 0


def test_an_owner_whose_login_was_disabled_gets_nothing(mailoutbox, bob, open_assessment):
    overdue(bob, open_assessment)
    bob.is_active = False
    bob.save()

    assert digest() == 0


def test_one_list_covers_every_organisation_the_owner_still_belongs_to(
    mailoutbox, bob, open_assessment, other_organisation
):
    MembershipFactory(user=bob, organisation=other_organisation, role=Role.MANAGER)
    globex = AssessmentFactory(organisation=other_organisation, title="Globex check")
    overdue(bob, open_assessment, title="Acme's", due=MONDAY - timedelta(days=3))
    overdue(bob, globex, title="Globex's", due=MONDAY - timedelta(days=20))

    assert digest() == 1
    body = mailoutbox[0].body
    assert mailoutbox[0].subject == "2 of your actions are overdue: GenAI readiness plan"
    assert body.index("Globex Retail · Globex check") < body.index("Acme Insurance · Spring check")


def test_actions_of_an_organisation_the_owner_left_are_not_listed(
    mailoutbox, bob, open_assessment, other_organisation
):
    MembershipFactory(user=bob, organisation=other_organisation, role=Role.MANAGER)
    globex = AssessmentFactory(organisation=other_organisation, title="Globex check")
    overdue(bob, open_assessment, title="Acme's")
    overdue(bob, globex, title="Globex's")
    Membership.objects.filter(user=bob, organisation=other_organisation).delete()

    digest()

    assert "Globex" not in mailoutbox[0].body
    assert "Acme's" in mailoutbox[0].body


def test_an_owner_who_left_every_organisation_gets_nothing(mailoutbox, bob, open_assessment):
    overdue(bob, open_assessment)
    Membership.objects.filter(user=bob).delete()

    assert digest() == 0


def test_the_list_goes_out_once_per_iso_week(mailoutbox, bob, open_assessment):
    overdue(bob, open_assessment)

    sent = [digest(MONDAY + timedelta(days=day)) for day in range(8)]

    assert sent == [1, 0, 0, 0, 0, 0, 0, 1]
    assert list(OverdueDigest.objects.values_list("week", "actions")) == [
        (MONDAY, 1),
        (MONDAY + timedelta(days=7), 1),
    ]


def test_who_turned_the_list_off_gets_none_and_none_is_recorded(mailoutbox, bob, open_assessment):
    overdue(bob, open_assessment)
    opt_out(kind=OptionalMail.OVERDUE_ACTIONS, hashed_address=address_hash("bob@example.org"))

    assert digest() == 0
    assert not OverdueDigest.objects.exists()


def test_the_list_offers_its_opt_out_in_the_headers(mailoutbox, bob, open_assessment):
    overdue(bob, open_assessment)

    digest()

    [message] = mailoutbox
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url in message.body
    assert url in html_of(message).hrefs


# The daily command


def test_the_command_sends_what_is_due_today_and_nothing_twice(mailoutbox, closing, bob):
    today = timezone.localdate()
    closing.closes_on = today + timedelta(days=2)
    closing.save()
    invite(closing, sent=today - timedelta(days=5))
    overdue(bob, closing, due=today - timedelta(days=1))
    first, second = StringIO(), StringIO()

    call_command("send_reminders", stdout=first)
    call_command("send_reminders", stdout=second)

    assert first.getvalue().strip() == (
        "Sent 1 reminder(s) to respondents and 1 list(s) of overdue actions."
    )
    assert second.getvalue().strip() == (
        "Sent 0 reminder(s) to respondents and 0 list(s) of overdue actions."
    )
    assert sorted(message.to[0] for message in mailoutbox) == ["bob@example.org", DANA]


def test_the_command_queues_the_task_for_the_worker(settings, closing):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    output = StringIO()

    call_command("send_reminders", stdout=output)

    assert output.getvalue().startswith("Queued the reminders (task ")


# The consultant's form


def test_the_consultant_turns_the_reminder_off_and_sets_its_days(
    consultant_client, closing, small_questionnaire
):
    form = {
        "title": closing.title,
        "questionnaire": small_questionnaire.pk,
        "closes_on": "2031-03-14",
        "anonymity_threshold": "5",
        "reminder_days_before": "7",
    }

    page = consultant_client.post(f"/o/acme/assessments/{closing.pk}/edit/", form)

    assert page.status_code == 302
    closing.refresh_from_db()
    assert (closing.send_reminder, closing.reminder_days_before) == (False, 7)


@pytest.mark.parametrize("days", ["0", "31", ""])
def test_reminder_days_outside_one_to_thirty_are_a_form_error(
    consultant_client, closing, small_questionnaire, days
):
    form = {
        "title": closing.title,
        "questionnaire": small_questionnaire.pk,
        "closes_on": "2031-03-14",
        "anonymity_threshold": "5",
        "send_reminder": "on",
        "reminder_days_before": days,
    }

    page = consultant_client.post(f"/o/acme/assessments/{closing.pk}/edit/", form)

    assert page.status_code == 200
    assert list(page.context["form"].errors) == ["reminder_days_before"]
    closing.refresh_from_db()
    assert closing.reminder_days_before == 3


def test_a_new_assessment_takes_the_reminder_settings_of_its_form(
    consultant_client, organisation, small_questionnaire
):
    form = {
        "title": "Autumn check",
        "questionnaire": small_questionnaire.pk,
        "closes_on": "2031-03-14",
        "anonymity_threshold": "5",
        "reminder_days_before": "10",
    }

    consultant_client.post("/o/acme/assessments/new/", form)

    created = Assessment.objects.get(title="Autumn check")
    assert (created.send_reminder, created.reminder_days_before) == (False, 10)


def test_the_form_proposes_a_reminder_three_days_before(consultant_client, organisation):
    form = consultant_client.get("/o/acme/assessments/new/").context["form"]

    assert (form["send_reminder"].value(), form["reminder_days_before"].value()) == (True, 3)
