"""Settings for ctoready, read from the environment only.

Production is the default. ``DEBUG=true`` is the one-line switch for development: it
generates a secret key under ``var/``, sends e-mail to the console and drops the
HTTPS-only settings. Every variable is listed in docs/configuration.md.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from ctoready.lib.clientaddr import parse_networks
from ctoready.lib.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("DEBUG", False)


def _secret_key() -> str:
    key = envstr("SECRET_KEY", "")
    if key:
        return key
    if not DEBUG:
        # Left empty: commands that compute on files need no key, and Django refuses any
        # use of an empty one. Serving and database commands ask first (require_secret_key).
        return ""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
# The public address for links (e-mails, API answers, PDFs). Required in production
# (`check --deploy` says so); unset in development, links follow the request's own host.
SITE_URL = envstr("SITE_URL", "").rstrip("/")
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks), e.g. 127.0.0.1.
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES", [])
parse_networks(TRUSTED_PROXIES)  # a bad entry stops the start with a clear message

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "allauth",
    "allauth.account",
    "django_tasks_db",
    "ctoready.lib",
    "ctoready.instruments",
    "ctoready.assessments",
    "ctoready.reports",
    "ctoready.raters",
    "ctoready.api",
    "ctoready.terminal",
    "ctoready.analytics",
    "ctoready.guides",
    "ctoready.orgs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ctoready.lib.http.PrivateByDefaultMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ctoready.lib.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "ctoready.lib.csrf.CookieKeptMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ctoready.lib.middleware.OperatorIdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ctoready.lib.input.InputRuleMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ctoready.lib.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "ctoready.urls"
WSGI_APPLICATION = "ctoready.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ctoready" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: one SQLite file by default; PostgreSQL with DATABASE_URL=postgres://...
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ctoready.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so concurrent autosaves queue behind the busy
    # timeout instead of failing with "database is locked" on lock upgrade. WAL lets readers
    # run beside the single writer.
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if DEBUG else DATABASES["default"]["CONN_MAX_AGE"]
    busy_seconds = envint("SQLITE_BUSY_TIMEOUT", 20)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": busy_seconds,
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
            f"PRAGMA busy_timeout={busy_seconds * 1000};PRAGMA foreign_keys=ON"
        ),
    }
    del busy_seconds
    # A file (not memory) so tests see WAL and locking as production does; one per process.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache shared by every process and app server (rendered PDFs, sign-in rate limits): the
# database, so no extra service is needed. Migrations create its table.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "ctoready_cache",
        "TIMEOUT": 60 * 60 * 24,
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}

# Background tasks on the database queue; `ctoready serve` starts the worker.
TASKS = {"default": {"BACKEND": envstr("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Optional candidate accounts (django-allauth): e-mail and password, or a code by e-mail.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "ctoready: "
ACCOUNT_ADAPTER = "ctoready.lib.accounts.AccountAdapter"  # client addresses as everywhere
LOGIN_URL = "account_login"
LOGIN_URL_PATH = "/account/login/"
OPERATOR_IDLE_SECONDS = envint("OPERATOR_IDLE_SECONDS", 30 * 60)
# Sign-in attempts per client and per account (django-allauth, in the shared cache).
ACCOUNT_RATE_LIMITS = {"login_failed": "5/m/ip,5/5m/key", "login": "30/m/ip"}
LOGIN_REDIRECT_URL = "my_assessments"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "ctoready" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "ctoready" / "static"]
STATIC_MANIFEST = envbool("STATIC_MANIFEST", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without collected, hashed files (development, tests) serve straight from the apps.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG or not STATIC_MANIFEST

# E-mail: SMTP (default localhost:587); under DEBUG without EMAIL_HOST, the console.
EMAIL_HOST = envstr("EMAIL_HOST", "" if DEBUG else "localhost")
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST,
                "port": envint("EMAIL_PORT", 587),
                "username": envstr("EMAIL_HOST_USER", ""),
                "password": envstr("EMAIL_HOST_PASSWORD", ""),
                "use_tls": envbool("EMAIL_USE_TLS", True),
            },
        }
        if EMAIL_HOST
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}
# Staging and the cluster test: every message written to files in this folder instead.
if EMAIL_FILE_PATH := envstr("EMAIL_FILE_PATH", ""):
    MAILERS["default"] = {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": EMAIL_FILE_PATH},
    }
del EMAIL_HOST, EMAIL_FILE_PATH
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "ctoready <noreply@localhost>")

# Security headers. HTTPS-only settings are on unless DEBUG, or HTTPS=false behind a
# proxy that terminates TLS elsewhere (and for load tests on loopback).
HTTPS = envbool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
# Probes talk plain HTTP to an app server directly (systemd, a load balancer).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if envbool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
# Database sessions (shared by every server), read without the ORM compiler each time.
SESSION_ENGINE = "ctoready.lib.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 60 * 60 * 24 * 30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
}

# Product settings.
ATTEMPT_EXPIRY_DAYS = envint("ATTEMPT_EXPIRY_DAYS", 30)
# Finished attempts (with their reports and 360 feedback) are kept until the candidate
# erases them; a positive number deletes them that many days after finishing.
RETENTION_FINISHED_DAYS = envint("RETENTION_FINISHED_DAYS", 0)
# Attempts one client may start a minute (web and API); 0 switches the limit off.
RATE_LIMIT_STARTS_PER_MINUTE = envint("RATE_LIMIT_STARTS_PER_MINUTE", 10)
INSTRUMENT_CONTENT_DIR = BASE_DIR / "ctoready" / "instruments" / "content"
