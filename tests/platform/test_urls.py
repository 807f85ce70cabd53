"""platform/urls.py: /favicon.ico and the icons every page links."""

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_to_a_real_icon(client):
    # Static files are served by WhiteNoise (production) or runserver, not in tests: the route
    # must lead to the static icon, and that file must be an ICO.
    response = client.get("/favicon.ico")
    assert response.status_code in (301, 302)
    assert response["Location"] == "/static/icons/favicon.ico"
    with open(finders.find("icons/favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # the ICO signature


def test_every_page_links_its_icons_and_they_exist(client):
    content = client.get("/").content.decode()
    hrefs = re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="/static/([^"]+)"', content)
    assert {"icons/favicon.svg", "icons/favicon.ico", "icons/apple-touch-icon.png"} <= set(hrefs)
    for name in hrefs:
        assert finders.find(name), name
