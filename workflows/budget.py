"""The server's daily budget of live (billed) calls: at most ``KYC_LIVE_DAILY_LIMIT`` per API a day.

Days are WIB days (midnight in Jakarta starts a new count). The count lives in
``live-calls.json`` under the state folder (``workflows.state_files``), so a restart keeps it,
and every sessions' calls on this server share it. A call takes its place in the count before
it is sent; a call the day's budget cannot hold is refused before anything leaves the app.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kyc.errors import KycError
from workflows import clock
from workflows.i18n import N_, translator
from workflows.state_files import locked, write_atomically

ENV_VAR = "KYC_LIVE_DAILY_LIMIT"
FILE_NAME = "live-calls.json"
APIS = ("npwp", "income")
#: Each API as the budget's messages name it.
API_NAMES = {"npwp": N_("Verihubs NPWP OCR"), "income": N_("TD income verification")}
REACHED_CODE = "DAILY_LIMIT"
UNCOUNTED_CODE = "BUDGET_UNREADABLE"
REACHED = N_(
    "Today's budget of live {api} calls on this server is used up ({limit} of {limit}): nothing was sent. "
    "It starts again at midnight WIB; whoever runs this server can raise KYC_LIVE_DAILY_LIMIT."
)
UNCOUNTED = N_(
    "Live calls are held: this server cannot keep its count of today's live calls ({reason}), so nothing was sent. "
    "Ask whoever runs it to check the folder KYC_STATE_DIR names."
)
BAD_LIMIT = N_(
    "KYC_LIVE_DAILY_LIMIT must be a whole number of calls (0 or more), not “{value}”: live calls are refused until it is fixed."
)
LIMIT_UNREADABLE = N_(
    "KYC_LIVE_DAILY_LIMIT may be set in a .streamlit/secrets.toml that cannot be read or parsed: "
    "live calls are refused until the file is fixed."
)
UNREADABLE_FILE = N_("its file cannot be read")
CANNOT_WRITE = N_("its folder cannot be read or written")
_SAID_IN_WORDS = ("api", "reason")  # values that are sentences of the catalog, not names or numbers
log = logging.getLogger("kyc.budget")


class BudgetError(KycError):
    """A live call refused before it was sent: the day's budget is used up, or cannot be counted.

    ``stops_batch``: a batch stops here, and its unsent rows say why.
    """

    stops_batch = True

    def __init__(self, code: str, template: str, **params: Any) -> None:
        super().__init__(code, _fill(template, "en", params), retryable=False)
        self.template, self.params = template, dict(params)

    def message_in(self, lang: str) -> str:
        return _fill(self.template or "", lang, self.params)


def _fill(template: str, lang: str, params: Mapping[str, Any]) -> str:
    words = translator(lang)
    said = {k: words.gettext(v) if k in _SAID_IN_WORDS else v for k, v in params.items()}
    return words.gettext(template).format(**said)


def limit_from(environ: Mapping[str, Any]) -> tuple[int | None, str | None]:
    """(the daily limit or None when none is set, None), or (0, the value as given) for a value
    that is not a whole number: a typo must hold live calls, never lift the limit (``BAD_LIMIT``)."""
    raw = str(environ.get(ENV_VAR, "")).strip()
    if not raw:
        return None, None
    if re.fullmatch(r"[0-9]+", raw):
        return int(raw), None
    return 0, raw


@dataclass(frozen=True)
class Usage:
    """One API's live calls today: how many, out of how many (None: no limit)."""

    used: int
    limit: int | None

    @property
    def left(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.used, 0)


class DailyBudget:
    """The day's count of live calls per API, in a file shared by every session and process."""

    def __init__(self, folder: Path, limit: int | None, today: Callable[[], dt.date] = lambda: clock.now().date()) -> None:
        self.path = Path(folder) / FILE_NAME
        self.limit = limit
        self._today = today

    def _read(self, day: str) -> dict[str, int]:
        """``day``'s counts (zero on a new day). Raises OSError or ValueError when the file is unreadable."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        data = json.loads(text)
        if not isinstance(data, dict) or not isinstance(data.get("calls", {}), dict):
            raise ValueError("not a count of calls")
        if data.get("day") != day:
            return {}
        calls = data.get("calls", {})
        if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in calls.values()):
            raise ValueError("not a count of calls")
        return {str(k): v for k, v in calls.items()}

    def _write(self, day: str, calls: dict[str, int]) -> None:
        write_atomically(self.path, json.dumps({"day": day, "calls": calls}, sort_keys=True) + "\n")

    def usage(self, api: str) -> Usage | None:
        """Today's usage of ``api``; None when the count cannot be read (the reason goes to the log)."""
        try:
            with locked(self.path):
                return Usage(self._read(self._today().isoformat()).get(api, 0), self.limit)
        except (OSError, ValueError) as error:
            log.error("the live-call count in %s cannot be read: %s", self.path, type(error).__name__)
            return None

    def take(self, api: str) -> None:
        """Count one live call of ``api`` before it is sent. Raises ``BudgetError`` when the day's
        budget is used up, or when a limit is set and the count cannot be kept."""
        try:
            with locked(self.path):
                day = self._today().isoformat()  # once: a call at midnight counts on one day only
                calls = self._read(day)
                used = calls.get(api, 0)
                if self.limit is not None and used >= self.limit:
                    raise BudgetError(REACHED_CODE, REACHED, api=API_NAMES.get(api, api), limit=self.limit)
                calls[api] = used + 1
                self._write(day, calls)
        except (OSError, ValueError) as error:
            log.error("the live-call count in %s cannot be kept: %s", self.path, type(error).__name__)
            if self.limit is not None:  # a limit that cannot be counted holds every call
                reason = UNREADABLE_FILE if isinstance(error, ValueError) else CANNOT_WRITE
                raise BudgetError(UNCOUNTED_CODE, UNCOUNTED, reason=reason) from None

    def give_back(self, api: str) -> None:
        """Uncount one call of ``api`` that was never sent (it failed before any byte left the app)."""
        try:
            with locked(self.path):
                day = self._today().isoformat()
                calls = self._read(day)
                if calls.get(api, 0) > 0:
                    calls[api] -= 1
                    self._write(day, calls)
        except (OSError, ValueError) as error:
            log.error("the live-call count in %s cannot be kept: %s", self.path, type(error).__name__)
