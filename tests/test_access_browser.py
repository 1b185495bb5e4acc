"""A shared server in real Chromium: with an access code, every page and deep link shows only the
sign-in form until the code is typed; with a daily limit of 2, the third live call is refused
before it is sent, a live batch asks first and shows the budget, and the count is still there
after the server restarts."""

from __future__ import annotations

import os

import pytest

from tests.browser_support import CHROMIUM, VIEWPORT, StreamlitApp, no_error_on, settle, shot
from tests.live_double import Account, live_env, serve

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed (make test installs it)"),
]

CODE = "demo-Surabaya-7731"
PAGES = {  # path -> what the page shows once signed in
    "": "A one-minute demo",
    "/npwp": "Upload an NPWP card",
    "/income": "Verify income",
    "/journey": "1 · The NPWP card",
    "/batch": "Download the template CSV",
    "/history": "No calls yet in this session",
}
ACCOUNT = Account("APPID-shared-88", "VHKEY-shared-SECRET-5e21", "PCODE-shared-88", "TDKEY-shared-SECRET-a9d3")


@pytest.fixture(scope="module")
def guarded_app():
    app = StreamlitApp({"KYC_ACCESS_CODE": CODE})
    yield app
    output = app.stop()
    assert "Traceback" not in output and CODE not in output, output[-3000:]


def new_page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(60_000)
    return context, page


def sign_in(page, code: str) -> None:
    box = page.get_by_label("Access code")
    box.fill(code)
    page.get_by_role("button", name="Sign in").click()
    settle(page)


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_and_deep_link_shows_only_the_sign_in_form_until_the_code_is_typed(guarded_app, browser, path):
    context, page = new_page(browser)
    try:
        page.goto(guarded_app.url + path)
        page.get_by_label("Access code").wait_for()
        settle(page)
        assert page.get_by_label("Access code").get_attribute("type") == "password"
        assert (
            page.locator('[data-testid="stSidebar"]').count() == 0 or not page.locator('[data-testid="stSidebar"]').is_visible()
        )
        text = page.locator("body").inner_text()
        for after in PAGES.values():
            assert after not in text, f"{after!r} drawn before sign-in on {path or '/'}"
        if path == "/npwp":
            shot(page, "sign-in")

        sign_in(page, "not-the-code")
        page.get_by_text("That is not the access code").wait_for()
        assert page.get_by_label("Access code").input_value() == "", "the box is cleared after each try"
        assert PAGES[path] not in page.locator("body").inner_text()

        sign_in(page, CODE)
        page.get_by_text(PAGES[path]).first.wait_for()  # the page the link named, not Home
        no_error_on(page)
        assert CODE not in page.locator("body").inner_text()
    finally:
        context.close()


def test_a_second_browser_is_not_signed_in_by_the_first(guarded_app, browser):
    first, a = new_page(browser)
    second, b = new_page(browser)
    try:
        a.goto(guarded_app.url + "/npwp")
        sign_in(a, CODE)
        a.get_by_text("Upload an NPWP card").wait_for()
        b.goto(guarded_app.url + "/npwp")
        b.get_by_label("Access code").wait_for()
        settle(b)
        assert "Upload an NPWP card" not in b.locator("body").inner_text()
    finally:
        first.close()
        second.close()


def sidebar_text(page) -> str:
    return page.locator('[data-testid="stSidebar"]').inner_text()


def extract_sample(page) -> None:
    page.get_by_role("button", name="16-digit NPWP (PNG)").click()
    page.get_by_text("Dimensions").wait_for()
    page.get_by_role("button", name="Extract NPWP").click()
    settle(page)


def spent_for_today(page) -> None:
    """The day's budget is spent: Extract is off, with the reason beside it."""
    page.get_by_role("button", name="16-digit NPWP (PNG)").click()
    page.get_by_text("Dimensions").wait_for()
    page.get_by_text("Today's budget of 2 live Verihubs calls on this server is used up").wait_for()
    playwright.expect(page.get_by_role("button", name="Extract NPWP")).to_be_disabled()


def signed_in_on_npwp(browser, app):
    context, page = new_page(browser)
    page.goto(app.url + "/npwp")
    sign_in(page, CODE)
    page.get_by_text("Upload an NPWP card").wait_for()
    return context, page


def test_a_daily_limit_of_two_refuses_the_third_live_call_and_survives_a_restart(browser, tmp_path):
    double, vendor = serve(ACCOUNT)
    env = {**live_env(ACCOUNT, vendor.url), "KYC_LIVE_DAILY_LIMIT": "2", "KYC_STATE_DIR": str(tmp_path), "KYC_ACCESS_CODE": CODE}
    sent = lambda: [path for path, _ in double.calls if path != "/"]  # noqa: E731
    try:
        app = StreamlitApp(env)
        try:
            context, page = signed_in_on_npwp(browser, app)
            assert "live calls today: 0 of 2" in sidebar_text(page)
            for expected in ("1 of 2", "2 of 2"):
                extract_sample(page)
                page.get_by_text("DEWI LESTARI").first.wait_for()
                page.get_by_text(f"live calls today: {expected}").first.wait_for()
            spent_for_today(page)
            assert len(sent()) == 2, "the third call never reached the vendor"
            shot(page, "live-budget-used-up")

            # A live batch asks first, with the budget; confirmed, it sends what the budget holds.
            from workflows.applicant_file import template_csv

            # (the sidebar's link: a new page load would be a new session, signed out)
            page.locator('[data-testid="stSidebar"]').get_by_role("link", name="Batch").click()
            page.get_by_text("Download the template CSV").wait_for()
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
                files=[{"name": "applicants.csv", "mimeType": "text/csv", "buffer": template_csv()}]
            )
            page.get_by_role("button", name="Verify 2 applicants").click()
            page.get_by_text("This batch makes 2 billed calls to TD.").wait_for()
            page.get_by_text("Today's budget on this server has 2 of 2 calls left.").wait_for()
            assert len(sent()) == 2, "nothing is sent before the confirmation"
            settle(page)
            shot(page, "live-batch-confirm")
            page.get_by_role("button", name="Send 2 billed calls").click()
            page.get_by_text("2 sent, 0 not sent.").wait_for()
            page.get_by_text("TD · live calls today: 2 of 2").first.wait_for()
            assert len(sent()) == 4
            no_error_on(page)
            context.close()
        finally:
            assert "Traceback" not in app.stop()

        again = StreamlitApp(env)  # a restart: a new process on the same state folder
        try:
            context, page = signed_in_on_npwp(browser, again)
            assert "Verihubs · live calls today: 2 of 2" in sidebar_text(page)
            assert "TD · live calls today: 2 of 2" in sidebar_text(page)
            spent_for_today(page)
            assert len(sent()) == 4
            context.close()
        finally:
            assert "Traceback" not in again.stop()
    finally:
        vendor.stop()
