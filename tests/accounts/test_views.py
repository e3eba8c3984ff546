import re
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.models import Invitation, Membership, Organisation, Role, User, hash_token
from tests.factories import (
    TEST_PASSWORD,
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "tangerine-lighthouse-42"


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def logged_in_user_id(client):
    return client.session.get(SESSION_KEY)


def invitation_url(token: str) -> str:
    return reverse("accounts:accept_invitation", kwargs={"token": token})


# Login, logout, password reset


def test_login_with_email_logs_in_and_goes_home(client, consultant):
    response = client.post(
        reverse("accounts:login"), {"username": "alice@example.org", "password": TEST_PASSWORD}
    )

    assertRedirects(response, reverse("reports:home"), fetch_redirect_response=False)
    assert logged_in_user_id(client) == str(consultant.pk)


def test_login_email_is_case_insensitive(client, consultant):
    client.post(
        reverse("accounts:login"), {"username": " Alice@EXAMPLE.org ", "password": TEST_PASSWORD}
    )

    assert logged_in_user_id(client) == str(consultant.pk)


def test_login_with_wrong_password_shows_an_error(client, consultant):
    response = client.post(
        reverse("accounts:login"), {"username": "alice@example.org", "password": "wrong"}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Please enter a correct e-mail address and password. "
        "Note that both fields may be case-sensitive."
    ]
    assert logged_in_user_id(client) is None


def test_login_follows_next(client, consultant):
    response = client.post(
        reverse("accounts:login") + "?next=/o/acme/",
        {"username": "alice@example.org", "password": TEST_PASSWORD, "next": "/o/acme/"},
    )

    assertRedirects(response, "/o/acme/", fetch_redirect_response=False)


def test_logout_by_post_logs_out_and_shows_login(consultant_client):
    response = consultant_client.post(reverse("accounts:logout"))

    assertRedirects(response, reverse("accounts:login"), fetch_redirect_response=False)
    assert logged_in_user_id(consultant_client) is None


def test_logout_by_get_is_refused_and_keeps_the_session(consultant_client, consultant):
    response = consultant_client.get(reverse("accounts:logout"))

    assert response.status_code == 405
    assert logged_in_user_id(consultant_client) == str(consultant.pk)


def test_password_reset_sends_a_mail_with_a_reset_link(client, consultant):
    response = client.post(reverse("accounts:password_reset"), {"email": "Alice@Example.org"})

    assertRedirects(response, reverse("accounts:password_reset_done"))
    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["alice@example.org"], "Reset your GenAI Readiness password")
    ]
    assert re.search(r"http://testserver/accounts/password-reset/\w+/[\w-]+/", mail.outbox[0].body)


def test_password_reset_for_an_unknown_address_sends_nothing(client, consultant):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})

    assertRedirects(response, reverse("accounts:password_reset_done"))
    assert mail.outbox == []


def test_password_reset_link_lets_you_set_a_new_password(client, consultant):
    client.post(reverse("accounts:password_reset"), {"email": "alice@example.org"})
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assertRedirects(response, reverse("accounts:password_reset_complete"))
    consultant.refresh_from_db()
    assert consultant.check_password(NEW_PASSWORD) is True


def test_password_reset_link_works_only_once(client, consultant):
    client.post(reverse("accounts:password_reset"), {"email": "alice@example.org"})
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    again = client.get(link, follow=True)

    assert again.context["validlink"] is False
    assertContains(again, "This link is no longer valid: it has been used or has expired.")


# Creating and editing organisations


def test_create_organisation_as_consultant_redirects_to_it(consultant_client):
    response = consultant_client.post(
        reverse("accounts:organisation_create"),
        {"name": "Initech Bank", "sector": "financial", "size_band": "50-249", "country": "CL"},
    )

    organisation = Organisation.objects.get(name="Initech Bank")
    assertRedirects(response, f"/o/{organisation.slug}/")
    assert messages_of(response) == ["Initech Bank was created."]


def test_create_organisation_makes_the_consultant_a_member(consultant_client, consultant):
    consultant_client.post(
        reverse("accounts:organisation_create"), {"name": "Initech Bank", "sector": "financial"}
    )

    organisation = Organisation.objects.get(name="Initech Bank")
    assert list(organisation.memberships.values_list("user", "role")) == [
        (consultant.pk, Role.CONSULTANT)
    ]


