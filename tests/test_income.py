"""IncomeClient against the real sandbox over loopback: every scenario, validation error and persona."""

from __future__ import annotations

import pytest

import sandbox as sandbox_pkg
from kyc.errors import KycError
from kyc.income import IncomeClient, IncomeRequest
from kyc.settings import INCOME_PATH

GOOD = dict(name="RINA WULANDARI", phone_number="+6281234567890", id_number="3174015205900123")


def client(sandbox, scenario=None, **kwargs) -> IncomeClient:
    kwargs.setdefault("partner_code", "demo")
    kwargs.setdefault("partner_key", "demo-key")
    return IncomeClient(sandbox.url + INCOME_PATH, scenario=scenario, **kwargs)


def refused(call) -> KycError:
    with pytest.raises(KycError) as info:
        call()
    return info.value


@pytest.mark.parametrize("persona", sandbox_pkg.personas(), ids=lambda p: p["key"])
def test_personas_give_their_documented_outcome(sandbox, persona):
    result = client(sandbox).verify(IncomeRequest(**persona["request"]))
    assert result.result == persona["expected"]["result"]
    assert result.comparisons == persona["expected"]["comparisons"]
    assert result.sequence_id
    if result.result == "hit":
        assert result.company and result.address_company
        assert result.salary.index is not None  # the sandbox only sends the 18 table labels
        assert result.month_last_salary.count("/") == 1


def test_record_is_deterministic_and_honest_about_the_nik(sandbox):
    nik = "3171011708850001"  # male, born 17 August 1985
    first = client(sandbox).verify(IncomeRequest(**{**GOOD, "id_number": nik}, sex="male", birthdate="1985-08-17"))
    again = client(sandbox).verify(IncomeRequest(**{**GOOD, "id_number": nik}, sex="male", birthdate="1985-08-17"))
    assert (first.company, first.salary, first.month_last_salary) == (again.company, again.salary, again.month_last_salary)
    assert first.comparisons == {"sex": "MATCH", "birthdate": "MATCH"}  # only what was sent is compared
    wrong = client(sandbox).verify(IncomeRequest(**{**GOOD, "id_number": nik}, sex="female", birthdate="1985-08-18"))
    assert wrong.comparisons == {"sex": "NOT MATCH", "birthdate": "NOT MATCH"}


def test_nik_ending_0000_is_no_record(sandbox):
    assert client(sandbox).verify(IncomeRequest(**{**GOOD, "id_number": "3171011708850000"})).result == "no_record"


@pytest.mark.parametrize(
    "scenario, code, words",
    [
        ("not_purchased", "300", "not purchased or not active"),
        ("service_not_purchased", "301", "not purchased"),
        ("suspended", "302", "suspended"),
        ("no_balance", "303", "no balance"),
        ("expired", "304", "expired"),
        ("internal_error", "9500", "internal error"),
    ],
)
def test_account_scenarios_raise_their_code(sandbox, scenario, code, words):
    error = refused(lambda: client(sandbox, scenario).verify(IncomeRequest(**GOOD)))
    assert error.code == code and words in error.message
    assert error.retryable is (code == "9500")
    assert error.record.attempts == 1


def test_result_scenarios(sandbox):
    assert client(sandbox, "no_record").verify(IncomeRequest(**GOOD)).result == "no_record"
    quota = client(sandbox, "quota_exceeded").verify(IncomeRequest(**GOOD))
    assert quota.result == "error" and "daily quota is used up" in quota.error_text


def test_slow_scenario_times_out_a_short_client_without_retrying(sandbox):
    error = refused(lambda: client(sandbox, "slow", timeout=(1.0, 0.5)).verify(IncomeRequest(**GOOD)))
    assert error.code == "TIMEOUT" and error.record.attempts == 1


def test_unknown_scenario_lists_the_valid_ones(sandbox):
    error = refused(lambda: client(sandbox, "nonsense").verify(IncomeRequest(**GOOD)))
    assert error.code == "HTTP_400" and "quota_exceeded" in error.message


@pytest.mark.parametrize(
    "change, code, field",
    [
        ({"name": ""}, "9060", "name"),
        ({"phone_number": ""}, "9060", "phone_number"),
        ({"id_number": ""}, "9060", "id_number"),
        ({"id_type": ""}, "9060", "id_type"),
        ({"phone_number": "0712345678"}, "9061", "phone_number"),
        ({"phone_number": "0812345678901234"}, "9061", "phone_number"),
        ({"id_number": "317101170885000"}, "9061", "id_number"),
        ({"id_type": "passport"}, "9061", "id_type"),
        ({"sex": "M"}, "9061", "sex"),
        ({"birthdate": "17-08-1985"}, "9061", "birthdate"),
        ({"birthdate": "1985-02-30"}, "9061", "birthdate"),
    ],
)
def test_validation_errors_name_the_field(sandbox, change, code, field):
    error = refused(lambda: client(sandbox).verify(IncomeRequest(**{**GOOD, **change})))
    assert error.code == code
    assert error.message.endswith(f": {field}.")


def test_structurally_odd_nik_is_still_accepted_by_the_vendor_rule(sandbox):
    # 16 digits, but no such region: the vendor only checks the length, QA must be able to send it.
    assert client(sandbox).verify(IncomeRequest(**{**GOOD, "id_number": "9999991708850001"})).result in ("hit", "no_record")


@pytest.mark.parametrize(
    "credentials, code, field",
    [
        ({"partner_key": "wrong"}, "9061", "partner_key"),
        ({"partner_code": "someone"}, "9061", "partner_key"),
        ({"partner_key": ""}, "9060", "partner_key"),
        ({"partner_code": ""}, "9060", "partner_code"),
    ],
)
def test_credentials_are_checked(sandbox, credentials, code, field):
    error = refused(lambda: client(sandbox, **credentials).verify(IncomeRequest(**GOOD)))
    assert error.code == code and error.message.endswith(f": {field}.")


def test_optional_fields_left_empty_are_not_sent():
    request = IncomeRequest(**GOOD, sex="", birthdate=None, package=["JHT", "JKK"], email="  ")
    assert request.to_payload() == {**GOOD, "id_type": "national_id", "package": "JHT,JKK"}


def test_as_curl_repeats_the_call(sandbox, tmp_path):
    import json
    import os
    import subprocess

    result = client(sandbox).verify(IncomeRequest(**GOOD, sex="female"))
    command = result.record.as_curl()
    assert "demo-key" not in command
    out = subprocess.run(["bash", "-c", command + " --silent"], capture_output=True, text=True, timeout=10,
                         env={**os.environ, "INCOME_PARTNER_KEY": "demo-key"})
    answer = json.loads(out.stdout)
    assert answer["result"] == "hit" and answer["data"]["company"] == result.company


def test_a_sample_card_holder_lives_where_the_card_says(sandbox):
    from sandbox.samples import catalogue

    card = catalogue()[0].fields
    result = client(sandbox).verify(IncomeRequest(name=card["name"], phone_number="081234567890", id_number=card["nik"],
                                                  address_employee=card["address"]))
    assert result.result == "hit" and result.comparisons == {"address_employee": "MATCH"}
