"""A session's call history: table rows and redacted CSV and JSON exports.

Entries are built from ``CallRecord``s, which are redacted when they are made, so an export
cannot carry a key. Each export still passes through ``scrub`` with the session's secrets,
in case a key was typed into a form field.

Times: a record is stamped in UTC; the table shows WIB ("4 Dec 2026, 22:15:03 WIB") and the
exports carry ISO 8601 with the offset ("2026-12-04T22:15:03+07:00"), through ``workflows.clock``.

Words: an entry keeps its English words (what the filter and the JSON rely on); ``table``,
``matches`` and ``to_csv`` say them, and the headings, in the language of ``words`` (a
``workflows.i18n.Translator``, English by default). The JSON export keeps the codes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from kyc.http import CallRecord
from kyc.redact import scrub
from workflows import clock, spreadsheet
from workflows.i18n import N_, Translator, translator

ENGLISH = translator("en")
API_NAMES = {"npwp": N_("NPWP OCR"), "income": N_("Income verification")}
COLUMNS = ("time", "api", "outcome", "code", "http_status", "ms", "call_id")
# What a person reads above each column, on screen and in the CSV (English; ``heading`` says it in a language).
HEADINGS = {
    "time": N_("Time (WIB)"),
    "api": N_("API"),
    "outcome": N_("Outcome"),
    "code": N_("Code"),
    "http_status": N_("HTTP"),
    "ms": N_("Duration (ms)"),
    "call_id": N_("Call ID"),
}
FAILED = N_("failed")
# CallRecord.outcome is a result word or a code; the table says what happened in plain words.
OUTCOMES = {
    "detected": N_("detected"),
    "OCR_200004": N_("not detected"),
    "hit": N_("hit"),
    "no_record": N_("no record"),
    "error": N_("error"),
    "connection_test": N_("connection test"),
}


def heading(column: str, words: Translator = ENGLISH) -> str:
    """The heading above ``column`` in the language of ``words``: "Time (WIB)" / "Waktu (WIB)"."""
    return words.gettext(HEADINGS[column])


def entry(record: CallRecord, code: str | None = None) -> dict[str, Any]:
    """A history entry: the table columns, plus the redacted record itself for exports and the inspector.

    ``code`` is the KycError's code for a failed call; a call that did not fail has none,
    except "not detected", which Verihubs reports as OCR_200004.
    """
    return {
        "time": clock.shown_or_none(record.started_at, seconds=True) or record.started_at,
        "api": API_NAMES.get(record.api, record.api),
        "outcome": OUTCOMES.get(record.outcome, FAILED),
        "code": code or ("OCR_200004" if record.outcome == "OCR_200004" else ""),
        "http_status": record.status if record.status is not None else "",
        "ms": round(record.elapsed_ms),
        "call_id": record.call_id,
        "record": record,
    }


def said(item: dict[str, Any], words: Translator = ENGLISH) -> dict[str, Any]:
    """An entry's columns as a person reads them in the language of ``words``: time, API and outcome."""
    row = {column: item[column] for column in COLUMNS}
    record = item.get("record")
    when = clock.shown_or_none(record.started_at, seconds=True, words=words) if record is not None else None
    row["time"] = when or item["time"]
    row["api"] = words.gettext(item["api"])
    row["outcome"] = words.gettext(item["outcome"])
    return row


def table(entries: Sequence[dict[str, Any]], words: Translator = ENGLISH) -> list[dict[str, Any]]:
    """Just the columns, newest first, for display, in the language of ``words``."""
    return [said(item, words) for item in reversed(entries)]


def matches(item: dict[str, Any], apis: Iterable[str], text: str, words: Translator = ENGLISH) -> bool:
    """Whether an entry passes the history filter: one of ``apis``, and ``text`` in its outcome (in English
    or in the language of ``words``) or its code."""
    needle = text.strip().lower()
    haystack = f"{item['outcome']} {words.gettext(item['outcome'])} {item['code']}".lower()
    return item["api"] in set(apis) and (not needle or needle in haystack)


def _iso(started_at: str) -> str:
    try:
        return clock.iso(started_at)
    except (TypeError, ValueError):
        return started_at  # not a time we can read: exported as it was recorded


def _csv_row(item: dict[str, Any], words: Translator) -> dict[str, Any]:
    shown = said(item, words)
    row = {heading(column, words): shown[column] for column in COLUMNS}
    row[heading("time", words)] = _iso(item["record"].started_at)
    return row


def to_csv(entries: Sequence[dict[str, Any]], secrets: Iterable[str] = (), words: Translator = ENGLISH) -> bytes:
    """The table as CSV for a spreadsheet (UTF-8 with a BOM, no formula cells), times as ISO 8601 in WIB;
    headings, API names and outcomes in the language of ``words``."""
    rows = (scrub(_csv_row(item, words), secrets) for item in reversed(entries))
    return spreadsheet.to_csv(rows, [heading(column, words) for column in COLUMNS])


def to_json(entries: Sequence[dict[str, Any]], secrets: Iterable[str] = ()) -> bytes:
    """Every call with its full redacted request and response, newest first like the table; times in WIB."""
    calls = []
    for item in reversed(entries):
        call = scrub(item["record"].to_dict(), secrets)
        call["started_at"] = _iso(item["record"].started_at)
        calls.append(call | {"code": item["code"]})
    return json.dumps({"calls": calls}, indent=2, ensure_ascii=False).encode("utf-8")
