"""The readiness verdict, its reasons as data, and the smallest changes that would move it."""

import dataclasses
import math
from collections.abc import Iterable, Sequence

from .results import (
    AssessmentResult,
    PathStep,
    PillarResult,
    QuestionResult,
    ReasonKind,
    StepKind,
    VerdictReason,
)
from .rules import Band, BandSettings, Rules, Verdict


def verdict(
    pillars: Sequence[PillarResult],
    questions: Sequence[QuestionResult],
    respondents: int,
    misaligned: Sequence[tuple[str, str, str]] = (),
) -> tuple[Verdict | None, tuple[VerdictReason, ...]]:
    """The verdict follows the weakest pillar, not the index: one failing area blocks.

    Not ready: a pillar at critical risk, a red flag, or a critical question that is not
    established. Ready with conditions: a pillar at high or moderate risk, one that could
    not be judged, or two perspectives far apart on a pillar (`misaligned`). Ready: every
    pillar at low risk.
    """
    if not respondents:
        return None, (VerdictReason(ReasonKind.NO_RESPONSES),)
    judged = [p for p in pillars if p.band is not None]
    withheld_pillars = tuple(p.pillar for p in pillars if p.withheld)
    not_established = tuple(q.code for q in questions if q.not_established)
    if not judged and not_established:
        # Nobody could give a level, critical questions included: that is no launch.
        return Verdict.NOT_READY, (
            VerdictReason(ReasonKind.NOT_ESTABLISHED, questions=not_established),
        )
    if not judged:
        if withheld_pillars:
            return None, (VerdictReason(ReasonKind.WITHHELD, pillars=withheld_pillars),)
        return None, (VerdictReason(ReasonKind.NO_LEVELS),)

    def at(band: Band, kind: ReasonKind) -> list[VerdictReason]:
        codes = tuple(p.pillar for p in judged if p.band is band)
        return [VerdictReason(kind, pillars=codes)] if codes else []

    blocking = at(Band.CRITICAL, ReasonKind.CRITICAL_RISK)
    red_flags = tuple(q.code for q in questions if q.red_flag)
    if red_flags:
        blocking.append(VerdictReason(ReasonKind.RED_FLAGS, questions=red_flags))
    if not_established:
        blocking.append(VerdictReason(ReasonKind.NOT_ESTABLISHED, questions=not_established))
    if blocking:
        return Verdict.NOT_READY, tuple(blocking)

    conditions = at(Band.HIGH, ReasonKind.HIGH_RISK) + at(Band.MODERATE, ReasonKind.MODERATE_RISK)
    # Not assessed is not evidence of readiness: it caps the verdict.
    not_assessed = tuple(p.pillar for p in pillars if p.band is None and not p.withheld)
    if not_assessed:
        conditions.append(VerdictReason(ReasonKind.NOT_ASSESSED, pillars=not_assessed))
    withheld_questions = tuple(
        q.code for q in questions if q.critical and q.withheld and q.pillar not in withheld_pillars
    )
    if withheld_pillars or withheld_questions:
        conditions.append(
            VerdictReason(
                ReasonKind.WITHHELD, pillars=withheld_pillars, questions=withheld_questions
            )
        )
    if misaligned:
        apart = tuple(dict.fromkeys(pillar for pillar, _high, _low in misaligned))
        conditions.append(VerdictReason(ReasonKind.DISAGREEMENT, pillars=apart))
    if conditions:
        return Verdict.READY_WITH_CONDITIONS, tuple(conditions)
    return Verdict.READY, (VerdictReason(ReasonKind.ALL_LOW),)


def points_to_leave(risk: float, band: Band, bands: BandSettings) -> int:
    """Whole maturity points a pillar at `risk` must gain to get below the floor of `band`."""
    return math.floor(risk - bands.floor(band)) + 1


def _raise(pillar: PillarResult, bands: BandSettings, out_of: Band, needed_for: Verdict):
    """Raise a pillar out of a band: above the maturity where the band below it ends."""
    return PathStep(
        StepKind.RAISE_PILLAR,
        needed_for,
        pillar=pillar.pillar,
        points=points_to_leave(pillar.risk or 0.0, out_of, bands),
        target_band=_BELOW[out_of],
        target=100.0 - bands.floor(out_of),
    )


