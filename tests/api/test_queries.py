"""The number of queries an endpoint makes does not grow with what it lists."""

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import (
    ActionFactory,
    AssessmentFactory,
    MembershipFactory,
    OrganisationFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.django_db

# Token, gate, close-due check or the assessment, count, page.
LIST_QUERIES = 5


@pytest.mark.parametrize("size", [1, 20])
def test_organisations(manager, manager_api, django_assert_max_num_queries, size):
    for _ in range(size):
        MembershipFactory(user=manager, organisation=OrganisationFactory(), role=Role.MANAGER)
    manager_api.get(reverse("api:organisations"))  # notes the token's use once

    with django_assert_max_num_queries(3):
        response = manager_api.get(reverse("api:organisations"))

    assert response.json()["count"] == size + 1  # and Acme


@pytest.mark.parametrize("size", [1, 20])
def test_assessments(consultant_api, organisation, django_assert_max_num_queries, size):
    for _ in range(size):
        AssessmentFactory(organisation=organisation)
    url = reverse("api:assessments", args=[organisation.slug])
    consultant_api.get(url)

    with django_assert_max_num_queries(LIST_QUERIES):
        response = consultant_api.get(url)

    assert response.json()["count"] == size


@pytest.mark.parametrize("size", [1, 20])
def test_actions(manager_api, organisation, django_assert_max_num_queries, size, manager):
    assessment = AssessmentFactory(organisation=organisation)
    for _ in range(size):
        question = QuestionFactory(pillar__questionnaire=assessment.questionnaire)
        ActionFactory(assessment=assessment, question=question, owner=manager)
    url = reverse("api:actions", args=[organisation.slug, assessment.pk])
    manager_api.get(url)

    with django_assert_max_num_queries(LIST_QUERIES):
        response = manager_api.get(url)

    assert [item["owner"] for item in response.json()["results"]] == [str(manager)] * size


def test_snapshot(manager_api, organisation, published, django_assert_max_num_queries):
    url = reverse("api:snapshot", args=[organisation.slug, published.pk])
    manager_api.get(url)

    # Token, gate, the assessment, its snapshot.
    with django_assert_max_num_queries(4):
        response = manager_api.get(url)

    assert response.json()["respondents"] == 4


def test_targets_as_a_manager(manager_api, organisation, published, django_assert_max_num_queries):
    url = reverse("api:targets", args=[organisation.slug, published.pk])
    manager_api.get(url)

    with django_assert_max_num_queries(LIST_QUERIES + 1):
        response = manager_api.get(url)

    assert [item["maturity"] for item in response.json()["results"]] == [63, 63]
