"""The dashboard of one assessment: live figures for consultants, the snapshot for managers."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from assessments import plan, services
from assessments.models import Action, Answer, LiveFigures
from assessments.results import publication
from tests.factories import AssessmentFactory, PillarFactory, QuestionFactory
from tests.reports.conftest import respond, respond_in_bulk
from tests.support.scale import on_postgresql

pytestmark = pytest.mark.django_db


def dashboard_url(assessment, **query) -> str:
    url = reverse("reports:dashboard", args=[assessment.organisation.slug, assessment.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def plan_url(assessment) -> str:
    return reverse("reports:plan", args=[assessment.organisation.slug, assessment.pk])


def publish(assessment) -> None:
    publication.publish_results(assessment=assessment, published_by=None)


# What each person sees


def test_consultant_sees_the_live_figures(consultant_client, threshold_three):
    respond(threshold_three, 4)

    page = consultant_client.get(dashboard_url(threshold_three))

    assert page.context["page"].live is True
    assert page.context["page"].result.pillar("data").maturity == 100.0
    assertContains(page, "live figures from 1 submitted response: only you see these")
    assertContains(page, '<p class="report-verdict-label">', count=1)


def test_manager_sees_that_nothing_is_published_yet(manager_client, threshold_three):
    respond(threshold_three, 4)

    page = manager_client.get(dashboard_url(threshold_three))

    assert page.status_code == 200
    assert "page" not in page.context
    assertContains(page, "The consultant has not published results of this assessment yet.")
    assertNotContains(page, "Readiness index")


def test_manager_sees_the_published_snapshot(manager_client, threshold_three):
    for _ in range(3):
        respond(threshold_three, 4)
    publish(threshold_three)

    page = manager_client.get(dashboard_url(threshold_three))

    assert page.context["page"].live is False
    assert page.context["page"].respondents == 3
    assertContains(page, "Interim results published on")
    assertContains(page, '<span class="key-number">100</span>', html=True)


def test_manager_figures_do_not_move_when_a_response_is_submitted(manager_client, threshold_three):
    for _ in range(3):
        respond(threshold_three, 4)
    publish(threshold_three)
    before = manager_client.get(dashboard_url(threshold_three))

    respond(threshold_three, 0)
    after = manager_client.get(dashboard_url(threshold_three))

    assert after.context["page"].report == before.context["page"].report
    assert after.context["page"].result.pillar("data").maturity == 100.0
    assert after.context["page"].respondents == 3


def test_consultant_can_look_at_what_the_client_sees(consultant_client, threshold_three):
    for _ in range(3):
        respond(threshold_three, 4)
    publish(threshold_three)
    respond(threshold_three, 0)

    live = consultant_client.get(dashboard_url(threshold_three))
    published = consultant_client.get(dashboard_url(threshold_three, view="published"))

    assert (live.context["page"].respondents, published.context["page"].respondents) == (4, 3)
    assert published.context["page"].live is False
    assertContains(published, 'aria-current="page" href', count=1)


def test_a_manager_cannot_ask_for_live_figures(manager_client, threshold_three):
    for _ in range(3):
        respond(threshold_three, 4)
    publish(threshold_three)
    respond(threshold_three, 0)

    page = manager_client.get(dashboard_url(threshold_three, view="live"))

    assert page.context["page"].respondents == 3


def test_consultant_without_responses_is_told_what_fills_the_dashboard(
    consultant_client, threshold_three
):
    page = consultant_client.get(dashboard_url(threshold_three))

    assertContains(page, "No response has been submitted yet.")


# Withheld figures


def test_a_withheld_question_says_why_on_the_managers_dashboard(manager_client, thin_answers):
    page = manager_client.get(dashboard_url(thin_answers))

    rights = page.context["page"].result.questions["data.rights"]
    assert (rights.withheld, rights.mean, rights.distribution) == ("few_answers", None, (0,) * 5)
    assertContains(
        page,
        '<span class="withheld-note">Withheld: not enough answers</span>',
        count=3,  # data.rights and both ethics questions
        html=True,
    )


def test_a_withheld_pillar_says_why_on_the_managers_dashboard(manager_client, thin_answers):
    page = manager_client.get(dashboard_url(thin_answers))

    assert page.context["page"].result.pillar("ethics").maturity is None
    assertContains(
        page,
        '<p class="withheld-note">Withheld: not enough answers. Fewer than 3 people gave a '
        "level.</p>",
        html=True,
    )


def test_the_consultant_sees_the_figure_a_manager_does_not(consultant_client, thin_answers):
    page = consultant_client.get(dashboard_url(thin_answers))

    assert page.context["page"].result.questions["data.rights"].mean == 25.0
    assertNotContains(page, "Withheld: not enough answers")


def test_a_suppressed_heat_map_cell_says_why(manager_client, thin_perspective):
    page = manager_client.get(dashboard_url(thin_perspective))

    ethics = page.context["page"].heatmap.rows[1]
    assert [(cell.value, cell.withheld) for cell in ethics.cells] == [
        (None, "few_answers"),
        (None, "secondary"),
    ]
    assertContains(
        page,
        '<td class="heat heat-withheld"><span class="heat-withheld-word">withheld</span> '
        '<span class="heat-band">not enough answers</span></td>',
        html=True,
    )
    assertContains(
        page,
        '<td class="heat heat-withheld"><span class="heat-withheld-word">withheld</span> '
        '<span class="heat-band">hidden so that a smaller group cannot be worked out</span></td>',
        html=True,
    )


# What the dashboard shows


def test_pillar_card_shows_band_in_words_and_the_confidence(manager_client, threshold_three):
    for _ in range(3):
        respond(threshold_three, 1)
    publish(threshold_three)

    page = manager_client.get(dashboard_url(threshold_three))

    assertContains(
        page,
        '<p class="mb-2"><span class="badge badge-risk-critical">critical risk</span></p>',
        count=2,
        html=True,
    )
    assertContains(page, "<dt>Confidence</dt><dd>medium · 3 respondents</dd>", html=True)


def test_trend_against_the_previous_assessment_is_an_arrow_with_words(
    consultant_client, organisation, small_questionnaire
):
    before = AssessmentFactory(organisation=organisation, questionnaire=small_questionnaire)
    respond(before, 1)
    now = AssessmentFactory(organisation=organisation, questionnaire=small_questionnaire)
    respond(now, 3)

    page = consultant_client.get(dashboard_url(now))

    assert page.context["page"].overall_change.signed == "+50"
    assertContains(
        page,
        '<span class="change change-up"><span aria-hidden="true">▲\u202f+50</span>'
        f'<span class="visually-hidden">up 50 points since {before.title}</span></span>',
        html=True,
    )


def test_path_to_ready_lists_what_moves_the_verdict(consultant_client, threshold_three):
    respond(threshold_three, 2)

    page = consultant_client.get(dashboard_url(threshold_three))

    assertContains(page, "To reach “Ready”")
    assertContains(
        page,
        "<li>Raise Data foundation (now 50) above 75: to low risk.</li>",
        html=True,
    )


def test_findings_carry_recommendation_next_step_and_references(consultant_client, threshold_three):
    question = threshold_three.questionnaire.questions.get(code="data.quality")
    question.references = ["GDPR Art. 5"]
    question.save()
    respond(threshold_three, 1)

    page = consultant_client.get(dashboard_url(threshold_three))

    assertContains(page, "<strong>Recommendation:</strong> Do the next thing.", html=True)
    assertContains(page, "<strong>Next step (level 2):</strong> Level 2 behaviour.", html=True)
    assertContains(page, '<p class="finding-references">References: GDPR Art. 5</p>', html=True)


def test_the_charts_are_server_side_svg_with_a_text_equivalent(consultant_client, threshold_three):
    method = PillarFactory(
        questionnaire=threshold_three.questionnaire, code="method", order=3, name="Delivery"
    )
    QuestionFactory(pillar=method, code="method.evaluation", order=6)
    respond(threshold_three, 2)

    page = consultant_client.get(dashboard_url(threshold_three))

    assertContains(page, 'class="chart chart-radar"', count=1)
    assertContains(page, 'class="chart chart-distribution"', count=6)
    assertContains(page, "Scores from 0 to 100. Data foundation: This assessment 50, Target 76;")


def test_with_fewer_than_three_pillars_there_is_no_radar(consultant_client, threshold_three):
    respond(threshold_three, 2)

    page = consultant_client.get(dashboard_url(threshold_three))

    assert page.context["page"].radar is None
    assertNotContains(page, "chart-radar")


def test_a_question_text_is_escaped(consultant_client, threshold_three):
    question = threshold_three.questionnaire.questions.get(code="data.quality")
    question.text = "<script>alert(1)</script>"
    question.save()
    respond(threshold_three, 2)

    page = consultant_client.get(dashboard_url(threshold_three))

    assertNotContains(page, "<script>alert(1)</script>")
    assertContains(page, "&lt;script&gt;alert(1)&lt;/script&gt;")


def test_assessment_page_links_to_the_dashboard_and_the_reports(consultant_client, threshold_three):
    for _ in range(3):
        respond(threshold_three, 2)
    publish(threshold_three)
    slug, pk = threshold_three.organisation.slug, threshold_three.pk

    page = consultant_client.get(threshold_three.get_absolute_url())

    for name in ("reports:dashboard", "reports:pdf", "reports:draft_pdf", "reports:comments"):
        assertContains(page, f'href="{reverse(name, args=[slug, pk])}"')


def test_assessment_page_of_a_manager_links_to_the_published_report_only(
    manager_client, threshold_three
):
    for _ in range(3):
        respond(threshold_three, 2)
    publish(threshold_three)
    slug, pk = threshold_three.organisation.slug, threshold_three.pk

    page = manager_client.get(threshold_three.get_absolute_url())

    assertContains(page, f'href="{reverse("reports:dashboard", args=[slug, pk])}"')
    assertContains(page, f'href="{reverse("reports:pdf", args=[slug, pk])}"')
    assertNotContains(page, reverse("reports:draft_pdf", args=[slug, pk]))
    assertNotContains(page, reverse("reports:comments", args=[slug, pk]))


# Speed: stored figures, a constant number of queries


def test_a_repeat_view_reads_the_stored_live_figures(consultant_client, threshold_three):
    respond(threshold_three, 2)
    consultant_client.get(dashboard_url(threshold_three))
    stored = LiveFigures.objects.get(assessment=threshold_three)

    consultant_client.get(dashboard_url(threshold_three))
    respond(threshold_three, 3)
    consultant_client.get(dashboard_url(threshold_three))

    assert LiveFigures.objects.filter(assessment=threshold_three).count() == 1
    assert LiveFigures.objects.get(assessment=threshold_three).fingerprint != stored.fingerprint


def test_a_corrected_answer_is_scored_again_without_a_new_response(
    consultant_client, threshold_three
):
    respond(threshold_three, 2)
    respond(threshold_three, 4)
    before = consultant_client.get(dashboard_url(threshold_three)).context["result"]

    services.delete_answers(
        answers=Answer.objects.filter(response__assessment=threshold_three, level=4)
    )

    after = consultant_client.get(dashboard_url(threshold_three)).context["result"]
    assert (before.overall_index, after.overall_index) == (75.0, 50.0)


# Measured once; equal at both sizes is what matters.
# Each with the client's plan: 3 (the agreed targets, the pillars, the actions).
CONSULTANT_REPEAT_QUERIES = 15  # with the workshops it agreed in, and the previous plan
MANAGER_QUERIES = 11  # with the erasures since the publication, and the previous plan


@pytest.mark.parametrize("respondents", [10, 200, on_postgresql(10_000)])
def test_consultant_dashboard_queries_do_not_grow_with_respondents(
    consultant_client, threshold_three, django_assert_num_queries, respondents
):
    respond_in_bulk(threshold_three, respondents)
    consultant_client.get(dashboard_url(threshold_three))  # scores and stores

    with django_assert_num_queries(CONSULTANT_REPEAT_QUERIES):
        page = consultant_client.get(dashboard_url(threshold_three))

    assert page.context["page"].respondents == respondents


@pytest.mark.parametrize("respondents", [10, 200])
def test_consultant_first_view_queries_do_not_grow_with_respondents(
    consultant_client, threshold_three, django_assert_max_num_queries, respondents
):
    respond_in_bulk(threshold_three, respondents)

    with django_assert_max_num_queries(CONSULTANT_REPEAT_QUERIES + 12):
        page = consultant_client.get(dashboard_url(threshold_three))

    assert page.context["page"].respondents == respondents


@pytest.mark.parametrize("respondents", [10, 200, on_postgresql(10_000)])
def test_manager_dashboard_queries_do_not_grow_with_respondents(
    manager_client, threshold_three, django_assert_num_queries, respondents
):
    respond_in_bulk(threshold_three, respondents)
    publish(threshold_three)

    with django_assert_num_queries(MANAGER_QUERIES):
        page = manager_client.get(dashboard_url(threshold_three))

    assert page.context["page"].respondents == respondents


# The client's plan: targets, actions and the way to the plan page


def test_the_dashboard_shows_each_pillars_target_and_links_to_the_plan(
    manager_client, threshold_three, consultant
):
    for _ in range(3):
        respond(threshold_three, 2)  # maturity 50 everywhere
    publish(threshold_three)
    plan.set_targets(assessment=threshold_three, maturities={"data": 80}, by=consultant)

    page = manager_client.get(dashboard_url(threshold_three))

    assert [(t.pillar, t.words) for t in page.context["page"].targets] == [
        ("data", "Target 80 · 30 to go"),
        ("ethics", "Target 76 (low risk, by default) · 26 to go"),
    ]
    assertContains(page, "<dt>Target</dt><dd>80 · 30 to go</dd>", html=True)
    assertContains(
        page,
        f'<a class="btn btn-outline-primary" href="{plan_url(threshold_three)}">'
        "Targets and action plan</a>",
        html=True,
    )


def test_a_managers_dashboard_shows_no_gap_to_the_target_of_a_withheld_pillar(
    manager_client, thin_answers
):
    page = manager_client.get(dashboard_url(thin_answers))

    (ethics,) = [s for s in page.context["page"].pillars if s.code == "ethics"]
    assert ethics.pillar.withheld
    assert (ethics.target.gap, ethics.target.words) == (None, "Target 76 (low risk, by default)")
    assertContains(page, '<p class="pillar-target">Target 76 (low risk, by default)</p>', html=True)


def test_a_finding_with_an_action_shows_its_owner_date_and_that_it_is_overdue(
    manager_client, threshold_three
):
    for _ in range(3):
        respond(threshold_three, 1)
    publish(threshold_three)
    Action.objects.create(
        assessment=threshold_three,
        question=threshold_three.questionnaire.questions.get(code="data.inventory"),
        title="List every source.",
        owner_name="Ines Duarte",
        due_on=timezone.localdate() - timedelta(days=1),
    )

    page = manager_client.get(dashboard_url(threshold_three))

    (item,) = [i for i in page.context["page"].top_findings if i.action]
    assert (item.finding.question, item.action.owner, item.action.overdue) == (
        "data.inventory",
        "Ines Duarte",
        True,
    )
    assertContains(page, "List every source. · ")
    assertContains(page, '<span class="badge text-bg-danger">overdue</span>', html=True)
