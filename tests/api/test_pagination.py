"""Every list in pages, and a clear 4xx for a page that is not one."""

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import AssessmentFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(consultant, organisation):
    """Acme has 5 assessments."""
    for number in range(5):
        AssessmentFactory(organisation=organisation, title=f"Check {number}")
    return reverse("api:assessments", args=[organisation.slug])


def test_a_page_says_how_many_there_are_and_where_the_next_is(consultant_api, many):
    response = consultant_api.get(many, {"page_size": 2})

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert body["next"] == f"http://testserver{many}?page=2&page_size=2"
    assert body["previous"] is None


def test_the_pages_together_list_each_item_once(consultant_api, many):
    titles = []
    for page in (1, 2, 3):
        body = consultant_api.get(many, {"page_size": 2, "page": page}).json()
        titles += [item["title"] for item in body["results"]]

    assert titles == [f"Check {number}" for number in (4, 3, 2, 1, 0)]
    assert body["next"] is None


def test_a_page_past_the_last_is_404_with_the_reason(consultant_api, many):
    response = consultant_api.get(many, {"page": 9})

    assert response.status_code == 404
    assert response.json() == {
        "detail": "There is no page 9: That page contains no results",
        "code": "not_found",
    }


@pytest.mark.parametrize("page", ["0", "-1", "abc", "last", "1.5", "9" * 5000, "\x00", "²"])
def test_a_page_that_is_not_a_number_is_400(consultant_api, many, page):
    response = consultant_api.get(many, {"page": page})

    assert response.status_code == 400
    assert response.json() == {
        "detail": "The request is not valid.",
        "code": "invalid",
        "errors": {"page": ["A page is a whole number from 1 on."]},
    }


@pytest.mark.parametrize(
    ("size", "shown"), [("abc", 5), ("0", 5), ("-3", 5), ("1000", 5), ("3", 3)]
)
def test_page_size_is_bounded_and_a_bad_one_falls_back(consultant_api, many, size, shown):
    response = consultant_api.get(many, {"page_size": size})

    assert response.status_code == 200
    assert len(response.json()["results"]) == shown


def test_page_size_is_at_most_200(staff_api):
    for number in range(201):
        OrganisationFactory(name=f"Client {number:03}")

    body = staff_api.get(reverse("api:organisations"), {"page_size": 500}).json()

    assert (body["count"], len(body["results"])) == (201, 200)


def test_organisations_are_paginated_too(manager, manager_api, organisation):
    for _ in range(3):
        MembershipFactory(user=manager, organisation=OrganisationFactory(), role=Role.MANAGER)

    body = manager_api.get(reverse("api:organisations"), {"page_size": 3, "page": 2}).json()

    assert body["count"] == 4
    assert len(body["results"]) == 1
