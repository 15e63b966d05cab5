"""Every benchmark, each size in a process of its own (so memory figures do not mix), and
one table of what they measured: ``python -m bench.all [--quick]`` (``make bench``).

``--quick`` runs the 1x sizes only, with fewer rounds, for a smoke run. The command exits 1
when a benchmark failed or when its SQL statements per operation differ between sizes. After
the table it prints each performance target with what this run measured (``bench.targets``).
Progress goes to stderr; the table to stdout.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from bench.report import Row, format_table, parse_rows
from bench.targets import format_verdicts, verdicts

FULL, QUICK = "full", "quick"
BOTH = (FULL, QUICK)


@dataclass(frozen=True)
class Job:
    module: str
    args: tuple[str, ...]
    modes: tuple[str, ...]


JOBS = (
    Job("bench.ack", (), (FULL,)),
    Job("bench.ack", ("--rounds", "1"), (QUICK,)),
    Job("bench.goals", ("--scale", "1"), BOTH),
    Job("bench.goals", ("--scale", "10"), (FULL,)),
    Job("bench.digest", ("--scale", "1"), BOTH),
    Job("bench.digest", ("--scale", "10"), (FULL,)),
    Job("bench.fanout", ("--people", "1000", "--case", "plain"), BOTH),
    Job("bench.fanout", ("--people", "10000", "--case", "plain"), (FULL,)),
    Job("bench.fanout", ("--people", "1000", "--case", "429"), BOTH),
    Job("bench.fanout", ("--people", "10000", "--case", "429"), (FULL,)),
    # 10 setups x 1,000 people due in the same minute (quick: x 100)
    Job("bench.fanout", ("--people", "1000", "--setups", "10", "--case", "plain"), (FULL,)),
    Job("bench.fanout", ("--people", "1000", "--setups", "10", "--case", "429"), (FULL,)),
    Job("bench.fanout", ("--people", "100", "--setups", "10", "--case", "plain"), (QUICK,)),
)


def run_job(job: Job) -> list[Row]:
    command = [sys.executable, "-m", job.module, "--json", *job.args]
    print(f"\n$ {' '.join(command[1:])}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    print(f"({time.perf_counter() - started:.0f}s)", file=sys.stderr, flush=True)
    if done.returncode != 0:
        raise RuntimeError(f"{job.module} {' '.join(job.args)} exited {done.returncode}")
    return parse_rows(done.stdout)


def in_order(rows: list[Row]) -> list[Row]:
    """Sizes of one benchmark next to each other, benchmarks in the order first seen."""
    first_seen: dict[str, int] = {}
    for row in rows:
        first_seen.setdefault(row.benchmark, len(first_seen))
    return sorted(rows, key=lambda row: first_seen[row.benchmark])


def growing_statements(rows: list[Row]) -> list[str]:
    counts: dict[str, set[float]] = {}
    for row in rows:
        if row.sql_per_op is not None:
            counts.setdefault(row.benchmark, set()).add(round(row.sql_per_op, 1))
    return [name for name, seen in counts.items() if len(seen) > 1]


def machine() -> str:
    database = os.environ.get("DATABASE_URL", "").split(":", 1)[0] or "sqlite (temporary file)"
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} CPUs "
        f"({platform.machine()}, {platform.system()} {platform.release()}); "
        f"Python {platform.python_version()}; database: {database}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1x sizes only, fewer rounds")
    arguments = parser.parse_args()
    started = time.perf_counter()
    rows: list[Row] = []
    failed: list[str] = []
    mode = QUICK if arguments.quick else FULL
    for job in (job for job in JOBS if mode in job.modes):
        try:
            rows += run_job(job)
        except RuntimeError as error:
            failed.append(str(error))
    print(f"\n{machine()}; {time.perf_counter() - started:.0f}s in all\n")
    print(format_table(in_order(rows)))
    # the targets are read, not enforced: timings on a shared machine vary too much to fail on
    print("\nTargets (issue 16), each against its own baseline:\n")
    print(format_verdicts(verdicts(rows)))
    growing = growing_statements(rows)
    for name in growing:
        print(f"\nSQL statements per operation differ between sizes: {name}")
    for failure in failed:
        print(f"\nFAILED: {failure}")
    sys.exit(1 if failed or growing else 0)


if __name__ == "__main__":
    main()
