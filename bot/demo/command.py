"""``northstar demo``: run the simulated month, print its last digest, write the folder."""

from __future__ import annotations

import asyncio
import sys
import textwrap
from pathlib import Path
from typing import TextIO

from bot.demo import bakery, texts
from bot.demo.options import DEFAULT_FOLDER, DEFAULT_SEED, DEFAULT_WEEKS
from bot.demo.output import write_folder
from bot.demo.picture import draw_terminal
from bot.demo.record import Recording
from bot.demo.run import simulate_month
from bot.demo.slack import DemoFailed
from bot.demo.terminal import WIDTH, Line, Style, as_ansi, as_text, render_message

EXIT_FAILED = 1


def digest_lines(recording: Recording, *, with_thread: bool = True) -> list[Line]:
    """The last week's company digest as terminal lines, its thread replies after a rule."""
    digest = recording.weeks[-1].company
    lines = render_message(digest.post.get("blocks", []), bakery.NAMES)
    if with_thread and digest.thread:
        rule = f"── {texts.THREAD_RULE} ".ljust(40, "─")
        lines += [(), ((rule, Style.DIM),)]
        for reply in digest.thread:
            lines += [(), *render_message(reply.get("blocks", []), bakery.NAMES)]
    return lines


def _paragraph(text: str) -> str:
    return "\n".join(textwrap.fill(line, WIDTH) for line in text.splitlines()) + "\n\n"


def run_demo(
    *,
    folder: Path = DEFAULT_FOLDER,
    weeks: int = DEFAULT_WEEKS,
    picture: Path | None = None,
    seed: int = DEFAULT_SEED,
    out: TextIO | None = None,
) -> int:
    """Simulate, print (to ``out``, else standard output) and write; 0 when it all went as
    scripted."""
    out = out or sys.stdout
    try:
        recording = asyncio.run(simulate_month(weeks=weeks, seed=seed))
    except DemoFailed as error:
        sys.stderr.write(texts.FAILED.format(reason=error) + "\n")
        return EXIT_FAILED
    first, last = recording.weeks[0].week, recording.weeks[-1].week
    show = as_ansi if out.isatty() else as_text
    cascade = render_message(recording.cascade.get("blocks", []), bakery.NAMES)
    out.write(_paragraph(texts.intro(weeks, first, last)) + show(digest_lines(recording)) + "\n\n")
    out.write(_paragraph(texts.CASCADE) + show(cascade) + "\n\n")
    if picture is not None:
        draw_terminal(digest_lines(recording, with_thread=False), picture, prompt="northstar demo")
    written = write_folder(recording, folder, picture)
    out.write(_paragraph(texts.wrote(folder, len(written))).rstrip("\n") + "\n")
    if picture is not None:
        out.write(texts.drew(picture) + "\n")
    return 0
