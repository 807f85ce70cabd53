"""Uploads are checked through their content, not only their first bytes: a PNG whose pixel data
inflates far beyond its header's dimensions (a zlib bomb behind an honest header) is refused, and
so are a truncated PDF, an Office file with a corrupted member, a zip bomb and a macro project."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from publishing.validators import validate_document_upload, validate_image_upload


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def inflating_png(width=10, height=10, inflated=20 * 1024 * 1024) -> bytes:
    """A valid-looking 10×10 RGB PNG whose IDAT inflates to 20 MB (300 bytes would do)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * inflated, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
    )


def honest_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), "green").save(buffer, "PNG")
    return buffer.getvalue()


def office(members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_a_png_that_inflates_far_beyond_its_header_is_refused():
    bomb = inflating_png()
    assert len(bomb) < 100 * 1024  # small on disk, 20 MB inflated
    with pytest.raises(ValidationError) as refused:
        validate_image_upload(upload("small.png", bomb))
    assert "解压炸弹" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        validate_document_upload(upload("small.png", bomb))


def test_an_honest_png_is_accepted_as_image_and_document():
    validate_image_upload(upload("ok.png", honest_png()))
    validate_document_upload(upload("ok.png", honest_png()))


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n",  # truncated: no %%EOF at the end
        b"%PDF-1.7\n%%EOF\n" + b"MZ" + b"\x00" * 5000,  # a program appended after the PDF
        b"MZ\x90\x00 %PDF-1.7\n%%EOF\n",  # the header must come first
    ],
)
def test_a_pdf_is_checked_at_both_ends(content):
    with pytest.raises(ValidationError):
        validate_document_upload(upload("report.pdf", content))


def test_a_complete_pdf_is_accepted():
    validate_document_upload(upload("report.pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"))


def test_an_office_file_with_a_corrupted_member_is_refused():
    content = bytearray(office({"word/document.xml": b"<document>" + b"x" * 2000 + b"</document>"}))
    # Flip bytes inside the compressed member data (after its local header), past the first KB.
    marker = content.index(b"word/document.xml") + len("word/document.xml") + 5
    content[marker : marker + 4] = b"\xff\xff\xff\xff"
    with pytest.raises(ValidationError):
        validate_document_upload(upload("plan.docx", bytes(content)))


def test_an_office_zip_bomb_is_refused():
    bomb = office({"word/document.xml": b"\x00" * (30 * 1024 * 1024)})
    with pytest.raises(ValidationError):
        validate_document_upload(upload("plan.docx", bomb))


def test_an_office_file_with_a_macro_project_is_refused():
    macro = office({"word/document.xml": b"<document/>", "word/vbaProject.bin": b"\x00" * 64})
    with pytest.raises(ValidationError):
        validate_document_upload(upload("plan.docx", macro))


def test_a_sound_office_file_is_accepted():
    validate_document_upload(upload("plan.docx", office({"word/document.xml": b"<document/>"})))
