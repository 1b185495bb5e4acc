"""The daily budget of live calls on the pages (AppTest, the live double answering): the count in
the sidebar, the third call refused before anything is sent, the batch's confirmation with the
budget, a batch that stops at the budget, and the count still there after a restart."""

from __future__ import annotations

import json

import pytest
import streamlit as st

from tests.apptest_helpers import open_page, shown_text, unescape
from tests.live_double import Account, live_env, serve
from tests.test_pages import SAMPLES
from workflows.applicant_file import template_csv
from workflows.budget import DailyBudget

ACCOUNT = Account("APPID-budget-12", "VHKEY-budget-SECRET-41aa", "PCODE-budget-12", "TDKEY-budget-SECRET-0c3f")
FIRST_SAMPLE = f"npwp_sample_{SAMPLES[0].file}"


@pytest.fixture()
def live_limit_2(monkeypatch, tmp_path):
    double, vendor = serve(ACCOUNT)
    for name, value in live_env(ACCOUNT, vendor.url).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("KYC_LIVE_DAILY_LIMIT", "2")
    monkeypatch.setenv("KYC_STATE_DIR", str(tmp_path))
    yield double, tmp_path
    vendor.stop()


def sent(double) -> list[str]:
    return [path for path, _ in double.calls if path != "/"]


def sidebar_text(at) -> str:
    return "\n".join(unescape(str(c.value)) for c in at.sidebar.caption)


def extract(at):
    at.button(key=FIRST_SAMPLE).click().run()
    at.button(key="npwp_submit").click().run()
    assert not at.exception, at.exception
    return at


def test_the_third_live_call_is_refused_before_it_is_sent_and_a_restart_keeps_the_count(live_limit_2):
    double, folder = live_limit_2
    at = open_page("npwp")
    assert "Verihubs · live calls today: 0 of 2" in sidebar_text(at)
    extract(at)
    assert "Verihubs · live calls today: 1 of 2" in sidebar_text(at), "the count is drawn again after the call"
    extract(at)
    assert "Verihubs · live calls today: 2 of 2" in sidebar_text(at)
    assert len(sent(double)) == 2
    # The day's budget is spent: the button is off, and says why.
    at.button(key=FIRST_SAMPLE).click().run()
    assert at.button(key="npwp_submit").disabled
    assert "Today's budget of 2 live Verihubs calls on this server is used up: nothing can be sent" in shown_text(at)
    assert len(sent(double)) == 2, "the third call never reached the vendor"
    assert "TD · live calls today: 0 of 2" in sidebar_text(at), "each API has its own budget"
    assert [line["outcome"] for line in map(json.loads, (folder / "audit.jsonl").read_text().splitlines())] == [
        "detected",
        "detected",
    ]

    st.cache_resource.clear()  # a restart: the meter and the sandbox are made anew
    again = open_page("npwp")
    assert "Verihubs · live calls today: 2 of 2" in sidebar_text(again)
    again.button(key=FIRST_SAMPLE).click().run()
    assert again.button(key="npwp_submit").disabled and len(sent(double)) == 2


def test_a_call_the_budget_ran_out_for_meanwhile_is_refused_before_it_is_sent(live_limit_2, monkeypatch):
    double, folder = live_limit_2
    at = open_page("npwp")
    at.button(key=FIRST_SAMPLE).click().run()
    assert not at.button(key="npwp_submit").disabled
    # Another session (or another replica on the same folder) spends the budget meanwhile,
    # after this page drew its button (the page's own check is made to see the budget as it was).
    other = DailyBudget(folder, 2)
    other.take("npwp")
    other.take("npwp")
    monkeypatch.setattr("ui.backend.spent_text", lambda api: None)
    at.button(key="npwp_submit").click().run()
    assert not at.exception, at.exception
    assert not sent(double), "refused before anything was sent"
    said = shown_text(at)
    assert "Today's budget of live Verihubs NPWP OCR calls on this server is used up (2 of 2): nothing was sent." in said
    assert "DAILY_LIMIT" in said
    assert "Verihubs · live calls today: 2 of 2" in sidebar_text(at)


