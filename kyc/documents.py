"""Checking, previewing and shrinking the documents a user uploads for NPWP OCR.

Verihubs accepts a JPEG, PNG or PDF of at most 5 MB. Everything here runs before the upload,
so that a salesperson learns what is wrong with a file from us, in plain words, instead of
from an OCR_40001 answer:

- :func:`inspect` identifies the file by its content (never by its name), checks that it is
  complete and safe to open, and reports its size, pages and pixel size.
- :func:`preview` draws page 1 (or the picture itself) small enough to show on screen.
- :func:`fit_to_limit` re-encodes a picture that is over the limit as a smaller JPEG.

Every rejection is a :class:`DocumentError` (a :class:`~kyc.errors.KycError`) whose message
says what is wrong and what is accepted.
"""

from __future__ import annotations

import io
import math
import os
import shutil
import subprocess
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from PIL import Image, ImageOps
from pypdf import PdfReader

from kyc.errors import KycError

__all__ = [
    "API_LIMIT_BYTES",
    "FIT_TARGET_BYTES",
    "MAX_IMAGE_PIXELS",
    "MAX_INPUT_BYTES",
    "MIN_LEGIBLE_LONG_SIDE",
    "PREVIEW_DPI",
    "PREVIEW_MAX_SIDE",
    "PREVIEW_TIMEOUT_S",
    "DocumentError",
    "DocumentInfo",
    "fit_to_limit",
    "format_size",
    "inspect",
    "preview",
]

Kind = Literal["jpeg", "png", "pdf"]

# --- Limits -------------------------------------------------------------------------------

#: What the sandbox accepts: the vendor's "5 MB" read as 5 MiB (5,242,880 bytes).
API_LIMIT_BYTES = 5 * 1024 * 1024
#: What fit_to_limit aims below, so that the result passes whichever way "5 MB" is read.
FIT_TARGET_BYTES = 5_000_000
#: Above this we refuse to even open a file: far beyond anything fit_to_limit should attempt,
#: and it keeps inspect() bounded in memory and time (Streamlit's own upload cap is 200 MB).
MAX_INPUT_BYTES = 50 * 1024 * 1024

#: Decompression-bomb guard. A PNG of a few kilobytes can declare 30000 x 30000 pixels and
#: need gigabytes once decoded. 50 megapixels covers every ordinary camera and scanner output
#: (a 48 MP phone photo is 8000 x 6000) while capping a decoded RGBA image at about 200 MB.
#: Pillow's own default (~89 MP, and only a warning below twice that) is too generous for a
#: laptop demo, so we set it process-wide on purpose, and we also check width * height from
#: the file header ourselves before any pixel is decoded.
MAX_IMAGE_PIXELS = 50_000_000
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
# Note: the truncation check relies on Pillow's default PIL.ImageFile.LOAD_TRUNCATED_IMAGES = False
# (a cut-short image raises instead of being padded with grey). This module never changes it;
# no other module should either. PNG truncation is also caught by our own chunk walk.

#: Text on an NPWP card stays readable for OCR down to about this long side.
MIN_LEGIBLE_LONG_SIDE = 1600
#: fit_to_limit never goes below this, even when asked for a tiny limit.
_FIT_MIN_LONG_SIDE = 640
#: fit_to_limit first brings huge photos down to this long side: an ID card needs nowhere near
#: 8000 px, and encoding at this size keeps the memory and time of each attempt bounded.
_FIT_MAX_LONG_SIDE = 4000
_FIT_QUALITIES = (90, 85, 80, 75, 70)
_FIT_DOWNSIZE_QUALITY = 80
_FIT_LAST_RESORT_QUALITIES = (70, 60, 50, 40)

#: PDF pages are drawn at this resolution for preview (A4 becomes 827 x 1169 px).
PREVIEW_DPI = 100
#: Callers may ask for a sharper rendering (e.g. for OCR), but never above this.
MAX_PREVIEW_DPI = 300
#: Longest side of a preview image.
PREVIEW_MAX_SIDE = 1600
#: Time limit for drawing page 1 of a PDF.
PREVIEW_TIMEOUT_S = 10.0
#: pdftoppm renders at most this many pixels each way (it crops beyond), so that a PDF page
#: declaring a 200-inch page cannot allocate gigabytes.
_RENDER_MAX_SIDE = 6000

ACCEPTED = "Upload a JPEG, PNG or PDF of 5 MB at most."

