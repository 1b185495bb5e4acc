"""Batch engine throughput against a sandbox with vendor-like latency, and its peak memory.

Run as a module for the memory figure: ``python -m bench.batch ROWS URL`` prints the peak RSS
(in KiB) of one process that verifies ROWS generated applicants, so each figure is a clean
process of its own.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator

import requests

from bench.common import Row, process_memory_kib, sandbox_process
from kyc.income import IncomeClient, IncomeRequest
from kyc.settings import INCOME_PATH, SANDBOX_PARTNER_CODE, SANDBOX_PARTNER_KEY
from workflows.batch import count, verify_many

ROWS = 1000
LATENCY_MS = 100


def applicants(n: int) -> Iterator[IncomeRequest]:
    """n valid applicants, made lazily: the engine must not need the whole list in memory."""
    for i in range(n):
        serial, day = i % 9999 + 1, i // 9999 % 28 + 1  # serial never 0000 (that is "no record")
        yield IncomeRequest(name=f"APPLICANT {i}", phone_number="081234567890", id_number=f"317101{day:02d}0885{serial:04d}")


def _raw_sequential(url: str, n: int) -> float:
    params = {"partner_code": SANDBOX_PARTNER_CODE, "partner_key": SANDBOX_PARTNER_KEY}
    session = requests.Session()
    started = time.perf_counter()
    for request in applicants(n):
        session.post(url, params=params, json=request.to_payload(), timeout=(3.05, 30)).json()
    return time.perf_counter() - started


def _engine(url: str, n: int, workers: int) -> tuple[float, dict[str, int]]:
    client = IncomeClient(url, SANDBOX_PARTNER_CODE, SANDBOX_PARTNER_KEY)
    started = time.perf_counter()
    totals = count(verify_many(client, applicants(n), workers=workers))
    return time.perf_counter() - started, totals


def peak_rss_kib(rows: int, url: str) -> int:
    out = subprocess.run(
        [sys.executable, "-m", "bench.batch", str(rows), url], capture_output=True, text=True, check=True, timeout=900
    )
    return int(out.stdout.strip().splitlines()[-1])


def run() -> list[Row]:
    table = []
    with sandbox_process(latency_ms=LATENCY_MS) as sandbox_url:
        url = sandbox_url + INCOME_PATH
        raw = _raw_sequential(url, ROWS)
        raw_rate = ROWS / raw
        for workers in (1, 4, 8):
            seconds, totals = _engine(url, ROWS, workers)
            rate = ROWS / seconds
            ratio = rate / raw_rate
            ok = totals["hit"] + totals["no_record"] == ROWS
            target, met = (">= 5x raw", ratio >= 5 and ok) if workers == 8 else ("", None)
            table.append(
                Row(
                    f"batch engine, {ROWS} rows, {LATENCY_MS} ms latency, {workers} worker{'s' if workers > 1 else ''}",
                    f"{rate:.1f} rows/s",
                    f"{raw_rate:.1f} rows/s raw sequential",
                    ratio,
                    target,
                    met,
                )
            )
    with sandbox_process() as sandbox_url:
        small, large = peak_rss_kib(1_000, sandbox_url + INCOME_PATH), peak_rss_kib(10_000, sandbox_url + INCOME_PATH)
    growth = large / small
    table.append(
        Row(
            "batch engine peak RSS, 10,000 vs 1,000 rows (8 workers)",
            f"{large / 1024:.0f} MiB",
            f"{small / 1024:.0f} MiB",
            growth,
            "flat (<= 1.1)",
            growth <= 1.1,
        )
    )
    return table


def _measure(rows: int, url: str) -> None:
    client = IncomeClient(url, SANDBOX_PARTNER_CODE, SANDBOX_PARTNER_KEY)
    totals = count(verify_many(client, applicants(rows), workers=8))
    assert sum(totals.values()) == rows, totals
    print(process_memory_kib()[1])


if __name__ == "__main__":
    _measure(int(sys.argv[1]), sys.argv[2])
