"""The respondent's journey through a personal link: no account, no password.

The link in the e-mail, `/r/<token>/`, is only an entry: it exchanges the token for a signed
cookie and redirects to pages under `/respond/` that carry no token, so that the token shows
up in no later URL, access log or Referer header. The cookie names the response and the hash
of its current token: once a newer link is sent, the old cookie stops working too.
"""

import re
from contextlib import nullcontext
from copy import copy
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import evidence, loading, services, workshops
from ..forms import (
    ImportanceForm,
    PerspectiveForm,
    has_control_characters,
    parse_answer,
    with_replacement,
)
from ..models import Assessment, Pillar, ReplacedLink, Response
from .workshop.forms import JoinForm
from .workshop.room import remember

COOKIE = "respondent"
COOKIE_SALT = "assessments.respond.link"
# Long enough to come back to an assessment that stays open for months; after that, the
# link from the e-mail works again.
COOKIE_MAX_AGE = timedelta(days=120)
COOKIE_VALUE = re.compile(r"(?P<pk>[0-9]{1,18}):(?P<token_hash>[0-9a-f]{64})")

PROBLEMS = {
    "invalid": (
        404,
        gettext_lazy(
            "This link is not valid. Check that you opened the whole link from your e-mail."
        ),
    ),
    "no_link": (
        403,
        gettext_lazy(
            "This page opens only through your personal link, and this browser has not used "
            "it recently. Open the link from your e-mail again: your answers are kept."
        ),
    ),
    "unknown_pillar": (
        404,
        gettext_lazy(
            "This part of the questionnaire does not exist. Open your link again to continue "
            "where you left off."
        ),
    ),
    "replaced": (
        410,
        gettext_lazy(
            "A newer link was sent to you, and this one no longer works. Open the link in the "
            "latest e-mail: your answers are kept."
        ),
    ),
    "revoked": (
        410,
        gettext_lazy("This link was withdrawn. Ask the consultant who invited you for a new one."),
    ),
    "closed": (
        410,
        gettext_lazy("This assessment is not open for answers. Thank you for your interest."),
    ),
    "closed_after_submission": (
        410,
        gettext_lazy(
            "Thank you for taking part. Your submitted answers count in the results; they are "
            "no longer shown here."
        ),
    ),
    "submitted": (
        409,
        gettext_lazy("Your answers were already submitted and can no longer be changed."),
    ),
}
# Instead of "This link cannot be used", where the link did its job and the page says why
# there is nothing more to see.
HEADINGS = {"closed_after_submission": gettext_lazy("This assessment is closed")}


def problem(
    request, reason: str, *, partial: bool = False, assessment: Assessment | None = None
) -> HttpResponse:
    """A page (or an htmx status line) saying why the link cannot be used, and whom to ask."""
    status, message = PROBLEMS[reason]
    template = "respond/_status.html" if partial else "respond/problem.html"
    context = {
        "heading": HEADINGS.get(reason),
        "message": message,
        "error": True,
        "contact": assessment.contact if assessment is not None else None,
        "organisation": assessment.organisation if assessment is not None else None,
    }
    return render(request, template, context, status=status)


class Refused(Exception):
    """The response's pages cannot be shown: `reason` is a key of PROBLEMS."""

    def __init__(self, reason: str, assessment: Assessment | None = None):
        super().__init__(reason)
        self.reason = reason
        self.assessment = assessment


def _ensure_usable(response: Response, *, editable: bool) -> None:
    """Raise Refused unless this response's pages may be shown (and, if editable, changed).

    Once the assessment is closed, a link shows a closed notice and nothing of the answers,
    not even read-only: the link may sit in a shared mailbox long after.
    """
    try:
        services.ensure_editable(response)
    except services.ResponseClosed as closed:
        reason = closed.reason
        if reason == "submitted" and not response.assessment.is_accepting_answers:
            reason = "closed_after_submission"
        if editable or reason != "submitted":
            raise Refused(reason, response.assessment) from closed


