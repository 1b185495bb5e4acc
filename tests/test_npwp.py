"""NpwpClient against the real sandbox over loopback: samples, scenarios, upload checks, auth."""

from __future__ import annotations

import io
import json
import struct
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

from kyc.errors import KycError
from kyc.npwp import NpwpClient, NpwpResult
from tests.replay import Reply

SAMPLES = Path(__file__).resolve().parent.parent / "sandbox" / "samples"


def client(sandbox, scenario=None, **kwargs) -> NpwpClient:
    kwargs.setdefault("app_id", "demo-app")
    kwargs.setdefault("api_key", "demo-key")
    return NpwpClient(sandbox.url, scenario=scenario, **kwargs)


def png(width: int = 320, height: int = 200) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG")
    return out.getvalue()


def refused(call) -> KycError:
    with pytest.raises(KycError) as info:
        call()
    return info.value


def manifest() -> list[dict]:
    return json.loads((SAMPLES / "manifest.json").read_text())["samples"]


def test_every_sample_card_returns_its_true_fields(sandbox):
    samples = manifest()
    assert len(samples) >= 4
    for sample in samples:
        result = client(sandbox).extract((SAMPLES / sample["file"]).read_bytes(), sample["file"])
        assert result.detected, sample["file"]
        assert (result.npwp, result.name, result.nik, result.address) == (
            sample["npwp"],
            sample["name"],
            sample["nik"],
            sample["address"],
        )
        assert result.id and result.reference_id and result.id != result.reference_id


def test_any_other_valid_image_is_not_detected(sandbox):
    result = client(sandbox).extract(png(), "blank.png")
    assert result.detected is False and result.npwp is None
    assert result.record.outcome == "OCR_200004"


@pytest.mark.parametrize(
    "scenario, code, status",
    [("quota_exceeded", "OCR_40004", 400), ("server_error", "OCR_50000", 500), ("unauthorized", "HTTP_401", 401)],
)
def test_error_scenarios(sandbox, scenario, code, status):
    error = refused(lambda: client(sandbox, scenario).extract(png(), "card.png"))
    assert (error.code, error.http_status) == (code, status)
    assert error.record.attempts == 1  # 500 is never retried: the vendor may have billed


def test_not_detected_scenario(sandbox):
    assert client(sandbox, "not_detected").extract(png(), "card.png").detected is False


def test_slow_scenario_times_out_a_short_client(sandbox):
    error = refused(lambda: client(sandbox, "slow", timeout=(1.0, 0.5)).extract(png(), "card.png"))
    assert error.code == "TIMEOUT"


@pytest.mark.parametrize("credentials", [{"api_key": "wrong"}, {"app_id": "someone"}, {"api_key": ""}])
def test_wrong_credentials_are_refused(sandbox, credentials):
    error = refused(lambda: client(sandbox, **credentials).extract(png(), "card.png"))
    assert error.code == "HTTP_401" and "App-ID and API-Key" in error.message


@pytest.mark.parametrize(
    "data, name",
    [(b"GIF89a" + b"\0" * 40, "card.gif"), (b"just some text", "card.png"), (b"\x89PNG\r\n\x1a\n" + b"\0" * 10, "broken.png")],
)
def test_unsupported_or_broken_uploads_get_ocr_40001(sandbox, data, name):
    error = refused(lambda: client(sandbox).extract(data, name))
    assert error.code == "OCR_40001" and error.http_status == 422
    assert "image" in error.message and "JPEG, PNG or PDF" in error.message and "image: image" not in error.message


