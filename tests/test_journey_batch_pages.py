"""The journey and batch pages through AppTest, against the sandbox the app starts."""

from __future__ import annotations

import io
import json

from openpyxl import Workbook
from pypdf import PdfReader

from sandbox.samples import catalogue
from tests.apptest_helpers import history, messages, open_page, shown_text, verdicts
from workflows.applicant_file import template_csv

SAMPLES = {s.kind: s for s in catalogue()}


def downloads(at) -> set[str]:
    """The labels of the page's download buttons."""
    return {button.proto.label for button in at.get("download_button")}


def test_journey_end_to_end():
    at = open_page("journey")
    card = SAMPLES["nik-as-npwp"]
    at.button(key=f"journey_sample_{card.file}").click().run()
    at.button(key="journey_extract").click().run()
    assert not at.exception
    # Prefilled from the card, and sex and birth date suggested from the NIK.
    assert at.text_input(key="journey_name").value == card.fields["name"]
    assert at.text_input(key="journey_id_number").value == card.fields["nik"]
    assert at.selectbox(key="journey_sex").value == "male"
    assert at.text_input(key="journey_birthdate").value == "1985-05-12"
    at.text_input(key="journey_phone_number").input("081234567890")
    at.button(key="journey_verify").click().run()
    assert not at.exception
    verdict = " ".join(messages(at, "success"))
    assert "PASS" in verdict and "NPWP equals the NIK" in verdict and "Income band" in verdict
    assert verdicts(at) == {
        "Sex": "MATCH",
        "Birth date": "MATCH",
        "BPJS programs": "not sent",
        "Email": "not sent",
        "Home address": "MATCH",
    }
    assert len(at.get("vega_lite_chart")) == 1
    assert "Salary band" in messages(at, "markdown") and any(m.startswith("Band ") for m in messages(at, "caption"))
    assert downloads(at) == {"Summary (JSON)", "Report (PDF)"}
    assert [item["outcome"] for item in history(at)] == ["detected", "hit"]


def test_journey_report_content():
    # The same summary the page offers, rebuilt from its state: JSON and a one-page PDF.
    from workflows.journey import summarize
    from workflows.report import pdf_report

    at = open_page("journey")
    card = SAMPLES["15-digit"]
    at.button(key=f"journey_sample_{card.file}").click().run()
    at.button(key="journey_extract").click().run()
    at.text_input(key="journey_phone_number").input("081234567890")
    at.button(key="journey_verify").click().run()
    state = at.session_state
    income, extracted = state["journey_income"], state["journey_card"]
    summary = summarize(card.file, extracted["result"], income["request"], income["result"], income["error"], sandbox=True)
    data = json.loads(summary.to_json())
    assert data["card"]["name"] == card.fields["name"] and data["verdict"]["level"] in ("pass", "review")
    text = PdfReader(io.BytesIO(pdf_report(summary, None))).pages[0].extract_text()
    assert card.fields["name"] in text and card.fields["npwp"] in text


def test_journey_blocks_a_bad_phone_and_sends_nothing():
    at = open_page("journey")
    at.button(key=f"journey_sample_{SAMPLES['16-digit'].file}").click().run()
    at.button(key="journey_extract").click().run()
    at.text_input(key="journey_phone_number").input("0712")
    at.button(key="journey_verify").click().run()
    assert any("Nothing was sent" in m for m in messages(at, "error"))
    assert [item["outcome"] for item in history(at)] == ["detected"]


def finish_batch(at, job: str = "batch_income_job", timeout: float = 30):
    """Wait for the background pass, and rerun until its results are drawn."""
    assert at.session_state[job]["job"].wait(timeout)
    at.run()
    at.run()
    assert not at.exception
    return at


def run_batch(at, button: str = "batch_run", job: str = "batch_income_job", timeout: float = 30):
    """Click Run, wait for the background job, and rerun until the results are drawn."""
    at.button(key=button).click().run()
    return finish_batch(at, job, timeout)


def metrics(at) -> dict[str, int]:
    return {m.label: int(m.value) for m in at.metric}


