"""An NPWP card's text lines, with their positions, to its fields: number, name, NIK and address.

The designs this reads (docs/ocr.md): the older DEPARTEMEN and later KEMENTERIAN KEUANGAN
cards (``NPWP : 12.345.678.9-012.345``, the name, ``NIK : …`` on a personal card, one or two
address lines, ``TGL TERDAFTAR`` or ``Tanggal Terdaftar``), and the 2022 card (the 15-digit
number large with no label, the name, ``NPWP16 : 0610 8335 9240 8000``, the address, a date).
The fields sit in one left-aligned column below the number; whatever lies beside it (the
back of the card, a QR code, the tax office at top right) is left out.

Numbers are returned as printed (:mod:`.numbers`). On a card that prints both forms,
``npwp`` is the NPWP16, the number in force since 2024. A NIK is the NPWP only where the card
prints it after the NPWP label; a 16-digit number anywhere else is never taken for one.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from stdnum.id import npwp as stdnum_npwp

from .numbers import NumberRead, read_nik, read_npwp
from .words import clean_address, clean_name, close_to, has_word, is_end_of_address, is_foot

Box = tuple[int, int, int, int]

#: Segments further apart than this many text heights on one row are different columns.
COLUMN_GAP = 2.5
#: A field line below the number may start this many text heights left of the column.
LEFT_SLACK = 3.0
#: A vertical gap of more than this many line heights ends the address (the back of the card).
ADDRESS_GAP = 2.5
MAX_ADDRESS_LINES = 3
_DATE = re.compile(r"^\W*\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{2,4}\W*$")
#: Phrases of the card's back (it may be in the same picture, below or beside the front).
_BACK_PHRASES = ("PAJAK KITA", "WWW.PAJAK", "KARTU INI", "KRING PAJAK")
#: Words of the card's header, above the number (its foot below the address is words.is_foot):
#: they say which way up a card is whose lines the engine read the right way round anyway.
HEADER_WORDS = ("DEPARTEMEN", "KEMENTERIAN", "KEUANGAN", "REPUBLIK", "DIREKTORAT", "JENDERAL")
#: Lines that start another document below the card: a card's header, a KTP's.
_OTHER_CARD_WORDS = ("DEPARTEMEN", "KEMENTERIAN", "DIREKTORAT", "PROVINSI")


@dataclass(frozen=True)
class TextLine:
    """A line (or a column segment of one) as read, in the frame of the upright card.

    ``sources`` are the boxes of the engine lines it was made of, in the picture's pixels;
    ``parts`` the indices of those lines in the read.
    """

    text: str
    left: int = 0
    top: int = 0
    height: int = 10
    right: int = -1  # -1: unknown, estimated from the text's length
    confidence: float = 1.0
    sources: tuple[Box, ...] = ()
    parts: tuple[int, ...] = ()

    @property
    def end(self) -> int:
        return self.right if self.right >= 0 else self.left + round(0.6 * self.height * len(self.text))

    @property
    def centre(self) -> float:
        return self.top + self.height / 2


@dataclass(frozen=True)
class CardFields:
    """What was read off a card, in the vendor's shape; anything but ``npwp`` may be empty."""

    npwp: str
    name: str
    nik: str
    address: str

    @property
    def nik_form(self) -> bool:
        """The NPWP is a NIK (16 digits, no leading 0)."""
        digits = stdnum_npwp.compact(self.npwp)
        return len(digits) == 16 and not digits.startswith("0")

    @property
    def consistent(self) -> bool:
        """False when the card is NIK-as-NPWP but its NIK line says otherwise (a misread)."""
        return not self.nik_form or not self.nik or self.npwp == self.nik

    def as_dict(self) -> dict[str, str]:
        return {"npwp": self.npwp, "name": self.name, "nik": self.nik, "address": self.address}


