"""Hostile input to every page, form and htmx endpoint, as each person: never a 500.

Every URL pattern of the project (the admin aside) is found from the URL configuration,
so a new page is fuzzed without being listed here. For each, Hypothesis sends GETs with
odd query strings and POSTs with the page's own field names and random ones, holding
control characters, NUL, very long text, unicode, formula and markup lookalikes, wrong
types and missing fields, as an anonymous visitor, the consultant, the client manager, a
consultant of another organisation, a respondent with their link's cookie and a workshop
participant with theirs.
"""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Role
from assessments import services, workshops
from tests.factories import (
    ActionFactory,
    InvitationFactory,
    MembershipFactory,
    ResponseFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SPECIALS = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "\r\n\t",
        "\u202e\u200b",
        "9" * 5000,
        "x" * 70_000,
        "-1",
        "4.5",
        "²",
        "NaN",
        "[]",
        "{}",
        "null",
        "true",
        "dk",
        "0",
        "4",
        "5",
        '=HYPERLINK("http://example.com","x")',
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "../../etc/passwd",
        "%00",
        "😀" * 100,
    ]
)
# Mostly the values known to break things, sometimes anything at all.
HOSTILE_TEXT = st.one_of(
    SPECIALS,
    SPECIALS,
    SPECIALS,
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
)
RANDOM_KEYS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_-.0123456789", min_size=1, max_size=20)
SKIPPED = ("admin:", "static")


