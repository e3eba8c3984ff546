"""Disclosure control: which figures of a publication a client's management may see.

The rule, as the method appendix states it. Every published cell (the index, a pillar, a
question with its level distribution, a perspective group, a group's pillar figure, a
perception gap) records the responses that give it a level; "don't know" gives none. A
cell is shown only when

1. at least `threshold` responses contribute to it, and
2. against every earlier publication of the assessment (and of the one it follows up) in
   which the same cell was shown, its contributors are unchanged, or both the responses
   added and the responses removed (erasures included) number 0 or at least `threshold`.

Otherwise it is withheld with its reason, so that no figure, and no difference between two
figures, rests on fewer people than the threshold. A level distribution shows no level
held by 1 or 2 answers (with a threshold of 3 or more); a question whose red flag or
"not established" rests on fewer people than the threshold is named without any count.

Suppression hides details, never the verdict: the verdict, its reasons, the red flags, the
questions not established and the path to ready are those of all counted responses. Only a
consultant's written dismissal of a red flag (or of a question not established) changes
the published verdict (`scoring.dismiss`).

Pure: plain scoring inputs and results in, a new result and the contributors out.
"""

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .. import scoring
from ..scoring import (
    AssessmentResult,
    PerceptionGap,
    PerspectiveGroup,
    PillarEvidence,
    PillarResult,
    QuestionResult,
    ResponseInput,
    Rules,
    Withheld,
)

INDEX = "index"
SMALL_COUNT = 2  # a level held by this many answers or fewer is never printed as a count

Contributors = Mapping[str, frozenset[int]]


def pillar_cell(pillar: str) -> str:
    return f"pillar:{pillar}"


def question_cell(question: str) -> str:
    return f"question:{question}"


def group_cell(perspective: str, pillar: str = "") -> str:
    return f"group:{perspective}:{pillar}" if pillar else f"group:{perspective}"


def gap_cell(pillar: str, one: str, other: str) -> str:
    first, second = sorted((one, other))
    return f"gap:{pillar}:{first}:{second}"


def evidence_cell(pillar: str) -> str:
    return f"evidenced:{pillar}"


def changes_enough(now: frozenset[int], before: frozenset[int], threshold: int) -> bool:
    """Unchanged, or every difference (added, removed) is empty or at least `threshold`."""
    added, removed = len(now - before), len(before - now)
    return all(count == 0 or count >= threshold for count in (added, removed))


@dataclass(frozen=True)
class Disclosure:
    """A publication's result and the contributors of each cell it shows."""

    result: AssessmentResult
    contributors: dict[str, frozenset[int]]
    evidence: tuple[PillarEvidence, ...] = ()


def contributors(rules: Rules, responses: Iterable[ResponseInput]) -> dict[str, frozenset[int]]:
    """The responses giving a level to each cell (every cell, shown or not).

    A perception gap's contributors are those of its two groups' pillar figures; the index's
    are filled in by `disclose`, from the pillars it is made of.
    """
    cells: dict[str, set[int]] = {}
    for response in responses:
        shown = rules.shown(response.perspective, sees_all=response.sees_all)
        cells.setdefault(group_cell(response.perspective), set()).add(response.id)
        for asked, question in zip(shown, rules.questions, strict=True):
            level = response.answers.get(question.code)
            if not asked or level is None:
                continue
            for cell in (
                question_cell(question.code),
                pillar_cell(question.pillar),
                group_cell(response.perspective, question.pillar),
            ):
                cells.setdefault(cell, set()).add(response.id)
    return {cell: frozenset(ids) for cell, ids in cells.items()}


class _Judge:
    """Decides, cell by cell, whether it may be shown; remembers what it showed."""

    def __init__(
        self,
        cells: Mapping[str, frozenset[int]],
        earlier: Sequence[Contributors],
        threshold: int,
    ) -> None:
        self.cells = cells
        self.earlier = earlier
        self.threshold = threshold
        self.shown: dict[str, frozenset[int]] = {}

    def why_not(self, cell: str, ids: frozenset[int] | None = None) -> Withheld | None:
        ids = self.cells.get(cell, frozenset()) if ids is None else ids
        if len(ids) < self.threshold:
            return Withheld.FEW_ANSWERS
        for before in self.earlier:
            if cell in before and not changes_enough(ids, before[cell], self.threshold):
                return Withheld.FEW_CHANGES
        return None

    def show(self, cell: str, ids: frozenset[int] | None = None) -> None:
        self.shown[cell] = self.cells.get(cell, frozenset()) if ids is None else ids


