"""``POST /credit/data/feature/income/v1``: TD's income verification, V1 flat shape.

Vendor codes always travel at HTTP 200 with the code in the body, as in TD's examples.
Order of checks: credentials, then parameters, then a forced scenario, then the record.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import uuid
from typing import Any
from urllib.parse import parse_qs

from .compare import COMPARED_FIELDS, compare
from .records import get_record, is_no_record
from .scenarios import FLAKY_DELAY_SECONDS
from .wire import BodyTooLarge, BodyUnreadable, Reply, parse_json, read_body

PATH = "/credit/data/feature/income/v1"

PARTNER_CODE = "demo"
PARTNER_KEY = "demo-key"

# A real request is a few hundred bytes; anything near this is not a request.
MAX_BODY_BYTES = 64 * 1024

REQUIRED = ("name", "phone_number", "id_number", "id_type")

# 10-13 digits (a leading + not counted) starting +628, 628, 08 or 8.
PHONE_RE = re.compile(r"(?:\+?628[0-9]{7,10}|08[0-9]{8,11}|8[0-9]{9,12})")
NIK_RE = re.compile(r"[0-9]{16}")
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

QUOTA_MESSAGE = "Kuota harian Anda telah habis"

# Forced vendor failures: scenario -> (code, message), worded exactly as in the spec.
FAILURES: dict[str, tuple[int, str]] = {
    "not_purchased": (300, "Service not purchased or not effective"),
    "service_not_purchased": (301, "Service not purchased"),
    "suspended": (302, "Service has been suspend"),
    "no_balance": (303, "Not enough balance"),
    "expired": (304, "Service expired"),
    "internal_error": (9500, "Internal error"),
}


def flaky_fate(nik: str) -> str:
    """ "error" for 1 NIK in 10, "slow" for another 1 in 10, else "ok": fixed by the NIK's hash."""
    bucket = int.from_bytes(hashlib.sha256(nik.encode("utf-8")).digest()[:4], "big") % 10
    return {0: "error", 1: "slow"}.get(bucket, "ok")


def vendor_code(code: int, message: str) -> Reply:
    """A vendor status code in the body, at HTTP 200."""
    return Reply(200, {"code": code, "message": message})


def empty(parameter: str) -> Reply:
    return vendor_code(9060, f"{parameter} empty")


def malformed(parameter: str) -> Reply:
    return vendor_code(9061, f"{parameter} error")


def _sequence_id() -> str:
    return uuid.uuid4().hex


def _parse_json_object(environ: dict[str, Any]) -> dict[str, Any] | None:
    try:
        payload = parse_json(read_body(environ, MAX_BODY_BYTES))
    except (BodyTooLarge, BodyUnreadable, ValueError):
        return None
    return payload if isinstance(payload, dict) else None


def _credential(name: str, query: dict[str, list[str]], body: dict[str, Any] | None) -> Any:
    # TD's convention is the query string; the body is accepted too. Query wins if both.
    values = query.get(name)
    if values and values[0]:
        return values[0]
    return body.get(name) if body else None


def _same(given: Any, expected: str) -> bool:
    return isinstance(given, str) and hmac.compare_digest(given.encode(), expected.encode())


def _check_auth(query: dict[str, list[str]], body: dict[str, Any] | None) -> Reply | None:
    code = _credential("partner_code", query, body)
    key = _credential("partner_key", query, body)
    if code in (None, ""):
        return empty("partner_code")
    if key in (None, ""):
        return empty("partner_key")
    if not (_same(code, PARTNER_CODE) and _same(key, PARTNER_KEY)):
        # Either one wrong: TD answers about the key and does not say which.
        return malformed("partner_key")
    return None


def _validate(body: dict[str, Any]) -> tuple[Reply | None, dict[str, str]]:
    """Return (error reply or None, the optional fields that were sent)."""
    for name in REQUIRED:
        if body.get(name) in (None, ""):
            return empty(name), {}
    for name in REQUIRED:
        if not isinstance(body[name], str):
            return malformed(name), {}
    if not PHONE_RE.fullmatch(body["phone_number"]):
        return malformed("phone_number"), {}
    if not NIK_RE.fullmatch(body["id_number"]):
        return malformed("id_number"), {}
    if body["id_type"] != "national_id":
        return malformed("id_type"), {}

    # Optional fields: absent, null or "" all mean "not sent", and get no comparison.
    sent: dict[str, str] = {}
    for name in COMPARED_FIELDS:
        value = body.get(name)
        if value in (None, ""):
            continue
        if not isinstance(value, str):
            return malformed(name), {}
        sent[name] = value
    if "sex" in sent and sent["sex"].lower() not in ("male", "female"):
        return malformed("sex"), {}
    if "birthdate" in sent and not _is_date(sent["birthdate"]):
        return malformed("birthdate"), {}
    return None, sent


def _is_date(value: str) -> bool:
    if not DATE_RE.fullmatch(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def handle(environ: dict[str, Any], scenario: str | None) -> Reply:
    """Answer one income request."""
    query = parse_qs(environ.get("QUERY_STRING", ""))
    body = _parse_json_object(environ)

    denied = _check_auth(query, body)
    if denied:
        return denied
    if body is None:
        return malformed("request body")

    invalid, sent = _validate(body)
    if invalid:
        return invalid

    if scenario in FAILURES:
        return vendor_code(*FAILURES[scenario])
    # A scenario may delay or fail a call, never change its answer: a `flaky` slow call gives
    # the same answer as without the scenario, late (a timeout where the client waits less).
    delay = 0.0
    if scenario == "flaky":
        fate = flaky_fate(body["id_number"])
        if fate == "error":
            return Reply(500, {"code": 9500, "message": "Internal error"})
        if fate == "slow":
            delay = FLAKY_DELAY_SECONDS
    if scenario == "quota_exceeded":
        return Reply(
            200,
            {"code": 200, "result": "error", "error_message": QUOTA_MESSAGE, "sequence_id": _sequence_id()},
        )
    nik = body["id_number"]
    if scenario == "no_record" or is_no_record(nik):
        return Reply(200, {"code": 200, "result": "no_record", "sequence_id": _sequence_id()}, delay=delay)

    record = get_record(nik)
    data = {
        "company": record.company,
        "address_company": record.address_company,
        "month_last_salary": record.month_last_salary,
        "range_salary": record.range_salary,
        **compare(sent, record),
    }
    return Reply(
        200,
        {"code": 200, "message": "success", "data": data, "result": "hit", "sequence_id": _sequence_id()},
        delay=delay,
    )
