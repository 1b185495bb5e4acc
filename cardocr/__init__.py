"""Offline NPWP card OCR for the sandbox: Tesseract or RapidOCR behind a small engine interface.

    from cardocr import read_npwp
    read_npwp(open("card.jpg", "rb").read())   # {"npwp": ..., "name": ..., "nik": ..., "address": ...} or None

Modules, in the order a document goes through them:

- ``decode``: bytes to RGB pictures; PDF pages drawn one at a time by poppler, through pdf2image.
- ``geometry``: find the card's outline and warp it flat; level text; quarter turns.
- ``normalize``: colour-dropout grayscale, even lighting, contrast, size; "is there text?".
- ``views``: what to OCR (card or page), which way up first, and the preparations.
- ``engine``: the OCR engine interface (:class:`OcrEngine`), :class:`TesseractEngine` and
  :class:`RapidOcrEngine`.
- ``reads``: one OCR pass, cut into column segments and parsed.
- ``numbers``: NPWP and NIK candidates, O/0, I/1, S/5, B/8 undone, validated with stdnum.
- ``words``: card keywords, name and address lines.
- ``fields``: text lines to the card's fields.
- ``pipeline``: which reads to try, and which to believe.
"""

from __future__ import annotations

import logging
import os
import threading

from .engine import EngineUnavailable, OcrEngine, OcrLine, OcrWord, RapidOcrEngine, TesseractEngine
from .fields import CardFields, parse_text
from .pipeline import read_document

log = logging.getLogger("cardocr")

__all__ = [
    "CardFields", "ENGINES", "EngineUnavailable", "OcrEngine", "OcrLine", "OcrWord", "RapidOcrEngine",
    "TesseractEngine", "default_engine", "parse_text", "read_npwp",
]  # fmt: skip

#: ``KYC_OCR_ENGINE`` picks one. Tesseract stays the default until the field parser, tuned on
#: Tesseract's words, reads RapidOCR's lines as well (docs/ocr.md).
ENGINES = {"tesseract": TesseractEngine, "rapidocr": RapidOcrEngine}
DEFAULT_ENGINE = "tesseract"

_default: OcrEngine | None = None
_lock = threading.Lock()


def default_engine() -> OcrEngine:
    """The process's one engine, created on first use: ``KYC_OCR_ENGINE`` (rapidocr or tesseract).

    An unknown name, or RapidOCR where onnxruntime cannot load, logs why and falls back to
    Tesseract: the sandbox keeps answering.
    """
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = _make(os.environ.get("KYC_OCR_ENGINE", "").strip().lower() or DEFAULT_ENGINE)
    return _default


def _make(name: str) -> OcrEngine:
    if name not in ENGINES:
        log.error("cardocr: KYC_OCR_ENGINE=%r is not one of %s; using tesseract", name, ", ".join(ENGINES))
        name = "tesseract"
    try:
        return ENGINES[name]()
    except EngineUnavailable as exc:
        if name == "tesseract":
            raise
        log.warning("cardocr: %s is unavailable (%s); using tesseract", name, exc)
        return TesseractEngine()


def read_npwp(data: bytes, engine: OcrEngine | None = None) -> dict[str, str] | None:
    """The NPWP fields printed on the document in ``data``, or None when no NPWP is found."""
    fields = read_document(data, engine or default_engine())
    return fields.as_dict() if fields is not None else None