@dataclass(frozen=True)
class Parsed:
    """The fields, the lines each came from, and how sure the read is of each."""

    fields: CardFields
    lines: dict[str, tuple[TextLine, ...]] = field(default_factory=dict)
    #: The card prints a NIK line (or is NIK-as-NPWP): a read without a NIK is missing one.
    expects_nik: bool = True
    #: > 0 when the header is above the number and the foot below it (see _upright_votes).
    upright: int = 0

    @property
    def complete(self) -> bool:
        """Every field the card prints was read, and its numbers agree."""
        f = self.fields
        return f.consistent and bool(f.name) and bool(f.address) and (bool(f.nik) or not self.expects_nik)

    @property
    def quality(self) -> tuple[bool, bool, int, float]:
        """For choosing between reads: consistent, the right way up, fields found, confidence."""
        f = self.fields
        found = sum(bool(v) for v in (f.npwp, f.name, f.nik, f.address))
        conf = [line.confidence for lines in self.lines.values() for line in lines]
        return f.consistent, self.upright >= 0, found, statistics.mean(conf) if conf else 0.0


def rows(lines: Sequence[TextLine]) -> list[TextLine]:
    """Lines on one row and close together joined left to right; then sorted top to bottom.

    RapidOCR cuts a row where its words stand apart ("NPWP" and the number, the parts of an
    address), and Tesseract's lines can run across the card's columns; both come out as the
    card's segments: one per row and column.
    """
    segments: list[list[TextLine]] = []
    for line in sorted(lines, key=lambda item: item.left):
        for seg in segments:
            last = seg[-1]
            height = max(last.height, line.height)
            same_row = abs(last.centre - line.centre) <= 0.5 * min(last.height, line.height)
            if same_row and line.left - last.end <= COLUMN_GAP * height:
                seg.append(line)
                break
        else:
            segments.append([line])
    joined = sorted((_join(seg) for seg in segments), key=lambda item: item.top)
    # Segments side by side on one row are read left to right, whichever box starts higher.
    ordered, row, row_centre = [], -1, None
    for seg in joined:
        if row_centre is None or abs(seg.centre - row_centre) > 0.5 * seg.height:
            row, row_centre = row + 1, seg.centre
        ordered.append((row, seg.left, seg))
    return [seg for _, _, seg in sorted(ordered, key=lambda item: (item[0], item[1]))]


def _join(seg: list[TextLine]) -> TextLine:
    if len(seg) == 1:
        return seg[0]
    return TextLine(
        " ".join(line.text for line in seg), seg[0].left, min(line.top for line in seg),
        round(statistics.median(line.height for line in seg)), max(line.end for line in seg),
        min(line.confidence for line in seg), tuple(b for line in seg for b in line.sources),
        tuple(p for line in seg for p in line.parts),
    )  # fmt: skip


# --- one line: is it a number line, and which? -------------------------------------------------


@dataclass(frozen=True)
class NumberLine:
    kind: str  # "npwp" (labelled), "npwp16", "bare" (dotted 15 digits, no label), "nik"
    number: NumberRead


_UNREAD = NumberRead("", "", False)


def _label_and_rest(text: str) -> tuple[str, str]:
    """(label, rest): "NPWP16 : 0610 …" is ("NPWP16", "0610 …"); a line with no label gives ("", text).

    The label is letters, perhaps with "16" after it; OCR may glue the colon to it as a
    letter ("NPWPT05.752…"), which the fuzzy match of the label then allows.
    """
    text = text.replace("：", ":").replace("﹕", ":")
    text = re.sub(r"(?i)^(\W*NPWP)\s*[Il1|]6\b", r"\g<1>16", text)
    found = re.match(r"^\W*([A-Za-z]{2,7})(16)?\s*[:;.]?\s*(.*)$", text)
    if not found or not any(ch.isdigit() for ch in found.group(3)):
        return "", text
    return (found.group(1) + (found.group(2) or "")).upper(), found.group(3)


