"""Personal data: addresses apart from answers, erasure on request, retention, audit log."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from accounts import services as account_services
from accounts.models import AuditEvent, Membership, Role
from assessments import services
from assessments.models import (
    Answer,
    Assessment,
    AssessmentPillarSummary,
    RespondentContact,
    Response,
)
from assessments.results import publication
from tests.factories import InvitationFactory, ResponseFactory, UserFactory
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db


def submitted(assessment, count: int, level: int = 3) -> list[Response]:
    responses = []
    for number in range(count):
        response = ResponseFactory(
            assessment=assessment, email=f"p{number}@example.org", name=f"Person {number}"
        )
        for question in assessment.questionnaire.questions.all():
            services.save_answer(response=response, question=question, level=level, comment="c")
        services.submit_response(response=response)
        responses.append(response)
    return responses


@pytest.fixture
def three(open_assessment):
    Assessment.objects.filter(pk=open_assessment.pk).update(anonymity_threshold=3)
    open_assessment.refresh_from_db()
    return open_assessment


# Addresses apart from answers


def test_a_response_row_holds_no_address():
    with pytest.raises(FieldDoesNotExist):
        Response._meta.get_field("email")


def test_an_invitation_keeps_the_address_in_a_contact_row(open_assessment):
    response, _ = services.create_respondent_link(
        assessment=open_assessment, email=" Dana@Example.org ", name="Dana Scully"
    )

    contact = RespondentContact.objects.get(response=response)
    assert (contact.email, contact.name) == ("dana@example.org", "Dana Scully")
    assert (response.email, response.name) == ("dana@example.org", "Dana Scully")


def test_the_admin_lists_responses_without_addresses(admin_client, three):
    submitted(three, 1)

    page = admin_client.get("/admin/assessments/response/")

    assertNotContains(page, "p0@example.org")


def test_deleting_a_response_in_the_admin_leaves_no_address_in_its_log(admin_client, three):
    (response,) = submitted(three, 1)

    admin_client.post(f"/admin/assessments/response/{response.pk}/delete/", {"post": "yes"})

    assert Response.objects.filter(pk=response.pk).exists() is False
    assert not LogEntry.objects.filter(object_repr__contains="@").exists()


# Erasure


def test_erasing_removes_answers_comments_address_and_link(three, consultant):
    (response,) = submitted(three, 1)

    services.erase_respondent(response=response, erased_by=consultant)

    assert Response.objects.filter(pk=response.pk).exists() is False
    assert Answer.objects.filter(response_id=response.pk).exists() is False
    assert RespondentContact.objects.filter(response_id=response.pk).exists() is False
    assert AssessmentPillarSummary.objects.filter(assessment=three).exists() is False


def test_erasing_is_logged_without_the_person(three, consultant):
    (response,) = submitted(three, 1)

    services.erase_respondent(response=response, erased_by=consultant)

    event = AuditEvent.objects.get(action=AuditEvent.Action.ERASED)
    assert (event.actor, event.organisation, event.subject_id) == (
        consultant,
        three.organisation,
        three.pk,
    )
    assert event.detail == {"was_submitted": True}


ERASED_SINCE = (
    "Since then, 1 respondent's data was erased at their request; these published group "
    "figures stay as they were."
)


def test_a_published_snapshot_stays_and_says_an_erasure_happened_after_it(
    three, consultant, manager_client
):
    responses = submitted(three, 3)
    publication.publish_results(assessment=three, published_by=consultant)
    pdf_url = reverse("reports:pdf", args=[three.organisation.slug, three.pk])
    dashboard_url = reverse("reports:dashboard", args=[three.organisation.slug, three.pk])
    before = manager_client.get(pdf_url).content  # rendered and stored
    services.erase_respondent(response=responses[0], erased_by=consultant)

    page = manager_client.get(three.get_absolute_url())
    dashboard = manager_client.get(dashboard_url)
    after = manager_client.get(pdf_url).content

    assert page.context["results"].snapshot.respondents == 3
    assertContains(page, ERASED_SINCE)
    assertContains(dashboard, ERASED_SINCE)
    assert ERASED_SINCE not in " ".join(pdf_text(before).split())
    assert ERASED_SINCE in " ".join(pdf_text(after).split())


def test_the_consultant_erases_after_a_confirmation(consultant_client, three):
    (response,) = submitted(three, 1)
    url = reverse("assessments:erase", args=[three.organisation.slug, three.pk, response.pk])

    confirm = consultant_client.get(url)
    erased = consultant_client.post(url)

    assertContains(confirm, "Erase the data of Person 0?")
    assert erased.status_code == 302
    assert Response.objects.filter(pk=response.pk).exists() is False


def test_a_manager_cannot_erase(manager_client, three):
    (response,) = submitted(three, 1)
    url = reverse("assessments:erase", args=[three.organisation.slug, three.pk, response.pk])

    assert manager_client.post(url).status_code == 403
    assert Response.objects.filter(pk=response.pk).exists() is True


# Retention


def closed(assessment, days_ago: int) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(
        status=Assessment.Status.CLOSED, closed_at=timezone.now() - timedelta(days=days_ago)
    )


def test_purge_removes_addresses_of_assessments_closed_past_the_retention(three):
    submitted(three, 2)
    closed(three, 91)

    purged = services.purge_personal_data(retention_days=90)

    assert purged == 2
    assert RespondentContact.objects.exists() is False
    assert Answer.objects.filter(response__assessment=three).exists() is True
    assert AuditEvent.objects.get(action=AuditEvent.Action.PURGED).detail == {
        "contacts": 2,
        "retention_days": 90,
    }


def test_purge_keeps_addresses_within_the_retention_and_of_open_assessments(three):
    submitted(three, 2)
    closed(three, 89)

    assert services.purge_personal_data(retention_days=90) == 0
    assert RespondentContact.objects.count() == 2


def test_purge_command_uses_the_retention_setting(three, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    submitted(three, 1)
    closed(three, 31)
    out = StringIO()

    call_command("purge_personal_data", stdout=out)

    assert out.getvalue() == "Removed the contact details of 1 respondent(s).\n"


# Audit log


def test_publishing_is_logged(three, consultant):
    submitted(three, 3)

    snapshot = publication.publish_results(assessment=three, published_by=consultant)

    event = AuditEvent.objects.get(action=AuditEvent.Action.PUBLISHED)
    assert (event.actor, event.subject_id) == (consultant, three.pk)
    assert event.detail == {
        "snapshot": snapshot.pk,
        "kind": "interim",
        "respondents": 3,
        "dismissed": [],
    }


def test_joining_through_an_invitation_is_logged(organisation, consultant):
    invitation = InvitationFactory(
        organisation=organisation, role=Role.MANAGER, invited_by=consultant
    )
    dana = UserFactory(email=invitation.email)

    account_services.accept_invitation(invitation=invitation, user=dana)

    event = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_CHANGED, detail__user=dana.pk)
    assert (event.actor, event.organisation) == (consultant, organisation)
    assert (event.detail["before"], event.detail["after"]) == (None, Role.MANAGER)


def test_a_role_changed_in_the_admin_is_logged(admin_client, admin_user, manager, organisation):
    membership = Membership.objects.get(user=manager)

    admin_client.post(
        f"/admin/accounts/membership/{membership.pk}/change/",
        {"user": manager.pk, "organisation": organisation.pk, "role": Role.CONSULTANT},
    )

    event = AuditEvent.objects.filter(action=AuditEvent.Action.ROLE_CHANGED).latest("at")
    assert (event.actor, event.detail["before"], event.detail["after"]) == (
        admin_user,
        Role.MANAGER,
        Role.CONSULTANT,
    )


def test_staff_read_the_audit_log_and_cannot_change_it(admin_client, three, consultant):
    submitted(three, 3)
    publication.publish_results(assessment=three, published_by=consultant)
    event = AuditEvent.objects.get(action=AuditEvent.Action.PUBLISHED)

    listing = admin_client.get("/admin/accounts/auditevent/")
    change = admin_client.post(f"/admin/accounts/auditevent/{event.pk}/delete/", {"post": "yes"})

    assertContains(listing, "Results published")
    assert change.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists() is True