def _patterns(resolver=None, namespace="", prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", prefix + str(pattern.pattern)


URLS = sorted({name: route for name, route in _patterns() if not name.startswith(SKIPPED)}.items())


@pytest.fixture
def world(organisation, consultant, manager, outsider, small_questionnaire, open_assessment):
    """One of everything a URL can name, and a client for each person."""
    submitted = ResponseFactory(assessment=open_assessment, email="fay@example.org")
    for question in small_questionnaire.questions.all():
        services.save_answer(response=submitted, question=question, level=2, comment="A note.")
    services.submit_response(response=submitted)
    ResponseFactory(assessment=open_assessment, token="fuzz-link", perspective="business")
    session = workshops.start_session(
        assessment=open_assessment, scope="all", created_by=consultant
    )
    invitation = InvitationFactory(organisation=organisation, role=Role.MANAGER)
    MembershipFactory(user=UserFactory(), organisation=organisation, role=Role.MANAGER)

    respondent = Client()
    respondent.get(reverse("respond:start", args=["fuzz-link"]))
    participant_client = Client()
    joined = participant_client.post(
        reverse("workshop:room", args=[session.code]),
        {"perspective": "business", "display_name": "Pat"},
    )
    assert joined.status_code in (200, 302)
    assert session.participants.count() == 1

    def logged_in(user):
        client = Client()
        client.force_login(user)
        return client

    return {
        "fields": {},
        "clients": {
            "anonymous": Client(),
            "consultant": logged_in(consultant),
            "manager": logged_in(manager),
            "outsider": logged_in(outsider),
            "respondent": respondent,
            "participant": participant_client,
        },
        "arguments": {
            "slug": organisation.slug,
            "assessment": open_assessment.pk,
            "workshop": session.pk,
            "participant_pk": session.participants.get().pk,
            "response_pk": submitted.pk,
            "action_pk": ActionFactory(
                assessment=open_assessment,
                question=small_questionnaire.questions.get(code="data.inventory"),
            ).pk,
            "invitation": invitation.pk,
            "token": "fuzz-link",
            "join_code": session.code,
            "question_code": "data.inventory",
            "pillar_code": "data",
            "uidb64": "MQ",
        },
    }


def _url(name: str, route: str, arguments: dict) -> str:
    kwargs = {}
    for argument in re.findall(r"<(?:\w+:)?(\w+)>", route):
        if argument == "pk":
            kwargs["pk"] = arguments[
                "workshop"
                if "workshops/<" in route
                else "invitation"
                if "invitations/<" in route
                else "assessment"
            ]
        elif argument == "code":
            kwargs["code"] = arguments[
                "join_code"
                if name.startswith("workshop:") or name == "respond:workshop"
                else "pillar_code"
                if "pillar" in route
                else "question_code"
            ]
        else:
            kwargs[argument] = arguments[argument]
    return reverse(name, kwargs=kwargs)


class _Form(HTMLParser):
    """The page's form fields: name -> the values its radios, checkboxes and options offer
    (empty for a field that takes text)."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "option" and self._select and attrs.get("value"):
            self.fields[self._select].append(attrs["value"])
        if not name or name == "csrfmiddlewaretoken":
            return
        choices = self.fields.setdefault(name, [])
        if tag == "input" and attrs.get("type") in ("radio", "checkbox") and attrs.get("value"):
            choices.append(attrs["value"])
        if tag == "select":
            self._select = name

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def _form(client: Client, url: str) -> dict[str, list[str]]:
    """The page's own form fields, so that hostile values reach the forms."""
    page = client.get(url)
    if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
        return {}
    parser = _Form()
    parser.feed(page.content.decode())
    return parser.fields


def _people(route: str) -> list[str]:
    """Who can reach this page with something to lose: the link's and the room's people on
    their pages, the logged-in cast on the others; always somebody anonymous."""
    if route.startswith("respond/") or route.startswith("r/"):
        return ["anonymous", "respondent"]
    if route.startswith("w/"):
        return ["anonymous", "participant"]
    return ["anonymous", "consultant", "manager", "outsider"]


# Each of these in every field of every page at once, before the random mixes below.
DANGEROUS = ["\x00", "a\x00b\x07", "9" * 5000, "x" * 70_000, "-1", "²", "NaN", "\r\n\t"]


def _fields(world, who: str, url: str) -> dict[str, list[str]]:
    """The page's fields, read once per test: later requests may change the page (closed,
    erased…), and Hypothesis needs the same choices when it replays an example."""
    if (who, url) not in world["fields"]:
        world["fields"][who, url] = _form(world["clients"][who], url)
    return world["fields"][who, url]


@pytest.mark.parametrize(("name", "route"), URLS, ids=[name for name, _ in URLS])
def test_dangerous_values_in_every_field_give_no_server_error(world, name, route):
    """Each dangerous value in every text field while the choices hold valid values (so
    that it gets past them to the save), then in every field at once."""
    url = _url(name, route, world["arguments"])
    for who in _people(route):
        fields = _fields(world, who, url) or {"q": [], "next": []}
        for value in DANGEROUS:
            in_text = {key: choices[0] if choices else value for key, choices in fields.items()}
            everywhere = dict.fromkeys(fields, value)
            for data in (in_text, everywhere):
                response = world["clients"][who].post(url, data)

                assert response.status_code < 500, (who, url, value[:20])


@pytest.mark.parametrize(("name", "route"), URLS, ids=[name for name, _ in URLS])
@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_hostile_input_gives_a_server_error(world, name, route, data):
    url = _url(name, route, world["arguments"])
    for who in _people(route):
        client = world["clients"][who]
        fields = _fields(world, who, url)
        # Every field of the page, some left out, plus a few the page does not have.
        keys = [key for key in sorted(fields) if data.draw(st.booleans(), label=f"{who} {key}")]
        keys += data.draw(st.lists(RANDOM_KEYS, max_size=3), label=f"{who} extra keys")
        values = {key: data.draw(HOSTILE_TEXT, label=f"{who} {key}") for key in keys}
        htmx = {"HTTP_HX_REQUEST": "true"} if data.draw(st.booleans(), label="htmx") else {}

        for method in (client.get, client.post):
            response = method(url, values, **htmx)

            assert response.status_code < 500, (who, method.__name__, url, values)
