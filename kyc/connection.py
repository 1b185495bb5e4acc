"""What a "Test connection" proved: that the URL answers, and whether the credentials were accepted.

Neither vendor has a free "who am I" call, so each test sends a request the vendor refuses
for its payload, which it checks only after it has accepted the credentials: NPWP OCR with no
image (422 ``OCR_40001``), income verification with an empty name (code 9060). Neither is an
extraction or a verification, so neither is billed. A refusal of the credentials (a 401 from
Verihubs; code 9060 or 9061 naming partner_code or partner_key from TD) proves the URL and
refuses the credentials; no answer at all proves nothing about them.
"""

from __future__ import annotations

from dataclasses import dataclass

from kyc.errors import KycError
from kyc.http import CallRecord

VENDORS = {"npwp": "Verihubs", "income": "TD"}
CREDENTIALS = {"npwp": "App-ID and API-Key", "income": "partner_code and partner_key"}


@dataclass(frozen=True)
class ConnectionCheck:
    """``reached``: the URL answered. ``accepted``: the credentials were accepted (True), refused
    (False), or the answer does not say (None). ``message`` says which in words."""

    api: str
    reached: bool
    accepted: bool | None
    message: str
    record: CallRecord | None = None

    @property
    def ok(self) -> bool:
        return self.reached and self.accepted is True


def from_answer(api: str, status: int, code: str | None, accepted: bool | None, record: CallRecord) -> ConnectionCheck:
    """The verdict on the vendor's answer to the test request: ``accepted`` is True for the
    payload refusal that only comes after the credentials passed, False for a refusal of the
    credentials, None for an answer that is neither."""
    vendor, keys = VENDORS[api], CREDENTIALS[api]
    if accepted:
        return ConnectionCheck(
            api, True, True,
            f"{vendor} answered and accepted the {keys}: it refused only the empty test request, as it should. "
            "Nothing was extracted or billed.",
            record,
        )  # fmt: skip
    if accepted is False:
        return ConnectionCheck(api, True, False, f"{vendor} answered, but refused the {keys}. Check them and test again.", record)
    said = f"HTTP {status}" + (f", code {code}" if code else "")
    return ConnectionCheck(
        api, True, None,
        f"Something answered at this URL ({said}), but not as {vendor} answers a test request, so the {keys} "
        "are not proven. Check the URL.",
        record,
    )  # fmt: skip


def from_failure(api: str, error: KycError) -> ConnectionCheck:
    """No answer: the URL is not proven, nor are the credentials."""
    return ConnectionCheck(
        api, False, None,
        f"No answer from the {VENDORS[api]} URL ({error.message}) The {CREDENTIALS[api]} could not be tested.",
        error.record,
    )  # fmt: skip
