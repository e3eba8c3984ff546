"""Live workshops: the consultant's presenter screen, and the participants' phones.

The presenter pages go through the one access gate (consultants only). Participants have
no account: a signed cookie, scoped to the session's join URL, remembers them on their
device. Both screens poll small fragments with htmx; each fragment carries an ETag of what
it shows, and the poll answers 304 while nothing changed (one or two queries).
"""

import contextlib

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.access import CONSULTANTS, OrganisationAccess, organisation_view

from .. import scoring, workshops
from ..access import assessment_view
from ..labels import label
from ..models import (
    DISPLAY_NAME_MAX_LENGTH,
    LEVELS,
    NOTE_MAX_LENGTH,
    Assessment,
    Participant,
    Perspective,
    Vote,
    WorkshopQuestion,
    WorkshopSession,
)

COOKIE_NAME = "workshop_participant"
COOKIE_MAX_AGE = 24 * 60 * 60  # a workshop day; the session's end closes voting anyway
DONT_KNOW = "dk"


# --- Forms ------------------------------------------------------------------------------------


class StartForm(forms.Form):
    scope = forms.ChoiceField(
        label=gettext_lazy("Questions"),
        choices=WorkshopSession.Scope.choices,
        initial=WorkshopSession.Scope.ALL,
        widget=forms.RadioSelect,
    )
    pillars = forms.MultipleChoiceField(
        label=gettext_lazy("Pillars"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("For chosen pillars: their questions, in order."),
    )
    contested_limit = forms.IntegerField(
        label=gettext_lazy("How many contested questions"),
        min_value=1,
        max_value=20,
        initial=scoring.DEFAULT_CONTESTED_LIMIT,
    )
    counts_in_results = forms.BooleanField(
        label=gettext_lazy("Count the votes in the assessment's results"),
        required=False,
        initial=True,
        help_text=gettext_lazy(
            "When the session ends, each participant's final votes become one submitted "
            "response. Leave this off for contested questions: those people have already "
            "answered the survey, and counting them twice would distort the results."
        ),
    )
    auto_reveal = forms.BooleanField(
        label=gettext_lazy("Reveal the distribution as soon as everyone has voted"),
        required=False,
    )

    def __init__(self, *args, assessment: Assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pillars"].choices = list(
            assessment.questionnaire.pillars.order_by("order").values_list("code", "name")
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == WorkshopSession.Scope.PILLARS and not cleaned.get("pillars"):
            self.add_error("pillars", _("Choose at least one pillar."))
        return cleaned


class JoinCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code on the screen"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "join-code-input",
            }
        ),
        error_messages={"required": gettext_lazy("Type the code shown on the screen.")},
    )


class JoinForm(forms.Form):
    display_name = forms.CharField(
        label=gettext_lazy("Your name (optional)"),
        required=False,
        max_length=DISPLAY_NAME_MAX_LENGTH,
        help_text=gettext_lazy(
            "Shown only to say that you have voted, never with your vote. Leave it empty to "
            "be a participant number."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    perspective = forms.ChoiceField(
        label=gettext_lazy("Which describes your role best?"),
        choices=Perspective.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose the perspective closest to your role.")},
    )


class AgreementForm(forms.Form):
    question = forms.IntegerField(widget=forms.HiddenInput)
    agreed_level = forms.TypedChoiceField(
        label=gettext_lazy("Agreed level"),
        choices=[("", gettext_lazy("Not agreed yet"))] + [(level, str(level)) for level in LEVELS],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 1, "class": "form-control"}),
    )


# --- Shared pieces ----------------------------------------------------------------------------


def _not_modified_or(request, etag: str, render_response):
    """304 when the page already shows this ETag; otherwise the fragment, carrying it."""
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = render_response()
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _join_url(code: str = "") -> str:
    if code:
        return settings.SITE_URL + reverse("workshop:room", kwargs={"code": code})
    return settings.SITE_URL + reverse("workshop:join")


