"""kyc.http through both clients: retry policy, timeouts and broken answers, against a scripted server."""

from __future__ import annotations

import pytest

from kyc.errors import KycError
from kyc.income import IncomeClient, IncomeRequest
from kyc.npwp import NpwpClient
from tests.replay import Reply

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
APPLICANT = IncomeRequest(name="SITI", phone_number="081234567890", id_number="3171015708450001")
HTML_502 = "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>"


def npwp(url: str, timeout=(1.0, 2.0)) -> NpwpClient:
    client = NpwpClient(url, "app", "key-123456", timeout=timeout)
    client._transport.backoff = 0.01  # keep retried tests quick; the policy is the same
    return client


def income(url: str, timeout=(1.0, 2.0)) -> IncomeClient:
    client = IncomeClient(url, "partner", "pkey-123456", timeout=timeout)
    client._transport.backoff = 0.01
    return client


def fail(call) -> KycError:
    with pytest.raises(KycError) as info:
        call()
    error = info.value
    # Nothing from requests or json rides along to a traceback.
    assert error.__cause__ is None and error.__context__ is None
    assert error.message and error.record is not None
    return error


def test_read_timeout_is_not_retried(replay):
    replay.route("/ocr/npwp", Reply(delay=1.0))
    error = fail(lambda: npwp(replay.url, timeout=(1.0, 0.3)).extract(PNG, "card.png"))
    assert error.code == "TIMEOUT" and error.retryable
    assert "did not answer in time" in error.message
    assert replay.hits["/ocr/npwp"] == 1  # the vendor may still be working: never billed twice


def test_a_body_that_stops_arriving_is_a_timeout_not_a_network_error(replay):
    url = replay.route("/income", Reply(200, '{"code": 200, "result": "no_record", "sequence_id": "abcdefgh"}', stall=1.0))
    error = fail(lambda: income(url, timeout=(1.0, 0.3)).verify(APPLICANT))
    assert error.code == "TIMEOUT" and replay.hits["/income"] == 1


def test_504_is_retried_and_retry_after_is_honoured(replay):
    import time

    url = replay.route("/income", Reply(504, "gateway timeout", "text/plain", headers=(("Retry-After", "1"),)),
                       Reply(200, '{"code": 200, "result": "no_record", "sequence_id": "s1"}'))
    started = time.perf_counter()
    result = income(url).verify(APPLICANT)
    assert result.result == "no_record" and replay.hits["/income"] == 2
    assert time.perf_counter() - started >= 1.0


def test_only_connection_failures_before_sending_count_as_not_made():
    import requests
    from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError

    from kyc.http import _connection_not_made

    refused = requests.ConnectionError(MaxRetryError(None, "/", NewConnectionError(None, "refused")))
    reset = requests.ConnectionError(ProtocolError("Connection aborted.", ConnectionResetError()))
    assert _connection_not_made(requests.ConnectTimeout()) and _connection_not_made(refused)
    assert not _connection_not_made(reset)


def test_a_bogus_charset_is_read_as_utf8(replay):
    url = replay.route("/income", Reply(200, '{"code": 200, "result": "no_record", "sequence_id": "s1"}', "application/json; charset=bogus"))
    assert income(url).verify(APPLICANT).result == "no_record"


@pytest.mark.parametrize("depth", [900, 100_000])
def test_deeply_nested_json_is_a_bad_response(replay, depth):
    url = replay.route("/income", Reply(200, "[" * depth + "]" * depth))
    error = fail(lambda: income(url).verify(APPLICANT))
    assert error.code == "BAD_RESPONSE"


def test_connection_refused_is_retried_then_reported(refused_url):
    client = income(refused_url + "/income")
    error = fail(lambda: client.verify(APPLICANT))
    assert error.code == "NETWORK" and error.retryable
    assert error.record.attempts == 3  # nothing was sent, so retrying cannot bill twice
    assert "Could not reach" in error.message


def test_html_502_is_retried_twice_then_reported(replay):
    url = replay.route("/income", Reply(502, HTML_502, "text/html"))
    error = fail(lambda: income(url).verify(APPLICANT))
    assert error.code == "HTTP_502" and error.http_status == 502 and error.retryable
    assert "HTML page" in error.message
    assert replay.hits["/income"] == 3


def test_503_then_success_recovers(replay):
    url = replay.route("/income", Reply(503, "busy", "text/plain"), Reply(200, '{"code": 200, "result": "no_record", "sequence_id": "s1"}'))
    result = income(url).verify(APPLICANT)
    assert result.result == "no_record"
    assert result.record.attempts == 2 and replay.hits["/income"] == 2


@pytest.mark.parametrize("status", [500, 400, 401, 422])
def test_500_and_4xx_are_never_retried(replay, status):
    replay.route("/ocr/npwp", Reply(status, '{"message": "nope"}'))
    error = fail(lambda: npwp(replay.url).extract(PNG, "card.png"))
    assert error.code == f"HTTP_{status}"
    assert replay.hits["/ocr/npwp"] == 1


def test_connection_dropped_after_sending_is_not_retried(replay):
    url = replay.route("/income", Reply(drop=True))
    error = fail(lambda: income(url).verify(APPLICANT))
    assert error.code == "NETWORK"
    assert replay.hits["/income"] == 1  # the request arrived: it may have been billed


@pytest.mark.parametrize(
    "body, content_type, reason",
    [
        ("<html><body>Maintenance</body></html>", "text/html", "HTML page"),
        ("OK", "text/plain", "not JSON"),
        ('{"code": 200, "result": "hi', "application/json", "cut short"),
        ("", "application/json", "empty"),
    ],
)
def test_unreadable_200_bodies_are_bad_response(replay, body, content_type, reason):
    url = replay.route("/income", Reply(200, body, content_type))
    error = fail(lambda: income(url).verify(APPLICANT))
    assert error.code == "BAD_RESPONSE" and reason in error.message
    replay.route("/ocr/npwp", Reply(200, body, content_type))
    error = fail(lambda: npwp(replay.url).extract(PNG, "card.png"))
    assert error.code == "BAD_RESPONSE" and reason in error.message


@pytest.mark.parametrize(
    "body, reason",
    [
        ('{"code": 200, "result": "hit", "sequence_id": "x"}', "without its data"),
        ('{"code": 200, "result": "maybe"}', "unknown result"),
        ('{"result": "hit"}', "status code is missing"),
        ("[1, 2, 3]", "status code is missing"),
    ],
)
def test_income_missing_fields_are_bad_response(replay, body, reason):
    url = replay.route("/income", Reply(200, body))
    error = fail(lambda: income(url).verify(APPLICANT))
    assert error.code == "BAD_RESPONSE" and reason in error.message


def test_npwp_success_without_fields_is_bad_response(replay):
    replay.route("/ocr/npwp", Reply(200, '{"message": "Success Extract Data", "data": {"id": "x"}}'))
    error = fail(lambda: npwp(replay.url).extract(PNG, "card.png"))
    assert error.code == "BAD_RESPONSE" and "fields are missing" in error.message


def test_connection_is_reused_across_calls(replay):
    url = replay.route("/income", Reply(200, '{"code": 200, "result": "no_record", "sequence_id": "s"}'))
    client = income(url)
    for _ in range(3):
        client.verify(APPLICANT)
    pool = client._transport.session.get_adapter(url).poolmanager
    pools = list(pool.pools._container.values())
    assert len(pools) == 1 and pools[0].num_connections == 1
