"""A PNG chart of a survey's results (matplotlib, Agg), with alt text carrying the numbers.

Only a ``SurveyResults`` can be drawn; a ``Withheld`` comes back as it is, so no chart exists
below the threshold: the chart is drawn behind the same gate (``bot.pulse.results.release``)
as the results text, from the same whole-survey numbers, and never by team.

What it shows, one section each:

- agreement questions: how many people gave each answer from 1 to 5, as one stacked bar per
  question, and beside it the mean on an axis from 1 to 5;
- eNPS questions: detractors, passives and promoters as a stacked bar, and beside it the
  score on an axis from -100 to 100;
- each choice question: how many people chose each option.

The figure is built with matplotlib's object API, never ``pyplot``, so charts drawn at the same
time share no global state; the PNG carries no version or date, so the same results give the
same bytes.

matplotlib (with numpy, about 50 MiB) is imported when the first chart is drawn, not when the
app starts: most processes never draw one. ``render_chart`` is CPU-heavy: async callers run it
in a worker thread (``asyncio.to_thread``) so the event loop keeps acknowledging requests.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.pulse.questions import ENPS_RANGE, SCALE_RANGE
from bot.pulse.results import (
    DETRACTOR_UP_TO,
    PROMOTER_FROM,
    ChoiceResult,
    EnpsResult,
    ScaleResult,
    SurveyResults,
    Withheld,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

ALT_TEXT_MAX_CHARS = 2000  # Slack's limit for an image's alt text
PNG_METADATA: dict[str, str | None] = {"Software": None}  # no matplotlib version in the bytes
DPI = 100
WIDTH = 9.0  # inches
ROW_HEIGHT, LINE_HEIGHT, SECTION_HEIGHT, HEADER_HEIGHT = 0.45, 0.2, 1.3, 0.7  # inches
TITLE_SIZE, SECTION_SIZE, TEXT_SIZE = 15, 12, 11  # points
LABEL_WIDTH = 34
LEGEND_COLUMNS = 3
TITLE_WIDTH = 70
SEGMENT_LABEL_MIN_SHARE = 0.06  # narrower stacked segments carry no count: it would not fit
BAR_COLOR, NEGATIVE_COLOR, AXIS_COLOR = "#2F6FDE", "#D9534F", "#666666"
LIKERT_COLORS = ("#C9302C", "#F0A58F", "#C8C8C8", "#8CC79A", "#2E8B57")  # 1 .. 5
LIKERT_NAMES = ("strongly disagree", "disagree", "neutral", "agree", "strongly agree")
LIKERT_TICKS = ("1\nstrongly\ndisagree", "2", "3\nneutral", "4", "5\nstrongly\nagree")
ENPS_COLORS = ("#C9302C", "#C8C8C8", "#2E8B57")  # detractors, passives, promoters
ENPS_NAMES = (
    f"detractors ({ENPS_RANGE.start}-{DETRACTOR_UP_TO})",
    f"passives ({DETRACTOR_UP_TO + 1}-{PROMOTER_FROM - 1})",
    f"promoters ({PROMOTER_FROM}-{ENPS_RANGE.stop - 1})",
)
SCALE_LOW, SCALE_HIGH = SCALE_RANGE.start, SCALE_RANGE.stop - 1
SECTION_TEXTS = {
    "scale": "How people answered",
    "mean": f"Mean answer, on the scale from {SCALE_LOW} to {SCALE_HIGH}",
    "enps": "Detractors, passives, promoters",
    "score": "eNPS: % promoters minus % detractors, from -100 to +100",
}


@dataclass(frozen=True)
class Chart:
    png: bytes
    alt_text: str


@dataclass(frozen=True)
class EnpsSplit:
    detractors: int
    passives: int
    promoters: int
    score: int

    @property
    def counts(self) -> tuple[int, int, int]:
        return self.detractors, self.passives, self.promoters


def likert_counts(item: ScaleResult) -> tuple[int, ...]:
    """How many answered each value from 1 to 5, in that order."""
    return tuple(item.distribution.get(value, 0) for value in SCALE_RANGE)


def enps_split(item: EnpsResult) -> EnpsSplit:
    return EnpsSplit(
        detractors=item.detractors,
        passives=item.passives,
        promoters=item.promoters,
        score=item.score or 0,
    )


def render_chart(results: SurveyResults | Withheld, *, title: str) -> Chart | Withheld:
    if isinstance(results, Withheld):
        return results
    figure = results_figure(results, title=title)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata=PNG_METADATA)
    return Chart(png=buffer.getvalue(), alt_text=alt_text(results, title=title))


def results_figure(results: SurveyResults, *, title: str) -> Figure:
    """The chart's figure, drawn but not saved. Its axes carry ids (``gid``) naming what they
    show: ``scale``, ``mean``, ``enps``, ``score`` and ``choice:<question key>``."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    scales = [item for item in results.questions if isinstance(item, ScaleResult) and item.count]
    scores = [item for item in results.questions if isinstance(item, EnpsResult) and item.count]
    choices = [item for item in results.questions if isinstance(item, ChoiceResult) and item.count]
    rows = [_rows_height([item.text for item in scales])] * 2 if scales else []
    rows += [_rows_height([item.text for item in scores])] * 2 if scores else []
    rows += [_rows_height(list(choice.counts)) for choice in choices]
    height = HEADER_HEIGHT + sum(rows) + SECTION_HEIGHT * len(rows)
    figure = Figure(figsize=(WIDTH, max(height, 2.5)), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    heading = f"{title} ({results.responses} responses)"
    figure.suptitle(_plain(textwrap.fill(heading, TITLE_WIDTH)), fontsize=TITLE_SIZE)
    if not rows:
        figure.text(0.5, 0.5, "No scored questions in this survey.", ha="center", va="center")
        return figure
    axes = list(figure.subplots(len(rows), 1, squeeze=False, height_ratios=rows)[:, 0])
    if scales:
        _draw_scales(axes.pop(0), axes.pop(0), scales)
    if scores:
        _draw_enps(axes.pop(0), axes.pop(0), scores)
    for choice, axis in zip(choices, axes, strict=True):
        _draw_choice(axis, choice)
    return figure


def _rows_height(labels: Sequence[str]) -> float:
    """Inches for one bar per label, each as tall as the longest label's wrapped lines."""
    lines = max(_label(label).count("\n") + 1 for label in labels)
    return len(labels) * max(ROW_HEIGHT, LINE_HEIGHT * lines + 0.1)


def _draw_scales(split: Axes, means: Axes, items: list[ScaleResult]) -> None:
    split.set_gid("scale")
    means.set_gid("mean")
    labels = [_label(item.text) for item in items]
    _stacked(split, labels, [likert_counts(item) for item in items], LIKERT_COLORS)
    split.set_title(SECTION_TEXTS["scale"], fontsize=SECTION_SIZE, loc="left")
    names = [f"{value} {name}" for value, name in zip(SCALE_RANGE, LIKERT_NAMES, strict=True)]
    _legend(split, names, LIKERT_COLORS)
    values = [item.mean or float(SCALE_LOW) for item in items]
    _value_axis(means, (SCALE_LOW, SCALE_HIGH), list(SCALE_RANGE), list(LIKERT_TICKS))
    _dots(means, labels, values, [f"{value:.2f}" for value in values])
    means.set_title(SECTION_TEXTS["mean"], fontsize=SECTION_SIZE, loc="left")


def _draw_enps(split: Axes, score: Axes, items: list[EnpsResult]) -> None:
    split.set_gid("enps")
    score.set_gid("score")
    labels = [_label(item.text) for item in items]
    splits = [enps_split(item) for item in items]
    _stacked(split, labels, [item.counts for item in splits], ENPS_COLORS)
    split.set_title(SECTION_TEXTS["enps"], fontsize=SECTION_SIZE, loc="left")
    _legend(split, list(ENPS_NAMES), ENPS_COLORS)
    values = [item.score for item in splits]
    score.axvline(0, color=AXIS_COLOR, linewidth=0.8)
    ticks = [-100, -50, 0, 50, 100]
    _value_axis(score, (-100, 100), ticks, [f"{tick:+d}" if tick else "0" for tick in ticks])
    _dots(score, labels, [float(value) for value in values], [f"{v:+d}" for v in values])
    score.set_title(SECTION_TEXTS["score"], fontsize=SECTION_SIZE, loc="left")


def _dots(axis: Axes, labels: Sequence[str], values: Sequence[float], texts: Sequence[str]) -> None:
    """One dot per question at its value, the value written beside it, towards the middle."""
    positions = _positions(len(values))
    axis.scatter(values, positions, color=BAR_COLOR, s=70, zorder=3, clip_on=False)
    axis.set_yticks(positions, labels=list(labels))
    axis.set_ylim(-0.6, len(values) - 0.4)
    axis.grid(axis="x", color="#DDDDDD")
    low, high = axis.get_xlim()
    for position, value, text in zip(positions, values, texts, strict=True):
        near_end = value > low + (high - low) * 0.85  # no room on the right: write it left
        axis.annotate(
            text,
            (value, position),
            xytext=(-9 if near_end else 9, 0),
            textcoords="offset points",
            ha="right" if near_end else "left",
            va="center",
            fontsize=TEXT_SIZE,
            fontweight="bold",
        )


def _value_axis(
    axis: Axes, limits: tuple[float, float], ticks: list[int], labels: list[str]
) -> None:
    """An axis of scores from ``limits[0]`` to ``limits[1]``; the end labels are aligned inwards
    so that they stay under the axis."""
    axis.set_xlim(*limits)
    axis.set_xticks(ticks, labels=labels)
    axis.tick_params(labelsize=TEXT_SIZE)
    shown = axis.get_xticklabels()
    shown[0].set_horizontalalignment("left")
    shown[-1].set_horizontalalignment("right")


def _draw_choice(axis: Axes, item: ChoiceResult) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_gid(f"choice:{item.key}")
    positions = _positions(len(item.counts))
    counts = list(item.counts.values())
    axis.barh(positions, counts, color=BAR_COLOR, height=0.6)
    axis.set_yticks(positions, labels=[_label(option) for option in item.counts])
    axis.set_xlim(0, max(max(counts), 1) * 1.15)
    axis.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    axis.set_title(_plain(_wrapped(item.text)), fontsize=SECTION_SIZE, loc="left")
    axis.tick_params(labelsize=TEXT_SIZE)
    for position, count in zip(positions, counts, strict=True):
        axis.annotate(
            str(count),
            (count, position),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=TEXT_SIZE,
        )


def _stacked(
    axis: Axes, labels: Sequence[str], rows: Sequence[Sequence[int]], colors: Sequence[str]
) -> None:
    """One bar per row, its counts stacked left to right, each wide enough segment labelled."""
    positions = _positions(len(rows))
    starts = [0] * len(rows)
    for column, color in enumerate(colors):
        widths = [row[column] for row in rows]
        axis.barh(positions, widths, left=starts, color=color, height=0.6, edgecolor="white")
        for position, start, width, row in zip(positions, starts, widths, rows, strict=True):
            if width and width / sum(row) >= SEGMENT_LABEL_MIN_SHARE:
                axis.text(
                    start + width / 2, position, str(width), ha="center", va="center",
                    fontsize=TEXT_SIZE,
                )  # fmt: skip
        starts = [start + width for start, width in zip(starts, widths, strict=True)]
    axis.set_xlim(0, max(max(starts), 1))
    axis.set_xticks([])
    axis.set_yticks(positions, labels=list(labels))
    axis.tick_params(labelsize=TEXT_SIZE, length=0)
    for side in ("top", "right", "bottom"):
        axis.spines[side].set_visible(False)


def _legend(axis: Axes, names: list[str], colors: Sequence[str]) -> None:
    from matplotlib.patches import Patch

    handles = [Patch(color=color, label=name) for name, color in zip(names, colors, strict=True)]
    axis.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0, 0),
        ncols=min(len(names), LEGEND_COLUMNS),
        fontsize=TEXT_SIZE,
        frameon=False,
        handlelength=1.2,
        columnspacing=1.0,
    )


