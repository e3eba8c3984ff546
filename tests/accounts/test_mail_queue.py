"""Mail leaves the request: a database queue that a worker works off, with retries."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts import services
from accounts.mail import send_templated_mail
from accounts.models import OptionalMail, Role
from accounts.opt_out import address_hash, opt_out_headers, read_opt_out_link
from tests.support.mail import FlakyBackend

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def work_off_the_queue() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())


@pytest.fixture
def queued(settings):
    settings.TASKS = DATABASE_QUEUE


@pytest.fixture
def flaky_mail(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.support.mail.FlakyBackend"}}
    FlakyBackend.failures = 1
    yield
    FlakyBackend.failures = 0


def invite(organisation, consultant, email="dana@example.org"):
    return services.invite_member(
        organisation=organisation, email=email, role=Role.MANAGER, invited_by=consultant
    )


def test_an_invitation_is_queued_not_sent_in_the_request(queued, organisation, consultant):
    invite(organisation, consultant)

    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 1


def test_the_worker_sends_what_was_queued(queued, organisation, consultant):
    invite(organisation, consultant)

    work_off_the_queue()

    assert [message.to for message in mail.outbox] == [["dana@example.org"]]
    assert mail.outbox[0].alternatives[0].mimetype == "text/html"


def test_a_failing_mail_server_is_tried_again_later(queued, flaky_mail, organisation, consultant):
    invite(organisation, consultant)

    work_off_the_queue()
    assert mail.outbox == []
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.run_after > timezone.now() + timedelta(minutes=1)
    assert retry.args_kwargs["kwargs"]["attempt"] == 2

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    work_off_the_queue()

    assert [message.to for message in mail.outbox] == [["dana@example.org"]]


def test_fifty_invitations_take_no_mail_server_time_in_the_request(
    queued, organisation, consultant
):
    for number in range(50):
        invite(organisation, consultant, email=f"person{number}@example.org")

    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 50


def test_an_optional_mail_keeps_its_unsubscribe_headers_through_the_queue_and_a_retry(
    queued, flaky_mail, db
):
    send_templated_mail(
        template="assessments/email/overdue_actions",
        context={"owner": None, "count": 0, "plans": []},
        to=["bob@example.org"],
        optional=OptionalMail.OVERDUE_ACTIONS,
    )

    work_off_the_queue()  # the first attempt fails
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    work_off_the_queue()

    [message] = mail.outbox
    # The link is signed with a timestamp: compare what it was signed for, not its bytes.
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers == opt_out_headers(url)
    assert read_opt_out_link(url.rstrip("/").rsplit("/", 1)[1]) == (
        OptionalMail.OVERDUE_ACTIONS,
        address_hash("bob@example.org"),
    )
