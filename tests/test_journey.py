"""workflows.journey: the summary's checks, the verdict rules, and its JSON export; and the
journey page (ui.journey_view) through AppTest: the step indicator, finished steps folded, the
summary's facts, and the reviewer's block and logo on the PDF the page offers."""

from __future__ import annotations

import io
import json
import re

import pytest
from PIL import Image
from pypdf import PdfReader

from kyc.errors import KycError
from kyc.http import CallRecord
from kyc.income import IncomeRequest, IncomeResult
from kyc.npwp import NpwpResult
from kyc.salary import parse_range
from tests.apptest_helpers import html_tables, messages, open_page, unescape
from tests.conftest import fixture_text
from workflows.journey import DERIVED_NOTE, Review, Summary, card_lines, report_id, summarize

NIK = "3171015708450001"  # valid: South Jakarta, born 17 Aug 1945, female


def record(api: str = "npwp") -> CallRecord:
    return CallRecord(api=api, method="POST", url="http://x", headers={"API-Key": "***"}, body={})


def card(npwp: str | None = NIK, nik: str | None = NIK, name: str | None = "Siti Nurhaliza", detected: bool = True) -> NpwpResult:
    return NpwpResult(detected, npwp, name, nik, "JL. MERDEKA 1", "doc-id", "ref-id", "Success Extract Data", record())


def applicant(**changes: object) -> IncomeRequest:
    values: dict = dict(
        name="SITI  NURHALIZA",
        phone_number="081234567890",
        id_number=NIK,
        sex="female",
        birthdate="1945-08-17",
        email="siti@example.com",
    )
    values.update(changes)
    return IncomeRequest(**values)


def hit(comparisons: dict[str, str] | None = None, band: str | None = "5.5-6.5JT") -> IncomeResult:
    verdicts = {"sex": "MATCH", "birthdate": "MATCH", "email": "MATCH"} if comparisons is None else comparisons
    return IncomeResult(
        "hit",
        "seq-1",
        None,
        "PT MAJU MAKMUR",
        "JL. SUMUR BANDUNG 23",
        "10/2025",
        parse_range(band) if band else None,
        verdicts,
        record("income"),
    )


def run(income: IncomeResult | None = None, error: KycError | None = None, **kw: object) -> Summary:
    the_card = kw.pop("the_card", card())
    request = kw.pop("request", applicant())
    return summarize("npwp.png", the_card, request, income, error, **kw)


def test_everything_consistent_passes_with_readable_findings():
    summary = run(hit())
    assert summary.verdict.level == "pass"
    assert summary.verdict.reasons == []
    assert summary.verdict.findings == [
        "Identity consistent: NPWP and NIK valid, NPWP equals the NIK",
        "Income band 5.5–6.5 JT (IDR 5.5-6.5 million)",
        "Employer PT MAJU MAKMUR, last salary 10/2025",
        "Independently checked: email (matches)",
        "Sex and birth date were derived from the NIK, so their MATCH only repeats the NIK and is not independent evidence",
    ]
    # The applicant's sex and birth date are the NIK's own (female, 17 Aug 1945): derived, not independent.
    assert summary.verdict.independent == ["Email"]
    assert summary.verdict.derived == ["Sex", "Birth date"]
    checks = summary.checks
    assert checks.npwp_equals_nik is True and checks.name_matches is True and checks.nik_matches is True
    assert (checks.nik_birth_date, checks.nik_sex, checks.nik_regency) == ("1945-08-17", "female", "JAKARTA SELATAN")
    assert summary.card.npwp == "3171 0157 0845 0001"
    assert summary.income is not None and summary.income.band_position == 5


def test_a_15_digit_npwp_is_consistent_without_equalling_the_nik():
    summary = run(hit(), the_card=card(npwp="013121660091000"))
    assert summary.verdict.level == "pass"
    assert summary.checks.npwp_equals_nik is None
    assert summary.verdict.findings[0] == "Identity consistent: NPWP (15-digit) and NIK valid"
    assert summary.card.npwp == "01.312.166.0-091.000"


