"""Settings for 好差评, read from the environment (see README, "生产环境配置")."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from import_export.formats import base_formats

from .env import DEVELOPMENT_FIELD_KEY, env_bool, env_int, env_list, env_str, local_base_url

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
# The development default starts with "django-insecure-" so `check --deploy` flags it until replaced.
SECRET_KEY = env_str("SECRET_KEY", "django-insecure-development-only-change-me")
# Fernet key (urlsafe base64, 32 bytes) for applicant identity and phone numbers at rest.
FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY", DEVELOPMENT_FIELD_KEY)
if not FIELD_ENCRYPTION_KEY or not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY and FIELD_ENCRYPTION_KEY must not be empty (README, 生产环境配置)."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "pgtrigger",
    "import_export",
    "evaluations.axes_app.LoginProtectionConfig",  # django-axes (login lockout)
    "evaluations",
    "workorders",
    "reporting",
    "devices",
    "supervision",
    "questionnaires",
]

MIDDLEWARE = [
    # First: an address with NUL or control characters is a 404 before anything reads it (issue 14).
    "config.url_guard.ControlCharacterURLMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "evaluations.outage.UnavailableMiddleware",  # Redis unreachable in a view: 503, not 500
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy (CONTENT_SECURITY_POLICY below)
    "axes.middleware.AxesMiddleware",  # last, as axes asks: turns a locked-out login into its page
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
                "evaluations.care.care_mode",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/haochaping"),
        conn_max_age=0,  # the psycopg 3 pool below keeps connections instead
    )
}
# Two roles (README, 安全; config/database_roles.py): DATABASE_URL is the owner, which migrates and owns
# every table; after each migrate it creates and grants DATABASE_APP_ROLE, which may not delete ratings,
# truncate or alter anything. Web, worker and beat connect as that role: DATABASE_CONNECT_AS=app (same
# host and database as DATABASE_URL, DATABASE_APP_PASSWORD when the server asks for one).
DATABASE_APP_ROLE = env_str("DATABASE_APP_ROLE", "haochaping_app")
DATABASE_APP_PASSWORD = env_str("DATABASE_APP_PASSWORD", "")
DATABASE_CONNECT_AS = env_str("DATABASE_CONNECT_AS", "owner")
if DATABASE_CONNECT_AS not in ("owner", "app") or (DATABASE_CONNECT_AS == "app" and not DATABASE_APP_ROLE):
    raise ImproperlyConfigured("DATABASE_CONNECT_AS must be owner or app (app needs DATABASE_APP_ROLE).")
if DATABASE_CONNECT_AS == "app":
    DATABASES["default"]["USER"] = DATABASE_APP_ROLE
    DATABASES["default"]["PASSWORD"] = DATABASE_APP_PASSWORD
# Separate test databases let several test runs share one PostgreSQL server at once.
if env_str("TEST_DATABASE_NAME", ""):
    DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME", "")}
if env_bool("DB_POOL", True):
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DB_POOL_MIN", 2),
        "max_size": env_int("DB_POOL_MAX", 10),
        "timeout": env_int("DB_POOL_TIMEOUT", 10),
    }
# A streaming standby of default for the reporting reads (config/db_router.py, docs/scaling.md): same
# database, same role, same pool; writes and every read that may precede a write stay on default.
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = {
        **dj_database_url.parse(env_str("DATABASE_REPLICA_URL", ""), conn_max_age=0),
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        "TEST": {"MIRROR": "default"},  # a test database on a standby cannot be created; tests/replica
    }
    if DATABASE_CONNECT_AS == "app":
        DATABASES["replica"]["USER"] = DATABASE_APP_ROLE
        DATABASES["replica"]["PASSWORD"] = DATABASE_APP_PASSWORD
DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
# Redis down or hung must fail fast (issue 14 point 3): no cache call waits longer than this.
REDIS_TIMEOUT_SECONDS = env_int("REDIS_TIMEOUT_MS", 1000) / 1000
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "hcp"),
        "OPTIONS": {
            "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
            "socket_timeout": REDIS_TIMEOUT_SECONDS,
        },
    }
}

AUTH_USER_MODEL = "evaluations.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
# Chinese is the language of the product; English is offered on staff pages (base.html) for people
# who read it better, from locale/en (scripts/i18n_check.py keeps the catalogue complete).
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Generated files (exports); served to their owner through a view, never as public media.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions: staff share counter PCs, so sessions end with the browser and after a working day at most.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp 4): everything from our own origin, no inline script, no
# plugins, no framing. Found by loading every page type in Chromium (tests/test_csp_browser.py): the
# one inline thing left is the <style> element htmx adds for its loading indicators, allowed by its
# hash (htmx 2's htmx.min.js from django-htmx; the browser test fails if an upgrade changes it).
HTMX_INDICATOR_STYLE = "'sha256-faU7yAF8NxuMTNEwVmBz+VcYeIoBQ2EMHW3WaVxCvnk='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, HTMX_INDICATOR_STYLE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# HTTPS=1 in production behind TLS: redirects, secure cookies and HSTS (see README).
HTTPS = env_bool("HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers and compose probe over plain HTTP
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS", [])
# /healthz shows its checks' details (hosts, ports, errors) to staff and to this bearer token only.
HEALTHZ_TOKEN = env_str("HEALTHZ_TOKEN", "")

# django-import-export: one transaction per file, so a file with a bad row imports nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_FORMATS = [base_formats.XLSX, base_formats.CSV]

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queueing from a request while the broker is down or hung: give up within seconds (the caller marks
# the job failed or leaves the row to the beat). socket_timeout stays above the worker's 1 s BRPOP.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": REDIS_TIMEOUT_SECONDS, "socket_timeout": 2}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_BEAT_SCHEDULE_FILENAME = env_str(
    "CELERY_BEAT_SCHEDULE_FILENAME", str(BASE_DIR / ".celerybeat-schedule")
)
CELERY_BEAT_SCHEDULE = {
    # Every December day: warn the administrators while next year's holiday table is missing.
    "calendar-next-year-check": {
        "task": "evaluations.tasks.check_next_year_calendar",
        "schedule": crontab(hour=9, minute=0, month_of_year=12),
    },
    # The SMS outbox is sent every minute; a run that waited longer in the queue is dropped (the next comes).
    "sms-send-due": {
        "task": "evaluations.tasks.send_due_sms",
        "schedule": 60.0,
        "options": {"expires": 50},
    },
    # Reminders for completed, unrated cases (policy: after N hours; quiet hours are kept by the outbox).
    "rating-reminders": {"task": "evaluations.tasks.send_rating_reminders", "schedule": 600.0},
    # Closed evaluation windows: 未评 marker or default 满意, as the region's policy says.
    # Work orders: warnings before due dates, overdue flags and notices to the offices.
    "work-order-escalation": {
        "task": "workorders.tasks.escalate_work_orders",
        "schedule": crontab(minute="*/30"),
    },
    "rating-timeouts": {
        "task": "evaluations.tasks.apply_rating_timeouts",
        "schedule": crontab(minute="*/15"),
    },
    # Window devices: offline during opening hours, bursts of bad ratings (alerts raised once, by SMS).
    "device-alerts": {
        "task": "devices.tasks.check_device_alerts",
        "schedule": 60.0,
        "options": {"expires": 50},
    },
}

# Citizen pages: POSTs per client address per 10 minutes, and ratings per address in 2 minutes that
# are flagged for review. Halls whose public Wi-Fi puts everyone behind one address raise both.
CITIZEN_ADDRESS_LIMIT = env_int("CITIZEN_ADDRESS_LIMIT", 60)
CITIZEN_ADDRESS_BURST = env_int("CITIZEN_ADDRESS_BURST", 3)
# Public disclosure pages (/public/): requests per client address per minute.
PUBLIC_ADDRESS_LIMIT = env_int("PUBLIC_ADDRESS_LIMIT", 120)
TRUST_X_FORWARDED_FOR = env_bool("BEHIND_PROXY", False)

# Window devices (devices/services/alerts.py): a device without a heartbeat for this many minutes is
# offline; a window with DEVICE_BURST_BAD bad ratings within DEVICE_BURST_MINUTES raises an alert.
DEVICE_OFFLINE_MINUTES = env_int("DEVICE_OFFLINE_MINUTES", 10)
DEVICE_BURST_BAD = env_int("DEVICE_BURST_BAD", 3)
DEVICE_BURST_MINUTES = env_int("DEVICE_BURST_MINUTES", 30)

# Links in SMS and on receipts point here (the public address of the citizen pages); unset, the address
# `make run` serves on (HOST, PORT).
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "") or local_base_url()

# SMS outbox (evaluations/services/sms.py): the backend class, and for HttpGatewayBackend the gateway.
SMS_BACKEND = env_str("SMS_BACKEND", "evaluations.sms_backends.DatabaseBackend")
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL", "")
SMS_GATEWAY_KEY = env_str("SMS_GATEWAY_KEY", "")
SMS_GATEWAY_TIMEOUT = env_int("SMS_GATEWAY_TIMEOUT", 5)  # seconds
SMS_MAX_ATTEMPTS = env_int("SMS_MAX_ATTEMPTS", 6)  # then the row is "dead" until retried in the admin

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

AUTHENTICATION_BACKENDS = ["evaluations.login_throttle.LoginThrottleBackend", "evaluations.roles.RoleBackend"]

# Login throttling (django-axes). A username is locked from one address after 5 wrong passwords, for
# 30 minutes: 5 covers a clerk's typos and caps guessing at 240 tries a day per address and account.
# Username *and* address together, because the halls' counters share one public address (an
# address-only lock would shut out a whole hall) and a username-only lock would let anyone on the
# internet lock a clerk out. The address is ours (evaluations.http.client_address: the proxy's
# X-Forwarded-For entry when BEHIND_PROXY=1). A success clears the count; administrators unlock in
# the admin (访问尝试: delete the row).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "evaluations.http.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "evaluations.login_throttle.lockout_response"  # the Chinese page, 429

# Upstream push to the provincial / national 好差评 platform (reporting/upstream/, docs/upstream.md).
# Every rating, timeout marker and work-order milestone is written to an outbox; an empty UPSTREAM_URL
# switches sending off and the messages wait as pending until it is set.
UPSTREAM_URL = env_str("UPSTREAM_URL", "")
UPSTREAM_APP_ID = env_str("UPSTREAM_APP_ID", "")
UPSTREAM_KEY = env_str("UPSTREAM_KEY", "")  # the HMAC-SHA256 key agreed with the platform
UPSTREAM_TIMEOUT = env_int("UPSTREAM_TIMEOUT", 10)  # seconds per batch
UPSTREAM_BATCH = env_int("UPSTREAM_BATCH", 100)  # messages per POST
UPSTREAM_MAX_ATTEMPTS = env_int("UPSTREAM_MAX_ATTEMPTS", 10)  # then "dead" until retried in the admin
# The province's interface (reporting/upstream/profiles/): generic | zhejiang | shandong.
UPSTREAM_PROFILE = env_str("UPSTREAM_PROFILE", "generic")
UPSTREAM_DATA_SOURCE = env_str("UPSTREAM_DATA_SOURCE", "")  # dataSource; empty: the profile's default
# Shandong: SM2 keys in hex (ours private, the platform's public), appMark / appWord, the tenancy header.
UPSTREAM_SM2_PRIVATE_KEY = env_str("UPSTREAM_SM2_PRIVATE_KEY", "")
UPSTREAM_SM2_PLATFORM_KEY = env_str("UPSTREAM_SM2_PLATFORM_KEY", "")
UPSTREAM_APP_MARK = env_str("UPSTREAM_APP_MARK", "")
UPSTREAM_APP_WORD = env_str("UPSTREAM_APP_WORD", "")
UPSTREAM_TENANCY_ID = env_str("UPSTREAM_TENANCY_ID", "370000000000")
# Rollups: what changed in the last minutes is folded in every minute (rankings read only rollups).
CELERY_BEAT_SCHEDULE["rollup-refresh"] = {
    "task": "reporting.tasks.refresh_rollups",
    "schedule": 60.0,
    "options": {"expires": 50},
}
# Monthly circulars: checked every morning; from the month's first working day, a region's missing
# circular for last month is generated (idempotent).
CELERY_BEAT_SCHEDULE["monthly-circulars"] = {
    "task": "reporting.tasks.generate_monthly_circulars",
    "schedule": crontab(hour=6, minute=30),
}
# The hash chain over ratings (evaluations/services/sealing.py): sealed every minute, never at intake; a
# run stops before rows younger than this many seconds, so a commit in flight is not overtaken.
CHAIN_SEAL_SETTLE_SECONDS = env_int("CHAIN_SEAL_SETTLE_SECONDS", 60)
CELERY_BEAT_SCHEDULE["ratings-seal"] = {
    "task": "evaluations.tasks.seal_ratings",
    "schedule": 60.0,
    "options": {"expires": 50},
}
CELERY_BEAT_SCHEDULE["upstream-push"] = {
    "task": "reporting.tasks.push_upstream",
    "schedule": 60.0,
    "options": {"expires": 50},
}
