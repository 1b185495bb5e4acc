"""A session's call history: table rows and redacted CSV and JSON exports.

Entries are built from ``CallRecord``s, which are redacted when they are made, so an export
cannot carry a key. Each export still passes through ``scrub`` with the session's secrets,
in case a key was typed into a form field.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from kyc.http import CallRecord
from kyc.redact import scrub
from workflows import spreadsheet

API_NAMES = {"npwp": "NPWP OCR", "income": "Income verification"}
COLUMNS = ("time", "api", "outcome", "code", "http_status", "ms", "call_id")
# CallRecord.outcome is a result word or a code; the table says what happened in plain words.
OUTCOMES = {"detected": "detected", "OCR_200004": "not detected", "hit": "hit", "no_record": "no record", "error": "error"}


def entry(record: CallRecord, code: str | None = None) -> dict[str, Any]:
    """A history entry: the table columns, plus the redacted record itself for exports and the inspector.

    ``code`` is the KycError's code for a failed call; a call that did not fail has none,
    except "not detected", which Verihubs reports as OCR_200004.
    """
    return {
        "time": record.started_at.replace("T", " ").replace("+00:00", " UTC"),
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


def to_csv(entries: Sequence[dict[str, Any]], secrets: Iterable[str] = ()) -> bytes:
    """The table as CSV for a spreadsheet (UTF-8 with a BOM, no formula cells)."""
    return spreadsheet.to_csv((scrub(row, secrets) for row in table(entries)), COLUMNS)


def to_json(entries: Sequence[dict[str, Any]], secrets: Iterable[str] = ()) -> bytes:
    """Every call with its full redacted request and response, newest first like the table."""
    calls = [scrub(item["record"].to_dict(), secrets) | {"code": item["code"]} for item in reversed(entries)]
    return json.dumps({"calls": calls}, indent=2, ensure_ascii=False).encode("utf-8")
