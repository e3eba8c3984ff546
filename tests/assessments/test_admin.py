"""The Django admin: every model is there, and a questionnaire with answers is read-only."""

import pytest
import yaml
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from tests.factories import AnswerFactory, QuestionnaireFactory, ResponseFactory


@pytest.fixture
def admin_client(client, staff):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    return client


@pytest.mark.parametrize("app_label", ["accounts", "assessments"])
def test_every_model_is_in_the_admin(app_label):
    models = set(apps.get_app_config(app_label).get_models())
    assert models - set(admin.site._registry) == set()


def test_questionnaire_without_answers_can_be_edited(admin_client, small_questionnaire):
    page = admin_client.get(
        reverse("admin:assessments_questionnaire_change", args=[small_questionnaire.pk])
    )

    assert page.context["has_change_permission"] is True


def test_questionnaire_with_answers_is_read_only(admin_client, open_assessment):
    question = open_assessment.questionnaire.questions.first()
    AnswerFactory(response__assessment=open_assessment, question=question)

    page = admin_client.get(reverse("admin:assessments_question_change", args=[question.pk]))
    post = admin_client.post(
        reverse("admin:assessments_question_change", args=[question.pk]), {"text": "Changed"}
    )

    assert page.context["has_change_permission"] is False
    assert post.status_code == 403
    question.refresh_from_db()
    assert question.text != "Changed"


def test_export_action_downloads_the_questionnaire_as_yaml(admin_client, small_questionnaire):
    QuestionnaireFactory()  # another one, not selected

    response = admin_client.post(
        reverse("admin:assessments_questionnaire_changelist"),
        {"action": "export_yaml", "_selected_action": [small_questionnaire.pk]},
    )

    content = yaml.safe_load(response.content)
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert (content["slug"], content["version"]) == ("readiness", 1)
    assert [pillar["code"] for pillar in content["pillars"]] == ["data", "ethics"]


def test_threshold_is_read_only_in_the_admin_once_a_response_is_submitted(
    admin_client, open_assessment
):
    ResponseFactory(assessment=open_assessment, submitted_at=timezone.now())

    page = admin_client.get(
        reverse("admin:assessments_assessment_change", args=[open_assessment.pk])
    )

    assert "anonymity_threshold" not in page.context["adminform"].form.fields


def test_threshold_is_editable_in_the_admin_before_any_submission(admin_client, open_assessment):
    page = admin_client.get(
        reverse("admin:assessments_assessment_change", args=[open_assessment.pk])
    )

    assert "anonymity_threshold" in page.context["adminform"].form.fields
