"""Logging that keeps secret links out of the logs.

Three links carry a secret in their path, each a password in a URL: a respondent's personal
link `/r/<token>/`, an invitation `/accounts/invitations/<token>/` and a password reset
`/accounts/password-reset/<uid>/<token>/`. The request that opens one, a Referer that names
it, a login redirect's `?next=` (with its slashes encoded or not) or a "Not Found" warning
for a mistyped link would write it to a log; every logger that writes request paths (and
gunicorn's, in config/gunicorn.py) redacts the token to an ellipsis.
"""

import logging
import re

SLASH = r"(?:/|%2F)"
# A path segment, raw or percent-encoded: it ends at a slash, an encoded slash, a query or a
# fragment, the next query parameter, a space or a quote.
SEGMENT = r"(?:(?!%2F)[^/?#&\s\"'])+"

SECRET_LINKS = re.compile(
    rf"(?P<keep>{SLASH}r{SLASH}"
    rf"|{SLASH}accounts{SLASH}invitations{SLASH}"
    rf"|{SLASH}password-reset{SLASH}{SEGMENT}{SLASH}(?!set-password\b))"
    rf"{SEGMENT}",
    re.IGNORECASE,
)
REDACTED = "…"


def redact_secret_links(text: str) -> str:
    """`text` with the token of every respondent, invitation and reset link as an ellipsis."""
    return SECRET_LINKS.sub(lambda match: match["keep"] + REDACTED, text)


class RedactSecretLinks(logging.Filter):
    """Rewrites a record's message with secret tokens redacted; never drops a record.

    The message is formatted here, once, so that a token passed as an argument (Django's
    "Not Found: %s", gunicorn's access atoms) is redacted as well as one in the text.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_secret_links(message)
        if redacted != message:
            record.msg = redacted
            record.args = ()
        return True
