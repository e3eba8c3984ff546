import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from .validators import hex_colour, legible_on_white, no_control_characters, visible_on_white


def languages() -> list[tuple[str, str]]:
    """The languages the product speaks: the choices of every language field, read when
    asked, so that a new language needs no migration."""
    return settings.LANGUAGES


def hash_token(token: str) -> str:
    """Tokens travel in links; only their SHA-256 is stored, so a database leak leaks no link."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in with their e-mail address."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(
        _("name"), max_length=150, blank=True, validators=[no_control_characters]
    )
    is_consultant = models.BooleanField(
        _("consultant"),
        default=False,
        help_text=_("Consultants may create client organisations and run assessments."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=languages,
        blank=True,
        help_text=_("Pages and e-mails to you are in this language; empty: your browser's."),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name or self.email


class Sector(models.TextChoices):
    FINANCIAL = "financial", _("Banking and insurance")
    PUBLIC = "public", _("Public sector")
    HEALTH = "health", _("Health and life sciences")
    RETAIL = "retail", _("Retail and consumer goods")
    INDUSTRY = "industry", _("Manufacturing and industry")
    TECHNOLOGY = "technology", _("Technology and telecoms")
    ENERGY = "energy", _("Energy and utilities")
    SERVICES = "services", _("Professional services")
    OTHER = "other", pgettext_lazy("sector", "Other")


class SizeBand(models.TextChoices):
    MICRO = "1-49", _("1–49 employees")
    SMALL = "50-249", _("50–249 employees")
    MEDIUM = "250-999", _("250–999 employees")
    LARGE = "1000-4999", _("1,000–4,999 employees")
    ENTERPRISE = "5000+", _("5,000 or more employees")


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user, *, roles=None):
        """Organisations the user belongs to (with one of `roles`, if given); staff see all."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self.all()
        memberships = Membership.objects.filter(user=user)
        if roles is not None:
            memberships = memberships.filter(role__in=roles)
        # A subquery, not a join: a join would also filter a later Count("memberships") to 1.
        return self.filter(pk__in=memberships.values("organisation"))


class Organisation(models.Model):
    """A client organisation whose GenAI initiative is assessed."""

    name = models.CharField(_("name"), max_length=200, validators=[no_control_characters])
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector, default=Sector.OTHER)
    size_band = models.CharField(_("size"), max_length=20, choices=SizeBand, blank=True)
    country = CountryField(_("country"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("reports:organisation", kwargs={"slug": self.slug})


class Role(models.TextChoices):
    """What a member of an organisation may do. Respondents are no members: they answer
    through personal links, one per assessment."""

    CONSULTANT = "consultant", _("Consultant")
    MANAGER = "manager", _("Client manager")


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="one_membership_per_organisation"
            )
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} · {self.organisation} ({self.get_role_display()})"


def default_invitation_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_MAX_AGE_DAYS)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """A single-use link that joins a person to an organisation with a role."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), default=default_invitation_expiry)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.organisation} ({self.get_role_display()})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired


class PasswordResetRequest(models.Model):
    """A request for a password-reset e-mail, kept an hour to throttle floods of them.

    Stores the address only as a hash: the table says how often, not who.
    """

    email_hash = models.CharField(max_length=64, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("password-reset request")
        verbose_name_plural = _("password-reset requests")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} · {self.ip_address or '?'}"


class AuditEvent(models.Model):
    """Who did what, and when: publications, exports, erasures, role changes, purges.

    Read by staff in the admin; never changed. The subject is any object (an assessment, a
    membership), referred to by type and id so that this lowest app knows no other.
    """

    class Action(models.TextChoices):
        PUBLISHED = "published", _("Results published")
        EXPORTED = "exported", _("Exported")
        ERASED = "erased", _("Respondent's data erased")
        ROLE_CHANGED = "role_changed", _("Role changed")
        PURGED = "purged", _("Personal data purged")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.SET_NULL, null=True, blank=True
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "action"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} · {self.get_action_display()}"


# The product's own colours, used while no consultancy profile sets others.
DEFAULT_PRIMARY = "1B3A6B"
DEFAULT_ACCENT = "3D7BE0"


class ConsultancyProfile(models.Model):
    """The consultancy this deployment serves, as its clients see it: the name, logo, colours
    and contact line of the PDF report and the e-mails. One row at most (pk 1); without it,
    the product's own look and `CONSULTANCY_NAME`. Read through `accounts.branding.brand()`.
    """

    name = models.CharField(
        _("consultancy name"), max_length=120, validators=[no_control_characters]
    )
    contact_line = models.CharField(
        _("contact line"),
        max_length=200,
        blank=True,
        validators=[no_control_characters],
        help_text=_(
            "One line under the e-mails and on the report's cover, e.g. "
            "“readiness@initrode.example · +41 44 123 45 67”."
        ),
    )
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=6,
        default=DEFAULT_PRIMARY,
        validators=[hex_colour, legible_on_white],
        help_text=_(
            "Headings, the e-mail header and buttons: at least 4.5:1 against white, "
            "since it is both text on white and the background of white text."
        ),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=6,
        default=DEFAULT_ACCENT,
        validators=[hex_colour, visible_on_white],
        help_text=_("Rules, borders and chart fills: at least 3:1 against white."),
    )
    # The validated image itself (PNG or JPEG, see branding.validated_logo): the PDF, Word
    # and PowerPoint files embed it, and no media storage or file server is needed.
    logo = models.BinaryField(_("logo"), null=True, blank=True)
    logo_type = models.CharField(_("logo type"), max_length=20, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="one_consultancy_profile")
        ]
        verbose_name = _("consultancy profile")
        verbose_name_plural = _("consultancy profile")

    def __str__(self):
        return self.name


class OptionalMail(models.TextChoices):
    """The e-mails a receiver may turn off with the link they carry. Invitations, personal
    links and password resets are not optional: nobody could take part without them."""

    RESPONDENT_REMINDER = "respondent_reminder", _("Reminders to answer an assessment")
    OVERDUE_ACTIONS = "overdue_actions", _("Weekly list of your overdue actions")


class MailOptOut(models.Model):
    """A receiver who turned one kind of optional e-mail off.

    Holds a keyed hash of the lower-cased address, never the address: erasing a person's
    data leaves nothing here that names them, and the opt-out still holds.
    """

    kind = models.CharField(_("e-mail"), max_length=30, choices=OptionalMail)
    address_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("turned off"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "address_hash"], name="one_opt_out_per_kind")
        ]
        verbose_name = _("e-mail opt-out")
        verbose_name_plural = _("e-mail opt-outs")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.created_at:%Y-%m-%d}"


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A key with which one person's own tools read the API as that person, with exactly
    their access. Only the key's SHA-256 is stored: it is shown once, when it is made, and a
    database leak leaks no key. Revoked, it stops working at once and stays listed as such."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(
        _("name"),
        max_length=100,
        validators=[no_control_characters],
        help_text=_("What uses it, e.g. “Portfolio sync”."),
    )
    # The key's first characters, shown in the list so that a person can tell keys apart.
    prefix = models.CharField(_("starts with"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
