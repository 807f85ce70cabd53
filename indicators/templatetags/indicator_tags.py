from django import template
from django.utils.translation import gettext

from indicators import charts, similarity, tables

register = template.Library()


@register.simple_tag
def similar_cities(city):
    """The five most similar public cities, with reasons and their most relevant cases."""
    return similarity.similar_cities(city)


register.filter("num", charts.number_text)
# The long tables' rows (indicators/tables.py says why they are not template loops).
register.simple_tag(tables.comparison_rows, name="comparison_rows")
register.filter("yearly_rows", tables.yearly_rows)


@register.simple_tag
def sparkline(spark, name):
    """A dashboard card's trend line, labelled with its indicator's name."""
    return spark.svg(name + gettext("逐年趋势，数据见下表"))


@register.simple_tag
def indicators_version():
    """The shared version stamp of indicator data (for `{% cache %}` keys)."""
    from indicators.cache import version

    return version()
