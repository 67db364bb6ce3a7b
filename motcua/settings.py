"""MộtCửa settings — every value comes from the environment, with safe local defaults.

See README.md "Cấu hình / Configuration" for the list of variables.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from motcua.keyfiles import read_or_create

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("MOTCUA_DATA_DIR", PROJECT_DIR / "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

# Production by default: debug pages only when asked (MOTCUA_DEBUG=1), and even then no setting
# that holds a credential is shown (motcua.middleware.CredentialFilter). Without
# MOTCUA_SECRET_KEY the secret is made once into the data directory (secret.key, mode 0600) and
# kept across restarts (docs/security.md §6).
DEBUG = env_bool("MOTCUA_DEBUG", False)
TESTING = "pytest" in sys.modules
SECRET_KEY = os.environ.get("MOTCUA_SECRET_KEY", "").strip() or (
    read_or_create(DATA_DIR / "secret.key", 50).hex()
)

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("MOTCUA_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("MOTCUA_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "motcua.units",
    "motcua.accounts",
    "motcua.catalog",
    "motcua.feedback",
    "motcua.roster",
    "motcua.queue",
    "motcua.dossiers",
    "motcua.documents",
    "motcua.notifications",
    "motcua.dvcqg",
    "motcua.payments",
    "motcua.workflow",
    "motcua.portal",
    "motcua.reports",
    "motcua.integrations",
    "motcua.demo",
]

MIDDLEWARE = [
    "motcua.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "motcua.middleware.RepeatedParameterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "motcua.accounts.middleware.SessionGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "motcua.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

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
                "motcua.portal.context.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite (embedded, WAL, busy timeout) by default; DATABASE_URL=postgres://… for PostgreSQL.
# SQLite syncs every commit to the disk (synchronous=FULL): a commit acknowledged — a receipt
# slip printed — survives a power cut, common in rural communes; NORMAL survives a killed
# process only. Its cost per intake: bench/RESULTS.md (MOTCUA_SQLITE_SYNCHRONOUS=NORMAL to
# measure it again).
SQLITE_SYNCHRONOUS = os.environ.get("MOTCUA_SQLITE_SYNCHRONOUS", "FULL").strip().upper()
if SQLITE_SYNCHRONOUS not in {"FULL", "NORMAL", "EXTRA"}:
    raise ImproperlyConfigured("MOTCUA_SQLITE_SYNCHRONOUS phải là FULL, NORMAL hoặc EXTRA.")
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "motcua.sqlite3",
            # A file, not memory, for tests too: concurrency tests need WAL and the busy timeout.
            "TEST": {"NAME": str(DATA_DIR / "test-motcua.sqlite3")},
            # Each server process keeps its connection (no file open and PRAGMAs per request).
            "CONN_MAX_AGE": 60,
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    f"PRAGMA synchronous={SQLITE_SYNCHRONOUS};"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dossiers:worklist"  # officials' to-do list; overseers go on to figures
LOGOUT_REDIRECT_URL = "portal:home"

if TESTING:  # hashing cost is not what the tests measure
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Django's four rules, with Vietnamese messages (motcua.accounts.passwords).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "motcua.accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "motcua.accounts.passwords.MinimumLengthValidator"},
    {"NAME": "motcua.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "motcua.accounts.passwords.NumericPasswordValidator"},
]

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["motcua.formats"]

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    # Another backend (e.g. "storages.backends.s3.S3Storage" from django-storages, configured by
    # its own AWS_* variables) can hold the files; the code only uses the storage API.
    "default": {
        "BACKEND": os.environ.get(
            "MOTCUA_FILE_STORAGE", "django.core.files.storage.FileSystemStorage"
        )
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "motcua.static_storage.StaticStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "motcua.units.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON with a depth limit (motcua.parsers): a 10,000-deep body is a 400, not a 500.
    "DEFAULT_PARSER_CLASSES": [
        "motcua.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "motcua.pagination.PageNumbers",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "motcua.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MộtCửa API",
    "DESCRIPTION": "API của hệ thống thông tin giải quyết TTHC cấp xã MộtCửa (v1).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # every error status an operation can answer, with its body (motcua.api_schema)
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "motcua.api_schema.error_responses",
    ],
}

# --- Background tasks -----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "motcua.background.TaskBackend"
        )
    }
}

# --- Email ----------------------------------------------------------------------------------
EMAIL_HOST = os.environ.get("MOTCUA_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("MOTCUA_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("MOTCUA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("MOTCUA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("MOTCUA_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("MOTCUA_EMAIL_FROM", "motcua@localhost")
if not os.environ.get("MOTCUA_EMAIL_HOST"):  # no mail server set: the messages are printed
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
# Cookies marked Secure when the site is served over HTTPS (behind nginx with TLS: deploy/).
SECURE_COOKIES = env_bool("MOTCUA_SECURE_COOKIES", bool(os.environ.get("MOTCUA_BEHIND_TLS_PROXY")))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Whole requests above this are refused before they are read (uploads stream to disk below it).
MOTCUA_MAX_REQUEST_MB = 60
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MOTCUA_LOG_LEVEL", "INFO")},
    # PDF libraries narrate every document at INFO (WeasyPrint's seven rendering steps,
    # fontTools' font subsetting for pyHanko's signature stamps: ~3,000 lines for load-demo);
    # their warnings (a missing font, a bad CSS rule) still show. fontTools' subsetter warns
    # at every stamp that it drops the stamp font's FFTM table (a FontForge timestamp): only
    # its errors show.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "fontTools.subset": {"level": "ERROR"},
    },
}

# --- MộtCửa ---------------------------------------------------------------------------------
MOTCUA_DEMO_SIGNED_RESULTS = int(os.environ.get("MOTCUA_DEMO_SIGNED_RESULTS", "20"))
MOTCUA_DEMO_PASSWORD = os.environ.get("MOTCUA_DEMO_PASSWORD", "demo-motcua")
MOTCUA_SITE_NAME = os.environ.get("MOTCUA_SITE_NAME", "MộtCửa")
MOTCUA_HOME_UNIT = os.environ.get("MOTCUA_HOME_UNIT", "")
# Where citizens rate the service (the province's rating page); empty: no invitation is shown.
# The address citizens reach (QR codes, links in messages); by default the one being served.
MOTCUA_PUBLIC_URL = os.environ.get("MOTCUA_PUBLIC_URL") or (
    f"http://{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
)
MOTCUA_SMS_BACKEND = os.environ.get(
    "MOTCUA_SMS_BACKEND", "motcua.notifications.sms.LoggingSmsBackend"
)
MOTCUA_NOTIFY_RETRY = env_bool("MOTCUA_NOTIFY_RETRY", not TESTING)
MOTCUA_MAX_UPLOAD_MB = int(os.environ.get("MOTCUA_MAX_UPLOAD_MB", "10"))
# The online form (anonymous): what one address may upload in a day, and how long an online
# submission whose code was never confirmed is kept before its files and personal data are
# purged (motcua purge, docs/security.md §6).
# feedback sent from one address on the public page /phan-anh/ in an hour
MOTCUA_FEEDBACK_PER_HOUR = int(os.environ.get("MOTCUA_FEEDBACK_PER_HOUR", "5"))
MOTCUA_UPLOAD_QUOTA_MB_PER_DAY = int(os.environ.get("MOTCUA_UPLOAD_QUOTA_MB_PER_DAY", "200"))
MOTCUA_UNCONFIRMED_HOURS = int(os.environ.get("MOTCUA_UNCONFIRMED_HOURS", "48"))
# The access log of personal data (who was shown whose data in full) is kept this many months,
# at least 12 (docs/security.md §6), then pruned by motcua purge.
MOTCUA_ACCESS_LOG_MONTHS = int(os.environ.get("MOTCUA_ACCESS_LOG_MONTHS", "24"))
if MOTCUA_ACCESS_LOG_MONTHS < 12:
    raise ImproperlyConfigured("MOTCUA_ACCESS_LOG_MONTHS phải từ 12 trở lên.")
# Fields whose dossiers are not digitised (TT 03/2025/TT-VPCP Điều 5: papers only shown, e.g.
# certification, where the result is the certified paper itself); comma-separated field names.
MOTCUA_DIGITISATION_EXEMPT_FIELDS = [
    f.strip()
    for f in os.environ.get("MOTCUA_DIGITISATION_EXEMPT_FIELDS", "Chứng thực").split(",")
    if f.strip()
]

# --- The national portal (Cổng DVCQG) connector: docs/portal.md ------------------------------
# Empty URL: the connector is off (the outbox still records what the portal must hear of).
MOTCUA_DVCQG_URL = os.environ.get("MOTCUA_DVCQG_URL", "").strip().rstrip("/")
MOTCUA_DVCQG_AUTH_PATH = os.environ.get("MOTCUA_DVCQG_AUTH_PATH", "/api/auth/login")
MOTCUA_DVCQG_INTEGRATION_PATH = os.environ.get(
    "MOTCUA_DVCQG_INTEGRATION_PATH", "/api/integration/dvcqg"
)
MOTCUA_DVCQG_SHARE_PATH = os.environ.get("MOTCUA_DVCQG_SHARE_PATH", "/api/share/dvcqg")
MOTCUA_DVCQG_USERNAME = os.environ.get("MOTCUA_DVCQG_USERNAME", "")
MOTCUA_DVCQG_PASSWORD = os.environ.get("MOTCUA_DVCQG_PASSWORD", "")
MOTCUA_DVCQG_DSTCODE = os.environ.get("MOTCUA_DVCQG_DSTCODE", "")
MOTCUA_DVCQG_TIMEOUT = float(os.environ.get("MOTCUA_DVCQG_TIMEOUT", "20"))
# The portal's names for a procedure's values in LayThuTuc (not public: docs/portal.md), as a
# JSON object over motcua.core.portal_catalogue.FIELD_NAMES, e.g. {"duration": "ThoiGian"}.
MOTCUA_DVCQG_CATALOGUE_FIELDS = os.environ.get("MOTCUA_DVCQG_CATALOGUE_FIELDS", "")
# A call the portal refuses (error_code ≠ 0) is tried this many times before it stops and waits
# for an official; a network error is retried without end, at most this many seconds apart.
MOTCUA_DVCQG_MAX_TRIES = int(os.environ.get("MOTCUA_DVCQG_MAX_TRIES", "8"))
MOTCUA_DVCQG_MAX_BACKOFF = int(os.environ.get("MOTCUA_DVCQG_MAX_BACKOFF", "900"))
# How long one pusher holds the push (another process takes over after it, e.g. after a crash).
MOTCUA_DVCQG_LEASE_SECONDS = int(os.environ.get("MOTCUA_DVCQG_LEASE_SECONDS", "60"))
# Calls sent at once (a dossier's calls always one after the other, in order).
MOTCUA_DVCQG_LANES = int(os.environ.get("MOTCUA_DVCQG_LANES", "4"))

# --- fees, payments and e-receipts (docs/fees.md) ----------------------------------------------
# The passphrase of the units' seal certificates kept for unattended signing of e-receipts
# (a deployment whose seal lives in a remote-signing service or an HSM plugs it in instead);
# empty: receipts wait for the clerk to sign them in a batch ("Ký số biên lai").
MOTCUA_RECEIPT_PASSPHRASE = os.environ.get("MOTCUA_RECEIPT_PASSPHRASE", "")
# A commercial e-receipt provider the province contracts (docs/fees.md "E-receipt providers"):
# empty, MộtCửa signs each receipt with the unit's seal; "viettel", each waiting receipt is
# issued by Viettel S-Invoice at MOTCUA_RECEIPT_PROVIDER_URL (or the FAKE one:
# python -m motcua.payments.fake_provider), its PDF is the provider's.
MOTCUA_RECEIPT_PROVIDER = os.environ.get("MOTCUA_RECEIPT_PROVIDER", "").strip().lower()
if MOTCUA_RECEIPT_PROVIDER not in ("", "viettel"):
    raise ImproperlyConfigured(
        f"MOTCUA_RECEIPT_PROVIDER={MOTCUA_RECEIPT_PROVIDER!r} chưa được hỗ trợ: để trống "
        "(MộtCửa tự ký biên lai) hoặc “viettel”."
    )
MOTCUA_RECEIPT_PROVIDER_URL = os.environ.get("MOTCUA_RECEIPT_PROVIDER_URL", "").strip().rstrip("/")
MOTCUA_RECEIPT_PROVIDER_USERNAME = os.environ.get("MOTCUA_RECEIPT_PROVIDER_USERNAME", "")
MOTCUA_RECEIPT_PROVIDER_PASSWORD = os.environ.get("MOTCUA_RECEIPT_PROVIDER_PASSWORD", "")
# The provider's template code for receipts (to confirm with it); empty: the receipt's form
# symbol (EBL01).
MOTCUA_RECEIPT_PROVIDER_TEMPLATE = os.environ.get("MOTCUA_RECEIPT_PROVIDER_TEMPLATE", "").strip()
MOTCUA_RECEIPT_PROVIDER_TIMEOUT = float(os.environ.get("MOTCUA_RECEIPT_PROVIDER_TIMEOUT", "60"))

# --- Hardening (issue 13: H1, M2, M3, headers; docs/security.md §6) ----------------------
# The debug page and error reports hide every setting that may hold a credential (URL,
# DATABASE, DSN, CREDENTIAL, AUTH, PASS…) and the password inside any URL.
DEFAULT_EXCEPTION_REPORTER_FILTER = "motcua.middleware.CredentialFilter"
# The proxies whose X-Real-IP / X-Forwarded-For are believed (IPs or CIDRs, comma-separated).
# The project's nginx runs on the same machine, so the default is the loopback only; a client
# reaching gunicorn directly cannot choose its address.
# The audit log (docs/audit.md): the key that seals every event (made once, mode 0600; keep a
# copy with the backups, away from the database), where the signed checkpoints are written, how
# often the worker writes them, and an address that receives a copy of each (the province).
MOTCUA_AUDIT_KEY_FILE = Path(os.environ.get("MOTCUA_AUDIT_KEY_FILE", DATA_DIR / "audit.key"))
MOTCUA_AUDIT_CHECKPOINT_DIR = Path(
    os.environ.get("MOTCUA_AUDIT_CHECKPOINT_DIR", DATA_DIR / "checkpoints")
)
MOTCUA_AUDIT_CHECKPOINT_HOURS = float(os.environ.get("MOTCUA_AUDIT_CHECKPOINT_HOURS", "24"))
MOTCUA_AUDIT_CHECKPOINT_EMAIL = os.environ.get("MOTCUA_AUDIT_CHECKPOINT_EMAIL", "").strip()

# Officials' sessions and second factor (docs/security.md §6): who must give a TOTP code
# ("leaders": administrators, heads, deputies, leaders; "all": every official, for a deployment
# reachable from the Internet; "none": nobody is forced — the demo, and the test suite except the
# tests of this rule), the idle and absolute session limits, the API token's life.
MOTCUA_REQUIRE_MFA = (
    os.environ.get("MOTCUA_REQUIRE_MFA", "none" if TESTING else "leaders").strip().lower()
)
if MOTCUA_REQUIRE_MFA not in {"leaders", "all", "none"}:
    raise ImproperlyConfigured("MOTCUA_REQUIRE_MFA phải là leaders, all hoặc none.")
MOTCUA_SESSION_IDLE_MINUTES = int(os.environ.get("MOTCUA_SESSION_IDLE_MINUTES", "15"))
MOTCUA_SESSION_MAX_HOURS = int(os.environ.get("MOTCUA_SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = MOTCUA_SESSION_MAX_HOURS * 3600
MOTCUA_API_TOKEN_HOURS = int(os.environ.get("MOTCUA_API_TOKEN_HOURS", "24"))
OTP_TOTP_ISSUER = os.environ.get("MOTCUA_SITE_NAME", "MộtCửa")

MOTCUA_TRUSTED_PROXIES = [
    p.strip()
    for p in os.environ.get("MOTCUA_TRUSTED_PROXIES", "127.0.0.1,::1").split(",")
    if p.strip()
]
# Log-in lock-out (page, admin, token endpoint): this many wrong passwords for one account, or
# from one address, within the lock time lock it for the lock time.
MOTCUA_LOGIN_MAX_FAILURES = int(os.environ.get("MOTCUA_LOGIN_MAX_FAILURES", "5"))
MOTCUA_LOGIN_MAX_FAILURES_PER_ADDRESS = int(
    os.environ.get("MOTCUA_LOGIN_MAX_FAILURES_PER_ADDRESS", "20")
)
MOTCUA_LOGIN_LOCK_MINUTES = int(os.environ.get("MOTCUA_LOGIN_LOCK_MINUTES", "15"))
AUTHENTICATION_BACKENDS = ["motcua.accounts.backends.ThrottledModelBackend"]
# The Content-Security-Policy of every page (report-only in debug mode).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "motcua.middleware.SecurityHeadersMiddleware",
)
# HSTS: 0 (off) for development over plain HTTP; a deployment behind TLS sets it (one year:
# 31536000, see docs/security.md §6). Sent only on HTTPS answers.
SECURE_HSTS_SECONDS = int(os.environ.get("MOTCUA_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("MOTCUA_HSTS_SUBDOMAINS", False)
SECURE_REFERRER_POLICY = "same-origin"
# Behind nginx the request is HTTPS when nginx says so (only nginx can set this header: it
# overwrites the client's, see docs/security.md §6).
if os.environ.get("MOTCUA_BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
