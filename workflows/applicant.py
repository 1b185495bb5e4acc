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
from kyc.income import COMPARED_FIELDS, PROGRAMS, IncomeRequest, program_name
from workflows.i18n import N_, Translator, translator

ENGLISH = translator("en")

FIELDS = ("name", "phone_number", "id_number", "sex", "birthdate", "package", "email", "address_employee")
# English, marked: translate where shown (``words.gettext(LABELS[name])``).
LABELS = {
    "name": N_("Name"),
    "phone_number": N_("Phone number"),
    "id_number": N_("NIK"),
    "sex": N_("Sex"),
    "birthdate": N_("Birth date"),
    "package": N_("BPJS programs"),
    "email": N_("Email"),
    "address_employee": N_("Home address"),
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


def hidden_character(text: str, multiline: bool = False, words: Translator = ENGLISH) -> str | None:
    """Why ``text`` cannot be sent as it looks, or None.

    A control character (NUL, ESC, a tab), an invisible format character (a zero-width space,
    a byte-order mark, a right-to-left override) or, in a one-line field, a line break: each
    would be sent to the vendor and compared without anyone seeing it.
    """
    _ = words.gettext
    for position, char in enumerate(text, start=1):
        if multiline and char in "\r\n":
            continue
        if char in _LINE_BREAKS and not multiline:
            return _("must be on one line (it contains a line break)")
        category = unicodedata.category(char)
        if category in ("Cc", "Cs") or char in _LINE_BREAKS or (category == "Cf" and char not in ALLOWED_INVISIBLE):
            if category == "Cf":
                template = _(
                    "contains an invisible character, {char}, at position {position}: delete it and type the value again"
                )
            elif char in _LINE_BREAKS:
                template = _(
                    "contains a line-break character, {char}, at position {position}: delete it and type the value again"
                )
            else:
                template = _("contains a control character, {char}, at position {position}: delete it and type the value again")
            return template.format(char=_describe(char), position=position)
    return None


def programs(value: Any) -> list[str]:
    """Program codes from a comma string or a list, trimmed and upper-cased."""
    if value is None or value == "":
        return []
    items: Iterable[Any] = value.split(",") if isinstance(value, str) else value
    return [str(item).strip().upper() for item in items if str(item).strip()]


def check_applicant(
    values: Mapping[str, Any], as_typed: bool = False, today: dt.date | None = None, words: Translator = ENGLISH
) -> Checked:
    """Check the form values and build the ``IncomeRequest`` to send.

    Values are trimmed; the phone number loses its spaces and dashes and the NIK its
    separators. A value longer than ``MAX_LENGTH`` characters, or holding a control or
    invisible character (see ``hidden_character``), is refused with a reason; everything else
    (diacritics, right-to-left scripts, emoji, Markdown or HTML characters) is sent as typed.
    With ``as_typed`` every value goes out exactly as typed (only a package list is joined
    with commas, as the API expects). Problems and notes are in ``words``'s language.
    """
    _ = words.gettext
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
            errors[name] = _("too long: {limit} characters at most, {given} given").format(
                limit=words.number(MAX_LENGTH), given=words.number(len(text))
            )
        else:
            problem = hidden_character(text, multiline=name in MULTILINE, words=words)
            if problem:
                errors[name] = problem

    if not clean["name"]:
        errors["name"] = _("required")

    phone = ids.check_phone(clean["phone_number"])
    if not phone.valid:
        errors.setdefault("phone_number", _id_problem(phone, words) or _("not valid"))

    nik = ids.check_nik(clean["id_number"])
    if not nik.valid:
        errors.setdefault("id_number", _id_problem(nik, words) or _("not valid"))

    sex = clean["sex"].lower() if "sex" not in errors else ""
    if sex and sex not in ("male", "female"):
        errors["sex"] = _("must be male or female")
    elif sex and nik.valid and nik.sex and sex != nik.sex:
        notes["sex"] = _("the NIK says {value}; the API will likely answer NOT MATCH").format(
            value=_(SEXES[nik.sex]).lower() if nik.sex in SEXES else nik.sex
        )

    birthdate = clean["birthdate"] if "birthdate" not in errors else ""
    if birthdate:
        # Strictly YYYY-MM-DD, as TD wants it: Python 3.11 also reads "19900512" and "1990-W19-6".
        try:
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", birthdate):
                raise ValueError(birthdate)
            born = dt.date.fromisoformat(birthdate)
        except ValueError:
            errors["birthdate"] = _("write a real date as YYYY-MM-DD")
        else:
            if born > today:
                errors["birthdate"] = _("lies in the future")
            elif nik.valid and nik.birth_date and born != nik.birth_date:
                notes["birthdate"] = _("the NIK says {value}; the API will likely answer NOT MATCH").format(
                    value=nik.birth_date.isoformat()
                )

    codes = programs(values.get("package"))
    unknown = [code for code in codes if code not in PROGRAMS and code != "JP"]
    if unknown:
        errors["package"] = _("{codes} is not a BPJS program (use {programs})").format(
            codes=", ".join(unknown), programs=", ".join(PROGRAMS)
        )

    email = clean["email"] if "email" not in errors else ""
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            # email_validator's own words, in English (it has no other language).
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


def _id_problem(check: Any, words: Translator) -> str | None:
    """A kyc.ids check's problem in ``words``'s language (``problem_in``), else as written."""
    said = getattr(check, "problem_in", None)
    return said(words.lang) if callable(said) else check.problem


def suggestions_from_nik(nik: str) -> dict[str, str]:
    """Sex and birth date read from a valid NIK, to prefill a form; empty if the NIK is invalid."""
    info = ids.check_nik(nik)
    if not info.valid or info.birth_date is None or info.sex is None:
        return {}
    return {"sex": info.sex, "birthdate": info.birth_date.isoformat()}


#: Fields TD takes to find the person but never compares: they get no verdict.
NOT_COMPARED = ("name", "phone_number", "id_number")
NOT_COMPARED_VERDICT = "not compared by TD"
NOT_SENT, NO_VERDICT = "not sent", "no verdict returned"
SEXES = {"male": N_("Male"), "female": N_("Female")}
# A row's verdict (a value compared by code: MATCH, NOT MATCH, not sent, …) as a person reads it.
# MATCH and NOT MATCH are TD's own words: the translation says them in words with TD's beside
# them ("Sesuai (MATCH)"); in English TD's word is the word.
VERDICT_WORDS = {
    "MATCH": N_("MATCH"),
    "NOT MATCH": N_("NOT MATCH"),
    NOT_SENT: N_("not sent"),
    NO_VERDICT: N_("no verdict returned"),
    NOT_COMPARED_VERDICT: N_("not compared by TD"),
}


def verdict_text(verdict: str, words: Translator = ENGLISH) -> str:
    """ "MATCH" / "Sesuai (MATCH)", "not sent" / "tidak dikirim"; any other vendor word as it is."""
    return words.gettext(VERDICT_WORDS[verdict]) if verdict in VERDICT_WORDS else verdict


def shown_value(name: str, value: str | None, words: Translator = ENGLISH) -> str:
    """A sent value as a person reads it: "Female", "12 May 1985", the BPJS programmes' names.

    The raw value (``female``, ``1985-05-12``, ``JHT,JKK``) stays in the request inspector.
    """
    if not value:
        return ""
    if name == "sex":
        sex = SEXES.get(value.strip().lower())
        return words.gettext(sex) if sex else value
    if name == "birthdate":
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            return value
        return words.date(day)
    if name == "package":
        codes = programs(value)
        return ", ".join(f"{program_name(c, words.lang).split(' (')[0]} ({c})" if c in PROGRAMS else c for c in codes)
    return value


def comparison_rows(request: IncomeRequest, comparisons: Mapping[str, str], words: Translator = ENGLISH) -> list[dict[str, str]]:
    """One row per comparable field: what was sent and the verdict, or "not sent".

    The API compares only what it receives, so a field left out has no verdict. ``shown`` is
    the sent value in words (``shown_value``); ``field`` is the label in ``words``'s language. The
    verdict stays a value (say it with ``verdict_text``).
    """
    payload = request.to_payload()
    rows = []
    for name in COMPARED_FIELDS:
        sent = payload.get(name)
        if sent is None:
            verdict = NOT_SENT
        else:
            verdict = comparisons.get(name, NO_VERDICT)
        rows.append(
            {
                "field": words.gettext(LABELS[name]),
                "key": name,
                "submitted": sent or "",
                "shown": shown_value(name, sent, words),
                "verdict": verdict,
            }
        )
    return rows


def not_compared_rows(request: IncomeRequest, words: Translator = ENGLISH) -> list[dict[str, str]]:
    """Name, phone number and NIK as sent, each marked "not compared by TD": TD uses them to find
    the record and returns no verdict on them, so nobody should read the table as if it did."""
    payload = request.to_payload()
    return [
        {"field": words.gettext(LABELS[name]), "key": name, "submitted": payload.get(name) or "",
         "shown": payload.get(name) or "", "verdict": NOT_COMPARED_VERDICT}
        for name in NOT_COMPARED
    ]  # fmt: skip


def match_summary(rows: Iterable[Mapping[str, str]], words: Translator = ENGLISH) -> str:
    """ "3 of 5 fields sent match" over the compared rows (fields not sent leave the count)."""
    _ = words.gettext
    verdicts = [row["verdict"] for row in rows if row["verdict"] not in (NOT_SENT, NOT_COMPARED_VERDICT)]
    matched = sum(verdict == "MATCH" for verdict in verdicts)
    if not verdicts:
        return _("No field that TD compares was sent")
    if len(verdicts) == 1 and matched == 1:
        return _("{matched} of {compared} field sent matches").format(matched=matched, compared=len(verdicts))
    return _("{matched} of {compared} fields sent match").format(matched=matched, compared=len(verdicts))
