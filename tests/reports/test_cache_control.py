"""Pages seen while signed in carry `Cache-Control: private, no-store`: no browser cache or
proxy keeps an organisation's results after its user signed out."""

import pytest
from django.urls import reverse

from assessments.results import publication
from tests.factories import WorkshopSessionFactory
from tests.reports.conftest import respond_in_bulk

PRIVATE = "private, no-store"


@pytest.fixture
def published(threshold_three):
    respond_in_bulk(threshold_three, 3)
    publication.publish_results(assessment=threshold_three, published_by=None)
    return threshold_three


def assessment_url(name: str, assessment) -> str:
    return reverse(name, args=[assessment.organisation.slug, assessment.pk])


@pytest.mark.parametrize(
    "name",
    [
        "reports:dashboard",
        "assessments:detail",
        "reports:comments",
        "reports:figures_csv",
        "reports:figures_xlsx",
        "reports:answers_csv",
        "reports:docx",
    ],
)
def test_a_results_page_or_export_is_private_and_not_stored(consultant_client, published, name):
    response = consultant_client.get(assessment_url(name, published))

    assert (response.status_code, response["Cache-Control"]) == (200, PRIVATE)


def test_the_managers_dashboard_is_private_and_not_stored(manager_client, published):
    response = manager_client.get(assessment_url("reports:dashboard", published))

    assert (response.status_code, response["Cache-Control"]) == (200, PRIVATE)


def test_the_portfolio_is_private_and_not_stored(consultant_client, published):
    response = consultant_client.get(reverse("reports:portfolio"))

    assert (response.status_code, response["Cache-Control"]) == (200, PRIVATE)


def test_the_organisation_page_is_private_and_not_stored(manager_client, published):
    response = manager_client.get(reverse("reports:organisation", args=["acme"]))

    assert (response.status_code, response["Cache-Control"]) == (200, PRIVATE)


def test_a_polled_workshop_fragment_keeps_its_own_revalidating_cache_control(
    consultant_client, open_assessment
):
    session = WorkshopSessionFactory(assessment=open_assessment)

    response = consultant_client.get(
        reverse("workshop:stage", args=["acme", session.pk]), HTTP_HX_REQUEST="true"
    )

    assert (response.status_code, response["Cache-Control"]) == (200, "private, no-cache")
    assert response.has_header("ETag")
