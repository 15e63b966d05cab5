"""``northstar`` on a given day, for tests that start it as a child process.

    python -m tests.clocked_cli --now 2026-03-14T12:00:00+00:00 job checkins

runs ``northstar job checkins`` with a clock that starts at ``--now`` and then runs on with the
process's own monotonic clock, so what is due is decided as on that day, whatever day the
tests run. Everything after ``--now`` is the ordinary command line. Test-only: users have no
way to set Northstar's clock.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.cli import main as northstar
from bot.core.runtime import Clock

CHECKOUT = Path(__file__).resolve().parents[1]  # where ``tests`` can be imported from


def clock_from(start: datetime) -> Clock:
    """A clock that reads ``start`` now and moves on as real time passes."""
    origin = time.monotonic()

    def now() -> datetime:
        return start + timedelta(seconds=time.monotonic() - origin)

    return now


def aware_instant(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} has no UTC offset")
    return moment


async def start_northstar(
    args: Sequence[str], *, now: datetime, cwd: Path, env: Mapping[str, str], **options: Any
) -> asyncio.subprocess.Process:
    """``northstar ARGS`` as a child process in ``cwd`` whose clock starts at ``now``;
    ``options`` go to ``asyncio.create_subprocess_exec`` (``stdout``, ``stderr``)."""
    path = os.pathsep.join(filter(None, [str(CHECKOUT), env.get("PYTHONPATH", "")]))
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.clocked_cli",
        "--now",
        now.isoformat(),
        *args,
        cwd=cwd,
        env={**env, "PYTHONPATH": path},
        **options,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.clocked_cli", allow_abbrev=False)
    parser.add_argument("--now", type=aware_instant, required=True, help="ISO 8601 with offset")
    known, rest = parser.parse_known_args(argv)
    return northstar(rest, clock=clock_from(known.now))


if __name__ == "__main__":
    sys.exit(main())
