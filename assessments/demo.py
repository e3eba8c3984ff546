"""Demo data for `make run`: two client organisations, answered assessments and demo logins.

Development only. Answers come from a seeded random generator, so every run is the same.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organisation, Role, Sector, SizeBand, User, hash_token

from . import evidence, plan, services
from .models import (
    Action,
    Answer,
    Assessment,
    Evidence,
    Perspective,
    Questionnaire,
    RespondentContact,
    Response,
)
from .questionnaire_files import BUNDLED, BUNDLED_FILES, load_file
from .results import entries, publication
from .results.access import published_results

DEMO_PASSWORD = "readiness-demo"  # noqa: S105 - printed by `make run`, development only


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str


@dataclass(frozen=True)
class DemoSummary:
    logins: list[DemoLogin]
    respondent_path: str


# A fixed token keeps the printed demo link the same on every run; real links are random.
DEMO_RESPONDENT_TOKEN = "demo-respondent-link-development-only"  # noqa: S105

# How mature Acme is per pillar (mean level 0..4) now and half a year ago, and how each
# perspective tends to see it: leadership is more optimistic, legal sees ethics gaps.
ACME_NOW = {
    "data": 2.3,
    "expectations": 1.9,
    "skills": 1.6,
    "ethics": 1.1,
    "change": 2.0,
    "method": 1.5,
}
ACME_BEFORE = {
    "data": 1.6,
    "expectations": 1.4,
    "skills": 1.2,
    "ethics": 0.8,
    "change": 1.7,
    "method": 1.0,
}
PERSPECTIVE_BIAS = {
    Perspective.LEADERSHIP: {"*": 0.6},
    Perspective.BUSINESS: {"method": -0.3, "expectations": 0.3},
    Perspective.DATA_IT: {"data": -0.5, "skills": 0.2},
    Perspective.LEGAL_RISK: {"ethics": -0.6},
    Perspective.PEOPLE_HR: {"change": -0.4, "skills": -0.3},
}
# Three respondents per perspective, so that each group reaches the demo threshold of 3.
RESPONDENTS = [
    perspective
    for perspective in (
        Perspective.LEADERSHIP,
        Perspective.BUSINESS,
        Perspective.DATA_IT,
        Perspective.LEGAL_RISK,
    )
    for _ in range(3)
]
DEMO_ANONYMITY_THRESHOLD = 3
# The critical questions on which Acme's people give blocking answers before go-live: the
# story the demo tells (security not tested, lawful basis unclear); on the others nobody
# does, so the red flags read as findings, not as noise.
ACME_RED_FLAGS = frozenset({"method.security", "ethics.personal-data"})


def _user(email: str, name: str, **flags) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"name": name, **flags})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _organisation(slug: str, **fields) -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(slug=slug, defaults=fields)
    return organisation


def _member(user: User, organisation: Organisation, role: Role) -> None:
    Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": role})


@transaction.atomic
def seed_demo() -> DemoSummary:
    """Create the demo organisations and logins; running it again changes nothing."""
    consultant = _user("consultant@example.com", "Clara Consultant", is_consultant=True)
    manager = _user("manager@example.com", "Manuel Manager")
    admin = _user("admin@example.com", "Ada Admin", is_staff=True, is_superuser=True)
    globex_manager = _user("globex.manager@example.com", "Greta Globex")

    acme = _organisation(
        "acme-insurance",
        name="Acme Insurance",
        sector=Sector.FINANCIAL,
        size_band=SizeBand.LARGE,
        country="PT",
    )
    globex = _organisation(
        "globex-retail",
        name="Globex Retail",
        sector=Sector.RETAIL,
        size_band=SizeBand.ENTERPRISE,
        country="DE",
    )
    _member(consultant, acme, Role.CONSULTANT)
    _member(consultant, globex, Role.CONSULTANT)
    _member(manager, acme, Role.MANAGER)
    _member(globex_manager, globex, Role.MANAGER)

    # The baseline was answered on version 1 of the question bank, today's run uses the
    # newest: the trend then compares across versions, by question code.
    first, newest = (load_file(path).questionnaire for path in (BUNDLED_FILES[0], BUNDLED))
    baseline = _answered_assessment(
        acme,
        first,
        title="GenAI pilot baseline",
        maturity=ACME_BEFORE,
        seed=2025,
        age=timedelta(days=180),
        closed=True,
    )
    current = _answered_assessment(
        acme,
        newest,
        title="GenAI readiness before go-live",
        maturity=ACME_NOW,
        seed=2026,
        age=timedelta(days=10),
        closed=False,
        red_flags=ACME_RED_FLAGS,
        evidence_questions=(
            "expectations.success-criteria",
            "expectations.value-case",
            "change.sponsorship",
        ),
    )
    if not current.snapshots.exists():
        # Interim results, so that the demo manager sees what a client manager sees.
        publication.publish_results(assessment=current, published_by=consultant)
    _plan(baseline, current, consultant=consultant, manager=manager)
    if not current.responses.filter(token_hash=hash_token(DEMO_RESPONDENT_TOKEN)).exists():
        response = Response.objects.create(
            assessment=current, token_hash=hash_token(DEMO_RESPONDENT_TOKEN)
        )
        RespondentContact.objects.create(
            response=response, email="respondent@example.com", name="Rita Respondent"
        )
    _answered_assessment(
        globex,
        newest,
        title="Customer service assistant",
        maturity=dict.fromkeys(ACME_NOW, 2.6),
        seed=7,
        age=timedelta(days=30),
        closed=True,
        red_flags=frozenset(),
    )
    # The runs were back-dated after the services stored what the portfolio shows.
    entries.refresh_entries([acme.pk, globex.pk])
    return DemoSummary(
        respondent_path=f"/r/{DEMO_RESPONDENT_TOKEN}/",
        logins=[
            DemoLogin(consultant.email, "consultant (Acme Insurance, Globex Retail)"),
            DemoLogin(manager.email, "client manager (Acme Insurance)"),
            DemoLogin(admin.email, "platform administrator (/admin/)"),
        ],
    )


def _plan(baseline: Assessment, current: Assessment, *, consultant: User, manager: User) -> None:
    """Targets and actions on the published findings: one in progress with the manager, one
    overdue with a named owner, one done; on the baseline, one action whose question the
    current assessment asks again, so that its plan shows whether it moved."""
    if current.actions.exists():
        return
    today = timezone.localdate()
    plan.set_targets(assessment=current, maturities={"data": 80, "ethics": 85}, by=consultant)
    findings = plan.plan_findings(published_results(current))
    owners = [
        {
            "owner": manager,
            "due_on": today + timedelta(days=45),
            "status": Action.Status.IN_PROGRESS,
        },
        {"owner_name": "Inês Duarte (Data office)", "due_on": today - timedelta(days=5)},
        {"owner": manager, "due_on": today - timedelta(days=2), "status": Action.Status.DONE},
    ]
    for finding, fields in zip(findings, owners, strict=False):
        plan.create_action(assessment=current, finding=finding, by=consultant, **fields)
    asked_again = set(current.questionnaire.questions.values_list("code", flat=True))
    earlier = next(
        (f for f in plan.plan_findings(published_results(baseline)) if f.question in asked_again),
        None,
    )
    if earlier is not None and not baseline.actions.exists():
        plan.create_action(
            assessment=baseline,
            finding=earlier,
            by=consultant,
            owner=manager,
            due_on=today - timedelta(days=60),
            status=Action.Status.DONE,
        )


DEMO_EVIDENCE = {
    "expectations.success-criteria": "Success criteria signed off by the steering group, "
    "minutes of 12 October",
    "expectations.value-case": "Business case v2 on the project SharePoint",
    "change.sponsorship": "Sponsor's mandate letter from the COO",
}


def _name_evidence(rng: random.Random, response: Response, codes: tuple[str, ...]) -> None:
    """Evidence for three in four high ratings on the questions that ask for it, every
    other one seen by the consultant."""
    for number, answer in enumerate(
        response.answers.filter(question__code__in=codes, level__gte=3).order_by("question")
    ):
        if rng.random() < 3 / 4:
            seen = number % 2 == 0
            Evidence.objects.create(
                response=response,
                question=answer.question,
                text=DEMO_EVIDENCE.get(answer.question.code, "Project documentation"),
                seen=True if seen else None,
                checked_at=timezone.now() if seen else None,
            )


def _level(rng: random.Random, mean: float) -> int | None:
    if rng.random() < 0.07:
        return None  # don't know
    return max(0, min(4, round(rng.gauss(mean, 0.9))))


def _story_level(question, level: int | None, red_flags: frozenset[str] | None) -> int | None:
    if level is None or red_flags is None or not question.critical or question.code in red_flags:
        return level
    return max(level, question.blocker_below)


def _answered_assessment(
    organisation: Organisation,
    questionnaire: Questionnaire,
    *,
    title: str,
    maturity: dict[str, float],
    seed: int,
    age: timedelta,
    closed: bool,
    red_flags: frozenset[str] | None = None,
    evidence_questions: tuple[str, ...] = (),
) -> Assessment:
    """`red_flags`: the only critical questions answered below their blocker level (None:
    any may be). `evidence_questions`: where a rating of 3 or 4 asks for evidence; some
    high ratings name it, and the consultant has seen about half of those."""
    existing = organisation.assessments.filter(title=title).first()
    if existing:
        return existing
    rng = random.Random(seed)  # noqa: S311 - repeatable demo answers, not secrets
    started = timezone.now() - age
    assessment = services.create_assessment(
        organisation=organisation,
        questionnaire=questionnaire,
        title=title,
        created_by=None,
        anonymity_threshold=DEMO_ANONYMITY_THRESHOLD,
    )
    evidence.set_evidence_questions(assessment=assessment, codes=list(evidence_questions))
    services.open_assessment(assessment=assessment)
    outline = questionnaire.outline()
    for number, perspective in enumerate(RESPONDENTS, start=1):
        response, _token = services.create_respondent_link(
            assessment=assessment, email=f"{organisation.slug}.respondent{number}@example.com"
        )
        bias = PERSPECTIVE_BIAS.get(perspective, {})
        response.perspective = perspective
        response.importance = {p.code: rng.choice([3, 4, 4, 5, 5]) for p in outline}
        response.started_at = started
        response.save()
        Answer.objects.bulk_create(
            Answer(response=response, question=question, level=level, dont_know=level is None)
            for pillar in outline
            for question in pillar.question_list
            if question.asked_of(perspective)
            for level in [
                _story_level(
                    question,
                    _level(
                        rng, maturity[pillar.code] + bias.get("*", 0) + bias.get(pillar.code, 0)
                    ),
                    red_flags,
                )
            ]
        )
        _name_evidence(rng, response, evidence_questions)
        services.submit_response(response=response)
    # Back-date the run so that trend and "last activity" read like a real history.
    Assessment.objects.filter(pk=assessment.pk).update(created_at=started, opened_at=started)
    assessment.responses.update(invited_at=started, submitted_at=started + timedelta(days=3))
    if closed:
        assessment.refresh_from_db()
        services.close_assessment(assessment=assessment)
        assessment.snapshots.update(published_at=started + timedelta(days=14))
        Assessment.objects.filter(pk=assessment.pk).update(closed_at=started + timedelta(days=14))
    assessment.refresh_from_db()
    return assessment
