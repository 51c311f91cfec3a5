"""Settings for the TNT co-ordination portal, read from the environment.

Defaults give a self-contained demo (SQLite, in-process tasks, console e-mail). Production sets
DJANGO_SECRET_KEY, DATABASE_URL, CELERY_BROKER_URL and DJANGO_ALLOWED_HOSTS; a missing required
value stops the process with ImproperlyConfigured rather than running half-configured.
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import overload

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@overload
def env_str(name: str, default: str) -> str: ...
@overload
def env_str(name: str, default: None = None) -> str | None: ...
def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None else value.strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no), got {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {number}")
    return number


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off")
    # Only for local development: never used once DEBUG is off.
    SECRET_KEY = "insecure-demo-key-only-used-with-debug"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "axes",
    "csp",
    "simple_history",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "programmes",
    "programmes.security",
    "programmes.events",
    "programmes.activity",
    "results",
    "focal_points",
    "taskforces",
    "knowledge",
    "osce_tnt.reporting",
]

MIDDLEWARE = [
    "osce_tnt.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "programmes.security.middleware.SlidingSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "osce_tnt.middleware.IdempotencyKeyMiddleware",
    "osce_tnt.middleware.OneTimeFormMiddleware",
    "csp.middleware.CSPMiddleware",
    "programmes.security.middleware.PermissionsPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "osce_tnt.urls"
WSGI_APPLICATION = "osce_tnt.wsgi.application"
ASGI_APPLICATION = "osce_tnt.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "osce_tnt.navigation.navigation",
            ],
        },
    },
]
# Django's form renderer with <select> written in Python (the filter forms' long option lists; issue 14).
FORM_RENDERER = "osce_tnt.form_renderer.FastSelectRenderer"

try:
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
            # A connection that broke while idle (PostgreSQL restarted) is replaced at the start of the next
            # request instead of failing it: recovery without restarting gunicorn.
            conn_health_checks=True,
        )
    }
except ValueError as exc:  # an unknown scheme or a malformed URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable database answers a request within seconds (503), never at the proxy's timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 3, minimum=1)
    )
# The portal's own per-request statements are prepared once per connection (programmes.prepared). Off for a
# connection pooler in transaction mode, which hands one server session to several clients.
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
# Redis answers in milliseconds; a second without an answer means it is down or hung. The cache is a convenience:
# osce_tnt.cache_backends.ResilientRedisCache logs the error and behaves as a miss, and after a failure skips Redis
# for PORTAL_CACHE_RETRY_SECONDS, so a hung Redis costs a request about one timeout, not one per cache call.
REDIS_SOCKET_TIMEOUT = float(env_str("REDIS_SOCKET_TIMEOUT", "1") or 1)
PORTAL_CACHE_RETRY_SECONDS = env_int("PORTAL_CACHE_RETRY_SECONDS", 5, minimum=0)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "osce_tnt.cache_backends.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": REDIS_SOCKET_TIMEOUT, "socket_timeout": REDIS_SOCKET_TIMEOUT},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# axes checks every HTTP sign-in before the model backend may accept it.
AUTHENTICATION_BACKENDS = [
    "programmes.security.backends.PortalAxesBackend",
    # Django's password check; a session's user loaded with their role and profile in one statement.
    "programmes.security.backends.PortalModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian")), ("fr", _("French")), ("de", _("German"))]
# The language switch stores the choice in a cookie; a year, so it survives closing the browser.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Vienna"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")

# E-mail: console by default so the demo prints what it would send.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "TNT portal <tnt-portal@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: secure cookies and HSTS whenever DEBUG is off; a TLS-terminating proxy sets the header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Off only for plain-HTTP loopback test stacks (tests/reliability, make load); production keeps them on.
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, read with a prepared statement (programmes/security/sessions.py).
SESSION_ENGINE = "programmes.security.sessions"
# A session ends after a working day without a request; activity pushes the end back (sliding expiry, refreshed at
# most every five minutes by programmes.security.middleware.SlidingSessionMiddleware rather than on every request).
SESSION_COOKIE_AGE = env_int("PORTAL_SESSION_HOURS", 9, minimum=1) * 3600
SESSION_REFRESH_SECONDS = 300
CSRF_COOKIE_HTTPONLY = True

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failures for one account, or from one address, further
# attempts are refused for the cool-off time with the lockout page; an administrator lifts a lock in the admin
# (Axes > Access attempts: delete the row). Sign-ins, sign-outs and failures are kept in axes' access logs too.
AXES_FAILURE_LIMIT = env_int("PORTAL_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=env_int("PORTAL_LOGIN_COOLOFF_MINUTES", 30, minimum=1))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False
# Behind the TLS proxy the client address is the first X-Forwarded-For entry set by that one proxy.
AXES_IPWARE_PROXY_COUNT = env_int("PORTAL_PROXY_COUNT", 0, minimum=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Content Security Policy (django-csp): only the portal's own scripts, styles and images; no inline code. The API
# documentation pages relax style-src for themselves (their bundles set styles at run time) and use a nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
SILENCED_SYSTEM_CHECKS = env_list("DJANGO_SILENCED_SYSTEM_CHECKS")
# /healthz is probed over plain HTTP by the load balancer and compose health checks.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "programmes.security.authentication.ExpiringTokenAuthentication",
    ],
    # A bounded JSON parser: deeply nested documents are a 400, not a RecursionError.
    "DEFAULT_RENDERER_CLASSES": [
        "osce_tnt.api.renderers.PortalJSONRenderer",
        "osce_tnt.api.renderers.PortalBrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "programmes.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["programmes.permissions.RolePermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "osce_tnt.api.filters.PortalFilterBackend",
        "osce_tnt.api.ordering.StableOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "osce_tnt.api.pagination.PortalPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "programmes.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "osce_tnt.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OSCE TNT co-ordination portal API",
    "DESCRIPTION": "Structures, States, thematic areas, mandates, projects, events, activity reports, "
    "focal points and task forces of the OSCE work against transnational threats.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Error answers (400/401/403/404/405/409) documented once for every operation.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "programmes.api.schema.add_error_responses",
    ],
    # Several models have a "status" or "role"; name each choice set after its model so the schema is stable.
    "ENUM_NAME_OVERRIDES": {
        "ProjectStatusEnum": "programmes.models.Project.Status",
        "EventStatusEnum": "programmes.events.models.Event.Status",
        "CoordinationAlertStatusEnum": "programmes.events.models.CoordinationAlert.Status",
        "ActivityReportStatusEnum": "programmes.activity.models.ActivityReport.Status",
        "MembershipRoleEnum": "focal_points.models.Membership.Role",
        "ProposedChangeStatusEnum": "focal_points.models.ProposedChange.Status",
        "TaskForceMemberRoleEnum": "taskforces.models.TaskForceMember.Role",
        "MeetingStatusEnum": "taskforces.models.Meeting.Status",
        "ActionItemStatusEnum": "taskforces.models.ActionItem.Status",
        "CalendarBundleMailingStatusEnum": "taskforces.models.CalendarBundleMailing.Status",
        "MandateStatusEnum": "programmes.models.Mandate.Status",
        "CommitmentStatusEnum": "knowledge.models.CommitmentStatus",
        "IndicatorActualStatusEnum": "results.models.ActualStatus",
    },
}

# Celery: with no broker configured, tasks run eagerly in-process so the portal works without Redis.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or None
if CELERY_BROKER_URL and not CELERY_BROKER_URL.startswith(("redis://", "rediss://", "redis+socket://", "memory://")):
    raise ImproperlyConfigured(f"CELERY_BROKER_URL must be a redis:// URL, got {CELERY_BROKER_URL!r}")
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# A message is acknowledged only once its task has finished, and put back when the pool process running it dies
# (SIGKILL, out of memory), so a killed worker's job is delivered again; the job's claim and heartbeat make sure
# it is done once.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing fails fast instead of retrying inside the request: the outbox keeps the job and the sweep re-sends it.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_SOCKET_TIMEOUT
# Redis re-delivers an unacknowledged message after the visibility timeout (a worker host vanished). It must be
# longer than the longest job (a report takes a few minutes), or a running job would be delivered twice (the claim
# would refuse the second, but it wastes a worker); an hour (the default) kept lost jobs waiting far too long.
PORTAL_JOB_VISIBILITY_TIMEOUT = env_int("PORTAL_JOB_VISIBILITY_TIMEOUT", 15 * 60, minimum=60)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
    # Above the transport's 1 s BRPOP poll, so a worker's idle wait is not mistaken for a hung Redis.
    "socket_timeout": max(REDIS_SOCKET_TIMEOUT, 2.0),
    "visibility_timeout": PORTAL_JOB_VISIBILITY_TIMEOUT,
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = env_str("CELERY_BEAT_SCHEDULE_FILENAME", str(BASE_DIR / ".tmp" / "celerybeat"))

# Portal-specific knobs.
PORTAL_ATTACHMENT_MAX_BYTES = env_int("PORTAL_ATTACHMENT_MAX_MB", 20, minimum=1) * 1024 * 1024
PORTAL_DUPLICATE_WINDOW_DAYS = env_int("PORTAL_DUPLICATE_WINDOW_DAYS", 14, minimum=0)
PORTAL_FOCAL_POINT_STALE_MONTHS = env_int("PORTAL_FOCAL_POINT_STALE_MONTHS", 12, minimum=1)
PORTAL_FOCAL_POINT_CONFIRM_DAYS = env_int("PORTAL_FOCAL_POINT_CONFIRM_DAYS", 60, minimum=1)
PORTAL_FEED_PAST_DAYS = env_int("PORTAL_FEED_PAST_DAYS", 365, minimum=0)
PORTAL_ACTION_REMINDER_DAYS = env_int("PORTAL_ACTION_REMINDER_DAYS", 7, minimum=0)
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000")
# Set by `make demo` only: the sign-in page then lists the demo accounts, and the home page explains the sample data.
PORTAL_DEMO = env_bool("PORTAL_DEMO", False)
# The OSCE's IATI organisation identifier, prefix of every exported activity identifier; set the registered one.
PORTAL_IATI_ORG_ID = env_str("PORTAL_IATI_ORG_ID", "XI-IATI-OSCE")
# IATI identifiers are "<registration agency>-<number>": letters, digits and hyphens, no spaces or slashes.
if not PORTAL_IATI_ORG_ID or any(
    c not in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._" for c in PORTAL_IATI_ORG_ID
):
    raise ImproperlyConfigured(
        f"PORTAL_IATI_ORG_ID must be an IATI organisation identifier, got {PORTAL_IATI_ORG_ID!r}"
    )

# Reliability (programmes/jobs.py, programmes/documents.py, osce_tnt/middleware.py, osce_tnt/health.py).
# The outbox is used whenever a broker is configured; eager in-process tasks need none.
PORTAL_JOB_OUTBOX = env_bool("PORTAL_JOB_OUTBOX", not CELERY_TASK_ALWAYS_EAGER)
PORTAL_OUTBOX_SWEEP_SECONDS = env_int("PORTAL_OUTBOX_SWEEP_SECONDS", 60, minimum=1)
PORTAL_OUTBOX_GRACE_SECONDS = env_int("PORTAL_OUTBOX_GRACE_SECONDS", 30, minimum=0)
PORTAL_OUTBOX_RESEND_SECONDS = env_int("PORTAL_OUTBOX_RESEND_SECONDS", 20 * 60, minimum=1)
PORTAL_OUTBOX_MAX_SENDS = env_int("PORTAL_OUTBOX_MAX_SENDS", 5, minimum=1)
PORTAL_JOB_HEARTBEAT_SECONDS = env_int("PORTAL_JOB_HEARTBEAT_SECONDS", 5, minimum=1)
PORTAL_JOB_STALE_SECONDS = env_int("PORTAL_JOB_STALE_SECONDS", 60, minimum=2)
PORTAL_JOB_MAX_ATTEMPTS = env_int("PORTAL_JOB_MAX_ATTEMPTS", 3, minimum=1)
PORTAL_SERVICE_HEARTBEAT_SECONDS = env_int("PORTAL_SERVICE_HEARTBEAT_SECONDS", 15, minimum=1)
# A worker or beat heartbeat older than this counts as down in /healthz.
PORTAL_SERVICE_HEARTBEAT_MAX_AGE = env_int("PORTAL_SERVICE_HEARTBEAT_MAX_AGE", 90, minimum=2)
# Parts whose failure makes /healthz answer 503 (database, cache, broker, worker, beat); a part that is not
# configured (no broker in the demo) is never "down".
PORTAL_HEALTH_REQUIRED = env_list("PORTAL_HEALTH_REQUIRED", ["database", "cache", "broker"])
PORTAL_IDEMPOTENCY_HOURS = env_int("PORTAL_IDEMPOTENCY_HOURS", 24, minimum=1)
PORTAL_API_TOKEN_DAYS = env_int("PORTAL_API_TOKEN_DAYS", 30, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No personal data in logs: every handler masks e-mail addresses and telephone numbers.
    "filters": {"personal_data": {"()": "programmes.security.log_filters.PersonalDataFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["personal_data"]}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    # In-process (eager) tasks would otherwise log one line per task in the demo console.
    # Django's own loggers are routed to the filtered handler too (its defaults would bypass the filter).
    "loggers": {
        "celery.app.trace": {"level": "WARNING"},
        # WeasyPrint logs every rendering step ("Step 1 - Fetching and parsing HTML") at INFO: noise in the demo
        # console and the worker log for each generated PDF; its warnings still show.
        "weasyprint.progress": {"level": "WARNING"},
        "django": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO"), "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
