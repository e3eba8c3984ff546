"""The respondent journey in a real browser: answer as you go, come back, review, submit."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from assessments import services
from assessments.models import Answer
from assessments.questionnaire_files import BUNDLED, load_file
from tests.factories import AssessmentFactory

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
FIRST_HALF = {"data.inventory": 2, "data.integration": 0, "data.freshness": 4, "data.quality": 1}


def by_id(page: Page, element_id: str):
    """Question codes hold dots, which a CSS `#id` selector would read as classes."""
    return page.locator(f'[id="{element_id}"]')


def answer_by_clicking(page: Page, code: str, level: int) -> None:
    by_id(page, f"q-{code}").locator(f'label[for="q-{code}-{level}"]').click()
    expect(by_id(page, f"status-{code}")).to_have_text("✓ Saved")


def desktop_and_phone(page: Page, screenshot, name: str) -> None:
    # From the top: a full-page capture draws sticky bars wherever the page was scrolled to.
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(f"{name}-desktop")
    page.set_viewport_size(PHONE)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(f"{name}-phone")
    page.set_viewport_size(DESKTOP)


def viewport_screenshot(page: Page, name: str) -> None:
    """What the screen shows, sticky bars included, rather than the whole page."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_respondent_answers_comes_back_reviews_and_submits(
    page, live_server, screenshot, organisation
):
    questionnaire = load_file(BUNDLED).questionnaire
    outline = questionnaire.outline()
    for pillar in outline:  # what someone in data and IT is asked
        pillar.question_list = [q for q in pillar.question_list if q.asked_of("data_it")]
    asked = sum(len(pillar.question_list) for pillar in outline)
    pillars_asked = [pillar for pillar in outline if pillar.question_list]  # the others skip
    assessment = AssessmentFactory(
        organisation=organisation, questionnaire=questionnaire, title="GenAI readiness, spring"
    )
    response, token = services.create_respondent_link(
        assessment=assessment, email="dana@example.org"
    )
    link = f"{live_server.url}/r/{token}/"
    pages = f"{live_server.url}/respond/"  # where the link leads, without its token
    sent = []  # every request the browser makes: (address, Referer)
    page.on("request", lambda request: sent.append((request.url, request.headers.get("referer"))))
    page.set_viewport_size(DESKTOP)

    # Perspective
    page.goto(link)
    expect(page).to_have_url(f"{pages}about-you/")
    expect(page.get_by_role("heading", level=1)).to_have_text("GenAI readiness, spring")
    desktop_and_phone(page, screenshot, "respond-01-perspective")
    page.get_by_label("Data and IT").check()
    page.get_by_role("button", name="Continue").click()

    # Importance of each pillar
    expect(page).to_have_url(f"{pages}priorities/")
    for pillar in outline:
        page.get_by_role("group", name=pillar.name).get_by_label("4 · Very important").check()
    desktop_and_phone(page, screenshot, "respond-02-importance")
    page.get_by_role("button", name="Continue to the questions").click()

    # The first pillar, half answered by clicking level labels: each saved as it is given
    expect(page).to_have_url(f"{pages}pillar/data/#q-data.inventory")
    for code, level in FIRST_HALF.items():
        answer_by_clicking(page, code, level)
    expect(page.locator("#progress")).to_contain_text(f"4 of {asked} questions answered")
    desktop_and_phone(page, screenshot, "respond-03-pillar")
    assert (
        dict(Answer.objects.filter(response=response).values_list("question__code", "level"))
        == FIRST_HALF
    )

    # Leave and come back on a phone: the same radios are checked, the link lands on the
    # next question, and the sticky progress bar does not cover it
    page.set_viewport_size(PHONE)
    page.emulate_media(reduced_motion="reduce")  # jump to the question instead of gliding
    page.goto(link)
    expect(page).to_have_url(f"{pages}pillar/data/#q-data.usage-rights")
    for code, level in FIRST_HALF.items():
        expect(by_id(page, f"q-{code}-{level}")).to_be_checked()
    expect(by_id(page, "q-data.usage-rights-0")).not_to_be_checked()
    progress_bottom = page.locator("#progress").bounding_box()
    legend = by_id(page, "q-data.usage-rights").locator("legend").bounding_box()
    assert progress_bottom["y"] + progress_bottom["height"] <= legend["y"]
    viewport_screenshot(page, "respond-03-pillar-phone-come-back")
    page.set_viewport_size(DESKTOP)

    # Finish every pillar with the non-JS form buttons
    for position, pillar in enumerate(pillars_asked):
        expect(page.get_by_role("heading", level=1)).to_have_text(pillar.name)
        for question in pillar.question_list:
            if question.code not in FIRST_HALF:
                by_id(page, f"q-{question.code}-3").check()
        last = position == len(pillars_asked) - 1
        page.get_by_role("button", name="Save and review" if last else "Save and continue").click()

    # Review
    expect(page).to_have_url(f"{pages}review/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Review and submit")
    expect(page.locator("#progress")).to_contain_text(f"{asked} of {asked} questions answered")
    desktop_and_phone(page, screenshot, "respond-04-review")
    page.get_by_role("button", name="Submit my answers").click()

    # The read-only page
    expect(page).to_have_url(pages)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you: your answers were submitted."
    )
    expect(page.locator('input[type="radio"]')).to_have_count(0)
    desktop_and_phone(page, screenshot, "respond-05-submitted")
    assert Answer.objects.filter(response=response).count() == asked

    # The answer endpoint refuses changes now, even with a valid CSRF token
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    refused = page.request.post(
        f"{pages}answer/data.inventory/",
        form={"q-data.inventory": "4"},
        headers={"X-CSRFToken": csrf, "HX-Request": "true"},
    )
    assert refused.status == 409
    assert re.search("already submitted", refused.text())
    assert Answer.objects.get(response=response, question__code="data.inventory").level == 2

    # The token went out twice, when the link was opened, and never again: in no address,
    # no Referer, no page; the cookie that replaced it is out of reach of scripts
    assert [address for address, referer in sent if token in f"{address} {referer}"] == [link] * 2
    assert token not in page.content()
    cookie = next(c for c in page.context.cookies() if c["name"] == "respondent")
    assert (cookie["path"], cookie["httpOnly"], cookie["sameSite"]) == ("/respond/", True, "Lax")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_second_link_in_the_same_browser_switches_response(page, live_server, open_assessment):
    _, dana_token = services.create_respondent_link(assessment=open_assessment)
    erik, erik_token = services.create_respondent_link(assessment=open_assessment)
    services.start_response(response=erik, perspective="business")

    page.goto(f"{live_server.url}/r/{dana_token}/")
    expect(page).to_have_url(f"{live_server.url}/respond/about-you/")
    page.goto(f"{live_server.url}/r/{erik_token}/")

    expect(page).to_have_url(f"{live_server.url}/respond/priorities/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_closed_assessment_link_shows_a_closed_notice(page, live_server, open_assessment):
    response, token = services.create_respondent_link(assessment=open_assessment)
    services.start_response(response=response, perspective="business")
    question = open_assessment.questionnaire.questions.get(code="data.inventory")
    services.save_answer(response=response, question=question, level=2, comment="In a wiki.")
    services.submit_response(response=response)
    page.goto(f"{live_server.url}/r/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you: your answers were submitted."
    )
    services.close_assessment(assessment=open_assessment)

    page.set_viewport_size(PHONE)
    page.reload()

    expect(page.get_by_role("heading", level=1)).to_have_text("This assessment is closed")
    expect(page.get_by_role("alert")).to_have_text(
        "Thank you for taking part. Your submitted answers count in the results; they are no "
        "longer shown here."
    )
    expect(page.get_by_text("In a wiki.")).to_have_count(0)
    viewport_screenshot(page, "respond-06-closed-phone")
    page.goto(f"{live_server.url}/r/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This assessment is closed")


PHONE_COMMENT = "Owners named in the new catalogue."


@pytest.fixture
def two_devices(page, browser, live_server, open_assessment):
    """Dana opens the data page on her laptop and leaves it; later, on her phone, she answers
    its first question with level 3 and a comment. Returns (laptop, phone, response)."""
    response, token = services.create_respondent_link(assessment=open_assessment)
    services.start_response(response=response, perspective="data_it")
    services.save_importance(response=response, ratings={"data": 4, "ethics": 4})
    link = f"{live_server.url}/r/{token}/"
    page.set_viewport_size(DESKTOP)
    page.goto(link)
    expect(page).to_have_url(f"{live_server.url}/respond/pillar/data/#q-data.inventory")

    phone_context = browser.new_context(viewport=PHONE)
    phone = phone_context.new_page()
    phone.goto(link)
    answer_by_clicking(phone, "data.inventory", 3)
    phone.locator("details", has=by_id(phone, "c-data.inventory")).locator("summary").click()
    by_id(phone, "c-data.inventory").fill(PHONE_COMMENT)
    with phone.expect_response(re.compile(r"/respond/answer/data\.inventory/$")) as saved:
        by_id(phone, "c-data.inventory").blur()  # "change": sent with the level's new version
    assert saved.value.status == 200
    assert stored_answer(response) == (3, PHONE_COMMENT)
    yield page, phone, response
    phone_context.close()


def stored_answer(response, code: str = "data.inventory") -> tuple:
    return tuple(
        Answer.objects.filter(response=response, question__code=code).values_list(
            "level", "comment"
        )[0]
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_stale_laptop_tab_pressing_next_loses_nothing(two_devices, live_server):
    laptop, phone, response = two_devices

    laptop.get_by_role("button", name="Save and continue").click()

    # Nothing lost: the laptop stays on the page and is told, the phone's answer stands
    expect(laptop.get_by_role("alert").first).to_contain_text(
        "Your answers on this page were saved, except one that was changed in another tab"
    )
    conflict = by_id(laptop, "q-data.inventory").locator(".answer-conflict")
    expect(conflict).to_contain_text("3 · ")
    expect(conflict).to_contain_text(f"Comment: “{PHONE_COMMENT}”")
    expect(by_id(laptop, "q-data.inventory-3")).to_be_checked()
    assert stored_answer(response) == (3, PHONE_COMMENT)
    laptop.set_viewport_size(PHONE)
    conflict.scroll_into_view_if_needed()
    viewport_screenshot(laptop, "respond-07-stale-tab-conflict-phone")
    laptop.set_viewport_size(DESKTOP)

    # The laptop keeps the phone's answer and goes on
    conflict.get_by_role("button", name="Keep the saved answer").click()
    expect(laptop.get_by_text("The saved answer was kept.")).to_be_visible()
    expect(laptop.locator(".answer-conflict")).to_have_count(0)
    expect(by_id(laptop, "c-data.inventory")).to_have_value(PHONE_COMMENT)
    laptop.get_by_role("button", name="Save and continue").click()
    expect(laptop).to_have_url(f"{live_server.url}/respond/pillar/ethics/")
    assert stored_answer(response) == (3, PHONE_COMMENT)

    # The screen still updates as answers are given
    answer_by_clicking(laptop, "ethics.policy", 2)
    expect(laptop.locator("#progress")).to_contain_text("2 of 5 questions answered")
    assert stored_answer(response, "ethics.policy") == (2, "")
    # …and the phone, now behind, is refused in turn rather than undoing the laptop's answer
    phone.goto(f"{live_server.url}/respond/pillar/ethics/")
    laptop.reload()
    answer_by_clicking(laptop, "ethics.policy", 4)
    by_id(phone, "q-ethics.policy").locator('label[for="q-ethics.policy-1"]').click()
    expect(by_id(phone, "q-ethics.policy").locator(".answer-conflict")).to_contain_text("4 · ")
    assert stored_answer(response, "ethics.policy") == (4, "")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_stale_laptop_tab_answering_as_it_goes_can_replace_the_saved_answer(
    two_devices, live_server
):
    laptop, _phone, response = two_devices

    by_id(laptop, "q-data.inventory").locator('label[for="q-data.inventory-1"]').click()

    conflict = by_id(laptop, "q-data.inventory").locator(".answer-conflict")
    expect(conflict).to_contain_text("This answer was changed in another tab")
    expect(by_id(laptop, "q-data.inventory-3")).to_be_checked()  # shown as saved
    assert stored_answer(response) == (3, PHONE_COMMENT)
    viewport_screenshot(laptop, "respond-08-stale-answer-conflict")

    conflict.get_by_role("button", name="Replace with mine").click()

    expect(laptop.get_by_text("Your answer replaced the saved one.")).to_be_visible()
    expect(by_id(laptop, "q-data.inventory-1")).to_be_checked()
    assert stored_answer(response) == (1, "")
    # The page is current again: the next answer is saved, not refused
    answer_by_clicking(laptop, "data.quality", 2)
    answer_by_clicking(laptop, "data.inventory", 2)
    assert stored_answer(response) == (2, "")
