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
from workflows.journey import Review, Summary, card_lines
from workflows.report import LogoError, load_logo, pdf_report

WHEN = dt.datetime(2025, 11, 3, 10, 0, tzinfo=dt.UTC)  # 17:00 in Jakarta
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
        "Generated 3 Nov 2025, 17:00 WIB",
        "Sandbox/demo data",
        "REVIEW",
        "Siti Nurhaliza",
        "3171 0157 0845 0001",
        "5.5-6.5JT",
        "PT MAJU MAKMUR",
        "10/2025",
        "NOT MATCH",
        "not sent",
        "Independently checked: email (matches)",
        "Sex and birth date were derived from the NIK, yet TD's record does not match on birth date",
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
    assert "Comparison" not in text  # no comparison table without a hit


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
    assert later != first and "17:05 WIB" in pages(later)[0]


def test_vendor_text_is_drawn_as_plain_text():
    income = hit()
    income.company = "**PT BOLD** <b>tag</b> --strike--"
    text = pages(pdf_report(run(income), None, generated_at=WHEN))[0]
    assert "**PT BOLD** <b>tag</b> --strike--" in text


@pytest.mark.parametrize("words, one_page", [(70, True), (400, False)])
def test_too_much_text_shrinks_the_font_and_is_never_cut(words, one_page):
    huge = " ".join(f"WORD{i:03d}" for i in range(words))
    income = hit()
    income.company = income.address_company = huge
    texts = pages(pdf_report(run(income, the_card=card(name=huge)), None, generated_at=WHEN))
    # 70 words three times does not fit at the largest size but does at a smaller one; 400 cannot fit, so it flows on.
    assert (len(texts) == 1) is one_page
    everything = flat(" ".join(texts))
    assert everything.count(huge) >= 3  # card name, employer, company address: each whole
    assert "Comparison (the API compares only the fields it receives)" in everything


# --- report ID, footer, reviewer, logo, the whole page used ---------------------------------------


def png(size: tuple[int, int], colour: object = (200, 30, 30), mode: str = "RGB", kind: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, kind)
    return out.getvalue()


