"""Upload checks for images and documents, with messages an editor can act on.

Images: the type is decided by the content (JPEG, PNG, GIF, WEBP), not the file name, and must
match the extension; the file size is capped (WAGTAILIMAGES_MAX_UPLOAD_SIZE) and so is the pixel
count (WAGTAILIMAGES_MAX_IMAGE_PIXELS). Dimensions are read from the file header only, so a
"decompression bomb" (a small file that claims 20000×20000 pixels) is refused before any pixel
is decoded; then Pillow verifies the file's structure.

A PNG's pixel data is also inflated (streamed, never held whole) and refused when it inflates
far beyond what its header's dimensions need: a small, honest-looking header over a zlib bomb.

Documents: the extension must be in WAGTAILDOCS_EXTENSIONS (pdf, docx, xlsx, pptx, jpg, png)
and the content must be of that type, checked through the whole file, not only its first bytes:
a PDF starts with its header and ends with %%EOF (a truncated or padded upload does not); an
Office Open XML zip has the right part for docx/xlsx/pptx, every member passes its CRC, the
members inflate to a bounded size and ratio (no zip bomb) and there is no macro project; JPEG
and PNG documents pass the image checks. So a renamed program or a broken file is refused.
"""

import os
import struct
import zipfile
import zlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

IMAGE_FORMATS = {"JPEG": ("jpg", "jpeg"), "PNG": ("png",), "GIF": ("gif",), "WEBP": ("webp",)}
DEFAULT_DOCUMENT_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "jpg", "png"]
DEFAULT_MAX_DOCUMENT_SIZE = 50 * 1024 * 1024
OOXML_PARTS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
FORMAT_LABELS = {"JPEG": "JPEG", "PNG": "PNG", "GIF": "GIF", "WEBP": "WebP"}


def _extension(name: str) -> str:
    return os.path.splitext(name or "")[1].lower().lstrip(".")


def _read(f, offset: int, size: int) -> bytes:
    f.seek(offset)
    return f.read(size)


def sniff_image_format(head: bytes) -> str | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def _png_size(f):
    data = _read(f, 0, 33)
    if len(data) < 24 or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


def _gif_size(f):
    data = _read(f, 6, 4)
    return struct.unpack("<HH", data) if len(data) == 4 else None


