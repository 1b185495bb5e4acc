"""workflows.applicant_file: awkward CSV and XLSX files from spreadsheets, checked row by row."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from workflows.applicant_file import ApplicantFileError, read_applicants, template_csv

HEADER = "name,phone_number,id_number,sex,birthdate\n"


def test_the_template_reads_back_as_valid_rows():
    rows = read_applicants(template_csv(), "template.csv")
    assert [r.valid for r in rows] == [True, True]
    assert rows[0].request.to_payload()["package"] == "JHT,JKK,JKM,JPN"


def test_bom_semicolons_and_header_spellings():
    data = "\ufeffNama;No HP;NIK;Jenis Kelamin\nSITI;081234567890;3174015205900123;female\n".encode("utf-8")
    rows = read_applicants(data, "list.csv")
    assert len(rows) == 1 and rows[0].valid
    assert rows[0].values["phone_number"] == "081234567890"


def test_bad_rows_are_flagged_with_their_line_and_not_sent():
    data = (
        HEADER + "SITI,081234567890,3174015205900123,female,1990-05-12\n"
        "BUDI,0712,3174015205900123,,\n"
        ",081234567890,317401520590012,,\n"
    ).encode()
    rows = read_applicants(data, "list.csv")
    assert [r.valid for r in rows] == [True, False, False]
    assert rows[1].line == 3 and "Phone number" in rows[1].describe_problems()
    assert set(rows[2].problems) == {"name", "id_number"}


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty"),
        (b"first,last,city\nA,B,C\n", "Missing columns: name, phone_number, id_number"),
        (b"name,phone_number\nA,0812\n", "Missing column: id_number"),
        (b"just one line of prose without the columns\n", "Missing columns"),
    ],
)
def test_unusable_files_say_what_is_expected(data, words):
    with pytest.raises(ApplicantFileError) as info:
        read_applicants(data, "list.csv")
    assert words in str(info.value)


def test_excel_phone_numbers_are_flagged_clearly():
    data = (
        HEADER + "A,81234567890,3174015205900123,,\n"  # lost its leading 0: valid for TD, noted
        "B,81234567890.0,3174015205900123,,\n"  # became a float: not sent
        "C,8.1234567890E+10,3174015205900123,,\n"
    ).encode()  # scientific notation: not sent
    lost_zero, as_float, scientific = read_applicants(data, "list.csv")
    assert lost_zero.valid and "dropped a leading 0" in lost_zero.notes["phone_number"]
    for row in (as_float, scientific):
        assert not row.valid and "Excel turned it into a number" in row.problems["phone_number"]


def test_xlsx_with_numeric_cells():
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Phone Number", "ID Number", "Birthdate"])
    sheet.append(["SITI", 81234567890, "3174015205900123", None])
    sheet.append(["BUDI", "081298765432", 3273022308850456.0, None])  # a NIK stored as a number loses nothing here
    out = io.BytesIO()
    book.save(out)
    first, second = read_applicants(out.getvalue(), "list.xlsx")
    assert first.valid and first.values["phone_number"] == "81234567890" and "leading 0" in first.notes["phone_number"]
    assert second.values["id_number"] == "3273022308850456"


def test_a_csv_named_xlsx_is_refused():
    with pytest.raises(ApplicantFileError) as info:
        read_applicants(HEADER.encode(), "list.xlsx")
    assert "not an Excel workbook" in str(info.value)


def test_extra_cells_flag_the_row():
    rows = read_applicants((HEADER + "SITI,081234567890,3174015205900123,female,1990-05-12,surplus\n").encode(), "x.csv")
    assert not rows[0].valid and "more cells" in rows[0].problems["row"]
