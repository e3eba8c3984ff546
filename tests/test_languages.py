"""Portuguese next to English: who reads which language, and what changes with it."""

import io

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from accounts.models import User
from assessments import services, workshops
from assessments.addresses import Invitee
from assessments.demo import DEMO_RESPONDENT_TOKEN, seed_demo
from assessments.followup import start_follow_up
from assessments.models import Assessment
from assessments.results.access import live_results, published_results
from assessments.scoring import serialize

pytestmark = pytest.mark.django_db

PORTUGUESE_PILLAR = "Fundamentos de dados"  # the data pillar, as the question bank names it


@pytest.fixture
def demo():
    return seed_demo()


def open_assessment() -> Assessment:
    return Assessment.objects.get(title="GenAI readiness before go-live")


def signed_in(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def dashboard(assessment: Assessment) -> str:
    return reverse("reports:dashboard", args=[assessment.organisation.slug, assessment.pk])


def figures(report) -> list:
    """Every number a report holds, in order: what a translation must leave alone."""
    found = []

    def walk(value):
        if isinstance(value, bool | str) or value is None:
            return
        if isinstance(value, int | float):
            found.append(value)
        elif isinstance(value, dict):
            for key in sorted(value, key=str):
                walk(value[key])
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk(serialize.to_data(report))
    return found


# Choosing a language


def test_the_browser_language_chooses_on_a_first_visit(demo):
    page = Client(headers={"accept-language": "pt-PT,pt;q=0.9,en;q=0.5"}).get(
        f"/r/{DEMO_RESPONDENT_TOKEN}/", follow=True
    )

    assert page.status_code == 200
    assert '<html lang="pt">' in page.text
    assert "Dados e TI" in page.text  # a perspective to choose, in Portuguese


def test_the_switch_keeps_the_choice_over_the_browser_language(demo):
    client = Client(headers={"accept-language": "pt-PT"})

    switched = client.post(reverse("accounts:language"), {"language": "en", "next": "/"})
    page = client.get(f"/r/{DEMO_RESPONDENT_TOKEN}/", follow=True)

    assert switched.status_code == 302
    assert client.cookies["language"].value == "en"
    assert '<html lang="en">' in page.text
    assert "Data and IT" in page.text


def test_the_switch_refuses_a_language_the_product_does_not_speak(demo):
    client = Client()

    client.post(reverse("accounts:language"), {"language": "xx", "next": "/"})

    assert "language" not in client.cookies


def test_a_signed_in_choice_follows_the_person_to_another_browser(demo):
    signed_in("consultant@example.com").post(
        reverse("accounts:language"), {"language": "pt", "next": "/"}
    )

    elsewhere = signed_in("consultant@example.com").get(dashboard(open_assessment()))

    assert User.objects.get(email="consultant@example.com").language == "pt"
    assert '<html lang="pt">' in elsewhere.text
    assert PORTUGUESE_PILLAR in elsewhere.text


def test_the_profile_sets_the_language(demo):
    client = signed_in("manager@example.com")

    saved = client.post(reverse("accounts:profile"), {"name": "Mia Manager", "language": "pt"})
    page = client.get(reverse("accounts:profile"))

    assert saved.status_code == 302
    assert User.objects.get(email="manager@example.com").language == "pt"
    assert '<html lang="pt">' in page.text


def test_choosing_the_browsers_language_on_the_profile_forgets_the_switch(demo):
    client = signed_in("manager@example.com")
    client.post(reverse("accounts:language"), {"language": "pt", "next": "/"})

    client.post(reverse("accounts:profile"), {"name": "Mia Manager", "language": ""})
    page = client.get(reverse("accounts:profile"), headers={"accept-language": "en"})

    assert User.objects.get(email="manager@example.com").language == ""
    assert not getattr(client.cookies.get("language"), "value", "")  # deleted
    assert '<html lang="en">' in page.text


def test_the_profile_refuses_an_unknown_language_with_a_message(demo):
    client = signed_in("manager@example.com")

    refused = client.post(reverse("accounts:profile"), {"name": "Mia", "language": "xx"})

    assert refused.status_code == 400
    assert refused.context["form"].errors["language"]
    assert User.objects.get(email="manager@example.com").language == ""


def test_the_profile_is_for_signed_in_people_only(db):
    assert Client().get(reverse("accounts:profile")).status_code == 302


# Results in the reader's language


def test_a_manager_reads_the_published_results_in_portuguese(demo):
    client = signed_in("manager@example.com")
    client.post(reverse("accounts:language"), {"language": "pt", "next": "/"})

    page = client.get(dashboard(open_assessment()))

    assert page.status_code == 200
    assert page.context["page"].report.result.pillars[0].name == PORTUGUESE_PILLAR
    assert page.text.count(PORTUGUESE_PILLAR) > 3  # summary, heat map, pillar, plan


def test_a_translated_snapshot_keeps_every_figure_and_the_stored_english(demo):
    assessment = open_assessment()
    english = published_results(assessment).report

    with translation.override("pt"):
        portuguese = published_results(assessment).report

    assert figures(portuguese) == figures(english)
    assert portuguese.result.pillars[0].name == PORTUGUESE_PILLAR
    assert portuguese.method[0].title != english.method[0].title
    assert len(portuguese.method) == len(english.method)
    stored = assessment.latest_snapshot().read_report()
    assert stored.result.pillars[0].name == "Data foundation"


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(level=st.sampled_from(["0", "1", "2", "3", "4", "dont_know"]))
def test_live_figures_in_portuguese_are_the_english_figures(demo, level):
    """Whatever one more respondent answers, the translation changes words, not numbers."""
    client = Client()
    client.get(f"/r/{DEMO_RESPONDENT_TOKEN}/")
    client.post("/respond/about-you/", {"perspective": "business"})
    assessment = open_assessment()
    for pillar in assessment.questionnaire.pillars.all():
        answers = {f"q-{q.code}": level for q in pillar.questions.all()}
        client.post(f"/respond/pillar/{pillar.code}/", answers)

    english = live_results(assessment).report
    with translation.override("pt"):
        portuguese = live_results(assessment).report

    assert figures(portuguese) == figures(english)
    for finding, original in zip(portuguese.result.findings, english.result.findings, strict=True):
        assert finding.question == original.question
        assert finding.text != original.text
        assert bool(finding.next_step) == bool(original.next_step)


def test_a_copy_shown_in_another_language_is_never_saved(demo):
    pillar = open_assessment().questionnaire.pillars.first()

    with pytest.raises(ValueError, match="for reading"):
        pillar.in_language("pt").save()


# Files and e-mails in the assessment's report language


def test_the_word_report_is_in_the_assessments_report_language(demo):
    assessment = open_assessment()
    Assessment.objects.filter(pk=assessment.pk).update(report_language="pt")
    client = signed_in("manager@example.com")  # who reads English pages

    word = client.get(reverse("reports:docx", args=[assessment.organisation.slug, assessment.pk]))

    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert PORTUGUESE_PILLAR in text
    assert "Data foundation" not in text
    page = client.get(dashboard(assessment))
    assert "Data foundation" in page.text  # the page stays in the reader's language


def test_the_spreadsheet_headers_are_in_the_report_language(demo):
    assessment = open_assessment()
    url = reverse("reports:figures_xlsx", args=[assessment.organisation.slug, assessment.pk])
    client = signed_in("manager@example.com")

    def headers(language: str) -> list[str]:
        Assessment.objects.filter(pk=assessment.pk).update(report_language=language)
        sheet = load_workbook(io.BytesIO(client.get(url).content)).active
        return [cell.value for cell in next(sheet.iter_rows(max_row=1))]

    english, portuguese = headers("en"), headers("pt")
    assert len(portuguese) == len(english)
    assert not set(portuguese) & set(english)
    with translation.override("pt"):
        assert portuguese[0] == translation.gettext(english[0])


def test_a_respondents_link_is_written_in_the_report_language(demo):
    assessment = open_assessment()
    Assessment.objects.filter(pk=assessment.pk).update(report_language="pt")
    assessment.refresh_from_db()

    services.invite_respondents(
        assessment=assessment,
        invitees=[Invitee("rui@client.example", "Rui")],
        sent_by=User.objects.get(email="consultant@example.com"),
    )

    [message] = [m for m in mail.outbox if "rui@client.example" in m.to]
    with translation.override("pt"):
        assert translation.gettext("What happens to your answers") in message.alternatives[0][0]


def test_a_new_assessment_takes_the_consultants_language(demo):
    client = signed_in("consultant@example.com")
    client.post(reverse("accounts:language"), {"language": "pt", "next": "/"})
    organisation = open_assessment().organisation

    form = client.get(reverse("assessments:create", args=[organisation.slug]))

    assert form.context["form"]["report_language"].value() == "pt"


def test_a_follow_up_keeps_its_predecessors_report_language(demo):
    assessment = open_assessment()
    Assessment.objects.filter(pk=assessment.pk).update(report_language="pt")
    assessment.refresh_from_db()

    follow_up = start_follow_up(assessment=assessment, started_by=None)

    assert follow_up.report_language == "pt"


@pytest.mark.parametrize("page", ["dashboard", "plan", "evidence", "comments", "targets"])
def test_no_page_of_results_shows_a_question_or_pillar_in_english_to_a_portuguese_reader(
    demo, page
):
    assessment = open_assessment()
    client = signed_in("consultant@example.com")
    client.post(reverse("accounts:language"), {"language": "pt", "next": "/"})

    shown = client.get(
        reverse(f"reports:{page}", args=[assessment.organisation.slug, assessment.pk])
    )

    assert shown.status_code == 200
    questionnaire = assessment.questionnaire
    english = [q.text for q in questionnaire.questions.all()]
    english += [p.name for p in questionnaire.pillars.all()]
    assert [text for text in english if text in shown.text] == []


def test_a_workshop_speaks_each_screens_language(demo):
    assessment = open_assessment()
    consultant = User.objects.get(email="consultant@example.com")
    session = workshops.start_session(assessment=assessment, scope="all", created_by=consultant)
    question = session.questions.select_related("question").get(position=0).question
    portuguese = question.in_language("pt")
    presenter = signed_in("consultant@example.com")
    presenter.post(reverse("accounts:language"), {"language": "pt", "next": "/"})
    phone = Client(headers={"accept-language": "en"})
    phone.post(reverse("workshop:room", kwargs={"code": session.code}), {"perspective": "business"})

    screen = {"slug": assessment.organisation.slug, "pk": session.pk}
    presenter.post(
        reverse("workshop:drive", kwargs=screen),
        {"action": "open", "position": 0},
        HTTP_HX_REQUEST="true",
    )

    projector = presenter.get(reverse("workshop:present", kwargs=screen))
    on_the_phone = phone.get(reverse("workshop:state", kwargs={"code": session.code}))

    assert portuguese.text in projector.text
    assert portuguese.levels[0] in projector.text
    assert question.text in on_the_phone.text  # each phone in its own language
