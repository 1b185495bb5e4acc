"""workflows.history and the history page: table rows, times in WIB, filtering, exports that carry
no secret, and a table that shows every code and ID whole."""

import csv
import io
import json

from kyc.http import CallRecord
from tests.apptest_helpers import open_page
from workflows import history

STARTED = "2026-12-04T15:15:03+00:00"  # 22:15:03 in Jakarta


def record(api="income", outcome="hit", status=200, body=None, started_at=STARTED) -> CallRecord:
    rec = CallRecord(
        api=api, method="POST", url="http://x/y?partner_code=demo&partner_key=***", headers={}, body=body or {"name": "SITI"}
    )
    rec.status, rec.outcome, rec.elapsed_ms, rec.started_at = status, outcome, 12.4, started_at
    return rec


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


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
    rows = csv_rows(history.to_csv([leaked]))
    assert rows[0]["Outcome"] == "hit" and rows[0]["HTTP"] == "200"


def test_the_table_shows_the_time_in_wib():
    assert history.entry(record())["time"] == "4 Dec 2026, 22:15:03 WIB"
    late = history.entry(record(started_at="2026-12-31T20:30:00+00:00"))
    assert late["time"] == "1 Jan 2027, 03:30:00 WIB"  # already the next day in Jakarta


def test_exports_carry_iso_8601_with_the_jakarta_offset():
    entries = [history.entry(record()), history.entry(record(api="npwp", outcome="OCR_200004"))]
    rows = csv_rows(history.to_csv(entries))
    assert [row["Time (WIB)"] for row in rows] == ["2026-12-04T22:15:03+07:00"] * 2
    assert list(rows[0]) == ["Time (WIB)", "API", "Outcome", "Code", "HTTP", "Duration (ms)", "Call ID"]
    assert rows[0]["Code"] == "OCR_200004" and rows[0]["Call ID"] == entries[1]["call_id"]
    calls = json.loads(history.to_json(entries))["calls"]
    assert [call["started_at"] for call in calls] == ["2026-12-04T22:15:03+07:00"] * 2
    assert entries[0]["record"].started_at == STARTED  # the record itself is left as it was made


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


# --- the page ------------------------------------------------------------------------------


def column_config(at) -> dict:
    return json.loads(at.dataframe[0].proto.columns)


def test_the_page_shows_wib_and_gives_every_code_and_id_room_to_show_whole():
    from ui.history_view import text_px

    at = open_page("npwp")
    at.selectbox(key="sandbox_scenario").set_value("not_detected").run()
    at.button(key="npwp_sample_npwp15-card.png").click().run()
    at.button(key="npwp_submit").click().run()
    at.switch_page("pages/history.py").run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert list(frame["code"]) == ["OCR_200004"] and list(frame["outcome"]) == ["not detected"]
    assert frame["time"].iloc[0].endswith(" WIB")
    config = column_config(at)
    labels = {name: column["label"] for name, column in config.items() if "label" in column}
    assert labels == {
        "time": "Time (WIB)",
        "api": "API",
        "outcome": "Outcome",
        "code": "Code",
        "http_status": "HTTP",
        "ms": "Duration (ms)",
        "call_id": "Call ID",
    }
    for name in history.COLUMNS:  # as wide as the longest value and the heading, whole
        longest = max([*frame[name], labels[name]], key=lambda value: text_px(str(value)))
        assert config[name]["width"] >= text_px(str(longest)) + 16, name
    # Measured in Chromium, Source Sans 14 px: "OCR_200004" is 74 px and a 12-digit call ID up to 81 px,
    # plus the grid's 8 px padding each side.
    assert config["code"]["width"] >= 74 + 16 and config["call_id"]["width"] >= 81 + 16
    details = [m.value for m in at.markdown if "NPWP OCR" in m.value]
    assert details and "WIB" in details[0]
