"""Settings shared by every environment; safe for production (no secrets, DEBUG off)."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url

from . import env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "platform"
DATA_DIR = (BASE_DIR / env.get("DATA_DIR")).resolve()

SECRET_KEY = env.get("DJANGO_SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env.get_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.get_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "cases",
    "search",
    "publishing",
    "matchmaking",
    "operations",
    "standards",
    "indicators",
    "api",
    "pagecache",
    "corsheaders",
    "exchange",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # First, so every log line of the request (and the response) carries its id.
    "log_request_id.middleware.RequestIDMiddleware",
    # The visitor's address from the trusted proxy hop, before anything counts it (rate limits,
    # login lockout, logs).
    "operations.middleware.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "operations.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Anonymous GETs from the page cache: after the language is known, before anything that
    # sets cookies or reads the user (so it sees what they did); outside it, per request: CORS,
    # CSP, security headers, request ids (pagecache/middleware.py).
    "pagecache.middleware.PageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: it answers the lockout page for a login the backend refused (see AXES_*).
    "axes.middleware.AxesMiddleware",
]

# Client address behind proxies: how many reverse proxies in front append to X-Forwarded-For
# (nginx = 1). 0 trusts no header: REMOTE_ADDR is the visitor. With N, the visitor is the N-th
# address from the right, the one the outermost trusted proxy saw; whatever a visitor sends
# further left is ignored (django-xff, via operations.middleware.ClientAddressMiddleware).
XFF_TRUSTED_PROXY_DEPTH = int(env.get("TRUSTED_PROXY_DEPTH") or 0)

# Content Security Policy for the public site: everything from the site itself, no inline
# script or style (templates keep theirs in platform/static). The Wagtail admin is excluded: it
# ships inline scripts and styles of its own.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
# Browser features the site never uses are switched off for it and anything it embeds.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

# Login throttling (django-axes): 5 failed logins lock the address, and the user name (against
# guessing from many addresses), for 15 minutes; a successful login resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "operations/locked_out.html"

ROOT_URLCONF = "wfc_platform.urls"
WSGI_APPLICATION = "wfc_platform.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cases.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env.get("DATABASE_URL").replace("sqlite:///data/", f"sqlite:///{DATA_DIR}/", 1),
        conn_max_age=60,
        # A kept connection is checked before each request reuses it, so after a database
        # restart every process reconnects instead of failing its first request.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers must wait, not fail with "database is locked": WAL lets readers run beside
    # the one writer, the busy timeout makes a writer wait for the lock (seconds), and IMMEDIATE
    # takes the write lock at BEGIN, so a transaction never fails while upgrading a read lock
    # (SQLite answers that deadlock with an immediate SQLITE_BUSY that no timeout helps).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL",
    }
# A database cache: shared by every gunicorn worker (rate limits must hold across them) and
# needing no extra server. `createcachetable` creates it (make run and the test runner do).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "wfc_cache",
    }
}
# The page cache's entries (pagecache/): whole responses, in their own table so they never
# crowd out the rate-limit counters and stamps. Production keeps them in Redis (below).
# PAGE_CACHE=file keeps them in files under DATA_DIR instead (bench/pages.py compares the two).
PAGE_CACHE_ENABLED = env.get("PAGE_CACHE") != "off"
PAGE_CACHE_ALIAS = "pages"
PAGE_CACHE_SECONDS = 24 * 3600
# Checks a kept answer passes before it is served (dotted paths of callables taking the request
# and returning a response to send instead, or None): the API's rate limit still counts hits.
PAGE_CACHE_HIT_CHECKS = ["api.api.throttle_cached_answer"]
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "wfc_cache_pages",
    "TIMEOUT": PAGE_CACHE_SECONDS,
    "OPTIONS": {"MAX_ENTRIES": 20_000, "CULL_FREQUENCY": 4},
}
if env.get("PAGE_CACHE") == "file":
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "pagecache"),
        "TIMEOUT": PAGE_CACHE_SECONDS,
        "OPTIONS": {"MAX_ENTRIES": 20_000, "CULL_FREQUENCY": 4},
    }
# Production: Redis, shared by every process, with atomic counters (rate limits) and version
# tokens for the per-process caches. A Redis outage must not take the site down with it, so
# cache errors are logged and treated as misses (IGNORE_EXCEPTIONS).
REDIS_URL = env.get("REDIS_URL")
if REDIS_URL:
    CACHES["default"] = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "wfc",
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": 2,
            "SOCKET_TIMEOUT": 2,
            "IGNORE_EXCEPTIONS": True,
        },
    }
    CACHES["pages"] = {
        **CACHES["default"],
        "KEY_PREFIX": "wfc-pages",
        "TIMEOUT": PAGE_CACHE_SECONDS,
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# Background tasks (django-tasks): run where they are enqueued by default; production sets
# TASKS_BACKEND=database and runs `manage.py db_worker` (docker-compose's worker service).
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[env.get("TASKS_BACKEND")]
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

WAGTAIL_SITE_NAME = "无废城市试点交流平台"
# None when undeclared: links in emails then come from the default Wagtail Site (cases.sites).
WAGTAILADMIN_BASE_URL = env.get("WAGTAILADMIN_BASE_URL") or None
WAGTAIL_I18N_ENABLED = False
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "jpg", "png"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# Uploads are checked by content (type, pixel count before decoding) — see publishing/validators.py.
WAGTAILIMAGES_IMAGE_FORM_BASE = "publishing.forms.CheckedImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "publishing.forms.CheckedDocumentForm"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "search.admin_backend", "AUTO_UPDATE": True},
}

# The exchange search (search/ app): which engine serves /search/ and /api/search/.
SEARCH_URL = env.get("SEARCH_URL")
SEARCH_INDEX_PREFIX = env.get("SEARCH_INDEX_PREFIX")
SEARCH_CJK_ANALYZER = env.get("SEARCH_CJK_ANALYZER")
SEARCH_INDEX_REPLICAS = int(env.get("SEARCH_INDEX_REPLICAS"))
JIEBA_CACHE_DIR = DATA_DIR / "cache"

DEFAULT_FROM_EMAIL = env.get("DEFAULT_FROM_EMAIL")

# Open data (api/ app): the public API under /api/v1/, downloads and the sitemap.
# The site's public address (scheme and host) for absolute links in the API and the sitemap.
SITE_BASE_URL = env.get("SITE_BASE_URL").rstrip("/")
# Requests per client address (REMOTE_ADDR; see NINJA_NUM_PROXIES) to /api/v1/.
API_RATE_LIMIT = env.get("API_RATE_LIMIT")
NINJA_NUM_PROXIES = 0
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "accept-language", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Link", "Retry-After"]
# Project translations that fill gaps in Wagtail's zh-hans admin.
LOCALE_PATHS = [BASE_DIR / "locale"]
# Avatars from outside (gravatar) are unreachable for many users; Wagtail's own default is used.
WAGTAIL_GRAVATAR_PROVIDER_URL = None


def _email_settings(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme == "smtp":
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or 25,
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_TLS": parts.port == 587,
        }
    return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}


globals().update(_email_settings(env.get("EMAIL_URL")))

# Request ids: nginx sends its $request_id as X-Request-ID; without a proxy one is generated.
# Every log line carries it, and the response returns it (a visitor can quote it).
LOG_REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"
GENERATE_REQUEST_ID_IF_NOT_IN_HEADER = True
REQUEST_ID_RESPONSE_HEADER = "X-Request-ID"
NO_REQUEST_ID = "-"

LOG_FORMAT = env.get("LOG_FORMAT") or "text"
# Everything goes to stderr (gunicorn's log, the container's log). The "django" logger is
# configured here because Django's own default prints request errors only with DEBUG on:
# without it a 500 under production settings leaves no traceback anywhere.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "log_request_id.filters.RequestIDFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "search": {"level": "INFO"},
        "cases": {"level": "INFO"},
        "matchmaking": {"level": "INFO"},
        "publishing": {"level": "INFO"},
        "operations": {"level": "INFO"},
    },
}
