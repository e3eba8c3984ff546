"""Requests to every kind of secret link leave no token in Django's or gunicorn's logs.

Each request goes through the test client with the link in its path and in its Referer;
Django's loggers write what they write (a "Not Found", a "Gone"), and gunicorn's access log
writes the request line as it would in production. Then the logs are searched for the token.
"""

import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from gunicorn.config import Config

from config.gunicorn import RedactingLogger
from tests.factories import InvitationFactory, ResponseFactory, UserFactory

pytestmark = pytest.mark.django_db

RESPONSE_TOKEN = "dana-personal-respondent-token-4f9a"
INVITATION_TOKEN = "erik-invitation-token-8c2e1d"


@pytest.fixture
def access_log(tmp_path):
    cfg = Config()
    cfg.set("accesslog", str(tmp_path / "access.log"))
    cfg.set("errorlog", str(tmp_path / "error.log"))
    logger = RedactingLogger(cfg)
    return logger, tmp_path


def gunicorn_logs(logger: RedactingLogger, request, response) -> None:
    """What gunicorn writes for a request the test client made."""
    path, query = request["PATH_INFO"], request.get("QUERY_STRING", "")
    raw_uri = f"{path}?{query}" if query else path
    environ = {
        "REQUEST_METHOD": request["REQUEST_METHOD"],
        "RAW_URI": raw_uri,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.7",
        "HTTP_REFERER": request.get("HTTP_REFERER", "-"),
    }
    req = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    resp = SimpleNamespace(
        status=f"{response.status_code} X", sent=len(response.content), headers=response.items()
    )
    logger.access(resp, req, environ, timedelta(milliseconds=5))
    if response.status_code >= 500:
        logger.error("Error handling request %s", raw_uri)


def visit(client, caplog, logger, url: str, referer: str, *, follow: bool = True) -> None:
    with caplog.at_level(logging.DEBUG):
        response = client.get(url, HTTP_REFERER=f"https://mail.example{referer}")
        gunicorn_logs(logger, response.wsgi_request.META, response)
        while follow and response.status_code in (301, 302):
            response = client.get(response["Location"], HTTP_REFERER=f"https://x.example{url}")
            gunicorn_logs(logger, response.wsgi_request.META, response)


def everything_logged(caplog, folder) -> str:
    django = "\n".join(record.getMessage() for record in caplog.records)
    gunicorn = (folder / "access.log").read_text() + (folder / "error.log").read_text()
    assert gunicorn  # the access log did record the requests
    return django + "\n" + gunicorn


@pytest.mark.parametrize("token", [RESPONSE_TOKEN, "mistyped-respondent-token-77"])
def test_respondent_link_token_is_not_logged(client, caplog, access_log, token):
    ResponseFactory(token=RESPONSE_TOKEN)
    logger, folder = access_log

    visit(client, caplog, logger, f"/r/{token}/", f"/r/{token}/")

    logged = everything_logged(caplog, folder)
    assert token not in logged
    assert "/r/…/" in logged


@pytest.mark.parametrize("token", [INVITATION_TOKEN, "mistyped-invitation-token-31"])
def test_invitation_token_is_not_logged(client, caplog, access_log, token):
    InvitationFactory(token=INVITATION_TOKEN, email="erik@example.org")
    logger, folder = access_log

    visit(client, caplog, logger, f"/accounts/invitations/{token}/", "/accounts/invitations/x/")

    logged = everything_logged(caplog, folder)
    assert token not in logged
    assert "/accounts/invitations/…/" in logged


def test_invitation_token_of_an_existing_account_is_not_logged_on_the_way_to_login(
    client, caplog, access_log
):
    UserFactory(email="erik@example.org")
    InvitationFactory(token=INVITATION_TOKEN, email="erik@example.org")
    logger, folder = access_log

    visit(client, caplog, logger, f"/accounts/invitations/{INVITATION_TOKEN}/", "/")

    logged = everything_logged(caplog, folder)
    assert INVITATION_TOKEN not in logged
    assert "/accounts/login/?next=/accounts/invitations/…/" in logged


@pytest.mark.parametrize("valid", [True, False])
def test_password_reset_token_is_not_logged(client, caplog, access_log, valid):
    user = UserFactory(email="dana@example.org")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user) if valid else "cz6ki4-0123456789abcdef"
    logger, folder = access_log
    url = f"/accounts/password-reset/{uid}/{token}/"

    visit(client, caplog, logger, url, url)

    logged = everything_logged(caplog, folder)
    assert token not in logged
    assert f"/accounts/password-reset/{uid}/…/" in logged
