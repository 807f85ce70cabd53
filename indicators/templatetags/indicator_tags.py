from django import template

from indicators import similarity

register = template.Library()


@register.simple_tag
def similar_cities(city):
    """The five most similar public cities, with reasons and their most relevant cases."""
    return similarity.similar_cities(city)


@register.filter
def num(value):
    """A decimal without trailing zeros or exponent: 93.5000 → 93.5, 100 → 100."""
    if value is None or value == "":
        return "—"
    from decimal import Decimal

    return f"{Decimal(value).normalize():f}"


@register.simple_tag
def indicators_version():
    """The shared version stamp of indicator data (for `{% cache %}` keys)."""
    from indicators.cache import version

    return version()
