"""The consultant's portfolio of clients and an organisation's page over time."""

import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from accounts.models import Membership, Organisation, Role
from assessments import services
from assessments.models import Assessment, ResultHeadline
from assessments.results import entries, publication
from tests.factories import (
    AssessmentFactory,
    MembershipFactory,
    OrganisationFactory,
    ResponseFactory,
    UserFactory,
)
from tests.reports.conftest import respond, respond_in_bulk
from tests.support.scale import on_postgresql

pytestmark = pytest.mark.django_db

PORTFOLIO = reverse("reports:portfolio")


def rows(response):
    return response.context["rows"]


def client_named(response, name):
    return next(row for row in response.context["rows"] if row.name == name)


def served(consultant, questionnaire, name, *, levels=(3,), status=Assessment.Status.OPEN):
    """An organisation the consultant serves, with one assessment per level, oldest first,
    each answered by three respondents at that level."""
    organisation = OrganisationFactory(name=name)
    MembershipFactory(user=consultant, organisation=organisation, role=Role.CONSULTANT)
    start = datetime.datetime(2026, 1, 15, 9, tzinfo=datetime.UTC)
    for number, level in enumerate(levels):
        assessment = AssessmentFactory(
            organisation=organisation,
            questionnaire=questionnaire,
            title=f"{name} run {number + 1}",
            anonymity_threshold=3,
        )
        moment = start + datetime.timedelta(days=30 * number)
        Assessment.objects.filter(pk=assessment.pk).update(created_at=moment, opened_at=moment)
        for _ in range(3):
            respond(assessment, level)
        if status == Assessment.Status.CLOSED or number < len(levels) - 1:
            services.close_assessment(assessment=assessment)
    return organisation


# What a row shows


def test_row_shows_latest_assessment_progress_verdict_and_riskiest_pillar(
    consultant_client, open_assessment
):
    ResponseFactory(assessment=open_assessment)  # invited, not answered
    respond(
        open_assessment,
        {
            "data.inventory": 3,
            "data.quality": 3,
            "data.rights": 3,
            "ethics.policy": 1,
            "ethics.gdpr": 1,
        },
    )

    row = client_named(consultant_client.get(PORTFOLIO), "Acme Insurance")

    assert row.current.title == "Spring check"
    assert (row.current.submitted, row.current.invited) == (1, 2)
    assert row.verdict == "not_ready"
    assert (row.headline.riskiest_pillar, row.headline.riskiest_band) == ("ethics", "critical")


def test_row_verdict_matches_the_dashboard(consultant_client, open_assessment):
    respond(open_assessment, 2)
    respond(open_assessment, 3)

    row = client_named(consultant_client.get(PORTFOLIO), "Acme Insurance")
    dashboard = consultant_client.get(
        reverse("reports:dashboard", args=["acme", open_assessment.pk])
    )

    result = dashboard.context["result"]
    assert row.verdict == result.verdict.value
    assert row.headline.overall_index == pytest.approx(result.overall_index)


def test_row_shows_the_change_of_the_index_since_the_previous_assessment(
    consultant, consultant_client, small_questionnaire
):
    served(consultant, small_questionnaire, "Initech", levels=(1, 3))

    row = client_named(consultant_client.get(PORTFOLIO), "Initech")

    assert row.figures_title == "Initech run 2"
    assert row.previous_title == "Initech run 1"
    assert row.change.delta == pytest.approx(50.0)
    assertContains(consultant_client.get(PORTFOLIO), "up 50 points")


def test_a_new_submission_changes_the_verdict_without_opening_the_dashboard(
    consultant_client, open_assessment
):
    respond(open_assessment, 4)
    assert client_named(consultant_client.get(PORTFOLIO), "Acme Insurance").verdict == "ready"

    respond(open_assessment, 0)

    row = client_named(consultant_client.get(PORTFOLIO), "Acme Insurance")
    assert row.verdict == "ready_with_conditions"


def test_a_draft_follow_up_shows_the_verdict_of_the_assessment_before_it(
    consultant_client, open_assessment
):
    respond(open_assessment, 4)
    services.close_assessment(assessment=open_assessment)
    services.create_assessment(
        organisation=open_assessment.organisation,
        questionnaire=open_assessment.questionnaire,
        title="Autumn check",
        created_by=None,
    )

    response = consultant_client.get(PORTFOLIO)

    row = client_named(response, "Acme Insurance")
    assert (row.current.title, row.figures_title, row.verdict) == (
        "Autumn check",
        "Spring check",
        "ready",
    )
    assertContains(response, "from “Spring check”")


