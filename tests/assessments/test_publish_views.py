"""Publishing through the pages: what the consultant sees before, and the decisions on red
flags that rest on a few people."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, Question, Response
from assessments.scoring import Verdict
from tests.factories import ResponseFactory

pytestmark = pytest.mark.django_db


def answer(assessment, perspective: str, levels: dict[str, int | None], default: int = 3):
    response = ResponseFactory(assessment=assessment, perspective=perspective)
    for question in assessment.questionnaire.questions.all():
        level = levels.get(question.code, default)
        services.save_answer(
            response=response, question=question, level=level, dont_know=level is None
        )
    services.submit_response(response=response)
    return response


@pytest.fixture
def flagged_by_one(open_assessment):
    """Threshold 3; the one legal person blocks the critical question they decide on."""
    Assessment.objects.filter(pk=open_assessment.pk).update(anonymity_threshold=3)
    Question.objects.filter(
        questionnaire=open_assessment.questionnaire_id, code="ethics.gdpr"
    ).update(critical=True, deciding_perspectives=["legal_risk"])
    open_assessment.refresh_from_db()
    for _ in range(4):
        answer(open_assessment, "business", {})
    answer(open_assessment, "legal_risk", {"ethics.gdpr": 0})
    return open_assessment


def url(name: str, assessment) -> str:
    return reverse(f"assessments:{name}", args=[assessment.organisation.slug, assessment.pk])


def test_the_preview_shows_the_verdict_and_asks_about_the_flag(consultant_client, flagged_by_one):
    page = consultant_client.get(url("publish", flagged_by_one))

    assert page.status_code == 200
    assert page.context["result"].verdict is Verdict.NOT_READY
    assert [q.code for q in page.context["form"].items] == ["ethics.gdpr"]
    assert [(g.perspective, g.respondents, g.missing, g.shown) for g in page.context["groups"]] == [
        # Shown, business would give the lawyer's figures away by subtraction.
        ("business", 4, 0, False),
        ("legal_risk", 1, 2, False),
    ]
    assert "Red flags that rest on a few people" in page.text
    assert flagged_by_one.snapshots.exists() is False


def test_keeping_the_flag_publishes_the_live_verdict(consultant_client, flagged_by_one):
    page = consultant_client.post(
        url("publish", flagged_by_one), {"decision-ethics.gdpr": "keep", "reason-ethics.gdpr": ""}
    )

    assert page.status_code == 302
    snapshot = flagged_by_one.latest_snapshot()
    assert snapshot.read_report().result.verdict is Verdict.NOT_READY
    assert snapshot.dismissals == []


def test_dismissing_needs_a_reason_and_publishes_nothing_without_one(
    consultant_client, flagged_by_one
):
    page = consultant_client.post(
        url("publish", flagged_by_one),
        {"decision-ethics.gdpr": "dismiss", "reason-ethics.gdpr": "  "},
    )

    assert page.status_code == 400
    assert page.context["form"].errors == {
        "reason-ethics.gdpr": [
            "Say why it is dismissed: the reason is printed in the method appendix."
        ]
    }
    assert flagged_by_one.snapshots.exists() is False


def test_a_dismissal_with_its_reason_is_stored_audited_and_printed(
    consultant_client, consultant, flagged_by_one
):
    reason = "Answered for the old data set, replaced in March."

    consultant_client.post(
        url("publish", flagged_by_one),
        {"decision-ethics.gdpr": "dismiss", "reason-ethics.gdpr": reason},
    )

    snapshot = flagged_by_one.latest_snapshot()
    report = snapshot.read_report()
    assert snapshot.dismissals == [["ethics.gdpr", reason]]
    assert report.result.dismissed == ("ethics.gdpr",)
    assert report.method[-1].title == "Set aside by the consultant"
    from accounts.models import AuditEvent

    event = AuditEvent.objects.get(action=AuditEvent.Action.PUBLISHED)
    assert (event.actor, event.detail["dismissed"]) == (consultant, [["ethics.gdpr", reason]])


def test_closing_shows_the_same_preview_and_decisions(consultant_client, flagged_by_one):
    page = consultant_client.get(url("close", flagged_by_one))

    assert [q.code for q in page.context["form"].items] == ["ethics.gdpr"]

    consultant_client.post(
        url("close", flagged_by_one), {"decision-ethics.gdpr": "keep", "reason-ethics.gdpr": ""}
    )

    flagged_by_one.refresh_from_db()
    assert flagged_by_one.status == Assessment.Status.CLOSED
    assert flagged_by_one.latest_snapshot().kind == "final"


def test_a_manager_cannot_publish(manager_client, flagged_by_one):
    page = manager_client.post(url("publish", flagged_by_one), {"decision-ethics.gdpr": "keep"})

    assert page.status_code == 403
    assert flagged_by_one.snapshots.exists() is False


def test_another_organisations_consultant_gets_404(outsider_client, flagged_by_one):
    assert outsider_client.get(url("publish", flagged_by_one)).status_code == 404
    assert outsider_client.post(url("close", flagged_by_one)).status_code == 404
    assert Response.objects.filter(assessment=flagged_by_one).count() == 5
