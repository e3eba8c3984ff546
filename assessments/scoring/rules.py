"""The inputs of scoring: constants, one questionnaire version's rules, one respondent's answers."""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

DONT_KNOW = None
MAX_LEVEL = 4
LEVELS = range(MAX_LEVEL + 1)  # a maturity level is 0..4
IMPORTANCE = range(1, 6)  # a pillar's importance is rated 1..5
NEUTRAL_IMPORTANCE = 3
# Perspective codes in display order; the labels live with the models.
PERSPECTIVES = ("leadership", "business", "data_it", "legal_risk", "people_hr", "other")
MIN_ANONYMITY_THRESHOLD = 3
DEFAULT_ANONYMITY_THRESHOLD = 5
BENCHMARK_MIN_ORGANISATIONS = 5
DEFAULT_RED_FLAG_SHARE = 0.25
DEFAULT_BLOCKER_BELOW = 1  # only level 0 blocks unless a question says otherwise

# Confidence: (minimum respondents, minimum mean coverage).
CONFIDENCE_HIGH = (8, 0.8)
CONFIDENCE_MEDIUM = (3, 0.6)

# Sums of float weights can land a hair below a threshold (74.99999999999999); such
# noise must not flip a band, a red flag or a confidence level.
EPSILON = 1e-9


def reaches(value: float, threshold: float) -> bool:
    return value >= threshold - EPSILON


class Band(StrEnum):
    """Risk band of a pillar or question, from LOW to CRITICAL (compare with `.rank`)."""

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """0 for LOW up to 3 for CRITICAL, so that bands can be compared and maxed."""
        return _BAND_RANK[self]


_BAND_RANK = {band: rank for rank, band in enumerate(Band)}


