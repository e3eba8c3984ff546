"""Where people land, the client list and an organisation's page."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.models import Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


# Home


def test_home_sends_anonymous_visitors_to_login(client, db):
    response = client.get(reverse("reports:home"))

    assertRedirects(response, reverse("accounts:login") + "?next=/", fetch_redirect_response=False)


def test_home_sends_a_consultant_to_the_client_list(consultant_client):
    response = consultant_client.get(reverse("reports:home"))

    assertRedirects(response, reverse("reports:portfolio"))


def test_home_sends_a_manager_of_one_organisation_to_it(manager_client):
    response = manager_client.get(reverse("reports:home"))

    assertRedirects(response, "/o/acme/")


def test_home_sends_a_manager_of_two_organisations_to_the_list(
    manager, manager_client, other_organisation
):
    MembershipFactory(user=manager, organisation=other_organisation, role=Role.MANAGER)

    response = manager_client.get(reverse("reports:home"))

    assertRedirects(response, reverse("reports:portfolio"))


def test_organisation_list_shows_only_own_organisations(consultant_client, organisation, outsider):
    response = consultant_client.get(reverse("reports:portfolio"))

    assert list(response.context["organisations"]) == [organisation]
    assertContains(response, "Acme Insurance")
    assertNotContains(response, "Globex Retail")


def test_organisation_list_counts_members(consultant_client, manager, second_manager):
    response = consultant_client.get(reverse("reports:portfolio"))

    assert [o.member_count for o in response.context["organisations"]] == [3]


def test_organisation_list_offers_creation_to_a_consultant(consultant_client):
    response = consultant_client.get(reverse("reports:portfolio"))

    assertContains(response, f'href="{reverse("accounts:organisation_create")}"')


def test_organisation_list_offers_no_creation_to_a_manager(manager_client):
    response = manager_client.get(reverse("reports:portfolio"))

    assertNotContains(response, f'href="{reverse("accounts:organisation_create")}"')


def test_organisation_list_for_staff_shows_every_organisation(
    client, staff, organisation, other_organisation
):
    client.force_login(staff)

    response = client.get(reverse("reports:portfolio"))

    assert list(response.context["organisations"]) == [organisation, other_organisation]


@pytest.mark.parametrize("size", [1, 3])
def test_organisation_list_query_count_does_not_grow(client, django_assert_num_queries, size):
    user = UserFactory(is_consultant=True)
    for _ in range(size):
        MembershipFactory(user=user, role=Role.CONSULTANT)
    client.force_login(user)

    # session, user, organisations with their member counts
    with django_assert_num_queries(3):
        client.get(reverse("reports:portfolio"))


# Organisation page


def test_organisation_page_shows_its_name(consultant_client, manager):
    response = consultant_client.get("/o/acme/")

    assertContains(response, "<h1>Acme Insurance</h1>", html=True)


def test_organisation_page_of_another_client_is_not_found(outsider_client, organisation):
    response = outsider_client.get("/o/acme/")

    assert response.status_code == 404
