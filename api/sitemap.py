"""The sitemap: live, public pages at the site's real address (SITE_BASE_URL), each with the
date of its own content, in both languages: each page once per language (/… and /en/…), each
entry with its hreflang alternates (zh-Hans, en, x-default = the Chinese)."""

from urllib.parse import urlsplit

from wagtail.contrib.sitemaps import Sitemap

from api.common import absolute
from cases import languages


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
                alternates = [
                    {"lang_code": languages.bcp47(code), "location": absolute(alternate)}
                    for code, alternate in languages.alternate_paths(path)
                ]
                default = {"lang_code": "x-default", "location": alternates[0]["location"]}
                for alternate in alternates:
                    urls.append(
                        {
                            **info,
                            "location": alternate["location"],
                            "lastmod": lastmod,
                            "alternates": [*alternates, default],
                        }
                    )
                last_mods.append(lastmod)
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls
