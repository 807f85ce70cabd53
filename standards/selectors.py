"""Read side of the cell layer: public standards, comparison sets, the register and its counts."""

import datetime

from django.db.models import Count, Q

from cases.models import CityPage, StandardPage
from standards import register_cache
from standards.models import Application, Cell

SEARCH_LIMIT = 2000


def public_standards():
    return StandardPage.objects.live().public()


def public_standard(page_id: int) -> StandardPage | None:
    return public_standards().filter(pk=page_id).first()


def comparable_standards(cell_type: str):
    return public_standards().filter(cell_type=cell_type).order_by("title")


# --- applications, as their city sees them ------------------------------------------------


def viewable_cities(user):
    """Cities whose applications `user` may see: where they may add pages (editors, reviewers,
    national roles). A city's people never see another city's applications."""
    from publishing.access import editable_cities

    return editable_cities(user)


def reviewable_cities(user):
    """Cities whose applications `user` may evaluate: where they may publish (reviewers)."""
    cities = CityPage.objects.order_by("path")
    if user.is_superuser:
        return cities
    if not user.is_active:
        return cities.none()
    return cities.filter(
        pk__in=[c.pk for c in cities if c.permissions_for_user(user).can_publish()]
    )


def applications_for(user):
    return Application.objects.filter(city__in=viewable_cities(user)).select_related(
        "city", "standard"
    )


def pending_applications_for(user):
    return applications_for(user).filter(status=Application.Status.SUBMITTED)


# --- the public register ---------------------------------------------------------------------


def cell_status_q(status: str) -> Q:
    return Q(status=status)


def register_queryset(filters: dict):
    """Cells matching the validated register filters (see forms.RegisterFilterForm)."""
    cells = Cell.objects.all()
    if filters.get("city"):
        cells = cells.filter(city=filters["city"])
    if filters.get("cell_type"):
        cells = cells.filter(cell_type=filters["cell_type"])
    if filters.get("standard"):
        cells = cells.filter(standard=filters["standard"])
    if filters.get("status"):
        cells = cells.filter(cell_status_q(filters["status"]))
    if filters.get("year"):
        year = filters["year"]
        # A date range (not __year) so the index on recognised_on is used.
        cells = cells.filter(
            recognised_on__gte=datetime.date(year, 1, 1),
            recognised_on__lt=datetime.date(year + 1, 1, 1),
        )
    if filters.get("q"):
        # One scan for the text match; the count, the two tallies and the page then work on
        # the matching ids (each would otherwise repeat the LIKE scan).
        q = filters["q"]
        # No ORDER BY here: ordered, SQLite walked the ordering index and read every row
        # through it (0.9 s at 50,000 cells); unordered it is one sequential scan. The page
        # orders the matches.
        ids = list(
            Cell.objects.filter(Q(name__contains=q) | Q(certificate_number=q))
            .order_by()
            .values_list("pk", flat=True)[:SEARCH_LIMIT]
        )
        cells = cells.filter(pk__in=ids)
    return cells


def city_titles() -> dict[int, str]:
    return dict(CityPage.objects.values_list("pk", "title"))


def register_rows(cells):
    """The columns a public listing or download shows (never application or contact data).
    No join to the city pages (it made SQLite leave the ordering index at 50,000 rows): the
    city titles come from `city_titles()`."""
    return cells.only(
        "certificate_number",
        "name",
        "cell_type",
        "city_id",
        "district",
        "standard_id",
        "standard_title",
        "standard_version",
        "score",
        "recognised_on",
        "expires_on",
        "status",
    )


def _tally(cells, field: str) -> list[tuple]:
    """(value of `field`, number of cells) pairs, one GROUP BY in the database."""
    return list(cells.order_by().values_list(field).annotate(n=Count("id")))


def _type_rows(tally) -> list[dict]:
    labels = {value: str(label) for value, label in StandardPage.CellType.choices}
    return sorted(
        ({"cell_type": t, "label": labels.get(t, t), "count": n} for t, n in tally),
        key=lambda r: (-r["count"], r["cell_type"]),
    )


def _city_rows(tally) -> list[dict]:
    titles = city_titles()
    return sorted(
        ({"city_id": c, "city": titles.get(c, ""), "count": n} for c, n in tally),
        key=lambda r: (-r["count"], r["city"]),
    )


def cell_counts_by_type(cells=None) -> list[dict]:
    """[{"cell_type", "label", "count"}] for every type with cells, largest first."""
    return _type_rows(_tally(Cell.objects.all() if cells is None else cells, "cell_type"))


def cell_counts_by_city(cells=None) -> list[dict]:
    """[{"city_id", "city", "count"}] for every city with cells, largest first."""
    return _city_rows(_tally(Cell.objects.all() if cells is None else cells, "city_id"))


def register_summary(filters: dict) -> dict:
    """The register page's figures for the validated filters: the number of matching cells
    and their tallies per city and per type, cached until the register changes
    (standards/register_cache.py). Two GROUP BY queries on a miss, none on a hit."""
    filters = {k: v for k, v in filters.items() if k != "page"}

    def compute():
        cells = register_queryset(filters)
        by_city = _tally(cells, "city_id")
        return {
            "count": sum(n for _, n in by_city),
            "by_city": by_city,
            "by_type": _tally(cells, "cell_type"),
        }

    raw = register_cache.cached("summary", filters, compute)
    return {
        "count": raw["count"],
        "by_city": _city_rows(raw["by_city"]),
        "by_type": _type_rows(raw["by_type"]),
    }


def register_years() -> list[int]:
    def compute():
        dates = Cell.objects.order_by("recognised_on").values_list("recognised_on", flat=True)
        first, last = dates.first(), dates.reverse().first()
        return list(range(last.year, first.year - 1, -1)) if first and last else []

    return register_cache.cached("years", {}, compute)
