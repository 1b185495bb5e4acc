"""Running many calls: bounded concurrency, a requests-per-second cap, a stop switch, no lost rows.

Every input row ends in exactly one ``RowOutcome``. Calls run on a small thread pool with at
most ``2 × workers`` rows in flight, so memory stays flat however long the input is. Stopping
lets the calls already sent finish (they may be billed, and their answers are worth keeping);
rows not yet sent come back as ``not_sent``. Retries are the client's own (kyc.http's policy).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from kyc.errors import KycError
from kyc.income import IncomeClient, IncomeRequest

#: An income row's outcomes, and an NPWP card's. Every row ends in exactly one of its set.
STATUSES = ("hit", "no_record", "error", "failed", "not_sent")
NPWP_STATUSES = ("detected", "not_detected", "failed", "not_sent")


@dataclass
class RowOutcome:
    """What became of one input row. ``status``: hit, no_record, error (result=error), failed or not_sent."""

    index: int
    status: str
    result: Any = None
    error: KycError | None = None


class RateLimiter:
    """At most ``rate`` starts per second, evenly spaced, shared by all worker threads."""

    def __init__(self, rate: float | None) -> None:
        self.interval = 1.0 / rate if rate else 0.0
        self._next = time.monotonic()
        self._lock = threading.Lock()

    def wait(self, stop: threading.Event) -> bool:
        """Block until this caller may start; False if ``stop`` was set meanwhile."""
        if not self.interval:
            return not stop.is_set()
        with self._lock:
            slot = max(self._next, time.monotonic())
            self._next = slot + self.interval
        delay = slot - time.monotonic()
        return not (stop.wait(delay) if delay > 0 else stop.is_set())


def run_many(
    call: Callable[[Any], Any],
    items: Iterable[Any],
    classify: Callable[[Any], str],
    workers: int = 4,
    max_rps: float | None = None,
    stop_event: threading.Event | None = None,
) -> Iterator[RowOutcome]:
    """Apply ``call`` to every item; yield one ``RowOutcome`` per item as calls finish.

    ``classify(result)`` names a successful call's status. A ``KycError`` makes the row
    ``failed``; any other exception too (carried as an INTERNAL KycError), so one odd row
    cannot end the run. A ``KycError`` with ``stops_batch`` (``workflows.budget.BudgetError``)
    ends it: that row and every row not yet sent come back ``not_sent``, with that error.
    """
    if workers < 1:
        raise ValueError("workers must be at least 1")
    stop = stop_event or threading.Event()
    limiter = RateLimiter(max_rps)
    source = iter(enumerate(items))
    # An error that says nothing more can be sent (the day's budget of live calls is used up):
    # the run stops, and every row left unsent carries it as the reason.
    stopped_by: list[KycError] = []

    def unsent(index: int) -> RowOutcome:
        return RowOutcome(index, "not_sent", error=stopped_by[0] if stopped_by else None)

    def one(index: int, item: Any) -> RowOutcome:
        if not limiter.wait(stop):
            return unsent(index)
        try:
            result = call(item)
        except KycError as error:
            if getattr(error, "stops_batch", False):
                stopped_by.append(error)
                stop.set()
                return unsent(index)
            return RowOutcome(index, "failed", error=error)
        except Exception as error:  # noqa: BLE001 - a bug in one row must not lose the others
            return RowOutcome(index, "failed", error=KycError("INTERNAL", f"Unexpected {type(error).__name__} for this row."))
        return RowOutcome(index, classify(result), result=result)

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kyc-batch") as pool:
        pending: set[Future[RowOutcome]] = set()
        exhausted = False
        while True:
            while not exhausted and not stop.is_set() and len(pending) < 2 * workers:
                nxt = next(source, None)
                if nxt is None:
                    exhausted = True
                    break
                pending.add(pool.submit(one, *nxt))
            if stop.is_set() and not exhausted:
                # Everything not yet handed to the pool is accounted for, unsent.
                for index, _ in source:
                    yield unsent(index)
                exhausted = True
            if not pending:
                return
            done, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()


def income_status(result: Any) -> str:
    """An income result's status: its ``result`` (hit, no_record, error), or failed for anything else."""
    return result.result if result.result in ("hit", "no_record", "error") else "failed"


def npwp_status(result: Any) -> str:
    """An extraction's status: detected, or not_detected (OCR_200004)."""
    return "detected" if result.detected else "not_detected"


def verify_many(
    client: IncomeClient,
    rows: Iterable[IncomeRequest],
    workers: int = 4,
    max_rps: float | None = None,
    stop_event: threading.Event | None = None,
) -> Iterator[RowOutcome]:
    """Verify every applicant; yield ``RowOutcome(index, status, result, error)`` as calls finish."""
    return run_many(client.verify, rows, income_status, workers, max_rps, stop_event)


