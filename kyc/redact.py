"""Keeping API-Key and partner_key out of everything a person or a log can see.

Credentials travel as ``Secret`` objects, whose ``str`` and ``repr`` are a mask, so an
f-string or a log line cannot spill them by accident. What goes into a record is
redacted twice: by name (the header or query parameter that carries a key) and by
value (any string that contains a known secret, such as a vendor echoing it back).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MASK = "***"
MIN_SCRUB_LENGTH = 6
SECRET_HEADERS = frozenset({"api-key", "authorization", "x-api-key"})
SECRET_PARAMS = frozenset({"partner_key", "api_key", "apikey", "key"})


class Secret:
    """A credential that never shows itself; call ``reveal()`` at the one place it is sent."""

    __slots__ = ("_value",)

    def __init__(self, value: str | Secret | None = "") -> None:
        self._value = value.reveal() if isinstance(value, Secret) else str(value or "")

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __repr__(self) -> str:
        return f"Secret({MASK if self._value else ''!r})"

    def __str__(self) -> str:
        return MASK if self._value else ""

    def __reduce__(self) -> Any:
        # Pickling (st.session_state may be serialised) keeps the value, but not by accident of str().
        return (Secret, (self._value,))


def redact_headers(headers: dict[str, str]) -> dict[str, str]:
    """Headers with every credential header masked."""
    return {k: (MASK if k.lower() in SECRET_HEADERS and v else v) for k, v in headers.items()}


def redact_url(url: str) -> str:
    """A URL whose credential query parameters are masked (kept readable, not %-encoded)."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = [(k, MASK if k.lower() in SECRET_PARAMS and v else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    query = urlencode(pairs, safe="*")
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def strip_credentials(url: str) -> tuple[str, dict[str, str]]:
    """Split credential query parameters off a URL: (clean URL, {name: value})."""
    parts = urlsplit(url)
    if not parts.query:
        return url, {}
    kept, taken = [], {}
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key.lower() in SECRET_PARAMS or key.lower() == "partner_code":
            taken[key.lower()] = value
        else:
            kept.append((key, value))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(kept), parts.fragment)), taken


def scrub(value: Any, secrets: Iterable[str]) -> Any:
    """Replace every occurrence of a secret inside strings, dict keys and values, and lists.

    Secrets shorter than ``MIN_SCRUB_LENGTH`` are left to the by-name redaction: masking every
    "1234" would also cut into NIKs, phone numbers and addresses.
    """
    needles = [s for s in secrets if s and len(s) >= MIN_SCRUB_LENGTH]
    if not needles:
        return value

    def walk(item: Any) -> Any:
        if isinstance(item, str):
            for needle in needles:
                item = item.replace(needle, MASK)
            return item
        if isinstance(item, dict):
            return {walk(k): walk(v) for k, v in item.items()}
        if isinstance(item, (list, tuple)):
            return [walk(v) for v in item]
        return item

    return walk(value)


_KEY_IN_QUERY = re.compile(r"((?:" + "|".join(sorted(SECRET_PARAMS)) + r")=)[^&\s\"']+", re.IGNORECASE)


class QueryKeyFilter(logging.Filter):
    """Masks credentials in query strings of log lines we do not write ourselves.

    urllib3 logs every request line at DEBUG, and TD's partner_key travels in the query string.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = _KEY_IN_QUERY.sub(lambda m: m.group(1) + MASK, message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


def guard_library_logs() -> None:
    """Attach ``QueryKeyFilter`` to the loggers that print request URLs (idempotent)."""
    # urllib3.util.retry logs each retry with the request URL, which carries TD's partner_key.
    for name in ("urllib3.connectionpool", "urllib3.util.retry", "requests"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, QueryKeyFilter) for f in logger.filters):
            logger.addFilter(QueryKeyFilter())
