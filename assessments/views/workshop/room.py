"""The participant's side of a live workshop: join with the code, see the current question,
vote from a phone. No account: a signed cookie remembers the device for the session."""

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core import signing
from django.db.models import IntegerField, OuterRef, Subquery
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from ... import workshops
from ...labels import label
from ...models import LEVELS, Participant, Vote, WorkshopSession
from . import not_modified_or
from .forms import JoinCodeForm, JoinForm

COOKIE_NAME = "workshop_participant"
COOKIE_MAX_AGE = 24 * 60 * 60  # a workshop day; the session's end closes voting anyway
DONT_KNOW = "dk"


def _salt(code: str) -> str:
    return f"workshop.participant.{code}"


def _cookie_path(code: str) -> str:
    return reverse("workshop:room", kwargs={"code": code})


class NotJoined(Exception):
    def __init__(self, tampered: bool = False):
        super().__init__("tampered" if tampered else "not joined")
        self.tampered = tampered


def _secret(request, code: str) -> str:
    """The participant secret this device holds for this code; NotJoined if none or forged."""
    if COOKIE_NAME not in request.COOKIES:
        raise NotJoined
    try:
        return request.get_signed_cookie(COOKIE_NAME, salt=_salt(code), max_age=COOKIE_MAX_AGE)
    except signing.BadSignature as bad:
        raise NotJoined(tampered=True) from bad


