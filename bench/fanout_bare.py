"""The fan-out benchmark's ceiling on this machine: a bare aiohttp client, no database and no
Slack SDK, posting the same check-in prompt with ``SEND_CONCURRENCY`` calls in flight to the
same fake Slack at the same latency. The floor (8 sends x 20 ms = 400 DMs/s) assumes a call
takes exactly the latency; on a shared machine the fake Slack's own work and the two processes
waiting for a CPU add to every call, whatever the sender. What the bare client gets, measured
right after the fan-out, tells how much of the gap to the floor is Northstar's.
"""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, datetime

import aiohttp

from bot.checkins.blocks.prompts import build_checkin_prompt
from bot.slack.fanout import SEND_CONCURRENCY

CLOSES = datetime(2026, 12, 4, 17, 0, tzinfo=UTC)


async def bare_client_rate(api_url: str, calls: int, *, token: str = "xoxb-bench") -> float:
    """Calls per second a bare client got: ``calls`` ``chat.postMessage`` posts to channels
    nobody else is sent to (``BARE…``), ``SEND_CONCURRENCY`` in flight."""
    url = api_url + "chat.postMessage"
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json;charset=utf-8",
    }
    prompt = build_checkin_prompt(week="2026-W49", delivery_id=1, closes_local=CLOSES, questions=3)
    bodies = [json.dumps({"channel": f"BARE{n:06d}", **prompt}).encode() for n in range(calls)]
    gate = asyncio.Semaphore(SEND_CONCURRENCY)
    async with aiohttp.ClientSession() as session:

        async def post(body: bytes) -> None:
            async with gate, session.post(url, data=body, headers=headers) as response:
                answer = await response.json()
                if not answer.get("ok"):
                    raise RuntimeError(f"the fake Slack refused a bare post: {answer}")

        started = time.perf_counter()
        await asyncio.gather(*(post(body) for body in bodies))
        return calls / (time.perf_counter() - started)