def _heading(text: str) -> str:
    """ "npwp", "npwp16" or "nik" for a line that is only that label, else ""."""
    word = re.sub(r"[\s:;.：]", "", text)
    if not word.isupper():
        return ""  # the 2022 card's "npwp." logo is lower-case; its labels are capitals
    if word.endswith("16") and close_to(word[:-2], "NPWP"):
        return "npwp16"
    if len(word) >= 3 and close_to(word, "NPWP"):
        return "npwp"
    return "nik" if word in ("NIK", "N1K", "NlK") else ""


def number_line(line: TextLine) -> NumberLine | None:
    """What number the line prints as what, or None when it prints none.

    A label whose number was lost (glare, a finger) still marks its line: "NIK :" alone is
    neither the name nor the address.
    """
    heading = _heading(line.text)
    if heading:
        return NumberLine(heading, _UNREAD)
    label, rest = _label_and_rest(line.text)
    if label:
        # A labelled line whose number cannot be read is still that line: it is neither the
        # name nor the address, and it gives no number.
        if label.endswith("16") and close_to(label[:-2], "NPWP"):
            return NumberLine("npwp16", read_npwp(rest, (16,)) or _UNREAD)
        if close_to(label, "NPWP"):
            return NumberLine("npwp", read_npwp(rest, (15, 16)) or _UNREAD)
        if close_to(label.translate(str.maketrans({"1": "I", "0": "O"})), "NIK"):
            number = read_nik(rest)
            return NumberLine("nik", number or _UNREAD)
    number = read_npwp(line.text, (15,), dotted=True)
    return NumberLine("bare", number) if number else None


# --- the card ---------------------------------------------------------------------------------


def parse_layout(lines: Sequence[TextLine]) -> Parsed | None:
    """The card's fields from its segments (top to bottom); None when no NPWP is printed."""
    numbers = {i: found for i, line in enumerate(lines) if (found := number_line(line)) is not None}
    for i, line in enumerate(lines):
        # A heading "NPWP" on a line of its own labels the number on the next line below it
        # (a stamp beside the number may come between them in reading order).
        heading = _heading(line.text)
        below = [j for j in range(i + 1, min(i + 4, len(lines))) if abs(lines[j].left - line.left) <= LEFT_SLACK * line.height
                 and lines[j].top - (line.top + line.height) <= 1.5 * line.height]  # fmt: skip
        if heading in ("npwp", "npwp16") and below and below[0] not in numbers:
            number = read_npwp(lines[below[0]].text, (16,) if heading == "npwp16" else (15, 16))
            if number:
                numbers[below[0]] = NumberLine(heading, number)
    npwp_at = sorted(i for i, n in numbers.items() if n.kind in ("npwp", "npwp16", "bare") and n.number)
    if not npwp_at:
        return None
    anchor = npwp_at[0]
    # Only this card's lines: a page may hold a KTP or a second card below it.
    end = _card_end(lines, numbers, anchor)
    npwp_at = [i for i in npwp_at if i < end]
    numbers = {i: n for i, n in numbers.items() if i < end}
    by_kind = {}
    for i in npwp_at:
        by_kind.setdefault(numbers[i].kind, i)
    if "npwp16" in by_kind:
        chosen = by_kind["npwp16"]
    else:
        chosen = by_kind.get("npwp", by_kind.get("bare", anchor))
    npwp = numbers[chosen].number

    column = lines[anchor].left
    heights = [line.height for line in lines]
    slack = LEFT_SLACK * statistics.median(heights)
    right_limit = column + max(0.5 * (lines[anchor].end - column), 6 * slack)
    below = [i for i in range(anchor + 1, end) if column - slack <= lines[i].left <= right_limit]

    nik_at = next((i for i in below if i in numbers and numbers[i].kind == "nik"), -1)
    nik = numbers[nik_at].number.digits if nik_at >= 0 else ""
    expects_nik = nik_at >= 0 or len(npwp.digits) == 16 and not npwp.digits.startswith("0")
    used: dict[str, tuple[TextLine, ...]] = {"npwp": (lines[chosen],)}
    if nik_at >= 0 and nik:
        used["nik"] = (lines[nik_at],)
    if not nik and "npwp16" in by_kind and not npwp.digits.startswith("0") and nik_at < 0:
        nik = npwp.digits  # a person's NPWP16 is their NIK
        used["nik"] = (lines[chosen],)

    name, name_at = "", anchor
    for i in below:
        if i in numbers:
            if numbers[i].kind == "nik":
                break
            continue
        candidate = clean_name(lines[i].text)
        if candidate:
            name, name_at = candidate, i
            used["name"] = (lines[i],)
        break  # the name is the first line below the number, or there is none

    address: list[TextLine] = []
    start = max([name_at, nik_at] + [i for i, n in numbers.items() if i > anchor and n.kind in ("npwp", "npwp16")])
    previous = lines[start]
    for i in below:
        if i <= start or i in numbers:
            continue
        line = lines[i]
        if _same_row(line, previous) and line.left > previous.left:
            # The rest of a row cut in two (glare, a finger): part of the line before it.
            if address and previous is address[-1]:
                address[-1] = previous = _join([previous, line])
            continue
        text = line.text.strip()
        if _ends_address(text) or line.top - (previous.top + previous.height) > ADDRESS_GAP * previous.height:
            break
        if any(ch.isalnum() for ch in text):
            address.append(line)
            previous = line
        if len(address) == MAX_ADDRESS_LINES:
            break
    if address:
        used["address"] = tuple(address)
    fields = CardFields(npwp.value, name, nik, " ".join(clean_address(line.text) for line in address))
    return Parsed(fields, used, expects_nik, _upright_votes(lines, anchor))


