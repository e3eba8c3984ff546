"""Publishing results: an immutable snapshot of what a client's management may see."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from accounts import audit
from accounts.models import AuditEvent, User

from .. import loading, scoring
from ..models import Assessment, Response, ResultSnapshot
from . import benchmark


def publishable_report(assessment: Assessment, response_ids: Iterable[int]) -> scoring.Report:
    """What a new snapshot holds: figures resting on at least the anonymity threshold.

    Compared with the organisation's previous assessment as its management saw it: its
    latest published snapshot, never its live figures.
    """
    rules = loading.assessment_rules(assessment)
    responses = Response.objects.submitted().filter(
        assessment=assessment, pk__in=list(response_ids)
    )
    result = scoring.score_assessment(
        rules, loading.load_responses(responses), min_respondents=assessment.anonymity_threshold
    )
    previous = previous_snapshot(assessment)
    return scoring.Report(
        result=result,
        method=scoring.method_text(rules),
        trend=scoring.compare(result, previous.read_report().result) if previous else None,
        previous_title=previous.assessment.title if previous else "",
        benchmark=benchmark.benchmark_for(assessment),
    )


def previous_snapshot(assessment: Assessment) -> ResultSnapshot | None:
    """The latest published snapshot of the organisation's assessment before this one."""
    return (
        ResultSnapshot.objects.filter(
            assessment__organisation_id=assessment.organisation_id,
            assessment__created_at__lt=assessment.created_at,
        )
        .select_related("assessment")
        .order_by("-assessment__created_at", "-published_at", "-pk")
        .first()
    )


class PublishRefused(Exception):
    """Publishing now would let a difference between two snapshots rest on too few people."""

    def __init__(self, status: "PublicationStatus"):
        super().__init__(f"{status.new_responses} new responses, {status.needed} needed")
        self.status = status


@dataclass(frozen=True)
class PublicationStatus:
    """How many submitted responses the latest snapshot has not counted, and how many it takes."""

    latest: ResultSnapshot | None
    new_responses: int
    needed: int

    @property
    def can_publish(self) -> bool:
        return self.new_responses >= self.needed

    @property
    def missing(self) -> int:
        return max(0, self.needed - self.new_responses)


def publication_status(assessment: Assessment) -> PublicationStatus:
    latest = assessment.latest_snapshot(with_report=False)
    submitted = set(
        Response.objects.submitted().filter(assessment=assessment).values_list("pk", flat=True)
    )
    counted = set(latest.response_ids) if latest else set()
    return PublicationStatus(
        latest=latest,
        new_responses=len(submitted - counted),
        needed=assessment.anonymity_threshold,
    )


@transaction.atomic
def publish_results(
    *,
    assessment: Assessment,
    published_by: User | None,
    kind: str = ResultSnapshot.Kind.INTERIM,
) -> ResultSnapshot:
    """Store what the client's management may see now, as an immutable snapshot.

    Needs at least `anonymity_threshold` submitted responses that the previous snapshot
    did not count (across closing and reopening too); raises PublishRefused otherwise.
    """
    # One publication at a time per assessment, so two clicks cannot both pass the check.
    Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
    status = publication_status(assessment)
    if not status.can_publish:
        raise PublishRefused(status)
    response_ids = sorted(
        Response.objects.submitted().filter(assessment=assessment).values_list("pk", flat=True)
    )
    report = publishable_report(assessment, response_ids)
    snapshot = ResultSnapshot.objects.create(
        assessment=assessment,
        kind=kind,
        published_by=published_by,
        respondents=report.result.respondents,
        response_ids=response_ids,
        report=scoring.to_data(report),
    )
    audit.record(
        AuditEvent.Action.PUBLISHED,
        actor=published_by,
        organisation=assessment.organisation,
        subject=assessment,
        snapshot=snapshot.pk,
        kind=kind,
        respondents=snapshot.respondents,
    )
    return snapshot
