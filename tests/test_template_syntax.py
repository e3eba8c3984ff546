"""No page of the demo prints template syntax: a broken `{# … #}` or `{% … %}` shows up here.

Crawls the demo as each person would see it, following the links of every page it reaches,
and fails when the HTML outside <script> and <style> holds `{#`, `#}`, `{%`, `%}`, `{{` or
`}}`.
"""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client

from accounts.models import OptionalMail, User, hash_token
from accounts.opt_out import opt_out_url
from assessments.demo import DEMO_RESPONDENT_TOKEN, seed_demo
from assessments.models import Response

pytestmark = pytest.mark.django_db

LEAKED = re.compile(r"\{#|#\}|\{%|%\}|\{\{|\}\}")
SKIPPED = ("/static/", "/admin/", "/accounts/logout/")
MAX_PAGES = 120
SUBMITTED_TOKEN = "submitted-demo-link"


class _Page(HTMLParser):
    """Collects the page's links and its text and attributes outside <script> and <style>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.visible: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        self.visible.extend(value for _, value in attrs if value)
        if tag == "a":
            self.links.extend(value for name, value in attrs if name == "href" and value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.visible.append(data)

    def handle_comment(self, data):
        self.visible.append(data)


def _crawl(client: Client, start: list[str]) -> dict[str, list[str]]:
    """Every page reachable from `start` by same-site links: url -> leaked fragments."""
    seen: set[str] = set()
    queue = deque(start)
    found: dict[str, list[str]] = {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        page = client.get(url, follow=True)
        assert page.status_code < 500, url
        if "text/html" not in page.get("Content-Type", ""):
            continue
        parser = _Page()
        parser.feed(page.content.decode())
        leaked = [text for text in parser.visible if LEAKED.search(text)]
        found[url] = leaked
        for link in parser.links:
            link = urldefrag(link).url
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not link.startswith("/"):
                continue
            if not link.startswith(SKIPPED) and link not in seen:
                queue.append(link)
    return found


@pytest.fixture
def demo():
    seed_demo()
    respondent = Response.objects.get(token_hash=hash_token(DEMO_RESPONDENT_TOKEN))
    respondent.perspective = "business"
    respondent.importance = dict.fromkeys(
        respondent.assessment.questionnaire.pillars.values_list("code", flat=True), 3
    )
    respondent.save()
    # A submitted response with a known link, for the read-only page (a closed assessment
    # shows a notice instead).
    submitted = (
        Response.objects.filter(submitted_at__isnull=False, assessment=respondent.assessment)
        .order_by("pk")
        .first()
    )
    Response.objects.filter(pk=submitted.pk).update(token_hash=hash_token(SUBMITTED_TOKEN))
    return respondent


def _as(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


@pytest.mark.parametrize(
    "email", ["consultant@example.com", "manager@example.com", "admin@example.com"]
)
def test_no_page_of_a_signed_in_person_leaks_template_syntax(demo, email):
    pages = _crawl(_as(email), ["/"])

    assert len(pages) > 3
    assert {url: leaked for url, leaked in pages.items() if leaked} == {}


def test_no_respondent_page_leaks_template_syntax(demo):
    # The link sets a cookie that the client keeps for the pages without the token.
    start = [f"/r/{DEMO_RESPONDENT_TOKEN}/", "/respond/", "/respond/about-you/"]

    pages = _crawl(Client(), [*start, "/respond/priorities/", "/respond/review/"])

    assert any(url.startswith("/respond/pillar/") for url in pages)
    assert {url: leaked for url, leaked in pages.items() if leaked} == {}


def test_no_page_of_a_submitted_response_leaks_template_syntax(demo):
    client = Client()
    receipt = client.get(f"/r/{SUBMITTED_TOKEN}/", follow=True)

    pages = _crawl(client, ["/respond/"])

    assert receipt.redirect_chain == [("/respond/", 302)]
    assert {url: leaked for url, leaked in pages.items() if leaked} == {}


def test_no_public_page_leaks_template_syntax(demo, settings):
    settings.SITE_URL = ""
    opt_out = opt_out_url(OptionalMail.OVERDUE_ACTIONS, "manager@example.com")
    pages = _crawl(
        Client(),
        [
            "/accounts/login/",
            "/accounts/password-reset/",
            "/no-such-page/",
            "/r/not-a-link/",
            "/respond/",
            opt_out,
            "/mail/stop/not-a-link/",
        ],
    )

    assert {url: leaked for url, leaked in pages.items() if leaked} == {}


def test_the_guard_finds_a_two_line_comment(client):
    parser = _Page()
    parser.feed("<p>{# a comment\n that spans two lines #}</p><script>if (a}}b) {}</script>")

    assert [text for text in parser.visible if LEAKED.search(text)] == [
        "{# a comment\n that spans two lines #}"
    ]
