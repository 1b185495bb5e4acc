"""From an uploaded document to NPWP fields: decode, find and level the card, OCR, parse.

Reads are tried cheapest-first, and most uploads are done after one OCR pass. The first read
of an upright card is accepted when it is complete: NPWP and NIK valid, a name, and on a
NIK-as-NPWP card the same digits on both lines. A picture that needs more reads is a hard one,
and there a number must be read the same way twice before it is accepted: the NPWP check
digit covers only the first 9 digits (10 of the 16-digit form), so a misread tax-office digit
would otherwise pass. A NIK-as-NPWP read confirms itself (two lines, the same digits).
"""

from __future__ import annotations

import logging

import numpy as np

from . import decode, geometry, normalize
from .engine import OcrEngine
from .fields import CardFields, TextLine
from .reads import ocr
from .views import PREPARATIONS, Picture, pictures
from .words import CARD_WORDS, has_word

log = logging.getLogger("cardocr")

#: Fewer character-sized blobs than this: no text worth an OCR pass (a photo, a blank page).
MIN_INK_BLOBS = 30
#: A read with fewer words than this that is not upright is not a turned card either.
MIN_WORDS_TO_TURN = 8


def read_document(data: bytes, engine: OcrEngine) -> CardFields | None:
    """The fields of the first page holding an NPWP card (pages are drawn lazily)."""
    try:
        for page in decode.pages(data):
            fields = read_page(page, engine)
            if fields is not None:
                return fields
    except decode.Undecodable as exc:
        log.info("sandbox OCR: %s", exc)
    return None


def read_page(page: np.ndarray, engine: OcrEngine) -> CardFields | None:
    """The card's fields from one page, or None when no valid NPWP can be read on it."""
    best: CardFields | None = None
    for picture in pictures(page):
        fields = read_picture(picture, engine)
        if fields is not None and fields.complete:
            return fields
        if fields is not None and (best is None or fields.quality > best.quality):
            best = fields
    return best


def read_picture(picture: Picture, engine: OcrEngine) -> CardFields | None:
    """Try the picture's orientations, and each with the preparations, until a read is good."""
    if normalize.ink_blobs(picture.gray) < MIN_INK_BLOBS:
        return None  # nothing that looks like text: skip OCR altogether
    for quarters in picture.turns:
        view = geometry.turn(picture.gray, quarters)
        found: list[CardFields] = []  # the valid reads of this orientation, in order
        for number, prepare in enumerate(PREPARATIONS):
            read = ocr(engine, prepare(view))
            fields = read.fields
            log.debug("%s turned %d°, %s: confidence %.0f, %s",
                      picture.label, quarters * 90, prepare.__name__, read.confidence, fields)  # fmt: skip
            if fields is not None:
                if fields.complete and (number == 0 or fields.self_confirming or _seen(fields, found)):
                    return fields
                found.append(fields)
            if not read.upright:
                if not found and read.words < MIN_WORDS_TO_TURN:
                    return None  # hardly any text in any direction
                break  # garbage this way up: another preparation will not rescue it
            if fields is None and not found and not _looks_like_card(read.lines):
                return None  # legible, upright, and not an NPWP card
        else:
            # Every preparation ran on upright text: turning the picture will not help.
            return _best(found) if found else None
        if found:
            return _best(found)
    return None


def _seen(fields: CardFields, earlier: list[CardFields]) -> bool:
    return any((f.npwp, f.nik) == (fields.npwp, fields.nik) for f in earlier)


def _best(reads: list[CardFields]) -> CardFields:
    """The read whose numbers were seen most often; then the most complete; then the earliest."""

    def rank(index: int) -> tuple[int, tuple[bool, ...], int]:
        fields = reads[index]
        votes = sum((f.npwp, f.nik) == (fields.npwp, fields.nik) for f in reads)
        return votes, fields.quality, -index

    return reads[max(range(len(reads)), key=rank)]


def _looks_like_card(lines: list[TextLine]) -> bool:
    return any(has_word(line.text, CARD_WORDS) for line in lines)
