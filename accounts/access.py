"""The one gate through which every organisation-scoped view fetches its organisation.

Outsiders get 404, so that nobody learns whether another client exists; members
whose role does not allow the page get 403.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from .models import Membership, Organisation, Role

ALL_ROLES = frozenset(Role)
RESULT_READERS = frozenset({Role.CONSULTANT, Role.MANAGER})
MANAGERS_OF_PEOPLE = RESULT_READERS
CONSULTANTS = frozenset({Role.CONSULTANT})


@dataclass(frozen=True, slots=True)
class OrganisationAccess:
    """An organisation as seen by one user, with the role that user holds in it."""

    organisation: Organisation
    role: Role

    @property
    def can_manage(self) -> bool:
        """Consultants set up the organisation, its assessments and its people."""
        return self.role == Role.CONSULTANT

    @property
    def can_invite(self) -> bool:
        return self.role in MANAGERS_OF_PEOPLE

    @property
    def can_read_results(self) -> bool:
        return self.role in RESULT_READERS

    @property
    def invitable_roles(self) -> list[Role]:
        """Consultants invite both roles; a client manager invites other managers only."""
        if self.role == Role.CONSULTANT:
            return [Role.MANAGER, Role.CONSULTANT]
        return [Role.MANAGER]


def get_organisation_access(user, slug: str) -> OrganisationAccess:
    """Fetch the organisation through the user's membership, in one query; 404 for outsiders."""
    if not user.is_authenticated:
        raise Http404
    if user.is_staff:
        organisation = Organisation.objects.filter(slug=slug).first()
        role = Role.CONSULTANT
    else:
        membership = (
            Membership.objects.select_related("organisation")
            .filter(user=user, organisation__slug=slug)
            .first()
        )
        organisation = membership.organisation if membership else None
        role = Role(membership.role) if membership else None
    if organisation is None:
        raise Http404
    return OrganisationAccess(organisation=organisation, role=role)


def organisation_access(user, slug: str, roles: frozenset[Role]) -> OrganisationAccess:
    """The gate of every organisation-scoped page and API endpoint: 404 (Http404) for
    outsiders, 403 (PermissionDenied) for members whose role is not among `roles`."""
    access = get_organisation_access(user, slug)
    if access.role not in roles:
        raise PermissionDenied
    return access


def organisation_view(roles: Iterable[Role]) -> Callable:
    """Decorate a view taking `slug`: it receives `access` instead, or the gate answers 404/403."""
    allowed = frozenset(roles)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
            access = organisation_access(request.user, slug, allowed)
            request.organisation_access = access
            return view(request, access, *args, **kwargs)

        return wrapper

    return decorator