def _qr_svg(url: str) -> str:
    import segno  # only the presenter page draws one

    # segno writes the SVG itself from the URL, which holds only our own characters.
    svg = segno.make(url, error="m").svg_inline(
        scale=1, border=2, omitsize=True, svgclass="join-qr-code", lineclass="join-qr-line"
    )
    return mark_safe(svg)  # noqa: S308


def _level_rows(current: WorkshopQuestion, shown_rounds: list[int], found: dict) -> tuple:
    """The five levels and *don't know*, each with its count per shown round."""

    def cells(index: int | None) -> list[dict]:
        out = []
        for round_ in shown_rounds:
            levels, dont_know = found.get(round_, ([0] * len(LEVELS), 0))
            total = sum(levels) + dont_know
            count = dont_know if index is None else levels[index]
            out.append({"round": round_, "count": count, "total": total})
        return out

    rows = [
        {
            "level": level,
            "text": text,
            "rounds": cells(level),
            "agreed": current.agreed_level == level,
        }
        for level, text in enumerate(current.question.levels)
    ]
    return rows, {"rounds": cells(None)}


def shown_rounds(question: WorkshopQuestion) -> list[int]:
    """Rounds whose distribution the room may see: round 1 once revealed, and both side by
    side once round 2 is revealed. While round 2 is voting, nothing is shown."""
    if not question.revealed:
        return []
    return [1] if question.round == 1 else [1, 2]


# --- Consultant: start, present, drive, agree, end, results -----------------------------------


def _get_session(access: OrganisationAccess, pk: int, *, counts: bool = False):
    """A session of an assessment of the organisation in the URL; 404 for any other."""
    sessions = WorkshopSession.objects.select_related(
        "assessment__organisation", "assessment__questionnaire", "current__question__pillar"
    ).filter(assessment__organisation=access.organisation)
    if counts:
        sessions = workshops.with_counts(sessions)
    return get_object_or_404(sessions, pk=pk)


@assessment_view(roles=CONSULTANTS)
def start(request, access, assessment):
    # Not `request.POST or None`: an empty post must still show what is missing.
    form = StartForm(request.POST if request.method == "POST" else None, assessment=assessment)
    error = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            session = workshops.start_session(
                assessment=assessment,
                scope=data["scope"],
                pillars=data["pillars"],
                contested_limit=data["contested_limit"] or scoring.DEFAULT_CONTESTED_LIMIT,
                counts_in_results=data["counts_in_results"],
                auto_reveal=data["auto_reveal"],
                created_by=request.user,
            )
        except workshops.WorkshopRefused as refused:
            error = refused.message
        else:
            return redirect("workshop:present", slug=access.organisation.slug, pk=session.pk)
    contested = workshops.contested_candidates(assessment) if assessment.submitted_count else []
    return render(
        request,
        "workshop/start.html",
        {
            "access": access,
            "assessment": assessment,
            "form": form,
            "error": error,
            "contested": contested,
        },
        status=400 if form.is_bound else 200,
    )


def _stage_context(session: WorkshopSession, *, message: str = "") -> dict:
    current = session.current
    context = {
        "session": session,
        "current": current,
        "message": message,
        "etag": _stage_etag(session),
        "voters": workshops.voters(session),
        "total": session.questions.count(),
        "min_votes": workshops.MIN_VOTES_SHOWN,
    }
    if current is not None:
        rounds = shown_rounds(current)
        found = workshops.distributions(current) if rounds else {}
        levels, dont_know = _level_rows(current, rounds, found)
        context.update(
            shown_rounds=rounds,
            levels=levels,
            dont_know=dont_know,
            can_reveal=not current.revealed and session.voted >= workshops.MIN_VOTES_SHOWN,
            agreement=AgreementForm(
                initial={
                    "question": current.pk,
                    "agreed_level": current.agreed_level,
                    "note": current.note,
                },
                auto_id="agree-%s",
            ),
        )
    return context


def _stage_etag(session: WorkshopSession) -> str:
    return f'"stage-{session.pk}-{session.revision}-{session.joined}-{session.voted}"'


