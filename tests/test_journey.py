"""workflows.journey: the summary's checks, the verdict rules, and its JSON export."""

from __future__ import annotations

import json

import pytest

from kyc.errors import KycError
from kyc.http import CallRecord
from kyc.income import IncomeRequest, IncomeResult
from kyc.npwp import NpwpResult
from kyc.salary import parse_range
from tests.conftest import fixture_text
from workflows.journey import Summary, summarize

NIK = "3171015708450001"  # valid: South Jakarta, born 17 Aug 1945, female


def record(api: str = "npwp") -> CallRecord:
    return CallRecord(api=api, method="POST", url="http://x", headers={"API-Key": "***"}, body={})


def card(npwp: str | None = NIK, nik: str | None = NIK, name: str | None = "Siti Nurhaliza", detected: bool = True) -> NpwpResult:
    return NpwpResult(detected, npwp, name, nik, "JL. MERDEKA 1", "doc-id", "ref-id", "Success Extract Data", record())


def applicant(**changes: object) -> IncomeRequest:
    values: dict = dict(
        name="SITI  NURHALIZA",
        phone_number="081234567890",
        id_number=NIK,
        sex="female",
        birthdate="1945-08-17",
        email="siti@example.com",
    )
    values.update(changes)
    return IncomeRequest(**values)


def hit(comparisons: dict[str, str] | None = None, band: str | None = "5.5-6.5JT") -> IncomeResult:
    verdicts = {"sex": "MATCH", "birthdate": "MATCH", "email": "MATCH"} if comparisons is None else comparisons
    return IncomeResult(
        "hit",
        "seq-1",
        None,
        "PT MAJU MAKMUR",
        "JL. SUMUR BANDUNG 23",
        "10/2025",
        parse_range(band) if band else None,
        verdicts,
        record("income"),
    )


def run(income: IncomeResult | None = None, error: KycError | None = None, **kw: object) -> Summary:
    the_card = kw.pop("the_card", card())
    request = kw.pop("request", applicant())
    return summarize("npwp.png", the_card, request, income, error, **kw)


def test_everything_consistent_passes_with_readable_findings():
    summary = run(hit())
    assert summary.verdict.level == "pass"
    assert summary.verdict.reasons == []
    assert summary.verdict.findings == [
        "Identity consistent: NPWP and NIK valid, NPWP equals the NIK",
        "Income band 5.5–6.5 JT (IDR 5.5-6.5 million)",
        "Employer PT MAJU MAKMUR, last salary 10/2025",
        "3 of 3 fields sent match",
    ]
    checks = summary.checks
    assert checks.npwp_equals_nik is True and checks.name_matches is True and checks.nik_matches is True
    assert (checks.nik_birth_date, checks.nik_sex, checks.nik_regency) == ("1945-08-17", "female", "JAKARTA SELATAN")
    assert summary.card.npwp == "3171 0157 0845 0001"
    assert summary.income is not None and summary.income.band_position == 5


def test_a_15_digit_npwp_is_consistent_without_equalling_the_nik():
    summary = run(hit(), the_card=card(npwp="013121660091000"))
    assert summary.verdict.level == "pass"
    assert summary.checks.npwp_equals_nik is None
    assert summary.verdict.findings[0] == "Identity consistent: NPWP (15-digit) and NIK valid"
    assert summary.card.npwp == "01.312.166.0-091.000"


def test_one_not_match_asks_for_review_and_names_the_field():
    summary = run(hit({"sex": "MATCH", "birthdate": "NOT MATCH", "email": "MATCH"}))
    assert summary.verdict.level == "review"
    assert summary.verdict.reasons == ["2 of 3 fields sent match (birth date does not)"]
    rows = {row["key"]: row["verdict"] for row in summary.income.comparisons}
    assert rows == {
        "sex": "MATCH",
        "birthdate": "NOT MATCH",
        "package": "not sent",
        "email": "MATCH",
        "address_employee": "not sent",
    }


def test_a_field_without_a_verdict_is_reported_but_does_not_lower_the_level():
    summary = run(hit({"sex": "MATCH", "birthdate": "MATCH"}))
    assert summary.verdict.level == "pass"
    assert "3 of 3" not in " ".join(summary.verdict.findings)
    assert "2 of 3 fields sent match (no verdict for email)" in summary.verdict.findings


@pytest.mark.parametrize("sent_name", ["Budi Santoso", "SITI"])
def test_a_different_name_sent_asks_for_review(sent_name):
    summary = run(hit(), request=applicant(name=sent_name))
    assert summary.checks.name_matches is False
    assert summary.verdict.level == "review"
    assert any("Name sent" in reason and sent_name in reason for reason in summary.verdict.reasons)


