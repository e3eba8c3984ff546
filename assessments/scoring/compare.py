"""Trend against a previous assessment, and the anonymised benchmark of other organisations."""

import math
from collections import defaultdict
from collections.abc import Iterable

from .engine import mean
from .results import (
    AssessmentResult,
    Benchmark,
    BenchmarkEntry,
    PillarTrend,
    QuestionTrend,
    Trend,
)
from .rules import BENCHMARK_MIN_ORGANISATIONS, TrendStatus


def _delta(previous: float | None, current: float | None) -> float | None:
    return None if previous is None or current is None else current - previous


def _status(
    *, existed: bool, exists: bool, previous: float | None, current: float | None
) -> TrendStatus | None:
    """Compared when both sides have a figure; new or removed when the item itself is.

    An item on both sides with a figure on one only (no level given, or withheld) is not
    a change anybody could read anything into: it is left out.
    """
    if previous is not None and current is not None:
        return TrendStatus.COMPARED
    if not existed and current is not None:
        return TrendStatus.NEW
    if not exists and previous is not None:
        return TrendStatus.REMOVED
    return None


def _renamed(current: AssessmentResult, previous: AssessmentResult) -> dict[str, str]:
    """Current code → previous code of each question that a later questionnaire version
    gave a new code (moved to another pillar, say) but the same text: one question, which
    must not read as both added and no longer asked. Same texts pair in questionnaire
    order."""

    def by_text(result: AssessmentResult, codes: list[str]) -> dict[str, list[str]]:
        texts: dict[str, list[str]] = defaultdict(list)
        for code in codes:
            text = " ".join(result.questions[code].text.split()).casefold()
            if text:
                texts[text].append(code)
        return texts

    now = by_text(current, [code for code in current.questions if code not in previous.questions])
    before = by_text(
        previous, [code for code in previous.questions if code not in current.questions]
    )
    # The shorter list pairs up; what is left over on one side is new or removed only.
    return {
        new: old
        for text, codes in now.items()
        for new, old in zip(codes, before.get(text, ()), strict=False)
    }


def _matched_index(
    result: AssessmentResult, codes: dict[str, str], weights: dict[str, float]
) -> float | None:
    """The index over the questions `codes` (pillar → …) only: per pillar the mean score
    of those questions, weighted by the pillar weights of `weights`."""
    scores: dict[str, list[float]] = defaultdict(list)
    for code, pillar in codes.items():
        value = result.questions[code].mean
        if value is not None:
            scores[pillar].append(value)
    pillars = [pillar for pillar in weights if scores.get(pillar)]
    if not pillars:
        return None
    total = math.fsum(weights[pillar] * mean(scores[pillar]) for pillar in pillars)
    return total / math.fsum(weights[pillar] for pillar in pillars)


def compare(current: AssessmentResult, previous: AssessmentResult) -> Trend:
    """Compare two assessments by pillar code and by question code.

    "new": the item (a question added in a later questionnaire version, say) exists only
    now; "removed": only before. A question whose code changed between versions but whose
    text did not is compared under its current code. Current items come first in their
    order, then removed ones in previous order.

    `matched_previous` and `matched_current` compare the questions asked both times only,
    each pillar weighted as now: the honest headline when the versions differ.
    """
    before = {p.pillar: p for p in previous.pillars}
    now = {p.pillar: p for p in current.pillars}
    pillars: list[PillarTrend] = []
    for code in [*now, *(code for code in before if code not in now)]:
        old, new = before.get(code), now.get(code)
        old_value = old.maturity if old else None
        new_value = new.maturity if new else None
        status = _status(
            existed=old is not None, exists=new is not None, previous=old_value, current=new_value
        )
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
    renamed = _renamed(current, previous)
    gone = set(renamed.values())
    codes = [
        *current.questions,
        *(c for c in previous.questions if c not in current.questions and c not in gone),
    ]
    for code in codes:
        old_q = previous.questions.get(renamed.get(code, code))
        new_q = current.questions.get(code)
        old_value = old_q.mean if old_q else None
        new_value = new_q.mean if new_q else None
        status = _status(
            existed=old_q is not None,
            exists=new_q is not None,
            previous=old_value,
            current=new_value,
        )
        if status is not None:
            questions.append(
                QuestionTrend(
                    code,
                    old_value,
                    new_value,
                    _delta(old_value, new_value),
                    status,
                    previous_code=renamed.get(code, ""),
                )
            )

    matched = {
        item.code: current.questions[item.code].pillar
        for item in questions
        if item.status == TrendStatus.COMPARED
    }
    weights = {pillar.pillar: pillar.weight for pillar in current.pillars}
    before_codes = {renamed.get(code, code): pillar for code, pillar in matched.items()}
    return Trend(
        pillars=tuple(pillars),
        questions=tuple(questions),
        overall_previous=previous.overall_index,
        overall_current=current.overall_index,
        overall_delta=_delta(previous.overall_index, current.overall_index),
        matched_previous=_matched_index(previous, before_codes, weights),
        matched_current=_matched_index(current, matched, weights),
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
            by_pillar[code].append(mean(scores))
    pillars = {
        code: mean(values)
        for code, values in sorted(by_pillar.items())
        if len(values) >= min_organisations
    }
    return Benchmark(organisations=len(per_organisation), sector=sector, pillars=pillars)
