"""The line that work after an ack waits in (``Runtime.after_ack``): acks first, then a
bounded number of requests at work at once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from bot.core.collector import hold_collector

ACKS_FIRST_SECONDS = 0.5
"""The longest work after an ack is held back for other requests' acks. Slack gives an ack 3 s
and a ``trigger_id`` 3 s from the click, so under a steady stream that never leaves the server
without a request to answer, work still starts this soon."""


class AdmissionGate:
    """How many requests may work after their ack at once, and when they may start.

    A burst of slash commands all acknowledged at once would otherwise all ask the connection
    pool for a connection at once, and those still waiting after the pool's timeout would fail:
    a reply lost. Waiting here has no timeout, and the gate is sized to the pool's steady
    connections so that the overflow stays free for what runs before an ack
    (``bot.app.after_ack``). Work already running is not interrupted.

    Acks go first: while any request that has reached the server is still waiting for its ack
    to be sent (``answering``; a listener's own request too, which Bolt answers within 10 ms of
    its ``ack()``), work after an ack does not start, for at most ``acks_first`` seconds. An
    ack must reach Slack within 3 s and a reply has 30 minutes, and on a small machine the
    work (reading goals, building Block Kit, the database's threads) takes the CPU that the
    next request's signature check and ack need. For the same reason the automatic
    collections of Python's cyclic collector are postponed while an ack is pending, for at
    most ``acks_first`` seconds too (``bot.core.collector.hold_collector``)."""

    def __init__(self, limit: int, *, acks_first: float = ACKS_FIRST_SECONDS) -> None:
        self.limit = limit
        self.acks_first = acks_first
        self._slots = asyncio.Semaphore(limit)
        self._quiet = asyncio.Event()
        self._quiet.set()
        self._release_collector: Callable[[], None] = _nothing_held
        self.answering = 0
        """Requests arrived whose answer is not yet sent."""
        self.waiting = 0
        self.running = 0
        self.most_running = 0
        """The highest ``running`` seen, for tests and benchmarks."""

    @property
    def in_flight(self) -> int:
        """Requests acknowledged whose work is not finished (waiting or running)."""
        return self.waiting + self.running

    @contextmanager
    def answering_request(self) -> Iterator[None]:
        """Around a request from its arrival until its answer is sent (or it failed).

        In HTTP mode the block ends when the handler returns its response, which the server
        then writes in the same step of the request's task: the collector's hold is given back
        on the loop's next turn, so a collection put off during a burst does not start before
        the last ack's bytes are out."""
        if self.answering == 0:
            self._release_collector = hold_collector(longest=self.acks_first)
            self._quiet.clear()
        self.answering += 1
        try:
            yield
        finally:
            self.answering -= 1
            if self.answering == 0:
                self._quiet.set()
                asyncio.get_running_loop().call_soon(self._release_collector)

    async def enter(self) -> None:
        self.waiting += 1
        try:
            await self._acks_answered()
            await self._slots.acquire()
        finally:
            self.waiting -= 1
        self.running += 1
        self.most_running = max(self.most_running, self.running)

    async def _acks_answered(self) -> None:
        if self._quiet.is_set():
            return
        try:
            async with asyncio.timeout(self.acks_first):
                await self._quiet.wait()
        except TimeoutError:
            pass  # held back long enough: a steady stream must not starve the work

    def leave(self) -> None:
        self.running -= 1
        self._slots.release()

    @property
    def held_here(self) -> bool:
        """Whether the running task (a listener's own, with its own context) holds a place."""
        return _HOLDING_A_PLACE.get()

    async def enter_here(self) -> None:
        await self.enter()
        _HOLDING_A_PLACE.set(True)

    def leave_here(self) -> None:
        """Give back the running task's place, if it holds one (else nothing happens)."""
        if _HOLDING_A_PLACE.get():
            _HOLDING_A_PLACE.set(False)
            self.leave()


# Set only inside a listener's own task (Bolt starts each with a copy of the request's
# context), so it describes that one listener run.
_HOLDING_A_PLACE: ContextVar[bool] = ContextVar("northstar_after_ack_place", default=False)


def _nothing_held() -> None:
    pass
