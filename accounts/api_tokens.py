"""Personal API tokens: made, revoked, and checked on every API request.

A token is a random key that the person copies once into their tool; only its SHA-256 is
stored (as with invitation links: the key carries 256 random bits, so a fast hash is
enough). The API answers as the token's user, through the same access gate as the pages.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from .models import ApiToken, User, hash_token, new_token

# Recognisable in a leaked file or a secret scanner's rules.
KEY_PREFIX = "grt_"
SHOWN_PREFIX = len(KEY_PREFIX) + 6
# "Last used" is a hint, not an audit: written at most this often, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=10)


def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`, and its key: the only time the key exists outside the tool."""
    key = KEY_PREFIX + new_token()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:SHOWN_PREFIX], key_hash=hash_token(key)
    )
    return token, key


def revoke_api_token(*, token: ApiToken) -> None:
    """The token stops working at once; it stays listed, revoked, with its dates."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


class ApiTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <key>`. A missing header leaves the request anonymous (401 from
    the permission check); a malformed, unknown or revoked key is a 401 with the reason."""

    keyword = "Bearer"

    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != self.keyword.lower().encode():
            return None
        if len(words) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token as “Authorization: Bearer <token>”, with no spaces in it.")
            )
        try:
            key = words[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(key)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token was revoked."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (with this challenge) rather than 403 to a request without one.
        return f'{self.keyword} realm="api"'
