"""Upload checks: images by content, size and pixel count (a decompression bomb is refused from
its header, with a clear message), documents by extension allow-list and content — through the
Wagtail admin upload views (single, multiple and chooser) and the validators directly."""

import io
import json
import os
import time
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection

from publishing import validators

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, make_user):
    client.force_login(make_user("media-editor", "绍兴市 编辑"))
    return client


@pytest.fixture
def collection():
    return Collection.objects.get(name="绍兴市", depth=2)


def _errors(response) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(json.loads(response.content), ensure_ascii=False)
    return response.content.decode()


def _image_bytes(fmt, size=(40, 30), noise=False) -> bytes:
    buffer = io.BytesIO()
    if noise:  # does not compress: the file is as big as the image
        image = PILImage.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = PILImage.new("RGB", size, "red")
    image.save(buffer, fmt)
    return buffer.getvalue()


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def test_a_decompression_bomb_png_is_refused_with_its_dimensions(editor_client, collection, files):
    bomb = files.bomb()
    assert len(bomb) < 200_000  # tiny on disk …
    tracemalloc.start()
    started = time.perf_counter()
    response = editor_client.post(
        "/admin/images/add/",
        {
            "title": "炸弹",
            "file": files.file("bomb.png", bomb, "image/png"),
            "collection": collection.pk,
        },
    )
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert response.status_code == 200
    html = _errors(response)
    assert "20000×20000" in html and "4.0 亿像素" in html and "超过上限" in html
    assert not Image.objects.filter(title="炸弹").exists()
    # … and refused without decoding it (400 million pixels would take hundreds of MB).
    assert peak < 60 * 1024 * 1024 and elapsed < 10


def test_a_bomb_is_refused_by_the_multiple_uploader_and_the_chooser_upload(
    editor_client, collection, files
):
    response = editor_client.post(
        "/admin/images/multiple/add/",
        {"files[]": files.file("bomb.png", files.bomb(), "image/png"), "collection": collection.pk},
    )
    assert "20000×20000" in _errors(response)
    response = editor_client.post(
        "/admin/images/chooser/create/",
        {
            "image-chooser-upload-title": "炸弹",
            "image-chooser-upload-file": files.file("bomb.png", files.bomb(), "image/png"),
            "image-chooser-upload-collection": collection.pk,
        },
    )
    assert "20000×20000" in _errors(response)
    assert not Image.objects.filter(title="炸弹").exists()


def test_an_image_with_the_wrong_extension_is_refused(editor_client, collection, files):
    response = editor_client.post(
        "/admin/images/add/",
        {
            "title": "假JPEG",
            "file": files.file("photo.jpg", files.png(), "image/jpeg"),
            "collection": collection.pk,
        },
    )
    html = _errors(response)
    assert "扩展名 .jpg 与内容不符" in html and "PNG" in html
    response = editor_client.post(
        "/admin/images/add/",
        {
            "title": "程序",
            "file": files.file("setup.png", b"MZ\x90\x00" + b"\x00" * 200, "image/png"),
            "collection": collection.pk,
        },
    )
    assert "不是支持的图片格式" in _errors(response)
    assert not Image.objects.filter(title__in=["假JPEG", "程序"]).exists()


def test_a_good_image_is_accepted_into_the_city_collection(editor_client, collection, files):
    response = editor_client.post(
        "/admin/images/add/",
        {
            "title": "好图片",
            "file": files.file("ok.png", files.png(), "image/png"),
            "collection": collection.pk,
        },
    )
    assert response.status_code == 302
    image = Image.objects.get(title="好图片")
    assert image.collection == collection and (image.width, image.height) == (8, 8)


