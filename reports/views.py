"""Pages above a single assessment: where each person lands, the client list, an
organisation's assessments over time."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render

from accounts.access import RESULT_READERS, organisation_view
from accounts.models import Organisation
from assessments.services import close_due_assessments


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
