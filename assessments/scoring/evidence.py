"""Claimed and evidenced maturity: a high self-rating counts in full only once its evidence
has been seen."""

import dataclasses
from collections.abc import Collection, Sequence

from .engine import score_assessment
from .results import AssessmentResult, PillarEvidence, Withheld
from .rules import ResponseInput, Rules

HIGH_LEVEL = 3  # ratings from this level up ask for evidence
UNVERIFIED_LEVEL = 2  # what a high rating without evidence seen counts as


def evidenced_pillars(
    rules: Rules,
    responses: Sequence[ResponseInput],
    result: AssessmentResult,
    *,
    questions: Collection[str],
    seen: Collection[tuple[int, str]],
    threshold: int = 1,
) -> tuple[tuple[PillarEvidence, ...], dict[str, frozenset[int]]]:
    """Each pillar with a question of `questions`: its maturity in `result` (claimed) and
    scored again with every unverified high rating at level 2 (evidenced), with the
    respondents whose ratings were lowered, by pillar.

    The evidenced figure is withheld with its pillar's figure, and when fewer respondents
    than `threshold` had a rating lowered (but some did): the difference between the two
    figures would rest on them (`Withheld.SECONDARY`).
    """
    pillar_of = {question.code: question.pillar for question in rules.questions}
    asked = [code for code in questions if code in pillar_of]
    if not asked:
        return (), {}
    lowered: dict[str, set[int]] = {pillar_of[code]: set() for code in asked}
    capped = []
    for response in responses:
        answers = dict(response.answers)
        for code in asked:
            level = answers.get(code)
            if level is not None and level >= HIGH_LEVEL and (response.id, code) not in seen:
                answers[code] = UNVERIFIED_LEVEL
                lowered[pillar_of[code]].add(response.id)
        capped.append(dataclasses.replace(response, answers=answers))
    evidenced = score_assessment(rules, capped, min_respondents=result.min_respondents)
    figures = []
    for pillar in result.pillars:
        if pillar.pillar not in lowered:
            continue
        count = len(lowered[pillar.pillar])
        withheld = pillar.withheld or (Withheld.SECONDARY if 0 < count < threshold else None)
        figures.append(
            PillarEvidence(
                pillar=pillar.pillar,
                claimed=pillar.maturity,
                evidenced=None if withheld else evidenced.pillar(pillar.pillar).maturity,
                unverified=None if withheld else count,
                withheld=withheld,
            )
        )
    return tuple(figures), {pillar: frozenset(ids) for pillar, ids in lowered.items()}
