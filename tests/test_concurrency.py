"""Many respondents at once: nothing is lost, nothing is counted twice.

Runs against PostgreSQL (as CI does and production is); SQLite serialises every writer, so
there is no race to look for there.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from assessments import services
from assessments.models import Answer, Response
from tests.factories import ResponseFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: run with DATABASE_URL=postgres://… (CI does)",
    ),
]

RESPONDENTS = 50


def _answer_everything(response_pk: int, level: int) -> None:
    try:
        response = Response.objects.select_related("assessment").get(pk=response_pk)
        for question in response.assessment.questionnaire.questions.all():
            services.save_answer(response=response, question=question, level=level)
            # A double tap: the same answer again, at once.
            services.save_answer(response=response, question=question, level=level)
    finally:
        connections.close_all()


def test_fifty_respondents_saving_at_once_lose_nothing(open_assessment):
    responses = [ResponseFactory(assessment=open_assessment) for _ in range(RESPONDENTS)]
    questions = open_assessment.questionnaire.questions.count()

    with ThreadPoolExecutor(max_workers=RESPONDENTS) as pool:
        list(pool.map(_answer_everything, [r.pk for r in responses], [r.pk % 5 for r in responses]))

    assert Answer.objects.filter(response__in=responses).count() == RESPONDENTS * questions
    for response in responses:
        assert set(response.answers.values_list("level", flat=True)) == {response.pk % 5}


def _save_or_refuse(response_pk: int, question_pk: int) -> str:
    try:
        response = Response.objects.select_related("assessment").get(pk=response_pk)
        question = response.assessment.questionnaire.questions.get(pk=question_pk)
        services.save_answer(response=response, question=question, level=0)
        return "saved"
    except services.ResponseClosed:
        return "refused"
    finally:
        connections.close_all()


def _submit(response_pk: int) -> str:
    try:
        services.submit_response(response=Response.objects.get(pk=response_pk))
        return "submitted"
    finally:
        connections.close_all()


def test_saves_racing_a_submission_never_change_a_submitted_response(open_assessment):
    question = open_assessment.questionnaire.questions.first()
    for _ in range(10):
        response = ResponseFactory(assessment=open_assessment)
        services.save_answer(response=response, question=question, level=4)

        with ThreadPoolExecutor(max_workers=4) as pool:
            saves = [pool.submit(_save_or_refuse, response.pk, question.pk) for _ in range(3)]
            submitted = pool.submit(_submit, response.pk)
            outcomes = [save.result() for save in saves]
            submitted.result()

        response.refresh_from_db()
        stored = response.answers.get(question=question).level
        stored_score = response.pillar_scores.get(pillar=question.pillar.code).maturity
        # Whatever won the race, the stored figures agree with the stored answer.
        assert stored_score == (100.0 if stored == 4 else 0.0), outcomes
