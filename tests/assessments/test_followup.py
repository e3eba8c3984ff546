"""Follow-up assessments: the settings and the people carried over, and nothing else."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.models import hash_token
from assessments import followup, services
from assessments.addresses import Invitee
from assessments.models import Answer, Assessment, Questionnaire, Response
from tests.factories import (
    AssessmentFactory,
    PillarFactory,
    QuestionFactory,
    QuestionnaireFactory,
    ResponseFactory,
    WorkshopSessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def newest(small_questionnaire):
    """Version 2 of the questionnaire the assessments use."""
    questionnaire = QuestionnaireFactory(slug="readiness", version=2, title="Readiness")
    pillar = PillarFactory(questionnaire=questionnaire, code="data", name="Data foundation")
    QuestionFactory(pillar=pillar, code="data.inventory")
    return questionnaire


@pytest.fixture
def last_run(organisation, small_questionnaire, consultant):
    """A closed assessment with two answered invitees, a withdrawn link, a workshop
    participant, a comment and a publication."""
    assessment = AssessmentFactory(
        organisation=organisation,
        questionnaire=small_questionnaire,
        title="Spring check",
        anonymity_threshold=4,
        closes_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    Assessment.objects.filter(pk=assessment.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=120)
    )
    question = small_questionnaire.questions.first()
    for email, name in [("ana@client.example", "Ana"), ("ben@client.example", "")]:
        response = ResponseFactory(assessment=assessment, email=email, name=name)
        services.save_answer(response=response, question=question, level=2, comment="Tight.")
        services.submit_response(response=response)
    withdrawn = ResponseFactory(assessment=assessment, email="gone@client.example")
    services.revoke_link(response=withdrawn)
    ResponseFactory(
        assessment=assessment, workshop_session=WorkshopSessionFactory(assessment=assessment)
    )
    services.close_assessment(assessment=assessment)
    return Assessment.objects.get(pk=assessment.pk)


def start(last_run, consultant):
    return followup.start_follow_up(assessment=last_run, started_by=consultant)


def test_follow_up_copies_the_settings_onto_the_newest_questionnaire(last_run, newest, consultant):
    created = start(last_run, consultant)

    assert (
        created.organisation,
        created.questionnaire,
        created.title,
        created.anonymity_threshold,
        created.closes_on,
        created.status,
        created.created_by,
    ) == (
        last_run.organisation,
        newest,
        "Spring check — follow-up",
        4,
        None,
        Assessment.Status.DRAFT,
        consultant,
    )


def test_follow_up_carries_nothing_else(last_run, newest, consultant):
    created = start(last_run, consultant)

    assert created.responses.count() == 0
    assert Answer.objects.filter(response__assessment=created).count() == 0
    assert created.snapshots.count() == 0
    assert created.pillar_summaries.count() == 0
    assert created.workshop_sessions.count() == 0


def test_follow_up_invitees_are_the_people_invited_last_time(last_run, newest, consultant):
    created = start(last_run, consultant)

    # Not the withdrawn link, nor the workshop participant, who has no address.
    assert followup.previous_invitees(created) == [
        Invitee(email="ana@client.example", name="Ana"),
        Invitee(email="ben@client.example", name=""),
    ]


def test_invitees_get_new_links_once_the_follow_up_is_open(last_run, newest, consultant):
    created = start(last_run, consultant)
    services.open_assessment(assessment=created)
    old_tokens = set(last_run.responses.values_list("token_hash", flat=True))

    invited = followup.invite_previous_respondents(assessment=created, sent_by=consultant)

    assert sorted(response.email for response in invited) == [
        "ana@client.example",
        "ben@client.example",
    ]
    assert not {response.token_hash for response in invited} & old_tokens
    assert [message.to for message in mail.outbox] == [
        ["ana@client.example"],
        ["ben@client.example"],
    ]
    assert Answer.objects.filter(response__in=invited).count() == 0
    assert followup.previous_invitees(created) == []  # nobody is invited twice


def test_invitees_get_no_links_while_the_follow_up_is_a_draft(last_run, newest, consultant):
    created = start(last_run, consultant)

    with pytest.raises(services.InvitationsClosed):
        followup.invite_previous_respondents(assessment=created, sent_by=consultant)

    assert created.responses.count() == 0
    assert mail.outbox == []


def test_an_erased_respondent_is_not_invited_again(last_run, newest, consultant):
    created = start(last_run, consultant)
    ana = last_run.responses.get(contact__email="ana@client.example")

    services.erase_respondent(response=ana, erased_by=consultant)

    assert [invitee.email for invitee in followup.previous_invitees(created)] == [
        "ben@client.example"
    ]


def test_follow_up_of_a_draft_is_refused(organisation, small_questionnaire, consultant):
    draft = AssessmentFactory(
        organisation=organisation,
        questionnaire=small_questionnaire,
        status=Assessment.Status.DRAFT,
    )

    with pytest.raises(followup.FollowUpRefused):
        start(draft, consultant)


def test_a_second_follow_up_of_the_same_assessment_is_refused(last_run, newest, consultant):
    start(last_run, consultant)

    with pytest.raises(followup.FollowUpRefused) as refusal:
        start(last_run, consultant)

    assert refusal.value.reason == "“Spring check — follow-up” already follows this assessment."
    assert Assessment.objects.filter(title__endswith="follow-up").count() == 1


def test_follow_up_keeps_the_version_when_it_is_the_newest(last_run, consultant):
    assert start(last_run, consultant).questionnaire == last_run.questionnaire


def test_follow_up_of_a_retired_questionnaire_is_refused(last_run, consultant):
    Questionnaire.objects.update(status=Questionnaire.Status.RETIRED)

    with pytest.raises(followup.FollowUpRefused):
        start(last_run, consultant)


def test_a_long_title_is_shortened_to_fit(last_run, consultant):
    Assessment.objects.filter(pk=last_run.pk).update(title="x" * 200)
    last_run.refresh_from_db()

    assert start(last_run, consultant).title == "x" * 188 + " — follow-up"


# Pages


def url(name, assessment):
    return reverse(f"assessments:{name}", args=[assessment.organisation.slug, assessment.pk])


def test_assessment_page_offers_a_follow_up(consultant_client, last_run):
    response = consultant_client.get(url("detail", last_run))

    assertContains(response, f'href="{url("follow_up", last_run)}"')


def test_follow_up_asks_first_then_leads_to_the_draft(consultant_client, last_run, newest):
    asked = consultant_client.get(url("follow_up", last_run))
    assertContains(asked, "Start a follow-up of “Spring check”?")

    response = consultant_client.post(url("follow_up", last_run))

    created = Assessment.objects.get(title="Spring check — follow-up")
    assertRedirects(response, url("detail", created))


def test_follow_up_page_of_an_assessment_already_followed_leads_to_the_follow_up(
    consultant_client, consultant, last_run, newest
):
    created = start(last_run, consultant)

    response = consultant_client.get(url("follow_up", last_run))

    assertRedirects(response, url("detail", created))


def test_opening_a_follow_up_leads_to_its_invitees(consultant_client, consultant, last_run):
    created = start(last_run, consultant)

    response = consultant_client.post(url("open", created))

    assertRedirects(response, url("invite_previous", created))
    page = consultant_client.get(url("invite_previous", created))
    assertContains(page, "Send new personal links to 2 people?")
    assertContains(page, "ana@client.example")


def test_the_invitees_page_lists_everybody_ticked(consultant_client, consultant, last_run):
    created = start(last_run, consultant)
    services.open_assessment(assessment=created)

    page = consultant_client.get(url("invite_previous", created))

    assert page.content.decode().count('type="checkbox" name="people"') == 2
    assertContains(page, 'value="ana@client.example"')
    assertContains(page, "Ana (ana@client.example)")
    assert page.content.decode().count("checked") == 2


def test_sending_the_invitees_links_from_the_page(consultant_client, consultant, last_run):
    created = start(last_run, consultant)
    services.open_assessment(assessment=created)

    response = consultant_client.post(
        url("invite_previous", created), {"people": ["ana@client.example", "ben@client.example"]}
    )

    assertRedirects(response, url("detail", created))
    assert sorted(created.responses.values_list("contact__email", flat=True)) == [
        "ana@client.example",
        "ben@client.example",
    ]
    assert len(mail.outbox) == 2


def test_old_links_keep_belonging_to_the_old_assessment(consultant, last_run):
    created = start(last_run, consultant)
    services.open_assessment(assessment=created)
    followup.invite_previous_respondents(assessment=created, sent_by=consultant)

    assert Response.objects.filter(assessment=last_run).count() == 4
    assert not Response.objects.filter(
        assessment=created, token_hash=hash_token("response-token-0")
    ).exists()


def test_an_unticked_invitee_gets_no_link(consultant_client, consultant, last_run):
    created = start(last_run, consultant)
    services.open_assessment(assessment=created)

    response = consultant_client.post(
        url("invite_previous", created), {"people": ["ben@client.example"]}
    )

    assertRedirects(response, url("detail", created))
    assert list(created.responses.values_list("contact__email", flat=True)) == [
        "ben@client.example"
    ]
    assert [message.to for message in mail.outbox] == [["ben@client.example"]]
    assert followup.previous_invitees(created) == [Invitee(email="ana@client.example", name="Ana")]


def test_sending_with_nobody_ticked_is_refused_with_the_reason(
    consultant_client, consultant, last_run
):
    created = start(last_run, consultant)
    services.open_assessment(assessment=created)

    response = consultant_client.post(url("invite_previous", created), {})

    assertContains(response, "Tick at least one person to invite.", status_code=400)
    assert (created.responses.count(), mail.outbox) == (0, [])


def test_an_address_of_nobody_invited_before_cannot_be_slipped_in(
    consultant_client, consultant, last_run
):
    created = start(last_run, consultant)
    services.open_assessment(assessment=created)

    response = consultant_client.post(
        url("invite_previous", created), {"people": ["ana@client.example", "eve@elsewhere.example"]}
    )

    assert response.status_code == 400
    assert (created.responses.count(), mail.outbox) == (0, [])


def test_invite_previous_respondents_sends_only_to_the_chosen_of_the_previous_people(
    last_run, newest, consultant
):
    created = start(last_run, consultant)
    services.open_assessment(assessment=created)

    invited = followup.invite_previous_respondents(
        assessment=created, sent_by=consultant, emails=["ANA@client.example", "eve@else.example"]
    )

    assert [response.email for response in invited] == ["ana@client.example"]


def test_follow_up_of_an_assessment_nobody_submitted_to_is_refused(
    organisation, small_questionnaire, consultant
):
    assessment = AssessmentFactory(organisation=organisation, questionnaire=small_questionnaire)
    services.open_assessment(assessment=assessment)
    ResponseFactory(assessment=assessment, email="ana@client.example")

    with pytest.raises(followup.FollowUpRefused) as refusal:
        followup.start_follow_up(assessment=assessment, started_by=consultant)

    assert refusal.value.reason == (
        "Nobody has submitted yet: there is nothing to follow up, and nothing to compare."
    )
    assert Assessment.objects.count() == 1


def test_assessment_page_offers_no_follow_up_before_a_submission(
    consultant_client, organisation, small_questionnaire
):
    assessment = AssessmentFactory(organisation=organisation, questionnaire=small_questionnaire)
    services.open_assessment(assessment=assessment)
    ResponseFactory(assessment=assessment, email="ana@client.example")

    response = consultant_client.get(url("detail", assessment))

    assertNotContains(response, url("follow_up", assessment))
    assertNotContains(response, "Start a follow-up")


def test_a_first_assessment_offers_no_invitation_of_previous_people(
    consultant_client, organisation, small_questionnaire
):
    assessment = AssessmentFactory(organisation=organisation, questionnaire=small_questionnaire)
    services.open_assessment(assessment=assessment)

    response = consultant_client.get(url("detail", assessment))

    assertContains(response, 'id="invite"')
    assertNotContains(response, url("invite_previous", assessment))


def test_an_open_follow_up_offers_to_invite_the_previous_people_by_number(
    consultant_client, consultant, last_run
):
    created = start(last_run, consultant)
    services.open_assessment(assessment=created)

    response = consultant_client.get(url("detail", created))

    assertContains(response, f'href="{url("invite_previous", created)}"')
    assertContains(response, "Invite the 2 people of “Spring check” again")


def test_opening_a_first_assessment_leads_to_the_invitation_form(
    consultant_client, organisation, small_questionnaire
):
    assessment = AssessmentFactory(organisation=organisation, questionnaire=small_questionnaire)

    response = consultant_client.post(url("open", assessment))

    assert response.status_code == 302
    assert response["Location"] == url("detail", assessment) + "#invite"


def test_the_follow_up_mail_says_it_is_a_follow_up(last_run, newest, consultant):
    created = start(last_run, consultant)
    services.open_assessment(assessment=created)

    followup.invite_previous_respondents(
        assessment=created, sent_by=consultant, emails=["ana@client.example"]
    )

    [message] = mail.outbox
    assert message.subject == (
        f"Follow-up, your personal link: GenAI readiness assessment for {created.organisation.name}"
    )
    expected = (
        "This is a follow-up: you were invited to “Spring check” before. Please answer again as "
        "things stand today, so that the report can show what has moved since."
    )
    assert expected in " ".join(message.body.split())
    assert expected in " ".join(message.alternatives[0].content.split())


def test_a_newcomer_to_a_follow_up_gets_the_ordinary_mail(last_run, newest, consultant):
    created = start(last_run, consultant)
    services.open_assessment(assessment=created)

    services.invite_respondents(
        assessment=created, invitees=[Invitee(email="new@client.example")], sent_by=consultant
    )

    [message] = mail.outbox
    assert message.subject.startswith("Your personal link: ")
    assert "follow-up" not in message.body
