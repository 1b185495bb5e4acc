"""The access code that keeps a shared demo server to the people it is meant for.

``KYC_ACCESS_CODE`` (environment) or ``[access] code`` (secrets.toml) sets it; without it the
app opens as it always has. A browser session opens the app by typing the code. The check
compares hashes of the two codes with ``hmac.compare_digest``: equal-length digests, so the
time it takes says nothing of how much of the code was right, nor of its length. After
``MAX_TRIES`` wrong codes in a row the session is held for ``HOLD_SECONDS``.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

ENV_VAR = "KYC_ACCESS_CODE"
MAX_TRIES = 5
HOLD_SECONDS = 60.0


def configured_code(environ: Mapping[str, str], secrets: Mapping[str, Any]) -> str | None:
    """The access code: secrets.toml's ``[access] code`` wins over ``KYC_ACCESS_CODE``; None when neither is set."""
    section = secrets.get("access")
    code = section.get("code") if isinstance(section, Mapping) else None
    if not isinstance(code, (str, int)) or isinstance(code, bool) or not str(code).strip():
        code = environ.get(ENV_VAR)  # (secrets.toml's root-level KYC_ACCESS_CODE arrives here too)
    return str(code).strip() if code is not None and str(code).strip() else None


CANNOT_READ = "cannot_read"  # shut_reason: the secrets may set a code, but cannot be read
NOT_A_CODE = "not_a_code"  # shut_reason: an access setting that holds no usable code


def shut_reason(environ: Mapping[str, str], secrets: Mapping[str, Any], broken_may_set_code: bool) -> str | None:
    """Why the server must stay shut to everyone, or None. ``broken_may_set_code``: a secrets file
    that cannot be read or parsed may set a code.

    Such a file, or an ``access`` setting with no usable code in it, shuts the server: opening it
    to everyone would be the wrong answer.
    """
    if configured_code(environ, secrets) is not None:
        return None
    if broken_may_set_code:
        return CANNOT_READ
    if "access" in secrets:
        return NOT_A_CODE
    return None


def _digest(code: str) -> bytes:
    return hashlib.sha256(code.strip().encode("utf-8")).digest()


def matches(expected: str, given: str) -> bool:
    """True when ``given`` is the access code (surrounding spaces ignored), in constant time."""
    return hmac.compare_digest(_digest(expected), _digest(given))


def pass_for(code: str) -> str:
    """What a signed-in session keeps: a hash of the code it opened with (never the code).

    A new code on the server signs every session out, since their passes no longer match.
    """
    return hashlib.sha256(b"kyc-studio-pass:" + _digest(code)).hexdigest()


@dataclass
class Tries:
    """One session's wrong codes in a row, and until when it is held (``clock`` seconds)."""

    wrong: int = 0
    held_until: float = 0.0

    def held_for(self, clock: Callable[[], float] = time.monotonic) -> float:
        """Seconds the session must still wait before it may try again (0 when it may)."""
        return max(self.held_until - clock(), 0.0)

    def attempt(self, expected: str, given: str, clock: Callable[[], float] = time.monotonic) -> bool:
        """Check ``given``. A held session's try is refused unchecked; the fifth wrong code holds it."""
        if self.held_for(clock) > 0:
            return False
        if matches(expected, given):
            self.wrong, self.held_until = 0, 0.0
            return True
        self.wrong += 1
        if self.wrong >= MAX_TRIES:
            self.wrong, self.held_until = 0, clock() + HOLD_SECONDS
        return False
