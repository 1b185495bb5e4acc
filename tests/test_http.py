"""kyc.http through both clients: retry policy, timeouts and broken answers, against a scripted server."""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from kyc.errors import KycError
from kyc.http import CallRecord, Transport
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

    url = replay.route(
        "/income",
        Reply(504, "gateway timeout", "text/plain", headers=(("Retry-After", "1"),)),
        Reply(200, '{"code": 200, "result": "no_record", "sequence_id": "s1"}'),
    )
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
    url = replay.route(
        "/income", Reply(200, '{"code": 200, "result": "no_record", "sequence_id": "s1"}', "application/json; charset=bogus")
    )
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
    url = replay.route(
        "/income", Reply(503, "busy", "text/plain"), Reply(200, '{"code": 200, "result": "no_record", "sequence_id": "s1"}')
    )
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


# --- the retry policy as urllib3 carries it out (kyc.http.PolicyRetry) --------------------------

OK_BODY = '{"code": 200, "result": "no_record", "sequence_id": "s1"}'


@pytest.fixture()
def pauses(monkeypatch) -> list[float]:
    """The pauses the client asks of time.sleep, recorded instead of slept.

    Only for tests whose replay replies have no delay or stall: those sleep in the server too.
    """
    asked: list[float] = []
    monkeypatch.setattr(time, "sleep", asked.append)
    return asked


def transport_call(transport: Transport, url: str, **kwargs) -> CallRecord:
    """One POST through ``transport``; the record, whether a response or a KycError came back."""
    record = CallRecord("income", "POST", url, {}, None)
    try:
        transport.send("POST", url, record=record, data=b"{}", **kwargs)
    except KycError as error:
        assert error.record is record
    return record


@pytest.mark.parametrize("status", [413, 429])
def test_a_4xx_with_retry_after_is_not_retried(replay, pauses, status):
    # urllib3 on its own retries 413 and 429 when they carry a Retry-After: the vendor answered,
    # so that would bill twice.
    url = replay.route("/income", Reply(status, '{"message": "slow down"}', headers=(("Retry-After", "1"),)), Reply(200, OK_BODY))
    error = fail(lambda: income(url).verify(APPLICANT))
    assert error.code == f"HTTP_{status}" and error.http_status == status
    assert replay.hits["/income"] == 1 and error.record.attempts == 1
    assert pauses == []


def test_the_default_backoff_pauses_a_quarter_then_half_a_second(replay, pauses):
    url = replay.route("/income", Reply(502, HTML_502, "text/html"))
    client = IncomeClient(url, "partner", "pkey-123456", timeout=(1.0, 2.0))  # backoff left at its default
    error = fail(lambda: client.verify(APPLICANT))
    assert error.code == "HTTP_502" and error.record.attempts == 3 and replay.hits["/income"] == 3
    assert pauses == [0.25, 0.5]


def test_a_refused_connection_pauses_like_a_status_retry(refused_url, pauses):
    client = IncomeClient(refused_url + "/income", "partner", "pkey-123456", timeout=(1.0, 2.0))
    error = fail(lambda: client.verify(APPLICANT))
    assert error.code == "NETWORK" and error.record.attempts == 3
    assert pauses == [0.25, 0.5]


def test_setting_backoff_after_construction_takes_effect(replay, pauses):
    url = replay.route("/income", Reply(503, "busy", "text/plain"))
    client = income(url)  # backoff set to 0.01 on the transport after construction
    assert client._transport.backoff == 0.01
    fail(lambda: client.verify(APPLICANT))
    assert pauses == [0.01, 0.02]
    client._transport.backoff = 0
    fail(lambda: client.verify(APPLICANT))
    assert pauses == [0.01, 0.02]  # no backoff: no pause at all


def test_retry_after_is_capped_at_five_seconds(replay, pauses):
    busy = Reply(503, "busy", "text/plain", headers=(("Retry-After", "30"),))
    url = replay.route("/income", busy, busy, Reply(200, OK_BODY))
    result = income(url).verify(APPLICANT)
    assert result.record.attempts == 3 and replay.hits["/income"] == 3
    assert pauses == [5, 5]


def test_retry_after_lengthens_the_backoff_but_never_shortens_it(replay, pauses):
    url = replay.route(
        "/income",
        Reply(503, "busy", "text/plain", headers=(("Retry-After", "2"),)),  # longer than 0.25 s: wait 2 s
        Reply(503, "busy", "text/plain", headers=(("Retry-After", "0"),)),  # shorter than 0.5 s: wait 0.5 s
        Reply(200, OK_BODY),
    )
    client = IncomeClient(url, "partner", "pkey-123456", timeout=(1.0, 2.0))
    assert client.verify(APPLICANT).record.attempts == 3
    assert pauses == [2, 0.5]


