"""Live workshops: start a session, let people join, drive it, vote, agree on answers, end.

Everything the room sees lives in the database, never in process memory, so any app
container can answer any participant. Every move of the presenter locks the session row,
so that two clicks or two presenter tabs apply one after the other, and raises the
session's `revision`: participants' pages send it back as their ETag and get a 304 while
nothing has moved.

A vote is one `INSERT … ON CONFLICT` row per participant, question and round (a double tap
or a second tab leaves one row). When a session that counts in the results ends, each
participant's last votes become one submitted response of the assessment, through the
same services as a personal link (`services.save_answer`, `services.submit_response`), so
stored figures and summaries stay true.
"""

import re
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Count, Exists, Max, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User

from . import loading, scoring, services
from .models import (
    DEFAULT_MIN_VOTED_SHARE,
    DISPLAY_NAME_MAX_LENGTH,
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    LEVELS,
    MAX_PARTICIPANTS,
    NOTE_MAX_LENGTH,
    PARTICIPANT_MARGIN,
    Assessment,
    Participant,
    Perspective,
    Question,
    Response,
    Vote,
    WorkshopQuestion,
    WorkshopSession,
)

MIN_VOTES_SHOWN = scoring.WORKSHOP_MIN_VOTES
CODE_ATTEMPTS = 20
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class WorkshopRefused(Exception):
    """The move or vote cannot happen now; `message` says why, in words for the person.

    `retry_after`: seconds after which trying again may succeed (a rate limit), else None.
    """

    def __init__(self, message: str, *, status: int = 409, retry_after: int | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after


# --- Join codes -------------------------------------------------------------------------------


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_code(raw: str) -> str | None:
    """The code as typed or spoken ("ab3 k9x", "AB3-K9X") in canonical form, or None.

    Case does not matter, nor spaces or dashes between the characters. A 0 or 1 was
    never part of a code, so it is read as the O or I that looks like it is not: no code
    holds those either, and the code is refused.
    """
    code = re.sub(r"[\s-]", "", raw or "").upper()
    if len(code) != JOIN_CODE_LENGTH or any(char not in JOIN_CODE_ALPHABET for char in code):
        return None
    return code


def find_session(code: str) -> WorkshopSession | None:
    """The live session with this code, or else the latest ended one (to say it has ended)."""
    return (
        WorkshopSession.objects.filter(code=code)
        .select_related("assessment__organisation")
        .annotate(ended=Case(When(status=WorkshopSession.Status.ENDED, then=1), default=0))
        .order_by("ended", "-created_at", "-pk")
        .first()
    )


# --- Starting ---------------------------------------------------------------------------------


def contested_candidates(
    assessment: Assessment, *, limit: int = scoring.DEFAULT_CONTESTED_LIMIT
) -> list[tuple[Question, scoring.ContestedQuestion]]:
    """The most contested questions of the answers submitted so far, with why."""
    rules = loading.assessment_rules(assessment)
    result = loading.score_assessment(assessment)
    contested = scoring.contested_questions(result, rules, limit=limit)
    questions = {
        question.code: question
        for question in assessment.questionnaire.questions.select_related("pillar").filter(
            code__in=[item.code for item in contested]
        )
    }
    return [(questions[item.code], item) for item in contested]


def _questions_for(
    assessment: Assessment, scope: str, pillars: list[str], limit: int
) -> list[Question]:
    questions = assessment.questionnaire.questions.order_by("pillar__order", "order")
    if scope == WorkshopSession.Scope.ALL:
        return list(questions)
    if scope == WorkshopSession.Scope.PILLARS:
        return list(questions.filter(pillar__code__in=pillars))
    if scope == WorkshopSession.Scope.CONTESTED:
        # Most contested first: the room starts where people disagree most.
        return [question for question, _ in contested_candidates(assessment, limit=limit)]
    raise ValueError(f"Unknown scope {scope!r}.")


def default_max_participants(assessment: Assessment) -> int:
    """The assessment's invitees (active personal links) plus a margin for people brought
    along: the room holds who was asked, not whoever has the code."""
    invitees = assessment.responses.active().filter(workshop_session__isnull=True).count()
    return min(invitees + PARTICIPANT_MARGIN, MAX_PARTICIPANTS)


def counts_by_default(scope: str) -> bool:
    """Contested questions come from people who already answered the survey: counting their
    votes as responses would count them twice. Fresh questions count."""
    return scope != WorkshopSession.Scope.CONTESTED


@transaction.atomic
def start_session(
    *,
    assessment: Assessment,
    scope: str,
    created_by: User | None,
    pillars: list[str] | tuple[str, ...] = (),
    contested_limit: int = scoring.DEFAULT_CONTESTED_LIMIT,
    counts_in_results: bool | None = None,
    auto_reveal: bool = False,
    min_voted_share: float = DEFAULT_MIN_VOTED_SHARE,
    max_participants: int | None = None,
) -> WorkshopSession:
    """A new session in the lobby, its questions in order and a join code no live session has.

    `counts_in_results` None takes the scope's default (`counts_by_default`);
    `max_participants` None, the invitees plus a margin (`default_max_participants`). Refused
    when the scope holds no question, or when the votes should count but the assessment does
    not take answers.
    """
    if max_participants is None:
        max_participants = default_max_participants(assessment)
    if not 1 <= max_participants <= MAX_PARTICIPANTS:
        raise WorkshopRefused(
            _("Allow between 1 and %(max)d participants.") % {"max": MAX_PARTICIPANTS},
            status=400,
        )
    if not 0 <= min_voted_share <= 1:
        raise WorkshopRefused(_("The share of questions to count lies between 0 and 100 %."))
    if counts_in_results is None:
        counts_in_results = counts_by_default(scope)
    if counts_in_results and not assessment.is_accepting_answers:
        raise WorkshopRefused(
            _(
                "The assessment is not open for answers, so the votes could not count in its "
                "results. Open it first, or start a session whose votes do not count."
            )
        )
    pillars = sorted(set(pillars)) if scope == WorkshopSession.Scope.PILLARS else []
    questions = _questions_for(assessment, scope, pillars, contested_limit)
    if not questions:
        raise WorkshopRefused(
            _("No question to discuss: contested questions need submitted answers first.")
            if scope == WorkshopSession.Scope.CONTESTED
            else _("Choose at least one pillar.")
        )
    session = None
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                session = WorkshopSession.objects.create(
                    assessment=assessment,
                    code=new_join_code(),
                    scope=scope,
                    pillars=pillars,
                    counts_in_results=counts_in_results,
                    auto_reveal=auto_reveal,
                    min_voted_share=min_voted_share,
                    max_participants=max_participants,
                    created_by=created_by,
                )
            break
        except IntegrityError:
            continue  # that code is in use by a live session: draw another
    if session is None:
        raise RuntimeError("No free join code after several attempts.")
    WorkshopQuestion.objects.bulk_create(
        WorkshopQuestion(session=session, question=question, position=position)
        for position, question in enumerate(questions)
    )
    session.current = session.questions.get(position=0)
    session.save(update_fields=["current"])
    return session


# --- Joining ----------------------------------------------------------------------------------


def clean_display_name(raw: str) -> str:
    name = " ".join((raw or "").split())
    if CONTROL_CHARACTERS.search(name):
        raise WorkshopRefused(_("A name cannot contain control characters."), status=400)
    if len(name) > DISPLAY_NAME_MAX_LENGTH:
        raise WorkshopRefused(
            _("A name can be at most %(max)d characters long.") % {"max": DISPLAY_NAME_MAX_LENGTH},
            status=400,
        )
    return name


@dataclass(frozen=True)
class JoinLimits:
    """How many joins a session takes in `window` seconds: from one address, and in all."""

    per_address: int
    per_session: int
    window: int


def join_limits() -> JoinLimits:
    return JoinLimits(
        per_address=settings.WORKSHOP_JOINS_PER_ADDRESS,
        per_session=settings.WORKSHOP_JOINS_PER_SESSION,
        window=settings.WORKSHOP_JOIN_WINDOW_SECONDS,
    )


def hash_address(session: WorkshopSession, address: str) -> str:
    """A keyed hash of the address, particular to the session: enough to count joins from
    one address, useless for telling where anybody was."""
    if not address:
        return ""
    key = "assessments.workshops.join-address"
    return salted_hmac(key, f"{session.pk}:{address}", algorithm="sha256").hexdigest()


def _check_room_for(locked: WorkshopSession, address_hash: str) -> None:
    """Refuse a join when the room is full, or when joins come faster than people do.

    Counted from the participants' rows under the session's lock, so the limits hold across
    every app container; removed participants count towards the rate (a flood the presenter
    cleaned up is still a flood), not towards the room's size.
    """
    present = locked.participants.present().count()
    if present >= locked.max_participants:
        raise WorkshopRefused(
            ngettext(
                "This workshop is full: %(count)d person has joined. Ask the presenter to "
                "make room for you.",
                "This workshop is full: %(count)d people have joined. Ask the presenter to "
                "make room for you.",
                present,
            )
            % {"count": present},
            status=403,
        )
    limits = join_limits()
    recent = locked.participants.filter(
        joined_at__gte=timezone.now() - timedelta(seconds=limits.window)
    )
    if recent.count() >= limits.per_session or (
        address_hash and recent.filter(address_hash=address_hash).count() >= limits.per_address
    ):
        raise WorkshopRefused(
            _("Many people are joining at once. Wait a minute, then try again, please."),
            status=429,
            retry_after=limits.window,
        )


@transaction.atomic
def join_session(
    *,
    session: WorkshopSession,
    perspective: str,
    display_name: str = "",
    address: str = "",
    response: Response | None = None,
) -> Participant:
    """A new participant with the next number and a random secret for their device's cookie.

    `address`: where the join came from, for the rate limit (only a keyed hash is kept).
    `response`: the invitee joining from their personal link. They are one person: their
    votes go into their own response, a second device gets the same place, and neither the
    room's size nor the rate limits keep an invitee out.
    """
    locked = WorkshopSession.objects.select_for_update().get(pk=session.pk)
    if locked.is_ended:
        raise WorkshopRefused(_("This workshop has ended."), status=410)
    if perspective not in Perspective.values:
        raise WorkshopRefused(_("Choose the perspective closest to your role."), status=400)
    name = clean_display_name(display_name)
    address_hash = hash_address(locked, address)
    if response is not None:
        if response.assessment_id != locked.assessment_id:
            raise WorkshopRefused(_("This workshop is about another assessment."), status=404)
        already = locked.participants.present().filter(response=response).first()
        if already is not None:
            return already
    else:
        _check_room_for(locked, address_hash)
    last = locked.participants.aggregate(last=Max("number"))["last"] or 0
    # No new revision: the presenter's screen sees the count change in its ETag, and the
    # phones already in the room need not refetch anything.
    return Participant.objects.create(
        session=locked,
        number=last + 1,
        display_name=name,
        perspective=perspective,
        secret=secrets.token_urlsafe(32),
        address_hash=address_hash,
        response=response,
    )


@transaction.atomic
def remove_participant(*, session: WorkshopSession, participant_id: int) -> Participant:
    """Take someone out of the room before the end: their votes are deleted, so they count
    nowhere, and their device's cookie stops working. Their place frees up."""
    locked = _lock(session)
    participant = locked.participants.present().filter(pk=participant_id).first()
    if participant is None:
        raise WorkshopRefused(_("This participant is not in this session."), status=404)
    participant.removed_at = timezone.now()
    participant.save(update_fields=["removed_at"])
    participant.votes.all().delete()
    for question in locked.questions.filter(agreed_level__isnull=False):
        _store_outcome(question, locked.consensus_share)
    _moved(locked)
    return participant


def live_sessions(assessment: Assessment):
    """The assessment's sessions people can still join, newest first."""
    return assessment.workshop_sessions.exclude(status=WorkshopSession.Status.ENDED).order_by(
        "-created_at", "-pk"
    )


# --- Driving ----------------------------------------------------------------------------------


def _lock(
    session: WorkshopSession, *, at: int | None = None, allow_ended: bool = False
) -> WorkshopSession:
    """The session row, locked until the transaction ends, with its current question.

    `at`: the position the presenter was looking at. A move meant for another question
    (a second presenter tab, a press that arrives after the screen moved on) is refused
    rather than applied to the wrong question.
    """
    locked = (
        WorkshopSession.objects.select_for_update(of=("self",))
        .select_related("current")
        .get(pk=session.pk)
    )
    if locked.is_ended and not allow_ended:
        raise WorkshopRefused(_("This session has ended: nothing can change any more."), status=410)
    if at is not None and (locked.current is None or locked.current.position != at):
        raise WorkshopRefused(_("The screen has moved on: this is the current question."))
    return locked


def _moved(session: WorkshopSession, *fields: str) -> None:
    """Save what changed and raise the revision, so that every page in the room catches up."""
    session.revision += 1
    session.save(update_fields=[*fields, "revision"])


def _start_running(session: WorkshopSession) -> list[str]:
    if session.status == WorkshopSession.Status.LOBBY:
        session.status = WorkshopSession.Status.RUNNING
        session.started_at = timezone.now()
        return ["status", "started_at"]
    return []


def _current(session: WorkshopSession) -> WorkshopQuestion:
    if session.current is None:
        raise WorkshopRefused(_("This session has no question."))
    return session.current


@transaction.atomic
def go_to(*, session: WorkshopSession, position: int, seen: int | None = None) -> WorkshopSession:
    """Show the question at `position`; voting closes, and every question keeps its rounds
    and votes.

    `seen`: the position the presenter moved from. When the session is no longer there (a
    double press, a second tab), nothing moves: "next" twice from question 3 is question 4.
    """
    locked = _lock(session)
    if seen is not None and locked.current is not None and locked.current.position != seen:
        return locked
    target = locked.questions.filter(position=position).first()
    if target is None:
        raise WorkshopRefused(
            _("This is the last question.") if position > 0 else _("This is the first question.")
        )
    locked.current = target
    locked.voting_open = False
    _moved(locked, "current", "voting_open", *_start_running(locked))
    return locked


@transaction.atomic
def open_voting(*, session: WorkshopSession, at: int | None = None) -> WorkshopSession:
    locked = _lock(session, at=at)
    current = _current(locked)
    if current.revealed:
        raise WorkshopRefused(
            _("The votes are revealed. Open a second round to vote again.")
            if current.round == 1
            else _("Both rounds of this question are done.")
        )
    locked.voting_open = True
    _moved(locked, "voting_open", *_start_running(locked))
    return locked


@transaction.atomic
def close_voting(*, session: WorkshopSession, at: int | None = None) -> WorkshopSession:
    locked = _lock(session, at=at)
    locked.voting_open = False
    _moved(locked, "voting_open")
    return locked


def vote_count(question: WorkshopQuestion, round: int) -> int:
    return Vote.objects.filter(question=question, round=round).count()


@transaction.atomic
def reveal(*, session: WorkshopSession, at: int | None = None) -> WorkshopSession:
    """Show the current round's distribution to the room; voting closes first.

    Refused below `MIN_VOTES_SHOWN` votes, so that nobody's vote can be singled out.
    """
    locked = _lock(session, at=at)
    current = _current(locked)
    votes = vote_count(current, current.round)
    if votes < MIN_VOTES_SHOWN:
        raise WorkshopRefused(
            ngettext(
                "%(count)d vote so far: the distribution is shown from %(min)d votes, so that "
                "nobody's vote can be singled out.",
                "%(count)d votes so far: the distribution is shown from %(min)d votes, so that "
                "nobody's vote can be singled out.",
                votes,
            )
            % {"count": votes, "min": MIN_VOTES_SHOWN}
        )
    current.revealed = True
    current.save(update_fields=["revealed"])
    locked.voting_open = False
    _moved(locked, "voting_open")
    return locked


@transaction.atomic
def open_second_round(*, session: WorkshopSession, at: int | None = None) -> WorkshopSession:
    """After the discussion, everyone votes again on the current question."""
    locked = _lock(session, at=at)
    current = _current(locked)
    if current.round == 2:
        raise WorkshopRefused(_("This question already had its second round."))
    if not current.revealed:
        raise WorkshopRefused(_("Reveal the first round before opening a second one."))
    current.round = 2
    current.revealed = False
    current.save(update_fields=["round", "revealed"])
    locked.voting_open = True
    _moved(locked, "voting_open")
    return locked


@transaction.atomic
def set_auto_reveal(*, session: WorkshopSession, on: bool) -> WorkshopSession:
    locked = _lock(session)
    locked.auto_reveal = on
    _moved(locked, "auto_reveal")
    return locked


def everyone_voted(*, joined: int, voted: int) -> bool:
    return joined >= MIN_VOTES_SHOWN and voted >= joined


# --- Agreeing ---------------------------------------------------------------------------------


def distributions(questions) -> dict[int, dict[int, tuple[list[int], int]]]:
    """Question id -> round -> (votes per level 0..4, don't know) of these questions: one
    query. A question or round without votes is absent."""
    found: dict[int, dict[int, tuple[list[int], int]]] = {}
    rows = (
        Vote.objects.filter(question__in=questions)
        .values_list("question_id", "round", "level", "dont_know")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for question_id, round_, level, dont_know, n in rows:
        rounds = found.setdefault(question_id, {})
        levels, unknown = rounds.setdefault(round_, ([0] * len(LEVELS), 0))
        if dont_know:
            rounds[round_] = (levels, unknown + n)
        else:
            levels[level] += n
    return found


def final_round(found: dict[int, tuple[list[int], int]]) -> int | None:
    return max(found) if found else None


def _outcome(question: WorkshopQuestion, required_share: float) -> scoring.ConsensusOutcome | None:
    if question.agreed_level is None:
        return None
    found = distributions([question]).get(question.pk, {})
    last = final_round(found)
    if last is None:
        return None
    levels, dont_know = found[last]
    return scoring.consensus_outcome(
        levels,
        dont_know=dont_know,
        agreed_level=question.agreed_level,
        required_share=required_share,
    )


def _store_outcome(question: WorkshopQuestion, required_share: float) -> None:
    outcome = _outcome(question, required_share)
    if outcome is None:
        question.consensus = ""
        question.consensus_votes_share = None
    else:
        question.consensus = (
            WorkshopQuestion.Consensus.REACHED
            if outcome.reached
            else WorkshopQuestion.Consensus.DISSENT
        )
        question.consensus_votes_share = outcome.share
    question.save(update_fields=["agreed_level", "note", "consensus", "consensus_votes_share"])


@transaction.atomic
def record_agreement(
    *,
    session: WorkshopSession,
    question: WorkshopQuestion,
    agreed_level: int | None,
    note: str = "",
) -> WorkshopQuestion:
    """Record the level the room agreed on and a note; consensus is computed and stored.

    Consensus is reached when at least the session's share of the final round's votes lie
    within one level of the agreed level; otherwise dissent remains. Allowed after the
    session ended too, for notes typed up afterwards.
    """
    locked = _lock(session, allow_ended=True)
    if question.session_id != locked.pk:
        raise WorkshopRefused(_("This question is not part of this session."), status=404)
    if agreed_level is not None and agreed_level not in LEVELS:
        raise WorkshopRefused(_("Choose a level from 0 to 4."), status=400)
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise WorkshopRefused(
            _("A note can be at most %(max)d characters long.") % {"max": NOTE_MAX_LENGTH},
            status=400,
        )
    if CONTROL_CHARACTERS.search(note.replace("\n", "").replace("\r", "").replace("\t", "")):
        raise WorkshopRefused(_("A note cannot contain control characters."), status=400)
    question.agreed_level = agreed_level
    question.note = note
    _store_outcome(question, locked.consensus_share)
    _moved(locked)
    return question


# --- Voting -----------------------------------------------------------------------------------


def _commit_without_waiting_for_disk() -> None:
    """Let this transaction's commit return before PostgreSQL has flushed it to disk.

    A vote is written every few seconds by every phone in the room, and waiting for the
    disk (several milliseconds here) would hold a sync worker for most of a vote's time.
    Should PostgreSQL itself crash, the votes of its last fraction of a second could be
    lost (never half-written, never counted twice); the phone then shows no vote and its
    owner taps again. Everything else, ending a session included, commits as usual.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


@transaction.atomic
def cast_vote(
    *,
    secret: str,
    code: str,
    question_id: int,
    round: int,
    level: int | None,
    dont_know: bool = False,
) -> Participant:
    """Save the vote of the participant with this secret on the current question of the
    session with this code; voting again in the same round replaces it.

    Returns the participant with their session and its current question, for the page;
    raises Participant.DoesNotExist when nobody with this secret is in that session.

    At most three statements: the commit setting below; the participant with their session
    row, locked so that closing, revealing or ending waits for votes in flight and no vote
    lands after it; and one `INSERT … ON CONFLICT`, so that a double tap or a second tab
    still leaves one vote per participant, question and round.
    """
    if level is None and not dont_know:
        raise WorkshopRefused(_("Choose a level from 0 to 4, or “Don't know”."), status=400)
    try:
        services.check_level(level, dont_know)
    except services.InvalidAnswer as invalid:
        raise WorkshopRefused(str(invalid), status=400) from invalid
    _commit_without_waiting_for_disk()
    participant = (
        Participant.objects.select_related("session__current__question")
        .select_for_update(of=("session",))
        .get(secret=secret, session__code=code, removed_at__isnull=True)
    )
    session = participant.session
    if session.is_ended:
        raise WorkshopRefused(_("This workshop has ended: voting is closed for good."), status=410)
    if session.current_id != question_id or session.current.round != round:
        raise WorkshopRefused(
            _("The screen has moved on: this is the question to vote on now."), status=409
        )
    if not session.voting_open:
        raise WorkshopRefused(_("Voting is closed for this question."), status=409)
    services.upsert_level(
        Vote,
        keys={"participant": participant, "question_id": question_id, "round": round},
        level=level,
        dont_know=dont_know,
    )
    return participant


# --- Ending -----------------------------------------------------------------------------------


class Outcome:
    """What ending the session does with one participant's votes."""

    NEW_RESPONSE = "new_response"  # they become one new submitted response
    OWN_RESPONSE = "own_response"  # they go into the invitee's own response, then submitted
    OWN_DRAFT = "own_draft"  # too few: kept in the invitee's own response, not submitted
    ALREADY_SUBMITTED = "already_submitted"  # the invitee's own answers count, not the votes
    TOO_FEW = "too_few"  # voted on fewer questions than needed: not a response
    NOT_COUNTED = "not_counted"  # the session's votes do not count in the results


COUNTS = {Outcome.NEW_RESPONSE, Outcome.OWN_RESPONSE}


@dataclass(frozen=True)
class Tally:
    """One participant at the end: on how many of the session's questions they voted, and
    what becomes of their votes."""

    participant: Participant
    voted_on: int
    outcome: str

    @property
    def counts(self) -> bool:
        return self.outcome in COUNTS

    @property
    def invitee(self) -> str:
        """The invitee's name or address when they joined from their personal link."""
        response = self.participant.response
        return (response.name or response.email or _("invitee")) if response else ""


@dataclass(frozen=True)
class Counting:
    """Who will count, before the session ends (and who did, once it has)."""

    total: int  # the session's questions
    needed: int  # of those, how many a participant must have voted on to count
    tallies: list[Tally]

    @property
    def counted(self) -> int:
        return sum(1 for tally in self.tallies if tally.counts)

    @property
    def too_few(self) -> int:
        return sum(
            1 for tally in self.tallies if tally.outcome in (Outcome.TOO_FEW, Outcome.OWN_DRAFT)
        )


def _outcome_of(session: WorkshopSession, participant: Participant, enough: bool) -> str:
    response = participant.response
    if response is not None and response.revoked_at is None:
        if response.submitted_at is not None:
            return Outcome.ALREADY_SUBMITTED
        if not session.counts_in_results:
            return Outcome.NOT_COUNTED
        return Outcome.OWN_RESPONSE if enough else Outcome.OWN_DRAFT
    if not session.counts_in_results:
        return Outcome.NOT_COUNTED
    return Outcome.NEW_RESPONSE if enough else Outcome.TOO_FEW


def counting(session: WorkshopSession) -> Counting:
    """Each participant still in the room, in order, with the number of the session's
    questions they voted on (any round, *don't know* included) and what ending does with
    their votes: two queries.

    Only those who voted on at least the session's share of its questions count as a
    response; an invitee who joined from their personal link counts as their own response,
    never as a second one.
    """
    total = session.questions.count()
    needed = session.questions_to_count(total)
    participants = (
        session.participants.present()
        .select_related("response__contact")
        .annotate(voted_on=Count("votes__question", distinct=True))
        .order_by("number")
    )
    return Counting(
        total=total,
        needed=needed,
        tallies=[
            Tally(
                participant=participant,
                voted_on=participant.voted_on,
                outcome=_outcome_of(session, participant, participant.voted_on >= needed),
            )
            for participant in participants
        ],
    )


@dataclass(frozen=True)
class Ended:
    session: WorkshopSession
    responses: int  # responses created or submitted from participants' votes
    not_counted: str  # why the votes were not counted, "" if they were or need not be
    too_few: int = 0  # participants who voted on too few questions to count
    needed: int = 0  # questions a participant had to vote on
    total: int = 0  # questions of the session


@transaction.atomic
def end_session(*, session: WorkshopSession) -> Ended:
    """End for good: voting closes, consensus outcomes are brought up to date, and when the
    session counts in the results, the votes of each participant who voted on enough of its
    questions (`counting`) become one submitted response of the assessment: a new one marked
    with this session, or the invitee's own when they joined from their personal link."""
    locked = _lock(session)
    locked.status = WorkshopSession.Status.ENDED
    locked.voting_open = False
    locked.ended_at = timezone.now()
    _moved(locked, "status", "voting_open", "ended_at")
    for question in locked.questions.filter(agreed_level__isnull=False):
        _store_outcome(question, locked.consensus_share)
    if not locked.counts_in_results:
        return Ended(locked, 0, "")
    assessment = Assessment.objects.select_related("questionnaire", "organisation").get(
        pk=locked.assessment_id
    )
    if not assessment.is_accepting_answers:
        return Ended(
            locked,
            0,
            _("The assessment is no longer open for answers, so the votes were not counted."),
        )
    found = counting(locked)
    created = _count_votes(locked, assessment, found)
    return Ended(locked, created, "", found.too_few, found.needed, found.total)


def last_votes(session: WorkshopSession) -> dict[int, dict[int, Vote]]:
    """Participant id -> question id -> their vote of the latest round they voted in."""
    found: dict[int, dict[int, Vote]] = defaultdict(dict)
    votes = (
        Vote.objects.filter(participant__session=session)
        .select_related("question__question")
        .order_by("participant_id", "question_id", "round")
    )
    for vote in votes:
        found[vote.participant_id][vote.question_id] = vote  # a later round replaces
    return found


def _save_votes(response: Response, votes: dict[int, Vote]) -> None:
    for vote in votes.values():
        services.save_answer(
            response=response,
            question=vote.question.question,
            level=vote.level,
            dont_know=vote.dont_know,
        )


def _into_own_response(participant: Participant, votes: dict[int, Vote], *, submit: bool) -> None:
    """The invitee's votes as answers of their own response: the room's last word on those
    questions replaces what they answered alone. Their perspective stays theirs; the room
    asked them every question of the session, so a question their perspective is not asked
    makes them see every question."""
    response = Response.objects.select_related("assessment__questionnaire").get(
        pk=participant.response_id
    )
    asked_elsewhere = any(not response.asks(vote.question.question) for vote in votes.values())
    if not response.perspective or (asked_elsewhere and not response.sees_all_questions):
        services.start_response(
            response=response,
            perspective=response.perspective or participant.perspective,
            sees_all_questions=response.sees_all_questions or asked_elsewhere,
        )
    _save_votes(response, votes)
    if submit:
        services.submit_response(response=response)


def _count_votes(session: WorkshopSession, assessment: Assessment, found: Counting) -> int:
    votes_of = last_votes(session)
    created = 0
    for tally in found.tallies:
        participant = tally.participant
        votes = votes_of.get(participant.pk, {})
        if tally.outcome in (Outcome.OWN_RESPONSE, Outcome.OWN_DRAFT) and votes:
            _into_own_response(participant, votes, submit=tally.counts)
            created += tally.counts
        elif tally.outcome == Outcome.NEW_RESPONSE:
            # The link is never handed out: a workshop response is submitted at once.
            response, _token = services.create_respondent_link(assessment=assessment)
            response.workshop_session = session
            response.save(update_fields=["workshop_session"])
            # Everyone in the room is asked every question of the session, whatever their role.
            services.start_response(
                response=response, perspective=participant.perspective, sees_all_questions=True
            )
            _save_votes(response, votes)
            services.submit_response(response=response)
            created += 1
    counted = [tally.participant.pk for tally in found.tallies if tally.counts]
    Participant.objects.filter(pk__in=counted).update(counted=True)
    return created


# --- Reading ----------------------------------------------------------------------------------


def with_counts(sessions):
    """Annotate `joined` (participants) and `voted` (votes in the current question's current
    round): subqueries, so reading a session with its counts stays one query."""
    joined = (
        Participant.objects.filter(session=OuterRef("pk"), removed_at__isnull=True)
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    voted = (
        Vote.objects.filter(question=OuterRef("current_id"), round=OuterRef("current__round"))
        .values("question")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return sessions.annotate(
        joined=Coalesce(Subquery(joined), 0), voted=Coalesce(Subquery(voted), 0)
    )


@dataclass(frozen=True)
class Voter:
    label: str
    has_voted: bool


def voters(session: WorkshopSession) -> list[Voter]:
    """Everyone who joined, in order, and whether they voted in the current round (never
    what): one query. The presenter screen redraws this every second while people vote."""
    current = session.current
    rows = session.participants.present().order_by("number")
    if current is None:
        rows = rows.annotate(has_voted=Value(False))
    else:
        voted = Vote.objects.filter(
            participant=OuterRef("pk"), question=current, round=current.round
        )
        rows = rows.annotate(has_voted=Exists(voted))
    numbered = _("Participant %(number)d")
    return [
        Voter(label=name or numbered % {"number": number}, has_voted=has_voted)
        for number, name, has_voted in rows.values_list("number", "display_name", "has_voted")
    ]


def consensus_input(session: WorkshopSession) -> scoring.ResponseInput:
    """The agreed levels as one response, for scoring the workshop's consensus."""
    answers = dict(
        session.questions.filter(agreed_level__isnull=False).values_list(
            "question__code", "agreed_level"
        )
    )
    return scoring.ResponseInput(id=0, perspective="other", answers=answers, sees_all=True)


def vote_inputs(session: WorkshopSession) -> list[scoring.ResponseInput]:
    """Each participant's last votes as a response, for scoring the individual votes."""
    participants = dict(session.participants.values_list("pk", "perspective"))
    return [
        scoring.ResponseInput(
            id=participant_id,
            perspective=participants[participant_id],
            answers={
                vote.question.question.code: vote.level if not vote.dont_know else None
                for vote in votes.values()
            },
            sees_all=True,
        )
        for participant_id, votes in sorted(last_votes(session).items())
    ]


@dataclass(frozen=True)
class PillarComparison:
    pillar: str
    name: str
    votes: float | None  # mean maturity of the individual votes; None below the minimum
    consensus: float | None  # maturity of the agreed levels


def compare_votes_and_consensus(session: WorkshopSession) -> list[PillarComparison]:
    """Per pillar of the session: the individual votes' maturity next to the consensus's.

    Only the session's questions count on both sides, and a pillar's vote figure needs at
    least `MIN_VOTES_SHOWN` people who gave a level, like every group figure.
    """
    rules = loading.assessment_rules(session.assessment)
    codes = set(session.questions.values_list("question__code", flat=True))
    pillars = [
        p for p in rules.pillars if any(q.code in codes for q in rules.questions_by_pillar[p.code])
    ]
    result = scoring.score_assessment(rules, vote_inputs(session), min_respondents=MIN_VOTES_SHOWN)
    consensus = scoring.score_response(rules, consensus_input(session))
    return [
        PillarComparison(
            pillar=pillar.code,
            name=pillar.name,
            votes=result.pillar(pillar.code).maturity,
            consensus=consensus[pillar.code].maturity,
        )
        for pillar in pillars
    ]


@dataclass(frozen=True)
class WorkshopSummary:
    """What a session of an assessment agreed, for the assessment's dashboard."""

    session: WorkshopSession
    agreed: list[WorkshopQuestion]  # questions with an agreed level, in session order
    comparison: list[PillarComparison]


def summaries(assessment: Assessment) -> list[WorkshopSummary]:
    """The assessment's sessions that agreed on something, newest first: three queries and
    the comparison's scoring per such session."""
    sessions = list(assessment.workshop_sessions.order_by("-created_at"))
    agreed: dict[int, list[WorkshopQuestion]] = defaultdict(list)
    questions = (
        WorkshopQuestion.objects.filter(session__in=sessions, agreed_level__isnull=False)
        .select_related("question__pillar")
        .order_by("position")
    )
    for question in questions:
        agreed[question.session_id].append(question)
    return [
        WorkshopSummary(session, agreed[session.pk], compare_votes_and_consensus(session))
        for session in sessions
        if agreed[session.pk]
    ]
