"""Production: every secret comes from the environment (see settings/env.py)."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import ALLOWED_HOSTS, LOGGING, SECRET_KEY, WAGTAILADMIN_BASE_URL, env

if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")

# Wagtail's own workflow emails read only this setting: without a declared URL, the site's
# declared host name is its public address (never a development default).
if WAGTAILADMIN_BASE_URL is None:
    _local = ("*", "", "localhost", "127.0.0.1", "::1")
    _public_hosts = [h.lstrip(".") for h in ALLOWED_HOSTS if h not in _local]
    WAGTAILADMIN_BASE_URL = f"https://{_public_hosts[0]}" if _public_hosts else None

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# SAMEORIGIN, not DENY: the Wagtail admin shows page previews in a frame of the same site.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
SECURE_SSL_REDIRECT = env.get("DJANGO_SECURE_SSL_REDIRECT") != "false"
# Probes (load balancer, compose, the rehearsal) ask over plain http inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
SECURE_HSTS_SECONDS = int(env.get("DJANGO_HSTS_SECONDS"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# One JSON object a line for the log collector, unless LOG_FORMAT asks for text.
if env.get("LOG_FORMAT") != "text":
    LOGGING["handlers"]["console"]["formatter"] = "json"
