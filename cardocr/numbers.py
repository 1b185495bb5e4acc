"""Numbers in OCR text: NPWP and NIK candidates, look-alike letters undone, stdnum validation.

An OCR engine confuses O/0, I/1, S/5 and B/8; such letters inside a number are turned into
digits, but the result is only accepted when python-stdnum (``stdnum.id.npwp``,
``stdnum.id.nik``) then validates it. A number that fails its check digit is never
"repaired" by guessing other digits. (The sandbox stands in for the vendor and does not
import the ``kyc`` package, which wraps the same stdnum modules.)
"""

from __future__ import annotations

import re

from stdnum.id import nik as stdnum_nik
from stdnum.id import npwp as stdnum_npwp

# Letters an OCR engine reads in place of digits.
TO_DIGIT = str.maketrans({"O": "0", "o": "0", "Q": "0", "D": "0", "I": "1", "l": "1", "i": "1", "|": "1",
                          "!": "1", "S": "5", "s": "5", "B": "8"})  # fmt: skip
_NUMBER_CHARS = set("0123456789") | set("OoQDIli|!SsB")
_SEPARATORS = set(".,-–—:_'")
#: The printed layout of a 15-digit NPWP.
DOTTED_15 = re.compile(r"\d{2}\.\d{3}\.\d{3}\.\d-\d{3}\.\d{3}")


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


def valid_npwp(digits: str) -> str | None:
    """The vendor's form of a valid NPWP (dotted 15 digits, or 16 plain digits), else None."""
    if len(digits) not in (15, 16) or not stdnum_npwp.is_valid(digits):
        return None
    return stdnum_npwp.format(digits) if len(digits) == 15 else digits


def valid_nik(digits: str) -> str | None:
    """The NIK if stdnum accepts it (16 digits, a known province, a real birth date), else None."""
    return digits if len(digits) == 16 and stdnum_nik.is_valid(digits) else None