_BELOW = {Band.CRITICAL: Band.HIGH, Band.HIGH: Band.MODERATE, Band.MODERATE: Band.LOW}


def path_to_ready(
    bands: BandSettings,
    pillars: Sequence[PillarResult],
    questions: Sequence[QuestionResult],
    current: Verdict | None,
    misaligned: Sequence[tuple[str, str, str]] = (),
) -> tuple[PathStep, ...]:
    """The smallest changes that would move the verdict, stage by stage.

    From *not ready*: lift every red flag, establish every critical question most could
    not answer, and raise every pillar at critical risk out of its band. Then, for
    *ready*: raise every pillar to low risk (by risk, not by a band that a red flag
    raised) and get every pillar judged.
    """
    if current is None or current is Verdict.READY:
        return ()
    steps: list[PathStep] = []
    if current is Verdict.NOT_READY:
        conditions = Verdict.READY_WITH_CONDITIONS
        steps += [
            PathStep(StepKind.LIFT_RED_FLAG, conditions, pillar=q.pillar, question=q.code)
            for q in questions
            if q.red_flag
        ]
        steps += [
            PathStep(StepKind.ESTABLISH, conditions, pillar=q.pillar, question=q.code)
            for q in questions
            if q.not_established
        ]
        for pillar in pillars:
            if pillar.risk is not None and bands.band(pillar.risk) is Band.CRITICAL:
                steps.append(_raise(pillar, bands, Band.CRITICAL, conditions))
    for pillar in pillars:
        if pillar.risk is None:
            steps.append(PathStep(StepKind.JUDGE_PILLAR, Verdict.READY, pillar=pillar.pillar))
            continue
        if bands.band(pillar.risk) is not Band.LOW:
            steps.append(_raise(pillar, bands, Band.MODERATE, Verdict.READY))
    steps += [
        PathStep(StepKind.ALIGN, Verdict.READY, pillar=pillar, perspectives=(high, low))
        for pillar, high, low in misaligned
    ]
    return tuple(steps)


def dismiss(rules: Rules, result: AssessmentResult, codes: Iterable[str]) -> AssessmentResult:
    """The result with these red flags and questions not established set aside (a
    consultant's written decision): pillar bands, verdict and path follow without them."""
    codes = set(codes) & (set(result.red_flags) | set(result.not_established))
    if not codes:
        return result
    questions = {
        code: dataclasses.replace(
            question, red_flag=False, red_flag_by_deciding=False, not_established=False
        )
        if code in codes
        else question
        for code, question in result.questions.items()
    }
    pillars = []
    for rule, pillar in zip(rules.pillars, result.pillars, strict=True):
        flags = tuple(code for code in pillar.red_flags if code not in codes)
        band, raised = pillar.band, pillar.band_raised_by_red_flag
        if pillar.risk is not None:
            band = rules.bands.band(pillar.risk)
            raised = bool(flags) and band.rank < Band.HIGH.rank
            if raised:
                band = Band.HIGH
        pillars.append(
            dataclasses.replace(
                pillar,
                red_flags=flags,
                band=band,
                band_raised_by_red_flag=raised,
                recommendation=rule.recommendations.get(band.value, "") if band else "",
            )
        )
    ordered = [questions[question.code] for question in rules.questions]
    new_verdict, reasons = verdict(pillars, ordered, result.respondents, result.misaligned)
    return dataclasses.replace(
        result,
        pillars=tuple(pillars),
        questions=questions,
        verdict=new_verdict,
        reasons=reasons,
        red_flags=tuple(q.code for q in ordered if q.red_flag),
        not_established=tuple(q.code for q in ordered if q.not_established),
        findings=tuple(
            dataclasses.replace(finding, red_flag=questions[finding.question].red_flag)
            for finding in result.findings
        ),
        path=path_to_ready(rules.bands, pillars, ordered, new_verdict, result.misaligned),
        dismissed=tuple(sorted(codes)),
    )
