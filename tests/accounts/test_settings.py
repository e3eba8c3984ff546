"""Settings as production sees them: manage.py in a fresh process with a production environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings import secret_key_weakness

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# Everything a developer's or CI's environment may set that production would not.
DEVELOPMENT_VARIABLES = [
    "DEBUG",
    "SECRET_KEY",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_PRELOAD",
    "SECURE_HSTS_SECONDS",
    "DATABASE_URL",
    "EMAIL_URL",
    "ALLOWED_HOSTS",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by tests/conftest.py for Playwright
]


def manage(*args: str, **variables: str) -> subprocess.CompletedProcess:
    environment = {
        name: value for name, value in os.environ.items() if name not in DEVELOPMENT_VARIABLES
    }
    return subprocess.run(  # noqa: S603 (a fixed command: our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env={**environment, **variables},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_with_a_production_environment_passes():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="example.com",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "System check identified no issues (0 silenced).\n"


def test_check_without_secret_key_and_without_debug_refuses_to_start():
    result = manage("check")

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set. Set the SECRET_KEY environment" in (
        result.stderr
    )


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("x", "is shorter than 50 characters"),
        ("a" * 21 + secrets.token_hex(14), "is shorter than 50 characters"),
        ("ab" * 40, "has fewer than 5 different characters"),
        ("insecure-development-key-only-used-with-debug", "is a published default"),
        ("django-insecure-" + secrets.token_urlsafe(50), "is a published default"),
    ],
    ids=[
        "one-character",
        "49-characters",
        "repetitive",
        "our-development-key",
        "django-placeholder",
    ],
)
def test_check_with_a_weak_secret_key_and_without_debug_refuses_to_start(key, reason):
    result = manage("check", SECRET_KEY=key, ALLOWED_HOSTS="example.com")

    assert result.returncode != 0
    assert f"ImproperlyConfigured: SECRET_KEY {reason}. Set the SECRET_KEY" in result.stderr


def test_check_with_a_weak_secret_key_in_debug_starts_for_local_development():
    result = manage("check", SECRET_KEY="x", DEBUG="1")

    assert result.returncode == 0, result.stdout + result.stderr


def test_a_secret_key_of_fifty_random_characters_is_strong_enough():
    key = secrets.token_urlsafe(38)[:50]

    assert (len(key), secret_key_weakness(key)) == (50, "")


def test_check_without_secret_key_in_debug_starts_for_local_development():
    result = manage("check", DEBUG="1")

    assert result.returncode == 0, result.stdout + result.stderr
