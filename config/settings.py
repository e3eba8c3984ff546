"""Settings for GenAI Readiness, read from the environment.

Development defaults are safe: DEBUG is off unless asked for, and without DEBUG
the app refuses to start until SECRET_KEY is set to a strong key.
"""

from datetime import timedelta
from pathlib import Path

import bootstrap_wrapper
import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.languages import catalogued_languages

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
DEVELOPMENT_SECRET_KEY = "insecure-development-key-only-used-with-debug"  # noqa: S105
# Keys that have been published (Django's generated placeholder, our own development key):
# signing sessions and reset links with one of them lets anybody forge both.
PUBLISHED_SECRET_KEYS = (DEVELOPMENT_SECRET_KEY, "insecure-key-for-tests-only")
PUBLISHED_SECRET_KEY_PREFIXES = ("django-insecure-",)
SECRET_KEY_MIN_LENGTH = 50


def secret_key_weakness(key: str) -> str:
    """Why `key` may not sign a production site's sessions and links, or "" when it may."""
    if not key:
        return "is not set"
    if key in PUBLISHED_SECRET_KEYS or key.startswith(PUBLISHED_SECRET_KEY_PREFIXES):
        return "is a published default"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"is shorter than {SECRET_KEY_MIN_LENGTH} characters"
    if len(set(key)) < 5:  # as Django's own deployment check asks
        return "has fewer than 5 different characters"
    return ""


SECRET_KEY = env.str("SECRET_KEY", default="")
if not DEBUG and (weakness := secret_key_weakness(SECRET_KEY)):
    raise ImproperlyConfigured(
        f"SECRET_KEY {weakness}. Set the SECRET_KEY environment variable to a long random "
        "string, e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(50))' "
        "(or DEBUG=1 for local development)."
    )
if not SECRET_KEY:
    SECRET_KEY = DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The public address used in links sent by e-mail (invitations, respondent links).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_countries",
    "axes",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "assessments",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.signed_in_language",
    "accounts.middleware.private_signed_in_pages",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it answers a locked-out login with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if "DATABASE_URL" not in env:
    VAR_DIR.mkdir(exist_ok=True)  # the embedded database's folder, on a fresh clone too
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections: a page costs far less without a new connection each time.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "reports:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while locked out
    "django.contrib.auth.backends.ModelBackend",
]
# Login protection (django-axes, accounts/lockout.py): after AXES_FAILURE_LIMIT wrong passwords
# for one account from one address, that account pauses for the cool-off period at that address
# only, on /accounts/login/ and /admin/login/ alike; a colleague behind the same address still
# logs in. AXES_ADDRESS_FAILURE_LIMIT, far higher, pauses an address that tries many accounts.
AXES_HANDLER = "accounts.lockout.AccountAndAddressHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=100)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.lockout.login_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address: the connection's own unless TRUSTED_PROXY_COUNT proxies stand in front
# (then taken from X-Forwarded-For, which a client could forge when no proxy rewrites it).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"

# Live workshops: joins a session takes within the window, from one address and in all,
# before answering 429. Counted from the database, so they hold across app containers. A
# room on one office network shares one address: the per-address limit leaves room for a
# table joining together, not for a script.
WORKSHOP_JOINS_PER_ADDRESS = env.int("WORKSHOP_JOINS_PER_ADDRESS", default=10)
WORKSHOP_JOINS_PER_SESSION = env.int("WORKSHOP_JOINS_PER_SESSION", default=60)
WORKSHOP_JOIN_WINDOW_SECONDS = env.int("WORKSHOP_JOIN_WINDOW_SECONDS", default=60)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = catalogued_languages(LOCALE_PATHS[0])
LANGUAGE_COOKIE_NAME = "language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Berlin")
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", bootstrap_wrapper.get_bootstrap_dir()),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# The read-only API for the consultancy's own tools (reports/api): a personal token per user,
# JSON only, every list paginated; described by an OpenAPI schema at /api/schema/.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.api_tokens.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "reports.api.pagination.Pages",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "reports.api.errors.handle",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "GenAI Readiness API",
    "DESCRIPTION": (
        "Read-only access to the organisations, assessments, published results, live figures "
        "(consultants only) and action plans that the token's user may see on the web pages. "
        "Send the token as `Authorization: Bearer <token>`; create one under Settings → API "
        "tokens."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The documentation page's scripts and styles come from a Python package, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"


def mailer_from_url(url: str) -> dict:
    """Turn an EMAIL_URL (smtp+tls://user:password@host:587, consolemail://) into a mailer."""
    config = environ.Env.email_url_config(url)
    options = {
        "host": config["EMAIL_HOST"],
        "port": config["EMAIL_PORT"],
        "username": config["EMAIL_HOST_USER"],
        "password": config["EMAIL_HOST_PASSWORD"],
        "use_tls": config.get("EMAIL_USE_TLS"),
        "use_ssl": config.get("EMAIL_USE_SSL"),
    }
    return {
        "BACKEND": config["EMAIL_BACKEND"],
        "OPTIONS": {key: value for key, value in options.items() if value},
    }


# Without DEBUG, mail goes to an SMTP server on localhost unless EMAIL_URL says otherwise: printing
# invitations to the console in production would lose them without anybody noticing. With DEBUG
# and no EMAIL_URL, each mail is printed readably (envelope and text, links whole) to the
# terminal that runs the server.
if "EMAIL_URL" in env or not DEBUG:
    MAILERS = {"default": mailer_from_url(env.str("EMAIL_URL", default="smtp://localhost:25"))}
else:
    MAILERS = {"default": {"BACKEND": "accounts.console_mail.ReadableConsoleBackend"}}
# Mail goes out through Django's tasks framework: in production a database queue that
# `manage.py db_worker` works off (with retries), so a slow or failing mail server never
# slows a page; with DEBUG (and in tests) each task runs at once.
TASKS = {
    "default": {
        "BACKEND": env.str(
            "TASKS_BACKEND",
            default="django.tasks.backends.immediate.ImmediateBackend"
            if DEBUG
            else "django_tasks_db.DatabaseBackend",
        )
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="GenAI Readiness <noreply@localhost>")
# The consultancy's name, shown with the consultant's as the sender of e-mails.
CONSULTANCY_NAME = env.str("CONSULTANCY_NAME", default="")

# Respondents' addresses and names are removed this many days after their assessment closed
# (`manage.py purge_personal_data`, daily from a scheduler). Answers carry no name and stay.
PERSONAL_DATA_RETENTION_DAYS = env.int("PERSONAL_DATA_RETENTION_DAYS", default=90)

# Invitations to join an organisation stay valid this many days.
INVITATION_MAX_AGE_DAYS = env.int("INVITATION_MAX_AGE_DAYS", default=14)

# No inline scripts or styles anywhere, so the policy can stay strict.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],  # Bootstrap draws its small icons as data: SVGs
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading needs includeSubDomains and a year, both set above; SECURE_HSTS_PRELOAD=0 opts out.
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# Respondent, invitation and password-reset links carry a token in the path: every logger that
# writes request paths redacts it (gunicorn's access log does the same, in config/gunicorn.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secret_links": {"()": "config.logging.RedactSecretLinks"}},
    "formatters": {
        # As Django's default: configuring the django.server logger here replaces its handler.
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "loggers": {
        "django.request": {"filters": ["redact_secret_links"]},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["redact_secret_links"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
