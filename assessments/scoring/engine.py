"""Score one response, and aggregate an assessment's responses into its result."""

import itertools
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .results import (
    AssessmentResult,
    Finding,
    PerceptionGap,
    PerspectiveGroup,
    PillarResult,
    QuestionResult,
    ResponsePillarScore,
    Withheld,
)
from .rules import (
    CONFIDENCE_HIGH,
    CONFIDENCE_MEDIUM,
    EPSILON,
    IMPORTANCE,
    LEVELS,
    MAX_LEVEL,
    NEUTRAL_IMPORTANCE,
    PERSPECTIVES,
    Aggregation,
    Band,
    Confidence,
    QuestionRule,
    ResponseInput,
    Rules,
    reaches,
)
from .verdict import path_to_ready, verdict

_LEVELS = frozenset(LEVELS)
_IMPORTANCE = frozenset(IMPORTANCE)
_ABSENT = object()


def mean(values: Sequence[float]) -> float:
    # fsum is exactly rounded, so the mean does not depend on the order of the values.
    return math.fsum(values) / len(values)


@dataclass(slots=True)
class _Tally:
    """Per-question counts over every response of an assessment."""

    asked: list[int]
    dont_know: list[int]
    distribution: list[list[int]]
    blockers: list[int]
    deciding_blockers: list[int]
    # Per question, per deciding perspective: [asked, gave a level].
    deciding_answers: list[dict[str, list[int]]]

    @classmethod
    def empty(cls, size: int) -> "_Tally":
        return cls(
            [0] * size,
            [0] * size,
            [[0] * (MAX_LEVEL + 1) for _ in range(size)],
            [0] * size,
            [0] * size,
            [{} for _ in range(size)],
        )


@dataclass(frozen=True, slots=True)
class _Scan:
    maturity: list[float | None]
    coverage: list[float | None]
    importance: list[int]
    answered: list[int]
    dont_know: list[int]
    asked: list[int]
    blockers: list[list[str]]


def _scan(
    rules: Rules, response: ResponseInput, shown: Sequence[bool], tally: _Tally | None = None
) -> _Scan:
    """Score one response per pillar; optionally add each answer to the question tallies.

    Walks the questions in rules order, so a respondent's weighted sum is always added up
    in the same order whatever order the answers mapping has. Questions not shown to the
    respondent are skipped: they count neither as answered nor as missing.
    """
    pillar_count = len(rules.pillars)
    weighted = [0.0] * pillar_count
    weights = [0.0] * pillar_count
    answered = [0] * pillar_count
    dont_know = [0] * pillar_count
    asked = [0] * pillar_count
    blockers: list[list[str]] = [[] for _ in range(pillar_count)]
    answers = response.answers
    for qi, (code, pi, weight, critical, blocker_below) in enumerate(rules.plan):
        if not shown[qi]:
            continue
        asked[pi] += 1
        level = answers.get(code, _ABSENT)
        if tally is not None:
            tally.asked[qi] += 1
            if response.perspective in rules.questions[qi].deciding_perspectives:
                counts = tally.deciding_answers[qi].setdefault(response.perspective, [0, 0])
                counts[0] += 1
                counts[1] += level is not _ABSENT and level is not None
        if level is _ABSENT:
            continue
        if level is None:
            dont_know[pi] += 1
            if tally is not None:
                tally.dont_know[qi] += 1
            continue
        if level not in _LEVELS:
            raise ValueError(f"Response {response.id}: level {level!r} of {code} is not 0..4.")
        weighted[pi] += weight * level
        weights[pi] += weight
        answered[pi] += 1
        blocks = critical and level < blocker_below
        if blocks:
            blockers[pi].append(code)
        if tally is not None:
            tally.distribution[qi][level] += 1
            if blocks:
                tally.blockers[qi] += 1
                if response.perspective in rules.questions[qi].deciding_perspectives:
                    tally.deciding_blockers[qi] += 1

    maturity: list[float | None] = []
    coverage: list[float | None] = []
    importance: list[int] = []
    ratings = response.importance
    for pi, pillar in enumerate(rules.pillars):
        maturity.append(100.0 * weighted[pi] / (MAX_LEVEL * weights[pi]) if answered[pi] else None)
        coverage.append(answered[pi] / asked[pi] if asked[pi] else None)
        rating = ratings.get(pillar.code, NEUTRAL_IMPORTANCE)
        if rating not in _IMPORTANCE:
            raise ValueError(
                f"Response {response.id}: importance {rating!r} of {pillar.code} is not 1..5."
            )
        importance.append(rating)
    return _Scan(maturity, coverage, importance, answered, dont_know, asked, blockers)


