"""Pictures (JPEG and PNG): completeness and pixel-count checks, decoding, and fit_to_limit."""

from __future__ import annotations

import io
import math
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from PIL import Image, ImageOps

from kyc.documents.detect import identify
from kyc.documents.errors import display_name, format_size, refuse, truncated
from kyc.documents.kinds import LABEL, MAGIC, Kind
from kyc.documents.limits import FIT_TARGET_BYTES, MAX_IMAGE_PIXELS, MIN_LEGIBLE_LONG_SIDE
from kyc.i18n import N_

__all__ = ["check_image", "fit_to_limit", "open_image", "preview_image"]

# Pillow's own decompression-bomb guard is set process-wide, on purpose, to our limit. Its
# default (~89 MP, and only a warning below twice that) is too generous for a laptop demo;
# our own header check (_check_pixels) still runs first, before any pixel is decoded.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
# Note: the truncation check relies on Pillow's default PIL.ImageFile.LOAD_TRUNCATED_IMAGES = False
# (a cut-short image raises instead of being padded with grey). This package never changes it;
# no other module should either. PNG truncation is also caught by our own chunk walk.

#: fit_to_limit never goes below this, even when asked for a tiny limit.
_FIT_MIN_LONG_SIDE = 640
#: fit_to_limit first brings huge photos down to this long side: an ID card needs nowhere near
#: 8000 px, and encoding at this size keeps the memory and time of each attempt bounded.
_FIT_MAX_LONG_SIDE = 4000
_FIT_QUALITIES = (90, 85, 80, 75, 70)
_FIT_DOWNSIZE_QUALITY = 80
_FIT_LAST_RESORT_QUALITIES = (70, 60, 50, 40)

#: What Pillow raises for a header it cannot read.
_HEADER_ERRORS = (OSError, SyntaxError, ValueError)
#: What Pillow (and zlib under it) raises while decoding picture data that is cut short or corrupt.
_DECODE_ERRORS = (*_HEADER_ERRORS, EOFError, zlib.error)


# --- Checking -----------------------------------------------------------------------------


