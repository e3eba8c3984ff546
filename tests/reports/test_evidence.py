"""Evidence for high ratings: asked on the questions a consultant chooses, named by
respondents, checked by the consultant, and counted in the evidenced maturity."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments import evidence, scoring
from assessments.models import Assessment, Evidence
from assessments.results import disclosure, publication
from assessments.results.access import live_results, published_results
from assessments.scoring import PillarRule, QuestionRule, ResponseInput, Rules, Withheld
from tests.factories import ResponseFactory

from .conftest import respond

ASKED = ["data.inventory"]


@pytest.fixture
def asking(threshold_three):
    evidence.set_evidence_questions(assessment=threshold_three, codes=ASKED)
    return Assessment.objects.get(pk=threshold_three.pk)


def answer_page(client, code="data.inventory"):
    return reverse("respond:answer", args=[code])


# Choosing the questions


def test_the_questions_are_chosen_before_anyone_starts_answering(threshold_three):
    evidence.set_evidence_questions(assessment=threshold_three, codes=ASKED)
    ResponseFactory(assessment=threshold_three, started_at=timezone.now())

    with pytest.raises(evidence.EvidenceRefused, match="started answering"):
        evidence.set_evidence_questions(assessment=threshold_three, codes=[])

    threshold_three.refresh_from_db()
    assert threshold_three.evidence_questions == ASKED


def test_a_question_of_another_questionnaire_cannot_ask_for_evidence(threshold_three):
    with pytest.raises(evidence.EvidenceRefused, match=r"no question nowhere\.x"):
        evidence.set_evidence_questions(assessment=threshold_three, codes=["nowhere.x"])


def test_the_consultant_chooses_the_questions_on_the_evidence_page(
    threshold_three, consultant_client
):
    url = reverse("reports:evidence", args=[threshold_three.organisation.slug, threshold_three.pk])

    page = consultant_client.get(url)
    saved = consultant_client.post(
        url, {"action": "questions", "questions": ["data.inventory", "ethics.gdpr"]}
    )
    bad = consultant_client.post(url, {"action": "questions", "questions": ["nowhere.x"]})

    assert "Questions that ask for evidence" in page.content.decode()
    assert saved.status_code == 302
    assert bad.status_code == 400
    threshold_three.refresh_from_db()
    assert threshold_three.evidence_questions == ["data.inventory", "ethics.gdpr"]


# The respondent


def test_the_respondent_is_told_before_the_first_answer_and_names_evidence(asking, client):
    response = ResponseFactory(assessment=asking, token="link-evidence")
    client.get(reverse("respond:start", args=["link-evidence"]))

    first = client.get(reverse("respond:perspective")).content.decode()

    assert "a rating of 3 or 4 asks you to name your evidence" in first
    response.perspective, response.started_at = "business", timezone.now()
    response.importance = {"data": 3, "ethics": 3}
    response.save()
    page = client.get(reverse("respond:pillar", args=["data"])).content.decode()
    assert 'name="e-data.inventory"' in page
    assert 'name="e-data.quality"' not in page

    saved = client.post(
        answer_page(client),
        {"q-data.inventory": "4", "e-data.inventory": "  Data catalogue, v3 (SharePoint)  "},
        HTTP_HX_REQUEST="true",
    )

    assert saved.status_code == 200
    piece = Evidence.objects.get()
    assert (piece.response, piece.question.code, piece.text) == (
        response,
        "data.inventory",
        "Data catalogue, v3 (SharePoint)",
    )


def test_evidence_stays_seen_until_its_text_changes_and_goes_when_emptied(asking, consultant):
    response = ResponseFactory(assessment=asking)
    question = asking.questionnaire.questions.get(code="data.inventory")
    evidence.save_evidence(response=response, question=question, text="Test report 12")
    evidence.check_evidence(evidence=Evidence.objects.get(), seen=True, by=consultant)

    evidence.save_evidence(response=response, question=question, text="Test report 12")
    assert Evidence.objects.get().seen is True
    evidence.save_evidence(response=response, question=question, text="Test report 13")
    assert Evidence.objects.get().seen is None
    evidence.save_evidence(response=response, question=question, text="  ")
    assert not Evidence.objects.exists()


def test_evidence_on_a_question_that_does_not_ask_for_it_is_refused(asking):
    response = ResponseFactory(assessment=asking)
    question = asking.questionnaire.questions.get(code="data.quality")

    with pytest.raises(evidence.services.InvalidAnswer):
        evidence.save_evidence(response=response, question=question, text="A link")


def test_too_long_evidence_is_a_400_and_keeps_the_saved_answer(asking, client):
    response = ResponseFactory(assessment=asking, token="link-long", perspective="business")
    client.get(reverse("respond:start", args=["link-long"]))
    client.post(answer_page(client), {"q-data.inventory": "3"}, HTTP_HX_REQUEST="true")

    refused = client.post(
        answer_page(client),
        {"q-data.inventory": "4", "e-data.inventory": "x" * 1001},
        HTTP_HX_REQUEST="true",
    )

    assert refused.status_code == 400
    assert "under 1000 characters" in refused.content.decode()
    assert response.answers.get().level == 3
    assert not Evidence.objects.exists()


# The consultant checks; the figures follow


def test_a_high_rating_counts_in_full_once_its_evidence_is_seen(asking, consultant):
    people = [respond(asking, 4) for _ in range(3)]
    question = asking.questionnaire.questions.get(code="data.inventory")
    for person in people:
        Evidence.objects.create(response=person, question=question, text="Inventory")

    before = {f.pillar: f for f in live_results(asking).report.evidence}["data"]
    for piece in Evidence.objects.all():
        evidence.check_evidence(evidence=piece, seen=True, by=consultant)
    after = {f.pillar: f for f in live_results(asking).report.evidence}["data"]

    assert before.claimed == pytest.approx(100.0)
    # data.inventory counts as 2 (50) beside two questions at 4: (50 + 100 + 100) / 3.
    assert before.evidenced == pytest.approx(250 / 3)
    assert before.unverified == 3
    assert (after.evidenced, after.unverified) == (pytest.approx(100.0), 0)


def test_the_manager_sees_claimed_and_evidenced_maturity(asking, manager_client):
    for _ in range(3):
        respond(asking, 4)
    publication.publish_results(assessment=asking, published_by=None)

    page = manager_client.get(
        reverse("reports:dashboard", args=[asking.organisation.slug, asking.pk])
    ).content.decode()

    assert "Evidenced" in page
    assert "high ratings of 3 people count as 2 until their evidence is seen" in page


def test_one_piece_of_evidence_seen_between_publications_withholds_the_evidenced_figure(
    asking, consultant
):
    people = [respond(asking, 4) for _ in range(4)]  # 4 high ratings without evidence
    publication.publish_results(assessment=asking, published_by=None)
    for _ in range(3):
        respond(asking, 1)  # enough new people for a second publication
    question = asking.questionnaire.questions.get(code="data.inventory")
    piece = Evidence.objects.create(response=people[0], question=question, text="Inventory")
    evidence.check_evidence(evidence=piece, seen=True, by=consultant)
    Assessment.objects.filter(pk=asking.pk).update(closes_on=timezone.localdate() + timedelta(1))

    publication.publish_results(assessment=asking, published_by=None)

    figure = {f.pillar: f for f in published_results(asking).report.evidence}["data"]
    assert figure.withheld == Withheld.FEW_CHANGES
    assert (figure.evidenced, figure.unverified) == (None, None)


# The rule, on random sequences: no shown evidenced figure, and no difference between two,
# rests on fewer people than the threshold.

THRESHOLD = 3
RULES = Rules(
    pillars=(PillarRule("data", "Data"), PillarRule("ethics", "Ethics")),
    questions=(
        QuestionRule("data.a", "data"),
        QuestionRule("data.b", "data"),
        QuestionRule("ethics.c", "ethics"),
    ),
    anonymity_threshold=THRESHOLD,
)
EVIDENCE_CODE, PILLAR = "data.a", "data"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    levels=st.lists(st.sampled_from([None, 1, 3, 4, 4]), min_size=3, max_size=9),
    rounds=st.lists(st.sets(st.integers(0, 8)), min_size=1, max_size=4),
)
def test_evidenced_figures_never_rest_on_fewer_than_the_threshold(levels, rounds):
    responses = [
        ResponseInput(
            id=number + 1,
            perspective="business",
            answers={question.code: level for question in RULES.questions},
        )
        for number, level in enumerate(levels)
    ]
    earlier: list[disclosure.Contributors] = []
    shown: list[frozenset[int]] = []
    for seen_people in rounds:
        seen = {(person + 1, EVIDENCE_CODE) for person in seen_people}
        result = scoring.score_assessment(RULES, responses)
        figures = scoring.evidenced_pillars(
            RULES, responses, result, questions=[EVIDENCE_CODE], seen=seen, threshold=THRESHOLD
        )
        disclosed = disclosure.disclose(RULES, responses, result, earlier=earlier, evidence=figures)
        lowered = frozenset(  # worked out here, not by the code under test
            response.id
            for response in responses
            if (response.answers[EVIDENCE_CODE] or 0) >= 3
            and (response.id, EVIDENCE_CODE) not in seen
        )
        figure = {f.pillar: f for f in disclosed.evidence}[PILLAR]
        if figure.evidenced is not None:
            assert len(lowered) == 0 or len(lowered) >= THRESHOLD
            for before in shown:
                assert disclosure.changes_enough(lowered, before, THRESHOLD)
            shown.append(lowered)
        earlier.append(disclosed.contributors)
