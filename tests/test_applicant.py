"""workflows.applicant: the income form's checks before sending, and the comparison rows."""

import datetime as dt

import pytest

from kyc.income import IncomeRequest
from workflows.applicant import check_applicant, comparison_rows, suggestions_from_nik

VALID = {"name": " Rina Wulandari ", "phone_number": "0812-3456-7890", "id_number": "3174 0152 0590 0123"}
TODAY = dt.date(2026, 11, 21)


def test_valid_values_are_trimmed_and_normalised():
    checked = check_applicant(
        {**VALID, "sex": "Female", "package": ["jht", "JKK", "JHT"], "email": "Siti@Example.CO.ID"}, today=TODAY
    )
    assert checked.errors == {}
    assert checked.request.to_payload() == {
        "name": "Rina Wulandari",
        "phone_number": "081234567890",
        "id_number": "3174015205900123",
        "id_type": "national_id",
        "sex": "female",
        "package": "JHT,JKK",
        "email": "Siti@example.co.id",
    }


@pytest.mark.parametrize(
    "change, field, words",
    [
        ({"name": "  "}, "name", "required"),
        ({"phone_number": "0712345678"}, "phone_number", "start with"),
        ({"id_number": "317305189293843"}, "id_number", "16 digits needed"),
        ({"id_number": "²" * 16}, "id_number", "only digits"),
        ({"phone_number": "081234567٣٤٥"}, "phone_number", "only digits"),
        ({"sex": "m"}, "sex", "male or female"),
        ({"birthdate": "1990/05/12"}, "birthdate", "YYYY-MM-DD"),
        ({"birthdate": "19900512"}, "birthdate", "YYYY-MM-DD"),
        ({"birthdate": "1990-W19-6"}, "birthdate", "YYYY-MM-DD"),
        ({"birthdate": "2030-01-01"}, "birthdate", "future"),
        ({"package": "JHT,XYZ"}, "package", "XYZ is not a BPJS program"),
        ({"email": "siti@"}, "email", "@"),
        ({"address_employee": "x" * 501}, "address_employee", "500 characters at most"),
    ],
)
def test_each_bad_field_blocks_sending_with_a_reason(change, field, words):
    checked = check_applicant({**VALID, **change}, today=TODAY)
    assert checked.request is None
    assert words in checked.errors[field]


def test_contradicting_the_nik_is_advice_not_a_block():
    checked = check_applicant({**VALID, "sex": "male", "birthdate": "1985-03-08"}, today=TODAY)
    assert checked.request is not None
    assert "female" in checked.notes["sex"] and "1990-05-12" in checked.notes["birthdate"]


def test_as_typed_sends_everything_unchecked():
    checked = check_applicant(
        {"name": "", "phone_number": " 0712 ", "id_number": "12", "package": ["JHT", "JKM"], "birthdate": "12/05/1990"},
        as_typed=True,
    )
    assert checked.errors == {}
    assert checked.request.to_payload() == {
        "name": "",
        "phone_number": " 0712 ",
        "id_number": "12",
        "id_type": "national_id",
        "birthdate": "12/05/1990",
        "package": "JHT,JKM",
    }


def test_suggestions_come_from_a_valid_nik_only():
    assert suggestions_from_nik("3174015205900123") == {"sex": "female", "birthdate": "1990-05-12"}
    assert suggestions_from_nik("317305189293843") == {}


def test_comparison_rows_mark_fields_not_sent():
    request = IncomeRequest(name="A", phone_number="081234567890", id_number="3174015205900123", sex="female", email="a@b.co")
    rows = comparison_rows(request, {"sex": "MATCH", "email": "NOT MATCH"})
    assert [(r["key"], r["submitted"], r["verdict"]) for r in rows] == [
        ("sex", "female", "MATCH"),
        ("birthdate", "", "not sent"),
        ("package", "", "not sent"),
        ("email", "a@b.co", "NOT MATCH"),
        ("address_employee", "", "not sent"),
    ]


def test_sent_values_read_as_words():
    from workflows.applicant import shown_value

    assert shown_value("sex", "female") == "Female" and shown_value("sex", "male") == "Male"
    assert shown_value("birthdate", "1990-05-12") == "12 May 1990"
    assert shown_value("birthdate", "12/05/1990") == "12/05/1990"  # sent as typed: shown as typed
    assert shown_value("package", "JHT,JPN") == "Old-age savings (JHT), Pension (JPN)"
    assert shown_value("email", "a@b.id") == "a@b.id" and shown_value("email", None) == ""


def test_the_summary_counts_only_fields_sent_and_compared():
    from workflows.applicant import match_summary, not_compared_rows

    request = IncomeRequest(name="SITI", phone_number="081234567890", id_number="3174015205900123", sex="female", email="a@b.id")
    rows = comparison_rows(request, {"sex": "MATCH", "email": "NOT MATCH"}) + not_compared_rows(request)
    assert match_summary(rows) == "1 of 2 fields sent match"
    assert [row["verdict"] for row in not_compared_rows(request)] == ["not compared by TD"] * 3
    assert match_summary(comparison_rows(IncomeRequest("A", "0812", "3174015205900123"), {})) == (
        "No field that TD compares was sent"
    )
