"""Many people on one server: real Chromium sessions against `streamlit run`, and a 10 MB upload.

Each figure comes from a fresh server, so its peak RSS (VmHWM) belongs to that run alone:
- one demo session (three times in a row), the baseline;
- ten demo sessions at the same time (tests/browser_flow.py: open page, extract a card,
  verify income, open history), median and worst time per action;
- one session uploading 10 MB images one after another: the server's RSS before and after each,
  in copies of the file, with the allocator set as `make run` sets it and with glibc's default.
"""

from __future__ import annotations

import io
import statistics

import numpy as np
from PIL import Image

from bench.common import Row
from tests.browser_flow import ACTIONS, SessionRun, run_sessions
from tests.browser_support import StreamlitApp

SESSIONS = 10
MAKE_RUN_ENV = {"MALLOC_ARENA_MAX": "1"}  # as the Makefile starts the app
UPLOADS = 4


def _mb(kib: int) -> float:
    return kib / 1024


def _runs(count: int, rounds: int = 1) -> tuple[list[SessionRun], int]:
    """Run ``rounds`` batches of ``count`` concurrent sessions on one new server; (runs, peak RSS KiB)."""
    with StreamlitApp(MAKE_RUN_ENV) as app:
        runs = []
        for _ in range(rounds):
            runs += run_sessions(app.url, count)
        return runs, app.memory_kb()[1]


def noise_png(seed: int = 7, size_bytes: int = 10 * 1024 * 1024) -> bytes:
    """An incompressible PNG of about ``size_bytes``: random pixels, so PNG cannot shrink it."""
    side = int((size_bytes / 3) ** 0.5)
    pixels = np.random.default_rng(seed).integers(0, 256, (side, side, 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "PNG", compress_level=1)
    return out.getvalue()


def upload_memory(uploads: int = UPLOADS, env: dict[str, str] | None = None) -> tuple[int, int, list[int], int]:
    """One session uploads ``uploads`` different 10 MB images, one after the other.

    Returns (file bytes, RSS before KiB, RSS after each upload KiB, peak RSS KiB). If the server
    kept every file, RSS would climb by a file's size (or more) per upload; if it keeps only the
    current one, it levels off after the first.
    """
    from playwright.sync_api import sync_playwright

    from tests.browser_support import VIEWPORT, launch, settle

    files = [noise_png(seed) for seed in range(uploads)]
    after = []
    with StreamlitApp(env) as app, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_context(viewport=VIEWPORT).new_page()
        page.set_default_timeout(120_000)
        page.goto(app.url + "/npwp")
        page.get_by_text("Upload an NPWP card").wait_for()
        settle(page)
        before, _ = app.memory_kb()
        for index, data in enumerate(files):
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
                files=[{"name": f"big-card-{index}.png", "mimeType": "image/png", "buffer": data}]
            )
            page.get_by_text(f"big-card-{index}.png").first.wait_for()
            page.get_by_text("Shrink to fit 5 MB").first.wait_for()
            settle(page)
            page.wait_for_timeout(1000)
            after.append(app.memory_kb()[0])
        peak = app.memory_kb()[1]
        browser.close()
    return len(files[0]), before, after, peak


def run() -> list[Row]:
    alone, alone_peak = _runs(1, rounds=3)
    crowd, crowd_peak = _runs(SESSIONS)
    rows = []
    for action in ACTIONS:
        base = statistics.median(run.seconds[action] for run in alone)
        times = [run.seconds[action] for run in crowd]
        median, worst = statistics.median(times), max(times)
        rows.append(
            Row(
                f"browser, {action}: median of {SESSIONS} concurrent sessions",
                f"{median:.2f} s",
                f"{base:.2f} s alone",
                median / base,
            )
        )
        rows.append(
            Row(
                f"browser, {action}: worst of {SESSIONS} concurrent sessions",
                f"{worst:.2f} s",
                f"{base:.2f} s alone",
                worst / base,
            )
        )
    rows.append(
        Row(
            f"server peak RSS, {SESSIONS} concurrent sessions",
            f"{_mb(crowd_peak):.0f} MB",
            f"{_mb(alone_peak):.0f} MB, one session",
            crowd_peak / alone_peak,
        )
    )
    # As `make run` starts the server (one malloc arena; the GIL serialises most allocation anyway),
    # then with glibc's default (one per thread).
    for label, env in (("make run", MAKE_RUN_ENV), ("glibc default arenas", {"MALLOC_ARENA_MAX": None})):
        size, before, after, peak = upload_memory(UPLOADS, env)
        file_mb = size / 2**20
        for count, rss in ((1, after[0]), (len(after), after[-1])):
            growth = (rss - before) / 1024
            rows.append(
                Row(
                    f"server RSS growth after {count} different {file_mb:.0f} MB upload{'s' if count > 1 else ''} ({label})",
                    f"+{growth:.0f} MB",
                    f"{file_mb:.0f} MB file",
                    growth / file_mb,
                )
            )
    return rows


if __name__ == "__main__":
    from bench.common import print_table

    print_table(run())
