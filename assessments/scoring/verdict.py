"""The readiness verdict, its reasons as data, and the smallest changes that would move it."""

import math
from collections.abc import Sequence

from .results import (
    PathStep,
    PillarResult,
    QuestionResult,
    ReasonKind,
    StepKind,
    VerdictReason,
)
from .rules import Band, BandSettings, Verdict


def verdict(
    pillars: Sequence[PillarResult], questions: Sequence[QuestionResult], respondents: int
) -> tuple[Verdict | None, tuple[VerdictReason, ...]]:
    """The verdict follows the weakest pillar, not the index: one failing area blocks.

    Not ready: a pillar at critical risk, a red flag, or a critical question that most of
    those asked could not answer. Ready with conditions: a pillar at high or moderate
    risk, or one that could not be judged. Ready: every pillar at low risk.
    """
    if not respondents:
        return None, (VerdictReason(ReasonKind.NO_RESPONSES),)
    judged = [p for p in pillars if p.band is not None]
    withheld_pillars = tuple(p.pillar for p in pillars if p.withheld)
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
    not_established = tuple(q.code for q in questions if q.not_established)
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
    if conditions:
        return Verdict.READY_WITH_CONDITIONS, tuple(conditions)
    return Verdict.READY, (VerdictReason(ReasonKind.ALL_LOW),)


def points_to_leave(risk: float, band: Band, bands: BandSettings) -> int:
    """Whole maturity points a pillar at `risk` must gain to get below the floor of `band`."""
    return math.floor(risk - bands.floor(band)) + 1


def path_to_ready(
    bands: BandSettings,
    pillars: Sequence[PillarResult],
    questions: Sequence[QuestionResult],
    current: Verdict | None,
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
                steps.append(
                    PathStep(
                        StepKind.RAISE_PILLAR,
                        conditions,
                        pillar=pillar.pillar,
                        points=points_to_leave(pillar.risk, Band.CRITICAL, bands),
                        target_band=Band.HIGH,
                    )
                )
    for pillar in pillars:
        if pillar.risk is None:
            steps.append(PathStep(StepKind.JUDGE_PILLAR, Verdict.READY, pillar=pillar.pillar))
            continue
        band = bands.band(pillar.risk)
        if band is not Band.LOW:
            steps.append(
                PathStep(
                    StepKind.RAISE_PILLAR,
                    Verdict.READY,
                    pillar=pillar.pillar,
                    points=points_to_leave(pillar.risk, Band.MODERATE, bands),
                    target_band=Band.LOW,
                )
            )
    return tuple(steps)
