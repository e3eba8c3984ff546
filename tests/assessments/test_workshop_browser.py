"""A live workshop in real browsers: the consultant's presenter screen at 1920×1080 and three
phones at 390 px, each in its own browser context (its own cookies), as in a room."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from assessments import workshops
from assessments.models import Response, Vote, WorkshopSession
from assessments.questionnaire_files import BUNDLED, load_file
from tests.factories import AssessmentFactory
from tests.test_content_security_policy import record_blocked

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
MIN_TAP = 44  # px: what a thumb taps
LIVE = 2_500  # ms: a move shows on the other screens within the 2 s the room expects

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def heights(page: Page, selector: str) -> list[float]:
    return [box["height"] for box in (e.bounding_box() for e in page.locator(selector).all())]


def shot(page: Page, name: str, *, full_page: bool = False) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # caret="initial": hiding the caret would inject a style, which the policy blocks (and logs).
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page, caret="initial")


def vote(phone: Page, level: str) -> None:
    """Tap a level ("0".."4") or don't know ("dk") and wait for the page to confirm it."""
    phone.locator(f'button[name="choice"][value="{level}"]').click()
    expect(phone.locator(f'button[name="choice"][value="{level}"]')).to_have_attribute(
        "aria-pressed", "true"
    )


@pytest.fixture
def assessment(organisation):
    questionnaire = load_file(BUNDLED).questionnaire
    return AssessmentFactory(
        organisation=organisation, questionnaire=questionnaire, title="GenAI readiness, spring"
    )


