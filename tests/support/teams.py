"""A client team answering a question bank, written straight to the database."""

from collections.abc import Callable, Mapping

from assessments.models import Answer, Assessment, Questionnaire, Response
from tests.factories import AssessmentFactory

# level_of(perspective, number within the perspective, question code) -> level or None
LevelOf = Callable[[str, int, str], int | None]


def answered_by_team(
    questionnaire: Questionnaire, team: Mapping[str, int], level_of: LevelOf
) -> Assessment:
    """An assessment (threshold 3) whose team, `team[perspective]` people each, submitted
    a level (None: don't know) for every question their perspective is asked."""
    assessment = AssessmentFactory(questionnaire=questionnaire, anonymity_threshold=3)
    questions = list(questionnaire.questions.all())
    for perspective, count in team.items():
        for number in range(count):
            response = Response.objects.create(
                assessment=assessment,
                token_hash=f"{assessment.pk}-{perspective}-{number}",
                perspective=perspective,
                submitted_at=assessment.created_at,
            )
            Answer.objects.bulk_create(
                Answer(
                    response=response,
                    question=question,
                    level=(level := level_of(perspective, number, question.code)),
                    dont_know=level is None,
                )
                for question in questions
                if question.asked_of(perspective)
            )
    return assessment
