"""The site's two languages (DESIGN.md: English is a second language of the same pages, under
/en/; Chinese stays the default and the fallback): which one a request shows, a page's content
in it, and the same path in the other language (switcher, hreflang, sitemap)."""

from collections.abc import Mapping

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, override, to_locale

ENGLISH = "en"


def is_english() -> bool:
    return (get_language() or "").lower() == ENGLISH


def localized(obj, field: str, *, english: bool | None = None):
    """`obj.<field>_en` where English is active (or asked for) and filled in, else `obj.<field>`
    — Chinese is the fallback. Works for pages, taxonomy terms (`name_en`), search documents
    (dicts) and anything else (an object without `<field>_en` gives `<field>`)."""
    if english is None:
        english = is_english()
    if isinstance(obj, Mapping):
        read = obj.get
    else:

        def read(name, default):
            return getattr(obj, name, default)

    if english:
        value = read(f"{field}_en", None)
        if value:
            return value
    return read(field, "")


def in_default_language(text) -> str:
    """A translatable label (a choice's) as the Chinese source: what search documents and
    import lookups hold, whichever language the request that builds them shows."""
    with override(settings.LANGUAGE_CODE):
        return str(text)


def has_english(obj) -> bool:
    """A page (or its search document) has an English version when its English title is set."""
    if isinstance(obj, Mapping):
        return bool(obj.get("title_en"))
    return bool(getattr(obj, "title_en", ""))


def bcp47(code: str) -> str:
    """zh-hans → zh-Hans, en → en: the form `lang` and `hreflang` use."""
    return to_locale(code).replace("_", "-")


def from_default_language(path: str, code: str | None = None) -> str:
    """A path of the default language (as stored, e.g. a search document's URL) in language
    `code` (default: the active one): /cases/… → /en/cases/…"""
    code = code or get_language() or settings.LANGUAGE_CODE
    # Resolved as the default language's path, then reversed in `code`.
    with override(settings.LANGUAGE_CODE):
        return translate_url(path, code)


def alternate_paths(path: str) -> list[tuple[str, str]]:
    """(language code, path) of `path` in every language, the default language first."""
    return [(code, translate_url(path, code)) for code, _name in settings.LANGUAGES]
