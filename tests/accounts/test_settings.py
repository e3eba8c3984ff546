"""Settings as production sees them: manage.py in a fresh process with a production environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

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
    assert (
        "ImproperlyConfigured: SECRET_KEY is not set. Set the SECRET_KEY environment variable "
        "(or DEBUG=1 for local development)."
    ) in result.stderr


def test_check_without_secret_key_in_debug_starts_for_local_development():
    result = manage("check", DEBUG="1")

    assert result.returncode == 0, result.stdout + result.stderr
