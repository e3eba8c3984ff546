"""Readiness scoring: plain answers and questionnaire rules in, plain results out.

This module is the heart of the product and deliberately knows nothing about Django:
an ORM loader turns the database rows into the input dataclasses below, calls
`score_response` / `score_assessment` / `compare` / `benchmark`, and the dashboard,
the PDF report and the method appendix (`method_text`) read the results.

Every figure is reproducible from the answers and the rules, and never depends on the
order in which responses arrive (sums use `math.fsum`, groups are sorted).
"""

import itertools
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "DONT_KNOW",
    "PERSPECTIVES",
    "AssessmentResult",
    "Band",
    "BandSettings",
    "Benchmark",
    "BenchmarkEntry",
    "Confidence",
    "Finding",
    "MethodSection",
    "PerceptionGap",
    "PerspectiveGroup",
    "PillarResult",
    "PillarRule",
    "PillarTrend",
    "QuestionResult",
    "QuestionRule",
    "QuestionTrend",
    "ResponseInput",
    "ResponsePillarScore",
    "Rules",
    "Trend",
    "TrendStatus",
    "Verdict",
    "benchmark",
    "benchmark_entry",
    "compare",
    "method_text",
    "score_assessment",
    "score_response",
]

DONT_KNOW = None
MAX_LEVEL = 4
NEUTRAL_IMPORTANCE = 3
PERSPECTIVES = ("leadership", "business", "data_it", "legal_risk", "people_hr", "other")
MIN_ANONYMITY_THRESHOLD = 3
BENCHMARK_MIN_ORGANISATIONS = 5

# Confidence: (minimum respondents, minimum mean coverage).
CONFIDENCE_HIGH = (8, 0.8)
CONFIDENCE_MEDIUM = (3, 0.6)

# Sums of float weights can land a hair below a threshold (74.99999999999999); such
# noise must not flip a band, a red flag or a confidence level.
_EPSILON = 1e-9
_LEVELS = frozenset(range(MAX_LEVEL + 1))
_IMPORTANCE = frozenset(range(1, 6))
_ABSENT = object()


def _reaches(value: float, threshold: float) -> bool:
    return value >= threshold - _EPSILON


def _mean(values: Sequence[float]) -> float:
    # fsum is exactly rounded, so the mean does not depend on the order of the values.
    return math.fsum(values) / len(values)


def _num(value: float) -> str:
    return format(value, ".6g")


def _percent(share: float) -> str:
    return f"{share * 100:.6g}%"


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


# --------------------------------------------------------------------------- inputs


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
        if _reaches(risk, self.critical):
            return Band.CRITICAL
        if _reaches(risk, self.high):
            return Band.HIGH
        if _reaches(risk, self.moderate):
            return Band.MODERATE
        return Band.LOW


@dataclass(frozen=True, slots=True)
class QuestionRule:
    code: str
    pillar: str
    weight: float = 1.0
    critical: bool = False
    text: str = ""
    recommendation: str = ""
    references: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # A zero weight would divide by zero when it is the only answered question.
        if not (math.isfinite(self.weight) and self.weight > 0):
            raise ValueError(f"Question {self.code}: weight must be > 0, got {self.weight}.")
        object.__setattr__(self, "references", tuple(self.references))


@dataclass(frozen=True, slots=True)
class PillarRule:
    code: str
    name: str
    weight: float = 1.0
    recommendations: Mapping[str, str] = field(default_factory=dict)  # band value -> advice

    def __post_init__(self) -> None:
        if not (math.isfinite(self.weight) and self.weight > 0):
            raise ValueError(f"Pillar {self.code}: weight must be > 0, got {self.weight}.")
        unknown = set(self.recommendations) - {band.value for band in Band}
        if unknown:
            raise ValueError(f"Pillar {self.code}: unknown bands {sorted(unknown)}.")


