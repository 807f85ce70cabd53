"""Fixtures for the indicator tests: the seed indicator system, users in the city roles (the
seed cities' groups exist: publishing's CityPage signal makes them while the seed loads)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cases.models import CityPage
from indicators import seeding


@pytest.fixture
def system(db):
    report = seeding.load_system()
    assert report.ok, report.lines()
    return report


@pytest.fixture
def make_user(db):
    def make(username, *group_names, **extra):
        user = get_user_model().objects.create_user(username, password="pw", **extra)
        for name in group_names:
            user.groups.add(Group.objects.get(name=name))
        return user

    return make


@pytest.fixture
def shaoxing(db):
    return CityPage.objects.select_related("region__parent").get(slug="shaoxing")


@pytest.fixture
def shenzhen(db):
    return CityPage.objects.select_related("region__parent").get(slug="shenzhen")


@pytest.fixture
def sx_editor(make_user):
    return make_user("sx-editor", "绍兴市 编辑")


@pytest.fixture
def sx_reviewer(make_user):
    return make_user("sx-reviewer", "绍兴市 审核")


@pytest.fixture
def sz_editor(make_user):
    return make_user("sz-editor", "深圳市 编辑")
