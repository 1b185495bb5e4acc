"""Offline NPWP card OCR for the sandbox: Tesseract or RapidOCR behind a small engine interface.

    from cardocr import read_card, read_npwp
    read_npwp(open("card.jpg", "rb").read())   # {"npwp": ..., "name": ..., "nik": ..., "address": ...} or None
    read_card(data).reads["name"]             # FieldRead(text, confidence, boxes in the picture's pixels)

Modules, in the order a document goes through them:

- ``decode``: bytes to RGB pictures; PDF pages drawn one at a time by poppler, through pdf2image.
- ``normalize``: grayscale, even lighting, size; "is there text?".
- ``engine``: the OCR engine interface (:class:`OcrEngine`), :class:`RapidOcrEngine` (the
  default) and :class:`TesseractEngine`.
- ``geometry``: quarter turns, the card's outline warped flat, a line's crop.
- ``numbers``: NPWP and NIK as printed, look-alike letters undone.
- ``words``: card keywords, name and address lines.
- ``fields``: the lines and their positions to the card's fields.
- ``spacing``: the spaces RapidOCR drops, put back from Tesseract's read of the line.
- ``pipeline``: which reads to try, and which to keep; boxes back to the picture.
- ``layout``: what :func:`read_card` returns; ``cache``: reads kept by content hash.
"""

from __future__ import annotations

import logging
import os
import threading

from .cache import ReadCache, digest
from .engine import EngineUnavailable, OcrEngine, OcrLine, OcrWord, RapidOcrEngine, TesseractEngine
from .fields import CardFields, parse_text
from .layout import Box, CardRead, FieldRead
from .pipeline import read_document

log = logging.getLogger("cardocr")

__all__ = [
    "Box", "CardFields", "CardRead", "ENGINES", "EngineUnavailable", "FieldRead", "OcrEngine", "OcrLine", "OcrWord",
    "RapidOcrEngine", "TesseractEngine", "default_engine", "parse_text", "read_card", "read_npwp",
]  # fmt: skip

#: ``KYC_OCR_ENGINE`` picks one: RapidOCR by default, Tesseract for side-by-side figures and
#: where onnxruntime cannot load (docs/ocr.md).
ENGINES = {"rapidocr": RapidOcrEngine, "tesseract": TesseractEngine}
DEFAULT_ENGINE = "rapidocr"
#: Reads by (content hash, engine): the in-process sandbox and the app's overlay share them.
READS: ReadCache[CardRead | None] = ReadCache(size=32)

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


def read_card(data: bytes, engine: OcrEngine | None = None) -> CardRead | None:
    """The card in ``data`` with where each field was read, or None when no NPWP is found.

    Reads are cached by the document's SHA-256 and the engine: the same bytes are read once
    per process, however many callers ask. Raises :class:`EngineUnavailable` when no engine
    can run here.
    """
    engine = engine or default_engine()
    # The engine itself in the key (not its id, which Python reuses once an engine is gone).
    return READS.get((digest(data), engine), lambda: read_document(data, engine))


def read_npwp(data: bytes, engine: OcrEngine | None = None) -> dict[str, str] | None:
    """The NPWP fields printed on the document in ``data``, or None when no NPWP is found."""
    found = read_card(data, engine)
    return found.as_dict() if found is not None else None