def upload_applicants(at, rows: int):
    lines = template_csv().decode().splitlines()
    header, example = lines[0], lines[1]
    data = "\n".join([header] + [example] * rows).encode()
    at.file_uploader(key="batch_file").set_value(("team.csv", data, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def test_a_live_batch_asks_first_shows_the_budget_and_stops_at_it(live_limit_2):
    double, _ = live_limit_2
    at = upload_applicants(open_page("batch"), 3)
    at.button(key="batch_run").click().run()
    assert not sent(double), "nothing is sent before the confirmation"
    said = shown_text(at)
    assert "This batch makes 3 billed calls to TD." in said
    assert "Today's budget on this server has 2 of 2 calls left: the run stops after 2" in said
    assert at.button(key="batch_confirm").label == "Send 2 billed calls"
    at.button(key="batch_cancel").click().run()
    assert "This batch makes" not in shown_text(at) and not sent(double)

    at.button(key="batch_run").click().run()
    at.button(key="batch_confirm").click().run()
    at.session_state["batch_income_job"]["job"].wait(30)
    at.run()
    at.run()
    assert not at.exception, at.exception
    assert len(sent(double)) == 2
    said = shown_text(at)
    assert "2 sent, 1 not sent." in said
    assert (
        "The run stopped at today's budget of 2 live TD income verification calls on this server: 1 row was not sent. "
        "Resume sends it once there is budget again" in said
    )
    # Which of the three identical rows met the budget depends on the workers' timing.
    (unsent,) = [o for o in at.session_state["batch_income_job"]["run"].outcomes().values() if o.status == "not_sent"]
    assert "is used up (2 of 2): nothing was sent" in unsent.error.message_in("en"), "the unsent row says why"
    assert "TD · live calls today: 2 of 2" in sidebar_text(at)

    assert at.button(key="batch_run").disabled  # the day's budget is spent
    assert "Today's budget of 2 live TD calls on this server is used up" in shown_text(at)


def test_a_sandbox_batch_runs_without_asking(monkeypatch):
    monkeypatch.setenv("KYC_MODE", "sandbox")
    at = upload_applicants(open_page("batch"), 2)
    at.button(key="batch_run").click().run()
    assert "This batch makes" not in shown_text(at)
    at.session_state["batch_income_job"]["job"].wait(30)


def test_a_limit_that_is_not_a_number_holds_live_calls_and_says_so(live_limit_2, monkeypatch):
    double, _ = live_limit_2
    monkeypatch.setenv("KYC_LIVE_DAILY_LIMIT", "two hundred")
    at = open_page("npwp")
    at.button(key=FIRST_SAMPLE).click().run()
    assert at.button(key="npwp_submit").disabled
    assert "KYC_LIVE_DAILY_LIMIT must be a whole number of calls (0 or more), not “two hundred”" in shown_text(at)
    assert not sent(double)


def test_without_a_limit_the_sidebar_counts_only(live_limit_2, monkeypatch):
    double, _ = live_limit_2
    monkeypatch.delenv("KYC_LIVE_DAILY_LIMIT")
    at = extract(open_page("npwp"))
    assert "Verihubs · live calls today: 1" in sidebar_text(at) and " of " not in sidebar_text(at)
    assert len(sent(double)) == 1


def test_the_sandbox_shows_no_budget(monkeypatch):
    monkeypatch.setenv("KYC_MODE", "sandbox")
    assert "live calls today" not in sidebar_text(open_page("npwp"))


def test_resume_of_a_live_batch_asks_first_and_sends_only_once_there_is_budget(live_limit_2, monkeypatch):
    double, _ = live_limit_2
    at = upload_applicants(open_page("batch"), 3)
    at.button(key="batch_run").click().run()
    at.button(key="batch_confirm").click().run()
    at.session_state["batch_income_job"]["job"].wait(30)
    at.run()
    assert len(sent(double)) == 2

    at.button(key="batch_income_job_resume").click().run()
    said = shown_text(at)
    assert "This batch makes 1 billed call to TD." in said, "Resume asks first, as the run did"
    assert at.button(key="batch_confirm").disabled, "nothing can be sent: the day's budget is used up"
    assert len(sent(double)) == 2

    monkeypatch.setenv("KYC_LIVE_DAILY_LIMIT", "3")  # whoever runs the server raises the limit
    at.run()
    assert at.button(key="batch_confirm").label == "Send 1 billed call"
    at.button(key="batch_confirm").click().run()
    at.session_state["batch_income_job"]["job"].wait(30)
    at.run()
    assert not at.exception, at.exception
    assert len(sent(double)) == 3 and "3 sent, 0 not sent." in shown_text(at)


def test_a_limit_in_secrets_toml_counts_and_wins_over_the_environment(live_limit_2, secrets_file, monkeypatch):
    double, _ = live_limit_2
    secrets_file.write_text("KYC_LIVE_DAILY_LIMIT = 1\n")
    at = extract(open_page("npwp"))
    assert "Verihubs · live calls today: 1 of 1" in sidebar_text(at)
    at.button(key=FIRST_SAMPLE).click().run()
    assert at.button(key="npwp_submit").disabled and len(sent(double)) == 1


def test_a_broken_secrets_file_that_sets_the_limit_holds_live_calls(live_limit_2, secrets_file, monkeypatch):
    double, _ = live_limit_2
    monkeypatch.delenv("KYC_LIVE_DAILY_LIMIT")
    secrets_file.write_text('KYC_LIVE_DAILY_LIMIT = "200\n')
    at = open_page("npwp")
    at.button(key=FIRST_SAMPLE).click().run()
    assert at.button(key="npwp_submit").disabled
    assert "KYC_LIVE_DAILY_LIMIT may be set in a .streamlit/secrets.toml that cannot be read or parsed" in shown_text(at)
    assert not sent(double)
