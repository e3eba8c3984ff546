"""Logging that keeps respondents' personal links out of the logs.

A personal link `/r/<token>/` is a password in a URL. Its first request is the only one that
carries it (the page then redirects to addresses without it), but that request, a Referer
that names it, or a "Not Found" warning for a mistyped link would still write it to a log.
"""

import logging
import re

RESPONDENT_LINK = re.compile(r"/r/[^/?#\s\"']+")
REDACTED_LINK = "/r/…"


def redact_respondent_links(text: str) -> str:
    """`text` with the token of every respondent link replaced by an ellipsis."""
    return RESPONDENT_LINK.sub(REDACTED_LINK, text)


class RedactRespondentLinks(logging.Filter):
    """Rewrites a record's message with respondent tokens redacted; never drops a record.

    The message is formatted here, once, so that a token passed as an argument (Django's
    "Not Found: %s", gunicorn's access atoms) is redacted as well as one in the text.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_respondent_links(message)
        if redacted != message:
            record.msg = redacted
            record.args = ()
        return True