_MIME: dict[str, str] = {"jpeg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}
_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "jpeg": (".jpg", ".jpeg", ".jpe", ".jfif"),
    "png": (".png",),
    "pdf": (".pdf",),
}
_LABEL: dict[str, str] = {"jpeg": "JPEG", "png": "PNG", "pdf": "PDF"}

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# --- Errors -------------------------------------------------------------------------------

#: Generic wording for each code; the raised errors carry a more specific message.
DOC_MESSAGES: dict[str, str] = {
    "DOC_EMPTY": f"The file is empty. {ACCEPTED}",
    "DOC_UNSUPPORTED": f"This type of file is not accepted. {ACCEPTED}",
    "DOC_TRUNCATED": f"The file is incomplete: it stops part-way. {ACCEPTED}",
    "DOC_DAMAGED": f"The file is damaged and cannot be read. {ACCEPTED}",
    "DOC_ENCRYPTED": f"The PDF is password-protected. {ACCEPTED}",
    "DOC_TOO_MANY_PIXELS": f"The picture has too many pixels to open safely. {ACCEPTED}",
    "DOC_TOO_LARGE": f"The file is too large. {ACCEPTED}",
    "DOC_PDF_TOO_LARGE": "The PDF is over 5 MB and a PDF cannot be shrunk automatically. "
    "Export a smaller PDF, or upload a photo of the card as JPEG or PNG.",
    "DOC_PREVIEW_UNAVAILABLE": "PDF previews need poppler-utils, which is not installed here.",
    "DOC_PREVIEW_TIMEOUT": "Drawing the preview took too long and was stopped.",
    "DOC_PREVIEW_FAILED": "The preview could not be drawn.",
}


class DocumentError(KycError):
    """A document the app refuses before anything is sent to a vendor.

    ``code`` is one of :data:`DOC_MESSAGES`' keys; ``message`` tells a non-engineer what is
    wrong and what is accepted.
    """

    def __init__(self, code: str, message: str | None = None, retryable: bool = False) -> None:
        super().__init__(code, message if message is not None else DOC_MESSAGES.get(code), retryable=retryable)

    def __repr__(self) -> str:
        return f"DocumentError(code={self.code!r}, message={self.message!r})"


# --- Result -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentInfo:
    """What :func:`inspect` found out about a file.

    ``width`` and ``height`` are pixels for a picture (as displayed, i.e. after the EXIF
    orientation is applied) and PDF points (1/72 inch, rounded, of page 1's crop box as
    displayed, i.e. after its /Rotate) for a PDF; ``unit`` says which.
    """

    filename: str
    kind: Kind
    mime: str
    size_bytes: int
    size_label: str  # e.g. "4.8 MB"; binary units, rounded up so a file over the limit never reads "5.0 MB"
    pages: int  # 1 for a picture
    width: int
    height: int
    unit: Literal["px", "pt"]
    over_limit: bool  # size_bytes > API_LIMIT_BYTES: the sandbox (reading 5 MB as 5 MiB) refuses it
    near_limit: bool  # FIT_TARGET_BYTES < size_bytes <= API_LIMIT_BYTES: passes only if "5 MB" means 5 MiB
    extension_matches: bool  # False when the name's extension is missing or names another type

    @property
    def suggested_filename(self) -> str:
        """The filename with an extension that matches the content: a PNG named ``card.jpg`` gives ``card.png``."""
        if self.extension_matches:
            return self.filename
        stem = os.path.splitext(self.filename)[0]
        return (stem or "document") + _EXTENSIONS[self.kind][0]

    @property
    def dimensions_label(self) -> str:
        """``"1400 × 880 px"`` or ``"595 × 842 pt"``."""
        return f"{self.width} × {self.height} {self.unit}"


def format_size(size_bytes: int) -> str:
    """A short human size in binary units (1 MB = 1,048,576 bytes), always rounded up.

    Rounding up means a file of 5,242,881 bytes shows as "5.1 MB", never as a "5.0 MB" that
    the 5 MB limit then refuses.
    """
    if size_bytes < 1024:
        return f"{size_bytes} bytes"
    for unit, scale in (("KB", 1024), ("MB", 1024**2), ("GB", 1024**3)):
        value = math.ceil(size_bytes * 10 / scale) / 10
        if value < 1024 or unit == "GB":
            return f"{value:.1f} {unit}" if value < 100 else f"{math.ceil(value):.0f} {unit}"
    raise AssertionError("unreachable")  # pragma: no cover


