"""Respondent, invitation and password-reset tokens never reach Django's request and server logs."""

import logging

import pytest
from django.utils.log import ServerFormatter

from config.logging import RedactSecretLinks, redact_secret_links


def record(msg: str, *args, name: str = "django.request") -> logging.LogRecord:
    return logging.LogRecord(name, logging.WARNING, __file__, 1, msg, args, None)


def filtered(entry: logging.LogRecord) -> logging.LogRecord:
    assert RedactSecretLinks().filter(entry) is True
    return entry


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("/r/dana-personal-link/", "/r/…/"),
        ("/r/dana-personal-link", "/r/…"),
        ("/r/dana-personal-link?utm_source=mail", "/r/…?utm_source=mail"),
        ("https://readiness.example/r/Ab_3-x9/", "https://readiness.example/r/…/"),
        (
            '"GET /r/a1/ HTTP/1.1" 302 0 "https://mail.example/r/b2/"',
            '"GET /r/…/ HTTP/1.1" 302 0 "https://mail.example/r/…/"',
        ),
        ("/respond/pillar/data/", "/respond/pillar/data/"),
        ("/o/acme/assessments/3/", "/o/acme/assessments/3/"),
        ("/accounts/invitations/Xy_9-abc/", "/accounts/invitations/…/"),
        ("/accounts/invitations/Xy_9-abc", "/accounts/invitations/…"),
        (
            "/accounts/login/?next=/accounts/invitations/Xy9/",
            "/accounts/login/?next=/accounts/invitations/…/",
        ),
        (
            "/accounts/login/?next=%2Faccounts%2Finvitations%2FXy9%2F&x=1",
            "/accounts/login/?next=%2Faccounts%2Finvitations%2F…%2F&x=1",
        ),
        ("/accounts/password-reset/MQ/cz6ki4-0a1b2c3d/", "/accounts/password-reset/MQ/…/"),
        ("/accounts/password-reset/MQ/set-password/", "/accounts/password-reset/MQ/set-password/"),
        ("/accounts/password-reset/sent/", "/accounts/password-reset/sent/"),
        ("/accounts/password-reset/done/", "/accounts/password-reset/done/"),
        ("/accounts/password-reset/", "/accounts/password-reset/"),
        ("/o/acme/invitations/3/revoke/", "/o/acme/invitations/3/revoke/"),
    ],
)
def test_redact_secret_links(text, redacted):
    assert redact_secret_links(text) == redacted


def test_filter_redacts_a_token_passed_as_an_argument():
    entry = filtered(record("Not Found: %s", "/r/dana-personal-link/"))

    assert (entry.getMessage(), entry.msg, entry.args) == (
        "Not Found: /r/…/",
        "Not Found: /r/…/",
        (),
    )


def test_filter_redacts_a_token_in_the_message_itself():
    entry = filtered(record("Gone: /r/dana-personal-link/"))

    assert entry.getMessage() == "Gone: /r/…/"


def test_filter_leaves_a_record_without_a_link_as_it_was():
    entry = filtered(record("Not Found: %s", "/respond/pillar/finance/"))

    assert (entry.msg, entry.args) == ("Not Found: %s", ("/respond/pillar/finance/",))


def test_filter_does_not_format_a_redacted_message_twice():
    entry = filtered(record("Not Found: %s", "/r/100%25/?q=%s"))

    assert entry.getMessage() == "Not Found: /r/…/?q=%s"


@pytest.mark.parametrize("name", ["django.request", "django.server"])
def test_settings_put_the_filter_on_the_logger(name):
    assert [type(f) for f in logging.getLogger(name).filters] == [RedactSecretLinks]


def test_development_server_log_line_is_redacted():
    """As `runserver` logs a request: the request line as an argument, then Django's format."""
    logger = logging.getLogger("django.server")
    lines: list[str] = []
    handler = logging.Handler()
    handler.setFormatter(ServerFormatter(fmt="{message}", style="{"))
    handler.emit = lambda entry: lines.append(handler.format(entry))
    logger.addHandler(handler)
    try:
        logger.info(
            '"%s" %s %s',
            "GET /r/dana-personal-link/ HTTP/1.1",
            "302",
            "0",
            extra={"status_code": 302, "server_time": "26/Nov/2026 15:00:00"},
        )
    finally:
        logger.removeHandler(handler)

    assert lines == ['"GET /r/…/ HTTP/1.1" 302 0']