def test_create_organisation_without_name_shows_the_form_again(consultant_client):
    response = consultant_client.post(
        reverse("accounts:organisation_create"), {"name": "", "sector": "financial"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"name": ["This field is required."]}
    assert Organisation.objects.count() == 1


def test_create_organisation_as_manager_is_forbidden(manager_client):
    response = manager_client.get(reverse("accounts:organisation_create"))

    assertContains(response, "You may not open this page", status_code=403)


def test_create_organisation_post_as_manager_creates_nothing(manager_client):
    response = manager_client.post(
        reverse("accounts:organisation_create"), {"name": "Sneaky", "sector": "other"}
    )

    assert response.status_code == 403
    assert Organisation.objects.filter(name="Sneaky").exists() is False


def test_create_organisation_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("accounts:organisation_create"))

    assertRedirects(
        response, "/accounts/login/?next=/organisations/new/", fetch_redirect_response=False
    )


def test_edit_organisation_as_consultant_saves_changes(consultant_client, organisation):
    response = consultant_client.post(
        reverse("accounts:organisation_edit", kwargs={"slug": "acme"}),
        {"name": "Acme Insurance Group", "sector": "public", "size_band": "", "country": "PE"},
    )

    assertRedirects(response, "/o/acme/")
    organisation.refresh_from_db()
    assert (organisation.name, organisation.sector, organisation.country.name) == (
        "Acme Insurance Group",
        "public",
        "Peru",
    )
    assert organisation.slug == "acme"


def test_organisation_form_offers_countries_from_a_list(consultant_client):
    response = consultant_client.get(reverse("accounts:organisation_create"))

    assertContains(response, '<option value="PT">Portugal</option>', html=True)


def test_organisation_form_refuses_a_country_not_in_the_list(consultant_client):
    response = consultant_client.post(
        reverse("accounts:organisation_create"),
        {"name": "Initech", "sector": "financial", "country": "Atlantis"},
    )

    assert response.context["form"].errors == {
        "country": ["Select a valid choice. Atlantis is not one of the available choices."]
    }


def test_edit_organisation_form_is_prefilled(consultant_client):
    response = consultant_client.get(reverse("accounts:organisation_edit", kwargs={"slug": "acme"}))

    assert response.context["form"]["name"].value() == "Acme Insurance"
    assertContains(response, "Edit organisation")


def test_edit_organisation_as_manager_is_forbidden(manager_client, organisation):
    response = manager_client.post(
        reverse("accounts:organisation_edit", kwargs={"slug": "acme"}),
        {"name": "Renamed", "sector": "other"},
    )

    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.name == "Acme Insurance"


def test_edit_organisation_of_another_client_is_not_found(outsider_client, organisation):
    response = outsider_client.get(reverse("accounts:organisation_edit", kwargs={"slug": "acme"}))

    assertContains(response, "Page not found", status_code=404)


# Members


def test_members_page_lists_members(consultant_client, consultant, manager, second_manager):
    response = consultant_client.get(reverse("accounts:members", kwargs={"slug": "acme"}))

    assert [m.user.email for m in response.context["memberships"]] == [
        "alice@example.org",
        "bob@example.org",
        "carol@example.org",
    ]
    assertContains(response, '<td class="d-none d-md-table-cell">carol@example.org</td>', html=True)


def test_members_page_lists_only_pending_invitations(consultant_client, organisation):
    pending = InvitationFactory(organisation=organisation, email="dana@example.org")
    InvitationFactory(
        organisation=organisation, email="used@example.org", accepted_at=timezone.now()
    )
    InvitationFactory(
        organisation=organisation, email="gone@example.org", revoked_at=timezone.now()
    )
    InvitationFactory(
        organisation=organisation,
        email="late@example.org",
        expires_at=timezone.now() - timedelta(days=1),
    )

    response = consultant_client.get(reverse("accounts:members", kwargs={"slug": "acme"}))

    assert list(response.context["invitations"]) == [pending]
    assertContains(response, '<td class="text-break">dana@example.org</td>', html=True)
    assertNotContains(response, "late@example.org")


def test_members_page_without_invitations_says_so(consultant_client):
    response = consultant_client.get(reverse("accounts:members", kwargs={"slug": "acme"}))

    assertContains(response, "No pending invitations.")


def test_members_page_is_open_to_a_manager(manager_client):
    response = manager_client.get(reverse("accounts:members", kwargs={"slug": "acme"}))

    assert response.status_code == 200


def test_members_page_of_another_client_is_not_found(outsider_client, organisation):
    response = outsider_client.get(reverse("accounts:members", kwargs={"slug": "acme"}))

    assert response.status_code == 404


