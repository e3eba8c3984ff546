"""The outputs of scoring: plain frozen dataclasses that a report renders and a snapshot stores."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from .rules import Band, Confidence, TrendStatus, Verdict


@dataclass(frozen=True, slots=True)
class ResponsePillarScore:
    """One respondent's score in one pillar, stored when the response is submitted."""

    pillar: str
    maturity: float | None  # 0..100, None when no level was given in the pillar
    coverage: float | None  # levels given / questions asked; None when none was asked
    answered: int
    dont_know: int
    questions: int  # questions of the pillar asked of this respondent
    importance: int
    blockers: tuple[str, ...]  # critical questions answered below their blocker level


class Withheld(StrEnum):
    """Why a figure is not shown."""

    FEW_ANSWERS = "few_answers"  # fewer respondents gave a level than the minimum
    SECONDARY = "secondary"  # shown, it would reveal a hidden figure by subtraction
    FEW_CHANGES = "few_changes"  # against an earlier publication, it rests on too few changes
    SMALL_COUNTS = "small_counts"  # a level of the distribution holds only one or two answers
    FLAG_FROM_FEW = "flag_from_few"  # its red flag (or not established) rests on a few people


@dataclass(frozen=True, slots=True)
class QuestionResult:
    code: str
    pillar: str
    text: str
    critical: bool
    asked: int  # respondents who were shown the question
    answered: int  # respondents who gave a level
    dont_know: int
    distribution: tuple[int, ...]  # respondents per level 0..4; zeros when withheld
    mean: float | None  # 0..100, plain mean of level / 4 x 100
    risk: float | None
    band: Band | None
    blockers: int  # answers below the blocker level (critical questions only)
    red_flag: bool
    red_flag_by_deciding: bool  # raised by a deciding perspective's blocker
    not_established: bool  # critical, and most of those asked could not give a level
    withheld: Withheld | None = None
    distribution_withheld: Withheld | None = None  # the counts per level alone


@dataclass(frozen=True, slots=True)
class PillarResult:
    pillar: str
    name: str
    weight: float
    respondents: int  # respondents with a maturity in this pillar
    maturity: float | None
    median: float | None
    stdev: float | None
    consensus: float | None
    coverage: float
    confidence: Confidence
    importance: float | None
    risk: float | None
    band: Band | None
    band_raised_by_red_flag: bool
    red_flags: tuple[str, ...]
    recommendation: str  # the pillar's advice for its band, "" if none
    withheld: Withheld | None = None

    @property
    def assessed(self) -> bool:
        return self.maturity is not None


@dataclass(frozen=True, slots=True)
class PerspectiveGroup:
    perspective: str
    respondents: int
    pillars: Mapping[str, float | None]  # pillar code -> mean maturity of the group
    withheld: Mapping[str, Withheld] = field(default_factory=dict)  # pillar code -> why not


@dataclass(frozen=True, slots=True)
class PerceptionGap:
    pillar: str
    high_perspective: str
    high: float
    low_perspective: str
    low: float
    gap: float
    questions: int  # questions of the pillar asked of both groups, which the figures compare


@dataclass(frozen=True, slots=True)
class Finding:
    question: str
    pillar: str
    text: str
    recommendation: str
    references: tuple[str, ...]
    red_flag: bool
    score: float  # mean question score 0..100
    risk: float
    priority: float
    band: Band
    next_level: int | None = None  # the level above the mean answer
    next_step: str = ""  # that level's description


class ReasonKind(StrEnum):
    NO_RESPONSES = "no_responses"
    NO_LEVELS = "no_levels"
    CRITICAL_RISK = "critical_risk"
    RED_FLAGS = "red_flags"
    NOT_ESTABLISHED = "not_established"
    HIGH_RISK = "high_risk"
    MODERATE_RISK = "moderate_risk"
    NOT_ASSESSED = "not_assessed"
    WITHHELD = "withheld"
    DISAGREEMENT = "disagreement"
    ALL_LOW = "all_low"


@dataclass(frozen=True, slots=True)
class VerdictReason:
    """One clause of the verdict's reason: what, and which pillars or questions."""

    kind: ReasonKind
    pillars: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()


