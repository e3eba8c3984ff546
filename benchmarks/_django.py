"""Shared start-up for the benchmark scripts: a PostgreSQL database of their own, Django set up."""

import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/readiness_bench"

BENCH_ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "SECRET_KEY": "benchmark-only-secret-key-not-for-production-use-0123456789",
    "DEBUG": "0",
    "SECURE_SSL_REDIRECT": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "LOG_LEVEL": "WARNING",
}


def setup() -> str:
    """Point Django at the benchmark database (created if missing) and migrate it."""
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    for key, value in BENCH_ENVIRONMENT.items():
        os.environ.setdefault(key, value)
    _create_database(os.environ["DATABASE_URL"])
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return os.environ["DATABASE_URL"]


def _create_database(url: str) -> None:
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        return
    import psycopg

    name = parsed.path.lstrip("/")
    server = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def remove_benchmark_data(prefix: str) -> None:
    """What a run left behind: its organisations, with all they hold, and its users."""
    from accounts.models import Organisation, User

    Organisation.objects.filter(slug__startswith=prefix).delete()
    User.objects.filter(email__endswith=f"@{prefix}.example").delete()


def questionnaire():
    from assessments.questionnaire_files import BUNDLED, load_file

    return load_file(BUNDLED).questionnaire


def timed(function, repeat: int) -> float:
    """The median of `repeat` runs, in milliseconds."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        runs.append(time.perf_counter() - started)
    return round(statistics.median(runs) * 1000, 1)


def cpu_reference() -> float:
    """Summing ten million integers: tells a slow machine from a slow page."""
    return timed(lambda: sum(range(10_000_000)), 3)


def client_for(user):
    """Django's test client (no network), logged in as `user` unless None."""
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    if user is not None:
        client.force_login(user)
    return client


def get(client, url: str, params=None):
    """A function that requests `url` and checks that it answered 200."""

    def run():
        response = client.get(url, params or {})
        assert response.status_code == 200, (url, response.status_code)
        return response

    return run


def bare_view_ms() -> float:
    """`/health/`, a view that does nothing, through the same middleware: the floor."""
    return timed(get(client_for(None), "/health/"), 50)


def queries(function) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def static_files_unhashed() -> None:
    """Serve static files without a manifest: benchmarks run without collectstatic."""
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
