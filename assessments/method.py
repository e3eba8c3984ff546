"""The scoring method in plain words, with the numbers in force: the report's appendix."""

from collections.abc import Sequence

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .scoring import MethodSection
from .scoring.rules import (
    BENCHMARK_MIN_ORGANISATIONS,
    CONFIDENCE_HIGH,
    CONFIDENCE_MEDIUM,
    MAX_LEVEL,
    NEUTRAL_IMPORTANCE,
    Aggregation,
    Rules,
)
from .wording import decimal


def _num(value: float) -> str:
    return decimal(format(value, ".6g"))


def _percent(share: float) -> str:
    return decimal(f"{share * 100:.6g}%")


def join(items: Sequence[str], word: str | None = None) -> str:
    """ "a", "a and b", "a, b and c" (or "a, b or c" with `word`)."""
    if len(items) <= 1:
        return "".join(items)
    if word is None:
        word = pgettext("list", "and")
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def _level(value: float) -> str:
    """A risk threshold as the mean level it corresponds to."""
    return _num((100 - value) * MAX_LEVEL / 100)


def _red_flag_paragraphs(rules: Rules) -> tuple[str, ...]:
    critical = [q for q in rules.questions if q.critical]
    if not critical:
        return (_("This questionnaire has no critical question."),)
    stricter = [q.code for q in critical if q.blocker_below > 1]
    deciding = [
        f"{q.code} ({', '.join(q.deciding_perspectives)})"
        for q in critical
        if q.deciding_perspectives
    ]
    share = _percent(rules.red_flag_share)
    paragraphs = [
        _("Critical questions: %(questions)s.") % {"questions": join([q.code for q in critical])},
        _(
            "An answer to a critical question below its blocker level is a blocker: level 0, "
            "and level 1 as well for %(questions)s."
        )
        % {"questions": join(stricter)}
        if stricter
        else _(
            "An answer to a critical question below its blocker level is a blocker: level 0, "
            "for every critical question."
        ),
        _(
            "A critical question raises a red flag when at least %(share)s of those who gave "
            "a level gave a blocker, or when any respondent of its deciding perspectives did, "
            "however the others answered: %(questions)s."
        )
        % {"share": share, "questions": join(deciding)}
        if deciding
        else _(
            "A critical question raises a red flag when at least %(share)s of those who gave "
            "a level gave a blocker."
        )
        % {"share": share},
        _(
            "A red flag puts its pillar at high risk or worse, whatever its average; the "
            "risk figure itself stays 100 minus maturity."
        ),
    ]
    if rules.not_established_share is not None:
        paragraphs.append(
            _(
                "A critical question is not established when more than %(share)s of the "
                'respondents asked it gave no level ("Don\'t know" or no answer).'
            )
            % {"share": _percent(rules.not_established_share)}
        )
    if rules.establish_unanswered:
        paragraphs.append(
            _(
                "A critical question is not established either when nobody was asked it, "
                "nobody gave it a level, or every respondent of one of its deciding "
                "perspectives could not give one: it is never silently left out."
            )
        )
    return tuple(paragraphs)


def _pillar_rule(rules: Rules) -> str:
    if rules.aggregation is Aggregation.QUESTION_FIRST:
        return _(
            "A pillar's maturity is the weighted mean of its questions' mean scores (0 to "
            "100, over the people asked who gave a level), with the question weights: each "
            "question counts as much as the bank declares, whoever it is asked of. The "
            "median and the spread (population standard deviation) are those of the "
            "respondents' own maturities in the pillar."
        )
    return _(
        "A pillar's maturity is the mean of the maturities of the respondents who answered "
        "at least one of its questions with a level; the median and the spread (population "
        "standard deviation) are shown with it."
    )