class StepKind(StrEnum):
    LIFT_RED_FLAG = "lift_red_flag"
    ESTABLISH = "establish"
    RAISE_PILLAR = "raise_pillar"
    JUDGE_PILLAR = "judge_pillar"
    ALIGN = "align"


@dataclass(frozen=True, slots=True)
class PathStep:
    """One change on the path to ready, and the verdict it is needed for."""

    kind: StepKind
    needed_for: Verdict
    pillar: str = ""
    question: str = ""
    points: float | None = None  # maturity points the pillar must gain (None: withheld)
    target_band: Band | None = None  # the band the pillar reaches with those points
    target: float | None = None  # the maturity the pillar must rise above
    perspectives: tuple[str, ...] = ()  # the two that must align on the pillar


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    respondents: int
    min_respondents: int  # figures resting on fewer respondents than this are withheld
    pillars: tuple[PillarResult, ...]
    questions: Mapping[str, QuestionResult]
    overall_index: float | None
    verdict: Verdict | None
    reasons: tuple[VerdictReason, ...]
    red_flags: tuple[str, ...]
    not_established: tuple[str, ...]
    perspectives: tuple[PerspectiveGroup, ...]
    hidden_respondents: int  # respondents in perspective groups too small to be shown
    gaps: tuple[PerceptionGap, ...]
    findings: tuple[Finding, ...]
    path: tuple[PathStep, ...] = ()
    index_withheld: Withheld | None = None
    dismissed: tuple[str, ...] = ()  # red flags and questions not established, set aside
    # (pillar, higher perspective, lower perspective) of each disagreement that caps the
    # verdict: names only, no figure.
    misaligned: tuple[tuple[str, str, str], ...] = ()

    @property
    def index_pillars(self) -> int:
        """How many pillars the overall index is made of."""
        return sum(1 for pillar in self.pillars if pillar.maturity is not None)

    def pillar(self, code: str) -> PillarResult:
        """The result of the pillar with this code (KeyError if unknown)."""
        for result in self.pillars:
            if result.pillar == code:
                return result
        raise KeyError(code)


@dataclass(frozen=True, slots=True)
class PillarTrend:
    pillar: str
    previous: float | None  # maturity
    current: float | None
    delta: float | None  # current - previous: positive is an improvement
    band_previous: Band | None
    band_current: Band | None
    status: TrendStatus


@dataclass(frozen=True, slots=True)
class QuestionTrend:
    code: str
    previous: float | None  # mean question score
    current: float | None
    delta: float | None
    status: TrendStatus
    previous_code: str = ""  # the code it had before, when a later version renamed it


@dataclass(frozen=True, slots=True)
class Trend:
    pillars: tuple[PillarTrend, ...]
    questions: tuple[QuestionTrend, ...]
    overall_previous: float | None
    overall_current: float | None
    overall_delta: float | None
    # The index over the questions compared (asked both times) only: stored by trends
    # made since it exists, None in older snapshots.
    matched_previous: float | None = None
    matched_current: float | None = None


@dataclass(frozen=True, slots=True)
class BenchmarkEntry:
    """Pillar maturities of one closed assessment, for the anonymised benchmark."""

    organisation_id: int
    sector: str
    pillars: Mapping[str, float]


@dataclass(frozen=True, slots=True)
class Benchmark:
    organisations: int
    sector: str | None
    pillars: Mapping[str, float]
    released_on: str = ""  # ISO date of the release it was made from


@dataclass(frozen=True, slots=True)
class MethodSection:
    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PillarEvidence:
    """A pillar's maturity as claimed, and as evidenced: a rating of 3 or 4 on a question
    that asks for evidence counts at level 2 until the consultant has seen its evidence."""

    pillar: str
    claimed: float | None
    evidenced: float | None
    unverified: int | None  # respondents with a high rating not evidenced; None: withheld
    withheld: Withheld | None = None  # of the evidenced figure


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a page, a PDF or an export shows of one assessment's results.

    A published snapshot stores one of these as data, so that what a client's management
    reads never changes after publication.
    """

    result: AssessmentResult
    method: tuple[MethodSection, ...]
    trend: Trend | None = None
    previous_title: str = ""  # the assessment the trend compares with
    benchmark: Benchmark | None = None
    evidence: tuple[PillarEvidence, ...] = ()  # pillars with questions that ask for evidence
