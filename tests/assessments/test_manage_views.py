"""Consultants set up assessments and follow progress; managers see counts, never addresses."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.models import hash_token
from assessments import services
from assessments.addresses import Invitee
from assessments.models import Assessment, Questionnaire, Response
from assessments.results import publication
from tests.factories import AssessmentFactory, QuestionnaireFactory, ResponseFactory
from tests.reports.conftest import respond_in_bulk
from tests.support.scale import on_postgresql

pytestmark = pytest.mark.django_db

DANA = "dana@example.org"
ERIK = "erik@example.org"


def url(name: str, assessment=None, slug: str = "acme", **kwargs) -> str:
    if assessment is not None:
        kwargs["pk"] = assessment.pk
    return reverse(f"assessments:{name}", kwargs={"slug": slug, **kwargs})


def messages_of(page) -> list[str]:
    return [str(message) for message in get_messages(page.wsgi_request)]


def reloaded(assessment) -> Assessment:
    return Assessment.objects.get(pk=assessment.pk)


@pytest.fixture
def dana(open_assessment):
    return ResponseFactory(assessment=open_assessment, email=DANA, token="dana-link")


@pytest.fixture
def foreign_assessment(other_organisation, small_questionnaire):
    return AssessmentFactory(
        organisation=other_organisation, questionnaire=small_questionnaire, title="Globex check"
    )


def creation_form(questionnaire, **fields) -> dict:
    return {
        "title": "Autumn check",
        "questionnaire": questionnaire.pk,
        "closes_on": "2031-03-14",
        "anonymity_threshold": "5",
        "send_reminder": "on",
        "reminder_days_before": "3",
        **fields,
    }


# Create


def test_create_form_proposes_an_anonymity_threshold_of_five(consultant_client, organisation):
    page = consultant_client.get(url("create"))

    assert page.status_code == 200
    assert page.context["form"]["anonymity_threshold"].value() == 5


def test_create_form_offers_published_questionnaires_only(
    consultant_client, organisation, small_questionnaire
):
    QuestionnaireFactory(title="Retired one", status=Questionnaire.Status.RETIRED)

    page = consultant_client.get(url("create"))

    assert list(page.context["form"].fields["questionnaire"].queryset) == [small_questionnaire]


def test_create_form_offers_only_the_newest_version_of_a_questionnaire(
    consultant_client, organisation, small_questionnaire
):
    newer = QuestionnaireFactory(slug=small_questionnaire.slug, version=2, title="Readiness")

    page = consultant_client.get(url("create"))

    assert list(page.context["form"].fields["questionnaire"].queryset) == [newer]


def test_edit_form_keeps_the_older_version_an_assessment_already_has(
    consultant_client, open_assessment, small_questionnaire
):
    QuestionnaireFactory(slug=small_questionnaire.slug, version=2, title="Readiness")

    page = consultant_client.get(url("edit", open_assessment))

    assert small_questionnaire in page.context["form"].fields["questionnaire"].queryset


def test_create_by_consultant_creates_a_draft_and_shows_it(
    consultant_client, consultant, small_questionnaire
):
    page = consultant_client.post(url("create"), creation_form(small_questionnaire))

    assessment = Assessment.objects.get()
    assertRedirects(page, url("detail", assessment), fetch_redirect_response=False)
    assert (
        assessment.organisation.slug,
        assessment.title,
        assessment.status,
        assessment.closes_on,
        assessment.anonymity_threshold,
        assessment.created_by,
    ) == ("acme", "Autumn check", Assessment.Status.DRAFT, date(2031, 3, 14), 5, consultant)


def test_create_with_threshold_two_is_refused_with_a_form_error(
    consultant_client, small_questionnaire
):
    page = consultant_client.post(
        url("create"), creation_form(small_questionnaire, anonymity_threshold="2")
    )

    assert page.status_code == 200
    assert page.context["form"].errors["anonymity_threshold"] == [
        "Ensure this value is greater than or equal to 3."
    ]
    assert Assessment.objects.exists() is False


def test_create_by_manager_is_forbidden(manager_client, small_questionnaire):
    page = manager_client.post(url("create"), creation_form(small_questionnaire))

    assert page.status_code == 403
    assert Assessment.objects.exists() is False


def test_create_in_another_organisation_is_not_found(outsider_client, small_questionnaire):
    page = outsider_client.post(url("create"), creation_form(small_questionnaire))

    assert page.status_code == 404
    assert Assessment.objects.exists() is False


def test_create_without_login_redirects_to_login(client, organisation):
    page = client.get(url("create"))

    assertRedirects(
        page, f"{reverse('accounts:login')}?next={url('create')}", fetch_redirect_response=False
    )


# Edit


def test_edit_changes_the_title(consultant_client, open_assessment, small_questionnaire):
    page = consultant_client.post(
        url("edit", open_assessment), creation_form(small_questionnaire, title="Renamed")
    )

    assertRedirects(page, url("detail", open_assessment), fetch_redirect_response=False)
    assert reloaded(open_assessment).title == "Renamed"


def test_edit_changes_the_threshold_while_nothing_is_submitted(
    consultant_client, open_assessment, small_questionnaire, dana
):
    consultant_client.post(
        url("edit", open_assessment), creation_form(small_questionnaire, anonymity_threshold="7")
    )

    assert reloaded(open_assessment).anonymity_threshold == 7


def test_edit_disables_the_threshold_once_a_response_is_submitted(
    consultant_client, open_assessment, dana
):
    Response.objects.filter(pk=dana.pk).update(submitted_at=timezone.now())

    page = consultant_client.get(url("edit", open_assessment))

    field = page.context["form"].fields["anonymity_threshold"]
    assert (field.disabled, field.help_text) == (True, "Locked: a response has been submitted.")


def test_edit_ignores_a_posted_threshold_once_a_response_is_submitted(
    consultant_client, open_assessment, small_questionnaire, dana
):
    Response.objects.filter(pk=dana.pk).update(submitted_at=timezone.now())

    page = consultant_client.post(
        url("edit", open_assessment),
        creation_form(small_questionnaire, title="Renamed", anonymity_threshold="3"),
    )

    assertRedirects(page, url("detail", open_assessment), fetch_redirect_response=False)
    assert (reloaded(open_assessment).title, reloaded(open_assessment).anonymity_threshold) == (
        "Renamed",
        5,
    )


def test_edit_keeps_the_questionnaire_once_respondents_are_invited(
    consultant_client, open_assessment, small_questionnaire, dana
):
    other = QuestionnaireFactory()

    consultant_client.post(url("edit", open_assessment), creation_form(other))

    assert reloaded(open_assessment).questionnaire == small_questionnaire


def test_edit_by_manager_is_forbidden(manager_client, open_assessment, small_questionnaire):
    page = manager_client.post(
        url("edit", open_assessment), creation_form(small_questionnaire, title="Renamed")
    )

    assert page.status_code == 403
    assert reloaded(open_assessment).title == "Spring check"


# Open and close


def test_open_by_post_opens_the_assessment(consultant_client, open_assessment):
    Assessment.objects.filter(pk=open_assessment.pk).update(status=Assessment.Status.DRAFT)

    page = consultant_client.post(url("open", open_assessment))

    # Straight to the invitation form, the next step.
    assertRedirects(page, url("detail", open_assessment) + "#invite", fetch_redirect_response=False)
    assert reloaded(open_assessment).status == Assessment.Status.OPEN
    assert messages_of(page) == ["The assessment is open: respondent links work now."]


def test_open_by_get_is_not_allowed(consultant_client, open_assessment):
    Assessment.objects.filter(pk=open_assessment.pk).update(status=Assessment.Status.DRAFT)

    page = consultant_client.get(url("open", open_assessment))

    assert page.status_code == 405
    assert reloaded(open_assessment).status == Assessment.Status.DRAFT


def test_close_by_post_closes_the_assessment(consultant_client, open_assessment):
    page = consultant_client.post(url("close", open_assessment))

    assertRedirects(page, url("detail", open_assessment), fetch_redirect_response=False)
    assert reloaded(open_assessment).status == Assessment.Status.CLOSED


def test_close_by_get_asks_for_confirmation(consultant_client, open_assessment):
    page = consultant_client.get(url("close", open_assessment))

    assertContains(page, '<h1 class="h3 mb-3">Close “Spring check”?</h1>', html=True)
    assertContains(
        page,
        '<button type="submit" class="btn btn-danger">Close the assessment</button>',
        html=True,
    )
    assert reloaded(open_assessment).status == Assessment.Status.OPEN


def test_close_by_manager_is_forbidden(manager_client, open_assessment):
    page = manager_client.post(url("close", open_assessment))

    assert page.status_code == 403
    assert reloaded(open_assessment).status == Assessment.Status.OPEN


# Detail


def respondents(open_assessment):
    now = timezone.now()
    ResponseFactory(assessment=open_assessment, email=DANA)
    ResponseFactory(assessment=open_assessment, email=ERIK, started_at=now)
    ResponseFactory(
        assessment=open_assessment, email="fay@example.org", started_at=now, submitted_at=now
    )


def test_detail_shows_the_consultant_each_respondent_email(consultant_client, open_assessment):
    respondents(open_assessment)

    page = consultant_client.get(url("detail", open_assessment))

    assert [response.email for response in page.context["responses"]] == [
        DANA,
        ERIK,
        "fay@example.org",
    ]
    assertContains(page, f'<span class="text-break">{DANA}</span>', html=True)


def test_detail_shows_the_consultant_each_respondent_status(consultant_client, open_assessment):
    respondents(open_assessment)

    page = consultant_client.get(url("detail", open_assessment))

    for status, words in [
        ("invited", "Invited"),
        ("started", "Started"),
        ("submitted", "Submitted"),
    ]:
        assertContains(
            page, f'<span class="badge text-nowrap response-{status}">{words}</span>', html=True
        )


def test_detail_shows_the_manager_counts(manager_client, open_assessment):
    respondents(open_assessment)

    page = manager_client.get(url("detail", open_assessment))

    shown = page.context["assessment"]
    assert (shown.invited_count, shown.started_count, shown.submitted_count) == (3, 2, 1)
    assertContains(
        page,
        '<div class="card card-body progress-count"><div class="fs-3 fw-semibold">3</div>'
        '<div class="text-body-secondary">invited</div></div>',
        html=True,
    )


def test_detail_never_shows_the_manager_an_email_address(manager_client, open_assessment):
    respondents(open_assessment)

    page = manager_client.get(url("detail", open_assessment))

    for email in (DANA, ERIK, "fay@example.org"):
        assertNotContains(page, email)
    assert "responses" not in page.context


def test_detail_of_another_organisation_through_own_slug_is_not_found(
    consultant_client, foreign_assessment
):
    page = consultant_client.get(url("detail", foreign_assessment))

    assert page.status_code == 404


def test_detail_of_another_organisation_through_its_slug_is_not_found(
    consultant_client, foreign_assessment
):
    page = consultant_client.get(url("detail", foreign_assessment, slug="globex"))

    assert page.status_code == 404


@pytest.mark.parametrize("name", ["edit", "open", "close", "invite"])
def test_actions_on_another_organisation_assessment_are_not_found(
    consultant_client, foreign_assessment, name
):
    page = consultant_client.post(url(name, foreign_assessment), {"emails": DANA})

    assert page.status_code == 404
    assert reloaded(foreign_assessment).status == Assessment.Status.OPEN
    assert foreign_assessment.responses.exists() is False


@pytest.mark.parametrize("name", ["resend", "revoke"])
def test_link_actions_on_another_organisation_response_are_not_found(
    consultant_client, foreign_assessment, name
):
    foreign = ResponseFactory(assessment=foreign_assessment, email=DANA)

    page = consultant_client.post(url(name, foreign_assessment, response_pk=foreign.pk))

    assert page.status_code == 404
    assert Response.objects.get(pk=foreign.pk).revoked_at is None
    assert mail.outbox == []


@pytest.mark.parametrize("name", ["resend", "revoke"])
def test_link_actions_on_a_response_of_another_assessment_are_not_found(
    consultant_client, open_assessment, small_questionnaire, organisation, name
):
    sibling = AssessmentFactory(organisation=organisation, questionnaire=small_questionnaire)
    elsewhere = ResponseFactory(assessment=sibling, email=DANA)

    page = consultant_client.post(url(name, open_assessment, response_pk=elsewhere.pk))

    assert page.status_code == 404
    assert Response.objects.get(pk=elsewhere.pk).revoked_at is None


# Invite


def test_invite_by_pasting_addresses_sends_each_a_link(consultant_client, open_assessment):
    page = consultant_client.post(
        url("invite", open_assessment), {"emails": f"{DANA},\n{ERIK}; {DANA.upper()}"}
    )

    assertRedirects(page, url("detail", open_assessment), fetch_redirect_response=False)
    assert sorted(open_assessment.responses.values_list("contact__email", flat=True)) == [
        DANA,
        ERIK,
    ]
    assert sorted(message.to[0] for message in mail.outbox) == [DANA, ERIK]
    assert messages_of(page)[0] == "2 personal links were sent."


def test_invite_an_address_that_already_has_a_link_says_so(
    consultant_client, open_assessment, dana
):
    page = consultant_client.post(url("invite", open_assessment), {"emails": f"{DANA} {ERIK}"})

    assert messages_of(page)[0] == "1 personal link was sent. 1 address already had a link."
    assert [message.to for message in mail.outbox] == [[ERIK]]


def test_invite_with_an_invalid_address_is_refused_naming_it(consultant_client, open_assessment):
    page = consultant_client.post(
        url("invite", open_assessment), {"emails": f"{DANA}, dana-at-example"}
    )

    assert page.status_code == 400
    assert page.context["form"].errors["emails"] == ["“dana-at-example”: not an e-mail address."]
    assertContains(page, "“dana-at-example”: not an e-mail address.", status_code=400)
    assert open_assessment.responses.exists() is False
    assert mail.outbox == []


def test_invite_with_no_address_is_refused(consultant_client, open_assessment):
    page = consultant_client.post(url("invite", open_assessment), {"emails": " ,; "})

    assert page.status_code == 400
    assert page.context["form"].errors["emails"] == ["Enter at least one e-mail address."]


def test_invite_by_manager_is_forbidden(manager_client, open_assessment):
    page = manager_client.post(url("invite", open_assessment), {"emails": DANA})

    assert page.status_code == 403
    assert open_assessment.responses.exists() is False


# Resend and revoke


def test_resend_replaces_the_link_and_mails_it(consultant_client, open_assessment, dana):
    page = consultant_client.post(url("resend", open_assessment, response_pk=dana.pk))

    assertRedirects(page, url("detail", open_assessment), fetch_redirect_response=False)
    assert messages_of(page) == [f"A new link was sent to {DANA}; the earlier one no longer works."]
    assert [message.to for message in mail.outbox] == [[DANA]]
    assert Response.objects.get(pk=dana.pk).token_hash != hash_token("dana-link")


def test_resend_to_a_submitted_response_sends_nothing(consultant_client, open_assessment, dana):
    Response.objects.filter(pk=dana.pk).update(submitted_at=timezone.now())

    page = consultant_client.post(url("resend", open_assessment, response_pk=dana.pk))

    assert messages_of(page) == ["This respondent has already submitted."]
    assert mail.outbox == []
    assert Response.objects.get(pk=dana.pk).token_hash == hash_token("dana-link")


def test_resend_by_get_is_not_allowed(consultant_client, open_assessment, dana):
    page = consultant_client.get(url("resend", open_assessment, response_pk=dana.pk))

    assert page.status_code == 405
    assert mail.outbox == []


def test_revoke_withdraws_the_link(consultant_client, open_assessment, dana):
    page = consultant_client.post(url("revoke", open_assessment, response_pk=dana.pk))

    assertRedirects(page, url("detail", open_assessment), fetch_redirect_response=False)
    assert messages_of(page) == [f"The link of {DANA} no longer works."]
    assert Response.objects.get(pk=dana.pk).status == "revoked"


def test_revoke_by_manager_is_forbidden(manager_client, open_assessment, dana):
    page = manager_client.post(url("revoke", open_assessment, response_pk=dana.pk))

    assert page.status_code == 403
    assert Response.objects.get(pk=dana.pk).revoked_at is None


# Results on the assessment page


def submit_answers(assessment, count: int, level: int) -> None:
    questions = list(assessment.questionnaire.questions.all())
    for number in range(count):
        response = ResponseFactory(assessment=assessment, email=f"r{number}@example.org")
        for question in questions:
            services.save_answer(response=response, question=question, level=level)
        services.submit_response(response=response)


def test_detail_shows_a_manager_no_results_before_publication(manager_client, open_assessment):
    submit_answers(open_assessment, 5, level=4)

    page = manager_client.get(url("detail", open_assessment))

    assertContains(
        page,
        "Results appear here once the consultant publishes them, which takes at least 5 "
        "submitted responses, so that no one's answers can be singled out.",
    )
    assertNotContains(page, "readiness index")
    assert page.context["results"] is None


def test_detail_shows_a_manager_the_published_results(manager_client, open_assessment, consultant):
    submit_answers(open_assessment, 5, level=4)
    publication.publish_results(assessment=open_assessment, published_by=consultant)

    page = manager_client.get(url("detail", open_assessment))

    assert page.context["results"].snapshot.respondents == 5
    assertContains(
        page,
        '<p class="fs-5 fw-semibold mb-1">Ready <span class="text-body-secondary fw-normal">'
        "· readiness index 100 / 100</span></p>",
        html=True,
    )
    assertContains(page, "Every pillar is at low risk and no red flag was raised.")
    assertContains(
        page,
        '<tr><th scope="row" class="fw-normal">Data foundation</th><td class="text-end">100</td>'
        '<td><span class="badge badge-risk-low">low</span></td>'
        '<td class="d-none d-sm-table-cell">medium</td><td>—</td></tr>',
        html=True,
    )


def test_manager_figures_do_not_move_when_one_more_response_is_submitted(
    manager_client, open_assessment, consultant
):
    submit_answers(open_assessment, 5, level=4)
    publication.publish_results(assessment=open_assessment, published_by=consultant)
    before = manager_client.get(url("detail", open_assessment))

    submit_answers(open_assessment, 1, level=0)
    after = manager_client.get(url("detail", open_assessment))

    assert after.context["results"].report == before.context["results"].report
    assert after.context["results"].result.pillar("data").maturity == 100.0


def test_detail_tells_the_consultant_how_many_more_responses_a_publication_needs(
    consultant_client, open_assessment, consultant
):
    submit_answers(open_assessment, 5, level=4)
    publication.publish_results(assessment=open_assessment, published_by=consultant)
    submit_answers(open_assessment, 2, level=4)

    page = consultant_client.get(url("detail", open_assessment))

    assertContains(
        page,
        "3 more submitted responses are needed before the next publication, so that no "
        "difference between two publications rests on fewer than 5 people.",
    )


def test_detail_shows_results_to_a_consultant_from_the_first_response(
    consultant_client, open_assessment
):
    submit_answers(open_assessment, 1, level=1)

    page = consultant_client.get(url("detail", open_assessment))

    assert page.context["results"].result.pillar("data").maturity == 25.0
    assertContains(
        page, '<span class="badge badge-risk-critical">critical</span>', count=2, html=True
    )


@pytest.mark.parametrize("responses", [5, 15])
def test_detail_queries_do_not_grow_with_responses(
    consultant_client, open_assessment, django_assert_max_num_queries, responses
):
    submit_answers(open_assessment, responses, level=3)

    # The first look scores and stores the live figures; the next reads them. One query looks
    # up the previous assessment, whose people may be invited again, one counts the
    # respondents for the pages of the list.
    with django_assert_max_num_queries(25):
        consultant_client.get(url("detail", open_assessment))
    with django_assert_max_num_queries(14):
        page = consultant_client.get(url("detail", open_assessment))

    assert page.context["results"].result.respondents == responses


def test_the_respondent_list_comes_in_pages_of_fifty(consultant_client, open_assessment):
    ResponseFactory.create_batch(55, assessment=open_assessment)

    first = consultant_client.get(url("detail", open_assessment))
    second = consultant_client.get(url("detail", open_assessment), {"page": 2})

    assert (len(first.context["responses"]), len(second.context["responses"])) == (50, 5)
    assertContains(first, "1–50 of 55 respondents")
    assertContains(
        first, '<a class="page-link" href="?page=2#respondents-heading">2</a>', html=True
    )


# Dates and states that agree


def test_create_with_a_past_closing_date_is_a_form_error(consultant_client, small_questionnaire):
    yesterday = timezone.localdate() - timezone.timedelta(days=1)

    page = consultant_client.post(
        url("create"), creation_form(small_questionnaire, closes_on=yesterday.isoformat())
    )

    assert page.context["form"].errors == {
        "closes_on": ["The closing date has passed: choose today or a later day."]
    }
    assert Assessment.objects.filter(title="Autumn check").exists() is False


def test_open_with_a_past_closing_date_is_refused_with_the_reason(
    consultant_client, open_assessment
):
    Assessment.objects.filter(pk=open_assessment.pk).update(
        status=Assessment.Status.DRAFT, closes_on=timezone.localdate() - timezone.timedelta(days=3)
    )

    page = consultant_client.post(url("open", open_assessment))

    assert messages_of(page) == [
        "The closing date has passed: set a closing date in the future, then open it."
    ]
    assert reloaded(open_assessment).status == Assessment.Status.DRAFT


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (
            Assessment.Status.DRAFT,
            "Open the assessment before inviting: links of a draft do not work yet.",
        ),
        (
            Assessment.Status.CLOSED,
            "The assessment is closed: links would not work. Reopen it to invite.",
        ),
    ],
)
def test_invite_is_refused_while_links_would_not_work(
    consultant_client, open_assessment, status, reason
):
    Assessment.objects.filter(pk=open_assessment.pk).update(status=status)

    page = consultant_client.post(url("invite", open_assessment), {"emails": DANA})

    assert messages_of(page) == [reason]
    assert open_assessment.responses.exists() is False
    assert mail.outbox == []


def test_invite_service_refuses_a_draft(open_assessment):
    Assessment.objects.filter(pk=open_assessment.pk).update(status=Assessment.Status.DRAFT)
    open_assessment.refresh_from_db()

    with pytest.raises(services.InvitationsClosed):
        services.invite_respondents(
            assessment=open_assessment, invitees=[Invitee(DANA)], sent_by=None
        )


def test_invite_of_addresses_pasted_from_outlook_keeps_the_names(
    consultant_client, open_assessment
):
    consultant_client.post(
        url("invite", open_assessment),
        {"emails": "Peter Gibbons <peter@initech.example>; Samir N <samir@initech.example>"},
    )

    assert list(
        open_assessment.responses.order_by("contact__email").values_list(
            "contact__name", "contact__email"
        )
    ) == [
        ("Peter Gibbons", "peter@initech.example"),
        ("Samir N", "samir@initech.example"),
    ]


def test_invite_of_fewer_people_than_the_threshold_warns_the_consultant(
    consultant_client, open_assessment
):
    page = consultant_client.post(url("invite", open_assessment), {"emails": f"{DANA} {ERIK}"})

    assert messages_of(page) == [
        "2 personal links were sent.",
        "Only 2 people are invited so far. The client's management sees results only once 5 "
        "people have submitted, so invite at least 5.",
    ]


def test_closed_assessment_page_offers_no_invitation_and_no_link_actions(
    consultant_client, open_assessment, dana
):
    services.close_assessment(assessment=open_assessment)

    page = consultant_client.get(url("detail", open_assessment))

    assert "invite_form" not in page.context
    assertNotContains(page, url("resend", open_assessment, response_pk=dana.pk))
    assertNotContains(page, url("revoke", open_assessment, response_pk=dana.pk))
    assertNotContains(page, "Send personal links")
    assertContains(page, "Reopen")


def test_submitted_response_offers_no_link_actions(consultant_client, open_assessment, dana):
    Response.objects.filter(pk=dana.pk).update(submitted_at=timezone.now())

    page = consultant_client.get(url("detail", open_assessment))

    assertNotContains(page, url("revoke", open_assessment, response_pk=dana.pk))


def test_revoke_of_a_submitted_response_is_refused(consultant_client, open_assessment, dana):
    Response.objects.filter(pk=dana.pk).update(submitted_at=timezone.now())

    page = consultant_client.post(url("revoke", open_assessment, response_pk=dana.pk))

    assert messages_of(page) == [
        "A submitted response is part of the results: its link cannot be withdrawn."
    ]
    assert Response.objects.get(pk=dana.pk).revoked_at is None


def test_publish_asks_for_confirmation_then_publishes(
    consultant_client, open_assessment, manager_client
):
    submit_answers(open_assessment, 5, level=3)

    confirm = consultant_client.get(url("publish", open_assessment))
    published = consultant_client.post(url("publish", open_assessment))

    assertContains(confirm, "Publish for the client&#x27;s management")
    assert messages_of(published) == ["The results are published for the client's management."]
    assert open_assessment.snapshots.count() == 1


@pytest.mark.parametrize("respondents", [10, on_postgresql(10_000)])
def test_the_respondent_list_costs_the_same_at_ten_and_ten_thousand(
    consultant_client, open_assessment, django_assert_num_queries, respondents
):
    respond_in_bulk(open_assessment, respondents)
    consultant_client.get(url("detail", open_assessment))  # scores and stores the figures

    with django_assert_num_queries(14):
        page = consultant_client.get(url("detail", open_assessment), {"page": 1})

    assert len(page.context["responses"]) == min(respondents, 50)
