"""workflows.batch: every row ends in exactly one outcome, under faults, stops and rate caps."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest

from kyc.errors import KycError
from kyc.income import IncomeClient, IncomeRequest
from kyc.settings import INCOME_PATH
from sandbox.income_api import flaky_fate
from workflows.batch import RowOutcome, count, run_many, verify_many


def applicants(n: int) -> list[IncomeRequest]:
    # Valid NIKs (Jakarta Selatan, born 17 Aug 1985) with serials 0001..n: none ends in 0000.
    return [
        IncomeRequest(name=f"APPLICANT {i}", phone_number="081234567890", id_number=f"317101170885{i:04d}")
        for i in range(1, n + 1)
    ]


def client(sandbox, scenario=None, timeout=(1.0, 1.5)) -> IncomeClient:
    return IncomeClient(sandbox.url + INCOME_PATH, "demo", "demo-key", timeout=timeout, scenario=scenario)


@pytest.mark.load
def test_a_thousand_flaky_rows_give_a_thousand_outcomes_counted_exactly(sandbox):
    rows = applicants(1000)
    fates = Counter(flaky_fate(row.id_number) for row in rows)
    assert 150 <= fates["error"] + fates["slow"] <= 250  # about 20%, fixed by the NIKs
    outcomes = list(verify_many(client(sandbox, "flaky"), rows, workers=16))
    assert sorted(o.index for o in outcomes) == list(range(1000))
    totals = count(outcomes)
    assert totals["failed"] == fates["error"] + fates["slow"]
    assert totals["hit"] == fates["ok"]
    assert totals["no_record"] == totals["error"] == totals["not_sent"] == 0
    codes = Counter(o.error.code for o in outcomes if o.status == "failed")
    assert codes == {"9500": fates["error"], "TIMEOUT": fates["slow"]}
    for outcome in outcomes:
        expected = {"error": "failed", "slow": "failed", "ok": "hit"}[flaky_fate(rows[outcome.index].id_number)]
        assert outcome.status == expected


def _answer(outcome: RowOutcome) -> tuple:
    """What an outcome says of the applicant, leaving out the call's own IDs."""
    result = outcome.result
    if result is None:
        return (outcome.status,)
    return (outcome.status, result.company, result.month_last_salary, result.salary, result.comparisons)


@pytest.mark.parametrize("read_timeout", [1.5, 10.0])
def test_flaky_delays_or_fails_a_call_but_never_changes_its_answer(sandbox, read_timeout):
    rows = applicants(30) + [IncomeRequest(name="NOBODY", phone_number="081234567890", id_number="3171011708850000")]
    fates = Counter(flaky_fate(row.id_number) for row in rows)
    assert fates["slow"] and fates["error"]  # the set holds calls of each fate
    plain = {o.index: _answer(o) for o in verify_many(client(sandbox, timeout=(1.0, read_timeout)), rows, workers=16)}
    flaky = {o.index: o for o in verify_many(client(sandbox, "flaky", (1.0, read_timeout)), rows, workers=16)}
    assert plain[len(rows) - 1][0] == "no_record"
    for index, outcome in flaky.items():
        fate = flaky_fate(rows[index].id_number)
        if outcome.status == "failed":
            assert fate == "error" or (fate == "slow" and read_timeout < 2), (index, fate, outcome.error)
        else:
            assert _answer(outcome) == plain[index]
    if read_timeout > 2:  # a client that waits gets the late answers
        assert sum(o.status != "failed" for o in flaky.values()) == len(rows) - fates["error"]


def test_stopping_mid_run_still_accounts_for_every_row(sandbox):
    stop = threading.Event()
    seen: list[RowOutcome] = []
    for outcome in verify_many(client(sandbox), applicants(300), workers=4, stop_event=stop):
        seen.append(outcome)
        if len(seen) == 40:
            stop.set()
    assert sorted(o.index for o in seen) == list(range(300))
    totals = count(seen)
    assert totals["hit"] >= 40 and totals["not_sent"] > 200
    assert sum(totals.values()) == 300


