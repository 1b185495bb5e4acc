"""KYC Studio's thin client for two Indonesian KYC APIs.

- Verihubs NPWP OCR: :class:`NpwpClient` sends a tax card (JPEG, PNG or PDF, 5 MB at most)
  and returns an :class:`NpwpResult` with the NPWP, name, NIK and address.
- TD income verification: :class:`IncomeClient` sends an :class:`IncomeRequest` and returns
  an :class:`IncomeResult`: employer, last salary month, a :class:`SalaryBand` out of 18, and
  MATCH / NOT MATCH for each field sent.

Every failure is a :class:`KycError` (a :class:`DocumentError` for a file refused before
sending) with a code and a message a person can act on; every call leaves a redacted
:class:`CallRecord`. Each client's ``test_connection()`` proves its URL and credentials
without a billed call (a :class:`ConnectionCheck`). :class:`Settings` builds either client for the sandbox or the live APIs
from environment variables or a secrets mapping; :mod:`kyc.catalog` reads what a sandbox
offers (scenarios, personas, sample cards).

    from kyc import IncomeClient, IncomeRequest, KycError

    client = IncomeClient(url, partner_code, partner_key)
    result = client.verify(IncomeRequest(name="RINA WULANDARI", phone_number="081234567890",
                                         id_number="3174015205900123"))
"""

from __future__ import annotations

from kyc import catalog, documents, ids, salary
from kyc.catalog import Catalog, Persona, SampleCard
from kyc.connection import ConnectionCheck
from kyc.documents import DocumentError, DocumentInfo
from kyc.errors import KycError
from kyc.health import Health
from kyc.http import CallRecord
from kyc.income import MATCH, NOT_MATCH, PROGRAMS, IncomeClient, IncomeRequest, IncomeResult
from kyc.npwp import NpwpClient, NpwpResult
from kyc.redact import Secret
from kyc.salary import BANDS, SalaryBand, SalaryRangeError, parse_range
from kyc.settings import LIVE, SANDBOX, Settings

__version__ = "0.9.0"

__all__ = [
    "BANDS",
    "LIVE",
    "MATCH",
    "NOT_MATCH",
    "PROGRAMS",
    "SANDBOX",
    "CallRecord",
    "Catalog",
    "ConnectionCheck",
    "DocumentError",
    "DocumentInfo",
    "Health",
    "IncomeClient",
    "IncomeRequest",
    "IncomeResult",
    "KycError",
    "NpwpClient",
    "NpwpResult",
    "Persona",
    "SampleCard",
    "SalaryBand",
    "SalaryRangeError",
    "Secret",
    "Settings",
    "__version__",
    "catalog",
    "documents",
    "ids",
    "parse_range",
    "salary",
]
