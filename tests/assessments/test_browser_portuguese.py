"""The respondent journey and the dashboard in Portuguese, in a real browser."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from accounts.models import User
from assessments import services
from assessments.demo import seed_demo
from assessments.models import Answer, Assessment
from assessments.questionnaire_files import BUNDLED, load_file
from tests.factories import AssessmentFactory

DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def browser_context_args(browser_context_args):
    """A browser set to Portuguese (Portugal): what a respondent in Lisbon opens the link in."""
    return {**browser_context_args, "locale": "pt-PT"}


def portuguese(message: str) -> str:
    with translation.override("pt"):
        words = gettext(message)
    assert words != message, f"{message!r} has no Portuguese"
    return words


def by_id(page: Page, element_id: str):
    return page.locator(f'[id="{element_id}"]')


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_respondent_answers_in_portuguese_switches_language_and_submits(
    page, live_server, screenshot, organisation
):
    questionnaire = load_file(BUNDLED).questionnaire
    outline = questionnaire.outline("pt")
    for pillar in outline:
        pillar.question_list = [q for q in pillar.question_list if q.asked_of("legal_risk")]
    pillars_asked = [pillar for pillar in outline if pillar.question_list]
    assessment = AssessmentFactory(
        organisation=organisation, questionnaire=questionnaire, title="Prontidão GenAI"
    )
    response, token = services.create_respondent_link(
        assessment=assessment, email="rita@example.pt"
    )
    page.set_viewport_size(DESKTOP)

    # The browser's language decides on the first visit
    page.goto(f"{live_server.url}/r/{token}/")
    expect(page.locator("html")).to_have_attribute("lang", "pt")
    screenshot("pt-respond-01-perspective")
    page.get_by_label("Jurídico, risco e conformidade").check()
    page.get_by_role("button", name=portuguese("Continue"), exact=True).click()

    very_important = f"4 · {portuguese('Very important')}"
    for pillar in outline:
        page.get_by_role("group", name=pillar.name).get_by_label(very_important).check()
    page.get_by_role("button", name=portuguese("Continue to the questions")).click()

    # The first pillar: its name, questions and levels come from the bank's Portuguese
    first = pillars_asked[0]
    question = first.question_list[0]
    expect(page.get_by_role("heading", level=1)).to_have_text(first.name)
    expect(by_id(page, f"q-{question.code}")).to_contain_text(question.text)
    by_id(page, f"q-{question.code}").locator(f'label[for="q-{question.code}-2"]').click()
    expect(by_id(page, f"status-{question.code}")).to_have_text(f"✓ {portuguese('Saved')}")
    screenshot("pt-respond-02-pillar")

    # The switch on the page: the same question in English, the answer still there
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    english = question.in_language("en")
    expect(by_id(page, f"q-{question.code}")).to_contain_text(english.text)
    expect(by_id(page, f"q-{question.code}-2")).to_be_checked()
    page.get_by_role("button", name="Português").click()
    expect(page.locator("html")).to_have_attribute("lang", "pt")
    expect(by_id(page, f"q-{question.code}")).to_contain_text(question.text)

    # On to the end, pillar after pillar, in Portuguese
    for position, pillar in enumerate(pillars_asked):
        expect(page.get_by_role("heading", level=1)).to_have_text(pillar.name)
        for asked in pillar.question_list:
            if asked.code != question.code:
                by_id(page, f"q-{asked.code}-3").check()
        last = position == len(pillars_asked) - 1
        button = "Save and review" if last else "Save and continue"
        page.get_by_role("button", name=portuguese(button)).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(portuguese("Review and submit"))
    page.get_by_role("button", name=portuguese("Submit my answers")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        portuguese("Thank you: your answers were submitted.")
    )
    screenshot("pt-respond-03-submitted")
    asked = sum(len(pillar.question_list) for pillar in pillars_asked)
    assert Answer.objects.filter(response=response).count() == asked


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_consultant_reads_the_dashboard_in_portuguese_and_switches_back(
    page, live_server, screenshot, log_in
):
    seed_demo()
    consultant = User.objects.get(email="consultant@example.com")
    consultant.language = "pt"
    consultant.save(update_fields=["language"])
    log_in(consultant)
    page.set_viewport_size(DESKTOP)
    assessment = Assessment.objects.get(title="GenAI readiness before go-live")

    page.goto(
        live_server.url
        + reverse("reports:dashboard", args=[assessment.organisation.slug, assessment.pk])
    )
    expect(page.locator("html")).to_have_attribute("lang", "pt")
    expect(page.get_by_role("heading", name="Fundamentos de dados").first).to_be_visible()
    expect(page.locator("body")).to_contain_text(portuguese("Not ready"))
    screenshot("pt-dashboard")

    # The switch saves the choice on the profile: English from now on, and the page works
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Data foundation").first).to_be_visible()
    consultant.refresh_from_db()
    assert consultant.language == "en"