@dataclass(frozen=True, slots=True)
class Rules:
    """One questionnaire version: pillars and questions in display order, plus settings."""

    pillars: tuple[PillarRule, ...]
    questions: tuple[QuestionRule, ...]
    bands: BandSettings = BandSettings()
    anonymity_threshold: int = 5
    red_flag_share: float = 0.25
    # Lookups computed once in __post_init__.
    questions_by_pillar: Mapping[str, tuple[QuestionRule, ...]] = field(
        init=False, repr=False, compare=False
    )
    pillar_index: Mapping[str, int] = field(init=False, repr=False, compare=False)
    question_index: Mapping[str, int] = field(init=False, repr=False, compare=False)
    # (code, pillar index, weight, critical) per question: the hot loop reads only this.
    _plan: tuple[tuple[str, int, float, bool], ...] = field(init=False, repr=False, compare=False)
    _pillar_sizes: tuple[int, ...] = field(init=False, repr=False, compare=False)

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
            (q.code, pillar_index[q.pillar], float(q.weight), bool(q.critical)) for q in questions
        )
        object.__setattr__(self, "_plan", plan)
        sizes = tuple(len(by_pillar[pillar.code]) for pillar in pillars)
        object.__setattr__(self, "_pillar_sizes", sizes)

    def pillar(self, code: str) -> PillarRule:
        """The pillar rule with this code (KeyError if unknown)."""
        return self.pillars[self.pillar_index[code]]

    def question(self, code: str) -> QuestionRule:
        """The question rule with this code (KeyError if unknown)."""
        return self.questions[self.question_index[code]]


@dataclass(frozen=True, slots=True)
class ResponseInput:
    """One respondent's submitted answers."""

    id: int
    perspective: str
    importance: Mapping[str, int] = field(default_factory=dict)  # pillar -> 1..5, missing = 3
    answers: Mapping[str, int | None] = field(default_factory=dict)  # question -> 0..4 | None


# -------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class ResponsePillarScore:
    """One respondent's score in one pillar, stored when the response is submitted."""

    pillar: str
    maturity: float | None  # 0..100, None when no level was given in the pillar
    coverage: float  # questions answered with a level / questions in the pillar
    answered: int
    dont_know: int
    questions: int
    importance: int
    red_flags: tuple[str, ...]  # critical questions answered at level 0


@dataclass(frozen=True, slots=True)
class QuestionResult:
    code: str
    pillar: str
    answered: int  # respondents who gave a level
    dont_know: int
    distribution: tuple[int, int, int, int, int]  # respondents per level 0..4
    mean: float | None  # 0..100, plain mean of level / 4 x 100
    risk: float | None
    band: Band | None
    red_flag: bool


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

    @property
    def assessed(self) -> bool:
        return self.maturity is not None


@dataclass(frozen=True, slots=True)
class PerspectiveGroup:
    perspective: str
    respondents: int
    pillars: Mapping[str, float | None]  # pillar code -> mean maturity of the group


@dataclass(frozen=True, slots=True)
class PerceptionGap:
    pillar: str
    high_perspective: str
    high: float
    low_perspective: str
    low: float
    gap: float


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


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    respondents: int
    pillars: tuple[PillarResult, ...]
    questions: Mapping[str, QuestionResult]
    overall_index: float | None
    verdict: Verdict | None
    verdict_reason: str
    red_flags: tuple[str, ...]
    perspectives: tuple[PerspectiveGroup, ...]
    gaps: tuple[PerceptionGap, ...]
    findings: tuple[Finding, ...]

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


@dataclass(frozen=True, slots=True)
class Trend:
    pillars: tuple[PillarTrend, ...]
    questions: tuple[QuestionTrend, ...]
    overall_previous: float | None
    overall_current: float | None
    overall_delta: float | None


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


@dataclass(frozen=True, slots=True)
class MethodSection:
    title: str
    paragraphs: tuple[str, ...]


# ------------------------------------------------------------------ one response


@dataclass(frozen=True, slots=True)
class _Scan:
    maturity: list[float | None]
    coverage: list[float]
    importance: list[int]
    answered: list[int]
    dont_know: list[int]
    zeros: list[list[str]]


