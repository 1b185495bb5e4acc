"""Reading a list of applicants from CSV or XLSX, and checking every row before anything is sent.

Files come from spreadsheets, so the reader expects what Excel does to them: a byte-order
mark, semicolons instead of commas (Indonesian locale), headers in other cases or with
spaces, and phone numbers that lost their leading 0 or turned into floats. Such numbers are
flagged, never silently repaired: a wrong repair would send someone else's number.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from kyc.documents import format_bytes, format_size
from kyc.income import IncomeRequest
from workflows.applicant import ENGLISH, FIELDS, LABELS, Checked, check_applicant
from workflows.i18n import N_, Translator

REQUIRED = ("name", "phone_number", "id_number")
MAX_ROWS = 10_000
MAX_BYTES = 5 * 1024 * 1024
# Header spellings people use, mapped to the API's field names.
ALIASES = {
    "phone": "phone_number",
    "phone number": "phone_number",
    "no hp": "phone_number",
    "hp": "phone_number",
    "nik": "id_number",
    "id number": "id_number",
    "ktp": "id_number",
    "address": "address_employee",
    "alamat": "address_employee",
    "home address": "address_employee",
    "birth date": "birthdate",
    "birthday": "birthdate",
    "tanggal lahir": "birthdate",
    "dob": "birthdate",
    "gender": "sex",
    "jenis kelamin": "sex",
    "programs": "package",
    "bpjs programs": "package",
    "nama": "name",
}


class ApplicantFileError(ValueError):
    """The file as a whole cannot be used; the message says why and what is expected."""


@dataclass
class Row:
    """One applicant row: its line in the file, the values read, and the verdict of the checks."""

    line: int
    values: dict[str, str]
    request: IncomeRequest | None
    problems: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return self.request is not None

    def describe_problems(self, words: Translator = ENGLISH) -> str:
        """Every problem and note, "Phone number: …; Row: …", with the labels in ``words``'s language
        (the problems themselves are in the language ``read_applicants`` was given)."""
        return "; ".join(
            f"{words.gettext(_ROW_LABELS.get(k) or LABELS.get(k, k))}: {v}" for k, v in {**self.problems, **self.notes}.items()
        )


# "row" is no field of the form but has problems of its own; as before, it is named by its key.
_ROW_LABELS = {"row": N_("row")}


def template_csv() -> bytes:
    """A CSV with the API's columns and two example rows, for people to fill in."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(FIELDS)
    writer.writerow(
        [
            "RINA WULANDARI",
            "081234567890",
            "3174015205900123",
            "female",
            "1990-05-12",
            "JHT,JKK,JKM,JPN",
            "rina.wulandari@example.co.id",
            "Jl. Kenanga No. 12 RT 003 RW 005, Jakarta Barat",
        ]
    )
    writer.writerow(["AGUS PRASETYO", "081298765432", "3273022308850456", "male", "1985-08-23", "JHT,JKK,JKM", "", ""])
    return out.getvalue().encode("utf-8")


def _header(name: Any) -> str:
    key = " ".join(str(name or "").replace("_", " ").split()).strip().lower()
    key = key.lstrip("\ufeff")
    return ALIASES.get(key, key.replace(" ", "_"))


def _cell(value: Any) -> str:
    """A cell as text. Whole floats lose their ".0" here; the phone check then flags them."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value).strip()


def _read_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # Excel's default on Windows
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect) if any(cell.strip() for cell in row)]


def _read_xlsx(data: bytes, words: Translator = ENGLISH) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise ApplicantFileError(
            words.gettext("The spreadsheet could not be opened ({kind}). Save it again as XLSX or CSV.").format(
                kind=type(error).__name__
            )
        ) from None
    sheet = book.worksheets[0]
    rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)]
    book.close()
    return [row for row in rows if any(cell for cell in row)]


def _phone_warning(raw: str, words: Translator = ENGLISH) -> str | None:
    """Spot what Excel does to phone numbers, so the row is flagged instead of sent wrong."""
    if re.fullmatch(r"[0-9]+\.[0-9]+(E\+?[0-9]+)?", raw, re.IGNORECASE) or re.fullmatch(r"[0-9.]+E\+?[0-9]+", raw, re.IGNORECASE):
        return words.gettext(
            "looks like Excel turned it into a number (e.g. 8.12E+10); format the column as Text and export again"
        )
    return None


def read_applicants(data: bytes, filename: str, words: Translator = ENGLISH) -> list[Row]:
    """Read and check every row. Raises ApplicantFileError when the file as a whole is unusable.

    The file's problems and the rows' problems and notes are in ``words``'s language.
    """
    _ = words.gettext
    if not data:
        raise ApplicantFileError(_("The file is empty. Download the template to see the expected columns."))
    if len(data) > MAX_BYTES:
        raise ApplicantFileError(
            _("The file is {size} ({bytes}); the limit is {limit}. Split it into smaller files.").format(
                size=format_size(len(data)), bytes=format_bytes(len(data)), limit=format_bytes(MAX_BYTES)
            )
        )
    is_xlsx = data[:4] == b"PK\x03\x04"
    if filename.lower().endswith(".xlsx") and not is_xlsx:
        raise ApplicantFileError(_("The file is named .xlsx but is not an Excel workbook. Save it again as XLSX or CSV."))
    table = _read_xlsx(data, words) if is_xlsx else _read_csv(data)
    if not table:
        raise ApplicantFileError(_("The file has no rows. Download the template to see the expected columns."))
    headers = [_header(h) for h in table[0]]
    missing = [name for name in REQUIRED if name not in headers]
    if missing:
        said = words.ngettext("Missing column: {missing}.", "Missing columns: {missing}.", len(missing)).format(
            missing=", ".join(missing)
        )
        columns = _("The columns are {columns} (the first three are required); found: {found}.").format(
            columns=", ".join(FIELDS), found=", ".join(h for h in headers if h) or _("none")
        )
        raise ApplicantFileError(f"{said} {columns}")
    if len(table) - 1 > MAX_ROWS:
        raise ApplicantFileError(
            _("The file has {rows} rows; {limit} at most per run.").format(rows=len(table) - 1, limit=MAX_ROWS)
        )
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(headers) if name in FIELDS}
        extra = len(cells) > len(headers) and any(c.strip() for c in cells[len(headers) :])
        rows.append(_check_row(line, values, extra=extra, words=words))
    return rows


def _check_row(line: int, values: dict[str, str], extra: bool, words: Translator = ENGLISH) -> Row:
    _ = words.gettext
    checked: Checked = check_applicant(values, words=words)
    problems = dict(checked.errors)
    warning = _phone_warning(values.get("phone_number", ""), words)
    if warning:
        problems["phone_number"] = warning
    elif re.fullmatch(r"8[0-9]{8,12}", values.get("phone_number", "")):
        # Valid for TD (it accepts a leading 8), but usually a 0 that Excel dropped: say so, still send.
        checked.notes["phone_number"] = _("starts with 8: Excel may have dropped a leading 0 (accepted as is)")
    if extra:
        problems["row"] = _("has more cells than there are columns (a comma inside an unquoted value?)")
    request = None if problems else checked.request
    return Row(line, values, request, problems, checked.notes)