def _distribution_reason(counts: Sequence[int], threshold: int) -> Withheld | None:
    if threshold >= SMALL_COUNT + 1 and any(0 < count <= SMALL_COUNT for count in counts):
        return Withheld.SMALL_COUNTS
    return None


def rests_on_few(question: QuestionResult, threshold: int) -> bool:
    """A red flag raised, or a question not established, by fewer people than the threshold."""
    if question.red_flag and question.blockers < threshold:
        return True
    return question.not_established and question.asked - question.answered < threshold


def _withhold_question(question: QuestionResult, reason: Withheld) -> QuestionResult:
    return dataclasses.replace(
        question,
        asked=0,
        answered=0,
        dont_know=0,
        distribution=(0,) * len(question.distribution),
        mean=None,
        risk=None,
        band=None,
        blockers=0,
        withheld=reason,
        distribution_withheld=None,
    )


def _questions(
    result: AssessmentResult, judge: _Judge, threshold: int
) -> dict[str, QuestionResult]:
    questions = {}
    for code, question in result.questions.items():
        cell = question_cell(code)
        if rests_on_few(question, threshold):
            reason = Withheld.FLAG_FROM_FEW
        elif question.answered:
            reason = judge.why_not(cell)
        else:
            # Nobody gave a level: even who did not know is not counted out for a few.
            reason = Withheld.FEW_ANSWERS if 0 < question.asked < threshold else None
        if reason is not None:
            questions[code] = _withhold_question(question, reason)
            continue
        if question.answered:
            judge.show(cell)
        small = _distribution_reason(question.distribution, threshold)
        if small is not None:
            question = dataclasses.replace(
                question,
                distribution=(0,) * len(question.distribution),
                distribution_withheld=small,
            )
        questions[code] = question
    return questions


def _pillars(result: AssessmentResult, judge: _Judge) -> tuple[PillarResult, ...]:
    pillars = []
    for pillar in result.pillars:
        cell = pillar_cell(pillar.pillar)
        reason = judge.why_not(cell) if pillar.respondents else None
        if reason is None:
            if pillar.respondents:
                judge.show(cell)
            pillars.append(pillar)
            continue
        pillars.append(
            dataclasses.replace(
                pillar,
                respondents=0,
                maturity=None,
                median=None,
                stdev=None,
                consensus=None,
                coverage=0.0,
                confidence=scoring.Confidence.LOW,
                importance=None,
                risk=None,
                band=None,
                band_raised_by_red_flag=False,
                recommendation="",
                withheld=reason,
            )
        )
    return tuple(pillars)


def _index(pillars: Sequence[PillarResult], judge: _Judge) -> tuple[float | None, Withheld | None]:
    shown = [pillar for pillar in pillars if pillar.maturity is not None]
    if not shown:
        # Made of the pillars shown, the index falls with them, for their reason.
        return None, next((pillar.withheld for pillar in pillars if pillar.withheld), None)
    ids = frozenset().union(*(judge.cells[pillar_cell(pillar.pillar)] for pillar in shown))
    reason = judge.why_not(INDEX, ids)
    if reason is not None:
        return None, reason
    judge.show(INDEX, ids)
    total = math.fsum(pillar.weight * (pillar.maturity or 0.0) for pillar in shown)
    return total / math.fsum(pillar.weight for pillar in shown), None


def _perspectives(
    result: AssessmentResult, judge: _Judge
) -> tuple[tuple[PerspectiveGroup, ...], int]:
    groups = []
    hidden = result.hidden_respondents
    for group in result.perspectives:
        if judge.why_not(group_cell(group.perspective)) is not None:
            hidden += group.respondents
            continue
        judge.show(group_cell(group.perspective))
        figures = dict(group.pillars)
        withheld = dict(group.withheld)
        for pillar, value in group.pillars.items():
            if value is None:
                continue
            cell = group_cell(group.perspective, pillar)
            reason = judge.why_not(cell)
            if reason is None:
                judge.show(cell)
            else:
                figures[pillar], withheld[pillar] = None, reason
        groups.append(dataclasses.replace(group, pillars=figures, withheld=withheld))
    return tuple(groups), hidden


