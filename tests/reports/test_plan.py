"""Targets per pillar and the action plan: from a published verdict to who does what by when."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments import followup, plan
from assessments.models import Action, Assessment, PillarTarget
from assessments.results import publication
from assessments.results.access import live_results, published_results
from assessments.scoring import Band, Finding
from tests.factories import MembershipFactory, QuestionnaireFactory, UserFactory

from .conftest import respond


@pytest.fixture
def published(threshold_three):
    """Three responses at level 1 on data and 3 on ethics, published: data's questions are
    findings."""
    for _ in range(3):
        respond(
            threshold_three,
            {
                "data.inventory": 1,
                "data.quality": 1,
                "data.rights": 1,
                "ethics.policy": 3,
                "ethics.gdpr": 3,
            },
        )
    publication.publish_results(assessment=threshold_three, published_by=None)
    return Assessment.objects.get(pk=threshold_three.pk)


def url(name, assessment, *args):
    return reverse(f"reports:{name}", args=[assessment.organisation.slug, assessment.pk, *args])


def finding(assessment, code):
    return next(f for f in plan.plan_findings(published_results(assessment)) if f.question == code)


# Targets


@pytest.mark.parametrize(("moderate", "target"), [(25, 76), (30, 71), (20.5, 80)])
def test_the_default_target_is_the_lowest_maturity_at_low_risk(db, moderate, target):
    bank = QuestionnaireFactory(
        settings={"bands": {"moderate": moderate, "high": 50, "critical": 75}}
    )

    assert bank.default_target == target


def test_every_pillar_has_a_target_the_default_until_one_is_agreed(open_assessment, consultant):
    plan.set_targets(assessment=open_assessment, maturities={"ethics": 60}, by=consultant)

    targets = plan.targets(open_assessment)

    assert [(t.pillar, t.maturity, t.agreed) for t in targets] == [
        ("data", 76, False),
        ("ethics", 60, True),
    ]


@pytest.mark.parametrize("maturities", [{"nowhere": 50}, {"data": 101}, {"data": -1}])
def test_a_target_outside_the_questionnaire_or_the_scale_is_refused(
    open_assessment, consultant, maturities
):
    with pytest.raises(plan.PlanRefused):
        plan.set_targets(assessment=open_assessment, maturities=maturities, by=consultant)

    assert not PillarTarget.objects.exists()


def test_the_gap_to_target_counts_the_points_still_missing(published, consultant):
    plan.set_targets(assessment=published, maturities={"data": 60, "ethics": 50}, by=consultant)
    result = published_results(published).result

    progress = plan.progress_to_targets(result, plan.targets(published))

    assert [(row.target.pillar, row.maturity, row.gap) for row in progress] == [
        ("data", pytest.approx(25.0), pytest.approx(35.0)),
        ("ethics", pytest.approx(75.0), 0.0),
    ]


def test_a_manager_sets_the_targets_and_a_bad_figure_is_a_400(client, manager, open_assessment):
    client.force_login(manager)

    bad = client.post(url("targets", open_assessment), {"data": "120", "ethics": "50"})
    good = client.post(url("targets", open_assessment), {"data": "70", "ethics": "50"})

    assert bad.status_code == 400
    assert "Ensure this value is less than or equal to 100" in bad.content.decode()
    assert good.status_code == 302
    assert dict(PillarTarget.objects.values_list("pillar__code", "maturity")) == {
        "data": 70,
        "ethics": 50,
    }


# Actions


@pytest.mark.parametrize(
    ("recommendation", "title"),
    [
        ("Name an owner. Then write the list.", "Name an owner."),
        ("Keep one list of the data sources", "Keep one list of the data sources."),
        ("word " * 100, ("word " * 100)[:299].rstrip() + "…"),
    ],
)
def test_an_actions_default_title_is_the_first_sentence_of_the_recommendation(
    recommendation, title
):
    finding = Finding(
        question="data.inventory",
        pillar="data",
        text="How?",
        recommendation=recommendation,
        references=(),
        red_flag=False,
        score=25.0,
        risk=75.0,
        priority=1.0,
        band=Band.CRITICAL,
    )

    assert plan.default_title(finding) == title


def test_an_action_is_made_from_a_published_finding_with_its_recommendation(published, consultant):
    data_finding = finding(published, "data.inventory")

    action = plan.create_action(assessment=published, finding=data_finding, by=consultant)

    assert action.question.code == "data.inventory"
    assert action.title == plan.default_title(data_finding)
    assert action.status == Action.Status.OPEN
    with pytest.raises(plan.PlanRefused, match="already has an action"):
        plan.create_action(assessment=published, finding=data_finding, by=consultant)


def test_without_a_publication_there_is_nothing_to_plan(threshold_three, consultant_client):
    respond(threshold_three, 1)

    page = consultant_client.get(url("plan", threshold_three))
    new = consultant_client.get(url("new_action", threshold_three) + "?finding=data.inventory")

    assert "Nothing has been published yet" in page.content.decode()
    assert new.status_code == 302
    assert not Action.objects.exists()


def test_the_owner_is_a_member_of_the_organisation_or_a_written_name(
    published, consultant, other_organisation
):
    stranger = MembershipFactory(organisation=other_organisation).user
    member = MembershipFactory(organisation=published.organisation).user
    data_finding = finding(published, "data.inventory")

    with pytest.raises(plan.PlanRefused, match="must be a member"):
        plan.create_action(
            assessment=published, finding=data_finding, by=consultant, owner=stranger
        )
    with pytest.raises(plan.PlanRefused, match="not both"):
        plan.create_action(
            assessment=published,
            finding=data_finding,
            by=consultant,
            owner=member,
            owner_name="Maria",
        )
    action = plan.create_action(
        assessment=published, finding=data_finding, by=consultant, owner=member
    )

    assert action.owner_label == str(member)


def test_a_dropped_action_says_why(published, consultant, manager_client):
    action = plan.create_action(
        assessment=published, finding=finding(published, "data.quality"), by=consultant
    )
    edit = url("edit_action", published, action.pk)

    refused = manager_client.post(edit, {"title": action.title, "status": "dropped"})
    saved = manager_client.post(
        edit, {"title": action.title, "status": "dropped", "dropped_reason": "Vendor does it"}
    )

    assert refused.status_code == 400
    assert "Say why the action was dropped." in refused.content.decode()
    assert saved.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.dropped_reason) == ("dropped", "Vendor does it")


def test_a_manager_turns_a_finding_into_an_action_with_an_owner_and_a_date(
    published, manager, manager_client
):
    due = timezone.localdate() + timedelta(days=30)

    form = manager_client.get(url("new_action", published) + "?finding=data.rights")
    saved = manager_client.post(
        url("new_action", published),
        {
            "finding": "data.rights",
            "title": "Clear the rights to the training data",
            "owner": manager.pk,
            "due_on": due.isoformat(),
            "status": "in_progress",
        },
    )

    assert form.status_code == 200
    assert saved.status_code == 302
    action = Action.objects.get()
    assert (action.owner, action.due_on, action.status) == (manager, due, "in_progress")
    assert action.created_by == manager


def test_the_plan_marks_overdue_actions_and_lists_findings_without_one(
    published, consultant, consultant_client
):
    late = plan.create_action(
        assessment=published,
        finding=finding(published, "data.inventory"),
        by=consultant,
        owner_name="Maria Keller",
        due_on=timezone.localdate() - timedelta(days=1),
    )
    plan.create_action(
        assessment=published,
        finding=finding(published, "data.quality"),
        by=consultant,
        due_on=timezone.localdate() - timedelta(days=3),
        status=Action.Status.DONE,
    )

    page = consultant_client.get(url("plan", published)).content.decode()

    assert list(Action.objects.overdue(timezone.localdate())) == [late]
    assert "1 overdue" in page
    assert "Maria Keller" in page
    assert "How is data.rights handled?" in page  # a finding still without an action
    assert page.count("Plan an action") == len(plan.plan_findings(published_results(published))) - 2


def test_the_plan_exports_neutralise_formulas_and_offer_the_statuses(
    published, consultant, consultant_client
):
    plan.create_action(
        assessment=published,
        finding=finding(published, "data.inventory"),
        by=consultant,
        title='=HYPERLINK("http://evil.example")',
        owner_name="+Maria",
    )

    text = consultant_client.get(url("plan_csv", published)).content.decode("utf-8-sig")
    workbook = load_workbook(io.BytesIO(consultant_client.get(url("plan_xlsx", published)).content))

    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:7] == [
        "Reference",
        "Pillar",
        "Finding",
        "Action",
        "Owner",
        "Due date",
        "Status",
    ]
    assert rows[1][3] == '\'=HYPERLINK("http://evil.example")'
    assert rows[1][4] == "'+Maria"
    sheet = workbook.active
    assert sheet["D2"].value == '\'=HYPERLINK("http://evil.example")'
    assert sheet["D2"].data_type == "s"
    validation = sheet.data_validations.dataValidation[0]
    assert validation.formula1 == '"Open,In progress,Done,Dropped"'


# A follow-up shows whether the questions of the previous plan moved


def test_a_follow_up_shows_whether_the_questions_of_the_actions_moved(
    published, consultant, consultant_client
):
    plan.create_action(
        assessment=published, finding=finding(published, "data.inventory"), by=consultant
    )
    Assessment.objects.filter(pk=published.pk).update(
        created_at=timezone.now() - timedelta(days=90)
    )
    follow_up = followup.start_follow_up(assessment=published, started_by=consultant)
    Assessment.objects.filter(pk=follow_up.pk).update(
        status=Assessment.Status.OPEN, anonymity_threshold=3
    )
    follow_up.refresh_from_db()
    for _ in range(3):
        respond(follow_up, 3)

    outcomes = plan.outcomes(follow_up, live_results(follow_up))
    page = consultant_client.get(url("plan", follow_up)).content.decode()

    assert [(o.action.question.code, o.before, o.now) for o in outcomes] == [
        ("data.inventory", 25.0, 75.0)
    ]
    assert outcomes[0].change == 50.0
    assert "did its questions move?" in page
    assert "+50" in page


def test_a_manager_of_a_follow_up_sees_no_movement_before_a_publication(
    published, consultant, manager
):
    plan.create_action(
        assessment=published, finding=finding(published, "data.inventory"), by=consultant
    )
    Assessment.objects.filter(pk=published.pk).update(
        created_at=timezone.now() - timedelta(days=90)
    )
    follow_up = followup.start_follow_up(assessment=published, started_by=consultant)

    assert plan.outcomes(follow_up, published_results(follow_up)) == []


def test_an_outsider_cannot_own_an_action_through_the_form(published, manager_client):
    outsider = UserFactory()

    response = manager_client.post(
        url("new_action", published),
        {"finding": "data.rights", "title": "x", "owner": outsider.pk, "status": "open"},
    )

    assert response.status_code == 400
    assert not Action.objects.exists()
