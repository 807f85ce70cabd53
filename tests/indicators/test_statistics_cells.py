"""The statistics page's 无废细胞 sections (standards/stats.py, found through the registry) count
the register's valid cells by type and by city, as the database does."""

import datetime

from django.urls import reverse

from standards import services
from standards.factories import make_cell
from standards.models import Cell

from .html_tables import tables


def test_cell_sections_equal_the_register(client, shaoxing, shenzhen):
    made = [
        make_cell(
            city=shaoxing if n % 2 else shenzhen,
            cell_type=["school", "community", "hospital"][n % 3],
            recognised_on=datetime.date(2024, 3, 1),
        )
        for n in range(7)
    ]
    services.revoke(made[0], "复查不合格")  # a revoked cell is not counted
    found = tables(client.get(reverse("indicators:statistics")).content.decode())

    valid = Cell.objects.filter(status=Cell.Status.VALID)
    by_city = {
        title: valid.filter(city__title=title).count() for title in (shaoxing.title, shenzhen.title)
    }
    assert {row[0]: int(row[1]) for row in found["chart-cells-by-city"]} == by_city
    by_type = {row[0]: int(row[1]) for row in found["chart-cells-by-type"]}
    assert sum(by_type.values()) == valid.count() == 6
    assert by_type["社区（小区）"] == valid.filter(cell_type="community").count()
