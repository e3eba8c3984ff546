"""Login protection: which client an attempt comes from, and when logins pause.

Wrong passwords count per account *and* address together, so that someone guessing one
account cannot lock out a colleague who shares the office's (or the proxy's) address. A
second limit, far higher, counts every wrong password from one address: it slows down
somebody who tries many accounts, without tripping over a busy office.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The address of the client, as the outermost of our own proxies saw it.

    Without `TRUSTED_PROXY_COUNT` (no proxy) a client could write any X-Forwarded-For it
    likes, so only the connection's address counts. With N proxies in front, each appends
    the address it received the request from: the Nth entry from the right is the one the
    first proxy saw, and everything left of it may be forged.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def login_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The account a login attempt names: the login forms' `username` field, an e-mail address.

    django-axes would look for a field named after `USERNAME_FIELD` (`email`), which neither
    the login forms nor `authenticate(username=…)` have, and count every attempt as one
    without an account (`AXES_USERNAME_FORM_FIELD` says `username`). Lower case, as addresses
    are stored, so that `Dana@…` and `dana@…` are one account.
    """
    source = credentials if credentials else getattr(request, "POST", {})
    username = source.get("username")
    return username.strip().lower() if isinstance(username, str) else None


def address_failures(*, ip_address: str | None, since) -> int:
    """Wrong passwords from one address, on any account, since `since`."""
    if not ip_address:
        return 0
    total = AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return total or 0


class AccountAndAddressHandler(AxesDatabaseHandler):
    """django-axes' database handler, with the address-wide limit on top of its own.

    django-axes locks by `AXES_LOCKOUT_PARAMETERS` (account and address together) with one
    limit; the address-wide limit, `AXES_ADDRESS_FAILURE_LIMIT`, is checked here.
    """

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or self.address_is_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        """Records the failure; answers with the lockout page once the address is paused too.

        django-axes decides that from its own limit alone, so a refusal for the address would
        otherwise look like one more wrong password.
        """
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is not None and not request.axes_locked_out and self.address_is_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials

    def address_is_locked(self, request) -> bool:
        since = request.axes_attempt_time - settings.AXES_COOLOFF_TIME
        failures = address_failures(ip_address=request.axes_ip_address, since=since)
        return failures >= settings.AXES_ADDRESS_FAILURE_LIMIT
