"""End to end in a real browser: Debian's Chromium, driven by Playwright, against `streamlit run`.

It does what a salesperson does in a demo: extract a sample card, carry the details to the
income form, verify, and see the chart. Screenshots of each page land in artifacts/screenshots,
and the README's two (the NPWP page after an extraction, the journey's summary) in docs/images.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.browser_support import CHROMIUM, ROOT, VIEWPORT, doc_shot, no_error_on, settle, shot

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed (make test installs it)"),
]


@pytest.fixture(scope="module")
def app_url(streamlit_app):
    return streamlit_app.url


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def test_demo_end_to_end(app_url, page):
    page.goto(app_url)
    page.get_by_text("A one-minute demo").wait_for()
    no_error_on(page)
    shot(page, "1-home")

    page.get_by_role("link", name="NPWP OCR").first.click()
    page.get_by_text("Upload an NPWP card").wait_for()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(ROOT / "sandbox/samples/npwp15-card.png"))
    page.get_by_text("Dimensions").wait_for()
    page.get_by_role("button", name="Extract NPWP").click()
    page.get_by_text("58.761.234.2-017.000").first.wait_for()
    page.get_by_text("Format and check digit valid").wait_for()
    settle(page)
    no_error_on(page)
    doc_shot(page, "npwp", heading="Document")
    shot(page, "2-npwp")

    page.get_by_role("button", name="Use these details for income verification").click()
    page.get_by_role("link", name="Go to income verification").click()
    page.get_by_role("textbox", name="Phone number *").wait_for()
    assert page.get_by_role("textbox", name="Name *").input_value() == "SITI RAHAYU"
    assert page.get_by_role("textbox", name="NIK *").input_value() == "3171014708900003"
    page.get_by_role("textbox", name="Phone number *").fill("081234567890")
    page.get_by_role("button", name="Verify income").click()
    page.get_by_text("Hit", exact=False).first.wait_for()
    page.locator('[data-testid="stVegaLiteChart"], [data-testid="stArrowVegaLiteChart"]').first.wait_for()
    page.get_by_text("Salary band", exact=True).wait_for()
    settle(page)
    no_error_on(page)
    shot(page, "3-income")

    page.get_by_role("link", name="Call history").first.click()
    page.get_by_text("2 of 2 calls shown").wait_for()
    settle(page)
    no_error_on(page)
    shot(page, "4-history")


def test_journey_end_to_end(app_url, page):
    page.goto(app_url + "/journey")
    page.get_by_text("1 · The NPWP card").wait_for()
    page.get_by_role("button", name="NIK as NPWP (JPEG)").click()
    page.get_by_text("Dimensions").wait_for()
    page.get_by_role("button", name="Extract NPWP").click()
    page.get_by_text("NPWP equals the NIK").first.wait_for()
    expect = playwright.expect
    expect(page.get_by_role("textbox", name="Name *")).to_have_value("BUDI SANTOSO")
    expect(page.get_by_role("textbox", name="Birth date")).to_have_value("1985-05-12")
    page.get_by_role("textbox", name="Phone number *").fill("081234567890")
    page.get_by_role("button", name="Verify income").click()
    page.get_by_role("heading", name="4 · Summary").wait_for()
    page.get_by_text("PASS: identity consistent").wait_for()
    page.locator('[data-testid="stVegaLiteChart"], [data-testid="stArrowVegaLiteChart"]').first.wait_for()
    with page.expect_download() as pdf:
        page.get_by_role("button", name="Report (PDF)").click()
    assert pdf.value.suggested_filename == "kyc-journey.pdf"
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")
    settle(page)
    no_error_on(page)
    doc_shot(page, "journey", heading="4 · Summary")
    shot(page, "5-journey")


def test_batch_page_runs_the_template(app_url, page):
    from workflows.applicant_file import template_csv

    page.goto(app_url + "/batch")
    page.get_by_text("Download the template CSV").wait_for()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
        files=[{"name": "applicants.csv", "mimeType": "text/csv", "buffer": template_csv()}]
    )
    page.get_by_text("2 rows ready to send").wait_for()
    page.get_by_role("button", name="Verify 2 applicants").click()
    page.get_by_text("2 sent, 0 not sent.").wait_for()
    page.get_by_role("button", name="Download results (CSV)").wait_for()
    settle(page)
    no_error_on(page)
    shot(page, "6-batch")


def test_typed_markup_shows_as_text_in_the_browser(app_url, page):
    # What only a browser shows: Streamlit's Markdown turns bare URLs and e-mails into links
    # even when every character is escaped, and a <script> must never run. The journey's
    # summary quotes the typed name in Markdown ("Name sent (...) differs from the card").
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(app_url + "/journey")
    page.get_by_role("button", name="NIK as NPWP (JPEG)").click()
    page.get_by_role("button", name="Extract NPWP").click()
    name = page.get_by_role("textbox", name="Name *")
    playwright.expect(name).to_have_value("BUDI SANTOSO")
    typed = "<b>Budi</b> **x** :red[y] $z$ www.evil.example budi@evil.example <script>alert(1)</script>"
    name.fill(typed)
    page.get_by_role("textbox", name="Phone number *").fill("081234567890")
    page.get_by_role("button", name="Verify income").click()
    page.get_by_role("heading", name="4 · Summary").wait_for()
    settle(page)
    main = page.locator('[data-testid="stMain"]')
    assert typed in main.inner_text().replace("\u2060", "")  # quoted in the findings, as typed
    assert main.locator('a[href*="evil.example"], a[href^="mailto:"]').count() == 0
    assert main.locator("script", has_text="alert").count() == 0
    assert main.locator("b, strong", has_text="Budi").count() == 0
    assert main.locator('[class*="ColoredText"], .katex').count() == 0
    assert dialogs == []
    no_error_on(page)


@pytest.mark.ocr  # the app reads the card again with the offline OCR
def test_npwp_overlay_draws_the_fields_on_the_preview(app_url, page):
    expect = playwright.expect
    page.goto(app_url + "/npwp")
    page.get_by_text("Upload an NPWP card").wait_for()
    page.get_by_role("button", name="15-digit NPWP (PNG)").click()
    page.get_by_text("Dimensions").wait_for()
    preview = page.locator('[data-testid="stMain"] [data-testid="stImage"] img').first
    expect(preview).to_be_visible()
    plain = preview.get_attribute("src")
    page.get_by_role("button", name="Extract NPWP").click()
    page.get_by_text("Format and check digit valid").wait_for()
    settle(page)

    page.get_by_text("Show where each field was read", exact=True).click()
    confidence = page.get_by_text(re.compile(r"^Read with \d+% confidence$"))
    unavailable = page.get_by_text("The field overlay is unavailable", exact=False)
    confidence.or_(unavailable).first.wait_for(timeout=120_000)
    if unavailable.count():
        pytest.skip("no offline OCR engine can run here")
    settle(page)
    expect(confidence).to_have_count(4)  # NPWP, name, NIK and address
    for each in confidence.all():
        expect(each).to_be_visible()
    expect(page.get_by_text("KYC Studio's own reading of the card on this computer", exact=False)).to_be_visible()
    # The same place shows another picture, the drawn copy, loaded and captioned as such.
    expect(preview).to_be_visible()
    expect(preview).not_to_have_attribute("src", plain)
    assert preview.evaluate("img => img.complete && img.naturalWidth > 0")
    expect(page.get_by_text("boxes from KYC Studio's own reading", exact=False)).to_be_visible()
    no_error_on(page)
    shot(page, "7-npwp-overlay")


def test_live_mode_by_configuration_stays_live_on_every_page(browser):
    """KYC_MODE=live, nobody touches the Mode radio: every page the sidebar opens is still live."""
    from tests.browser_support import StreamlitApp

    unset = {
        name: None for name in ("VERIHUBS_APP_ID", "VERIHUBS_API_KEY", "INCOME_URL", "INCOME_PARTNER_CODE", "INCOME_PARTNER_KEY")
    }
    app = StreamlitApp({"KYC_MODE": "live", **unset})
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(app.url)
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text("TD: 3 settings missing").wait_for()
        for name in ("NPWP OCR", "Income verification", "KYC journey", "Batch", "Call history", "Home"):
            sidebar.get_by_role("link", name=name).click()
            settle(page)
            sidebar.get_by_text(re.compile("settings missing|Sandbox healthy")).first.wait_for()
            text = sidebar.inner_text()
            assert "TD: 3 settings missing" in text and "Sandbox healthy" not in text, name
        # And a choice made here holds on the next page too.
        sidebar.get_by_text("Sandbox", exact=True).click()
        settle(page)
        sidebar.get_by_role("link", name="Batch").click()
        settle(page)
        sidebar.get_by_text(re.compile("settings missing|Sandbox healthy")).first.wait_for()
        assert "Sandbox healthy" in sidebar.inner_text()
    finally:
        context.close()
        app.stop()


def test_an_indonesian_browser_opens_the_app_in_indonesian(app_url, browser):
    """The language's default comes from the browser (st.context.locale); ?lang=en overrides it."""
    context = browser.new_context(viewport=VIEWPORT, locale="id-ID")
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(app_url)
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_role("link", name="Beranda").wait_for()
        assert "Verifikasi penghasilan" in sidebar.inner_text()
        page.goto(app_url + "/?lang=en")
        sidebar.get_by_role("link", name="Home").wait_for()
    finally:
        context.close()
