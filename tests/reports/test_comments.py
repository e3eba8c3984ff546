"""Respondents' comments: all on the consultant's page, shared ones only on the manager's."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from assessments import services
from assessments.models import Answer, Perspective
from assessments.results import publication
from tests.factories import AnswerFactory, AssessmentFactory, ResponseFactory
from tests.reports.conftest import respond

pytestmark = pytest.mark.django_db

SHARED = "Legal only heard about the pilot last month."
KEPT = "My manager, Dana, never asked the DPO."


def comments_url(assessment) -> str:
    return reverse("reports:comments", args=[assessment.organisation.slug, assessment.pk])


def dashboard_url(assessment) -> str:
    return reverse("reports:dashboard", args=[assessment.organisation.slug, assessment.pk])


@pytest.fixture
def commented(threshold_three):
    """Three business respondents, two with a comment on ethics.gdpr; one comment shared,
    then the results published."""
    first = respond(threshold_three, 2, comments={"ethics.gdpr": SHARED})
    respond(threshold_three, 2, comments={"ethics.gdpr": KEPT})
    respond(threshold_three, 2)
    services.share_comment(answer=first.answers.get(question__code="ethics.gdpr"), shared=True)
    publication.publish_results(assessment=threshold_three, published_by=None)
    return threshold_three


def answer_with(text: str) -> Answer:
    return Answer.objects.get(comment=text)


# The consultant's page


def test_consultant_sees_every_comment_of_submitted_responses(consultant_client, commented):
    draft = ResponseFactory(assessment=commented)
    AnswerFactory(
        response=draft,
        question=commented.questionnaire.questions.get(code="data.quality"),
        comment="Not submitted yet.",
    )

    page = consultant_client.get(comments_url(commented))

    assert [answer.comment for answer in page.context["answers"]] == [SHARED, KEPT]
    assertContains(page, '<span class="badge text-bg-success">Shared</span>', html=True)
    assertContains(page, '<span class="badge text-bg-secondary">Not shared</span>', html=True)
    assertNotContains(page, "Not submitted yet.")


def test_sharing_a_comment_redirects_back_to_it(consultant_client, commented):
    answer = answer_with(KEPT)

    page = consultant_client.post(comments_url(commented), {"answer": answer.pk, "shared": "1"})

    assertRedirects(page, f"{comments_url(commented)}#comment-{answer.pk}")
    answer.refresh_from_db()
    assert answer.comment_shared_at is not None


def test_stopping_to_share_a_comment(consultant_client, commented):
    answer = answer_with(SHARED)

    consultant_client.post(comments_url(commented), {"answer": answer.pk, "shared": "0"})

    answer.refresh_from_db()
    assert answer.comment_shared_at is None


def test_sharing_with_htmx_answers_the_comment_alone(consultant_client, commented):
    answer = answer_with(KEPT)

    page = consultant_client.post(
        comments_url(commented),
        {"answer": answer.pk, "shared": "1"},
        headers={"HX-Request": "true"},
    )

    assert page.templates[0].name == "reports/_comment.html"
    assertContains(page, f'<li class="comment-item is-shared" id="comment-{answer.pk}">')
    assertContains(page, 'role="status"')


def test_a_comment_of_another_assessment_cannot_be_shared_from_here(consultant_client, commented):
    elsewhere = AssessmentFactory(
        organisation=commented.organisation, questionnaire=commented.questionnaire
    )
    other = respond(elsewhere, 2, comments={"data.quality": "Elsewhere."})
    answer = other.answers.get(question__code="data.quality")

    page = consultant_client.post(comments_url(commented), {"answer": answer.pk, "shared": "1"})

    assert page.status_code == 404
    answer.refresh_from_db()
    assert answer.comment_shared_at is None


def test_sharing_without_choosing_is_refused_with_a_message(consultant_client, commented):
    page = consultant_client.post(comments_url(commented), {"shared": "1"})

    assert page.status_code == 400
    assertContains(page, "Choose a comment.", status_code=400)


def test_page_says_when_a_shared_comment_reaches_the_client(consultant_client, commented):
    late = respond(commented, 2, comments={"data.quality": "Came in after publication."})
    services.share_comment(answer=late.answers.get(question__code="data.quality"), shared=True)

    page = consultant_client.get(comments_url(commented))

    assertContains(page, "the client's management sees it after the next publication", count=1)


# What the client's management sees


def test_manager_sees_only_shared_comments_without_a_name(manager_client, commented):
    page = manager_client.get(dashboard_url(commented))

    assert [quote.text for quote in page.context["page"].quotes] == [SHARED]
    assertContains(page, SHARED)
    assertNotContains(page, KEPT)
    assertNotContains(page, "Dana")
    for response in commented.responses.all():
        assertNotContains(page, response.email)


def test_an_unshared_comment_never_reaches_the_manager(manager_client, commented):
    services.share_comment(answer=answer_with(SHARED), shared=False)

    page = manager_client.get(dashboard_url(commented))

    assert page.context["page"].quotes == ()
    assertNotContains(page, SHARED)
    assertNotContains(page, "What respondents wrote")


def test_a_comment_shared_after_publication_waits_for_the_next_one(manager_client, commented):
    late = respond(commented, 2, comments={"data.quality": "Came in after publication."})
    services.share_comment(answer=late.answers.get(question__code="data.quality"), shared=True)

    page = manager_client.get(dashboard_url(commented))

    assertNotContains(page, "Came in after publication.")


def test_a_quote_names_a_perspective_with_enough_respondents(manager_client, commented):
    page = manager_client.get(dashboard_url(commented))

    assert page.context["page"].quotes[0].perspective == Perspective.BUSINESS
    assertContains(
        page,
        '<p class="quote-source">On “How is ethics.gdpr handled?” · Business</p>',
        html=True,
    )


def test_a_quote_of_a_small_perspective_group_has_no_perspective(manager_client, threshold_three):
    for _ in range(3):
        respond(threshold_three, 2)
    lawyer = respond(
        threshold_three,
        2,
        perspective=Perspective.LEGAL_RISK,
        comments={"ethics.gdpr": "Nobody asked legal."},
    )
    services.share_comment(answer=lawyer.answers.get(question__code="ethics.gdpr"), shared=True)
    publication.publish_results(assessment=threshold_three, published_by=None)

    page = manager_client.get(dashboard_url(threshold_three))

    assert page.context["page"].quotes[0].perspective == ""
    assertContains(page, '<p class="quote-source">On “How is ethics.gdpr handled?”</p>', html=True)
    assertNotContains(page, "Legal, risk and compliance")


def test_a_comment_is_escaped(manager_client, threshold_three):
    for _ in range(2):
        respond(threshold_three, 2)
    response = respond(threshold_three, 2, comments={"data.quality": "<b>bold</b> & <script>"})
    services.share_comment(answer=response.answers.get(question__code="data.quality"), shared=True)
    publication.publish_results(assessment=threshold_three, published_by=None)

    page = manager_client.get(dashboard_url(threshold_three))

    assertContains(page, "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;")
    assertNotContains(page, "<b>bold</b>")
