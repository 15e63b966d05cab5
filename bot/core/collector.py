"""Python's cyclic garbage collector, tuned for a process that reads whole workspaces at once.

CPython starts a collection of its youngest generation every 700 net new container objects,
and a full collection every tenth middle one once the objects waiting in the old generation
pass a quarter of those already there. A digest at 10,000 people reads some 50,000 goal rows
and builds an object or two from each: with the default thresholds that set off seven full
collections a build, each going over every object of the process (60-110 ms each), about a
third of the build's time (``docs/performance.md``). With the first threshold at 10,000 the
young generation is collected a fourteenth as often and the rows are mostly long gone (or
untracked, as tuples of plain values become) before a full collection looks at them.

A young generation of 10,000 objects holds at most a few MiB of garbage in reference
cycles until it is collected; objects without cycles are still freed at once by reference
counting, as before.
"""

from __future__ import annotations

import gc

THRESHOLDS = (10_000, 10, 10)  # CPython's default: (700, 10, 10)


def tune_collector() -> None:
    """Set the collector's thresholds for this process: the server, a job and the
    benchmarks that measure them call it once at start-up."""
    gc.set_threshold(*THRESHOLDS)
