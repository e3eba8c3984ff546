"""Who may open what: every organisation-scoped URL against every member of the cast.

Outsiders get 404 (no existence leaks), members without the role 403, anonymous
visitors the login page. A new organisation-scoped URL must be added here, or
`test_every_organisation_url_is_in_the_matrix` fails.
"""

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import Role
from assessments.models import Answer, WorkshopQuestion
from tests.factories import (
    ActionFactory,
    AnswerFactory,
    AssessmentFactory,
    InvitationFactory,
    ParticipantFactory,
    ResponseFactory,
    WorkshopQuestionFactory,
    WorkshopSessionFactory,
)

CONSULTANT_ONLY = {Role.CONSULTANT}
READERS = {Role.CONSULTANT, Role.MANAGER}


URL_ARGUMENTS = {
    "assessment": "pk",
    "response": "response_pk",
    "invitation": "pk",
    "workshop": "pk",
    "participant": "participant_pk",
    "action": "action_pk",
}


@dataclass(frozen=True)
class Case:
    name: str
    allowed: set[Role]
    method: str = "get"
    success: int = 200
    objects: tuple[str, ...] = ()  # the objects named in the URL besides the organisation

    def url(self, objects: dict) -> str:
        kwargs = {"slug": objects["organisation"].slug}
        for kind in self.objects:
            kwargs[URL_ARGUMENTS[kind]] = objects[kind].pk
        return reverse(self.name, kwargs=kwargs)


ASSESSMENT = ("assessment",)
RESPONDENT = ("assessment", "response")
POST = {"method": "post", "success": 302}
WORKSHOP = ("workshop",)

MATRIX = [
    Case("reports:organisation", READERS),
    Case("accounts:organisation_edit", CONSULTANT_ONLY),
    Case("accounts:members", READERS),
    Case("accounts:invite", READERS),
    Case("accounts:revoke_invitation", READERS, objects=("invitation",), **POST),
    Case("assessments:create", CONSULTANT_ONLY),
    Case("assessments:detail", READERS, objects=ASSESSMENT),
    Case("assessments:edit", CONSULTANT_ONLY, objects=ASSESSMENT),
    Case("assessments:open", CONSULTANT_ONLY, objects=ASSESSMENT, **POST),
    Case("assessments:close", CONSULTANT_ONLY, objects=ASSESSMENT),  # asks to confirm
    Case("assessments:close", CONSULTANT_ONLY, objects=ASSESSMENT, **POST),
    # With nothing to publish, asking to publish goes back to the page with the reason.
    Case("assessments:publish", CONSULTANT_ONLY, objects=ASSESSMENT, success=302),
    Case("assessments:publish", CONSULTANT_ONLY, objects=ASSESSMENT, **POST),
    Case("assessments:invite", CONSULTANT_ONLY, objects=ASSESSMENT),
    Case("assessments:resend", CONSULTANT_ONLY, objects=RESPONDENT, **POST),
    Case("assessments:erase", CONSULTANT_ONLY, objects=RESPONDENT),  # asks to confirm
    Case("assessments:erase", CONSULTANT_ONLY, objects=RESPONDENT, **POST),
    Case("assessments:revoke", CONSULTANT_ONLY, objects=RESPONDENT),  # asks to confirm
    Case("assessments:revoke", CONSULTANT_ONLY, objects=RESPONDENT, **POST),
    # Reports. With nothing submitted or published yet, each says so on a page of its own.
    Case("reports:dashboard", READERS, objects=ASSESSMENT),
    Case("reports:pdf", READERS, objects=ASSESSMENT),
    Case("reports:draft_pdf", CONSULTANT_ONLY, objects=ASSESSMENT),
    Case("reports:comments", CONSULTANT_ONLY, objects=ASSESSMENT),
    # Posting without choosing a comment is refused with the form's message.
    Case("reports:comments", CONSULTANT_ONLY, objects=ASSESSMENT, method="post", success=400),
    # Downloads of the published results, and of the live figures and raw answers.
    Case("reports:docx", READERS, objects=ASSESSMENT),
    Case("reports:pptx", READERS, objects=ASSESSMENT),
    Case("reports:figures_csv", READERS, objects=ASSESSMENT),
    Case("reports:figures_xlsx", READERS, objects=ASSESSMENT),
    Case("reports:draft_docx", CONSULTANT_ONLY, objects=ASSESSMENT),
    Case("reports:draft_pptx", CONSULTANT_ONLY, objects=ASSESSMENT),
    Case("reports:answers_csv", CONSULTANT_ONLY, objects=ASSESSMENT),
    Case("reports:answers_xlsx", CONSULTANT_ONLY, objects=ASSESSMENT),
    # The client's plan, kept by consultants and managers together. Without a published
    # finding to act on, "plan an action" goes back to the plan with the reason.
    # Evidence: which questions ask for it, and what respondents named. A post without a
    # valid choice shows the page again with the reason.
    Case("reports:evidence", CONSULTANT_ONLY, objects=ASSESSMENT),
    Case("reports:evidence", CONSULTANT_ONLY, objects=ASSESSMENT, method="post", success=400),
    Case("reports:plan", READERS, objects=ASSESSMENT),
    Case("reports:targets", READERS, objects=ASSESSMENT),
    Case("reports:targets", READERS, objects=ASSESSMENT, method="post", success=400),
    Case("reports:new_action", READERS, objects=ASSESSMENT, success=302),
    Case("reports:edit_action", READERS, objects=("assessment", "action")),
    Case(
        "reports:edit_action", READERS, objects=("assessment", "action"), method="post", success=400
    ),
    Case("reports:plan_csv", READERS, objects=ASSESSMENT),
    Case("reports:plan_xlsx", READERS, objects=ASSESSMENT),
    # Follow-ups: asking to start one confirms first; sending the previous invitees' links
    # goes back to the assessment with what happened.
    Case("assessments:follow_up", CONSULTANT_ONLY, objects=ASSESSMENT),
    Case("assessments:follow_up", CONSULTANT_ONLY, objects=ASSESSMENT, **POST),
    Case("assessments:invite_previous", CONSULTANT_ONLY, objects=ASSESSMENT),  # who, first
    Case("assessments:invite_previous", CONSULTANT_ONLY, objects=ASSESSMENT, **POST),
    # Live workshops: consultants drive them. A post without a valid form or action goes back
    # to the presenter screen with the reason.
    Case("workshop:start", CONSULTANT_ONLY, objects=ASSESSMENT),
    Case("workshop:start", CONSULTANT_ONLY, objects=ASSESSMENT, method="post", success=400),
    Case("workshop:present", CONSULTANT_ONLY, objects=WORKSHOP),
    Case("workshop:stage", CONSULTANT_ONLY, objects=WORKSHOP),
    Case("workshop:drive", CONSULTANT_ONLY, objects=WORKSHOP, **POST),
    Case("workshop:agree", CONSULTANT_ONLY, objects=WORKSHOP, **POST),
    Case("workshop:end", CONSULTANT_ONLY, objects=WORKSHOP),  # asks to confirm
    Case("workshop:end", CONSULTANT_ONLY, objects=WORKSHOP, **POST),
    Case("workshop:results", CONSULTANT_ONLY, objects=WORKSHOP),
    Case(
        "workshop:remove_participant",
        CONSULTANT_ONLY,
        objects=("workshop", "participant"),
        **POST,
    ),
]


