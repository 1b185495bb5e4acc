"""``POST /ocr/npwp``: the Verihubs NPWP OCR endpoint, with its documented bodies."""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Callable
from typing import Any

from .uploads import MAX_BODY_BYTES, UploadError, check_image, extract_image
from .wire import BodyTooLarge, BodyUnreadable, Reply, read_body

PATH = "/ocr/npwp"

APP_ID = "demo-app"
API_KEY = "demo-key"

Recognizer = Callable[[bytes], "dict[str, str] | None"]

UNAUTHORIZED = {"message": "Authorization failed"}
NOT_DETECTED = {"message": "NPWP Not Detected", "error_code": "OCR_200004"}
QUOTA_EXCEEDED = {
    "message": "You don't have enough quota, please contact our admin",
    "error_code": "OCR_40004",
}
SERVER_ERROR = {"message": "Internal server error", "error_code": "OCR_50000"}


def payload_error(reason: str) -> dict[str, Any]:
    """The OCR_40001 body; ``error_fields`` maps the field to what is wrong with it."""
    return {
        "message": "There's a problem with your JSON payload",
        "error_code": "OCR_40001",
        "error_fields": {"image": reason},
    }


def _same(given: str | None, expected: str) -> bool:
    # Constant-time compare: cheap, and the habit matters more than the sandbox.
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def handle(environ: dict[str, Any], scenario: str | None, recognize: Recognizer) -> Reply:
    """Answer one NPWP request: auth, body limit, image checks, forced branch, recognition.

    Recognition may still answer 422: whether a picture decodes is only known by decoding it.
    """
    if not (_same(environ.get("HTTP_APP_ID"), APP_ID) and _same(environ.get("HTTP_API_KEY"), API_KEY)):
        return Reply(401, UNAUTHORIZED)
    if scenario == "unauthorized":
        return Reply(401, UNAUTHORIZED)

    try:
        body = read_body(environ, MAX_BODY_BYTES)
    except BodyTooLarge:
        return Reply(413, payload_error(f"request body exceeds the limit of {MAX_BODY_BYTES:,} bytes (6 MiB)"))
    except BodyUnreadable as exc:
        return Reply(422, payload_error(str(exc)))

    try:
        image = extract_image(body, environ.get("CONTENT_TYPE"))
        check_image(image)
    except UploadError as exc:
        return Reply(422, payload_error(exc.reason))

    if scenario == "not_detected":
        return Reply(200, NOT_DETECTED)
    if scenario == "quota_exceeded":
        return Reply(400, QUOTA_EXCEEDED)
    if scenario == "server_error":
        return Reply(500, SERVER_ERROR)

    try:
        fields = recognize(image)
    except UploadError as exc:  # found only when decoding it: too many pixels, damaged data
        return Reply(422, payload_error(exc.reason))
    if fields is None:
        return Reply(200, NOT_DETECTED)
    return Reply(
        200,
        {
            "message": "Success Extract Data",
            "data": {
                "id": str(uuid.uuid4()),
                "reference_id": str(uuid.uuid4()),
                "result_data": {
                    "npwp": fields["npwp"],
                    "name": fields["name"],
                    "nik": fields["nik"],
                    "address": fields["address"],
                },
            },
        },
    )
