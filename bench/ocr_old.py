"""The OLD OCR evaluation set (`python -m bench.ocr --old-set`): cards drawn like the shipped samples.

    python -m bench.ocr --old-set                 # the standard set (about 150 documents, a few minutes)
    python -m bench.ocr --old-set --scale 0.5     # half as many of each kind
    python -m bench.ocr --old-set --failures      # also list every wrong field

These cards come from ``sandbox.samples.generate.draw_card``: the code and DejaVu fonts the
pipeline was tuned on, so a full score here says nothing about real cards (``python -m
bench.ocr`` without the flag reads :mod:`bench.ocr_designs` instead).

Documents come from :mod:`bench.ocr_cards` (fixed seeds). Each is read by
``sandbox.recognition.recognize_by_ocr``: OCR only, no sample lookup, one at a time in this
process, so the seconds are what one server thread spends on a request. Prints a Markdown
table for the README and exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field

from bench.ocr_cards import KINDS, Doc, evaluation_set
from sandbox.recognition import recognize_by_ocr

FIELDS = ("npwp", "nik", "name", "address")
PER_KIND = {"clean scan": 30, "JPEG q70": 30, "phone photo": 40, "PDF": 30, "turned scan": 12, "not an NPWP": 30}
#: Share of exact matches each kind must reach, per field (None: no target for that field).
TARGETS: dict[str, dict[str, float]] = {
    "clean scan": dict.fromkeys(FIELDS, 1.0),
    "JPEG q70": dict.fromkeys(FIELDS, 1.0),
    "PDF": dict.fromkeys(FIELDS, 1.0),
    "phone photo": {"npwp": 0.95, "nik": 0.95, "name": 0.90},
}
MAX_MEDIAN_SECONDS = 1.0


@dataclass
class Tally:
    """Results of one kind of document."""

    docs: int = 0
    matches: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    detected: int = 0
    seconds: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def rate(self, name: str) -> float:
        return self.matches[name] / self.docs if self.docs else 0.0


def run(per_kind: dict[str, int], seed: int = 4) -> dict[str, Tally]:
    """Read every document and tally exact matches, detections and time per kind."""
    tallies: dict[str, Tally] = {kind: Tally() for kind in KINDS if per_kind.get(kind)}
    recognize_by_ocr(next(evaluation_set({"clean scan": 1}, seed=seed + 1)).data)  # warm-up, not counted
    for doc in evaluation_set(per_kind, seed=seed):
        started = time.perf_counter()
        got = recognize_by_ocr(doc.data)
        tally = tallies[doc.kind]
        tally.seconds.append(time.perf_counter() - started)
        tally.docs += 1
        tally.detected += got is not None
        _score(doc, got, tally)
    return tallies


def _score(doc: Doc, got: dict[str, str] | None, tally: Tally) -> None:
    if doc.expected is None:
        if got is not None:
            tally.failures.append(f"{doc.name}: false detection {got}")
        return
    for name in FIELDS:
        if got is not None and got[name] == doc.expected[name]:
            tally.matches[name] += 1
        else:
            tally.failures.append(f"{doc.name}: {name} {doc.expected[name]!r} read as {got and got[name]!r}")


def _pct(value: float) -> str:
    return f"{100 * value:.0f}%"


def table(tallies: dict[str, Tally]) -> list[str]:
    """The results as Markdown table rows."""
    rows = [
        "| document kind | docs | npwp | nik | name | address | detected | false detections | s/doc median | s/doc max |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    every: list[float] = []
    for kind, tally in tallies.items():
        every += tally.seconds
        median, worst = statistics.median(tally.seconds), max(tally.seconds)
        if kind == "not an NPWP":
            cells = ["–"] * 4 + [f"{tally.detected}/{tally.docs}", _pct(tally.detected / tally.docs)]
        else:
            cells = [_pct(tally.rate(name)) for name in FIELDS] + [f"{tally.detected}/{tally.docs}", "–"]
        rows.append(f"| {kind} | {tally.docs} | " + " | ".join(cells) + f" | {median:.2f} | {worst:.2f} |")
    total = sum(t.docs for t in tallies.values())
    rows.append(f"| **all** | {total} | | | | | | | **{statistics.median(every):.2f}** | {max(every):.2f} |")
    return rows


def missed_targets(tallies: dict[str, Tally]) -> list[str]:
    """Every target the run did not reach, as a sentence."""
    missed = []
    for kind, targets in TARGETS.items():
        if kind in tallies:
            missed += [f"{kind}: {name} {_pct(tallies[kind].rate(name))} < {_pct(goal)}"
                       for name, goal in targets.items() if tallies[kind].rate(name) < goal]  # fmt: skip
    other = tallies.get("not an NPWP")
    if other is not None and other.detected:
        missed.append(f"not an NPWP: {other.detected} false detection(s)")
    every = [s for t in tallies.values() for s in t.seconds]
    if every and statistics.median(every) > MAX_MEDIAN_SECONDS:
        missed.append(f"median {statistics.median(every):.2f} s/doc > {MAX_MEDIAN_SECONDS} s")
    return missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ocr --old-set", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every kind's count (default 1)")
    parser.add_argument("--seed", type=int, default=4, help="evaluation set seed (default 4)")
    parser.add_argument("--failures", action="store_true", help="list every wrong field")
    args = parser.parse_args(argv)
    per_kind = {kind: max(1, round(count * args.scale)) for kind, count in PER_KIND.items()}
    print(f"Sandbox OCR on {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, "
          f"seed {args.seed}, OCR only (no sample lookup)\n")  # fmt: skip
    started = time.perf_counter()
    tallies = run(per_kind, seed=args.seed)
    print("\n".join(table(tallies)))
    print(f"\n{sum(t.docs for t in tallies.values())} documents in {time.perf_counter() - started:.0f} s.")
    if args.failures:
        for tally in tallies.values():
            for line in tally.failures:
                print("  " + line)
    missed = missed_targets(tallies)
    print("Targets: all met." if not missed else "Targets missed: " + "; ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