def _scan(
    rules: Rules,
    response: ResponseInput,
    distribution: list[list[int]] | None = None,
    question_dont_know: list[int] | None = None,
) -> _Scan:
    """Score one response per pillar; optionally tally each answer into the question counts.

    Walks the questions in rules order, so a respondent's weighted sum is always added up
    in the same order whatever order the answers mapping has.
    """
    pillar_count = len(rules.pillars)
    weighted = [0.0] * pillar_count
    weights = [0.0] * pillar_count
    answered = [0] * pillar_count
    dont_know = [0] * pillar_count
    zeros: list[list[str]] = [[] for _ in range(pillar_count)]
    answers = response.answers
    for qi, (code, pi, weight, critical) in enumerate(rules._plan):
        level = answers.get(code, _ABSENT)
        if level is _ABSENT:
            continue
        if level is None:
            dont_know[pi] += 1
            if question_dont_know is not None:
                question_dont_know[qi] += 1
            continue
        if level not in _LEVELS:
            raise ValueError(f"Response {response.id}: level {level!r} of {code} is not 0..4.")
        weighted[pi] += weight * level
        weights[pi] += weight
        answered[pi] += 1
        if distribution is not None:
            distribution[qi][level] += 1
        if critical and level == 0:
            zeros[pi].append(code)

    maturity: list[float | None] = []
    coverage: list[float] = []
    importance: list[int] = []
    ratings = response.importance
    for pi, pillar in enumerate(rules.pillars):
        maturity.append(100.0 * weighted[pi] / (MAX_LEVEL * weights[pi]) if answered[pi] else None)
        total = rules._pillar_sizes[pi]
        coverage.append(answered[pi] / total if total else 0.0)
        rating = ratings.get(pillar.code, NEUTRAL_IMPORTANCE)
        if rating not in _IMPORTANCE:
            raise ValueError(
                f"Response {response.id}: importance {rating!r} of {pillar.code} is not 1..5."
            )
        importance.append(rating)
    return _Scan(maturity, coverage, importance, answered, dont_know, zeros)


def score_response(rules: Rules, response: ResponseInput) -> dict[str, ResponsePillarScore]:
    """Score one respondent: pillar code -> maturity, coverage and red flags, in rules order.

    A question's score is level / 4; the pillar maturity is 100 x the weighted mean of the
    scores of the questions answered with a level (None if there are none). Don't know
    lowers coverage, never maturity. Answers to unknown question codes are ignored; a level
    outside 0..4 or an importance outside 1..5 raises ValueError.
    """
    scan = _scan(rules, response)
    return {
        pillar.code: ResponsePillarScore(
            pillar=pillar.code,
            maturity=scan.maturity[pi],
            coverage=scan.coverage[pi],
            answered=scan.answered[pi],
            dont_know=scan.dont_know[pi],
            questions=len(rules.questions_by_pillar[pillar.code]),
            importance=scan.importance[pi],
            red_flags=tuple(scan.zeros[pi]),
        )
        for pi, pillar in enumerate(rules.pillars)
    }


# ---------------------------------------------------------------- the assessment


def _question_results(
    rules: Rules, distribution: list[list[int]], dont_know: list[int]
) -> dict[str, QuestionResult]:
    results: dict[str, QuestionResult] = {}
    for qi, question in enumerate(rules.questions):
        counts = distribution[qi]
        answered = sum(counts)
        mean = risk = band = None
        red_flag = False
        if answered:
            # Integer sums, one division: exact enough and order independent.
            mean = 100.0 * sum(level * n for level, n in enumerate(counts)) / (4 * answered)
            risk = 100.0 - mean
            band = rules.bands.band(risk)
            red_flag = (
                question.critical
                and counts[0] >= 1
                and _reaches(counts[0] / answered, rules.red_flag_share)
            )
        results[question.code] = QuestionResult(
            code=question.code,
            pillar=question.pillar,
            answered=answered,
            dont_know=dont_know[qi],
            distribution=(counts[0], counts[1], counts[2], counts[3], counts[4]),
            mean=mean,
            risk=risk,
            band=band,
            red_flag=red_flag,
        )
    return results


def _confidence(respondents: int, coverage: float) -> Confidence:
    if respondents >= CONFIDENCE_HIGH[0] and _reaches(coverage, CONFIDENCE_HIGH[1]):
        return Confidence.HIGH
    if respondents >= CONFIDENCE_MEDIUM[0] and _reaches(coverage, CONFIDENCE_MEDIUM[1]):
        return Confidence.MEDIUM
    return Confidence.LOW


