import email
import email.policy
from email.headerregistry import Address

import pytest
from django.utils import dateformat, timezone

from accounts import services
from accounts.mail import from_address, one_line, reply_to, sender_name
from accounts.models import Role, User
from tests.mails import html_of

pytestmark = pytest.mark.django_db

INVITATION_URL = "https://readiness.example.com/accounts/invitations/"


@pytest.fixture(autouse=True)
def mail_settings(settings):
    settings.SITE_URL = "https://readiness.example.com"
    settings.DEFAULT_FROM_EMAIL = "GenAI Readiness <readiness@initrode.example>"
    settings.CONSULTANCY_NAME = "Initrode Consulting"
    settings.INVITATION_MAX_AGE_DAYS = 14


@pytest.fixture
def alice(consultant):
    consultant.name = "Alice Smith"
    consultant.save()
    return consultant


def invite(organisation, inviter, role=Role.MANAGER):
    return services.invite_member(
        organisation=organisation, email="dana@example.org", role=role, invited_by=inviter
    )


def link_of(message) -> str:
    [url] = [line for line in message.body.splitlines() if line.startswith(INVITATION_URL)]
    return url


def until(invitation) -> str:
    return dateformat.format(timezone.localtime(invitation.expires_at), "j F Y")


def sent_headers(message) -> email.message.EmailMessage:
    """The message as a mail server receives it, read back by a mail program."""
    raw = message.message().as_bytes(policy=email.policy.SMTP)
    return email.message_from_bytes(raw, policy=email.policy.default)


# one_line and the sender


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("Acme\nCorp & Sons", "Acme Corp & Sons"),
        ("  Acme\r\n\tCorp  ", "Acme Corp"),
        ("Acme\u2028Corp", "Acme Corp"),
        ("Acme\x00 Corp\x1b", "Acme Corp"),
        ("Acme\u202eCorp", "AcmeCorp"),
    ],
)
def test_one_line_collapses_whitespace_and_drops_control_characters(text, line):
    assert one_line(text) == line


def test_sender_name_names_the_consultant_and_the_firm(settings):
    assert sender_name(User(name="Alice Smith")) == (
        "Alice Smith, Initrode Consulting via GenAI Readiness"
    )


def test_sender_name_leaves_out_what_is_empty(settings):
    settings.CONSULTANCY_NAME = ""

    assert [
        sender_name(User(name="Alice Smith")),
        sender_name(User(name="")),
        sender_name(None),
    ] == [
        "Alice Smith via GenAI Readiness",
        "GenAI Readiness",
        "GenAI Readiness",
    ]


def test_sender_name_without_a_consultant_names_the_firm(settings):
    assert sender_name(None) == "Initrode Consulting via GenAI Readiness"


def test_sender_name_strips_line_breaks_from_names(settings):
    settings.CONSULTANCY_NAME = "Initrode\r\nConsulting"

    assert sender_name(User(name="Alice\nSmith")) == (
        "Alice Smith, Initrode Consulting via GenAI Readiness"
    )


def test_from_address_keeps_the_address_of_the_default_sender():
    assert from_address(User(name="Alice Smith")) == (
        '"Alice Smith, Initrode Consulting via GenAI Readiness" <readiness@initrode.example>'
    )


def test_reply_to_is_the_consultant_or_nobody():
    assert [reply_to(User(name="Smith, Alice", email="alice@example.org")), reply_to(None)] == [
        ['"Smith, Alice" <alice@example.org>'],
        [],
    ]


def test_sender_with_a_comma_and_an_accent_arrives_as_one_address(mailoutbox, organisation, alice):
    alice.name = "Zoë Smith, PhD"
    alice.save()

    invite(organisation, alice)

    headers = sent_headers(mailoutbox[0])
    assert headers["From"].addresses == (
        Address(
            display_name="Zoë Smith, PhD, Initrode Consulting via GenAI Readiness",
            addr_spec="readiness@initrode.example",
        ),
    )
    assert headers["Reply-To"].addresses == (
        Address(display_name="Zoë Smith, PhD", addr_spec="alice@example.org"),
    )


# the member invitation: headers


def test_invitation_comes_from_the_inviter_and_the_firm(mailoutbox, organisation, alice):
    invite(organisation, alice)

    message = mailoutbox[0]
    assert (message.to, message.from_email, message.reply_to) == (
        ["dana@example.org"],
        '"Alice Smith, Initrode Consulting via GenAI Readiness" <readiness@initrode.example>',
        ["Alice Smith <alice@example.org>"],
    )


def test_manager_invitation_subject_says_what_is_offered(mailoutbox, organisation, alice):
    invite(organisation, alice, role=Role.MANAGER)

    assert mailoutbox[0].subject == (
        "Alice Smith invites you to see the GenAI readiness results of Acme Insurance"
    )


def test_consultant_invitation_subject_says_what_is_offered(mailoutbox, organisation, alice):
    invite(organisation, alice, role=Role.CONSULTANT)

    assert mailoutbox[0].subject == (
        "Alice Smith invites you to run GenAI readiness assessments for Acme Insurance"
    )


def test_invitation_subject_is_one_unescaped_line_whatever_the_organisation_name(
    mailoutbox, organisation, alice
):
    organisation.name = "Acme\nCorp & Sons"
    organisation.save()

    invite(organisation, alice)

    message = mailoutbox[0]
    assert message.subject == (
        "Alice Smith invites you to see the GenAI readiness results of Acme Corp & Sons"
    )
    assert sent_headers(message)["Subject"] == message.subject


