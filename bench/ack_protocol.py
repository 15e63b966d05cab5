"""How the acknowledgement benchmark runs its servers: each a ``python -m`` process of its own
that answers JSON lines on stdout to JSON lines on stdin; ``{"stop": true}`` ends it, and it
answers that with its last figures.

Kept to the standard library and uvicorn so that the floor's process loads nothing of
Northstar: its memory figures are the bare framework's.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys
import time
from collections.abc import Callable
from typing import Any

import uvicorn

from bench.memory import max_rss, rss

Message = dict[str, Any]
QUIET = {"statements": 0, "errors": 0, "first_error": "", "in_flight": 0}


def quiet(_message: Message) -> Message:
    """The floor's figures: it runs no SQL, logs no errors and does nothing after an ack."""
    return QUIET.copy()


def send(message: Message) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


async def receive() -> Message:
    line = await asyncio.to_thread(sys.stdin.readline)
    message: Message = json.loads(line) if line else {"stop": True}
    return message


async def serve_until_stopped(app: Any, figures: Callable[[Message], Message] = quiet) -> None:
    """Serve ``app`` with uvicorn on a free port of 127.0.0.1, as ``northstar run`` does (plus
    connections kept open across rounds); say the port and the memory resident once ready,
    answer any message with ``figures(message)`` (SQL statements, errors logged, requests
    acknowledged whose work is unfinished) and the CPU seconds used so far, and stop when told."""
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listening.bind(("127.0.0.1", 0))
    config = uvicorn.Config(
        app, log_config=None, lifespan="on", timeout_keep_alive=600, backlog=4096
    )
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve(sockets=[listening]))
    while not server.started:
        if serving.done():
            serving.result()  # raises what stopped it
            raise RuntimeError("uvicorn stopped before it started serving")
        await asyncio.sleep(0.01)
    send({"port": listening.getsockname()[1], "memory_idle": rss()})
    while not (message := await receive()).get("stop"):
        send({**figures(message), "cpu_seconds": time.process_time()})
    server.should_exit = True
    await serving
    send({**figures(message), "memory_peak": max_rss()})


class Child:
    """One server process, started with ``python -m MODULE ARGS...``."""

    def __init__(self, name: str, process: asyncio.subprocess.Process) -> None:
        self.name = name
        self._process = process

    @classmethod
    async def start(cls, name: str, module: str, *args: str) -> Child:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            module,
            *args,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        return cls(name, process)

    async def receive(self, within: float = 600) -> Message:
        assert self._process.stdout is not None
        try:
            async with asyncio.timeout(within):
                line = await self._process.stdout.readline()
        except TimeoutError:
            raise RuntimeError(f"{self.name}: no answer within {within:.0f}s") from None
        if not line:
            code = await self._process.wait()
            raise RuntimeError(f"{self.name} ended (exit code {code}); see its stderr above")
        message: Message = json.loads(line)
        return message

    async def ask(self, message: Message, within: float = 600) -> Message:
        assert self._process.stdin is not None
        self._process.stdin.write((json.dumps(message) + "\n").encode())
        await self._process.stdin.drain()
        return await self.receive(within)

    async def stop(self) -> Message:
        last = await self.ask({"stop": True}, within=60)
        await self._process.wait()
        return last

    async def kill(self) -> None:
        """After a failure: make sure the process is gone."""
        if self._process.returncode is None:
            self._process.kill()
            await self._process.wait()