def test_batch_income_from_the_template():
    at = open_page("batch")
    at.file_uploader(key="batch_file").set_value(("applicants.csv", template_csv(), "text/csv")).run()
    assert "2 rows ready to send" in shown_text(at)
    run_batch(at)
    assert metrics(at) == {"Hit": 2, "No record": 0, "Vendor error": 0, "Failed": 0, "Not sent": 0}
    results = at.dataframe[-1].value
    assert list(results["Outcome"]) == ["Hit", "Hit"] and list(results["Sex"]) == ["MATCH", "MATCH"]
    assert len(at.get("vega_lite_chart")) == 2  # band distribution and match rates
    assert len(history(at)) == 2


def test_batch_flags_bad_rows_and_sends_only_the_good_ones():
    book = Workbook()
    sheet = book.active
    sheet.append(["name", "phone_number", "id_number"])
    sheet.append(["SITI", "081234567890", "3174015205900123"])
    sheet.append(["NO PHONE", "", "3174015205900123"])
    sheet.append(["EXCEL", "8.1234567890E+10", "3174015205900123"])
    out = io.BytesIO()
    book.save(out)
    at = open_page("batch")
    at.file_uploader(key="batch_file").set_value(("list.xlsx", out.getvalue(), "application/octet-stream")).run()
    preview = at.dataframe[0].value
    assert list(preview["Ready to send"]) == ["yes", "no", "no"]
    assert "Excel turned it into a number" in preview["Problems"].iloc[2]
    run_batch(at)
    assert metrics(at)["Hit"] == 1 and metrics(at)["Not sent"] == 2 and len(history(at)) == 1
    # The results account for every line: the two flagged rows say why they were not sent.
    results = at.dataframe[-1].value
    assert list(results["Line"]) == [2, 3, 4]
    assert list(results["Outcome"]) == ["Hit", "Not sent", "Not sent"]
    assert results["Why"].iloc[1].startswith("Flagged before sending: ")


def test_batch_wrong_columns_say_what_is_expected():
    at = open_page("batch")
    at.file_uploader(key="batch_file").set_value(("x.csv", b"a,b\n1,2\n", "text/csv")).run()
    assert any("Missing columns: name, phone_number, id_number" in m for m in messages(at, "error"))


def test_batch_flaky_scenario_counts_failures():
    at = open_page("batch")
    at.selectbox(key="sandbox_scenario").set_value("flaky").run()
    rows = "name,phone_number,id_number\n" + "".join(f"A{i},081234567890,317101170885{i:04d}\n" for i in range(1, 41))
    at.file_uploader(key="batch_file").set_value(("flaky.csv", rows.encode(), "text/csv")).run()
    at.number_input(key="batch_workers").set_value(16).run()
    run_batch(at, timeout=60)
    counts = metrics(at)
    assert sum(counts.values()) == 40 and counts["Failed"] > 0 and counts["Hit"] > 0


def test_batch_npwp_reads_several_cards_and_refuses_bad_files():
    at = open_page("batch")
    files = [(s.file, s.read(), "application/octet-stream") for s in catalogue()] + [("notes.png", b"not a picture", "image/png")]
    at.file_uploader(key="batch_npwp_files").set_value(files).run()
    assert any("cannot be sent" in m for m in messages(at, "warning"))
    run_batch(at, "batch_npwp_run", "batch_npwp_job", timeout=60)
    table = at.dataframe[-1].value
    assert list(table["Outcome"]) == ["Detected"] * 4 + ["Not sent"]
    assert set(table["Name"][:4]) == {s.fields["name"] for s in catalogue()}
    assert table["File"].iloc[4] == "notes.png" and table["Why"].iloc[4].startswith("Flagged before sending: ")


def test_batch_stop_button_accounts_for_every_row():
    at = open_page("batch")
    at.selectbox(key="sandbox_scenario").set_value("slow").run()
    rows = "name,phone_number,id_number\n" + "".join(f"A{i},081234567890,317101170885{i:04d}\n" for i in range(1, 9))
    at.file_uploader(key="batch_file").set_value(("slow.csv", rows.encode(), "text/csv")).run()
    at.number_input(key="batch_workers").set_value(1).run()
    at.button(key="batch_run").click().run()
    at.button(key="batch_income_job_stop").click().run()
    job = at.session_state["batch_income_job"]["job"]
    assert job.wait(timeout=15)
    at.run()
    at.run()
    counts = metrics(at)
    assert sum(counts.values()) == 8 and counts["Not sent"] >= 6
    assert list(at.dataframe[-1].value["Outcome"]).count("Not sent") == counts["Not sent"]
