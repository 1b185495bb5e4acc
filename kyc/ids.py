"""Indonesian identity numbers: NPWP (tax number), NIK (population number) and phone numbers.

Check digits and region data come from python-stdnum (``stdnum.id.npwp``, ``stdnum.id.nik``);
this module only adds what the app needs on top: which NPWP form a number is, a decoded
NIK, and the income API's phone rule. Every check returns a result object instead of
raising, so that a demo can show a bad number as a finding.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from stdnum import numdb
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError
from stdnum.id import nik as _nik
from stdnum.id import npwp as _npwp
from stdnum.util import isdigits  # ASCII 0-9 only: str.isdigit() also accepts "²" and "٣"

from kyc.i18n import N_, gettext_for

# The forms' names are shown on a badge: marked, translated where shown (kyc's catalog).
NPWP_15 = N_("15-digit")
NPWP_16 = N_("16-digit")
NIK_AS_NPWP = N_("NIK as NPWP")

# Problems read after a field name and a colon: "NIK: 16 digits needed, 15 given". Marked for
# kyc's catalog: ``check.problem`` is the English, ``check.problem_in(lang)`` says it in ``lang``.
REQUIRED = N_("required")
_REASONS = {
    InvalidChecksum: N_("the check digit does not match"),
    InvalidFormat: N_("only digits are allowed"),
    InvalidComponent: N_("the region code or birth date in it does not exist"),
}
_LENGTH = N_("{needed} digits needed, {given} given")
_NOT_VALID = N_("not a valid number")
_NIK_DATE = N_("digits 7-12 are not a real birth date")
_NIK_REGION = N_("region code {region} is not a known regency")
_PHONE_DIGITS = N_("only digits and a leading + are allowed")
_PHONE_START = N_("must start with +628, 628, 08 or 8")
_PHONE_LENGTH = N_("10 to 13 digits needed, {count} given")
#: "15 or 16" digits needed: the "or" is a word.
_NPWP_LENGTHS = N_("15 or 16")


@dataclass(frozen=True)
class Problem:
    """A problem's template (kyc's catalog's English) and its values: ``text()`` is the English,
    ``text("id")`` the Indonesian."""

    template: str
    params: tuple[tuple[str, Any], ...] = ()

    def text(self, lang: str = "en") -> str:
        _ = gettext_for(lang)
        return _(self.template).format(**{k: _(v) if isinstance(v, str) else v for k, v in self.params})


def _problem(template: str, **params: Any) -> Problem:
    return Problem(template, tuple(params.items()))


class _SaysProblem:
    """``problem_in(lang)``: the check's problem in ``lang`` ("id" or "en"), or None."""

    problem: str | None
    said: Problem | None

    def problem_in(self, lang: str) -> str | None:
        if self.problem is None:
            return None
        if self.said is None:
            return gettext_for(lang)(self.problem)
        return self.said.text(lang)


def _reason(exc: ValidationError, digits: str, needed: str) -> Problem:
    if isinstance(exc, InvalidLength):
        return _problem(_LENGTH, needed=needed, given=len(digits))
    for kind, text in _REASONS.items():
        if isinstance(exc, kind):
            return _problem(text)
    return _problem(_NOT_VALID)


def compact(number: str) -> str:
    """Strip spaces, dots and dashes: the form both numbers are compared and sent in."""
    return _npwp.compact(str(number or ""))


# --- NPWP -------------------------------------------------------------------------------


@dataclass(frozen=True)
class NpwpCheck(_SaysProblem):
    """The verdict on one NPWP: whether it is valid, which form it is, and how to show it.

    ``problem`` is in English; ``problem_in(lang)`` says it in the page's language."""

    number: str
    valid: bool
    form: str | None
    formatted: str
    problem: str | None = None
    said: Problem | None = field(default=None, repr=False, compare=False)


def npwp_form(number: str) -> str | None:
    """Name the NPWP form by its digits: 15-digit, 16-digit (leading 0), or NIK as NPWP."""
    digits = compact(number)
    if not isdigits(digits):
        return None
    if len(digits) == 15:
        return NPWP_15
    if len(digits) == 16:
        return NPWP_16 if digits.startswith("0") else NIK_AS_NPWP
    return None


def format_npwp(number: str) -> str:
    """Show an NPWP the way the tax office prints it; anything unrecognised comes back as given."""
    digits = compact(number)
    form = npwp_form(digits)
    if form == NPWP_15:
        return _npwp.format(digits)
    if form in (NPWP_16, NIK_AS_NPWP):
        # Both 16-digit forms (a leading 0, or a NIK) are printed in groups of four.
        return " ".join(digits[i : i + 4] for i in range(0, 16, 4))
    return str(number or "").strip()