def test_an_image_over_the_size_limit_is_refused(editor_client, collection, files, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
    response = editor_client.post(
        "/admin/images/add/",
        {
            "title": "太大",
            "file": files.file(
                "big.jpg", _image_bytes("JPEG", (100, 100), noise=True), "image/jpeg"
            ),
            "collection": collection.pk,
        },
    )
    assert "“big.jpg”太大" in _errors(response) and "图片不能超过" in _errors(response)
    assert not Image.objects.filter(title="太大").exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("report.pdf", b"MZ\x90\x00This program cannot be run in DOS mode", "内容不是 .pdf 文件"),
        ("setup.exe", b"MZ\x90\x00", "只能上传"),
        ("notes.txt", b"hello", "只能上传"),
        ("plan.docx", b"PK\x03\x04" + b"\x00" * 40, "内容不是 .docx 文件"),
        ("table.xlsx", "DOCX", "内容不是 .xlsx 文件"),  # a Word file renamed .xlsx
        ("photo.png", b"\xff\xd8\xff\xe0" + b"\x00" * 40, "内容不是 .png 文件"),
    ],
)
def test_documents_outside_the_allow_list_or_with_other_content_are_refused(
    editor_client, collection, files, name, content, message
):
    content = _docx() if content == "DOCX" else content
    response = editor_client.post(
        "/admin/documents/add/",
        {"title": "坏文件", "file": files.file(name, content), "collection": collection.pk},
    )
    assert message in _errors(response)
    assert not Document.objects.filter(title="坏文件").exists()


@pytest.mark.parametrize("name", ["plan.pdf", "plan.docx", "data.xlsx", "photo.jpg", "photo.png"])
def test_allowed_documents_are_accepted(editor_client, collection, files, name):
    from openpyxl import Workbook

    if name.endswith(".xlsx"):
        buffer = io.BytesIO()
        Workbook().save(buffer)
        content = buffer.getvalue()
    else:
        content = {
            "pdf": b"%PDF-1.7\n%test\ntrailer\n%%EOF\n",
            "docx": _docx(),
            "jpg": _image_bytes("JPEG"),
            "png": files.png(),
        }[name.rsplit(".", 1)[1]]
    response = editor_client.post(
        "/admin/documents/add/",
        {"title": f"好文件{name}", "file": files.file(name, content), "collection": collection.pk},
    )
    assert response.status_code == 302, _errors(response)[:2000]
    assert Document.objects.get(title=f"好文件{name}").collection == collection


def test_a_bad_document_is_refused_by_the_multiple_uploader(editor_client, collection, files):
    response = editor_client.post(
        "/admin/documents/multiple/add/",
        {"files[]": files.file("report.pdf", b"MZ\x90\x00"), "collection": collection.pk},
    )
    assert "内容不是 .pdf 文件" in _errors(response)
    assert not Document.objects.filter(file__contains="report").exists()


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "WEBP"])
def test_dimensions_are_read_from_the_header_of_every_allowed_format(fmt):
    data = _image_bytes(fmt, (321, 123))
    assert validators.image_header(io.BytesIO(data)) == (fmt, (321, 123))
    extension = {"JPEG": "jpg"}.get(fmt, fmt.lower())
    upload = io.BytesIO(data)
    upload.name, upload.size = f"x.{extension}", len(data)
    validators.validate_image_upload(upload)


def test_lossless_webp_and_progressive_jpeg_headers():
    buffer = io.BytesIO()
    PILImage.new("RGB", (77, 55), "blue").save(buffer, "WEBP", lossless=True)
    assert validators.image_header(io.BytesIO(buffer.getvalue())) == ("WEBP", (77, 55))
    buffer = io.BytesIO()
    PILImage.new("RGB", (99, 66), "blue").save(buffer, "JPEG", progressive=True)
    assert validators.image_header(io.BytesIO(buffer.getvalue())) == ("JPEG", (99, 66))


def test_a_truncated_image_is_refused(files):
    data = files.png()[:40]
    upload = io.BytesIO(data)
    upload.name, upload.size = "cut.png", len(data)
    with pytest.raises(ValidationError, match="已损坏"):
        validators.validate_image_upload(upload)
