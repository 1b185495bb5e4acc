"""Checking, previewing and shrinking the documents a user uploads for NPWP OCR.

Verihubs accepts a JPEG, PNG or PDF of at most 5 MB. Everything here runs before the upload,
so that a salesperson learns what is wrong with a file from us, in plain words, instead of
from an OCR_40001 answer:

- :func:`inspect` identifies the file by its content (never by its name), checks that it is
  complete and safe to open, and reports its size, pages and pixel size.
- :func:`preview` draws page 1 (or the picture itself) small enough to show on screen.
- :func:`fit_to_limit` re-encodes a picture that is over the limit as a smaller JPEG;
  :func:`jpeg_name` is the name the result should get.
- :func:`sniff` and :data:`MIME` tell the kind of file and its MIME type from the first bytes.
- :func:`format_size` writes a size as Streamlit's file uploader does, in decimal units
  (1 MB = 1,000,000 bytes); :func:`format_bytes` gives the exact bytes.

"5 MB" is the vendor's word. The sandbox reads it as 5 MiB (5,242,880 bytes, the lenient
reading: :data:`API_LIMIT_BYTES`) and :func:`fit_to_limit` aims under 5,000,000 bytes (the
strict one: :data:`FIT_TARGET_BYTES`), so a shrunk file passes either way.

Every rejection is a :class:`DocumentError` (a :class:`~kyc.errors.KycError`) whose message
says what is wrong and what is accepted.

Import from this package; its modules are: ``limits`` (the numbers), ``kinds`` (JPEG, PNG,
PDF: magic bytes, MIME types, extensions), ``errors`` (DocumentError and every message),
``detect`` (type from content), ``images`` (pictures and fit_to_limit), ``pdf`` (PDF check
and page-1 rendering) and ``info`` (DocumentInfo and file names).
"""

from __future__ import annotations

from typing import Literal

from PIL import Image

from kyc.documents.detect import MIME, identify, sniff
from kyc.documents.errors import ACCEPTED, DocumentError, display_name, format_bytes, format_size
from kyc.documents.images import check_image, fit_to_limit, preview_image
from kyc.documents.info import DocumentInfo, jpeg_name
from kyc.documents.kinds import EXTENSIONS, Kind
from kyc.documents.limits import (
    API_LIMIT_BYTES,
    FIT_TARGET_BYTES,
    MAX_IMAGE_PIXELS,
    MAX_INPUT_BYTES,
    MAX_PREVIEW_DPI,
    MIN_LEGIBLE_LONG_SIDE,
    PREVIEW_DPI,
    PREVIEW_MAX_SIDE,
    PREVIEW_TIMEOUT_S,
)
from kyc.documents.pdf import check_pdf, render_page1

__all__ = [
    "ACCEPTED",
    "API_LIMIT_BYTES",
    "FIT_TARGET_BYTES",
    "MAX_IMAGE_PIXELS",
    "MAX_INPUT_BYTES",
    "MAX_PREVIEW_DPI",
    "MIME",
    "MIN_LEGIBLE_LONG_SIDE",
    "PREVIEW_DPI",
    "PREVIEW_MAX_SIDE",
    "PREVIEW_TIMEOUT_S",
    "DocumentError",
    "DocumentInfo",
    "Kind",
    "fit_to_limit",
    "format_bytes",
    "format_size",
    "inspect",
    "jpeg_name",
    "preview",
    "sniff",
]


def inspect(data: bytes, filename: str) -> DocumentInfo:
    """Identify and check a document, or raise :class:`DocumentError`.

    The type comes from the content's magic bytes; the name is only compared against it. A
    picture is decoded in full (a photo cut short must not pass), after its declared pixel
    size has been checked against :data:`MAX_IMAGE_PIXELS`. A PDF must end properly, must not
    be encrypted and must yield at least one page.
    """
    name = display_name(filename)
    kind = identify(data, name, filename)
    unit: Literal["px", "pt"]
    if kind == "pdf":
        pages, width, height = check_pdf(data, name)
        unit = "pt"
    else:
        pages = 1
        width, height = check_image(data, kind, name)
        unit = "px"
    size = len(data)
    return DocumentInfo(
        filename=filename,
        kind=kind,
        mime=MIME[kind],
        size_bytes=size,
        size_label=format_size(size),
        pages=pages,
        width=width,
        height=height,
        unit=unit,
        over_limit=size > API_LIMIT_BYTES,
        near_limit=FIT_TARGET_BYTES < size <= API_LIMIT_BYTES,
        extension_matches=filename.lower().endswith(EXTENSIONS[kind]),
    )


def preview(
    data: bytes,
    max_side: int = PREVIEW_MAX_SIDE,
    *,
    dpi: int = PREVIEW_DPI,
    timeout: float = PREVIEW_TIMEOUT_S,
) -> Image.Image:
    """Return an RGB picture of page 1 (or of the image), at most ``max_side`` pixels long.

    A PDF is drawn by poppler through pdf2image: page 1 only, at ``dpi`` (capped at
    :data:`MAX_PREVIEW_DPI`), stopped after ``timeout`` seconds. A picture is turned upright
    from its EXIF orientation, put on white where transparent, and scaled down.

    The PDF's own checks are :func:`inspect`'s; pdf2image's ``pdfinfo`` still reads the file
    once for its page count.
    """
    if max_side < 1:
        raise ValueError("max_side must be positive")
    name = display_name("")
    # No MAX_INPUT_BYTES check here: a preview is bounded by the pixel limit and the timeout.
    kind = identify(data, name, check_size=False)
    if kind != "pdf":
        return preview_image(data, kind, name, max_side)
    image = render_page1(data, name, dpi=max(1, min(int(dpi), MAX_PREVIEW_DPI)), timeout=timeout)
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return image
