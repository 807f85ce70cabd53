"""The platform's public address for links in emails and command output.

A declared WAGTAILADMIN_BASE_URL wins; otherwise the default Wagtail Site (hostname and port are
edited in the admin under 设置 → 站点), so a link never points at a development default.
"""

from django.conf import settings
from wagtail.models import Site


def base_url() -> str:
    declared = getattr(settings, "WAGTAILADMIN_BASE_URL", None)
    if declared:
        return declared.rstrip("/")
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url.rstrip("/") if site else ""


def with_root_paths(pages):
    """The pages, each holding the sites' root paths, read once for all of them. A page's URL
    needs them, and Wagtail reads them from the cache for each page unless the page (or a
    request) holds them, as it does once it has read them."""
    paths = Site.get_site_root_paths()
    for page in pages:
        page._wagtail_cached_site_root_paths = paths
        yield page


def absolute_url(path: str, request=None) -> str:
    """`path` as a full URL: from the request when there is one, else from `base_url()`."""
    if request is not None:
        return request.build_absolute_uri(path)
    return base_url() + path
