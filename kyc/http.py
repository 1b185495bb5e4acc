"""The one HTTP path both clients share: a reused session, a careful retry policy, and a
redacted ``CallRecord`` of every call.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import logging
import re
import shlex
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError, ReadTimeoutError

from kyc.errors import KycError
from kyc.redact import MASK, guard_library_logs, scrub

log = logging.getLogger("kyc.http")
guard_library_logs()

Timeout = float | tuple[float, float]
DEFAULT_TIMEOUT: tuple[float, float] = (3.05, 30.0)  # (connect, read) seconds
RETRY_STATUSES = frozenset({502, 503, 504})
MAX_RETRIES = 2
RESPONSE_TEXT_LIMIT = 2_000  # how much of a non-JSON body a record keeps


def as_timeout(timeout: Timeout | None) -> tuple[float, float]:
    """Normalise a single number or a (connect, read) pair into a (connect, read) pair."""
    if timeout is None:
        return DEFAULT_TIMEOUT
    if isinstance(timeout, (int, float)):
        return (min(float(timeout), DEFAULT_TIMEOUT[0]), float(timeout))
    connect, read = timeout
    return (float(connect), float(read))


@dataclass
class CallRecord:
    """What one call sent and got back, safe to show and export: secrets are already masked."""

    api: str
    method: str
    url: str
    headers: dict[str, str]
    body: Any
    status: int | None = None
    elapsed_ms: float = 0.0
    response: Any = None
    attempts: int = 0
    started_at: str = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
    call_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    outcome: str = ""  # filled in by the client: "hit", "detected", "OCR_40001", ...

    def as_curl(self) -> str:
        """A cURL command that repeats the call, with each secret left as an environment variable."""
        parts = ["curl", "-X", self.method, _curl_url(self.url)]
        for name, value in self.headers.items():
            if value == MASK:
                parts += ["-H", f"'{name}: '\"${_env_name(name)}\""]
            else:
                parts += ["-H", shlex.quote(f"{name}: {value}")]
        upload = self.body.get("image") if isinstance(self.body, dict) else None
        if isinstance(upload, dict):  # multipart: the file is named, never inlined
            parts += ["-F", shlex.quote(f"image=@{upload['filename']};type={upload['content_type']}")]
        elif self.body is not None:
            parts += ["--data", shlex.quote(json.dumps(self.body, ensure_ascii=False))]
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready copy for history and exports."""
        return {
            "call_id": self.call_id,
            "started_at": self.started_at,
            "api": self.api,
            "method": self.method,
            "url": self.url,
            "headers": dict(self.headers),
            "body": self.body,
            "status": self.status,
            "elapsed_ms": round(self.elapsed_ms, 1),
            "attempts": self.attempts,
            "outcome": self.outcome,
            "response": self.response,
        }


_ENV_NAMES = {"api-key": "VERIHUBS_API_KEY", "partner_key": "INCOME_PARTNER_KEY"}


def _env_name(name: str) -> str:
    return _ENV_NAMES.get(name.lower(), name.upper().replace("-", "_"))


def _curl_url(url: str) -> str:
    """Quote the URL for a shell, turning each masked query value into its environment variable."""
    out, pos = [], 0
    for match in re.finditer(r"[?&]([^=&?]+)=" + re.escape(MASK), url):
        out.append(shlex.quote(url[pos : match.end() - len(MASK)]))
        out.append(f'"${_env_name(match.group(1))}"')
        pos = match.end()
    if pos < len(url):
        out.append(shlex.quote(url[pos:]))
    return "".join(out)


def _read_timed_out(exc: requests.ConnectionError) -> bool:
    reason = exc.args[0] if exc.args else None
    return isinstance(reason, ReadTimeoutError) or isinstance(getattr(reason, "reason", None), ReadTimeoutError)


def _connection_not_made(exc: requests.ConnectionError) -> bool:
    """True only where the request provably never reached the server.

    requests wraps urllib3's errors; a NewConnectionError (refused, unreachable) or a connect
    timeout means no byte of the request left this machine. Anything else (a reset after
    sending, a dropped keep-alive) may have reached the vendor and been billed.
    """
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, (NewConnectionError, ConnectTimeoutError))


