"""FaireAvec settings: one module, driven by environment variables (see .env.example)."""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: never used with DEBUG off (see above).
    SECRET_KEY = "dev-only-insecure-key-faireavec-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
# The platform's public address, for links in emails sent outside a request.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A refused form gets a page in the shell that says what to do, not Django's English one.
CSRF_FAILURE_VIEW = "faireavec.core.views.errors.csrf_failure"

# Applications -------------------------------------------------------------

# FaireAvec's own apps, in the order of the cycle. `manage.py demo` populates
# them in this order; the back-office navigation lists them in this order.
FAIREAVEC_APPS = [
    "faireavec.core",
    "faireavec.accounts",
    "faireavec.organisations",
    "faireavec.stakeholders",
    "faireavec.contributions",
    "faireavec.needs",
    "faireavec.processes",
    "faireavec.surveys",
    "faireavec.meetings",
    "faireavec.governance",
    "faireavec.sortition",
    "faireavec.opinions",
]

INSTALLED_APPS = [
    *FAIREAVEC_APPS,
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "phonenumber_field",
    "template_partials.apps.SimpleAppConfig",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Pages are compressed (with Django's BREACH mitigation): a participant page
    # weighs under 30 KB on an old phone (see core/tests/test_page_weight.py).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "faireavec.accounts.middleware.PreferencesMiddleware",
    "faireavec.accounts.middleware.SuperuserMFAMiddleware",
    "faireavec.organisations.tenancy.TenantMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            # django-template-partials' loader lets views render "app/page.html#partial".
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [
                        (
                            "django.template.loaders.cached.Loader",
                            [
                                "django.template.loaders.filesystem.Loader",
                                "django.template.loaders.app_directories.Loader",
                            ],
                        )
                    ],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "faireavec.core.context_processors.faireavec",
            ],
            # faireavec_forms: {% form_token %} in every create form, without a load.
            "builtins": [
                "template_partials.templatetags.partials",
                "faireavec.core.templatetags.faireavec_forms",
            ],
        },
    }
]

FORM_RENDERER = "faireavec.core.forms.AccessibleFormRenderer"

# Data ---------------------------------------------------------------------

VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'faireavec.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets the web process read while the task worker writes.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    # Sessions in the cache, written through to the database: every web process
    # reads them (no sticky sessions), and a restart of Redis signs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background tasks: "database" (the default: `manage.py db_worker`, nothing else to
# run), "rq" (Redis: `manage.py rqworker --job-class django_tasks_rq.Job`, for
# several machines), or "immediate" (run in the request; development only).
TASKS_BACKEND = env.str("TASKS_BACKEND", default="database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "rq": "django_tasks_rq.RQBackend",
        }[TASKS_BACKEND]
    }
}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS["default"]["QUEUES"] = ["default"]
    RQ_QUEUES = {
        "default": {
            "URL": REDIS_URL or "redis://127.0.0.1:6379/0",
            # A report or a draw may take minutes; a job killed with its worker is
            # found by the next worker's clean-up and retried (faireavec/core/jobs.py).
            "DEFAULT_TIMEOUT": 3600,
        }
    }
# `manage.py scheduler` enqueues the apps' periodic tasks (faireavec/core/scheduler.py);
# on a restart it enqueues the latest run it missed within this many seconds.
SCHEDULER_CATCH_UP = env.int("SCHEDULER_CATCH_UP", default=3600)

# People -------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
# Core (the ground floor) points at the organisation through this setting, as
# Django's own apps do at the user: its migrations then depend on no app above it.
FAIREAVEC_ORGANISATION_MODEL = "organisations.Organisation"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

ACCOUNT_LOGIN_METHODS = {"email"}
# Participants may sign up without a password and sign in with a code sent by email.
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1"]
ACCOUNT_SIGNUP_FORM_CLASS = "faireavec.accounts.forms.SignupForm"
ACCOUNT_FORMS = {
    "signup": "faireavec.accounts.signup.ParticipantSignupForm",
    "login": "faireavec.accounts.entrance.LoginForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# Long enough to find the email on an old phone; the pages and the email say how long.
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 10 * 60
ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND = 3  # « send me a new code », up to 3 times
ACCOUNT_PASSWORD_RESET_BY_CODE_TIMEOUT = 10 * 60
ACCOUNT_ADAPTER = "faireavec.accounts.entrance.AccountAdapter"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[FaireAvec] "
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
# allauth's default limits on failed logins, codes and resets stay on; they use the cache.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "FaireAvec"

# Mail ---------------------------------------------------------------------

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="FaireAvec <ne-pas-repondre@faireavec.local>"
)
# Where people write about an accessibility problem (shown on the accessibility statement).
ACCESSIBILITY_CONTACT_EMAIL = env.str(
    "ACCESSIBILITY_CONTACT_EMAIL", default="accessibilite@faireavec.local"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The platform's name, in emails that do not come from one organisation.
PLATFORM_NAME = "FaireAvec"
# A notification email the mail server refuses is tried again after these waits
# (seconds): 1 min, 10 min, 1 h, 6 h; after the last try it is shown as
# undelivered in the organisation's back office.
NOTIFICATION_EMAIL_RETRY_DELAYS = [60, 600, 3600, 6 * 3600]

# Languages and time -------------------------------------------------------

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# Files --------------------------------------------------------------------

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "static"))
if not DEBUG:
    # Static files served by the platform itself, compressed (gzip and Brotli, made
    # by collectstatic), with content-hashed names cached for a year. In
    # development, runserver serves them from the source folders.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Files only the right people may download (exports made by background jobs):
# never under MEDIA_ROOT, served through a permission-checked view.
PRIVATE_STORAGE_ROOT = env.path("PRIVATE_STORAGE_ROOT", default=str(VAR_DIR / "private"))
# Days a background job's file (an export) is kept; `manage.py purge_job_files`
# (daily, from cron) deletes older ones.
JOB_FILES_KEEP_DAYS = env.int("JOB_FILES_KEEP_DAYS", default=7)
# Exports (faireavec/core/exports.py): up to this many rows the file is made in
# the request; a larger one by a background job whose page shows its progress.
EXPORT_IN_REQUEST_MAX_ROWS = env.int("EXPORT_IN_REQUEST_MAX_ROWS", default=2000)
# Font files embedded in every PDF (faireavec/core/pdf.py): Andika, a font made
# for beginning readers (Debian package fonts-sil-andika, installed by make).
FAIREAVEC_PDF_FONT_DIR = env.path("PDF_FONT_DIR", default="/usr/share/fonts/truetype/andika")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Security -----------------------------------------------------------------

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies (load balancers) stand in front of the platform: rate
# limits then take the visitor's address from X-Forwarded-For, not the proxy's.
FAIREAVEC_TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = FAIREAVEC_TRUSTED_PROXIES
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# Phone numbers (django-phonenumber-field): typed the French way (« 03 20 12 34 56 »)
# or with a country prefix, stored as E.164, shown with the prefix (exports too).
PHONENUMBER_DEFAULT_REGION = "FR"
PHONENUMBER_DEFAULT_FORMAT = "INTERNATIONAL"
