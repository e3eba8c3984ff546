from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import Invitation, Membership, Organisation, Role, User, hash_token
from assessments.models import (
    Action,
    Answer,
    Assessment,
    Pillar,
    Question,
    Questionnaire,
    RespondentContact,
    Response,
)

TEST_PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Client {n}")
    slug = factory.Sequence(lambda n: f"client-{n}")
    sector = "financial"
    country = "PT"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.MANAGER


class InvitationFactory(factory.django.DjangoModelFactory):
    """Pass `token=` to know the link; it is stored hashed like a real one."""

    class Meta:
        model = Invitation
        exclude = ["token"]

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Role.MANAGER
    token = factory.Sequence(lambda n: f"invitation-token-{n}")
    token_hash = factory.LazyAttribute(lambda o: hash_token(o.token))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire

    slug = factory.Sequence(lambda n: f"questionnaire-{n}")
    version = 1
    title = factory.Sequence(lambda n: f"Questionnaire {n}")
    settings = factory.LazyFunction(
        lambda: {"bands": {"moderate": 25, "high": 50, "critical": 75}, "red_flag_share": 0.25}
    )


class PillarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pillar

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    code = factory.Sequence(lambda n: f"pillar-{n}")
    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Pillar {n}")
    description = "What this pillar probes."
    recommendations = factory.LazyFunction(
        lambda: {band: f"Advice when {band}." for band in ("low", "moderate", "high", "critical")}
    )


class QuestionFactory(factory.django.DjangoModelFactory):
    """Belongs to its pillar's questionnaire unless told otherwise."""

    class Meta:
        model = Question

    pillar = factory.SubFactory(PillarFactory)
    questionnaire = factory.SelfAttribute("pillar.questionnaire")
    code = factory.Sequence(lambda n: f"question-{n}")
    order = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"How mature is practice {n}?")
    levels = factory.LazyFunction(lambda: [f"Level {level} behaviour." for level in range(5)])
    recommendation = "Do the next thing."


class AssessmentFactory(factory.django.DjangoModelFactory):
    """Open for answers by default, since most tests need a link that works."""

    class Meta:
        model = Assessment

    organisation = factory.SubFactory(OrganisationFactory)
    questionnaire = factory.SubFactory(QuestionnaireFactory)
    title = factory.Sequence(lambda n: f"Readiness check {n}")
    status = Assessment.Status.OPEN
    opened_at = factory.LazyFunction(timezone.now)


class ActionFactory(factory.django.DjangoModelFactory):
    """An action on one question of the assessment's questionnaire."""

    class Meta:
        model = Action

    assessment = factory.SubFactory(AssessmentFactory)
    question = factory.SubFactory(
        "tests.factories.QuestionFactory",
        pillar__questionnaire=factory.SelfAttribute("...assessment.questionnaire"),
    )
    title = factory.Sequence(lambda n: f"Write down the data inventory {n}")


class ResponseFactory(factory.django.DjangoModelFactory):
    """Pass `token=` to know the personal link; it is stored hashed like a real one.

    `email` and `name` go to the response's contact row, as invitations store them; pass
    `email=""` for a response without one (a workshop participant's, say).
    """

    class Meta:
        model = Response
        exclude = ["token"]

    assessment = factory.SubFactory(AssessmentFactory)
    email = factory.Sequence(lambda n: f"respondent{n}@example.org")
    name = ""
    token = factory.Sequence(lambda n: f"response-token-{n}")
    token_hash = factory.LazyAttribute(lambda o: hash_token(o.token))

    @classmethod
    def _create(cls, model_class, *args, email="", name="", **kwargs):
        response = super()._create(model_class, *args, **kwargs)
        if email or name:
            RespondentContact.objects.create(response=response, email=email, name=name)
        return response

    @classmethod
    def _build(cls, model_class, *args, email="", name="", **kwargs):
        return super()._build(model_class, *args, **kwargs)  # a built response has no contact


class AnswerFactory(factory.django.DjangoModelFactory):
    """Pass `question=` from the response's questionnaire; the default builds a matching one."""

    class Meta:
        model = Answer

    response = factory.SubFactory(ResponseFactory)
    question = factory.SubFactory(
        QuestionFactory,
        pillar__questionnaire=factory.SelfAttribute("...response.assessment.questionnaire"),
    )
    level = 2


# Live workshops (assessments.models.WorkshopSession and friends).
class WorkshopSessionFactory(factory.django.DjangoModelFactory):
    """A session in the lobby; give it questions with WorkshopQuestionFactory."""

    class Meta:
        model = "assessments.WorkshopSession"

    assessment = factory.SubFactory(AssessmentFactory)
    code = factory.Sequence(lambda n: f"WK{n:04d}".replace("0", "A").replace("1", "B"))
    created_by = None


class WorkshopQuestionFactory(factory.django.DjangoModelFactory):
    """Pass `question=` from the session's questionnaire; the default builds a matching one."""

    class Meta:
        model = "assessments.WorkshopQuestion"

    session = factory.SubFactory(WorkshopSessionFactory)
    question = factory.SubFactory(
        QuestionFactory,
        pillar__questionnaire=factory.SelfAttribute("...session.assessment.questionnaire"),
    )
    position = factory.Sequence(lambda n: n)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.Participant"

    session = factory.SubFactory(WorkshopSessionFactory)
    number = factory.Sequence(lambda n: n + 1)
    perspective = "business"
    secret = factory.Sequence(lambda n: f"participant-secret-{n}")


class VoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.Vote"

    participant = factory.SubFactory(ParticipantFactory)
    question = factory.SubFactory(
        WorkshopQuestionFactory, session=factory.SelfAttribute("..participant.session")
    )
    round = 1
    level = 2
