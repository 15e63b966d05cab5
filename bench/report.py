"""One row per measured thing, the same shape for every benchmark; printed as one table.

Benchmarks print rows as JSON lines (``--json``) so that ``bench.all`` can run each in its
own process and gather them; on their own they print the table.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from bench.memory import MIB

JSON_MARK = "bench-row "


@dataclass(frozen=True)
class Row:
    """Milliseconds (or, for a ratio row, multiples), per-second rate, statements per
    operation and bytes of resident memory; None where a figure does not apply."""

    benchmark: str
    size: str
    samples: int
    p50: float | None = None
    p95: float | None = None
    p99: float | None = None
    rate: float | None = None
    rate_unit: str = ""
    sql_per_op: float | None = None
    memory_idle: int | None = None
    memory_peak: int | None = None
    ratio: bool = False
    floor: float | None = None  # the rate this row is measured against (fan-out: DMs/s)
    note: str = ""  # printed under the table

    def to_json(self) -> str:
        return JSON_MARK + json.dumps(asdict(self))

    @classmethod
    def from_json(cls, line: str) -> Row:
        return cls(**json.loads(line.removeprefix(JSON_MARK)))


def parse_rows(output: str) -> list[Row]:
    return [Row.from_json(line) for line in output.splitlines() if line.startswith(JSON_MARK)]


def print_rows(rows: Iterable[Row], *, as_json: bool) -> None:
    rows = list(rows)
    if as_json:
        for row in rows:
            print(row.to_json(), flush=True)
    else:
        print(format_table(rows))


HEADER = (
    "benchmark",
    "size",
    "n",
    "p50",
    "p95",
    "p99",
    "throughput",
    "SQL/op",
    "mem idle",
    "mem peak",
)
RIGHT = {"n", "p50", "p95", "p99", "throughput", "SQL/op", "mem idle", "mem peak"}


def _time(value: float | None, *, ratio: bool) -> str:
    if value is None:
        return ""
    if ratio:
        return f"{value:.2f}x"
    return f"{value:,.1f} ms" if value < 10_000 else f"{value / 1000:,.1f} s"


def _cells(row: Row) -> tuple[str, ...]:
    def number(value: float | None, form: str) -> str:
        return "" if value is None else format(value, form)

    def mib(value: int | None) -> str:
        return "" if value is None else f"{value / MIB:,.0f} MiB"

    return (
        row.benchmark,
        row.size,
        f"{row.samples:,}",
        _time(row.p50, ratio=row.ratio),
        _time(row.p95, ratio=row.ratio),
        _time(row.p99, ratio=row.ratio),
        "" if row.rate is None else f"{row.rate:,.1f} {row.rate_unit}",
        number(row.sql_per_op, ",.1f"),
        mib(row.memory_idle),
        mib(row.memory_peak),
    )


def format_table(rows: list[Row]) -> str:
    """A Markdown table whose columns also line up in a terminal, then the rows' notes."""
    lines = [HEADER, *(_cells(row) for row in rows)]
    widths = [max(len(line[column]) for line in lines) for column in range(len(HEADER))]

    def render(cells: tuple[str, ...]) -> str:
        padded = (
            cell.rjust(width) if name in RIGHT else cell.ljust(width)
            for name, cell, width in zip(HEADER, cells, widths, strict=True)
        )
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join(
        "-" * (width + 1) + ":" if name in RIGHT else "-" * (width + 2)
        for name, width in zip(HEADER, widths, strict=True)
    )
    notes = [f"- {row.benchmark}, {row.size}: {row.note}" for row in rows if row.note]
    table = [render(lines[0]), rule + "|", *(render(cells) for cells in lines[1:])]
    return "\n".join(table + (["", *notes] if notes else []))
