"""workflows.history: table rows, filtering, and exports that carry no secret."""

import csv
import io
import json

from kyc.http import CallRecord
from workflows import history


def record(api="income", outcome="hit", status=200, body=None) -> CallRecord:
    rec = CallRecord(
        api=api, method="POST", url="http://x/y?partner_code=demo&partner_key=***", headers={}, body=body or {"name": "SITI"}
    )
    rec.status, rec.outcome, rec.elapsed_ms = status, outcome, 12.4
    return rec


def test_table_is_newest_first_with_readable_api_names():
    entries = [
        history.entry(record(outcome="hit")),
        history.entry(record(api="npwp", outcome="OCR_40001", status=422), "OCR_40001"),
    ]
    rows = history.table(entries)
    assert [(r["api"], r["outcome"], r["code"], r["http_status"], r["ms"]) for r in rows] == [
        ("NPWP OCR", "failed", "OCR_40001", 422, 12),
        ("Income verification", "hit", "", 200, 12),
    ]


def test_not_detected_and_no_record_read_as_words():
    assert history.entry(record(api="npwp", outcome="OCR_200004"))["outcome"] == "not detected"
    assert history.entry(record(api="npwp", outcome="OCR_200004"))["code"] == "OCR_200004"
    assert history.entry(record(outcome="no_record"))["outcome"] == "no record"


def test_filter_by_api_and_text():
    hit, failed = history.entry(record()), history.entry(record(outcome="9061"), "9061")
    assert history.matches(failed, ["Income verification"], "906")
    assert not history.matches(hit, ["Income verification"], "906")
    assert not history.matches(hit, ["NPWP OCR"], "")


def test_exports_are_readable_and_scrubbed():
    leaked = history.entry(record(body={"name": "typed TD-SECRET-123 by mistake"}))
    data = json.loads(history.to_json([leaked], secrets=["TD-SECRET-123"]))
    assert data["calls"][0]["body"]["name"] == "typed *** by mistake"
    assert "TD-SECRET-123" not in history.to_csv([leaked], secrets=["TD-SECRET-123"]).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(history.to_csv([leaked]).decode("utf-8-sig"))))
    assert rows[0]["outcome"] == "hit" and rows[0]["http_status"] == "200"


def test_json_export_is_newest_first_like_the_table():
    first, second = history.entry(record(outcome="hit")), history.entry(record(outcome="no_record"))
    assert [c["outcome"] for c in json.loads(history.to_json([first, second]))["calls"]] == ["no_record", "hit"]


def test_csv_exports_never_hand_a_spreadsheet_a_formula():
    from workflows import spreadsheet

    rows = [
        {
            "name": '=HYPERLINK("http://evil.example","x")',
            "phone": "+6281234567890",
            "note": "@SUM(A1)",
            "delta": "-5",
            "minus": "-cmd|' /C calc'!A0",
            "plain": "SITI",
        }
    ]
    text = spreadsheet.to_csv(rows, list(rows[0])).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM" in text and "'-cmd" in text
    assert ",+6281234567890," in text and ",-5," in text and text.rstrip().endswith("SITI")
