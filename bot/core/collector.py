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

While requests await their acks, automatic collections are postponed, by at most half a second
(``hold_collector``): a collection then would delay every ack still waiting.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable

THRESHOLDS = (10_000, 10, 10)  # CPython's default: (700, 10, 10)


def tune_collector() -> None:
    """Set the collector's thresholds for this process: the server, a job and the
    benchmarks that measure them call it once at start-up."""
    gc.set_threshold(*THRESHOLDS)


_hold_deadlines: dict[object, float] = {}  # each hold not yet released: when it lapses
_disabled_by_holds = False  # whether the holds turned the collector off (not someone else)


def hold_collector(*, longest: float) -> Callable[[], None]:
    """Postpone the cyclic collector's automatic collections until the returned function is
    called (any number of times) or ``longest`` seconds have passed, whichever comes first.
    Holds overlap: collections may start again once none is held. A collector that was off
    when the first hold was taken (``gc.disable()`` elsewhere) is left off; one turned off
    elsewhere during a hold is turned on again with the last release.

    The admission gate holds it while requests await their acks (``AdmissionGate``): a
    collection of the server's young objects took 5-26 ms, one in nearly every burst of 200
    slash commands, all of it added to the acks still waiting (``docs/performance.md``).
    Objects without reference cycles are freed at once as ever; the next collection (which
    frees those in cycles) comes at most ``longest`` later than it would have. A hold whose
    timer can no longer fire (its event loop closed) lapses at the next hold or release."""
    global _disabled_by_holds
    loop = asyncio.get_running_loop()
    token = object()
    _drop_lapsed_holds()
    if not _hold_deadlines and gc.isenabled():
        gc.disable()
        _disabled_by_holds = True
    _hold_deadlines[token] = time.monotonic() + longest

    def release() -> None:
        timer.cancel()
        _hold_deadlines.pop(token, None)
        _drop_lapsed_holds()

    timer = loop.call_later(longest, release)
    return release


def collector_held() -> bool:
    """Whether any hold is in force (for tests: none must outlive its requests)."""
    _drop_lapsed_holds()
    return bool(_hold_deadlines)


def _drop_lapsed_holds() -> None:
    global _disabled_by_holds
    now = time.monotonic()
    for token, deadline in list(_hold_deadlines.items()):
        if deadline <= now:
            del _hold_deadlines[token]
    if not _hold_deadlines and _disabled_by_holds:
        _disabled_by_holds = False
        gc.enable()