def _set_cookie(request, page: HttpResponse, response: Response) -> None:
    page.set_signed_cookie(
        COOKIE,
        f"{response.pk}:{response.token_hash}",
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        # Sent only to the token-free pages, the only ones that read it.
        path=reverse("respond:resume"),
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def _response_from_cookie(request, *, page: bool = True, lock: bool = False) -> Response:
    """The response the cookie names, if its link is still the current one; else Refused.

    `page`: also read the organisation, whose name every page shows; an htmx save shows
    none, and is the request a respondent sends most often. `lock`: lock the response's
    row for the transaction, reading its answers with it, for the save that follows.
    """
    value = request.get_signed_cookie(
        COOKIE, default=None, salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE
    )
    match = COOKIE_VALUE.fullmatch(value or "")
    if match is None:
        raise Refused("no_link")
    if lock:
        response = services.lock_response(pk=match["pk"], token_hash=match["token_hash"])
        if response is not None:
            return response
    else:
        related = "assessment__organisation" if page else "assessment"
        try:
            # get(), not first(): no ordering to compile on the request sent most often.
            return Response.objects.select_related(related).get(
                pk=match["pk"], token_hash=match["token_hash"]
            )
        except Response.DoesNotExist:
            pass
    replaced = (
        ReplacedLink.objects.select_related("response__assessment__organisation")
        .filter(response_id=match["pk"], token_hash=match["token_hash"])
        .first()
    )
    if replaced is not None:
        raise Refused("replaced", replaced.response.assessment)
    raise Refused("no_link")


def respondent_view(*, editable: bool, page: bool = True, lock: bool = False):
    """Resolve the cookie that the personal link set to a response; refuse what no longer works.

    With editable=True, a submitted response is refused too (409), so that nothing
    already handed in can change. page=False for htmx fragments that show no organisation.
    lock=True for a view that saves one answer: the view runs in one transaction, and
    the link's lookup locks the response's row and reads its answers, which is the save's
    locked read (`services.lock_response`): a save costs one statement fewer.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                with transaction.atomic() if lock else nullcontext():
                    response = _response_from_cookie(request, page=page, lock=lock)
                    _ensure_usable(response, editable=editable)
                    try:
                        return view(request, response, *args, **kwargs)
                    except services.ResponseClosed as closed:
                        # Submitted, withdrawn or closed between the check above and a save.
                        raise Refused(closed.reason, response.assessment) from closed
            except Refused as refused:
                return problem(
                    request,
                    refused.reason,
                    partial=bool(request.htmx),
                    assessment=refused.assessment,
                )

        return wrapper

    return decorator


def _context(response: Response, **extra) -> dict:
    return {
        "response": response,
        "assessment": response.assessment,
        # Lazy: read only by the pages that show the way into a running workshop.
        "live_workshops": workshops.live_sessions(response.assessment),
        **extra,
    }


def _next_step(response: Response) -> str:
    """The address where this respondent goes on: the first thing still to do."""
    if response.is_submitted:
        return reverse("respond:resume")
    if not response.perspective:
        return reverse("respond:perspective")
    if not response.importance:
        return reverse("respond:importance")
    pillar, question = next(_unanswered(_outline_with_answers(response)), (None, None))
    if pillar is None:
        return reverse("respond:review")
    return reverse("respond:pillar", kwargs={"code": pillar.code}) + f"#q-{question.code}"


@never_cache
def start(request, token):
    """Where the link from the e-mail lands: swap the token for a cookie and go on without it."""
    try:
        response = services.find_response(token)
        _ensure_usable(response, editable=False)
    except Response.DoesNotExist:
        replaced = services.find_replaced_link(token)
        if replaced is not None:
            page = problem(request, "replaced", assessment=replaced.response.assessment)
        else:
            page = problem(request, "invalid")
    except Refused as refused:
        page = problem(request, refused.reason, assessment=refused.assessment)
    else:
        page = redirect(_next_step(response))
        _set_cookie(request, page, response)
    # This address holds the token: what the page loads (style sheets, icons) must not
    # carry it on in a Referer header.
    page.headers["Referrer-Policy"] = "no-referrer"
    return page


@never_cache
@respondent_view(editable=False)
def resume(request, response):
    """The next step, or the read-only answers once submitted (while the assessment is open)."""
    if response.is_submitted:
        return render(
            request,
            "respond/submitted.html",
            _context(response, pillars=_outline_with_answers(response)),
        )
    return redirect(_next_step(response))


@never_cache
@respondent_view(editable=True)
def perspective(request, response):
    # Not `request.POST or None`: a POST with no radio chosen must still show the error.
    data = request.POST if request.method == "POST" else None
    form = PerspectiveForm(
        data,
        initial={
            "perspective": response.perspective,
            "sees_all_questions": response.sees_all_questions,
        },
        reading_times=response.assessment.questionnaire.reading_times(),
    )
    if form.is_valid():
        services.start_response(
            response=response,
            perspective=form.cleaned_data["perspective"],
            sees_all_questions=form.cleaned_data["sees_all_questions"],
        )
        return redirect("respond:importance")
    return render(
        request,
        "respond/perspective.html",
        _context(response, form=form),
        status=400 if form.is_bound else 200,
    )


@never_cache
@respondent_view(editable=True)
def importance(request, response):
    pillars = [p.in_language() for p in response.assessment.questionnaire.pillars.order_by("order")]
    data = request.POST if request.method == "POST" else None
    form = ImportanceForm(data, pillars=pillars, initial=response.importance)
    if form.is_valid():
        services.save_importance(response=response, ratings=form.cleaned_data)
        return redirect("respond:resume")
    return render(
        request,
        "respond/importance.html",
        _context(response, form=form),
        status=400 if form.is_bound else 200,
    )


def _outline_with_answers(response: Response) -> list[Pillar]:
    """The respondent's pillars and questions, each question carrying their answer."""
    return _attach_answers(response.outline(), response)


def _attach_answers(outline: list[Pillar], response: Response) -> list[Pillar]:
    answers = response.answers_by_question()
    asking = set(response.assessment.evidence_questions)
    # Read only where the assessment asks for evidence at all.
    named = dict(response.evidence.values_list("question_id", "text")) if asking else {}
    for pillar in outline:
        for question in pillar.question_list:
            question.asks_evidence = question.code in asking
            question.evidence_text = named.get(question.id, "")
            question.answer = answers.get(question.id)
            question.is_answered = question.answer is not None and question.answer.is_answered
            if question.answer is not None:
                question.answer.question = question  # already loaded: no query per answer
        pillar.answered_count = sum(1 for q in pillar.question_list if q.is_answered)
    return outline


def _unanswered(pillars: list[Pillar]):
    """(pillar, question) for each question still without a level or a *don't know*."""
    for pillar in pillars:
        for question in pillar.question_list:
            if not question.is_answered:
                yield pillar, question


def _save_answers(response: Response, questions, data) -> dict[int, services.StaleAnswer]:
    """Save the answers the form holds for these questions.

    Every answer is validated first, and all are saved in one transaction: a page is saved
    whole or not at all. Only an answer changed elsewhere since the page was shown stays as
    it is saved; those come back by question id, for the respondent to choose.
    """
    parsed = [(question, parse_answer(data, question)) for question in questions]
    stale = {}
    with transaction.atomic():
        for question, given in parsed:
            _save_evidence(response, question, data)
            if given is None:
                continue
            try:
                services.save_answer(response=response, question=question, **given.as_arguments())
            except services.StaleAnswer as conflict:
                stale[question.pk] = conflict
    return stale


def _save_evidence(response: Response, question, data) -> None:
    """The evidence the form names for a question that asks for it, if the form has it."""
    text = data.get(f"e-{question.code}")
    if text is not None and question.code in response.assessment.evidence_questions:
        evidence.save_evidence(response=response, question=question, text=text)


# The buttons of a page that act on one question, and say what they did once it is saved.
QUESTION_ACTIONS = {
    "clear": gettext_lazy("The answer was cleared."),
    "keep": gettext_lazy("The saved answer was kept."),
    "replace": gettext_lazy("Your answer replaced the saved one."),
}


def _go_on(request, code: str, *, action: str | None, previous, following) -> HttpResponse:
    """Where a saved pillar page leads: back to the question a button acted on, or on."""
    if action is not None:
        messages.success(request, QUESTION_ACTIONS[action])
        anchor = f"#q-{request.POST[action]}"
        return redirect(reverse("respond:pillar", kwargs={"code": code}) + anchor)
    if "previous" in request.POST and previous is not None:
        return redirect("respond:pillar", code=previous.code)
    if following is None:
        return redirect("respond:review")
    return redirect("respond:pillar", code=following.code)


@never_cache
@respondent_view(editable=True)
def pillar(request, response, code):
    outline = response.outline()
    position = next((i for i, p in enumerate(outline) if p.code == code), None)
    if position is None:
        return problem(request, "unknown_pillar")
    current = outline[position]
    previous = outline[position - 1] if position > 0 else None
    following = outline[position + 1] if position + 1 < len(outline) else None
    error, stale = None, {}
    if request.method == "POST":
        codes = {question.code for question in current.question_list}
        # A button acting on one question ("Clear answer", "Keep the saved answer"…) names it.
        action = next((name for name in QUESTION_ACTIONS if request.POST.get(name) in codes), None)
        try:
            stale = _save_answers(response, current.question_list, with_replacement(request.POST))
        except services.InvalidAnswer as invalid:
            error = str(invalid)
        else:
            # With answers to choose between, the page again (the rest of it is saved).
            if not stale:
                return _go_on(request, code, action=action, previous=previous, following=following)
    pillars = _attach_answers(outline, response)
    for question in current.question_list:
        question.conflict = stale.get(question.pk)
    context = _context(
        response,
        pillars=pillars,
        pillar=current,
        previous=previous,
        following=following,
        progress=response.progress(),
        error=error,
        stale=len(stale),
    )
    return render(request, "respond/pillar.html", context, status=400 if error else 200)


@never_cache
@require_POST
@respondent_view(editable=True, page=False, lock=True)
def answer(request, response, code):
    """Save one answer as it is given (htmx); answers a status line and the new progress.

    An answer changed elsewhere since the page was shown is not overwritten: 409, with the
    question shown again as saved, and the choice to keep that or replace it.
    """
    if has_control_characters(code):
        return render(
            request,
            "respond/_status.html",
            {"message": _("This question code is not valid."), "error": True},
            status=400,
        )
    question = loading.questions_by_code(response.assessment.questionnaire_id).get(code)
    if question is None or not response.asks(question):
        return render(
            request,
            "respond/_status.html",
            {"message": _("This question is not part of this assessment."), "error": True},
            status=404,
        )
    try:
        _save_evidence(response, question, request.POST)
        given = parse_answer(request.POST, question)
        if given is None:  # the form holds nothing of this question: nothing to save
            saved = None
            progress = response.progress()
        else:
            saved = services.save_answer(
                response=response, question=question, **given.as_arguments()
            )
            progress = saved.progress
    except services.InvalidAnswer as invalid:
        return render(
            request, "respond/_status.html", {"message": str(invalid), "error": True}, status=400
        )
    except services.StaleAnswer as conflict:
        # A copy: the question index is shared by every request of the process.
        question = copy(question)
        question.answer, question.conflict = conflict.saved, conflict
        page = render(request, "respond/_question.html", {"question": question}, status=409)
        page.headers["HX-Retarget"] = "this"  # the question's fieldset, which sent the save
        page.headers["HX-Reswap"] = "outerHTML"
        return page
    # Not `_context`: a status line shows no page around it.
    context = {"saved": saved, "question": question, "progress": progress}
    return render(request, "respond/_saved.html", context)


@never_cache
@respondent_view(editable=True)
def review(request, response):
    pillars = _outline_with_answers(response)
    unanswered = list(_unanswered(pillars))
    return render(
        request,
        "respond/review.html",
        _context(
            response,
            pillars=pillars,
            unanswered=unanswered,
            progress=response.progress(),
        ),
    )


@never_cache
@require_POST
@respondent_view(editable=True)
def submit(request, response):
    services.submit_response(response=response)
    return redirect("respond:resume")


@never_cache
@respondent_view(editable=False)
def workshop(request, response, code):
    """Join a running workshop of this assessment as the invitee this link belongs to: one
    person, so the votes go into this response and are never counted a second time."""
    session = workshops.live_sessions(response.assessment).filter(code=code).first()
    if session is None:
        return render(
            request,
            "respond/problem.html",
            {
                "message": _("This workshop is not running. Check the code on the screen."),
                "error": True,
                "organisation": response.assessment.organisation,
            },
            status=404,
        )
    form = JoinForm(
        request.POST if request.method == "POST" else None,
        initial={"display_name": response.name, "perspective": response.perspective},
    )
    message, status = "", 400 if form.is_bound else 200
    if not form.is_bound and session.participants.present().filter(response=response).exists():
        message = _(
            "You have joined this workshop already. Joining here brings this device to your "
            "place, with your votes."
        )
    if form.is_valid():
        try:
            participant = workshops.join_session(
                session=session,
                perspective=form.cleaned_data["perspective"],
                display_name=form.cleaned_data["display_name"],
                response=response,
            )
        except workshops.WorkshopRefused as refused:
            message, status = refused.message, refused.status
        else:
            page = redirect("workshop:room", code=session.code)
            remember(page, participant, session.code)
            return page
    return render(
        request,
        "respond/workshop.html",
        _context(response, session=session, form=form, message=message),
        status=status,
    )