def test_result_error_and_no_record_are_their_own_statuses(sandbox):
    assert count(verify_many(client(sandbox, "quota_exceeded"), applicants(5)))["error"] == 5
    assert count(verify_many(client(sandbox, "no_record"), applicants(5)))["no_record"] == 5
    failed = list(verify_many(client(sandbox, "expired"), applicants(3)))
    assert {o.status for o in failed} == {"failed"} and {o.error.code for o in failed} == {"304"}


def test_an_unexpected_exception_fails_only_its_row():
    def call(item: int) -> int:
        if item == 3:
            raise ZeroDivisionError
        return item

    outcomes = sorted(run_many(call, range(6), classify=lambda r: "hit"), key=lambda o: o.index)
    assert [o.status for o in outcomes] == ["hit", "hit", "hit", "failed", "hit", "hit"]
    assert outcomes[3].error.code == "INTERNAL"


def test_the_rate_cap_spaces_the_calls():
    starts: list[float] = []
    lock = threading.Lock()

    def call(item: int) -> int:
        with lock:
            starts.append(time.monotonic())
        return item

    list(run_many(call, range(11), classify=lambda r: "hit", workers=4, max_rps=20))
    starts.sort()
    assert starts[-1] - starts[0] >= 0.45  # 10 intervals of 50 ms: a lower bound only


def test_workers_must_be_positive():
    with pytest.raises(ValueError):
        list(run_many(lambda x: x, [1], classify=str, workers=0))


def test_empty_input_yields_nothing():
    assert list(run_many(lambda x: x, [], classify=str)) == []


def test_kycerror_carries_through(sandbox):
    outcome = next(
        verify_many(client(sandbox), [IncomeRequest(name="", phone_number="081234567890", id_number="3171011708850001")])
    )
    assert outcome.status == "failed" and isinstance(outcome.error, KycError) and outcome.error.code == "9060"


def test_a_background_job_can_be_stopped_and_loses_nothing(sandbox):
    from workflows.batch import BatchJob

    job = BatchJob(client(sandbox).verify, applicants(200), classify=lambda r: r.result, workers=2, max_rps=50)
    while len(job.snapshot()) < 10:
        time.sleep(0.02)
    job.stop()
    assert job.wait(timeout=30)
    outcomes = job.snapshot()
    assert sorted(o.index for o in outcomes) == list(range(200))
    assert count(outcomes)["not_sent"] > 0 and count(outcomes)["hit"] >= 10


def test_resume_and_retry_send_only_the_rows_they_name(sandbox):
    from workflows.batch import BatchRun, income_status

    rows = applicants(12)
    sent: list[str] = []
    plain = client(sandbox)

    def call(row: IncomeRequest):
        sent.append(row.id_number)
        if row.id_number.endswith("3"):
            raise KycError("TIMEOUT", "late")
        return plain.verify(row)

    run = BatchRun(rows, income_status)
    run.start(call, [0, 1, 2, 3])  # as if a Stop left 4-11 unsent
    assert run.job.wait(10)
    assert sorted(run.outcomes()) == [0, 1, 2, 3] and run.indices("failed") == [2]
    run.start(call, list(range(4, 12)))
    assert run.job.wait(10)
    assert len(run.outcomes()) == 12 and run.indices("failed") == [2]
    sent.clear()
    run.start(plain.verify, run.indices("failed"))
    assert run.job.wait(10)
    assert run.indices("failed") == [] and len(run.indices("hit")) == 12 and run.passes == 3
    assert [o.index for o in run.pass_outcomes()] == [2]


def test_pace_gives_rate_and_time_left():
    from workflows.batch import pace

    assert pace(0, 10, 3.0).rate is None and pace(0, 10, 3.0).remaining is None
    p = pace(5, 20, 10.0)
    assert p.rate == 0.5 and p.remaining == 30.0
