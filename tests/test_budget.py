"""The daily budget of live calls: per API, per WIB day, in a file that survives a restart and
that many threads and processes change without losing a count."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import threading

import pytest

from workflows import budget, state_files
from workflows.budget import BudgetError, DailyBudget


def day(text: str):
    return lambda: dt.date.fromisoformat(text)


def test_the_call_after_the_limit_is_refused_and_the_other_api_keeps_its_own(tmp_path):
    meter = DailyBudget(tmp_path, 2)
    meter.take("npwp")
    meter.take("npwp")
    with pytest.raises(BudgetError) as refused:
        meter.take("npwp")
    assert refused.value.code == "DAILY_LIMIT" and not refused.value.retryable
    assert "Verihubs NPWP OCR" in refused.value.message and "2 of 2" in refused.value.message
    assert "nothing was sent" in refused.value.message
    meter.take("income")  # its own count
    assert meter.usage("npwp") == budget.Usage(2, 2) and meter.usage("npwp").left == 0
    assert meter.usage("income").used == 1


def test_the_count_survives_a_restart(tmp_path):
    DailyBudget(tmp_path, 3).take("income")
    DailyBudget(tmp_path, 3).take("income")
    assert DailyBudget(tmp_path, 3).usage("income").used == 2  # a new object reads the file
    saved = json.loads((tmp_path / "live-calls.json").read_text())
    assert saved["calls"] == {"income": 2} and saved["day"] == budget.clock.now().date().isoformat()


def test_a_new_wib_day_starts_a_new_count(tmp_path):
    DailyBudget(tmp_path, 1, today=day("2026-12-05")).take("npwp")
    with pytest.raises(BudgetError):
        DailyBudget(tmp_path, 1, today=day("2026-12-05")).take("npwp")
    tomorrow = DailyBudget(tmp_path, 1, today=day("2026-12-06"))
    assert tomorrow.usage("npwp").used == 0
    tomorrow.take("npwp")


def test_the_day_is_jakartas(tmp_path, monkeypatch):
    # 17:30 UTC on 4 December is 00:30 WIB on 5 December: already the next day's budget.
    moment = dt.datetime(2026, 12, 4, 17, 30, tzinfo=dt.UTC)

    class Clock(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return moment.astimezone(tz)

    monkeypatch.setattr(budget.clock.dt, "datetime", Clock)
    DailyBudget(tmp_path, 5).take("npwp")  # the default day: the clock's, in WIB
    assert json.loads((tmp_path / "live-calls.json").read_text())["day"] == "2026-12-05"


def test_no_limit_counts_but_never_refuses(tmp_path):
    meter = DailyBudget(tmp_path, None)
    for _ in range(5):
        meter.take("npwp")
    assert meter.usage("npwp") == budget.Usage(5, None) and meter.usage("npwp").left is None


def test_a_limit_of_zero_refuses_every_call(tmp_path):
    with pytest.raises(BudgetError):
        DailyBudget(tmp_path, 0).take("income")


def test_give_back_uncounts_a_call_that_was_never_sent(tmp_path):
    meter = DailyBudget(tmp_path, 1)
    meter.take("npwp")
    meter.give_back("npwp")
    meter.take("npwp")
    meter.give_back("income")  # nothing to give back: stays at zero
    assert meter.usage("income").used == 0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("", (None, None)), ("200", (200, None)), (" 0 ", (0, None)), ("2OO", (0, "2OO")), ("-1", (0, "-1")), ("1.5", (0, "1.5"))],
)
def test_a_limit_that_is_not_a_whole_number_holds_live_calls(raw, expected):
    assert budget.limit_from({"KYC_LIVE_DAILY_LIMIT": raw}) == expected


def test_an_unreadable_count_holds_calls_under_a_limit_and_not_without_one(tmp_path):
    (tmp_path / "live-calls.json").write_text("{not json")
    with pytest.raises(BudgetError) as held:
        DailyBudget(tmp_path, 10).take("npwp")
    assert held.value.code == "BUDGET_UNREADABLE" and "KYC_STATE_DIR" in held.value.message
    assert DailyBudget(tmp_path, 10).usage("npwp") is None
    DailyBudget(tmp_path, None).take("npwp")  # no limit: nothing to protect, the call goes


def test_the_messages_are_said_in_indonesian(tmp_path):
    with pytest.raises(BudgetError) as refused:
        DailyBudget(tmp_path, 0).take("income")
    said = refused.value.message_in("id")
    assert said != refused.value.message and "KYC_LIVE_DAILY_LIMIT" in said and "0 dari 0" in said


def test_threads_never_overspend(tmp_path):
    meter = DailyBudget(tmp_path, 25)
    sent, refused = [], []

    def worker():
        for _ in range(10):
            try:
                meter.take("income")
                sent.append(1)
            except BudgetError:
                refused.append(1)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(sent) == 25 and len(refused) == 35
    assert meter.usage("income").used == 25


def _take_many(folder: str, count: int) -> int:
    meter = DailyBudget(state_files.Path(folder), 30)
    taken = 0
    for _ in range(count):
        try:
            meter.take("npwp")
            taken += 1
        except BudgetError:
            pass
    return taken


def test_processes_sharing_the_folder_never_overspend(tmp_path):
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        taken = pool.starmap(_take_many, [(str(tmp_path), 20)] * 3)
    assert sum(taken) == 30
    assert DailyBudget(tmp_path, 30).usage("npwp").used == 30
    assert not list(tmp_path.glob(".live-calls.json.*"))  # no temporary file left behind


def test_the_state_folder_is_kyc_state_dir_else_the_xdg_state_folder(tmp_path):
    assert state_files.state_dir({"KYC_STATE_DIR": str(tmp_path)}) == tmp_path
    assert state_files.state_dir({"XDG_STATE_HOME": "/srv/state"}) == state_files.Path("/srv/state/kyc-studio")
    assert state_files.state_dir({}).parts[-3:] == (".local", "state", "kyc-studio")