def method_text(rules: Rules) -> tuple[MethodSection, ...]:
    """The scoring method in plain language, with the numbers these rules use, in the
    active language.

    Printed as the report's appendix, so that every figure can be traced to its rule.
    """
    bands = rules.bands
    threshold = rules.anonymity_threshold
    pillar_weights = join([f"{p.name} ({_num(p.weight)})" for p in rules.pillars])
    heavier = [f"{q.code} ({_num(q.weight)})" for q in rules.questions if q.weight > 1]
    lighter = [f"{q.code} ({_num(q.weight)})" for q in rules.questions if q.weight < 1]
    either = pgettext("list", "or")

    weight_paragraphs = [_("Pillar weights: %(pillars)s.") % {"pillars": pillar_weights}]
    weight_paragraphs.append(
        _("Questions weighted above 1: %(questions)s.") % {"questions": join(heavier)}
        if heavier
        else _("No question is weighted above 1.")
    )
    if lighter:
        weight_paragraphs.append(
            _("Questions weighted below 1: %(questions)s.") % {"questions": join(lighter)}
        )
    weight_paragraphs.append(_("All other questions have weight 1."))

    answers = [
        _(
            "Each question has five levels, 0 to 4, each describing what the organisation "
            "actually does. A question's score is its level divided by 4."
        ),
        _('"Don\'t know" is not a zero: it lowers coverage, never maturity.'),
        _(
            "A respondent's maturity in a pillar is 100 times the weighted mean of the "
            "scores of the questions they answered with a level, from 0 to 100. "
            "Their coverage is the share of the pillar's questions asked of them that they "
            "answered with a level."
        ),
    ]
    if rules.routed:
        answers.append(
            _(
                "Each respondent is asked the questions meant for their perspective (or every "
                "question, if they chose to see all). A question not asked of a respondent "
                "counts neither as answered nor as missing."
            )
        )
    conditions = [_("any pillar is at moderate or high risk or could not be judged")]
    if rules.disagreement_gap is not None:
        conditions.append(
            _(
                "two perspectives of at least %(threshold)s people each are %(gap)s points or "
                "more apart on a pillar (compared on the questions asked of both)"
            )
            % {"threshold": threshold, "gap": _num(rules.disagreement_gap)}
        )
    not_ready = [
        _("any pillar is at critical risk"),
        _("any red flag is raised"),
    ]
    if rules.not_established_share is not None:
        not_ready.append(_("any critical question is not established"))

    return (
        MethodSection(_("Answers and maturity"), tuple(answers)),
        MethodSection(_("Weights"), tuple(weight_paragraphs)),
        MethodSection(
            _("Pillar results"),
            (
                _pillar_rule(rules),
                _(
                    "Consensus is 100 x (1 - spread / 50), between 0 and 100: 100 means "
                    "everyone gave the same picture, 0 the widest possible disagreement. It "
                    "needs at least 2 respondents."
                ),
                _(
                    "Confidence is high with at least %(high_respondents)s respondents and a "
                    "mean coverage of at least %(high_coverage)s, medium with at least "
                    "%(medium_respondents)s respondents and %(medium_coverage)s coverage, and "
                    "low otherwise. Mean coverage counts every response that was asked a "
                    "question of the pillar."
                )
                % {
                    "high_respondents": CONFIDENCE_HIGH[0],
                    "high_coverage": _percent(CONFIDENCE_HIGH[1]),
                    "medium_respondents": CONFIDENCE_MEDIUM[0],
                    "medium_coverage": _percent(CONFIDENCE_MEDIUM[1]),
                },
            ),
        ),
        MethodSection(
            _("Risk bands"),
            (
                _("Risk is 100 minus maturity."),
                _(
                    "Low below %(moderate)s, moderate from %(moderate)s, high from %(high)s, "
                    "critical from %(critical)s."
                )
                % {
                    "moderate": _num(bands.moderate),
                    "high": _num(bands.high),
                    "critical": _num(bands.critical),
                },
                _(
                    "In levels: a pillar averaging above level %(low_level)s is at low risk, "
                    "one averaging level %(critical_level)s or below at critical risk."
                )
                % {
                    "low_level": _level(bands.moderate),
                    "critical_level": _level(bands.critical),
                },
            ),
        ),
        MethodSection(_("Red flags"), _red_flag_paragraphs(rules)),
        MethodSection(
            _("Overall index and verdict"),
            (
                _(
                    "The overall index is the weighted mean of the maturity of the pillars "
                    "that have answers, using the pillar weights."
                ),
                _(
                    "The verdict follows the weakest pillar, not the index: not ready when "
                    "%(not_ready)s; ready with conditions when %(conditions)s; ready "
                    "otherwise, every pillar at low risk."
                )
                % {"not_ready": join(not_ready, either), "conditions": join(conditions, either)},
                _(
                    "The path to ready lists what would move the verdict: the red flags to "
                    "lift, the critical questions to establish, and the maturity each pillar "
                    "must rise above to leave its band (100 minus the band's lower risk limit)."
                ),
            ),
        ),
        MethodSection(
            _("Anonymity"),
            (
                _(
                    "The consultant running the assessment sees progress and live figures. "
                    "The client's management sees published results only: a snapshot taken "
                    "when the consultant publishes, and a new one only after at least "
                    "%(threshold)s more responses have been submitted."
                )
                % {"threshold": threshold},
                _(
                    "Every published figure (the index, a pillar, a question and its answers, "
                    "a perspective group, a group's pillar, a perception gap) records the "
                    'responses that give it a level; "don\'t know" gives none. A figure is '
                    "shown only when at least %(threshold)s responses give it a level and, "
                    "against every earlier publication of the assessment (and of the one it "
                    "follows up) that showed it, the responses behind it are the same, or "
                    "those added and those removed (erasures included) each number none or at "
                    'least %(threshold)s. Otherwise it is withheld with its reason ("not '
                    'enough answers", "too few changes since the previous publication"), so '
                    "that no figure and no difference between two figures rests on fewer than "
                    "%(threshold)s people."
                )
                % {"threshold": threshold},
                _(
                    "The answers per level are not printed when a level holds only one or two "
                    "answers. The overall index is made of the pillars shown, and says how "
                    "many."
                ),
                _(
                    "Suppression hides details, never the verdict: the verdict, its reasons, "
                    "the red flags, the questions not established and the path to ready are "
                    "those of every counted response, in live and published results alike. A "
                    "red flag or a question not established that rests on fewer than "
                    "%(threshold)s people is named without any count. Only a consultant's "
                    "written dismissal, printed below, sets one aside."
                )
                % {"threshold": threshold},
            ),
        ),
        MethodSection(
            _("Perspectives"),
            (
                _(
                    "Results per perspective are shown only for groups of at least "
                    "%(threshold)s respondents."
                )
                % {"threshold": threshold},
                _(
                    "If the hidden groups hold fewer than %(threshold)s respondents together, "
                    "the smallest shown groups are hidden too, so that no hidden group can be "
                    "worked out by subtraction. Hidden groups are never shown, not even "
                    "combined."
                )
                % {"threshold": threshold},
                _(
                    "Within a shown group, a pillar figure that rests on fewer than "
                    "%(threshold)s respondents (the others answered don't know) is hidden as "
                    "well, and so is the smallest other figure of that pillar when the hidden "
                    "ones could be worked out from the pillar's total."
                )
                % {"threshold": threshold},
                _(
                    "A perception gap is the largest difference between two shown groups in a "
                    "pillar, compared on the questions asked of both."
                ),
            ),
        ),
        MethodSection(
            _("Priorities"),
            (
                _(
                    "Each question with answers gets a priority: its risk (100 minus its mean "
                    "score) x question weight x pillar weight x (mean importance of the pillar "
                    "/ %(neutral)s). Respondents rate importance from 1 to 5; a missing rating "
                    "counts as %(neutral)s."
                )
                % {"neutral": NEUTRAL_IMPORTANCE},
                _(
                    "Red flags come first, then the highest priority. The next step of a "
                    "finding is the description of the level above the mean answer."
                ),
            ),
        ),
        MethodSection(
            _("Trend and benchmark"),
            (
                _(
                    "The trend compares pillars and questions by code with the organisation's "
                    "previous assessment, across questionnaire versions; questions that exist "
                    "in only one of them are marked new or removed."
                ),
                _(
                    "The benchmark is the mean over other organisations of the pillars their "
                    "latest closing publication showed, each organisation counted once, never "
                    "live figures. It is a dated release, made at most once a day and only "
                    "when at least three organisations joined since the previous one, and is "
                    "shown only when at least %(organisations)s organisations contribute."
                )
                % {"organisations": BENCHMARK_MIN_ORGANISATIONS},
            ),
        ),
    )


def stored_method(rules: Rules) -> tuple[MethodSection, ...]:
    """The method as results keep it: in the product's own language, whoever's request
    scored them; a reader in another language sees it translated (`results.translated`)."""
    with translation.override(settings.LANGUAGE_CODE):
        return method_text(rules)