def _organisation_scoped_names(resolver=None, namespace="", marker="<slug:slug>") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _organisation_scoped_names(pattern, inner, marker)
        elif isinstance(pattern, URLPattern) and marker in str(pattern.pattern):
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_organisation_url_is_in_the_matrix():
    # The API answers tokens, not sessions: its own matrix is tests/api/test_permissions.py.
    pages = {name for name in _organisation_scoped_names() if not name.startswith("api:")}
    assert pages == {case.name for case in MATRIX}


@pytest.fixture
def objects(organisation):
    assessment = AssessmentFactory(organisation=organisation)
    workshop = WorkshopSessionFactory(assessment=assessment)
    return {
        "organisation": organisation,
        "assessment": assessment,
        "response": ResponseFactory(assessment=assessment),
        "invitation": InvitationFactory(organisation=organisation),
        "workshop": workshop,
        "participant": ParticipantFactory(session=workshop),
        "action": ActionFactory(assessment=assessment),
    }


@pytest.fixture
def cast(consultant, manager, outsider):
    return {Role.CONSULTANT: consultant, Role.MANAGER: manager, "outsider": outsider}


def _request(client, case: Case, objects):
    return getattr(client, case.method)(case.url(objects))


@pytest.mark.parametrize("case", MATRIX, ids=lambda case: f"{case.method} {case.name}")
def test_anonymous_is_sent_to_login(client, objects, case):
    response = _request(client, case, objects)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("case", MATRIX, ids=lambda case: f"{case.method} {case.name}")
def test_member_of_another_organisation_gets_404(client, cast, objects, case):
    client.force_login(cast["outsider"])
    assert _request(client, case, objects).status_code == 404


