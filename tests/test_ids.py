"""kyc.ids: NPWP forms and check digits, NIK decoding, and the income API's phone rule."""

import datetime as dt

import pytest

from kyc import ids


@pytest.mark.parametrize(
    "number, form, formatted",
    [
        ("013121660091000", ids.NPWP_15, "01.312.166.0-091.000"),
        ("01.312.166.0-091.000", ids.NPWP_15, "01.312.166.0-091.000"),
        ("0013121660091000", ids.NPWP_16, "0013 1216 6009 1000"),
        ("3171011708450001", ids.NIK_AS_NPWP, "3171 0117 0845 0001"),
    ],
)
def test_valid_npwp_forms_are_told_apart_and_formatted(number, form, formatted):
    check = ids.check_npwp(number)
    assert check.valid, check.problem
    assert check.form == form
    assert check.formatted == formatted


def test_vendor_sample_npwp_fails_its_check_digit_without_crashing():
    check = ids.check_npwp("14.235.842.2-201.000")
    assert not check.valid
    assert check.form == ids.NPWP_15
    assert "check digit" in check.problem
    assert check.formatted == "14.235.842.2-201.000"


@pytest.mark.parametrize(
    "number, problem",
    [("", "required"), ("12345", "15 or 16 digits needed, 5 given"), ("01.312.166.0-091.00X", "only digits"), ("9971011708450001", "region")],
)
def test_invalid_npwp_says_why(number, problem):
    check = ids.check_npwp(number)
    assert not check.valid
    assert problem in check.problem


def test_format_round_trips_through_compact():
    for number in ("013121660091000", "0013121660091000", "3171011708450001"):
        assert ids.compact(ids.format_npwp(number)) == number


def test_nik_decodes_birth_date_sex_and_region():
    info = ids.check_nik("3171015708450001")
    assert info.valid
    assert info.birth_date == dt.date(1945, 8, 17)
    assert info.sex == "female"  # day 57 = 17 + 40
    assert info.province == "Daerah Khusus Ibukota Jakarta"
    assert info.regency == "JAKARTA SELATAN"


def test_nik_century_is_the_latest_one_not_in_the_future():
    assert ids.nik_birth_date("3171011708050001", today=dt.date(2026, 1, 1)) == dt.date(2005, 8, 17)
    assert ids.nik_birth_date("3171011708300001", today=dt.date(2026, 1, 1)) == dt.date(1930, 8, 17)
    assert ids.check_nik("3171011708050001").sex == "male"


@pytest.mark.parametrize(
    "number, problem",
    [
        ("317305189293843", "16 digits needed, 15 given"),  # the vendor's 15-digit sample
        ("9971011708450001", "region code 9971"),
        ("3171013213450001", "not a real birth date"),
        ("31710117084500AB", "only digits"),
        ("²" * 16, "only digits"),
    ],
)
def test_invalid_nik_says_why(number, problem):
    info = ids.check_nik(number)
    assert not info.valid
    assert problem in info.problem


def test_npwp_matches_nik_only_for_nik_as_npwp():
    assert ids.npwp_matches_nik("3171011708450001", "3171 0117 0845 0001") is True
    assert ids.npwp_matches_nik("3171011708450001", "3171011708450002") is False
    assert ids.npwp_matches_nik("01.312.166.0-091.000", "3171011708450001") is None


@pytest.mark.parametrize(
    "number, cleaned",
    [
        ("+6281234567890", "+6281234567890"),  # 13 digits: the + is not counted
        ("6281234567", "6281234567"),
        ("081234567890", "081234567890"),
        ("8123456789", "8123456789"),
        ("0812-3456 7890", "081234567890"),
    ],
)
def test_valid_phone_numbers(number, cleaned):
    check = ids.check_phone(number)
    assert check.valid, check.problem
    assert check.number == cleaned


@pytest.mark.parametrize(
    "number, problem",
    [
        ("", "required"),
        ("0812345678901234", "16 given"),
        ("081234567", "9 given"),
        ("0712345678", "start with"),
        ("+0812345678", "start with"),
        ("0812345678a", "only digits"),
        ("62+81234567890", "only digits"),
        ("081234567٣٤٥", "only digits"),  # Arabic-Indic digits
    ],
)
def test_invalid_phone_numbers_say_why(number, problem):
    check = ids.check_phone(number)
    assert not check.valid
    assert problem in check.problem