# --- Public API ---------------------------------------------------------------------------


def inspect(data: bytes, filename: str) -> DocumentInfo:
    """Identify and check a document, or raise :class:`DocumentError`.

    The type comes from the content's magic bytes; the name is only compared against it. A
    picture is decoded in full (a photo cut short must not pass), after its declared pixel
    size has been checked against :data:`MAX_IMAGE_PIXELS`. A PDF must end properly, must not
    be encrypted and must yield at least one page.
    """
    name = _display_name(filename)
    if not data:
        raise DocumentError("DOC_EMPTY", f"{name} is empty (0 bytes). {ACCEPTED}")
    if len(data) > MAX_INPUT_BYTES:
        raise DocumentError(
            "DOC_TOO_LARGE",
            f"{name} is {format_size(len(data))}, far above the 5 MB limit and too large to "
            f"shrink here. {ACCEPTED}",
        )
    kind = _detect(data, name, filename)
    if kind == "pdf":
        pages, width, height = _check_pdf(data, name)
        unit: Literal["px", "pt"] = "pt"
    else:
        pages = 1
        width, height = _check_image(data, kind, name)
        unit = "px"
    size = len(data)
    return DocumentInfo(
        filename=filename,
        kind=kind,
        mime=_MIME[kind],
        size_bytes=size,
        size_label=format_size(size),
        pages=pages,
        width=width,
        height=height,
        unit=unit,
        over_limit=size > API_LIMIT_BYTES,
        near_limit=FIT_TARGET_BYTES < size <= API_LIMIT_BYTES,
        extension_matches=filename.lower().endswith(_EXTENSIONS[kind]),
    )


def preview(
    data: bytes,
    max_side: int = PREVIEW_MAX_SIDE,
    *,
    dpi: int = PREVIEW_DPI,
    timeout: float = PREVIEW_TIMEOUT_S,
) -> Image.Image:
    """Return an RGB picture of page 1 (or of the image), at most ``max_side`` pixels long.

    A PDF is drawn by poppler's ``pdftoppm``: page 1 only, at ``dpi`` (capped at
    :data:`MAX_PREVIEW_DPI`), stopped after ``timeout`` seconds. A picture is turned upright
    from its EXIF orientation, put on white where transparent, and scaled down.

    No page counting or other pass over the whole PDF happens here; :func:`inspect` does that.
    """
    if max_side < 1:
        raise ValueError("max_side must be positive")
    name = _display_name("")
    if not data:
        raise DocumentError("DOC_EMPTY", f"The file is empty (0 bytes). {ACCEPTED}")
    kind = _detect(data, name)
    if kind == "pdf":
        image = _render_pdf_page1(data, dpi=max(1, min(int(dpi), MAX_PREVIEW_DPI)), timeout=timeout)
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        return image
    image = _open_image(data, kind, name)
    try:
        # thumbnail() on an unloaded JPEG decodes at 1/2, 1/4 or 1/8 scale (libjpeg "draft"),
        # so a 12 MP photo costs a fraction of a full decode.
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        image.load()  # thumbnail() leaves a picture that already fits undecoded
    except (OSError, SyntaxError, ValueError, EOFError, zlib.error) as exc:
        raise _decode_error(exc, kind, name) from exc
    return _to_rgb(ImageOps.exif_transpose(image))