def remember(response: HttpResponse, participant: Participant, code: str) -> None:
    """Let this device stay in the session with this code: the signed cookie of its place."""
    response.set_signed_cookie(
        COOKIE_NAME,
        participant.secret,
        salt=_salt(code),
        max_age=COOKIE_MAX_AGE,
        path=_cookie_path(code),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _my_vote():
    """This participant's vote on their session's current question, in its current round."""
    return Vote.objects.filter(
        participant=OuterRef("pk"),
        question=OuterRef("session__current_id"),
        round=OuterRef("session__current__round"),
    )


def _with_my_vote(participants):
    mine = _my_vote()
    return participants.annotate(
        my_level=Subquery(mine.values("level")[:1], output_field=IntegerField()),
        my_dont_know=Subquery(mine.values("dont_know")[:1]),
    )


def _participant_with_vote(request, code: str, *, page: bool = False) -> Participant:
    """This device's participant, their session and current question, and their vote on it in
    the current round (`my_level`, `my_dont_know`): one query. NotJoined otherwise.

    `page`: also the assessment and organisation, which only the whole page shows.
    """
    secret = _secret(request, code)
    related = ["session__current__question"]
    if page:
        related.append("session__assessment__organisation")
    found = list(
        _with_my_vote(Participant.objects.select_related(*related))
        .filter(secret=secret, session__code=code, removed_at__isnull=True)
        .order_by()[:1]
    )
    if not found:
        raise NotJoined
    participant = found[0]
    participant.revision = participant.session.revision
    return participant


def _etag(participant: Participant) -> str:
    """What the phone shows: the session as of its revision, and the phone's own vote."""
    vote = DONT_KNOW if participant.my_dont_know else participant.my_level
    return f'"room-{participant.pk}-{participant.revision}-{vote}"'


def _for_poll(request, code: str) -> Participant:
    """This device's participant with what its ETag is made of: one small query."""
    participant = Participant.objects.for_poll(secret=_secret(request, code), code=code)
    if participant is None:
        raise NotJoined
    return participant


def _with_session(participant: Participant) -> Participant:
    """Attach the session and its current question: one query.

    The vote read with the participant belongs to the question and round current then; if
    the session has moved on since, the phone shows no vote rather than one for another
    question, and its ETag (of the earlier revision) makes the next poll catch up.
    """
    session = WorkshopSession.objects.select_related("current__question").get(
        pk=participant.session_id
    )
    participant.session = session
    current = session.current
    if current is None or (participant.my_question_id, participant.my_round) != (
        current.pk,
        current.round,
    ):
        participant.my_level = participant.my_dont_know = None
    return participant


def _room_context(participant: Participant, *, message: str = "", error: bool = False) -> dict:
    session = participant.session
    current = session.current
    return {
        "participant": participant,
        "session": session,
        "current": current,
        "can_vote": session.voting_open and not session.is_ended and current is not None,
        "my_choice": DONT_KNOW if participant.my_dont_know else participant.my_level,
        "message": message,
        "error": error,
        "etag": _etag(participant),
        "perspective": label("perspective", participant.perspective),
    }


def _render_state(request, participant, *, message="", error=False, status=200):
    response = render(
        request,
        "workshop/_participant_state.html",
        _room_context(participant, message=message, error=error),
        status=status,
    )
    response["ETag"] = _etag(participant)
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _join_page(request, *, form=None, message: str = "", status: int = 200):
    return render(
        request,
        "workshop/join.html",
        {"form": form or JoinCodeForm(), "message": message},
        status=status,
    )


def join(request):
    """Type the code shown on the screen; any case, with or without spaces."""
    form = JoinCodeForm(request.POST if request.method == "POST" else None)
    if not form.is_valid():
        return _join_page(request, form=form, status=400 if form.is_bound else 200)
    code = workshops.normalise_code(form.cleaned_data["code"])
    session = workshops.find_session(code) if code else None
    if session is None:
        form.add_error(
            "code",
            _("No workshop has this code. Check the six characters on the screen and try again."),
        )
        return _join_page(request, form=form, status=404)
    return redirect("workshop:room", code=code)


def _ended_page(request, session: WorkshopSession):
    return render(request, "workshop/ended.html", {"session": session}, status=410)


REMOVED = gettext_lazy(
    "The presenter has removed this device from the workshop: it can no longer vote."
)


def _was_removed(request, code: str) -> bool:
    """Does this device hold the place of someone the presenter removed? Asked only when
    nobody was found, so a poll that finds its participant costs nothing more."""
    try:
        secret = _secret(request, code)
    except NotJoined:
        return False
    return Participant.objects.filter(
        secret=secret, session__code=code, removed_at__isnull=False
    ).exists()


def _removed_page(request, session: WorkshopSession):
    return render(
        request, "workshop/removed.html", {"session": session, "message": REMOVED}, status=403
    )


def _refused_join(response: HttpResponse, refused: workshops.WorkshopRefused) -> HttpResponse:
    response.status_code = refused.status
    if refused.retry_after:
        response["Retry-After"] = str(refused.retry_after)
    return response


def room(request, code):
    """The participant's page: the join form, or the question to vote on."""
    canonical = workshops.normalise_code(code)
    if canonical is None:
        return _join_page(
            request,
            message=_("“%(code)s” is not a workshop code: it has six letters and digits.")
            % {"code": code[:20]},
            status=404,
        )
    if canonical != code:
        return redirect("workshop:room", code=canonical)
    session = workshops.find_session(code)
    if session is None:
        return _join_page(
            request,
            message=_("No workshop has the code %(code)s. Check the code on the screen.")
            % {"code": code},
            status=404,
        )
    if session.is_ended:
        return _ended_page(request, session)
    tampered = False
    try:
        participant = _participant_with_vote(request, code, page=True)
    except NotJoined as not_joined:
        participant, tampered = None, not_joined.tampered
    if participant is not None and participant.session_id != session.pk:
        participant = None  # a device of an earlier session with the same code
    if participant is not None:
        if request.method == "POST":  # joined already, in this tab or another
            return redirect("workshop:room", code=code)
        return render(request, "workshop/room.html", _room_context(participant))
    if _was_removed(request, code):
        return _removed_page(request, session)

    form = JoinForm(request.POST if request.method == "POST" else None)
    message = (
        _("This device's place in the workshop could not be recognised. Join again, please.")
        if tampered
        else ""
    )
    refused = None
    if form.is_valid():
        try:
            participant = workshops.join_session(
                session=session,
                perspective=form.cleaned_data["perspective"],
                display_name=form.cleaned_data["display_name"],
                address=get_client_ip_address(request) or "",
            )
        except workshops.WorkshopRefused as refusal:
            if refusal.status == 410:
                return _ended_page(request, session)
            if refusal.status == 400:
                form.add_error("display_name", refusal.message)
            else:  # the room is full, or joins come too fast: nothing wrong with the form
                refused, message = refusal, refusal.message
        else:
            response = redirect("workshop:room", code=code)
            remember(response, participant, code)
            return response
    page = render(
        request,
        "workshop/join_session.html",
        {
            "session": session,
            "form": form,
            "message": message,
            "min_votes": workshops.MIN_VOTES_SHOWN,
        },
        status=400 if form.is_bound else 200,
    )
    return _refused_join(page, refused) if refused else page


def _not_joined_fragment(request, code: str, tampered: bool):
    if tampered:
        message = _(
            "This device's place in the workshop could not be recognised. Join again, please."
        )
    elif _was_removed(request, code):
        message = REMOVED
    else:
        message = _("You have not joined this workshop on this device yet.")
    return render(
        request,
        "workshop/_not_joined.html",
        {"message": message, "code": code},
        status=403,
    )


@require_GET
def participant_state(request, code):
    """The participant's polled fragment: a 304 from one small query while nothing changed,
    otherwise one more query for the session and its current question."""
    try:
        participant = _for_poll(request, code)
    except NotJoined as not_joined:
        return _not_joined_fragment(request, code, not_joined.tampered)
    etag = _etag(participant)
    if request.headers.get("If-None-Match") == etag:
        return not_modified_or(request, etag, render_response=None)
    return _render_state(request, _with_session(participant))


def _parse_choice(raw: str) -> tuple[int | None, bool]:
    if raw == DONT_KNOW:
        return None, True
    if raw in {str(level) for level in LEVELS}:
        return int(raw), False
    raise workshops.WorkshopRefused(_("Choose a level from 0 to 4, or “Don't know”."), status=400)


def _parse_int(raw: str, allowed: range | None = None) -> int:
    if not (raw.isascii() and raw.isdigit() and len(raw) < 12):
        raise workshops.WorkshopRefused(_("This vote is not valid."), status=400)
    value = int(raw)
    if allowed is not None and value not in allowed:
        raise workshops.WorkshopRefused(_("This vote is not valid."), status=400)
    return value


@require_POST
def vote(request, code):
    """Save this device's vote on the current question: three statements."""
    try:
        secret = _secret(request, code)
    except NotJoined as not_joined:
        return _not_joined_fragment(request, code, not_joined.tampered)
    try:
        level, dont_know = _parse_choice(request.POST.get("choice", ""))
        question_id = _parse_int(request.POST.get("question", ""))
        round_ = _parse_int(request.POST.get("round", ""), range(1, 3))
        participant = workshops.cast_vote(
            secret=secret,
            code=code,
            question_id=question_id,
            round=round_,
            level=level,
            dont_know=dont_know,
        )
    except Participant.DoesNotExist:
        return _not_joined_fragment(request, code, tampered=False)
    except workshops.WorkshopRefused as refused:
        return _refused_vote(request, code, refused)
    if not request.htmx:
        return redirect("workshop:room", code=code)
    participant.revision = participant.session.revision
    participant.my_level, participant.my_dont_know = level, dont_know
    return _render_state(request, participant, message=_("Saved."))


def _refused_vote(request, code: str, refused: workshops.WorkshopRefused):
    """Why the vote was refused, on the page as it stands now."""
    try:
        participant = _participant_with_vote(request, code, page=not request.htmx)
    except NotJoined as not_joined:
        return _not_joined_fragment(request, code, not_joined.tampered)
    if not request.htmx:
        return render(
            request,
            "workshop/room.html",
            _room_context(participant, message=refused.message, error=True),
            status=refused.status,
        )
    return _render_state(
        request, participant, message=refused.message, error=True, status=refused.status
    )