def _pillar_result(
    rules: Rules, pi: int, scans: Sequence[_Scan], questions: Mapping[str, QuestionResult]
) -> PillarResult:
    pillar = rules.pillars[pi]
    values = [m for scan in scans if (m := scan.maturity[pi]) is not None]
    # Coverage and importance are over every response, including those without a level.
    coverage = _mean([scan.coverage[pi] for scan in scans]) if scans else 0.0
    importance = _mean([scan.importance[pi] for scan in scans]) if scans else None
    red_flags = tuple(
        q.code for q in rules.questions_by_pillar[pillar.code] if questions[q.code].red_flag
    )
    maturity = median = stdev = consensus = risk = band = None
    raised = False
    if values:
        maturity = _mean(values)
        median = statistics.median(values)
        stdev = statistics.pstdev(values) if len(values) > 1 else 0.0
        if len(values) > 1:
            # Half the scale (50) is the widest possible spread, i.e. no consensus at all.
            consensus = min(100.0, max(0.0, 100.0 * (1.0 - stdev / 50.0)))
        risk = 100.0 - maturity
        band = rules.bands.band(risk)
        # A red flag puts the pillar at high risk whatever the average says.
        if red_flags and band.rank < Band.HIGH.rank:
            band = Band.HIGH
            raised = True
    return PillarResult(
        pillar=pillar.code,
        name=pillar.name,
        weight=pillar.weight,
        respondents=len(values),
        maturity=maturity,
        median=median,
        stdev=stdev,
        consensus=consensus,
        coverage=coverage,
        confidence=_confidence(len(values), coverage),
        importance=importance,
        risk=risk,
        band=band,
        band_raised_by_red_flag=raised,
        red_flags=red_flags,
        recommendation=pillar.recommendations.get(band.value, "") if band else "",
    )


def _overall_index(pillars: Sequence[PillarResult]) -> float | None:
    assessed = [p for p in pillars if p.maturity is not None]
    if not assessed:
        return None
    weighted = math.fsum(p.weight * p.maturity for p in assessed if p.maturity is not None)
    return weighted / math.fsum(p.weight for p in assessed)


def _verdict(
    pillars: Sequence[PillarResult], red_flags: Sequence[str], respondents: int
) -> tuple[Verdict | None, str]:
    if not respondents:
        return None, "No verdict: no response has been submitted yet."
    assessed = [p for p in pillars if p.band is not None]
    if not assessed:
        return None, "No verdict: no pillar has an answer with a level yet."

    def at_risk(band: Band) -> list[str]:
        names = [p.name for p in assessed if p.band is band]
        verb = "is" if len(names) == 1 else "are"
        return [f"{_join(names)} {verb} at {band.value} risk"] if names else []

    critical = at_risk(Band.CRITICAL)
    if critical or red_flags:
        clauses = critical
        if red_flags:
            count = len(red_flags)
            clauses.append(
                f"{count} red flag{'s were' if count > 1 else ' was'} raised "
                f"({', '.join(red_flags)})"
            )
        return Verdict.NOT_READY, f"Not ready: {_join(clauses)}."

    clauses = at_risk(Band.HIGH) + at_risk(Band.MODERATE)
    missing = [p.name for p in pillars if p.band is None]
    if missing:
        # Not assessed is not evidence of readiness: it caps the verdict.
        verb = "was" if len(missing) == 1 else "were"
        not_assessed = f"{_join(missing)} {verb} not assessed"
        if clauses:
            clauses.append(not_assessed)
        else:
            clauses = [f"every assessed pillar is at low risk, but {not_assessed}"]
    if clauses:
        return Verdict.READY_WITH_CONDITIONS, f"Ready with conditions: {_join(clauses)}."
    return Verdict.READY, "Ready: every pillar is at low risk and no red flag was raised."


def _perspective_key(perspective: str) -> tuple[int, str]:
    known = perspective in PERSPECTIVES
    return (PERSPECTIVES.index(perspective) if known else len(PERSPECTIVES), perspective)


