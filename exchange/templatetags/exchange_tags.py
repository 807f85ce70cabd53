from django import template

from exchange import selectors

register = template.Library()


@register.simple_tag
def accepted_exchanges(city):
    """Accepted study visits and twinnings of `city` for its public page: (request, the other
    city, whether `city` made the request)."""
    return [
        (x, x.other_city(city), x.from_city_id == city.pk)
        for x in selectors.accepted_for_city(city)
    ]
