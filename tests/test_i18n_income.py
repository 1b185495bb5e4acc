"""The income page and its workflows in Bahasa Indonesia (issue 12), English left as it was.

Tests that read Indonesian words need the merged catalogs (locales/ and kyc/locales/); the
ones about values, vendor words and number formats do not.
"""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from kyc.errors import KycError
from kyc.income import IncomeRequest, IncomeResult, program_name
from kyc.salary import BANDS, SalaryBand, parse_range
from kyc.settings import Settings
from tests.apptest_helpers import ROOT, html_tables, messages, shown_text
from ui.charts import band_frame, band_histogram, match_rate_bars, salary_chart
from workflows.applicant import (
    check_applicant,
    comparison_rows,
    match_summary,
    not_compared_rows,
    shown_value,
    verdict_text,
)
from workflows.applicant_file import ApplicantFileError, read_applicants
from workflows.i18n import translator

ID, EN = translator("id"), translator("en")
VALID = {"name": "RINA WULANDARI", "phone_number": "081234567890", "id_number": "3174015205900123"}


def _result(message: str) -> IncomeResult:
    return IncomeResult("error", "seq-1", message, None, None, None, None)


# --- values and vendor words: the same in every language (no catalog needed) -----------------


def test_rows_keep_their_verdicts_as_values_in_every_language():
    request = IncomeRequest(**VALID, sex="female", email="a@b.co")
    for words in (ID, EN):
        rows = comparison_rows(request, {"sex": "MATCH", "email": "NOT MATCH"}, words)
        assert [r["verdict"] for r in rows] == ["MATCH", "not sent", "not sent", "NOT MATCH", "not sent"]
        assert [r["key"] for r in rows] == ["sex", "birthdate", "package", "email", "address_employee"]
        assert [r["verdict"] for r in not_compared_rows(request, words)] == ["not compared by TD"] * 3


def test_english_says_what_it_said_before():
    assert verdict_text("MATCH") == "MATCH" and verdict_text("not sent") == "not sent"
    assert verdict_text("SOMETHING ELSE", ID) == "SOMETHING ELSE"  # a vendor's unknown word stays as sent
    assert shown_value("birthdate", "1990-05-12") == "12 May 1990"
    assert SalaryBand("x", 0, 2_500_000).describe() == "up to IDR 2.5 million"
    assert BANDS[-1].describe("en") == "above IDR 100 million"
    assert Settings(income_url="").missing_live("income")
    assert match_summary([{"verdict": "MATCH"}, {"verdict": "NOT MATCH"}]) == "1 of 2 fields sent match"


def test_indonesian_amounts_use_babel_formats():
    # The numbers are Babel's in both languages, whatever the catalog says of the words around them.
    assert "2,5" in SalaryBand("x", 0, 2_500_000).describe("id")
    assert "5,5-6,5" in parse_range("5.5-6.5JT").describe("id")
    assert "2.500-3.000" in SalaryBand("x", 2_500_000_000, 3_000_000_000).describe("id")
    assert shown_value("birthdate", "1990-05-12", ID) == "12 Mei 1990"


def test_td_words_are_never_translated():
    unknown = _result("gangguan sementara")
    assert unknown.error_text_in("id") == unknown.error_text_in("en") == "gangguan sementara"
    assert not unknown.error_is_known
    known = _result("Kuota harian anda telah habis")
    assert known.error_is_known and known.error_message == "Kuota harian anda telah habis"
    assert known.error_text == known.error_text_in("en") and "daily quota is used up" in known.error_text


def test_charts_take_the_language_and_keep_their_data():
    spec = salary_chart(parse_range("5.5-6.5JT"), EN).to_dict()
    assert spec["layer"][0]["encoding"]["x"]["axis"]["title"] == "Monthly salary band (IDR million)"
    frame = band_frame(parse_range("5.5-6.5JT"), ID)
    assert list(frame.loc[frame["returned"], "band"]) == ["5.5-6.5"]  # TD's labels stay TD's
    assert band_histogram([{"band": "5.5-6.5JT", "count": 2}], ID).to_dict()
    assert match_rate_bars([{"field": "Sex", "compared": 2, "matched": 1, "rate": 0.5}], ID).to_dict()


# --- Indonesian words: need the merged catalogs ------------------------------------------------


def test_check_applicant_says_its_problems_in_indonesian():
    checked = check_applicant({**VALID, "name": "", "sex": "x", "birthdate": "2999-01-01"}, words=ID, today=dt.date(2026, 1, 1))
    assert checked.errors["name"] == "wajib diisi"
    assert checked.errors["sex"] == "harus laki-laki atau perempuan"
    assert checked.errors["birthdate"] == "berada di masa depan"
    noted = check_applicant({**VALID, "sex": "male"}, words=ID)
    assert noted.notes["sex"].startswith("NIK menunjukkan perempuan")