def score_response(rules: Rules, response: ResponseInput) -> dict[str, ResponsePillarScore]:
    """Score one respondent: pillar code -> maturity, coverage and blockers, in rules order.

    A question's score is level / 4; the pillar maturity is 100 x the weighted mean of the
    scores of the questions answered with a level (None if there are none). Don't know
    lowers coverage, never maturity; a question not asked of the respondent changes
    neither. Answers to unknown question codes are ignored; a level outside 0..4 or an
    importance outside 1..5 raises ValueError.
    """
    shown = rules.shown(response.perspective, sees_all=response.sees_all)
    scan = _scan(rules, response, shown)
    return {
        pillar.code: ResponsePillarScore(
            pillar=pillar.code,
            maturity=scan.maturity[pi],
            coverage=scan.coverage[pi],
            answered=scan.answered[pi],
            dont_know=scan.dont_know[pi],
            questions=scan.asked[pi],
            importance=scan.importance[pi],
            blockers=tuple(scan.blockers[pi]),
        )
        for pi, pillar in enumerate(rules.pillars)
    }


def _question_results(
    rules: Rules, tally: _Tally, min_respondents: int
) -> dict[str, QuestionResult]:
    results: dict[str, QuestionResult] = {}
    for qi, question in enumerate(rules.questions):
        counts = tally.distribution[qi]
        answered = sum(counts)
        asked = tally.asked[qi]
        withheld = Withheld.FEW_ANSWERS if 0 < answered < min_respondents else None
        mean_score = risk = band = None
        blockers = 0
        red_flag = by_deciding = not_established = False
        if answered and withheld is None:
            # Integer sums, one division: exact enough and order independent.
            mean_score = 100.0 * sum(level * n for level, n in enumerate(counts)) / (4 * answered)
            risk = 100.0 - mean_score
            band = rules.bands.band(risk)
            if question.critical:
                blockers = tally.blockers[qi]
                by_share = blockers >= 1 and reaches(blockers / answered, rules.red_flag_share)
                by_deciding = not by_share and tally.deciding_blockers[qi] >= 1
                red_flag = by_share or by_deciding
        share = rules.not_established_share
        if question.critical and share is not None and asked and asked >= min_respondents:
            # "Most could not answer": skipped and don't know alike, against those asked.
            not_established = (asked - answered) / asked > share + EPSILON
        if question.critical and rules.establish_unanswered:
            # Nobody asked, nobody answering, or a whole deciding perspective not knowing:
            # the answer that decides is missing, and a launch cannot rest on that.
            not_established = (
                not_established
                or not answered
                or any(not gave for _asked, gave in tally.deciding_answers[qi].values())
            )
        results[question.code] = QuestionResult(
            code=question.code,
            pillar=question.pillar,
            text=question.text,
            critical=question.critical,
            asked=asked,
            answered=answered,
            dont_know=tally.dont_know[qi],
            distribution=tuple(counts) if withheld is None else (0,) * len(counts),
            mean=mean_score,
            risk=risk,
            band=band,
            blockers=blockers,
            red_flag=red_flag,
            red_flag_by_deciding=by_deciding,
            not_established=not_established,
            withheld=withheld,
        )
    return results


