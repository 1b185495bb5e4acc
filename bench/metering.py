"""What the daily budget and the audit trail cost a live call: the metered client against the
plain one, to the same sandbox endpoint.

Each metered call takes its place in the day's count (flock, write, fsync, rename) and appends
its audit line (flock, write, fsync) on the machine's disk. A vendor answers in hundreds of
milliseconds; the target is a cost per call that is small beside that.
"""

from __future__ import annotations

import tempfile

from bench.client_overhead import APPLICANT, BLOCK, CALLS
from bench.common import Row, alternating, ms_per_call
from kyc.income import IncomeClient
from kyc.settings import INCOME_PATH, SANDBOX_PARTNER_CODE, SANDBOX_PARTNER_KEY
from workflows import metering
from workflows.metering import Meter

TARGET_MS = 5.0


def run(sandbox_url: str) -> list[Row]:
    client = IncomeClient(sandbox_url + INCOME_PATH, SANDBOX_PARTNER_CODE, SANDBOX_PARTNER_KEY)
    with tempfile.TemporaryDirectory() as folder:
        meter = Meter.from_environment({"KYC_STATE_DIR": folder, "KYC_LIVE_DAILY_LIMIT": str(10 * CALLS)})
        metered = metering.metered(client, meter, "bench-session")

        def plain() -> None:
            client.verify(APPLICANT)

        def counted() -> None:
            metered.verify(APPLICANT)

        spent_plain, spent_counted = alternating((plain, counted), CALLS, BLOCK)
    added_ms = (spent_counted - spent_plain) / CALLS * 1000
    return [
        Row(
            f"live call under the budget and audit trail vs the plain client ({CALLS} calls each; {added_ms:.2f} ms added)",
            ms_per_call(spent_counted, CALLS),
            ms_per_call(spent_plain, CALLS),
            spent_counted / spent_plain,
            f"<= {TARGET_MS:g} ms added",
            added_ms <= TARGET_MS,
        )
    ]
