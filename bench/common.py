"""What every benchmark shares: a sandbox in its own process, timing, and the report table."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import requests


@dataclass
class Row:
    """One line of the report: a measured figure, its baseline, and the target it is held to."""

    name: str
    value: str
    baseline: str = ""
    ratio: float | None = None
    target: str = ""
    met: bool | None = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def sandbox_process(latency_ms: int = 0) -> Iterator[str]:
    """Run ``python -m sandbox`` as its own process, so client and server do not share a GIL."""
    port = free_port()
    cmd = [sys.executable, "-m", "sandbox", "--host", "127.0.0.1", "--port", str(port), "--latency-ms", str(latency_ms)]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONUNBUFFERED": "1"}
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if requests.get(url + "/health", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("the sandbox did not start")
            time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def process_memory_kib(pid: int | str = "self") -> tuple[int, int]:
    """(current RSS, peak RSS) of a process in KiB, from /proc/<pid>/status (Linux).

    The peak is VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over from the parent
    through fork and exec, so a child of a large process would report the parent's peak.
    """
    fields = dict(line.split(":", 1) for line in open(f"/proc/{pid}/status").read().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def run_together(workers: list[Callable[[], None]], start: threading.Barrier) -> float:
    """Run each worker in a thread; they wait on ``start`` (parties = workers + 1) so all begin at once.

    Returns the wall time from the release to the last one finishing.
    """
    threads = [threading.Thread(target=worker) for worker in workers]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began


def median_seconds(action: Callable[[], object], repeat: int = 5) -> float:
    """Median wall time of ``repeat`` runs, after one warm-up run."""
    action()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def print_table(rows: list[Row]) -> None:
    header = ("benchmark", "measured", "baseline", "ratio", "target", "met")
    lines = [header] + [
        (
            r.name,
            r.value,
            r.baseline,
            "" if r.ratio is None else f"{r.ratio:.2f}",
            r.target,
            "" if r.met is None else ("yes" if r.met else "NO"),
        )
        for r in rows
    ]
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    for index, line in enumerate(lines):
        print("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths)).rstrip())
        if index == 0:
            print("  ".join("-" * width for width in widths))


def alternating(actions: tuple[Callable[[], object], ...], calls: int, block: int, warm: int = 20) -> list[float]:
    """Seconds each action took for ``calls`` calls, run in alternating blocks of ``block`` so that
    drift in the machine hits every action alike; ``warm`` calls of each first, untimed."""
    for action in actions:
        for _ in range(warm):
            action()
    spent = [0.0] * len(actions)
    for _ in range(calls // block):
        for i, action in enumerate(actions):
            started = time.perf_counter()
            for _ in range(block):
                action()
            spent[i] += time.perf_counter() - started
    return spent


def ms_per_call(seconds: float, calls: int) -> str:
    return f"{seconds / calls * 1000:.2f} ms/call"
