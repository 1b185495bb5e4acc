"""The client's cost over a raw `requests` call to the same sandbox endpoint."""

from __future__ import annotations

import requests

from bench.common import Row, alternating, ms_per_call
from kyc.income import IncomeClient, IncomeRequest
from kyc.settings import INCOME_PATH, SANDBOX_PARTNER_CODE, SANDBOX_PARTNER_KEY

CALLS = 300
BLOCK = 25  # raw and client calls alternate in blocks, so drift in the machine hits both alike
APPLICANT = IncomeRequest(
    name="SITI RAHAYU",
    phone_number="081234567890",
    id_number="3171015708450001",
    sex="female",
    birthdate="1945-08-17",
    package="JHT,JKK,JKM",
    email="siti@example.com",
)


def run(sandbox_url: str) -> list[Row]:
    url = sandbox_url + INCOME_PATH
    params = {"partner_code": SANDBOX_PARTNER_CODE, "partner_key": SANDBOX_PARTNER_KEY}
    payload = APPLICANT.to_payload()
    session = requests.Session()
    client = IncomeClient(url, SANDBOX_PARTNER_CODE, SANDBOX_PARTNER_KEY)

    def raw() -> None:
        session.post(url, params=params, json=payload, timeout=(3.05, 30)).json()

    def ours() -> None:
        client.verify(APPLICANT)

    spent_raw, spent_ours = alternating((raw, ours), CALLS, BLOCK)
    ratio = spent_ours / spent_raw
    return [
        Row(
            f"income client vs raw requests ({CALLS} calls each)",
            ms_per_call(spent_ours, CALLS),
            ms_per_call(spent_raw, CALLS),
            ratio,
            "<= 1.15",
            ratio <= 1.15,
        )
    ]
