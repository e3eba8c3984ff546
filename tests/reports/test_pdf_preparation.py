"""The published PDF is rendered by the task worker after a publication, so that the
manager's first download is a read; until it is stored, the download says it is being
prepared."""

import pytest
from django.tasks import default_task_backend
from django.test import override_settings
from django.urls import reverse

from assessments.models import Assessment
from assessments.results import publication
from reports import exporters
from reports.models import RenderedReport
from tests.reports.conftest import respond

pytestmark = pytest.mark.django_db

# Tasks wait in a list and never run: the task worker is busy.
QUEUED_ONLY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def pdf_url(assessment) -> str:
    return reverse("reports:pdf", args=[assessment.organisation.slug, assessment.pk])


@pytest.fixture
def answered(threshold_three):
    for level in (1, 2, 3):
        respond(threshold_three, level)
    return threshold_three


def publish(assessment, capture) -> None:
    with capture(execute=True):
        publication.publish_results(assessment=assessment, published_by=None)


def test_publishing_renders_the_published_pdf(answered, django_capture_on_commit_callbacks):
    publish(answered, django_capture_on_commit_callbacks)

    stored = RenderedReport.objects.get(assessment=answered)
    assert stored.draft is False
    assert bytes(stored.content).startswith(b"%PDF")


def test_the_pdf_is_rendered_only_once_the_publication_is_committed(
    answered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publication.publish_results(assessment=answered, published_by=None)

    assert len(callbacks) == 1
    assert not RenderedReport.objects.filter(assessment=answered).exists()


def test_the_managers_first_download_after_publishing_is_a_read(
    answered, manager_client, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    publish(answered, django_capture_on_commit_callbacks)
    stored = RenderedReport.objects.get(assessment=answered)

    # Session, user, membership, assessment, snapshot, erasures, comments, the client's plan
    # (3), the brand (its fingerprint is the cover's), the PDF, audit: scoring and rendering
    # take dozens more.
    with django_assert_max_num_queries(14):
        response = manager_client.get(pdf_url(answered))

    assert response.status_code == 200
    assert response.content == bytes(stored.content)
    assert RenderedReport.objects.get(assessment=answered).pk == stored.pk


@override_settings(TASKS=QUEUED_ONLY)
def test_a_download_before_the_pdf_is_stored_says_it_is_being_prepared(
    answered, manager_client, django_capture_on_commit_callbacks
):
    publish(answered, django_capture_on_commit_callbacks)

    response = manager_client.get(pdf_url(answered))

    assert response.status_code == 202
    assert response["Refresh"] == "5"
    assert response["Content-Type"].startswith("text/html")
    assert "The report is being prepared" in response.content.decode()
    queued = [result.task.name for result in default_task_backend.results]
    assert queued == ["prepare_published_report", "prepare_published_report"]


@override_settings(TASKS=QUEUED_ONLY)
def test_the_download_is_sent_once_the_worker_has_stored_it(
    answered, manager_client, django_capture_on_commit_callbacks
):
    publish(answered, django_capture_on_commit_callbacks)
    manager_client.get(pdf_url(answered))

    loaded = Assessment.objects.with_progress().select_related("organisation").get(pk=answered.pk)
    exporters.published_report_pdf(loaded)  # what the worker does
    response = manager_client.get(pdf_url(answered))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
