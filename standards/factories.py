"""Test data for the standards app: a scorecard standard written through the importer (so the
tests exercise the same path as the fixtures), applications and register cells."""

import datetime
import itertools

from cases import importing
from cases.models import CityPage, StandardPage

_numbers = itertools.count(1)

SAMPLE_DIMENSIONS = [
    {
        "name": "组织管理",
        "indicators": [
            {"code": "A1", "name": "工作方案", "max_score": 10, "method": "yesno"},
            {
                "code": "A2",
                "name": "管理台账",
                "max_score": 20,
                "method": "graded",
                "levels": [
                    {"label": "优", "points": 20},
                    {"label": "良", "points": 12},
                    {"label": "差", "points": 0},
                ],
            },
        ],
    },
    {
        "name": "设施与成效",
        "indicators": [
            {
                "code": "B1",
                "name": "分类投放点",
                "max_score": 30,
                "method": "deduction",
                "deduction": 4,
            },
            {
                "code": "B2",
                "name": "回收服务点",
                "max_score": 40,
                "method": "yesno",
                "required": False,
            },
        ],
    },
]


def standard_record(**overrides) -> dict:
    n = next(_numbers)
    record = {
        "type": "standard",
        "external_id": f"test-std-{n}",
        "title": f"测试无废学校标准 {n}",
        "cell_type": "school",
        "summary": "测试用评分表",
        "version": "1.0",
        "eligibility_items": ["近三年无严重失信记录", "材料真实"],
        "veto_items": ["发生固体废物污染事件"],
        "dimensions": SAMPLE_DIMENSIONS,
        "bonus_items": [
            {"code": "X1", "text": "校外实践", "points": 3},
            {"code": "X2", "text": "区级荣誉", "points": 4},
        ],
        "bonus_cap": 5,
        "pass_threshold": 80,
        "validity_years": 3,
    }
    record.update(overrides)
    return record


def make_standard(**overrides) -> StandardPage:
    page, _ = importing.upsert_standard(standard_record(**overrides), publish=True)
    return StandardPage.objects.get(pk=page.pk)


def make_cell(**fields):
    from standards.models import Cell

    n = next(_numbers)
    values = {
        "certificate_number": f"TEST-{n:06d}",
        "name": f"测试单位 {n}",
        "cell_type": "school",
        "city": CityPage.objects.order_by("path").first(),
        "recognised_on": datetime.date(2025, 1, 1),
        "expires_on": datetime.date(2028, 1, 1),
    }
    values.update(fields)
    return Cell.objects.create(**values)
