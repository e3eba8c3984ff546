"""Where each person lands, the client list, an organisation's assessments over time, and
one assessment's dashboard, PDF report and shared comments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from accounts.access import CONSULTANTS, RESULT_READERS, organisation_view
from accounts.models import Organisation
from assessments import services
from assessments.access import assessment_view
from assessments.services import close_due_assessments

from . import exporters, presenters, selectors
from .forms import ShareCommentForm


@login_required
def home(request):
    """Send each person to where their work is: one organisation's page, or the list."""
    user = request.user
    if not (user.is_staff or user.is_consultant):
        memberships = list(user.memberships.select_related("organisation")[:2])
        if len(memberships) == 1:
            return redirect(memberships[0].organisation)
    return redirect("reports:portfolio")


def can_create_organisations(user) -> bool:
    return user.is_staff or user.is_consultant


@login_required
def portfolio(request):
    organisations = Organisation.objects.visible_to(request.user, roles=RESULT_READERS).annotate(
        member_count=Count("memberships", distinct=True)
    )
    return render(
        request,
        "reports/portfolio.html",
        {"organisations": organisations, "can_create": can_create_organisations(request.user)},
    )


@organisation_view(roles=RESULT_READERS)
def organisation(request, access):
    organisation = access.organisation
    close_due_assessments(organisation=organisation)
    return render(
        request,
        "reports/organisation.html",
        {
            "access": access,
            "organisation": organisation,
            "assessments": organisation.assessments.with_progress().select_related("questionnaire"),
        },
    )


# One assessment's results


def _no_results(request, access, assessment, *, title: str):
    """What a dashboard or a download shows before there is anything to show, and why."""
    return render(
        request,
        "reports/no_results.html",
        {"access": access, "assessment": assessment, "title": title},
    )


@assessment_view(roles=RESULT_READERS)
def dashboard(request, access, assessment):
    """Consultants see live figures (or, asked for, what the client sees); client managers
    the latest published results."""
    if access.can_manage and request.GET.get("view") == "published":
        results = selectors.published_results(assessment)
    else:
        results = selectors.visible_results(access, assessment)
    if results is None or not results.result.respondents:
        return _no_results(request, access, assessment, title=_("Dashboard"))
    page = presenters.report_page(assessment, results, selectors.shared_quotes(assessment, results))
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
            "published": results.snapshot or assessment.snapshots.defer("report").first(),
            "show_codes": access.can_manage,
        },
    )


def _send(export: exporters.Export) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=export.filename
    )
    response["Cache-Control"] = "private, no-cache"
    return response


@assessment_view(roles=RESULT_READERS)
def report_pdf(request, access, assessment):
    """The PDF of the published results: what the client's management hands to its board."""
    export = exporters.published_report_pdf(assessment)
    if export is None:
        return _no_results(request, access, assessment, title=_("PDF report"))
    return _send(export)


@assessment_view(roles=CONSULTANTS)
def draft_pdf(request, access, assessment):
    """The PDF of the live figures, marked as a draft on every page."""
    export = exporters.draft_report_pdf(assessment)
    if export is None:
        return _no_results(request, access, assessment, title=_("Draft PDF report"))
    return _send(export)


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
    latest = assessment.snapshots.defer("report").first()
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
