"""From an uploaded document to the card's fields and where each was read.

For each page (a picture, or a PDF's first pages drawn one at a time):

1. The whole picture is read once. Its lines' positions give the card's orientation: lines
   taller than wide mean a quarter turn, and of two opposite turns the one whose parse finds
   the card wins. RapidOCR reads a line upside down as printed (its direction classifier),
   so a card turned 180° costs no second read; a card on its side is read again turned
   upright, because PP-OCR's detector reads lines on their side less well.
2. Only when that read misses a field, and the picture shows something of a card, the card's
   outline is found and warped flat, and read again: the better of the two reads is kept. A
   warp first would crop a card on a desk with a shadow edge across it to its bottom lines.
3. The spaces of the name and address lines are put back from Tesseract's single-line read
   of each line's crop (:mod:`.spacing`).
4. A field whose line runs into a reflection's blown-out patch is marked ``obscured``
   (:mod:`.glare`): what was read of it is only part of it.

Every box is mapped back to the uploaded picture's pixels, through the turn and the warp.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace

import cv2
import numpy as np

from . import decode, geometry, glare, normalize
from .engine import OcrEngine, OcrLine, read_single_lines
from .fields import HEADER_WORDS, Parsed, TextLine, number_line, parse_layout, rows
from .layout import CardRead, FieldRead, union
from .spacing import respace
from .words import CARD_WORDS, has_word, is_foot

log = logging.getLogger("cardocr")

#: Fewer character-sized blobs than this: no text worth an OCR pass (a photo, a blank page).
MIN_INK_BLOBS = 30
#: A number line read with less confidence than this is not believed (a blurred card).
MIN_NUMBER_CONFIDENCE = 0.6
#: The most a field read in part (its line runs into glare) is credited with.
OBSCURED_CONFIDENCE = 0.5
#: A warp that keeps more than this share of the picture adds nothing to the first read.
WARP_USEFUL_BELOW = 0.85

Points = Callable[[np.ndarray], np.ndarray]


@dataclass
class View:
    """A picture the engine read, and how its pixels map back to the page's."""

    label: str
    gray: np.ndarray
    to_page: Points


@dataclass
class Reading:
    """One engine read of a view, parsed in the frame that turns the card upright."""

    view: View
    lines: list[OcrLine]
    quarters: int
    parsed: Parsed

    @property
    def quality(self) -> tuple[bool, bool, int, float]:
        return self.parsed.quality


def read_document(data: bytes, engine: OcrEngine) -> CardRead | None:
    """The card on the first page that holds one, with its fields' boxes; None when none does."""
    try:
        for number, (page, size) in enumerate(decode.sized_pages(data), start=1):
            found = read_page(page, engine)
            if found is None:
                continue
            scale = size[0] / page.shape[1] if page.shape[1] else 1.0
            return _card_read(found, engine, number, size, scale, glare.patches(page))
    except decode.Undecodable as exc:
        log.info("cardocr: %s", exc)
    return None


def read_page(page: np.ndarray, engine: OcrEngine) -> Reading | None:
    """The best reading of the card on one page, spaces restored; None when it holds no NPWP."""
    gray = normalize.luminance(page) if page.ndim == 3 else page
    # Tesseract is slow on a picture without text; RapidOCR's detector is quick to find none.
    if not engine.reads_turned_lines and normalize.ink_blobs(normalize.even_light(gray)) < MIN_INK_BLOBS:
        return None  # nothing that looks like text: skip OCR altogether
    identity: Points = lambda points: points  # noqa: E731
    whole = View("page", gray, identity)
    # RapidOCR's detector finds more lines in colour (a yellow header, a blue back); Tesseract
    # reads grey.
    lines = [line for line in engine.read(page if engine.reads_turned_lines else gray) if line.words]
    best = _best_frame(whole, lines, engine)
    if engine.reads_turned_lines:
        # A card on its side, or upside down and not read whole: read it again turned upright.
        quarters = best.quarters if best is not None else _quarters_from_words(lines, gray.shape)
        if quarters % 2 == 1 or (quarters == 2 and (best is None or not best.parsed.complete)):
            best = _better(best, _read_turned(whole, quarters, engine))
    # Second tries, while a field is missing: the card warped flat; the picture with colour
    # dropped out (a security background of tiny coloured text can run into the lines).
    for second_try in (_read_warped, _read_dropped):
        if (best is None or not best.parsed.complete) and _shows_a_card(lines, best):
            best = _better(best, second_try(page, gray, engine))
    if best is None and not engine.reads_turned_lines and not _upright(lines):
        for quarters in (2, 1, 3):  # an engine that reads only upright text: turn the picture
            best = _read_turned(whole, quarters, engine)
            if best is not None:
                break
    if best is None:
        return None
    return _respaced(best, engine)


#: Tesseract gives its ordinary words 90-96 on upright text and 20-45 on text on its side.
UPRIGHT_CONFIDENCE = 75.0


def _upright(lines: list[OcrLine]) -> bool:
    """Words of three letters or more read with Tesseract's confidence for upright text."""
    scores = [w.confidence for line in lines for w in line.words if len(w.text) >= 3 and w.text.isalnum()]
    return len(scores) >= 3 and float(np.median(scores)) >= UPRIGHT_CONFIDENCE


def _better(a: Reading | None, b: Reading | None) -> Reading | None:
    if a is None or b is None:
        return a or b
    return b if b.quality > a.quality else a


def _shows_a_card(lines: list[OcrLine], best: Reading | None) -> bool:
    return best is not None or any(has_word(line.text, CARD_WORDS) for line in lines)


def _text_lines(lines: list[OcrLine], quarters: int, shape: tuple[int, ...]) -> list[TextLine]:
    """The engine's lines in the frame of the picture turned by ``quarters`` and levelled.

    Levelling matters on a tilted photo: there the box of a long line starts higher than the
    box of the shorter line above it, and ordering by boxes would swap the two.
    """
    height, width = shape[:2]
    turned = [geometry.turn_points(np.array(line.corners, dtype=np.float64), quarters, width, height) for line in lines]
    angles = [_slope(c) for c, line in zip(turned, lines) if len(line.text) >= 6]
    angle = float(np.median(angles)) if angles else 0.0
    cos, sin = np.cos(-angle), np.sin(-angle)
    level = np.array([[cos, -sin], [sin, cos]])
    out = []
    for index, line in enumerate(lines):
        corners = turned[index] @ level.T
        left, top = corners.min(axis=0)
        right, bottom = corners.max(axis=0)
        out.append(TextLine(line.text, round(left), round(top), max(1, round(bottom - top)), round(right),
                            line.confidence, parts=(index,)))  # fmt: skip
    return out


def _quarters_from_words(lines: list[OcrLine], shape: tuple[int, ...]) -> int:
    """The turn that puts the card's header at the top and its foot at the bottom (0 if unsure)."""
    best, best_votes = 0, 0
    for quarters in (1, 3) if _on_its_side(lines) else (0, 2):
        height = shape[1] if quarters % 2 else shape[0]
        votes = 0
        for line in _text_lines(lines, quarters, shape):
            above = line.centre < height / 2
            if has_word(line.text, HEADER_WORDS):
                votes += 1 if above else -1
            elif is_foot(line.text):
                votes += -1 if above else 1
        if votes > best_votes:
            best, best_votes = quarters, votes
    return best


def _slope(corners: np.ndarray) -> float:
    """The angle (radians) of a line's long edge, within ±45°."""
    edges = [corners[1] - corners[0], corners[2] - corners[1]]
    dx, dy = max(edges, key=lambda e: float(np.hypot(*e)))
    if dx < 0 or (dx == 0 and dy < 0):
        dx, dy = -dx, -dy
    angle = float(np.arctan2(dy, dx))
    return angle if abs(angle) <= np.pi / 4 else 0.0


def _on_its_side(lines: list[OcrLine]) -> bool:
    """More lines taller than wide than wider than tall: the card lies on its side."""
    tall = wide = 0
    for line in lines:
        left, top, right, bottom = line.box
        if len(line.text.replace(" ", "")) >= 4:
            tall += bottom - top > 1.5 * (right - left)
            wide += right - left > 1.5 * (bottom - top)
    return tall > wide


def _turn_candidates(lines: list[OcrLine], engine: OcrEngine) -> tuple[int, ...]:
    if not engine.reads_turned_lines:
        return (0,)
    return (1, 3) if _on_its_side(lines) else (0, 2)


def _best_frame(view: View, lines: list[OcrLine], engine: OcrEngine) -> Reading | None:
    best = None
    for quarters in _turn_candidates(lines, engine):
        parsed = parse_layout(rows(_text_lines(lines, quarters, view.gray.shape)))
        if parsed is None or parsed.lines["npwp"][0].confidence < MIN_NUMBER_CONFIDENCE:
            continue
        best = _better(best, Reading(view, lines, quarters, parsed))
    return best


def _read_turned(view: View, quarters: int, engine: OcrEngine) -> Reading | None:
    """Read ``view`` again turned upright by ``quarters``."""
    height, width = view.gray.shape[:2]
    turned = geometry.turn(view.gray, quarters)
    back = (4 - quarters) % 4

    def to_page(points: np.ndarray) -> np.ndarray:
        return view.to_page(geometry.turn_points(points, back, turned.shape[1], turned.shape[0]))

    upright = View(f"{view.label} turned {quarters * 90}°", turned, to_page)
    return _best_frame(upright, engine.read(turned), engine)


def _read_dropped(page: np.ndarray, gray: np.ndarray, engine: OcrEngine) -> Reading | None:
    """Read the picture again with coloured print turned white."""
    if page.ndim != 3:
        return None
    clean = View("colour dropped", normalize.dropout_gray(page), lambda points: points)
    return _best_frame(clean, engine.read(clean.gray), engine)


def _read_warped(page: np.ndarray, gray: np.ndarray, engine: OcrEngine) -> Reading | None:
    """Read the card's outline warped flat, if one is found and it is not the whole picture."""
    corners = geometry.find_card(gray)
    if corners is None or geometry.area_share(corners, gray.shape) > WARP_USEFUL_BELOW:
        return None
    card = geometry.warp_card(gray, corners)
    h, w = card.shape[:2]
    target = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    inverse = cv2.getPerspectiveTransform(target, corners.astype(np.float32))

    def to_page(points: np.ndarray) -> np.ndarray:
        return cv2.perspectiveTransform(points.reshape(-1, 1, 2).astype(np.float64), inverse).reshape(-1, 2)

    view = View("card warped flat", card, to_page)
    lines = engine.read(card)
    best = _best_frame(view, lines, engine)
    if best is not None and best.quarters % 2 == 1 and engine.reads_turned_lines:
        best = _better(best, _read_turned(view, best.quarters, engine))
    return best


# --- spaces -----------------------------------------------------------------------------------


def _respaced(reading: Reading, engine: OcrEngine) -> Reading:
    """The reading with the name's and address's spaces put back from Tesseract's line reads."""
    if engine.name == "tesseract":
        return reading  # Tesseract spaces its own words
    parts = sorted({p for name in ("name", "address") for line in reading.parsed.lines.get(name, ()) for p in line.parts})
    if not parts:
        return reading
    crops = [geometry.line_crop(reading.view.gray, np.array(reading.lines[p].corners), reading.quarters) for p in parts]
    others = read_single_lines(crops)
    if others is None:
        return reading  # no Tesseract here: RapidOCR's words as they are
    lines = list(reading.lines)
    for p, other in zip(parts, others):
        spaced = respace(lines[p].text, other)
        if spaced != lines[p].text:
            lines[p] = OcrLine(tuple(_words(lines[p], spaced)), lines[p].quad)
    parsed = parse_layout(rows(_text_lines(lines, reading.quarters, reading.view.gray.shape)))
    if parsed is None or (parsed.fields.npwp, parsed.fields.nik) != (reading.parsed.fields.npwp, reading.parsed.fields.nik):
        return reading  # spaces must not change what the numbers are
    return replace(reading, lines=lines, parsed=parsed)


def _words(line: OcrLine, text: str):
    """The line's text split into words again, each with the line's box and confidence."""
    first = line.words[0]
    box = line.box
    for word in text.split():
        yield replace(first, text=word, left=box[0], top=box[1], width=box[2] - box[0], height=box[3] - box[1])


# --- the answer -------------------------------------------------------------------------------


def _card_read(reading: Reading, engine: OcrEngine, page: int, size: tuple[int, int], scale: float,
               glare_patches: list[tuple[int, int, int, int]]) -> CardRead:  # fmt: skip
    patches = [tuple(round(v * scale) for v in patch) for patch in glare_patches]
    reads = {}
    for name, lines in reading.parsed.lines.items():
        boxes, outlines = [], []
        for line in lines:  # one box per line of the field (an address may have two)
            number = name in ("npwp", "nik")
            parts = [p for p in line.parts if not number or _has_digits(reading.lines[p].text)] or list(line.parts)
            corners = [_outline(reading, p, number) * scale for p in parts]
            outlines += [tuple((round(x), round(y)) for x, y in c) for c in corners]
            boxes.append(union([_clip(c, size) for c in corners]))
        text = getattr(reading.parsed.fields, name)
        # A line that runs into a blown-out patch (within a letter height of its ends) lost letters there.
        obscured = any(glare.touches(box, patch, box[3] - box[1]) for box in boxes for patch in patches)  # type: ignore[arg-type]
        confidence = min(line.confidence for line in lines)
        # The engine is sure of what it saw; where glare hid part of the line, the field is not sure.
        confidence = round(min(confidence, OBSCURED_CONFIDENCE) if obscured else confidence, 3)
        reads[name] = FieldRead(name, text, confidence, tuple(boxes), obscured, tuple(outlines))
    return CardRead(reading.parsed.fields, reads, page, size, engine.name)


def _outline(reading: Reading, part: int, number_only: bool) -> np.ndarray:
    """The four corners of one engine line in the page's pixels; for a number, of its digits only.

    A line "NIK : 3602…" is one box in RapidOCR; the digits' share of it is their share of the
    characters, measured along the line as it reads (after the turn that makes it upright).
    """
    line = reading.lines[part]
    corners = np.array(line.corners, dtype=np.float64)
    text = line.text
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    if number_only and digits and len(text) > 1:
        h, w = reading.view.gray.shape[:2]
        upright = geometry.order_corners(geometry.turn_points(corners, reading.quarters, w, h))
        start, end = digits[0] / len(text), (digits[-1] + 1) / len(text)
        tl, tr, br, bl = upright
        upright = np.array([tl + (tr - tl) * start, tl + (tr - tl) * end, bl + (br - bl) * end, bl + (br - bl) * start])
        turned_w, turned_h = (h, w) if reading.quarters % 2 else (w, h)
        corners = geometry.turn_points(upright, (4 - reading.quarters) % 4, turned_w, turned_h)
    return reading.view.to_page(corners)


def _has_digits(text: str) -> bool:
    """A line part that holds the number, not the label or a stamp beside it."""
    return sum(ch.isdigit() for ch in text) >= 4


def _clip(corners: np.ndarray, size: tuple[int, int]) -> tuple[int, int, int, int]:
    left, top = corners.min(axis=0)
    right, bottom = corners.max(axis=0)
    w, h = size
    return (max(0, round(left)), max(0, round(top)), min(w, round(right)), min(h, round(bottom)))


__all__ = ["read_document", "read_page", "number_line"]
