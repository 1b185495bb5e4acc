"""The journey, its JSON summary and PDF report, the call history and the clock in Bahasa Indonesia.

English stays the source language (tests/test_journey.py, test_report.py, test_history.py and
test_clock.py check it unchanged); these check that the same things said in Indonesian carry
Indonesian words, while codes, keys and ISO times stay the same in both languages.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from kyc.http import CallRecord
from tests.apptest_helpers import PAGES, ROOT, messages
from tests.test_journey import SAMPLE, _keys, hit, run
from workflows import clock, history
from workflows.i18n import translator
from workflows.journey import Review, card_lines, income_lines, times_line, verdict_shown
from workflows.report import LogoError, load_logo, pdf_report

ID, EN = translator("id"), translator("en")
MOMENT = "2026-12-04T22:43:03+00:00"  # 5 Dec 2026, 05:43:03 WIB


def _flat(text: str) -> str:
    return " ".join(text.split())


# --- the clock ------------------------------------------------------------------------------------


def test_times_and_dates_shown_in_indonesian_and_iso_unchanged():
    assert clock.shown(MOMENT, words=ID) == "5 Des 2026, 05.43 WIB"
    assert clock.shown(MOMENT, seconds=True, words=ID) == "5 Des 2026, 05.43.03 WIB"
    assert clock.shown(MOMENT) == "5 Dec 2026, 05:43 WIB"  # English by default, as before
    assert clock.shown_date("1985-05-12", ID) == "12 Mei 1985" and clock.shown_date("1945-08-07", ID) == "7 Agu 1945"
    assert clock.shown_or_none("not a time", words=ID) is None
    assert clock.iso(MOMENT) == "2026-12-05T05:43:03+07:00"


# --- the summary and its JSON ---------------------------------------------------------------------


def test_the_verdict_and_findings_are_in_indonesian():
    summary = run(hit(), words=ID)
    assert summary.lang == "id" and summary.verdict.level == "pass"
    assert summary.verdict.headline == "LULUS: identitas konsisten dan penghasilan terverifikasi"
    findings = summary.verdict.findings
    assert findings[1].startswith("Rentang gaji 5.5–6.5 JT (")  # the band's range in kyc's words (its own catalog)
    assert findings[:1] + findings[2:] == [
        "Identitas konsisten: NPWP dan NIK valid, NPWP sama dengan NIK",
        "Pemberi kerja PT MAJU MAKMUR, bulan gaji terakhir 10/2025",
        "Diperiksa secara independen: email (sesuai)",
        "Jenis kelamin dan tanggal lahir diturunkan dari NIK, sehingga hasil MATCH hanya mengulang NIK dan bukan bukti"
        " independen",
    ]


def test_a_review_says_which_field_does_not_match_in_indonesian():
    summary = run(hit({"sex": "MATCH", "birthdate": "MATCH", "email": "NOT MATCH"}), words=ID)
    assert summary.verdict.level == "review"
    assert summary.verdict.headline.startswith("TINJAU:")
    assert "Diperiksa secara independen: email (0 dari 1 sesuai; email tidak sesuai)" in summary.verdict.reasons
    assert run(None, None, words=ID).verdict.reasons == ["Penghasilan belum diverifikasi"]


def test_the_json_summary_keeps_its_keys_and_says_its_labels_in_indonesian():
    review = Review("Dewi", "refer", "Cek slip gaji")
    english = json.loads(run(hit(), sandbox=True).to_json(review))
    indonesian = json.loads(run(hit(), sandbox=True, words=ID).to_json(review))
    assert _keys(indonesian) == _keys(english)  # machine keys stay
    assert indonesian["lang"] == "id" and english["lang"] == "en"
    assert indonesian["verdict"]["level"] == english["verdict"]["level"] == "pass"
    assert indonesian["verdict"]["headline"].startswith("LULUS")
    assert indonesian["mode"] == "Sandbox: data contoh, bukan jawaban vendor"
    assert indonesian["review"]["decision"] == "Teruskan untuk pemeriksaan lanjutan"
    assert english["review"]["decision"] == "Refer for more checks"
    rows = {row["key"]: row for row in indonesian["income"]["comparisons"]}
    assert rows["sex"]["note"] == "diturunkan dari NIK" and rows["sex"]["verdict"] == "MATCH"  # TD's word stays
    assert rows["email"]["note"] == "" and rows["package"]["verdict"] == "not sent"  # machine value stays
    assert indonesian["report_id"].startswith("KYC-")
    assert indonesian["card_read_at"] == english["card_read_at"]  # ISO, the same in every language


def test_the_summary_lines_are_in_the_summarys_language():
    summary = run(hit(), words=ID)
    card_facts = {line.label: line for line in card_lines(summary)}
    assert set(card_facts) == {"NPWP", "Nama", "NIK", "Alamat", "ID ekstraksi", "ID referensi"}
    assert card_facts["NIK"].note.startswith("valid; lahir 17 Agu 1945, perempuan")
    assert card_facts["NPWP"].note == "valid (NIK sebagai NPWP), sama dengan NIK"
    income_facts = {line.label: line.value for line in income_lines(summary)}
    assert income_facts["Hasil"] == "Data ditemukan: TD memiliki data ketenagakerjaan untuk NIK ini"
    assert income_facts["Pemohon yang dikirim"].endswith("telepon 081234567890")
    assert "Card read" not in times_line(summary) and (times_line(summary) == "" or "Kartu dibaca" in times_line(summary))
    assert verdict_shown("MATCH", ID) == "Sesuai (MATCH)" and verdict_shown("NOT MATCH", ID) == "Tidak sesuai (NOT MATCH)"
    assert verdict_shown("MATCH", EN) == "MATCH" and verdict_shown("not sent", ID) == "tidak dikirim"


# --- the PDF --------------------------------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    return _flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def test_the_journeys_pdf_in_indonesian_carries_indonesian_text():
    summary = run(hit({"sex": "MATCH", "birthdate": "NOT MATCH", "email": "MATCH"}), sandbox=True, words=ID)
    data = pdf_report(summary, None, review=Review("Dewi", "approve", "Lengkap"), generated_at=dt.datetime(2026, 12, 4, 22, 43))
    text = _pdf_text(data)
    for words in (
        "Ringkasan alur KYC",
        "Laporan KYC-",
        "Dibuat 5 Des 2026, 05.43 WIB",
        "Data sandbox/contoh",
        "TINJAU: temuan di bawah perlu diperiksa oleh petugas",
        "Kartu",
        "Verifikasi penghasilan",
        "Rentang gaji: 5.5-6.5JT",
        "Perbandingan (API hanya membandingkan data yang diterimanya)",
        "Yang Anda kirim",
        "Tidak sesuai (NOT MATCH)",
        "diturunkan dari NIK",
        "Keputusan peninjau",
        "Peninjau",
        "Setujui",
        "Tanda tangan dan tanggal",
        "Halaman 1 dari 1",
        "Sandbox: data contoh, bukan jawaban vendor",
    ):
        assert words in text, words
    for english in ("Reviewer's decision", "Income verification", "Signature and date", "Page 1 of 1", "Generated"):
        assert english not in text, english
    assert len(PdfReader(io.BytesIO(data)).pages) == 1


def test_the_indonesian_pdf_reads_the_same_with_the_core_font_fallback(monkeypatch, tmp_path):
    from workflows import report

    monkeypatch.setattr(report, "FONT_DIR", tmp_path)  # no DejaVu: core Helvetica, Latin-1
    summary = run(hit(), words=ID)
    text = _pdf_text(pdf_report(summary, None, review=Review("Dewi", "reject", "")))
    assert "Keputusan peninjau" in text and "[x] Tolak" in text and "Halaman 1 dari 1" in text


def test_the_pdf_follows_the_words_it_is_given_and_the_summarys_by_default():
    summary = run(hit(), words=ID)
    assert "Keputusan peninjau" in _pdf_text(pdf_report(summary, None))
    assert "Reviewer's decision" in _pdf_text(pdf_report(summary, None, words=EN))


def test_a_bad_logo_is_explained_in_indonesian():
    try:
        load_logo(b"", ID)
    except LogoError as error:
        assert error.message == "Berkas logo kosong."
    else:  # pragma: no cover
        raise AssertionError("an empty logo was accepted")


# --- the history ----------------------------------------------------------------------------------


def _record(**changes: object) -> CallRecord:
    values: dict = dict(
        api="income", method="POST", url="http://x", headers={}, body={}, outcome="hit", status=200, started_at=MOMENT
    )
    values.update(changes)
    return CallRecord(**values)


def test_the_history_table_and_csv_in_indonesian_keep_codes_and_iso_times():
    entries = [history.entry(_record()), history.entry(_record(api="npwp", outcome="OCR_200004"))]
    rows = history.table(entries, ID)
    assert rows[0]["outcome"] == "tidak terdeteksi" and rows[0]["code"] == "OCR_200004"
    assert rows[1]["outcome"] == "data ditemukan" and rows[1]["api"] == "Verifikasi penghasilan"
    assert rows[1]["time"] == "5 Des 2026, 05.43.03 WIB"
    assert history.matches(entries[0], ["Income verification"], "ditemukan", ID)
    assert history.matches(entries[0], ["Income verification"], "hit", ID)  # the English word still finds it
    text = history.to_csv(entries, words=ID).decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert list(table[0]) == ["Waktu (WIB)", "API", "Hasil", "Kode", "HTTP", "Durasi (ms)", "ID panggilan"]
    assert table[1]["Waktu (WIB)"] == "2026-12-05T05:43:03+07:00" and table[1]["Hasil"] == "data ditemukan"
    assert list(csv.DictReader(io.StringIO(history.to_csv(entries).decode("utf-8-sig"))))[0]["Outcome"] == "not detected"
    assert json.loads(history.to_json(entries))["calls"][0]["outcome"] == "OCR_200004"  # the JSON keeps the codes


# --- the pages, in Indonesian ---------------------------------------------------------------------


def _open(name: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["lang"] = "id"
    at.run()
    assert not at.exception, at.exception
    at.switch_page(PAGES[name]).run()
    assert not at.exception, at.exception
    return at


def test_the_history_page_speaks_indonesian():
    at = _open("history")
    assert any("Belum ada panggilan dalam sesi ini" in m for m in messages(at, "info"))


def test_the_journey_page_speaks_indonesian_through_to_the_pdf():
    at = _open("journey")
    assert "1 · Kartu NPWP" in [s.value for s in at.subheader]
    assert at.button(key="journey_extract").label == "Ekstrak NPWP"
    at.button(key=f"journey_sample_{SAMPLE}").click().run()
    at.button(key="journey_extract").click().run()
    at.text_input(key="journey_phone_number").input("081234567890")
    at.button(key="journey_verify").click().run()
    assert not at.exception, at.exception
    assert "4 · Ringkasan" in [s.value for s in at.subheader]
    assert any(m.startswith("Laporan KYC-") for m in messages(at, "caption"))
    assert at.selectbox(key="journey_decision").placeholder == "Belum diputuskan"
    text = _pdf_text(at.session_state["journey_report"]["pdf"])
    assert "Ringkasan alur KYC" in text and "Keputusan peninjau" in text and "Halaman 1 dari 1" in text


def test_the_summary_text_helpers_default_to_english():
    summary = run(hit())
    assert summary.lang == "en" and card_lines(summary)[1].label == "Name"
    assert summary.verdict.headline.startswith("PASS:") and summary.mode.startswith("Live:")
