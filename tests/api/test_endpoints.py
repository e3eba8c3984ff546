"""What each endpoint answers: codes with labels, figures as printed, withheld cells empty."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Action, PillarTarget
from assessments.results import publication
from tests.factories import ActionFactory, AssessmentFactory

from .conftest import answered_with

pytestmark = pytest.mark.django_db


def test_organisation(manager_api, organisation):
    response = manager_api.get(reverse("api:organisation", args=[organisation.slug]))

    assert response.json() == {
        "slug": "acme",
        "name": "Acme Insurance",
        "sector": {"code": "financial", "label": "Banking and insurance"},
        "size_band": None,
        "country": "PT",
        "role": {"code": "manager", "label": "Client manager"},
        "url": "/api/v1/organisations/acme/",
    }


def test_assessment_with_its_progress_and_latest_publication(manager_api, organisation, published):
    snapshot = published.latest_snapshot(with_report=False)

    body = manager_api.get(reverse("api:assessment", args=[organisation.slug, published.pk])).json()

    base = f"/api/v1/organisations/acme/assessments/{published.pk}/"
    assert body["title"] == "Spring check"
    assert body["status"] == {"code": "open", "label": "Open"}
    assert body["questionnaire"] == {"slug": "readiness", "version": 1, "title": "Readiness"}
    assert body["progress"] == {"invited": 4, "started": 4, "submitted": 4}
    assert body["published"] == {
        "kind": {"code": "interim", "label": "Interim results"},
        "published_at": timezone.localtime(snapshot.published_at).isoformat(),
        "respondents": 4,
    }
    # No address of live figures for a client manager.
    assert body["urls"] == {
        "self": base,
        "snapshot": base + "snapshot/",
        "actions": base + "actions/",
        "targets": base + "targets/",
    }


def test_a_consultant_is_given_the_live_address_too(consultant_api, organisation, published):
    url = reverse("api:assessment", args=[organisation.slug, published.pk])

    urls = consultant_api.get(url).json()["urls"]

    assert urls["live"] == f"/api/v1/organisations/acme/assessments/{published.pk}/live/"


def test_an_assessment_not_yet_published_says_so(consultant_api, organisation, open_assessment):
    url = reverse("api:assessments", args=[organisation.slug])

    (item,) = consultant_api.get(url).json()["results"]

    assert item["published"] is None


def test_an_assessment_past_its_closing_date_is_listed_closed(
    consultant_api, organisation, published
):
    published.closes_on = timezone.localdate() - timedelta(days=2)
    published.save()

    (item,) = consultant_api.get(reverse("api:assessments", args=[organisation.slug])).json()[
        "results"
    ]

    assert item["status"] == {"code": "closed", "label": "Closed"}


@pytest.fixture
def ethics_withheld(open_assessment, consultant):
    """Threshold 3; all 3 answer the data questions, only 2 give ethics a level."""
    open_assessment.anonymity_threshold = 3
    open_assessment.save()
    answered_with(open_assessment, "business", [3, 3, 3, 2, 2])
    answered_with(open_assessment, "business", [2, 3, 4, 1, 2])
    answered_with(open_assessment, "business", [2, 2, 2, None, None])
    publication.publish_results(assessment=open_assessment, published_by=consultant)
    return open_assessment


def test_a_withheld_pillar_carries_its_reason_and_no_figure(
    manager_api, organisation, ethics_withheld
):
    url = reverse("api:snapshot", args=[organisation.slug, ethics_withheld.pk])

    body = manager_api.get(url).json()

    data, ethics = body["pillars"]
    assert (data["maturity"], data["risk"], data["respondents"], data["withheld"]) == (
        67,  # (75 + 75 + 50) / 3
        33,
        3,
        None,
    )
    assert ethics == {
        "withheld": {"code": "few_answers", "label": "not enough answers"},
        "code": "ethics",
        "name": "Ethics and governance",
        "weight": 1.0,
        "respondents": None,
        "maturity": None,
        "risk": None,
        "band": None,
        "band_raised_by_red_flag": False,
        "confidence": None,
        "coverage": None,
        "spread": None,
        "consensus": None,
        "red_flags": [],
        "recommendation": "",
    }
    policy = next(q for q in body["questions"] if q["code"] == "ethics.policy")
    assert (policy["score"], policy["answered"], policy["distribution"]) == (None, None, None)
    assert policy["withheld"]["code"] == "few_answers"
    assert (body["live"], body["kind"]["code"], body["min_respondents"]) == (False, "interim", 3)


def test_live_figures_withhold_nothing(consultant_api, organisation, ethics_withheld):
    url = reverse("api:live", args=[organisation.slug, ethics_withheld.pk])

    body = consultant_api.get(url).json()

    ethics = body["pillars"][1]
    assert (body["live"], body["kind"], body["min_respondents"]) == (True, None, 1)
    assert (ethics["maturity"], ethics["respondents"], ethics["withheld"]) == (44, 2, None)  # 43.75


def test_the_verdict_with_its_reasons_in_words(manager_api, organisation, published):
    body = manager_api.get(reverse("api:snapshot", args=[organisation.slug, published.pk])).json()

    assert body["verdict"] == {"code": "ready_with_conditions", "label": "Ready with conditions"}
    assert body["verdict_reason"] == (
        "Ready with conditions: Data foundation and Ethics and governance are at moderate risk."
    )
    assert body["reasons"] == [
        {
            "kind": {
                "code": "moderate_risk",
                "label": "Data foundation and Ethics and governance are at moderate risk",
            },
            "pillars": ["data", "ethics"],
            "questions": [],
        }
    ]


def test_the_action_plan(manager, manager_api, organisation, published, small_questionnaire):
    question = small_questionnaire.questions.get(code="data.rights")
    ActionFactory(
        assessment=published,
        question=question,
        title="Name an owner for every source",
        owner=manager,
        due_on=timezone.localdate() - timedelta(days=1),
        status=Action.Status.IN_PROGRESS,
    )

    body = manager_api.get(reverse("api:actions", args=[organisation.slug, published.pk])).json()

    (action,) = body["results"]
    assert {key: action[key] for key in ("title", "question", "pillar", "owner", "status")} == {
        "title": "Name an owner for every source",
        "question": {"code": "data.rights", "label": "How is data.rights handled?"},
        "pillar": {"code": "data", "label": "Data foundation"},
        "owner": str(manager),
        "status": {"code": "in_progress", "label": "In progress"},
    }
    assert action["due_on"] == (timezone.localdate() - timedelta(days=1)).isoformat()
    assert action["overdue"] is True


def test_targets_agreed_and_by_default(manager_api, organisation, published, small_questionnaire):
    PillarTarget.objects.create(
        assessment=published, pillar=small_questionnaire.pillars.get(code="ethics"), maturity=80
    )

    body = manager_api.get(reverse("api:targets", args=[organisation.slug, published.pk])).json()

    assert body["results"] == [
        {
            "pillar": {"code": "data", "label": "Data foundation"},
            "target": 76,
            "agreed": False,
            "maturity": 63,
            "gap": 13,
        },
        {
            "pillar": {"code": "ethics", "label": "Ethics and governance"},
            "target": 80,
            "agreed": True,
            "maturity": 63,
            "gap": 17,
        },
    ]


def test_another_assessments_actions_are_not_listed(consultant_api, organisation, published):
    ActionFactory(assessment=AssessmentFactory(organisation=organisation))

    body = consultant_api.get(reverse("api:actions", args=[organisation.slug, published.pk])).json()

    assert body["count"] == 0
