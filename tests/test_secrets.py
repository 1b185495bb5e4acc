"""API-Key and partner_key never show: not in records, cURL, reprs, errors, tracebacks or logs."""

from __future__ import annotations

import json
import logging
import traceback

import pytest

from kyc.errors import KycError
from kyc.income import IncomeClient, IncomeRequest
from kyc.npwp import NpwpClient
from kyc.settings import Settings
from tests.replay import Reply

API_KEY = "VH-SECRET-api-key-4f1c9e"
PARTNER_KEY = "TD-SECRET-partner-key-77b2a0"
SECRETS = (API_KEY, PARTNER_KEY)
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
APPLICANT = IncomeRequest(name="SITI", phone_number="081234567890", id_number="3171015708450001", email="siti@example.com")


def assert_clean(*things: object) -> None:
    for thing in things:
        text = thing if isinstance(thing, str) else repr(thing)
        for secret in SECRETS:
            assert secret not in text, f"secret leaked into: {text[:200]}"


@pytest.fixture()
def logs(caplog):
    caplog.set_level(logging.DEBUG)  # everything, urllib3's request lines included
    return caplog


def test_successful_calls_leave_no_secret_anywhere(replay, logs):
    # A vendor that echoes the credential back must not get it onto the screen either.
    replay.route("/ocr/npwp", Reply(200, json.dumps({"message": f"ok {API_KEY}", "data": {"result_data": {"npwp": API_KEY}}})))
    url = replay.route("/income", Reply(200, json.dumps({"code": 200, "result": "no_record", "sequence_id": PARTNER_KEY})))
    npwp = NpwpClient(replay.url, "app", API_KEY)
    income = IncomeClient(url, "partner", PARTNER_KEY)
    card = npwp.extract(PNG, "card.png")
    answer = income.verify(APPLICANT)
    # The secrets did reach the server, where they belong.
    assert replay.last["/ocr/npwp"][0]["API-Key"] == API_KEY
    assert f"partner_key={PARTNER_KEY}" in replay.last["/income"][2]
    for record in (card.record, answer.record):
        assert_clean(json.dumps(record.to_dict()), record.as_curl(), record)
    assert_clean(npwp, income, card, answer, logs.text)
    assert '-H \'API-Key: \'"$VERIHUBS_API_KEY"' in card.record.as_curl()
    assert "partner_key='\"$INCOME_PARTNER_KEY\"" in answer.record.as_curl()
    assert "partner_key=***" in answer.record.url


def test_errors_and_tracebacks_leave_no_secret(replay, refused_url, logs):
    url = replay.route("/income", Reply(502, f"<html>bad gateway for ?partner_key={PARTNER_KEY}</html>", "text/html"))
    failures = []
    for call in (
        lambda: IncomeClient(url, "partner", PARTNER_KEY).verify(APPLICANT),
        lambda: IncomeClient(refused_url + "/x", "partner", PARTNER_KEY).verify(APPLICANT),
        lambda: NpwpClient(refused_url, "app", API_KEY).extract(PNG, "card.png"),
    ):
        with pytest.raises(KycError) as info:
            call()
        failures.append(info.value)
    for error in failures:
        assert_clean(str(error), repr(error), error.to_dict(), "".join(traceback.format_exception(error)))
        assert_clean(json.dumps(error.record.to_dict()), error.record.as_curl())
    assert_clean(logs.text)


def test_settings_never_show_keys():
    settings = Settings.load(environ={"KYC_MODE": "live", "VERIHUBS_API_KEY": API_KEY, "INCOME_PARTNER_KEY": PARTNER_KEY})
    assert_clean(settings, str(settings))
    assert settings.verihubs_api_key.reveal() == API_KEY
