"""Many people on one demo server: what one browser session types, uploads and sees stays in it.

Real Chromium contexts (separate cookie jars and websockets, as separate people have) against
one `streamlit run`. Credentials are typed into session A's sidebar and point at a pretend
live account (the sandbox behind A's own keys, tests/live_double.py), so the test can also
prove that nobody else ever called the vendor with them.
"""

from __future__ import annotations

import os
import random
import re

import pytest

from bench.ocr_cards import random_spec
from sandbox.samples.generate import draw_card, encode
from tests.browser_flow import phone_for, run_sessions
from tests.browser_support import CHROMIUM, EVERYTHING_JS, VIEWPORT, no_error_on, settle
from tests.live_double import INCOME_PATH, Account, serve

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed (make test installs it)"),
]

ACCOUNT_A = Account("APPID-alpha-5d2e17", "VHKEY-alpha-SECRET-8b41f0", "PCODE-alpha-3c9a44", "TDKEY-alpha-SECRET-e7d215")
A_PHONE, A_EMAIL = "081277553311", "ayu.alpha.only@example.com"
# A's own card: generated, so nothing else in the app knows its holder (the shipped samples are listed on Home).
CARD_A = random_spec(random.Random(20261202), "15-digit")
LIVE_FIELDS = {  # sidebar label -> what A types
    "Verihubs App-ID": ACCOUNT_A.app_id,
    "Verihubs API-Key": ACCOUNT_A.api_key,
    "TD partner_code": ACCOUNT_A.partner_code,
    "TD partner_key": ACCOUNT_A.partner_key,
}


def api_calls(double) -> list[tuple[str, bool]]:
    """The vendor calls the double received (the health badge's probes of "/" aside)."""
    return [call for call in double.calls if call[0] != "/"]


def new_page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(30_000)
    return context, page


def sidebar(page):
    return page.locator('[data-testid="stSidebar"]')


def choose_mode(page, mode: str) -> None:
    sidebar(page).get_by_text(mode, exact=True).click()
    settle(page)


def type_into(page, label: str, value: str) -> None:
    box = sidebar(page).get_by_label(label, exact=True)
    box.fill(value)
    box.press("Enter")
    settle(page)


def everything_on(page) -> str:
    """The rendered text and the whole DOM (attributes and input values included)."""
    return page.evaluate(EVERYTHING_JS)