def _render_stage(request, session, *, message: str = "", status: int = 200):
    response = render(
        request, "workshop/_stage.html", _stage_context(session, message=message), status=status
    )
    response["ETag"] = _stage_etag(session)
    return response


@organisation_view(roles=CONSULTANTS)
def present(request, access, pk):
    session = _get_session(access, pk, counts=True)
    if session.is_ended:
        return redirect("workshop:results", slug=access.organisation.slug, pk=session.pk)
    context = _stage_context(session)
    context.update(
        access=access,
        assessment=session.assessment,
        join_url=_join_url(),
        qr=_qr_svg(_join_url(session.code)),
    )
    return render(request, "workshop/presenter.html", context)


@require_GET
@organisation_view(roles=CONSULTANTS)
def stage(request, access, pk):
    """The presenter's polled fragment. Reveals by itself once everyone has voted, if asked to."""
    session = _get_session(access, pk, counts=True)
    if (
        session.auto_reveal
        and session.voting_open
        and workshops.everyone_voted(joined=session.joined, voted=session.voted)
    ):
        # Refused when someone moved on in the meantime: then show what is there now.
        with contextlib.suppress(workshops.WorkshopRefused):
            workshops.reveal(session=session, at=session.current.position)
        session = _get_session(access, pk, counts=True)
    return _not_modified_or(request, _stage_etag(session), lambda: _render_stage(request, session))


DRIVE_ACTIONS = {
    "open": workshops.open_voting,
    "close": workshops.close_voting,
    "reveal": workshops.reveal,
    "round2": workshops.open_second_round,
}


