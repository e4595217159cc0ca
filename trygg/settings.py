"""The one settings module. Everything that differs between machines comes from the environment."""

import datetime as dt
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from trygg.core.env import (
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_str,
    proxy_ssl_header,
    secret_key,
    source_of,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("TRYGG_DEBUG", False)
SECRET_KEY = secret_key(DEBUG)

ALLOWED_HOSTS = env_list("TRYGG_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("TRYGG_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Failed logins per user name and address, and the lockout after too many (see AXES_*).
    "axes",
    "csp",
    "js_lib_leaflet",
    # ninja's bundled Swagger UI files for /api/v1/docs (no CDN).
    "ninja",
    "trygg.core",
    "trygg.organisations",
    "trygg.places",
    "trygg.events",
    "trygg.situation",
    "trygg.measures",
    "trygg.walks",
    "trygg.citizens",
    "trygg.surveys",
    "trygg.promises",
    "trygg.presence",
    "trygg.purpleflag",
    "trygg.demo",
]

MIDDLEWARE = [
    # First: the throttles and django-axes below read the client's address from REMOTE_ADDR.
    "trygg.core.proxy.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "trygg.urls"
WSGI_APPLICATION = "trygg.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "trygg" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "trygg.organisations.context_processors.trygg",
            ],
        },
    },
]

DATA_DIR = Path(env_str("TRYGG_DATA_DIR", str(BASE_DIR / "var")) or "")
_conn_max_age = env_int("TRYGG_DB_CONN_MAX_AGE", 60)
try:
    DATABASES = {
        "default": dj_database_url.parse(
            env_secret("DATABASE_URL", f"sqlite:///{DATA_DIR / 'trygg.sqlite3'}") or "",
            conn_max_age=_conn_max_age,
        )
    }
except ValueError as error:  # the URL itself is not repeated: it may hold a password
    raise ImproperlyConfigured(f"DATABASE_URL cannot be used: {error}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A fresh checkout has no var/ yet; SQLite would fail with "unable to open database file".
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets the worker write while pages read; a busy timeout instead of "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        # A 128 MB page cache per connection: the event table's indexes outgrow the 2 MB default.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-131072;"
        ),
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
    # The same backend, with writers queueing on a file lock instead of SQLite's busy handler
    # (trygg/core/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "trygg.core.sqlite"
