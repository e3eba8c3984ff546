"""At 390 px (a phone): nothing needs sideways scrolling, and what a thumb taps is 44 px tall."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from accounts.models import Role
from assessments import services
from tests.factories import InvitationFactory, MembershipFactory, ResponseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
MIN_TAP = 44


def heights(page: Page, selector: str) -> list[float]:
    return [box["height"] for box in (e.bounding_box() for e in page.locator(selector).all())]


def scrolls_sideways(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_respondent_pillar_page_has_tap_targets_of_44_px(
    page, live_server, open_assessment, screenshot
):
    ResponseFactory(
        assessment=open_assessment,
        token="phone-link",
        perspective="business",
        importance={"data": 3, "ethics": 3},
    )
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/r/phone-link/")
    page.goto(f"{live_server.url}/respond/pillar/data/")
    screenshot("phone-respondent-pillar")

    # The label is what takes the tap, so the label is what must be tall enough.
    assert min(heights(page, ".level-dont-know label")) >= MIN_TAP
    assert min(heights(page, ".level-option label")) >= MIN_TAP
    assert min(heights(page, ".question details > summary")) >= MIN_TAP
    assert min(heights(page, ".respond-steps .btn")) >= MIN_TAP
    assert min(heights(page, ".answer-clear")) >= MIN_TAP
    assert scrolls_sideways(page) is False


def test_consultant_assessment_page_keeps_actions_in_reach(
    page, live_server, log_in, consultant, open_assessment, screenshot
):
    for number in range(3):
        ResponseFactory(
            assessment=open_assessment,
            email=f"a-rather-long-address-number-{number}@initech-consulting.example",
        )
    submitted = ResponseFactory(assessment=open_assessment, email="fay@example.org")
    for question in open_assessment.questionnaire.questions.all():
        services.save_answer(response=submitted, question=question, level=2)
    services.submit_response(response=submitted)
    log_in(consultant)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + open_assessment.get_absolute_url())
    screenshot("phone-consultant-assessment")

    assert scrolls_sideways(page) is False
    for button in page.locator(".respondent-actions .btn").all():
        box = button.bounding_box()
        assert box["x"] + box["width"] <= PHONE["width"]
        assert box["height"] >= MIN_TAP
    # Each status badge stays on one line ("submitte / d" once wrapped).
    badge_heights = heights(page, ".respondent-state .badge")
    assert max(badge_heights) == min(badge_heights)


def test_people_page_fits_a_phone(page, live_server, log_in, consultant, organisation, screenshot):
    MembershipFactory(organisation=organisation, role=Role.MANAGER)
    InvitationFactory(organisation=organisation, email="a.very.long.address@initech.example")
    log_in(consultant)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("accounts:members", args=[organisation.slug]))
    screenshot("phone-people")

    assert scrolls_sideways(page) is False
