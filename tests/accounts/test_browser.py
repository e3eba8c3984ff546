"""The accounts journey in a real browser: a consultant sets up a client and invites its manager."""

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from accounts.models import Membership, Role
from tests.factories import TEST_PASSWORD, InvitationFactory

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}


def save(page: Page, name: str) -> None:
    """Like the `screenshot` fixture, for pages of a second browser context."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_consultant_invites_a_manager_who_joins_with_a_new_account(
    page, new_context, live_server, settings, screenshot, consultant
):
    settings.SITE_URL = live_server.url

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill("Alice@Example.org")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    screenshot("accounts-01-login")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clients")
    screenshot("accounts-02-client-list")

    page.get_by_role("link", name="New client").click()
    page.get_by_label("Name").fill("Initech Bank")
    page.get_by_label("Sector").select_option(label="Banking and insurance")
    page.get_by_label("Size").select_option(label="250–999 employees")
    page.get_by_label("Country").select_option(label="Chile")
    screenshot("accounts-03-new-organisation")
    page.get_by_role("button", name="Create organisation").click()
    expect(page).to_have_url(
        re.compile(rf"{re.escape(live_server.url)}/o/initech-bank-[0-9a-f]{{6}}/")
    )
    slug = page.url.rstrip("/").rsplit("/", 1)[-1]
    expect(page.get_by_role("heading", level=1)).to_have_text("Initech Bank")
    screenshot("accounts-04-organisation")

    page.get_by_role("main").get_by_role("link", name="People").click()
    page.get_by_role("link", name="Invite someone").click()
    page.get_by_label("E-mail address").fill("dana@example.org")
    page.get_by_label("Client manager: sees the published results").check()
    screenshot("accounts-05-invite")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("alert")).to_contain_text("An invitation was sent to dana@example.org.")
    expect(page.get_by_role("cell", name="dana@example.org", exact=True)).to_be_visible()
    screenshot("accounts-06-members")

    assert [message.to for message in mail.outbox] == [["dana@example.org"]]
    link = re.search(
        rf"{re.escape(live_server.url)}/accounts/invitations/\S+/", mail.outbox[0].body
    )
    assert link, mail.outbox[0].body

    manager_page = new_context(viewport=PHONE).new_page()
    manager_page.goto(link.group(0))
    expect(manager_page.get_by_role("heading", level=1)).to_have_text("Join Initech Bank")
    manager_page.get_by_label("Your name").fill("Dana Smith")
    manager_page.get_by_label("Password*", exact=True).fill("tangerine-lighthouse-42")
    manager_page.get_by_label("Password again*", exact=True).fill("tangerine-lighthouse-42")
    save(manager_page, "accounts-07-phone-accept-invitation")
    manager_page.get_by_role("button", name="Create account and join").click()

    expect(manager_page).to_have_url(f"{live_server.url}/o/{slug}/")
    expect(manager_page.get_by_role("heading", level=1)).to_have_text("Initech Bank")
    expect(manager_page.get_by_role("alert")).to_contain_text("Welcome to Initech Bank.")
    save(manager_page, "accounts-08-phone-organisation")
    manager_page.goto(f"{live_server.url}/o/{slug}/members/")
    save(manager_page, "accounts-09-phone-members")
    assert list(
        Membership.objects.filter(organisation__slug=slug)
        .order_by("role")
        .values_list("user__email", "role")
    ) == [("alice@example.org", Role.CONSULTANT), ("dana@example.org", Role.MANAGER)]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_navigation_on_a_phone_opens_from_the_menu_button(
    page, live_server, screenshot, consultant
):
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, "alice@example.org")
    navigation = page.get_by_role("navigation", name="Main navigation")
    expect(navigation.get_by_role("link", name="Clients")).to_be_hidden()
    screenshot("accounts-10-phone-menu-closed")

    navigation.get_by_role("button", name="Toggle navigation").click()

    # Bootstrap adds "show" once the opening animation has finished.
    expect(page.locator("#main-nav")).to_have_class("navbar-collapse collapse show")
    expect(navigation.get_by_role("link", name="Clients")).to_be_visible()
    expect(navigation.get_by_role("button", name="Log out")).to_be_visible()
    screenshot("accounts-11-phone-menu-open")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_keyboard_focus_on_the_login_form_is_visible(page, live_server, screenshot, db):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_label("E-mail address")).to_be_focused()

    page.keyboard.press("Tab")

    password = page.get_by_label("Password")
    expect(password).to_be_focused()
    assert password.evaluate("element => getComputedStyle(element).outline") == (
        "rgb(61, 123, 224) solid 3px"
    )
    screenshot("accounts-12-password-focused")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_skip_link_appears_when_reached_by_keyboard(page, live_server, screenshot, db):
    page.goto(f"{live_server.url}/accounts/login/")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).not_to_be_in_viewport()

    for _ in range(3):  # back past the language switch and the home link
        page.keyboard.press("Shift+Tab")

    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    screenshot("accounts-13-skip-link-focused")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_people_page_on_a_phone_needs_no_sideways_scrolling(
    page, live_server, screenshot, consultant, manager, organisation
):
    InvitationFactory(organisation=organisation, email="a.rather.long.address@example.org")
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, "alice@example.org")

    page.goto(f"{live_server.url}/o/acme/members/")

    screenshot("accounts-14-phone-members-with-invitation")
    overflowing = page.locator(".table-responsive").evaluate_all(
        "wrappers => wrappers.filter(w => w.scrollWidth > w.clientWidth).length"
    )
    assert overflowing == 0
