"""Deterministic employment records for the income sandbox, derived from the NIK alone.

The same NIK always yields the same record (seeded from a SHA-256 of the NIK, never the
clock or Python's salted ``hash``), so demos and tests are repeatable. Sex and birth
date come from the NIK itself, which keeps the MATCH / NOT MATCH comparisons honest.
"""

from __future__ import annotations

import datetime
import hashlib
import random
from dataclasses import dataclass
from functools import lru_cache

from .personas import FIXED_RECORDS

# The 18 range labels of the income spec, in order.
SALARY_BANDS: tuple[str, ...] = (
    "0-2.5JT",
    "2.5-3.5JT",
    "3.5-4.5JT",
    "4.5-5.5JT",
    "5.5-6.5JT",
    "6.5-7.5JT",
    "7.5-8.5JT",
    "8.5-10.5JT",
    "10.5-13JT",
    "13-16JT",
    "16-20JT",
    "20-30JT",
    "30-40JT",
    "40-55JT",
    "55-70JT",
    "70-85JT",
    "85-100JT",
    ">100JT",
)
# Most formal-sector salaries sit in the lower-middle bands; the weights make a demo look
# plausible without pretending to be statistics.
_BAND_WEIGHTS = (4, 10, 12, 12, 10, 9, 8, 9, 7, 6, 5, 4, 2, 1.5, 1, 0.5, 0.3, 0.2)

PACKAGES = ("JHT,JKK,JKM", "JHT,JKK,JKM,JPN", "JKK,JKM")
_PACKAGE_WEIGHTS = (5, 8, 1)

_COMPANY_WORDS = (
    "MAJU",
    "MAKMUR",
    "SINAR",
    "JAYA",
    "ABADI",
    "SENTOSA",
    "KARYA",
    "MITRA",
    "BUMI",
    "CAHAYA",
    "NUSANTARA",
    "SEJAHTERA",
    "PRIMA",
    "MANDIRI",
    "GEMILANG",
    "PERKASA",
    "SAMUDRA",
    "INTI",
    "BERKAH",
    "UTAMA",
    "DUTA",
    "GLOBAL",
    "SEMESTA",
    "ANUGERAH",
)
_COMPANY_TRADES = (
    "",
    "",
    "LOGISTIK",
    "TEKNOLOGI",
    "RETAILINDO",
    "FARMA",
    "KONSTRUKSI",
    "DIGITAL",
    "PANGAN",
    "TEKSTIL",
    "ENERGI",
    "MEDIA",
)
_STREETS = (
    "SUDIRMAN",
    "THAMRIN",
    "GATOT SUBROTO",
    "ASIA AFRIKA",
    "DIPONEGORO",
    "PEMUDA",
    "AHMAD YANI",
    "GAJAH MADA",
    "HAYAM WURUK",
    "MERDEKA",
    "SISINGAMANGARAJA",
    "PANGERAN ANTASARI",
    "RAYA DARMO",
    "VETERAN",
    "PAHLAWAN",
    "SUMUR BANDUNG",
    "MELATI",
    "KENANGA",
    "MAWAR",
    "CEMPAKA",
    "FLAMBOYAN",
    "BOUGENVILLE",
)
_CITIES = (
    ("JAKARTA SELATAN", "DKI JAKARTA"),
    ("JAKARTA PUSAT", "DKI JAKARTA"),
    ("BANDUNG", "JAWA BARAT"),
    ("BEKASI", "JAWA BARAT"),
    ("SURABAYA", "JAWA TIMUR"),
    ("SEMARANG", "JAWA TENGAH"),
    ("MEDAN", "SUMATERA UTARA"),
    ("MAKASSAR", "SULAWESI SELATAN"),
    ("DENPASAR", "BALI"),
    ("TANGERANG", "BANTEN"),
    ("BALIKPAPAN", "KALIMANTAN TIMUR"),
    ("PALEMBANG", "SUMATERA SELATAN"),
    ("YOGYAKARTA", "DI YOGYAKARTA"),
)
_FIRST_NAMES = (
    "andi",
    "budi",
    "citra",
    "dewi",
    "eko",
    "fitri",
    "gilang",
    "hendra",
    "indah",
    "joko",
    "kartika",
    "lestari",
    "maya",
    "nur",
    "putri",
    "rizky",
    "sari",
    "taufik",
    "wulan",
    "yusuf",
)
_LAST_NAMES = (
    "pratama",
    "saputra",
    "wijaya",
    "santoso",
    "hidayat",
    "kusuma",
    "setiawan",
    "rahayu",
    "nugroho",
    "siregar",
    "harahap",
    "wibowo",
    "susanto",
    "lubis",
    "gunawan",
)
_MAIL_DOMAINS = ("gmail.com", "yahoo.co.id", "gmail.com", "outlook.com", "ymail.com")

