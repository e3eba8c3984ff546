"""Shared start-up for the benchmark scripts: a PostgreSQL database of their own, Django set up."""

import os
import sys
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


def questionnaire():
    from assessments.questionnaire_files import BUNDLED, load_file

    return load_file(BUNDLED).questionnaire
