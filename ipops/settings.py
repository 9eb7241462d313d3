"""One settings module, configured from the environment.

Every variable is documented in the README's "Configuration" table and explained by
`ipops check` when something is wrong with it.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


def _env_flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("IPOPS_DATA_DIR", BASE_DIR / "var")).resolve()

DEBUG = _env_flag("IPOPS_DEBUG", False)
# A development key is accepted only on the loopback setup that `make run` gives; `ipops check`
# flags it and the deploy checks refuse it when IPOPS_HTTPS is on.
DEV_SECRET_KEY = "ipops-development-only-not-secret"  # noqa: S105
SECRET_KEY = os.environ.get("IPOPS_SECRET_KEY", DEV_SECRET_KEY)
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("IPOPS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if host.strip()
]
HTTPS = _env_flag("IPOPS_HTTPS", False)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "ipops.audit",
    "ipops.accounts",
    "ipops.portal",
    "ipops.corpus",
    "ipops.search",
    "ipops.landscape",
    "ipops.valuation",
    "ipops.notifications",
    "ipops.market",
    "ipops.finance",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "ipops.portal.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "ipops.portal.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ipops.portal.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ipops.accounts.middleware.SessionExpiryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ipops.apitools.ApiErrorShapeMiddleware",
]

ROOT_URLCONF = "ipops.urls"
WSGI_APPLICATION = "ipops.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ipops.portal.context_processors.shell",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DEFAULT_DATABASE_URL = f"sqlite:///{DATA_DIR / 'ipops.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer commits; IMMEDIATE takes the write lock at
        # BEGIN so two writers queue instead of failing with "database is locked" mid-way.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456; PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background tasks and search ---------------------------------------------------------------
# Long work (applying corpus changes to the search index, reports …) runs as tasks in a
# database-backed queue, so the embedded setup needs no broker: `ipops serve` starts a worker
# beside the web server; production runs `ipops db_worker` as its own service.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SEARCH_INDEX_DIR = DATA_DIR / "search"
# Files at least this big are parsed in a second process while the import writes (see
# corpus/readahead.py); 0 reads every file ahead, a huge value none.
READ_AHEAD_MIN_BYTES = int(os.environ.get("IPOPS_READ_AHEAD_MIN_BYTES", str(8 * 1024 * 1024)))
# Landscape analytics: Parquet snapshots for DuckDB and Spark (`ipops snapshot`), and the
# Spark master the spark backend connects to (`local[*]`: every core of this machine).
SNAPSHOT_DIR = Path(os.environ.get("IPOPS_SNAPSHOT_DIR", str(DATA_DIR / "snapshots")))
SPARK_MASTER = os.environ.get("IPOPS_SPARK_MASTER", "local[*]")
# Patent value (issue 6). CNIPA publishes no threshold for "a pledge securing a high amount",
# one of the five high-value criteria: a setting, in CNY. Portfolio standing against PLAN.md
# C2's target (60 invention patents, 12 PCT applications, 25 portfolios): whether pending
# applications, and patents whose legal status is unknown, count as invention patents.
HIGH_VALUE_PLEDGE_MIN_CNY = int(os.environ.get("IPOPS_HIGH_VALUE_PLEDGE_MIN_CNY", "10000000"))
PORTFOLIO_MIN_INVENTIONS = 60
PORTFOLIO_MIN_PCT = 12
PORTFOLIO_PROGRAMME_TARGET = 25
PORTFOLIO_COUNT_PENDING = _env_flag("IPOPS_PORTFOLIO_COUNT_PENDING", False)
PORTFOLIO_COUNT_UNKNOWN_STATUS = _env_flag("IPOPS_PORTFOLIO_COUNT_UNKNOWN_STATUS", False)
# Report exports: PDF and the DOCX's chart images are drawn by headless Chromium (empty: the
# first of chromium, chromium-browser, google-chrome on PATH); files written by report tasks
# live under REPORT_DIR and are served only through a view that checks access.
CHROMIUM = os.environ.get("IPOPS_CHROMIUM", "")
REPORT_DIR = DATA_DIR / "reports"
# Market (issue 7): documents the parties keep on a deal (contracts, CNIPA's certificates)
# are stored by the default storage (DATA_DIR/uploads) and refused past this many bytes.
MARKET_MAX_UPLOAD_BYTES = int(
    os.environ.get("IPOPS_MARKET_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024))
)

# --- Accounts and security -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling: failures counted per (username, client address) and per address.
LOGIN_FAILURE_LIMIT = int(os.environ.get("IPOPS_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_LIMIT_PER_ADDRESS = 20
LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3

SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
SESSION_SAVE_EVERY_REQUEST = False
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page meta tag, not the cookie
CSRF_FAILURE_VIEW = "ipops.portal.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

# --- Mail ------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "IPOPS_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("IPOPS_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("IPOPS_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("IPOPS_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("IPOPS_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_flag("IPOPS_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("IPOPS_EMAIL_FROM", "ipops <noreply@ipops.local>")

# --- Language and time -----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- Static files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
NODE_MODULES_DIR = BASE_DIR / "node_modules"
# Third-party browser libraries come from the npm registry at install time (package.json
# pins them); only these files are published, under static/vendor/.
VENDOR_ASSETS = {
    "vendor/htmx.min.js": NODE_MODULES_DIR / "htmx.org" / "dist" / "htmx.min.js",
    "vendor/echarts.min.js": NODE_MODULES_DIR / "echarts" / "dist" / "echarts.min.js",
}
# The CJK web font embedded in PDF reports (Noto Sans SC, npm @fontsource/noto-sans-sc):
# Chromium reads it from here, only the subsets a report's text needs.
REPORT_FONT_DIR = NODE_MODULES_DIR / "@fontsource" / "noto-sans-sc"
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "ipops.portal.finders.VendorAssetFinder",
]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "uploads")},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Logging ---------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "ipops.request": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "ipops": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

IPOPS_DEMO_PASSWORD = os.environ.get("IPOPS_DEMO_PASSWORD", "ipops-demo-2026")