@pytest.mark.parametrize("size", [1, 3])
def test_members_page_query_count_does_not_grow(
    consultant_client, organisation, django_assert_num_queries, size
):
    for _ in range(size):
        MembershipFactory(organisation=organisation, role=Role.MANAGER)
        InvitationFactory(organisation=organisation, invited_by=UserFactory())

    # session, user, organisation through the membership, members, invitations
    with django_assert_num_queries(5):
        consultant_client.get(reverse("accounts:members", kwargs={"slug": "acme"}))


# Inviting


def invite(client, email, role, slug="acme"):
    return client.post(
        reverse("accounts:invite", kwargs={"slug": slug}), {"email": email, "role": role}
    )


def test_invite_creates_an_invitation_and_redirects_to_members(consultant_client, organisation):
    response = invite(consultant_client, "dana@example.org", Role.MANAGER)

    assertRedirects(response, reverse("accounts:members", kwargs={"slug": "acme"}))
    assert list(organisation.invitations.values_list("email", "role")) == [
        ("dana@example.org", Role.MANAGER)
    ]
    assert messages_of(response) == ["An invitation was sent to dana@example.org."]


@pytest.mark.parametrize(
    "entry",
    [
        "Maria Keller <maria@client.example>",
        '"Keller, Maria" <Maria@Client.example>',
        "  maria@client.example ",
    ],
)
def test_invite_takes_an_address_as_a_mail_program_copies_it(manager_client, organisation, entry):
    response = invite(manager_client, entry, Role.MANAGER)

    assertRedirects(response, reverse("accounts:members", kwargs={"slug": "acme"}))
    assert list(organisation.invitations.values_list("email", flat=True)) == [
        "maria@client.example"
    ]
    assert [message.to for message in mail.outbox] == [["maria@client.example"]]


ONE_ADDRESS = "Enter one e-mail address, e.g. maria@client.example."


@pytest.mark.parametrize(
    ("entry", "error"),
    [
        ("Maria Keller", "Enter a valid email address."),
        ("maria@client.example, jan@client.example", ONE_ADDRESS),
        ("Maria <maria@client.example", ONE_ADDRESS),
    ],
)
def test_invite_refuses_anything_but_one_address(manager_client, organisation, entry, error):
    response = invite(manager_client, entry, Role.MANAGER)

    assert response.status_code == 200
    assert list(response.context["form"].errors["email"]) == [error]
    assert organisation.invitations.count() == 0


def test_invite_form_lets_the_browser_accept_a_name_and_address(manager_client):
    response = manager_client.get(reverse("accounts:invite", kwargs={"slug": "acme"}))

    assertContains(response, 'type="text" name="email"')
    assertContains(response, 'inputmode="email"')


def test_invite_sends_the_mail(consultant_client):
    invite(consultant_client, "dana@example.org", Role.MANAGER)

    assert [message.to for message in mail.outbox] == [["dana@example.org"]]


def test_invite_by_consultant_may_choose_the_consultant_role(consultant_client, organisation):
    invite(consultant_client, "dana@example.org", Role.CONSULTANT)

    assert list(organisation.invitations.values_list("role", flat=True)) == [Role.CONSULTANT]


def test_invite_form_of_a_manager_offers_manager_invitations_only(manager_client):
    response = manager_client.get(reverse("accounts:invite", kwargs={"slug": "acme"}))

    role = response.context["form"].fields["role"]
    assert [value for value, _ in role.choices] == ["manager"]
    assertContains(
        response, '<input type="hidden" name="role" value="manager" id="id_role">', html=True
    )
    assertContains(response, '<h1 class="h3 mb-3">Invite a client manager</h1>', html=True)


def test_invite_form_of_a_consultant_has_no_role_chosen_in_advance(consultant_client):
    response = consultant_client.get(reverse("accounts:invite", kwargs={"slug": "acme"}))

    role = response.context["form"].fields["role"]
    assert [value for value, _ in role.choices] == ["manager", "consultant"]
    assert response.context["form"]["role"].value() is None
    assertNotContains(response, "checked")


def test_invite_by_a_consultant_without_a_role_is_a_form_error(consultant_client, organisation):
    response = consultant_client.post(
        reverse("accounts:invite", kwargs={"slug": "acme"}), {"email": "dana@example.org"}
    )

    assert response.context["form"].errors == {"role": ["Choose the role this person gets."]}
    assert organisation.invitations.exists() is False


