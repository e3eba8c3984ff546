"""The verdict's reasons and the path to ready in words, in one place for every page and PDF.

Questions are named by their text, as people read them; consultants also see the code.
"""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .labels import label
from .scoring import (
    AssessmentResult,
    Band,
    PathStep,
    ReasonKind,
    StepKind,
    VerdictReason,
)


def decimal(text: str) -> str:
    """A number written with a point, with the reader's decimal separator (37,5 in
    Portuguese)."""
    return text.replace(".", get_format("DECIMAL_SEPARATOR"))


def _number(value: float) -> str:
    """70, 37.5, 52.3: one decimal at most, none when it is whole (a limit, not a score)."""
    return decimal(f"{value:.1f}".removesuffix(".0"))


def whole(value: float) -> int:
    """A score on the 0–100 scale as every page and document prints it: half up, once,
    from the unrounded figure (62.5 → 63, 62.49 → 62). Python's `round` rounds half to
    even, and other programs by their own rule: every printed score is rounded here."""
    # repr: the shortest decimal that is the float, as a person would read it.
    return int(Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _pillars(result: AssessmentResult, codes: Sequence[str]) -> str:
    return _join([result.pillar(code).name for code in codes])


def question_name(result: AssessmentResult, code: str, *, show_codes: bool) -> str:
    """“The question's text”, with its code after it for consultants."""
    question = result.questions.get(code)
    text = f"“{question.text}”" if question and question.text else code
    return f"{text} ({code})" if show_codes and text != code else text


def _questions(result: AssessmentResult, codes: Sequence[str], *, show_codes: bool) -> str:
    return _join([question_name(result, code, show_codes=show_codes) for code in codes])


def reason_clause(
    result: AssessmentResult, reason: VerdictReason, *, show_codes: bool = False
) -> str:
    """One reason of the verdict as a clause: “Ethics is at critical risk”."""
    pillars = _pillars(result, reason.pillars)
    count = len(reason.pillars)
    questions = _questions(result, reason.questions, show_codes=show_codes)
    match reason.kind:
        case ReasonKind.NO_RESPONSES:
            return _("no response has been submitted yet")
        case ReasonKind.NO_LEVELS:
            return _("no pillar has an answer with a level yet")
        case ReasonKind.ALL_LOW:
            return _("every pillar is at low risk and no red flag was raised")
        case ReasonKind.CRITICAL_RISK:
            return ngettext(
                "%(names)s is at critical risk", "%(names)s are at critical risk", count
            ) % {"names": pillars}
        case ReasonKind.HIGH_RISK:
            return ngettext("%(names)s is at high risk", "%(names)s are at high risk", count) % {
                "names": pillars
            }
        case ReasonKind.MODERATE_RISK:
            return ngettext(
                "%(names)s is at moderate risk", "%(names)s are at moderate risk", count
            ) % {"names": pillars}
        case ReasonKind.NOT_ASSESSED:
            return ngettext("%(names)s was not assessed", "%(names)s were not assessed", count) % {
                "names": pillars
            }
        case ReasonKind.RED_FLAGS:
            return ngettext(
                "a red flag was raised on %(questions)s",
                "red flags were raised on %(questions)s",
                len(reason.questions),
            ) % {"questions": questions}
        case ReasonKind.NOT_ESTABLISHED:
            return ngettext(
                "most respondents could not answer the critical question %(questions)s",
                "most respondents could not answer the critical questions %(questions)s",
                len(reason.questions),
            ) % {"questions": questions}
        case ReasonKind.DISAGREEMENT:
            return ngettext(
                "perspectives are far apart on %(names)s",
                "perspectives are far apart on %(names)s",
                count,
            ) % {"names": pillars}
        case ReasonKind.WITHHELD:
            parts = []
            if reason.pillars:
                parts.append(
                    ngettext(
                        "%(names)s could not be judged: not enough answers",
                        "%(names)s could not be judged: not enough answers",
                        count,
                    )
                    % {"names": pillars}
                )
            if reason.questions:
                parts.append(
                    ngettext(
                        "the critical question %(questions)s could not be judged: not enough "
                        "answers",
                        "the critical questions %(questions)s could not be judged: not enough "
                        "answers",
                        len(reason.questions),
                    )
                    % {"questions": questions}
                )
            return "; ".join(parts)
    raise ValueError(reason.kind)


def verdict_clauses(result: AssessmentResult, *, show_codes: bool = False) -> list[str]:
    """Each reason of the verdict as a clause, in the order scoring gives them."""
    return [reason_clause(result, reason, show_codes=show_codes) for reason in result.reasons]


def _sentence(text: str) -> str:
    """End with a full stop, unless the text already ends a quoted question or sentence."""
    return text if text.endswith(("?”", ".”", "!”", ".")) else f"{text}."


def verdict_because(result: AssessmentResult, *, show_codes: bool = False) -> str:
    """The reasons alone, as a sentence: for a page that shows the verdict as a heading."""
    clauses = "; ".join(verdict_clauses(result, show_codes=show_codes))
    return _sentence(clauses[:1].upper() + clauses[1:])


def verdict_reason(result: AssessmentResult, *, show_codes: bool = False) -> str:
    """“Not ready: Ethics, legal and governance is at critical risk; a red flag was raised
    on “…”.” The one sentence that states the verdict with its reasons."""
    clauses = "; ".join(verdict_clauses(result, show_codes=show_codes))
    if result.verdict is None:
        return _sentence(_("No verdict yet: %(reason)s") % {"reason": clauses})
    return _sentence(
        _("%(verdict)s: %(reason)s")
        % {"verdict": label("verdict", result.verdict), "reason": clauses}
    )


def path_step(result: AssessmentResult, step: PathStep, *, show_codes: bool = False) -> str:
    """One change on the path to ready, as an instruction."""
    match step.kind:
        case StepKind.LIFT_RED_FLAG:
            return _sentence(
                _("Lift the red flag on %(question)s")
                % {"question": question_name(result, step.question, show_codes=show_codes)}
            )
        case StepKind.ESTABLISH:
            return _(
                "Establish the answer to %(question)s: most respondents could not give one."
            ) % {"question": question_name(result, step.question, show_codes=show_codes)}
        case StepKind.RAISE_PILLAR:
            pillar = result.pillar(step.pillar)
            values = {"pillar": pillar.name, "target": _number(step.target or 0.0)}
            if pillar.maturity is not None:
                values["pillar"] = _("%(pillar)s (now %(now)s)") % {
                    "pillar": pillar.name,
                    "now": whole(pillar.maturity),
                }
            # A withheld pillar's figure, and so how far it is from the target, stays unsaid.
            if step.target_band is Band.LOW:
                return _("Raise %(pillar)s above %(target)s: to low risk.") % values
            return _("Raise %(pillar)s above %(target)s: out of critical risk.") % values
        case StepKind.ALIGN:
            high, low = (label("perspective", code) for code in step.perspectives)
            return _(
                "Align %(high)s and %(low)s on %(pillar)s: they see it far apart, and a launch "
                "needs a shared picture."
            ) % {"high": high, "low": low, "pillar": result.pillar(step.pillar).name}
        case StepKind.JUDGE_PILLAR:
            return _("Get enough answers on %(pillar)s to judge it.") % {
                "pillar": result.pillar(step.pillar).name
            }
    raise ValueError(step.kind)
