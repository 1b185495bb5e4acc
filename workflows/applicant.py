"""Checking an applicant before it is sent to income verification.

The rules are ``kyc.ids``'s (and TD's): a field that breaks one says what is wrong and the
applicant is not sent. ``as_typed=True`` skips the checks, so QA can see what the vendor
itself answers to a malformed field. Advice that should not block sending (a birth date
that contradicts the NIK) comes back separately as notes.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from email_validator import EmailNotValidError, validate_email

from kyc import ids
from kyc.income import COMPARED_FIELDS, PROGRAMS, IncomeRequest

FIELDS = ("name", "phone_number", "id_number", "sex", "birthdate", "package", "email", "address_employee")
LABELS = {
    "name": "Name",
    "phone_number": "Phone number",
    "id_number": "NIK",
    "sex": "Sex",
    "birthdate": "Birth date",
    "package": "BPJS programs",
    "email": "Email",
    "address_employee": "Home address",
}
MAX_LENGTH = 500  # characters per field: generous for any real name or address; stops a pasted document
MULTILINE = ("address_employee",)  # typed in a text area: the only field that may hold line breaks
# Invisible characters that are part of writing, not noise: ZWNJ and ZWJ join emoji (👩‍💻)
# and shape some scripts, so they are allowed; every other format character is refused.
ALLOWED_INVISIBLE = frozenset("\u200c\u200d")
_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")  # what str.splitlines() breaks on
_CONTROL_NAMES = {
    "\x00": "NUL",
    "\t": "TAB",
    "\n": "LINE FEED",
    "\r": "CARRIAGE RETURN",
    "\x0b": "LINE TABULATION",
    "\x0c": "FORM FEED",
    "\x1b": "ESC",
    "\x7f": "DEL",
}


@dataclass
class Checked:
    """The outcome of checking a form: the request to send (None if blocked), errors and notes."""

    request: IncomeRequest | None
    errors: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _describe(char: str) -> str:
    """ "U+200B ZERO WIDTH SPACE": a character nobody can see, named so it can be found."""
    name = _CONTROL_NAMES.get(char) or unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def hidden_character(text: str, multiline: bool = False) -> str | None:
    """Why ``text`` cannot be sent as it looks, or None.

    A control character (NUL, ESC, a tab), an invisible format character (a zero-width space,
    a byte-order mark, a right-to-left override) or, in a one-line field, a line break: each
    would be sent to the vendor and compared without anyone seeing it.
    """
    for position, char in enumerate(text, start=1):
        if multiline and char in "\r\n":
            continue
        if char in _LINE_BREAKS and not multiline:
            return "must be on one line (it contains a line break)"
        category = unicodedata.category(char)
        if category in ("Cc", "Cs") or char in _LINE_BREAKS or (category == "Cf" and char not in ALLOWED_INVISIBLE):
            kind = (
                "an invisible character"
                if category == "Cf"
                else "a line-break character"
                if char in _LINE_BREAKS
                else "a control character"
            )
            return f"contains {kind}, {_describe(char)}, at position {position}: delete it and type the value again"
    return None


def programs(value: Any) -> list[str]:
    """Program codes from a comma string or a list, trimmed and upper-cased."""
    if value is None or value == "":
        return []
    items: Iterable[Any] = value.split(",") if isinstance(value, str) else value
    return [str(item).strip().upper() for item in items if str(item).strip()]


def check_applicant(values: Mapping[str, Any], as_typed: bool = False, today: dt.date | None = None) -> Checked:
    """Check the form values and build the ``IncomeRequest`` to send.

    Values are trimmed; the phone number loses its spaces and dashes and the NIK its
    separators. A value longer than ``MAX_LENGTH`` characters, or holding a control or
    invisible character (see ``hidden_character``), is refused with a reason; everything else
    (diacritics, right-to-left scripts, emoji, Markdown or HTML characters) is sent as typed.
    With ``as_typed`` every value goes out exactly as typed (only a package list is joined
    with commas, as the API expects).
    """
    if as_typed:
        raw = {name: values.get(name) for name in FIELDS}
        package = raw["package"] if isinstance(raw["package"], (str, type(None))) else ",".join(map(str, raw["package"]))
        request = IncomeRequest(
            name=str(raw["name"] or ""),
            phone_number=str(raw["phone_number"] or ""),
            id_number=str(raw["id_number"] or ""),
            sex=raw["sex"] or None,
            birthdate=_text(raw["birthdate"]) if isinstance(raw["birthdate"], dt.date) else (raw["birthdate"] or None),
            package=package or None,
            email=raw["email"] or None,
            address_employee=raw["address_employee"] or None,
        )
        return Checked(request)

    today = today or dt.date.today()
    errors: dict[str, str] = {}
    notes: dict[str, str] = {}
    clean = {name: _text(values.get(name)) for name in FIELDS if name != "package"}

    for name, text in clean.items():
        if len(text) > MAX_LENGTH:
            errors[name] = f"too long: {MAX_LENGTH:,} characters at most, {len(text):,} given"
        else:
            problem = hidden_character(text, multiline=name in MULTILINE)
            if problem:
                errors[name] = problem

    if not clean["name"]:
        errors["name"] = "required"

    phone = ids.check_phone(clean["phone_number"])
    if not phone.valid:
        errors.setdefault("phone_number", phone.problem or "not valid")

    nik = ids.check_nik(clean["id_number"])
    if not nik.valid:
        errors.setdefault("id_number", nik.problem or "not valid")

    sex = clean["sex"].lower() if "sex" not in errors else ""
    if sex and sex not in ("male", "female"):
        errors["sex"] = "must be male or female"
    elif sex and nik.valid and nik.sex and sex != nik.sex:
        notes["sex"] = f"the NIK says {nik.sex}; the API will likely answer NOT MATCH"

    birthdate = clean["birthdate"] if "birthdate" not in errors else ""
    if birthdate:
        # Strictly YYYY-MM-DD, as TD wants it: Python 3.11 also reads "19900512" and "1990-W19-6".
        try:
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", birthdate):
                raise ValueError(birthdate)
            born = dt.date.fromisoformat(birthdate)
        except ValueError:
            errors["birthdate"] = "write a real date as YYYY-MM-DD"
        else:
            if born > today:
                errors["birthdate"] = "lies in the future"
            elif nik.valid and nik.birth_date and born != nik.birth_date:
                notes["birthdate"] = f"the NIK says {nik.birth_date.isoformat()}; the API will likely answer NOT MATCH"

    codes = programs(values.get("package"))
    unknown = [code for code in codes if code not in PROGRAMS and code != "JP"]
    if unknown:
        errors["package"] = f"{', '.join(unknown)} is not a BPJS program (use {', '.join(PROGRAMS)})"

    email = clean["email"] if "email" not in errors else ""
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            message = str(exc).rstrip(".")
            errors.setdefault("email", message[:1].lower() + message[1:])

    if errors:
        return Checked(None, errors, notes)
    request = IncomeRequest(
        name=clean["name"],
        phone_number=phone.number,
        id_number=nik.number,
        sex=sex or None,
        birthdate=birthdate or None,
        package=",".join(dict.fromkeys(codes)) or None,
        email=email or None,
        address_employee=clean["address_employee"] or None,
    )
    return Checked(request, {}, notes)


def suggestions_from_nik(nik: str) -> dict[str, str]:
    """Sex and birth date read from a valid NIK, to prefill a form; empty if the NIK is invalid."""
    info = ids.check_nik(nik)
    if not info.valid or info.birth_date is None or info.sex is None:
        return {}
    return {"sex": info.sex, "birthdate": info.birth_date.isoformat()}


#: Fields TD takes to find the person but never compares: they get no verdict.
NOT_COMPARED = ("name", "phone_number", "id_number")
NOT_COMPARED_VERDICT = "not compared by TD"
SEXES = {"male": "Male", "female": "Female"}


def shown_value(name: str, value: str | None) -> str:
    """A sent value as a person reads it: "Female", "12 May 1985", the BPJS programmes' names.

    The raw value (``female``, ``1985-05-12``, ``JHT,JKK``) stays in the request inspector.
    """
    if not value:
        return ""
    if name == "sex":
        return SEXES.get(value.strip().lower(), value)
    if name == "birthdate":
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            return value
        return f"{day.day} {day:%B} {day.year}"
    if name == "package":
        codes = programs(value)
        return ", ".join(f"{PROGRAMS[c].split(' (')[0]} ({c})" if c in PROGRAMS else c for c in codes)
    return value


def comparison_rows(request: IncomeRequest, comparisons: Mapping[str, str]) -> list[dict[str, str]]:
    """One row per comparable field: what was sent and the verdict, or "not sent".

    The API compares only what it receives, so a field left out has no verdict. ``shown`` is
    the sent value in words (``shown_value``).
    """
    payload = request.to_payload()
    rows = []
    for name in COMPARED_FIELDS:
        sent = payload.get(name)
        if sent is None:
            verdict = "not sent"
        else:
            verdict = comparisons.get(name, "no verdict returned")
        rows.append(
            {"field": LABELS[name], "key": name, "submitted": sent or "", "shown": shown_value(name, sent), "verdict": verdict}
        )
    return rows


def not_compared_rows(request: IncomeRequest) -> list[dict[str, str]]:
    """Name, phone number and NIK as sent, each marked "not compared by TD": TD uses them to find
    the record and returns no verdict on them, so nobody should read the table as if it did."""
    payload = request.to_payload()
    return [
        {"field": LABELS[name], "key": name, "submitted": payload.get(name) or "", "shown": payload.get(name) or "",
         "verdict": NOT_COMPARED_VERDICT}
        for name in NOT_COMPARED
    ]  # fmt: skip


def match_summary(rows: Iterable[Mapping[str, str]]) -> str:
    """ "3 of 5 fields sent match" over the compared rows (fields not sent leave the count)."""
    verdicts = [row["verdict"] for row in rows if row["verdict"] not in ("not sent", NOT_COMPARED_VERDICT)]
    matched = sum(verdict == "MATCH" for verdict in verdicts)
    if not verdicts:
        return "No field that TD compares was sent"
    noun = "field sent matches" if len(verdicts) == 1 and matched == 1 else "fields sent match"
    return f"{matched} of {len(verdicts)} {noun}"
