"""CSV for spreadsheets: UTF-8 with a BOM, and no cell that Excel would run as a formula.

A name or address typed as ``=HYPERLINK("http://evil.example","Click")`` is text to us, but
Excel and LibreOffice evaluate a cell that starts with = + - @ (CSV injection). Such a cell gets
a leading apostrophe, which spreadsheets show as text and hide. A signed number (+6281…, -5)
is data, not a formula, and is left alone.

Headings: the first row is always the machine names (``fieldnames``), what a script reads back.
``headings`` adds a second header row, right under it, with the words a person reads above each
column (in the page's language): a spreadsheet user reads row 2, a script skips it
(``pandas.read_csv(path, skiprows=[1])``). In a workbook both rows stay frozen and the filter
buttons sit on the person's row, so sorting and filtering never move either heading.
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


def to_csv(rows: Iterable[Mapping[str, Any]], fieldnames: Sequence[str], headings: Sequence[str] | None = None) -> bytes:
    """Rows as CSV bytes, with a BOM so Excel shows Indonesian names correctly; extra keys ignored.

    ``headings`` (one per field name) is a second header row of words, under the names."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(fieldnames), extrasaction="ignore")
    writer.writeheader()
    if headings is not None:
        writer.writerow({name: safe_cell(heading) for name, heading in zip(fieldnames, headings)})
    for row in rows:
        writer.writerow({key: safe_cell(value) for key, value in row.items()})
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(
    rows: Iterable[Mapping[str, Any]],
    fieldnames: Sequence[str],
    sheet: str = "Sheet1",
    headings: Sequence[str] | None = None,
) -> bytes:
    """Rows as an .xlsx workbook (header row first, then one row each); extra keys ignored.

    ``headings`` (one per field name) is a second header row of words, under the names: bold,
    frozen with the names, and carrying the filter buttons.

    openpyxl stores a string starting with "=" as a formula; every string here is stored as
    text instead, so a name typed as a formula stays a name. A control character (ESC, NUL),
    which the XML of a workbook cannot hold, becomes U+FFFD; such a row was refused before
    sending, and its reason, in its own cell, names the character.
    """
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=False)
    page = book.active
    page.title = sheet[:31]
    page.append(list(fieldnames))
    first = 2
    if headings is not None:
        page.append(list(headings))
        first = 3
    for row in rows:
        values = [row.get(name, "") for name in fieldnames]
        page.append([ILLEGAL_CHARACTERS_RE.sub("\ufffd", v) if isinstance(v, str) else v for v in values])
    for cells in page.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    if headings is not None and fieldnames:
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        for cell in page[2]:
            cell.font = Font(bold=True)
        page.auto_filter.ref = f"A2:{get_column_letter(len(fieldnames))}{page.max_row}"
    page.freeze_panes = f"A{first}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
