"""The gate for assessment pages, and who sees which results of an assessment.

Every view of one assessment fetches it here, scoped by the organisation the user's
membership grants (`accounts.access`): another organisation's assessment is a 404.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property, wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.access import OrganisationAccess, organisation_view
from accounts.models import Role

from . import loading, scoring, services
from .models import Assessment, ResultSnapshot


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


@dataclass(frozen=True)
class VisibleResults:
    """The results one person may see: live figures, or a published snapshot."""

    report: scoring.Report
    as_of: datetime
    snapshot: ResultSnapshot | None  # None: live figures, for the consultant only

    @property
    def live(self) -> bool:
        return self.snapshot is None

    @property
    def result(self) -> scoring.AssessmentResult:
        return self.report.result

    @cached_property
    def erased_since(self) -> int:
        """Respondents whose data was erased after this snapshot was published (it stays as
        published: group figures over at least the threshold)."""
        if self.snapshot is None:
            return 0
        return services.erasures_since(self.snapshot.assessment, self.snapshot.published_at)


def results_for(
    access: OrganisationAccess,
    assessment: Assessment,
    *,
    live_report: Callable[[Assessment], scoring.Report] | None = None,
) -> VisibleResults | None:
    """Consultants see live figures; client managers the latest published snapshot; nobody
    else anything. The one rule that every page, PDF and export asks.

    `live_report` computes the live figures (default `loading.live_report`); the reports
    pass one that reads them from their cache.
    """
    if access.can_manage:
        live = live_report or loading.live_report
        return VisibleResults(live(assessment), timezone.now(), None)
    if access.can_read_results:
        snapshot = assessment.snapshots.first()
        if snapshot is not None:
            return VisibleResults(
                loading.snapshot_report(snapshot), snapshot.published_at, snapshot
            )
    return None
