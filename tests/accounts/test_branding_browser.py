"""A consultant with the right sets the consultancy's brand in Chromium."""

from io import BytesIO

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Permission
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from accounts.models import ConsultancyProfile
from tests.test_accessibility import WCAG_AA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logo_png() -> bytes:
    image = Image.new("RGB", (360, 90), "white")
    ImageDraw.Draw(image).rounded_rectangle((0, 5, 80, 85), radius=14, fill=(15, 94, 78))
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_consultant_sets_name_colours_and_logo(page, live_server, log_in, consultant, screenshot):
    consultant.user_permissions.add(Permission.objects.get(codename="change_consultancyprofile"))
    log_in(consultant)
    page.goto(f"{live_server.url}/settings/branding/")

    page.get_by_label("Consultancy name").fill("Initrode Consulting")
    page.get_by_label("Contact line").fill("readiness@initrode.example · +41 44 123 45 67")
    page.get_by_label("Primary colour").fill("#eeeeee")
    page.get_by_role("button", name="Save the brand").click()
    expect(page.get_by_text("This colour is too light")).to_be_visible()
    screenshot("branding-01-refused")

    page.get_by_label("Primary colour").fill("#0f5e4e")
    page.get_by_label("Accent colour").fill("#c8691c")
    page.get_by_label("Logo", exact=True).set_input_files(
        {"name": "initrode.png", "mimeType": "image/png", "buffer": logo_png()}
    )
    page.get_by_role("button", name="Save the brand").click()

    expect(page.get_by_role("img", name="Current logo of Initrode Consulting")).to_be_visible()
    screenshot("branding-02-saved")
    assert Axe().run(page, options=WCAG_AA).response["violations"] == []
    profile = ConsultancyProfile.objects.get()
    assert (profile.name, profile.primary_colour, profile.logo_type) == (
        "Initrode Consulting",
        "0F5E4E",
        "image/png",
    )
