"""Bad input gets a 4xx with a clear message as JSON, never a server error."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ASSESSMENT = "/api/v1/organisations/acme/assessments/{}/"


@pytest.mark.parametrize(
    "path",
    [
        ASSESSMENT.format("abc"),
        ASSESSMENT.format("-1"),
        ASSESSMENT.format("99999999999999999999999"),
        ASSESSMENT.format("1.5") + "snapshot/",
        "/api/v1/organisations/no-such-client/",
        "/api/v1/organisations/%00/assessments/",
        "/api/v1/nothing-here/",
        "/api/v2/organisations/",
        "/api/",
    ],
)
def test_an_address_that_names_nothing_is_a_json_404(consultant_api, consultant, path):
    response = consultant_api.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] in {"not_found", "no_such_endpoint"}


def test_an_unknown_endpoint_says_so(consultant_api):
    response = consultant_api.get("/api/v1/portfolio/")

    assert response.json() == {
        "detail": "There is no such API endpoint.",
        "code": "no_such_endpoint",
    }


def test_a_snapshot_before_any_publication_is_404_with_the_reason(
    consultant_api, organisation, open_assessment
):
    response = consultant_api.get(
        reverse("api:snapshot", args=[organisation.slug, open_assessment.pk])
    )

    assert response.status_code == 404
    assert response.json() == {
        "detail": "Nothing has been published for this assessment yet.",
        "code": "not_published",
    }


def test_responses_are_kept_by_no_cache(consultant_api, organisation):
    response = consultant_api.get(reverse("api:organisation", args=[organisation.slug]))

    assert response["Cache-Control"] == "private, no-store"
