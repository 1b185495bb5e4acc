"""Page speed: each page's rerun in AppTest, the NPWP page with a 40-page PDF against empty, and cold start."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import requests
from streamlit.testing.v1 import AppTest

from bench.common import Row, free_port, median_seconds
from bench.preview import forty_page_pdf

ROOT = Path(__file__).resolve().parent.parent
PAGES = {"home": None, "npwp": "pages/npwp.py", "income": "pages/income.py", "history": "pages/history.py"}


def _page(name: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    if PAGES[name]:
        at.switch_page(PAGES[name]).run()
    return at


def rerun_seconds(at: AppTest) -> float:
    return median_seconds(lambda: at.run(), repeat=9)


def cold_start_seconds() -> float:
    """From `streamlit run` to a healthy /_stcore/health."""
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ),
    )
    try:
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=1).ok:
                    return time.perf_counter() - started
            except requests.RequestException:
                time.sleep(0.02)
            if time.perf_counter() - started > 60:
                raise RuntimeError("streamlit did not become healthy in 60 s")
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def run() -> list[Row]:
    rows = []
    for name in PAGES:
        seconds = rerun_seconds(_page(name))
        rows.append(Row(f"AppTest rerun, {name} page", f"{seconds * 1000:.0f} ms"))
    empty = rerun_seconds(_page("npwp"))
    loaded = _page("npwp")
    pdf = forty_page_pdf(page_size=(595, 842))
    loaded.file_uploader(key="npwp_file").set_value(("statement.pdf", pdf, "application/pdf")).run()
    assert not loaded.error, [e.value for e in loaded.error]
    with_pdf = rerun_seconds(loaded)
    ratio = with_pdf / empty
    rows.append(
        Row(
            f"NPWP page rerun with a 40-page PDF ({len(pdf) // 1024} KB) vs empty",
            f"{with_pdf * 1000:.0f} ms",
            f"{empty * 1000:.0f} ms empty",
            ratio,
            "<= 1.5",
            ratio <= 1.5,
        )
    )
    rows.append(Row("cold start to healthy /_stcore/health", f"{cold_start_seconds():.2f} s"))
    return rows
