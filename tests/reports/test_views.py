"""Where people land, the client list and an organisation's page."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.models import Role
from tests.factories import MembershipFactory

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


def names(response) -> list[str]:
    return [row.name for row in response.context["rows"]]


def test_portfolio_shows_only_own_organisations(consultant_client, organisation, outsider):
    response = consultant_client.get(reverse("reports:portfolio"))

    assert names(response) == ["Acme Insurance"]
    assertContains(response, "Acme Insurance")
    assertNotContains(response, "Globex Retail")


def test_portfolio_offers_creation_to_a_consultant(consultant_client):
    response = consultant_client.get(reverse("reports:portfolio"))

    assertContains(response, f'href="{reverse("accounts:organisation_create")}"')


def test_portfolio_offers_no_creation_to_a_manager(manager_client):
    response = manager_client.get(reverse("reports:portfolio"))

    assertNotContains(response, f'href="{reverse("accounts:organisation_create")}"')


def test_portfolio_for_staff_shows_every_organisation(
    client, staff, organisation, other_organisation
):
    client.force_login(staff)

    response = client.get(reverse("reports:portfolio"))

    assert names(response) == ["Acme Insurance", "Globex Retail"]


# Organisation page


def test_organisation_page_shows_its_name(consultant_client, manager):
    response = consultant_client.get("/o/acme/")

    assertContains(response, "<h1>Acme Insurance</h1>", html=True)


def test_organisation_page_of_another_client_is_not_found(outsider_client, organisation):
    response = outsider_client.get("/o/acme/")

    assert response.status_code == 404
