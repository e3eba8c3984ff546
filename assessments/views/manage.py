"""Consultants set up assessments, follow their progress and publish results; client managers
read the published results."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import CONSULTANTS, RESULT_READERS, organisation_view

from .. import followup, services
from ..access import assessment_view
from ..forms import AssessmentForm, InvitePreviousForm, InviteRespondentsForm, PublicationForm
from ..models import Assessment, ResultSnapshot
from ..results import entries, publication
from ..results.access import results_for

# A bank's or a public body's assessment has thousands of respondents: a page at a time.
RESPONDENTS_PER_PAGE = 50


def _confirm(
    request, assessment: Assessment, *, title: str, message: str, button: str, danger: bool = False
):
    """A page that asks before an action that cannot be undone; its form posts back here."""
    return render(
        request,
        "assessments/confirm.html",
        {
            "access": request.organisation_access,
            "assessment": assessment,
            "title": title,
            "message": message,
            "button": button,
            "danger": danger,
        },
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


@assessment_view(roles=CONSULTANTS)
def edit(request, access, assessment):
    form = AssessmentForm(request.POST or None, instance=assessment)
    if form.is_valid():
        form.save()
        entries.refresh_entries([assessment.organisation_id])
        messages.success(request, _("Changes saved."))
        return redirect(assessment)
    return render(
        request,
        "assessments/assessment_form.html",
        {"form": form, "access": access, "assessment": assessment},
    )


@assessment_view(roles=RESULT_READERS)
def detail(request, access, assessment):
    context = {
        "access": access,
        "assessment": assessment,
        "results": results_for(access, assessment),
    }
    if access.can_manage:
        # Who has answered is for consultants only: managers see counts, never names.
        respondents = Paginator(
            assessment.responses.select_related("contact").order_by("contact__email", "pk"),
            RESPONDENTS_PER_PAGE,
        )
        page = respondents.get_page(request.GET.get("page"))
        context["responses"] = page.object_list
        context["page"] = page
        context["page_range"] = respondents.get_elided_page_range(page.number, on_each_side=2)
        context["publication"] = publication.publication_status(assessment)
        # A follow-up compares with what was submitted: nothing submitted, nothing to follow.
        context["can_follow_up"] = (
            assessment.status != Assessment.Status.DRAFT and assessment.submitted_count > 0
        )
        if assessment.status != Assessment.Status.CLOSED:
            context["invite_form"] = InviteRespondentsForm()
        if assessment.status == Assessment.Status.OPEN:
            # Offered only when there is somebody to invite again, not on a first assessment.
            previous = followup.previous_assessment(assessment)
            context["previous"] = previous
            context["previous_invitees"] = len(followup.invitees_from(previous, into=assessment))
    return render(request, "assessments/assessment_detail.html", context)


@require_POST
@assessment_view(roles=CONSULTANTS)
def open_for_answers(request, access, assessment):
    try:
        services.open_assessment(assessment=assessment)
    except services.CannotOpen as refusal:
        messages.error(request, refusal.reason)
    else:
        messages.success(request, _("The assessment is open: respondent links work now."))
        if followup.previous_invitees(assessment):
            # A follow-up: offer the people invited last time their new links straight away.
            return redirect("assessments:invite_previous", access.organisation.slug, assessment.pk)
        # Straight to the invitation form, which is the next step, further down the page.
        return redirect(assessment.get_absolute_url() + "#invite")
    return redirect(assessment)


@assessment_view(roles=CONSULTANTS)
def close(request, access, assessment):
    status = publication.publication_status(assessment)
    preview = publication.prepare(assessment) if status.can_publish else None
    form = _publication_form(request, assessment, preview)
    if request.method != "POST" or not form.is_valid():
        return _publication_page(
            request,
            assessment,
            preview,
            form,
            title=_("Close “%(title)s”?") % {"title": assessment.title},
            message=_(
                "Respondent links stop taking answers, and the final results are published "
                "for the client's management when enough new responses came in. You can "
                "reopen the assessment later."
            ),
            button=_("Close the assessment"),
            danger=True,
        )
    snapshot = services.close_assessment(
        assessment=assessment, closed_by=request.user, dismissals=form.dismissals()
    )
    if snapshot is not None:
        messages.success(
            request,
            _(
                "The assessment is closed, and its final results are published for the "
                "client's management."
            ),
        )
    else:
        messages.warning(
            request,
            _("The assessment is closed. %(why)s")
            % {"why": _why_not_published(publication.publication_status(assessment))},
        )
    return redirect(assessment)


def _publication_form(request, assessment: Assessment, preview) -> PublicationForm:
    items = preview.needs_decision(assessment.anonymity_threshold) if preview else ()
    return PublicationForm(request.POST if request.method == "POST" else None, items=items)


def _publication_page(request, assessment, preview, form, *, title, message, button, danger=False):
    """Before publishing: what the client's management will see, what is withheld and why,
    and a decision on each red flag that rests on a few people."""
    threshold = assessment.anonymity_threshold
    context = {
        "access": request.organisation_access,
        "assessment": assessment,
        "title": title,
        "message": message,
        "button": button,
        "danger": danger,
        "form": form,
        "preview": preview,
    }
    if preview is not None:
        result = preview.report.result
        context |= {
            "result": result,
            "pillar_rows": list(zip(result.pillars, preview.live.pillars, strict=True)),
            "withheld_questions": [q for q in result.questions.values() if q.withheld],
            "groups": publication.perspective_advice(preview, threshold),
            "threshold": threshold,
        }
    status = 400 if request.method == "POST" else 200
    return render(request, "assessments/publish.html", context, status=status)


def _why_not_published(status: publication.PublicationStatus) -> str:
    if status.latest is None:
        return ngettext(
            "Nothing was published: at least %(needed)d submitted response is needed.",
            "Nothing was published: at least %(needed)d submitted responses are needed.",
            status.needed,
        ) % {"needed": status.needed}
    return ngettext(
        "The results published on %(date)s stay what the client's management sees: "
        "%(missing)d more submitted response is needed for a new publication, so that no "
        "difference between two publications rests on fewer than %(needed)d people.",
        "The results published on %(date)s stay what the client's management sees: "
        "%(missing)d more submitted responses are needed for a new publication, so that no "
        "difference between two publications rests on fewer than %(needed)d people.",
        status.missing,
    ) % {
        "date": date_format(status.latest.published_at, "DATE_FORMAT"),
        "missing": status.missing,
        "needed": status.needed,
    }


@assessment_view(roles=CONSULTANTS)
def publish(request, access, assessment):
    status = publication.publication_status(assessment)
    if not status.can_publish:
        messages.warning(request, _why_not_published(status))
        return redirect(assessment)
    preview = publication.prepare(assessment)
    form = _publication_form(request, assessment, preview)
    if request.method != "POST" or not form.is_valid():
        return _publication_page(
            request,
            assessment,
            preview,
            form,
            title=_("Publish results?"),
            message=ngettext(
                "The client's management will see the results of the %(count)d submitted "
                "response as they stand now. A publication cannot be changed afterwards; a "
                "new one needs %(needed)d more submitted responses.",
                "The client's management will see the results of the %(count)d submitted "
                "responses as they stand now. A publication cannot be changed afterwards; a "
                "new one needs %(needed)d more submitted responses.",
                assessment.submitted_count,
            )
            % {"count": assessment.submitted_count, "needed": status.needed},
            button=_("Publish for the client's management"),
        )
    kind = (
        ResultSnapshot.Kind.FINAL
        if assessment.status == Assessment.Status.CLOSED
        else ResultSnapshot.Kind.INTERIM
    )
    try:
        publication.publish_results(
            assessment=assessment,
            published_by=request.user,
            kind=kind,
            dismissals=form.dismissals(),
        )
    except publication.PublishRefused as refusal:
        messages.warning(request, _why_not_published(refusal.status))
    else:
        messages.success(request, _("The results are published for the client's management."))
    return redirect(assessment)


@assessment_view(roles=CONSULTANTS)
def invite(request, access, assessment):
    form = InviteRespondentsForm(request.POST or None)
    refusal = services.invitation_refusal(assessment)
    if refusal:
        messages.error(request, refusal)
        return redirect(assessment)
    if form.is_valid():
        invited = services.invite_respondents(
            assessment=assessment,
            invitees=form.cleaned_data["emails"],
            sent_by=request.user,
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
        active = assessment.responses.active().count()
        if active < assessment.anonymity_threshold:
            messages.warning(
                request,
                ngettext(
                    "Only %(count)d person is invited so far. The client's management sees "
                    "results only once %(threshold)d people have submitted, so invite at least "
                    "%(threshold)d.",
                    "Only %(count)d people are invited so far. The client's management sees "
                    "results only once %(threshold)d people have submitted, so invite at least "
                    "%(threshold)d.",
                    active,
                )
                % {"count": active, "threshold": assessment.anonymity_threshold},
            )
        return redirect(assessment)
    return render(
        request,
        "assessments/invite_respondents.html",
        {"form": form, "access": access, "assessment": assessment},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@assessment_view(roles=CONSULTANTS)
def resend(request, access, assessment, response_pk):
    response = get_object_or_404(assessment.responses, pk=response_pk)
    refusal = services.invitation_refusal(assessment)
    if refusal:
        messages.error(request, refusal)
    elif response.is_submitted:
        messages.error(request, _("This respondent has already submitted."))
    elif not response.email:
        messages.error(request, _("This link has no e-mail address to send it to."))
    else:
        services.resend_link(response=response, sent_by=request.user)
        messages.success(
            request,
            _("A new link was sent to %(email)s; the earlier one no longer works.")
            % {"email": response.email},
        )
    return redirect(assessment)


@assessment_view(roles=CONSULTANTS)
def revoke(request, access, assessment, response_pk):
    response = get_object_or_404(assessment.responses, pk=response_pk)
    if response.is_submitted:
        messages.error(
            request,
            _("A submitted response is part of the results: its link cannot be withdrawn."),
        )
        return redirect(assessment)
    if request.method != "POST":
        return _confirm(
            request,
            assessment,
            title=_("Withdraw the link of %(email)s?") % {"email": response.email or "—"},
            message=_(
                "The link stops working at once. Answers already given are kept; you can send "
                "a new link later."
            ),
            button=_("Withdraw the link"),
            danger=True,
        )
    services.revoke_link(response=response)
    messages.success(
        request, _("The link of %(email)s no longer works.") % {"email": response.email or "—"}
    )
    return redirect(assessment)


@assessment_view(roles=CONSULTANTS)
def erase(request, access, assessment, response_pk):
    """Erase one respondent's data on their request: answers, comments, address, link."""
    response = get_object_or_404(assessment.responses.select_related("contact"), pk=response_pk)
    who = response.name or response.email or _("this respondent")
    if request.method != "POST":
        return _confirm(
            request,
            assessment,
            title=_("Erase the data of %(who)s?") % {"who": who},
            message=_(
                "Their answers, comments, e-mail address and link are deleted for good and "
                "no longer count in the live figures. Results already published stay as "
                "published (they are group figures) and say that an erasure happened after them."
            ),
            button=_("Erase for good"),
            danger=True,
        )
    services.erase_respondent(response=response, erased_by=request.user)
    messages.success(request, _("The data of %(who)s was erased.") % {"who": who})
    return redirect(assessment)


