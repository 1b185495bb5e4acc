"""OCR text lines to NPWP card fields: number, name, NIK and address.

The card's fields sit in one left-aligned column, top to bottom: the NPWP number, the
holder's name, "NIK : <16 digits>", one or more address lines, then the tax office
("KPP PRATAMA …") and the registration date ("Tanggal Terdaftar …"). Numbers are validated
with python-stdnum (see :mod:`.numbers`); a line that holds no valid NPWP is no card.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from stdnum.id import npwp as stdnum_npwp

from .numbers import DOTTED_15, number_groups, valid_nik, valid_npwp
from .words import CARD_WORDS, clean_address, clean_name, has_word, is_end_of_address, is_nik_label


@dataclass(frozen=True)
class TextLine:
    """A line (or a column segment of one) as read: text, left edge and top in pixels."""

    text: str
    left: int = 0
    top: int = 0
    height: int = 10


@dataclass(frozen=True)
class CardFields:
    """What was read off a card. ``npwp`` is in the vendor's form; the rest may be empty."""

    npwp: str
    name: str
    nik: str
    address: str

    @property
    def nik_form(self) -> bool:
        """The NPWP is a NIK (16 digits, no leading 0): it must equal the NIK line."""
        digits = stdnum_npwp.compact(self.npwp)
        return len(digits) == 16 and not digits.startswith("0")

    @property
    def consistent(self) -> bool:
        """False when the card is NIK-as-NPWP but its two numbers disagree (a misread)."""
        return not self.nik_form or self.npwp == self.nik

    @property
    def self_confirming(self) -> bool:
        """A NIK-as-NPWP card whose number and NIK lines agree: two reads of the same digits."""
        return self.nik_form and self.npwp == self.nik

    @property
    def complete(self) -> bool:
        """Consistent, with a name and a valid NIK: nothing another read could add."""
        return self.consistent and bool(self.name) and bool(self.nik)

    @property
    def quality(self) -> tuple[bool, bool, bool, bool]:
        """For choosing among imperfect reads: consistent first, then the fields found."""
        return (self.consistent, bool(self.nik), bool(self.name), bool(self.address))

    def as_dict(self) -> dict[str, str]:
        return {"npwp": self.npwp, "name": self.name, "nik": self.nik, "address": self.address}


def lines_from_text(text: str) -> list[TextLine]:
    """Plain text (one line per line) as :class:`TextLine` objects, for tests and simple engines."""
    return [TextLine(line, 0, row * 10) for row, line in enumerate(text.splitlines())]


def _find_npwp(lines: Sequence[TextLine]) -> tuple[int, str] | None:
    """(line index, vendor-form NPWP) of the first line holding a valid NPWP, else None."""
    card_evidence = any(has_word(line.text, CARD_WORDS) for line in lines)
    for index, line in enumerate(lines):
        if is_nik_label(line.text):
            continue  # the NIK line: on a NIK-as-NPWP card it holds the same digits
        for raw, digits in number_groups(line.text, (15, 16)):
            number = valid_npwp(digits)
            # A bare 16-digit number could be anything with a NIK in it; a 15-digit one in
            # the dotted layout is an NPWP by its look. Otherwise the card must show itself.
            if number and (card_evidence or DOTTED_15.fullmatch(raw.replace(" ", ""))):
                return index, number
    return None


def _find_nik(lines: Sequence[TextLine], after: int) -> tuple[int, str]:
    """(line index, NIK) below the number line; the index is -1 if there is no NIK line.

    The labelled line ("NIK : …") counts even when its number does not validate (the NIK is
    then ""), so that it never ends up in the address. Without a label, the first line
    holding a valid NIK is taken.
    """
    unlabelled = (-1, "")
    for index in range(after + 1, len(lines)):
        text = lines[index].text
        niks = [nik for _, digits in number_groups(text, (16,)) if (nik := valid_nik(digits))]
        if is_nik_label(text) and any(ch.isdigit() for ch in text):
            return index, niks[0] if niks else ""
        if niks and unlabelled[0] < 0:
            unlabelled = (index, niks[0])
    return unlabelled


def parse_card(lines: Sequence[TextLine]) -> CardFields | None:
    """Read the fields off an NPWP card's lines; None when no valid NPWP number is there.

    The name is the first upper-case line after the number, the address every line after
    the NIK up to the tax office (KPP) or registration line, joined with single spaces.
    """
    found = _find_npwp(lines)
    if found is None:
        return None
    at, npwp = found
    # Keep the card's field column: lines starting near the number's left edge. This drops a
    # stamp, photo or logo text beside the fields.
    column_left = lines[at].left
    heights = sorted(line.height for line in lines)
    slack = 3 * heights[len(heights) // 2]
    below = [i for i in range(at + 1, len(lines)) if abs(lines[i].left - column_left) <= slack]

    nik_at, nik = _find_nik(lines, at)
    name, name_at = "", at
    for i in below:
        if nik_at >= 0 and i >= nik_at:
            break
        candidate = clean_name(lines[i].text)
        if candidate:
            name, name_at = candidate, i
            break

    address_lines = []
    for i in below:
        if i <= max(nik_at, name_at):
            continue
        text = lines[i].text.strip()
        if is_end_of_address(text):
            break
        if any(ch.isalnum() for ch in text):
            address_lines.append(clean_address(text))
    return CardFields(npwp=npwp, name=name, nik=nik, address=" ".join(address_lines))


def parse_text(text: str) -> CardFields | None:
    """:func:`parse_card` on plain text, one line per line."""
    return parse_card(lines_from_text(text))
