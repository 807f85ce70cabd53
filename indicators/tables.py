"""The long data tables' rows, built here rather than by template loops: a comparison has a row
per city (200) and a dashboard a row per indicator and year (600), and the template loops were
most of a cold render's time. The tables' frame (caption, header) stays in the templates; these
rows hold the same figures the charts and the CSV downloads are built from.
"""

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from cases.languages import localized
from cases.romanized import place_name

from .charts import number_text as num


def _target(row) -> str:
    if row.target is None:
        return "—"
    return gettext("%(target)s（%(target_year)s）") % {
        "target": num(row.target),
        "target_year": row.target_year,
    }


def comparison_rows(rows) -> SafeString:
    """One `<tr>` per compared city: rank, city (linked to its dashboard), province, region
    tier, year, value, target, progress, source."""
    if not rows:
        return format_html(
            '<tr><td colspan="9">{}</td></tr>', gettext("符合条件的城市暂无已审核数值。")
        )
    return format_html_join(
        "\n",
        '<tr><td>{}</td><th scope="row"><a href="{}">{}</a></th><td>{}</td><td>{}</td>'
        '<td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td>'
        "<td>{}</td></tr>",
        (
            (
                rank,
                reverse("indicators:dashboard", args=[r.city.slug]),
                localized(r.city, "title"),
                place_name(r.city.province),
                gettext(r.city.tier) if r.city.tier else "",
                r.year,
                num(r.value),
                _target(r),
                "—" if r.progress.percent is None else f"{r.progress.percent}%",
                r.source,
            )
            for rank, r in enumerate(rows, 1)
        ),
    )


def yearly_rows(points) -> SafeString:
    """One `<tr>` per year of a dashboard series, "未报告" where the year has no approved value."""
    not_reported = gettext("未报告")
    return format_html_join(
        "",
        '<tr><th scope="row">{}</th><td class="num">{}</td></tr>',
        ((year, not_reported if value is None else num(value)) for year, value in points),
    )
