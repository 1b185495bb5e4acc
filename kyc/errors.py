"""The one exception the kyc package raises, and the messages a salesperson reads.

Every failure, whether from the vendor, the network or a broken document, becomes a
``KycError`` with a short ``code`` and a plain-language ``message``. No raw ``requests``
or JSON exception leaves the package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kyc.i18n import N_, gettext_for

if TYPE_CHECKING:  # pragma: no cover - import only for type hints
    from kyc.http import CallRecord

# Every documented vendor code and every code of our own, in words a non-engineer can act on.
MESSAGES: dict[str, str] = {
    # Verihubs NPWP OCR
    "OCR_200004": N_("No NPWP card was found in this document. Try a sharper, well-lit photo of the whole card."),
    "OCR_40001": N_("Verihubs rejected the upload ({detail}). Send a JPEG, PNG or PDF of 5 MB at most that opens on a computer."),
    "OCR_40004": N_("The Verihubs testing quota is used up. Ask Verihubs support to top it up."),
    "OCR_50000": N_("Verihubs had an internal error. Try again in a moment."),
    "HTTP_401": N_(
        "The vendor refused the credentials: check the App-ID and API-Key (Verihubs) or the partner_code and partner_key (TD)."
    ),
    # TD income verification
    "300": N_("The income verification service is not purchased or not active on this account."),
    "301": N_("The income verification service is not purchased on this account."),
    "302": N_("The income verification service is suspended for this account."),
    "303": N_("The account has no balance left for income verification. Top it up with TD."),
    "304": N_("The income verification service has expired for this account."),
    "9500": N_("TD had an internal error. Try again in a moment."),
    "9060": N_("A required field is missing: {detail}."),
    "9061": N_("A field was rejected as malformed: {detail}."),
    # Our own
    "TIMEOUT": N_("The vendor did not answer in time. Try again; if it keeps happening, check the network."),
    "NETWORK": N_("Could not reach the vendor. Check the network connection and the vendor's URL."),
    "BAD_RESPONSE": N_("The vendor sent a response the app cannot read ({detail}). Try again later."),
}

# Where one API's wording differs: a 401 names only the credentials of the API that refused them.
API_MESSAGES: dict[tuple[str, str], str] = {
    ("npwp", "HTTP_401"): N_("Verihubs refused the credentials: check the App-ID and API-Key."),
    ("income", "HTTP_401"): N_("TD refused the credentials: check the partner_code and partner_key."),
}

# Codes where trying again later may help. The automatic retries in kyc.http are narrower.
RETRYABLE_CODES = frozenset({"TIMEOUT", "NETWORK", "OCR_50000", "9500"})


def describe(code: str, detail: str = "", api: str | None = None, lang: str = "en") -> str:
    """Return the readable message for ``code`` (of ``api``, "npwp" or "income", where known),
    with ``detail`` filled in where it fits; in ``lang`` ("en" or "id"; the vendor's own words in
    ``detail`` stay as the vendor wrote them)."""
    _ = gettext_for(lang)
    template = API_MESSAGES.get((api or "", code)) or MESSAGES.get(code)
    if template is None:
        said = f": {detail}" if detail else ""
        if code.startswith("HTTP_5"):
            return _("The vendor's server had a problem (HTTP {status}{said}). Try again in a moment.").format(
                status=code[5:], said=said
            )
        if code.startswith("HTTP_"):
            return _("The vendor refused the request (HTTP {status}{said}).").format(status=code[5:], said=said)
        return _("The vendor answered with code {code}{said}.").format(code=code, said=said)
    template = _(template)
    if "{detail}" in template:
        return template.format(detail=detail or _("no details given"))
    return template


def is_retryable(code: str, http_status: int | None = None) -> bool:
    """True where a later attempt may succeed: timeouts, network faults and 5xx answers."""
    return code in RETRYABLE_CODES or (http_status is not None and 500 <= http_status <= 599)


class KycError(Exception):
    """A failed call or a rejected input, with a code and a message a salesperson can read."""

    def __init__(
        self,
        code: str,
        message: str | None = None,
        http_status: int | None = None,
        retryable: bool | None = None,
        record: CallRecord | None = None,
    ) -> None:
        self.code = str(code)
        self.message = message if message is not None else describe(self.code)
        table_message = message is None
        self.http_status = http_status
        self.retryable = is_retryable(self.code, http_status) if retryable is None else retryable
        self.record = record
        # What the message was made from, so that it can be said again in another language.
        self.detail: str | None = "" if table_message else None
        self.api: str | None = None
        # Or: the template it was formatted from, and its values (see ``templated``).
        self.template: str | None = None
        self.params: dict[str, Any] = {}
        super().__init__(f"[{self.code}] {self.message}")

    def message_in(self, lang: str) -> str:
        """The message in ``lang`` ("en" or "id"): the table's text for the code again, or this
        error's own message where kyc's catalog has it (else as written)."""
        if lang == "en":
            return self.message
        _ = gettext_for(lang)
        if self.template is not None:
            # A value that is itself one of kyc's sentences (a piece of advice) is said in lang
            # too; a name, a size or a number is not in the catalog and stays as it is.
            return _(self.template).format(**{k: _(v) if isinstance(v, str) and v else v for k, v in self.params.items()})
        if self.detail is not None:
            return describe(self.code, self.detail, self.api, lang)
        return _(self.message)

    @classmethod
    def templated(cls, code: str, template: str, /, **params: Any) -> KycError:
        """A KycError whose message is ``template`` (marked with ``N_`` for the catalog) filled in
        with ``params``: it can be said again in another language (``message_in``)."""
        error = cls(code, template.format(**params))
        error.template, error.params = template, dict(params)
        return error

    def __repr__(self) -> str:
        return f"KycError(code={self.code!r}, message={self.message!r}, http_status={self.http_status!r})"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary, for history and exports."""
        return {
            "code": self.code,
            "message": self.message,
            "http_status": self.http_status,
            "retryable": self.retryable,
        }


def failure(code: str, detail: str = "", http_status: int | None = None, record: CallRecord | None = None) -> KycError:
    """A KycError whose message is the table's text for ``code``, with ``detail`` filled in."""
    api = record.api if record is not None else None
    error = KycError(code, describe(code, detail, api), http_status=http_status, record=record)
    error.detail, error.api = detail, api
    return error
