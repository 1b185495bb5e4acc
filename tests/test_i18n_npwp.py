"""The NPWP page, the documents' refusals, the ID checks and the connection test in Bahasa Indonesia.

The first tests hold in any state of the catalogs: English stays what it was, and every message
keeps what it was made from so that it can be said again in another language. The rest read the
Indonesian catalogs (``locales/`` for the page, ``kyc/locales/`` for kyc's messages).
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from kyc import connection, documents, ids
from kyc.documents import DocumentError
from kyc.errors import KycError
from tests.apptest_helpers import ROOT, messages, shown_text
from tests.test_card_overlay import CARD, fake_read, reading
from ui import card_overlay, document
from workflows.i18n import translator

ID, EN = translator("id"), translator("en")


def refused(data: bytes, name: str) -> DocumentError:
    try:
        documents.inspect(data, name)
    except DocumentError as error:
        return error
    raise AssertionError("accepted")


def png(width: int = 200, height: int = 120) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG")
    return out.getvalue()


GIF = b"GIF89a" + b"\x00" * 64


# --- English unchanged, every message templated (no catalog needed) -------------------------


def test_a_refused_document_keeps_its_template_and_reads_as_before_in_english():
    error = refused(b"", "kosong.png")
    assert error.template is not None and error.message_in("en") == error.message
    assert error.message == '"kosong.png" is empty (0 bytes). Upload a JPEG, PNG or PDF of 5 MB at most.'
    gif = refused(GIF, "kartu.jpg")
    assert gif.code == "DOC_UNSUPPORTED"
    assert gif.message == (
        '"kartu.jpg" is a GIF image, even though its name ends in .jpg. Only JPEG, PNG or PDF files of 5 MB at '
        "most are accepted. Open it and save or export it as JPEG, PNG or PDF."
    )
    cut = refused(png()[:-20], "cut.png")
    assert cut.code == "DOC_TRUNCATED" and "Copy the complete file again or take a new photo." in cut.message


def test_the_checks_problems_read_as_before_in_english():
    assert ids.check_nik("123").problem == "16 digits needed, 3 given" == ids.check_nik("123").problem_in("en")
    assert ids.check_phone("0812").problem_in("en") == "10 to 13 digits needed, 4 given"
    assert ids.check_npwp("").problem_in("en") == "required"
    assert ids.check_npwp(CARD.fields["npwp"]).problem_in("id") is None  # a valid number has no problem


def test_a_connection_check_reads_as_before_in_english():
    check = connection.from_answer("npwp", 422, "OCR_40001", True, None)  # type: ignore[arg-type]
    assert check.message_in("en") == check.message
    assert check.message.startswith("Verihubs answered and accepted the App-ID and API-Key: it refused only")
    odd = connection.from_answer("income", 404, None, None, None)  # type: ignore[arg-type]
    assert "(HTTP 404)" in odd.message and "the partner_code and partner_key are not proven" in odd.message
    failed = connection.from_failure("npwp", KycError("TIMEOUT"))
    assert failed.message.startswith("No answer from the Verihubs URL (The vendor did not answer in time.")


def test_the_overlay_labels_its_boxes_in_the_words_it_is_given():
    picture = Image.new("RGB", (700, 440), "white")
    boxes = {"name": ((67, 428, 427, 477),)}
    english = card_overlay.draw_boxes(picture, (1400, 880), boxes)
    indonesian = card_overlay.draw_boxes(picture, (1400, 880), boxes, labels={"name": "Nama"})
    assert english.tobytes() != indonesian.tobytes()
    assert card_overlay.confidence_text(0.97) == "Read with 97% confidence"


# --- Indonesian (kyc's catalog and the app's) ---------------------------------------------------


def test_a_refused_document_says_what_is_wrong_in_indonesian():
    assert refused(b"", "kosong.png").message_in("id") == (
        '"kosong.png" kosong (0 byte). Unggah JPEG, PNG, atau PDF paling besar 5 MB.'
    )
    gif = refused(GIF, "kartu.gif").message_in("id")
    assert gif.startswith('"kartu.gif" adalah gambar GIF. Hanya berkas JPEG, PNG, atau PDF')
    assert gif.endswith("simpan atau ekspor sebagai JPEG, PNG, atau PDF.")
    cut = refused(png()[:-20], "cut.png").message_in("id")
    assert "Salin ulang berkas secara lengkap atau ambil foto baru." in cut and "Upload" not in cut
    with pytest.raises(DocumentError) as unnamed:  # a file without a name is "The file": "Berkas ini"
        documents.preview(b"")
    assert unnamed.value.message.startswith("The file is empty") and unnamed.value.message_in("id").startswith(
        "Berkas ini kosong"
    )


def test_the_checks_problems_in_indonesian():
    assert ids.check_nik("123").problem_in("id") == "diperlukan 16 digit, yang diisi 3"
    assert ids.check_npwp("12345").problem_in("id") == "diperlukan 15 atau 16 digit, yang diisi 5"
    assert ids.check_phone("0812").problem_in("id") == "diperlukan 10 sampai 13 digit, yang diisi 4"
    assert ids.check_phone("0712345678").problem_in("id") == "harus diawali +628, 628, 08 atau 8"
    assert ids.check_nik("").problem_in("id") == "wajib diisi"


def test_a_connection_check_in_indonesian_keeps_the_vendors_names():
    check = connection.from_answer("npwp", 422, "OCR_40001", True, None)  # type: ignore[arg-type]
    assert check.message_in("id").startswith("Verihubs menjawab dan menerima App-ID dan API-Key")
    refused_keys = connection.from_answer("income", 200, "9060", False, None)  # type: ignore[arg-type]
    assert refused_keys.message_in("id").startswith("TD menjawab, tetapi menolak partner_code dan partner_key.")
    odd = connection.from_answer("income", 404, "x", None, None)  # type: ignore[arg-type]
    assert "(HTTP 404, kode x)" in odd.message_in("id")
    failed = connection.from_failure("npwp", KycError("TIMEOUT"))
    assert failed.message_in("id").startswith("Tidak ada jawaban dari URL Verihubs (Vendor tidak menjawab tepat waktu.")


def test_sizes_in_indonesian_use_its_separators():
    assert document.size_label(4_800_000, ID) == "4,8 MB" and document.size_label(4_800_000, EN) == "4.8 MB"
    assert document.exact_bytes(5_242_880, ID) == "5.242.880 byte"
    assert document.exact_bytes(5_242_880, EN) == "5,242,880 bytes" == documents.format_bytes(5_242_880)


def _npwp_page_in_indonesian() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["lang"] = "id"
    at.run()
    at.switch_page("pages/npwp.py").run()
    assert not at.exception, at.exception
    return at


def test_the_npwp_page_in_indonesian_from_upload_to_the_decoded_nik():
    at = _npwp_page_in_indonesian()
    assert at.file_uploader(key="npwp_file").label == "Unggah kartu NPWP"
    assert "Unggah kartu atau pilih contoh untuk memulai." in messages(at, "info")
    sample = at.button(key=f"npwp_sample_{CARD.file}")
    assert "NPWP 15 digit" in sample.label  # the sandbox's "15-digit NPWP (PNG)"
    sample.click().run()
    submit = at.button(key="npwp_submit")
    assert submit.label == "Ekstrak NPWP"
    text = shown_text(at)
    assert "Dokumen" in text and "Data hasil ekstraksi" in text
    assert "Jenis PNG (menurut isi)" in text and "Dimensi 1400 × 880 px" in text and "byte)" in text
    submit.click().run()
    assert not at.exception, at.exception
    text = shown_text(at)
    assert "Format dan digit pemeriksa valid" in text and "NIK valid" in text
    born = ids.check_nik(CARD.fields["nik"]).birth_date
    assert isinstance(born, dt.date)
    assert f"Dibaca dari NIK: lahir {ID.date(born)}" in text
    assert "Extract NPWP" not in text and "Decoded from the NIK" not in text and "born " not in text
    (inspector,) = [e for e in at.main.expander if "Permintaan & jawaban" in e.label]
    assert "Request & response" not in inspector.label
    assert at.button(key="npwp_to_income").label == "Gunakan data ini untuk verifikasi penghasilan"


def test_a_refused_upload_in_indonesian():
    at = _npwp_page_in_indonesian()
    at.file_uploader(key="npwp_file").set_value(("kartu.jpg", GIF, "application/octet-stream")).run()
    (error,) = messages(at, "error")
    assert error.startswith("Berkas ini tidak dapat dikirim.")  # messages() reads it as plain text
    assert "adalah gambar GIF, meskipun namanya berakhiran .jpg." in error and "Only JPEG" not in error
    assert at.button(key="npwp_submit").disabled


def test_the_overlay_in_indonesian(monkeypatch):
    reading(monkeypatch, fake_read(name="SITI RAHAJU"))
    at = _npwp_page_in_indonesian()
    assert at.toggle(key="npwp_overlay").label == "Tampilkan letak setiap data yang dibaca"
    at.button(key=f"npwp_sample_{CARD.file}").click().run()
    at.button(key="npwp_submit").click().run()
    at.toggle(key="npwp_overlay").set_value(True).run()
    assert not at.exception, at.exception
    captions = messages(at, "caption")
    assert "Terbaca dengan tingkat keyakinan 97%" in captions
    assert any(text.startswith("Isi kartu terbaca berbeda dari jawaban: Nama.") for text in messages(at, "warning"))
    assert ":orange-badge[:material/compare_arrows: Kartu terbaca] SITI RAHAJU" in messages(at, "markdown")
