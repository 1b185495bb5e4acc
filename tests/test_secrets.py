"""API-Key and partner_key never show: not in records, cURL, reprs, errors, tracebacks or logs."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import traceback
from pathlib import Path

import pytest

from kyc.errors import KycError
from kyc.income import IncomeClient, IncomeRequest
from kyc.npwp import NpwpClient
from kyc.settings import Settings
from tests.browser_support import CHROMIUM
from tests.replay import Reply

API_KEY = "VH-SECRET-api-key-4f1c9e"
PARTNER_KEY = "TD-SECRET-partner-key-77b2a0"
SECRETS = (API_KEY, PARTNER_KEY)
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
APPLICANT = IncomeRequest(name="SITI", phone_number="081234567890", id_number="3171015708450001", email="siti@example.com")


def assert_clean(*things: object) -> None:
    for thing in things:
        text = thing if isinstance(thing, str) else repr(thing)
        for secret in SECRETS:
            assert secret not in text, f"secret leaked into: {text[:200]}"


@pytest.fixture()
def logs(caplog):
    caplog.set_level(logging.DEBUG)  # everything, urllib3's request lines included
    return caplog


def test_successful_calls_leave_no_secret_anywhere(replay, logs):
    # A vendor that echoes the credential back must not get it onto the screen either.
    replay.route("/ocr/npwp", Reply(200, json.dumps({"message": f"ok {API_KEY}", "data": {"result_data": {"npwp": API_KEY}}})))
    url = replay.route("/income", Reply(200, json.dumps({"code": 200, "result": "no_record", "sequence_id": PARTNER_KEY})))
    npwp = NpwpClient(replay.url, "app", API_KEY)
    income = IncomeClient(url, "partner", PARTNER_KEY)
    card = npwp.extract(PNG, "card.png")
    answer = income.verify(APPLICANT)
    # The secrets did reach the server, where they belong.
    assert replay.last["/ocr/npwp"][0]["API-Key"] == API_KEY
    assert f"partner_key={PARTNER_KEY}" in replay.last["/income"][2]
    for record in (card.record, answer.record):
        assert_clean(json.dumps(record.to_dict()), record.as_curl(), record)
    assert_clean(npwp, income, card, answer, logs.text)
    assert "-H 'API-Key: '\"$VERIHUBS_API_KEY\"" in card.record.as_curl()
    assert 'partner_key=\'"$INCOME_PARTNER_KEY"' in answer.record.as_curl()
    assert "partner_key=***" in answer.record.url


def test_errors_and_tracebacks_leave_no_secret(replay, refused_url, logs):
    url = replay.route("/income", Reply(502, f"<html>bad gateway for ?partner_key={PARTNER_KEY}</html>", "text/html"))
    failures = []
    for call in (
        lambda: IncomeClient(url, "partner", PARTNER_KEY).verify(APPLICANT),
        lambda: IncomeClient(refused_url + "/x", "partner", PARTNER_KEY).verify(APPLICANT),
        lambda: NpwpClient(refused_url, "app", API_KEY).extract(PNG, "card.png"),
    ):
        with pytest.raises(KycError) as info:
            call()
        failures.append(info.value)
    for error in failures:
        assert_clean(str(error), repr(error), error.to_dict(), "".join(traceback.format_exception(error)))
        assert_clean(json.dumps(error.record.to_dict()), error.record.as_curl())
    assert_clean(logs.text)


def test_settings_never_show_keys():
    settings = Settings.load(environ={"KYC_MODE": "live", "VERIHUBS_API_KEY": API_KEY, "INCOME_PARTNER_KEY": PARTNER_KEY})
    assert_clean(settings, str(settings))
    assert settings.verihubs_api_key.reveal() == API_KEY


# --- The whole app, proved: every page and the journey in live mode with distinctive keys ---


def tree_text(at) -> str:
    """Every element AppTest holds, as its protobuf text: labels, values, bodies, download names."""
    parts, stack = [], [at._tree]
    while stack:
        node = stack.pop()
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        stack.extend(getattr(node, "children", {}).values())
    return "\n".join(parts)


def drive_every_page_in_apptest() -> list[str]:
    """Each page, with a call on every page that makes one; returns what each showed."""
    from tests.apptest_helpers import history, open_page
    from workflows import history as history_export
    from workflows.applicant_file import template_csv

    shown = []
    at = open_page("home")
    shown.append(tree_text(at))
    at = open_page("npwp")
    at.button(key="npwp_sample_npwp15-card.png").click().run()
    at.button(key="npwp_submit").click().run()
    at.button(key="npwp_to_income").click().run()
    shown.append(tree_text(at))
    at.switch_page("pages/income.py").run()
    at.text_input(key="phone_number").input("081234567890")
    at.button(key="income_submit").click().run()
    shown.append(tree_text(at))
    at.switch_page("pages/history.py").run()
    shown.append(tree_text(at))
    entries = history(at)
    assert [item["outcome"] for item in entries] == ["detected", "hit"], "the live-style calls went through"
    shown += [history_export.to_csv(entries, []), history_export.to_json(entries, [])]  # what the buttons offer
    shown += [item["record"].as_curl() for item in entries]
    at = open_page("journey")
    at.button(key="journey_sample_npwp16-nik-card.jpg").click().run()
    at.button(key="journey_extract").click().run()
    at.text_input(key="journey_phone_number").input("081234567890")
    at.button(key="journey_verify").click().run()
    shown.append(tree_text(at))
    at = open_page("batch")
    at.file_uploader(key="batch_file").set_value(("applicants.csv", template_csv(), "text/csv")).run()
    at.button(key="batch_run").click().run()
    shown.append(tree_text(at))  # the confirmation of the billed calls
    at.button(key="batch_confirm").click().run()
    assert at.session_state["batch_income_job"]["job"].wait(30)
    at.run()
    shown.append(tree_text(at))
    assert not at.exception
    return shown


def cache_contents() -> str:
    """Everything Streamlit's caches hold in this process: st.cache_data's pickled entries and
    st.cache_resource's objects. Reads Streamlit's internals: there is no public way to list them.
    """
    from streamlit.runtime.caching.cache_data_api import _data_caches
    from streamlit.runtime.caching.cache_resource_api import _resource_caches

    parts = []
    for caches in list(_data_caches._function_caches.values()):
        for cache in list(caches.values()):
            parts += [entry.decode("latin-1") for entry in list(cache.storage._mem_cache.values())]
    for caches in list(_resource_caches._function_caches.values()):
        for cache in list(caches.values()):
            parts += [
                repr(vars(result.value)) if hasattr(result.value, "__dict__") else repr(result.value)
                for result in list(cache._mem_cache.values())
            ]
    assert parts, "the caches were read (the health badge and the previews use them)"
    return "\n".join(parts)


def drive_the_browser(url: str, downloads: Path) -> list[str]:
    """The demo and the journey in Chromium; the DOM of each page, and every file it downloads."""
    from playwright.sync_api import sync_playwright

    from tests.browser_support import EVERYTHING_JS, VIEWPORT, launch, settle

    seen = []
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_context(viewport=VIEWPORT, accept_downloads=True).new_page()
        page.set_default_timeout(60_000)

        def save(label: str) -> None:
            with page.expect_download() as download:
                page.get_by_role("button", name=label).click()
            download.value.save_as(downloads / download.value.suggested_filename)

        page.goto(url)
        page.get_by_text("A one-minute demo").wait_for()
        seen.append(page.evaluate(EVERYTHING_JS))
        page.goto(url + "/npwp")
        page.get_by_role("button", name="15-digit NPWP (PNG)").click()
        page.get_by_role("button", name="Extract NPWP").click()
        page.get_by_text("58.761.234.2-017.000").first.wait_for()
        page.get_by_role("button", name="Use these details for income verification").click()
        settle(page)
        page.get_by_text("Request & response").first.click()  # open the inspector: the cURL line is drawn
        settle(page)
        seen.append(page.evaluate(EVERYTHING_JS))
        page.get_by_role("link", name="Go to income verification").click()
        page.get_by_role("textbox", name="Phone number *").fill("081234567890")
        page.get_by_role("button", name="Verify income").click()
        page.get_by_text("Salary band", exact=True).wait_for()
        settle(page)
        seen.append(page.evaluate(EVERYTHING_JS))
        page.goto(url + "/journey")
        page.get_by_role("button", name="NIK as NPWP (JPEG)").click()
        page.get_by_role("button", name="Extract NPWP").click()
        page.get_by_role("textbox", name="Phone number *").fill("081234567890")
        page.get_by_role("button", name="Verify income").click()
        page.get_by_role("heading", name="4 · Summary").wait_for()
        settle(page)
        save("Summary (JSON)")
        save("Report (PDF)")
        seen.append(page.evaluate(EVERYTHING_JS))
        page.get_by_role("link", name="Call history").first.click()
        page.get_by_text("calls shown").wait_for()
        settle(page)
        save("Download CSV")
        save("Download JSON")
        for expander in page.get_by_text("Request & response").all():
            expander.click()
        settle(page)
        seen.append(page.evaluate(EVERYTHING_JS))
        browser.close()
    return seen


def file_texts(folder: Path) -> dict[str, str]:
    """Each downloaded file as text; a PDF both raw and as the text a reader extracts."""
    from pypdf import PdfReader

    texts = {}
    for path in sorted(folder.iterdir()):
        data = path.read_bytes()
        texts[path.name] = data.decode("latin-1")
        if path.suffix == ".pdf":
            texts[path.name] += "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return texts


@contextlib.contextmanager
def live_deployment(monkeypatch):
    """Live mode, configured the way a real deployment is (environment), answered by the sandbox
    behind these very keys: every call really authenticates with them. Yields the environment
    and the double; afterwards, both APIs must have been called with the keys."""
    from tests.live_double import INCOME_PATH, NPWP_PATH, Account, live_env, serve

    account = Account("APPID-live-6c1d", API_KEY, "PCODE-live-0aa9", PARTNER_KEY)
    double, vendor = serve(account)
    try:
        env = live_env(account, vendor.url)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        yield env, double
        ours = {path for path, authenticated in double.calls if authenticated}
        assert ours == {NPWP_PATH, INCOME_PATH}, double.calls
    finally:
        vendor.stop()


def assert_no_leak(produced: dict[str, str | bytes]) -> None:
    as_text = {where: text.decode("utf-8", "replace") if isinstance(text, bytes) else text for where, text in produced.items()}
    leaks = {where: [s for s in SECRETS if s in text] for where, text in as_text.items()}
    assert not {where: found for where, found in leaks.items() if found}


def test_no_secret_in_anything_the_app_produces(monkeypatch, logs):
    """Every page in AppTest: what each shows, the exports, the cURL lines, the logs, Streamlit's caches."""
    with live_deployment(monkeypatch):
        produced = {f"AppTest page {i}": text for i, text in enumerate(drive_every_page_in_apptest())}
        produced["logs of the AppTest run"] = logs.text
        produced["st.cache_data and st.cache_resource"] = cache_contents()
        assert len(logs.text) > 0
    assert_no_leak(produced)


@pytest.mark.browser
@pytest.mark.timeout(600)
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed (make test installs it)")
def test_no_secret_in_anything_the_app_produces_in_the_browser(monkeypatch, tmp_path):
    """The demo and the journey under `streamlit run` in Chromium: each page's DOM, every download, the server log."""
    from tests.browser_support import StreamlitApp

    produced = {}
    with live_deployment(monkeypatch) as (env, _):
        downloads = tmp_path / "downloads"
        downloads.mkdir()
        app = StreamlitApp(env, log_level="debug")
        try:
            for i, dom in enumerate(drive_the_browser(app.url, downloads)):
                produced[f"browser page {i}"] = dom
        finally:
            produced["streamlit server log"] = app.stop()
        files = file_texts(downloads)
        assert {name.rsplit(".", 1)[-1] for name in files} == {"csv", "json", "pdf"}, files.keys()
        produced.update({f"download {name}": text for name, text in files.items()})
        assert "SITI RAHAYU" in produced["browser page 1"]  # the scan looks at real content
    assert_no_leak(produced)
