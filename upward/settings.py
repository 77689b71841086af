"""Django settings for Upward.

Nothing here differs between environments except through `UPWARD_*`
environment variables (see the configuration reference in README.md).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from upward.core.env import env_bool, env_int, env_list, env_str
from upward.engine.limits import MAX_FILES

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("UPWARD_DATA_DIR", str(Path.cwd() / "data"))).resolve()

DEBUG = env_bool("UPWARD_DEBUG", False)
# Under pytest (and mypy's Django plugin, which loads these settings) there is
# no secret to check, and tests swap in fast password hashing.
TESTING = env_bool("UPWARD_TESTING", bool({"pytest", "mypy"} & set(sys.modules)))

SECRET_KEY = env_str("UPWARD_SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "UPWARD_SECRET_KEY is not set. Set it to a long random string "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set UPWARD_DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug-and-tests"  # noqa: S105

ALLOWED_HOSTS = env_list("UPWARD_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("UPWARD_CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("UPWARD_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks_db",
    "ninja",
    "upward.core",
    "upward.accounts",
    "upward.frameworks",
    "upward.assessments",
    "upward.notifications",
    "upward.roadmaps",
    "upward.evidence",
    "upward.mentorship",
    "upward.insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "upward.core.middleware.api_head_as_get",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "upward.accounts.middleware.personal_time_zone",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "upward.urls"
WSGI_APPLICATION = "upward.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "upward.accounts.context_processors.organizations",
                "upward.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# SQLite by default (one file in the data folder); PostgreSQL by URL.
DATABASE_URL = env_str("UPWARD_DATABASE_URL", f"sqlite:///{DATA_DIR / 'upward.sqlite3'}")
_db = dj_database_url.parse(DATABASE_URL)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    if _db["NAME"] != ":memory:":
        Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    _db["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers wait
        # (up to the timeout) instead of failing half-way with "database is locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    if TESTING:
        # Tests use a file as production does: threads sharing an in-memory
        # database fail at once ("table is locked") instead of waiting their turn.
        # Nothing is synced to disk: a test database needn't survive a crash.
        _db["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"upward-test-{os.getpid()}.db")}
        _db["OPTIONS"]["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
elif _db["ENGINE"] == "django.db.backends.postgresql":
    _db.setdefault("OPTIONS", {})
    if env_bool("UPWARD_DATABASE_POOL", True) and not TESTING:
        _db["OPTIONS"]["pool"] = {
            "min_size": env_int("UPWARD_DATABASE_POOL_MIN", 1),
            "max_size": env_int("UPWARD_DATABASE_POOL_MAX", 10),
        }
    else:
        _db["CONN_MAX_AGE"] = 0
else:
    raise ImproperlyConfigured(
        f"UPWARD_DATABASE_URL uses an unsupported engine ({_db['ENGINE']}); "
        "use sqlite:///path or postgres://user@host/name."
    )
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    # A database cache is shared by every web process, which login rate
    # limiting needs; it costs one small table and no extra server.
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "upward_cache",
    }
}

TASKS = {
    "default": {
        # "immediate" runs tasks in the request (tests, the demo); "database"
        # queues them for `upward worker`.
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if env_str("UPWARD_TASKS", "immediate" if TESTING else "database") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# --- Accounts ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests create hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "upward.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_FORMS = {"signup": "upward.accounts.forms.SignupForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Upward] "
# Failed logins: at most LOGIN_ATTEMPTS per account per LOGIN_LOCKOUT seconds;
# the lockout expires on its own.
LOGIN_ATTEMPTS = env_int("UPWARD_LOGIN_ATTEMPTS", 5)
LOGIN_LOCKOUT = env_int("UPWARD_LOGIN_LOCKOUT_SECONDS", 300)
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"20/m/ip,{LOGIN_ATTEMPTS}/{LOGIN_LOCKOUT}s/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Upward"

INVITATION_DAYS = env_int("UPWARD_INVITATION_DAYS", 7)
TOKEN_MAX_DAYS = env_int("UPWARD_TOKEN_MAX_DAYS", 365)

# --- Email ------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("UPWARD_EMAIL_FROM", "Upward <upward@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
_email_url = env_str("UPWARD_EMAIL_URL", "console:")
if _email_url.startswith("console:"):
    MAILERS: dict[str, dict[str, object]] = {
        "default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    }
elif _email_url.startswith(("smtp://", "smtps://", "submission://")):
    from urllib.parse import unquote, urlsplit

    _parts = urlsplit(_email_url)
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _parts.hostname or "localhost",
                "port": _parts.port or (465 if _parts.scheme == "smtps" else 587),
                "username": unquote(_parts.username or ""),
                "password": unquote(_parts.password or ""),
                "use_ssl": _parts.scheme == "smtps",
                "use_tls": _parts.scheme == "submission",
                "timeout": 20,
            },
        }
    }
else:
    raise ImproperlyConfigured(
        f"UPWARD_EMAIL_URL={_email_url!r} is not understood; "
        "use console: or smtp://user:password@host:port (smtps:// for TLS on connect, "
        "submission:// for STARTTLS)."
    )

# --- Security -----------------------------------------------------------------
HTTPS = env_bool("UPWARD_HTTPS", not DEBUG and not TESTING and SITE_URL.startswith("https://"))
SECURE_SSL_REDIRECT = HTTPS and env_bool("UPWARD_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("UPWARD_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Preloading is a promise about the operator's whole domain that browsers keep
# for months; only they can make it. Until they opt in, the deploy check's
# reminder about it (W021) is silenced rather than answered with a guess.
SECURE_HSTS_PRELOAD = HTTPS and env_bool("UPWARD_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("UPWARD_BEHIND_PROXY", False) else None
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("UPWARD_MAX_BODY_BYTES", 2 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
# Upload limits live in upward/engine/limits.py; the first handler enforces the
# total size while the body streams in. Beyond MAX_FILES, Django stops parsing.
FILE_UPLOAD_HANDLERS = [
    "upward.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_NUMBER_FILES = MAX_FILES

# --- Static files and i18n -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("UPWARD_STATIC_ROOT", str(DATA_DIR / "static")))
# The project's own CSS, icons and vendored htmx: `upward` is not an app, so
# without this collectstatic misses them and every page 500s with debug off.
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("UPWARD_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