class Transport:
    """One ``requests.Session`` per client, with connection reuse and a retry policy that never bills twice.

    Retry policy: at most ``MAX_RETRIES`` more attempts, with exponential backoff, and only
      * when the connection could not be made at all (refused, unreachable, connect timeout):
        nothing was sent, so nothing was billed;
      * on 502, 503 and 504, as the project's policy asks: a gateway or load balancer answered,
        not the vendor's service. (A 504 can mean the gateway did forward the request and the
        vendor is still working on it, so this retry is the one place a double bill is possible;
        both vendors' own status tables list neither code.)
    Never on 4xx (the request is wrong and stays wrong), on 500 (the vendor's service ran and
    may have billed), or on a read timeout (the vendor may still be working on it).
    """

    def __init__(self, api: str, timeout: Timeout | None = None, secrets: Iterable[str] = (), backoff: float = 0.25) -> None:
        self.api = api
        self.timeout = as_timeout(timeout)
        self.backoff = backoff
        self._secrets = tuple(s for s in secrets if s)
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "kyc-studio"
        # urllib3 must not retry on its own: every retry decision is made in send() below.
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=16, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def close(self) -> None:
        self.session.close()

    def send(
        self,
        method: str,
        url: str,
        *,
        record: CallRecord,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> tuple[requests.Response, CallRecord]:
        """Send one request (with policy retries); return the response and its filled-in record.

        Raises ``KycError`` with code TIMEOUT or NETWORK when no response came back.
        """
        started = time.perf_counter()
        failure: KycError | None = None
        response: requests.Response | None = None
        for attempt in range(MAX_RETRIES + 1):
            record.attempts = attempt + 1
            try:
                response = self.session.request(
                    method, url, params=params, headers=dict(headers or {}), timeout=self.timeout, **kwargs
                )
            except requests.Timeout as exc:
                if isinstance(exc, requests.ConnectTimeout) and attempt < MAX_RETRIES:
                    self._pause(attempt, None)
                    continue
                failure = KycError("TIMEOUT", http_status=None, retryable=True, record=record)
            except requests.ConnectionError as exc:
                if _connection_not_made(exc) and attempt < MAX_RETRIES:
                    self._pause(attempt, None)
                    continue
                # A read timeout while the body arrives comes wrapped as a ConnectionError.
                code = "TIMEOUT" if _read_timed_out(exc) else "NETWORK"
                failure = KycError(code, http_status=None, retryable=True, record=record)
            except requests.RequestException:
                failure = KycError("NETWORK", http_status=None, retryable=True, record=record)
            else:
                if response.status_code in RETRY_STATUSES and attempt < MAX_RETRIES:
                    self._pause(attempt, response)
                    response.close()
                    continue
            break
        record.elapsed_ms = (time.perf_counter() - started) * 1000
        if failure is not None:
            # Raised outside the except block on purpose: the requests exception names the URL,
            # query string included, and must not ride along as __context__ into a traceback.
            record.outcome = failure.code
            record.response = {"error": failure.code}
            self._log(record)
            raise failure
        assert response is not None
        record.status = response.status_code
        return response, record

    def _pause(self, attempt: int, response: requests.Response | None) -> None:
        delay = self.backoff * (2**attempt)
        retry_after = response.headers.get("Retry-After", "") if response is not None else ""
        if retry_after.isdigit():
            delay = max(delay, min(float(retry_after), 5.0))  # honour the server, within reason
        time.sleep(delay)

    def read(self, response: requests.Response) -> tuple[Any, str | None]:
        """The body as JSON (see ``read_json``), with this client's secrets already masked.

        Scrubbing before parsing means a vendor that echoes a key back cannot put it into a
        result field either.
        """
        body, problem = read_json(response)
        try:
            return self.scrub(body), problem
        except RecursionError:  # parsed, but too deep to walk: refuse it rather than show it unscrubbed
            return "", "the JSON in the response was nested too deeply"

    def scrub(self, value: Any) -> Any:
        """Mask any of this client's secrets that appear in ``value``."""
        return scrub(value, self._secrets)

    def finish(self, record: CallRecord, response_value: Any, outcome: str) -> CallRecord:
        """Store the response (already scrubbed by ``read``) and outcome on the record, and log one line."""
        record.response = response_value
        record.outcome = outcome
        self._log(record)
        return record

    def _log(self, record: CallRecord) -> None:
        log.info(
            "%s %s %s -> %s %s in %.0f ms (%d attempt%s)",
            record.api,
            record.method,
            record.url,
            record.status if record.status is not None else "-",
            record.outcome,
            record.elapsed_ms,
            record.attempts,
            "" if record.attempts == 1 else "s",
        )


def read_json(response: requests.Response) -> tuple[Any, str | None]:
    """Parse a body as JSON. Returns (value, None), or (text excerpt, reason) when it is not JSON."""
    raw = response.content or b""
    if not raw.strip():
        return "", "the response body was empty"
    text = _decode(raw, response.encoding)
    try:
        return json.loads(text), None
    except ValueError:
        pass
    except RecursionError:
        return text[:RESPONSE_TEXT_LIMIT], "the JSON in the response was nested too deeply"
    excerpt = text[:RESPONSE_TEXT_LIMIT]
    content_type = response.headers.get("Content-Type", "")
    if "html" in content_type.lower() or text.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
        return excerpt, "an HTML page came back instead of JSON"
    if text.lstrip().startswith(("{", "[")):
        return excerpt, "the JSON in the response was broken or cut short"
    return excerpt, "the response was not JSON"


def _codec(name: str | None) -> str:
    """The body's declared charset if Python knows it; utf-8 for none or a bogus one."""
    try:
        return codecs.lookup(name).name if name else "utf-8"
    except (LookupError, ValueError):  # ValueError: a charset with a NUL in it
        return "utf-8"


def _decode(raw: bytes, charset: str | None) -> str:
    """The body as text in its declared charset, falling back to utf-8.

    The charset comes from the server's Content-Type, so it can name a codec that exists but
    is no text encoding ("charset=base64", "rot13", "zlib": LookupError on decode) or one that
    cannot replace bad bytes ("idna", "undefined": UnicodeError). Found by the property tests
    in tests/test_npwp.py and tests/test_income.py: both escaped the client as a raw exception.
    """
    try:
        return raw.decode(_codec(charset), errors="replace")
    except (LookupError, ValueError):  # UnicodeError is a ValueError
        return raw.decode("utf-8", errors="replace")


def as_text(value: Any) -> str | None:
    """A response field as text: None (or a nested object) stays None, numbers become strings."""
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value).strip()
