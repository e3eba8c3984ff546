"""Who may read what through the API: every endpoint against every member of the cast.

Without a token, or with an unknown or revoked one: 401. A member of another organisation:
404 (no existence leaks). A member whose role does not reach the endpoint: 403. A new
endpoint must be added here, or `test_every_api_endpoint_is_in_the_matrix` fails.
"""

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.api_tokens import create_api_token, revoke_api_token
from accounts.models import Role
from tests.factories import ActionFactory, AssessmentFactory

from .conftest import token_client

CONSULTANT_ONLY = {Role.CONSULTANT}
READERS = {Role.CONSULTANT, Role.MANAGER}
# Documentation, readable without a token: it shows no organisation's data.
PUBLIC = {"api:schema", "api:docs"}


@dataclass(frozen=True)
class Case:
    name: str
    allowed: set[Role]
    assessment: bool = False  # names an assessment besides the organisation

    def url(self, organisation, assessment) -> str:
        args = [organisation.slug] + ([assessment.pk] if self.assessment else [])
        return reverse(self.name, args=args)


MATRIX = [
    Case("api:organisation", READERS),
    Case("api:assessments", READERS),
    Case("api:assessment", READERS, assessment=True),
    Case("api:snapshot", READERS, assessment=True),
    Case("api:live", CONSULTANT_ONLY, assessment=True),
    Case("api:actions", READERS, assessment=True),
    Case("api:targets", READERS, assessment=True),
]
# Not under an organisation: each person's own list.
LIST = "api:organisations"
ids = {"ids": lambda case: case.name}


def _api_names(resolver=None, namespace="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _api_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and namespace == "api:":
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_api_endpoint_is_in_the_matrix():
    assert _api_names() == {case.name for case in MATRIX} | {LIST} | PUBLIC


@pytest.fixture
def urls(published, organisation):
    ActionFactory(assessment=published)
    return [case.url(organisation, published) for case in MATRIX] + [reverse(LIST)]


def test_anonymous_gets_401_everywhere(client, urls):
    for url in urls:
        response = client.get(url)

        assert (response.status_code, response.json()["code"]) == (401, "not_authenticated"), url
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_signed_in_browser_session_is_no_token(consultant_client, urls):
    for url in urls:
        assert consultant_client.get(url).status_code == 401, url


def test_revoked_token_gets_401_everywhere(consultant, urls):
    token, key = create_api_token(user=consultant, name="Old sync")
    revoke_api_token(token=token)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    for url in urls:
        response = client.get(url)

        assert response.status_code == 401, url
        assert response.json() == {
            "detail": "This token was revoked.",
            "code": "authentication_failed",
        }


@pytest.mark.parametrize(
    "header",
    [
        "Bearer grt_not-a-token",
        "Bearer",
        "Bearer two words",
        "Bearer \xff\xfe",
        "bearer grt_not-a-token",
    ],
)
def test_unknown_or_malformed_token_gets_401(urls, header):
    client = Client(HTTP_AUTHORIZATION=header)

    for url in urls:
        response = client.get(url)

        assert (response.status_code, response.json()["code"]) == (401, "authentication_failed")


def test_token_of_a_deactivated_user_gets_401(consultant, urls):
    client = token_client(consultant)
    consultant.is_active = False
    consultant.save()

    assert {client.get(url).status_code for url in urls} == {401}


@pytest.fixture
def cast(consultant, manager, outsider):
    return {Role.CONSULTANT: consultant, Role.MANAGER: manager, "outsider": outsider}


@pytest.mark.parametrize("case", MATRIX, **ids)
def test_member_of_another_organisation_gets_404(cast, published, organisation, case):
    response = token_client(cast["outsider"]).get(case.url(organisation, published))

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


@pytest.mark.parametrize("case", MATRIX, **ids)
@pytest.mark.parametrize("role", list(Role))
def test_member_gets_data_or_403_by_role(cast, published, organisation, case, role):
    response = token_client(cast[role]).get(case.url(organisation, published))

    if role in case.allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert response.json() == {
            "detail": "Your role in this organisation does not give access to this.",
            "code": "permission_denied",
        }


@pytest.mark.parametrize("case", MATRIX, **ids)
def test_staff_reach_every_organisation(staff_api, published, organisation, case):
    assert staff_api.get(case.url(organisation, published)).status_code == 200


@pytest.mark.parametrize("case", [case for case in MATRIX if case.assessment], **ids)
def test_assessment_of_another_organisation_behind_own_slug_gets_404(
    consultant_api, organisation, other_organisation, case
):
    foreign = AssessmentFactory(organisation=other_organisation)

    response = consultant_api.get(case.url(organisation, foreign))

    assert response.status_code == 404


def test_the_list_holds_only_ones_own_organisations(outsider_api, published, other_organisation):
    response = outsider_api.get(reverse(LIST))

    assert [item["slug"] for item in response.json()["results"]] == [other_organisation.slug]


def test_staff_list_every_organisation_as_consultants(staff_api, organisation, other_organisation):
    results = staff_api.get(reverse(LIST)).json()["results"]

    assert [(item["slug"], item["role"]["code"]) for item in results] == [
        ("acme", "consultant"),
        ("globex", "consultant"),
    ]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_reads_only(consultant_api, published, organisation, method):
    url = reverse("api:assessment", args=[organisation.slug, published.pk])

    response = getattr(consultant_api, method)(url, {}, content_type="application/json")

    assert (response.status_code, response.json()["code"]) == (405, "method_not_allowed")
    published.refresh_from_db()
    assert published.title == "Spring check"
