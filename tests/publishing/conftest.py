"""Fixtures for the publishing tests: a user per role, the two seed cities (绍兴市 is the city
roles' own city, 深圳市 the other), admin form helpers and generated upload files.

The seed cities already have their groups, collections and workflows: publishing's CityPage
signal creates them while the session's seed is loaded (tests/conftest.py)."""

import io
import struct
import zlib

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.test.utils.form_data import querydict_from_html

from cases.models import CityPage, GovernanceModel, WasteCategory

ROLES = {
    "国家管理员": ["国家管理员"],
    "国家审核": ["国家审核"],
    "绍兴 编辑": ["绍兴市 编辑"],
    "绍兴 审核": ["绍兴市 审核"],
}


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    """Uploads and stored import files go to the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PUBLISHING_IMPORT_DIR = tmp_path / "imports"


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
def role_user(make_user):
    """``role_user("绍兴 编辑")`` → a user in that role's groups; ``"匿名"`` → None."""
    made = {}

    def get(role):
        if role == "匿名":
            return None
        if role not in made:
            made[role] = make_user(f"user{len(made)}", *ROLES[role])
        return made[role]

    return get


@pytest.fixture
def shaoxing(db):
    return CityPage.objects.get(slug="shaoxing")


@pytest.fixture
def shenzhen(db):
    return CityPage.objects.get(slug="shenzhen")


@pytest.fixture
def terms(db):
    return {
        "model": GovernanceModel.objects.get(slug="hazardous"),
        "waste": WasteCategory.objects.get(slug="hazardous"),
    }


def page_form_data(client, url, **values) -> dict:
    """The page form at `url` as a browser would submit it, with `values` filled in."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    query = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data = {k: query.getlist(k) for k in query if "__prefix__" not in k}
    data.setdefault("body-count", ["0"])
    for key, value in values.items():
        data[key] = value if isinstance(value, list) else [value]
    return data


def case_values(title, terms, **extra) -> dict:
    return {
        "title": title,
        "summary": f"{title}的摘要。",
        "governance_model": str(terms["model"].pk),
        "waste_categories": [str(terms["waste"].pk)],
        **extra,
    }


@pytest.fixture
def form_data():
    return page_form_data


@pytest.fixture
def case_fields():
    return case_values


def png_bytes(width=8, height=8) -> bytes:
    """A real small PNG."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "green").save(buffer, "PNG")
    return buffer.getvalue()


def bomb_png(width=20_000, height=20_000) -> bytes:
    """A valid PNG header claiming width×height 1-bit pixels with a tiny IDAT of zeros: a few
    kilobytes on disk, 400 million pixels once decoded. Built row by row, never in memory."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def files():
    class Files:
        png = staticmethod(png_bytes)
        bomb = staticmethod(bomb_png)
        file = staticmethod(upload)

    return Files