def test_invite_by_manager_with_consultant_role_is_a_form_error(manager_client, organisation):
    response = invite(manager_client, "dana@example.org", Role.CONSULTANT)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "role": ["Select a valid choice. consultant is not one of the available choices."]
    }
    assert organisation.invitations.exists() is False
    assert mail.outbox == []


def test_invite_by_manager_of_another_manager_works(manager_client, organisation):
    invite(manager_client, "dana@example.org", Role.MANAGER)

    assert list(organisation.invitations.values_list("role", flat=True)) == [Role.MANAGER]


def test_invite_of_an_existing_member_is_a_form_error(consultant_client, manager, organisation):
    response = invite(consultant_client, "BOB@example.org", Role.MANAGER)

    assert response.context["form"].errors == {"email": ["This person is already a member."]}
    assert organisation.invitations.exists() is False


def test_invite_of_a_member_of_another_organisation_is_allowed(
    consultant_client, outsider, organisation
):
    invite(consultant_client, "charlie@example.org", Role.MANAGER)

    assert list(organisation.invitations.values_list("email", flat=True)) == ["charlie@example.org"]


def test_invite_with_invalid_email_is_a_form_error(consultant_client, organisation):
    response = invite(consultant_client, "not-an-address", Role.MANAGER)

    assert response.context["form"].errors == {"email": ["Enter a valid email address."]}


def test_invite_into_another_client_is_not_found(outsider_client, organisation):
    response = invite(outsider_client, "dana@example.org", Role.MANAGER)

    assert response.status_code == 404
    assert organisation.invitations.exists() is False


# Revoking


def revoke_url(invitation, slug="acme"):
    return reverse("accounts:revoke_invitation", kwargs={"slug": slug, "pk": invitation.pk})


def test_revoke_invitation_withdraws_it(consultant_client, organisation):
    invitation = InvitationFactory(organisation=organisation, email="dana@example.org")

    response = consultant_client.post(revoke_url(invitation))

    assertRedirects(response, reverse("accounts:members", kwargs={"slug": "acme"}))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert messages_of(response) == ["The invitation to dana@example.org was withdrawn."]


def test_revoke_invitation_by_get_asks_for_confirmation(consultant_client, organisation):
    invitation = InvitationFactory(organisation=organisation, email="dana@example.org")

    response = consultant_client.get(revoke_url(invitation))

    assertContains(
        response,
        '<h1 class="h3 mb-3">Withdraw the invitation to dana@example.org?</h1>',
        html=True,
    )
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_manager_cannot_withdraw_a_consultant_invitation(manager_client, organisation):
    invitation = InvitationFactory(organisation=organisation, role=Role.CONSULTANT)

    response = manager_client.post(revoke_url(invitation))

    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_manager_withdraws_a_manager_invitation(manager_client, organisation):
    invitation = InvitationFactory(organisation=organisation, role=Role.MANAGER)

    manager_client.post(revoke_url(invitation))

    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_members_page_of_a_manager_offers_no_withdrawal_of_a_consultant_invitation(
    manager_client, organisation
):
    consultant_invitation = InvitationFactory(organisation=organisation, role=Role.CONSULTANT)
    manager_invitation = InvitationFactory(organisation=organisation, role=Role.MANAGER)

    response = manager_client.get(reverse("accounts:members", kwargs={"slug": "acme"}))

    assertContains(response, f'href="{revoke_url(manager_invitation)}"')
    assertNotContains(response, f'href="{revoke_url(consultant_invitation)}"')


def test_revoke_invitation_of_another_organisation_through_own_slug_is_not_found(
    consultant_client, other_organisation
):
    invitation = InvitationFactory(organisation=other_organisation)

    response = consultant_client.post(revoke_url(invitation, slug="acme"))

    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_revoke_invitation_by_an_outsider_is_not_found(outsider_client, organisation):
    invitation = InvitationFactory(organisation=organisation)

    response = outsider_client.post(revoke_url(invitation))

    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_revoked_invitation_link_no_longer_works(consultant_client, client, organisation):
    invitation = InvitationFactory(organisation=organisation, token="tok")
    consultant_client.post(revoke_url(invitation))

    response = client.get(invitation_url("tok"))

    assert response.status_code == 410


# Accepting: a new account


@pytest.fixture
def invitation(organisation, consultant):
    return InvitationFactory(
        organisation=organisation,
        email="dana@example.org",
        role=Role.MANAGER,
        token="dana-token",
        invited_by=consultant,
    )