def test_one_not_match_asks_for_review_and_names_the_field():
    summary = run(hit({"sex": "MATCH", "birthdate": "NOT MATCH", "email": "NOT MATCH"}))
    assert summary.verdict.level == "review"
    assert summary.verdict.reasons == [
        "Independently checked: email (0 of 1 match; email does not)",
        "Sex and birth date were derived from the NIK, yet TD's record does not match on birth date",
    ]
    summary = run(hit({"sex": "MATCH", "birthdate": "NOT MATCH", "email": "MATCH"}))
    assert summary.verdict.level == "review"
    assert summary.verdict.reasons == [
        "Sex and birth date were derived from the NIK, yet TD's record does not match on birth date"
    ]
    rows = {row["key"]: row["verdict"] for row in summary.income.comparisons}
    assert rows == {
        "sex": "MATCH",
        "birthdate": "NOT MATCH",
        "package": "not sent",
        "email": "MATCH",
        "address_employee": "not sent",
    }


def test_a_field_without_a_verdict_is_reported_but_does_not_lower_the_level():
    summary = run(hit({"sex": "MATCH", "birthdate": "MATCH"}))
    assert summary.verdict.level == "pass"
    assert "Independently checked: email (0 of 1 match; no verdict for email)" in summary.verdict.findings


# --- fields derived from the NIK (sex, birth date) --------------------------------------------------


def test_fields_sent_as_the_nik_encodes_them_are_labelled_and_not_counted():
    summary = run(hit({"sex": "MATCH", "birthdate": "MATCH", "email": "MATCH"}))
    notes = {row["key"]: row["note"] for row in summary.income.comparisons}
    assert notes == {"sex": DERIVED_NOTE, "birthdate": DERIVED_NOTE, "package": "", "email": "", "address_employee": ""}
    assert DERIVED_NOTE == "derived from the NIK"
    assert not any("3 of 3" in finding or "all 3" in finding for finding in summary.verdict.findings)


def test_only_derived_fields_means_nothing_was_independently_checked():
    summary = run(hit({"sex": "MATCH", "birthdate": "MATCH"}), request=applicant(email=None))
    assert summary.verdict.level == "pass"  # a hit with a band still passes: the derived fields add nothing, either way
    assert summary.verdict.independent == [] and summary.verdict.derived == ["Sex", "Birth date"]
    assert summary.verdict.findings[-1] == (
        "No field was independently checked: sex and birth date were derived from the NIK, "
        "so their MATCH only repeats the NIK and is not independent evidence"
    )


def test_a_typed_value_other_than_the_niks_is_checked_independently():
    # A birth date that is not the NIK's (17 Aug 1945) is the applicant's own claim: TD's answer on it is evidence.
    request = applicant(birthdate="1990-01-01", address_employee="JL. MERDEKA 1", email=None)
    summary = run(hit({"sex": "MATCH", "birthdate": "NOT MATCH", "address_employee": "MATCH"}), request=request)
    assert summary.verdict.independent == ["Birth date", "Home address"]
    assert summary.verdict.derived == ["Sex"]
    assert summary.verdict.findings[-2:] == [
        "Independently checked: birth date and home address (1 of 2 match; birth date does not)",
        "Sex was derived from the NIK, so its MATCH only repeats the NIK and is not independent evidence",
    ]
    assert summary.verdict.level == "review"


def test_nothing_optional_sent_says_so():
    summary = run(hit({}), request=applicant(sex=None, birthdate=None, email=None))
    assert summary.verdict.findings[-1] == "No field was independently checked: no optional field was sent"
    assert summary.verdict.level == "pass"


def test_an_invalid_nik_derives_nothing():
    summary = run(hit(), request=applicant(id_number="317101570845000"))  # 15 digits: nothing can be read from it
    assert summary.verdict.derived == [] and summary.verdict.independent == ["Sex", "Birth date", "Email"]


# --- report ID, times, the reviewer in the JSON ------------------------------------------------------


