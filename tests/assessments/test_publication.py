"""Published results: snapshots for the client's management, and stored figures that stay true."""

import pytest
from django.utils import timezone

from assessments import services
from assessments.models import Assessment, AssessmentPillarSummary, ResultSnapshot
from assessments.results import publication
from assessments.results.access import results_for
from assessments.scoring import Withheld
from tests.factories import AssessmentFactory, ResponseFactory

pytestmark = pytest.mark.django_db


def submit(assessment, count: int, level: int | None = 3) -> list:
    """`count` submitted responses answering every question at `level` (None: don't know)."""
    questions = list(assessment.questionnaire.questions.all())
    responses = []
    for _ in range(count):
        response = ResponseFactory(assessment=assessment)
        for question in questions:
            services.save_answer(
                response=response, question=question, level=level, dont_know=level is None
            )
        services.submit_response(response=response)
        responses.append(response)
    return responses


def summary(assessment) -> dict[str, tuple[float | None, int]]:
    return {
        row.pillar: (row.maturity, row.respondents)
        for row in AssessmentPillarSummary.objects.filter(assessment=assessment)
    }


@pytest.fixture
def threshold_three(open_assessment):
    Assessment.objects.filter(pk=open_assessment.pk).update(anonymity_threshold=3)
    open_assessment.refresh_from_db()
    return open_assessment


# What a snapshot stores


def test_a_published_report_keeps_the_questionnaires_order_on_every_database(threshold_three):
    """PostgreSQL's jsonb sorts an object's keys (shortest first): the report stores its
    mappings as pairs, so that questions read back in the questionnaire's order."""
    submit(threshold_three, 3)
    publication.publish_results(assessment=threshold_three, published_by=None)

    result = ResultSnapshot.objects.get().read_report().result

    assert list(result.questions) == list(
        threshold_three.questionnaire.questions.order_by("pillar__order", "order").values_list(
            "code", flat=True
        )
    )


def test_a_report_stored_with_objects_for_mappings_still_reads(threshold_three):
    submit(threshold_three, 3)
    publication.publish_results(assessment=threshold_three, published_by=None)
    snapshot = ResultSnapshot.objects.get()
    pairs = snapshot.report["result"]["questions"]
    # As snapshots published before mappings were stored as pairs.
    ResultSnapshot.objects.filter(pk=snapshot.pk).update(
        report={
            **snapshot.report,
            "result": {**snapshot.report["result"], "questions": dict(pairs)},
        }
    )
    snapshot.refresh_from_db()

    assert set(snapshot.read_report().result.questions) == {code for code, _ in pairs}


# The publication rule


def test_first_publication_needs_threshold_submitted_responses(threshold_three, consultant):
    submit(threshold_three, 2)

    with pytest.raises(publication.PublishRefused) as refused:
        publication.publish_results(assessment=threshold_three, published_by=consultant)

    assert (refused.value.status.new_responses, refused.value.status.needed) == (2, 3)
    assert threshold_three.snapshots.exists() is False


def test_publication_at_threshold_stores_the_figures_and_who_counted(threshold_three, consultant):
    responses = submit(threshold_three, 3)

    snapshot = publication.publish_results(assessment=threshold_three, published_by=consultant)

    assert (snapshot.kind, snapshot.respondents) == (ResultSnapshot.Kind.INTERIM, 3)
    assert snapshot.response_ids == sorted(r.pk for r in responses)
    assert snapshot.read_report().result.pillar("data").maturity == 75.0


def test_next_publication_needs_threshold_new_responses(threshold_three, consultant):
    submit(threshold_three, 3)
    publication.publish_results(assessment=threshold_three, published_by=consultant)
    submit(threshold_three, 2)

    with pytest.raises(publication.PublishRefused) as refused:
        publication.publish_results(assessment=threshold_three, published_by=consultant)

    assert refused.value.status.missing == 1
    assert threshold_three.snapshots.count() == 1


def test_next_publication_with_threshold_new_responses_is_allowed(threshold_three, consultant):
    submit(threshold_three, 3)
    publication.publish_results(assessment=threshold_three, published_by=consultant)
    submit(threshold_three, 3, level=1)

    latest = publication.publish_results(assessment=threshold_three, published_by=consultant)

    assert latest.respondents == 6
    assert threshold_three.snapshots.first() == latest


def test_publication_rule_holds_across_closing_and_reopening(threshold_three, consultant):
    submit(threshold_three, 3)
    first = services.close_assessment(assessment=threshold_three, closed_by=consultant)
    services.open_assessment(assessment=threshold_three)
    submit(threshold_three, 1)

    second = services.close_assessment(assessment=threshold_three, closed_by=consultant)

    assert first.kind == ResultSnapshot.Kind.FINAL
    assert second is None
    assert list(threshold_three.snapshots.all()) == [first]


def test_closing_publishes_final_results(threshold_three, consultant):
    submit(threshold_three, 3)

    snapshot = services.close_assessment(assessment=threshold_three, closed_by=consultant)

    assert (snapshot.kind, snapshot.published_by) == (ResultSnapshot.Kind.FINAL, consultant)


def test_closing_with_too_few_responses_publishes_nothing(threshold_three):
    submit(threshold_three, 2)

    assert services.close_assessment(assessment=threshold_three) is None
    assert threshold_three.snapshots.exists() is False


def test_snapshot_withholds_a_pillar_resting_on_fewer_than_threshold(threshold_three, consultant):
    # Two respondents say don't know to everything, one answers level 1.
    submit(threshold_three, 2, level=None)
    submit(threshold_three, 1, level=1)

    snapshot = publication.publish_results(assessment=threshold_three, published_by=consultant)

    ethics = snapshot.read_report().result.pillar("ethics")
    assert (ethics.maturity, ethics.band, ethics.withheld) == (None, None, Withheld.FEW_ANSWERS)


