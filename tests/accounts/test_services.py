import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, Membership, Role, User, hash_token
from tests.factories import InvitationFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

INVITATION_LINK = re.compile(r"http://testserver/accounts/invitations/([\w-]+)/")


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver"


def token_from_mail(message) -> str:
    match = INVITATION_LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def invite(organisation, inviter, email="dana@example.org", role=Role.MANAGER) -> Invitation:
    return services.invite_member(
        organisation=organisation, email=email, role=role, invited_by=inviter
    )


# create_organisation


def test_create_organisation_slug_is_the_name_with_a_random_suffix(consultant):
    organisation = services.create_organisation(created_by=consultant, name="Initech Bank AG")

    assert re.fullmatch(r"initech-bank-ag-[0-9a-f]{6}", organisation.slug)


def test_create_organisation_slug_says_nothing_about_a_client_of_the_same_name(consultant):
    first = services.create_organisation(created_by=consultant, name="Globex Retail")

    second = services.create_organisation(created_by=consultant, name="Globex Retail")

    assert re.fullmatch(r"globex-retail-[0-9a-f]{6}", second.slug)
    assert second.slug != first.slug


def test_create_organisation_without_sluggable_characters_uses_a_fallback(consultant):
    organisation = services.create_organisation(created_by=consultant, name="!!!")

    assert re.fullmatch(r"organisation-[0-9a-f]{6}", organisation.slug)


def test_create_organisation_makes_its_creator_a_consultant_member(consultant):
    organisation = services.create_organisation(created_by=consultant, name="Initech")

    assert list(organisation.memberships.values_list("user__email", "role")) == [
        ("alice@example.org", Role.CONSULTANT)
    ]


def test_create_organisation_stores_the_other_fields(consultant):
    organisation = services.create_organisation(
        created_by=consultant, name="Initech", sector="public", size_band="50-249", country="CL"
    )

    organisation.refresh_from_db()
    assert (organisation.sector, organisation.size_band, organisation.country.name) == (
        "public",
        "50-249",
        "Chile",
    )


# invite_member


def test_invite_member_sends_one_mail_to_the_invitee(organisation, consultant):
    invite(organisation, consultant, email="dana@example.org")

    assert [message.to for message in mail.outbox] == [["dana@example.org"]]


def test_invite_member_mail_names_the_organisation_in_its_subject(organisation, consultant):
    invite(organisation, consultant)

    assert mail.outbox[0].subject == (
        f"{consultant.name} invites you to see the GenAI readiness results of Acme Insurance"
    )


def test_invite_member_mail_links_to_the_invitation_with_its_token(organisation, consultant):
    invitation = invite(organisation, consultant)

    token = token_from_mail(mail.outbox[0])
    assert hash_token(token) == invitation.token_hash


def test_invite_member_link_uses_the_site_url(organisation, consultant, settings):
    settings.SITE_URL = "https://readiness.example.com"

    invite(organisation, consultant)

    assert "https://readiness.example.com/accounts/invitations/" in mail.outbox[0].body


def test_invite_member_stores_the_token_only_hashed(organisation, consultant):
    invitation = invite(organisation, consultant)

    token = token_from_mail(mail.outbox[0])
    stored = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert token not in [str(value) for value in stored.values()]
    assert stored["token_hash"] == hash_token(token)


def test_invite_member_lowercases_and_strips_the_email(organisation, consultant):
    invitation = invite(organisation, consultant, email="  Dana@Example.ORG ")

    assert (invitation.email, mail.outbox[0].to) == ("dana@example.org", ["dana@example.org"])


def test_invite_member_records_role_and_inviter(organisation, consultant):
    invitation = invite(organisation, consultant, role=Role.CONSULTANT)

    invitation.refresh_from_db()
    assert (invitation.role, invitation.invited_by) == (Role.CONSULTANT, consultant)


def test_invite_member_revokes_the_earlier_pending_invitation_to_the_same_email(
    organisation, consultant
):
    first = invite(organisation, consultant, email="dana@example.org")

    second = invite(organisation, consultant, email="Dana@example.org")

    first.refresh_from_db()
    assert first.revoked_at is not None
    assert list(organisation.invitations.pending()) == [second]


def test_invite_member_leaves_invitations_to_other_emails_pending(organisation, consultant):
    first = invite(organisation, consultant, email="dana@example.org")

    invite(organisation, consultant, email="erin@example.org")

    first.refresh_from_db()
    assert first.revoked_at is None


def test_invite_member_leaves_invitations_to_other_organisations_pending(
    organisation, other_organisation, consultant
):
    elsewhere = InvitationFactory(organisation=other_organisation, email="dana@example.org")

    invite(organisation, consultant, email="dana@example.org")

    elsewhere.refresh_from_db()
    assert elsewhere.revoked_at is None


# find_invitation


def test_find_invitation_returns_a_pending_invitation():
    invitation = InvitationFactory(token="good-token")

    assert services.find_invitation("good-token") == invitation


def test_find_invitation_with_unknown_token_says_invalid():
    InvitationFactory(token="good-token")

    with pytest.raises(services.InvitationError) as problem:
        services.find_invitation("good-tokeX")

    assert (problem.value.reason, problem.value.invitation) == ("invalid", None)


