"""`make bench`: every figure in one run, each beside its raw baseline."""

from __future__ import annotations

import os
import platform

from bench import batch, client_overhead, metering, pages, preview, sandbox_load, sandbox_throughput, sessions
from bench.common import print_table, sandbox_process


def main() -> None:
    print(f"KYC Studio benchmarks on {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores\n")
    rows = []
    with sandbox_process() as url:
        rows += client_overhead.run(url)
        rows += metering.run(url)
        rows += sandbox_throughput.run(url)
        rows += sandbox_load.run(url)
    rows += preview.run()
    rows += pages.run()
    rows += batch.run()
    rows += sessions.run()
    print_table(rows)


if __name__ == "__main__":
    main()
