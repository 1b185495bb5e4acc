"""Live mode in AppTest: what cannot work is disabled and says why, the same counts on every page,
and "Test connection" proves the URL and the keys without a billed call (against the live double)."""

from __future__ import annotations

import re

import pytest

from sandbox.income_api import PARTNER_KEY
from sandbox.npwp_api import API_KEY
from tests.apptest_helpers import PAGES, history, open_page, shown_text, unescape
from tests.live_double import Account, live_env, serve

LIVE_SETTINGS = [name for name in live_env(Account("a", "b", "c", "d"), "http://x") if name != "KYC_MODE"]


def sidebar_badges(at) -> list[str]:
    """The sidebar's badges (st.badge draws as Markdown), as their words."""
    found = [re.search(r"-badge\[(?::material/\w+: )?(.*)\]$", str(m.value)) for m in at.sidebar.markdown]
    return [m.group(1) for m in found if m]


@pytest.fixture()
def live_without_credentials(monkeypatch):
    monkeypatch.setenv("KYC_MODE", "live")
    for name in LIVE_SETTINGS:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_counts_the_missing_settings_alike(live_without_credentials, page):
    # The Verihubs base URL has a default (https://api.verihubs.com); TD's URL has none.
    assert sidebar_badges(open_page(page)) == ["Verihubs: 2 settings missing", "TD: 3 settings missing"]


def test_income_submit_is_disabled_with_the_reason_beside_it(live_without_credentials):
    at = open_page("income")
    assert at.button(key="income_submit").disabled
    assert "Live mode needs 3 more TD settings (income URL, partner_code, partner_key)" in shown_text(at)
    assert at.button(key="test_connection_income").disabled and at.button(key="test_connection_npwp").disabled


def test_batch_run_is_disabled_with_the_reason_beside_it(live_without_credentials):
    from workflows.applicant_file import template_csv

    at = open_page("batch")
    at.file_uploader(key="batch_file").set_value(("a.csv", template_csv(), "text/csv")).run()
    assert at.button(key="batch_run").disabled
    assert "Live mode needs 3 more TD settings" in shown_text(at)


@pytest.fixture()
def live_double(monkeypatch):
    account = Account("APPID-live-77", API_KEY, "PCODE-live-77", PARTNER_KEY)
    double, vendor = serve(account)
    for name, value in live_env(account, vendor.url).items():
        monkeypatch.setenv(name, value)
    yield monkeypatch, vendor.url
    vendor.stop()


def test_test_connection_proves_url_and_keys_and_says_so(live_double):
    at = open_page("home")
    at.button(key="test_connection_npwp").click().run()
    at.button(key="test_connection_income").click().run()
    said = " ".join(unescape(str(m.value)) for m in at.sidebar.success)
    assert "Verihubs answered and accepted the App-ID and API-Key" in said
    assert "TD answered and accepted the partner_code and partner_key" in said
    assert [(item["outcome"], item["http_status"]) for item in history(at)] == [
        ("connection test", 422),
        ("connection test", 200),
    ]


def test_test_connection_says_when_the_keys_are_refused(live_double):
    monkeypatch, _ = live_double
    monkeypatch.setenv("INCOME_PARTNER_KEY", "not-the-key")
    at = open_page("home")
    at.button(key="test_connection_income").click().run()
    said = " ".join(unescape(str(m.value)) for m in at.sidebar.warning)
    assert "TD answered, but refused the partner_code and partner_key" in said
    assert "not-the-key" not in shown_text(at) + said


def test_every_page_that_bills_says_so_in_live_mode(live_double):
    for page in ("npwp", "income", "journey", "batch"):
        assert re.search(r"billed", shown_text(open_page(page))), page
    assert "billed" not in shown_text(open_page("history"))
