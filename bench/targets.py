"""Issue 16's targets, checked against the rows of one ``make bench`` run: each figure next to
its own baseline (the bare Bolt floor, the 1x size, the concurrency floor) and a verdict.

A target whose rows are missing (``--quick`` runs no 10x size) is reported as not measured,
never as met. Timings are medians (p50) unless the target names a percentile.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bench.memory import MIB
from bench.report import Row

ACK_RATIO_LIMIT = 1.2
READ_LIMIT_MS = 100.0
READ_GROWTH_LIMIT = 1.5
DIGEST_LIMITS_MS = (300.0, 1_500.0)  # 1x, 10x
FANOUT_SHARE = 0.9  # of the concurrency floor
FANOUT_429_SHARE = 0.9  # of the floor the Retry-After values allow
IDLE_LIMIT = 100 * MIB
DIGEST_PEAK_LIMIT = 250 * MIB

READS = ("goals: /goal list all", "goals: /goal tree", "goals: /kpi list", "goals: App Home")
DIGEST_WHOLE = "digest: whole build (load, build, render, chart)"
ACK_RATIO = "ack: Northstar ÷ floor"
ACK_NORTHSTAR = "ack: Northstar /goal list"


@dataclass(frozen=True)
class Verdict:
    target: str
    measured: str
    met: bool | None  # None: not measured in this run

    @property
    def mark(self) -> str:
        return {True: "met", False: "MISSED", None: "not measured"}[self.met]


def _sizes(rows: Iterable[Row], benchmark: str) -> list[Row]:
    """The rows of one benchmark in the order they ran (1x first)."""
    return [row for row in rows if row.benchmark == benchmark]


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f} ms"


def ack_verdicts(rows: list[Row]) -> list[Verdict]:
    ratio = next(iter(_sizes(rows, ACK_RATIO)), None)
    if ratio is None or None in (ratio.p50, ratio.p95, ratio.p99):
        return [Verdict(f"acks within {ACK_RATIO_LIMIT}x the bare Bolt floor", "-", None)]
    figures = (ratio.p50, ratio.p95, ratio.p99)
    measured = " / ".join(f"{value:.2f}x" for value in figures if value is not None)
    met = all(value is not None and value <= ACK_RATIO_LIMIT for value in figures)
    return [Verdict(f"acks p50/p95/p99 within {ACK_RATIO_LIMIT}x the floor", measured, met)]


def read_verdicts(rows: list[Row]) -> list[Verdict]:
    verdicts = []
    for name in READS:
        sizes = _sizes(rows, name)
        small, large = (sizes[0], sizes[-1]) if len(sizes) > 1 else (None, None)
        label = name.removeprefix("goals: ")
        if small is None or large is None or not small.p50 or not large.p50:
            verdicts.append(Verdict(f"{label}: under 100 ms at 10x, at most 1.5x of 1x", "-", None))
            continue
        growth = large.p50 / small.p50
        verdicts.append(
            Verdict(
                f"{label}: under {READ_LIMIT_MS:.0f} ms at 10x, at most {READ_GROWTH_LIMIT}x of 1x",
                f"{_ms(large.p50)} at 10x, {growth:.2f}x of 1x ({_ms(small.p50)})",
                large.p50 < READ_LIMIT_MS and growth <= READ_GROWTH_LIMIT,
            )
        )
    return verdicts


def digest_verdicts(rows: list[Row]) -> list[Verdict]:
    sizes = _sizes(rows, DIGEST_WHOLE)
    verdicts = []
    for index, (scale, limit) in enumerate(zip(("1x", "10x"), DIGEST_LIMITS_MS, strict=True)):
        row = sizes[index] if index < len(sizes) else None
        target = f"digest whole build under {limit:,.0f} ms at {scale}"
        if row is None or row.p50 is None:
            verdicts.append(Verdict(target, "-", None))
        else:
            verdicts.append(Verdict(target, _ms(row.p50), row.p50 < limit))
    peak = sizes[1].memory_peak if len(sizes) > 1 else None
    target = f"digest peak memory under {DIGEST_PEAK_LIMIT // MIB} MiB at 10x"
    verdicts.append(
        Verdict(target, "-", None)
        if peak is None
        else Verdict(target, f"{peak / MIB:,.0f} MiB", peak < DIGEST_PEAK_LIMIT)
    )
    return verdicts


def fanout_verdicts(rows: list[Row]) -> list[Verdict]:
    """Fan-out rows carry the floor they are measured against in ``floor`` (DMs/s)."""
    verdicts = []
    for row in rows:
        if not row.benchmark.startswith("fan-out:") or row.rate is None or not row.floor:
            continue
        share = FANOUT_429_SHARE if "429" in row.benchmark else FANOUT_SHARE
        verdicts.append(
            Verdict(
                f"{row.benchmark.removeprefix('fan-out: ')}, {row.size}: at least "
                f"{share:.0%} of {row.floor:,.0f} DMs/s",
                f"{row.rate:,.1f} DMs/s ({row.rate / row.floor:.0%})",
                row.rate >= share * row.floor,
            )
        )
    return verdicts or [Verdict("fan-out at 90% of its floor", "-", None)]


def memory_verdicts(rows: list[Row]) -> list[Verdict]:
    northstar = next(iter(_sizes(rows, ACK_NORTHSTAR)), None)
    target = f"idle process under {IDLE_LIMIT // MIB} MiB"
    if northstar is None or northstar.memory_idle is None:
        return [Verdict(target, "-", None)]
    idle = northstar.memory_idle
    return [Verdict(target, f"{idle / MIB:,.0f} MiB", idle < IDLE_LIMIT)]


CHECKS: tuple[Callable[[list[Row]], list[Verdict]], ...] = (
    ack_verdicts,
    read_verdicts,
    digest_verdicts,
    fanout_verdicts,
    memory_verdicts,
)


def verdicts(rows: list[Row]) -> list[Verdict]:
    return [verdict for check in CHECKS for verdict in check(rows)]


def format_verdicts(found: list[Verdict]) -> str:
    lines = ["| target | measured | verdict |", "|---|---|---|"]
    lines += [f"| {v.target} | {v.measured} | {v.mark} |" for v in found]
    return "\n".join(lines)
