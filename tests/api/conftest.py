"""The cast with API tokens, and an assessment with published results to read."""

import pytest
from django.test import Client

from accounts.api_tokens import create_api_token
from assessments import services
from assessments.results import publication
from tests.factories import ResponseFactory


def token_client(user, *, name: str = "Tool") -> Client:
    """A client that sends a fresh token of `user` with every request."""
    _, key = create_api_token(user=user, name=name)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture
def consultant_api(consultant):
    return token_client(consultant)


@pytest.fixture
def manager_api(manager):
    return token_client(manager)


@pytest.fixture
def outsider_api(outsider):
    return token_client(outsider)


@pytest.fixture
def staff_api(staff):
    return token_client(staff)


def answered_with(assessment, perspective: str, levels: list[int | None]) -> None:
    """A submitted response giving each question in order its level (None: don't know)."""
    response = ResponseFactory(assessment=assessment, perspective=perspective)
    questions = assessment.questionnaire.questions.order_by("order")
    for question, level in zip(questions, levels, strict=True):
        services.save_answer(
            response=response, question=question, level=level, dont_know=level is None
        )
    services.submit_response(response=response)


def answered(assessment, perspective: str, level: int | None) -> None:
    """A submitted response giving `level` (None: don't know) to every question."""
    answered_with(assessment, perspective, [level] * assessment.questionnaire.questions.count())


@pytest.fixture
def published(open_assessment, consultant):
    """Spring check with four submitted responses (threshold 3) and their publication."""
    open_assessment.anonymity_threshold = 3
    open_assessment.save(update_fields=["anonymity_threshold"])
    for perspective, level in [("business", 1), ("business", 2), ("business", 3), ("data_it", 4)]:
        answered(open_assessment, perspective, level)
    publication.publish_results(assessment=open_assessment, published_by=consultant)
    return open_assessment
