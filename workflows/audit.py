"""The audit trail of billed calls: one JSON line per live call in ``audit.jsonl``.

A line says when (WIB), which API, what came of it (an outcome code and the HTTP status), how
long it took, and which session made it, as a hash. It holds no personal data, no file and no
credential: what a bank's auditor may read, and what an operator can count against the
vendors' invoices::

    {"api": "income", "elapsed_ms": 412, "http_status": 200, "outcome": "hit",
     "session": "9f2c41d07a3be815", "time": "2026-12-05T09:14:03+07:00"}   (one line in the file)
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from pathlib import Path
from typing import Any

from kyc.errors import MESSAGES
from workflows import clock
from workflows.budget import REACHED_CODE, UNCOUNTED_CODE
from workflows.state_files import append_line

FILE_NAME = "audit.jsonl"
# An outcome is a code: one the app knows (the clients' words, kyc's error codes, the budget's),
# a prefix and a number ("OCR_200004", "HTTP_401") or a short number (TD's "9061"). Anything
# else is written as "other", so nothing a vendor echoes (a NIK, a name in capitals, an
# e-mail) reaches the file, even as a "code".
_KNOWN = frozenset(
    {"hit", "no_record", "error", "detected", "ok", "unknown", "CONFIG", "INTERNAL", REACHED_CODE, UNCOUNTED_CODE}
) | frozenset(MESSAGES)
_CODE = re.compile(r"[A-Z]{2,10}_[0-9]{1,8}|[0-9]{1,6}")
log = logging.getLogger("kyc.audit")


def session_hash(session_id: str) -> str:
    """A session's id as the audit trail shows it: a hash, so the id itself is never written."""
    return hashlib.sha256(f"kyc-studio-session:{session_id}".encode()).hexdigest()[:16]


def _code(outcome: str | None) -> str:
    text = (outcome or "").strip()
    return text if text in _KNOWN or _CODE.fullmatch(text) else "other"


class AuditTrail:
    """Appends one line per live call; safe with several sessions, threads and processes at once."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / FILE_NAME

    def record(self, api: str, outcome: str | None, http_status: int | None, elapsed_ms: float, session: str) -> None:
        """Write one call's line. The call was made whatever happens here: a write that fails is logged."""
        line: dict[str, Any] = {
            "time": clock.iso(clock.now()),
            "api": api,
            "outcome": _code(outcome),
            "http_status": http_status,
            "elapsed_ms": round(elapsed_ms),
            "session": session,
        }
        try:
            append_line(self.path, json.dumps(line, sort_keys=True))
        except OSError as error:
            log.error("the audit trail %s cannot be written: %s", self.path, type(error).__name__)
