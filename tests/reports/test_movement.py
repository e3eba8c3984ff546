"""What moved since the previous assessment, by pillar and by question code, across
questionnaire versions: in the arranged results, on the dashboard and in the PDF."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from assessments import services
from assessments.models import Assessment, Questionnaire
from assessments.results import access
from reports import exporters, presenters, selectors
from tests.factories import AssessmentFactory, PillarFactory, QuestionFactory, QuestionnaireFactory
from tests.reports.conftest import pdf_text, respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def version_two(small_questionnaire):
    """Version 2: "data.rights" removed, "data.lineage" added, the rest as before."""
    questionnaire = QuestionnaireFactory(slug="readiness", version=2, title="Readiness")
    data = PillarFactory(questionnaire=questionnaire, code="data", order=1, name="Data foundation")
    ethics = PillarFactory(
        questionnaire=questionnaire, code="ethics", order=2, name="Ethics and governance"
    )
    codes = [
        (data, "data.inventory"),
        (data, "data.quality"),
        (data, "data.lineage"),
        (ethics, "ethics.policy"),
        (ethics, "ethics.gdpr"),
    ]
    for order, (pillar, code) in enumerate(codes, start=1):
        QuestionFactory(pillar=pillar, code=code, order=order, text=f"How is {code} handled?")
    return questionnaire


@pytest.fixture
def follow_up(organisation, small_questionnaire, version_two):
    """A closed baseline on version 1 and its follow-up on version 2, three answers each."""
    baseline = AssessmentFactory(
        organisation=organisation, questionnaire=small_questionnaire, title="Baseline"
    )
    Assessment.objects.filter(pk=baseline.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=90)
    )
    for _ in range(3):
        respond(
            baseline,
            {
                "data.inventory": 1,
                "data.quality": 2,
                "data.rights": 2,
                "ethics.policy": 2,
                "ethics.gdpr": 2,
            },
        )
    services.close_assessment(assessment=baseline)
    current = AssessmentFactory(
        organisation=organisation, questionnaire=version_two, title="Follow-up"
    )
    for _ in range(3):
        respond(
            current,
            {
                "data.inventory": 3,
                "data.quality": 2,
                "data.lineage": 4,
                "ethics.policy": 1,
                "ethics.gdpr": 2,
            },
        )
    return current


def movement_of(assessment) -> presenters.Movement:
    results = access.live_results(assessment)
    page = presenters.report_page(
        assessment,
        results,
        (),
        with_charts=False,
        previous_names=selectors.previous_names(assessment, results.report),
        previous_questionnaire=selectors.previous_questionnaire(assessment, results.report),
    )
    return page.movement


def test_movement_compares_each_pillar(follow_up):
    movement = movement_of(follow_up)

    assert movement.since == "Baseline"
    assert [(p.code, p.previous, p.current, p.status) for p in movement.pillars] == [
        ("data", pytest.approx(125 / 3), pytest.approx(75.0), "compared"),
        ("ethics", 50.0, pytest.approx(37.5), "compared"),
    ]


def test_movement_lists_questions_that_moved_largest_change_first(follow_up):
    movement = movement_of(follow_up)

    assert [(q.code, q.change.signed) for q in movement.moved] == [
        ("data.inventory", "+50"),
        ("ethics.policy", "−25"),
    ]
    assert movement.steady == 2  # data.quality and ethics.gdpr kept their score
    assert movement.compared == 4


def test_movement_names_questions_added_and_removed_between_versions(follow_up):
    movement = movement_of(follow_up)

    assert [(q.code, q.text, q.current) for q in movement.added] == [
        ("data.lineage", "How is data.lineage handled?", 100.0)
    ]
    assert [(q.code, q.text, q.pillar, q.previous) for q in movement.removed] == [
        ("data.rights", "How is data.rights handled?", "Data foundation", 50.0)
    ]


def test_movement_across_versions_compares_the_questions_asked_both_times(follow_up):
    Questionnaire.objects.filter(pk=follow_up.questionnaire_id).update(
        settings={"bands": {"high": 45, "critical": 62.5}}
    )
    follow_up.refresh_from_db()

    movement = movement_of(follow_up)

    # Asked both times: data.inventory 25 → 75, data.quality 50 → 50 (data 37.5 → 62.5),
    # ethics.policy 50 → 25, ethics.gdpr 50 → 50 (ethics 50 → 37.5); pillars weigh alike.
    assert (movement.overall_previous, movement.overall_current) == (43.75, 50.0)
    assert movement.overall.signed == "+6"  # 44 → 50, as printed
    assert movement.caveats == (
        "“Baseline” used Readiness (v1).",
        "Since then 1 question was added and 1 is no longer asked; the readiness index "
        "before and now counts only the 4 questions asked both times.",
        "Risk band limits changed (risk from 0 to 100): high from 50 to 45, critical from 75 "
        "to 62.5.",
    )


def test_movement_within_one_version_compares_the_index(organisation, small_questionnaire):
    baseline = AssessmentFactory(organisation=organisation, questionnaire=small_questionnaire)
    Assessment.objects.filter(pk=baseline.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=90)
    )
    for _ in range(3):
        respond(baseline, 2)
    services.close_assessment(assessment=baseline)
    current = AssessmentFactory(organisation=organisation, questionnaire=small_questionnaire)
    for _ in range(3):
        respond(current, 3)

    movement = movement_of(current)

    assert (movement.matched, movement.caveats) == (False, ())
    assert (movement.overall_previous, movement.overall_current) == (50.0, 75.0)


def test_first_assessment_has_no_movement(open_assessment):
    respond(open_assessment, 3)

    assert movement_of(open_assessment) is None


def test_dashboard_shows_what_moved(consultant_client, follow_up):
    response = consultant_client.get(reverse("reports:dashboard", args=["acme", follow_up.pk]))

    assertContains(response, "What moved since “Baseline”")
    assertContains(response, "2 of 4 questions asked both times changed score")
    assertContains(response, "1 question added since then")
    assertContains(response, "1 question no longer asked")
    assertContains(response, '<code class="question-code">data.rights</code>', html=True)


def test_pdf_shows_what_moved(follow_up):
    loaded = Assessment.objects.with_progress().select_related("organisation").get(pk=follow_up.pk)

    text = pdf_text(exporters.draft_report_pdf(loaded).content)

    assert "What moved since “Baseline”" in text
    assert "data.lineage" in text
    assert "How is data.rights handled?" in text