def test_verdicts_say_sesuai_with_the_vendor_word_beside_it():
    assert verdict_text("MATCH", ID) == "Sesuai (MATCH)"
    assert verdict_text("NOT MATCH", ID) == "Tidak sesuai (NOT MATCH)"
    assert verdict_text("not sent", ID) == "tidak dikirim"
    assert verdict_text("not compared by TD", ID) == "tidak dibandingkan oleh TD"
    assert match_summary([{"verdict": "MATCH"}, {"verdict": "MATCH"}], ID) == "2 dari 2 data yang dikirim sesuai"
    request = IncomeRequest(**VALID, sex="female", package="JHT,JKK")
    rows = comparison_rows(request, {"sex": "MATCH", "package": "MATCH"}, ID)
    assert rows[0]["field"] == "Jenis kelamin" and rows[0]["shown"] == "Perempuan"
    assert rows[2]["shown"] == "Jaminan Hari Tua (JHT), Jaminan Kecelakaan Kerja (JKK)"


def test_salary_bands_and_td_errors_in_indonesian():
    assert SalaryBand("x", 0, 2_500_000).describe("id") == "hingga Rp 2,5 juta"
    assert BANDS[-1].describe("id") == "di atas Rp 100 juta"
    assert parse_range("5.5-6.5JT").describe("id") == "Rp 5,5-6,5 juta"
    assert program_name("JHT", "id") == "Jaminan Hari Tua"
    known = _result("kuota harian anda telah habis")
    assert known.error_text_in("id").startswith("Kuota harian sudah habis")


def test_config_messages_in_indonesian():
    with pytest.raises(KycError) as raised:
        Settings(mode="live").income_client()
    assert raised.value.message.startswith("Live mode needs the TD income URL (INCOME_URL), the TD partner_code")
    assert raised.value.message_in("id").startswith("Mode live memerlukan URL verifikasi penghasilan TD (INCOME_URL)")
    with pytest.raises(KycError) as raised:
        Settings.from_values({"read_timeout": "soon"})
    assert raised.value.message == "The read timeout must be a number of seconds."
    assert raised.value.message_in("id") == "Nilai batas waktu baca harus berupa jumlah detik."


def test_applicant_file_problems_in_indonesian():
    with pytest.raises(ApplicantFileError, match="^File kosong"):
        read_applicants(b"", "x.csv", ID)
    with pytest.raises(ApplicantFileError, match="^Kolom tidak ada: phone_number, id_number"):
        read_applicants(b"name\nRINA\n", "x.csv", ID)
    (row,) = read_applicants(b"name,phone_number,id_number\n,081234567890,3174015205900123\n", "x.csv", ID)
    assert row.describe_problems(ID) == "Nama: wajib diisi"


def _income_page_in(lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/income.py").run()
    assert not at.exception, at.exception
    return at


def test_the_income_page_in_indonesian():
    at = _income_page_in("id")
    assert at.button(key="income_submit").label == "Verifikasi penghasilan"
    assert at.text_input(key="name").label == "Nama *"
    assert at.selectbox(key="sex").label == "Jenis kelamin"
    assert "Isi formulir dengan persona sandbox:" in shown_text(at)
    for key, value in {**VALID, "birthdate": "1990-05-12"}.items():
        at.text_input(key=key).input(value)
    at.selectbox(key="sex").set_value("female")
    at.button(key="income_submit").click().run()
    assert not at.exception, at.exception
    assert any("Data ditemukan" in m for m in messages(at, "success"))
    table = html_tables(at)[0]
    assert table[0] == ["Data", "Yang Anda kirim", "Hasil"]
    shown = {row[0]: (row[1], row[2]) for row in table[1:]}
    assert shown["Jenis kelamin"] == ("Perempuan", "Sesuai (MATCH)")
    assert shown["Tanggal lahir"] == ("12 Mei 1990", "Sesuai (MATCH)")
    assert shown["Email"][1] == "tidak dikirim" and shown["Nama"][1] == "tidak dibandingkan oleh TD"
    text = shown_text(at)
    assert "Rentang gaji" in text and "Rp 10,5-13 juta" in text and "2 dari 2 data yang dikirim sesuai" in text


def test_a_blocked_form_says_why_in_indonesian():
    at = _income_page_in("id")
    at.text_input(key="name").input(VALID["name"])
    at.button(key="income_submit").click().run()
    errors = " ".join(messages(at, "error"))
    assert "Tidak ada yang dikirim. Mohon perbaiki:" in errors and "Nomor telepon" in errors


def _with_nik_suggestions(lang: str) -> str:
    at = _income_page_in(lang)
    suggested = {"sex": "female", "birthdate": "1990-05-12"}
    at.session_state["from_nik"] = suggested
    for key, value in suggested.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    return shown_text(at)


def test_the_from_the_nik_note_keeps_its_english():
    assert "Sex (Female) and birth date (12 May 1990): from the NIK. Change them if the applicant's differ." in (
        _with_nik_suggestions("en")
    )


def test_the_from_the_nik_note_in_indonesian():
    assert "Jenis kelamin (Perempuan) dan tanggal lahir (12 Mei 1990): dari NIK." in _with_nik_suggestions("id")
