"""PDFs: checking that one is complete and readable, and drawing page 1 with poppler (pdf2image)."""

from __future__ import annotations

import io
import shutil
import tempfile

import pdf2image
from pdf2image.exceptions import PDFInfoNotInstalledError, PDFPageCountError, PDFPopplerTimeoutError
from PIL import Image
from pypdf import PdfReader

from kyc.documents.errors import refuse, truncated

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
        raise refuse("damaged", "pdf", name=name, reason="its structure is broken") from exc
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
        raise refuse("damaged", "pdf", name=name, reason="it has no pages") from exc
    except Exception as exc:  # noqa: BLE001 - see above
        raise refuse("damaged", "pdf", name=name, reason="its pages cannot be read") from exc
    if pages < 1:
        raise refuse("damaged", "pdf", name=name, reason="it has no pages")
    if width < 1 or height < 1:
        raise refuse("damaged", "pdf", name=name, reason="page 1 has no size")
    if rotation % 180 == 90:
        width, height = height, width
    return pages, round(width), round(height)


def render_page1(data: bytes, name: str, *, dpi: int, timeout: float) -> Image.Image:
    """Draw page 1 with poppler through pdf2image and return it as an RGB image.

    ``convert_from_bytes`` asks for page 1 only, at ``dpi``, within ``timeout`` seconds. Its
    ``size`` is the bound on pixels: a page that would come out longer than
    :data:`_RENDER_MAX_SIDE` at ``dpi`` is scaled to that length instead, so a PDF declaring a
    200-inch page cannot allocate gigabytes. The page is written to a temporary folder and
    read from there: pdf2image's in-memory path holds poppler's output twice.

    pdf2image runs ``pdfinfo`` (for the page count) and ``pdftoppm -v`` before the render,
    without the time limit (docs/benchmarks.md gives the cost). :func:`check_pdf` has walked
    the page tree with pypdf's bounds before the app previews a PDF.
    """
    if shutil.which("pdftoppm") is None:
        raise refuse("preview_unavailable", problem="is not installed on this machine")
    long_side = _page1_long_side(data)
    fits = long_side is not None and long_side * dpi / 72 <= _RENDER_MAX_SIDE
    with tempfile.TemporaryDirectory(prefix="kyc-preview-") as folder:
        try:
            pages = pdf2image.convert_from_bytes(
                data, dpi=dpi, first_page=1, last_page=1, use_cropbox=True, timeout=timeout,
                size=None if fits else _RENDER_MAX_SIDE, output_folder=folder, single_file=True, output_file="page",
            )  # fmt: skip
        except PDFPopplerTimeoutError as exc:
            raise refuse("preview_timeout", timeout=timeout) from exc
        except PDFPageCountError as exc:  # pdfinfo could not read the file; its text says why
            if "password" in str(exc).lower():
                raise refuse("encrypted", name=name) from exc
            raise refuse("preview_failed") from exc
        except (PDFInfoNotInstalledError, OSError) as exc:
            raise refuse("preview_unavailable", problem=f"could not be started here ({_reason(exc)})") from exc
        if not pages:  # pdftoppm ran but wrote no page
            raise refuse("preview_failed")
        image = pages[0]
        try:
            image.load()  # reads the file (and closes it) before the folder goes
        except Exception as exc:  # noqa: BLE001 - renderer output we could not parse
            raise refuse("preview_failed") from exc
    return image.convert("RGB") if image.mode != "RGB" else image


def _page1_long_side(data: bytes) -> float | None:
    """Page 1's longer side in points (crop box), or None when pypdf cannot read it."""
    try:
        box = PdfReader(io.BytesIO(data), strict=False).pages[0].cropbox
        return max(abs(float(box.width)), abs(float(box.height)))
    except Exception:  # noqa: BLE001 - pypdf raises many types on hostile input; poppler may still draw it
        return None


def _reason(exc: Exception) -> str:
    return getattr(exc, "strerror", None) or type(exc).__name__