def test_a_consultant_runs_a_workshop_with_three_phones(
    request, page, browser, live_server, log_in, consultant, assessment
):
    # The consultant starts a workshop from the assessment page.
    page.set_viewport_size(PROJECTOR)
    blocked = [record_blocked(page)]  # the strict Content-Security-Policy holds throughout
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(consultant)
    page.goto(live_server.url + assessment.get_absolute_url())
    page.get_by_role("link", name="Start a live workshop").click()
    expect(page.get_by_label("Count the votes in the assessment's results")).to_be_checked()
    page.get_by_label("Chosen pillars").check()
    page.get_by_label("Data foundation").check()
    # One question is all this workshop gets to: let one vote make a response.
    page.get_by_label("Count a participant's votes from this share of the questions (%)").fill("0")
    page.get_by_role("button", name="Open the presenter screen").click()

    session = WorkshopSession.objects.get()
    expect(page.locator(".presenter-join-code")).to_have_text(
        re.compile(f"{session.code[:3]}\\s*{session.code[3:]}")
    )
    expect(page.locator(".presenter-qr svg")).to_be_visible()
    expect(page.locator("#joined-count")).to_have_text("0")
    first_question = session.questions.get(position=0).question

    # Three people join from their phones: by typing the code, and by the QR code's URL.
    phones = []
    contexts = []
    request.addfinalizer(lambda: [context.close() for context in contexts])  # polls stop
    for name, perspective in (("Dana", "Data and IT"), ("Erik", "Business"), ("", "Leadership")):
        context = browser.new_context(viewport=PHONE, base_url=live_server.url)
        contexts.append(context)
        phone = context.new_page()
        blocked.append(record_blocked(phone))
        phone.on("pageerror", lambda error: errors.append(str(error)))
        if name == "Dana":
            phone.goto("/w/")
            phone.get_by_label("Code on the screen").fill(session.code.lower())
            phone.get_by_role("button", name="Join", exact=True).click()
        else:
            phone.goto(f"/w/{session.code}/")
        phone.get_by_label("Your name (optional)").fill(name)
        phone.get_by_label(perspective).check()
        if name == "Dana":
            shot(phone, "workshop-02-phone-join", full_page=True)
            assert min(heights(phone, ".join-form .form-check")) >= MIN_TAP
        phone.get_by_role("button", name="Join the workshop").click()
        expect(phone.get_by_role("heading", level=1)).to_have_text("You're in")
        phones.append(phone)
    dana, erik, third = phones
    expect(page.locator("#joined-count")).to_have_text("3", timeout=LIVE)
    expect(page.locator(".stage-voters")).to_contain_text("Participant 3")
    shot(page, "workshop-01-presenter-lobby")
    # While nothing changes, both screens' polls send the fragment's ETag and get a 304.
    for screen in (page, dana):
        unchanged = screen.wait_for_event(
            "response", predicate=lambda response: response.status == 304, timeout=LIVE
        )
        assert unchanged.request.headers["if-none-match"]

    # V opens voting; every phone shows the question within two seconds.
    page.keyboard.press("v")
    expect(page.locator(".stage-pill-open")).to_have_text("Voting open")
    for phone in phones:
        expect(phone.get_by_role("heading", level=1)).to_have_text(
            first_question.text, timeout=LIVE
        )
        expect(phone.locator(".participant-status")).to_contain_text("Vote now")
    shot(dana, "workshop-03-phone-vote-now", full_page=True)
    assert min(heights(dana, ".vote-option")) >= MIN_TAP
    assert not dana.evaluate("document.documentElement.scrollWidth > window.innerWidth")

    # They vote; Dana changes her mind while voting is open. The screen counts, never tells.
    vote(dana, "3")
    vote(dana, "2")
    vote(erik, "1")
    expect(page.locator("#voted-count")).to_have_text("2", timeout=LIVE)
    expect(page.locator(".stage-voter-voted")).to_have_count(2)
    vote(third, "dk")
    expect(page.locator("#voted-count")).to_have_text("3", timeout=LIVE)
    shot(dana, "workshop-04-phone-voted", full_page=True)
    assert Vote.objects.count() == 3

    # R reveals the distribution: votes per level, nothing about who.
    page.keyboard.press("r")
    expect(page.locator(".stage-pill-closed")).to_have_text("Votes revealed")
    counts = page.locator(".stage-bar-count")
    expect(counts).to_have_count(6)
    assert [c.split()[0] for c in counts.all_inner_texts()] == ["0", "1", "1", "0", "0", "1"]
    expect(dana.locator(".participant-status")).to_contain_text(
        "The votes are on the screen", timeout=LIVE
    )
    shot(page, "workshop-05-presenter-revealed")

    # 2 opens a second round after the discussion; everyone votes again.
    page.keyboard.press("2")
    expect(page.locator(".stage-pill-round")).to_have_text("Round 2")
    for phone in phones:
        expect(phone.locator(".participant-status")).to_contain_text(
            "Round 2: vote again", timeout=LIVE
        )
        vote(phone, "2")
    expect(page.locator("#voted-count")).to_have_text("3", timeout=LIVE)
    shot(erik, "workshop-06-phone-round-2", full_page=True)
    page.keyboard.press("r")
    expect(page.locator(".stage-legend")).to_contain_text("Round 1")
    expect(page.locator(".stage-bars .stage-bar-round2")).to_have_count(6)

    # The consultant records the agreed level and a note: consensus is computed.
    page.get_by_label("Agreed level").select_option("2")
    page.get_by_label("Note").fill("A catalogue exists; owners are still missing.")
    page.get_by_role("button", name="Record").click()
    expect(page.locator(".stage-consensus")).to_contain_text("Consensus reached")
    expect(page.locator(".stage-level-agreed")).to_contain_text("agreed")
    shot(page, "workshop-07-presenter-round-2-agreed")
    page.set_viewport_size({"width": 1280, "height": 720})  # a smaller projector
    shot(page, "workshop-07-presenter-1280x720")
    page.set_viewport_size(PROJECTOR)

    # A reload on a phone keeps the participant and their vote.
    dana.reload()
    expect(dana.locator(".participant-who")).to_have_text("Dana · Data and IT")
    expect(dana.locator('button[name="choice"][value="2"]')).to_have_attribute(
        "aria-pressed", "true"
    )

    # → moves on: the phones follow. E ends the session, after asking.
    page.keyboard.press("ArrowRight")
    expect(page.locator(".stage-meta")).to_contain_text("Question 2 of")
    page.keyboard.press("e")
    expect(page.get_by_role("heading", level=1)).to_have_text("End the workshop?")
    page.get_by_role("button", name="End the workshop").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Workshop results")
    expect(page.locator(".workshop-result").first).to_contain_text("Consensus reached")
    expect(page.locator(".workshop-comparison")).to_contain_text("Workshop consensus")
    shot(page, "workshop-08-results", full_page=True)
    for phone in phones:
        expect(phone.get_by_role("heading", level=1)).to_have_text(
            "The workshop has ended", timeout=LIVE
        )
    shot(third, "workshop-09-phone-ended")

    # The votes now count in the assessment's results, marked as the workshop's.
    assert (
        Response.objects.filter(workshop_session=session, submitted_at__isnull=False).count() == 3
    )
    page.goto(live_server.url + assessment.get_absolute_url())
    expect(page.locator(".respondent-who")).to_have_text(["Workshop participant"] * 3)
    expect(page.locator(".workshop-session")).to_contain_text("agreed on 1 of")
    expect(page.locator(".workshop-session")).to_contain_text("consensus on 1")

    # The dashboard shows what the room agreed, next to how its people voted.
    page.goto(
        live_server.url
        + reverse("reports:dashboard", args=[assessment.organisation.slug, assessment.pk])
    )
    agreed = page.locator(".report-workshops")
    expect(agreed.get_by_role("heading", level=2)).to_have_text("What the workshops agreed")
    expect(agreed.locator(".workshop-agreed")).to_contain_text("Agreed level 2 · Consensus reached")
    shot(page, "workshop-10-dashboard", full_page=True)
    assert ([message for found in blocked for message in found], errors) == ([], [])