@pytest.mark.parametrize("case", MATRIX, ids=lambda case: f"{case.method} {case.name}")
@pytest.mark.parametrize("role", list(Role))
def test_member_gets_page_or_403_by_role(client, cast, objects, case, role):
    client.force_login(cast[role])
    expected = case.success if role in case.allowed else 403
    assert _request(client, case, objects).status_code == expected


@pytest.mark.parametrize("case", MATRIX, ids=lambda case: f"{case.method} {case.name}")
def test_staff_reach_every_organisation(client, staff, objects, case):
    client.force_login(staff)
    assert _request(client, case, objects).status_code == case.success


@pytest.mark.parametrize(
    "case", [case for case in MATRIX if case.objects], ids=lambda case: f"{case.method} {case.name}"
)
def test_object_of_another_organisation_behind_own_slug_gets_404(
    client, consultant, organisation, other_organisation, case
):
    """Ids of another organisation's objects, put behind one's own organisation in the URL."""
    foreign_assessment = AssessmentFactory(organisation=other_organisation)
    foreign = {
        "organisation": organisation,
        "assessment": foreign_assessment,
        "response": ResponseFactory(assessment=foreign_assessment),
        "invitation": InvitationFactory(organisation=other_organisation),
        "workshop": WorkshopSessionFactory(assessment=foreign_assessment),
    }
    foreign["participant"] = ParticipantFactory(session=foreign["workshop"])
    foreign["action"] = ActionFactory(assessment=foreign_assessment)
    client.force_login(consultant)
    assert _request(client, case, foreign).status_code == 404


# Objects of someone else behind one's own assessment or session: the assessment in the URL
# is one's own, so the gate lets the request in; the view must still scope what it names.

RESPONDENT_CASES = [case for case in MATRIX if "response" in case.objects]


def test_every_url_that_names_a_respondent_is_checked_with_a_foreign_one():
    assert {case.name for case in RESPONDENT_CASES} == _organisation_scoped_names(
        marker="<int:response_pk>"
    )


@pytest.fixture(params=["other organisation", "own organisation, other assessment"])
def foreign_respondent(request, organisation, other_organisation):
    owner = other_organisation if request.param == "other organisation" else organisation
    return ResponseFactory(assessment=AssessmentFactory(organisation=owner), email="x@example.org")


@pytest.mark.parametrize("case", RESPONDENT_CASES, ids=lambda case: f"{case.method} {case.name}")
def test_respondent_of_another_assessment_behind_own_assessment_gets_404(
    client, consultant, objects, foreign_respondent, case
):
    client.force_login(consultant)

    response = _request(client, case, {**objects, "response": foreign_respondent})

    assert response.status_code == 404
    foreign_respondent.refresh_from_db()
    assert foreign_respondent.revoked_at is None
    assert foreign_respondent.contact.email == "x@example.org"


@pytest.mark.parametrize("owner", ["other organisation", "own organisation, other assessment"])
def test_comment_of_another_assessment_cannot_be_shared_through_own(
    client, consultant, objects, organisation, other_organisation, owner
):
    elsewhere = AssessmentFactory(
        organisation=other_organisation if owner == "other organisation" else organisation
    )
    answer = AnswerFactory(
        response=ResponseFactory(assessment=elsewhere, submitted_at=timezone.now()),
        comment="Not yours to share.",
    )
    client.force_login(consultant)

    response = client.post(
        reverse("reports:comments", args=[organisation.slug, objects["assessment"].pk]),
        {"answer": answer.pk, "shared": "1"},
    )

    assert response.status_code == 404
    assert Answer.objects.get(pk=answer.pk).comment_shared_at is None


@pytest.mark.parametrize("owner", ["other organisation", "own organisation, other session"])
def test_question_of_another_workshop_cannot_be_agreed_in_own_session(
    client, consultant, objects, organisation, other_organisation, owner
):
    elsewhere = WorkshopSessionFactory(
        assessment=AssessmentFactory(
            organisation=other_organisation if owner == "other organisation" else organisation
        )
    )
    question = WorkshopQuestionFactory(session=elsewhere)
    client.force_login(consultant)

    response = client.post(
        reverse("workshop:agree", args=[organisation.slug, objects["workshop"].pk]),
        {"question": question.pk, "agreed_level": "3", "note": "Not yours."},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 404
    assert WorkshopQuestion.objects.get(pk=question.pk).agreed_level is None


def test_invitation_of_another_organisation_cannot_be_revoked_through_own(
    client, consultant, organisation, other_organisation
):
    invitation = InvitationFactory(organisation=other_organisation)
    client.force_login(consultant)

    response = client.post(
        reverse("accounts:revoke_invitation", args=[organisation.slug, invitation.pk])
    )

    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
