"""Contract tests for the sandbox server, driven over real sockets with plain `requests`."""

from __future__ import annotations

import base64
import datetime
import io
import json
import logging
import os
import re
import socket
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
import requests
from PIL import Image
from stdnum.id import nik as stdnum_nik

import sandbox
from sandbox import records

REPO = Path(__file__).resolve().parents[1]
NPWP = "/ocr/npwp"
INCOME = "/credit/data/feature/income/v1"
AUTH = {"App-ID": "demo-app", "API-Key": "demo-key"}
CREDS = {"partner_code": "demo", "partner_key": "demo-key"}
MIB = 1024 * 1024
TIMEOUT = 15

PAYLOAD_MESSAGE = "There's a problem with your JSON payload"
NOT_DETECTED = {"message": "NPWP Not Detected", "error_code": "OCR_200004"}


# --------------------------------------------------------------------------- helpers


def image_bytes(fmt: str, size: tuple[int, int] = (32, 20)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, fmt)
    return buf.getvalue()


PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")
PDF = image_bytes("PDF")
GIF = image_bytes("GIF")


def png_of_size(total: int) -> bytes:
    """A well-formed PNG of exactly `total` bytes: a private ancillary chunk pads it."""
    head, iend = PNG[:-12], PNG[-12:]
    data = b"\0" * (total - len(PNG) - 12)
    chunk = struct.pack(">I", len(data)) + b"prVt" + data
    chunk += struct.pack(">I", zlib.crc32(b"prVt" + data) & 0xFFFFFFFF)
    out = head + chunk + iend
    assert len(out) == total
    return out


def make_nik(
    region: str = "3171",
    district: str = "01",
    day: int = 17,
    month: int = 8,
    yy: int = 85,
    serial: str = "0042",
    female: bool = False,
) -> str:
    return f"{region}{district}{day + (40 if female else 0):02d}{month:02d}{yy:02d}{serial}"


def base_body(**overrides: object) -> dict:
    body = {
        "name": "ANDI PRATAMA",
        "phone_number": "081234567890",
        "id_number": make_nik(),
        "id_type": "national_id",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def npwp(
    url: str,
    *,
    image: bytes | None = PNG,
    filename: str = "card.png",
    headers: dict | None = None,
    scenario: str | None = None,
    **kwargs,
) -> requests.Response:
    hdrs = dict(AUTH if headers is None else headers)
    if scenario is not None:
        hdrs["X-Sandbox-Scenario"] = scenario
    if image is not None and "files" not in kwargs and "json" not in kwargs and "data" not in kwargs:
        kwargs["files"] = {"image": (filename, image, "application/octet-stream")}
    return requests.post(url + NPWP, headers=hdrs, timeout=TIMEOUT, **kwargs)


def income(url: str, body: object, *, params: dict | None = CREDS, scenario: str | None = None, **kwargs) -> requests.Response:
    headers = kwargs.pop("headers", {})
    if scenario is not None:
        headers["X-Sandbox-Scenario"] = scenario
    if "data" not in kwargs:
        kwargs["json"] = body
    return requests.post(url + INCOME, params=params, headers=headers, timeout=TIMEOUT, **kwargs)


def income_json(url: str, body: object, **kwargs) -> dict:
    response = income(url, body, **kwargs)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/json"
    return response.json()


def assert_payload_error(response: requests.Response, status: int, reason_pattern: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["message"] == PAYLOAD_MESSAGE
    assert body["error_code"] == "OCR_40001"
    assert re.search(reason_pattern, body["error_fields"]["image"], re.I), body


@pytest.fixture(scope="module")
def sb():
    with sandbox.start_in_thread(port=0) as handle:
        yield handle


@pytest.fixture(scope="module")
def url(sb) -> str:
    return sb.url


# --------------------------------------------------------------------------- server basics


def test_health(url):
    response = requests.get(url + "/health", timeout=TIMEOUT)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["status"] == "ok"


def test_handle_exposes_url_and_port(sb):
    assert sb.url == f"http://127.0.0.1:{sb.port}"
    assert sb.port > 0


def test_unknown_path_is_json_404(url):
    response = requests.get(url + "/nope", timeout=TIMEOUT)
    assert response.status_code == 404
    assert "message" in response.json()


def test_wrong_method_is_json_405_with_allow(url):
    response = requests.get(url + NPWP, timeout=TIMEOUT)
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert response.json()["message"] == "Method not allowed"
    assert requests.post(url + "/health", timeout=TIMEOUT).status_code == 405


def test_stop_releases_port_and_thread():
    handle = sandbox.start_in_thread(port=0)
    port, thread = handle.port, handle._thread
    assert requests.get(handle.url + "/health", timeout=TIMEOUT).ok
    handle.stop()
    handle.stop()  # idempotent
    assert not thread.is_alive()
    with pytest.raises(requests.ConnectionError):
        requests.get(handle.url + "/health", timeout=2)
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))  # would raise EADDRINUSE if the listener were still open


def test_start_on_busy_port_raises_oserror(sb):
    with pytest.raises(OSError):
        sandbox.start_in_thread(port=sb.port)


def test_latency_ms_delays_every_response():
    with sandbox.start_in_thread(port=0, latency_ms=300) as slow:
        started = time.perf_counter()
        assert requests.get(slow.url + "/health", timeout=TIMEOUT).ok
        assert time.perf_counter() - started >= 0.3
        started = time.perf_counter()
        assert income_json(slow.url, base_body())["result"] == "hit"
        assert time.perf_counter() - started >= 0.3


def test_requests_are_not_logged_by_default(url, caplog):
    caplog.set_level(logging.DEBUG)
    income_json(url, base_body())
    requests.get(url + "/nope", timeout=TIMEOUT)
    npwp(url)
    # Only the server side's loggers: urllib3 (the client here) logs its own request lines.
    text = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("urllib3"))
    assert "demo-key" not in text
    assert INCOME not in text and "/nope" not in text and NPWP not in text


# --------------------------------------------------------------------------- scenarios (shared)


def test_scenarios_are_exported_with_descriptions():
    assert set(sandbox.SCENARIOS) == {"npwp", "income"}
    assert set(sandbox.SCENARIOS["npwp"]) == {"not_detected", "quota_exceeded", "server_error", "unauthorized", "slow"}
    assert set(sandbox.SCENARIOS["income"]) >= {
        "no_record",
        "quota_exceeded",
        "not_purchased",
        "service_not_purchased",
        "suspended",
        "no_balance",
        "expired",
        "internal_error",
        "slow",
    }
    for names in sandbox.SCENARIOS.values():
        assert all(isinstance(text, str) and len(text) > 10 for text in names.values())


@pytest.mark.parametrize("api", ["npwp", "income"])
def test_unknown_scenario_is_400_listing_valid_ones(url, api):
    # Checked before credentials: a typo in the header should be obvious, not a 401.
    if api == "npwp":
        response = npwp(url, headers={}, scenario="explode")
    else:
        response = income(url, {}, params=None, scenario="explode")
    assert response.status_code == 400
    body = response.json()
    assert "explode" in body["message"]
    assert body["valid_scenarios"] == list(sandbox.SCENARIOS[api])
    assert all(name in body["message"] for name in sandbox.SCENARIOS[api])  # for message-only clients


@pytest.mark.parametrize("value", ["", "none", "NONE"])
def test_empty_or_none_scenario_means_no_scenario(url, value):
    assert npwp(url, scenario=value).json() == NOT_DETECTED
    assert income_json(url, base_body(), scenario=value)["result"] == "hit"


# --------------------------------------------------------------------------- NPWP


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"App-ID": "demo-app"},
        {"API-Key": "demo-key"},
        {"App-ID": "demo-app", "API-Key": "wrong"},
        {"App-ID": "other", "API-Key": "demo-key"},
    ],
    ids=["none", "no-key", "no-app-id", "wrong-key", "wrong-app-id"],
)
def test_npwp_auth_refused(url, headers):
    response = npwp(url, headers=headers)
    assert response.status_code == 401
    assert response.json() == {"message": "Authorization failed"}


def test_npwp_valid_non_sample_document_is_not_detected(url):
    for data, name in ((PNG, "a.png"), (JPEG, "a.jpg"), (PDF, "a.pdf")):
        response = npwp(url, image=data, filename=name)
        assert response.status_code == 200
        assert response.json() == NOT_DETECTED


def test_npwp_type_comes_from_content_not_extension(url):
    assert npwp(url, image=PNG, filename="card.pdf").json() == NOT_DETECTED
    assert_payload_error(npwp(url, image=GIF, filename="card.png"), 422, "type")


@pytest.mark.parametrize(
    "scenario,status,body",
    [
        ("not_detected", 200, NOT_DETECTED),
        ("quota_exceeded", 400, {"message": "You don't have enough quota, please contact our admin", "error_code": "OCR_40004"}),
        ("server_error", 500, {"message": "Internal server error", "error_code": "OCR_50000"}),
        ("unauthorized", 401, {"message": "Authorization failed"}),
    ],
)
def test_npwp_scenarios(tmp_path_factory, scenario, status, body):
    # Run against a sandbox that knows the upload as a sample, so a forced branch visibly
    # overrides what would otherwise be a success.
    samples = _write_samples(tmp_path_factory.mktemp("samples"), [("card.png", PNG, SAMPLE_FIELDS)])
    with sandbox.start_in_thread(port=0, samples_dir=samples) as sbx:
        assert npwp(sbx.url).json()["message"] == "Success Extract Data"
        response = npwp(sbx.url, scenario=scenario)
    assert response.status_code == status
    assert response.json() == body


def test_npwp_slow_scenario_waits_then_answers_normally(url):
    started = time.perf_counter()
    response = npwp(url, scenario="slow")
    assert time.perf_counter() - started >= 3.0
    assert response.status_code == 200
    assert response.json() == NOT_DETECTED


def test_npwp_missing_image_422(url):
    response = npwp(url, image=None, files={"document": ("card.png", PNG)})
    assert_payload_error(response, 422, "required")
    assert_payload_error(npwp(url, image=None), 422, "required")  # no body at all


def test_npwp_empty_image_422(url):
    assert_payload_error(npwp(url, image=b""), 422, "empty")


def test_npwp_gif_422(url):
    assert_payload_error(npwp(url, image=GIF, filename="card.gif"), 422, "JPEG, PNG and PDF")


def test_npwp_text_renamed_png_422(url):
    assert_payload_error(npwp(url, image=b"this is not an image\n" * 20, filename="card.png"), 422, "type")


def test_npwp_truncated_png_undecodable_422(url):
    assert_payload_error(npwp(url, image=PNG[: len(PNG) // 2]), 422, "decoded")


def png_chunk(ctype: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + ctype + payload + struct.pack(">I", zlib.crc32(ctype + payload))


def png_claiming(width: int, height: int, idat: bytes = zlib.compress(b"\0" * 64)) -> bytes:
    """A PNG whose every chunk is whole, with correct checksums, whose IHDR declares width x height."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def jpeg_claiming(width: int, height: int) -> bytes:
    data = bytearray(JPEG)
    sof = data.find(b"\xff\xc0")  # baseline start of frame: length(2) precision(1) height(2) width(2)
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def jpeg_with_broken_huffman_table() -> bytes:
    """A whole JPEG (headers, picture data, end marker) whose Huffman table counts no codes."""
    data = bytearray(JPEG)
    dht = data.find(b"\xff\xc4")  # define Huffman table: length(2) class and id(1), 16 code counts
    data[dht + 5 : dht + 21] = bytes(16)
    return bytes(data)


def pdf_locked_with_a_password() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(PDF)))
    writer.encrypt("s3cret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_mediabox(box: str) -> bytes:
    return re.sub(rb"/MediaBox \[[^]]*\]", f"/MediaBox [ {box} ]".encode(), PDF)


@pytest.mark.parametrize(
    "data, reason",
    [
        (png_claiming(30000, 30000), r"PNG is 30,000 × 30,000 pixels \(900 megapixels\), more than the 50 megapixels"),
        (png_claiming(8000, 7000), r"PNG is 8,000 × 7,000 pixels \(56 megapixels\)"),  # just over the limit
        (jpeg_claiming(30000, 30000), r"JPEG is 30,000 × 30,000 pixels"),
    ],
    ids=["png-30000x30000", "png-8000x7000", "jpeg-30000x30000"],
)
def test_npwp_decompression_bomb_is_422_cannot_decode(url, data, reason):
    # The bomb is a few hundred bytes, whole and with correct checksums: only its declared size is wrong.
    assert len(data) < 1000
    started = time.perf_counter()
    response = npwp(url, image=data)
    assert time.perf_counter() - started < 5  # refused from the header: 900 megapixels are never decoded
    assert_payload_error(response, 422, r"^image could not be decoded: the " + reason)


@pytest.mark.parametrize(
    "data, reason",
    [
        (png_claiming(320, 200, b"not zlib data at all" * 8), "the PNG picture data is damaged or cut short"),
        (png_claiming(320, 200, zlib.compress(b"\0" * 100)), "the PNG picture data is damaged or cut short"),
        (jpeg_with_broken_huffman_table(), "the JPEG picture data is damaged or cut short"),
        (b"%PDF-1.4\nnot a PDF after all\n%%EOF\n", "the PDF is damaged: its pages cannot be read"),
        (pdf_locked_with_a_password(), "the PDF is locked with a password"),
    ],
    ids=["png-corrupt-data", "png-data-cut-short", "jpeg-broken-huffman-table", "pdf-unreadable", "pdf-password"],
)
def test_npwp_document_that_only_decoding_shows_is_broken_is_422(url, data, reason):
    # Each passes the structural checks (whole chunks, end markers): decoding alone finds it broken.
    assert_payload_error(npwp(url, image=data), 422, "^image could not be decoded: " + re.escape(reason) + "$")


def test_npwp_pdf_page_too_large_to_draw_is_drawn_smaller_and_read(url):
    # 200 inches square (40,000 px a side at the reader's 200 dpi) is drawn at 3000 px instead: a
    # document, not a decoding failure.
    huge = pdf_with_mediabox("0 0 14400 14400")
    assert b"14400" in huge
    assert npwp(url, image=huge, filename="huge.pdf").json() == NOT_DETECTED


def test_npwp_cannot_decode_comes_after_a_forced_scenario(url):
    # Whether a picture decodes is found when it is read, which a forced branch skips.
    bomb = png_claiming(30000, 30000)
    assert npwp(url, image=bomb, scenario="not_detected").json() == NOT_DETECTED
    assert npwp(url, image=bomb, scenario="quota_exceeded").status_code == 400


def test_npwp_image_size_limit_is_5_mib(url):
    assert npwp(url, image=png_of_size(5 * MIB)).json() == NOT_DETECTED
    response = npwp(url, image=png_of_size(5 * MIB + 1))
    assert_payload_error(response, 422, "exceeds")
    assert response.json()["error_fields"]["image"] == (
        "image size exceeds the maximum of 5,242,880 bytes (5 MiB); got 5,242,881 bytes"
    )


def test_npwp_body_over_6_mb_is_413(url):
    response = npwp(url, image=png_of_size(int(6.5 * MIB)))
    assert_payload_error(response, 413, "exceeds")
    assert response.json()["error_fields"]["image"] == "request body exceeds the limit of 6,291,456 bytes (6 MiB)"


def test_npwp_chunked_body_over_limit_is_413(url):
    def chunks():
        for _ in range(7):
            yield b"\0" * MIB

    headers = {**AUTH, "Content-Type": "multipart/form-data; boundary=xyz"}
    response = requests.post(url + NPWP, data=chunks(), headers=headers, timeout=TIMEOUT)
    assert_payload_error(response, 413, "exceeds")


def test_npwp_413_is_decided_from_content_length_without_reading(url):
    # Declare 100 MB and send none of it: a server that tried to read the body would hang.
    host, port = url.removeprefix("http://").split(":")
    request = (
        f"POST {NPWP} HTTP/1.1\r\nHost: {host}\r\nApp-ID: demo-app\r\nAPI-Key: demo-key\r\n"
        "Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: 100000000\r\n\r\n"
    ).encode()
    with socket.create_connection((host, int(port)), timeout=5) as conn:
        conn.sendall(request)
        received = b""
        while b"\r\n\r\n" not in received:
            received += conn.recv(65536)
    assert received.startswith(b"HTTP/1.1 413")


def test_npwp_json_base64_is_tolerated(url):
    encoded = base64.b64encode(PNG).decode()
    for value in (encoded, "data:image/png;base64," + encoded):
        response = npwp(url, image=None, json={"image": value})
        assert response.status_code == 200
        assert response.json() == NOT_DETECTED
    assert_payload_error(npwp(url, image=None, json={"image": "@@not base64@@"}), 422, "base64")
    assert_payload_error(npwp(url, image=None, json={"img": encoded}), 422, "required")
    gif = base64.b64encode(GIF).decode()
    assert_payload_error(npwp(url, image=None, json={"image": gif}), 422, "type")


SAMPLE_FIELDS = {
    "npwp": "01.234.567.8-901.000",
    "name": "BUDI CONTOH",
    "nik": "3171011708450001",
    "address": "JL. CONTOH NO. 1, JAKARTA",
}


def _write_samples(directory: Path, entries: list[tuple[str, bytes, dict]]) -> Path:
    manifest = []
    for filename, data, fields in entries:
        (directory / filename).write_bytes(data)
        manifest.append({"file": filename, "kind": "test", **fields})
    (directory / "manifest.json").write_text(json.dumps({"samples": manifest}))
    return directory


def test_npwp_samples_return_their_true_fields(tmp_path):
    pdf_fields = {**SAMPLE_FIELDS, "npwp": "3171011708450001", "name": "SITI CONTOH"}
    samples = _write_samples(tmp_path, [("a.png", PNG, SAMPLE_FIELDS), ("b.pdf", PDF, pdf_fields)])
    with sandbox.start_in_thread(port=0, samples_dir=samples) as sbx:
        for data, fields in ((PNG, SAMPLE_FIELDS), (PDF, pdf_fields)):
            response = npwp(sbx.url, image=data, filename="upload.bin")
            assert response.status_code == 200
            body = response.json()
            assert body["message"] == "Success Extract Data"
            assert set(body["data"]) == {"id", "reference_id", "result_data"}
            assert body["data"]["result_data"] == fields
            assert re.fullmatch(r"[0-9a-f-]{36}", body["data"]["id"])
        assert npwp(sbx.url, image=JPEG).json() == NOT_DETECTED  # not in the manifest


def test_npwp_sample_lookup_survives_missing_manifest(tmp_path):
    with sandbox.start_in_thread(port=0, samples_dir=tmp_path) as sbx:
        assert npwp(sbx.url).json() == NOT_DETECTED
        assert requests.get(sbx.url + "/health", timeout=TIMEOUT).json()["samples"] == 0


def test_npwp_committed_sample_cards_return_their_true_fields(url):
    manifest = REPO / "sandbox" / "samples" / "manifest.json"
    entries = json.loads(manifest.read_text())["samples"]
    assert entries, "the sample manifest lists no cards"
    for entry in entries:
        data = (manifest.parent / entry["file"]).read_bytes()
        response = npwp(url, image=data, filename=entry["file"])
        assert response.status_code == 200, (entry["file"], response.text)
        assert response.json()["data"]["result_data"] == {
            "npwp": entry["npwp"],
            "name": entry.get("name", entry.get("full_name")),
            "nik": entry["nik"],
            "address": entry["address"],
        }, entry["file"]


# --------------------------------------------------------------------------- income: auth


def test_income_credentials_in_query(url):
    assert income_json(url, base_body(), params=CREDS)["result"] == "hit"


def test_income_credentials_in_body(url):
    assert income_json(url, base_body(**CREDS), params=None)["result"] == "hit"


@pytest.mark.parametrize(
    "params,body_creds,expected",
    [
        (None, {}, {"code": 9060, "message": "partner_code empty"}),
        ({"partner_key": "demo-key"}, {}, {"code": 9060, "message": "partner_code empty"}),
        ({"partner_code": "demo"}, {}, {"code": 9060, "message": "partner_key empty"}),
        (None, {"partner_code": "demo", "partner_key": ""}, {"code": 9060, "message": "partner_key empty"}),
        ({"partner_code": "demo", "partner_key": "nope"}, {}, {"code": 9061, "message": "partner_key error"}),
        ({"partner_code": "other", "partner_key": "demo-key"}, {}, {"code": 9061, "message": "partner_key error"}),
        (None, {"partner_code": "demo", "partner_key": "nope"}, {"code": 9061, "message": "partner_key error"}),
    ],
    ids=["none", "no-code", "no-key", "empty-key-in-body", "wrong-key", "wrong-code", "wrong-key-in-body"],
)
def test_income_auth_failures(url, params, body_creds, expected):
    assert income_json(url, base_body(**body_creds), params=params) == expected


def test_income_auth_is_checked_before_parameters(url):
    assert income_json(url, {}, params={"partner_code": "demo", "partner_key": "x"}) == {
        "code": 9061,
        "message": "partner_key error",
    }


# --------------------------------------------------------------------------- income: validation


@pytest.mark.parametrize("field", ["name", "phone_number", "id_number", "id_type"])
@pytest.mark.parametrize("how", ["absent", "empty"])
def test_income_missing_required_is_9060(url, field, how):
    body = base_body()
    if how == "absent":
        del body[field]
    else:
        body[field] = ""
    assert income_json(url, body) == {"code": 9060, "message": f"{field} empty"}


@pytest.mark.parametrize("phone", ["+6281234567890", "6281234567", "081234567890", "8123456789", "0812345678901", "628123456789"])
def test_income_valid_phone_numbers(url, phone):
    assert income_json(url, base_body(phone_number=phone))["result"] == "hit"


@pytest.mark.parametrize(
    "field,value",
    [
        ("phone_number", "081234567"),  # 9 digits
        ("phone_number", "08123456789012"),  # 14 digits
        ("phone_number", "+62812345678901"),  # 14 digits after the +
        ("phone_number", "0712345678"),  # not 08
        ("phone_number", "+0812345678"),  # + only before 628
        ("phone_number", "0812-3456-789"),
        ("phone_number", 81234567890),  # a number, not a string
        ("id_number", "317101170885004"),  # 15 digits
        ("id_number", "31710117088500421"),  # 17 digits
        ("id_number", "31710117088500A2"),
        ("id_type", "passport"),
        ("sex", "m"),
        ("birthdate", "1990-02-30"),
        ("birthdate", "12-05-1990"),
        ("birthdate", "1990/05/12"),
        ("birthdate", "19900512"),
    ],
)
def test_income_malformed_is_9061(url, field, value):
    assert income_json(url, base_body(**{field: value})) == {"code": 9061, "message": f"{field} error"}


def test_income_structurally_odd_nik_is_accepted(url):
    # 16 digits but no real region or date: the vendor checks digits only, so QA can probe.
    odd = "9999993213999999"
    assert not stdnum_nik.is_valid(odd)
    body = income_json(url, base_body(id_number=odd, birthdate="1999-12-31"))
    assert body["result"] == "hit"
    assert body["data"]["birthdate"] == "NOT MATCH"


@pytest.mark.parametrize("data", [b"not json", b"[1, 2]", b"", b'"text"'])
def test_income_non_json_body_gets_vendor_error(url, data):
    response = income(url, None, data=data, headers={"Content-Type": "application/json"})
    assert response.status_code == 200
    assert response.json() == {"code": 9061, "message": "request body error"}


# --------------------------------------------------------------------------- income: scenarios


@pytest.mark.parametrize(
    "scenario,expected",
    [
        ("not_purchased", {"code": 300, "message": "Service not purchased or not effective"}),
        ("service_not_purchased", {"code": 301, "message": "Service not purchased"}),
        ("suspended", {"code": 302, "message": "Service has been suspend"}),
        ("no_balance", {"code": 303, "message": "Not enough balance"}),
        ("expired", {"code": 304, "message": "Service expired"}),
        ("internal_error", {"code": 9500, "message": "Internal error"}),
    ],
)
def test_income_vendor_code_scenarios(url, scenario, expected):
    assert income_json(url, base_body(), scenario=scenario) == expected


def test_income_no_record_scenario(url):
    body = income_json(url, base_body(), scenario="no_record")
    assert set(body) == {"code", "result", "sequence_id"}
    assert body["code"] == 200 and body["result"] == "no_record"


def test_income_quota_exceeded_scenario(url):
    body = income_json(url, base_body(), scenario="quota_exceeded")
    assert body["code"] == 200
    assert body["result"] == "error"
    assert body["error_message"] == "Kuota harian Anda telah habis"
    assert body["sequence_id"]
    assert "data" not in body


def test_income_slow_scenario_waits_then_answers_normally(url):
    started = time.perf_counter()
    body = income_json(url, base_body(), scenario="slow")
    assert time.perf_counter() - started >= 3.0
    assert body["result"] == "hit"


def test_income_validation_precedes_forced_scenario(url):
    assert income_json(url, base_body(name=""), scenario="not_purchased") == {"code": 9060, "message": "name empty"}


# --------------------------------------------------------------------------- income: records


def test_income_hit_shape(url):
    body = income_json(url, base_body())
    assert body["code"] == 200 and body["message"] == "success" and body["result"] == "hit"
    data = body["data"]
    assert data["company"].startswith("PT ")
    assert data["address_company"]
    assert re.fullmatch(r"(0[1-9]|1[0-2])/20[0-9]{2}", data["month_last_salary"])
    assert data["range_salary"] in records.SALARY_BANDS
    assert len(records.SALARY_BANDS) == 18


def test_income_unsent_fields_get_no_comparison(url):
    data = income_json(url, base_body())["data"]
    assert set(data) == {"company", "address_company", "month_last_salary", "range_salary"}
    data = income_json(url, base_body(sex="male", email=""))["data"]
    assert set(data) == {"company", "address_company", "month_last_salary", "range_salary", "sex"}


def test_income_is_deterministic_per_nik(url):
    first = income_json(url, base_body())
    second = income_json(url, base_body())
    assert first["data"] == second["data"]
    assert first["sequence_id"] != second["sequence_id"]
    others = {json.dumps(income_json(url, base_body(id_number=make_nik(serial=f"{i:04d}")))["data"]) for i in range(1, 6)}
    assert len(others) > 1  # the record depends on the NIK


def test_record_generation_does_not_depend_on_process_hash_seed():
    nik = make_nik(serial="0777")
    code = (
        "import dataclasses, json, sys; from sandbox import records; "
        f"print(json.dumps(dataclasses.asdict(records.get_record({nik!r})), default=str))"
    )
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outputs.add(
            subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, check=True, capture_output=True, text=True).stdout
        )
    assert len(outputs) == 1


def test_income_sex_and_birthdate_come_from_the_nik(url):
    woman = make_nik(day=12, month=5, yy=90, female=True)
    data = income_json(url, base_body(id_number=woman, sex="female", birthdate="1990-05-12"))["data"]
    assert (data["sex"], data["birthdate"]) == ("MATCH", "MATCH")
    data = income_json(url, base_body(id_number=woman, sex="FEMALE", birthdate="1990-05-13"))["data"]
    assert (data["sex"], data["birthdate"]) == ("MATCH", "NOT MATCH")
    data = income_json(url, base_body(id_number=woman, sex="male"))["data"]
    assert data["sex"] == "NOT MATCH"
    man = make_nik(day=12, month=5, yy=90)
    assert income_json(url, base_body(id_number=man, sex="female"))["data"]["sex"] == "NOT MATCH"


def test_income_birth_century_is_the_latest_not_in_the_future(url):
    today = datetime.date.today()
    assert today.year < 2100  # the expectations below are written for this century
    recent = make_nik(day=1, month=1, yy=5)  # 2005
    assert income_json(url, base_body(id_number=recent, birthdate="2005-01-01"))["data"]["birthdate"] == "MATCH"
    assert income_json(url, base_body(id_number=recent, birthdate="1905-01-01"))["data"]["birthdate"] == "NOT MATCH"
    # Next year's 1 January is in the future, so the same yy means a century earlier.
    yy = (today.year + 1) % 100
    old = make_nik(day=1, month=1, yy=yy)
    past, future = f"{today.year + 1 - 100}-01-01", f"{today.year + 1}-01-01"
    assert income_json(url, base_body(id_number=old, birthdate=past))["data"]["birthdate"] == "MATCH"
    assert income_json(url, base_body(id_number=old, birthdate=future))["data"]["birthdate"] == "NOT MATCH"


def test_income_comparisons_are_forgiving_about_format(url):
    persona = {p["key"]: p for p in sandbox.personas()}["all_match"]
    record = persona["record"]
    body = base_body(
        id_number=persona["request"]["id_number"],
        package="jkm, JP ,jht,JKK",  # order, case, spacing, JP alias for JPN
        email="  " + record["email"].upper() + " ",
        address_employee=re.sub(r"[.,]", " ", record["address_employee"].lower()) + ".",
    )
    data = income_json(url, body)["data"]
    assert (data["package"], data["email"], data["address_employee"]) == ("MATCH", "MATCH", "MATCH")
    data = income_json(
        url,
        base_body(
            id_number=persona["request"]["id_number"],
            package="JHT,JKK",
            email="someone@else.id",
            address_employee="JL. LAIN NO. 1",
        ),
    )["data"]
    assert (data["package"], data["email"], data["address_employee"]) == ("NOT MATCH",) * 3


def test_income_serial_0000_is_no_record(url):
    body = income_json(url, base_body(id_number=make_nik(serial="0000"), sex="male"))
    assert body == {"code": 200, "result": "no_record", "sequence_id": body["sequence_id"]}


# --------------------------------------------------------------------------- personas


def test_personas_shape_and_valid_niks():
    people = sandbox.personas()
    assert [p["key"] for p in people] == ["all_match", "mismatches", "no_record"]
    for person in people:
        assert person["label"] and person["description"]
        assert set(person["request"]) == {
            "name",
            "phone_number",
            "id_number",
            "sex",
            "birthdate",
            "package",
            "email",
            "address_employee",
        }
        assert stdnum_nik.is_valid(person["request"]["id_number"]), person["key"]
        assert person["expected"]["result"] in ("hit", "no_record")
    people[0]["request"]["name"] = "CHANGED"
    assert sandbox.personas()[0]["request"]["name"] != "CHANGED"  # callers get a copy


@pytest.mark.parametrize("key", ["all_match", "mismatches", "no_record"])
def test_personas_produce_their_expected_results(url, key):
    person = {p["key"]: p for p in sandbox.personas()}[key]
    body = income_json(url, {**person["request"], "id_type": "national_id"})
    assert body["result"] == person["expected"]["result"]
    comparisons = {k: v for k, v in body.get("data", {}).items() if v in ("MATCH", "NOT MATCH")}
    assert comparisons == person["expected"]["comparisons"]
    if key == "all_match":
        assert set(comparisons.values()) == {"MATCH"} and len(comparisons) == 5
    if key == "mismatches":
        assert "NOT MATCH" in comparisons.values() and "MATCH" in comparisons.values()
    if person["record"]:
        for field in ("company", "address_company", "month_last_salary", "range_salary"):
            assert body["data"][field] == person["record"][field]


# --------------------------------------------------------------------------- OpenAPI


def test_openapi_describes_both_endpoints(url):
    response = requests.get(url + "/openapi.json", timeout=TIMEOUT)
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    npwp_op = spec["paths"][NPWP]["post"]
    income_op = spec["paths"][INCOME]["post"]
    multipart = npwp_op["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert multipart["required"] == ["image"] and multipart["properties"]["image"]["format"] == "binary"
    assert {p["name"] for p in npwp_op["parameters"]} >= {"App-ID", "API-Key", "X-Sandbox-Scenario"}
    assert {p["name"] for p in income_op["parameters"]} >= {"partner_code", "partner_key", "X-Sandbox-Scenario"}
    assert set(npwp_op["responses"]) == {"200", "400", "401", "413", "422", "500"}
    assert set(income_op["responses"]) == {"200", "400", "500"}  # 500: the `flaky` scenario's failures


def test_responses_conform_to_the_openapi_schemas(url, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    spec = requests.get(url + "/openapi.json", timeout=TIMEOUT).json()

    def check(path: str, response: requests.Response) -> None:
        documented = spec["paths"][path]["post"]["responses"][str(response.status_code)]
        assert response.headers["Content-Type"] == "application/json"
        schema = {**documented["content"]["application/json"]["schema"], "components": spec["components"]}
        jsonschema.validate(response.json(), schema)

    samples = _write_samples(tmp_path, [("a.png", PNG, SAMPLE_FIELDS)])
    with sandbox.start_in_thread(port=0, samples_dir=samples) as sbx:
        check(NPWP, npwp(sbx.url))
    for response in (
        npwp(url),
        npwp(url, headers={}),
        npwp(url, image=GIF),
        npwp(url, scenario="quota_exceeded"),
        npwp(url, scenario="server_error"),
        npwp(url, scenario="bad"),
        npwp(url, image=png_of_size(int(6.5 * MIB))),
    ):
        check(NPWP, response)
    for person in sandbox.personas():
        check(INCOME, income(url, {**person["request"], "id_type": "national_id"}))
    for response in (
        income(url, base_body(), scenario="quota_exceeded"),
        income(url, base_body(), scenario="expired"),
        income(url, base_body(name="")),
        income(url, base_body(sex="x")),
        income(url, {}, params=None),
        income(url, base_body(), scenario="bad"),
    ):
        check(INCOME, response)


# --------------------------------------------------------------------------- CLI


def test_cli_serves_until_terminated_and_logs_no_secrets():
    proc = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "--host", "127.0.0.1", "--port", "0", "--verbose"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        assert match, line
        cli_url = match.group(0)
        deadline = time.monotonic() + 10
        while True:
            try:
                if requests.get(cli_url + "/health", timeout=2).json()["status"] == "ok":
                    break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "sandbox CLI never answered /health"
                time.sleep(0.05)
        assert income_json(cli_url, base_body())["result"] == "hit"
    finally:
        proc.terminate()
        _, stderr = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert f"POST {INCOME} 200" in stderr  # --verbose: method, path, status
    assert "demo-key" not in stderr and "partner_key" not in stderr


# --------------------------------------------------------------------------- robustness


def test_deeply_nested_json_is_a_payload_error_not_a_crash(url):
    # A few thousand brackets exhaust json's recursion limit; that used to escape as a crash:
    # HTTP 500 OCR_50000 from the NPWP API and code 9500 from the income API, with no scenario.
    for deep in ("[" * 5000 + "]" * 5000, '{"image": ' * 5000 + "1" + "}" * 5000):
        response = npwp(url, image=None, data=deep, headers={**AUTH, "Content-Type": "application/json"})
        assert_payload_error(response, 422, "JSON")
        assert income_json(url, None, data=deep, headers={"Content-Type": "application/json"}) == {
            "code": 9061,
            "message": "request body error",
        }


CONCURRENT_CLIENTS = 50
CALLS_PER_CLIENT = 6


@pytest.mark.load
def test_sandbox_holds_50_concurrent_clients(url):
    """50 clients, each with its own keep-alive session, start at once and mix both APIs.

    Every call must succeed with the right body: no refused or reset connection, no 5xx, no
    answer meant for another client. Nothing here measures time (bench/sandbox_load.py does).
    """
    import threading
    from concurrent.futures import ThreadPoolExecutor

    manifest = REPO / "sandbox" / "samples" / "manifest.json"
    entry = next(e for e in json.loads(manifest.read_text())["samples"] if e["file"] == "npwp15-card.png")
    card = (manifest.parent / entry["file"]).read_bytes()
    card_fields = {key: entry[key] for key in ("npwp", "name", "nik", "address")}
    people = sandbox.personas()
    start = threading.Barrier(CONCURRENT_CLIENTS)

    def check_npwp(session: requests.Session) -> None:
        response = session.post(url + NPWP, headers=AUTH, files={"image": ("card.png", card, "image/png")}, timeout=TIMEOUT)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["message"] == "Success Extract Data"
        assert body["data"]["result_data"] == card_fields

    def check_income(session: requests.Session, person: dict) -> None:
        response = session.post(url + INCOME, params=CREDS, json={**person["request"], "id_type": "national_id"}, timeout=TIMEOUT)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["result"] == person["expected"]["result"], (person["key"], body)
        data = body.get("data", {})
        assert {k: v for k, v in data.items() if v in ("MATCH", "NOT MATCH")} == person["expected"]["comparisons"]
        if person["record"]:
            for key in ("company", "address_company", "month_last_salary", "range_salary"):
                assert data[key] == person["record"][key], (person["key"], key)

    def client(index: int) -> int:
        with requests.Session() as session:
            start.wait(timeout=60)  # all 50 connect and send together
            for call in range(CALLS_PER_CLIENT):
                if (index + call) % 2:
                    check_npwp(session)
                else:
                    check_income(session, people[(index + call) % len(people)])
        return CALLS_PER_CLIENT

    with ThreadPoolExecutor(max_workers=CONCURRENT_CLIENTS) as pool:
        futures = [pool.submit(client, index) for index in range(CONCURRENT_CLIENTS)]
        done = [future.result() for future in futures]  # re-raises the first failure of any client
    assert sum(done) == CONCURRENT_CLIENTS * CALLS_PER_CLIENT
    assert requests.get(url + "/health", timeout=TIMEOUT).json()["status"] == "ok"
