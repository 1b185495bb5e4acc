"""The client's cost over a raw `requests` call to the same sandbox endpoint."""

from __future__ import annotations

import time

import requests

from bench.common import Row
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

    for warm in (raw, ours):
        for _ in range(20):
            warm()
    spent = {raw: 0.0, ours: 0.0}
    for _ in range(CALLS // BLOCK):
        for action in (raw, ours):
            started = time.perf_counter()
            for _ in range(BLOCK):
                action()
            spent[action] += time.perf_counter() - started
    ratio = spent[ours] / spent[raw]
    per_call = lambda seconds: f"{seconds / CALLS * 1000:.2f} ms/call"  # noqa: E731
    return [
        Row(
            f"income client vs raw requests ({CALLS} calls each)",
            per_call(spent[ours]),
            per_call(spent[raw]),
            ratio,
            "<= 1.15",
            ratio <= 1.15,
        )
    ]
