"""Chart geometry: bars in the rows' order with their own values, a zero line for negatives,
a sparkline broken at missing years, and a tile for every province with a count."""

from decimal import Decimal

from indicators import charts


def test_bars_keep_order_values_and_grow_with_the_value():
    chart = charts.bar_chart([("甲", 10), ("乙", 40), ("丙", -10)], "%")
    assert [(b.label, b.value, b.text) for b in chart.bars] == [
        ("甲", Decimal(10), "10%"),
        ("乙", Decimal(40), "40%"),
        ("丙", Decimal(-10), "-10%"),
    ]
    a, b, c = chart.bars
    assert b.width > a.width and a.x == chart.zero_x and c.x < chart.zero_x
    assert chart.height == 3 * (charts.BAR_HEIGHT + charts.BAR_GAP) + charts.BAR_GAP


def test_sparkline_breaks_at_missing_years():
    spark = charts.sparkline([(2019, 1), (2020, None), (2021, 3), (2022, 4)], target=5)
    assert len(spark.segments) == 2 and len(spark.dots) == 3
    assert spark.target_y is not None and (spark.first_year, spark.last_year) == (2019, 2022)
    assert charts.sparkline([(2020, None)]).segments == []


def test_tile_map_places_known_provinces():
    grid = charts.tile_map(
        [("440000", "广东省", "广东", 2, "深圳市"), ("999999", "无", "无", 1, "")]
    )
    assert [(t.code, t.level) for t in grid["tiles"]] == [("440000", 2)]
    assert len(charts.TILE_GRID) == 34
    assert len(set(charts.TILE_GRID.values())) == 34  # no two provinces on one tile