def test_a_manager_sees_the_published_verdict_not_the_live_one(
    manager, manager_client, threshold_three
):
    for _ in range(3):
        respond(threshold_three, 4)
    publication.publish_results(assessment=threshold_three, published_by=None)
    respond(threshold_three, 0)  # live: a red flag would make it "not ready"

    row = client_named(manager_client.get(PORTFOLIO), "Acme Insurance")

    assert row.live is False
    assert row.verdict == "ready"


def test_a_manager_sees_no_verdict_before_publication(manager_client, open_assessment):
    respond(open_assessment, 3)

    response = manager_client.get(PORTFOLIO)

    assert client_named(response, "Acme Insurance").headline is None
    assertContains(response, "Not published yet")


def test_last_activity_is_the_latest_invitation_submission_or_publication(
    consultant_client, threshold_three
):
    for _ in range(3):
        respond(threshold_three, 3)
    snapshot = publication.publish_results(assessment=threshold_three, published_by=None)

    row = client_named(consultant_client.get(PORTFOLIO), "Acme Insurance")

    assert row.last_activity == snapshot.published_at


# Search, filters, order and pages


@pytest.fixture
def portfolio(client, small_questionnaire):
    """A consultant's four clients: ready, not ready, ready with conditions (closed), and one
    without an assessment; logged in."""
    consultant = UserFactory(is_consultant=True)
    served(consultant, small_questionnaire, "Alpha Bank", levels=(4,))
    served(consultant, small_questionnaire, "Beta Retail", levels=(0,))
    served(consultant, small_questionnaire, "Gamma Health", levels=(2,), status="closed")
    empty = OrganisationFactory(name="Delta Energy", sector="energy")
    MembershipFactory(user=consultant, organisation=empty, role=Role.CONSULTANT)
    client.force_login(consultant)
    return client


def names(response) -> list[str]:
    return [row.name for row in rows(response)]


def test_search_finds_clients_by_part_of_their_name(portfolio):
    assert names(portfolio.get(PORTFOLIO, {"q": "ret"})) == ["Beta Retail"]


@pytest.mark.parametrize(
    ("verdict", "expected"),
    [
        ("ready", ["Alpha Bank"]),
        ("not_ready", ["Beta Retail"]),
        ("ready_with_conditions", ["Gamma Health"]),
        ("none", ["Delta Energy"]),
    ],
)
def test_filter_by_verdict(portfolio, verdict, expected):
    response = portfolio.get(PORTFOLIO, {"verdict": verdict, "sort": "name"})

    assert names(response) == expected


def test_filter_by_status_and_sector(portfolio):
    assert names(portfolio.get(PORTFOLIO, {"status": "closed"})) == ["Gamma Health"]
    assert names(portfolio.get(PORTFOLIO, {"status": "none"})) == ["Delta Energy"]
    assert names(portfolio.get(PORTFOLIO, {"sector": "energy"})) == ["Delta Energy"]


def test_verdict_counts_follow_the_other_filters(portfolio):
    response = portfolio.get(PORTFOLIO, {"status": "open"})

    assert dict(response.context["verdict_counts"]) == {"ready": 1, "not_ready": 1}


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Alpha Bank", "Beta Retail", "Delta Energy", "Gamma Health"]),
        ("-name", ["Gamma Health", "Delta Energy", "Beta Retail", "Alpha Bank"]),
        ("verdict", ["Beta Retail", "Gamma Health", "Alpha Bank", "Delta Energy"]),
        ("-index", ["Alpha Bank", "Gamma Health", "Beta Retail", "Delta Energy"]),
        ("index", ["Beta Retail", "Gamma Health", "Alpha Bank", "Delta Energy"]),
        ("status", ["Alpha Bank", "Beta Retail", "Gamma Health", "Delta Energy"]),
    ],
)
def test_sorting_keeps_clients_without_the_figure_last(portfolio, sort, expected):
    assert names(portfolio.get(PORTFOLIO, {"sort": sort})) == expected


def test_an_unknown_sort_falls_back_to_the_latest_activity(portfolio):
    response = portfolio.get(PORTFOLIO, {"sort": "password"})

    assert response.context["sort"] == "-activity"


def test_column_headings_sort_and_say_how(portfolio):
    response = portfolio.get(PORTFOLIO, {"sort": "name"})

    assertContains(
        response,
        '<th scope="col" class="" aria-sort="ascending"><a class="sort-link" href="?sort=-name">'
        'Client<span class="sort-mark" aria-hidden="true"> ▲</span>'
        '<span class="visually-hidden"> (sorted ascending)</span></a></th>',
        html=True,
    )


def test_pages_of_twenty_five(client, small_questionnaire):
    user = UserFactory(is_consultant=True)
    for number in range(30):
        organisation = OrganisationFactory(name=f"Client {number:02d}")
        MembershipFactory(user=user, organisation=organisation, role=Role.CONSULTANT)
    client.force_login(user)

    first = client.get(PORTFOLIO, {"sort": "name"})
    second = client.get(PORTFOLIO, {"sort": "name", "page": 2})

    assert len(rows(first)) == 25
    assert names(second) == [f"Client {number}" for number in range(25, 30)]
    assertContains(first, '<a class="page-link" href="?sort=name&amp;page=2">2</a>', html=True)