#: A card's fields lie within this many heights of its number line below it.
CARD_REACH = 12


def _card_end(lines: Sequence[TextLine], numbers: dict[int, NumberLine], anchor: int) -> int:
    """The index of the first line after the anchor's card: its foot (registration line, a
    bare date) is the last, and another card's header, another NPWP (not this card's NPWP16)
    or a line far below it is no longer this card."""
    number = lines[anchor]
    for i in range(anchor + 1, len(lines)):
        line, found = lines[i], numbers.get(i)
        if line.top > number.top + CARD_REACH * number.height:
            return i
        if is_foot(line.text) or _DATE.match(line.text):
            return i + 1
        if has_word(line.text, _OTHER_CARD_WORDS) or line.text.strip().lower().startswith("npwp."):
            return i
        if found is not None and found.kind in ("npwp", "bare"):
            return i
    return len(lines)


def _same_row(a: TextLine, b: TextLine) -> bool:
    return abs(a.centre - b.centre) <= 0.5 * min(a.height, b.height)


def _ends_address(text: str) -> bool:
    """The registration line, a bare date (2022), anything with no letters, the card's back."""
    letters = sum(ch.isalpha() for ch in text)
    upper = " ".join(text.upper().split())
    return is_end_of_address(text) or bool(_DATE.match(text)) or letters < 2 or any(p in upper for p in _BACK_PHRASES)


def _upright_votes(lines: Sequence[TextLine], anchor: int) -> int:
    """Header lines above the number and foot lines below it, less those the other way round."""
    votes = 0
    for i, line in enumerate(lines):
        if i == anchor:
            continue
        side = 1 if i < anchor else -1
        if has_word(line.text, HEADER_WORDS) or line.text.strip().lower().startswith("npwp."):
            votes += side
        elif is_foot(line.text) or _DATE.match(line.text):
            votes -= side
    return votes


def parse_card(lines: Sequence[TextLine]) -> CardFields | None:
    """:func:`parse_layout`'s fields only."""
    parsed = parse_layout(rows(lines))
    return parsed.fields if parsed is not None else None


def lines_from_text(text: str) -> list[TextLine]:
    """Plain text (one line per line) as :class:`TextLine` objects, for tests and simple engines."""
    return [TextLine(line, 0, row * 20) for row, line in enumerate(text.splitlines()) if line.strip()]


def parse_text(text: str) -> CardFields | None:
    """:func:`parse_card` on plain text, one line per line."""
    return parse_card(lines_from_text(text))
