"""The batch page through AppTest: results belong to their file, Stop / Resume / Retry, exports, charts."""

from __future__ import annotations

import json

from tests.apptest_helpers import charts, history, open_page, shown_text
from tests.test_journey_batch_pages import finish_batch, metrics
from workflows.applicant_file import template_csv


def applicants(count: int, start: int = 1) -> bytes:
    rows = "".join(f"A{i},081234567890,317101170885{i:04d}\n" for i in range(start, start + count))
    return ("name,phone_number,id_number\n" + rows).encode()


def finish(at, timeout: float = 30):
    return finish_batch(at, timeout=timeout)


def test_a_new_file_clears_the_last_files_results():
    at = open_page("batch")
    at.file_uploader(key="batch_file").set_value(("first.csv", template_csv(), "text/csv")).run()
    at.button(key="batch_run").click().run()
    finish(at)
    assert metrics(at)["Hit"] == 2 and "2 sent, 0 not sent" in shown_text(at)
    at.file_uploader(key="batch_file").set_value(("second.csv", applicants(5), "text/csv")).run()
    assert not at.exception
    assert at.metric == [] or not metrics(at)  # no counts of the first file's run
    assert "sent, 0 not sent" not in shown_text(at) and at.session_state["batch_income_job"] is None
    assert at.button(key="batch_run").label == "Verify 5 applicants"
    assert len(at.dataframe) == 1  # the new file's preview only, no old results


def test_results_stay_with_their_file_when_the_upload_is_removed():
    at = open_page("batch")
    at.file_uploader(key="batch_file").set_value(("first.csv", template_csv(), "text/csv")).run()
    at.button(key="batch_run").click().run()
    finish(at)
    at.file_uploader(key="batch_file").set_value(None).run()
    assert not at.exception
    assert "The results of first.csv, which is no longer uploaded." in shown_text(at)
    assert metrics(at)["Hit"] == 2


def test_stop_then_resume_sends_only_the_rows_not_sent():
    at = open_page("batch")
    at.selectbox(key="sandbox_scenario").set_value("slow").run()
    at.file_uploader(key="batch_file").set_value(("slow.csv", applicants(6), "text/csv")).run()
    at.number_input(key="batch_workers").set_value(1).run()
    at.button(key="batch_run").click().run()
    at.button(key="batch_income_job_stop").click().run()
    finish(at, 15)
    counts = metrics(at)
    sent = counts["Hit"]
    assert 1 <= sent < 6 and counts["Not sent"] == 6 - sent
    assert f"{sent} sent, {6 - sent} not sent." in shown_text(at)
    assert "6 of 6" not in shown_text(at)
    calls_before = len(history(at))
    at.selectbox(key="sandbox_scenario").set_value("none").run()  # the rest without the delay
    resume = at.button(key="batch_income_job_resume")
    assert resume.label == f"Resume: send the {6 - sent} not sent"
    resume.click().run()
    finish(at)
    assert metrics(at) == {"Hit": 6, "No record": 0, "Vendor error": 0, "Failed": 0, "Not sent": 0}
    assert len(history(at)) - calls_before == 6 - sent  # nothing answered before was sent again
    assert "6 sent, 0 not sent." in shown_text(at)
    assert "batch_income_job_resume" not in {button.key for button in at.button}


def test_retry_failed_sends_only_the_failed_rows():
    at = open_page("batch")
    at.selectbox(key="sandbox_scenario").set_value("flaky").run()
    at.file_uploader(key="batch_file").set_value(("flaky.csv", applicants(30), "text/csv")).run()
    at.number_input(key="batch_workers").set_value(16).run()
    at.button(key="batch_run").click().run()
    finish(at, 60)
    failed = metrics(at)["Failed"]
    assert failed > 0
    calls_before = len(history(at))
    at.selectbox(key="sandbox_scenario").set_value("none").run()
    at.button(key="batch_income_job_retry").click().run()
    finish(at)
    assert metrics(at)["Failed"] == 0 and metrics(at)["Hit"] == 30
    assert len(history(at)) - calls_before == failed


def test_the_exports_hold_every_line_in_csv_and_excel():
    at = open_page("batch")
    data = applicants(3) + b"NO PHONE,,3171011708850009\n"
    at.file_uploader(key="batch_file").set_value(("four.csv", data, "text/csv")).run()
    at.button(key="batch_run").click().run()
    finish(at)
    labels = {button.proto.label for button in at.get("download_button")}
    assert {"Download results (CSV)", "Download results (Excel)"} <= labels


def _spec(chart) -> dict:
    return json.loads(chart.proto.spec)


def _rows(chart) -> list[dict]:
    """The chart's data, decoded from the Arrow table Streamlit sends with it."""
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    return convert_arrow_bytes_to_pandas_df(chart.proto.datasets[0].data.data).to_dict("records")


def test_the_band_histogram_labels_all_18_bands_level_and_the_match_rates_show_zero():
    at = open_page("batch")
    # The template's two rows match; a wrong sex for a third gives a field some NOT MATCH.
    data = b"name,phone_number,id_number,sex\nA,081234567890,3171011708850001,female\n"
    at.file_uploader(key="batch_file").set_value(("one.csv", data, "text/csv")).run()
    at.button(key="batch_run").click().run()
    finish(at)
    band, rates = charts(at)
    axis = _spec(band)["layer"][0]["encoding"]["y"]["axis"]  # one row per band, its label beside its bar
    assert axis["labelOverlap"] is False
    assert len(_rows(band)) == 18  # every band on the axis, zeros included
    assert _spec(rates)["layer"][0]["encoding"]["y"]["axis"]["labelOverlap"] is False  # every field named
    (row,) = _rows(rates)
    assert row["text"] == "0% of 1" and row["shown"] > 0  # the sex sent does not match: a stub and its words