class Confidence(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Verdict(StrEnum):
    READY = "ready"
    READY_WITH_CONDITIONS = "ready_with_conditions"
    NOT_READY = "not_ready"


class Aggregation(StrEnum):
    """How a pillar's figure is made from the answers."""

    # The mean of each respondent's pillar maturity (question banks 1 and 2).
    RESPONDENT_FIRST = "respondent_first"
    # The weighted mean of each question's mean level over the people asked, so that the
    # declared weights are the weights that count, however questions are routed.
    QUESTION_FIRST = "question_first"


class TrendStatus(StrEnum):
    COMPARED = "compared"
    NEW = "new"
    REMOVED = "removed"


@dataclass(frozen=True, slots=True)
class BandSettings:
    """Risk thresholds of a questionnaire: a risk at or above a threshold is in that band."""

    moderate: float = 25.0
    high: float = 50.0
    critical: float = 75.0

    def __post_init__(self) -> None:
        if not 0 < self.moderate < self.high < self.critical <= 100:
            raise ValueError(
                "Band thresholds must satisfy 0 < moderate < high < critical <= 100, got "
                f"{self.moderate}, {self.high}, {self.critical}."
            )

    def band(self, risk: float) -> Band:
        """Band of a risk figure (0..100); exactly 25 is moderate with the defaults."""
        if reaches(risk, self.critical):
            return Band.CRITICAL
        if reaches(risk, self.high):
            return Band.HIGH
        if reaches(risk, self.moderate):
            return Band.MODERATE
        return Band.LOW

    def floor(self, band: Band) -> float:
        """The lowest risk in `band`: a pillar leaves the band above it by getting below this."""
        return {
            Band.LOW: 0.0,
            Band.MODERATE: self.moderate,
            Band.HIGH: self.high,
            Band.CRITICAL: self.critical,
        }[band]


def _positive_weight(kind: str, code: str, weight: float) -> None:
    # A zero weight would divide by zero when it is the only answered question.
    if not (math.isfinite(weight) and weight > 0):
        raise ValueError(f"{kind} {code}: weight must be > 0, got {weight}.")


@dataclass(frozen=True, slots=True)
class QuestionRule:
    """One question: how it weighs, whom it is asked, and when an answer blocks a launch.

    `perspectives` empty means the question is asked of everyone. A critical question's
    answer below `blocker_below` is a blocker; a blocker from anyone of the
    `deciding_perspectives` raises a red flag on its own, however the others answered.
    """

    code: str
    pillar: str
    weight: float = 1.0
    critical: bool = False
    text: str = ""
    recommendation: str = ""
    references: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()  # descriptions of level 0..4, for the next step of a finding
    perspectives: tuple[str, ...] = ()
    blocker_below: int = DEFAULT_BLOCKER_BELOW
    deciding_perspectives: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _positive_weight("Question", self.code, self.weight)
        if not 1 <= self.blocker_below <= MAX_LEVEL:
            raise ValueError(
                f"Question {self.code}: blocker_below must be 1..{MAX_LEVEL}, "
                f"got {self.blocker_below}."
            )
        for name in ("references", "levels", "perspectives", "deciding_perspectives"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    def asked_of(self, perspective: str) -> bool:
        return not self.perspectives or perspective in self.perspectives


@dataclass(frozen=True, slots=True)
class PillarRule:
    code: str
    name: str
    weight: float = 1.0
    recommendations: Mapping[str, str] = field(default_factory=dict)  # band value -> advice

    def __post_init__(self) -> None:
        _positive_weight("Pillar", self.code, self.weight)
        unknown = set(self.recommendations) - {band.value for band in Band}
        if unknown:
            raise ValueError(f"Pillar {self.code}: unknown bands {sorted(unknown)}.")


@dataclass(frozen=True, slots=True)
class Rules:
    """One questionnaire version: pillars and questions in display order, plus settings.

    `not_established_share`: a critical question that more than this share of the
    respondents asked could not answer with a level is "not established" and blocks
    readiness; None switches the rule off (version 1 of the question bank has no such rule).
    `establish_unanswered`: a critical question asked of nobody, answered by nobody, or
    that every respondent of a deciding perspective could not answer is not established
    either (from version 3 on).
    `disagreement_gap`: a perception gap of at least this many points between two
    perspectives of at least the anonymity threshold of people each caps a ready verdict
    at ready with conditions; None switches the rule off.
    """

    pillars: tuple[PillarRule, ...]
    questions: tuple[QuestionRule, ...]
    bands: BandSettings = BandSettings()
    anonymity_threshold: int = DEFAULT_ANONYMITY_THRESHOLD
    red_flag_share: float = DEFAULT_RED_FLAG_SHARE
    not_established_share: float | None = None
    aggregation: Aggregation = Aggregation.RESPONDENT_FIRST
    establish_unanswered: bool = False
    disagreement_gap: float | None = None
    # Lookups computed once in __post_init__.
    questions_by_pillar: Mapping[str, tuple[QuestionRule, ...]] = field(
        init=False, repr=False, compare=False
    )
    pillar_index: Mapping[str, int] = field(init=False, repr=False, compare=False)
    question_index: Mapping[str, int] = field(init=False, repr=False, compare=False)
    # (code, pillar index, weight, critical, blocker_below) per question: the hot loop reads
    # only this.
    plan: tuple[tuple[str, int, float, bool, int], ...] = field(
        init=False, repr=False, compare=False
    )
    routed: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        pillars = tuple(self.pillars)
        questions = tuple(self.questions)
        object.__setattr__(self, "pillars", pillars)
        object.__setattr__(self, "questions", questions)
        if self.anonymity_threshold < MIN_ANONYMITY_THRESHOLD:
            raise ValueError(
                f"The anonymity threshold is never below {MIN_ANONYMITY_THRESHOLD}, "
                f"got {self.anonymity_threshold}."
            )
        if not 0 <= self.red_flag_share <= 1:
            raise ValueError(f"red_flag_share must be within 0..1, got {self.red_flag_share}.")
        if self.not_established_share is not None and not 0 <= self.not_established_share < 1:
            raise ValueError(
                f"not_established_share must be within 0..1, got {self.not_established_share}."
            )
        if self.disagreement_gap is not None and not 0 < self.disagreement_gap <= 100:
            raise ValueError(
                f"disagreement_gap must be within 0..100, got {self.disagreement_gap}."
            )
        object.__setattr__(self, "aggregation", Aggregation(self.aggregation))
        pillar_index = {pillar.code: i for i, pillar in enumerate(pillars)}
        if len(pillar_index) != len(pillars):
            raise ValueError("Pillar codes must be unique.")
        question_index = {question.code: i for i, question in enumerate(questions)}
        if len(question_index) != len(questions):
            raise ValueError("Question codes must be unique.")
        by_pillar: dict[str, list[QuestionRule]] = {pillar.code: [] for pillar in pillars}
        for question in questions:
            if question.pillar not in by_pillar:
                raise ValueError(f"Question {question.code}: unknown pillar {question.pillar}.")
            by_pillar[question.pillar].append(question)
        object.__setattr__(self, "pillar_index", pillar_index)
        object.__setattr__(self, "question_index", question_index)
        object.__setattr__(
            self, "questions_by_pillar", {code: tuple(qs) for code, qs in by_pillar.items()}
        )
        plan = tuple(
            (q.code, pillar_index[q.pillar], float(q.weight), bool(q.critical), q.blocker_below)
            for q in questions
        )
        object.__setattr__(self, "plan", plan)
        object.__setattr__(self, "routed", any(q.perspectives for q in questions))

    def pillar(self, code: str) -> PillarRule:
        """The pillar rule with this code (KeyError if unknown)."""
        return self.pillars[self.pillar_index[code]]

    def question(self, code: str) -> QuestionRule:
        """The question rule with this code (KeyError if unknown)."""
        return self.questions[self.question_index[code]]

    def shown(self, perspective: str, *, sees_all: bool = False) -> tuple[bool, ...]:
        """For each question in order: is it asked of a respondent with this perspective?"""
        if sees_all or not self.routed:
            return (True,) * len(self.questions)
        return tuple(question.asked_of(perspective) for question in self.questions)


@dataclass(frozen=True, slots=True)
class ResponseInput:
    """One respondent's submitted answers.

    `sees_all`: the respondent chose to see every question, not only those of their
    perspective. A question not shown to a respondent is neither *don't know* nor missing.
    """

    id: int
    perspective: str
    importance: Mapping[str, int] = field(default_factory=dict)  # pillar -> 1..5, missing = 3
    answers: Mapping[str, int | None] = field(default_factory=dict)  # question -> 0..4 | None
    sees_all: bool = False