def _confidence(respondents: int, coverage: float) -> Confidence:
    if respondents >= CONFIDENCE_HIGH[0] and reaches(coverage, CONFIDENCE_HIGH[1]):
        return Confidence.HIGH
    if respondents >= CONFIDENCE_MEDIUM[0] and reaches(coverage, CONFIDENCE_MEDIUM[1]):
        return Confidence.MEDIUM
    return Confidence.LOW


def _pillar_result(
    rules: Rules,
    pi: int,
    scans: Sequence[_Scan],
    questions: dict[str, QuestionResult],
    tally: _Tally,
    min_respondents: int,
) -> PillarResult:
    pillar = rules.pillars[pi]
    values = [m for scan in scans if (m := scan.maturity[pi]) is not None]
    # Coverage is over every response that was asked something in the pillar, including
    # those without a level; importance over every response.
    coverages = [c for scan in scans if (c := scan.coverage[pi]) is not None]
    coverage = mean(coverages) if coverages else 0.0
    importance = mean([scan.importance[pi] for scan in scans]) if scans else None
    withheld = Withheld.FEW_ANSWERS if 0 < len(values) < min_respondents else None
    red_flags = tuple(
        q.code for q in rules.questions_by_pillar[pillar.code] if questions[q.code].red_flag
    )
    maturity = median = stdev = consensus = risk = band = None
    raised = False
    if values and withheld is None:
        maturity = (
            _question_first(rules, pillar.code, tally)
            if rules.aggregation is Aggregation.QUESTION_FIRST
            else mean(values)
        )
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
        withheld=withheld,
    )


def _question_first(rules: Rules, pillar: str, tally: _Tally) -> float:
    """The weighted mean of the pillar's question means (0..100) over the people who gave a
    level: each question weighs what the bank declares, whoever it was asked of."""
    weighted = weights = 0.0
    for question in rules.questions_by_pillar[pillar]:
        counts = tally.distribution[rules.question_index[question.code]]
        answered = sum(counts)
        if answered:
            level_sum = sum(level * n for level, n in enumerate(counts))
            weighted += question.weight * 100.0 * level_sum / (MAX_LEVEL * answered)
            weights += question.weight
    return weighted / weights


def _overall_index(pillars: Sequence[PillarResult]) -> float | None:
    assessed = [p for p in pillars if p.maturity is not None]
    if not assessed:
        return None
    weighted = math.fsum(p.weight * p.maturity for p in assessed if p.maturity is not None)
    return weighted / math.fsum(p.weight for p in assessed)


def perspective_key(perspective: str) -> tuple[int, str]:
    known = perspective in PERSPECTIVES
    return (PERSPECTIVES.index(perspective) if known else len(PERSPECTIVES), perspective)


def _respondent_maturity(
    response: ResponseInput, questions: Sequence[QuestionRule]
) -> float | None:
    weighted = weights = 0.0
    for question in questions:
        level = response.answers.get(question.code)
        if level is not None:
            weighted += question.weight * level
            weights += question.weight
    return 100.0 * weighted / (MAX_LEVEL * weights) if weights else None


def _members(responses: Sequence[ResponseInput]) -> dict[str, list[int]]:
    """Perspective → the indices of its responses."""
    members: dict[str, list[int]] = defaultdict(list)
    for index, response in enumerate(responses):
        members[response.perspective].append(index)
    return members


