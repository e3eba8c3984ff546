from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.models import Answer, Assessment, Response
from tests.factories import (
    AnswerFactory,
    AssessmentFactory,
    QuestionFactory,
    QuestionnaireFactory,
    ResponseFactory,
)

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


# Questionnaire


def test_questionnaire_bands_fill_missing_thresholds_from_the_defaults():
    questionnaire = QuestionnaireFactory(settings={"bands": {"high": 60}})

    assert questionnaire.bands == {"moderate": 25, "high": 60, "critical": 75}


def test_questionnaire_red_flag_share_defaults_to_a_quarter():
    questionnaire = QuestionnaireFactory(settings={})

    assert questionnaire.red_flag_share == 0.25


def test_questionnaire_outline_lists_pillars_and_questions_in_order(small_questionnaire):
    outline = small_questionnaire.outline()

    assert [(p.code, [q.code for q in p.question_list]) for p in outline] == [
        ("data", ["data.inventory", "data.quality", "data.rights"]),
        ("ethics", ["ethics.policy", "ethics.gdpr"]),
    ]


def test_questionnaire_outline_takes_two_queries(small_questionnaire, django_assert_num_queries):
    with django_assert_num_queries(2):
        outline = small_questionnaire.outline()
        [question.code for pillar in outline for question in pillar.question_list]


def test_question_level_choices_number_the_descriptions_from_zero():
    question = QuestionFactory(levels=["None", "Ad hoc", "Defined", "Managed", "Optimised"])

    assert question.level_choices == [
        (0, "None"),
        (1, "Ad hoc"),
        (2, "Defined"),
        (3, "Managed"),
        (4, "Optimised"),
    ]


# Assessment


def test_assessment_open_without_closing_date_accepts_answers():
    assert AssessmentFactory(closes_on=None).is_accepting_answers is True


def test_assessment_open_on_its_closing_day_accepts_answers():
    assert AssessmentFactory(closes_on=today()).is_accepting_answers is True


def test_assessment_open_past_its_closing_date_refuses_answers():
    assessment = AssessmentFactory(closes_on=today() - timedelta(days=1))

    assert assessment.is_accepting_answers is False


def test_assessment_draft_refuses_answers():
    assert AssessmentFactory(status=Assessment.Status.DRAFT).is_accepting_answers is False


def test_assessment_closed_refuses_answers():
    assert AssessmentFactory(status=Assessment.Status.CLOSED).is_accepting_answers is False


def test_assessment_threshold_is_unlocked_while_nothing_is_submitted():
    assessment = AssessmentFactory()
    ResponseFactory(assessment=assessment, started_at=timezone.now())

    assert assessment.threshold_locked is False


def test_assessment_threshold_is_locked_by_the_first_submitted_response():
    assessment = AssessmentFactory()
    ResponseFactory(assessment=assessment, submitted_at=timezone.now())

    assert assessment.threshold_locked is True


def test_assessment_threshold_below_three_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentFactory(anonymity_threshold=2)


def test_assessment_with_progress_counts_invited_started_and_submitted():
    assessment = AssessmentFactory()
    now = timezone.now()
    ResponseFactory(assessment=assessment)
    ResponseFactory(assessment=assessment, started_at=now)
    ResponseFactory(assessment=assessment, started_at=now, submitted_at=now)
    ResponseFactory(assessment=assessment, started_at=now, submitted_at=now)

    annotated = Assessment.objects.with_progress().get(pk=assessment.pk)

    assert (annotated.invited_count, annotated.started_count, annotated.submitted_count) == (
        4,
        3,
        2,
    )


def test_assessment_with_progress_leaves_out_revoked_links():
    assessment = AssessmentFactory()
    now = timezone.now()
    ResponseFactory(assessment=assessment, started_at=now)
    ResponseFactory(assessment=assessment, started_at=now, submitted_at=now, revoked_at=now)

    annotated = Assessment.objects.with_progress().get(pk=assessment.pk)

    assert (annotated.invited_count, annotated.started_count, annotated.submitted_count) == (
        1,
        1,
        0,
    )


def test_assessment_with_progress_counts_each_assessment_apart():
    busy, quiet = AssessmentFactory(), AssessmentFactory()
    ResponseFactory.create_batch(3, assessment=busy)

    counts = dict(
        Assessment.objects.with_progress()
        .filter(pk__in=[busy.pk, quiet.pk])
        .values_list("pk", "invited_count")
    )

    assert counts == {busy.pk: 3, quiet.pk: 0}


def test_assessment_absolute_url_is_scoped_by_organisation(open_assessment):
    assert open_assessment.get_absolute_url() == f"/o/acme/assessments/{open_assessment.pk}/"


# Response


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({}, "invited"),
        ({"started_at": True}, "started"),
        ({"started_at": True, "submitted_at": True}, "submitted"),
        ({"started_at": True, "submitted_at": True, "revoked_at": True}, "revoked"),
    ],
)
def test_response_status_follows_its_latest_step(fields, status):
    response = ResponseFactory(**dict.fromkeys(fields, timezone.now()))

    assert response.status == status


def test_response_querysets_separate_active_and_submitted():
    now = timezone.now()
    waiting = ResponseFactory()
    handed_in = ResponseFactory(submitted_at=now)
    ResponseFactory(revoked_at=now)
    ResponseFactory(submitted_at=now, revoked_at=now)

    assert set(Response.objects.active()) == {waiting, handed_in}
    assert list(Response.objects.submitted()) == [handed_in]


# Answer


def test_answer_level_description_is_the_text_of_its_level():
    question = QuestionFactory(levels=["None", "Ad hoc", "Defined", "Managed", "Optimised"])
    answer = AnswerFactory(
        question=question, response__assessment__questionnaire=question.questionnaire, level=3
    )

    assert answer.level_description == "Managed"


def test_answer_dont_know_counts_as_answered_without_a_level():
    answer = AnswerFactory(level=None, dont_know=True)

    assert (answer.is_answered, answer.level_description) == (True, "")


def test_answer_with_only_a_comment_is_not_answered():
    answer = AnswerFactory(level=None, comment="We are unsure who owns this.")

    assert answer.is_answered is False


def test_answer_level_above_four_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        AnswerFactory(level=5)


def test_answer_with_level_and_dont_know_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        AnswerFactory(level=2, dont_know=True)


def test_answer_twice_to_the_same_question_is_refused_by_the_database():
    answer = AnswerFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(response=answer.response, question=answer.question, level=1)
