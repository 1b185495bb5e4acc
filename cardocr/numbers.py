"""Numbers in OCR text: NPWP and NIK as printed, with look-alike letters undone.

An OCR engine confuses O/0, I/1, S/5 and B/8 (and less often Z/2, G/6, T/7). Such letters
inside a number are turned into digits. Where a letter could be more than one digit, the
check digit (``stdnum.id.npwp``) or the NIK's structure (``stdnum.id.nik``: a province, a
birth date) chooses between the alternatives, and only there: a number whose check digit
fails is returned as printed, never "repaired" into another (specimen and demo cards print
such numbers). :class:`NumberRead` says whether the number validates.
"""

from __future__ import annotations

from dataclasses import dataclass

from stdnum.id import nik as stdnum_nik
from stdnum.id import npwp as stdnum_npwp

# Letters an OCR engine reads in place of digits.
TO_DIGIT = str.maketrans({"O": "0", "o": "0", "Q": "0", "D": "0", "I": "1", "l": "1", "i": "1", "|": "1",
                          "!": "1", "S": "5", "s": "5", "B": "8", "Z": "2", "G": "6", "T": "7"})  # fmt: skip
_NUMBER_CHARS = set("0123456789") | set("OoQDIli|!SsBZGT")
_SEPARATORS = set(".,-–—:_'")


def _numberish(token: str) -> bool:
    """A token that can be part of a printed number: digits, look-alike letters, separators."""
    core = token.strip("".join(_SEPARATORS))
    if not core or any(ch not in _NUMBER_CHARS and ch not in _SEPARATORS for ch in core):
        return False
    digits = sum(ch.isdigit() for ch in core)
    # At least a third real digits: "SOBO" or "IIS" is a word, not a number.
    return digits * 3 >= len([ch for ch in core if ch not in _SEPARATORS])


def number_groups(text: str, lengths: tuple[int, ...]) -> list[tuple[str, str]]:
    """(raw, digits) for each run of number-like tokens in ``text`` that holds ``lengths`` digits.

    OCR sometimes splits a number ("0094787728 126000"); consecutive number-like tokens are
    joined. Look-alike letters are turned into digits here; validation decides later.
    """
    tokens = text.split()
    found = []
    for start in range(len(tokens)):
        raw: list[str] = []
        for token in tokens[start:]:
            if raw and all(ch in _SEPARATORS for ch in token):
                raw.append(token)  # a lone "-" or "." between the parts of a number
                continue
            if not _numberish(token):
                break
            raw.append(token)
            joined = "".join(raw)
            digits = "".join(ch for ch in joined.translate(TO_DIGIT) if ch.isdigit())
            if len(digits) in lengths:
                found.append((" ".join(raw), digits))
            if len(digits) > max(lengths):
                break
    return found


@dataclass(frozen=True)
class NumberRead:
    """A number as printed: ``digits``, ``value`` in the vendor's form, and whether it validates."""

    digits: str
    value: str
    valid: bool

    def __bool__(self) -> bool:
        return bool(self.digits)


#: Letters that may stand for more than one digit: each is tried, the check digit chooses.
_ALTERNATIVES = {"B": "83", "S": "53", "G": "69", "Z": "27", "T": "71"}


def _alternatives(raw: str) -> list[str]:
    """Every digit string ``raw`` may stand for, the most likely first (at most 16 of them)."""
    options = [""]
    for ch in raw:
        if ch.isdigit():
            choices = ch
        elif ch in _ALTERNATIVES:
            choices = _ALTERNATIVES[ch]
        elif ch.translate(TO_DIGIT).isdigit():
            choices = ch.translate(TO_DIGIT)
        else:
            continue  # a separator
        options = [o + c for o in options for c in choices][:16]
    return options


def _npwp_value(digits: str) -> str:
    return stdnum_npwp.format(digits) if len(digits) == 15 else digits


def read_npwp(text: str, lengths: tuple[int, ...] = (15, 16), dotted: bool = False) -> NumberRead | None:
    """The first NPWP printed in ``text`` (15 or 16 digits), as printed; None when none is.

    ``dotted``: only a 15-digit number in the dotted layout counts (a bare number on the
    2022 card); a dot or dash may be lost, two of the five must be there.
    """
    groups = [(raw, digits) for raw, digits in number_groups(text, lengths) if not dotted or sum(ch in ".-,:" for ch in raw) >= 2]
    if not groups:
        return None
    # Of the runs that start where the first does ("317123456789012 3"), the longest: a digit
    # split off is still part of the number, not a 15-digit NPWP and a stray 3.
    first = groups[0][0].split()[0]
    raw = max((g for g in groups if g[0].split()[0] == first), key=lambda g: len(g[1]))[0]
    options = _alternatives(raw.replace(" ", ""))
    chosen = next((o for o in options if stdnum_npwp.is_valid(o)), options[0])
    return NumberRead(chosen, _npwp_value(chosen), stdnum_npwp.is_valid(chosen))


def read_nik(text: str) -> NumberRead | None:
    """The first 16-digit number in ``text``, as printed (the NIK's structure picks look-alikes)."""
    for raw, _ in number_groups(text, (16,)):
        options = _alternatives(raw.replace(" ", ""))
        chosen = next((o for o in options if stdnum_nik.is_valid(o)), options[0])
        return NumberRead(chosen, chosen, stdnum_nik.is_valid(chosen))
    return None
