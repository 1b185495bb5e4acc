"""Running the real app for browser tests and benchmarks: `streamlit run` in its own process,
Debian's Chromium for Playwright, and small waits that know how Streamlit renders.

Playwright cannot download its own browser here, so it drives /usr/bin/chromium through
``executable_path``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from bench.common import process_memory_kib

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "artifacts" / "screenshots"
DOC_IMAGES = ROOT / "docs" / "images"  # the README's pictures, taken by tests/test_browser.py
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Chromium on a machine without a network: no sandbox (root), no background requests.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1280, "height": 800}
# The whole DOM plus what the inputs hold (a typed value is a property, not in the markup).
EVERYTHING_JS = """() => document.body.innerText + '\\n' + document.documentElement.outerHTML + '\\n'
  + Array.from(document.querySelectorAll('input, textarea')).map(e => e.value).join('\\n')"""
# Streamlit is running a script while this widget is on screen.
RUNNING = '[data-testid="stStatusWidget"]'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StreamlitApp:
    """``streamlit run app.py`` on a free loopback port, its output kept in a file to scan later.

    ``env`` is added to (and overrides) this process's environment; a value of None removes a variable.
    """

    def __init__(self, env: dict[str, str | None] | None = None, *, log_level: str = "info") -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        merged = {**os.environ, "KYC_MODE": "sandbox", "PYTHONUNBUFFERED": "1"}
        merged.pop("KYC_SANDBOX_URL", None)
        for name, value in (env or {}).items():
            if value is None:
                merged.pop(name, None)
            else:
                merged[name] = value
        # A file, not a pipe: a chatty server must never block on a pipe nobody reads yet.
        self._log = tempfile.NamedTemporaryFile(prefix="streamlit-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--logger.level",
                log_level,
            ],
            cwd=ROOT,
            env=merged,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_healthy()

    def _wait_until_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/_stcore/health", timeout=1).ok:
                    return
            except requests.RequestException:
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("streamlit did not start:\n" + self.output()[-2000:])

    def output(self) -> str:
        """Everything the server has printed so far (its log)."""
        return Path(self._log.name).read_text(encoding="utf-8", errors="replace")

    def memory_kb(self) -> tuple[int, int]:
        """(current RSS, peak RSS) of the server process in KiB."""
        return process_memory_kib(self.proc.pid)

    def stop(self) -> str:
        """Stop the server; return its whole log."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        text = self.output()
        os.unlink(self._log.name)
        return text

    def __enter__(self) -> StreamlitApp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def launch(playwright_api):
    """Debian's Chromium, headless, under Playwright (sync or async API object)."""
    return playwright_api.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def settle(page) -> None:
    """Wait until Streamlit has finished the current run."""
    page.wait_for_timeout(300)
    page.wait_for_function(f"() => !document.querySelector('{RUNNING}')", timeout=30_000)


def shot(page, name: str) -> None:
    """The 1280x800 view as a user sees it, and the whole page (Streamlit scrolls inside stMain)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1280, "height": max(800, height)})
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / f"{name}-full.png"))
    page.set_viewport_size(VIEWPORT)


def doc_shot(page, name: str, heading: str | None = None) -> None:
    """A 1280x800 view for the README, saved as docs/images/<name>.png; ``heading`` is scrolled to the top first.

    Only with KYC_DOC_IMAGES=1 (`make screenshots`): the pictures are committed, and every run
    draws new IDs and times, so an ordinary test run leaves them alone.
    """
    if os.environ.get("KYC_DOC_IMAGES") != "1":
        return
    if heading is not None:
        page.get_by_text(heading, exact=True).first.evaluate("element => element.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(400)
    DOC_IMAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOC_IMAGES / f"{name}.png"))


def no_error_on(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Traceback" not in page.inner_text("body")