def test_invitation_from_an_inviter_with_a_line_break_in_the_name_is_sent(
    mailoutbox, organisation, alice
):
    alice.name = "Alice\nSmith"
    alice.save()

    invite(organisation, alice)

    message = mailoutbox[0]
    assert (message.subject, message.reply_to) == (
        "Alice Smith invites you to see the GenAI readiness results of Acme Insurance",
        ["Alice Smith <alice@example.org>"],
    )


# the member invitation: text and HTML


def test_manager_invitation_text_says_what_a_client_manager_sees_and_does(
    mailoutbox, organisation, alice
):
    invitation = invite(organisation, alice, role=Role.MANAGER)

    message = mailoutbox[0]
    assert message.body == (
        "Hello,\n"
        "\n"
        "Alice Smith of Initrode Consulting invites you to see the results of the GenAI "
        "readiness assessments of Acme Insurance, as a client manager.\n"
        "\n"
        "As a client manager you can:\n"
        "- See the published group results of each assessment of Acme Insurance: the verdict, "
        "the six areas, red flags and what to fix first. You never see an individual’s "
        "answers, nor a figure that rests on fewer people than the assessment’s anonymity "
        "threshold.\n"
        "- Open the dashboard and download the PDF report for your board.\n"
        "- Invite other managers of Acme Insurance.\n"
        "\n"
        "Accept the invitation:\n"
        f"{link_of(message)}\n"
        "\n"
        f"The link works once and is valid for 14 days, until {until(invitation)}.\n"
        "\n"
        "Questions? Reply to this e-mail to reach Alice Smith.\n"
        "\n"
        "-- \n"
        "GenAI Readiness sends this e-mail on behalf of Alice Smith of Initrode Consulting. If "
        "you were not expecting it, you can ignore it.\n"
    )


def test_manager_invitation_html_says_what_a_client_manager_sees_and_does(
    mailoutbox, organisation, alice
):
    invitation = invite(organisation, alice, role=Role.MANAGER)

    url = link_of(mailoutbox[0])
    assert html_of(mailoutbox[0]).blocks == [
        "Alice Smith invites you to see the GenAI readiness results of Acme Insurance",
        "Initrode Consulting",  # the header names the consultancy (CONSULTANCY_NAME)
        "Hello,",
        "Alice Smith of Initrode Consulting invites you to see the results of the GenAI "
        "readiness assessments of Acme Insurance, as a client manager.",
        "As a client manager you can:",
        "See the published group results of each assessment of Acme Insurance: the verdict, "
        "the six areas, red flags and what to fix first. You never see an individual’s "
        "answers, nor a figure that rests on fewer people than the assessment’s anonymity "
        "threshold.",
        "Open the dashboard and download the PDF report for your board.",
        "Invite other managers of Acme Insurance.",
        "Accept the invitation",
        "If the button does not work, copy this address into your browser:",
        url,
        f"The link works once and is valid for 14 days, until {until(invitation)}.",
        "Questions? Reply to this e-mail to reach Alice Smith.",
        "GenAI Readiness sends this e-mail on behalf of Alice Smith of Initrode Consulting. If "
        "you were not expecting it, you can ignore it.",
    ]


def test_invitation_html_links_the_button_and_the_written_out_address(
    mailoutbox, organisation, alice
):
    invite(organisation, alice)

    url = link_of(mailoutbox[0])
    assert html_of(mailoutbox[0]).hrefs == [url, url]


def test_manager_invitation_does_not_invite_to_their_own_company(mailoutbox, organisation, alice):
    invite(organisation, alice, role=Role.MANAGER)

    assert "invites you to join" not in mailoutbox[0].body
    assert "invited to Acme Insurance" not in mailoutbox[0].body


def test_consultant_invitation_says_what_a_consultant_does(mailoutbox, organisation, alice):
    invite(organisation, alice, role=Role.CONSULTANT)

    lines = mailoutbox[0].body.splitlines()
    assert lines[2] == (
        "Alice Smith of Initrode Consulting invites you to join Acme Insurance on GenAI "
        "Readiness as a consultant: you will set up its GenAI readiness assessments, invite "
        "respondents and follow the results as they come in."
    )
    assert "As a client manager you can:" not in lines


def test_invitation_gives_its_validity_in_days(mailoutbox, organisation, alice, settings):
    settings.INVITATION_MAX_AGE_DAYS = 1

    invitation = invite(organisation, alice)

    assert (
        f"The link works once and is valid for 1 day, until {until(invitation)}."
        in mailoutbox[0].body.splitlines()
    )


def test_invitation_without_a_firm_names_the_inviter_only(
    mailoutbox, organisation, alice, settings
):
    settings.CONSULTANCY_NAME = ""

    invite(organisation, alice)

    message = mailoutbox[0]
    assert (message.from_email, message.body.splitlines()[2]) == (
        "Alice Smith via GenAI Readiness <readiness@initrode.example>",
        "Alice Smith invites you to see the results of the GenAI readiness assessments of "
        "Acme Insurance, as a client manager.",
    )


def test_invitation_from_an_inviter_without_a_name_uses_their_address(
    mailoutbox, organisation, alice
):
    alice.name = ""
    alice.save()

    invite(organisation, alice)

    message = mailoutbox[0]
    assert (message.from_email, message.reply_to, message.subject) == (
        "Initrode Consulting via GenAI Readiness <readiness@initrode.example>",
        ["alice@example.org"],
        "alice@example.org invites you to see the GenAI readiness results of Acme Insurance",
    )
