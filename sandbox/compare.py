"""MATCH / NOT MATCH for the optional fields an income request sends.

Each rule is deliberately forgiving in the ways a real bureau would be (case, spacing,
the order of program codes) and strict in the ones that matter (the date, the sex).
"""

from __future__ import annotations

import datetime
import re

from .records import IncomeRecord

MATCH, NOT_MATCH = "MATCH", "NOT MATCH"

# Fields that are compared, in the order they appear in the response.
COMPARED_FIELDS = ("sex", "birthdate", "package", "email", "address_employee")

_NON_WORD = re.compile(r"[\W_]+")
# The spec lists JPN and calls it "Pension (JP)": both names mean the same program.
_PACKAGE_ALIASES = {"JP": "JPN"}


def package_codes(value: str) -> frozenset[str]:
    """The set of program codes in a comma string such as "jht, JKK,JKM,JP"."""
    codes = (part.strip().upper() for part in value.split(","))
    return frozenset(_PACKAGE_ALIASES.get(code, code) for code in codes if code)


def normalise_address(value: str) -> str:
    """Casefold and collapse punctuation and whitespace: "Jl. Melati  No.5" == "JL MELATI NO 5"."""
    return " ".join(_NON_WORD.sub(" ", value.casefold()).split())


def _equal(field: str, sent: str, record: IncomeRecord) -> bool:
    if field == "sex":
        return sent.strip().lower() == record.sex
    if field == "birthdate":
        return record.birthdate is not None and datetime.date.fromisoformat(sent) == record.birthdate
    if field == "package":
        return package_codes(sent) == package_codes(record.package)
    if field == "email":
        return sent.strip().casefold() == record.email.casefold()
    return normalise_address(sent) == normalise_address(record.address_employee)


def compare(sent: dict[str, str], record: IncomeRecord) -> dict[str, str]:
    """MATCH / NOT MATCH for each compared field present in ``sent``; absent fields get no key."""
    return {field: MATCH if _equal(field, sent[field], record) else NOT_MATCH for field in COMPARED_FIELDS if field in sent}
