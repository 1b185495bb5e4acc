"""Client for TD's income verification: send an applicant, get employer, salary band and matches."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from kyc import connection
from kyc.connection import ConnectionCheck
from kyc.errors import KycError, failure
from kyc.http import CallRecord, Timeout, Transport, as_text
from kyc.i18n import N_, gettext_for
from kyc.npwp import SCENARIO_HEADER
from kyc.redact import MASK, Secret, strip_credentials
from kyc.salary import SalaryBand, SalaryRangeError, parse_range

# In English, marked for kyc's catalog: say them in a language with ``program_name(code, lang)``.
PROGRAMS: dict[str, str] = {
    "JHT": N_("Old-age savings (Jaminan Hari Tua)"),
    "JKK": N_("Work-accident insurance (Jaminan Kecelakaan Kerja)"),
    "JKM": N_("Death benefit (Jaminan Kematian)"),
    "JPN": N_("Pension (Jaminan Pensiun)"),
}
COMPARED_FIELDS = ("sex", "birthdate", "package", "email", "address_employee")  # also the optional ones
MATCH, NOT_MATCH = "MATCH", "NOT MATCH"

# result=error messages come in Indonesian; these are the known ones, in our own words (English,
# marked for kyc's catalog). TD's own words are shown beside ours, as TD wrote them.
ERROR_TRANSLATIONS = {
    "kuota harian anda telah habis": N_("The daily quota is used up. Try again tomorrow or ask TD to raise it."),
    "error system": N_("TD reported a system error. Try again in a moment."),
}


def program_name(code: str, lang: str = "en") -> str:
    """A BPJS program's description in ``lang`` ("en" or "id"); an unknown code as it is."""
    return gettext_for(lang)(PROGRAMS[code]) if code in PROGRAMS else code


@dataclass
class IncomeRequest:
    """One applicant. ``package`` is a comma string ("JHT,JKK") or a list of program codes."""

    name: str
    phone_number: str
    id_number: str
    sex: str | None = None
    birthdate: str | dt.date | None = None
    package: str | Iterable[str] | None = None
    email: str | None = None
    address_employee: str | None = None
    id_type: str = "national_id"

    def to_payload(self) -> dict[str, str]:
        """The JSON body as the API wants it; optional fields left empty are omitted."""
        body = {"name": self.name, "phone_number": self.phone_number, "id_number": self.id_number, "id_type": self.id_type}
        optional = {
            "sex": self.sex,
            "birthdate": self.birthdate.isoformat() if isinstance(self.birthdate, dt.date) else self.birthdate,
            "package": self.package if isinstance(self.package, (str, type(None))) else ",".join(self.package),
            "email": self.email,
            "address_employee": self.address_employee,
        }
        body.update({k: v for k, v in optional.items() if v is not None and str(v).strip() != ""})
        return body


@dataclass
class IncomeResult:
    """The answer for one applicant: ``result`` is "hit", "no_record" or "error"."""

    result: str
    sequence_id: str | None
    error_message: str | None
    company: str | None
    address_company: str | None
    month_last_salary: str | None
    salary: SalaryBand | None
    comparisons: dict[str, str] = field(default_factory=dict)
    record: CallRecord | None = None

    @property
    def error_text(self) -> str | None:
        """``error_message`` in English where it is a known one, else as the vendor sent it."""
        return self.error_text_in("en")

    def error_text_in(self, lang: str) -> str | None:
        """``error_message`` in our words in ``lang`` ("en" or "id") where it is a known one, else
        as the vendor sent it (TD's own words are never translated: show them beside ours)."""
        if not self.error_message:
            return None
        known = ERROR_TRANSLATIONS.get(self.error_message.strip().lower())
        return gettext_for(lang)(known) if known else self.error_message.strip()

    @property
    def error_is_known(self) -> bool:
        """True when ``error_message`` is one we say in our own words (TD's are then shown beside them)."""
        return bool(self.error_message) and self.error_message.strip().lower() in ERROR_TRANSLATIONS


