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
from contextvars import ContextVar
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import ConnectionPool
from urllib3.exceptions import ConnectTimeoutError, InvalidHeader, NewConnectionError, ReadTimeoutError
from urllib3.response import BaseHTTPResponse
from urllib3.util import Retry

from kyc.errors import KycError
from kyc.redact import MASK, guard_library_logs, scrub

log = logging.getLogger("kyc.http")
guard_library_logs()

Timeout = float | tuple[float, float]
DEFAULT_TIMEOUT: tuple[float, float] = (3.05, 30.0)  # (connect, read) seconds
RETRY_STATUSES = frozenset({502, 503, 504})
MAX_RETRIES = 2
DEFAULT_BACKOFF = 0.25  # seconds before the first retry; doubled before each further one
RETRY_AFTER_CAP = 5  # seconds: the longest a server's Retry-After may hold up a call
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
    started_at: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
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

    The retry decision itself is made inside urllib3 by ``PolicyRetry`` on the same line (its
    connect errors); this is that line as seen from a requests exception after the fact.
    """
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, (NewConnectionError, ConnectTimeoutError))


# Retries granted (by PolicyRetry.increment) during the current Transport.send(). A context
# variable, not a counter on the adapter or the Retry: batch runs call one client from several
# threads at once, and each thread has its own context, so each send() counts only its own.
_retries_granted: ContextVar[int] = ContextVar("kyc_http_retries_granted", default=0)


class PolicyRetry(Retry):
    """urllib3's ``Retry``, told the few things its constructor cannot say (see ``retry_policy``).

    Build it with ``retry_policy``; urllib3 copies it (``Retry.new``) on every retry, so it
    keeps no state of its own beyond the counts and history urllib3 gives each copy.
    """

    # urllib3 also retries 413, 429 and 503 whenever a Retry-After header comes with them. A 413
    # or 429 is the vendor's own answer (the request arrived, and may be billed), so only the
    # statuses in status_forcelist are retried; Retry-After still sets the pause for those.
    RETRY_AFTER_STATUS_CODES: frozenset[int] = frozenset()

    def _is_connection_error(self, err: Exception) -> bool:
        # urllib3 also counts a failure to reach a *proxy* as a connect error. The policy retries
        # only urllib3's own connect errors (ConnectTimeoutError and its subclass
        # NewConnectionError), as it always has: a ProxyError is an "other" error, not retried.
        return isinstance(err, ConnectTimeoutError)

    def get_backoff_time(self) -> float:
        # urllib3 2.x waits 0 s before the first retry; the policy waits backoff * 2**(n-1) before
        # retry n: 0.25 s, then 0.5 s. ``history`` already holds the failure being retried.
        retries = len(self.history)
        if retries < 1 or self.backoff_factor <= 0:
            return 0.0
        return float(min(self.backoff_max, self.backoff_factor * 2 ** (retries - 1)))

    def parse_retry_after(self, retry_after: str) -> float:
        # Whole seconds only, as the policy has always read it: urllib3 would also take an HTTP
        # date. Anything else is "unreadable" (InvalidHeader), which sleep() ignores.
        if not re.fullmatch(r"[0-9]+", retry_after.strip()):
            raise InvalidHeader(f"Retry-After is not a number of seconds: {retry_after!r}")
        return super().parse_retry_after(retry_after.strip())

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        # urllib3 sleeps for Retry-After *instead of* the backoff; the policy waits the longer of
        # the two, with Retry-After capped at RETRY_AFTER_CAP (retry_after_max). A Retry-After
        # that is not a number of seconds is ignored (urllib3 would raise).
        delay = self.get_backoff_time()
        if response is not None and self.respect_retry_after_header:
            try:
                retry_after = self.get_retry_after(response)
            except InvalidHeader:
                retry_after = None
            if retry_after:
                delay = max(delay, retry_after)
        if delay > 0:
            time.sleep(delay)

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: BaseHTTPResponse | None = None,
        error: Exception | None = None,
        _pool: ConnectionPool | None = None,
        _stacktrace: TracebackType | None = None,
    ) -> PolicyRetry:
        # Raises (MaxRetryError, or the error itself) when no retry is granted; when it returns,
        # urllib3 makes one more attempt, so count it for CallRecord.attempts.
        new_retry = super().increment(method, url, response, error, _pool, _stacktrace)
        _retries_granted.set(_retries_granted.get() + 1)
        return new_retry


def retry_policy(backoff: float = DEFAULT_BACKOFF) -> PolicyRetry:
    """The retry policy of ``Transport`` (its docstring says why), as a urllib3 ``Retry``."""
    return PolicyRetry(
        total=MAX_RETRIES,  # at most MAX_RETRIES retries of any kind: at most 3 attempts
        connect=None,  # connect errors: nothing was sent, so nothing billed: retried, within total
        read=False,  # read timeout or connection dropped after sending: may be billed, never retried
        other=0,  # anything else (TLS, proxy, ...): not retried
        status=None,  # statuses in status_forcelist: retried, within total
        status_forcelist=RETRY_STATUSES,
        allowed_methods=None,  # POST too: the vendors' APIs are all POST
        raise_on_status=False,  # out of retries on a 502/503/504: hand back that response
        backoff_factor=backoff,
        respect_retry_after_header=True,
        retry_after_max=RETRY_AFTER_CAP,
        # redirect left alone: requests follows redirects itself and tells urllib3 not to.
    )


class Transport:
    """One ``requests.Session`` per client, with connection reuse and a retry policy that never bills twice.

    Retry policy: at most ``MAX_RETRIES`` more attempts, with exponential backoff (``backoff``
    seconds, then twice that), and only
      * when the connection could not be made at all (refused, unreachable, connect timeout):
        nothing was sent, so nothing was billed;
      * on 502, 503 and 504, as the project's policy asks: a gateway or load balancer answered,
        not the vendor's service. (A 504 can mean the gateway did forward the request and the
        vendor is still working on it, so this retry is the one place a double bill is possible;
        both vendors' own status tables list neither code.) A numeric or HTTP-date Retry-After
        on such a response lengthens the pause, up to ``RETRY_AFTER_CAP`` seconds.
    Never on 4xx (the request is wrong and stays wrong, and a 429's or 413's Retry-After does
    not change that), on 500 (the vendor's service ran and may have billed), on a read timeout
    or a connection dropped after sending (the vendor may still be working on it), or on any
    other error. When retries run out on a 502/503/504, that last response is returned.

    urllib3 carries out the policy: ``retry_policy`` configures its ``Retry`` on the session's
    adapter, and ``PolicyRetry`` adds what the constructor cannot say.
    """

    def __init__(
        self, api: str, timeout: Timeout | None = None, secrets: Iterable[str] = (), backoff: float = DEFAULT_BACKOFF
    ) -> None:
        self.api = api
        self.timeout = as_timeout(timeout)
        self._secrets = tuple(s for s in secrets if s)
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "kyc-studio"
        self._adapter = HTTPAdapter(pool_connections=4, pool_maxsize=16)
        self.session.mount("http://", self._adapter)
        self.session.mount("https://", self._adapter)
        self.backoff = backoff  # installs the retry policy on the adapter

    @property
    def backoff(self) -> float:
        """Seconds before the first retry (doubled before the second); setting it takes effect at once."""
        return self._backoff

    @backoff.setter
    def backoff(self, value: float) -> None:
        self._backoff = float(value)
        # A fresh Retry replaces the old one in a single assignment: a call already under way
        # keeps the Retry it started with, and no Retry is ever changed in place.
        self._adapter.max_retries = retry_policy(self._backoff)

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
        counting = _retries_granted.set(0)
        try:
            response = self.session.request(
                method, url, params=params, headers=dict(headers or {}), timeout=self.timeout, **kwargs
            )
        except requests.Timeout:  # connect timeout after the retries, or a read timeout
            failure = KycError("TIMEOUT", http_status=None, retryable=True, record=record)
        except requests.ConnectionError as exc:
            # A read timeout while the body arrives comes wrapped as a ConnectionError.
            code = "TIMEOUT" if _read_timed_out(exc) else "NETWORK"
            failure = KycError(code, http_status=None, retryable=True, record=record)
        except requests.RequestException:
            failure = KycError("NETWORK", http_status=None, retryable=True, record=record)
        finally:
            record.attempts = 1 + _retries_granted.get()
            _retries_granted.reset(counting)
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