def test_the_report_id_and_the_times_are_in_wib():
    the_card = card()
    the_card.record.started_at = "2026-12-04T20:30:00+00:00"  # already 5 December in Jakarta
    income = hit()
    income.record.started_at = "2026-12-04T20:31:05+00:00"
    summary = run(income, the_card=the_card)
    assert re.fullmatch(r"KYC-20261205-[0-9A-F]{6}", summary.report_id)
    assert summary.card_read_at == "2026-12-05T03:30:00+07:00"
    assert summary.income_checked_at == "2026-12-05T03:31:05+07:00"
    assert run(income, the_card=the_card).report_id == summary.report_id  # the same two calls, the same ID
    assert run(hit(), the_card=the_card).report_id != summary.report_id  # another income call, another ID
    assert report_id(the_card.record, None).startswith("KYC-20261205-")


def test_the_json_carries_the_report_id_times_and_the_reviewers_block():
    summary = run(hit())
    data = json.loads(summary.to_json(Review(" Dewi ", "approve", "KTP seen.\n")))
    assert data["report_id"] == summary.report_id
    assert data["card_read_at"].endswith("+07:00") and data["income_checked_at"].endswith("+07:00")
    assert data["review"] == {"reviewer": "Dewi", "decision": "Approve", "notes": "KTP seen."}
    assert data["verdict"]["independent"] == ["Email"] and data["verdict"]["derived"] == ["Sex", "Birth date"]
    assert "review" not in json.loads(summary.to_json())


def test_card_lines_use_plain_labels_and_the_npwp_pages_words():
    lines = {line.label: line for line in card_lines(run(hit()))}
    assert list(lines) == ["NPWP", "Name", "NIK", "Address", "Extraction ID", "Reference ID"]
    assert lines["NIK"].note == "valid; born 17 Aug 1945, female, Jakarta Selatan, Daerah Khusus Ibukota Jakarta"
    assert lines["Extraction ID"].whole and lines["Reference ID"].whole and lines["NPWP"].whole
    assert not lines["Address"].whole


@pytest.mark.parametrize("sent_name", ["Budi Santoso", "SITI"])
def test_a_different_name_sent_asks_for_review(sent_name):
    summary = run(hit(), request=applicant(name=sent_name))
    assert summary.checks.name_matches is False
    assert summary.verdict.level == "review"
    assert any("Name sent" in reason and sent_name in reason for reason in summary.verdict.reasons)


def test_a_different_nik_sent_asks_for_review():
    summary = run(hit(), request=applicant(id_number="3171015708450002"))
    assert summary.checks.nik_matches is False and summary.verdict.level == "review"


def test_an_npwp_that_is_another_nik_asks_for_review():
    summary = run(hit(), the_card=card(npwp="3171011708450001"))  # valid NIK form, not the card's NIK
    assert summary.checks.npwp_equals_nik is False
    assert summary.verdict.level == "review"


def test_invalid_npwp_fails_even_with_a_clean_income_hit():
    summary = run(hit(), the_card=card(npwp="013121661091000"))  # check digit (9th) changed
    assert summary.checks.npwp_valid is False
    assert summary.verdict.level == "fail"
    assert summary.verdict.reasons == ["NPWP invalid (the check digit does not match)"]


def test_the_vendors_own_sample_card_fails_on_both_numbers():
    sample = json.loads(fixture_text("verihubs_success.json"))["data"]["result_data"]
    vendor_card = card(npwp=sample["npwp"], nik=sample["nik"], name=sample["name"])
    summary = run(hit(), the_card=vendor_card, request=applicant(name="MUHAMMADIN", id_number=sample["nik"]))
    assert summary.verdict.level == "fail"
    assert summary.checks.npwp_valid is False and summary.checks.nik_valid is False
    assert summary.checks.nik_problem == "16 digits needed, 15 given"
    assert (
        summary.verdict.findings[0] == "NPWP invalid (the check digit does not match); NIK invalid (16 digits needed, 15 given)"
    )


def test_no_npwp_detected_fails():
    summary = run(hit(), the_card=NpwpResult(False, None, None, None, None, None, None, "NPWP Not Detected", record()))
    assert summary.verdict.level == "fail"
    assert summary.verdict.findings[0] == "No NPWP detected in the document"
    assert summary.card.npwp is None


def test_no_record_fails_and_has_no_comparison_rows():
    income = IncomeResult("no_record", "seq-2", None, None, None, None, None, {}, record("income"))
    summary = run(income)
    assert summary.verdict.level == "fail"
    assert "Income verification found no record for this NIK" in summary.verdict.reasons
    assert summary.income.comparisons == []


