"""workflows.batch_results: one export row per input line, in input order, in CSV and Excel."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from kyc.errors import KycError
from workflows import batch_results
from workflows.applicant_file import read_applicants
from workflows.batch import RowOutcome

FILE = (
    b"name,phone_number,id_number\n"
    b"SITI,081234567890,3174015205900123\n"
    b"NO PHONE,,3174015205900123\n"
    b'=HYPERLINK("http://x"),081234567890,3174015205900124\n'
    b"LATE,081234567890,3174015205900125\n"
)


def _table():
    rows = read_applicants(FILE, "list.csv")
    assert [row.valid for row in rows] == [True, False, True, True]
    outcomes = {
        0: RowOutcome(0, "failed", error=KycError("TIMEOUT", "The vendor did not answer in time.")),
        1: RowOutcome(1, "no_record"),
        # 2: never reached (a Stop before it was handed out)
    }
    return batch_results.income_table(rows, outcomes)


def test_one_row_per_input_line_in_input_order_with_why_nothing_was_sent():
    table = _table()
    assert [row["line"] for row in table] == [2, 3, 4, 5]
    assert [row["status"] for row in table] == ["failed", "not_sent", "no_record", "not_sent"]
    assert [row["outcome"] for row in table] == ["Failed", "Not sent", "No record", "Not sent"]
    assert table[0]["reason"] == "The vendor did not answer in time." and table[0]["code"] == "TIMEOUT"
    assert table[1]["reason"].startswith("Flagged before sending: ") and "Phone" in table[1]["reason"]
    assert table[2]["reason"] == ""
    assert table[3]["reason"] == batch_results.STOPPED


def test_csv_and_excel_carry_the_same_rows_and_no_formula():
    table = _table()
    rows = list(csv.DictReader(io.StringIO(batch_results.to_csv(table).decode("utf-8-sig"))))
    assert [row["line"] for row in rows] == ["2", "3", "4", "5"]
    assert rows[2]["name"].startswith("'=")  # shown as text by a spreadsheet
    sheet = load_workbook(io.BytesIO(batch_results.to_xlsx(table))).active
    values = list(sheet.values)
    assert list(values[0]) == list(table[0])
    assert [row[0] for row in values[1:]] == [2, 3, 4, 5]
    name = sheet.cell(row=4, column=list(table[0]).index("name") + 1)
    assert name.value == '=HYPERLINK("http://x")' and name.data_type == "s"  # text, never run as a formula


def test_people_read_words_for_the_columns():
    shown = batch_results.labelled(_table())[0]
    assert "status" not in shown and "salary_band" not in shown
    assert {"Line", "Outcome", "Why", "Salary band", "Last salary month"} <= set(shown)


def test_npwp_table_lists_every_uploaded_file():
    files = [("a.png", None), ("broken.png", "This file is not a picture."), ("c.png", None)]
    outcomes = {0: RowOutcome(0, "failed", error=KycError("HTTP_500", "The vendor failed.")), 1: RowOutcome(1, "not_sent")}
    table = batch_results.npwp_table(files, outcomes)
    assert [row["file"] for row in table] == ["a.png", "broken.png", "c.png"]
    assert [row["status"] for row in table] == ["failed", "not_sent", "not_sent"]
    assert table[1]["reason"] == "Flagged before sending: This file is not a picture."
    assert table[2]["reason"] == batch_results.STOPPED


def test_excel_keeps_a_row_whose_name_holds_a_control_character():
    table = [{"line": 2, "name": "BUDI\x1bSANTOSO", "reason": "Flagged before sending: contains a control character"}]
    sheet = load_workbook(io.BytesIO(batch_results.to_xlsx(table))).active
    assert [cell.value for cell in sheet[2]] == [2, "BUDI\ufffdSANTOSO", table[0]["reason"]]
