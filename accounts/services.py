"""Writes that change who belongs to which organisation."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from . import audit
from .mail import send_templated_mail
from .models import (
    AuditEvent,
    Invitation,
    Membership,
    Organisation,
    PasswordResetRequest,
    Role,
    User,
    hash_token,
    new_token,
)


class InvitationError(Exception):
    """An invitation link that cannot be used, with the reason shown to the person holding it."""

    def __init__(self, reason: str, invitation: Invitation | None = None):
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


def new_slug(name: str) -> str:
    """A readable, unguessable address: the name plus a random suffix, always.

    Never "-2": a suffix that counts would tell a consultant that another client of the same
    name exists.
    """
    base = slugify(name)[:60] or "organisation"
    while True:
        slug = f"{base}-{secrets.token_hex(3)}"
        if not Organisation.objects.filter(slug=slug).exists():
            return slug


@transaction.atomic
def create_organisation(*, created_by: User, name: str, **fields) -> Organisation:
    """Create a client organisation; the consultant who creates it is assigned to it."""
    organisation = Organisation.objects.create(name=name, slug=new_slug(name), **fields)
    membership = Membership.objects.create(
        user=created_by, organisation=organisation, role=Role.CONSULTANT
    )
    _role_changed(membership, actor=created_by, before=None)
    return organisation


def _role_changed(membership: Membership, *, actor: User | None, before: str | None) -> None:
    audit.record(
        AuditEvent.Action.ROLE_CHANGED,
        actor=actor,
        organisation=membership.organisation,
        subject=membership,
        user=membership.user_id,
        before=before,
        after=membership.role if membership.pk else None,
    )


@transaction.atomic
def save_membership(*, membership: Membership, by: User | None) -> Membership:
    """Add a member or change a member's role, and log it."""
    before = (
        Membership.objects.filter(pk=membership.pk).values_list("role", flat=True).first()
        if membership.pk
        else None
    )
    membership.save()
    if before != membership.role:
        _role_changed(membership, actor=by, before=before)
    return membership


@transaction.atomic
def remove_membership(*, membership: Membership, by: User | None) -> None:
    """Take a member out of an organisation, and log it."""
    before = membership.role
    audit.record(
        AuditEvent.Action.ROLE_CHANGED,
        actor=by,
        organisation=membership.organisation,
        subject=membership,
        user=membership.user_id,
        before=before,
        after=None,
    )
    membership.delete()


def invitation_url(token: str) -> str:
    return settings.SITE_URL + reverse("accounts:accept_invitation", kwargs={"token": token})


def invite_member(
    *, organisation: Organisation, email: str, role: Role, invited_by: User
) -> Invitation:
    """Send a single-use invitation link by e-mail. Earlier pending invitations are revoked."""
    email = email.strip().lower()
    token = new_token()
    with transaction.atomic():
        organisation.invitations.pending().filter(email=email).update(revoked_at=timezone.now())
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=role,
            token_hash=hash_token(token),
            invited_by=invited_by,
        )
    send_templated_mail(
        template="accounts/email/invitation",
        context={
            "invitation": invitation,
            "organisation": organisation,
            "url": invitation_url(token),
            "valid_days": settings.INVITATION_MAX_AGE_DAYS,
            "for_manager": role == Role.MANAGER,
            "for_consultant": role == Role.CONSULTANT,
        },
        to=[email],
        sender=invited_by,
    )
    return invitation


def find_invitation(token: str) -> Invitation:
    """The invitation behind a link, or InvitationError saying why it cannot be used."""
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise InvitationError("invalid")
    if invitation.accepted_at is not None:
        raise InvitationError("used", invitation)
    if invitation.revoked_at is not None:
        raise InvitationError("revoked", invitation)
    if invitation.is_expired:
        raise InvitationError("expired", invitation)
    return invitation


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> Membership:
    """Join the user to the organisation. The invitation is used up, even if the user was a member.

    Locks the invitation row so that two clicks on the same link join the user once.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise InvitationError("used", invitation)
    membership, joined = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    if joined:
        _role_changed(membership, actor=invitation.invited_by, before=None)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return membership


@transaction.atomic
def register_and_accept(*, invitation: Invitation, name: str, password: str) -> User:
    """Create the invitee's account with the password they chose, and accept the invitation."""
    user = User.objects.create_user(email=invitation.email, password=password, name=name)
    accept_invitation(invitation=invitation, user=user)
    return user


def revoke_invitation(*, invitation: Invitation) -> None:
    if invitation.revoked_at is None and invitation.accepted_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


RESET_WINDOW = timedelta(hours=1)
RESETS_PER_ADDRESS = 3
RESETS_PER_IP = 10


def password_reset_allowed(*, email: str, ip_address: str | None) -> bool:
    """Record a password-reset request and say whether an e-mail may go out for it.

    At most RESETS_PER_ADDRESS e-mails an hour to one address, and RESETS_PER_IP requests
    an hour from one client address: enough for a person, useless for a flood.
    """
    since = timezone.now() - RESET_WINDOW
    PasswordResetRequest.objects.filter(created_at__lt=since).delete()
    email_hash = hash_token(email.strip().lower())
    recent = PasswordResetRequest.objects.filter(created_at__gte=since)
    allowed = recent.filter(email_hash=email_hash).count() < RESETS_PER_ADDRESS and (
        ip_address is None or recent.filter(ip_address=ip_address).count() < RESETS_PER_IP
    )
    PasswordResetRequest.objects.create(email_hash=email_hash, ip_address=ip_address)
    return allowed
