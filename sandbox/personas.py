"""Named demo people for the income sandbox, so a demo can show each outcome on purpose.

Their NIKs are valid (real province and regency codes, real birth dates; checked with
python-stdnum in the tests). Their records are fixed here rather than generated, so the
"all match" persona keeps matching whatever happens to the generator.
"""

from __future__ import annotations

import copy
from typing import Any

_ALL_MATCH_NIK = "3174015205900123"  # Jakarta Barat, female (52 = 12 + 40), 12 May 1990
_MISMATCH_NIK = "3273022308850456"  # Bandung, male, 23 August 1985
_NO_RECORD_NIK = "3578054311950000"  # Surabaya, female, 3 November 1995; serial 0000

# Records by NIK, layered over the generator in records.py. Sex and birth date are not
# here: they always come from the NIK.
FIXED_RECORDS: dict[str, dict[str, str]] = {
    _ALL_MATCH_NIK: {
        "company": "PT SINAR NUSANTARA LOGISTIK",
        "address_company": "JL. JEND. SUDIRMAN KAV. 52-53, JAKARTA SELATAN, DKI JAKARTA",
        "month_last_salary": "11/2025",
        "range_salary": "10.5-13JT",
        "package": "JHT,JKK,JKM,JPN",
        "email": "rina.wulandari@example.co.id",
        "address_employee": "JL. KENANGA NO. 12 RT 003 RW 005, JAKARTA BARAT",
    },
    _MISMATCH_NIK: {
        "company": "PT MAJU MAKMUR",
        "address_company": "JL. SUMUR BANDUNG 23, BANDUNG, JAWA BARAT",
        "month_last_salary": "10/2025",
        "range_salary": "6.5-7.5JT",
        "package": "JHT,JKK,JKM,JPN",
        "email": "agus.prasetyo85@example.co.id",
        "address_employee": "JL. DIPATI UKUR NO. 35 RT 002 RW 007, BANDUNG",
    },
}

_PERSONAS: list[dict[str, Any]] = [
    {
        "key": "all_match",
        "label": "Rina Wulandari: full match",
        "description": (
            "A hit where every submitted field agrees with the bureau's record: "
            "the sex and birth date encoded in her NIK, her BPJS programs, email and home address."
        ),
        "request": {
            "name": "RINA WULANDARI",
            "phone_number": "+6281234567890",
            "id_number": _ALL_MATCH_NIK,
            "sex": "female",
            "birthdate": "1990-05-12",
            "package": "JHT,JKK,JKM,JPN",
            "email": "rina.wulandari@example.co.id",
            "address_employee": "Jl. Kenanga No. 12 RT 003 RW 005, Jakarta Barat",
        },
        "expected": {
            "result": "hit",
            "comparisons": {
                "sex": "MATCH",
                "birthdate": "MATCH",
                "package": "MATCH",
                "email": "MATCH",
                "address_employee": "MATCH",
            },
        },
        "record": {**FIXED_RECORDS[_ALL_MATCH_NIK], "sex": "female", "birthdate": "1990-05-12"},
    },
    {
        "key": "mismatches",
        "label": "Agus Prasetyo: some fields do not match",
        "description": (
            "A hit where the applicant's claims partly disagree with the record: the birth date "
            "contradicts his NIK, he leaves out the pension program (JPN) and gives an old home "
            "address. Sex and email match."
        ),
        "request": {
            "name": "AGUS PRASETYO",
            "phone_number": "081298765432",
            "id_number": _MISMATCH_NIK,
            "sex": "male",
            "birthdate": "1985-03-08",
            "package": "JHT,JKK,JKM",
            "email": "Agus.Prasetyo85@example.co.id",
            "address_employee": "Jl. Cihampelas No. 8, Bandung",
        },
        "expected": {
            "result": "hit",
            "comparisons": {
                "sex": "MATCH",
                "birthdate": "NOT MATCH",
                "package": "NOT MATCH",
                "email": "MATCH",
                "address_employee": "NOT MATCH",
            },
        },
        "record": {**FIXED_RECORDS[_MISMATCH_NIK], "sex": "male", "birthdate": "1985-08-23"},
    },
    {
        "key": "no_record",
        "label": "Maya Anggraini: no record",
        "description": (
            "A valid NIK the bureau has never seen (its serial is 0000): the result is "
            "no_record and no data or comparisons come back."
        ),
        "request": {
            "name": "MAYA ANGGRAINI",
            "phone_number": "6285711223344",
            "id_number": _NO_RECORD_NIK,
            "sex": "female",
            "birthdate": "1995-11-03",
            "package": "JHT,JKK,JKM",
            "email": "maya.anggraini@example.co.id",
            "address_employee": "Jl. Raya Darmo No. 101, Surabaya",
        },
        "expected": {"result": "no_record", "comparisons": {}},
        "record": None,
    },
]


def personas() -> list[dict[str, Any]]:
    """The demo personas: key, label, description, request, expected result, record.

    Returns a fresh copy each call, so callers may modify it freely.
    """
    return copy.deepcopy(_PERSONAS)
