"""From a verdict to a plan: a target maturity per pillar, and an action per finding.

Targets are agreed with the client for the go-live date; a pillar without one has the
questionnaire's default, the lowest maturity of the low-risk band. Actions are made from
the findings of the latest publication only, so that the plan never rests on live figures
a client manager may not see, and they belong to the assessment whose findings they answer:
its follow-up shows whether the questions they address moved.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import Membership, User

from . import loading, scoring
from .models import Action, Assessment, PillarTarget, Question
from .results.access import VisibleResults


class PlanRefused(Exception):
    """An action or a target that cannot be saved as given; the message says why."""


@dataclass(frozen=True)
class Target:
    pillar: str  # the pillar's code
    name: str
    maturity: int
    agreed: bool  # set by someone, not the questionnaire's default


def targets(assessment: Assessment) -> list[Target]:
    """A target for every pillar of the assessment's questionnaire, in order, each named in
    the reader's language. Two queries."""
    agreed = dict(assessment.targets.values_list("pillar_id", "maturity"))
    default = assessment.questionnaire.default_target
    return [
        Target(
            pillar.code,
            pillar.in_language().name,
            agreed.get(pillar.pk, default),
            pillar.pk in agreed,
        )
        for pillar in assessment.questionnaire.pillars.order_by("order")
    ]


@transaction.atomic
def set_targets(*, assessment: Assessment, maturities: Mapping[str, int], by: User) -> None:
    """Agree the target of each pillar given by code (0–100); the others stay as they are."""
    pillars = {p.code: p for p in assessment.questionnaire.pillars.all()}
    unknown = set(maturities) - set(pillars)
    if unknown:
        raise PlanRefused(
            _("This questionnaire has no pillar %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
        )
    for code, maturity in maturities.items():
        if not 0 <= maturity <= 100:
            raise PlanRefused(_("A target is a maturity from 0 to 100."))
        PillarTarget.objects.update_or_create(
            assessment=assessment,
            pillar=pillars[code],
            defaults={"maturity": maturity, "set_by": by},
        )


@dataclass(frozen=True)
class Progress:
    target: Target
    maturity: float | None  # as the reader sees it; None where withheld or not judged

    @property
    def gap(self) -> float | None:
        """Points still missing to the target, 0 once reached."""
        return None if self.maturity is None else max(0.0, self.target.maturity - self.maturity)


def progress_to_targets(
    result: scoring.AssessmentResult | None, plan: Sequence[Target]
) -> list[Progress]:
    maturity = {p.pillar: p.maturity for p in result.pillars} if result else {}
    return [Progress(target, maturity.get(target.pillar)) for target in plan]


# Actions


def plan_findings(results: VisibleResults | None) -> tuple[scoring.Finding, ...]:
    """The findings an action can be made from: those of a publication, never live ones."""
    if results is None or results.snapshot is None:
        return ()
    return results.result.findings


def owners(assessment: Assessment):
    """Who may own an action with a login: the members of the assessment's organisation."""
    return User.objects.filter(
        memberships__organisation_id=assessment.organisation_id, is_active=True
    ).order_by("name", "email")


def _check(assessment: Assessment, action: Action) -> None:
    if (
        action.owner_id
        and not Membership.objects.filter(
            organisation_id=assessment.organisation_id, user_id=action.owner_id
        ).exists()
    ):
        raise PlanRefused(
            _("The owner must be a member of %(organisation)s.")
            % {"organisation": assessment.organisation.name}
        )
    if action.owner_id and action.owner_name:
        raise PlanRefused(_("Name an owner with a login, or write a name, not both."))
    action.dropped_reason = action.dropped_reason.strip()
    try:
        action.full_clean(exclude=["assessment", "question", "owner", "created_by"])
    except ValidationError as invalid:
        raise PlanRefused(" ".join(invalid.messages)) from invalid


TITLE_LENGTH = Action._meta.get_field("title").max_length


def default_title(finding: scoring.Finding) -> str:
    """The first sentence of the finding's recommendation, cut at a word if too long."""
    text = finding.recommendation or finding.text
    first = text.split(". ", 1)[0].rstrip(".") + "."
    return Truncator(first).chars(TITLE_LENGTH)


def create_action(
    *, assessment: Assessment, finding: scoring.Finding, by: User, **fields
) -> Action:
    """An action for one published finding; its title defaults to the recommendation."""
    question = Question.objects.get(
        questionnaire_id=assessment.questionnaire_id, code=finding.question
    )
    if Action.objects.filter(assessment=assessment, question=question).exists():
        raise PlanRefused(_("This finding already has an action."))
    action = Action(
        assessment=assessment,
        question=question,
        title=fields.pop("title", "") or default_title(finding),
        created_by=by,
        **fields,
    )
    _check(assessment, action)
    action.save()
    return action


def update_action(*, action: Action, **fields) -> Action:
    for name, value in fields.items():
        setattr(action, name, value)
    if action.status != Action.Status.DROPPED:
        action.dropped_reason = ""
    _check(action.assessment, action)
    action.save()
    return action


# Whether the questions of the previous assessment's actions moved


@dataclass(frozen=True)
class ActionOutcome:
    action: Action
    before: float | None  # the question's score when the action was planned
    now: float | None  # in the results this reader sees of the follow-up

    @property
    def change(self) -> float | None:
        if self.before is None or self.now is None:
            return None
        return self.now - self.before


def outcomes(assessment: Assessment, results: VisibleResults | None) -> list[ActionOutcome]:
    """For a follow-up: each action of the assessment before it, with its question's score
    then (its latest publication) and now (`results`, what this reader sees). A score that
    either side withholds stays None: no movement rests on fewer people than the threshold."""
    previous = loading.previous_assessment(assessment)
    if previous is None or results is None:
        return []
    actions = list(previous.actions.for_plan())
    if not actions:
        return []
    snapshot = previous.latest_snapshot()
    before = _question_scores(snapshot.read_report().result) if snapshot else {}
    now = _question_scores(results.result)
    return [
        ActionOutcome(action, before.get(action.question.code), now.get(action.question.code))
        for action in actions
    ]


def _question_scores(result: scoring.AssessmentResult) -> dict[str, float | None]:
    return {
        code: None if question.withheld else question.mean
        for code, question in result.questions.items()
    }
