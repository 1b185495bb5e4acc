"""kyc.errors: every documented code has a readable message, and retryable means what it says."""

import pytest

from kyc.errors import MESSAGES, KycError, describe

DOCUMENTED = ["OCR_200004", "OCR_40001", "OCR_40004", "OCR_50000", "300", "301", "302", "303", "304", "9500", "9060", "9061"]


@pytest.mark.parametrize("code", DOCUMENTED + ["TIMEOUT", "NETWORK", "BAD_RESPONSE"])
def test_every_documented_code_has_its_own_message(code):
    assert code in MESSAGES
    text = describe(code, "phone_number")
    assert text.endswith(".") and "{detail}" not in text


def test_parameter_codes_name_the_parameter():
    assert describe("9060", "name") == "A required field is missing: name."
    assert describe("9061", "phone_number") == "A field was rejected as malformed: phone_number."


@pytest.mark.parametrize(
    "code, status, retryable",
    [
        ("TIMEOUT", None, True),
        ("NETWORK", None, True),
        ("OCR_50000", 500, True),
        ("9500", 200, True),
        ("HTTP_503", 503, True),
        ("OCR_40001", 422, False),
        ("9061", 200, False),
        ("HTTP_401", 401, False),
        ("BAD_RESPONSE", 200, False),
    ],
)
def test_retryable(code, status, retryable):
    assert KycError(code, http_status=status).retryable is retryable


def test_unknown_codes_still_read_well():
    assert describe("HTTP_418") == "The vendor refused the request (HTTP 418)."
    assert describe("HTTP_502", "an HTML page came back instead of JSON").startswith(
        "The vendor's server had a problem (HTTP 502"
    )
    assert describe("7777", "odd") == "The vendor answered with code 7777: odd."
    assert str(KycError("303")) == "[303] " + MESSAGES["303"]