def test_result_error_fails_with_the_translated_message():
    income = IncomeResult("error", "seq-3", "Kuota harian Anda telah habis ", None, None, None, None, {}, record("income"))
    summary = run(income)
    assert summary.verdict.level == "fail"
    assert any("daily quota is used up" in reason for reason in summary.verdict.reasons)


def test_a_failed_income_call_fails_and_wins_over_a_result():
    error = KycError("TIMEOUT", record=record("income"))
    summary = run(hit(), error)
    assert summary.verdict.level == "fail"
    assert summary.income is None
    assert summary.error is not None and summary.error.code == "TIMEOUT"
    assert any("[TIMEOUT]" in reason for reason in summary.verdict.reasons)


def test_income_not_run_is_review_not_pass():
    summary = run(None, None)
    assert summary.verdict.level == "review"
    assert summary.verdict.reasons == ["Income not verified yet"]


def test_a_band_outside_the_table_is_described_and_placed():
    summary = run(hit(band=">20.5JT"))
    assert "Income band >20.5 JT (above IDR 20.5 million)" in summary.verdict.findings
    assert summary.income.band_position == 12


def test_a_hit_without_a_band_asks_for_review():
    summary = run(hit(band=None))
    assert summary.verdict.level == "review" and "Income band not returned" in summary.verdict.reasons


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


@pytest.mark.parametrize("error", [None, KycError("HTTP_500", record=record("income"))])
def test_to_dict_is_json_ready_and_holds_no_call_records(error):
    summary = run(hit({"birthdate": "NOT MATCH"}), error, sandbox=True)
    data = summary.to_dict()
    assert not {"headers", "url", "record"} & _keys(data)
    assert json.loads(json.dumps(data)) == data  # plain JSON types only
    assert data["sandbox"] is True
    assert data["verdict"]["headline"].startswith(data["verdict"]["level"].upper())
    assert "http://x" not in summary.to_json().decode()


def test_to_json_keeps_unicode_and_indents():
    summary = run(hit(), the_card=card(name="Siti Nurhaliza Ñ Ā ü"), request=applicant(name="siti nurhaliza ñ ā Ü"))
    text = summary.to_json().decode("utf-8")
    assert "Siti Nurhaliza Ñ Ā ü" in text and '\n  "doc_name"' in text
    assert summary.checks.name_matches is True  # case-insensitive beyond ASCII


# --- the page -------------------------------------------------------------------------------------

SAMPLE = "npwp16-nik-card.jpg"  # BUDI SANTOSO, NIK 3273051205850002, NPWP equals the NIK


def badges(at) -> str:
    """The step indicator's Markdown."""
    return next(m.value for m in at.markdown if "1 · NPWP card" in m.value)


def folded(at) -> list:
    """The journey's folded steps (the sidebar's Live credentials expander left out)."""
    return [e for e in at.expander if e.label.startswith("**")]


def facts(at) -> list[dict[str, str]]:
    """The summary's facts tables (ui.journey_view.facts_table), as {label: cell HTML}."""
    import html as html_lib

    found = []
    for element in at.get("html"):
        body = element.proto.body
        if "kyc-facts" in body and "<tbody>" in body:
            rows = re.findall(r"<tr><th>(.*?)</th><td>(.*?)</td></tr>", body, flags=re.S)
            found.append({html_lib.unescape(label): cell for label, cell in rows})
    return found


def to_summary(at, phone: str = "081234567890"):
    at.button(key=f"journey_sample_{SAMPLE}").click().run()
    at.button(key="journey_extract").click().run()
    at.text_input(key="journey_phone_number").input(phone)
    at.button(key="journey_verify").click().run()
    assert not at.exception, at.exception
    return at


