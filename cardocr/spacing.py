"""Spaces put back into a line from a second engine's read of the same line.

PP-OCR (RapidOCR) joins words that stand close together: ``ADISUSANTO``,
``PT.TEMBUSABADIMAKMUR``. Its character boxes are too coarse to find the gap (in
``ADI SUSANTO`` the space is no wider than the gaps between letters), and a dictionary of
names would invent spaces in names it does not know. Tesseract in single-line mode on the
crop of that one line puts its spaces right, but misreads letters more often. So the
letters stay RapidOCR's, and a space is put in only where Tesseract has one between two
letters on which both engines agree.
"""

from __future__ import annotations

from collections.abc import Container
from difflib import SequenceMatcher

#: Of the two reads' letters, at least this share must agree for Tesseract's spaces to count.
MIN_AGREEMENT = 0.8
#: At most this many letters after an abbreviation are taken for background where Tesseract
#: reads none: a longer run is a word.
MAX_STRAY = 2
#: Words an Indonesian address abbreviates with a dot: a dot Tesseract reads after one of
#: these is put back too ("KEL. KUTA"); anywhere else a dot is not taken from it.
ABBREVIATIONS = ("JL", "GG", "NO", "KEL", "KEC", "KAB", "KOTA", "DS", "DSN", "KOMP", "PERUM", "PT", "CV", "WR", "BLOK")


def _same_length(code: tuple[str, int, int, int, int]) -> bool:
    _, i1, i2, j1, j2 = code
    return i2 - i1 == j2 - j1


def _abbreviation(letters: str, end: int, spaces: Container[int] = ()) -> bool:
    """Do the letters just before ``end`` spell one of ABBREVIATIONS (after a non-letter, or
    where a space goes in: ``spaces``)?"""
    for word in ABBREVIATIONS:
        start = end - len(word)
        if start < 0 or letters[start:end].upper() != word:
            continue
        if start == 0 or not letters[start - 1].isalpha() or start in spaces:
            return True
    return False


def _stray(letters: str, start: int, other: str, space_after: bool, spaces: Container[int]) -> bool:
    """Are ``letters[start:]`` (one or two letters) stray marks after an abbreviation, where
    ``other`` reads only its dot (or nothing after the dot) and then a space?"""
    if not space_after or not (0 < len(letters) - start <= MAX_STRAY) or not letters[start:].isalpha():
        return False
    if other == ".":
        return _abbreviation(letters, start, spaces)
    return other == "" and start > 0 and letters[start - 1] == "." and _abbreviation(letters, start - 1, spaces)


def respace(text: str, other: str) -> str:
    """``text`` with the spaces (and a dot before one: "KEL. KUTA") that ``other`` has between
    two letters both engines agree on."""
    letters = text.replace(" ", "")
    others = other.strip()
    plain = others.replace(" ", "")
    if not letters or not plain:
        return text
    # For each letter of ``other`` (spaces left out): is there a space before it?
    space_before, count = set(), 0
    for ch in others:
        if ch == " ":
            space_before.add(count)
        else:
            count += 1
    insert: dict[int, str] = {}  # before which letter of ``text``: what to put in
    drop: set[int] = set()  # letters of ``text`` that are the card's background, not its print
    matcher = SequenceMatcher(None, letters, plain, autojunk=False)
    if matcher.ratio() < MIN_AGREEMENT:
        return text  # Tesseract read something else (italics, a busy background): no say in spaces
    codes = matcher.get_opcodes()
    for number, (tag, i1, i2, j1, j2) in enumerate(codes):
        if tag == "equal":
            # After a letter read differently ("SIKAMBING 8 KEC" beside "SIKAMBINGBKEC") the
            # space before this block still stands: the letters either side are in line.
            after_swap = number > 0 and codes[number - 1][0] == "replace" and _same_length(codes[number - 1])
            for k in range(0 if after_swap else 1, i2 - i1):
                if j1 + k in space_before:
                    insert[i1 + k] = " "
            continue
        between = 0 < number < len(codes) - 1 and codes[number - 1][0] == codes[number + 1][0] == "equal"
        if tag == "insert" and between and plain[j1:j2] == "." and j2 in space_before and _abbreviation(letters, i1):
            insert[i1] = ". "  # "KELKUTA" beside "KEL. KUTA"
        elif between and _stray(letters[:i2], i1, plain[j1:j2], j2 in space_before, insert):
            # "KELDISEI" beside "KEL. SEI": the security background's tiny "DIREKTORAT" shows
            # through the gap after an abbreviation in a colour read; Tesseract, reading the
            # line binarised, sees only the dot and the space there.
            drop.update(range(i1, i2))
            insert[i2] = " " if letters[i1 - 1] == "." else ". "
        elif between and j1 in space_before and j2 - j1 == i2 - i1:
            insert[i1] = " "  # a letter read differently, then a space: the space still stands
    out, index = [], 0
    for ch in text:
        if ch == " ":
            if not out or out[-1] != " ":
                out.append(ch)
            continue
        if index in drop:
            index += 1
            continue
        gap = insert.get(index)
        if gap and out and not ("".join(out).endswith(gap) or (gap == " " and out[-1] == " ")):
            if out[-1] == " ":
                out.pop()
            out.append(gap)
        out.append(ch)
        index += 1
    return "".join(out)