# Salary months are drawn from a fixed window, not "recent months from today": the
# record must not change with the wall clock.
_LAST_SALARY_ANCHOR = (2025, 12)


@dataclass(frozen=True)
class IncomeRecord:
    """What the sandbox "knows" about the person behind a NIK."""

    company: str
    address_company: str
    month_last_salary: str  # MM/YYYY
    range_salary: str  # one of SALARY_BANDS
    package: str  # comma-separated program codes
    email: str
    address_employee: str
    sex: str  # "male" or "female", from the NIK
    birthdate: datetime.date | None  # from the NIK; None if the NIK's date is not a date


def is_no_record(nik: str) -> bool:
    """A NIK whose serial (last four digits) is 0000 is unknown to the bureau."""
    return nik.endswith("0000")


def sex_from_nik(nik: str) -> str:
    """Women have 40 added to the day of birth in the NIK."""
    return "female" if int(nik[6:8]) > 40 else "male"


def birthdate_from_nik(nik: str, today: datetime.date | None = None) -> datetime.date | None:
    """Birth date in the NIK, in the latest century that does not put it in the future.

    Returns None for a NIK whose date part is not a real date (QA sends those on purpose).
    """
    today = today or datetime.date.today()
    day = int(nik[6:8])
    if day > 40:
        day -= 40
    month, yy = int(nik[8:10]), int(nik[10:12])
    year = today.year // 100 * 100 + yy
    for candidate in (year, year - 100):
        try:
            born = datetime.date(candidate, month, day)
        except ValueError:
            continue  # e.g. 29 February in the non-leap century
        if born <= today:
            return born
    return None


def get_record(nik: str) -> IncomeRecord:
    """The record for a 16-digit NIK: a persona's fixed record, else a generated one."""
    return _cached_record(nik, datetime.date.today())


@lru_cache(maxsize=8192)
def _cached_record(nik: str, today: datetime.date) -> IncomeRecord:
    # `today` is part of the key only so the birth-year rule rolls over correctly.
    base = FIXED_RECORDS.get(nik) or {**_generate(nik), **_card_holder(nik)}
    return IncomeRecord(
        **base,
        sex=sex_from_nik(nik),
        birthdate=birthdate_from_nik(nik, today),
    )


def _generate(nik: str) -> dict[str, str]:
    rng = random.Random(int.from_bytes(hashlib.sha256(nik.encode("ascii")).digest()[:8], "big"))
    words = rng.sample(_COMPANY_WORDS, rng.choice((1, 2, 2, 3)))
    trade = rng.choice(_COMPANY_TRADES)
    company = " ".join(["PT", *words, *([trade] if trade else [])])
    if rng.random() < 0.08:
        company += " TBK"
    city, province = rng.choice(_CITIES)
    address_company = f"JL. {rng.choice(_STREETS)} NO. {rng.randint(1, 250)}, {city}, {province}"

    months_back = rng.randint(0, 11)
    year, month = divmod(_LAST_SALARY_ANCHOR[0] * 12 + _LAST_SALARY_ANCHOR[1] - 1 - months_back, 12)
    month_last_salary = f"{month + 1:02d}/{year}"

    first, last = rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES)
    email = f"{first}.{last}{rng.randint(1, 99)}@{rng.choice(_MAIL_DOMAINS)}"

    home_city = _regency_name(nik) or rng.choice(_CITIES)[0]
    address_employee = (
        f"JL. {rng.choice(_STREETS)} NO. {rng.randint(1, 120)} "
        f"RT {rng.randint(1, 15):03d} RW {rng.randint(1, 12):03d}, {home_city}"
    )
    return {
        "company": company,
        "address_company": address_company,
        "month_last_salary": month_last_salary,
        "range_salary": rng.choices(SALARY_BANDS, weights=_BAND_WEIGHTS)[0],
        "package": rng.choices(PACKAGES, weights=_PACKAGE_WEIGHTS)[0],
        "email": email,
        "address_employee": address_employee,
    }


@lru_cache(maxsize=1)
def _card_addresses() -> dict[str, str]:
    """Home addresses printed on the shipped sample cards, by the holder's NIK."""
    from .samples import catalogue

    return {sample.fields["nik"]: sample.fields["address"] for sample in catalogue()}


def _card_holder(nik: str) -> dict[str, str]:
    """A sample card's holder lives where the card says, so a demo that carries the card's
    address into the income form sees it MATCH."""
    address = _card_addresses().get(nik)
    return {"address_employee": address} if address else {}


def _regency_name(nik: str) -> str | None:
    """The regency/city of registration from python-stdnum's bundled data, if known."""
    try:
        from stdnum import numdb

        parts = numdb.get("id/loc").info(nik[:4])
        return parts[1][1].get("name_id") if len(parts) > 1 else None
    except Exception:  # stdnum data missing or changed shape: fall back to a random city
        return None