# An HTTP date (an hour ahead when the suite was written; any date is not whole seconds). A fixed
# value: a clock-made one gives each xdist worker another test id, and the run stops.
@pytest.mark.parametrize("retry_after", ["soon", "²", "-1", "1.5", "Sat, 05 Dec 2026 00:17:08 GMT"])
def test_a_retry_after_that_is_not_whole_seconds_is_ignored(replay, pauses, retry_after):
    # Whole seconds only, as the policy always read it: an HTTP date does not hold up a call either.
    url = replay.route("/income", Reply(503, "busy", "text/plain", headers=(("Retry-After", retry_after),)), Reply(200, OK_BODY))
    result = income(url).verify(APPLICANT)
    assert result.result == "no_record" and result.record.attempts == 2
    assert pauses == [0.01]


def test_a_read_timeout_is_one_attempt(replay):
    url = replay.route("/income", Reply(200, OK_BODY, delay=1.0))
    error = fail(lambda: income(url, timeout=(1.0, 0.3)).verify(APPLICANT))
    assert error.code == "TIMEOUT" and error.record.attempts == 1 and replay.hits["/income"] == 1


def test_a_connection_dropped_after_sending_is_one_attempt(replay, pauses):
    url = replay.route("/income", Reply(drop=True))
    error = fail(lambda: income(url).verify(APPLICANT))
    assert error.code == "NETWORK" and error.record.attempts == 1 and pauses == []


def test_a_500_is_one_attempt(replay, pauses):
    url = replay.route("/income", Reply(500, '{"message": "boom"}'), Reply(200, OK_BODY))
    error = fail(lambda: income(url).verify(APPLICANT))
    assert error.code == "HTTP_500" and error.record.attempts == 1 and pauses == []


def test_a_proxy_that_refuses_is_not_retried(refused_url, pauses):
    # Not one of urllib3's connect errors (ConnectTimeoutError, NewConnectionError): an "other"
    # error, and the policy retries no other error.
    transport = Transport("income", timeout=(1.0, 2.0))
    record = transport_call(transport, "http://vendor.invalid/income", proxies={"http": refused_url})
    assert record.outcome == "NETWORK" and record.attempts == 1 and pauses == []


@pytest.fixture()
def unanswered_url():
    """A loopback URL whose listen queue is full, so connecting times out (Linux drops the SYN)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(4):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    probe = socket.socket()
    probe.settimeout(0.2)
    try:
        probe.connect(("127.0.0.1", port))
        times_out = False
    except TimeoutError:
        times_out = True
    except OSError:  # refused instead (net.ipv4.tcp_abort_on_overflow): no timeout to test here
        times_out = False
    finally:
        probe.close()
    try:
        if not times_out:
            pytest.skip("this system does not let a full listen queue time out a connect")
        yield f"http://127.0.0.1:{port}"
    finally:
        for sock in fillers:
            sock.close()
        listener.close()


def test_a_connect_timeout_is_retried_then_reported_as_a_timeout(unanswered_url):
    transport = Transport("income", timeout=(0.2, 2.0), backoff=0.01)
    record = transport_call(transport, unanswered_url + "/income")
    assert record.outcome == "TIMEOUT" and record.attempts == 3


def test_the_retry_log_masks_the_partner_key(refused_url, caplog):
    caplog.set_level("DEBUG")
    client = income(refused_url + "/income")
    fail(lambda: client.verify(APPLICANT))
    assert "Incremented Retry" in caplog.text  # urllib3 did log each retry with its URL...
    assert "pkey-123456" not in caplog.text  # ...but not the key in its query string


def test_threads_sharing_a_client_each_count_their_own_refused_attempts(refused_url):
    client = income(refused_url + "/income")
    start = threading.Barrier(8)

    def call() -> int:
        start.wait()
        return fail(lambda: client.verify(APPLICANT)).record.attempts

    with ThreadPoolExecutor(8) as pool:
        attempts = list(pool.map(lambda _: call(), range(8)))
    assert attempts == [3] * 8


def test_threads_sharing_a_transport_each_count_their_own_attempts(replay):
    # Thread i has a route of its own that answers 503 (i % 3) times and then 200, so each
    # thread's count is known while all eight run through the one adapter at once.
    # The replay server listens with a queue of 5: eight connects at once can overflow it and
    # wait for a SYN retransmit (1 s). A connect timeout longer than that keeps the count exact.
    transport = Transport("income", timeout=(5.0, 2.0), backoff=0.02)
    urls = [replay.route(f"/t{i}", *[Reply(503, "busy", "text/plain")] * (i % 3), Reply(200, OK_BODY)) for i in range(8)]
    start = threading.Barrier(8)

    def call(url: str) -> CallRecord:
        start.wait()
        return transport_call(transport, url)

    with ThreadPoolExecutor(8) as pool:
        records = list(pool.map(call, urls))
    assert [r.attempts for r in records] == [i % 3 + 1 for i in range(8)]
    assert [r.status for r in records] == [200] * 8
    assert [replay.hits[f"/t{i}"] for i in range(8)] == [i % 3 + 1 for i in range(8)]
