"""Request-level behaviour of the running service: the client address and security headers."""

from django.conf import settings
from xff.middleware import XForwardedForMiddleware


class ClientAddressMiddleware(XForwardedForMiddleware):
    """REMOTE_ADDR becomes the address the outermost trusted proxy saw (settings
    XFF_TRUSTED_PROXY_DEPTH, from TRUSTED_PROXY_DEPTH). With no proxy declared the header is not
    read at all: django-xff on its own would then trust the leftmost X-Forwarded-For entry,
    which any visitor can write."""

    def __call__(self, request):
        if not self.get_trusted_depth(request):
            return self.get_response(request)
        return super().__call__(request)


class PermissionsPolicyMiddleware:
    """Permissions-Policy on every response (Django has no setting for it)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.value)
        return response
