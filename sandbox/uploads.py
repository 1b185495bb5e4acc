"""Getting the NPWP image out of a request body and deciding whether it is acceptable.

The checks mirror what the vendor documents for OCR_40001: a missing payload image, an
invalid file type, an image that cannot be decoded, or one over the size limit. The type
comes from the magic bytes, never from the file name. Here "undecodable" is judged
structurally (header fields and end marker present), which catches truncated and
mislabelled files without decoding pixels on every request. What only decoding shows (a
picture declaring more pixels than can be decoded, damaged picture data, a PDF that cannot
be opened) is found when the card is read (:mod:`sandbox.recognition`), with the same answer.
"""

from __future__ import annotations

import base64
import binascii
import io
import struct

from werkzeug.exceptions import HTTPException
from werkzeug.formparser import FormDataParser
from werkzeug.http import parse_options_header

from .wire import JsonTooDeep, parse_json

# The spec says 5 MB; read as MiB (5,242,880 bytes), the more lenient reading, when accepting.
MAX_IMAGE_BYTES = 5 * 1024 * 1024

# Anything over this is refused with 413 before it is read (room for a 5 MiB image plus
# multipart framing; "6 MB" read as MiB for the same reason as above).
MAX_BODY_BYTES = 6 * 1024 * 1024

FIELD = "image"


class UploadError(Exception):
    """The request carries no acceptable image; ``reason`` goes into error_fields.image."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _memory_stream(*_args: object, **_kwargs: object) -> io.BytesIO:
    # The body is already in memory and bounded; keep file parts there too, no temp files.
    return io.BytesIO()


_PARSER = FormDataParser(
    stream_factory=_memory_stream,  # type: ignore[arg-type]
    max_form_memory_size=MAX_BODY_BYTES,
    max_content_length=MAX_BODY_BYTES,
)


def extract_image(body: bytes, content_type: str | None) -> bytes:
    """Return the raw bytes of the ``image`` field from a multipart, form or JSON body."""
    mimetype, options = parse_options_header(content_type or "")
    if mimetype == "application/json" or (not mimetype and body.lstrip()[:1] == b"{"):
        return _from_json(body)
    if mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return _from_form(body, mimetype, options)
    raise UploadError("image is required: send multipart/form-data with a file field 'image'")


def _from_form(body: bytes, mimetype: str, options: dict[str, str]) -> bytes:
    try:
        _, form, files = _PARSER.parse(io.BytesIO(body), mimetype, len(body), options)
    except (ValueError, HTTPException):
        raise UploadError("multipart body could not be parsed") from None
    upload = files.get(FIELD)
    if upload is not None:
        data = upload.read()
        upload.close()
        return data
    if FIELD in form:
        # A part without a filename arrives as text: tolerate base64 there, like JSON.
        return _decode_base64(form[FIELD])
    raise UploadError("image is required: no field 'image' in the form")


def _from_json(body: bytes) -> bytes:
    try:
        payload = parse_json(body)
    except JsonTooDeep as exc:
        raise UploadError(f"request body is not valid JSON: {exc}") from None
    except ValueError:
        raise UploadError("request body is not valid JSON") from None
    if not isinstance(payload, dict) or FIELD not in payload:
        raise UploadError("image is required: no key 'image' in the JSON object")
    value = payload[FIELD]
    if not isinstance(value, str):
        raise UploadError("image must be a base64 string")
    return _decode_base64(value)


def _decode_base64(text: str) -> bytes:
    if text.startswith("data:") and "," in text:
        text = text.split(",", 1)[1]  # tolerate a data URL
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise UploadError("image is not valid base64") from None


def check_image(data: bytes) -> None:
    """Raise UploadError unless ``data`` is a complete JPEG, PNG or PDF within the limit."""
    if not data:
        raise UploadError("image is empty")
    if len(data) > MAX_IMAGE_BYTES:
        raise UploadError(f"image size exceeds the maximum of {MAX_IMAGE_BYTES:,} bytes (5 MiB); got {len(data):,} bytes")
    kind = sniff(data)
    if kind is None:
        raise UploadError("invalid image type: only JPEG, PNG and PDF are supported")
    if not _looks_complete(kind, data):
        raise UploadError(f"image could not be decoded: the {kind.upper()} file is damaged or truncated")


def sniff(data: bytes) -> str | None:
    """Return "jpeg", "png" or "pdf" from the magic bytes, else None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"%PDF-"):
        return "pdf"
    return None


def _looks_complete(kind: str, data: bytes) -> bool:
    if kind == "png":
        # Signature, then IHDR with a non-zero size, and the IEND chunk at the end.
        if len(data) < 33 or data[12:16] != b"IHDR":
            return False
        width, height = struct.unpack(">II", data[16:24])
        return width > 0 and height > 0 and b"IEND" in data[-12:]
    if kind == "jpeg":
        # End-of-image marker; some encoders pad a few bytes after it.
        return b"\xff\xd9" in data[-64:]
    # PDF: the end-of-file marker, allowing trailing whitespace or junk.
    return b"%%EOF" in data[-1024:]
