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

While requests await their acks the collector does not start at all (``hold_collector``): a
collection then would delay every ack still waiting.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable

THRESHOLDS = (10_000, 10, 10)  # CPython's default: (700, 10, 10)


def tune_collector() -> None:
    """Set the collector's thresholds for this process: the server, a job and the
    benchmarks that measure them call it once at start-up."""
    gc.set_threshold(*THRESHOLDS)


_holds = 0  # holds not yet released
_disabled_by_holds = False  # whether the holds turned the collector off (not someone else)


def hold_collector(*, longest: float) -> Callable[[], None]:
    """Keep the cyclic collector from starting until the returned function is called (any
    number of times) or ``longest`` seconds of the running event loop have passed, whichever
    comes first. Holds overlap: the collector may run again once none is held. A collector
    that was already off (``gc.disable()`` elsewhere) is left off.

    The admission gate holds it while requests await their acks (``AdmissionGate``): a
    collection of the server's young objects took 5-26 ms, one in nearly every burst of 200
    slash commands, all of it added to the acks still waiting (``docs/performance.md``). The
    objects it would have freed wait a few milliseconds longer; nothing is freed later than
    ``longest``, as objects without reference cycles are freed at once as ever."""
    global _holds, _disabled_by_holds
    if _holds == 0 and gc.isenabled():
        gc.disable()
        _disabled_by_holds = True
    _holds += 1
    released = False

    def release() -> None:
        global _holds, _disabled_by_holds
        nonlocal released
        if released:
            return
        released = True
        timer.cancel()
        _holds -= 1
        if _holds == 0 and _disabled_by_holds:
            _disabled_by_holds = False
            gc.enable()

    timer = asyncio.get_running_loop().call_later(longest, release)
    return release