@assessment_view(roles=CONSULTANTS)
def follow_up(request, access, assessment):
    """Start the next assessment of this client: same settings, newest questionnaire."""
    if request.method != "POST":
        newer = followup.newer_assessment(assessment)
        if newer is not None:
            messages.info(
                request,
                _("“%(title)s” already follows this assessment.") % {"title": newer.title},
            )
            return redirect(newer)
        return _confirm(
            request,
            assessment,
            title=_("Start a follow-up of “%(title)s”?") % {"title": assessment.title},
            message=_(
                "A new draft assessment on the newest version of the questionnaire, with the "
                "same anonymity threshold. Nothing else is carried over: no answers, comments "
                "or published results. When you open it, you can send the people invited to "
                "this one new personal links; its report then shows what moved."
            ),
            button=_("Start the follow-up"),
        )
    try:
        created = followup.start_follow_up(assessment=assessment, started_by=request.user)
    except followup.FollowUpRefused as refusal:
        messages.error(request, refusal.reason)
        return redirect(assessment)
    messages.success(
        request,
        _(
            "The follow-up is a draft: set its closing date, then open it to send the "
            "personal links."
        ),
    )
    return redirect(created)


@assessment_view(roles=CONSULTANTS)
def invite_previous(request, access, assessment):
    """Send new personal links to the people invited to the assessment before this one,
    after showing who they are; the consultant unticks anybody to leave out."""
    invitees = followup.previous_invitees(assessment)
    form = InvitePreviousForm(request.POST if request.method == "POST" else None, invitees=invitees)
    refusal = services.invitation_refusal(assessment)
    if request.method == "POST" and (refusal or not invitees):
        if refusal:
            messages.error(request, refusal)
        else:
            messages.info(request, _("Nobody from the previous assessment is left to invite."))
        return redirect(assessment)
    if form.is_valid():
        try:
            invited = followup.invite_previous_respondents(
                assessment=assessment, sent_by=request.user, emails=form.cleaned_data["people"]
            )
        except services.InvitationsClosed as refused:
            messages.error(request, refused.reason)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d personal link was sent.",
                    "%(count)d personal links were sent.",
                    len(invited),
                )
                % {"count": len(invited)},
            )
        return redirect(assessment)
    return render(
        request,
        "assessments/invite_previous.html",
        {
            "access": access,
            "assessment": assessment,
            "previous": followup.previous_assessment(assessment),
            "invitees": invitees,
            "form": form,
            "refusal": refusal,
        },
        status=400 if request.method == "POST" else 200,
    )