# Cost

# session, user, the counts by role, status and verdict, the filtered count, the page
PORTFOLIO_QUERIES = 5


def many_clients(consultant, questionnaire, organisations: int, assessments: int) -> None:
    """`organisations` clients of the consultant with `assessments` each, in a few queries,
    and their portfolio entries worked out as after a deploy."""
    clients = Organisation.objects.bulk_create(
        Organisation(name=f"Client {number:05d}", slug=f"client-{number}")
        for number in range(organisations)
    )
    Membership.objects.bulk_create(
        Membership(user=consultant, organisation=organisation, role=Role.CONSULTANT)
        for organisation in clients
    )
    Assessment.objects.bulk_create(
        Assessment(organisation=organisation, questionnaire=questionnaire, title=f"Run {index}")
        for organisation in clients
        for index in range(assessments)
    )
    entries.refresh_all()


@pytest.mark.parametrize("organisations", [10, on_postgresql(5000)])
@pytest.mark.parametrize("params", [{}, {"sort": "-index", "verdict": "none"}, {"page": 3}])
def test_query_count_is_the_same_at_ten_and_five_thousand_clients(
    client, small_questionnaire, django_assert_num_queries, organisations, params
):
    user = UserFactory(is_consultant=True)
    many_clients(user, small_questionnaire, organisations, assessments=4)
    client.force_login(user)

    with django_assert_num_queries(PORTFOLIO_QUERIES):
        response = client.get(PORTFOLIO, params)

    assert response.context["total"] == organisations


def test_the_portfolio_builds_no_headline(client, small_questionnaire, django_assert_num_queries):
    user = UserFactory(is_consultant=True)
    served(user, small_questionnaire, "Initech", levels=(2, 3))
    ResultHeadline.objects.all().delete()
    client.force_login(user)

    with django_assert_num_queries(PORTFOLIO_QUERIES):
        row = client_named(client.get(PORTFOLIO), "Initech")

    assert ResultHeadline.objects.count() == 0
    assert row.verdict == "ready_with_conditions"  # from the stored entry


def test_many_respondents_cost_no_more_queries(client, open_assessment, django_assert_num_queries):
    respond_in_bulk(open_assessment, 40)
    user = UserFactory(is_consultant=True)
    MembershipFactory(user=user, organisation=open_assessment.organisation, role=Role.CONSULTANT)
    client.force_login(user)

    with django_assert_num_queries(PORTFOLIO_QUERIES):
        row = client_named(client.get(PORTFOLIO), "Acme Insurance")

    assert row.headline.respondents == 40


# One organisation over time


def test_organisation_page_charts_the_index_and_each_pillar(
    consultant, consultant_client, small_questionnaire
):
    organisation = served(consultant, small_questionnaire, "Initech", levels=(1, 2, 3))

    response = consultant_client.get(reverse("reports:organisation", args=[organisation.slug]))

    charts = response.context["charts"]
    assert [item.name for item in charts.pillars] == ["Data foundation", "Ethics and governance"]
    assert "Readiness index: " in charts.index
    assert [item.latest for item in charts.pillars] == [75.0, 75.0]
    assert charts.index.count("<polyline") == 1
    assertContains(response, 'class="chart chart-line"', count=3)
    assertContains(response, "Jan 2026")


def test_organisation_page_lists_assessments_with_their_verdicts(
    consultant, consultant_client, small_questionnaire
):
    organisation = served(consultant, small_questionnaire, "Initech", levels=(1, 4))

    response = consultant_client.get(reverse("reports:organisation", args=[organisation.slug]))

    assert [(a.title, a.headline.verdict) for a in response.context["assessments"]] == [
        ("Initech run 2", "ready"),
        ("Initech run 1", "not_ready"),
    ]


def test_organisation_page_for_a_manager_charts_published_results_only(
    manager_client, threshold_three
):
    for _ in range(3):
        respond(threshold_three, 3)
    response = manager_client.get("/o/acme/")
    assert response.context["charts"] is None

    publication.publish_results(assessment=threshold_three, published_by=None)

    response = manager_client.get("/o/acme/")
    assert [line.title for line in response.context["history"].with_results] == ["Spring check"]


def test_staff_see_every_organisation_with_live_figures(client, open_assessment):
    respond(open_assessment, 4)
    client.force_login(UserFactory(is_staff=True))

    row = client_named(client.get(PORTFOLIO), "Acme Insurance")

    assert (row.live, row.verdict) == (True, "ready")
