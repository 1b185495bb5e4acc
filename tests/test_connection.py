"""kyc.connection: "Test connection" proves the URL and the credentials, without a billed call."""

from __future__ import annotations

import pytest

from kyc.income import IncomeClient
from kyc.npwp import NpwpClient
from kyc.settings import INCOME_PATH
from sandbox.income_api import PARTNER_CODE, PARTNER_KEY
from sandbox.npwp_api import API_KEY, APP_ID


def test_npwp_keys_accepted(sandbox):
    check = NpwpClient(sandbox.url, APP_ID, API_KEY).test_connection()
    assert check.ok and check.reached and check.accepted is True
    assert "accepted the App-ID and API-Key" in check.message and "billed" in check.message
    assert check.record.status == 422  # refused for the missing image, after the keys passed
    assert check.record.response["error_code"] == "OCR_40001"


def test_npwp_keys_refused(sandbox):
    check = NpwpClient(sandbox.url, APP_ID, "not-the-key").test_connection()
    assert check.reached and check.accepted is False and not check.ok
    assert "refused the App-ID and API-Key" in check.message
    assert "not-the-key" not in repr(check) + check.message + str(check.record.as_curl())


def test_income_keys_accepted(sandbox):
    check = IncomeClient(sandbox.url + INCOME_PATH, PARTNER_CODE, PARTNER_KEY).test_connection()
    assert check.ok and "accepted the partner_code and partner_key" in check.message
    assert check.record.response["code"] == 9060 and check.record.response["message"].startswith("name")


@pytest.mark.parametrize("code, key", [(PARTNER_CODE, "wrong-key"), ("wrong-code", PARTNER_KEY)])
def test_income_keys_refused(sandbox, code, key):
    check = IncomeClient(sandbox.url + INCOME_PATH, code, key).test_connection()
    assert check.reached and check.accepted is False
    assert "refused the partner_code and partner_key" in check.message
    assert "wrong-key" not in check.message + str(check.record.as_curl())


def test_a_url_that_is_not_the_vendor_proves_nothing_about_the_keys(sandbox):
    check = IncomeClient(sandbox.url + "/somewhere-else", PARTNER_CODE, PARTNER_KEY).test_connection()
    assert check.reached and check.accepted is None and "not proven" in check.message


def test_no_answer_proves_neither():
    check = NpwpClient("http://127.0.0.1:9", APP_ID, API_KEY, timeout=(0.5, 0.5)).test_connection()
    assert not check.reached and check.accepted is None and "could not be tested" in check.message