# Who sees which results


def test_manager_sees_the_latest_snapshot_and_consultant_live_figures(
    threshold_three, consultant, manager
):
    from accounts.access import get_organisation_access

    submit(threshold_three, 3, level=4)
    publication.publish_results(assessment=threshold_three, published_by=consultant)
    submit(threshold_three, 1, level=0)

    for_manager = results_for(get_organisation_access(manager, "acme"), threshold_three)
    for_consultant = results_for(get_organisation_access(consultant, "acme"), threshold_three)

    assert (for_manager.live, for_manager.result.respondents) == (False, 3)
    assert for_manager.result.pillar("data").maturity == 100.0
    assert (for_consultant.live, for_consultant.result.respondents) == (True, 4)
    assert for_consultant.result.pillar("data").maturity == 75.0


# Stored summaries stay true


def test_submitting_refreshes_the_summary(open_assessment):
    submit(open_assessment, 2, level=2)

    assert summary(open_assessment)["data"] == (50.0, 2)


def test_deleting_a_submitted_response_refreshes_the_summary(open_assessment):
    _, drop = submit(open_assessment, 1, level=4) + submit(open_assessment, 1, level=0)

    services.delete_response(response=drop)

    assert summary(open_assessment)["data"] == (100.0, 1)


def test_deleting_a_response_in_the_admin_refreshes_the_summary(admin_client, open_assessment):
    _, drop = submit(open_assessment, 1, level=4) + submit(open_assessment, 1, level=0)

    admin_client.post(f"/admin/assessments/response/{drop.pk}/delete/", {"post": "yes"})

    assert summary(open_assessment)["data"] == (100.0, 1)


def test_deleting_responses_in_bulk_in_the_admin_refreshes_the_summary(
    admin_client, open_assessment
):
    responses = submit(open_assessment, 1, level=4) + submit(open_assessment, 2, level=0)

    admin_client.post(
        "/admin/assessments/response/",
        {
            "action": "delete_selected",
            "_selected_action": [r.pk for r in responses[1:]],
            "post": "yes",
        },
    )

    assert summary(open_assessment)["data"] == (100.0, 1)


def test_closing_refreshes_the_summary(open_assessment):
    submit(open_assessment, 1, level=4)
    AssessmentPillarSummary.objects.filter(assessment=open_assessment).update(maturity=1.0)

    services.close_assessment(assessment=open_assessment)

    assert summary(open_assessment)["data"] == (100.0, 1)


def test_reopening_refreshes_the_summary(open_assessment):
    submit(open_assessment, 1, level=4)
    services.close_assessment(assessment=open_assessment)
    AssessmentPillarSummary.objects.filter(assessment=open_assessment).update(maturity=1.0)

    services.open_assessment(assessment=open_assessment)

    assert summary(open_assessment)["data"] == (100.0, 1)


def test_a_submitted_response_link_cannot_be_withdrawn(open_assessment):
    (response,) = submit(open_assessment, 1)

    with pytest.raises(services.ResponseClosed):
        services.revoke_link(response=response)

    assert summary(open_assessment)["data"] == (75.0, 1)


# Dates and states


def test_an_open_assessment_past_its_closing_date_closes_when_looked_at(
    consultant_client, open_assessment
):
    Assessment.objects.filter(pk=open_assessment.pk).update(
        closes_on=timezone.localdate() - timezone.timedelta(days=1)
    )

    page = consultant_client.get(open_assessment.get_absolute_url())

    assert page.context["assessment"].status == Assessment.Status.CLOSED
    assert Assessment.objects.get(pk=open_assessment.pk).status == Assessment.Status.CLOSED


def test_opening_with_a_past_closing_date_is_refused(organisation, small_questionnaire):
    assessment = AssessmentFactory(
        organisation=organisation,
        questionnaire=small_questionnaire,
        status=Assessment.Status.DRAFT,
        closes_on=timezone.localdate() - timezone.timedelta(days=1),
    )

    with pytest.raises(services.CannotOpen) as refused:
        services.open_assessment(assessment=assessment)

    assert refused.value.reason == (
        "The closing date has passed: set a closing date in the future, then open it."
    )
    assert Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.DRAFT


def test_deleting_an_answer_in_the_admin_recomputes_the_stored_figures(
    admin_client, open_assessment
):
    (response,) = submit(open_assessment, 1, level=4)
    answer = response.answers.get(question__code="data.inventory")
    response.answers.filter(question__code="data.quality").update(level=0)
    services.recompute_scores(assessment=open_assessment)

    admin_client.post(f"/admin/assessments/answer/{answer.pk}/delete/", {"post": "yes"})

    assert response.answers.filter(pk=answer.pk).exists() is False
    assert summary(open_assessment)["data"] == (50.0, 1)


# Sharing comments


def test_a_submitted_comment_can_be_shared_and_taken_back(open_assessment):
    (response,) = submit(open_assessment, 1)
    answer = response.answers.first()
    answer.comment = "Owners are named in the wiki."
    answer.save()

    services.share_comment(answer=answer, shared=True)
    shared_at = answer.comment_shared_at
    services.share_comment(answer=answer, shared=False)

    assert shared_at is not None
    assert answer.comment_shared_at is None


def test_a_comment_of_an_unsubmitted_response_cannot_be_shared(open_assessment):
    response = ResponseFactory(assessment=open_assessment)
    question = open_assessment.questionnaire.questions.first()
    services.save_answer(response=response, question=question, level=2, comment="Draft")

    with pytest.raises(services.InvalidAnswer):
        services.share_comment(answer=response.answers.get(), shared=True)