def _perspectives(
    rules: Rules, responses: Sequence[ResponseInput], scans: Sequence[_Scan]
) -> tuple[tuple[PerspectiveGroup, ...], tuple[PerceptionGap, ...]]:
    members: dict[str, list[int]] = defaultdict(list)
    for index, response in enumerate(responses):
        members[response.perspective].append(index)
    threshold = rules.anonymity_threshold
    shown = {p for p, m in members.items() if len(m) >= threshold}
    suppressed = sum(len(m) for p, m in members.items() if p not in shown)
    # Secondary suppression: with 1..threshold-1 respondents hidden, the total minus the
    # shown groups would reveal them, so hide the smallest shown groups as well.
    for perspective in sorted(shown, key=lambda p: (len(members[p]), p)):
        if not 0 < suppressed < threshold:
            break
        shown.discard(perspective)
        suppressed += len(members[perspective])

    groups: list[PerspectiveGroup] = []
    for perspective in sorted(shown, key=_perspective_key):
        pillars: dict[str, float | None] = {}
        for pi, pillar in enumerate(rules.pillars):
            values = [m for i in members[perspective] if (m := scans[i].maturity[pi]) is not None]
            # A figure resting on fewer than `threshold` people (the rest said don't know)
            # would expose them, even inside a group that is large enough.
            pillars[pillar.code] = _mean(values) if len(values) >= threshold else None
        groups.append(PerspectiveGroup(perspective, len(members[perspective]), pillars))

    gaps: list[tuple[int, PerceptionGap]] = []
    for pi, pillar in enumerate(rules.pillars):
        ranked = [
            (value, order, group.perspective)
            for order, group in enumerate(groups)
            if (value := group.pillars[pillar.code]) is not None
        ]
        if len(ranked) < 2:
            continue
        ranked.sort(key=lambda item: (-item[0], item[1]))
        high, low = ranked[0], ranked[-1]
        gap = PerceptionGap(pillar.code, high[2], high[0], low[2], low[0], high[0] - low[0])
        gaps.append((pi, gap))
    gaps.sort(key=lambda item: (-item[1].gap, item[0]))
    return tuple(groups), tuple(gap for _, gap in gaps)


def _findings(
    rules: Rules, pillars: Sequence[PillarResult], questions: Mapping[str, QuestionResult]
) -> tuple[Finding, ...]:
    ranked: list[tuple[bool, float, int, Finding]] = []
    for qi, question in enumerate(rules.questions):
        result = questions[question.code]
        if result.mean is None or result.risk is None or result.band is None:
            continue
        if result.risk <= 0:
            continue  # nothing left to improve
        pi = rules.pillar_index[question.pillar]
        pillar = pillars[pi]
        importance = pillar.importance if pillar.importance is not None else NEUTRAL_IMPORTANCE
        priority = result.risk * question.weight * pillar.weight * importance / NEUTRAL_IMPORTANCE
        finding = Finding(
            question=question.code,
            pillar=question.pillar,
            text=question.text,
            recommendation=question.recommendation,
            references=question.references,
            red_flag=result.red_flag,
            score=result.mean,
            risk=result.risk,
            priority=priority,
            band=result.band,
        )
        ranked.append((not result.red_flag, -priority, qi, finding))
    ranked.sort(key=lambda item: item[:3])
    return tuple(item[3] for item in ranked)


def score_assessment(rules: Rules, responses: Iterable[ResponseInput]) -> AssessmentResult:
    """Aggregate the submitted responses of one assessment into its full result.

    Pillars come in rules order with mean/median/spread/consensus, coverage, confidence,
    risk band (raised to at least HIGH by a red flag); questions with their answer
    distribution; the overall index, the verdict with its one-sentence reason, perspective
    groups that respect the anonymity threshold, perception gaps and ranked findings.
    The result does not depend on the order of `responses`; duplicate ids raise ValueError.
    """
    ordered = sorted(responses, key=lambda response: response.id)
    for before, after in itertools.pairwise(ordered):
        if before.id == after.id:
            raise ValueError(f"Response {after.id} is given more than once.")

    distribution = [[0] * (MAX_LEVEL + 1) for _ in rules.questions]
    dont_know = [0] * len(rules.questions)
    scans = [_scan(rules, response, distribution, dont_know) for response in ordered]

    questions = _question_results(rules, distribution, dont_know)
    red_flags = tuple(code for code, result in questions.items() if result.red_flag)
    pillars = tuple(_pillar_result(rules, pi, scans, questions) for pi in range(len(rules.pillars)))
    verdict, reason = _verdict(pillars, red_flags, len(ordered))
    perspectives, gaps = _perspectives(rules, ordered, scans)
    return AssessmentResult(
        respondents=len(ordered),
        pillars=pillars,
        questions=questions,
        overall_index=_overall_index(pillars),
        verdict=verdict,
        verdict_reason=reason,
        red_flags=red_flags,
        perspectives=perspectives,
        gaps=gaps,
        findings=_findings(rules, pillars, questions),
    )


# ------------------------------------------------------------ trend and benchmark


def _delta(previous: float | None, current: float | None) -> float | None:
    return None if previous is None or current is None else current - previous


def _status(previous: float | None, current: float | None) -> TrendStatus | None:
    if previous is not None and current is not None:
        return TrendStatus.COMPARED
    if current is not None:
        return TrendStatus.NEW
    if previous is not None:
        return TrendStatus.REMOVED
    return None  # no figure on either side: nothing to show


