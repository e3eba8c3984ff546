"""One assessment's dashboard, and the comments a consultant shares with the client."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import CONSULTANTS, RESULT_READERS
from assessments import plan, services, workshops
from assessments.access import assessment_view
from assessments.results.access import published_results, results_for

from .. import presenters, selectors
from ..forms import ShareCommentForm
from .common import no_results


@assessment_view(roles=RESULT_READERS)
def dashboard(request, access, assessment):
    """Consultants see live figures (or, asked for, what the client sees); client managers
    the latest published results."""
    if access.can_manage and request.GET.get("view") == "published":
        results = published_results(assessment)
    else:
        results = results_for(access, assessment)
    if results is None or not results.result.respondents:
        return no_results(request, access, assessment, title=_("Dashboard"))
    page = presenters.report_page(
        assessment,
        results,
        selectors.shared_quotes(assessment, results),
        previous_names=selectors.previous_names(assessment, results.report),
        previous_questionnaire=selectors.previous_questionnaire(assessment, results.report),
        plan=selectors.client_plan(assessment, timezone.localdate()),
    )
    return render(
        request,
        "reports/dashboard.html",
        {
            "access": access,
            "assessment": assessment,
            "page": page,
            "result": page.result,
            # Whether there is a publication to download or to look at: its date, not its
            # figures.
            "published": results.snapshot or assessment.latest_snapshot(with_report=False),
            "show_codes": access.can_manage,
            # What live workshops agreed: the consultant's working material, not published.
            "workshops": workshops.summaries(assessment) if page.live else [],
            # On a follow-up: whether the questions of the previous plan's actions moved.
            "outcomes": plan.outcomes(assessment, results),
        },
    )


@assessment_view(roles=CONSULTANTS)
def comments(request, access, assessment):
    """Every comment of the submitted responses; the consultant shares some with the client."""
    if request.method == "POST":
        form = ShareCommentForm(request.POST)
        if not form.is_valid():
            return _comments_page(request, access, assessment, form=form, status=400)
        answer = get_object_or_404(
            selectors.comments_to_review(assessment), pk=form.cleaned_data["answer"]
        )
        try:
            services.share_comment(answer=answer, shared=form.cleaned_data["shared"])
        except services.InvalidAnswer as refusal:
            form.add_error(None, str(refusal))
            return _comments_page(request, access, assessment, form=form, status=400)
        if request.htmx:
            return render(
                request,
                "reports/_comment.html",
                {
                    "access": access,
                    "assessment": assessment,
                    "answer": answer,
                    "counted": _counted(assessment),
                    "announce": True,
                },
            )
        if form.cleaned_data["shared"]:
            messages.success(request, _("The comment is shared with the client's management."))
        else:
            messages.success(request, _("The comment is no longer shared."))
        url = reverse("reports:comments", args=[access.organisation.slug, assessment.pk])
        return redirect(f"{url}#comment-{answer.pk}")
    return _comments_page(request, access, assessment, form=None)


def _counted(assessment) -> set[int]:
    """The responses the latest published results count: their shared comments reach the
    client's management now, the others with the next publication."""
    latest = assessment.latest_snapshot(with_report=False)
    return set(latest.response_ids) if latest else set()


def _comments_page(request, access, assessment, *, form, status: int = 200):
    answers = list(selectors.comments_to_review(assessment))
    return render(
        request,
        "reports/comments.html",
        {
            "access": access,
            "assessment": assessment,
            "answers": answers,
            "shared_count": sum(1 for answer in answers if answer.comment_shared_at),
            "counted": _counted(assessment),
            "form": form,
        },
        status=status,
    )
