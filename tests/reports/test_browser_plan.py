"""From a verdict to a plan, in Chromium: publish, set targets, turn two findings into
actions with owners, mark one done, start a follow-up, answer it, and see on the
follow-up's dashboard whether the actions' questions moved."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Action, Assessment

from .conftest import respond

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOW_DATA = {
    "data.inventory": 1,
    "data.quality": 1,
    "data.rights": 2,
    "ethics.policy": 3,
    "ethics.gdpr": 3,
}


def section(page, name: str):
    return page.locator("section", has=page.locator(f"#{name}-heading"))


def test_publish_plan_follow_up_and_see_the_actions_questions_move(
    page, live_server, log_in, consultant, manager, threshold_three, screenshot
):
    assessment = threshold_three
    for _ in range(3):
        respond(assessment, LOW_DATA)
    slug = assessment.organisation.slug
    log_in(consultant)

    # Publish for the client's management.
    page.goto(live_server.url + reverse("assessments:publish", args=[slug, assessment.pk]))
    page.get_by_role("button", name="Publish for the client's management").click()
    expect(page.get_by_role("link", name="Targets and action plan")).to_be_visible()

    # Targets: data is to reach 80 by go-live.
    page.get_by_role("link", name="Targets and action plan").click()
    page.get_by_role("link", name="Set the targets").click()
    page.get_by_label("Data foundation").fill("80")
    page.get_by_role("button", name="Save the targets").click()
    expect(page.get_by_text("The targets are saved.")).to_be_visible()
    targets = section(page, "targets")
    expect(targets.get_by_role("row", name="Data foundation")).to_contain_text("80")

    # Two findings become actions: one owned by the manager, one by a named person.
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    findings = section(page, "findings")
    findings.get_by_role("link", name="Plan an action").first.click()
    page.get_by_label("Owner with a login").select_option(label=str(manager))
    page.get_by_label("Due date").fill(due)
    page.get_by_role("button", name="Save the action").click()
    expect(page.get_by_text("The action is in the plan.")).to_be_visible()
    findings.get_by_role("link", name="Plan an action").first.click()
    page.get_by_label("Owner's name").fill("Maria Keller")
    page.get_by_role("button", name="Save the action").click()
    actions = section(page, "actions")
    expect(actions.get_by_role("row")).to_have_count(3)  # the header and two actions
    expect(actions).to_contain_text(str(manager))
    expect(actions).to_contain_text("Maria Keller")

    # The manager's action is done.
    first = Action.objects.get(owner=manager)
    page.goto(
        live_server.url + reverse("reports:edit_action", args=[slug, assessment.pk, first.pk])
    )
    page.get_by_label("Status").select_option(label="Done")
    page.get_by_role("button", name="Save the action").click()
    expect(actions.get_by_role("row", name=first.question.text)).to_contain_text("Done")
    screenshot("plan-consultant")

    # A follow-up, opened and answered better on data.
    page.goto(live_server.url + reverse("assessments:detail", args=[slug, assessment.pk]))
    page.get_by_role("link", name="Start a follow-up").click()
    page.get_by_role("button", name="Start the follow-up").click()
    follow_up = Assessment.objects.exclude(pk=assessment.pk).get()
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Closing date", exact=True).fill(
        (timezone.localdate() + timedelta(days=14)).isoformat()
    )
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("button", name="Open for answers").click()
    expect(page.get_by_text("The assessment is open")).to_be_visible()
    page.get_by_role("link", name="Not now").click()  # they answer below, as the test's people
    expect(page.get_by_role("link", name="Close")).to_be_visible()
    Assessment.objects.filter(pk=follow_up.pk).update(anonymity_threshold=3)
    follow_up.refresh_from_db()
    for _ in range(3):
        respond(follow_up, {**LOW_DATA, "data.inventory": 3, "data.quality": 3})

    # Its dashboard shows whether the planned questions moved.
    page.goto(live_server.url + reverse("reports:dashboard", args=[slug, follow_up.pk]))
    moved = section(page, "outcomes")
    expect(moved).to_be_visible()
    expect(moved.get_by_role("row")).to_have_count(3)
    expect(moved.get_by_role("row", name=first.question.text)).to_contain_text("+50")
    screenshot("plan-follow-up-dashboard")