def check_npwp(number: str) -> NpwpCheck:
    """Validate an NPWP in any of its three forms, with the reason when it fails."""
    digits = compact(number)
    form = npwp_form(digits)
    if not digits:
        return NpwpCheck(digits, False, None, "", REQUIRED)
    try:
        _npwp.validate(digits)
    except ValidationError as exc:
        said = _reason(exc, digits, _NPWP_LENGTHS)
        return NpwpCheck(digits, False, form, format_npwp(digits), said.text(), said)
    return NpwpCheck(digits, True, form, format_npwp(digits))


# --- NIK --------------------------------------------------------------------------------


@dataclass(frozen=True)
class NikInfo(_SaysProblem):
    """A NIK checked and decoded: place of first registration, birth date and sex.

    ``problem`` is in English; ``problem_in(lang)`` says it in the page's language."""

    number: str
    valid: bool
    problem: str | None = None
    birth_date: dt.date | None = None
    sex: str | None = None  # "male" or "female", the income API's words
    province: str | None = None
    regency: str | None = None
    said: Problem | None = field(default=None, repr=False, compare=False)


def nik_birth_date(number: str, today: dt.date | None = None) -> dt.date:
    """Birth date from a NIK, taking the latest century that does not lie in the future.

    stdnum tries 1900 before 2000, which makes someone born in 2005 a 1905 birth; the NIK
    only holds two year digits, so the most recent plausible century is the better guess.
    """
    digits = compact(number)
    today = today or dt.date.today()
    day, month, year = int(digits[6:8]) % 40, int(digits[8:10]), int(digits[10:12])
    for century in (2000, 1900):
        try:
            born = dt.date(century + year, month, day)
        except ValueError:
            continue
        if born <= today:
            return born
    raise InvalidComponent()


def _region(digits: str) -> tuple[str | None, str | None]:
    found = numdb.get("id/loc").info(digits[:4])
    province = found[0][1].get("name_id") if found and found[0][1] else None
    regency = found[1][1].get("name_id") if len(found) > 1 and found[1][1] else None
    return province, regency


def check_nik(number: str) -> NikInfo:
    """Validate a NIK with stdnum and decode whatever parts of it can be read."""
    digits = compact(number)
    if not digits:
        return NikInfo(digits, False, REQUIRED)
    parts = _decode_parts(digits)
    try:
        _nik.validate(digits)
    except InvalidComponent:
        # Say which part is wrong: the date (DDMMYY, +40 for women) or the region (PPRR).
        said = _problem(_NIK_DATE) if parts[0] is None else _problem(_NIK_REGION, region=digits[:4])
        return NikInfo(digits, False, said.text(), *parts, said=said)
    except ValidationError as exc:
        said = _reason(exc, digits, "16")
        return NikInfo(digits, False, said.text(), *parts, said=said)
    return NikInfo(digits, True, None, *parts)


def _decode_parts(digits: str) -> tuple[dt.date | None, str | None, str | None, str | None]:
    if len(digits) != 16 or not isdigits(digits):
        return None, None, None, None
    try:
        born: dt.date | None = nik_birth_date(digits)
    except ValidationError:
        born = None
    sex = "female" if int(digits[6:8]) > 40 else "male"
    return (born, sex, *_region(digits))


def npwp_matches_nik(npwp: str, nik: str) -> bool | None:
    """Whether an NIK-as-NPWP equals the NIK; None where the NPWP is not a NIK at all."""
    if npwp_form(npwp) != NIK_AS_NPWP:
        return None
    return compact(npwp) == compact(nik)


# --- Phone numbers (income API rule) ------------------------------------------------------

_PHONE_SEPARATORS = re.compile(r"[\s\-().]")
# [0-9], not \d: \d also matches Arabic-Indic and other digits that TD refuses.
_PHONE_RULE = re.compile(r"^(\+628|628|08|8)[0-9]*$")


@dataclass(frozen=True)
class PhoneCheck(_SaysProblem):
    """An Indonesian mobile number checked against the income API's rule.

    ``problem`` is in English; ``problem_in(lang)`` says it in the page's language."""

    number: str
    valid: bool
    problem: str | None = None
    said: Problem | None = field(default=None, repr=False, compare=False)


def check_phone(number: str) -> PhoneCheck:
    """Apply TD's rule: 10-13 digits (a leading + is not counted), starting +628, 628, 08 or 8.

    Spaces, dashes, dots and brackets are dropped first, so "0812-3456-7890" is accepted
    and sent as 081234567890.
    """
    cleaned = _PHONE_SEPARATORS.sub("", str(number or ""))
    if not cleaned:
        return PhoneCheck(cleaned, False, REQUIRED)
    if not re.fullmatch(r"\+?[0-9]+", cleaned):
        return PhoneCheck(cleaned, False, _PHONE_DIGITS)
    if not _PHONE_RULE.match(cleaned):
        return PhoneCheck(cleaned, False, _PHONE_START)
    count = len(cleaned.lstrip("+"))
    if not 10 <= count <= 13:
        said = _problem(_PHONE_LENGTH, count=count)
        return PhoneCheck(cleaned, False, said.text(), said)
    return PhoneCheck(cleaned, True)
