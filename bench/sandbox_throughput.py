"""Sandbox income throughput: 8 client threads, each with its own keep-alive session."""

from __future__ import annotations

import threading

import requests

from bench.client_overhead import APPLICANT
from bench.common import Row, run_together
from kyc.settings import INCOME_PATH, SANDBOX_PARTNER_CODE, SANDBOX_PARTNER_KEY

THREADS = 8
PER_THREAD = 250


def run(sandbox_url: str) -> list[Row]:
    url = sandbox_url + INCOME_PATH
    params = {"partner_code": SANDBOX_PARTNER_CODE, "partner_key": SANDBOX_PARTNER_KEY}
    payload = APPLICANT.to_payload()
    failures: list[int] = []
    start = threading.Barrier(THREADS + 1)

    def worker() -> None:
        session = requests.Session()
        start.wait()
        for _ in range(PER_THREAD):
            response = session.post(url, params=params, json=payload, timeout=10)
            if response.status_code != 200 or response.json().get("code") != 200:
                failures.append(response.status_code)

    seconds = run_together([worker] * THREADS, start)
    rate = THREADS * PER_THREAD / seconds
    note = f"{THREADS * PER_THREAD} requests, {len(failures)} failed"
    return [
        Row(
            f"sandbox income throughput, {THREADS} client threads",
            f"{rate:.0f} req/s",
            note,
            None,
            ">= 300 req/s",
            rate >= 300 and not failures,
        )
    ]