def test_the_step_indicator_follows_the_journey_and_finished_steps_fold():
    at = open_page("journey")
    assert ":blue-badge[:material/arrow_forward: 1 · NPWP card]" in badges(at)
    assert "1 · The NPWP card" in [s.value for s in at.subheader]
    assert folded(at) == []

    at.button(key=f"journey_sample_{SAMPLE}").click().run()
    at.button(key="journey_extract").click().run()
    assert not at.exception
    assert ":green-badge[:material/check: 1 · NPWP card]" in badges(at)
    assert ":blue-badge[:material/arrow_forward: 2 · Applicant]" in badges(at)
    # Step 1 folded away: its label says what it found, and its fields stay inside it.
    step = folded(at)[0]
    assert step.label.startswith("**1 · The NPWP card**: BUDI SANTOSO")
    assert "NPWP equals the NIK" in step.label and "NIK valid" in step.label
    assert step.proto.expanded is False
    assert "1 · The NPWP card" not in [s.value for s in at.subheader]
    assert any("Valid NIK" in m.value for m in step.markdown)
    assert at.button(key="journey_verify") is not None  # the form is open, up top

    at.text_input(key="journey_phone_number").input("081234567890")
    at.button(key="journey_verify").click().run()
    assert not at.exception
    assert ":blue-badge[:material/arrow_forward: 4 · Summary]" in badges(at)
    assert badges(at).count(":green-badge[:material/check:") == 3
    labels = [e.label for e in folded(at)]
    assert len(labels) == 2 and labels[1] == "**2 · Applicant, 3 · Income**: BUDI SANTOSO · 081234567890 · income hit"
    assert all(e.proto.expanded is False for e in folded(at))
    assert [s.value for s in at.subheader] == ["4 · Summary"]
    # The applicant can still be changed and sent again from the folded step.
    assert at.text_input(key="journey_phone_number").value == "081234567890"


def test_choosing_another_card_in_the_folded_step_opens_it_again():
    at = to_summary(open_page("journey"))
    at.button(key="journey_sample_npwp15-card.png").click().run()
    assert not at.exception
    assert "1 · The NPWP card" in [s.value for s in at.subheader]
    assert ":blue-badge[:material/arrow_forward: 1 · NPWP card]" in badges(at)
    assert "4 · Summary" not in [s.value for s in at.subheader]


def test_the_summary_keeps_ids_whole_and_labels_plain():
    at = to_summary(open_page("journey"))
    card_facts, income_facts = facts(at)
    assert list(card_facts) == ["NPWP", "Name", "NIK", "Address", "Extraction ID", "Reference ID"]
    extraction = at.session_state["journey_card"]["result"]
    for label, value in (("Extraction ID", extraction.id), ("Reference ID", extraction.reference_id)):
        assert card_facts[label] == f'<span class="whole">{value}</span>'  # one unbroken run
    assert "white-space:nowrap" in next(e.proto.body for e in at.get("html") if "kyc-facts" in e.proto.body)
    assert "valid; born 12 May 1985, male, Bandung, Jawa Barat" in card_facts["NIK"]
    assert income_facts["Sequence ID"].startswith('<span class="whole">')
    assert "Result" in income_facts and "Employer" in income_facts
    # The comparison table says which fields came from the NIK.
    table = html_tables(at)[0]
    assert table[0] == ["Field", "You sent", "Verdict", "Note"]
    notes = {row[0]: row[3] for row in table[1:]}
    assert notes["Sex"] == notes["Birth date"] == "derived from the NIK" and notes["Home address"] == ""
    verdict = " ".join(messages(at, "success"))
    assert "Independently checked: home address (matches)" in verdict
    assert "Sex and birth date were derived from the NIK" in verdict
    caption = " ".join(messages(at, "caption"))
    summary_id = re.search(r"Report (KYC-\d{8}-[0-9A-F]{6})", caption).group(1)
    assert "WIB" in caption and "Sandbox: demo data" in caption
    shown = " ".join(str(m.value) for m in at.markdown)
    assert "reference_id" not in shown and "sequence_id" not in shown
    assert summary_id


