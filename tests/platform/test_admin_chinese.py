"""The zh-hans admin shows Chinese where Wagtail 8.0 ships no translation (the project's
locale/ folder), and avatars come from the site itself, not gravatar."""

import gettext
import re
from pathlib import Path

import pytest
from django.utils import translation

from cases.models import CasePage

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES"


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("Search all pages…", "搜索全部页面…"),
        ("Privacy and access", "隐私与访问"),
        ("Content metrics", "内容指标"),
        ("Your pages and snippets in a workflow", "您在工作流中的页面和片段"),
    ],
)
def test_missing_wagtail_strings_are_translated(english, chinese):
    with translation.override("zh-hans"):
        assert translation.gettext(english) == chinese


def test_plural_strings_use_the_count():
    with translation.override("zh-hans"):
        text = translation.ngettext(
            "There is one matching page", "There are %(counter)s matching pages", 3
        )
        assert text % {"counter": 3} == "共有 3 个匹配的页面"


@pytest.mark.django_db
def test_dashboard_and_editor_are_chinese(admin_client):
    dashboard = admin_client.get("/admin/").content.decode()
    assert "搜索全部页面" in dashboard and "Search all pages" not in dashboard
    case = CasePage.objects.first()
    editor = admin_client.get(f"/admin/pages/{case.id}/edit/").content.decode()
    assert "内容指标" in editor and "Content metrics" not in editor


@pytest.mark.django_db
def test_avatar_is_served_by_the_site(admin_client):
    dashboard = admin_client.get("/admin/").content.decode()
    avatars = re.findall(r'<img src="([^"]*avatar[^"]*)"', dashboard)
    assert avatars and all(src.startswith("/static/") for src in avatars)
    assert "gravatar" not in dashboard


def _po_messages(path: Path) -> dict[str, str]:
    messages, key, current = {}, None, None
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[0\])?) "(.*)"$', line)
        if match:
            current = match.group(1)
            if current == "msgctxt":
                key = {"msgctxt": match.group(2)}
            elif current == "msgid":
                key = dict(key or {}, msgid=match.group(2))
            elif current.startswith("msgstr"):
                ident = key["msgid"]
                if "msgctxt" in key:
                    ident = f"{key['msgctxt']}\x04{ident}"
                messages[ident] = match.group(2)
                key = None
    return {
        k.encode().decode("unicode_escape").encode("latin-1").decode("utf-8"): v.encode()
        .decode("unicode_escape")
        .encode("latin-1")
        .decode("utf-8")
        for k, v in messages.items()
        if k
    }


def test_compiled_catalogue_matches_the_po_file():
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalogue = {
        (k[0] if isinstance(k, tuple) else k): v for k, v in compiled._catalog.items() if k
    }
    for msgid, msgstr in _po_messages(LOCALE / "django.po").items():
        assert catalogue.get(msgid) == msgstr, msgid
