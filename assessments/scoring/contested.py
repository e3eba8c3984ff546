"""Workshop figures: which questions are contested, and whether a room reached consensus.

Pure, like the rest of scoring: an `AssessmentResult` and the `Rules` in, plain data out.

**Contested questions.** A live workshop is best spent where the people who answered
disagree. Two signals, both in points of disagreement from 0 to 100:

- *spread*: 100 minus the question's consensus. A question's consensus is
  100 × (1 − σ / 2), where σ is the population standard deviation of the levels given
  (0..4): everyone on one level is 100, half at level 0 and half at level 4 (σ = 2, the
  widest possible) is 0. This is the pillar consensus figure of the results, per question.
- *gap*: the perception gap of the question's pillar (maturity points between the highest
  and the lowest perspective group the result shows), when the question is asked of both
  groups. Only groups large enough to be shown take part, so nothing here exposes a small
  group.

A question's contest score is the sum of both; the reason named is the larger one. A
question without a level given, or whose figures are withheld, is left out, and so is one
with nothing contested (a score of 0).

**Consensus in the room.** After the discussion the consultant records the agreed level.
Consensus is reached when at least `required_share` of the final round's votes lie within
one level of it; a *don't know* vote is not within any level.
"""

import math
from dataclasses import dataclass
from enum import StrEnum

from .results import AssessmentResult, PerceptionGap, QuestionResult
from .rules import EPSILON, MAX_LEVEL, MIN_ANONYMITY_THRESHOLD, Rules, reaches

# A workshop distribution is shown only from this many votes, like any group figure.
WORKSHOP_MIN_VOTES = MIN_ANONYMITY_THRESHOLD
DEFAULT_CONSENSUS_SHARE = 0.75
DEFAULT_CONTESTED_LIMIT = 8
WIDEST_SPREAD = MAX_LEVEL / 2  # σ of levels split evenly between 0 and the top level


class ContestReason(StrEnum):
    LOW_CONSENSUS = "low_consensus"
    PERCEPTION_GAP = "perception_gap"


@dataclass(frozen=True, slots=True)
class ContestedQuestion:
    code: str
    pillar: str
    consensus: float  # 0..100 over everyone who gave a level
    gap: PerceptionGap | None  # the pillar's gap, when the question is asked of both groups
    score: float  # points of disagreement: (100 - consensus) + gap

    @property
    def reason(self) -> ContestReason:
        gap = self.gap.gap if self.gap is not None else 0.0
        if gap > 100.0 - self.consensus + EPSILON:
            return ContestReason.PERCEPTION_GAP
        return ContestReason.LOW_CONSENSUS


@dataclass(frozen=True, slots=True)
class ConsensusOutcome:
    agreed_level: int
    votes: int  # final-round votes, don't know included
    within: int  # votes within one level of the agreed one
    required_share: float

    @property
    def share(self) -> float:
        return self.within / self.votes

    @property
    def reached(self) -> bool:
        return reaches(self.share, self.required_share)


def level_consensus(distribution: tuple[int, ...] | list[int]) -> float | None:
    """100 × (1 − σ / 2) of the levels given (counts per level 0..4); None without a level."""
    answered = sum(distribution)
    if not answered:
        return None
    mean = math.fsum(level * n for level, n in enumerate(distribution)) / answered
    variance = math.fsum(n * (level - mean) ** 2 for level, n in enumerate(distribution)) / answered
    return min(100.0, max(0.0, 100.0 * (1.0 - math.sqrt(variance) / WIDEST_SPREAD)))


def _pillar_gap(rules: Rules, result: AssessmentResult, question: QuestionResult):
    rule = rules.question(question.code)
    for gap in result.gaps:
        if gap.pillar == question.pillar:
            if rule.asked_of(gap.high_perspective) and rule.asked_of(gap.low_perspective):
                return gap
            return None
    return None


def contested_questions(
    result: AssessmentResult, rules: Rules, *, limit: int = DEFAULT_CONTESTED_LIMIT
) -> tuple[ContestedQuestion, ...]:
    """The `limit` most contested questions, most contested first; ties in questionnaire order."""
    ranked: list[tuple[float, int, ContestedQuestion]] = []
    for index, rule in enumerate(rules.questions):
        question = result.questions.get(rule.code)
        if question is None or question.withheld is not None:
            continue
        consensus = level_consensus(question.distribution)
        if consensus is None:
            continue
        gap = _pillar_gap(rules, result, question)
        score = (100.0 - consensus) + (gap.gap if gap is not None else 0.0)
        if score <= EPSILON:
            continue
        contested = ContestedQuestion(
            code=rule.code, pillar=rule.pillar, consensus=consensus, gap=gap, score=score
        )
        ranked.append((-score, index, contested))
    ranked.sort(key=lambda item: item[:2])
    return tuple(contested for _, _, contested in ranked[:limit])


def consensus_outcome(
    distribution: tuple[int, ...] | list[int],
    *,
    dont_know: int,
    agreed_level: int,
    required_share: float = DEFAULT_CONSENSUS_SHARE,
) -> ConsensusOutcome | None:
    """How the final round's votes sit around the agreed level; None when nobody voted."""
    if not 0 <= agreed_level <= MAX_LEVEL:
        raise ValueError(f"The agreed level must be 0..{MAX_LEVEL}, got {agreed_level}.")
    if not 0 < required_share <= 1:
        raise ValueError(f"The required share must be within 0..1, got {required_share}.")
    votes = sum(distribution) + dont_know
    if not votes:
        return None
    near = range(max(0, agreed_level - 1), min(MAX_LEVEL, agreed_level + 1) + 1)
    return ConsensusOutcome(
        agreed_level=agreed_level,
        votes=votes,
        within=sum(distribution[level] for level in near),
        required_share=required_share,
    )
