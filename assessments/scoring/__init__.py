"""Readiness scoring: plain answers and questionnaire rules in, plain results out.

This package is the heart of the product and deliberately knows nothing about Django:
an ORM loader (`assessments/loading.py`) turns the database rows into the input
dataclasses, calls `score_response` / `score_assessment` / `compare` / `benchmark`, and
the pages, the PDF report and the method appendix (`assessments.method`) read the results.

Every figure is reproducible from the answers and the rules, and never depends on the
order in which responses arrive (sums use `math.fsum`, groups are sorted).

- `rules`: constants, the questionnaire's rules and one respondent's answers (inputs);
- `results`: what scoring returns;
- `engine`: one response, and an assessment's responses aggregated;
- `verdict`: the verdict, its reasons as data, and the path to ready;
- `compare`: trend and benchmark;
- `evidence`: maturity as claimed and as evidenced;
- `serialize`: results to JSON and back;
- `contested`: the questions a workshop should discuss, and consensus in the room.
"""

from .compare import benchmark, benchmark_entry, compare
from .contested import (
    DEFAULT_CONSENSUS_SHARE,
    DEFAULT_CONTESTED_LIMIT,
    WORKSHOP_MIN_VOTES,
    ConsensusOutcome,
    ContestedQuestion,
    ContestReason,
    consensus_outcome,
    contested_questions,
    level_consensus,
)
from .engine import perspective_key, score_assessment, score_response
from .evidence import evidenced_pillars
from .results import (
    AssessmentResult,
    Benchmark,
    BenchmarkEntry,
    Finding,
    MethodSection,
    PathStep,
    PerceptionGap,
    PerspectiveGroup,
    PillarEvidence,
    PillarResult,
    PillarTrend,
    QuestionResult,
    QuestionTrend,
    ReasonKind,
    Report,
    ResponsePillarScore,
    StepKind,
    Trend,
    VerdictReason,
    Withheld,
)
from .rules import (
    BENCHMARK_MIN_ORGANISATIONS,
    DEFAULT_ANONYMITY_THRESHOLD,
    DEFAULT_BLOCKER_BELOW,
    DEFAULT_RED_FLAG_SHARE,
    DONT_KNOW,
    IMPORTANCE,
    LEVELS,
    MAX_LEVEL,
    MIN_ANONYMITY_THRESHOLD,
    PERSPECTIVES,
    Aggregation,
    Band,
    BandSettings,
    Confidence,
    PillarRule,
    QuestionRule,
    ResponseInput,
    Rules,
    TrendStatus,
    Verdict,
)
from .serialize import from_data, to_data
from .verdict import dismiss

__all__ = [
    "BENCHMARK_MIN_ORGANISATIONS",
    "DEFAULT_ANONYMITY_THRESHOLD",
    "DEFAULT_BLOCKER_BELOW",
    "DEFAULT_CONSENSUS_SHARE",
    "DEFAULT_CONTESTED_LIMIT",
    "DEFAULT_RED_FLAG_SHARE",
    "DONT_KNOW",
    "IMPORTANCE",
    "LEVELS",
    "MAX_LEVEL",
    "MIN_ANONYMITY_THRESHOLD",
    "PERSPECTIVES",
    "WORKSHOP_MIN_VOTES",
    "Aggregation",
    "AssessmentResult",
    "Band",
    "BandSettings",
    "Benchmark",
    "BenchmarkEntry",
    "Confidence",
    "ConsensusOutcome",
    "ContestReason",
    "ContestedQuestion",
    "Finding",
    "MethodSection",
    "PathStep",
    "PerceptionGap",
    "PerspectiveGroup",
    "PillarEvidence",
    "PillarResult",
    "PillarRule",
    "PillarTrend",
    "QuestionResult",
    "QuestionRule",
    "QuestionTrend",
    "ReasonKind",
    "Report",
    "ResponseInput",
    "ResponsePillarScore",
    "Rules",
    "StepKind",
    "Trend",
    "TrendStatus",
    "Verdict",
    "VerdictReason",
    "Withheld",
    "benchmark",
    "benchmark_entry",
    "compare",
    "consensus_outcome",
    "contested_questions",
    "dismiss",
    "evidenced_pillars",
    "from_data",
    "level_consensus",
    "perspective_key",
    "score_assessment",
    "score_response",
    "to_data",
]
