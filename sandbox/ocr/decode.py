"""Bytes to pictures: an image file, or the pages of a PDF drawn by poppler's pdftoppm."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator

import numpy as np
from PIL import Image, ImageOps

from ..uploads import sniff

#: PDF pages are drawn at this resolution: a card printed at its real size (85.6 mm) comes out
#: about 670 px wide, enough for the warp to upscale cleanly; more only costs time.
PDF_DPI = 200
#: pdftoppm crops anything beyond this many pixels per side, bounding memory for huge pages.
PDF_MAX_SIDE = 3000
#: Only the first pages are searched for the card: the vendor expects a card, not a dossier.
PDF_MAX_PAGES = 3
PDF_TIMEOUT_S = 10.0
#: Pictures larger than this are not decoded at all (a decompression bomb, or not a card).
MAX_PIXELS = 50_000_000
#: Long side pictures are decoded at, at most: plenty for a card, and it bounds the work.
MAX_SIDE = 2400


class Undecodable(Exception):
    """The bytes are not a picture or PDF this module can draw."""


def pages(data: bytes) -> Iterator[np.ndarray]:
    """Yield RGB pictures of the document: the image itself, or PDF pages one at a time.

    Lazy on purpose: the pipeline stops at the first page that holds a card, so page 2 of a
    PDF is only drawn when page 1 has none.
    """
    kind = sniff(data)  # the upload check's own test, so both agree on what a file is
    if kind == "pdf":
        yield from _pdf_pages(data)
    elif kind is not None:
        yield _image(data)
    else:
        raise Undecodable("not a JPEG, PNG or PDF")


def _image(data: bytes) -> np.ndarray:
    try:
        picture = Image.open(io.BytesIO(data))
        if picture.width * picture.height > MAX_PIXELS:
            raise Undecodable("picture too large")
        # JPEG "draft" mode decodes a big photo at 1/2, 1/4 or 1/8 scale for a fraction of the cost.
        picture.draft("RGB", (MAX_SIDE, MAX_SIDE))
        picture = ImageOps.exif_transpose(picture)  # phones store "turn me" in EXIF, not pixels
        if picture.mode in ("RGBA", "LA", "P", "PA"):
            picture = picture.convert("RGBA")
            white = Image.new("RGBA", picture.size, (255, 255, 255, 255))
            picture = Image.alpha_composite(white, picture)
        picture = picture.convert("RGB")
        picture.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.BILINEAR)
        return np.asarray(picture)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise Undecodable(f"picture cannot be decoded: {exc}") from exc


def _pdf_pages(data: bytes) -> Iterator[np.ndarray]:
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise Undecodable("pdftoppm (poppler-utils) is not installed")
    fd, path = tempfile.mkstemp(prefix="sandbox-ocr-", suffix=".pdf")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        for number in range(1, PDF_MAX_PAGES + 1):
            page = _render(exe, path, number)
            if page is None:
                return  # past the last page, or poppler cannot draw it
            yield page
    finally:
        os.unlink(path)


def _render(exe: str, path: str, number: int) -> np.ndarray | None:
    command = [
        exe, "-r", str(PDF_DPI), "-f", str(number), "-l", str(number), "-cropbox",
        "-W", str(PDF_MAX_SIDE), "-H", str(PDF_MAX_SIDE), path,
    ]  # fmt: skip
    try:
        # No output name: one PPM on stdout. run() kills pdftoppm when the time is up.
        done = subprocess.run(command, capture_output=True, timeout=PDF_TIMEOUT_S, check=False)
    except (subprocess.TimeoutExpired, OSError):
        return None
    if done.returncode != 0 or not done.stdout:
        return None
    try:
        return np.asarray(Image.open(io.BytesIO(done.stdout)).convert("RGB"))
    except (OSError, ValueError):
        return None
