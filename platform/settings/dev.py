"""Local development on the embedded defaults (SQLite + the database search engine)."""

from .base import *  # noqa: F401,F403
from .base import MIDDLEWARE, env

DEBUG = True
# A development-only key; production.py refuses to start without DJANGO_SECRET_KEY.
SECRET_KEY = env.get("DJANGO_SECRET_KEY") or "dev-only-not-secret"
ALLOWED_HOSTS = ["*"]
WAGTAILADMIN_BASE_URL = env.get("WAGTAILADMIN_BASE_URL") or "http://127.0.0.1:8000"  # runserver
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Static files come from the finders here; WhiteNoise serves the collected files in production.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise.")]
