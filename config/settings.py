"""Settings for Portefølje: one file, read from the environment.

With nothing set, the app runs embedded (SQLite under var/, Celery eager, console e-mail) in production mode:
DEBUG is off unless DEBUG=1, so SECRET_KEY is required. `make run` sets DEBUG=1 for the demo.
Production sets SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and REDIS_URL.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# openpyxl parses an XLSX's workbook, styles and content-type parts with lxml whenever lxml is installed (pikepdf
# brings it), and lxml's parser expands entity declarations; with this it uses defusedxml for every part, which
# refuses them. Set before any app imports openpyxl; common.spreadsheets refuses to read a sheet otherwise.
os.environ["OPENPYXL_LXML"] = "False"

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# A test run (pytest imports these settings in its own process) gets the development defaults, as `make test` and
# .ci/run set explicitly: the suite talks plain HTTP and logs in the demo users. The production defaults are
# tested in subprocesses (tests/config/test_security_settings.py), which set DEBUG themselves. Exported, so
# the manage.py and Celery subprocesses some tests start get the same.
if "pytest" in sys.modules:
    os.environ.setdefault("DEBUG", "1")

# Off unless set: a forgotten variable must not serve tracebacks and development defaults to the internet.
DEBUG = env_bool("DEBUG", False)

# setup_demo creates users with the password "demo": allowed by default only in development.
DEMO_ALLOWED = env_bool("DEMO_ALLOWED", DEBUG)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY må settes når DEBUG er av.")
    # Only for the embedded development default; production must set its own.
    SECRET_KEY = "django-insecure-portefolje-dev-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The Norwegian "form expired" page in the layout, instead of Django's bare English 403.
CSRF_FAILURE_VIEW = "common.views.csrf_failure"

INSTALLED_APPS = [
    "common.admin_site.InstallationAdminConfig",  # django.contrib.admin, for superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "import_export",
    "simple_history",
    "csp",
    "axes",
    "ninja",  # django-ninja serves the API docs' Swagger UI from its own static files, not from a CDN
    # Bottom to top (docs/architecture.md): shared mechanisms, the programme core, the feature apps, the workspace.
    "common",
    "sso",
    "portfolio",
    "documents",
    "measures",
    "benefits",
    "risks",
    "milestones",
    "workspace",
    "accessibility",
    "calendars",
    "reports",
    "backup",
    "api",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # On PostgreSQL: a web request's queries are cancelled after WEB_STATEMENT_TIMEOUT_MS.
    "common.middleware.StatementTimeoutMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "common.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # As soon as the user is known, and before anything reads the body (CSRF reads it in process_view, after
    # every middleware's request part): refuses an anonymous request whose body is too large, 413.
    "common.middleware.AnonymousBodyLimitMiddleware",
    # Pages for a logged-in user are never stored by a browser or proxy (Cache-Control: private, no-store).
    "common.middleware.PrivateCacheControlMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Messages of an htmx answer go along out of band (it has no base.html to show them in).
    "common.middleware.HtmxMessagesMiddleware",
    # Records the requesting user on every audit-history row.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "portfolio.context_processors.access",
            ],
        },
    },
]

# Forms rendered whole lay out their fields as Designsystemet's ds-field (common/templates/common/ds_field.html).
FORM_RENDERER = "common.form_rendering.FormRenderer"

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portefolje.sqlite3'}"),
        conn_max_age=int(env("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# On PostgreSQL, a query of a web request is cancelled after this many milliseconds (common.middleware
# StatementTimeoutMiddleware sets it per request; Celery workers and manage.py commands are not limited).
# 0: no limit.
WEB_STATEMENT_TIMEOUT_MS = int(env("WEB_STATEMENT_TIMEOUT_MS", "15000"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username+address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on (sso/): answers only the OpenID Connect callback, and only when OIDC is configured below.
    "sso.backends.OidcBackend",
]

# Single sign-on with OpenID Connect (sso/, on mozilla-django-oidc): Microsoft Entra ID, ID-porten or any
# standard provider. Off unless OIDC_CLIENT_ID and OIDC_ISSUER (or the endpoints) are set. The endpoints are
# discovered from OIDC_ISSUER + "/.well-known/openid-configuration" when first needed (not at start-up, so a
# provider that is down never stops the site or its login page); an OIDC_OP_*_ENDPOINT setting wins over it.
OIDC_ISSUER = env("OIDC_ISSUER").rstrip("/")  # e.g. https://login.microsoftonline.com/<tenant id>/v2.0
OIDC_RP_CLIENT_ID = env("OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env("OIDC_CLIENT_SECRET")
OIDC_RP_SCOPES = env("OIDC_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = env("OIDC_SIGN_ALGO", "RS256")  # ID tokens are checked against the provider's JWKS
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT")
OIDC_OP_LOGOUT_ENDPOINT = env("OIDC_OP_LOGOUT_ENDPOINT")  # end_session_endpoint; none: logout here only
# Read the userinfo endpoint on top of the ID token's claims (Entra ID advises the ID token alone: OIDC_USERINFO=0).
OIDC_USERINFO = env_bool("OIDC_USERINFO", True)
OIDC_TOKEN_USE_BASIC_AUTH = env_bool("OIDC_TOKEN_USE_BASIC_AUTH")  # client_secret_basic instead of _post
OIDC_USE_PKCE = True  # ID-porten requires it; Entra ID and other providers accept it
OIDC_TIMEOUT = float(env("OIDC_TIMEOUT", "5"))  # seconds for each call to the provider
# Which claims give the user's subject (the stable id we match on), e-mail and name. ID-porten's national
# identity number (`pid`) is never stored: keep the subject `sub`.
OIDC_CLAIM_SUBJECT = env("OIDC_CLAIM_SUBJECT", "sub")
OIDC_CLAIM_EMAIL = env("OIDC_CLAIM_EMAIL", "email")  # Entra ID without the optional email claim: preferred_username
OIDC_CLAIM_NAME = env("OIDC_CLAIM_NAME", "name")
# An e-mail address links a first login to an existing user only when the provider marks it verified
# (email_verified), or when this is on: the provider's addresses are the municipality's own (Entra ID tenant).
OIDC_TRUST_EMAIL = env_bool("OIDC_TRUST_EMAIL")
# Levels of assurance accepted, space-separated: asked for as acr_values, and the ID token's acr must be one of
# them (ID-porten: "idporten-loa-substantial idporten-loa-high"). Empty: the provider's default, not checked.
OIDC_ACR_VALUES = env("OIDC_ACR_VALUES")
OIDC_PROVIDER_NAME = env("OIDC_PROVIDER_NAME")  # the button says «Logg inn med <this>», e.g. Microsoft, ID-porten
# Username and password on the login page (the demo users need it). PASSWORD_LOGIN=0 with SSO: the form is
# gone and a posted password is refused, in the app and in /admin/.
PASSWORD_LOGIN = env_bool("PASSWORD_LOGIN", True)
if not PASSWORD_LOGIN and not (OIDC_RP_CLIENT_ID and (OIDC_ISSUER or OIDC_OP_AUTHORIZATION_ENDPOINT)):
    raise ImproperlyConfigured("PASSWORD_LOGIN=0 krever innlogging med OpenID Connect (OIDC_ISSUER, OIDC_CLIENT_ID).")

# Django's four, with Norwegian messages from our subclasses (common.security, common.passwords); the
# common-password check also knows Norwegian ones («passord123») and a common word with digits around it.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "common.passwords.UserAttributeSimilarityValidator"},
    {
        "NAME": "common.security.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(env("PASSWORD_MIN_LENGTH", "10"))},
    },
    {"NAME": "common.passwords.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every request when it is missing
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
# Uploaded documents, stored imports, logos and generated reports all go through the "default" storage. Embedded
# default: the local folder MEDIA_ROOT. With S3_BUCKET set, an S3-compatible object store (django-storages) holds
# them, so several web servers and workers share one store instead of one machine's disk. Files are always
# served through the app's own views (access checks), never by URL from the store: querystring_auth stays on and
# no ACL is set, so the bucket can be private.
S3_BUCKET = env("S3_BUCKET")
if S3_BUCKET:
    from botocore.config import Config as _S3Config

    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("S3_ENDPOINT_URL") or None,  # unset: AWS itself
            "access_key": env("S3_ACCESS_KEY_ID") or None,  # unset: boto3's own chain (instance role, ~/.aws)
            "secret_key": env("S3_SECRET_ACCESS_KEY") or None,
            "region_name": env("S3_REGION") or None,
            "location": env("S3_PREFIX"),  # a folder inside the bucket, e.g. one per installation
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,  # two uploads of «vedtak.pdf» get two names, as on the local disk
            "addressing_style": env("S3_ADDRESSING_STYLE", "path") or None,  # MinIO and most on-premise stores
            # A store that is down must not hold a request for botocore's default 60 s per attempt.
            "client_config": _S3Config(
                connect_timeout=float(env("S3_CONNECT_TIMEOUT", "2")),
                read_timeout=float(env("S3_READ_TIMEOUT", "30")),
                retries={"max_attempts": 2, "mode": "standard"},
            ),
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Redis: the Celery broker and result backend, and the cache. Unset means embedded mode:
# tasks run eagerly in the web process and the cache lives in local memory.
REDIS_URL = env("REDIS_URL")
# Every Redis client gives up after these many seconds (connecting / waiting for an answer), so a Redis that
# is down, or accepts connections and never answers, cannot stall a request (tests/common/test_redis_stall.py).
REDIS_CONNECT_TIMEOUT = float(env("REDIS_CONNECT_TIMEOUT", "1"))
REDIS_SOCKET_TIMEOUT = float(env("REDIS_SOCKET_TIMEOUT", "1"))
_redis_timeouts = {"socket_connect_timeout": REDIS_CONNECT_TIMEOUT, "socket_timeout": REDIS_SOCKET_TIMEOUT}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Fail fast when Redis is down: the only cache user (the citizen form's rate limit) then lets
            # the request through instead of hanging (measures.views._over_limit).
            "OPTIONS": dict(_redis_timeouts),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **_redis_timeouts,
    # A task a worker took but never acknowledged (the worker was killed) goes back to the queue after this
    # many seconds. Must be longer than any task's time limit and retry countdown (at most 300 s each),
    # or a task still running would be delivered a second time.
    "visibility_timeout": int(env("CELERY_VISIBILITY_TIMEOUT", "900")),
}
# Queuing a task subscribes to its result in Redis, then publishes it; when Redis is down or does not answer,
# each gives up after one retry instead of Celery's ~20 s, so the page that queued it answers within a few
# seconds (see common.tasks.QueuedOrLater: the record stays pending and is sent again later).
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_SOCKET_TIMEOUT
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "benefit-measurement-reminders": {
        "task": "benefits.tasks.send_measurement_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "status-report-reminders": {
        "task": "portfolio.tasks.send_status_report_reminders",
        "schedule": crontab(hour=7, minute=15),
    },
    # Reports nobody is building (queued while Redis was down, or their worker died) are queued again.
    "requeue-stuck-revision-reports": {
        "task": "reports.tasks.requeue_stuck_revision_reports",
        "schedule": crontab(minute="*/10"),
    },
    # Spreadsheet imports whose message was lost (Redis down) or whose worker died are queued again.
    "requeue-stuck-import-jobs": {
        "task": "portfolio.tasks.requeue_stuck_import_jobs",
        "schedule": crontab(minute="*/5"),
    },
    # Status e-mails that could not be queued while Redis was down are sent once it is back.
    "send-pending-status-emails": {
        "task": "measures.tasks.send_pending_status_emails",
        "schedule": crontab(minute="*/15"),
    },
    # Barrier reports that could not be e-mailed (broker or mail server down) are sent once they are back.
    "send-pending-barrier-reports": {
        "task": "accessibility.tasks.send_pending_barrier_reports",
        "schedule": crontab(minute="*/15"),
    },
    # Daily; the task acts only on REVISION_REPORT_DATE.
    "yearly-revision-reports": {
        "task": "reports.tasks.yearly_revision_reports",
        "schedule": crontab(hour=6, minute=0),
    },
}
REVISION_REPORT_DATE = env("REVISION_REPORT_DATE", "10-01")  # MM-DD: the yearly revision report is built this day
SITE_URL = env("SITE_URL")  # e.g. https://portefolje.kommune.no, for full links in e-mails

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "portefolje@localhost")

# Security. Production (DEBUG off) gets safe defaults that pass `manage.py check --deploy`;
# each can be changed from the environment. Development keeps plain HTTP cookies and no HSTS.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes from inside the network speak plain HTTP
# The header a TLS-terminating proxy sets (and strips from clients), e.g. X-Forwarded-Proto; empty: none.
_proxy_ssl_header = env("SECURE_PROXY_SSL_HEADER", "" if DEBUG else "X-Forwarded-Proto")
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))  # one year
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from <body hx-headers>, never from the cookie
# A working day, and gone when the browser closes: staff share computers in the municipality.
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
if not SECURE_SSL_REDIRECT and not DEBUG:
    # Turned off on purpose: the proxy in front redirects HTTP to HTTPS instead.
    SILENCED_SYSTEM_CHECKS = ["security.W008"]

# Behind N reverse proxies that each append to X-Forwarded-For, the client is the N-th address from
# the right. 0 (default): use REMOTE_ADDR, as a client can write X-Forwarded-For itself.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))

# Content Security Policy (django-csp): only our own scripts, styles and images; htmx is vendored
# and configured (meta htmx-config in base.html) not to inject its indicator <style>.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from one
# address, that pair is refused for AXES_COOLOFF_MINUTES. Stored in the database (no Redis needed);
# `manage.py axes_reset` unlocks everyone, `axes_reset_username NAME` one user.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_CALLABLE = "common.security.lockout_response"  # Norwegian page, 429
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "common.security.client_ip"
AXES_VERBOSE = False  # no banner on every manage.py command

# Uploads: spreadsheets for the imports (common.uploads checks size, type and content).
UPLOAD_MAX_BYTES = int(env("UPLOAD_MAX_BYTES", str(5 * 1024 * 1024)))
# An uploaded sheet larger than this is imported by a Celery worker, with its progress on the page, instead of
# inside the web request (whose time gunicorn limits); about 1 000 rows of CSV.
IMPORT_BACKGROUND_BYTES = int(env("IMPORT_BACKGROUND_BYTES", str(100 * 1024)))
# An anonymous request (the public proposal form, the login) with a larger body is refused with 413 before
# its body is read (common.middleware.AnonymousBodyLimitMiddleware). Logged-in users keep the limits below.
ANONYMOUS_MAX_BODY_BYTES = int(env("ANONYMOUS_MAX_BODY_BYTES", str(64 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger uploads are spooled to a temporary file
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # form fields other than files
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_PERMISSIONS = 0o640
# Documents attached to decision points, milestones, proposals, status reports and benefit plans (documents/):
# the largest file accepted, in bytes. A proxy in front must let bodies this large through (nginx:
# client_max_body_size).
DOCUMENT_MAX_BYTES = int(env("DOCUMENT_MAX_BYTES", str(20 * 1024 * 1024)))

# The read-only API (api/, /api/v1/): rows per page by default and at most, requests per personal access token
# (django-ninja's rate format: "120/min", "5000/hour"; counted in the cache, so per process without Redis), and
# the longest a new token may live.
API_PAGE_SIZE = int(env("API_PAGE_SIZE", "100"))
API_MAX_PAGE_SIZE = int(env("API_MAX_PAGE_SIZE", "500"))
API_RATE_LIMIT = env("API_RATE_LIMIT", "120/min")
API_TOKEN_MAX_DAYS = int(env("API_TOKEN_MAX_DAYS", "365"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools log every layout step at INFO.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
}
