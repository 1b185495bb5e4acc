"""Is the active backend answering? One quick request, never a billable one."""

from __future__ import annotations

import time
from dataclasses import dataclass

import requests


@dataclass(frozen=True)
class Health:
    ok: bool
    detail: str
    elapsed_ms: float


def check(url: str, timeout: float = 2.0) -> Health:
    """GET ``url`` (the sandbox's /health, or a vendor's root) and say how it went.

    Any HTTP answer from a live vendor's root, even 404, proves it is reachable; for the
    sandbox's /health the caller asks for a 200.
    """
    started = time.perf_counter()
    try:
        response = requests.get(url, timeout=(timeout, timeout), allow_redirects=False)
    except requests.Timeout:
        return Health(False, "no answer in time", (time.perf_counter() - started) * 1000)
    except requests.RequestException:
        return Health(False, "unreachable", (time.perf_counter() - started) * 1000)
    elapsed = (time.perf_counter() - started) * 1000
    return Health(response.status_code < 500, f"HTTP {response.status_code}", elapsed)