def fit_to_limit(data: bytes, limit: int = FIT_TARGET_BYTES) -> bytes:
    """Return ``data`` unchanged if it is at most ``limit`` bytes, else a JPEG that is.

    The picture is turned upright (EXIF orientation), put on white where transparent and
    re-encoded as JPEG, first at its own size with falling quality, then smaller, keeping the
    long side at least :data:`MIN_LEGIBLE_LONG_SIDE` pixels (so card text stays legible) unless
    the limit cannot be met otherwise. A photo with a long side over 4000 px is first brought
    down to 4000 px. Metadata such as EXIF (with any GPS position) is dropped.

    A PDF cannot be shrunk this way: that raises ``DOC_PDF_TOO_LARGE``. A limit that cannot be
    met even at a long side of 640 px raises ``DOC_TOO_LARGE``.
    """
    if len(data) <= limit:
        return data
    name = _display_name("")
    if len(data) > MAX_INPUT_BYTES:
        raise DocumentError(
            "DOC_TOO_LARGE",
            f"The file is {format_size(len(data))}, far above the 5 MB limit and too large to "
            f"shrink here. {ACCEPTED}",
        )
    kind = _detect(data, name)
    if kind == "pdf":
        raise DocumentError(
            "DOC_PDF_TOO_LARGE",
            f"This PDF is {format_size(len(data))}; the limit is 5 MB and a PDF cannot be shrunk "
            "automatically. Export a smaller PDF (fewer pages or lower image quality), or upload "
            "a photo of the card as JPEG or PNG.",
        )
    image = _load_for_fit(data, kind, name)

    def encode(img: Image.Image, quality: int) -> bytes:
        out = io.BytesIO()
        # optimize: Huffman tables tuned to the picture, a few % smaller at the same quality.
        img.save(out, "JPEG", quality=quality, optimize=True)
        return out.getvalue()

    # 1) Same size, falling quality: keeps every pixel of the text.
    sizes: dict[int, int] = {}
    for quality in _FIT_QUALITIES:
        last = encode(image, quality)
        if len(last) <= limit:
            return last
        sizes[quality] = len(last)

    # 2) Smaller, at a quality that keeps edges of letters clean. JPEG size grows roughly with
    #    the pixel count, so each step aims straight at the limit (with 5% headroom).
    long_side = max(image.size)
    floor = min(long_side, MIN_LEGIBLE_LONG_SIDE)
    side = long_side
    found = _shrink_until(image, encode, side, floor, _FIT_DOWNSIZE_QUALITY, sizes[_FIT_DOWNSIZE_QUALITY], limit)
    if found is not None:
        return found

    # 3) At the legibility floor, lower the quality.
    small = _resize_long_side(image, floor)
    for quality in _FIT_LAST_RESORT_QUALITIES:
        last = encode(small, quality)
        if len(last) <= limit:
            return last
        sizes[quality] = len(last)

    # 4) Only for very small limits: go below the floor, text may get hard to read.
    quality = _FIT_LAST_RESORT_QUALITIES[1]
    found = _shrink_until(image, encode, floor, _FIT_MIN_LONG_SIDE, quality, sizes[quality], limit)
    if found is not None:
        return found

    raise DocumentError(
        "DOC_TOO_LARGE",
        f"The picture could not be made smaller than {format_size(limit)} while staying "
        f"readable. Take a simpler photo of just the card, or crop it. {ACCEPTED}",
    )


# --- Type detection -----------------------------------------------------------------------


def _display_name(filename: str) -> str:
    """How a file is named in messages."""
    filename = (filename or "").strip()
    if not filename:
        return "The file"
    if len(filename) > 80:
        filename = filename[:77] + "..."
    return f'"{filename}"'


