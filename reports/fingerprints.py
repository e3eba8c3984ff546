"""Fingerprints of everything a report shows, so that a cached copy is used only while it
is still true.

A fingerprint is the SHA-256 of the inputs as JSON. The consultant's live figures depend on
the submitted responses and their answers, the previous assessment's and the benchmark's
stored figures, the questionnaire version and the scoring code; reading that takes four
small queries whatever the number of respondents. A PDF adds what it prints besides the
figures: the shared quotes, the names on its cover, its date and the template version.
"""

import hashlib
import json
from pathlib import Path

from django.db.models import Count, Max, Sum
from django.utils.translation import get_language

from assessments import loading
from assessments.models import Assessment, AssessmentPillarSummary, Response

# Raise when the PDF template or its stylesheet changes: every cached PDF is rendered anew.
TEMPLATE_VERSION = "2026-11-26.8"


def _scoring_code_version() -> str:
    """A digest of the scoring package's source: a deploy that changes how figures are made
    leaves no cached live figure behind."""
    package = Path(loading.scoring.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


SCORING_CODE_VERSION = _scoring_code_version()


def digest(*parts: object) -> str:
    """The SHA-256 of the parts as canonical JSON (dates and decimals as strings)."""
    text = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def live_inputs(assessment: Assessment) -> dict[str, object]:
    """What the live figures of an assessment are made from, in four queries.

    Submitted answers cannot change (a submitted response is read-only); the latest
    `updated_at` and the count still catch an administrator's correction. The previous
    assessment and the benchmark are read from their stored pillar summaries, which every
    service that changes them rebuilds.
    """
    responses = (
        Response.objects.submitted()
        .filter(assessment=assessment)
        .aggregate(
            count=Count("pk", distinct=True),
            id_sum=Sum("pk", distinct=True),
            last_id=Max("pk"),
            last_submitted=Max("submitted_at"),
            answer_count=Count("answers"),
            last_answer=Max("answers__updated_at"),
        )
    )
    previous = loading.previous_assessment(assessment)
    previous_figures = (
        list(
            AssessmentPillarSummary.objects.filter(assessment=previous)
            .order_by("pillar")
            .values_list("pillar", "maturity", "respondents")
        )
        if previous
        else []
    )
    benchmark = (
        AssessmentPillarSummary.objects.filter(
            assessment__status=Assessment.Status.CLOSED, maturity__isnull=False
        )
        .exclude(assessment__organisation_id=assessment.organisation_id)
        .aggregate(
            rows=Count("pk"),
            organisations=Count("assessment__organisation", distinct=True),
            maturity=Sum("maturity"),
            last_id=Max("pk"),
        )
    )
    questionnaire = assessment.questionnaire
    return {
        "scoring": SCORING_CODE_VERSION,
        "assessment": assessment.pk,
        "threshold": assessment.anonymity_threshold,
        "questionnaire": [questionnaire.pk, questionnaire.version, questionnaire.settings],
        "responses": responses,
        "previous": [previous.pk, previous.title, previous_figures] if previous else None,
        "benchmark": benchmark,
    }


def live_fingerprint(assessment: Assessment) -> str:
    return digest("live", live_inputs(assessment))


def pdf_fingerprint(*, figures: str, quotes: object, cover: object, draft: bool) -> str:
    """`figures`: the snapshot's id or the live fingerprint; `quotes` and `cover`: what the
    PDF prints besides the figures."""
    return digest("pdf", TEMPLATE_VERSION, get_language(), draft, figures, quotes, cover)
