"""Small HTTP helpers shared by the endpoint modules: the reply type, bounded body reads, JSON bodies."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

# Read in pieces so a chunked upload never needs one huge allocation.
_READ_CHUNK = 64 * 1024


@dataclass
class Reply:
    """An endpoint's answer: HTTP status and a JSON-serialisable body."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (the `flaky` scenario's slow calls)


class BodyTooLarge(Exception):
    """The request body is over the endpoint's limit; nothing past the limit was read."""


class BodyUnreadable(Exception):
    """The body could not be read: bad Content-Length or the client stopped early."""


def read_body(environ: dict[str, Any], limit: int) -> bytes:
    """Read the request body, refusing anything over ``limit`` bytes before reading it.

    A declared Content-Length over the limit is refused without touching the stream.
    A chunked body (unknown length) is read up to ``limit + 1`` bytes and no further.
    """
    stream = environ["wsgi.input"]
    if environ.get("wsgi.input_terminated"):
        # Chunked: the server de-chunks and signals the end with b"".
        parts: list[bytes] = []
        total = 0
        while total <= limit:
            piece = stream.read(min(_READ_CHUNK, limit + 1 - total))
            if not piece:
                break
            parts.append(piece)
            total += len(piece)
        if total > limit:
            raise BodyTooLarge()
        return b"".join(parts)

    raw_length = (environ.get("CONTENT_LENGTH") or "").strip()
    if not raw_length:
        # HTTP/1.1 without Content-Length or chunking means no body; reading would block.
        return b""
    if not raw_length.isdigit():
        raise BodyUnreadable("invalid Content-Length")
    length = int(raw_length)
    if length > limit:
        raise BodyTooLarge()
    data = stream.read(length) if length else b""
    if len(data) != length:
        raise BodyUnreadable("request body ended early")
    return data


class JsonTooDeep(ValueError):
    """JSON nested deeper than the parser's recursion limit."""


def parse_json(body: bytes) -> Any:
    """``json.loads``, where every unreadable body is a ValueError (UnicodeDecodeError is one).

    A few thousand nested brackets (they fit in 64 KiB) exhaust the parser's recursion limit:
    a bad body to answer as such, not an uncaught RecursionError that became a 500.
    """
    try:
        return json.loads(body)
    except RecursionError:
        raise JsonTooDeep("nested too deeply") from None
