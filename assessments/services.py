"""Writes of the assessment journey: set up, invite, answer, submit."""

from collections.abc import Iterable, Mapping
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User, hash_token, new_token

from . import loading, scoring
from .models import (
    DEFAULT_ANONYMITY_THRESHOLD,
    IMPORTANCE,
    LEVELS,
    Answer,
    Assessment,
    AssessmentPillarSummary,
    PillarScore,
    Question,
    Questionnaire,
    Response,
)


class ResponseClosed(Exception):
    """The response no longer takes answers; `reason` says why, in words for the respondent."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class InvalidAnswer(ValueError):
    pass


def create_assessment(
    *,
    organisation: Organisation,
    questionnaire: Questionnaire,
    title: str,
    created_by: User | None,
    closes_on: date | None = None,
    anonymity_threshold: int = DEFAULT_ANONYMITY_THRESHOLD,
) -> Assessment:
    return Assessment.objects.create(
        organisation=organisation,
        questionnaire=questionnaire,
        title=title,
        closes_on=closes_on,
        anonymity_threshold=anonymity_threshold,
        created_by=created_by,
    )


def open_assessment(*, assessment: Assessment) -> None:
    assessment.status = Assessment.Status.OPEN
    assessment.opened_at = assessment.opened_at or timezone.now()
    assessment.closed_at = None
    assessment.save(update_fields=["status", "opened_at", "closed_at"])


def close_assessment(*, assessment: Assessment) -> None:
    assessment.status = Assessment.Status.CLOSED
    assessment.closed_at = timezone.now()
    assessment.save(update_fields=["status", "closed_at"])


def respondent_url(token: str) -> str:
    return settings.SITE_URL + reverse("respond:start", kwargs={"token": token})


def _send_link(response: Response, token: str) -> None:
    context = {
        "response": response,
        "assessment": response.assessment,
        "url": respondent_url(token),
    }
    send_mail(
        subject=render_to_string("assessments/email/respondent_subject.txt", context).strip(),
        message=render_to_string("assessments/email/respondent.txt", context),
        from_email=None,
        recipient_list=[response.email],
    )


def create_respondent_link(*, assessment: Assessment, email: str = "") -> tuple[Response, str]:
    """A new response with its personal link; the token is returned once and stored hashed."""
    token = new_token()
    response = Response.objects.create(
        assessment=assessment, email=email.strip().lower(), token_hash=hash_token(token)
    )
    return response, token


def invite_respondents(*, assessment: Assessment, emails: Iterable[str]) -> list[Response]:
    """E-mail a personal link to each address that has no active link for this assessment yet."""
    already = set(assessment.responses.active().values_list("email", flat=True))
    invited = []
    for email in dict.fromkeys(e.strip().lower() for e in emails if e.strip()):
        if email in already:
            continue
        response, token = create_respondent_link(assessment=assessment, email=email)
        _send_link(response, token)
        invited.append(response)
    return invited


def resend_link(*, response: Response) -> None:
    """Send a fresh link; the previous one stops working, the answers stay."""
    token = new_token()
    response.token_hash = hash_token(token)
    response.revoked_at = None
    response.save(update_fields=["token_hash", "revoked_at"])
    _send_link(response, token)


def revoke_link(*, response: Response) -> None:
    response.revoked_at = timezone.now()
    response.save(update_fields=["revoked_at"])


def find_response(token: str) -> Response:
    """The response behind a personal link, whatever its state; Response.DoesNotExist if none."""
    return Response.objects.select_related("assessment__organisation").get(
        token_hash=hash_token(token)
    )


def ensure_editable(response: Response) -> None:
    """Raise ResponseClosed unless the respondent may still change their answers."""
    if response.revoked_at is not None:
        raise ResponseClosed("revoked")
    if response.submitted_at is not None:
        raise ResponseClosed("submitted")
    if not response.assessment.is_accepting_answers:
        raise ResponseClosed("closed")


def start_response(*, response: Response, perspective: str) -> None:
    ensure_editable(response)
    response.perspective = perspective
    response.started_at = response.started_at or timezone.now()
    response.save(update_fields=["perspective", "started_at"])


def save_importance(*, response: Response, ratings: Mapping[str, int]) -> None:
    ensure_editable(response)
    pillar_codes = set(response.assessment.questionnaire.pillars.values_list("code", flat=True))
    if set(ratings) != pillar_codes or any(value not in IMPORTANCE for value in ratings.values()):
        raise InvalidAnswer(_("Rate every pillar from 1 to 5."))
    response.importance = dict(ratings)
    response.save(update_fields=["importance"])


def save_answer(
    *,
    response: Response,
    question: Question,
    level: int | None,
    dont_know: bool = False,
    comment: str = "",
) -> None:
    """Save one answer the moment it is given; saving it again overwrites, never duplicates.

    One INSERT … ON CONFLICT statement, so two saves at once still leave exactly one row.
    An answer with no level, no *don't know* and no comment clears what was saved.
    """
    ensure_editable(response)
    if question.questionnaire_id != response.assessment.questionnaire_id:
        raise InvalidAnswer(_("This question is not part of this assessment."))
    if level is not None and level not in LEVELS:
        raise InvalidAnswer(_("Choose a level from 0 to 4."))
    if level is not None and dont_know:
        raise InvalidAnswer(_("Choose a level or “Don't know”, not both."))
    comment = comment.strip()
    if level is None and not dont_know and not comment:
        Answer.objects.filter(response=response, question=question).delete()
        return
    Answer.objects.bulk_create(
        [
            Answer(
                response=response,
                question=question,
                level=level,
                dont_know=dont_know,
                comment=comment,
                updated_at=timezone.now(),
            )
        ],
        update_conflicts=True,
        unique_fields=["response", "question"],
        update_fields=["level", "dont_know", "comment", "updated_at"],
    )
    if response.started_at is None:
        response.started_at = timezone.now()
        response.save(update_fields=["started_at"])


@transaction.atomic
def submit_response(*, response: Response) -> None:
    """Hand in the response; from now on it is read-only and counts in the results."""
    response = (
        Response.objects.select_for_update()
        .select_related("assessment__questionnaire")
        .get(pk=response.pk)
    )
    ensure_editable(response)
    response.submitted_at = timezone.now()
    response.save(update_fields=["submitted_at"])
    rules = loading.assessment_rules(response.assessment)
    store_response_scores(rules=rules, responses=[response])
    refresh_assessment_summary(assessment=response.assessment)


def store_response_scores(*, rules: scoring.Rules, responses: list[Response]) -> None:
    """Store each response's per-pillar figures, replacing what was stored before."""
    inputs = loading.load_responses(Response.objects.filter(pk__in=[r.pk for r in responses]))
    PillarScore.objects.filter(response__in=responses).delete()
    PillarScore.objects.bulk_create(
        PillarScore(
            response_id=response_input.id,
            pillar=score.pillar,
            maturity=score.maturity,
            coverage=score.coverage,
            answered=score.answered,
            dont_know=score.dont_know,
            importance=score.importance,
            red_flags=list(score.red_flags),
        )
        for response_input in inputs
        for score in scoring.score_response(rules, response_input).values()
    )


def refresh_assessment_summary(*, assessment: Assessment) -> None:
    assessment.pillar_summaries.all().delete()
    AssessmentPillarSummary.objects.bulk_create(loading.summary_rows(assessment))


@transaction.atomic
def recompute_scores(*, assessment: Assessment) -> int:
    """Recompute the stored figures of every submitted response of an assessment."""
    responses = list(Response.objects.submitted().filter(assessment=assessment))
    store_response_scores(rules=loading.assessment_rules(assessment), responses=responses)
    refresh_assessment_summary(assessment=assessment)
    return len(responses)
