"""The bridge from the database to the pure scoring service, and the figures stored on submit."""

import io
import random

import pytest
from django.core.management import call_command

from assessments import loading, scoring, services
from assessments.models import (
    Answer,
    Assessment,
    AssessmentPillarSummary,
    Perspective,
    PillarScore,
    Response,
)
from assessments.questionnaire_files import BUNDLED_FILES, load_file
from tests.factories import AssessmentFactory, OrganisationFactory, ResponseFactory


@pytest.fixture
def questionnaire(db):
    return load_file(BUNDLED_FILES[1]).questionnaire  # version 2: routed, respondent first


def submitted_responses(assessment, count: int, *, seed: int = 1, level=None) -> list[Response]:
    """`count` complete submitted responses, written in bulk (levels random unless given)."""
    rng = random.Random(seed)
    questions = list(assessment.questionnaire.questions.all())
    perspectives = list(Perspective)
    responses = Response.objects.bulk_create(
        Response(
            assessment=assessment,
            token_hash=f"bulk-{assessment.pk}-{seed}-{number}",
            perspective=perspectives[number % len(perspectives)],
            submitted_at=assessment.created_at,
        )
        for number in range(count)
    )
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question=question,
            level=rng.randint(0, 4) if level is None else level,
        )
        for response in responses
        for question in questions
    )
    return responses


@pytest.mark.parametrize("respondents", [5, 200])
def test_score_assessment_takes_four_queries_whatever_the_size(
    questionnaire, django_assert_num_queries, respondents
):
    assessment = AssessmentFactory(questionnaire=questionnaire)
    submitted_responses(assessment, respondents)
    assessment = Assessment.objects.select_related("questionnaire").get(pk=assessment.pk)
    with django_assert_num_queries(4):
        result = loading.score_assessment(assessment)
    assert result.respondents == respondents


def test_load_responses_reads_levels_and_dont_know(questionnaire):
    assessment = AssessmentFactory(questionnaire=questionnaire)
    response = ResponseFactory(assessment=assessment, perspective=Perspective.DATA_IT)
    inventory, integration, third = questionnaire.questions.order_by("order")[:3]
    Answer.objects.create(response=response, question=inventory, level=3)
    Answer.objects.create(response=response, question=integration, dont_know=True)
    Answer.objects.create(response=response, question=third, comment="only a comment")

    (loaded,) = loading.load_responses(Response.objects.filter(pk=response.pk))

    assert loaded.perspective == "data_it"
    assert loaded.answers == {inventory.code: 3, integration.code: scoring.DONT_KNOW}


def test_score_assessment_leaves_out_unsubmitted_and_revoked_responses(questionnaire):
    assessment = AssessmentFactory(questionnaire=questionnaire)
    _kept, revoked = submitted_responses(assessment, 2, level=4)
    Response.objects.filter(pk=revoked.pk).update(revoked_at=assessment.created_at)
    ResponseFactory(assessment=assessment)  # invited, never submitted

    result = loading.score_assessment(assessment)

    assert result.respondents == 1
    assert result.pillar("data").maturity == 100.0


def test_rules_carry_the_assessment_threshold_and_questionnaire_bands(questionnaire):
    assessment = AssessmentFactory(questionnaire=questionnaire, anonymity_threshold=7)
    rules = loading.assessment_rules(assessment)
    assert rules.anonymity_threshold == 7
    assert rules.bands == scoring.BandSettings(moderate=30, high=45, critical=62.5)
    assert (rules.red_flag_share, rules.not_established_share) == (0.2, 0.5)
    assert rules.question("data.usage-rights").blocker_below == 2
    assert rules.question("data.usage-rights").deciding_perspectives == ("data_it",)
    assert rules.question("data.quality").perspectives == ("data_it",)
    assert [pillar.code for pillar in rules.pillars] == [
        "data",
        "expectations",
        "skills",
        "ethics",
        "change",
        "method",
    ]
    assert len(rules.questions) == questionnaire.questions.count()


def test_submit_stores_the_figures_that_scoring_computes(questionnaire):
    assessment = AssessmentFactory(questionnaire=questionnaire)
    response = ResponseFactory(
        assessment=assessment, importance={"data": 5}, sees_all_questions=True
    )
    data_questions = questionnaire.questions.filter(pillar__code="data").order_by("order")
    first, second = data_questions[:2]
    services.save_answer(response=response, question=first, level=4)
    services.save_answer(response=response, question=second, level=None, dont_know=True)

    services.submit_response(response=response)

    stored = PillarScore.objects.get(response=response, pillar="data")
    assert stored.maturity == 100.0
    assert stored.answered == 1
    assert stored.dont_know == 1
    assert stored.coverage == pytest.approx(1 / data_questions.count())
    assert stored.importance == 5
    assert PillarScore.objects.get(response=response, pillar="ethics").maturity is None
    assert PillarScore.objects.filter(response=response).count() == 6


def test_submit_records_blockers_of_critical_questions_at_level_zero(questionnaire):
    assessment = AssessmentFactory(questionnaire=questionnaire)
    response = ResponseFactory(assessment=assessment, perspective="legal_risk")
    critical = questionnaire.questions.filter(pillar__code="ethics", critical=True).first()
    services.save_answer(response=response, question=critical, level=0)

    services.submit_response(response=response)

    assert PillarScore.objects.get(response=response, pillar="ethics").blockers == [critical.code]


def test_assessment_summary_is_the_mean_of_submitted_respondents(questionnaire):
    assessment = AssessmentFactory(questionnaire=questionnaire)
    question = questionnaire.questions.filter(pillar__code="data").first()
    for level in (4, 2):  # maturity 100 and 50
        response = ResponseFactory(assessment=assessment, perspective="data_it")
        services.save_answer(response=response, question=question, level=level)
        services.submit_response(response=response)

    summary = AssessmentPillarSummary.objects.get(assessment=assessment, pillar="data")
    assert summary.maturity == 75.0
    assert summary.respondents == 2
    assert (
        AssessmentPillarSummary.objects.get(assessment=assessment, pillar="skills").respondents == 0
    )
    assert summary.maturity == loading.score_assessment(assessment).pillar("data").maturity


def test_recompute_scores_command_rebuilds_what_was_lost(questionnaire):
    assessment = AssessmentFactory(questionnaire=questionnaire)
    submitted_responses(assessment, 3, level=2)
    assert PillarScore.objects.count() == 0  # written in bulk, bypassing submit

    call_command("recompute_scores", stdout=io.StringIO())

    assert PillarScore.objects.count() == 3 * 6
    assert set(PillarScore.objects.values_list("maturity", flat=True)) == {50.0}
    assert AssessmentPillarSummary.objects.filter(assessment=assessment).count() == 6


def test_previous_assessment_is_the_latest_earlier_one_with_answers(questionnaire):
    organisation = OrganisationFactory()
    oldest = AssessmentFactory(organisation=organisation, questionnaire=questionnaire)
    older = AssessmentFactory(organisation=organisation, questionnaire=questionnaire)
    AssessmentFactory(organisation=organisation, questionnaire=questionnaire)  # no answers
    current = AssessmentFactory(organisation=organisation, questionnaire=questionnaire)
    submitted_responses(oldest, 1)
    submitted_responses(older, 1)
    AssessmentFactory(questionnaire=questionnaire)  # another organisation

    assert loading.previous_assessment(current) == older
    assert loading.previous_assessment(oldest) is None