def png_claiming(width: int, height: int) -> bytes:
    """A whole PNG of a few dozen bytes whose header declares width x height (a decompression bomb)."""

    def chunk(ctype: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + ctype + payload + struct.pack(">I", zlib.crc32(ctype + payload))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def test_a_picture_too_large_to_decode_is_refused_saying_why(sandbox):
    # Sent straight to the sandbox, as a bank's engineer would with the client: no app check before.
    error = refused(lambda: client(sandbox).extract(png_claiming(30000, 30000), "bomb.png"))
    assert (error.code, error.http_status) == ("OCR_40001", 422)
    assert "image could not be decoded: the PNG is 30,000 × 30,000 pixels (900 megapixels)" in error.message
    assert error.record.outcome == "OCR_40001"  # not OCR_200004: the card was never looked for


def test_image_over_5_mib_gets_ocr_40001(sandbox):
    big = png() + b"\0" * (5 * 1024 * 1024)  # valid PNG header, 5 MiB of trailing bytes
    error = refused(lambda: client(sandbox).extract(big, "big.png"))
    assert error.code == "OCR_40001"


def test_body_over_6_mb_is_refused_cleanly(sandbox):
    huge = png() + b"\0" * (7 * 1024 * 1024)
    error = refused(lambda: client(sandbox).extract(huge, "huge.png"))
    # The sandbox answers from the Content-Length alone, before reading the body.
    assert (error.code, error.http_status) == ("OCR_40001", 413)
    assert "6,291,456 bytes" in error.message


def test_as_curl_repeats_the_upload(sandbox, tmp_path):
    import os
    import subprocess

    sample = manifest()[0]
    data = (SAMPLES / sample["file"]).read_bytes()
    result = client(sandbox).extract(data, sample["file"])
    command = result.record.as_curl()
    assert "demo-key" not in command and "-F" in command
    (tmp_path / sample["file"]).write_bytes(data)  # cURL reads the file named in -F from the folder it runs in
    out = subprocess.run(
        ["bash", "-c", command + " --silent"],
        capture_output=True,
        text=True,
        timeout=10,
        cwd=tmp_path,
        env={**os.environ, "VERIHUBS_API_KEY": "demo-key"},
    )
    assert json.loads(out.stdout)["data"]["result_data"]["npwp"] == sample["npwp"]


# --- Properties: hostile responses (issue "Hardening", "Hostile input everywhere") -----------
#
# Whatever the vendor (or a proxy in between) answers, extract() returns an NpwpResult or
# raises KycError, never anything else. The parsing runs offline: Transport.send is replaced
# on one client by a function that hands back a requests.Response built the way requests'
# HTTPAdapter builds one (status, headers, encoding from the Content-Type, raw bytes), so
# read_json, scrubbing and _interpret all run as in production. A smaller loopback run through
# tests/replay.py covers the real wire, retries included.
#
# derandomize=True: every run (locally and in CI) tries the same examples and keeps no example
# database, so a failure always reproduces and a rare draw never turns CI red.

SECRET = "fuzz-secret-api-key"
TINY_PNG = png(8, 8)
#: 200 is drawn often on purpose: it is the status under which the deepest parsing happens.
STATUSES = st.one_of(st.just(200), st.sampled_from([200, 400, 401, 404, 422, 500, 502]), st.integers(100, 599))
CONTENT_TYPES = st.one_of(
    st.sampled_from(
        [
            "application/json",
            "application/json; charset=utf-8",
            "text/html; charset=utf-8",
            "text/plain",
            "application/octet-stream",
            "",
            "application/json; charset=utf-16",
            "application/json; charset=latin-1",
            "application/json; charset=no-such-codec",
            "application/json; charset=base64",
            "application/json; charset=rot13",
            "application/json; charset=idna",
            "application/json; charset=undefined",
        ]
    ),
    st.text(max_size=30).map(lambda charset: "application/json; charset=" + charset),
)
JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=30),
    st.sampled_from([SECRET, f"key {SECRET} echoed", "", " ", "OCR_200004", "OCR_50000"]),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=8,
)


def shaped(fields: dict[str, st.SearchStrategy]) -> st.SearchStrategy[dict]:
    """Dicts with the vendor's keys, each present or not, each value of any JSON type."""
    return st.fixed_dictionaries({}, optional=fields)


def loose(*keys: str) -> dict[str, st.SearchStrategy]:
    return {key: JSON_VALUES for key in keys}


RESULT_DATA = shaped(loose("npwp", "name", "full_name", "nik", "address"))
VERIHUBS_BODIES = st.one_of(
    # Any mix of the documented keys.
    shaped(
        {
            "message": JSON_VALUES,
            "error_code": st.one_of(
                JSON_VALUES, st.sampled_from(["OCR_200004", "OCR_40001", "OCR_40004", "OCR_50000", "HTTP_5", ""])
            ),
            "error_fields": st.one_of(JSON_VALUES, st.dictionaries(st.text(max_size=10), JSON_VALUES, max_size=3)),
            "data": st.one_of(
                JSON_VALUES, shaped({**loose("id", "reference_id"), "result_data": st.one_of(JSON_VALUES, RESULT_DATA)})
            ),
        }
    ),
    # An extraction, as in the vendor's sample, with any JSON type in each field.
    st.fixed_dictionaries(
        {"data": st.fixed_dictionaries({"result_data": RESULT_DATA}, optional=loose("id", "reference_id"))},
        optional={"message": JSON_VALUES, "error_code": st.sampled_from([None, "", 0, False])},
    ),
    # "Not detected", with any message.
    st.fixed_dictionaries({"error_code": st.just("OCR_200004")}, optional=loose("message", "data")),
)


def body_bytes(vendor_shaped: st.SearchStrategy) -> st.SearchStrategy[bytes]:
    """Response bodies: raw bytes, any JSON, vendor-shaped JSON (plain, cut short, in UTF-16)."""
    vendor_json = vendor_shaped.map(lambda value: json.dumps(value).encode())
    return st.one_of(
        st.binary(max_size=200),
        JSON_VALUES.map(lambda value: json.dumps(value).encode()),
        vendor_json,
        st.tuples(vendor_json, st.floats(0, 1)).map(lambda pair: pair[0][: int(len(pair[0]) * pair[1])]),
        vendor_shaped.map(lambda value: json.dumps(value, ensure_ascii=False).encode("utf-16")),
    )


def http_response(status: int, body: bytes, content_type: str) -> requests.Response:
    """A requests.Response as HTTPAdapter.build_response makes it, without a socket."""
    response = requests.Response()
    response.status_code = status
    response.headers = CaseInsensitiveDict({"Content-Type": content_type, "Content-Length": str(len(body))})
    response.encoding = get_encoding_from_headers(response.headers)
    response.reason = "FUZZ"
    response.url = "http://vendor.invalid/"
    response._content = body
    response._content_consumed = True
    return response


def answering(client, status: int, body: bytes, content_type: str):
    """Make ``client``'s transport answer every call with this response, without a network."""

    def send(method, url, *, record, **kwargs):
        record.attempts = 1
        record.status = status
        return http_response(status, body, content_type), record

    client._transport.send = send
    return client


def assert_result_or_kyc_error(call, result_type, secret: str = SECRET):
    """The property: ``call()`` gives a ``result_type`` or raises KycError, and leaks no secret.

    Returns the result, or None when a KycError was raised.
    """
    result = None
    try:
        result = call()
    except KycError as error:
        assert error.code and isinstance(error.code, str)
        assert error.message and isinstance(error.message, str)
        assert secret not in error.message
        record = error.record
        assert record is not None and record.outcome == error.code
    else:
        assert isinstance(result, result_type)
        record = result.record
        assert record.outcome
    # The record is what history and exports keep: JSON-ready and scrubbed.
    assert secret not in json.dumps(record.to_dict())
    return result


@settings(max_examples=500, deadline=timedelta(seconds=2), derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(status=STATUSES, body=body_bytes(VERIHUBS_BODIES), content_type=CONTENT_TYPES)
def test_any_response_gives_a_result_or_kyc_error(status, body, content_type):
    npwp = answering(NpwpClient("http://vendor.invalid", "fuzz-app", SECRET), status, body, content_type)
    try:
        result = assert_result_or_kyc_error(lambda: npwp.extract(TINY_PNG, "card.png"), NpwpResult)
    finally:
        npwp.close()
    if result is not None:
        assert status == 200
        for value in result.fields().values():
            assert value is None or (isinstance(value, str) and SECRET not in value)
        assert result.detected == (result.record.outcome == "detected")


@settings(max_examples=75, deadline=timedelta(seconds=5), derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    status=st.one_of(st.just(200), st.sampled_from([200, 400, 401, 404, 422, 500, 502]), st.integers(200, 599)),
    body=body_bytes(VERIHUBS_BODIES),
    content_type=st.sampled_from(
        ["application/json", "text/html", "text/plain; charset=latin-1", "application/json; charset=rot13", ""]
    ),
)
def test_any_response_over_the_wire_gives_a_result_or_kyc_error(replay_server, status, body, content_type):
    replay_server.route("/ocr/npwp", Reply(status, body, content_type))
    npwp = NpwpClient(replay_server.url, "fuzz-app", SECRET, timeout=(2.0, 3.0))
    npwp._transport.backoff = 0  # a 502 is retried twice; no need to wait between tries here
    try:
        assert_result_or_kyc_error(lambda: npwp.extract(TINY_PNG, "card.png"), NpwpResult)
    finally:
        npwp.close()


def test_a_refusal_names_its_field_once():
    from kyc.npwp import _detail

    assert _detail({"error_fields": {"image": "image could not be decoded: too large"}}, None) == (
        "image could not be decoded: too large"
    )
    assert _detail({"error_fields": {"image": "missing"}}, None) == "image: missing"
