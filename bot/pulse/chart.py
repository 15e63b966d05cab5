"""A PNG chart of a survey's results (matplotlib, Agg), with alt text carrying the numbers.

Only a ``SurveyResults`` can be drawn; a ``Withheld`` comes back as it is, so no chart exists
below the threshold. The figure is built with matplotlib's object API, never ``pyplot``, so
charts drawn at the same time share no global state.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.pulse.results import ChoiceResult, EnpsResult, ScaleResult, SurveyResults, Withheld

ALT_TEXT_MAX_CHARS = 2000  # Slack's limit for an image's alt text
LABEL_WIDTH = 44
BAR_COLOR, NEGATIVE_COLOR = "#2F6FDE", "#D9534F"


@dataclass(frozen=True)
class Chart:
    png: bytes
    alt_text: str


def render_chart(results: SurveyResults | Withheld, *, title: str) -> Chart | Withheld:
    if isinstance(results, Withheld):
        return results
    scales = [item for item in results.questions if isinstance(item, ScaleResult) and item.count]
    scores = [item for item in results.questions if isinstance(item, EnpsResult) and item.count]
    choices = [item for item in results.questions if isinstance(item, ChoiceResult) and item.count]
    rows = [len(scales)] * bool(scales) + [len(scores)] * bool(scores)
    rows += [len(choice.counts) for choice in choices]
    figure = Figure(figsize=(8, 1.2 + 0.5 * sum(rows) + 0.8 * len(rows)), layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(_plain(f"{title} ({results.responses} responses)"), fontsize=12)
    axes = (
        list(figure.subplots(len(rows), 1, squeeze=False, height_ratios=rows)[:, 0]) if rows else []
    )
    if scales:
        _draw_scales(axes.pop(0), scales)
    if scores:
        _draw_enps(axes.pop(0), scores)
    for choice, axis in zip(choices, axes, strict=True):
        _draw_choice(axis, choice)
    if not rows:
        figure.text(0.5, 0.5, "No scored questions in this survey.", ha="center", va="center")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    return Chart(png=buffer.getvalue(), alt_text=alt_text(results, title=title))


def _draw_scales(axis: Axes, items: list[ScaleResult]) -> None:
    means = [item.mean or 0.0 for item in items]
    positions = list(range(len(items)))[::-1]
    axis.barh(positions, means, color=BAR_COLOR)
    axis.set_yticks(positions, labels=[_label(item.text) for item in items])
    axis.set_xlim(0, 5)
    axis.set_xticks([1, 2, 3, 4, 5])
    axis.set_title("Agreement, mean from 1 (strongly disagree) to 5 (strongly agree)", fontsize=9)
    for position, mean in zip(positions, means, strict=True):
        axis.text(mean + 0.05, position, f"{mean:.2f}", va="center", fontsize=9)


def _draw_enps(axis: Axes, items: list[EnpsResult]) -> None:
    values = [item.score or 0 for item in items]
    positions = list(range(len(items)))[::-1]
    colors = [BAR_COLOR if value >= 0 else NEGATIVE_COLOR for value in values]
    axis.barh(positions, values, color=colors)
    axis.set_yticks(positions, labels=[_label(item.text) for item in items])
    axis.set_xlim(-100, 100)
    axis.axvline(0, color="#666666", linewidth=0.8)
    axis.set_title("eNPS, % promoters minus % detractors (-100 to 100)", fontsize=9)
    for position, value in zip(positions, values, strict=True):
        side = "left" if value >= 0 else "right"
        axis.text(value, position, f" {value:+d} ", va="center", ha=side, fontsize=9)


def _draw_choice(axis: Axes, item: ChoiceResult) -> None:
    positions = list(range(len(item.counts)))[::-1]
    counts = list(item.counts.values())
    axis.barh(positions, counts, color=BAR_COLOR)
    axis.set_yticks(positions, labels=[_label(option) for option in item.counts])
    axis.set_xlim(0, max(max(counts), 1) * 1.15)
    axis.set_title(_plain(textwrap.shorten(item.text, 90)), fontsize=9)
    for position, count in zip(positions, counts, strict=True):
        axis.text(count, position, f" {count}", va="center", fontsize=9)


def alt_text(results: SurveyResults, *, title: str) -> str:
    """The chart's numbers in words, for screen readers and for Slack's image alt text."""
    parts = [f"{title}: {results.responses} responses."]
    for item in results.questions:
        if isinstance(item, ScaleResult) and item.mean is not None:
            parts.append(f"{item.text} mean {item.mean:.2f} of 5 ({item.count} answers).")
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


def _plain(text: str) -> str:
    # A pair of dollar signs would start matplotlib's math mode.
    return text.replace("$", r"\$")