def _webp_size(f):
    data = _read(f, 12, 18)
    if len(data) < 18:
        return None
    chunk = data[:4]
    if chunk == b"VP8X":
        width = int.from_bytes(data[12:15], "little") + 1
        height = int.from_bytes(data[15:18], "little") + 1
        return width, height
    if chunk == b"VP8L":
        bits = int.from_bytes(data[9:13], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 ":
        data = _read(f, 26, 4)
        if len(data) < 4:
            return None
        width, height = struct.unpack("<HH", data)
        return width & 0x3FFF, height & 0x3FFF
    return None


# JPEG start-of-frame markers (baseline, progressive, lossless …), not DHT/JPG/DAC.
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_size(f):
    offset = 2
    for _ in range(10_000):
        marker = _read(f, offset, 4)
        if len(marker) < 4 or marker[0] != 0xFF:
            return None
        kind = marker[1]
        if kind == 0xFF:  # fill byte
            offset += 1
            continue
        if kind in (0xD8, 0x01) or 0xD0 <= kind <= 0xD7:
            offset += 2
            continue
        length = struct.unpack(">H", marker[2:4])[0]
        if kind in _SOF:
            data = _read(f, offset + 5, 4)
            if len(data) < 4:
                return None
            height, width = struct.unpack(">HH", data)
            return width, height
        if kind == 0xDA:  # start of scan before any frame header
            return None
        offset += 2 + length
    return None


_SIZE_READERS = {"PNG": _png_size, "GIF": _gif_size, "WEBP": _webp_size, "JPEG": _jpeg_size}


def image_header(f) -> tuple[str | None, tuple[int, int] | None]:
    """(format, (width, height)) from the file's header, without decoding the image."""
    position = f.tell() if hasattr(f, "tell") else 0
    try:
        fmt = sniff_image_format(_read(f, 0, 16))
        size = _SIZE_READERS[fmt](f) if fmt else None
    except (OSError, struct.error):
        size = None
    finally:
        f.seek(position)
    return fmt, size


def _pixels_text(pixels: int) -> str:
    if pixels >= 100_000_000:
        return f"{pixels / 100_000_000:.1f} 亿像素"
    if pixels >= 10_000:
        return f"{pixels / 10_000:.0f} 万像素"
    return f"{pixels} 像素"


PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
INFLATE_STEP = 64 * 1024


def png_inflates_beyond_header(f) -> bool:
    """Whether the IDAT data inflates to more than twice what the IHDR dimensions need
    (plus a little for Adam7 interlacing). Streams through the chunks with bounded output."""
    position = f.tell()
    try:
        header = _read(f, 8, 25)
        if len(header) < 25 or header[4:8] != b"IHDR":
            return False
        width, height, depth, colour = struct.unpack(">IIBB", header[8:18])
        bits = PNG_CHANNELS.get(colour, 4) * depth
        needed = height * (1 + (width * bits + 7) // 8)
        limit = 2 * needed + 1024
        inflater, total, offset = zlib.decompressobj(), 0, 8
        while True:
            head = _read(f, offset, 8)
            if len(head) < 8:
                return False
            length, kind = struct.unpack(">I4s", head)
            if kind == b"IEND":
                return False
            if kind == b"IDAT":
                data = _read(f, offset + 8, length)
                while data:
                    total += len(inflater.decompress(data, INFLATE_STEP))
                    if total > limit:
                        return True
                    data = inflater.unconsumed_tail
            offset += 12 + length
    except (zlib.error, struct.error, OSError):
        return False  # a broken stream is Pillow's verify() to refuse
    finally:
        f.seek(position)


def validate_image_upload(f) -> None:
    """Raise ValidationError (Chinese message) unless `f` is an acceptable image upload."""
    name = getattr(f, "name", "") or ""
    max_size = getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", 10 * 1024 * 1024)
    size = getattr(f, "size", None)
    if max_size is not None and size is not None and size > max_size:
        raise ValidationError(
            f"文件“{name}”太大（{filesizeformat(size)}），图片不能超过 {filesizeformat(max_size)}。",
            code="file_too_large",
        )
    fmt, dimensions = image_header(f)
    allowed = "、".join(FORMAT_LABELS.values())
    if fmt is None:
        raise ValidationError(
            f"文件“{name}”不是支持的图片格式（按内容识别；支持 {allowed}）。",
            code="invalid_image_type",
        )
    extension = _extension(name)
    if extension not in IMAGE_FORMATS[fmt]:
        raise ValidationError(
            f"文件“{name}”的扩展名 .{extension or '（无）'} 与内容不符：内容是 "
            f"{FORMAT_LABELS[fmt]} 图片，请使用 .{IMAGE_FORMATS[fmt][0]} 扩展名。",
            code="invalid_image_extension",
        )
    if dimensions is None or 0 in dimensions:
        raise ValidationError(f"无法读取图片“{name}”的尺寸，文件可能已损坏。", code="invalid_image")
    width, height = dimensions
    max_pixels = getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", 128_000_000)
    if max_pixels is not None and width * height > max_pixels:
        raise ValidationError(
            f"图片“{name}”尺寸为 {width}×{height}（{_pixels_text(width * height)}），超过上限 "
            f"{_pixels_text(max_pixels)}，可能是“解压炸弹”，已拒绝。请缩小尺寸后再上传。",
            code="file_too_many_pixels",
        )
    if fmt == "PNG" and png_inflates_beyond_header(f):
        raise ValidationError(
            f"图片“{name}”的像素数据解压后远大于其标称尺寸 {width}×{height}，可能是“解压炸弹”，"
            "已拒绝。",
            code="file_too_many_pixels",
        )
    from PIL import Image

    position = f.tell()
    try:
        f.seek(0)
        with Image.open(f) as image:
            if image.format != fmt:
                raise ValidationError(
                    f"图片“{name}”的内容无法识别为 {FORMAT_LABELS[fmt]}。", code="invalid_image"
                )
            image.verify()
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 — any decoder error means a broken file
        raise ValidationError(
            f"图片“{name}”已损坏或不完整，无法读取。", code="invalid_image"
        ) from None
    finally:
        f.seek(position)


MAX_OOXML_INFLATED = 500 * 1024 * 1024
MAX_OOXML_RATIO = 200
PDF_TAIL = 2048


def _is_ooxml(f, extension: str) -> bool:
    """The right parts, every member's CRC good (the whole archive is read), a bounded inflated
    size and ratio, and no macro project."""
    try:
        with zipfile.ZipFile(f) as archive:
            members = archive.infolist()
            names = [m.filename for m in members]
            inflated = sum(m.file_size for m in members)
            compressed = sum(m.compress_size for m in members) or 1
            if inflated > MAX_OOXML_INFLATED or inflated / compressed > MAX_OOXML_RATIO:
                return False
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                return False
            if archive.testzip() is not None:
                return False
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error, NotImplementedError):
        return False
    return "[Content_Types].xml" in names and any(
        n.startswith(OOXML_PARTS[extension]) for n in names
    )


def _is_pdf(f, head: bytes) -> bool:
    if not head.startswith(b"%PDF-"):
        return False
    f.seek(0, os.SEEK_END)
    end = f.tell()
    f.seek(max(0, end - PDF_TAIL))
    return b"%%EOF" in f.read(PDF_TAIL)


def _is_image(f, fmt: str) -> bool:
    found, size = image_header(f)
    return found == fmt and bool(size) and not (fmt == "PNG" and png_inflates_beyond_header(f))


def sniff_document(f, extension: str) -> bool:
    """Whether the content of `f`, read through to its end, is of the type its extension says."""
    position = f.tell() if hasattr(f, "tell") else 0
    try:
        f.seek(0)
        head = f.read(1024)
        if extension == "pdf":
            return _is_pdf(f, head)
        if extension in OOXML_PARTS:
            if not head.startswith(b"PK\x03\x04"):
                return False
            f.seek(0)
            return _is_ooxml(f, extension)
        if extension in ("jpg", "jpeg"):
            return _is_image(f, "JPEG")
        if extension == "png":
            return _is_image(f, "PNG")
        return False
    finally:
        f.seek(position)


def validate_document_upload(f) -> None:
    """Raise ValidationError (Chinese message) unless `f` is an acceptable document upload."""
    name = getattr(f, "name", "") or ""
    allowed = [
        e.lower()
        for e in getattr(settings, "WAGTAILDOCS_EXTENSIONS", None) or DEFAULT_DOCUMENT_EXTENSIONS
    ]
    extension = _extension(name)
    if extension not in allowed:
        raise ValidationError(
            f"不支持“.{extension or '（无扩展名）'}”类型的文件“{name}”：只能上传 "
            f"{'、'.join(allowed)} 文件。",
            code="invalid_document_extension",
        )
    max_size = getattr(settings, "PUBLISHING_MAX_DOCUMENT_SIZE", DEFAULT_MAX_DOCUMENT_SIZE)
    size = getattr(f, "size", None)
    if max_size and size is not None and size > max_size:
        raise ValidationError(
            f"文件“{name}”太大（{filesizeformat(size)}），文档不能超过 {filesizeformat(max_size)}。",
            code="file_too_large",
        )
    if not sniff_document(f, extension):
        raise ValidationError(
            f"文件“{name}”的内容不是 .{extension} 文件（可能是改了扩展名的其他文件），已拒绝。",
            code="invalid_document_content",
        )
