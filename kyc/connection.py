"""What a "Test connection" proved: that the URL answers, and whether the credentials were accepted.

Neither vendor has a free "who am I" call, so each test sends a request the vendor refuses
for its payload, which it checks only after it has accepted the credentials: NPWP OCR with no
image (422 ``OCR_40001``), income verification with an empty name (code 9060). Neither is an
extraction or a verification, so neither is billed. A refusal of the credentials (a 401 from
Verihubs; code 9060 or 9061 naming partner_code or partner_key from TD) proves the URL and
refuses the credentials; no answer at all proves nothing about them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kyc.errors import KycError
from kyc.http import CallRecord
from kyc.i18n import N_, gettext_for

VENDORS = {"npwp": "Verihubs", "income": "TD"}
#: The vendors' own names for their credentials; "and" is said in the check's language.
CREDENTIALS = {"npwp": N_("App-ID and API-Key"), "income": N_("partner_code and partner_key")}

ACCEPTED = N_(
    "{vendor} answered and accepted the {keys}: it refused only the empty test request, as it should. "
    "Nothing was extracted or billed."
)
REFUSED = N_("{vendor} answered, but refused the {keys}. Check them and test again.")
UNPROVEN = N_(
    "Something answered at this URL ({said}), but not as {vendor} answers a test request, so the {keys} "
    "are not proven. Check the URL."
)
SAID = N_("HTTP {status}")
SAID_CODE = N_("HTTP {status}, code {code}")
NO_ANSWER = N_("No answer from the {vendor} URL ({error}) The {keys} could not be tested.")


@dataclass(frozen=True)
class ConnectionCheck:
    """``reached``: the URL answered. ``accepted``: the credentials were accepted (True), refused
    (False), or the answer does not say (None). ``message`` says which in words, in English;
    ``message_in(lang)`` says it in ``lang`` ("id" or "en"), for the page's language."""

    api: str
    reached: bool
    accepted: bool | None
    message: str
    record: CallRecord | None = None
    #: What ``message`` was made from (kyc's catalog's English and its values), to say it again.
    template: str | None = field(default=None, repr=False, compare=False)
    params: tuple[tuple[str, Any], ...] = field(default=(), repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.reached and self.accepted is True

    def message_in(self, lang: str) -> str:
        """The message in ``lang``: the vendor's name and the credentials' names stay as the
        vendors write them, an error from the call is said in ``lang`` too."""
        if self.template is None or lang == "en":
            return self.message
        _ = gettext_for(lang)
        return _(self.template).format(**{name: _said(value, lang) for name, value in self.params})


def _said(value: Any, lang: str) -> str:
    if isinstance(value, KycError):
        return value.message_in(lang)
    if isinstance(value, tuple):  # a sentence of its own: (template, {values})
        template, values = value
        return gettext_for(lang)(template).format(**values)
    return gettext_for(lang)(value) if isinstance(value, str) and value else str(value)


def _check(api: str, reached: bool, accepted: bool | None, record: CallRecord | None, template: str, **params: Any):
    english = {name: _said(value, "en") for name, value in params.items()}
    return ConnectionCheck(
        api, reached, accepted, template.format(**english), record, template=template, params=tuple(params.items())
    )


def from_answer(api: str, status: int, code: str | None, accepted: bool | None, record: CallRecord) -> ConnectionCheck:
    """The verdict on the vendor's answer to the test request: ``accepted`` is True for the
    payload refusal that only comes after the credentials passed, False for a refusal of the
    credentials, None for an answer that is neither."""
    vendor, keys = VENDORS[api], CREDENTIALS[api]
    if accepted:
        return _check(api, True, True, record, ACCEPTED, vendor=vendor, keys=keys)
    if accepted is False:
        return _check(api, True, False, record, REFUSED, vendor=vendor, keys=keys)
    said = (SAID_CODE, {"status": status, "code": code}) if code else (SAID, {"status": status})
    return _check(api, True, None, record, UNPROVEN, said=said, vendor=vendor, keys=keys)


def from_failure(api: str, error: KycError) -> ConnectionCheck:
    """No answer: the URL is not proven, nor are the credentials."""
    return _check(api, False, None, error.record, NO_ANSWER, vendor=VENDORS[api], error=error, keys=CREDENTIALS[api])