def compare(current: AssessmentResult, previous: AssessmentResult) -> Trend:
    """Compare two assessments by pillar code and by question code.

    "new": a figure now but none before (the item did not exist or had no data);
    "removed": a figure before but none now. Items without a figure on either side are left
    out. Current items come first in their order, then removed ones in previous order.
    """
    before = {p.pillar: p for p in previous.pillars}
    now = {p.pillar: p for p in current.pillars}
    pillars: list[PillarTrend] = []
    for code in [*now, *(code for code in before if code not in now)]:
        old, new = before.get(code), now.get(code)
        old_value = old.maturity if old else None
        new_value = new.maturity if new else None
        status = _status(old_value, new_value)
        if status is not None:
            pillars.append(
                PillarTrend(
                    pillar=code,
                    previous=old_value,
                    current=new_value,
                    delta=_delta(old_value, new_value),
                    band_previous=old.band if old else None,
                    band_current=new.band if new else None,
                    status=status,
                )
            )

    questions: list[QuestionTrend] = []
    codes = [*current.questions, *(c for c in previous.questions if c not in current.questions)]
    for code in codes:
        old_q, new_q = previous.questions.get(code), current.questions.get(code)
        old_value = old_q.mean if old_q else None
        new_value = new_q.mean if new_q else None
        status = _status(old_value, new_value)
        if status is not None:
            questions.append(
                QuestionTrend(code, old_value, new_value, _delta(old_value, new_value), status)
            )

    return Trend(
        pillars=tuple(pillars),
        questions=tuple(questions),
        overall_previous=previous.overall_index,
        overall_current=current.overall_index,
        overall_delta=_delta(previous.overall_index, current.overall_index),
    )


def benchmark_entry(
    result: AssessmentResult, *, organisation_id: int, sector: str
) -> BenchmarkEntry:
    """The benchmark contribution of a closed assessment: maturity of its assessed pillars."""
    pillars = {p.pillar: p.maturity for p in result.pillars if p.maturity is not None}
    return BenchmarkEntry(organisation_id=organisation_id, sector=sector, pillars=pillars)


def benchmark(
    entries: Iterable[BenchmarkEntry],
    *,
    exclude_organisation: int,
    sector: str | None = None,
    min_organisations: int = BENCHMARK_MIN_ORGANISATIONS,
) -> Benchmark | None:
    """Anonymised mean pillar maturity of other organisations, or None below the minimum.

    Each organisation's entries are averaged first, so an organisation counts once however
    many assessments it closed. The asking organisation is left out, `sector` filters the
    entries, and a pillar that fewer than `min_organisations` organisations scored is left
    out of `pillars` as well.
    """
    if min_organisations < 1:
        raise ValueError("min_organisations must be at least 1.")
    per_organisation: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for entry in entries:
        if entry.organisation_id == exclude_organisation:
            continue
        if sector is not None and entry.sector != sector:
            continue
        organisation = per_organisation[entry.organisation_id]
        for code, value in entry.pillars.items():
            organisation[code].append(value)
    if len(per_organisation) < min_organisations:
        return None
    by_pillar: dict[str, list[float]] = defaultdict(list)
    for organisation_id in sorted(per_organisation):
        for code, scores in per_organisation[organisation_id].items():
            by_pillar[code].append(_mean(scores))
    pillars = {
        code: _mean(values)
        for code, values in sorted(by_pillar.items())
        if len(values) >= min_organisations
    }
    return Benchmark(organisations=len(per_organisation), sector=sector, pillars=pillars)


# ------------------------------------------------------------------------ method


