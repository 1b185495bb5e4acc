"""Client for Verihubs NPWP OCR: send a tax card, get the NPWP, name, NIK and address."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kyc import connection
from kyc.connection import ConnectionCheck
from kyc.documents import MIME, sniff
from kyc.errors import KycError, failure
from kyc.http import CallRecord, Timeout, Transport, as_text
from kyc.redact import Secret, redact_headers, redact_url

SCENARIO_HEADER = "X-Sandbox-Scenario"
NOT_DETECTED = "OCR_200004"
# The vendor's own 500 sample is broken JSON; its code can still be read out of the text.
_CODE_IN_TEXT = re.compile(r'"error_code"\s*:\s*"([A-Z0-9_]+)"')


@dataclass
class NpwpResult:
    """One extraction. ``detected`` is False when the document holds no NPWP (OCR_200004)."""

    detected: bool
    npwp: str | None
    name: str | None
    nik: str | None
    address: str | None
    id: str | None
    reference_id: str | None
    message: str
    record: CallRecord

    def fields(self) -> dict[str, str | None]:
        """The extracted values by name, for display and export."""
        return {
            "npwp": self.npwp,
            "name": self.name,
            "nik": self.nik,
            "address": self.address,
            "id": self.id,
            "reference_id": self.reference_id,
        }


class NpwpClient:
    """Calls ``POST {base_url}/ocr/npwp`` with the card as multipart field ``image``."""

    def __init__(
        self,
        base_url: str,
        app_id: str,
        api_key: str | Secret,
        timeout: Timeout | None = None,
        scenario: str | None = None,
    ) -> None:
        self.base_url = str(base_url).rstrip("/")
        self.app_id = str(app_id)
        self._api_key = Secret(api_key)
        # Both travel as HTTP headers, which carry printable ASCII only: a pasted "€" or a
        # zero-width space would otherwise fail deep inside http.client.
        for label, value in (("App-ID", self.app_id), ("API-Key", self._api_key.reveal())):
            if not (value.isascii() and value.isprintable()):
                raise KycError("CONFIG", f"The Verihubs {label} contains characters that cannot be sent; retype it.")
        self.scenario = scenario if scenario and scenario != "none" else None
        self._transport = Transport("npwp", timeout, secrets=[self._api_key.reveal()])

    @property
    def url(self) -> str:
        return f"{self.base_url}/ocr/npwp"

    def __repr__(self) -> str:
        return (
            f"NpwpClient(base_url={self.base_url!r}, app_id={self.app_id!r}, api_key=Secret('***'), scenario={self.scenario!r})"
        )

    def close(self) -> None:
        self._transport.close()

    def test_connection(self) -> ConnectionCheck:
        """Prove the URL and the App-ID / API-Key without a billed call: a request with no image,
        which Verihubs refuses (422 OCR_40001) only after it has accepted the keys."""
        headers = {"App-ID": self.app_id, "API-Key": self._api_key.reveal()}
        record = CallRecord(api="npwp", method="POST", url=redact_url(self.url), headers=redact_headers(headers), body={})
        try:
            response, record = self._transport.send(
                "POST", self.url, record=record, headers=headers, files={"note": (None, "connection test")}
            )
        except KycError as error:
            return connection.from_failure("npwp", error)
        body, _ = self._transport.read(response)
        code = body.get("error_code") if isinstance(body, dict) else None
        self._transport.finish(record, body, "connection_test")
        code = as_text(code)
        accepted = True if code == "OCR_40001" else False if response.status_code == 401 else None
        return connection.from_answer("npwp", response.status_code, code, accepted, record)

    def extract(self, data: bytes, filename: str) -> NpwpResult:
        """Send one document and read the vendor's answer.

        Raises ``KycError`` for anything but an extraction or a clean "not detected".
        """
        headers = {"App-ID": self.app_id, "API-Key": self._api_key.reveal()}
        if self.scenario:
            headers[SCENARIO_HEADER] = self.scenario
        kind = sniff(data)  # the part's type by content; the vendor judges the rest
        mime = MIME[kind] if kind else "application/octet-stream"
        record = CallRecord(
            api="npwp",
            method="POST",
            url=redact_url(self.url),
            headers=redact_headers(headers),
            body={"image": {"filename": filename, "content_type": mime, "size_bytes": len(data)}},
        )
        response, record = self._transport.send(
            "POST", self.url, record=record, headers=headers, files={"image": (filename, data, mime)}
        )
        body, problem = self._transport.read(response)
        try:
            return self._interpret(response.status_code, body, problem, record)
        except KycError as exc:
            self._transport.finish(record, body, exc.code)
            raise

    def _interpret(self, status: int, body: Any, problem: str | None, record: CallRecord) -> NpwpResult:
        payload = body if isinstance(body, dict) else {}
        code = payload.get("error_code")
        if code is None and problem and isinstance(body, str):
            found = _CODE_IN_TEXT.search(body)
            code = found.group(1) if found else None
        if status != 200:
            code = str(code) if code else f"HTTP_{status}"
            raise failure(code, _detail(payload, problem), status, record)
        if problem:
            raise failure("BAD_RESPONSE", problem, status, record)
        if code == NOT_DETECTED:
            self._transport.finish(record, body, NOT_DETECTED)
            return NpwpResult(
                False, None, None, None, None, None, None, as_text(payload.get("message")) or "NPWP not detected", record
            )
        if code:
            raise failure(str(code), _detail(payload, None), status, record)
        data = payload.get("data")
        fields = data.get("result_data") if isinstance(data, dict) else None
        if not isinstance(fields, dict):
            raise failure("BAD_RESPONSE", "the extracted fields are missing", status, record)
        self._transport.finish(record, body, "detected")
        return NpwpResult(
            detected=True,
            npwp=as_text(fields.get("npwp")),
            # The field table says full_name, the vendor's sample says name: read either.
            name=as_text(fields.get("name") or fields.get("full_name")),
            nik=as_text(fields.get("nik")),
            address=as_text(fields.get("address")),
            id=as_text(data.get("id")),
            reference_id=as_text(data.get("reference_id")),
            message=as_text(payload.get("message")) or "",
            record=record,
        )


def _detail(payload: dict[str, Any], problem: str | None) -> str:
    fields = payload.get("error_fields")
    if isinstance(fields, dict) and fields:
        # {"image": "image could not be decoded: …"} names its field already: say it once.
        return "; ".join(str(v) if str(v).startswith(str(k)) else f"{k}: {v}" for k, v in fields.items())
    return as_text(payload.get("message")) or problem or ""
