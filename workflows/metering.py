"""Live calls under the server's budget and into its audit trail.

``Meter`` is the server's (one per process, shared by every session): the daily budget
(``workflows.budget``) and the audit trail (``workflows.audit``). ``metered`` wraps one
session's live client so that every billed call (``extract``, ``verify``) first takes its
place in the budget, then is sent, then is written to the audit trail. A connection test is
not billed, and passes straight through.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from kyc.errors import KycError
from kyc.income import IncomeClient, IncomeRequest, IncomeResult
from kyc.npwp import NpwpClient, NpwpResult
from workflows import budget, state_files
from workflows.audit import AuditTrail
from workflows.budget import DailyBudget, Usage

T = TypeVar("T")


@dataclass(frozen=True)
class Meter:
    """The server's daily budget and audit trail of live calls."""

    budget: DailyBudget
    audit: AuditTrail
    bad_limit: str | None = None  # a KYC_LIVE_DAILY_LIMIT that is not a whole number, as given
    limit_unreadable: bool = False  # the limit may be in a secrets.toml that cannot be read

    @classmethod
    def from_environment(cls, environ: Mapping[str, str], limit_unreadable: bool = False) -> Meter:
        """``KYC_LIVE_DAILY_LIMIT`` and ``KYC_STATE_DIR`` as ``environ`` sets them; with
        ``limit_unreadable``, a limit of 0 (every live call held) whatever ``environ`` says."""
        folder = state_files.state_dir(environ)
        limit, bad_limit = (0, None) if limit_unreadable else budget.limit_from(environ)
        return cls(DailyBudget(folder, limit), AuditTrail(folder), bad_limit, limit_unreadable)

    def limit_problem(self) -> tuple[str, dict[str, str]] | None:
        """Why the limit itself holds every live call (a message template and its values), or None."""
        if self.limit_unreadable:
            return budget.LIMIT_UNREADABLE, {}
        if self.bad_limit is not None:
            return budget.BAD_LIMIT, {"value": self.bad_limit}
        return None

    @property
    def folder(self) -> Path:
        return self.budget.path.parent

    def usage(self, api: str) -> Usage | None:
        return self.budget.usage(api)

    def call(self, api: str, session: str, send: Callable[[], T]) -> T:
        """Send one live call of ``api`` for ``session`` (a hash): counted first, audited after.

        Raises ``budget.BudgetError`` before anything is sent when the day's budget is used up.
        """
        self.budget.take(api)
        started = time.perf_counter()
        try:
            result = send()
        except KycError as error:
            if error.record is None:  # refused before any byte left the app: not billed
                self.budget.give_back(api)
                raise
            status = error.record.status if error.record.status is not None else error.http_status
            self.audit.record(api, error.code, status, _elapsed(error.record, started), session)
            raise
        except BaseException:
            # An unexpected failure inside the client: whether it was sent is unknown, so it
            # stays counted (the safe side of a budget) and is written as "unknown".
            self.audit.record(api, "unknown", None, (time.perf_counter() - started) * 1000, session)
            raise
        record = getattr(result, "record", None)
        self.audit.record(
            api,
            getattr(record, "outcome", None) or "ok",
            getattr(record, "status", None),
            _elapsed(record, started),
            session,
        )
        return result


def _elapsed(record: Any, started: float) -> float:
    elapsed = getattr(record, "elapsed_ms", 0.0) or 0.0
    return elapsed if elapsed > 0 else (time.perf_counter() - started) * 1000


class MeteredNpwpClient:
    """An ``NpwpClient`` whose ``extract`` goes through the server's ``Meter``."""

    def __init__(self, client: NpwpClient, meter: Meter, session: str) -> None:
        self._client, self._meter, self._session = client, meter, session

    def extract(self, data: bytes, filename: str) -> NpwpResult:
        return self._meter.call("npwp", self._session, lambda: self._client.extract(data, filename))

    def __getattr__(self, name: str) -> Any:  # url, scenario, test_connection, close, ...
        return getattr(self._client, name)

    def __repr__(self) -> str:
        return f"Metered{self._client!r}"


class MeteredIncomeClient:
    """An ``IncomeClient`` whose ``verify`` goes through the server's ``Meter``."""

    def __init__(self, client: IncomeClient, meter: Meter, session: str) -> None:
        self._client, self._meter, self._session = client, meter, session

    def verify(self, req: IncomeRequest) -> IncomeResult:
        return self._meter.call("income", self._session, lambda: self._client.verify(req))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def __repr__(self) -> str:
        return f"Metered{self._client!r}"


def metered(client: NpwpClient | IncomeClient, meter: Meter, session: str) -> Any:
    """``client`` with its billed calls under ``meter``, for ``session`` (a hash)."""
    if isinstance(client, NpwpClient):
        return MeteredNpwpClient(client, meter, session)
    return MeteredIncomeClient(client, meter, session)
