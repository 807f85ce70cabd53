"""{% download_links "cases" %}: the listing's current filters as CSV/JSON/XLSX download links."""

from django import template
from django.urls import reverse

from api.downloads import FORMATS

register = template.Library()


@register.inclusion_tag("api/includes/download_links.html", takes_context=True)
def download_links(context, dataset: str):
    request = context["request"]
    query = request.GET.copy()
    for name in [name for name in query if name == "page" or not any(query.getlist(name))]:
        del query[name]
    base = reverse(f"api-v1:download-{dataset}")
    links = []
    for fmt in FORMATS:
        query["format"] = fmt
        links.append({"label": fmt.upper(), "url": f"{base}?{query.urlencode()}"})
    return {"links": links, "docs_url": reverse("api-docs")}
