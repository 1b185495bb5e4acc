"""Where each field was read: its text, the engine's confidence, and its box in the picture.

A :class:`CardRead` is what :func:`cardocr.read_card` returns: the card's fields in the
vendor's shape (:class:`~cardocr.fields.CardFields`), and for each field found a
:class:`FieldRead` with the boxes of the lines it was read from. Boxes are in the pixels of
the uploaded picture after its EXIF orientation is applied (for a PDF: of the page drawn at
``decode.PDF_DPI``, ``size`` says how large), whatever turn, warp or scaling the read took.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .fields import CardFields

#: left, top, right, bottom in pixels.
Box = tuple[int, int, int, int]
FIELD_NAMES = ("npwp", "name", "nik", "address")


def union(boxes: tuple[Box, ...] | list[Box]) -> Box:
    """The smallest box holding all of ``boxes`` (which must not be empty)."""
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


@dataclass(frozen=True)
class FieldRead:
    """One field as read: its text, the engine's confidence (0-1, at most 0.5 where glare hides
    part of it), the boxes of its lines."""

    name: str  # one of FIELD_NAMES
    text: str
    confidence: float
    boxes: tuple[Box, ...]
    #: A reflection washes out part of the field's line: the text is what could be read of it.
    obscured: bool = False
    #: Each engine line the field was read from, as four corners (a tilted photo's lines are
    #: tilted): ``boxes`` are the boxes around them, one per line of the field.
    outlines: tuple[tuple[tuple[int, int], ...], ...] = ()

    @property
    def box(self) -> Box:
        """One box around the whole field (an address may span two lines)."""
        return union(self.boxes)


@dataclass(frozen=True)
class CardRead:
    """The fields of one card, and where on the page each was read."""

    fields: CardFields
    reads: dict[str, FieldRead] = field(default_factory=dict)
    page: int = 1  # 1-based page of a PDF; 1 for a picture
    size: tuple[int, int] = (0, 0)  # width, height of the picture the boxes are in
    engine: str = ""

    def as_dict(self) -> dict[str, str]:
        """The fields in the vendor's shape (the same as :func:`cardocr.read_npwp`)."""
        return self.fields.as_dict()
