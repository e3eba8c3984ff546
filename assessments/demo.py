"""Demo data for `make run`: two client organisations and demo logins. Development only."""

from dataclasses import dataclass

from django.db import transaction

from accounts.models import Membership, Organisation, Role, Sector, SizeBand, User

DEMO_PASSWORD = "readiness-demo"  # noqa: S105 - printed by `make run`, development only


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str


@dataclass(frozen=True)
class DemoSummary:
    logins: list[DemoLogin]


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
        country="Portugal",
    )
    globex = _organisation(
        "globex-retail",
        name="Globex Retail",
        sector=Sector.RETAIL,
        size_band=SizeBand.ENTERPRISE,
        country="Germany",
    )
    _member(consultant, acme, Role.CONSULTANT)
    _member(consultant, globex, Role.CONSULTANT)
    _member(manager, acme, Role.MANAGER)
    _member(globex_manager, globex, Role.MANAGER)

    return DemoSummary(
        logins=[
            DemoLogin(consultant.email, "consultant (Acme Insurance, Globex Retail)"),
            DemoLogin(manager.email, "client manager (Acme Insurance)"),
            DemoLogin(admin.email, "platform administrator (/admin/)"),
        ]
    )
