"""Consultants set up assessments and follow their progress; managers see counts only."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import CONSULTANTS, RESULT_READERS, organisation_view

from .. import loading, services
from ..forms import AssessmentForm, InviteRespondentsForm
from ..models import Assessment


def _assessment(access, pk: int) -> Assessment:
    """An assessment of the organisation in the URL, never another one's."""
    return get_object_or_404(
        Assessment.objects.with_progress().select_related("questionnaire"),
        organisation=access.organisation,
        pk=pk,
    )


@organisation_view(roles=CONSULTANTS)
def create(request, access):
    form = AssessmentForm(request.POST or None)
    if form.is_valid():
        assessment = services.create_assessment(
            organisation=access.organisation, created_by=request.user, **form.cleaned_data
        )
        messages.success(request, _("The assessment was created. Open it to collect answers."))
        return redirect(assessment)
    return render(request, "assessments/assessment_form.html", {"form": form, "access": access})


@organisation_view(roles=CONSULTANTS)
def edit(request, access, pk):
    assessment = _assessment(access, pk)
    form = AssessmentForm(request.POST or None, instance=assessment)
    if form.is_valid():
        form.save()
        messages.success(request, _("Changes saved."))
        return redirect(assessment)
    return render(
        request,
        "assessments/assessment_form.html",
        {"form": form, "access": access, "assessment": assessment},
    )


@organisation_view(roles=RESULT_READERS)
def detail(request, access, pk):
    assessment = _assessment(access, pk)
    context = {"access": access, "assessment": assessment}
    # Below the anonymity threshold an aggregate could be one person's answers: managers wait.
    needed = 1 if access.can_manage else assessment.anonymity_threshold
    if assessment.submitted_count >= needed:
        context["result"] = loading.score_assessment(assessment)
    if access.can_manage:
        # Who has answered is for consultants only: managers see counts, never names.
        context["responses"] = assessment.responses.order_by("email", "pk")
        context["invite_form"] = InviteRespondentsForm()
    return render(request, "assessments/assessment_detail.html", context)


@require_POST
@organisation_view(roles=CONSULTANTS)
def open_for_answers(request, access, pk):
    assessment = _assessment(access, pk)
    services.open_assessment(assessment=assessment)
    messages.success(request, _("The assessment is open: respondent links work now."))
    return redirect(assessment)


@require_POST
@organisation_view(roles=CONSULTANTS)
def close(request, access, pk):
    assessment = _assessment(access, pk)
    services.close_assessment(assessment=assessment)
    messages.success(request, _("The assessment is closed: links no longer accept answers."))
    return redirect(assessment)


@organisation_view(roles=CONSULTANTS)
def invite(request, access, pk):
    assessment = _assessment(access, pk)
    form = InviteRespondentsForm(request.POST or None)
    if form.is_valid():
        invited = services.invite_respondents(
            assessment=assessment, emails=form.cleaned_data["emails"]
        )
        skipped = len(form.cleaned_data["emails"]) - len(invited)
        message = ngettext(
            "%(count)d personal link was sent.", "%(count)d personal links were sent.", len(invited)
        ) % {"count": len(invited)}
        if skipped:
            message += " " + ngettext(
                "%(count)d address already had a link.",
                "%(count)d addresses already had a link.",
                skipped,
            ) % {"count": skipped}
        messages.success(request, message)
        return redirect(assessment)
    return render(
        request,
        "assessments/invite_respondents.html",
        {"form": form, "access": access, "assessment": assessment},
        status=400 if request.method == "POST" else 200,
    )


def _response(access, pk: int, response_pk: int):
    assessment = _assessment(access, pk)
    return assessment, get_object_or_404(assessment.responses, pk=response_pk)


@require_POST
@organisation_view(roles=CONSULTANTS)
def resend(request, access, pk, response_pk):
    assessment, response = _response(access, pk, response_pk)
    if response.is_submitted:
        messages.error(request, _("This respondent has already submitted."))
    elif not response.email:
        messages.error(request, _("This link has no e-mail address to send it to."))
    else:
        services.resend_link(response=response)
        messages.success(
            request, _("A new link was sent to %(email)s.") % {"email": response.email}
        )
    return redirect(assessment)


@require_POST
@organisation_view(roles=CONSULTANTS)
def revoke(request, access, pk, response_pk):
    assessment, response = _response(access, pk, response_pk)
    services.revoke_link(response=response)
    messages.success(
        request, _("The link of %(email)s no longer works.") % {"email": response.email or "—"}
    )
    return redirect(assessment)
