"""End to end in a real browser: Debian's Chromium, driven by Playwright, against `streamlit run`.

It does what a salesperson does in a demo: extract a sample card, carry the details to the
income form, verify, and see the chart. Screenshots of each page land in artifacts/screenshots.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Chromium on a machine without a network: no sandbox (root), no background requests.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed (make test installs it)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def app_url():
    port = free_port()
    env = {**os.environ, "KYC_MODE": "sandbox"}
    env.pop("KYC_SANDBOX_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/_stcore/health", timeout=1).ok:
                break
        except requests.RequestException:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("streamlit did not start: " + proc.stdout.read().decode(errors="replace")[-2000:])
    yield url
    proc.terminate()
    try:
        output, _ = proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        output, _ = proc.communicate()
    assert b"Traceback" not in output, output.decode(errors="replace")[-3000:]


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def settle(page) -> None:
    """Wait until Streamlit has finished the current run."""
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)


def shot(page, name: str) -> None:
    """The 1280x800 view as a user sees it, and the whole page (Streamlit scrolls inside stMain)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1280, "height": max(800, height)})
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / f"{name}-full.png"))
    page.set_viewport_size({"width": 1280, "height": 800})


def no_error_on(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Traceback" not in page.inner_text("body")


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
    page.get_by_text("4 · Summary").wait_for()
    page.get_by_text("PASS: identity consistent").wait_for()
    page.locator('[data-testid="stVegaLiteChart"], [data-testid="stArrowVegaLiteChart"]').first.wait_for()
    with page.expect_download() as pdf:
        page.get_by_role("button", name="Report (PDF)").click()
    assert pdf.value.suggested_filename == "kyc-journey.pdf"
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")
    settle(page)
    no_error_on(page)
    shot(page, "5-journey")


def test_batch_page_runs_the_template(app_url, page):
    from kyc.applicant_file import template_csv

    page.goto(app_url + "/batch")
    page.get_by_text("Download the template CSV").wait_for()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
        files=[{"name": "applicants.csv", "mimeType": "text/csv", "buffer": template_csv()}])
    page.get_by_text("2 rows ready to send").wait_for()
    page.get_by_role("button", name="Verify 2 applicants").click()
    page.get_by_text("2 of 2 rows done").wait_for()
    page.get_by_role("button", name="Download results (CSV)").wait_for()
    settle(page)
    no_error_on(page)
    shot(page, "6-batch")