def accept_as_new(client, token="dana-token", **overrides):  # noqa: S107 (a test link)
    data = {"name": "Dana Smith", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    return client.post(invitation_url(token), {**data, **overrides})


def test_accept_page_for_a_new_person_asks_for_name_and_password(client, invitation):
    response = client.get(invitation_url("dana-token"))

    assert list(response.context["form"].fields) == ["name", "password1", "password2"]
    assertContains(response, "Join Acme Insurance")
    assertContains(response, "dana@example.org")


def test_accept_as_new_with_different_passwords_is_a_form_error(client, invitation):
    response = accept_as_new(client, password2="something-else-entirely")

    assert response.context["form"].errors == {"password2": ["The two passwords differ."]}
    assert User.objects.filter(email="dana@example.org").exists() is False


def test_accept_as_new_with_a_weak_password_is_a_form_error(client, invitation):
    response = accept_as_new(client, password1="password", password2="password")

    assert response.context["form"].errors == {"password1": ["This password is too common."]}
    assert User.objects.filter(email="dana@example.org").exists() is False


def test_accept_as_new_with_a_password_like_the_email_is_a_form_error(client, invitation):
    response = accept_as_new(client, password1="dana@example.org", password2="dana@example.org")

    assert response.context["form"].errors == {
        "password1": ["The password is too similar to the e-mail address."]
    }


def test_accept_as_new_without_a_name_is_a_form_error(client, invitation):
    response = accept_as_new(client, name="")

    assert response.context["form"].errors == {"name": ["This field is required."]}


def test_accept_as_new_creates_the_account_and_joins(client, invitation, organisation):
    accept_as_new(client)

    user = User.objects.get(email="dana@example.org")
    assert user.name == "Dana Smith"
    assert user.check_password(NEW_PASSWORD) is True
    assert list(user.memberships.values_list("organisation", "role")) == [
        (organisation.pk, Role.MANAGER)
    ]


def test_accept_as_new_logs_in_and_lands_on_the_organisation(client, invitation):
    response = accept_as_new(client)

    assertRedirects(response, "/o/acme/")
    assert logged_in_user_id(client) == str(User.objects.get(email="dana@example.org").pk)


def test_accept_as_new_welcomes_on_the_organisation_page(client, invitation):
    accept_as_new(client)

    response = client.get("/o/acme/")

    assertContains(response, "Welcome to Acme Insurance.")
    assertContains(response, "<h1>Acme Insurance</h1>", html=True)


def test_accept_as_new_uses_up_the_invitation(client, invitation):
    accept_as_new(client)

    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_accept_as_new_twice_says_used(client, invitation):
    accept_as_new(client)
    client.logout()

    response = accept_as_new(client)

    assertContains(
        response, "This invitation has already been used. Log in to continue.", status_code=410
    )
    assert User.objects.filter(email="dana@example.org").count() == 1


# Accepting: an existing account


@pytest.fixture
def dana(db):
    return UserFactory(email="dana@example.org", name="Dana Smith")


def test_accept_anonymous_with_existing_account_is_sent_to_login(client, invitation, dana):
    response = client.get(invitation_url("dana-token"))

    assertRedirects(
        response,
        "/accounts/login/?next=/accounts/invitations/dana-token/",
        fetch_redirect_response=False,
    )
    assert messages_of(response) == [
        "You already have an account: log in to accept the invitation."
    ]


def test_accept_anonymous_with_existing_account_creates_nothing_on_post(client, invitation, dana):
    accept_as_new(client)

    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert dana.memberships.exists() is False


def test_accept_login_form_returns_to_the_invitation(client, invitation, dana):
    response = client.post(
        "/accounts/login/?next=/accounts/invitations/dana-token/",
        {
            "username": "dana@example.org",
            "password": TEST_PASSWORD,
            "next": "/accounts/invitations/dana-token/",
        },
    )

    assertRedirects(response, "/accounts/invitations/dana-token/")


def test_accept_page_for_the_logged_in_invitee_offers_to_join(client, invitation, dana):
    client.force_login(dana)

    response = client.get(invitation_url("dana-token"))

    assert "form" not in response.context
    assertContains(
        response, '<button type="submit" class="btn btn-primary">Join</button>', html=True
    )
    assert dana.memberships.exists() is False


def test_accept_by_the_logged_in_invitee_joins_on_post(client, invitation, dana, organisation):
    client.force_login(dana)

    response = client.post(invitation_url("dana-token"))

    assertRedirects(response, "/o/acme/")
    assert list(dana.memberships.values_list("organisation", "role")) == [
        (organisation.pk, Role.MANAGER)
    ]
    assert messages_of(response) == ["You joined Acme Insurance."]


def test_accept_by_the_logged_in_invitee_uses_up_the_invitation(client, invitation, dana):
    client.force_login(dana)

    client.post(invitation_url("dana-token"))

    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_accept_by_an_existing_member_of_another_client_lands_on_the_new_one(
    client, organisation, second_manager
):
    other = OrganisationFactory(name="Umbrella", slug="umbrella")
    InvitationFactory(organisation=other, email=second_manager.email, role=Role.MANAGER, token="t")
    client.force_login(second_manager)

    response = client.post(invitation_url("t"))

    assertRedirects(response, "/o/umbrella/")


def test_accept_by_an_existing_member_keeps_their_role(client, consultant, organisation):
    InvitationFactory(
        organisation=organisation, email=consultant.email, role=Role.MANAGER, token="t"
    )
    client.force_login(consultant)

    client.post(invitation_url("t"))

    assert Membership.objects.get(user=consultant, organisation=organisation).role == (
        Role.CONSULTANT
    )


def test_accept_logged_in_as_somebody_else_is_forbidden_with_an_explanation(
    consultant_client, invitation
):
    response = consultant_client.get(invitation_url("dana-token"))

    assertContains(
        response,
        "This invitation is for dana@example.org, but you are logged in as alice@example.org. "
        "Log out, then open the link again.",
        status_code=403,
    )


def test_accept_post_logged_in_as_somebody_else_joins_nobody(
    consultant_client, consultant, invitation, organisation
):
    response = consultant_client.post(invitation_url("dana-token"))

    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert list(organisation.memberships.values_list("user__email", flat=True)) == [
        "alice@example.org"
    ]


# Accepting: links that cannot be used


def test_accept_expired_invitation_is_gone(client, organisation):
    InvitationFactory(
        organisation=organisation, token="t", expires_at=timezone.now() - timedelta(minutes=1)
    )

    response = client.get(invitation_url("t"))

    assertContains(
        response,
        "This invitation has expired. Ask the person who invited you for a new one.",
        status_code=410,
    )


def test_accept_post_to_an_expired_invitation_creates_no_account(client, organisation):
    InvitationFactory(
        organisation=organisation,
        email="dana@example.org",
        token="t",
        expires_at=timezone.now() - timedelta(minutes=1),
    )

    response = accept_as_new(client, token="t")

    assert response.status_code == 410
    assert User.objects.filter(email="dana@example.org").exists() is False


def test_accept_used_invitation_is_gone(client, organisation):
    InvitationFactory(organisation=organisation, token="t", accepted_at=timezone.now())

    response = client.get(invitation_url("t"))

    assertContains(
        response, "This invitation has already been used. Log in to continue.", status_code=410
    )


def test_accept_revoked_invitation_is_gone(client, organisation):
    InvitationFactory(organisation=organisation, token="t", revoked_at=timezone.now())

    response = client.get(invitation_url("t"))

    assertContains(
        response,
        "This invitation was withdrawn. Ask the person who invited you for a new one.",
        status_code=410,
    )


def test_accept_used_invitation_logged_in_as_the_invitee_is_gone(client, organisation, dana):
    InvitationFactory(
        organisation=organisation, email=dana.email, token="t", accepted_at=timezone.now()
    )
    client.force_login(dana)

    response = client.post(invitation_url("t"))

    assert response.status_code == 410


def test_accept_tampered_token_is_not_found_with_a_clear_message(client, invitation):
    response = client.get(invitation_url("dana-tokeN"))

    assertContains(
        response,
        "This invitation link is not valid. Check that you copied the whole link.",
        status_code=404,
    )


@pytest.mark.parametrize(
    "token",
    ["x", "a" * 2000, "%00", "..", "Ω≈ç√", "'; DROP TABLE accounts_invitation; --", "%2F"],
)
def test_accept_odd_tokens_are_not_found_never_an_error(client, invitation, token):
    response = client.get(f"/accounts/invitations/{token}/")

    assert response.status_code == 404
    assert Invitation.objects.get().token_hash == hash_token("dana-token")


def test_an_organisation_name_with_a_line_break_is_a_form_error(consultant_client):
    response = consultant_client.post(
        reverse("accounts:organisation_create"), {"name": "Acme\nCorp", "sector": "financial"}
    )

    assert response.context["form"].errors == {
        "name": ["Line breaks and other control characters cannot be part of a name."]
    }
    assert Organisation.objects.filter(name__startswith="Acme\n").exists() is False
