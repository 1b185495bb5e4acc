"""PDFs: checking that one is complete and readable, and drawing page 1 with poppler (pdf2image)."""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
import time

import pdf2image
from pdf2image.exceptions import PDFInfoNotInstalledError, PDFPageCountError, PDFPopplerTimeoutError
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader

from kyc.documents.errors import refuse, truncated
from kyc.i18n import N_

__all__ = ["check_pdf", "render_page1"]

#: The longest side page 1 is drawn at: a PDF page declaring 200 inches is scaled down to it,
#: so that it cannot allocate gigabytes.
_RENDER_MAX_SIDE = 6000


def check_pdf(data: bytes, name: str) -> tuple[int, int, int]:
    """Return (pages, width, height) in points for page 1, or raise.

    pypdf and poppler both rebuild a damaged cross-reference table and happily report pages
    from half a file, so leniency is not trusted: the file must end with the ``%%EOF`` marker
    (within its last 1024 bytes, as the PDF specification and Acrobat allow). A PDF cut short
    loses exactly that. Then pypdf must walk the page tree and find page 1's box.
    """
    if b"%%EOF" not in data[-1024:]:
        raise truncated("pdf", name)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        is_encrypted = reader.is_encrypted
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on hostile input
        raise refuse("damaged", "pdf", name=name, reason=N_("its structure is broken")) from exc
    if is_encrypted:
        # Even PDFs that open without a password (only printing/copying restricted) are
        # refused: whether the vendor can open them is not documented, and "save without a
        # password" is a fix anyone can do.
        raise refuse("encrypted", name=name)
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
        raise refuse("damaged", "pdf", name=name, reason=N_("it has no pages")) from exc
    except Exception as exc:  # noqa: BLE001 - see above
        raise refuse("damaged", "pdf", name=name, reason=N_("its pages cannot be read")) from exc
    if pages < 1:
        raise refuse("damaged", "pdf", name=name, reason=N_("it has no pages"))
    if width < 1 or height < 1:
        raise refuse("damaged", "pdf", name=name, reason=N_("page 1 has no size"))
    if rotation % 180 == 90:
        width, height = height, width
    return pages, round(width), round(height)


def render_page1(data: bytes, name: str, *, dpi: int, timeout: float) -> Image.Image:
    """Draw page 1 with poppler through pdf2image and return it as an RGB image.

    Two poppler steps, both within ``timeout`` seconds in all: ``pdfinfo`` reads page 1's size,
    then ``convert_from_path`` draws page 1 only, at ``dpi``. A page that would come out longer
    than :data:`_RENDER_MAX_SIDE` is drawn at that length instead (pdf2image's ``size``), so a
    PDF declaring a 200-inch page cannot allocate gigabytes; the size is poppler's own, the
    same reading the renderer uses. The page goes to a temporary folder and is read from
    there: pdf2image's in-memory path holds poppler's output twice.

    Inside ``convert_from_path`` pdf2image runs ``pdfinfo`` again (for the page count) and
    ``pdftoppm -v``, without a time limit; the first, timed ``pdfinfo`` has just done the same
    work on the same file. docs/benchmarks.md gives what the extra processes cost.
    """
    _require_poppler()
    deadline = time.monotonic() + timeout
    with tempfile.TemporaryDirectory(prefix="kyc-preview-") as folder:
        path = os.path.join(folder, "document.pdf")
        with open(path, "wb") as handle:
            handle.write(data)
        try:
            info = pdf2image.pdfinfo_from_path(path, first_page=1, last_page=1, timeout=timeout)
            long_side = _page_long_side(info, 1)
            fits = long_side is not None and long_side * dpi / 72 <= _RENDER_MAX_SIDE
            pages = pdf2image.convert_from_path(
                path, dpi=dpi, first_page=1, last_page=1, use_cropbox=True, timeout=max(0.001, deadline - time.monotonic()),
                size=None if fits else _RENDER_MAX_SIDE, output_folder=folder, single_file=True, output_file="page",
            )  # fmt: skip
            image = pages[0] if pages else None
            if image is not None:
                image.load()  # reads the file (and closes it) before the folder goes
        except PDFPopplerTimeoutError as exc:
            raise refuse("preview_timeout", timeout=timeout) from exc
        except PDFPageCountError as exc:  # pdfinfo could not read the file; its text says why
            if "password" in str(exc).lower():
                raise refuse("encrypted", name=name) from exc
            raise refuse("preview_failed") from exc
        except (UnidentifiedImageError, Image.DecompressionBombError, SyntaxError, ValueError) as exc:
            raise refuse("preview_failed") from exc  # renderer output Pillow cannot read
        except (PDFInfoNotInstalledError, OSError) as exc:  # a poppler program that will not start
            raise refuse("preview_unstartable", reason=_reason(exc)) from exc
        if image is None:  # pdftoppm ran but wrote no page
            raise refuse("preview_failed")
    return image.convert("RGB") if image.mode != "RGB" else image


_PAGE_SIZE = re.compile(r"([0-9.]+) x ([0-9.]+) pts")


def _page_long_side(info: dict[str, object], number: int) -> float | None:
    """Page ``number``'s longer side in points, from what ``pdf2image.pdfinfo_*`` returned."""
    found = _PAGE_SIZE.match(str(info.get(f"Page {number:4d} size", "")))
    return max(float(found.group(1)), float(found.group(2))) if found else None


def _require_poppler() -> None:
    missing = [program for program in ("pdfinfo", "pdftoppm") if shutil.which(program) is None]
    if missing:
        raise refuse("preview_unavailable")


def _reason(exc: Exception) -> str:
    return getattr(exc, "strerror", None) or type(exc).__name__