def test_a_note_typed_but_not_recorded_survives_the_rooms_updates(
    request, page, browser, live_server, log_in, consultant, assessment
):
    session = workshops.start_session(assessment=assessment, scope="all", created_by=consultant)
    page.set_viewport_size(PROJECTOR)
    log_in(consultant)
    page.goto(live_server.url + f"/o/{assessment.organisation.slug}/workshops/{session.pk}/")
    page.get_by_label("Note").fill("Half a thought")  # the note keeps the focus throughout

    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    request.addfinalizer(context.close)
    phone = context.new_page()
    phone.goto(f"/w/{session.code}/")
    phone.get_by_label("Business").check()
    phone.get_by_role("button", name="Join the workshop").click()

    expect(page.locator("#joined-count")).to_have_text("1", timeout=LIVE)  # polls go on
    expect(page.get_by_label("Note")).to_have_value("Half a thought")
    expect(page.get_by_label("Note")).to_be_focused()
    page.keyboard.type(", finished")  # the caret stayed where it was
    expect(page.get_by_label("Note")).to_have_value("Half a thought, finished")
    page.locator(".stage-question").click()
    page.keyboard.press("v")  # a move of the presenter keeps it too
    expect(page.locator(".stage-pill-open")).to_have_text("Voting open")
    expect(page.get_by_label("Note")).to_have_value("Half a thought, finished")


