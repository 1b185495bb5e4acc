"""Names and descriptions of the branches that ``X-Sandbox-Scenario`` can force.

This is data on purpose: the server validates the header against it, the OpenAPI
document lists it, and the UI shows the descriptions to people picking a scenario.
"""

from __future__ import annotations

SCENARIO_HEADER = "X-Sandbox-Scenario"

# Seconds the `slow` scenario waits before answering (on top of any --latency-ms).
SLOW_SECONDS = 3.0
# Seconds a `flaky` slow call waits: past a 1.5 s client read timeout.
FLAKY_DELAY_SECONDS = 2.0

NPWP_SCENARIOS: dict[str, str] = {
    "not_detected": "HTTP 200 with OCR_200004: no NPWP found in the image.",
    "quota_exceeded": "HTTP 400 with OCR_40004: the testing quota is used up.",
    "server_error": "HTTP 500 with OCR_50000: the vendor's internal server error.",
    "unauthorized": "HTTP 401 'Authorization failed', as if App-ID or API-Key were wrong.",
    "slow": f"Waits {SLOW_SECONDS:g} s, then gives the normal answer (for timeouts and spinners).",
}

INCOME_SCENARIOS: dict[str, str] = {
    "no_record": "result no_record: the person is not found.",
    "quota_exceeded": "result error with 'Kuota harian Anda telah habis' (daily quota used up).",
    "not_purchased": "code 300: Service not purchased or not effective.",
    "service_not_purchased": "code 301: Service not purchased.",
    "suspended": "code 302: Service has been suspend.",
    "no_balance": "code 303: Not enough balance.",
    "expired": "code 304: Service expired.",
    "internal_error": "code 9500: Internal error.",
    "slow": f"Waits {SLOW_SECONDS:g} s, then gives the normal answer (for timeouts and spinners).",
    "flaky": "About 1 call in 5 fails or is late, chosen by the NIK: HTTP 500 (code 9500), or the usual answer "
    f"after {FLAKY_DELAY_SECONDS:g} s (a timeout for a client that waits less). The answer itself never changes. "
    "For batch runs.",
}

# Public, keyed by API. The UI lists these; the server accepts exactly these names.
SCENARIOS: dict[str, dict[str, str]] = {"npwp": NPWP_SCENARIOS, "income": INCOME_SCENARIOS}

# Header values that mean "no scenario".
NO_SCENARIO = frozenset({"", "none"})
