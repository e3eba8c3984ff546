"""The consultant's side of a live workshop: start it, drive it from the presenter screen,
record what the room agreed on, end it and read its results."""

import contextlib

import segno
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.access import CONSULTANTS, OrganisationAccess, organisation_view

from ... import scoring, workshops
from ...access import assessment_view
from ...models import LEVELS, WorkshopQuestion, WorkshopSession
from . import not_modified_or
from .forms import AgreementForm, StartForm

NO_VOTES = ((0,) * len(LEVELS), 0)


def _join_url(code: str = "") -> str:
    if code:
        return settings.SITE_URL + reverse("workshop:room", kwargs={"code": code})
    return settings.SITE_URL + reverse("workshop:join")


def _qr_svg(url: str) -> str:
    # segno writes the SVG itself from the URL, which holds only our own characters.
    svg = segno.make(url, error="m").svg_inline(
        scale=1, border=2, omitsize=True, svgclass="join-qr-code", lineclass="join-qr-line"
    )
    return mark_safe(svg)  # noqa: S308


def distribution_table(
    question: WorkshopQuestion, found: dict, rounds: list[int]
) -> tuple[list[dict], list[dict]]:
    """(rounds, rows) of one question's votes, for the stage and the results alike.

    Each round with its number of votes and whether it may be shown (from
    `MIN_VOTES_SHOWN` votes); a row per level and a last one for *don't know* (level None),
    each with one cell per round: its count, or None where the round is withheld.
    """
    headers = []
    for round_ in rounds:
        levels, dont_know = found.get(round_, NO_VOTES)
        total = sum(levels) + dont_know
        headers.append(
            {"round": round_, "total": total, "shown": total >= workshops.MIN_VOTES_SHOWN}
        )

    def cells(index: int | None) -> list[dict]:
        out = []
        for header in headers:
            levels, dont_know = found.get(header["round"], NO_VOTES)
            count = dont_know if index is None else levels[index]
            out.append(
                {
                    "round": header["round"],
                    "count": count if header["shown"] else None,
                    "total": header["total"],
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
        for level, text in enumerate(question.question.in_language().levels)
    ]
    rows.append({"level": None, "text": _("Don't know"), "cells": cells(None), "agreed": False})
    return headers, rows


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
                min_voted_share=data["min_voted_percent"],
                max_participants=data["max_participants"],
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
        found = workshops.distributions([current]).get(current.pk, {}) if rounds else {}
        _headers, rows = distribution_table(current, found, rounds)
        context.update(
            shown_rounds=rounds,
            rows=rows,
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


def _stage_etag_of(pk: int, *, revision: int, joined: int, voted: int, **_other) -> str:
    return f'"stage-{pk}-{revision}-{joined}-{voted}"'


def _stage_etag(session: WorkshopSession) -> str:
    return _stage_etag_of(
        session.pk, revision=session.revision, joined=session.joined, voted=session.voted
    )


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
    """The presenter's polled fragment: a 304 from one small query while nothing changed.

    Reveals by itself once everyone has voted, when the consultant asked for that.
    """
    found = (
        workshops.with_counts(
            WorkshopSession.objects.filter(assessment__organisation=access.organisation, pk=pk)
        )
        .values("revision", "joined", "voted", "auto_reveal", "voting_open", "current__position")
        .first()
    )
    if found is None:
        raise Http404
    if (
        found["auto_reveal"]
        and found["voting_open"]
        and workshops.everyone_voted(joined=found["joined"], voted=found["voted"])
    ):
        # Refused when someone moved on in the meantime: then show what is there now.
        with contextlib.suppress(workshops.WorkshopRefused):
            workshops.reveal(session=WorkshopSession(pk=pk), at=found["current__position"])
    elif request.headers.get("If-None-Match") == _stage_etag_of(pk, **found):
        return not_modified_or(request, _stage_etag_of(pk, **found), render_response=None)
    session = _get_session(access, pk, counts=True)
    return not_modified_or(request, _stage_etag(session), lambda: _render_stage(request, session))


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
    """Confirm the end, showing per participant how many questions they voted on and who
    will count as a response; then end it."""
    session = _get_session(access, pk)
    if request.method != "POST":
        if session.is_ended:
            return redirect("workshop:results", slug=access.organisation.slug, pk=pk)
        return render(
            request,
            "workshop/end.html",
            {
                "access": access,
                "session": session,
                "assessment": session.assessment,
                "counting": workshops.counting(session),
                "outcome": workshops.Outcome,
            },
        )
    try:
        ended = workshops.end_session(session=session)
    except workshops.WorkshopRefused as refused:
        messages.info(request, refused.message)
    else:
        if ended.not_counted:
            messages.warning(request, ended.not_counted)
        elif session.counts_in_results:
            messages.success(request, _ended_message(ended))
        else:
            messages.success(request, _("The session has ended."))
    return redirect("workshop:results", slug=access.organisation.slug, pk=pk)


def _ended_message(ended: workshops.Ended) -> str:
    message = ngettext(
        "The session has ended. %(count)d participant's votes now count as a response.",
        "The session has ended. %(count)d participants' votes now count as responses.",
        ended.responses,
    ) % {"count": ended.responses}
    if ended.too_few:
        message += " " + ngettext(
            "%(count)d participant voted on fewer than %(needed)d of the %(total)d questions "
            "and does not count.",
            "%(count)d participants voted on fewer than %(needed)d of the %(total)d questions "
            "and do not count.",
            ended.too_few,
        ) % {"count": ended.too_few, "needed": ended.needed, "total": ended.total}
    return message


@require_POST
@organisation_view(roles=CONSULTANTS)
def remove_participant(request, access, pk, participant_pk):
    """Take someone out of the room before the end: their votes stop counting, their device
    is out. Back to the page the presenter came from."""
    session = _get_session(access, pk)
    try:
        removed = workshops.remove_participant(session=session, participant_id=participant_pk)
    except workshops.WorkshopRefused as refused:
        if refused.status == 404:
            raise Http404 from refused
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("%(who)s was removed: their votes no longer count.") % {"who": removed.label},
        )
    return redirect("workshop:end", slug=access.organisation.slug, pk=pk)


@organisation_view(roles=CONSULTANTS)
def results(request, access, pk):
    session = _get_session(access, pk)
    questions = list(session.questions.select_related("question__pillar").order_by("position"))
    found = workshops.distributions(questions)
    for question in questions:
        votes = found.get(question.pk, {})
        question.rounds, question.rows = distribution_table(question, votes, sorted(votes))
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
            "participants": session.participants.present().count(),
            "counted": session.participants.filter(counted=True).count(),
            "comparison": workshops.compare_votes_and_consensus(session),
            "min_votes": workshops.MIN_VOTES_SHOWN,
        },
    )
