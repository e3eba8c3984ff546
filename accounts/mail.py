"""E-mails sent in a person's name: a plain-text and an HTML part rendered from templates.

The sender's address stays DEFAULT_FROM_EMAIL's (the domain's mail records cover it); the
display name says who asks, and replies go to that person.
"""

import logging
import re
import smtplib
import unicodedata
from datetime import timedelta
from email.headerregistry import Address
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .branding import PRODUCT_NAME, brand
from .models import OptionalMail, User
from .opt_out import opt_out_headers, opt_out_url

MAX_ATTEMPTS = 5
logger = logging.getLogger(__name__)


def one_line(text: str) -> str:
    """Text fit for a mail header: each run of whitespace, line breaks included, becomes one
    space, and other control characters are dropped (a line feed in a header is an error)."""
    kept = (
        character
        for character in text
        if character.isspace() or unicodedata.category(character) not in {"Cc", "Cf"}
    )
    return " ".join("".join(kept).split())


def sender_name(sender: User | None) -> str:
    """'Alice Smith, Initrode Consulting via GenAI Readiness', without the parts that are empty."""
    people = ", ".join(
        part for part in (one_line(sender.name) if sender else "", one_line(brand().name)) if part
    )
    if not people:
        return PRODUCT_NAME
    return _("%(people)s via %(product)s") % {"people": people, "product": PRODUCT_NAME}


def sender_label(sender: User | None) -> str:
    """Who sends, for the text of a mail: 'Alice Smith of Initrode Consulting'; "" for nobody."""
    if sender is None:
        return ""
    name = one_line(sender.name) or sender.email
    firm = one_line(brand().name)
    return _("%(name)s of %(firm)s") % {"name": name, "firm": firm} if firm else name


def mailbox(name: str, address: str) -> str:
    """'"Smith, Alice" <alice@example.org>': the name quoted where RFC 5322 needs it.

    Not email.utils.formataddr: it encodes a non-ASCII name as an RFC 2047 word, which
    the standard library's header folding (Django sends with it) then decodes and writes
    back without the quotes, so "Zoë Smith, Initrode" became two addresses.
    """
    return str(Address(display_name=one_line(name), addr_spec=address))


def from_address(sender: User | None) -> str:
    return mailbox(sender_name(sender), parseaddr(settings.DEFAULT_FROM_EMAIL)[1])


def reply_to(sender: User | None) -> list[str]:
    if sender is None:
        return []
    return [mailbox(sender.name, sender.email)]


def render_plain(template_name: str, context: dict) -> str:
    """Render a subject or text part: plain text, so nothing is HTML-escaped ('&', not '&amp;')."""
    template = Engine.get_default().get_template(template_name)
    return template.render(Context(context, autoescape=False))


def send_templated_mail(
    *,
    template: str,
    context: dict,
    to: list[str],
    sender: User | None = None,
    optional: OptionalMail | None = None,
    language: str | None = None,
) -> None:
    """Send `<template>_subject.txt`, `<template>.txt` and `<template>.html` to `to`.

    The templates also get `sender`, `sender_label` (see there) and the consultancy's
    `brand`. The subject is one line whatever the context holds (an organisation name with
    a line break, an ampersand). An `optional` mail goes to one receiver, whom the caller
    checked has not turned it off; it carries the link that does (`opt_out_url` in the
    templates, and the List-Unsubscribe headers). It is written in `language`, by default
    the one active (the request's).
    """
    headers = {}
    if optional is not None:
        [receiver] = to
        url = opt_out_url(optional, receiver)
        headers = opt_out_headers(url)
        context = {"opt_out_url": url, **context}
    context = {"sender": sender, "sender_label": sender_label(sender), "brand": brand(), **context}
    with translation.override(language or translation.get_language()):
        subject = one_line(render_plain(f"{template}_subject.txt", context))
        body = re.sub(r"\n{3,}", "\n\n", render_plain(f"{template}.txt", context)).strip()
        html = render_to_string(f"{template}.html", {**context, "subject": subject})
    deliver_mail.enqueue(
        subject=subject,
        body=body + "\n",
        html=html,
        from_email=from_address(sender),
        to=list(to),
        reply_to=reply_to(sender),
        headers=headers,
    )


@task
def deliver_mail(
    *,
    subject: str,
    body: str,
    html: str,
    from_email: str,
    to: list[str],
    reply_to: list[str],
    headers: dict[str, str] | None = None,
    attempt: int = 1,
) -> None:
    """Hand one rendered message to the mail server; on a failure, try again later.

    Retries back off (2, 4, 8, 16 minutes) where the task backend can defer a task (the
    database queue); the fifth failure is logged and raised, so the task shows as failed.
    """
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=from_email,
        to=to,
        reply_to=reply_to,
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except (OSError, smtplib.SMTPException):
        if attempt >= MAX_ATTEMPTS or not deliver_mail.get_backend().supports_defer:
            logger.exception("Mail to %s failed %d times; giving up.", to, attempt)
            raise
        logger.warning("Mail to %s failed (attempt %d); trying again later.", to, attempt)
        deliver_mail.using(run_after=timezone.now() + timedelta(minutes=2**attempt)).enqueue(
            subject=subject,
            body=body,
            html=html,
            from_email=from_email,
            to=to,
            reply_to=reply_to,
            headers=headers,
            attempt=attempt + 1,
        )