def test_a_different_nik_sent_asks_for_review():
    summary = run(hit(), request=applicant(id_number="3171015708450002"))
    assert summary.checks.nik_matches is False and summary.verdict.level == "review"


def test_an_npwp_that_is_another_nik_asks_for_review():
    summary = run(hit(), the_card=card(npwp="3171011708450001"))  # valid NIK form, not the card's NIK
    assert summary.checks.npwp_equals_nik is False
    assert summary.verdict.level == "review"


def test_invalid_npwp_fails_even_with_a_clean_income_hit():
    summary = run(hit(), the_card=card(npwp="013121661091000"))  # check digit (9th) changed
    assert summary.checks.npwp_valid is False
    assert summary.verdict.level == "fail"
    assert summary.verdict.reasons == ["NPWP invalid (the check digit does not match)"]


def test_the_vendors_own_sample_card_fails_on_both_numbers():
    sample = json.loads(fixture_text("verihubs_success.json"))["data"]["result_data"]
    vendor_card = card(npwp=sample["npwp"], nik=sample["nik"], name=sample["name"])
    summary = run(hit(), the_card=vendor_card, request=applicant(name="MUHAMMADIN", id_number=sample["nik"]))
    assert summary.verdict.level == "fail"
    assert summary.checks.npwp_valid is False and summary.checks.nik_valid is False
    assert summary.checks.nik_problem == "16 digits needed, 15 given"
    assert (
        summary.verdict.findings[0] == "NPWP invalid (the check digit does not match); NIK invalid (16 digits needed, 15 given)"
    )


def test_no_npwp_detected_fails():
    summary = run(hit(), the_card=NpwpResult(False, None, None, None, None, None, None, "NPWP Not Detected", record()))
    assert summary.verdict.level == "fail"
    assert summary.verdict.findings[0] == "No NPWP detected in the document"
    assert summary.card.npwp is None


def test_no_record_fails_and_has_no_comparison_rows():
    income = IncomeResult("no_record", "seq-2", None, None, None, None, None, {}, record("income"))
    summary = run(income)
    assert summary.verdict.level == "fail"
    assert "Income verification found no record for this NIK" in summary.verdict.reasons
    assert summary.income.comparisons == []


def test_result_error_fails_with_the_translated_message():
    income = IncomeResult("error", "seq-3", "Kuota harian Anda telah habis ", None, None, None, None, {}, record("income"))
    summary = run(income)
    assert summary.verdict.level == "fail"
    assert any("daily quota is used up" in reason for reason in summary.verdict.reasons)


def test_a_failed_income_call_fails_and_wins_over_a_result():
    error = KycError("TIMEOUT", record=record("income"))
    summary = run(hit(), error)
    assert summary.verdict.level == "fail"
    assert summary.income is None
    assert summary.error is not None and summary.error.code == "TIMEOUT"
    assert any("[TIMEOUT]" in reason for reason in summary.verdict.reasons)


def test_income_not_run_is_review_not_pass():
    summary = run(None, None)
    assert summary.verdict.level == "review"
    assert summary.verdict.reasons == ["Income not verified yet"]


def test_a_band_outside_the_table_is_described_and_placed():
    summary = run(hit(band=">20.5JT"))
    assert "Income band >20.5 JT (above IDR 20.5 million)" in summary.verdict.findings
    assert summary.income.band_position == 12


def test_a_hit_without_a_band_asks_for_review():
    summary = run(hit(band=None))
    assert summary.verdict.level == "review" and "Income band not returned" in summary.verdict.reasons


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


@pytest.mark.parametrize("error", [None, KycError("HTTP_500", record=record("income"))])
def test_to_dict_is_json_ready_and_holds_no_call_records(error):
    summary = run(hit({"birthdate": "NOT MATCH"}), error, sandbox=True)
    data = summary.to_dict()
    assert not {"headers", "url", "record"} & _keys(data)
    assert json.loads(json.dumps(data)) == data  # plain JSON types only
    assert data["sandbox"] is True
    assert data["verdict"]["headline"].startswith(data["verdict"]["level"].upper())
    assert "http://x" not in summary.to_json().decode()


def test_to_json_keeps_unicode_and_indents():
    summary = run(hit(), the_card=card(name="Siti Nurhaliza Ñ Ā ü"), request=applicant(name="siti nurhaliza ñ ā Ü"))
    text = summary.to_json().decode("utf-8")
    assert "Siti Nurhaliza Ñ Ā ü" in text and '\n  "doc_name"' in text
    assert summary.checks.name_matches is True  # case-insensitive beyond ASCII
