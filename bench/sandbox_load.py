"""Sandbox under load: 50 concurrent clients beside 1, both APIs mixed.

Each client is a thread with its own keep-alive ``requests.Session``; all of them start together
(a barrier) and alternate NPWP calls (a shipped sample card, known by its hash, so no OCR) with
income calls (the demo personas). Every answer is checked, so a wrong body counts as an error
like a refused connection or a 5xx. The figures: requests per second, median and worst
latency, and errors, for 50 clients against the same work done by 1 client, as ratios.

    python -m bench.sandbox_load     # on its own, against a sandbox process of its own
"""

from __future__ import annotations

import functools
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import requests

from bench.common import Row, print_table, run_together, sandbox_process
from sandbox import income_api, npwp_api, personas
from sandbox.samples import catalogue

CLIENTS = 50
CALLS_PER_CLIENT = 40  # 2,000 requests for 50 clients
SINGLE_CLIENT_CALLS = 400  # the 1-client baseline: enough calls for a stable median
CARD_FILE = "npwp15-card.png"
TIMEOUT = (3.05, 60)


@dataclass
class Run:
    """What one run measured: per-request latencies, wall time and what went wrong."""

    clients: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)

    @property
    def requests(self) -> int:
        return len(self.latencies) + sum(self.errors.values())

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies) * 1000

    @property
    def worst_ms(self) -> float:
        return max(self.latencies) * 1000


def _calls(sandbox_url: str) -> list[Callable[[requests.Session], None]]:
    """The request mix: one NPWP call, then one income call per persona, each checking its answer."""
    card = next(sample for sample in catalogue() if sample.file == CARD_FILE)
    image = card.read()
    npwp_headers = {"App-ID": npwp_api.APP_ID, "API-Key": npwp_api.API_KEY}
    credentials = {"partner_code": income_api.PARTNER_CODE, "partner_key": income_api.PARTNER_KEY}

    def npwp(session: requests.Session) -> None:
        response = session.post(
            sandbox_url + npwp_api.PATH, headers=npwp_headers, files={"image": (CARD_FILE, image, "image/png")}, timeout=TIMEOUT
        )
        if response.status_code != 200 or response.json()["data"]["result_data"] != card.fields:
            raise AssertionError(f"NPWP HTTP {response.status_code}")

    def income(person: dict) -> Callable[[requests.Session], None]:
        payload = {**person["request"], "id_type": "national_id"}

        def call(session: requests.Session) -> None:
            response = session.post(sandbox_url + income_api.PATH, params=credentials, json=payload, timeout=TIMEOUT)
            if response.status_code != 200 or response.json().get("result") != person["expected"]["result"]:
                raise AssertionError(f"income HTTP {response.status_code}")

        return call

    return [npwp] + [income(person) for person in personas()]


def measure(sandbox_url: str, clients: int, calls_per_client: int) -> Run:
    """``clients`` threads, started together, each making ``calls_per_client`` calls in turn."""
    mix = _calls(sandbox_url)
    run = Run(clients)
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def client(index: int) -> None:
        latencies: list[float] = []
        errors: Counter = Counter()
        with requests.Session() as session:
            start.wait()
            for call in range(calls_per_client):
                action = mix[(index + call) % len(mix)]
                began = time.perf_counter()
                try:
                    action(session)
                except (requests.RequestException, AssertionError, ValueError, KeyError) as exc:
                    errors[type(exc).__name__ if not isinstance(exc, AssertionError) else str(exc)] += 1
                else:
                    latencies.append(time.perf_counter() - began)
        with lock:
            run.latencies += latencies
            run.errors += errors

    run.seconds = run_together([functools.partial(client, index) for index in range(clients)], start)
    return run


def run(sandbox_url: str) -> list[Row]:
    measure(sandbox_url, 4, 10)  # warm-up: first requests, the server's code paths, the client's imports
    one = measure(sandbox_url, 1, SINGLE_CLIENT_CALLS)
    many = measure(sandbox_url, CLIENTS, CALLS_PER_CLIENT)
    label = f"sandbox load, {CLIENTS} concurrent clients vs 1"
    errors = "".join(f", {count} {kind}" for kind, count in many.errors.most_common())
    return [
        Row(
            f"{label}: throughput",
            f"{many.rate:.0f} req/s",
            f"{one.rate:.0f} req/s",
            many.rate / one.rate,
            ">= 1 (no collapse)",
            many.rate >= one.rate,
        ),
        Row(f"{label}: median latency", f"{many.median_ms:.1f} ms", f"{one.median_ms:.1f} ms", many.median_ms / one.median_ms),
        Row(f"{label}: worst latency", f"{many.worst_ms:.0f} ms", f"{one.worst_ms:.0f} ms", many.worst_ms / one.worst_ms),
        Row(
            f"{label}: errors",
            f"{sum(many.errors.values())} of {many.requests}{errors}",
            f"{sum(one.errors.values())} of {one.requests}",
            None,
            "0",
            not many.errors and not one.errors,
        ),
    ]


if __name__ == "__main__":
    with sandbox_process() as url:
        print_table(run(url))