def text_positions(data: bytes, page: int = 0) -> list[tuple[float, str]]:
    """Each text run on the page with its height above the page's bottom edge, in points."""
    found: list[tuple[float, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((tm[5] * cm[3] + cm[5], text.strip()))

    PdfReader(io.BytesIO(data)).pages[page].extract_text(visitor_text=visit)
    return found


def test_the_report_id_is_in_the_header_and_the_footer():
    summary = summary_with(sandbox=True)
    text = flat(pages(pdf_report(summary, None, generated_at=WHEN))[0])
    assert summary.report_id.startswith("KYC-")
    assert text.count(f"Report {summary.report_id}") == 2  # under the title, and in the footer


@pytest.mark.parametrize(
    "sandbox, mode",
    [(True, "Sandbox: demo data, not the vendors' answers"), (False, "Live: answers from Verihubs and TD")],
)
def test_the_footer_names_the_page_and_the_mode(sandbox, mode):
    data = pdf_report(summary_with(sandbox=sandbox), None, generated_at=WHEN)
    text = flat(pages(data)[0])
    assert "Page 1 of 1" in text and mode in text
    footer = [line for height, line in text_positions(data) if height < 40]  # the bottom 14 mm
    assert any("Page 1 of 1" in line for line in footer) and any(mode in line for line in footer)


def test_every_page_of_a_long_report_has_its_footer():
    huge = " ".join(f"WORD{i:03d}" for i in range(400))
    income = hit()
    income.company = income.address_company = huge
    texts = [flat(text) for text in pages(pdf_report(run(income, the_card=card(name=huge)), None, generated_at=WHEN))]
    assert len(texts) >= 2
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text


def test_the_reviewer_block_carries_what_was_entered():
    review = Review("Dewi Anggraini", "refer", "Birth date differs in TD's record; ask for the KTP.")
    text = flat(pages(pdf_report(summary_with(), None, review=review, generated_at=WHEN))[0])
    assert "Reviewer's decision" in text
    assert "Reviewer Dewi Anggraini" in text
    assert "☐ Approve ☒ Refer for more checks ☐ Reject" in text
    assert "Notes Birth date differs in TD's record; ask for the KTP." in text
    assert "Signature and date" in text


def test_without_a_review_the_block_is_left_to_fill_by_hand():
    data = pdf_report(summary_with(), None, generated_at=WHEN)
    text = flat(pages(data)[0])
    assert "Reviewer's decision" in text and "☐ Approve ☐ Refer for more checks ☐ Reject" in text
    assert "Signature and date" in text


@pytest.mark.parametrize("income", ["hit", "no_record"], ids=["a full page", "a short page"])
def test_the_bottom_third_of_the_page_is_used(income):
    # A no_record answer has no band and no table: the sign-off still reaches down to the footer.
    outcome = hit() if income == "hit" else IncomeResult("no_record", "seq-9", None, None, None, None, None, {}, None)
    data = pdf_report(run(outcome), None, generated_at=WHEN)
    height = float(PdfReader(io.BytesIO(data)).pages[0].mediabox.height)
    runs = text_positions(data)
    bottom_third = [line for y, line in runs if 45 < y < height / 3]  # above the footer, in the lowest third
    assert "Signature and date" in bottom_third
    assert max(y for y, line in runs if line == "Signature and date") < height * 0.15  # right above the footer


def test_an_uploaded_logo_is_drawn_on_the_report():
    logo = load_logo(png((600, 200)))
    data = pdf_report(summary_with(), Image.new("RGB", (800, 500), "skyblue"), logo=logo, generated_at=WHEN)
    images = [image.image for image in PdfReader(io.BytesIO(data)).pages[0].images]
    assert len(images) == 2  # the card and the logo
    logos = [image for image in images if image.width / image.height == pytest.approx(3, rel=0.02)]
    assert len(logos) == 1 and logos[0].convert("RGB").getpixel((10, 10)) == (200, 30, 30)
    assert len(pages(data)) == 1


def test_logo_bytes_are_checked_and_a_bad_logo_is_left_off():
    good = pdf_report(summary_with(), None, logo=png((300, 100)), generated_at=WHEN)
    assert len(PdfReader(io.BytesIO(good)).pages[0].images) == 1
    bad = pdf_report(summary_with(), None, logo=b"not a picture", generated_at=WHEN)
    assert len(PdfReader(io.BytesIO(bad)).pages[0].images) == 0


def truncated_png() -> bytes:
    data = png((400, 400), "navy")
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "The logo file is empty."),
        (b"GIF89a not really", "not a PNG or JPEG picture"),
        (png((40, 40), kind="GIF"), "The logo is a GIF; use a PNG or JPEG."),
        (png((7000, 10), "white", mode="L"), "The logo is 7000 × 10 pixels; use one under 6000 pixels a side."),
        (b"\x89PNG\r\n\x1a\n" + b"x" * (report.LOGO_MAX_BYTES + 1), "use a PNG or JPEG under 2 MB"),
        ("truncated", "damaged or cut short"),
    ],
    ids=["empty", "garbage", "gif", "huge-pixels", "huge-bytes", "truncated"],
)
def test_a_broken_or_huge_logo_is_refused_with_a_clear_message(data, words):
    with pytest.raises(LogoError) as refused:
        load_logo(truncated_png() if data == "truncated" else data)
    assert words in refused.value.message


@pytest.mark.parametrize("mode", ["RGBA", "P", "L"])
def test_logos_of_any_plain_mode_are_accepted(mode):
    picture = load_logo(png((1600, 400), 0 if mode != "RGBA" else (0, 0, 255, 0), mode=mode))
    assert picture.mode == "RGB" and max(picture.size) <= report.LOGO_MAX_PX
    if mode == "RGBA":  # a transparent background prints as white
        assert picture.getpixel((5, 5)) == (255, 255, 255)


def test_the_pdf_uses_the_screens_words_and_casing():
    # The card's labels and notes come from workflows.journey, as on the summary screen.
    summary = summary_with()
    text = flat(pages(pdf_report(summary, None, generated_at=WHEN))[0])
    for line in card_lines(summary):
        assert flat(f"{line.label} {line.value}") in text
        if line.note:
            assert flat(line.note) in text
    assert "valid; born 17 Aug 1945, female, Jakarta Selatan" in text  # not "JAKARTA SELATAN", not 1945-08-17
    assert "Extraction ID doc-id" in text and "Reference ID ref-id" in text
    assert "reference_id" not in text and "sequence_id" not in text
    assert text.count("derived from the NIK") >= 3  # the verdict's finding, and sex and birth date in the table
