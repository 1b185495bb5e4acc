"""KYC Studio sandbox: an offline HTTP server speaking the vendors' wire formats.

It serves Verihubs NPWP OCR (``POST /ocr/npwp``) and TD income verification
(``POST /credit/data/feature/income/v1``), plus ``GET /health`` and ``GET /openapi.json``.
It is a separate server package and deliberately does not import ``kyc``.

    with sandbox.start_in_thread() as sb:
        requests.get(sb.url + "/health")
"""

from __future__ import annotations

from .personas import personas
from .scenarios import SCENARIO_HEADER, SCENARIOS
from .server import SandboxHandle, start_in_thread

__all__ = ["SCENARIOS", "SCENARIO_HEADER", "SandboxHandle", "personas", "start_in_thread"]
