"""Who sees which results of an assessment: the one rule every page, PDF and export asks."""

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.utils import timezone

from accounts.access import OrganisationAccess

from .. import scoring, services
from ..models import Assessment, ResultSnapshot
from .live import live_report
from .translated import in_language


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


def live_results(assessment: Assessment) -> VisibleResults:
    """The consultant's live figures as results to show, as of now."""
    report = in_language(
        live_report(assessment),
        assessment.questionnaire,
        threshold=assessment.anonymity_threshold,
    )
    return VisibleResults(report, timezone.now(), None)


def published_results(assessment: Assessment) -> VisibleResults | None:
    """The latest published snapshot: what the client's management sees and downloads.

    Consultants may look at it too, to check what they hand over.
    """
    snapshot = assessment.latest_snapshot()
    if snapshot is None:
        return None
    report = snapshot.read_report()
    report = in_language(report, assessment.questionnaire, threshold=report.result.min_respondents)
    return VisibleResults(report, snapshot.published_at, snapshot)


def results_for(access: OrganisationAccess, assessment: Assessment) -> VisibleResults | None:
    """Consultants see live figures; client managers the latest published snapshot; nobody
    else anything."""
    if access.can_manage:
        return live_results(assessment)
    if access.can_read_results:
        return published_results(assessment)
    return None
