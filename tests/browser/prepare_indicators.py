# Run inside `manage.py shell -c` on the live server's database: example indicator values so the
# dashboard, comparison and map have something to draw. They are labelled as examples in their
# source (shown on the pages); the seed has no real city values for the known indicators.
from cases.models import CityPage
from indicators.models import Indicator, IndicatorValue

EXAMPLE = "示例数据（浏览器测试用，非真实统计）"
straw = Indicator.objects.get(code="P2019-17")
manure = Indicator.objects.get(code="P2019-18")
series = {
    "shaoxing": {2019: 88, 2020: 90, 2022: 93, 2023: 94},
    "shenzhen": {2021: 70, 2022: 75, 2023: 81},
    "chongqing": {2020: 85, 2021: 86, 2023: 91},
    "xuzhou": {2022: 92, 2023: 95},
}
for slug, years in series.items():
    city = CityPage.objects.get(slug=slug)
    for indicator in (straw, manure):
        for year, value in years.items():
            IndicatorValue.objects.update_or_create(
                city=city,
                indicator=indicator,
                year=year,
                defaults={
                    "value": value - (5 if indicator is manure else 0),
                    "baseline": 80,
                    "baseline_year": 2019,
                    "target": 98,
                    "target_year": 2025,
                    "source": EXAMPLE,
                    "status": IndicatorValue.Status.APPROVED,
                },
            )
