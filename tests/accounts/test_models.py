from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count
from django.utils import timezone

from accounts.models import Invitation, Organisation, User
from tests.factories import InvitationFactory, OrganisationFactory


@pytest.mark.django_db
def test_create_user_lowercases_the_whole_email_address():
    user = User.objects.create_user(email="Dana.Smith@Example.ORG", password="s3cret-enough")

    assert user.email == "dana.smith@example.org"


@pytest.mark.django_db
def test_create_user_stores_a_usable_hashed_password():
    user = User.objects.create_user(email="dana@example.org", password="s3cret-enough")

    assert user.password != "s3cret-enough"
    assert user.check_password("s3cret-enough") is True


@pytest.mark.django_db
def test_create_user_is_neither_staff_nor_superuser():
    user = User.objects.create_user(email="dana@example.org", password="s3cret-enough")

    assert (user.is_staff, user.is_superuser, user.is_consultant) == (False, False, False)


@pytest.mark.django_db
def test_create_user_without_email_raises_value_error():
    with pytest.raises(ValueError, match=r"^An e-mail address is required\.$"):
        User.objects.create_user(email="", password="s3cret-enough")


@pytest.mark.django_db
def test_create_superuser_is_staff_and_superuser_with_lowercased_email():
    user = User.objects.create_superuser(email="Root@Example.org", password="s3cret-enough")

    user.refresh_from_db()
    assert (user.email, user.is_staff, user.is_superuser) == ("root@example.org", True, True)


def test_user_str_is_the_name_when_set():
    assert str(User(email="dana@example.org", name="Dana Smith")) == "Dana Smith"


def test_user_str_falls_back_to_the_email_without_a_name():
    assert str(User(email="dana@example.org", name="")) == "dana@example.org"


def test_visible_to_member_lists_only_their_organisations(consultant, organisation, outsider):
    assert list(Organisation.objects.visible_to(consultant)) == [organisation]


def test_visible_to_staff_lists_every_organisation(staff, organisation, other_organisation):
    assert list(Organisation.objects.visible_to(staff)) == [organisation, other_organisation]


@pytest.mark.django_db
def test_visible_to_user_without_membership_is_empty(organisation):
    nobody = User.objects.create_user(email="nobody@example.org", password="s3cret-enough")

    assert list(Organisation.objects.visible_to(nobody)) == []


def test_visible_to_anonymous_is_empty(organisation):
    assert list(Organisation.objects.visible_to(AnonymousUser())) == []


def test_visible_to_still_counts_every_member_of_the_organisation(
    consultant, manager, second_manager
):
    organisations = Organisation.objects.visible_to(manager).annotate(
        member_count=Count("memberships")
    )

    assert [o.member_count for o in organisations] == [3]


def test_visible_to_member_of_an_organisation_with_many_members_lists_it_once(
    consultant, manager, second_manager, organisation
):
    assert list(Organisation.objects.visible_to(manager)) == [organisation]


@pytest.mark.django_db
def test_invitation_is_pending_when_fresh():
    invitation = InvitationFactory()

    assert (invitation.is_pending, invitation.is_expired) == (True, False)


@pytest.mark.django_db
def test_invitation_is_expired_once_expiry_has_passed():
    invitation = InvitationFactory(expires_at=timezone.now() - timedelta(seconds=1))

    assert (invitation.is_pending, invitation.is_expired) == (False, True)


@pytest.mark.django_db
def test_invitation_is_not_pending_once_accepted():
    invitation = InvitationFactory(accepted_at=timezone.now())

    assert (invitation.is_pending, invitation.is_expired) == (False, False)


@pytest.mark.django_db
def test_invitation_is_not_pending_once_revoked():
    invitation = InvitationFactory(revoked_at=timezone.now())

    assert (invitation.is_pending, invitation.is_expired) == (False, False)


@pytest.mark.django_db
def test_invitation_expires_after_the_configured_number_of_days(settings):
    settings.INVITATION_MAX_AGE_DAYS = 3
    before = timezone.now()

    invitation = Invitation.objects.create(
        organisation=OrganisationFactory(), email="x@example.org", role="manager", token_hash="0"
    )

    assert before + timedelta(days=3) <= invitation.expires_at <= timezone.now() + timedelta(days=3)


@pytest.mark.django_db
def test_pending_excludes_accepted_revoked_and_expired_invitations():
    organisation = OrganisationFactory()
    pending = InvitationFactory(organisation=organisation)
    InvitationFactory(organisation=organisation, accepted_at=timezone.now())
    InvitationFactory(organisation=organisation, revoked_at=timezone.now())
    InvitationFactory(organisation=organisation, expires_at=timezone.now() - timedelta(minutes=1))

    assert list(Invitation.objects.pending()) == [pending]


@pytest.mark.django_db
def test_pending_through_an_organisation_is_scoped_to_it():
    organisation = OrganisationFactory()
    ours = InvitationFactory(organisation=organisation)
    InvitationFactory()

    assert list(organisation.invitations.pending()) == [ours]