def _perspectives(
    rules: Rules, responses: Sequence[ResponseInput], scans: Sequence[_Scan]
) -> tuple[tuple[PerspectiveGroup, ...], int, tuple[PerceptionGap, ...]]:
    members = _members(responses)
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
    order = sorted(shown, key=perspective_key)

    figures: dict[str, dict[str, float | None]] = {p: {} for p in order}
    withheld: dict[str, dict[str, Withheld]] = {p: {} for p in order}
    for pi, pillar in enumerate(rules.pillars):
        givers = {
            p: [m for i in members[p] if (m := scans[i].maturity[pi]) is not None] for p in order
        }
        visible = {p for p in order if len(givers[p]) >= threshold}
        for p in order:
            if 0 < len(givers[p]) < threshold:
                # A figure resting on fewer than `threshold` people (the rest said don't
                # know) would expose them, even inside a group that is large enough.
                withheld[p][pillar.code] = Withheld.FEW_ANSWERS
        # The pillar's figure over everyone, minus the visible cells, must not reveal the
        # hidden respondents of this pillar either.
        total = sum(1 for scan in scans if scan.maturity[pi] is not None)
        hidden = total - sum(len(givers[p]) for p in visible)
        for p in sorted(visible, key=lambda p: (len(givers[p]), p)):
            if not 0 < hidden < threshold:
                break
            visible.discard(p)
            withheld[p][pillar.code] = Withheld.SECONDARY
            hidden += len(givers[p])
        for p in order:
            figures[p][pillar.code] = mean(givers[p]) if p in visible else None

    groups = tuple(PerspectiveGroup(p, len(members[p]), figures[p], withheld[p]) for p in order)
    gaps = _gaps(rules, responses, members, groups)
    return groups, suppressed, gaps


def _misaligned(
    rules: Rules, responses: Sequence[ResponseInput], scans: Sequence[_Scan]
) -> tuple[tuple[str, str, str], ...]:
    """Pillars on which two perspectives of at least the threshold of people each are
    `disagreement_gap` points apart or more: (pillar, higher, lower), names only.

    Judged on every group large enough, shown or not: what caps the verdict must not
    depend on what the anonymity rules let a page show.
    """
    if rules.disagreement_gap is None:
        return ()
    members = _members(responses)
    threshold = rules.anonymity_threshold
    groups = []
    for perspective in sorted(members, key=perspective_key):
        if len(members[perspective]) < threshold:
            continue
        figures: dict[str, float | None] = {}
        for pi, pillar in enumerate(rules.pillars):
            givers = [m for i in members[perspective] if (m := scans[i].maturity[pi]) is not None]
            figures[pillar.code] = mean(givers) if len(givers) >= threshold else None
        groups.append(PerspectiveGroup(perspective, len(members[perspective]), figures))
    return tuple(
        (gap.pillar, gap.high_perspective, gap.low_perspective)
        for gap in _gaps(rules, responses, members, groups)
        if reaches(gap.gap, rules.disagreement_gap)
    )


def _gaps(
    rules: Rules,
    responses: Sequence[ResponseInput],
    members: dict[str, list[int]],
    groups: Sequence[PerspectiveGroup],
) -> tuple[PerceptionGap, ...]:
    """The largest difference between two shown groups per pillar, largest first.

    With perspective routing, two groups are compared on the questions asked of both.
    """
    found: list[tuple[int, PerceptionGap]] = []
    for pi, pillar in enumerate(rules.pillars):
        pillar_questions = rules.questions_by_pillar[pillar.code]
        candidates = [g for g in groups if g.pillars[pillar.code] is not None]
        best: PerceptionGap | None = None
        for a, b in itertools.combinations(candidates, 2):
            common = [
                q
                for q in pillar_questions
                if q.asked_of(a.perspective) and q.asked_of(b.perspective)
            ]
            if not common:
                continue
            values = [(a.pillars[pillar.code], a), (b.pillars[pillar.code], b)]
            if len(common) < len(pillar_questions):
                values = [
                    (_group_mean(responses, members[g.perspective], common, rules), g)
                    for _, g in values
                ]
                if any(value is None for value, _ in values):
                    continue
            (high, high_group), (low, low_group) = sorted(values, key=lambda item: -item[0])
            gap = PerceptionGap(
                pillar=pillar.code,
                high_perspective=high_group.perspective,
                high=high,
                low_perspective=low_group.perspective,
                low=low,
                gap=high - low,
                questions=len(common),
            )
            # Ties keep the earlier high group and the later low group, in display order.
            if (
                best is None
                or gap.gap > best.gap + EPSILON
                or (
                    abs(gap.gap - best.gap) <= EPSILON
                    and gap.high_perspective == best.high_perspective
                )
            ):
                best = gap
        if best is not None:
            found.append((pi, best))
    found.sort(key=lambda item: (-item[1].gap, item[0]))
    return tuple(gap for _, gap in found)


