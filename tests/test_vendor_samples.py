"""The vendors' own sample payloads, byte for byte from their docs, parsed by the clients."""

from __future__ import annotations

import pytest

from kyc.errors import KycError
from kyc.income import IncomeClient, IncomeRequest
from kyc.npwp import NpwpClient
from tests.conftest import fixture_text
from tests.replay import Reply

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
APPLICANT = IncomeRequest(name="SITI", phone_number="081234567890", id_number="3171015708450001", sex="female")


def extract(replay, status: int, fixture: str):
    replay.route("/ocr/npwp", Reply(status, fixture_text(fixture)))
    return NpwpClient(replay.url, "app", "key").extract(PNG, "card.png")


def verify(replay, fixture: str):
    url = replay.route("/income", Reply(200, fixture_text(fixture)))
    return IncomeClient(url, "partner", "pkey").verify(APPLICANT)


def test_npwp_success_sample_reads_name_and_keeps_invalid_numbers(replay):
    result = extract(replay, 200, "verihubs_success.json")
    assert result.detected
    assert result.name == "MUHAMMADIN"
    assert result.npwp == "14.235.842.2-201.000"  # fails its check digit: the UI flags it, the client keeps it
    assert result.nik == "317305189293843"  # 15 digits: likewise
    assert result.address == "TAMAN RATU INDAH RT 002"
    assert result.id == "fe83d593-8715-4394-84a5-8e22db96bdb7"
    assert result.reference_id == "e89f96a3-f9b9-4984-ad78-f574b8e7f376"
    assert result.record.status == 200 and result.record.outcome == "detected"


def test_npwp_full_name_is_read_like_name(replay):
    body = fixture_text("verihubs_success.json").replace('"name"', '"full_name"')
    replay.route("/ocr/npwp", Reply(200, body))
    assert NpwpClient(replay.url, "app", "key").extract(PNG, "card.png").name == "MUHAMMADIN"


def test_npwp_not_detected_is_a_result_not_an_error(replay):
    result = extract(replay, 200, "verihubs_not_detected.json")
    assert result.detected is False
    assert result.npwp is None and result.message == "NPWP Not Detected"
    assert result.record.outcome == "OCR_200004"


@pytest.mark.parametrize(
    "status, fixture, code, words",
    [
        (401, "verihubs_unauthorized.json", "HTTP_401", "App-ID and API-Key"),
        (400, "verihubs_quota.json", "OCR_40004", "quota"),
        (500, "verihubs_server_error.txt", "OCR_50000", "internal error"),  # broken JSON in the docs
    ],
)
def test_npwp_error_samples(replay, status, fixture, code, words):
    with pytest.raises(KycError) as info:
        extract(replay, status, fixture)
    assert info.value.code == code and info.value.http_status == status
    assert words in info.value.message
    assert info.value.retryable is (status == 500)


def test_income_hit_sample_with_the_vendors_quirks(replay):
    result = verify(replay, "income_hit.json")
    assert result.result == "hit"
    assert result.sequence_id == "1699272744735016I303341798930550"
    assert result.company == "PT MAJU MAKMUR"
    assert result.address_company == "JL. SUMUR BANDUNG 23, BANDUNG, JAWA BARAT"
    assert result.month_last_salary == "10/2023"
    # ">20.5JT" is not one of the 18 labels: kept, with its bounds, placed in band 12.
    assert (result.salary.label, result.salary.lower, result.salary.upper) == (">20.5JT", 20_500_000, None)
    assert result.salary.position == 12
    # "birthday" in the example is the table's "birthdate".
    assert result.comparisons == {
        "birthdate": "NOT MATCH",
        "package": "MATCH",
        "sex": "NOT MATCH",
        "address_employee": "NOT MATCH",
        "email": "NOT MATCH",
    }


def test_income_v2_shape_nests_company(replay):
    result = verify(replay, "income_hit_v2.json")
    assert result.company == "PT MAJU MAKMUR"
    assert result.address_company.startswith("JL. SUMUR BANDUNG")
    assert result.salary.index == 5
    assert result.comparisons == {"sex": "MATCH", "birthdate": "MATCH"}


def test_income_no_record_sample(replay):
    result = verify(replay, "income_no_record.json")
    assert result.result == "no_record" and result.sequence_id == "75ccadf47dab4c81a06e6f0da746cd9c"
    assert result.salary is None and result.comparisons == {}


def test_income_error_sample_is_translated(replay):
    result = verify(replay, "income_error.json")
    assert result.result == "error"
    assert result.error_message == "Kuota harian Anda telah habis"
    assert "daily quota is used up" in result.error_text


def test_income_failed_sample_raises_with_the_code(replay):
    with pytest.raises(KycError) as info:
        verify(replay, "income_failed.json")
    assert info.value.code == "301"
    assert "not purchased" in info.value.message
    assert info.value.http_status == 200
