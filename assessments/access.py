"""The gate for assessment pages.

Every view of one assessment fetches it here, scoped by the organisation the user's
membership grants (`accounts.access`): another organisation's assessment is a 404. Who sees
which results of it is `assessments.results.access`.
"""

from collections.abc import Callable, Iterable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from accounts.access import OrganisationAccess, organisation_view
from accounts.models import Role

from . import services
from .models import Assessment


def get_assessment(access: OrganisationAccess, pk: int) -> Assessment:
    """An assessment of the organisation in the URL, never another one's; 404 otherwise.

    An open assessment whose closing date has passed is closed on the way (and its final
    results published), so that no page shows it open while its links refuse answers.
    """
    assessment = get_object_or_404(
        Assessment.objects.with_progress().select_related("questionnaire", "organisation"),
        organisation=access.organisation,
        pk=pk,
    )
    if assessment.is_past_closing_date:
        services.close_assessment(assessment=assessment)
        assessment = get_object_or_404(
            Assessment.objects.with_progress().select_related("questionnaire", "organisation"),
            pk=assessment.pk,
        )
    return assessment


def assessment_view(roles: Iterable[Role]) -> Callable:
    """Decorate a view taking `slug` and `pk`: it receives `access` and `assessment` instead."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @organisation_view(roles=roles)
        @wraps(view)
        def wrapper(
            request: HttpRequest, access: OrganisationAccess, pk: int, *args, **kwargs
        ) -> HttpResponse:
            return view(request, access, get_assessment(access, pk), *args, **kwargs)

        return wrapper

    return decorator