def check_image(data: bytes, kind: Kind, name: str) -> tuple[int, int]:
    """Decode the whole picture once (a truncated one raises) and return its displayed size."""
    image = open_image(data, kind, name)
    width, height = image.size
    if kind == "jpeg":
        # Decode at 1/8 scale: every byte of the compressed data is still read, so a file cut
        # short still fails, at a fraction of the memory and time of a full decode.
        image.draft(None, (max(1, width // 8), max(1, height // 8)))
    with _decoding(kind, name):
        image.load()
    orientation = image.getexif().get(0x0112, 1)
    if orientation in (5, 6, 7, 8):  # EXIF orientations that rotate by 90 degrees
        width, height = height, width
    return width, height


def open_image(data: bytes, kind: Kind, name: str) -> Image.Image:
    """Open a picture lazily (header only) after the pixel-count check; nothing is decoded yet."""
    if kind == "png":
        _png_header(data, name)
    try:
        image = Image.open(io.BytesIO(data), formats=[LABEL[kind]])
    except Image.DecompressionBombError as exc:
        raise refuse("far_too_many_pixels", name=name) from exc
    except _HEADER_ERRORS as exc:
        if len(data) < 1024 or "truncated" in str(exc).lower():
            raise truncated(kind, name) from exc
        raise refuse("damaged", kind, name=name, reason=N_("its header cannot be read")) from exc
    width, height = image.size
    if width == 0 or height == 0:
        raise refuse("damaged", kind, name=name, reason=N_("it declares a size of zero pixels"))
    _check_pixels(width, height, name)
    return image


def _png_header(data: bytes, name: str) -> tuple[int, int]:
    """Walk the PNG chunks (lengths and CRCs, no decompression) and return IHDR's size.

    Pillow decodes a PNG whose final chunks are missing without complaint, so completeness is
    checked here: every chunk must be whole, with a correct CRC, up to IEND.
    """
    pos = len(MAGIC["png"])
    width = height = 0
    first = True
    while True:
        if pos + 8 > len(data):
            raise truncated("png", name)
        length = int.from_bytes(data[pos : pos + 4], "big")
        ctype = data[pos + 4 : pos + 8]
        end = pos + 8 + length + 4
        if length > 0x7FFFFFFF:
            raise refuse("damaged", "png", name=name, reason=N_("a chunk has an impossible length"))
        if end > len(data):
            raise truncated("png", name)
        if zlib.crc32(data[pos + 4 : end - 4]) != int.from_bytes(data[end - 4 : end], "big"):
            raise refuse("damaged", "png", name=name, reason=N_("a checksum does not match"))
        if first:
            if ctype != b"IHDR" or length != 13:
                raise refuse("damaged", "png", name=name, reason=N_("the header is missing"))
            width = int.from_bytes(data[pos + 8 : pos + 12], "big")
            height = int.from_bytes(data[pos + 12 : pos + 16], "big")
            if width == 0 or height == 0:
                raise refuse("damaged", "png", name=name, reason=N_("it declares a size of zero pixels"))
            # Decompression-bomb check straight from the header, before anything is decoded.
            _check_pixels(width, height, name)
            first = False
        if ctype == b"IEND":
            return width, height
        pos = end


def _check_pixels(width: int, height: int, name: str) -> None:
    if width * height > MAX_IMAGE_PIXELS:
        raise refuse("too_many_pixels", name=name, width=width, height=height, megapixels=width * height / 1e6)


@contextmanager
def _decoding(kind: Kind, name: str) -> Iterator[None]:
    """Turn Pillow's errors while decoding picture data into DOC_TRUNCATED or DOC_DAMAGED."""
    try:
        yield
    except _DECODE_ERRORS as exc:
        if isinstance(exc, EOFError) or "truncated" in str(exc).lower():
            raise truncated(kind, name) from exc
        raise refuse("damaged", kind, name=name, reason=N_("its picture data is corrupt")) from exc


# --- Preview ------------------------------------------------------------------------------


def preview_image(data: bytes, kind: Kind, name: str, max_side: int) -> Image.Image:
    """The picture upright, on white where transparent, in RGB, at most ``max_side`` pixels long."""
    image = open_image(data, kind, name)
    with _decoding(kind, name):
        if image.mode in ("RGBA", "LA") and max(image.size) > 2 * max_side:
            # Pillow's smoothing resizes (and reduce()) of a picture with transparency first
            # make a premultiplied full-size copy: a 50 MP RGBA picture peaked at over 400 MB.
            # A nearest-neighbour step down to twice the preview size copies nothing big; put
            # on white there (a paste through its own alpha, no extra copies), LANCZOS then
            # smooths an RGB picture, which needs no premultiplied copy.
            factor = max(image.size) / (2 * max_side)
            step = image.resize(
                (max(1, round(image.width / factor)), max(1, round(image.height / factor))), Image.Resampling.NEAREST
            ).convert("RGBA")
            image = Image.new("RGB", step.size, "white")
            image.paste(step, mask=step)
            del step
        # thumbnail() on an unloaded JPEG decodes at 1/2, 1/4 or 1/8 scale (libjpeg "draft"),
        # so a 12 MP photo costs a fraction of a full decode.
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        image.load()  # thumbnail() leaves a picture that already fits undecoded
    return _to_rgb(ImageOps.exif_transpose(image))


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


# --- Shrinking ----------------------------------------------------------------------------


def fit_to_limit(data: bytes, limit: int = FIT_TARGET_BYTES) -> bytes:
    """Return ``data`` unchanged if it is at most ``limit`` bytes, else a JPEG that is.

    The picture is turned upright (EXIF orientation), put on white where transparent and
    re-encoded as JPEG, first at its own size with falling quality, then smaller, keeping the
    long side at least :data:`MIN_LEGIBLE_LONG_SIDE` pixels (so card text stays legible) unless
    the limit cannot be met otherwise. A photo with a long side over 4000 px is first brought
    down to 4000 px. Metadata such as EXIF (with any GPS position) is dropped.

    A PDF cannot be shrunk this way: that raises ``DOC_PDF_TOO_LARGE``. A limit that cannot be
    met even at a long side of 640 px raises ``DOC_TOO_LARGE``. Name the result with
    :func:`kyc.documents.jpeg_name`.
    """
    if len(data) <= limit:
        return data
    name = display_name("")
    kind = identify(data, name)
    if kind == "pdf":
        raise refuse("pdf_too_large", size=format_size(len(data)))
    image = _load_for_fit(data, kind, name)
    sizes: dict[int, int] = {}  # JPEG size at each quality that missed, to aim the shrinking steps

    # 1) Same size, falling quality: keeps every pixel of the text.
    found = _first_fitting(image, _FIT_QUALITIES, limit, sizes)
    if found is not None:
        return found

    # 2) Smaller, at a quality that keeps edges of letters clean.
    floor = min(max(image.size), MIN_LEGIBLE_LONG_SIDE)
    found = _shrink_until(image, max(image.size), floor, _FIT_DOWNSIZE_QUALITY, sizes[_FIT_DOWNSIZE_QUALITY], limit)
    if found is not None:
        return found

    # 3) At the legibility floor, lower the quality.
    found = _first_fitting(_resize_long_side(image, floor), _FIT_LAST_RESORT_QUALITIES, limit, sizes)
    if found is not None:
        return found

    # 4) Only for very small limits: go below the floor, text may get hard to read.
    quality = _FIT_LAST_RESORT_QUALITIES[1]
    found = _shrink_until(image, floor, _FIT_MIN_LONG_SIDE, quality, sizes[quality], limit)
    if found is not None:
        return found

    raise refuse("cannot_shrink", limit=format_size(limit))


def _load_for_fit(data: bytes, kind: Kind, name: str) -> Image.Image:
    """Decode a picture for re-encoding: upright, flattened on white, RGB or L, ≤ _FIT_MAX_LONG_SIDE."""
    image = open_image(data, kind, name)
    if kind == "jpeg" and max(image.size) > _FIT_MAX_LONG_SIDE:
        # Let libjpeg decode at a reduced scale that still leaves at least _FIT_MAX_LONG_SIDE.
        factor = max(image.size) / _FIT_MAX_LONG_SIDE
        image.draft(None, (max(1, int(image.width / factor)), max(1, int(image.height / factor))))
    with _decoding(kind, name):
        image.load()
    image = ImageOps.exif_transpose(image)
    image = _to_rgb(image, keep_gray=True)
    if max(image.size) > _FIT_MAX_LONG_SIDE:
        image = _resize_long_side(image, _FIT_MAX_LONG_SIDE)
    return image


def _encode_jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    # optimize: Huffman tables tuned to the picture, a few % smaller at the same quality.
    image.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()


def _first_fitting(image: Image.Image, qualities: Iterable[int], limit: int, sizes: dict[int, int]) -> bytes | None:
    """The first JPEG of ``image`` within ``limit``, trying ``qualities`` in order; records each size in ``sizes``."""
    for quality in qualities:
        encoded = _encode_jpeg(image, quality)
        if len(encoded) <= limit:
            return encoded
        sizes[quality] = len(encoded)
    return None


def _shrink_until(image: Image.Image, side: int, floor: int, quality: int, size_now: int, limit: int) -> bytes | None:
    """Step the long side down from ``side`` towards ``floor`` until the JPEG fits ``limit``.

    JPEG size grows roughly with the pixel count, so each step aims straight at the limit
    (with 5% headroom) instead of shrinking by a fixed factor.
    """
    while side > floor:
        side = max(floor, min(side - 1, int(side * math.sqrt(limit / size_now) * 0.95)))
        encoded = _encode_jpeg(_resize_long_side(image, side), quality)
        if len(encoded) <= limit:
            return encoded
        size_now = len(encoded)
    return None


def _resize_long_side(image: Image.Image, long_side: int) -> Image.Image:
    scale = long_side / max(image.size)
    if scale >= 1:
        return image
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)
