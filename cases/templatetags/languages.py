"""The page's language in templates: `lang` attribute, the switcher and hreflang alternates to the
same page in the other language, and English content with the Chinese as fallback."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from cases import languages

register = template.Library()


@register.simple_tag
def html_lang() -> str:
    return languages.bcp47(get_language() or settings.LANGUAGE_CODE)


@register.simple_tag(takes_context=True)
def language_alternates(context) -> list[dict]:
    """The current page in every language: `hreflang`, name, path, absolute URL, and whether it
    is the language shown. Empty without a request (e.g. rendering outside a view)."""
    request = context.get("request")
    if request is None:
        return []
    current = get_language()
    names = dict(settings.LANGUAGES)
    return [
        {
            "hreflang": languages.bcp47(code),
            "name": names[code],
            "path": path,
            "url": request.build_absolute_uri(path),
            "current": code == current,
        }
        for code, path in languages.alternate_paths(request.get_full_path())
    ]


@register.simple_tag(takes_context=True)
def default_language_url(context) -> str:
    """The x-default alternate: the page in the default language (Chinese)."""
    request = context.get("request")
    if request is None:
        return ""
    path = translate_url(request.get_full_path(), settings.LANGUAGE_CODE)
    return request.build_absolute_uri(path)


@register.filter
def localized(obj, field: str):
    """`{{ page|localized:"title" }}`: the English field under /en/ where filled in, else the
    Chinese."""
    return languages.localized(obj, field)


@register.filter
def place(name: str) -> str:
    """`{{ "广东省"|place }}`: a region's name given as text, in English under /en/."""
    from cases.romanized import place_name

    return place_name(name)


@register.filter
def english_missing(obj) -> bool:
    """True on an English page whose content exists only in Chinese (the page shows a note)."""
    return languages.is_english() and not languages.has_english(obj)


@register.filter
def shows_english(obj) -> bool:
    """True on an English page whose English version exists."""
    return languages.is_english() and languages.has_english(obj)


@register.filter
def in_current_language(url: str) -> str:
    """A site path (e.g. a search result's stored `/cases/…` URL) under the active language."""
    if not url or not url.startswith("/"):
        return url
    return languages.from_default_language(url)
