"""Chart drawing beside a burst of acks (``python -m bench.ack --charts N``): the server draws
N survey results charts while the burst is in flight, the way ``/pulse results`` draws one,
in a worker thread (``asyncio.to_thread``) or, with ``--charts-on-loop``, on the event loop as
before, to show what drawing off the loop buys the acks."""

from __future__ import annotations

import asyncio
import random

from bot.pulse.chart import Chart, render_chart
from bot.pulse.questions import BANK
from bot.pulse.results import AnswerRecord, SurveyResults, Withheld, release

RESPONSES = 200


def sample_results(seed: int = 7) -> SurveyResults:
    """A closed survey of the question bank with ``RESPONSES`` random answers."""
    rng = random.Random(seed)
    answers = [
        AnswerRecord(
            answers={
                question.key: rng.randint(0, 10) if question.key == "enps" else rng.randint(1, 5)
                for question in BANK
            }
        )
        for _ in range(RESPONSES)
    ]
    results = release(BANK, answers, threshold=5, survey_open=False, rng=rng)
    assert isinstance(results, SurveyResults)
    return results


async def draw_charts(count: int, *, on_loop: bool) -> int:
    """Draw ``count`` charts one after another; how many came out."""
    results = sample_results()
    drawn = 0
    for number in range(count):
        title = f"P-{number + 1} Engagement"
        chart: Chart | Withheld
        if on_loop:
            chart = render_chart(results, title=title)
            await asyncio.sleep(0)
        else:
            chart = await asyncio.to_thread(render_chart, results, title=title)
        drawn += isinstance(chart, Chart)
    return drawn
