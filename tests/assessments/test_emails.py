from datetime import date

import pytest

from assessments import services
from assessments.addresses import Invitee
from assessments.emails import send_respondent_link
from tests.factories import ResponseFactory
from tests.mails import html_of

pytestmark = pytest.mark.django_db

TOKEN = "dana-personal-link"
URL = "https://readiness.example.com/r/dana-personal-link/"
SENDER = '"Alice Smith, Initrode Consulting via GenAI Readiness" <readiness@initrode.example>'


@pytest.fixture(autouse=True)
def mail_settings(settings):
    settings.SITE_URL = "https://readiness.example.com"
    settings.DEFAULT_FROM_EMAIL = "GenAI Readiness <readiness@initrode.example>"
    settings.CONSULTANCY_NAME = "Initrode Consulting"


@pytest.fixture
def alice(consultant):
    consultant.name = "Alice Smith"
    consultant.save()
    return consultant


@pytest.fixture
def response(open_assessment):
    return ResponseFactory(
        assessment=open_assessment, email="dana@example.org", name="Dana Scully", token=TOKEN
    )


def send(response, sent_by, **kwargs):
    send_respondent_link(response=response, token=TOKEN, sent_by=sent_by, **kwargs)


# who sends, and to whom


def test_respondent_mail_goes_to_the_respondent(mailoutbox, response, alice):
    send(response, alice)

    assert [message.to for message in mailoutbox] == [["dana@example.org"]]


def test_respondent_mail_comes_from_the_consultant_and_the_firm_via_the_product(
    mailoutbox, response, alice
):
    send(response, alice)

    assert mailoutbox[0].from_email == SENDER


def test_respondent_mail_replies_go_to_the_consultant(mailoutbox, response, alice):
    send(response, alice)

    assert mailoutbox[0].reply_to == ["Alice Smith <alice@example.org>"]


def test_respondent_mail_without_a_firm_names_the_consultant_only(
    mailoutbox, response, alice, settings
):
    settings.CONSULTANCY_NAME = ""

    send(response, alice)

    assert mailoutbox[0].from_email == (
        "Alice Smith via GenAI Readiness <readiness@initrode.example>"
    )
    assert mailoutbox[0].body.splitlines()[2] == (
        "Alice Smith is running the GenAI readiness assessment of Acme Insurance and asks for "
        "your view. It finds out whether the GenAI initiative of Acme Insurance is ready for "
        "production, and what to fix first."
    )


def test_respondent_mail_without_a_sender_is_asked_by_the_organisation(mailoutbox, response):
    send(response, None)

    message = mailoutbox[0]
    assert (message.from_email, message.reply_to) == (
        "Initrode Consulting via GenAI Readiness <readiness@initrode.example>",
        [],
    )
    assert message.body.splitlines()[2] == (
        "Acme Insurance asks for your view in its GenAI readiness assessment. It finds out "
        "whether the GenAI initiative of Acme Insurance is ready for production, and what to "
        "fix first."
    )
    assert message.body.splitlines()[-1] == (
        "GenAI Readiness sends this e-mail for Acme Insurance. If you were not expecting it, "
        "you can ignore it."
    )


# subject


def test_respondent_mail_subject_names_the_organisation(mailoutbox, response, alice):
    send(response, alice)

    assert mailoutbox[0].subject == (
        "Your personal link: GenAI readiness assessment for Acme Insurance"
    )


def test_respondent_mail_subject_of_a_replacement_says_so(mailoutbox, response, alice):
    send(response, alice, replaces_earlier=True)

    assert mailoutbox[0].subject == (
        "New personal link, replacing the earlier one: GenAI readiness assessment for "
        "Acme Insurance"
    )


def test_respondent_mail_subject_is_one_unescaped_line_whatever_the_organisation_name(
    mailoutbox, response, alice
):
    organisation = response.assessment.organisation
    organisation.name = "Acme\nCorp & Sons"
    organisation.save()

    send(response, alice)

    message = mailoutbox[0]
    assert message.subject == "Your personal link: GenAI readiness assessment for Acme Corp & Sons"
    assert message.message()["Subject"] == message.subject


# the text part


def test_respondent_mail_text_reads_in_order(mailoutbox, response, alice):
    response.assessment.closes_on = date(2031, 3, 14)
    response.assessment.anonymity_threshold = 7
    response.assessment.save()

    send(response, alice)

    assert mailoutbox[0].body == (
        "Hello Dana Scully,\n"
        "\n"
        "Alice Smith of Initrode Consulting is running the GenAI readiness assessment of Acme "
        "Insurance and asks for your view. It finds out whether the GenAI initiative of Acme "
        "Insurance is ready for production, and what to fix first.\n"
        "\n"
        "It takes about 15 minutes. Every answer is saved as you give it: you can stop at any "
        "time and come back with this same link.\n"
        "The assessment closes on 14 March 2031.\n"
        "\n"
        "Your personal link (it is yours alone: do not forward it):\n"
        f"{URL}\n"
        "\n"
        "What happens to your answers\n"
        "- Alice Smith, who runs the assessment, sees who has answered and the results as they "
        "come in.\n"
        "- The management of Acme Insurance sees only published group results: never your "
        "individual answers, and never a figure that rests on fewer than 7 people.\n"
        "- A comment you write reaches the management only if the consultant chooses to share "
        "it, and then without your name.\n"
        "\n"
        "Questions? Reply to this e-mail to reach Alice Smith.\n"
        "\n"
        "-- \n"
        "GenAI Readiness sends this e-mail on behalf of Alice Smith of Initrode Consulting. If "
        "you were not expecting it, you can ignore it.\n"
    )


