"""The demo's dashboard in Chromium: no WCAG 2.1 AA violation, nothing sideways on a phone, and
screenshots (var/screenshots/) to look at."""

import pytest
from django.urls import reverse

from accounts.models import User
from assessments import services
from assessments.demo import seed_demo
from assessments.models import Answer, Assessment
from tests.test_accessibility import violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def demo():
    """The demo, with two comments: one shared with the client, one not."""
    seed_demo()
    assessment = Assessment.objects.get(organisation__slug="acme-insurance", status="open")
    answers = Answer.objects.filter(
        response__assessment=assessment, response__submitted_at__isnull=False
    ).order_by("pk")
    shared, kept = answers[0], answers[50]
    Answer.objects.filter(pk=shared.pk).update(comment="Nobody owns the claims data export.")
    Answer.objects.filter(pk=kept.pk).update(comment="Not for the board.")
    shared.refresh_from_db()
    services.share_comment(answer=shared, shared=True)
    return assessment


def urls(assessment) -> dict[str, str]:
    slug, pk = assessment.organisation.slug, assessment.pk
    return {
        "dashboard": reverse("reports:dashboard", args=[slug, pk]),
        "published": reverse("reports:dashboard", args=[slug, pk]) + "?view=published",
        "comments": reverse("reports:comments", args=[slug, pk]),
    }


def scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_consultant_dashboard_and_comments_have_no_violations(page, live_server, log_in, demo):
    log_in(User.objects.get(email="consultant@example.com"))
    found = {}
    for name, url in urls(demo).items():
        page.goto(live_server.url + url)
        found[name] = violations(page)

    assert {name: problems for name, problems in found.items() if problems} == {}


def test_manager_dashboard_has_no_violations(page, live_server, log_in, demo):
    log_in(User.objects.get(email="manager@example.com"))
    page.goto(live_server.url + urls(demo)["dashboard"])

    assert violations(page) == []
    assert page.get_by_text("Nobody owns the claims data export.").count() == 1
    assert page.get_by_text("Not for the board.").count() == 0


@pytest.mark.parametrize("who", ["consultant", "manager"])
def test_dashboard_reads_on_a_phone_and_a_laptop(page, live_server, log_in, demo, screenshot, who):
    log_in(User.objects.get(email=f"{who}@example.com"))
    for size, viewport in (("1280", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(viewport)
        page.goto(live_server.url + urls(demo)["dashboard"])
        screenshot(f"dashboard-{who}-{size}")

        assert scrolls_sideways(page) is False
        radar = page.locator("svg.chart-radar").bounding_box()
        assert radar["width"] <= viewport["width"]