def _detect(data: bytes, name: str, filename: str = "") -> Kind:
    """Return the kind from the magic bytes, or raise DOC_UNSUPPORTED naming what it is."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(_PNG_SIGNATURE):
        return "png"
    if data.startswith(b"%PDF-"):
        return "pdf"
    # A file of a few bytes that starts like an accepted type was cut short, not mislabelled.
    for kind, magic in (("jpeg", b"\xff\xd8\xff"), ("png", _PNG_SIGNATURE), ("pdf", b"%PDF-")):
        if len(data) < len(magic) and magic.startswith(data):
            raise _truncated(kind, name)  # type: ignore[arg-type]
    what, hint = _describe_unsupported(data)
    extension = os.path.splitext(filename)[1]
    if extension.lower() in _EXTENSIONS["jpeg"] + _EXTENSIONS["png"] + _EXTENSIONS["pdf"]:
        what += f", even though its name ends in {extension}"
    raise DocumentError(
        "DOC_UNSUPPORTED",
        f"{name} is {what}. Only JPEG, PNG or PDF files of 5 MB at most are accepted.{hint}",
    )


def _describe_unsupported(data: bytes) -> tuple[str, str]:
    """A plain name for a file we do not take, and a hint on how to get an accepted one."""
    head = data[:64]
    convert = " Open it and save or export it as JPEG, PNG or PDF."
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "a GIF image", convert
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "a WebP image", convert
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"hevc", b"heim", b"heis", b"hevm", b"mif1", b"msf1"):
            return (
                "an HEIC photo (the iPhone default)",
                " On the iPhone choose Settings > Camera > Formats > Most Compatible, or "
                "export the photo as JPEG.",
            )
        if brand in (b"avif", b"avis"):
            return "an AVIF image", convert
        return "a video file", " Upload a photo or scan of the card instead."
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "a TIFF image", convert
    if head[:2] == b"BM":
        return "a BMP image", convert
    if head[:4] == b"PK\x03\x04":
        return "a ZIP archive or an Office document (Word, Excel)", " Save it as PDF first."
    if head[:4] == b"\xd0\xcf\x11\xe0":
        return "an old-style Office document", " Save it as PDF first."
    if head[:4] == b"8BPS":
        return "a Photoshop file", convert
    if _looks_like_text(data[:4096]):
        return "a text file, not a picture or PDF", ""
    return "neither a picture nor a PDF that this app recognises", ""


def _looks_like_text(sample: bytes) -> bool:
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A sample cut in the middle of a multi-byte character is still text.
        return exc.start >= len(sample) - 3
    return True


# --- Pictures -----------------------------------------------------------------------------


def _png_header(data: bytes, name: str) -> tuple[int, int]:
    """Walk the PNG chunks (lengths and CRCs, no decompression) and return IHDR's size.

    Pillow decodes a PNG whose final chunks are missing without complaint, so completeness is
    checked here: every chunk must be whole, with a correct CRC, up to IEND.
    """
    pos = len(_PNG_SIGNATURE)
    width = height = 0
    first = True
    while True:
        if pos + 8 > len(data):
            raise _truncated("png", name)
        length = int.from_bytes(data[pos : pos + 4], "big")
        ctype = data[pos + 4 : pos + 8]
        end = pos + 8 + length + 4
        if length > 0x7FFFFFFF:
            raise _damaged("png", name, "a chunk has an impossible length")
        if end > len(data):
            raise _truncated("png", name)
        if zlib.crc32(data[pos + 4 : end - 4]) != int.from_bytes(data[end - 4 : end], "big"):
            raise _damaged("png", name, "a checksum does not match")
        if first:
            if ctype != b"IHDR" or length != 13:
                raise _damaged("png", name, "the header is missing")
            width = int.from_bytes(data[pos + 8 : pos + 12], "big")
            height = int.from_bytes(data[pos + 12 : pos + 16], "big")
            if width == 0 or height == 0:
                raise _damaged("png", name, "it declares a size of zero pixels")
            # Decompression-bomb check straight from the header, before anything is decoded.
            _check_pixels(width, height, name)
            first = False
        if ctype == b"IEND":
            return width, height
        pos = end


def _check_pixels(width: int, height: int, name: str) -> None:
    if width * height > MAX_IMAGE_PIXELS:
        raise DocumentError(
            "DOC_TOO_MANY_PIXELS",
            f"{name} is {width:,} × {height:,} pixels ({width * height / 1e6:,.0f} megapixels); "
            f"the most this app opens is {MAX_IMAGE_PIXELS // 1_000_000} megapixels, to stay safe "
            f"from oversized images. Use a normal camera setting or resize the picture. {ACCEPTED}",
        )


def _open_image(data: bytes, kind: Kind, name: str) -> Image.Image:
    """Open a picture lazily (header only) after the pixel-count check; nothing is decoded yet."""
    if kind == "png":
        _png_header(data, name)
    try:
        image = Image.open(io.BytesIO(data), formats=[_LABEL[kind]])
    except Image.DecompressionBombError as exc:
        raise DocumentError(
            "DOC_TOO_MANY_PIXELS",
            f"{name} declares far more pixels than the {MAX_IMAGE_PIXELS // 1_000_000} megapixels "
            f"this app opens. {ACCEPTED}",
        ) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        # Pillow signals a bad header with any of these.
        if len(data) < 1024 or "truncated" in str(exc).lower():
            raise _truncated(kind, name) from exc
        raise _damaged(kind, name, "its header cannot be read") from exc
    width, height = image.size
    if width == 0 or height == 0:
        raise _damaged(kind, name, "it declares a size of zero pixels")
    _check_pixels(width, height, name)
    return image


def _check_image(data: bytes, kind: Kind, name: str) -> tuple[int, int]:
    """Decode the whole picture once (a truncated one raises) and return its displayed size."""
    image = _open_image(data, kind, name)
    width, height = image.size
    if kind == "jpeg":
        # Decode at 1/8 scale: every byte of the compressed data is still read, so a file cut
        # short still fails, at a fraction of the memory and time of a full decode.
        image.draft(None, (max(1, width // 8), max(1, height // 8)))
    try:
        image.load()
    except (OSError, SyntaxError, ValueError, EOFError, zlib.error) as exc:
        raise _decode_error(exc, kind, name) from exc
    orientation = image.getexif().get(0x0112, 1)
    if orientation in (5, 6, 7, 8):  # EXIF orientations that rotate by 90 degrees
        width, height = height, width
    return width, height


def _load_for_fit(data: bytes, kind: Kind, name: str) -> Image.Image:
    """Decode a picture for re-encoding: upright, flattened on white, RGB or L, ≤ _FIT_MAX_LONG_SIDE."""
    image = _open_image(data, kind, name)
    if kind == "jpeg" and max(image.size) > _FIT_MAX_LONG_SIDE:
        # Let libjpeg decode at a reduced scale that still leaves at least _FIT_MAX_LONG_SIDE.
        factor = max(image.size) / _FIT_MAX_LONG_SIDE
        image.draft(None, (max(1, int(image.width / factor)), max(1, int(image.height / factor))))
    try:
        image.load()
    except (OSError, SyntaxError, ValueError, EOFError, zlib.error) as exc:
        raise _decode_error(exc, kind, name) from exc
    image = ImageOps.exif_transpose(image)
    image = _to_rgb(image, keep_gray=True)
    if max(image.size) > _FIT_MAX_LONG_SIDE:
        image = _resize_long_side(image, _FIT_MAX_LONG_SIDE)
    return image


def _shrink_until(
    image: Image.Image,
    encode: Callable[[Image.Image, int], bytes],
    side: int,
    floor: int,
    quality: int,
    size_now: int,
    limit: int,
) -> bytes | None:
    """Step the long side down from ``side`` towards ``floor`` until the JPEG fits ``limit``.

    JPEG size grows roughly with the pixel count, so each step aims straight at the limit
    (with 5% headroom) instead of shrinking by a fixed factor.
    """
    while side > floor:
        side = max(floor, min(side - 1, int(side * math.sqrt(limit / size_now) * 0.95)))
        encoded = encode(_resize_long_side(image, side), quality)
        if len(encoded) <= limit:
            return encoded
        size_now = len(encoded)
    return None


def _to_rgb(image: Image.Image, keep_gray: bool = False) -> Image.Image:
    """Convert any Pillow mode to RGB (or L), putting transparent areas on white."""
    if image.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        # 16-bit grey: scale to 8 bits; a plain convert("L") would clip most values to white.
        image = image.convert("I").point(lambda v: v * (1 / 257)).convert("L")
    elif image.mode == "F":
        image = image.convert("L")
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    if keep_gray and image.mode in ("L", "1"):
        return image.convert("L")
    return image.convert("RGB") if image.mode != "RGB" else image


def _resize_long_side(image: Image.Image, long_side: int) -> Image.Image:
    scale = long_side / max(image.size)
    if scale >= 1:
        return image
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


def _truncated(kind: Kind, name: str) -> DocumentError:
    again = "Download or export the PDF again" if kind == "pdf" else "Copy the complete file again or take a new photo"
    return DocumentError(
        "DOC_TRUNCATED",
        f"{name} is incomplete: the {_LABEL[kind]} data stops part-way, as if the download or "
        f"copy was cut short. {again}. {ACCEPTED}",
    )


def _damaged(kind: Kind, name: str, reason: str) -> DocumentError:
    return DocumentError(
        "DOC_DAMAGED",
        f"{name} looks like a {_LABEL[kind]} but cannot be read: {reason}. Save or export it "
        f"again. {ACCEPTED}",
    )


def _decode_error(exc: BaseException, kind: Kind, name: str) -> DocumentError:
    if isinstance(exc, EOFError) or "truncated" in str(exc).lower():
        return _truncated(kind, name)
    return _damaged(kind, name, "its picture data is corrupt")


# --- PDF ----------------------------------------------------------------------------------


def _check_pdf(data: bytes, name: str) -> tuple[int, int, int]:
    """Return (pages, width, height) in points for page 1, or raise.

    pypdf and poppler both rebuild a damaged cross-reference table and happily report pages
    from half a file, so leniency is not trusted: the file must end with the ``%%EOF`` marker
    (within its last 1024 bytes, as the PDF specification and Acrobat allow). A PDF cut short
    loses exactly that. Then pypdf must walk the page tree and find page 1's box.
    """
    if b"%%EOF" not in data[-1024:]:
        raise _truncated("pdf", name)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on hostile input
        raise _damaged("pdf", name, "its structure is broken") from exc
    if encrypted:
        # Even PDFs that open without a password (only printing/copying restricted) are
        # refused: whether the vendor can open them is not documented, and "save without a
        # password" is a fix anyone can do.
        raise DocumentError(
            "DOC_ENCRYPTED",
            f"{name} is a password-protected (encrypted) PDF, which the service cannot open. "
            "Save or print it to a new PDF without a password, or upload a photo of the card "
            "as JPEG or PNG (5 MB at most).",
        )
    try:
        # pages[0] walks the whole page tree (pypdf bounds depth and size), so len() below
        # is the real page count, not the /Count the file claims.
        first = reader.pages[0]
        pages = len(reader.pages)
        box = first.cropbox
        width, height = abs(float(box.width)), abs(float(box.height))
        rotation = first.rotation
        first.get_contents()  # page 1's content must resolve
    except IndexError as exc:
        raise _damaged("pdf", name, "it has no pages") from exc
    except Exception as exc:  # noqa: BLE001 - see above
        raise _damaged("pdf", name, "its pages cannot be read") from exc
    if pages < 1:
        raise _damaged("pdf", name, "it has no pages")
    if width < 1 or height < 1:
        raise _damaged("pdf", name, "page 1 has no size")
    if rotation % 180 == 90:
        width, height = height, width
    return pages, round(width), round(height)


def _render_pdf_page1(data: bytes, *, dpi: int, timeout: float) -> Image.Image:
    """Draw page 1 with pdftoppm and return it as an RGB image.

    pdftoppm is called directly rather than through pdf2image: pdf2image runs ``pdfinfo`` (the
    whole file, without any time limit) and ``pdftoppm -v`` before every render, which makes a
    preview about 1.5 times slower than pdftoppm alone. Here there is one process, one page,
    one time limit.
    """
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise DocumentError(
            "DOC_PREVIEW_UNAVAILABLE",
            "PDF previews need poppler-utils (pdftoppm), which is not installed on this "
            "machine. Run `make run` (it installs it) or `sudo apt-get install poppler-utils`. "
            "The PDF can still be sent.",
        )
    fd, path = tempfile.mkstemp(prefix="kyc-preview-", suffix=".pdf")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        command = [
            exe, "-r", str(dpi), "-f", "1", "-l", "1", "-cropbox",
            "-W", str(_RENDER_MAX_SIDE), "-H", str(_RENDER_MAX_SIDE), path,
        ]  # fmt: skip
        try:
            # No output file given: pdftoppm writes a PPM to stdout. run() kills it on timeout.
            done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise DocumentError(
                "DOC_PREVIEW_TIMEOUT",
                f"Drawing page 1 of this PDF took longer than {timeout:g} seconds, so the "
                "preview was stopped. The PDF may be very complex; try a simpler PDF or a JPEG "
                "or PNG photo of the card.",
            ) from exc
        except OSError as exc:
            raise DocumentError(
                "DOC_PREVIEW_UNAVAILABLE",
                f"The PDF viewer (pdftoppm) could not be started: {exc.strerror or exc}.",
            ) from exc
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass
    stderr = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0 or not done.stdout:
        if "password" in stderr.lower():
            raise DocumentError(
                "DOC_ENCRYPTED",
                "This PDF is password-protected, so it cannot be shown or read. Save or print "
                "it to a new PDF without a password, or upload a photo of the card as JPEG or "
                "PNG (5 MB at most).",
            )
        raise DocumentError(
            "DOC_PREVIEW_FAILED",
            "Page 1 of this PDF could not be drawn; the file is probably damaged. Export it "
            f"again, or upload a photo of the card as JPEG or PNG. {ACCEPTED}",
        )
    try:
        image = Image.open(io.BytesIO(done.stdout), formats=["PPM"])
        image.load()
    except Exception as exc:  # noqa: BLE001 - renderer output we could not parse
        raise DocumentError("DOC_PREVIEW_FAILED", "The PDF viewer returned an unreadable picture.") from exc
    return image.convert("RGB") if image.mode != "RGB" else image
