"""The respondent's journey through a personal link: no account, no password."""

from functools import wraps

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import services
from ..forms import ImportanceForm, PerspectiveForm, has_control_characters, parse_answer
from ..models import Assessment, Pillar, Question, Response

PROBLEMS = {
    "invalid": (
        404,
        gettext_lazy(
            "This link is not valid. Check that you opened the whole link from your e-mail."
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
    "submitted": (
        409,
        gettext_lazy("Your answers were already submitted and can no longer be changed."),
    ),
}


def problem(
    request, reason: str, *, partial: bool = False, assessment: Assessment | None = None
) -> HttpResponse:
    """A page (or an htmx status line) saying why the link cannot be used, and whom to ask."""
    status, message = PROBLEMS[reason]
    template = "respond/_status.html" if partial else "respond/problem.html"
    context = {
        "message": message,
        "error": True,
        "contact": assessment.contact if assessment is not None else None,
        "organisation": assessment.organisation if assessment is not None else None,
    }
    return render(request, template, context, status=status)


def respondent_view(*, editable: bool):
    """Resolve the token in the URL to a response; refuse links that no longer work.

    With editable=True, a submitted response is refused too (409), so that nothing
    already handed in can change.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, token, *args, **kwargs):
            try:
                response = services.find_response(token)
            except Response.DoesNotExist:
                replaced = services.find_replaced_link(token)
                if replaced is not None:
                    return problem(request, "replaced", assessment=replaced.response.assessment)
                return problem(request, "invalid")
            try:
                services.ensure_editable(response)
            except services.ResponseClosed as closed:
                if editable or closed.reason != "submitted":
                    return problem(
                        request,
                        closed.reason,
                        partial=bool(request.htmx),
                        assessment=response.assessment,
                    )
            return view(request, response, token, *args, **kwargs)

        return wrapper

    return decorator


def _context(response: Response, token: str, **extra) -> dict:
    return {"response": response, "assessment": response.assessment, "token": token, **extra}


@respondent_view(editable=False)
def start(request, response, token):
    """Where a link lands: the next step, or the read-only answers once submitted."""
    if response.is_submitted:
        return render(
            request,
            "respond/submitted.html",
            _context(response, token, pillars=_outline_with_answers(response)),
        )
    if not response.perspective:
        return redirect("respond:perspective", token=token)
    if not response.importance:
        return redirect("respond:importance", token=token)
    pillar, question = next(_unanswered(_outline_with_answers(response)), (None, None))
    if pillar is None:
        return redirect("respond:review", token=token)
    url = reverse("respond:pillar", kwargs={"token": token, "code": pillar.code})
    return redirect(f"{url}#q-{question.code}")


@respondent_view(editable=True)
def perspective(request, response, token):
    # Not `request.POST or None`: a POST with no radio chosen must still show the error.
    data = request.POST if request.method == "POST" else None
    form = PerspectiveForm(
        data,
        initial={
            "perspective": response.perspective,
            "sees_all_questions": response.sees_all_questions,
        },
    )
    if form.is_valid():
        services.start_response(
            response=response,
            perspective=form.cleaned_data["perspective"],
            sees_all_questions=form.cleaned_data["sees_all_questions"],
        )
        return redirect("respond:importance", token=token)
    return render(
        request,
        "respond/perspective.html",
        _context(response, token, form=form),
        status=400 if form.is_bound else 200,
    )


@respondent_view(editable=True)
def importance(request, response, token):
    pillars = response.assessment.questionnaire.pillars.order_by("order")
    data = request.POST if request.method == "POST" else None
    form = ImportanceForm(data, pillars=pillars, initial=response.importance)
    if form.is_valid():
        services.save_importance(response=response, ratings=form.cleaned_data)
        return redirect("respond:start", token=token)
    return render(
        request,
        "respond/importance.html",
        _context(response, token, form=form),
        status=400 if form.is_bound else 200,
    )


def _outline_with_answers(response: Response) -> list[Pillar]:
    """The respondent's pillars and questions, each question carrying their answer."""
    return _attach_answers(response.outline(), response)


def _attach_answers(outline: list[Pillar], response: Response) -> list[Pillar]:
    answers = response.answers_by_question()
    for pillar in outline:
        for question in pillar.question_list:
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


def _save_answers(response: Response, questions, data) -> int:
    """Save the answers the form holds for these questions; return how many there were.

    Every answer is validated first, and all are saved in one transaction: a page is
    saved whole or not at all.
    """
    parsed = [(question, parse_answer(data, question)) for question in questions]
    given = [(question, answer) for question, answer in parsed if answer is not None]
    with transaction.atomic():
        for question, (level, dont_know, comment) in given:
            services.save_answer(
                response=response,
                question=question,
                level=level,
                dont_know=dont_know,
                comment=comment,
            )
    return len(given)


@respondent_view(editable=True)
def pillar(request, response, token, code):
    outline = response.outline()
    position = next((i for i, p in enumerate(outline) if p.code == code), None)
    if position is None:
        return problem(request, "unknown_pillar")
    current = outline[position]
    previous = outline[position - 1] if position > 0 else None
    following = outline[position + 1] if position + 1 < len(outline) else None
    error = None
    if request.method == "POST":
        try:
            _save_answers(response, current.question_list, request.POST)
        except services.InvalidAnswer as invalid:
            error = str(invalid)
        else:
            if "previous" in request.POST and previous is not None:
                return redirect("respond:pillar", token=token, code=previous.code)
            if following is None:
                return redirect("respond:review", token=token)
            return redirect("respond:pillar", token=token, code=following.code)
    context = _context(
        response,
        token,
        pillars=_attach_answers(outline, response),
        pillar=current,
        previous=previous,
        following=following,
        progress=response.progress(),
        error=error,
    )
    return render(request, "respond/pillar.html", context, status=400 if error else 200)


@require_POST
@respondent_view(editable=True)
def answer(request, response, token, code):
    """Save one answer as it is given (htmx); answers a status line and the new progress."""
    if has_control_characters(code):
        return render(
            request,
            "respond/_status.html",
            {"message": _("This question code is not valid."), "error": True},
            status=400,
        )
    question = Question.objects.filter(
        questionnaire_id=response.assessment.questionnaire_id, code=code
    ).first()
    if question is None or not response.asks(question):
        return render(
            request,
            "respond/_status.html",
            {"message": _("This question is not part of this assessment."), "error": True},
            status=404,
        )
    try:
        saved = _save_answers(response, [question], request.POST) > 0
    except services.InvalidAnswer as invalid:
        return render(
            request, "respond/_status.html", {"message": str(invalid), "error": True}, status=400
        )
    context = _context(
        response,
        token,
        saved=saved,
        progress=response.progress(),
    )
    return render(request, "respond/_saved.html", context)


@respondent_view(editable=True)
def review(request, response, token):
    pillars = _outline_with_answers(response)
    unanswered = list(_unanswered(pillars))
    return render(
        request,
        "respond/review.html",
        _context(
            response,
            token,
            pillars=pillars,
            unanswered=unanswered,
            progress=response.progress(),
        ),
    )


@require_POST
@respondent_view(editable=True)
def submit(request, response, token):
    services.submit_response(response=response)
    return redirect("respond:start", token=token)
