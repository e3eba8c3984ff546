import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIServer
from django.test import Client
from django.test.testcases import LiveServerThread
from django.utils import translation

from accounts.branding import forget_brand
from accounts.models import Role
from assessments.models import pillars_by_code, questions_by_code
from tests.factories import (
    AssessmentFactory,
    MembershipFactory,
    OrganisationFactory,
    PillarFactory,
    QuestionFactory,
    QuestionnaireFactory,
    UserFactory,
)

# Sync Playwright runs an event loop in the test thread; Django's ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Debian's Chromium; CHROMIUM points elsewhere (CI points it nowhere to run as a machine without).
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's Chromium; without it they skip, unless CI demands them."""
    if shutil.which(CHROMIUM):
        return
    browser_tests = [item for item in items if item.get_closest_marker("browser")]
    if not browser_tests:
        return
    if os.environ.get("REQUIRE_BROWSER_TESTS"):
        raise pytest.UsageError(
            f"REQUIRE_BROWSER_TESTS is set but {CHROMIUM} is missing: apt-get install -y chromium"
        )
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} not found; install it with: sudo apt-get install -y chromium"
    )
    for item in browser_tests:
        item.add_marker(skip)


class SerialWSGIServer(WSGIServer):
    """The live server, answering one request at a time.

    With an in-memory SQLite database every request of the live server runs on the test's
    one connection. Threads answering at once (a presenter tab or two and four phones, all
    polling) interleave their transactions on it and fail with "database table is locked",
    a 500 that no real database gives. One at a time, and without keep-alive (Django closes
    connections of a server that is not threaded), so no idle browser holds the others up.
    """

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)  # the server thread already uses the overrides


if not os.environ.get("DATABASE_URL", "sqlite").startswith("postgres"):
    LiveServerThread.server_class = SerialWSGIServer


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot into var/screenshots/ so that pages can be looked at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def log_in(page, live_server):
    """Log the browser page in as a user, through a session cookie made by the test client."""

    def log_in_as(user) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        page.context.add_cookies(
            [{"name": "sessionid", "value": cookie.value, "url": live_server.url}]
        )

    return log_in_as


# The cast: alice is the consultant, bob the client manager, carol a second manager, and
# charlie belongs to another organisation. Respondents are no members: they answer through
# personal links.
@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Acme Insurance", slug="acme")


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(name="Globex Retail", slug="globex")


@pytest.fixture
def consultant(organisation):
    user = UserFactory(email="alice@example.org", is_consultant=True)
    MembershipFactory(user=user, organisation=organisation, role=Role.CONSULTANT)
    return user


@pytest.fixture
def manager(organisation):
    user = UserFactory(email="bob@example.org")
    MembershipFactory(user=user, organisation=organisation, role=Role.MANAGER)
    return user


@pytest.fixture
def second_manager(organisation):
    user = UserFactory(email="carol@example.org")
    MembershipFactory(user=user, organisation=organisation, role=Role.MANAGER)
    return user


@pytest.fixture
def outsider(other_organisation):
    user = UserFactory(email="charlie@example.org", is_consultant=True)
    MembershipFactory(user=user, organisation=other_organisation, role=Role.CONSULTANT)
    return user


@pytest.fixture
def staff(db):
    return UserFactory(email="staff@example.org", is_staff=True)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def consultant_client(consultant):
    return logged_in(consultant)


@pytest.fixture
def manager_client(manager):
    return logged_in(manager)


@pytest.fixture
def outsider_client(outsider):
    return logged_in(outsider)


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Tests do not run collectstatic, so serve static files without WhiteNoise's manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def product_language():
    """Each test starts in English: a request in another language leaves it active."""
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fresh_question_index():
    """Tests roll back and may reuse a questionnaire's id: start each with an empty index."""
    questions_by_code.cache_clear()
    pillars_by_code.cache_clear()


@pytest.fixture(autouse=True)
def fresh_brand():
    """The brand is read once per request (accounts.branding): tests start each afresh."""
    forget_brand()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Every factory user gets a password; the production hasher would cost ~0.3 s each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The question bank and an assessment for the respondent journey: two pillars, five questions.
@pytest.fixture
def small_questionnaire(db):
    questionnaire = QuestionnaireFactory(slug="readiness", version=1, title="Readiness")
    data = PillarFactory(questionnaire=questionnaire, code="data", order=1, name="Data foundation")
    ethics = PillarFactory(
        questionnaire=questionnaire, code="ethics", order=2, name="Ethics and governance"
    )
    for order, code in enumerate(["data.inventory", "data.quality", "data.rights"], start=1):
        QuestionFactory(
            pillar=data, code=code, order=order, text=f"How is {code} handled?", critical=False
        )
    for order, code in enumerate(["ethics.policy", "ethics.gdpr"], start=4):
        QuestionFactory(pillar=ethics, code=code, order=order, text=f"How is {code} handled?")
    return questionnaire


@pytest.fixture
def open_assessment(organisation, small_questionnaire):
    return AssessmentFactory(
        organisation=organisation, questionnaire=small_questionnaire, title="Spring check"
    )