def _position(request) -> int | None:
    raw = request.POST.get("position", "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 5 else None


@require_POST
@organisation_view(roles=CONSULTANTS)
def drive(request, access, pk):
    """One move of the presenter: next, previous, open or close voting, reveal, second round,
    automatic reveal on or off. Answers the new stage (htmx) or goes back to the screen."""
    session = _get_session(access, pk)
    action = request.POST.get("action", "")
    seen = _position(request)
    message, status = "", 200
    try:
        if action in ("next", "previous"):
            if seen is None:
                raise workshops.WorkshopRefused(_("Unknown question position."), status=400)
            by = 1 if action == "next" else -1
            workshops.go_to(session=session, position=seen + by, seen=seen)
        elif action in DRIVE_ACTIONS:
            DRIVE_ACTIONS[action](session=session, at=seen)
        elif action in ("auto_on", "auto_off"):
            workshops.set_auto_reveal(session=session, on=action == "auto_on")
        else:
            raise workshops.WorkshopRefused(_("Unknown action."), status=400)
    except workshops.WorkshopRefused as refused:
        message, status = refused.message, refused.status
    if not request.htmx:
        if message:
            messages.error(request, message)
        return redirect("workshop:present", slug=access.organisation.slug, pk=pk)
    session = _get_session(access, pk, counts=True)
    return _render_stage(request, session, message=message, status=status)


@require_POST
@organisation_view(roles=CONSULTANTS)
def agree(request, access, pk):
    """Record the agreed level and a note for one question of the session."""
    session = _get_session(access, pk)
    form = AgreementForm(request.POST)
    message, status = "", 200
    if not form.is_valid():
        message = " ".join(error for errors in form.errors.values() for error in errors)
        status = 400
    else:
        question = session.questions.filter(pk=form.cleaned_data["question"]).first()
        try:
            if question is None:
                raise workshops.WorkshopRefused(
                    _("This question is not part of this session."), status=404
                )
            workshops.record_agreement(
                session=session,
                question=question,
                agreed_level=form.cleaned_data["agreed_level"],
                note=form.cleaned_data["note"],
            )
        except workshops.WorkshopRefused as refused:
            message, status = refused.message, refused.status
    if not request.htmx:
        if message:
            messages.error(request, message)
        else:
            messages.success(request, _("Agreement recorded."))
        target = "workshop:results" if session.is_ended else "workshop:present"
        return redirect(target, slug=access.organisation.slug, pk=pk)
    session = _get_session(access, pk, counts=True)
    return _render_stage(request, session, message=message, status=status)


@organisation_view(roles=CONSULTANTS)
def end(request, access, pk):
    session = _get_session(access, pk)
    if request.method != "POST":
        if session.is_ended:
            return redirect("workshop:results", slug=access.organisation.slug, pk=pk)
        return render(
            request,
            "workshop/end.html",
            {"access": access, "session": session, "assessment": session.assessment},
        )
    try:
        ended = workshops.end_session(session=session)
    except workshops.WorkshopRefused as refused:
        messages.info(request, refused.message)
    else:
        if ended.not_counted:
            messages.warning(request, ended.not_counted)
        elif session.counts_in_results:
            messages.success(
                request,
                _("The session has ended. %(count)d participants' votes now count as responses.")
                % {"count": ended.responses},
            )
        else:
            messages.success(request, _("The session has ended."))
    return redirect("workshop:results", slug=access.organisation.slug, pk=pk)


@organisation_view(roles=CONSULTANTS)
def results(request, access, pk):
    session = _get_session(access, pk)
    questions = list(session.questions.select_related("question__pillar").order_by("position"))
    found = _all_distributions(questions)
    for question in questions:
        question.rounds, question.rows = _distribution_table(question, found.get(question.pk, {}))
        question.agreement = AgreementForm(
            initial={
                "question": question.pk,
                "agreed_level": question.agreed_level,
                "note": question.note,
            },
            auto_id=f"agree-{question.pk}-%s",
        )
    return render(
        request,
        "workshop/results.html",
        {
            "access": access,
            "session": session,
            "assessment": session.assessment,
            "questions": questions,
            "participants": session.participants.count(),
            "counted": session.responses.count(),
            "comparison": workshops.compare_votes_and_consensus(session),
            "min_votes": workshops.MIN_VOTES_SHOWN,
        },
    )


def _all_distributions(questions: list[WorkshopQuestion]) -> dict[int, dict]:
    """Question id -> round -> (counts per level, don't know), for all questions: one query."""
    found: dict[int, dict[int, tuple[list[int], int]]] = {}
    rows = (
        Vote.objects.filter(question__in=questions)
        .values_list("question_id", "round", "level", "dont_know")
        .annotate(n=Count("pk"))
    )
    for question_id, round_, level, dont_know, n in rows:
        levels, unknown = found.setdefault(question_id, {}).setdefault(
            round_, ([0] * len(LEVELS), 0)
        )
        if dont_know:
            found[question_id][round_] = (levels, unknown + n)
        else:
            levels[level] += n
    return found


def _distribution_table(question: WorkshopQuestion, found: dict) -> tuple[list, list]:
    """(rounds, rows) for one question: each round voted in with its number of votes and
    whether it may be shown; a row per level and one for *don't know*, with a count per round
    (None where fewer than the minimum voted)."""
    rounds = []
    for round_ in sorted(found):
        levels, dont_know = found[round_]
        total = sum(levels) + dont_know
        rounds.append(
            {"round": round_, "total": total, "shown": total >= workshops.MIN_VOTES_SHOWN}
        )

    def cells(index: int | None) -> list[dict]:
        out = []
        for figures in rounds:
            levels, dont_know = found[figures["round"]]
            count = dont_know if index is None else levels[index]
            shown = figures["shown"]
            out.append(
                {
                    "round": figures["round"],
                    "count": count if shown else None,
                    "total": figures["total"],
                }
            )
        return out

    rows = [
        {
            "level": level,
            "text": text,
            "cells": cells(level),
            "agreed": question.agreed_level == level,
        }
        for level, text in enumerate(question.question.levels)
    ]
    rows.append({"level": None, "text": _("Don't know"), "cells": cells(None), "agreed": False})
    return rounds, rows


# --- Participants: join, the room, polling, voting --------------------------------------------


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


def _remember(response: HttpResponse, participant: Participant, code: str) -> None:
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
        .filter(secret=secret, session__code=code)
        .order_by()[:1]
    )
    if not found:
        raise NotJoined
    return found[0]


