"""A pretend live account: the real sandbox behind credentials of the test's choosing.

The sandbox only knows its demo credentials. To run the app in live mode with distinctive,
live-style secrets (and prove they never leak), this WSGI wrapper accepts exactly the
account's own credentials, swaps them for the sandbox's, and passes the request on. Any
other credentials reach the sandbox unchanged, which refuses them as the vendors would.
It also counts which credentials each request carried, so a test can prove who called.
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from sandbox.app import SandboxApp
from sandbox.income_api import PARTNER_CODE, PARTNER_KEY
from sandbox.income_api import PATH as INCOME_PATH
from sandbox.npwp_api import API_KEY, APP_ID
from sandbox.npwp_api import PATH as NPWP_PATH
from sandbox.server import SandboxHandle, build_server


@dataclass(frozen=True)
class Account:
    app_id: str
    api_key: str
    partner_code: str
    partner_key: str


def _same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


@dataclass
class LiveDouble:
    """WSGI app: the sandbox, reachable with ``account``'s credentials."""

    account: Account
    sandbox: SandboxApp
    calls: list[tuple[str, bool]] = field(default_factory=list)  # (path, carried the account's credentials)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        ours = False
        if path == NPWP_PATH:
            ours = _same(environ.get("HTTP_APP_ID"), self.account.app_id) and _same(
                environ.get("HTTP_API_KEY"), self.account.api_key
            )
            if ours:
                environ["HTTP_APP_ID"], environ["HTTP_API_KEY"] = APP_ID, API_KEY
        elif path == INCOME_PATH:
            query = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
            ours = _same(query.get("partner_code"), self.account.partner_code) and _same(
                query.get("partner_key"), self.account.partner_key
            )
            if ours:
                query.update(partner_code=PARTNER_CODE, partner_key=PARTNER_KEY)
                environ["QUERY_STRING"] = urlencode(query)
        with self._lock:
            self.calls.append((path, ours))
        return self.sandbox(environ, start_response)


def serve(account: Account) -> tuple[LiveDouble, SandboxHandle]:
    """Start a double for ``account``; returns (the app, to read its calls; the server, to stop it).

    It is the sandbox's own server (quiet: the query string, partner_key included, is never
    logged) with the double put in front of its app.
    """
    server = build_server()
    double = LiveDouble(account, server.app)
    server.app = double
    return double, SandboxHandle(server)


def live_env(account: Account, url: str) -> dict[str, str]:
    """The environment that points the app's live mode at the double."""
    return {
        "KYC_MODE": "live",
        "VERIHUBS_BASE_URL": url,
        "VERIHUBS_APP_ID": account.app_id,
        "VERIHUBS_API_KEY": account.api_key,
        "INCOME_URL": url + INCOME_PATH,
        "INCOME_PARTNER_CODE": account.partner_code,
        "INCOME_PARTNER_KEY": account.partner_key,
    }
