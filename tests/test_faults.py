"""Faults a respondent must not notice: the database restarting in the middle of a session.

Runs against PostgreSQL (as CI does and production is), through gunicorn with persistent
database connections as in production: the test's own live server opens a new connection
for every request and would hide the fault.
"""

import http.cookiejar
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from assessments.models import Answer
from tests.factories import ResponseFactory

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: run with DATABASE_URL=postgres://… (CI does)",
    ),
]


@pytest.fixture
def app(transactional_db):
    """gunicorn on the test database, one sync worker keeping its connection (CONN_MAX_AGE)."""
    database = connection.settings_dict
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        ),
        "DEBUG": "1",  # plain HTTP cookies; database connections behave as in production
        "CONN_MAX_AGE": "60",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    server = subprocess.Popen(  # noqa: S603 - our own app
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environment,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/health/", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


class Browser:
    """Just enough of a browser: cookies, and the CSRF token Django's forms ask for."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str) -> int:
        with self.opener.open(self.base + path) as page:
            return page.status

    def post(self, path: str, data: dict) -> int:
        csrf = next(c.value for c in self.cookies if c.name == "csrftoken")
        request = urllib.request.Request(  # noqa: S310 - our own app
            self.base + path,
            data=urllib.parse.urlencode(data).encode(),
            headers={"X-CSRFToken": csrf, "HX-Request": "true"},
        )
        with self.opener.open(request) as page:
            return page.status


def cut_every_connection_of_the_app() -> None:
    """What a database restart does to a running app: every connection it holds is cut."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        assert cursor.fetchone()[0] >= 1  # the app's kept connection was among them


def test_answers_survive_a_database_restart_in_the_middle_of_a_session(app, open_assessment):
    response = ResponseFactory(
        assessment=open_assessment,
        token="restart-link",
        perspective="business",
        importance={"data": 3, "ethics": 3},
    )
    browser = Browser(app)
    assert browser.get(reverse("respond:start", args=["restart-link"])) == 200
    assert (
        browser.post(reverse("respond:answer", args=["data.inventory"]), {"q-data.inventory": "2"})
        == 200
    )

    cut_every_connection_of_the_app()
    saved_after = browser.post(
        reverse("respond:answer", args=["data.quality"]), {"q-data.quality": "3"}
    )

    assert saved_after == 200
    assert dict(
        Answer.objects.filter(response=response).values_list("question__code", "level")
    ) == {"data.inventory": 2, "data.quality": 3}
