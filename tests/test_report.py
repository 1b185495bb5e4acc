"""workflows.report: the one-page PDF of the journey summary."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image
from pypdf import PdfReader

from kyc.errors import KycError
from kyc.income import IncomeResult
from tests.test_journey import applicant, card, hit, run
from workflows import report
from workflows.journey import Summary
from workflows.report import pdf_report

WHEN = dt.datetime(2025, 11, 3, 10, 0, tzinfo=dt.UTC)
LONG_ADDRESS = (
    "JL. JENDERAL SUDIRMAN KAV. 52-53 RT 002 RW 003 KELURAHAN SENAYAN KECAMATAN KEBAYORAN BARU "
    "KOTA ADMINISTRASI JAKARTA SELATAN DKI JAKARTA 12190 GEDUNG MENARA SUDIRMAN LANTAI 17 SUITE 1704 ENDS-HERE"
)


def pages(data: bytes) -> list[str]:
    assert data.startswith(b"%PDF-")
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def flat(text: str) -> str:
    """Whitespace collapsed, so a wrapped line reads as one."""
    return " ".join(text.split())


def summary_with(**kw: object) -> Summary:
    return run(kw.pop("income", hit({"sex": "MATCH", "birthdate": "NOT MATCH", "email": "MATCH"})), **kw)


def test_a_one_page_report_with_the_key_facts():
    data = pdf_report(summary_with(sandbox=True), Image.new("RGB", (800, 500), "skyblue"), generated_at=WHEN)
    texts = pages(data)
    assert len(texts) == 1
    text = flat(texts[0])
    for expected in (
        "KYC journey summary",
        "Generated 2025-11-03 10:00 UTC",
        "Sandbox/demo data",
        "REVIEW",
        "Siti Nurhaliza",
        "3171 0157 0845 0001",
        "5.5-6.5JT",
        "PT MAJU MAKMUR",
        "10/2025",
        "NOT MATCH",
        "not sent",
        "2 of 3 fields sent match (birth date does not)",
    ):
        assert expected in text, expected


def test_no_sandbox_note_for_live_data():
    assert "Sandbox/demo data" not in pages(pdf_report(summary_with(sandbox=False), None, generated_at=WHEN))[0]


def test_a_long_address_wraps_and_is_kept_whole():
    the_card = card()
    the_card.address = LONG_ADDRESS
    summary = run(hit(), the_card=the_card, request=applicant(address_employee=LONG_ADDRESS))
    texts = pages(pdf_report(summary, None, generated_at=WHEN))
    assert len(texts) == 1
    raw = texts[0]
    # Once on the card, once in the comparison table; both whole, and both wrapped over lines.
    assert flat(raw).count(flat(LONG_ADDRESS)) == 2
    assert LONG_ADDRESS not in raw  # it did not fit on one line, so it was wrapped, not drawn off the page


def test_unicode_name_survives():
    name = "Siti Nurhaliza Ñ Ā ü"
    text = pages(pdf_report(run(hit(), the_card=card(name=name)), None, generated_at=WHEN))[0]
    assert name in text


def test_without_the_dejavu_fonts_it_falls_back_and_still_renders(monkeypatch, tmp_path):
    monkeypatch.setattr(report, "FONT_DIR", tmp_path)  # no font files there
    text = pages(pdf_report(run(hit(), the_card=card(name="Siti Ñ Ā")), None, generated_at=WHEN))[0]
    assert "Siti Ñ ?" in text  # Latin-1 kept, the rest replaced rather than crashing
    assert "5.5-6.5JT" in text


@pytest.mark.parametrize(
    "thumbnail",
    [
        None,
        Image.new("RGB", (9000, 5000), "navy"),  # huge
        Image.new("RGBA", (40, 900), (255, 0, 0, 0)),  # tall and transparent
        "jpeg-bytes",
        b"not a picture at all",
    ],
    ids=["none", "huge", "tall-rgba", "jpeg-bytes", "garbage-bytes"],
)
def test_thumbnails_of_any_kind_fit_on_one_page(thumbnail):
    if thumbnail == "jpeg-bytes":
        buffer = io.BytesIO()
        Image.new("RGB", (6000, 4000), "teal").save(buffer, "JPEG")
        thumbnail = buffer.getvalue()
    data = pdf_report(summary_with(), thumbnail, generated_at=WHEN)
    texts = pages(data)
    assert len(texts) == 1
    reader = PdfReader(io.BytesIO(data))
    images = list(reader.pages[0].images)
    if thumbnail is None or thumbnail == b"not a picture at all":
        assert images == [] and "No preview" in texts[0]
    else:
        assert len(images) == 1
        shown = images[0].image
        assert max(shown.size) <= report.THUMB_MAX_PX  # scaled down before embedding
        if isinstance(thumbnail, Image.Image):  # aspect ratio kept
            assert shown.width / shown.height == pytest.approx(thumbnail.width / thumbnail.height, rel=0.05)
        if isinstance(thumbnail, Image.Image) and thumbnail.mode == "RGBA":  # transparency on white, not black
            assert shown.convert("RGB").getpixel((shown.width // 2, shown.height // 2)) == (255, 255, 255)


@pytest.mark.parametrize(
    "income, error, words",
    [
        (IncomeResult("no_record", "seq-9", None, None, None, None, None, {}, None), None, "No record found for this NIK"),
        (None, KycError("TIMEOUT"), "[TIMEOUT]"),
        (IncomeResult("error", "seq-8", "error system", None, None, None, None, {}, None), None, "TD reported a system error"),
    ],
)
def test_failed_income_outcomes_render_with_their_reason(income, error, words):
    text = flat(pages(pdf_report(run(income, error), None, generated_at=WHEN))[0])
    assert "FAIL" in text and words in text
    assert "Fields compared" not in text  # no comparison table without a hit


def test_invalid_numbers_are_flagged_on_the_card():
    summary = run(hit(), the_card=card(npwp="14.235.842.2-201.000", nik="317305189293843"))
    text = flat(pages(pdf_report(summary, None, generated_at=WHEN))[0])
    assert "invalid: the check digit does not match" in text
    assert "invalid: 16 digits needed, 15 given" in text


def test_output_is_repeatable_for_the_same_timestamp():
    summary = summary_with()
    picture = Image.new("RGB", (300, 200), "olive")
    first = pdf_report(summary, picture, generated_at=WHEN)
    assert pdf_report(summary, picture, generated_at=WHEN) == first
    later = pdf_report(summary, picture, generated_at=WHEN + dt.timedelta(minutes=5))
    assert later != first and "10:05 UTC" in pages(later)[0]


def test_vendor_text_is_drawn_as_plain_text():
    income = hit()
    income.company = "**PT BOLD** <b>tag</b> --strike--"
    text = pages(pdf_report(run(income), None, generated_at=WHEN))[0]
    assert "**PT BOLD** <b>tag</b> --strike--" in text


@pytest.mark.parametrize("words, one_page", [(90, True), (400, False)])
def test_too_much_text_shrinks_the_font_and_is_never_cut(words, one_page):
    huge = " ".join(f"WORD{i:03d}" for i in range(words))
    income = hit()
    income.company = income.address_company = huge
    texts = pages(pdf_report(run(income, the_card=card(name=huge)), None, generated_at=WHEN))
    # 90 words three times does not fit at 9 pt but does at a smaller size; 400 cannot fit, so it flows on.
    assert (len(texts) == 1) is one_page
    everything = flat(" ".join(texts))
    assert everything.count(huge) >= 3  # card name, employer, company address: each whole
    assert "Fields compared by the income API" in everything
