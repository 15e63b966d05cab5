"""Resident memory of this process: now, at its highest, and at its highest during a block.

On Linux the figures come from ``/proc/self``: ``statm`` now, ``VmHWM`` at the highest, and a
write to ``clear_refs`` starts the highest afresh for a block. ``getrusage`` is not used on
Linux because its highest survives ``exec``: a process started by a big parent would report
the parent's size. Elsewhere, ``getrusage`` and a thread sampling every 5 ms stand in.
"""

from __future__ import annotations

import os
import re
import resource
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc/self")
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
SAMPLE_SECONDS = 0.005
MIB = 2**20


def rss() -> int:
    """Bytes resident now."""
    try:
        return int((PROC / "statm").read_text().split()[1]) * PAGE
    except OSError:
        return max_rss()


def max_rss() -> int:
    """Bytes: the highest resident set size of this process (since the last reset)."""
    try:
        found = re.search(r"^VmHWM:\s+(\d+) kB", (PROC / "status").read_text(), re.MULTILINE)
    except OSError:
        found = None
    if found:
        return int(found[1]) * 1024
    highest = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return highest if sys.platform == "darwin" else highest * 1024


def reset_max_rss() -> bool:
    """Start the highest afresh from what is resident now (Linux 4.0+); False if we cannot."""
    try:
        (PROC / "clear_refs").write_text("5")
    except OSError:
        return False
    return True


@dataclass
class Peak:
    bytes: int = 0


@contextmanager
def peak_during() -> Iterator[Peak]:
    """The highest resident memory while the block runs."""
    peak = Peak(rss())
    if reset_max_rss():
        try:
            yield peak
        finally:
            peak.bytes = max(peak.bytes, max_rss())
        return
    highest_before = max_rss()
    done = threading.Event()

    def sample() -> None:
        while not done.wait(SAMPLE_SECONDS):
            peak.bytes = max(peak.bytes, rss())

    sampler = threading.Thread(target=sample, name="rss-sampler", daemon=True)
    sampler.start()
    try:
        yield peak
    finally:
        done.set()
        sampler.join()
        peak.bytes = max(peak.bytes, rss())
        if max_rss() > highest_before:  # a new high for the process: getrusage knows it
            peak.bytes = max(peak.bytes, max_rss())