def test_the_presenter_keeps_refreshing_after_recording_an_agreement(
    request, page, live_server, browser, log_in, consultant, assessment
):
    """Recording left the focus on "Record", and the projector's polls used to wait while
    the agreement form had focus. Driven from a second tab on the laptop, the projector
    froze at "0 voted", never revealed by itself, and the phones stayed on "Vote now"."""
    session = workshops.start_session(assessment=assessment, scope="all", created_by=consultant)
    page.set_viewport_size(PROJECTOR)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(consultant)
    presenter_url = live_server.url + f"/o/{assessment.organisation.slug}/workshops/{session.pk}/"
    page.goto(presenter_url)
    laptop = page.context.new_page()  # a second presenter tab, as in the report
    laptop.goto(presenter_url)

    phones = []
    for number in range(4):
        context = browser.new_context(viewport=PHONE, base_url=live_server.url)
        request.addfinalizer(context.close)
        phone = context.new_page()
        phone.on("pageerror", lambda error: errors.append(str(error)))
        phone.goto(f"/w/{session.code}/")
        phone.get_by_label("Your name (optional)").fill(f"Phone {number + 1}")
        phone.get_by_label("Business").check()
        phone.get_by_role("button", name="Join the workshop").click()
        expect(phone.get_by_role("heading", level=1)).to_have_text("You're in")
        phones.append(phone)
    expect(page.locator("#joined-count")).to_have_text("4", timeout=LIVE)

    # Question 1: the room votes, the distribution is revealed, the agreed level recorded.
    page.keyboard.press("v")
    for phone in phones:
        expect(phone.locator(".participant-status")).to_contain_text("Vote now", timeout=LIVE)
        vote(phone, "2")
    expect(page.locator("#voted-count")).to_have_text("4", timeout=LIVE)
    page.keyboard.press("r")
    expect(page.locator(".stage-pill-closed")).to_have_text("Votes revealed")
    page.get_by_label("Agreed level").select_option("2")
    page.get_by_role("button", name="Record").click()
    expect(page.locator(".stage-consensus")).to_contain_text("Consensus reached")
    expect(page.locator("#control-agree")).to_be_focused()  # where the freeze began

    # From the laptop: the next question, voting open, reveal when all have voted; then the
    # laptop's tab is closed, and the projector alone follows the room.
    expect(laptop.locator(".stage-level-agreed")).to_contain_text("agreed", timeout=LIVE)
    laptop.keyboard.press("ArrowRight")
    expect(laptop.locator(".stage-meta")).to_contain_text("Question 2 of")
    laptop.keyboard.press("v")
    expect(laptop.locator(".stage-pill-open")).to_have_text("Voting open")
    laptop.keyboard.press("a")
    expect(laptop.locator("#control-auto")).to_have_attribute("aria-pressed", "true")
    laptop.close()
    expect(page.locator(".stage-meta")).to_contain_text("Question 2 of", timeout=LIVE)
    expect(page.locator(".stage-pill-open")).to_have_text("Voting open", timeout=LIVE)
    expect(page.locator("#control-agree")).to_be_focused()
    for phone in phones:
        expect(phone.locator(".participant-status")).to_contain_text("Vote now", timeout=LIVE)
    for phone in phones[:3]:
        vote(phone, "3")
    expect(page.locator("#voted-count")).to_have_text("3", timeout=LIVE)
    stage_polls = []
    page.on("response", lambda response: stage_polls.append(response.url))
    vote(phones[3], "3")
    # Within two of the projector's one-second polls: the count, and the reveal it triggers.
    # Counted in polls rather than seconds, so that a busy machine does not decide.
    expect(page.locator(".stage-pill-closed")).to_have_text("Votes revealed", timeout=2 * LIVE)
    polls = [url for url in stage_polls if url.endswith("/stage/")]
    assert 1 <= len(polls) <= 2, polls
    expect(page.locator("#voted-count")).to_have_text("4")
    for phone in phones:
        expect(phone.locator(".participant-status")).to_contain_text(
            "The votes are on the screen", timeout=LIVE
        )
    shot(page, "workshop-11-presenter-auto-revealed-after-record")

    # The journey goes on: a second round, whose votes the projector keeps counting.
    page.keyboard.press("2")
    expect(page.locator(".stage-pill-round")).to_have_text("Round 2")
    for phone in phones:
        expect(phone.locator(".participant-status")).to_contain_text(
            "Round 2: vote again", timeout=LIVE
        )
    vote(phones[0], "4")
    expect(page.locator("#voted-count")).to_have_text("1", timeout=LIVE)
    page.keyboard.press("ArrowRight")
    expect(page.locator(".stage-meta")).to_contain_text("Question 3 of")
    for phone in phones:
        expect(phone.locator(".participant-status")).to_contain_text(
            "Voting is closed", timeout=LIVE
        )
    assert errors == []


def test_a_phone_that_loses_its_connection_says_so_and_keeps_its_vote(
    request, browser, live_server, assessment
):
    session = workshops.start_session(assessment=assessment, scope="all", created_by=None)
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    request.addfinalizer(context.close)
    phone = context.new_page()
    phone.goto(f"/w/{session.code}/")
    phone.get_by_label("Business").check()
    phone.get_by_role("button", name="Join the workshop").click()
    workshops.open_voting(session=session)
    expect(phone.locator(".participant-status")).to_contain_text("Vote now", timeout=LIVE)
    vote(phone, "4")

    context.set_offline(True)
    expect(phone.locator("#connection-status")).to_be_visible(timeout=LIVE)
    context.set_offline(False)

    expect(phone.locator("#connection-status")).to_be_hidden(timeout=LIVE)
    expect(phone.locator('button[name="choice"][value="4"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    assert Vote.objects.get().level == 4