def test_a_sessions_credentials_uploads_and_calls_stay_in_it(streamlit_app, browser, tmp_path):
    card_file = tmp_path / "ayu-card.png"
    card_file.write_bytes(encode(CARD_A, draw_card(CARD_A)))
    double, vendor = serve(ACCOUNT_A)
    try:
        # --- A: live with its own credentials, one live call, then sandbox calls and an upload.
        context_a, a = new_page(browser)
        a.goto(streamlit_app.url + "/npwp")
        a.get_by_text("Upload an NPWP card").wait_for()
        choose_mode(a, "Live")
        type_into(a, "Verihubs base URL", vendor.url)
        type_into(a, "TD income URL", vendor.url + INCOME_PATH)
        for label, value in LIVE_FIELDS.items():
            type_into(a, label, value)
        a.get_by_role("button", name="16-digit NPWP (PNG)").click()
        a.get_by_text("Dimensions").wait_for()
        a.get_by_role("button", name="Extract NPWP").click()
        a.get_by_text("DEWI LESTARI").first.wait_for()
        assert api_calls(double) == [("/ocr/npwp", True)], "A's live call reached the vendor with A's keys"

        choose_mode(a, "Sandbox")
        a.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(card_file))
        a.get_by_text("Dimensions").wait_for()
        a.get_by_role("button", name="Extract NPWP").click()
        # The sandbox's own OCR reads it; the first read loads the models, slow on a busy CI machine.
        a.get_by_text(CARD_A.npwp).first.wait_for(timeout=120_000)
        a.get_by_role("button", name="Use these details for income verification").click()
        a.get_by_role("link", name="Go to income verification").click()
        a.get_by_role("textbox", name="Phone number *").fill(A_PHONE)
        a.get_by_role("textbox", name="Email").fill(A_EMAIL)
        a.get_by_role("button", name="Verify income").click()
        a.get_by_text("Salary band", exact=True).wait_for()
        settle(a)
        no_error_on(a)
        secrets_of_a = [
            *LIVE_FIELDS.values(),
            vendor.url.split("//")[1],
            A_PHONE,
            A_EMAIL,
            CARD_A.npwp,
            CARD_A.name,
            CARD_A.nik,
            "ayu-card.png",
        ]
        assert A_PHONE in everything_on(a)  # A does see its own values

        # --- B, opened afterwards while A is still connected.
        context_b, b = new_page(browser)
        b.goto(streamlit_app.url)
        b.get_by_text("A one-minute demo").wait_for()
        assert b.get_by_role("radio", name="Sandbox").is_checked()
        seen = []
        for path, ready in (
            ("", "A one-minute demo"),
            ("/npwp", "Upload an NPWP card"),
            ("/income", "Verify income"),
            ("/journey", "1 · The NPWP card"),
            ("/batch", "Download the template CSV"),
            ("/history", "No calls yet in this session"),
        ):
            b.goto(streamlit_app.url + path)
            b.get_by_text(ready).first.wait_for()
            settle(b)
            no_error_on(b)
            seen.append(everything_on(b))
        text = "\n".join(seen)
        leaked = [value for value in secrets_of_a if value in text]
        assert not leaked, f"session B sees session A's {leaked}"

        # B in live mode has empty credential fields and cannot reach the vendor with A's keys.
        b.goto(streamlit_app.url + "/npwp")
        b.get_by_text("Upload an NPWP card").wait_for()
        choose_mode(b, "Live")
        for label in (
            "Verihubs base URL",
            "Verihubs App-ID",
            "Verihubs API-Key",
            "TD income URL",
            "TD partner_code",
            "TD partner_key",
        ):
            assert sidebar(b).get_by_label(label, exact=True).input_value() == ""
        assert re.search(r"Verihubs: \d settings missing", sidebar(b).inner_text())
        b.get_by_role("button", name="16-digit NPWP (PNG)").click()
        b.get_by_text("Dimensions").wait_for()
        # Without its own keys, B cannot even try: the button is off and says why beside it.
        playwright.expect(b.get_by_role("button", name="Extract NPWP")).to_be_disabled()
        b.get_by_text("Live mode needs").first.wait_for()
        settle(b)
        assert api_calls(double) == [("/ocr/npwp", True)], "nothing but A's one call ever reached A's vendor account"
        leaked = [value for value in secrets_of_a if value in everything_on(b)]
        assert not leaked, f"session B sees session A's {leaked}"

        # A, meanwhile, still has everything it had.
        a.get_by_role("link", name="Call history").first.click()
        a.get_by_text("3 of 3 calls shown").wait_for()
        context_a.close()
        context_b.close()
    finally:
        vendor.stop()


@pytest.mark.load
@pytest.mark.timeout(600)
def test_ten_concurrent_sessions_each_see_only_their_own_results(streamlit_app):
    runs = run_sessions(streamlit_app.url, 10)
    phones = {run.phone for run in runs}
    names = {run.name for run in runs}
    assert len(phones) == 10
    for run in runs:
        assert run.name in run.npwp_text, f"session {run.index} lost its own card"
        assert not [other for other in names - {run.name} if other in run.npwp_text], f"session {run.index} sees another card"
        assert run.phone in run.income_text, f"session {run.index} lost its own verification"
        assert not [other for other in phones - {run.phone} if other in run.income_text], (
            f"session {run.index} sees another applicant"
        )
        assert "2 of 2 calls shown" in run.history_text, f"session {run.index} history: {run.history_text[-300:]}"
        assert "Traceback" not in run.npwp_text + run.income_text + run.history_text
        assert set(run.seconds) == {"open page", "extract card", "verify income", "open history"}
    assert phone_for(3) in runs[3].income_text