def method_text(rules: Rules) -> tuple[MethodSection, ...]:
    """The scoring method in plain language, with the numbers these rules use.

    Printed as the report's appendix, so that every figure can be traced to its rule.
    """
    bands = rules.bands
    threshold = rules.anonymity_threshold
    pillar_weights = _join([f"{p.name} ({_num(p.weight)})" for p in rules.pillars])
    heavier = [f"{q.code} ({_num(q.weight)})" for q in rules.questions if q.weight > 1]
    lighter = [f"{q.code} ({_num(q.weight)})" for q in rules.questions if q.weight < 1]
    critical = [q.code for q in rules.questions if q.critical]

    weight_paragraphs = [f"Pillar weights: {pillar_weights}."]
    weight_paragraphs.append(
        f"Questions weighted above 1: {_join(heavier)}."
        if heavier
        else "No question is weighted above 1."
    )
    if lighter:
        weight_paragraphs.append(f"Questions weighted below 1: {_join(lighter)}.")
    weight_paragraphs.append("All other questions have weight 1.")

    return (
        MethodSection(
            "Answers and maturity",
            (
                "Each question has five levels, 0 to 4, each describing what the organisation "
                "actually does. A question's score is its level divided by 4.",
                '"Don\'t know" is not a zero: it lowers coverage, never maturity.',
                "A respondent's maturity in a pillar is 100 times the weighted mean of the "
                "scores of the questions they answered with a level, from 0 to 100. "
                "Their coverage is the share of the pillar's questions they answered with a "
                "level.",
            ),
        ),
        MethodSection("Weights", tuple(weight_paragraphs)),
        MethodSection(
            "Pillar results",
            (
                "A pillar's maturity is the mean of the maturities of the respondents who "
                "answered at least one of its questions with a level; the median and the "
                "spread (population standard deviation) are shown with it.",
                "Consensus is 100 x (1 - spread / 50), between 0 and 100: 100 means everyone "
                "gave the same picture, 0 the widest possible disagreement. It needs at least "
                "2 respondents.",
                f"Confidence is high with at least {CONFIDENCE_HIGH[0]} respondents and a mean "
                f"coverage of at least {_percent(CONFIDENCE_HIGH[1])}, medium with at least "
                f"{CONFIDENCE_MEDIUM[0]} respondents and {_percent(CONFIDENCE_MEDIUM[1])} "
                "coverage, and low otherwise. Mean coverage counts every response.",
            ),
        ),
        MethodSection(
            "Risk bands",
            (
                "Risk is 100 minus maturity.",
                f"Low below {_num(bands.moderate)}, moderate from {_num(bands.moderate)}, "
                f"high from {_num(bands.high)}, critical from {_num(bands.critical)}.",
            ),
        ),
        MethodSection(
            "Red flags",
            (
                (
                    f"Critical questions: {_join(critical)}."
                    if critical
                    else "This questionnaire has no critical question."
                ),
                "A critical question raises a red flag when at least one respondent answered "
                f"it at level 0 and at least {_percent(rules.red_flag_share)} of those who "
                "gave a level did.",
                "A red flag puts its pillar at high risk or worse, whatever its average; the "
                "risk figure itself stays 100 minus maturity.",
            ),
        ),
        MethodSection(
            "Overall index and verdict",
            (
                "The overall index is the weighted mean of the maturity of the pillars that "
                "have answers, using the pillar weights.",
                "The verdict follows the weakest pillar, not the index: not ready when any "
                "pillar is at critical risk or any red flag is raised; ready with conditions "
                "when any pillar is at moderate or high risk or was not assessed; ready when "
                "every pillar is at low risk.",
            ),
        ),
        MethodSection(
            "Perspectives and anonymity",
            (
                f"Results per perspective are shown only for groups of at least {threshold} "
                "respondents.",
                f"If the hidden groups hold fewer than {threshold} respondents together, the "
                "smallest shown groups are hidden too, so that no hidden group can be worked "
                "out by subtraction. Hidden groups are never shown, not even combined.",
                f"Within a shown group, a pillar figure that rests on fewer than {threshold} "
                "respondents (the others answered don't know) is hidden as well.",
                "A perception gap is the difference between the highest and the lowest shown "
                "group in a pillar.",
            ),
        ),
        MethodSection(
            "Priorities",
            (
                "Each question with answers gets a priority: its risk (100 minus its mean "
                "score) x question weight x pillar weight x (mean importance of the pillar / "
                f"{NEUTRAL_IMPORTANCE}). Respondents rate importance from 1 to 5; a missing "
                f"rating counts as {NEUTRAL_IMPORTANCE}.",
                "Red flags come first, then the highest priority.",
            ),
        ),
        MethodSection(
            "Trend and benchmark",
            (
                "The trend compares pillars and questions by code with the organisation's "
                "previous assessment.",
                "The benchmark is the mean over other organisations, each organisation "
                "counted once, and is shown only when at least "
                f"{BENCHMARK_MIN_ORGANISATIONS} organisations contribute.",
            ),
        ),
    )
