"""The sitemap: live, public pages at the site's real address (SITE_BASE_URL), each with the
date of its own content. hreflang alternates are added when the English pages exist."""

import datetime
from urllib.parse import urlsplit

from django.utils import timezone
from wagtail.contrib.sitemaps import Sitemap

from api.common import absolute

# The content's own date on each page type (a case's 发布日期, a standard's 发布日期).
OWN_DATE_FIELDS = ("published_date", "issued_date")


def page_lastmod(page) -> datetime.datetime | None:
    """The page's own date where it has one, else when it was last published."""
    for name in OWN_DATE_FIELDS:
        value = getattr(page, name, None)
        if value is not None:
            return timezone.make_aware(datetime.datetime.combine(value, datetime.time()))
    return page.last_published_at or page.latest_revision_created_at


class PublicSitemap(Sitemap):
    def _urls(self, page, protocol, domain):
        urls, last_mods = [], []
        for item in self.paginator.page(page).object_list.iterator():
            lastmod = page_lastmod(item)
            for info in item.get_sitemap_urls(self.request):
                parts = urlsplit(info["location"])
                path = parts.path + (f"?{parts.query}" if parts.query else "")
                urls.append({**info, "location": absolute(path), "lastmod": lastmod})
                last_mods.append(lastmod)
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls
