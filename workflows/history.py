"""A session's call history: table rows and redacted CSV and JSON exports.

Entries are built from ``CallRecord``s, which are redacted when they are made, so an export
cannot carry a key. Each export still passes through ``scrub`` with the session's secrets,
in case a key was typed into a form field.

Times: a record is stamped in UTC; the table shows WIB ("4 Dec 2026, 22:15:03 WIB") and the
exports carry ISO 8601 with the offset ("2026-12-04T22:15:03+07:00"), through ``workflows.clock``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from kyc.http import CallRecord
from kyc.redact import scrub
from workflows import clock, spreadsheet

API_NAMES = {"npwp": "NPWP OCR", "income": "Income verification"}
COLUMNS = ("time", "api", "outcome", "code", "http_status", "ms", "call_id")
# What a person reads above each column, on screen and in the CSV.
HEADINGS = {
    "time": f"Time ({clock.ZONE_NAME})",
    "api": "API",
    "outcome": "Outcome",
    "code": "Code",
    "http_status": "HTTP",
    "ms": "Duration (ms)",
    "call_id": "Call ID",
}
# CallRecord.outcome is a result word or a code; the table says what happened in plain words.
OUTCOMES = {
    "detected": "detected",
    "OCR_200004": "not detected",
    "hit": "hit",
    "no_record": "no record",
    "error": "error",
    "connection_test": "connection test",
}


def entry(record: CallRecord, code: str | None = None) -> dict[str, Any]:
    """A history entry: the table columns, plus the redacted record itself for exports and the inspector.

    ``code`` is the KycError's code for a failed call; a call that did not fail has none,
    except "not detected", which Verihubs reports as OCR_200004.
    """
    return {
        "time": clock.shown_or_none(record.started_at, seconds=True) or record.started_at,
        "api": API_NAMES.get(record.api, record.api),
        "outcome": OUTCOMES.get(record.outcome, "failed"),
        "code": code or ("OCR_200004" if record.outcome == "OCR_200004" else ""),
        "http_status": record.status if record.status is not None else "",
        "ms": round(record.elapsed_ms),
        "call_id": record.call_id,
        "record": record,
    }


def table(entries: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Just the columns, newest first, for display."""
    return [{column: item[column] for column in COLUMNS} for item in reversed(entries)]


def matches(item: dict[str, Any], apis: Iterable[str], text: str) -> bool:
    """Whether an entry passes the history filter: one of ``apis``, and ``text`` in its outcome or code."""
    needle = text.strip().lower()
    return item["api"] in set(apis) and (not needle or needle in f"{item['outcome']} {item['code']}".lower())


def _iso(started_at: str) -> str:
    try:
        return clock.iso(started_at)
    except (TypeError, ValueError):
        return started_at  # not a time we can read: exported as it was recorded


def _csv_row(item: dict[str, Any]) -> dict[str, Any]:
    row = {HEADINGS[column]: item[column] for column in COLUMNS}
    row[HEADINGS["time"]] = _iso(item["record"].started_at)
    return row


def to_csv(entries: Sequence[dict[str, Any]], secrets: Iterable[str] = ()) -> bytes:
    """The table as CSV for a spreadsheet (UTF-8 with a BOM, no formula cells), times as ISO 8601 in WIB."""
    rows = (scrub(_csv_row(item), secrets) for item in reversed(entries))
    return spreadsheet.to_csv(rows, [HEADINGS[column] for column in COLUMNS])


def to_json(entries: Sequence[dict[str, Any]], secrets: Iterable[str] = ()) -> bytes:
    """Every call with its full redacted request and response, newest first like the table; times in WIB."""
    calls = []
    for item in reversed(entries):
        call = scrub(item["record"].to_dict(), secrets)
        call["started_at"] = _iso(item["record"].started_at)
        calls.append(call | {"code": item["code"]})
    return json.dumps({"calls": calls}, indent=2, ensure_ascii=False).encode("utf-8")