def png_bytes(size=(600, 200), colour=(200, 30, 30), kind="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, kind)
    return out.getvalue()


def offered_pdf(at) -> bytes:
    """The PDF behind the page's "Report (PDF)" button, as the page last drew it."""
    return at.session_state["journey_report"]["pdf"]


def test_the_reviewer_block_and_the_logo_go_on_the_pdf_the_page_offers():
    at = to_summary(open_page("journey"))
    caption = " ".join(messages(at, "caption"))
    summary_id = re.search(r"Report (KYC-\d{8}-[0-9A-F]{6})", caption).group(1)
    before = offered_pdf(at)
    assert len(PdfReader(io.BytesIO(before)).pages[0].images) == 1  # the card only

    at.text_input(key="journey_reviewer").input("Dewi Anggraini")
    at.selectbox(key="journey_decision").set_value("approve")
    at.text_area(key="journey_notes").input("KTP seen in the branch.")
    at.file_uploader(key="journey_logo").set_value(("bank.png", png_bytes(), "image/png")).run()
    assert not at.exception and not at.error
    assert any("bank.png: on the report" in unescape(image.proto.imgs[0].caption) for image in at.get("image"))

    data = offered_pdf(at)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert text.count(f"Report {summary_id}") == 2  # the same ID as on screen: header and footer
    assert "Page 1 of 1" in text and "Sandbox: demo data, not the vendors' answers" in text
    assert "Reviewer Dewi Anggraini" in text and "☒ Approve" in text and "KTP seen in the branch." in text
    images = [image.image for image in reader.pages[0].images]
    assert len(images) == 2 and any(image.width / image.height == pytest.approx(3, rel=0.02) for image in images)
    assert "derived from the NIK" in text and "Generated" in text and "WIB" in text

    at.run()  # nothing changed: the same bytes, not drawn again
    assert offered_pdf(at) is data

    # Another applicant: the decision and notes start empty again; the reviewer stays.
    at.button(key="journey_sample_npwp15-card.png").click().run()
    at.button(key="journey_extract").click().run()
    at.text_input(key="journey_phone_number").input("081234567890")
    at.button(key="journey_verify").click().run()
    assert not at.exception
    assert at.selectbox(key="journey_decision").value is None and at.text_area(key="journey_notes").value == ""
    assert at.text_input(key="journey_reviewer").value == "Dewi Anggraini"
    text = " ".join(PdfReader(io.BytesIO(offered_pdf(at))).pages[0].extract_text().split())
    assert "☐ Approve ☐ Refer for more checks ☐ Reject" in text and "SITI RAHAYU" in text


@pytest.mark.parametrize(
    "upload, words",
    [
        (("logo.png", b"not a picture at all", "image/png"), "not a PNG or JPEG picture"),
        (("logo.png", png_bytes((6500, 20)), "image/png"), "use one under 6000 pixels a side"),
        (("logo.jpg", png_bytes(kind="GIF"), "image/jpeg"), "The logo is a GIF; use a PNG or JPEG."),
    ],
    ids=["broken", "huge", "gif-named-jpg"],
)
def test_a_bad_logo_is_explained_and_left_off(upload, words):
    at = to_summary(open_page("journey"))
    at.file_uploader(key="journey_logo").set_value(upload).run()
    assert not at.exception
    errors = messages(at, "error")
    assert any("The logo is left off the report." in m and words in m for m in errors), errors
    assert len(PdfReader(io.BytesIO(offered_pdf(at))).pages[0].images) == 1  # the card, no logo


def test_a_no_record_answer_folds_too_and_still_offers_a_full_page_report():
    at = open_page("journey")
    at.button(key=f"journey_sample_{SAMPLE}").click().run()
    at.button(key="journey_extract").click().run()
    at.text_input(key="journey_id_number").input("3578054311950000")  # the sandbox has no record for this NIK
    at.text_input(key="journey_phone_number").input("081234567890")
    at.button(key="journey_verify").click().run()
    assert not at.exception
    assert folded(at)[1].label.endswith("· income no record")
    assert "Income verification found no record for this NIK" in " ".join(messages(at, "error"))
    income_facts = facts(at)[1]
    assert "No record found for this NIK" in income_facts["Result"] and "Sequence ID" in income_facts
    assert html_tables(at) == []  # nothing was compared
    text = " ".join(PdfReader(io.BytesIO(offered_pdf(at))).pages[0].extract_text().split())
    assert "No record found for this NIK" in text and "Signature and date" in text and "Page 1 of 1" in text
