"""In development each e-mail is printed as a person reads it: envelope, text and whole links."""

import io

from django.core.mail import EmailMultiAlternatives

from accounts.console_mail import RULE, ReadableConsoleBackend

LINK = "http://127.0.0.1:8000/accounts/invitations/Zx3-very-long-token-that-mime-would-wrap-0123456789abcdef/"


def printed(message) -> str:
    stream = io.StringIO()
    ReadableConsoleBackend(stream=stream).send_messages([message])
    return stream.getvalue()


def test_a_mail_is_printed_with_its_envelope_text_and_whole_link():
    message = EmailMultiAlternatives(
        subject="Zoë invites you to Acme Insurance",
        body=f"Hello,\n\nJoin Acme Insurance on GenAI Readiness:\n{LINK}\n",
        from_email="Zoë Smith via GenAI Readiness <noreply@localhost>",
        to=["maria@client.example"],
        reply_to=["zoe@consulting.example"],
    )
    message.attach_alternative(f'<p><a href="{LINK}">Join</a></p>', "text/html")

    assert printed(message).splitlines() == [
        RULE,
        "From: Zoë Smith via GenAI Readiness <noreply@localhost>",
        "To: maria@client.example",
        "Reply-To: zoe@consulting.example",
        "Subject: Zoë invites you to Acme Insurance",
        "",
        "Hello,",
        "",
        "Join Acme Insurance on GenAI Readiness:",
        LINK,
        "",
        "(an HTML version with the same text is attached)",
        RULE,
    ]


def test_development_settings_print_mail_readably(tmp_path):
    from tests.accounts.test_settings import manage

    result = manage(
        "shell",
        "-c",
        "from django.core import mail; print(mail.mailers['default'].__class__.__name__)",
        DEBUG="1",
    )

    assert result.stdout.strip().splitlines()[-1] == "ReadableConsoleBackend", result.stderr