def test_find_invitation_when_accepted_says_used():
    invitation = InvitationFactory(token="t", accepted_at=timezone.now())

    with pytest.raises(services.InvitationError) as problem:
        services.find_invitation("t")

    assert (problem.value.reason, problem.value.invitation) == ("used", invitation)


def test_find_invitation_when_revoked_says_revoked():
    invitation = InvitationFactory(token="t", revoked_at=timezone.now())

    with pytest.raises(services.InvitationError) as problem:
        services.find_invitation("t")

    assert (problem.value.reason, problem.value.invitation) == ("revoked", invitation)


def test_find_invitation_when_expired_says_expired():
    invitation = InvitationFactory(token="t", expires_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(services.InvitationError) as problem:
        services.find_invitation("t")

    assert (problem.value.reason, problem.value.invitation) == ("expired", invitation)


def test_find_invitation_when_accepted_and_expired_says_used():
    InvitationFactory(
        token="t", accepted_at=timezone.now(), expires_at=timezone.now() - timedelta(days=1)
    )

    with pytest.raises(services.InvitationError) as problem:
        services.find_invitation("t")

    assert problem.value.reason == "used"


# accept_invitation


def test_accept_invitation_creates_a_membership_with_the_invited_role(organisation):
    invitation = InvitationFactory(organisation=organisation, role=Role.CONSULTANT)
    user = UserFactory(email=invitation.email)

    membership = services.accept_invitation(invitation=invitation, user=user)

    assert (membership.user, membership.organisation, membership.role) == (
        user,
        organisation,
        Role.CONSULTANT,
    )


def test_accept_invitation_marks_the_invitation_used(organisation):
    invitation = InvitationFactory(organisation=organisation)

    services.accept_invitation(invitation=invitation, user=UserFactory(email=invitation.email))

    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.is_pending is False


def test_accept_invitation_twice_raises_used(organisation):
    invitation = InvitationFactory(organisation=organisation)
    user = UserFactory(email=invitation.email)
    services.accept_invitation(invitation=invitation, user=user)

    with pytest.raises(services.InvitationError) as problem:
        services.accept_invitation(invitation=invitation, user=user)

    assert problem.value.reason == "used"
    assert Membership.objects.filter(user=user).count() == 1


def test_accept_invitation_by_an_existing_member_keeps_their_role(organisation, consultant):
    invitation = InvitationFactory(
        organisation=organisation, email=consultant.email, role=Role.MANAGER
    )

    membership = services.accept_invitation(invitation=invitation, user=consultant)

    assert membership.role == Role.CONSULTANT
    assert list(organisation.memberships.filter(user=consultant).values_list("role")) == [
        (Role.CONSULTANT,)
    ]


def test_accept_invitation_by_an_existing_member_uses_up_the_invitation(organisation, consultant):
    invitation = InvitationFactory(organisation=organisation, email=consultant.email)

    services.accept_invitation(invitation=invitation, user=consultant)

    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_accept_invitation_keeps_memberships_in_other_organisations(
    organisation, other_organisation
):
    user = UserFactory()
    MembershipFactory(user=user, organisation=other_organisation, role=Role.MANAGER)
    invitation = InvitationFactory(organisation=organisation, email=user.email)

    services.accept_invitation(invitation=invitation, user=user)

    assert sorted(user.memberships.values_list("organisation__slug", flat=True)) == [
        "acme",
        "globex",
    ]


# register_and_accept


def test_register_and_accept_creates_the_account_with_name_and_password(organisation):
    invitation = InvitationFactory(organisation=organisation, email="dana@example.org")

    user = services.register_and_accept(
        invitation=invitation, name="Dana Smith", password="a-long-passphrase"
    )

    user.refresh_from_db()
    assert (user.email, user.name) == ("dana@example.org", "Dana Smith")
    assert user.check_password("a-long-passphrase") is True


def test_register_and_accept_joins_the_organisation_with_the_invited_role(organisation):
    invitation = InvitationFactory(organisation=organisation, role=Role.MANAGER)

    user = services.register_and_accept(invitation=invitation, name="D", password="p-a-s-s-w-d")

    assert list(user.memberships.values_list("organisation", "role")) == [
        (organisation.pk, Role.MANAGER)
    ]


def test_register_and_accept_uses_up_the_invitation(organisation):
    invitation = InvitationFactory(organisation=organisation)

    services.register_and_accept(invitation=invitation, name="D", password="p-a-s-s-w-d")

    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_register_and_accept_of_a_used_invitation_creates_no_account(organisation):
    invitation = InvitationFactory(
        organisation=organisation, email="dana@example.org", accepted_at=timezone.now()
    )

    with pytest.raises(services.InvitationError):
        services.register_and_accept(invitation=invitation, name="D", password="p-a-s-s-w-d")

    assert User.objects.filter(email="dana@example.org").exists() is False


# revoke_invitation


def test_revoke_invitation_sets_revoked_at():
    invitation = InvitationFactory()

    services.revoke_invitation(invitation=invitation)

    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_revoke_invitation_leaves_an_accepted_invitation_unrevoked():
    invitation = InvitationFactory(accepted_at=timezone.now())

    services.revoke_invitation(invitation=invitation)

    invitation.refresh_from_db()
    assert invitation.revoked_at is None
