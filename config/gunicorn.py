"""gunicorn settings: `gunicorn config.wsgi -c config/gunicorn.py`.

Command-line options (bind address, workers, access log) still apply on top of these.
"""

from gunicorn.glogging import Logger

from config.logging import RedactSecretLinks

_redact = RedactSecretLinks()


class RedactingLogger(Logger):
    """gunicorn's logger, with the tokens of respondent, invitation and password-reset links
    redacted from the access and error logs.

    The access log line holds the request line, and also the Referer of the requests a
    page makes; the error log names the URL of a request that failed.
    """

    def setup(self, cfg):
        super().setup(cfg)
        # One shared filter: setup runs again on reload, and addFilter skips a duplicate.
        self.access_log.addFilter(_redact)
        self.error_log.addFilter(_redact)


logger_class = RedactingLogger
