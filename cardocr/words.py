"""Words in OCR text: card keywords, the holder's name, address lines, look-alike digits undone."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .numbers import TO_DIGIT

# Digits an OCR engine reads in place of letters.
TO_LETTER = str.maketrans({"0": "O", "1": "I", "5": "S", "8": "B"})
# Where a number is certain (after RT, RW, NO.) a few more shapes count as digits.
_MORE_DIGITS = str.maketrans({"L": "1", "Z": "2", "G": "6", "T": "7"})
_NUMBER_LABELS = ("NO", "RT", "RW")
_ABBREVIATIONS = ("JL", "GG", "NO", "KEL", "KEC", "KAB", "KOMP", "PERUM", "DS")
#: Words on an NPWP card that are not the holder's data; fuzzy-matched (one OCR slip allowed).
CARD_WORDS = ("NPWP", "PAJAK", "KPP", "TERDAFTAR", "DIREKTORAT", "KEUANGAN")
_STAMP_WORDS = ("CONTOH", "SPECIMEN")


def close_to(word: str, target: str) -> bool:
    """``word`` equals ``target`` with at most one character substituted, added or dropped."""
    word = word.upper().strip(".,:;")
    if abs(len(word) - len(target)) > 1:
        return False
    if len(word) == len(target):
        return sum(a != b for a, b in zip(word, target)) <= 1
    short, long_ = sorted((word, target), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def has_word(text: str, targets: Sequence[str]) -> bool:
    return any(close_to(word, target) for word in text.split() for target in targets)


def is_end_of_address(text: str) -> bool:
    words = text.split()
    first = words[0].upper() if words else ""
    # "KPP" exactly: "KP." (kampung) and "KTP" are one letter away. "PRATAMA" only after it:
    # housing estates and streets are called Pratama too.
    kpp = first.strip(".:") == "KPP" or re.search(r"\bK\wP\W+PRATAMA\b", text.upper()) is not None
    return kpp or is_foot(text) or has_word(text, _STAMP_WORDS)


def is_foot(text: str) -> bool:
    """The card's registration line: "TGL TERDAFTAR : …" or "Tanggal Terdaftar …".

    TERDAFTAR may be read with a slip; TANGGAL must be exact ("JL. TANGGUL" is a street).
    """
    return has_word(text, ("TERDAFTAR",)) or "TANGGAL" in text.upper().replace(":", " ").split()


def _clean_word(word: str) -> str:
    """Undo digit/letter confusions inside one word, judged by what the word mostly is."""
    letters = sum(ch.isalpha() for ch in word)
    digits = sum(ch.isdigit() for ch in word)
    # An abbreviation ends with a dot ("N0." is "NO."), so a tie with a dot goes to letters.
    if digits and (letters > digits or (letters == digits and word.endswith("."))):
        return word.translate(TO_LETTER)
    if digits > letters and letters:
        return word.translate(TO_DIGIT)
    return word


def _uppercase_line(text: str) -> str | None:
    """``text`` upper-cased if it is an upper-case line (≥ 80 % capitals), else None."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters or sum(ch.isupper() for ch in letters) < 0.8 * len(letters):
        return None
    return " ".join(_clean_word(word) for word in text.split()).upper()


def _broken_i(text: str) -> str:
    """ "!" and "|" inside words are a broken capital I: "SIT!" is "SITI", "SUKAJAD!I" is "SUKAJADI"."""
    return re.sub(r"(?<=[A-Z])[!|]I|I[!|](?=[A-Z])|(?<=[A-Z])[!|]|[!|](?=[A-Z])", "I", text)


def clean_name(text: str) -> str | None:
    """The holder's name from a line: capitals, spaces and . ' - only, or None if it is not one."""
    # Specks beside the name ("|", "—", "_") are OCR noise, not part of it.
    text = " ".join(w for w in _broken_i(text).split() if any(ch.isalnum() for ch in w))
    line = _uppercase_line(text.translate(TO_LETTER))
    if line is None:
        return None
    words = [w.strip(",;:") for w in line.split()]
    words = [w for w in words if w and not has_word(w, _STAMP_WORDS)]
    if not words or any(not re.fullmatch(r"[A-Z][A-Z.'\-]*", w) for w in words):
        return None
    if sum(len(w) for w in words) < 3 or has_word(" ".join(words), CARD_WORDS):
        return None
    return " ".join(words)


def clean_address(text: str) -> str:
    """An address line with single spaces and digit/letter confusions undone word by word.

    After "NO.", "RT" and "RW" an Indonesian address always has a number, so a word there that
    is all look-alike letters ("OLI" for 011) is read as digits.
    """
    # "RT OOIRW 007": OCR glued the RW label to the RT number; an address is "RT n RW n".
    text = re.sub(r"\b(RT\s*[0-9OIl]{1,3})(RW)\b", r"\1 \2", text)
    # "RT 015 RN 007", "RH", "RMH": between two numbers after RT, the label can only be RW.
    text = re.sub(r"\b(RT\s+\d{1,3}\s+)R[A-SU-Z]{1,2}(\s+\d)", r"\1RW\2", text)
    # "BLOK CINO. 39": a housing block is a letter and a number ("BLOK C1"), and OCR glued it
    # to the "NO." after it, reading the 1 as I.
    text = re.sub(
        r"\bBLOK\s+([A-HJ-Z])([0-9IlO]{1,2})(\s*)(?=NO\b|NO\.|\s|$)",
        lambda m: f"BLOK {m.group(1)}{m.group(2).translate(TO_DIGIT)} ",
        text,
    )
    # "KEL.KUTA": an address abbreviation is followed by a space; OCR drops it beside the dot.
    text = re.sub(r"\b(KEL|KEC|JL|GG|NO|KAB|KOTA|DS|DSN|KOMP|WR)\.(?=[A-Z0-9])", r"\1. ", text)
    words = [_clean_word(w) for w in _broken_i(text).split() if any(ch.isalnum() for ch in w)]
    # "KEC," is "KEC.": a comma and a dot differ by a few pixels, and these are abbreviations.
    words = [w[:-1] + "." if w[-1] in ",;:" and w[:-1].upper() in _ABBREVIATIONS else w for w in words]
    for i in range(1, len(words)):
        if words[i - 1].upper().rstrip(".") in _NUMBER_LABELS:
            digits = words[i].translate(TO_DIGIT).translate(_MORE_DIGITS)
            if digits.isdigit():
                words[i] = digits
    line = " ".join(words)
    return line.upper() if _uppercase_line(line) is not None else line
