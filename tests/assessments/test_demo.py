"""The demo data: what `make run` shows, and the promise it demonstrates to a manager."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from assessments.demo import DEMO_RESPONDENT_TOKEN, seed_demo
from assessments.models import Action, Assessment, Evidence, ResultSnapshot
from assessments.results.access import live_results

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return seed_demo()


def open_assessment() -> Assessment:
    return Assessment.objects.get(title="GenAI readiness before go-live")


def manager_page(client: Client):
    client.force_login(User.objects.get(email="manager@example.com"))
    return client.get(open_assessment().get_absolute_url())


def answer_every_question_through_the_demo_link(client: Client, level: str) -> None:
    opened = client.get(f"/r/{DEMO_RESPONDENT_TOKEN}/")
    assert opened["Location"] == "/respond/about-you/"
    client.post("/respond/about-you/", {"perspective": "leadership"})
    pillars = open_assessment().questionnaire.pillars.order_by("order")
    client.post("/respond/priorities/", {p.code: "5" for p in pillars})
    for pillar in pillars:
        answers = {f"q-{q.code}": level for q in pillar.questions.all()}
        client.post(f"/respond/pillar/{pillar.code}/", answers)
    submitted = client.post("/respond/submit/")
    assert submitted.status_code == 302


def test_demo_manager_sees_published_interim_results(demo, client):
    page = manager_page(client)

    assert page.context["results"].snapshot.kind == ResultSnapshot.Kind.INTERIM
    assert page.context["results"].result.respondents == 12


def test_demo_manager_figures_stay_the_same_after_one_more_submission(demo):
    before = manager_page(Client()).context["results"]

    answer_every_question_through_the_demo_link(Client(), level="0")
    after = manager_page(Client()).context["results"]

    assert open_assessment().responses.submitted().count() == 13
    assert after.report == before.report
    assert after.as_of == before.as_of


def test_demo_consultant_sees_the_submission_live(demo, client):
    answer_every_question_through_the_demo_link(Client(), level="0")
    client.force_login(User.objects.get(email="consultant@example.com"))

    page = client.get(open_assessment().get_absolute_url())

    assert page.context["results"].live is True
    assert page.context["results"].result.respondents == 13


def test_demo_baseline_is_closed_with_final_results(demo):
    baseline = Assessment.objects.get(title="GenAI pilot baseline")

    assert baseline.status == Assessment.Status.CLOSED
    assert baseline.snapshots.get().kind == ResultSnapshot.Kind.FINAL


def test_demo_has_targets_and_a_plan_with_owners_and_one_overdue_action(demo, client):
    current = Assessment.objects.get(title="GenAI readiness before go-live")
    manager = User.objects.get(email="manager@example.com")
    client.force_login(manager)

    page = client.get(
        reverse("reports:plan", args=[current.organisation.slug, current.pk])
    ).content.decode()

    assert current.targets.count() == 2
    assert current.actions.filter(owner=manager).exists()
    assert current.actions.exclude(owner_name="").exists()
    assert current.actions.overdue(timezone.localdate()).count() == 1
    assert "1 overdue" in page
    assert "did its questions move?" in page  # the baseline's action, asked again


def test_demo_has_evidence_on_a_few_high_ratings_some_seen(demo):
    current = Assessment.objects.get(title="GenAI readiness before go-live")
    pieces = Evidence.objects.filter(response__assessment=current)

    assert len(current.evidence_questions) == 3
    assert pieces.filter(seen=True).exists()
    assert pieces.filter(seen=None).exists()
    assert {f.pillar for f in live_results(current).report.evidence} == {"expectations", "change"}


def test_seeding_twice_changes_nothing(demo):
    counts = (
        Assessment.objects.count(),
        ResultSnapshot.objects.count(),
        User.objects.count(),
        Action.objects.count(),
    )

    seed_demo()

    assert (
        Assessment.objects.count(),
        ResultSnapshot.objects.count(),
        User.objects.count(),
        Action.objects.count(),
    ) == counts


def test_seed_demo_command_refuses_without_debug(settings, db):
    settings.DEBUG = False

    with pytest.raises(CommandError) as refused:
        call_command("seed_demo", stdout=StringIO())

    assert str(refused.value) == (
        "seed_demo creates logins with a published password and is for development only: it "
        "runs with DEBUG=1, never against a production database."
    )
    assert User.objects.exists() is False


def test_seed_demo_command_prints_the_logins_with_debug(settings, db):
    settings.DEBUG = True
    out = StringIO()

    call_command("seed_demo", stdout=out)

    assert "consultant@example.com" in out.getvalue()