def _gaps(
    result: AssessmentResult, groups: Sequence[PerspectiveGroup], judge: _Judge
) -> tuple[PerceptionGap, ...]:
    by_name = {group.perspective: group for group in groups}
    gaps = []
    for gap in result.gaps:
        high, low = by_name.get(gap.high_perspective), by_name.get(gap.low_perspective)
        if high is None or low is None:
            continue
        if high.pillars.get(gap.pillar) is None or low.pillars.get(gap.pillar) is None:
            continue
        cell = gap_cell(gap.pillar, gap.high_perspective, gap.low_perspective)
        ids = (
            judge.cells[group_cell(gap.high_perspective, gap.pillar)]
            | judge.cells[group_cell(gap.low_perspective, gap.pillar)]
        )
        if judge.why_not(cell, ids) is None:
            judge.show(cell, ids)
            gaps.append(gap)
    return tuple(gaps)


def _evidence(
    figures: Sequence[PillarEvidence],
    lowered: Mapping[str, frozenset[int]],
    pillars: Sequence[PillarResult],
    judge: _Judge,
) -> tuple[PillarEvidence, ...]:
    """The evidenced figures that may be shown beside the pillars shown.

    Its cell's contributors are the pillar's, and, as negative ids, the respondents whose
    high rating counted at level 2: one person's evidence seen between two publications
    changes the figure, so it counts as a change like one response more or less.
    """
    shown = {pillar.pillar: pillar for pillar in pillars}
    disclosed = []
    for figure in figures:
        pillar = shown[figure.pillar]
        withheld = pillar.withheld if pillar.maturity is None else figure.withheld
        if withheld is None:
            ids = judge.cells.get(pillar_cell(figure.pillar), frozenset()) | frozenset(
                -response for response in lowered.get(figure.pillar, ())
            )
            withheld = judge.why_not(evidence_cell(figure.pillar), ids)
            if withheld is None:
                judge.show(evidence_cell(figure.pillar), ids)
        disclosed.append(
            figure
            if withheld is None
            else dataclasses.replace(
                figure,
                claimed=pillar.maturity,
                evidenced=None,
                unverified=None,
                withheld=withheld,
            )
        )
    return tuple(disclosed)


def disclose(
    rules: Rules,
    responses: Sequence[ResponseInput],
    result: AssessmentResult,
    *,
    earlier: Sequence[Contributors] = (),
    evidence: tuple[Sequence[PillarEvidence], Mapping[str, frozenset[int]]] = ((), {}),
) -> Disclosure:
    """What a client's management may see of `result` (scored on all of `responses`), given
    the contributors that earlier publications showed; `evidence` is what
    `scoring.evidenced_pillars` returned for them."""
    threshold = rules.anonymity_threshold
    judge = _Judge(contributors(rules, responses), earlier, threshold)
    questions = _questions(result, judge, threshold)
    pillars = _pillars(result, judge)
    index, index_withheld = _index(pillars, judge)
    groups, hidden = _perspectives(result, judge)
    shown_pillars = {pillar.pillar for pillar in pillars if pillar.maturity is not None}
    disclosed = dataclasses.replace(
        result,
        min_respondents=threshold,
        pillars=pillars,
        questions=questions,
        overall_index=index,
        index_withheld=index_withheld,
        perspectives=groups,
        hidden_respondents=hidden,
        gaps=_gaps(result, groups, judge),
        findings=tuple(
            finding for finding in result.findings if questions[finding.question].mean is not None
        ),
        path=tuple(
            step
            if step.pillar in shown_pillars or step.points is None
            # The points a withheld pillar must gain would give its figure away.
            else dataclasses.replace(step, points=None)
            for step in result.path
        ),
    )
    figures, lowered = evidence
    return Disclosure(disclosed, judge.shown, _evidence(figures, lowered, pillars, judge))
