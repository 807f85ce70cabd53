"""The sitemap: live, public pages at the site's real address (SITE_BASE_URL), each with the
date of its own content. hreflang alternates are added when the English pages exist."""

from urllib.parse import urlsplit

from wagtail.contrib.sitemaps import Sitemap

from api.common import absolute


class PublicSitemap(Sitemap):
    def _urls(self, page, protocol, domain):
        urls, last_mods = [], []
        for item in self.paginator.page(page).object_list.iterator():
            # lastmod comes from the page itself (cases.models.pages.PageDateMixin: the date of
            # its information, its source date, or its first publication).
            for info in item.get_sitemap_urls(self.request):
                lastmod = info.get("lastmod")
                parts = urlsplit(info["location"])
                path = parts.path + (f"?{parts.query}" if parts.query else "")
                urls.append({**info, "location": absolute(path), "lastmod": lastmod})
                last_mods.append(lastmod)
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls
