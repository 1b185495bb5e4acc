"""One OCR pass: the engine's lines cut into column segments, ordered, parsed, and scored."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import numpy as np

from .engine import OcrEngine, OcrLine
from .fields import CardFields, TextLine, parse_card

#: A read whose ordinary words have this median confidence or more is upright text. Tesseract
#: gives 90-96 on an upright card and 20-45 on one upside down or on its side.
UPRIGHT_CONFIDENCE = 75.0
#: Words further apart than this many text heights belong to different columns.
COLUMN_GAP = 2.5


@dataclass
class Read:
    """One OCR pass over one picture, with what was parsed from it."""

    lines: list[TextLine]
    fields: CardFields | None
    confidence: float  # median confidence of the words that look like words

    @property
    def upright(self) -> bool:
        return self.confidence >= UPRIGHT_CONFIDENCE

    @property
    def words(self) -> int:
        return sum(len(line.text.split()) for line in self.lines)


def segments(line: OcrLine) -> list[TextLine]:
    """Cut one OCR line where words are far apart: a stamp or photo beside a field is its own segment."""
    words = line.words
    if not words:
        return []
    height = statistics.median(word.height for word in words) or 1
    groups, current = [], [words[0]]
    for word in words[1:]:
        gap = word.left - (current[-1].left + current[-1].width)
        if gap > COLUMN_GAP * height:
            groups.append(current)
            current = []
        current.append(word)
    groups.append(current)
    return [
        TextLine(" ".join(w.text for w in group), group[0].left, min(w.top for w in group),
                 round(statistics.median(w.height for w in group)))
        for group in groups
    ]  # fmt: skip


def word_confidence(lines: list[OcrLine]) -> float:
    """Median confidence of alphanumeric words of three characters or more (0 if under three)."""
    scores = [w.confidence for line in lines for w in line.words if len(w.text) >= 3 and w.text.isalnum()]
    return statistics.median(scores) if len(scores) >= 3 else 0.0


def ocr(engine: OcrEngine, gray: np.ndarray) -> Read:
    """One OCR pass and the fields parsed from it."""
    raw = engine.read(gray)
    # Top to bottom by position, not in the engine's block order: psm 4 can put the heading
    # block last, which would run it into the address.
    lines = sorted((segment for line in raw for segment in segments(line)), key=lambda s: (s.top, s.left))
    return Read(lines, parse_card(lines), word_confidence(raw))
