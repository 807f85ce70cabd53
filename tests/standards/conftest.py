"""Fixtures for the cell-layer tests: users in the seed cities' roles (绍兴市 is the
applicants' city, 深圳市 the other), a scorecard standard of 绍兴市, evidence files kept in
the test's own folder."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cases.models import CityPage
from standards.factories import make_standard

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STANDARDS_EVIDENCE_ROOT = tmp_path / "evidence"
    from django.utils.functional import empty

    from standards.models.applications import evidence_storage

    evidence_storage._wrapped = empty  # the storage reads the setting again
    yield
    evidence_storage._wrapped = empty


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
def shaoxing(db):
    return CityPage.objects.get(slug="shaoxing")


@pytest.fixture
def shenzhen(db):
    return CityPage.objects.get(slug="shenzhen")


@pytest.fixture
def city_standard(shaoxing):
    return make_standard(city="绍兴市", title="绍兴市无废学校评价标准（测试）")


@pytest.fixture
def pdf():
    return PDF
