"""Writes of the assessment journey: set up, invite, answer, submit, publish."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import AuditEvent, Organisation, User, hash_token, new_token

from . import emails, loading, scoring, statements
from .addresses import Invitee
from .models import (
    DEFAULT_ANONYMITY_THRESHOLD,
    DEFAULT_REMINDER_DAYS_BEFORE,
    IMPORTANCE,
    LEVELS,
    Answer,
    Assessment,
    AssessmentPillarSummary,
    PillarScore,
    Progress,
    Question,
    Questionnaire,
    ReplacedLink,
    RespondentContact,
    Response,
    ResultSnapshot,
)
from .results import benchmark, entries, publication


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
    send_reminder: bool = True,
    reminder_days_before: int = DEFAULT_REMINDER_DAYS_BEFORE,
    report_language: str = settings.LANGUAGE_CODE,
) -> Assessment:
    assessment = Assessment.objects.create(
        organisation=organisation,
        questionnaire=questionnaire,
        title=title,
        closes_on=closes_on,
        anonymity_threshold=anonymity_threshold,
        send_reminder=send_reminder,
        reminder_days_before=reminder_days_before,
        report_language=report_language,
        created_by=created_by,
    )
    entries.refresh_entries([organisation.pk])
    return assessment


class CannotOpen(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@transaction.atomic
def open_assessment(*, assessment: Assessment) -> None:
    """Open for answers, or reopen a closed assessment (which leaves the benchmark).

    A closing date in the past would open it with links that refuse every answer, so it
    is refused (CannotOpen) until the date is moved.
    """
    if assessment.closes_on is not None and assessment.closes_on < timezone.localdate():
        raise CannotOpen(
            _("The closing date has passed: set a closing date in the future, then open it.")
        )
    assessment.status = Assessment.Status.OPEN
    assessment.opened_at = assessment.opened_at or timezone.now()
    assessment.closed_at = None
    assessment.save(update_fields=["status", "opened_at", "closed_at"])
    refresh_assessment_summary(assessment=assessment)


@transaction.atomic
def close_assessment(
    *,
    assessment: Assessment,
    closed_by: User | None = None,
    dismissals: Mapping[str, str] | None = None,
) -> ResultSnapshot | None:
    """Close: links stop taking answers, and the final results are published if they may be
    (with the consultant's `dismissals`, as `publication.publish_results` takes them).

    Returns the new snapshot, or None when fewer than the threshold responses arrived
    since the previous one (which then stays what the client's management sees).
    """
    assessment.status = Assessment.Status.CLOSED
    assessment.closed_at = timezone.now()
    assessment.save(update_fields=["status", "closed_at"])
    refresh_assessment_summary(assessment=assessment)
    try:
        snapshot = publication.publish_results(
            assessment=assessment,
            published_by=closed_by,
            kind=ResultSnapshot.Kind.FINAL,
            dismissals=dismissals,
        )
    except publication.PublishRefused:
        return None
    # A closing publication may complete the next benchmark release (due at most daily).
    benchmark.release_benchmark()
    return snapshot


def close_due_assessments(*, organisation: Organisation | None = None) -> int:
    """Close the open assessments whose last day has passed (publishing their final results).

    Pages call it before listing assessments, and `close_due_assessments` runs it for all
    organisations from a scheduler, so that no page shows open what no longer takes answers.
    """
    due = Assessment.objects.filter(
        status=Assessment.Status.OPEN, closes_on__lt=timezone.localdate()
    ).select_related("questionnaire", "organisation")
    if organisation is not None:
        due = due.filter(organisation=organisation)
    closed = 0
    for assessment in due:
        close_assessment(assessment=assessment)
        closed += 1
    return closed


def respondent_url(token: str) -> str:
    return settings.SITE_URL + reverse("respond:start", kwargs={"token": token})


def invitation_refusal(assessment: Assessment) -> str:
    """Why no personal link may be sent now, in words for the consultant; "" if one may."""
    if assessment.status == Assessment.Status.DRAFT:
        return _("Open the assessment before inviting: links of a draft do not work yet.")
    if assessment.status == Assessment.Status.CLOSED or assessment.is_past_closing_date:
        return _("The assessment is closed: links would not work. Reopen it to invite.")
    return ""


class InvitationsClosed(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def create_respondent_link(
    *, assessment: Assessment, email: str = "", name: str = ""
) -> tuple[Response, str]:
    """A new response with its personal link; the token is returned once and stored hashed.

    The address and name go to a contact row of their own, apart from the answers.
    """
    link = _new_link(assessment=assessment, email=email, name=name)
    entries.refresh_entries([assessment.organisation_id])
    return link


def _new_link(*, assessment: Assessment, email: str, name: str) -> tuple[Response, str]:
    token = new_token()
    with transaction.atomic():
        response = Response.objects.create(assessment=assessment, token_hash=hash_token(token))
        if email.strip() or name.strip():
            RespondentContact.objects.create(
                response=response, email=email.strip().lower(), name=name.strip()
            )
    return response, token


def invite_respondents(
    *, assessment: Assessment, invitees: Iterable[Invitee], sent_by: User | None
) -> list[Response]:
    """E-mail a personal link to each invitee who has no active link for this assessment yet.

    Refused (InvitationsClosed) while the assessment is a draft or closed: the links would
    not work.
    """
    refusal = invitation_refusal(assessment)
    if refusal:
        raise InvitationsClosed(refusal)
    already = set(assessment.responses.active().values_list("contact__email", flat=True))
    invited = []
    for invitee in invitees:
        email = invitee.email.strip().lower()
        if not email or email in already:
            continue
        already.add(email)
        response, token = _new_link(assessment=assessment, email=email, name=invitee.name)
        emails.send_respondent_link(response=response, token=token, sent_by=sent_by)
        invited.append(response)
    entries.refresh_entries([assessment.organisation_id])
    return invited


@transaction.atomic
def resend_link(*, response: Response, sent_by: User | None) -> None:
    """Send a fresh link; the previous one stops working (its page says a newer one was
    sent), the answers stay."""
    refusal = invitation_refusal(response.assessment)
    if refusal:
        raise InvitationsClosed(refusal)
    ReplacedLink.objects.create(response=response, token_hash=response.token_hash)
    token = new_token()
    response.token_hash = hash_token(token)
    response.revoked_at = None
    response.save(update_fields=["token_hash", "revoked_at"])
    entries.refresh_entries([response.assessment.organisation_id])
    emails.send_respondent_link(
        response=response, token=token, sent_by=sent_by, replaces_earlier=True
    )


def revoke_link(*, response: Response) -> None:
    """Withdraw a personal link that has not been used to submit.

    A submitted response is part of the results; removing a person's answers is an
    erasure, not a withdrawn link.
    """
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.is_submitted:
            raise ResponseClosed("submitted")
        locked.revoked_at = response.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        entries.refresh_entries([response.assessment.organisation_id])


@transaction.atomic
def delete_answers(*, answers: QuerySet[Answer]) -> None:
    """Delete answers, and recompute the stored figures of the assessments they counted in."""
    assessments = list(
        Assessment.objects.filter(responses__answers__in=answers)
        .distinct()
        .select_related("questionnaire")
    )
    answers.delete()
    for assessment in assessments:
        recompute_scores(assessment=assessment)


@transaction.atomic
def delete_response(*, response: Response) -> None:
    """Delete a response with its answers, and keep the stored figures true without it."""
    assessment = response.assessment
    response.delete()
    refresh_assessment_summary(assessment=assessment)


@transaction.atomic
def erase_respondent(*, response: Response, erased_by: User | None) -> None:
    """Erase one respondent's data on their request: answers, comments, address and link.

    Published snapshots stay as published (aggregates over at least the anonymity
    threshold); the audit log keeps that an erasure happened, and when, without any of the
    person's data, so that a snapshot older than it can say so.
    """
    response = Response.objects.select_related("assessment__organisation").get(pk=response.pk)
    assessment = response.assessment
    audit.record(
        AuditEvent.Action.ERASED,
        actor=erased_by,
        organisation=assessment.organisation,
        subject=assessment,
        was_submitted=response.is_submitted,
    )
    delete_response(response=response)


def erasures_since(assessment: Assessment, moment) -> int:
    """How many respondents' data was erased from an assessment after `moment`."""
    return audit.events_about(assessment, AuditEvent.Action.ERASED).filter(at__gt=moment).count()


@transaction.atomic
def purge_personal_data(*, retention_days: int | None = None) -> int:
    """Remove the addresses and names of respondents of assessments closed for longer than
    the retention period. Answers stay (they carry no name); returns how many were removed.
    """
    days = settings.PERSONAL_DATA_RETENTION_DAYS if retention_days is None else retention_days
    cutoff = timezone.now() - timedelta(days=days)
    contacts = RespondentContact.objects.filter(
        response__assessment__status=Assessment.Status.CLOSED,
        response__assessment__closed_at__lt=cutoff,
    )
    purged, _ = contacts.delete()
    if purged:
        audit.record(AuditEvent.Action.PURGED, actor=None, contacts=purged, retention_days=days)
    return purged


def find_response(token: str) -> Response:
    """The response behind a personal link, whatever its state; Response.DoesNotExist if none."""
    return Response.objects.select_related(
        "assessment__organisation", "assessment__created_by"
    ).get(token_hash=hash_token(token))


def find_replaced_link(token: str) -> ReplacedLink | None:
    """The record of a link that a newer one replaced, if this is one."""
    return (
        ReplacedLink.objects.select_related("response__assessment__organisation")
        .filter(token_hash=hash_token(token))
        .first()
    )


def why_not_editable(response: Response) -> str:
    """Why the respondent may no longer change their answers ("revoked", "submitted",
    "closed"), or "" while they may."""
    if response.revoked_at is not None:
        return "revoked"
    if response.submitted_at is not None:
        return "submitted"
    if not response.assessment.is_accepting_answers:
        return "closed"
    return ""


def ensure_editable(response: Response) -> None:
    """Raise ResponseClosed unless the respondent may still change their answers."""
    if reason := why_not_editable(response):
        raise ResponseClosed(reason)


def start_response(
    *, response: Response, perspective: str, sees_all_questions: bool = False
) -> None:
    ensure_editable(response)
    response.perspective = perspective
    response.sees_all_questions = sees_all_questions
    response.started_at = response.started_at or timezone.now()
    response.save(update_fields=["perspective", "sees_all_questions", "started_at"])


def save_importance(*, response: Response, ratings: Mapping[str, int]) -> None:
    ensure_editable(response)
    pillar_codes = set(response.assessment.questionnaire.pillars.values_list("code", flat=True))
    if set(ratings) != pillar_codes or any(value not in IMPORTANCE for value in ratings.values()):
        raise InvalidAnswer(_("Rate every pillar from 1 to 5."))
    response.importance = dict(ratings)
    response.save(update_fields=["importance"])


def check_level(level: int | None, dont_know: bool) -> None:
    """A level 0..4 or *don't know*, never both: the one rule for answers and votes."""
    if level is not None and level not in LEVELS:
        raise InvalidAnswer(_("Choose a level from 0 to 4."))
    if level is not None and dont_know:
        raise InvalidAnswer(_("Choose a level or “Don't know”, not both."))


def upsert_level(model, *, keys: dict, level: int | None, dont_know: bool, **fields) -> None:
    """The one write of a level, for an answer and a workshop vote alike.

    One `INSERT … ON CONFLICT` on `keys` (a unique constraint of `model`), so a double tap
    or two tabs leave exactly one row, holding the last value.
    """
    model.objects.bulk_create(
        [model(**keys, level=level, dont_know=dont_know, updated_at=timezone.now(), **fields)],
        update_conflicts=True,
        unique_fields=list(keys),
        update_fields=["level", "dont_know", "updated_at", *fields],
    )


# What the locked read of a response gives of each answer it holds (None for each when none).
ANSWER_COLUMNS = ("question_id", "level", "dont_know", "comment", "version")
RESPONSE_COLUMNS = tuple(field.attname for field in Response._meta.concrete_fields)
ASSESSMENT_COLUMNS = tuple(field.attname for field in Assessment._meta.concrete_fields)


# Compiled once per connection (`statements`): resolving some thirty columns through their
# joins costs more than the statement takes in the database. Unordered: the rows are one
# response's, and sorting them would only cost compiling and the database.
def _link_locked_read(pk, token_hash) -> QuerySet[Response]:
    return (
        Response.objects.select_for_update(of=("self",))
        .order_by()
        .filter(pk=pk, token_hash=token_hash)
        .values_list(
            *RESPONSE_COLUMNS,
            *(f"assessment__{column}" for column in ASSESSMENT_COLUMNS),
            *(f"answers__{column}" for column in ANSWER_COLUMNS),
        )
    )


def _locked_read(pk) -> QuerySet[Response]:
    return (
        Response.objects.select_for_update(of=("self",))
        .order_by()
        .filter(pk=pk)
        .values_list(
            "submitted_at",
            "revoked_at",
            "started_at",
            *(f"answers__{column}" for column in ANSWER_COLUMNS),
        )
    )


def _locked_rows(build, *parameters) -> list[tuple]:
    """Run a locked read; like `select_for_update`, only inside a transaction."""
    connection = transaction.get_connection()
    if connection.get_autocommit():
        raise transaction.TransactionManagementError("a locked read needs a transaction")
    # Markers: an id and a text no real parameter takes, one per parameter.
    markers = [-1, "(token)"][: len(parameters)]
    with connection.cursor() as cursor:
        return statements.compiled_read(build, markers).rows(cursor, *parameters)


def lock_response(*, pk: int, token_hash: str) -> Response | None:
    """The response of a respondent's link, its row locked until the transaction ends, or
    None. Call it inside `transaction.atomic()`.

    One statement reads the response, its assessment and the answers it holds (one row per
    answer), so that a following `save_answer` in the same transaction has nothing left to
    read before it writes: the link's lookup is the save's locked read.
    """
    rows = _locked_rows(_link_locked_read, pk, token_hash)
    if not rows:
        return None
    database = Response.objects.db
    first, assessment_end = rows[0], len(RESPONSE_COLUMNS) + len(ASSESSMENT_COLUMNS)
    response = Response.from_db(database, RESPONSE_COLUMNS, first[: len(RESPONSE_COLUMNS)])
    response.assessment = Assessment.from_db(
        database, ASSESSMENT_COLUMNS, first[len(RESPONSE_COLUMNS) : assessment_end]
    )
    # Good while the atomic block that read them lasts (the lock lasts longer).
    block = transaction.get_connection().atomic_blocks[-1]
    response._locked_answers = (block, [row[assessment_end:] for row in rows])
    return response


def _lock_and_read_answers(response: Response) -> list[tuple] | None:
    """Lock the response's row and read the answers it holds (as ANSWER_COLUMNS), bringing
    its state (submitted, revoked, started) up to date; None once the response is gone.

    What `lock_response` read in this transaction is used once instead of reading again.
    """
    locked = response.__dict__.pop("_locked_answers", None)
    if locked is not None and locked[0] in transaction.get_connection().atomic_blocks:
        return locked[1]
    rows = _locked_rows(_locked_read, response.pk)
    if not rows:
        return None
    response.submitted_at, response.revoked_at, response.started_at = rows[0][:3]
    return [row[3:] for row in rows]


class Keep(Enum):
    """What a form leaves out: the saved value stays as it is."""

    KEEP = "keep"


KEEP = Keep.KEEP


class StaleAnswer(Exception):
    """The answer was changed (on another device, in another tab) after the page that sent
    this save was shown. `saved` is the answer as it stands (version 0: there is none),
    `mine` the answer this save would have made; both unsaved instances."""

    def __init__(self, *, saved: Answer, mine: Answer):
        super().__init__(f"version {saved.version} is saved")
        self.saved = saved
        self.mine = mine


@dataclass(frozen=True)
class SavedAnswer:
    progress: Progress
    version: int  # of the answer as it now stands; 0 when there is none


def save_answer(
    *,
    response: Response,
    question: Question,
    level: int | Keep | None = KEEP,
    dont_know: bool = False,
    comment: str | Keep = KEEP,
    version: int | None = None,
) -> SavedAnswer:
    """Save one answer the moment it is given; saving it again overwrites, never duplicates.
    Returns the respondent's progress with this answer, and the answer's version.

    Whatever is not given stays as saved: `level=KEEP` (and no *don't know*) keeps the level
    or *don't know*, `comment=KEEP` the comment. Clearing is said outright: `level=None`
    clears the level, `comment=""` the comment; an answer left with neither goes.

    `version`: the version of the answer that the sending page showed (0: none). When the
    answer has changed since and this save would change it again, nothing is written and
    StaleAnswer says what is saved. Without a version, the last save wins.

    Two statements (three on a respondent's first answer): the response row is locked, as
    `submit_response` locks it, so that a save racing a submission either lands before it
    or is refused after it, and read with the answers it holds; then `upsert_level`, or
    nothing when the answer stays the same. Every write of an answer takes that lock, so
    the version read under it is the one the write replaces. One statement only after
    `lock_response` in the same transaction: its read is the locked read. `response` must
    come with its assessment.
    """
    ensure_editable(response)
    if question.questionnaire_id != response.assessment.questionnaire_id:
        raise InvalidAnswer(_("This question is not part of this assessment."))
    if level is not KEEP or dont_know:
        check_level(None if level is KEEP else level, dont_know)
    if comment is not KEEP:
        comment = comment.strip()
    stale = None
    # No savepoint inside a page's transaction, and nothing raised inside the block: a
    # refusal is raised after it, so the caller's transaction stays usable.
    with transaction.atomic(savepoint=False):
        # One row per answer (one without any); only the response's row is locked.
        rows = _lock_and_read_answers(response)
        # As it stands now, under the lock.
        refusal = "revoked" if rows is None else why_not_editable(response)
        if not refusal:
            saved = _stored_answer(rows, question)
            if dont_know:
                level = None
            elif level is KEEP:
                level, dont_know = saved.level, saved.dont_know
            if comment is KEEP:
                comment = saved.comment
            unchanged = (level, dont_know, comment) == (
                saved.level,
                saved.dont_know,
                saved.comment,
            )
            if unchanged:
                new_version = saved.version
            elif version is not None and version != saved.version:
                stale = StaleAnswer(
                    saved=saved,
                    mine=Answer(
                        question=question,
                        level=level,
                        dont_know=dont_know,
                        comment=comment,
                        version=saved.version,
                    ),
                )
            else:
                new_version = _write_answer(
                    response, question, level, dont_know, comment, version=saved.version + 1
                )
    if refusal:
        raise ResponseClosed(refusal)
    if stale is not None:
        raise stale
    answered = {
        question_id
        for question_id, answer_level, answer_dont_know, _comment, _version in rows
        if question_id is not None and (answer_level is not None or answer_dont_know)
    }
    answered.discard(question.pk)
    if level is not None or dont_know:
        answered.add(question.pk)
    return SavedAnswer(progress=response.progress_of(answered), version=new_version)


def _stored_answer(rows: list[tuple], question: Question) -> Answer:
    """The question's answer among the rows of the locked read, unsaved; version 0: none."""
    for question_id, level, dont_know, comment, version in rows:
        if question_id == question.pk:
            return Answer(
                question=question,
                level=level,
                dont_know=dont_know,
                comment=comment,
                version=version,
            )
    return Answer(question=question, level=None, dont_know=False, comment="", version=0)


def _write_answer(
    response: Response,
    question: Question,
    level: int | None,
    dont_know: bool,
    comment: str,
    *,
    version: int,
) -> int:
    """Write the answer as `version`; return its version now (0 once it is gone)."""
    if level is None and not dont_know and not comment:
        Answer.objects.filter(response=response, question=question).delete()
        return 0
    upsert_level(
        Answer,
        keys={"response": response, "question": question},
        level=level,
        dont_know=dont_know,
        comment=comment,
        version=version,
    )
    if response.started_at is None:
        response.started_at = timezone.now()
        Response.objects.filter(pk=response.pk).update(started_at=response.started_at)
    return version


def share_comment(*, answer: Answer, shared: bool) -> None:
    """Choose a submitted comment for the client's management and reports, or take it back.

    Only comments of submitted responses can be shared: a draft may still change.
    """
    submitted = Response.objects.filter(pk=answer.response_id, submitted_at__isnull=False)
    if shared and not submitted.exists():
        raise InvalidAnswer(_("Only comments of submitted responses can be shared."))
    if not answer.comment:
        raise InvalidAnswer(_("This answer has no comment to share."))
    answer.comment_shared_at = timezone.now() if shared else None
    answer.save(update_fields=["comment_shared_at"])


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
            blockers=list(score.blockers),
        )
        for response_input in inputs
        for score in scoring.score_response(rules, response_input).values()
    )


def refresh_assessment_summary(*, assessment: Assessment) -> None:
    """Rebuild the stored pillar means from the responses that count now, and what the
    lists read of them (the portfolio's entries, the live headline by the task worker)."""
    assessment.pillar_summaries.all().delete()
    AssessmentPillarSummary.objects.bulk_create(loading.summary_rows(assessment))
    entries.figures_changed(assessment)


@transaction.atomic
def recompute_scores(*, assessment: Assessment) -> int:
    """Recompute the stored figures of every submitted response of an assessment."""
    responses = list(Response.objects.submitted().filter(assessment=assessment))
    store_response_scores(rules=loading.assessment_rules(assessment), responses=responses)
    refresh_assessment_summary(assessment=assessment)
    return len(responses)
