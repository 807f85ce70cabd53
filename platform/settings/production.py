"""Production: every secret comes from the environment (see settings/env.py)."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import LOGGING, SECRET_KEY, env

if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")

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
