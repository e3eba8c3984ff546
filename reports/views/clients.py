"""Where each person lands, the consultant's portfolio of clients, and one organisation's
assessments over time."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from accounts.access import RESULT_READERS, organisation_view
from assessments.services import close_due_assessments

from .. import charts_over_time, portfolio
from ..forms import PortfolioFilterForm

PER_PAGE = 25
FILTERS = ("q", "status", "verdict", "sector")


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
def portfolio_page(request):
    """Every client with its latest assessment, verdict, riskiest pillar and last activity:
    searchable, filtered, sorted and paginated, from stored figures."""
    form = PortfolioFilterForm(request.GET or None, sort_keys=portfolio.SORT_KEYS)
    choices = form.cleaned_data if form.is_valid() else {}
    sort = choices.get("sort") or portfolio.DEFAULT_SORT
    listed = portfolio.client_entries(
        request.user, search=choices.get("q", "").strip(), sector=choices.get("sector", "")
    )
    tally = portfolio.tally(listed, status=choices.get("status", ""))
    shown = portfolio.filter_entries(
        listed, status=choices.get("status", ""), verdict=choices.get("verdict", "")
    )
    paginator = Paginator(portfolio.sort_entries(shown, sort), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "reports/portfolio.html",
        {
            "form": form,
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2),
            "rows": portfolio.client_rows(page.object_list),
            "total": tally.total,
            "filtered": bool(
                any(choices.get(name) for name in ("q", "status", "verdict", "sector"))
            ),
            "verdict_counts": tally.verdict_counts,
            "sort": sort,
            "can_create": can_create_organisations(request.user),
            "any_live": tally.any_live,
            "any_published": tally.any_published,
        },
    )


@organisation_view(roles=RESULT_READERS)
def organisation(request, access):
    """All assessments of an organisation, with the readiness index and each pillar over
    time: live figures for a consultant, published results for a client manager."""
    organisation = access.organisation
    close_due_assessments(organisation=organisation)
    history = portfolio.organisation_history(organisation, access.role)
    return render(
        request,
        "reports/organisation.html",
        {
            "access": access,
            "organisation": organisation,
            "history": history,
            "assessments": history.assessments,
            "charts": charts_over_time.history_charts(history),
        },
    )