def _etag(participant_pk: int, revision: int, level: int | None, dont_know: bool | None) -> str:
    vote = DONT_KNOW if dont_know else level
    return f'"room-{participant_pk}-{revision}-{vote}"'


def _participant_etag(participant: Participant) -> str:
    return _etag(
        participant.pk,
        participant.session.revision,
        participant.my_level,
        participant.my_dont_know,
    )


def _current_etag(request, code: str) -> str:
    """The ETag of what this device should show now, from four columns: one small query."""
    found = Participant.objects.poll_state(secret=_secret(request, code), code=code)
    if found is None:
        raise NotJoined
    return _etag(*found)


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
        "etag": _participant_etag(participant),
        "perspective": label("perspective", participant.perspective),
    }


def _render_state(request, participant, *, message="", error=False, status=200):
    response = render(
        request,
        "workshop/_participant_state.html",
        _room_context(participant, message=message, error=error),
        status=status,
    )
    response["ETag"] = _participant_etag(participant)
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
    form = JoinCodeForm(request.POST or None)
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
        return render(request, "workshop/room.html", _room_context(participant))

    form = JoinForm(request.POST if request.method == "POST" else None)
    message = (
        _("This device's place in the workshop could not be recognised. Join again, please.")
        if tampered
        else ""
    )
    if form.is_valid():
        try:
            participant = workshops.join_session(
                session=session,
                perspective=form.cleaned_data["perspective"],
                display_name=form.cleaned_data["display_name"],
            )
        except workshops.WorkshopRefused as refused:
            if refused.status == 410:
                return _ended_page(request, session)
            form.add_error("display_name", refused.message)
        else:
            response = redirect("workshop:room", code=code)
            _remember(response, participant, code)
            return response
    return render(
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


def _not_joined_fragment(request, code: str, tampered: bool):
    message = (
        _("This device's place in the workshop could not be recognised. Join again, please.")
        if tampered
        else _("You have not joined this workshop on this device yet.")
    )
    return render(
        request,
        "workshop/_not_joined.html",
        {"message": message, "code": code},
        status=403,
    )


@require_GET
def participant_state(request, code):
    """The participant's polled fragment: a 304 from one small query while nothing changed,
    otherwise one more query for what the fragment shows."""
    try:
        etag = _current_etag(request, code)
        if request.headers.get("If-None-Match") == etag:
            return _not_modified_or(request, etag, render_response=None)
        participant = _participant_with_vote(request, code)
    except NotJoined as not_joined:
        return _not_joined_fragment(request, code, not_joined.tampered)
    # The fragment carries the ETag of what it shows, which may be newer than the one above.
    return _render_state(request, participant)


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
    """Save this device's vote on the current question: three queries."""
    try:
        secret = _secret(request, code)
        found = Participant.objects.filter(secret=secret, session__code=code).order_by()[:1]
        participant = next(iter(found), None)
        if participant is None:
            raise NotJoined
    except NotJoined as not_joined:
        return _not_joined_fragment(request, code, not_joined.tampered)
    try:
        level, dont_know = _parse_choice(request.POST.get("choice", ""))
        question_id = _parse_int(request.POST.get("question", ""))
        round_ = _parse_int(request.POST.get("round", ""), range(1, 3))
        session = workshops.cast_vote(
            participant=participant,
            question_id=question_id,
            round=round_,
            level=level,
            dont_know=dont_know,
        )
    except workshops.WorkshopRefused as refused:
        participant = _participant_with_vote(request, code, page=not request.htmx)
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
    if not request.htmx:
        return redirect("workshop:room", code=code)
    participant.session = session
    participant.my_level, participant.my_dont_know = level, dont_know
    return _render_state(request, participant, message=_("Saved."))
