"""Fixtures for the exchange tests: editors of 绍兴 and 深圳 (seed cities with their groups),
another city's editor, national staff, and a request helper."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cases.models import CasePage, CityPage, WasteCategory
from exchange import services
from exchange.models import ExchangeRequest


@pytest.fixture
def make_user(db):
    def make(username, *group_names, **extra):
        user = get_user_model().objects.create_user(
            username, email=f"{username}@example.cn", password="pw", **extra
        )
        for name in group_names:
            user.groups.add(Group.objects.get(name=name))
        return user

    return make


@pytest.fixture
def cities(db):
    return {slug: CityPage.objects.get(slug=slug) for slug in ("shaoxing", "shenzhen", "chongqing")}


@pytest.fixture
def people(make_user):
    return {
        "sx": make_user("sx-ed", "绍兴市 编辑"),
        "sz": make_user("sz-ed", "深圳市 编辑"),
        "sz-rev": make_user("sz-rev", "深圳市 审核"),
        "cq": make_user("cq-ed", "重庆市 编辑"),
        "national": make_user("nat", "国家管理员"),
    }


@pytest.fixture
def fly_ash_visit(people, cities):
    """绍兴 asks 深圳 for a study visit about 飞灰 and 深圳's plasma case."""

    def make(**extra) -> ExchangeRequest:
        values = {
            "kind": ExchangeRequest.Kind.STUDY_VISIT,
            "from_city": cities["shaoxing"],
            "to_city": cities["shenzhen"],
            "topic": "飞灰无害化与资源化",
            "waste_categories": [WasteCategory.objects.get(slug="hw18")],
            "cases": [CasePage.objects.get(external_id="seed-shenzhen-07")],
            "start_date": datetime.date(2027, 3, 15),
            "end_date": datetime.date(2027, 3, 16),
            "message": "希望考察宝安垃圾焚烧厂的等离子气化工艺。",
        }
        values.update(extra)
        return services.create_request(people["sx"], **values)

    return make
