"""Health endpoints for load balancers and container checks."""

import pytest
from django.db import DatabaseError, connection


def test_liveness_answers_without_the_database(client):
    # No django_db mark: pytest-django makes any query fail this test.
    response = client.get("/health/")

    assert (response.status_code, response.content) == (200, b"ok")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readiness_answers_ok_when_the_database_answers(client):
    response = client.get("/health/ready/")

    assert (response.status_code, response.content) == (200, b"ok")


@pytest.mark.django_db
def test_readiness_answers_503_when_the_database_does_not(client):
    def refuse(execute, sql, params, many, context):
        raise DatabaseError("connection refused")

    with connection.execute_wrapper(refuse):
        response = client.get("/health/ready/")

    assert (response.status_code, response.content) == (503, b"database unavailable")
