"""One demo session in a real browser, timed action by action: open the NPWP page, extract a
sample card, carry it to the income form, verify, and open the history.

Many of these run at once (Playwright's async API, one browser context each) for the load
test and for ``make bench``. Each session types its own phone number, so whatever it sees
can be told apart from what the others sent.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import sandbox.samples
from tests.browser_support import EVERYTHING_JS, RUNNING, VIEWPORT

ACTIONS = ("open page", "extract card", "verify income", "open history")


def phone_for(index: int) -> str:
    """A distinct, valid phone number per session: 0812 99 + six digits."""
    return f"081299{index:06d}"


@dataclass
class SessionRun:
    index: int
    name: str  # the card holder this session extracted
    phone: str
    seconds: dict[str, float] = field(default_factory=dict)
    npwp_text: str = ""  # the NPWP page's text after extraction
    income_text: str = ""  # the income page's text and DOM after verification
    history_text: str = ""


async def _settled(page) -> None:
    await page.wait_for_timeout(200)
    await page.wait_for_function(f"() => !document.querySelector('{RUNNING}')", timeout=120_000)


async def demo_session(browser, url: str, index: int) -> SessionRun:
    """Run the demo once in a new browser context; the context is closed afterwards."""
    samples = sandbox.samples.catalogue()
    sample = samples[index % len(samples)]
    run = SessionRun(index, sample.fields["name"], phone_for(index))
    context = await browser.new_context(viewport=VIEWPORT)
    try:
        page = await context.new_page()
        page.set_default_timeout(120_000)

        started = time.perf_counter()
        await page.goto(url + "/npwp")
        await page.get_by_text("Upload an NPWP card").wait_for()
        await _settled(page)
        run.seconds["open page"] = time.perf_counter() - started

        await page.get_by_role("button", name=sample.label).click()
        await page.get_by_text("(by content)").wait_for()  # the document panel is drawn
        await _settled(page)
        started = time.perf_counter()
        await page.get_by_role("button", name="Extract NPWP").click()
        await page.get_by_role("button", name="Use these details for income verification").wait_for()
        await _settled(page)
        run.seconds["extract card"] = time.perf_counter() - started
        run.npwp_text = await page.inner_text("body")

        await page.get_by_role("button", name="Use these details for income verification").click()
        await page.get_by_role("link", name="Go to income verification").click()
        phone = page.get_by_role("textbox", name="Phone number *")
        await phone.wait_for()
        await phone.fill(run.phone)
        started = time.perf_counter()
        await page.get_by_role("button", name="Verify income").click()
        await page.get_by_text("Salary band", exact=True).wait_for()
        await _settled(page)
        run.seconds["verify income"] = time.perf_counter() - started
        run.income_text = await page.evaluate(EVERYTHING_JS)  # the request body sits in the inspector

        started = time.perf_counter()
        await page.get_by_role("link", name="Call history").first.click()
        await page.get_by_text("calls shown").wait_for()
        await _settled(page)
        run.seconds["open history"] = time.perf_counter() - started
        run.history_text = await page.inner_text("body")
    finally:
        await context.close()
    return run


async def _many(url: str, count: int) -> list[SessionRun]:
    from playwright.async_api import async_playwright

    from tests.browser_support import CHROMIUM, CHROMIUM_ARGS

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return list(await asyncio.gather(*(demo_session(browser, url, i) for i in range(count))))
        finally:
            await browser.close()


def run_sessions(url: str, count: int) -> list[SessionRun]:
    """``count`` demo sessions at the same time, each in its own browser context."""
    # In a thread of its own: Playwright's sync API may already run an event loop in this one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _many(url, count)).result()