elif env_bool("TRYGG_CITUS", False):
    # A Citus coordinator: PostgreSQL's backend, grouping by every selected column since the
    # sharded tables' keys hold the municipality too (trygg/core/citus/base.py).
    DATABASES["default"]["ENGINE"] = "trygg.core.citus"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("TRYGG_PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out user name and address before the password is even looked at.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password guessing: after this many failed logins for one user name from one address, that
# pair is locked out for the cool-off. Per pair, so that nobody can lock a colleague out by
# typing their name wrong from elsewhere. The attempts are in the admin (Axes).
AXES_FAILURE_LIMIT = env_int("TRYGG_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("TRYGG_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "trygg.organisations.lockout.locked_out"
# Not a line at every start of every command; lockouts are still logged as warnings.
AXES_VERBOSE = False
# Sessions end this many hours after login whatever the user does: nothing else writes to the
# session, so its expiry is not pushed on by use.
SESSION_COOKIE_AGE = env_int("TRYGG_SESSION_HOURS", 8) * 60 * 60
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "events:list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "trygg" / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "trygg" / "static"]
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 15 * 1024 * 1024

EMAIL_BACKEND = env_str("TRYGG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("TRYGG_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("TRYGG_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("TRYGG_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_secret("TRYGG_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("TRYGG_EMAIL_TLS", False)
# The worker holds a notice's row while its mail goes out: a hanging mail server must not
# hold it (and the worker) for ever.
EMAIL_TIMEOUT = env_int("TRYGG_EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("TRYGG_FROM_EMAIL", "Trygg <trygg@localhost>")
# The address people reach Trygg at, for links in e-mails (without a trailing slash).
TRYGG_BASE_URL = env_str("TRYGG_BASE_URL", "http://127.0.0.1:8000")

# How long the situation page keeps a computed picture (seconds; 0 computes every time). The
# page says when its figures were computed; packs and the annual report never use the cache.
TRYGG_PICTURE_CACHE_SECONDS = env_int("TRYGG_PICTURE_CACHE_SECONDS", 60)
# The largest photo a walk finding may carry, as sent (the phone makes them smaller first).
TRYGG_WALK_PHOTO_MAX_BYTES = env_int("TRYGG_WALK_PHOTO_MAX_BYTES", 10 * 1024 * 1024)
# Anonymous posts (residents' reports and "me too") one client address may make per hour.
TRYGG_CITIZEN_REPORTS_PER_HOUR = env_int("TRYGG_CITIZEN_REPORTS_PER_HOUR", 10)
# Open311 service requests one client application (one API key) may post per hour; a client's
# own ceiling set in the admin takes precedence. A municipality's app sends every resident's
# report through one key, so this is far above the per-address ceiling.
TRYGG_OPEN311_POSTS_PER_KEY_HOUR = env_int("TRYGG_OPEN311_POSTS_PER_KEY_HOUR", 300)

# Processes that prepare a large import (20,000 records or more) side by side; 0 means one per
# core this process may use (at most four), 1 prepares in this process alone.
TRYGG_IMPORT_PROCESSES = env_int("TRYGG_IMPORT_PROCESSES", 0)
# Records an import reads, prepares and writes at a time (decision 0034); its memory is about
# that many records' worth whatever the file's size. 0 means the default, 100,000.
TRYGG_IMPORT_BATCH_RECORDS = env_int("TRYGG_IMPORT_BATCH_RECORDS", 0)

# Map tiles are an outside service: off by default so the map works on a closed intranet
# (boundaries are drawn from our own areas). Set e.g. an internal tile server's URL template.
TRYGG_MAP_TILES_URL = env_str("TRYGG_MAP_TILES_URL", "")
TRYGG_MAP_TILES_ATTRIBUTION = env_str("TRYGG_MAP_TILES_ATTRIBUTION", "")
# Where the shared real data lives (police feed, boundaries); the demo loader reads from here.
TRYGG_SHARED_DATA = Path(
    env_str("TRYGG_SHARED_DATA", str(BASE_DIR.parent / "shared" / "data")) or ""
)
# Public outputs suppress counts below this (DESIGN §5).
TRYGG_SUPPRESSION_THRESHOLD = env_int("TRYGG_SUPPRESSION_THRESHOLD", 3)
# Days before a medborgarlöfte's follow-up period ends that its commitments' owners are reminded.
TRYGG_PROMISE_REMINDER_DAYS = env_int("TRYGG_PROMISE_REMINDER_DAYS", 14)
# Months an event keeps its free text and its exact position, for municipalities that have set
# no limits of their own; older events keep category, day and area (decision 0031).
TRYGG_EVENT_TEXT_RETENTION_MONTHS = env_int("TRYGG_EVENT_TEXT_RETENTION_MONTHS", 36)
TRYGG_EVENT_POSITION_RETENTION_MONTHS = env_int("TRYGG_EVENT_POSITION_RETENTION_MONTHS", 36)
# Months the audit log keeps its rows; the retention job deletes older ones.
TRYGG_AUDIT_RETENTION_MONTHS = env_int("TRYGG_AUDIT_RETENTION_MONTHS", 60)
# The accessibility statement (/tillganglighet/): the public body that publishes this
# installation, and where people report a barrier or ask for content in another form. Each
# installation sets its own; the page says when none is set.
TRYGG_ACCESSIBILITY_ORGANISATION = env_str("TRYGG_ACCESSIBILITY_ORGANISATION", "")
TRYGG_ACCESSIBILITY_EMAIL = env_str("TRYGG_ACCESSIBILITY_EMAIL", "")
TRYGG_ACCESSIBILITY_PHONE = env_str("TRYGG_ACCESSIBILITY_PHONE", "")
# Working days within which the publisher promises to answer such a message.
TRYGG_ACCESSIBILITY_RESPONSE_DAYS = env_int("TRYGG_ACCESSIBILITY_RESPONSE_DAYS", 10)

# --- HTTPS and what the browser is told to enforce --------------------------------------------
# In production (TRYGG_DEBUG off) Trygg is served over HTTPS unless TRYGG_HTTPS=0 says otherwise:
# plain http is redirected, cookies are sent over HTTPS only and browsers remember (HSTS) to
# never try http again.
HTTPS = env_bool("TRYGG_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
# The health check answers on plain http too: a load balancer's probe often comes from inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("TRYGG_HSTS_SECONDS", 365 * 24 * 60 * 60) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("TRYGG_HSTS_INCLUDE_SUBDOMAINS", True)
# Only a request to be put on the browsers' built-in list; nothing happens until the domain's
# owner submits it (hstspreload.org).
SECURE_HSTS_PRELOAD = env_bool("TRYGG_HSTS_PRELOAD", True)
# Behind a reverse proxy: the header it sets (and overwrites) with the client's address, e.g.
# X-Real-IP; REMOTE_ADDR is taken from it (trygg/core/proxy.py). Unset: REMOTE_ADDR as given.
TRYGG_CLIENT_ADDRESS_HEADER = env_str("TRYGG_CLIENT_ADDRESS_HEADER", "")
# Behind a reverse proxy that ends TLS: the header it sets (and overwrites) to say so.
SECURE_PROXY_SSL_HEADER = proxy_ssl_header("TRYGG_PROXY_SSL_HEADER")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = LANGUAGE_COOKIE_HTTPONLY = True
# The walk's field page (walks/field.js) reads the CSRF cookie: the token it kept offline may be
# older than the session. The cookie holds no session, only the CSRF secret.
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere: every script and style sheet is a file of ours. Photos
# are made smaller in the browser (canvas, blob: and data: URLs); map tiles come from the tile
# server named in TRYGG_MAP_TILES_URL, if any (decision 0004).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:", *source_of(TRYGG_MAP_TILES_URL)],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
# How long the worker may go without a beat before /healthz calls it stale. A job beats while
# it reports progress; one that reports none for longer than this looks stale while it runs.
TRYGG_WORKER_STALE_SECONDS = env_int("TRYGG_WORKER_STALE_SECONDS", 300)

# "json": one JSON object per line (time UTC, level, logger, message, and each request's
# method, path, status and duration; never a query string, body or user), for a log collector.
LOG_FORMAT = env_str("TRYGG_LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"TRYGG_LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "trygg.core.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("TRYGG_LOG_LEVEL", "INFO")},
    # Axes says something at every failed login; failures in a row and lockouts are warnings.
    "loggers": {"axes": {"level": "WARNING"}},
}
if LOG_FORMAT == "json":
    # A line per request, first in the chain so its duration covers every other middleware.
    MIDDLEWARE.insert(0, "trygg.core.logs.RequestLogMiddleware")
