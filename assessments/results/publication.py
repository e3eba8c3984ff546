"""Publishing results: an immutable snapshot of what a client's management may see.

A publication scores every counted response (the verdict, red flags and path to ready are
those of all of them, as live), sets aside the red flags the consultant dismissed in
writing, and then withholds the figures the disclosure rule does not allow
(`disclosure`). Before publishing, the consultant sees the same thing as a preview.
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts import audit
from accounts.models import AuditEvent, User

from .. import loading, scoring
from ..method import stored_method
from ..models import Assessment, Response, ResultSnapshot
from . import benchmark, disclosure, entries, headlines


class PublishRefused(Exception):
    """Publishing now would let a difference between two snapshots rest on too few people."""

    def __init__(self, status: "PublicationStatus"):
        super().__init__(f"{status.new_responses} new responses, {status.needed} needed")
        self.status = status


class InvalidDismissal(ValueError):
    """A dismissal names no item that may be dismissed, or gives no reason."""


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


def earlier_contributors(assessment: Assessment) -> list[disclosure.Contributors]:
    """What every earlier publication of the assessment, and of the one it follows up,
    showed: the responses behind each of its figures."""
    previous = loading.previous_assessment(assessment)
    ids = [assessment.pk] + ([previous.pk] if previous else [])
    snapshots = ResultSnapshot.objects.filter(assessment__in=ids).only("contributors")
    return [snapshot.contributor_sets() for snapshot in snapshots]


@dataclass(frozen=True)
class Publication:
    """What a new snapshot would hold, before it is stored."""

    report: scoring.Report
    contributors: dict[str, frozenset[int]]
    response_ids: list[int]
    live: scoring.AssessmentResult  # every counted response, nothing withheld
    dismissals: tuple[tuple[str, str], ...]
    group_sizes: dict[str, int]  # perspective → responses

    def needs_decision(self, threshold: int) -> list[scoring.QuestionResult]:
        """Red flags and questions not established that rest on fewer people than the
        threshold: the consultant confirms or dismisses each before publishing."""
        return [
            question
            for question in self.live.questions.values()
            if disclosure.rests_on_few(question, threshold)
        ]


def _dismissal_section(
    result: scoring.AssessmentResult, dismissals: tuple[tuple[str, str], ...]
) -> scoring.MethodSection:
    return scoring.MethodSection(
        gettext_noop("Set aside by the consultant"),
        tuple(f"{result.questions[code].text} ({code}): {reason}" for code, reason in dismissals),
    )


def prepare(assessment: Assessment, *, dismissals: Mapping[str, str] | None = None) -> Publication:
    """Score every submitted response, set aside the dismissed items and withhold what the
    disclosure rule does not allow: what publishing now would store."""
    rules = loading.assessment_rules(assessment)
    responses = Response.objects.submitted().filter(assessment=assessment)
    inputs = loading.load_responses(responses)
    live = scoring.score_assessment(rules, inputs)
    chosen = tuple(sorted((dismissals or {}).items()))
    allowed = set(live.red_flags) | set(live.not_established)
    for code, reason in chosen:
        if code not in allowed:
            raise InvalidDismissal(_("%(code)s has no red flag to dismiss.") % {"code": code})
        if not reason.strip():
            raise InvalidDismissal(_("A dismissal needs a written reason."))
    result = scoring.dismiss(rules, live, dict(chosen))
    evidence = scoring.evidenced_pillars(
        rules,
        inputs,
        result,
        questions=assessment.evidence_questions,
        seen=loading.seen_evidence(assessment),
        threshold=rules.anonymity_threshold,
    )
    disclosed = disclosure.disclose(
        rules, inputs, result, earlier=earlier_contributors(assessment), evidence=evidence
    )
    previous = previous_snapshot(assessment)
    method = stored_method(rules)
    if chosen:
        method = (*method, _dismissal_section(result, chosen))
    report = scoring.Report(
        result=disclosed.result,
        method=method,
        trend=(
            scoring.compare(disclosed.result, previous.read_report().result) if previous else None
        ),
        previous_title=previous.assessment.title if previous else "",
        benchmark=benchmark.benchmark_for(assessment),
        evidence=disclosed.evidence,
    )
    return Publication(
        report=report,
        contributors=disclosed.contributors,
        response_ids=sorted(input.id for input in inputs),
        live=live,
        dismissals=chosen,
        group_sizes=dict(Counter(input.perspective for input in inputs)),
    )


@transaction.atomic
def publish_results(
    *,
    assessment: Assessment,
    published_by: User | None,
    kind: str = ResultSnapshot.Kind.INTERIM,
    dismissals: Mapping[str, str] | None = None,
) -> ResultSnapshot:
    """Store what the client's management may see now, as an immutable snapshot.

    Needs at least `anonymity_threshold` submitted responses that the previous snapshot
    did not count (across closing and reopening too); raises PublishRefused otherwise.
    `dismissals`: question code → the consultant's written reason for setting its red
    flag (or its "not established") aside; raises InvalidDismissal for anything else.
    """
    # One publication at a time per assessment, so two clicks cannot both pass the check.
    Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
    status = publication_status(assessment)
    if not status.can_publish:
        raise PublishRefused(status)
    publication = prepare(assessment, dismissals=dismissals)
    snapshot = ResultSnapshot.objects.create(
        assessment=assessment,
        kind=kind,
        published_by=published_by,
        respondents=publication.report.result.respondents,
        response_ids=publication.response_ids,
        report=scoring.to_data(publication.report),
        contributors={cell: sorted(ids) for cell, ids in sorted(publication.contributors.items())},
        dismissals=[list(item) for item in publication.dismissals],
    )
    headlines.store_published(snapshot, publication.report.result)
    entries.refresh_entries([assessment.organisation_id])
    audit.record(
        AuditEvent.Action.PUBLISHED,
        actor=published_by,
        organisation=assessment.organisation,
        subject=assessment,
        snapshot=snapshot.pk,
        kind=kind,
        respondents=snapshot.respondents,
        dismissed=[list(item) for item in publication.dismissals],
    )
    # The PDF is rendered by the task worker once the snapshot is committed, so that the
    # first download is a read, not a wait of several seconds. (Imported here: the reports
    # build on this module.)
    from reports.tasks import prepare_published_report

    transaction.on_commit(partial(prepare_published_report.enqueue, assessment_id=assessment.pk))
    return snapshot


@dataclass(frozen=True)
class GroupAdvice:
    """How many people of one perspective answered, and how many more would show them."""

    perspective: str
    respondents: int
    missing: int  # more respondents needed for the group to be shown on its own
    shown: bool  # shown on its own in this publication


def perspective_advice(publication: Publication, threshold: int) -> list[GroupAdvice]:
    """Per perspective with responses, in display order: how far from being shown."""
    shown = {group.perspective for group in publication.report.result.perspectives}
    return [
        GroupAdvice(perspective, count, max(0, threshold - count), perspective in shown)
        for perspective, count in sorted(
            publication.group_sizes.items(), key=lambda item: scoring.perspective_key(item[0])
        )
    ]