def _positions(count: int) -> list[int]:
    return list(range(count))[::-1]  # the first item on top


def alt_text(results: SurveyResults, *, title: str) -> str:
    """The chart's numbers in words, for screen readers and for Slack's image alt text."""
    parts = [f"{title}: {results.responses} responses."]
    for item in results.questions:
        if isinstance(item, ScaleResult) and item.mean is not None:
            spread = ", ".join(
                f"{value}: {count}"
                for value, count in zip(SCALE_RANGE, likert_counts(item), strict=True)
            )
            parts.append(f"{item.text} mean {item.mean:.2f} of 5 ({item.count} answers; {spread}).")
        elif isinstance(item, EnpsResult) and item.score is not None:
            parts.append(
                f"{item.text} eNPS {item.score:+d} ({item.promoters} promoters, "
                f"{item.passives} passives, {item.detractors} detractors)."
            )
        elif isinstance(item, ChoiceResult) and item.count:
            options = ", ".join(f"{option} {count}" for option, count in item.counts.items())
            parts.append(f"{item.text} {options}.")
    return textwrap.shorten(" ".join(parts), ALT_TEXT_MAX_CHARS, placeholder=" …")


def _label(text: str) -> str:
    return _plain(textwrap.fill(text, LABEL_WIDTH, max_lines=3, placeholder=" …"))


def _wrapped(text: str) -> str:
    return textwrap.fill(text, TITLE_WIDTH, max_lines=2, placeholder=" …")


def _plain(text: str) -> str:
    # A pair of dollar signs would start matplotlib's math mode.
    return text.replace("$", r"\$")
