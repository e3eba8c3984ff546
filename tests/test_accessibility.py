"""axe-core over the pages people use, in Chromium: no WCAG 2.1 A/AA violation anywhere."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from accounts.models import OptionalMail, Role
from accounts.opt_out import opt_out_url
from assessments import services, workshops
from assessments.models import Perspective
from assessments.results import publication
from tests.factories import AssessmentFactory, MembershipFactory, ResponseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def violations(page) -> list[str]:
    results = Axe().run(page, options=WCAG_AA)
    return [
        f"{violation['id']}: {node['target']}"
        for violation in results.response["violations"]
        for node in violation["nodes"]
    ]


def pages_with_violations(page, base_url: str, urls: list[str]) -> dict[str, list[str]]:
    found = {}
    for url in urls:
        page.goto(base_url + url)
        found[url] = violations(page)
    return {url: problems for url, problems in found.items() if problems}


@pytest.fixture
def assessment(organisation, small_questionnaire):
    assessment = AssessmentFactory(
        organisation=organisation, questionnaire=small_questionnaire, anonymity_threshold=3
    )
    for number in range(3):
        response = ResponseFactory(assessment=assessment, perspective=Perspective.BUSINESS)
        for question in small_questionnaire.questions.all():
            services.save_answer(response=response, question=question, level=number + 1)
        services.submit_response(response=response)
    return assessment


def test_consultant_pages_have_no_violations(page, live_server, log_in, consultant, assessment):
    MembershipFactory(organisation=assessment.organisation, role=Role.MANAGER)
    log_in(consultant)
    slug = assessment.organisation.slug
    urls = [
        reverse("reports:portfolio"),
        reverse("accounts:organisation_create"),
        reverse("reports:organisation", args=[slug]),
        reverse("accounts:organisation_edit", args=[slug]),
        reverse("accounts:members", args=[slug]),
        reverse("accounts:invite", args=[slug]),
        reverse("assessments:create", args=[slug]),
        reverse("assessments:detail", args=[slug, assessment.pk]),
        reverse("assessments:edit", args=[slug, assessment.pk]),
        reverse("assessments:close", args=[slug, assessment.pk]),
        reverse("assessments:publish", args=[slug, assessment.pk]),
        reverse("reports:dashboard", args=[slug, assessment.pk]),
        reverse("reports:comments", args=[slug, assessment.pk]),
        reverse("assessments:follow_up", args=[slug, assessment.pk]),
        reverse("assessments:invite_previous", args=[slug, assessment.pk]),
    ]
    assert pages_with_violations(page, live_server.url, urls) == {}


def test_manager_pages_have_no_violations(page, live_server, log_in, manager, assessment):
    publication.publish_results(assessment=assessment, published_by=None)
    log_in(manager)
    slug = assessment.organisation.slug
    urls = [
        reverse("reports:organisation", args=[slug]),
        reverse("assessments:detail", args=[slug, assessment.pk]),
        reverse("reports:dashboard", args=[slug, assessment.pk]),
        reverse("accounts:members", args=[slug]),
        reverse("accounts:invite", args=[slug]),
    ]
    assert pages_with_violations(page, live_server.url, urls) == {}


def test_login_and_password_reset_have_no_violations(page, live_server, db):
    urls = [reverse("accounts:login"), reverse("accounts:password_reset")]
    assert pages_with_violations(page, live_server.url, urls) == {}


def test_the_opt_out_pages_have_no_violations(page, live_server, settings):
    settings.SITE_URL = live_server.url
    found = {}

    page.goto(opt_out_url(OptionalMail.RESPONDENT_REMINDER, "dana@example.org"))
    found["asks"] = violations(page)
    page.get_by_role("button", name="Stop these e-mails").click()
    page.get_by_role("status").wait_for()
    found["done"] = violations(page)
    page.goto(live_server.url + "/mail/stop/not-a-link/")
    found["bad link"] = violations(page)

    assert {step: problems for step, problems in found.items() if problems} == {}


def test_respondent_pages_have_no_violations(page, live_server, open_assessment):
    ResponseFactory(assessment=open_assessment, token="a11y-link")
    found = {}

    page.goto(f"{live_server.url}/r/a11y-link/")  # perspective
    found["perspective"] = violations(page)
    page.get_by_label("Business").check()
    page.get_by_role("button", name="Continue").click()
    found["importance"] = violations(page)
    for radio in page.locator("input[type=radio][value='3']").all():
        radio.check()
    page.get_by_role("button", name="Continue to the questions").click()
    found["pillar"] = violations(page)
    page.goto(f"{live_server.url}/respond/review/")
    found["review"] = violations(page)
    page.get_by_role("button", name="Submit my answers").click()
    found["submitted"] = violations(page)
    services.close_assessment(assessment=open_assessment)
    page.reload()
    found["closed"] = violations(page)
    page.context.clear_cookies()
    page.reload()
    found["no cookie"] = violations(page)

    assert {step: problems for step, problems in found.items() if problems} == {}


def test_a_page_that_breaks_a_rule_is_caught(page, live_server, db):
    """The check itself works: an unlabelled field is reported."""
    page.goto(live_server.url + reverse("accounts:login"))
    page.evaluate("document.querySelector('label').remove()")

    assert violations(page) == ["label: ['#id_username']"]


def test_workshop_presenter_pages_have_no_violations(
    page, live_server, log_in, consultant, assessment
):
    session = workshops.start_session(assessment=assessment, scope="all", created_by=consultant)
    for perspective in ("business", "data_it", "leadership"):
        participant = workshops.join_session(session=session, perspective=perspective)
        workshops.open_voting(session=session)
        workshops.cast_vote(
            secret=participant.secret,
            code=session.code,
            question_id=session.current_id,
            round=1,
            level=2,
        )
    workshops.reveal(session=session)
    page.set_viewport_size({"width": 1920, "height": 1080})
    log_in(consultant)
    slug = assessment.organisation.slug
    urls = [
        reverse("workshop:start", args=[slug, assessment.pk]),
        reverse("workshop:present", args=[slug, session.pk]),  # revealed distribution
        reverse("workshop:end", args=[slug, session.pk]),
        reverse("workshop:results", args=[slug, session.pk]),
    ]
    assert pages_with_violations(page, live_server.url, urls) == {}


def test_workshop_participant_pages_have_no_violations(page, live_server, assessment):
    session = workshops.start_session(assessment=assessment, scope="all", created_by=None)
    page.set_viewport_size({"width": 390, "height": 844})
    found = {}

    page.goto(f"{live_server.url}/w/")
    found["code"] = violations(page)
    page.get_by_label("Code on the screen").fill(session.code)
    page.get_by_role("button", name="Join", exact=True).click()
    found["join"] = violations(page)
    page.get_by_label("Business").check()
    page.get_by_role("button", name="Join the workshop").click()
    found["lobby"] = violations(page)
    workshops.open_voting(session=session)
    page.reload()
    page.locator('button[name="choice"][value="3"]').click()
    page.wait_for_selector('button[name="choice"][value="3"][aria-pressed="true"]')
    found["voted"] = violations(page)
    workshops.close_voting(session=session)
    page.reload()
    found["closed"] = violations(page)
    workshops.end_session(session=session)
    page.reload()
    found["ended"] = violations(page)

    assert {step: problems for step, problems in found.items() if problems} == {}