class IncomeClient:
    """Calls TD's income endpoint, with the partner credentials in the query string as TD expects."""

    def __init__(
        self,
        url: str,
        partner_code: str,
        partner_key: str | Secret,
        timeout: Timeout | None = None,
        scenario: str | None = None,
    ) -> None:
        # TD documents its URL as "URL?partner_code=…&partner_key=…": credentials pasted into the
        # URL are taken out of it, so they never show in records, logs or reprs.
        self.url, from_url = strip_credentials(str(url))
        self.partner_code = str(partner_code or from_url.get("partner_code", ""))
        self._partner_key = Secret(partner_key or from_url.get("partner_key", ""))
        self.scenario = scenario if scenario and scenario != "none" else None
        self._transport = Transport("income", timeout, secrets=[self._partner_key.reveal()])

    def __repr__(self) -> str:
        return (
            f"IncomeClient(url={self.url!r}, partner_code={self.partner_code!r}, partner_key=Secret('***'), "
            f"scenario={self.scenario!r})"
        )

    def close(self) -> None:
        self._transport.close()

    def _shown_url(self) -> str:
        """The URL as the record shows it: the partner_code in the query string, the key masked."""
        query = urlencode({"partner_code": self.partner_code, "partner_key": MASK}, safe="*")
        return f"{self.url}{'&' if '?' in self.url else '?'}{query}"

    def test_connection(self) -> ConnectionCheck:
        """Prove the URL and the partner_code / partner_key without a billed call: an applicant
        with an empty name, which TD refuses (code 9060) only after it has accepted the keys."""
        params = {"partner_code": self.partner_code, "partner_key": self._partner_key.reveal()}
        headers = {"Content-Type": "application/json"}
        payload = {"name": "", "phone_number": "", "id_number": "", "id_type": "national_id"}
        record = CallRecord(api="income", method="POST", url=self._shown_url(), headers=dict(headers), body=dict(payload))
        try:
            response, record = self._transport.send(
                "POST", self.url, record=record, params=params, headers=headers, data=json.dumps(payload).encode()
            )
        except KycError as error:
            return connection.from_failure("income", error)
        body, _ = self._transport.read(response)
        code = body.get("code") if isinstance(body, dict) else None
        self._transport.finish(record, body, "connection_test")
        text = str(int(code)) if isinstance(code, float) and code.is_integer() else as_text(code)
        # 9060/9061 say "<parameter> empty" / "<parameter> error": about the name, the keys passed.
        parameter = (as_text(body.get("message")) or "").split(" ")[0] if isinstance(body, dict) else ""
        accepted = None
        if text in ("9060", "9061") and parameter in ("partner_code", "partner_key"):
            accepted = False
        elif text == "9060" and parameter == "name":
            accepted = True
        elif response.status_code == 401:
            accepted = False
        return connection.from_answer("income", response.status_code, text, accepted, record)

    def verify(self, req: IncomeRequest) -> IncomeResult:
        """Send one applicant and read the answer. Any code other than 200 raises ``KycError``."""
        payload = req.to_payload()
        params = {"partner_code": self.partner_code, "partner_key": self._partner_key.reveal()}
        headers = {"Content-Type": "application/json"}
        if self.scenario:
            headers[SCENARIO_HEADER] = self.scenario
        shown = self._transport.scrub(payload)
        record = CallRecord(
            api="income",
            method="POST",
            url=self._shown_url(),
            headers=dict(headers),
            body=shown,
        )
        response, record = self._transport.send(
            "POST", self.url, record=record, params=params, headers=headers, data=json.dumps(payload).encode()
        )
        body, problem = self._transport.read(response)
        try:
            result = self._interpret(response.status_code, body, problem, record)
        except KycError as exc:
            self._transport.finish(record, body, exc.code)
            raise
        self._transport.finish(record, body, result.result)
        return result

    def _interpret(self, status: int, body: Any, problem: str | None, record: CallRecord) -> IncomeResult:
        payload = body if isinstance(body, dict) else {}
        code = payload.get("code")
        if isinstance(code, float) and code.is_integer():
            code = int(code)  # 200.0 is what a JSON encoder elsewhere may make of 200: the same code
        if status != 200 and code in (None, 200, "200"):
            name = f"HTTP_{status}"
            raise failure(name, problem or as_text(payload.get("message")) or "", status, record)
        if problem:
            raise failure("BAD_RESPONSE", problem, status, record)
        if not isinstance(body, dict) or code is None:
            raise failure("BAD_RESPONSE", "the status code is missing", status, record)
        code_text = str(code).strip()
        if code_text != "200":
            vendor_message = as_text(payload.get("message")) or ""
            # 9060/9061 messages are "<parameter> empty" / "<parameter> error": name the parameter.
            detail = (
                vendor_message.rsplit(" ", 1)[0] if code_text in ("9060", "9061") and " " in vendor_message else vendor_message
            )
            raise failure(code_text, detail, status, record)
        result = as_text(payload.get("result"))
        sequence_id = as_text(payload.get("sequence_id"))
        if result == "no_record":
            return IncomeResult("no_record", sequence_id, None, None, None, None, None, {}, record)
        if result == "error":
            return IncomeResult(
                "error", sequence_id, as_text(payload.get("error_message")) or "", None, None, None, None, {}, record
            )
        if result != "hit":
            raise failure("BAD_RESPONSE", f"unknown result {result!r}", status, record)
        data = payload.get("data")
        if not isinstance(data, dict):
            raise failure("BAD_RESPONSE", "a hit came without its data", status, record)
        # TD's V2 nests the employer under company_info; V1 keeps it flat. Read both.
        company_info = data.get("company_info") if isinstance(data.get("company_info"), dict) else {}
        return IncomeResult(
            result="hit",
            sequence_id=sequence_id,
            error_message=None,
            company=as_text(data.get("company") or company_info.get("company")),
            address_company=as_text(data.get("address_company") or company_info.get("address_company")),
            month_last_salary=as_text(data.get("month_last_salary")),
            salary=_band(data.get("range_salary")),
            comparisons=_comparisons(data),
            record=record,
        )


def _band(label: Any) -> SalaryBand | None:
    """The salary band; a label that cannot be read is kept as text with unknown bounds."""
    if label is None or isinstance(label, (dict, list, bool)):
        return None
    try:
        return parse_range(str(label))
    except SalaryRangeError:
        return SalaryBand(str(label), None, None)


def _comparisons(data: dict[str, Any]) -> dict[str, str]:
    """MATCH / NOT MATCH per field. The vendor's example says "birthday" for "birthdate"."""
    found: dict[str, str] = {}
    for key, value in data.items():
        if not isinstance(value, str):
            continue
        verdict = " ".join(value.upper().replace("_", " ").split())
        if verdict in (MATCH, NOT_MATCH):
            found["birthdate" if key == "birthday" else key] = verdict
    return found
