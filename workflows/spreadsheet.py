"""CSV for spreadsheets: UTF-8 with a BOM, and no cell that Excel would run as a formula.

A name or address typed as ``=HYPERLINK("http://evil.example","Click")`` is text to us, but
Excel and LibreOffice evaluate a cell that starts with = + - @ (CSV injection). Such a cell gets
a leading apostrophe, which spreadsheets show as text and hide. A signed number (+6281…, -5)
is data, not a formula, and is left alone.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SIGNED_NUMBER = re.compile(r"[+-]\d[\d.,\s]*")


def safe_cell(value: Any) -> Any:
    """``value``, with a leading apostrophe if a spreadsheet would read it as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _SIGNED_NUMBER.fullmatch(value):
        return "'" + value
    return value


def to_csv(rows: Iterable[Mapping[str, Any]], fieldnames: Sequence[str]) -> bytes:
    """Rows as CSV bytes, with a BOM so Excel shows Indonesian names correctly; extra keys ignored."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(fieldnames), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: safe_cell(value) for key, value in row.items()})
    return ("\ufeff" + out.getvalue()).encode("utf-8")