def test_respondent_mail_without_a_name_greets_without_one(mailoutbox, response, alice):
    response.contact.name = ""

    send(response, alice)

    assert mailoutbox[0].body.splitlines()[0] == "Hello,"


def test_respondent_mail_without_a_closing_date_gives_none(mailoutbox, response, alice):
    send(response, alice)

    lines = mailoutbox[0].body.splitlines()
    assert [line for line in lines if line.startswith("The assessment closes")] == []


def test_respondent_mail_replacing_a_link_says_so_first(mailoutbox, response, alice):
    send(response, alice, replaces_earlier=True)

    assert mailoutbox[0].body.splitlines()[:3] == [
        "Hello Dana Scully,",
        "",
        "This is a new personal link. It replaces the one sent to you earlier, which no longer "
        "works. Everything you have answered so far is kept.",
    ]


def test_respondent_mail_of_a_first_link_says_nothing_of_a_replacement(mailoutbox, response, alice):
    send(response, alice)

    assert "replaces" not in mailoutbox[0].body
    assert "replaces" not in mailoutbox[0].alternatives[0].content


# the HTML part


def test_respondent_mail_html_links_the_button_and_the_written_out_address(
    mailoutbox, response, alice
):
    send(response, alice)

    html = html_of(mailoutbox[0])
    assert html.hrefs == [URL, URL]
    assert html.blocks[html.blocks.index("Open the assessment") + 1 :][:2] == [
        "If the button does not work, copy this address into your browser:",
        URL,
    ]


def test_respondent_mail_html_says_who_asks_why_and_who_sees_what(mailoutbox, response, alice):
    response.assessment.closes_on = date(2031, 3, 14)
    response.assessment.save()

    send(response, alice)

    assert html_of(mailoutbox[0]).blocks == [
        "Your personal link: GenAI readiness assessment for Acme Insurance",
        "Initrode Consulting",  # the header names the consultancy (CONSULTANCY_NAME)
        "Hello Dana Scully,",
        "Alice Smith of Initrode Consulting is running the GenAI readiness assessment of Acme "
        "Insurance and asks for your view. It finds out whether the GenAI initiative of Acme "
        "Insurance is ready for production, and what to fix first.",
        "It takes about 15 minutes. Every answer is saved as you give it: you can stop at any "
        "time and come back with this same link. The assessment closes on 14 March 2031.",
        "Open the assessment",
        "If the button does not work, copy this address into your browser:",
        URL,
        "This link is yours alone: do not forward it.",
        "What happens to your answers",
        "Alice Smith, who runs the assessment, sees who has answered and the results as they "
        "come in.",
        "The management of Acme Insurance sees only published group results: never your "
        "individual answers, and never a figure that rests on fewer than 5 people.",
        "A comment you write reaches the management only if the consultant chooses to share "
        "it, and then without your name.",
        "Questions? Reply to this e-mail to reach Alice Smith.",
        "GenAI Readiness sends this e-mail on behalf of Alice Smith of Initrode Consulting. If "
        "you were not expecting it, you can ignore it.",
    ]


def test_respondent_mail_html_of_a_replacement_says_so_after_the_greeting(
    mailoutbox, response, alice
):
    send(response, alice, replaces_earlier=True)

    assert html_of(mailoutbox[0]).blocks[2:4] == [
        "Hello Dana Scully,",
        "This is a new personal link. It replaces the one sent to you earlier, which no longer "
        "works. Everything you have answered so far is kept.",
    ]


def test_respondent_mail_html_escapes_the_organisation_name(mailoutbox, response, alice):
    organisation = response.assessment.organisation
    organisation.name = "Acme <b>& Sons</b>"
    organisation.save()

    send(response, alice)

    html = html_of(mailoutbox[0])
    assert html.blocks[0] == "Your personal link: GenAI readiness assessment for Acme <b>& Sons</b>"
    assert "<b>" not in mailoutbox[0].alternatives[0].content


# through the services


def test_invite_respondents_greets_each_invitee_by_the_name_pasted(
    mailoutbox, open_assessment, alice
):
    services.invite_respondents(
        assessment=open_assessment,
        invitees=[Invitee("dana@example.org", "Dana Scully"), Invitee("erik@example.org")],
        sent_by=alice,
    )

    assert [message.body.splitlines()[0] for message in mailoutbox] == [
        "Hello Dana Scully,",
        "Hello,",
    ]


def test_resend_link_mails_the_replacement_wording(mailoutbox, response, alice):
    services.resend_link(response=response, sent_by=alice)

    assert mailoutbox[0].subject == (
        "New personal link, replacing the earlier one: GenAI readiness assessment for "
        "Acme Insurance"
    )
