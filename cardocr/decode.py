"""Bytes to pictures: an image file, or the pages of a PDF drawn by poppler through pdf2image.

:func:`pages` yields what it can draw and nothing for a document it cannot (the pipeline then
finds no card); :func:`check` says, in plain words, why a document cannot be drawn at all, for
a caller that must tell "no card on it" from "cannot be read" (the sandbox's OCR_40001).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
import zlib
from collections.abc import Iterator

import numpy as np
import pdf2image
from pdf2image.exceptions import PDFInfoNotInstalledError, PDFPageCountError, PDFPopplerTimeoutError
from PIL import Image, ImageFile, ImageOps, JpegImagePlugin, PngImagePlugin

#: PDF pages are drawn at this resolution: a card printed at its real size (85.6 mm) comes out
#: about 670 px wide, enough for the warp to upscale cleanly; more only costs time.
PDF_DPI = 200
#: A page that would come out longer than this is drawn at this length instead, bounding memory.
PDF_MAX_SIDE = 3000
#: Only the first pages are searched for the card: the vendor expects a card, not a dossier.
PDF_MAX_PAGES = 3
PDF_TIMEOUT_S = 10.0
#: Pictures larger than this are not decoded at all (a decompression bomb, or not a card).
MAX_PIXELS = 50_000_000
#: Long side pictures are decoded at, at most: plenty for a card, and it bounds the work.
MAX_SIDE = 2400


#: The bytes each kind of file starts with (the same test as the sandbox's upload check).
MAGIC = {"jpeg": b"\xff\xd8\xff", "png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-"}


def sniff(data: bytes) -> str | None:
    """ "jpeg", "png" or "pdf" from the magic bytes, else None."""
    return next((kind for kind, magic in MAGIC.items() if data.startswith(magic)), None)


class Undecodable(Exception):
    """The bytes are not a picture or PDF this module can draw; the message says why, in plain words."""


#: What Pillow (and zlib under it) raises for a header it cannot read or picture data that is
#: damaged or cut short.
_PICTURE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, zlib.error, Image.DecompressionBombError)
#: Pillow's readers for the two kinds of picture; called directly they read the header only,
#: without Image.open's own decompression-bomb check, so the declared size can be reported.
_HEADER_READERS: dict[str, type[ImageFile.ImageFile]] = {
    "jpeg": JpegImagePlugin.JpegImageFile,
    "png": PngImagePlugin.PngImageFile,
}


def check(data: bytes) -> None:
    """Raise :class:`Undecodable` unless the document's first picture can be drawn.

    The cases :func:`pages` would pass over as "no card": a picture declaring more than
    :data:`MAX_PIXELS` (found from its header, before any pixel is decoded), a header that
    cannot be read, picture data that is damaged or cut short, and a PDF that poppler cannot
    open (damaged, or locked with a password), that has no pages or that takes longer than
    :data:`PDF_TIMEOUT_S` to open. A picture is decoded as :func:`pages` decodes it (a JPEG at
    reduced scale), so it costs a fraction of a read. A PDF page too large to draw at
    :data:`PDF_DPI` is no reason: it is drawn smaller. Without poppler installed a PDF cannot be
    checked here and passes.
    """
    kind = sniff(data)
    if kind is None:
        raise Undecodable("it is not a JPEG, PNG or PDF")
    if kind == "pdf":
        _check_pdf(data)
        return
    picture = _open_picture(data, kind)
    try:
        picture.draft("RGB", (MAX_SIDE, MAX_SIDE))  # what _image decodes: a JPEG at 1/2, 1/4 or 1/8 scale
        picture.load()
    except _PICTURE_ERRORS as exc:
        raise Undecodable(f"the {kind.upper()} picture data is damaged or cut short") from exc
    finally:
        picture.close()


def _open_picture(data: bytes, kind: str) -> Image.Image:
    """The picture opened lazily (header only), once its declared size is known to be within MAX_PIXELS."""
    label = kind.upper()
    try:
        with _HEADER_READERS[kind](io.BytesIO(data)) as header:
            width, height = header.size
    except _PICTURE_ERRORS as exc:
        raise Undecodable(f"the {label} header cannot be read") from exc
    if width < 1 or height < 1:
        raise Undecodable(f"the {label} declares a size of zero pixels")
    if width * height > MAX_PIXELS:
        raise Undecodable(
            f"the {label} is {width:,} × {height:,} pixels ({width * height / 1e6:,.0f} megapixels), "
            f"more than the {MAX_PIXELS // 1_000_000} megapixels that can be decoded"
        )
    try:
        return Image.open(io.BytesIO(data), formats=[label])
    except _PICTURE_ERRORS as exc:
        raise Undecodable(f"the {label} header cannot be read") from exc


def pages(data: bytes) -> Iterator[np.ndarray]:
    """Yield RGB pictures of the document: the image itself, or PDF pages one at a time.

    Lazy on purpose: the pipeline stops at the first page that holds a card, so page 2 of a
    PDF is only drawn when page 1 has none.
    """
    for picture, _ in sized_pages(data):
        yield picture


def sized_pages(data: bytes) -> Iterator[tuple[np.ndarray, tuple[int, int]]]:
    """:func:`pages`, each with the size (width, height) of what it shows as uploaded: the
    picture after its EXIF orientation (a large one is decoded smaller), or the PDF page as drawn."""
    kind = sniff(data)
    if kind == "pdf":
        for page in _pdf_pages(data):
            yield page, (page.shape[1], page.shape[0])
    elif kind is not None:
        yield _image(data, kind)
    else:
        raise Undecodable("not a JPEG, PNG or PDF")


def _image(data: bytes, kind: str) -> tuple[np.ndarray, tuple[int, int]]:
    picture = _open_picture(data, kind)  # the size check first: a bomb is never decoded
    try:
        # JPEG "draft" mode decodes a big photo at 1/2, 1/4 or 1/8 scale for a fraction of the cost.
        width, height = picture.size
        if picture.getexif().get(0x0112, 1) in (5, 6, 7, 8):  # EXIF Orientation: a quarter turn
            width, height = height, width
        picture.draft("RGB", (MAX_SIDE, MAX_SIDE))
        picture = ImageOps.exif_transpose(picture)  # phones store "turn me" in EXIF, not pixels
        if picture.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
            # 16-bit or float grey: convert("RGB") would clip every value to white.
            values = np.asarray(picture, dtype=np.float32)
            top = 65535.0 if picture.mode.startswith("I;16") or values.max() > 255 else 255.0
            picture = Image.fromarray(np.clip(values * (255.0 / top), 0, 255).astype(np.uint8))
        if picture.mode == "P" and "transparency" not in picture.info:
            picture = picture.convert("RGB")
        # Smaller first, then onto white: compositing a large transparent picture at full size
        # costs several times its decoded size in memory.
        picture.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.BILINEAR)
        if picture.mode in ("RGBA", "LA", "P", "PA"):
            picture = picture.convert("RGBA")
            white = Image.new("RGBA", picture.size, (255, 255, 255, 255))
            picture = Image.alpha_composite(white, picture)
        picture = picture.convert("RGB")
        return np.asarray(picture), (width, height)
    except _PICTURE_ERRORS as exc:
        raise Undecodable(f"the {kind.upper()} picture data is damaged or cut short") from exc


def _check_pdf(data: bytes) -> None:
    """Raise Undecodable unless poppler opens the PDF, in time, and finds a page in it."""
    if shutil.which("pdfinfo") is None:
        return  # cannot tell here; without poppler no PDF is read at all
    with tempfile.TemporaryDirectory(prefix="cardocr-") as folder:
        path = os.path.join(folder, "document.pdf")
        with open(path, "wb") as handle:
            handle.write(data)
        try:
            info = pdf2image.pdfinfo_from_path(path, first_page=1, last_page=1, timeout=PDF_TIMEOUT_S)
        except PDFPopplerTimeoutError as exc:
            raise Undecodable(f"opening the PDF took longer than {PDF_TIMEOUT_S:g} seconds") from exc
        except PDFPageCountError as exc:  # pdfinfo's own words say why it could not read the file
            if "password" in str(exc).lower():
                raise Undecodable("the PDF is locked with a password") from exc
            raise Undecodable("the PDF is damaged: its pages cannot be read") from exc
        except (PDFInfoNotInstalledError, OSError):
            return  # poppler would not start: cannot tell here
    if not int(info.get("Pages") or 0):
        raise Undecodable("the PDF has no pages")


def _pdf_pages(data: bytes) -> Iterator[np.ndarray]:
    if shutil.which("pdftoppm") is None or shutil.which("pdfinfo") is None:
        raise Undecodable("poppler-utils (pdfinfo, pdftoppm) is not installed")
    with tempfile.TemporaryDirectory(prefix="cardocr-") as folder:
        path = os.path.join(folder, "document.pdf")
        with open(path, "wb") as handle:
            handle.write(data)
        try:
            # One timed pdfinfo for the first pages' sizes, as poppler itself reads them.
            info = pdf2image.pdfinfo_from_path(path, first_page=1, last_page=PDF_MAX_PAGES, timeout=PDF_TIMEOUT_S)
        except (PDFPopplerTimeoutError, PDFPageCountError, PDFInfoNotInstalledError, OSError):
            return  # poppler cannot read it (damaged, encrypted, too slow): no pages
        for number in range(1, min(PDF_MAX_PAGES, int(info.get("Pages") or 0)) + 1):
            page = _render(path, number, _long_side(info, number), folder)
            if page is None:
                return  # poppler cannot draw it
            yield page


_PAGE_SIZE = re.compile(r"([0-9.]+) x ([0-9.]+) pts")


def _long_side(info: dict[str, object], number: int) -> float | None:
    """Page ``number``'s longer side in points, from pdfinfo's "Page    1 size: 595 x 842 pts"."""
    found = _PAGE_SIZE.match(str(info.get(f"Page {number:4d} size", "")))
    return max(float(found.group(1)), float(found.group(2))) if found else None


def _render(path: str, number: int, long_side: float | None, folder: str) -> np.ndarray | None:
    """Page ``number`` as RGB, or None when poppler cannot draw it.

    A page that would come out longer than ``PDF_MAX_SIDE`` at ``PDF_DPI`` (or whose size is
    unknown) is drawn at that length instead: pdf2image's ``size`` bounds memory. The page goes
    to a file, not a pipe: pdf2image's in-memory path holds poppler's output twice.
    """
    fits = long_side is not None and long_side * PDF_DPI / 72 <= PDF_MAX_SIDE
    name = f"page-{number}"
    try:
        drawn = pdf2image.convert_from_path(
            path, dpi=PDF_DPI, first_page=number, last_page=number, use_cropbox=True, timeout=PDF_TIMEOUT_S,
            size=None if fits else PDF_MAX_SIDE, output_folder=folder, single_file=True, output_file=name,
        )  # fmt: skip
        if not drawn:
            return None
        with drawn[0] as picture:
            return np.asarray(picture.convert("RGB"))
    except (PDFPopplerTimeoutError, PDFPageCountError, PDFInfoNotInstalledError, OSError, ValueError, SyntaxError,
            Image.DecompressionBombError):  # fmt: skip
        return None
    finally:
        for leftover in os.listdir(folder):
            if leftover.startswith(name):
                os.unlink(os.path.join(folder, leftover))
