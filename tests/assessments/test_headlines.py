"""The headlines and portfolio entries the lists read: kept by the services that change
them, rebuilt by a command after a deploy, never built on a request."""

import io

import pytest
from django.core.management import call_command
from django.tasks import default_task_backend
from django.test import override_settings

from assessments import services
from assessments.models import Assessment, PortfolioEntry, ResultHeadline
from assessments.results import entries, headlines, publication
from tests.reports.conftest import respond

pytestmark = pytest.mark.django_db


def live_headline(assessment) -> ResultHeadline:
    return ResultHeadline.objects.get(assessment=assessment, source="live")


def entry(assessment, audience: str) -> PortfolioEntry:
    return PortfolioEntry.objects.get(organisation=assessment.organisation, audience=audience)


@pytest.fixture
def threshold_three(open_assessment):
    Assessment.objects.filter(pk=open_assessment.pk).update(anonymity_threshold=3)
    open_assessment.refresh_from_db()
    return open_assessment


def test_a_submission_stores_the_live_headline_and_the_entry(open_assessment):
    respond(open_assessment, 4)

    headline = live_headline(open_assessment)
    assert (headline.respondents, headline.verdict) == (1, "ready")
    live = entry(open_assessment, "live")
    assert (live.submitted, live.verdict, live.overall_index) == (1, "ready", 100.0)


def test_an_erasure_scores_the_live_headline_again(open_assessment):
    respond(open_assessment, 4)
    low = respond(open_assessment, 0)
    assert live_headline(open_assessment).verdict == "ready_with_conditions"

    services.erase_respondent(response=low, erased_by=None)

    assert (live_headline(open_assessment).respondents, entry(open_assessment, "live").verdict) == (
        1,
        "ready",
    )


def test_erasing_the_only_response_removes_the_live_headline(open_assessment):
    only = respond(open_assessment, 4)

    services.erase_respondent(response=only, erased_by=None)

    assert not ResultHeadline.objects.filter(assessment=open_assessment).exists()
    assert entry(open_assessment, "live").has_figures is False


def test_a_publication_stores_its_headline_for_the_managers_entry(threshold_three):
    for _ in range(3):
        respond(threshold_three, 4)
    assert entry(threshold_three, "published").has_figures is False

    snapshot = publication.publish_results(assessment=threshold_three, published_by=None)

    stored = ResultHeadline.objects.get(source=f"snapshot:{snapshot.pk}")
    assert (stored.respondents, stored.verdict) == (3, "ready")
    published = entry(threshold_three, "published")
    assert (published.verdict, published.last_activity) == ("ready", snapshot.published_at)


def test_closing_updates_the_status_and_publishes_the_final_headline(threshold_three):
    for _ in range(3):
        respond(threshold_three, 2)

    services.close_assessment(assessment=threshold_three)

    assert entry(threshold_three, "live").current_status == "closed"
    assert entry(threshold_three, "published").verdict == live_headline(threshold_three).verdict
    assert ResultHeadline.objects.filter(source__startswith="snapshot:").count() == 1


def test_a_new_assessment_becomes_the_latest_in_the_entry(open_assessment):
    respond(open_assessment, 4)

    services.create_assessment(
        organisation=open_assessment.organisation,
        questionnaire=open_assessment.questionnaire,
        title="Autumn check",
        created_by=None,
    )

    live = entry(open_assessment, "live")
    assert (live.current_title, live.figures_title, live.figures_are_older) == (
        "Autumn check",
        "Spring check",
        True,
    )


def test_rebuild_command_restores_what_a_deploy_left_missing(threshold_three):
    for _ in range(3):
        respond(threshold_three, 4)
    publication.publish_results(assessment=threshold_three, published_by=None)
    ResultHeadline.objects.all().delete()
    PortfolioEntry.objects.all().delete()

    call_command("rebuild_headlines", stdout=io.StringIO())

    assert live_headline(threshold_three).verdict == "ready"
    assert ResultHeadline.objects.count() == 2
    assert entry(threshold_three, "published").verdict == "ready"


def test_rebuild_command_scores_only_what_moved(open_assessment, capsys):
    respond(open_assessment, 4)

    call_command("rebuild_headlines")

    assert capsys.readouterr().out.startswith("0 live headlines scored, 0 published")


def test_with_a_task_queue_the_submission_leaves_the_scoring_to_the_worker(open_assessment):
    dummy = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy):
        response = respond(open_assessment, 4)
        queued = default_task_backend.results

        assert [result.kwargs for result in queued] == [{"assessment_id": open_assessment.pk}]
        assert not ResultHeadline.objects.filter(assessment=open_assessment).exists()
        assert entry(open_assessment, "live").submitted == 1  # counted at once

        entries.refresh_after_change.call(assessment_id=response.assessment_id)

    assert entry(open_assessment, "live").verdict == "ready"


def test_a_refresh_scores_nothing_when_the_headline_already_counts_every_response(
    open_assessment,
):
    respond(open_assessment, 4)

    assert headlines.refresh_live(open_assessment.pk) is False