def count(outcomes: Iterable[RowOutcome], statuses: tuple[str, ...] = STATUSES) -> dict[str, int]:
    """How many outcomes of each status (every one of ``statuses``, zeros included)."""
    totals = dict.fromkeys(statuses, 0)
    for outcome in outcomes:
        totals[outcome.status] = totals.get(outcome.status, 0) + 1
    return totals


class BatchJob:
    """A ``run_many`` in a background thread, so a UI can poll progress and press Stop.

    The UI's script may be interrupted at any moment (a click reruns it); the job is not, and
    keeps every outcome until the UI collects it. ``outcomes`` only ever grows.
    """

    def __init__(
        self,
        call: Callable[[Any], Any],
        items: list[Any],
        classify: Callable[[Any], str],
        workers: int = 4,
        max_rps: float | None = None,
    ) -> None:
        self.total = len(items)
        self.stop_event = threading.Event()
        self.outcomes: list[RowOutcome] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(
            target=self._run, args=(call, items, classify, workers, max_rps), name="kyc-batch-job", daemon=True
        )
        self.started = time.monotonic()
        self.finished: float | None = None
        self._thread.start()

    def _run(
        self, call: Callable[[Any], Any], items: list[Any], classify: Callable[[Any], str], workers: int, max_rps: float | None
    ) -> None:
        try:
            for outcome in run_many(call, items, classify, workers, max_rps, self.stop_event):
                with self._lock:
                    self.outcomes.append(outcome)
        finally:
            self.finished = time.monotonic()

    @property
    def done(self) -> bool:
        return self.finished is not None

    def stop(self) -> None:
        """Send nothing more; calls already sent finish, the rest end as not_sent."""
        self.stop_event.set()

    def snapshot(self) -> list[RowOutcome]:
        """The outcomes so far (a copy), in the order they finished."""
        with self._lock:
            return list(self.outcomes)

    def wait(self, timeout: float | None = None) -> bool:
        self._thread.join(timeout)
        return self.done


@dataclass(frozen=True)
class Pace:
    """How a pass is going: rows done, seconds since it started, rows per second, seconds left."""

    done: int
    total: int
    elapsed: float
    rate: float | None
    remaining: float | None


def pace(done: int, total: int, elapsed: float) -> Pace:
    """The rate so far and, from it, the time left (None until a row is done)."""
    rate = done / elapsed if done and elapsed > 0 else None
    remaining = (total - done) / rate if rate else None
    return Pace(done, total, elapsed, rate, remaining)


class BatchRun:
    """A batch over a fixed list of items, run in passes: the first, then Resume or Retry failed.

    Each pass is a ``BatchJob`` over some of the items. ``outcomes()`` keeps one outcome per
    item that a pass has reached, the latest pass's for each, keyed by the item's index in
    ``items``. Resume sends only the items whose outcome is ``not_sent`` (a Stop), Retry only
    the ``failed`` ones: nothing that already has an answer is sent, or billed, twice.
    """

    def __init__(self, items: list[Any], classify: Callable[[Any], str]) -> None:
        self.items = items
        self.classify = classify
        self.job: BatchJob | None = None
        self.passes = 0
        self._indices: list[int] = []
        self._settled: dict[int, RowOutcome] = {}

    @property
    def running(self) -> bool:
        return self.job is not None and not self.job.done

    def start(
        self, call: Callable[[Any], Any], indices: list[int] | None = None, workers: int = 4, max_rps: float | None = None
    ) -> None:
        """A new pass over ``indices`` (every item by default); not while a pass runs."""
        if self.running:
            raise RuntimeError("a pass is still running")
        self._settled = self.outcomes()
        self._indices = list(range(len(self.items))) if indices is None else list(indices)
        self.job = BatchJob(call, [self.items[i] for i in self._indices], self.classify, workers, max_rps)
        self.passes += 1

    def stop(self) -> None:
        if self.job is not None:
            self.job.stop()

    def pass_outcomes(self) -> list[RowOutcome]:
        """The current pass's outcomes so far, with indices into ``items``."""
        if self.job is None:
            return []
        return [RowOutcome(self._indices[o.index], o.status, o.result, o.error) for o in self.job.snapshot()]

    def outcomes(self) -> dict[int, RowOutcome]:
        """Every reached item's latest outcome, by index."""
        merged = dict(self._settled)
        merged.update((o.index, o) for o in self.pass_outcomes())
        return merged

    def indices(self, status: str) -> list[int]:
        """The items whose latest outcome has ``status``, in input order."""
        return sorted(i for i, o in self.outcomes().items() if o.status == status)

    def pace(self) -> Pace:
        """The current pass's pace."""
        if self.job is None:
            return pace(0, 0, 0.0)
        end = self.job.finished or time.monotonic()
        return pace(len(self.job.snapshot()), self.job.total, end - self.job.started)