def _group_mean(
    responses: Sequence[ResponseInput],
    indices: Sequence[int],
    questions: Sequence[QuestionRule],
    rules: Rules,
) -> float | None:
    values = [
        m for i in indices if (m := _respondent_maturity(responses[i], questions)) is not None
    ]
    return mean(values) if len(values) >= rules.anonymity_threshold else None


def _findings(
    rules: Rules, pillars: Sequence[PillarResult], questions: dict[str, QuestionResult]
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
        # The next step is the level above the mean answer: 2.6 on average -> level 3.
        next_level = min(MAX_LEVEL, math.floor(result.mean / 25 + EPSILON) + 1)
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
            next_level=next_level,
            next_step=question.levels[next_level] if next_level < len(question.levels) else "",
        )
        ranked.append((not result.red_flag, -priority, qi, finding))
    ranked.sort(key=lambda item: item[:3])
    return tuple(item[3] for item in ranked)


def score_assessment(
    rules: Rules, responses: Iterable[ResponseInput], *, min_respondents: int = 1
) -> AssessmentResult:
    """Aggregate the submitted responses of one assessment into its full result.

    Pillars come in rules order with mean/median/spread/consensus, coverage, confidence,
    risk band (raised to at least HIGH by a red flag); questions with their answer
    distribution; the overall index, the verdict with its reasons and the path to ready;
    perspective groups that respect the anonymity threshold, perception gaps and ranked
    findings.

    `min_respondents`: a pillar or question figure resting on fewer respondents who gave a
    level is withheld (with the reason), and the verdict says it could not be judged. 1 for
    the consultant's live view; the anonymity threshold for what a client's management sees.

    The result does not depend on the order of `responses`; duplicate ids raise ValueError.
    """
    if min_respondents < 1:
        raise ValueError(f"min_respondents must be at least 1, got {min_respondents}.")
    ordered = sorted(responses, key=lambda response: response.id)
    for before, after in itertools.pairwise(ordered):
        if before.id == after.id:
            raise ValueError(f"Response {after.id} is given more than once.")

    tally = _Tally.empty(len(rules.questions))
    shown_by_kind: dict[tuple[str, bool], tuple[bool, ...]] = {}
    scans = []
    for response in ordered:
        kind = (response.perspective, response.sees_all)
        if kind not in shown_by_kind:
            shown_by_kind[kind] = rules.shown(response.perspective, sees_all=response.sees_all)
        scans.append(_scan(rules, response, shown_by_kind[kind], tally))

    questions = _question_results(rules, tally, min_respondents)
    pillars = tuple(
        _pillar_result(rules, pi, scans, questions, tally, min_respondents)
        for pi in range(len(rules.pillars))
    )
    ordered_questions = [questions[q.code] for q in rules.questions]
    misaligned = _misaligned(rules, ordered, scans)
    result_verdict, reasons = verdict(pillars, ordered_questions, len(ordered), misaligned)
    perspectives, hidden, gaps = _perspectives(rules, ordered, scans)
    return AssessmentResult(
        respondents=len(ordered),
        min_respondents=min_respondents,
        pillars=pillars,
        questions=questions,
        overall_index=_overall_index(pillars),
        verdict=result_verdict,
        reasons=reasons,
        red_flags=tuple(q.code for q in ordered_questions if q.red_flag),
        not_established=tuple(q.code for q in ordered_questions if q.not_established),
        perspectives=perspectives,
        hidden_respondents=hidden,
        gaps=gaps,
        findings=_findings(rules, pillars, questions),
        path=path_to_ready(rules.bands, pillars, ordered_questions, result_verdict, misaligned),
        misaligned=misaligned,
    )
