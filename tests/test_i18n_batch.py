"""The batch page, its exports, the home page and the sandbox's texts in Bahasa Indonesia."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from kyc.errors import KycError
from sandbox.catalog import catalog as sandbox_catalog
from sandbox.samples import catalogue
from tests.apptest_helpers import ROOT, messages, open_in, shown_text, unescape
from tests.test_journey_batch_pages import metrics, run_batch
from ui import sandbox_words
from workflows import batch_results, outcomes
from workflows.applicant_file import read_applicants, template_csv
from workflows.batch import RowOutcome
from workflows.i18n import translator

INDONESIAN, ENGLISH = translator("id"), translator("en")
FILE = (
    b"name,phone_number,id_number\n"
    b"SITI,081234567890,3174015205900123\n"
    b"NO PHONE,,3174015205900123\n"
    b"LATE,081234567890,3174015205900125\n"
)


def _start(page: str | None = None) -> AppTest:
    return open_in("id", page)


def _table(words=ENGLISH):
    rows = read_applicants(FILE, "list.csv")
    done = {0: RowOutcome(0, "failed", error=KycError("TIMEOUT"))}  # row 2: never reached (a Stop)
    return batch_results.income_table(rows, done, words)


# --- The sandbox's texts ------------------------------------------------------------------


def test_every_scenario_persona_and_sample_the_sandbox_offers_has_a_copy_to_translate():
    offered = sandbox_catalog(ROOT / "sandbox" / "samples")
    for api, scenarios in offered["scenarios"].items():
        for name, text in scenarios.items():
            assert sandbox_words.SCENARIO_TEXTS[api].get(name) == text, (api, name)
    for persona in offered["personas"]:
        assert sandbox_words.PERSONA_LABELS.get(persona["key"]) == persona["label"], persona["key"]
        assert sandbox_words.PERSONA_TEXTS.get(persona["key"]) == persona["description"], persona["key"]
    for sample in offered["samples"]:
        assert sandbox_words.SAMPLE_LABELS.get(sample["file"]) == sample["label"], sample["file"]


def test_a_text_the_app_does_not_carry_is_shown_as_the_sandbox_wrote_it():
    other = "Waits 9 s, then gives the normal answer."  # another sandbox, another wording
    assert sandbox_words.scenario_text("income", "slow", other, INDONESIAN) == other
    assert sandbox_words.scenario_text("income", "new_one", "Something new.", INDONESIAN) == "Something new."
    slow = sandbox_words.SCENARIO_TEXTS["income"]["slow"]
    assert sandbox_words.scenario_text("income", "slow", slow, ENGLISH) == slow


def test_the_sandbox_texts_read_in_indonesian():  # needs the merged catalog
    flaky = sandbox_words.SCENARIO_TEXTS["income"]["flaky"]
    assert sandbox_words.scenario_text("income", "flaky", flaky, INDONESIAN).startswith("Sekitar 1 dari 5 panggilan")
    sample = next(s for s in catalogue() if s.file == "npwp15-card.png")
    assert sandbox_words._say(sandbox_words.SAMPLE_LABELS[sample.file], sample.label, INDONESIAN) == "NPWP 15 digit (PNG)"


# --- Tables and exports -------------------------------------------------------------------


def test_english_stays_the_default_and_the_codes_never_change():
    table = _table()
    assert [row["outcome"] for row in table] == ["Failed", "Not sent", "Not sent"]
    indonesian = _table(INDONESIAN)
    assert [row["status"] for row in indonesian] == ["failed", "not_sent", "not_sent"]
    assert [row["code"] for row in indonesian] == ["TIMEOUT", "", ""]
    assert list(indonesian[0]) == list(table[0])  # the machine names, in either language
    assert outcomes.label("hit") == "Hit" and outcomes.label(None) == "No answer" and outcomes.label("9500") == "Failed"


def test_the_exports_keep_machine_names_in_row_1_and_the_headings_in_row_2():
    table = _table()
    lines = list(csv.reader(io.StringIO(batch_results.to_csv(table, ENGLISH).decode("utf-8-sig"))))
    assert lines[0] == list(table[0])
    assert lines[1][:4] == ["Line", "Outcome", "Status code", "Why"]
    assert [line[0] for line in lines[2:]] == ["2", "3", "4"]
    sheet = load_workbook(io.BytesIO(batch_results.to_xlsx(table, words=ENGLISH))).active
    values = list(sheet.values)
    assert list(values[0]) == list(table[0]) and values[1][0] == "Line"
    assert [row[0] for row in values[2:]] == [2, 3, 4]
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref.startswith("A2:")
    assert sheet.cell(row=2, column=1).font.bold
    # Without words (a script's export), the file is as before: one header row.
    assert list(csv.reader(io.StringIO(batch_results.to_csv(table).decode("utf-8-sig"))))[1][0] == "2"


def test_the_exports_say_the_outcome_reasons_and_headings_in_indonesian():  # needs the merged catalog
    table = _table(INDONESIAN)
    assert [row["outcome"] for row in table] == ["Gagal", "Tidak dikirim", "Tidak dikirim"]
    assert table[1]["reason"].startswith("Ditandai sebelum dikirim: ")
    assert table[2]["reason"] == "Dihentikan sebelum dikirim."
    assert table[0]["reason"] == KycError("TIMEOUT").message_in("id")
    lines = list(csv.reader(io.StringIO(batch_results.to_csv(table, INDONESIAN).decode("utf-8-sig"))))
    assert lines[0][:4] == ["line", "outcome", "status", "reason"]
    assert lines[1][:4] == ["Baris", "Hasil", "Kode status", "Alasan"]
    book = load_workbook(io.BytesIO(batch_results.to_xlsx(table, words=INDONESIAN)))
    assert book.active.title == "Hasil" and book.active["A2"].value == "Baris"
    shown = batch_results.labelled(table, INDONESIAN)[0]
    assert {"Baris", "Hasil", "Alasan", "Rentang gaji", "Bulan gaji terakhir"} <= set(shown)
    assert outcomes.label("hit", INDONESIAN) == "Data ditemukan" and outcomes.label("no_record", INDONESIAN) == "Tidak ada data"


def test_the_npwp_table_checks_read_in_indonesian():  # needs the merged catalog
    files = [("broken.png", "Berkas ini bukan gambar."), ("c.png", None)]
    table = batch_results.npwp_table(files, {}, INDONESIAN)
    assert table[0]["reason"] == "Ditandai sebelum dikirim: Berkas ini bukan gambar."
    assert table[1]["outcome"] == "Tidak dikirim" and table[1]["reason"] == "Dihentikan sebelum dikirim."


# --- Pages --------------------------------------------------------------------------------


def test_the_batch_page_runs_in_indonesian():  # needs the merged catalog
    at = _start("pages/batch.py")
    at.file_uploader(key="batch_file").set_value(("pemohon.csv", template_csv(), "text/csv")).run()
    assert "2 baris siap dikirim." in shown_text(at)
    preview = at.dataframe[0].value
    assert {"Baris", "Nama", "Nomor telepon", "Siap dikirim", "Masalah"} <= set(preview.columns)
    assert list(preview["Siap dikirim"]) == ["ya", "ya"]
    assert at.button(key="batch_run").label == "Verifikasi 2 pemohon"
    assert at.number_input(key="batch_workers").label == "Panggilan serentak"
    run_batch(at)
    assert metrics(at) == {"Data ditemukan": 2, "Tidak ada data": 0, "Kesalahan vendor": 0, "Gagal": 0, "Tidak dikirim": 0}
    assert "2 dikirim, 0 tidak dikirim." in shown_text(at)
    results = at.dataframe[-1].value
    assert list(results["Hasil"]) == ["Data ditemukan", "Data ditemukan"]
    labels = {button.proto.label for button in at.get("download_button")}
    assert {"Unduh hasil (CSV)", "Unduh hasil (Excel)", "Unduh templat CSV"} <= labels


def test_the_batch_page_says_why_cards_cannot_be_sent_in_indonesian():  # needs the merged catalog
    at = _start("pages/batch.py")
    at.file_uploader(key="batch_npwp_files").set_value([("notes.png", b"not a picture", "image/png")]).run()
    assert any(m.startswith("1 berkas tidak dapat dikirim") for m in messages(at, "warning"))
    assert {"Berkas", "Masalah"} <= set(at.dataframe[0].value.columns)
    assert at.button(key="batch_npwp_run").label == "Ekstrak 0 kartu"


def test_the_home_page_reads_in_indonesian():  # needs the merged catalog
    at = _start()
    text = shown_text(at)
    for words in ("Demo satu menit", "Persona sandbox", "Skenario sandbox", "Kartu contoh", "Beralih ke live"):
        assert words in text, words
    cells = [unescape(str(cell)) for table in at.table for cell in table.value.to_numpy().ravel()]
    assert "Rina Wulandari: sesuai seluruhnya" in cells and "Tidak stabil" in cells  # the scenario's name
    assert any(cell.startswith("Sekitar 1 dari 5 panggilan") for cell in cells)
    assert "NPWP 15 digit (PDF)" in cells
    links = [link.proto.label for link in at.main.get("page_link")]
    assert links == ["Buka OCR NPWP", "Buka verifikasi penghasilan", "Mulai alur KYC", "Buka batch", "Buka riwayat panggilan"]
    demo = next(m for m in messages(at, "markdown") if m.startswith("1. Alur KYC"))
    assert "2. Batch" in demo and "*Kuota habis*" in demo
