"""Turning an optional e-mail off with one link, without logging in.

Every optional e-mail (`OptionalMail`) carries a link signed for its kind and its receiver,
in the text and in the `List-Unsubscribe` header (RFC 8058), so that a mail program's own
"unsubscribe" works too. The link names the receiver by a keyed hash of the address, never
the address itself: links end up in logs and browser histories.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import salted_hmac

from .models import MailOptOut, OptionalMail

SALT = "accounts.opt_out"


class InvalidOptOutLink(Exception):
    """The link was changed, cut short or signed with another key."""


def address_hash(email: str, *, secret: str | None = None) -> str:
    """The keyed hash an opt-out stores for an address (any case, surrounding spaces)."""
    return salted_hmac(SALT, email.strip().lower(), secret=secret, algorithm="sha256").hexdigest()


def _hashes(email: str) -> list[str]:
    """The address's hash under the current key and each fallback: an opt-out made before
    the key was rotated still holds while the old key is a fallback."""
    return [address_hash(email, secret=key) for key in [None, *settings.SECRET_KEY_FALLBACKS]]


def opt_out_url(kind: OptionalMail, email: str) -> str:
    token = signing.dumps([kind.value, address_hash(email)], salt=SALT, compress=True)
    return settings.SITE_URL + reverse("accounts:opt_out", kwargs={"token": token})


def opt_out_headers(url: str) -> dict[str, str]:
    """One-click unsubscribe (RFC 8058): the mail program POSTs to the link itself."""
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def read_opt_out_link(token: str) -> tuple[OptionalMail, str]:
    """The kind and address hash a link was signed for; InvalidOptOutLink otherwise."""
    try:
        kind, hashed = signing.loads(token, salt=SALT)
        return OptionalMail(kind), str(hashed)
    except (signing.BadSignature, ValueError, TypeError) as bad:
        raise InvalidOptOutLink from bad


def opt_out(*, kind: OptionalMail, hashed_address: str) -> None:
    """Turn the kind off for the address; doing it again (or twice at once) changes nothing."""
    MailOptOut.objects.get_or_create(kind=kind, address_hash=hashed_address)


def has_opted_out(kind: OptionalMail, email: str) -> bool:
    return MailOptOut.objects.filter(kind=kind, address_hash__in=_hashes(email)).exists()
