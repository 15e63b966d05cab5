"""The 3 to 5 questions for the review meeting, derived from the pack's data."""

from __future__ import annotations

from bot.core.text_input import escape_mrkdwn
from bot.kpis.health import Health
from bot.strategy import review_texts as texts
from bot.strategy.review_pack import QUESTIONS_MAX, ReviewPack


def meeting_questions(pack: ReviewPack) -> tuple[str, ...]:
    found: list[str] = []
    for section in pack.priorities:
        if section.title is None:
            if section.goals:
                found.append(texts.question_unaligned(len(section.goals)))
        elif not section.goals:
            found.append(texts.question_no_goals(escape_mrkdwn(section.title)))
        elif section.on_track == 0:
            found.append(texts.question_no_goal_on_track(escape_mrkdwn(section.title)))
    hit, missed = pack.hits
    if missed:
        found.append(texts.question_missed(missed, hit + missed))
    found += [
        texts.question_red_kpi(escape_mrkdwn(kpi.name))
        for kpi in pack.kpis
        if kpi.health == Health.RED
    ]
    if pack.blockers:
        top = pack.blockers[0]
        found.append(texts.question_blocker(escape_mrkdwn(top.word), top.mentions))
    found += [texts.question_pulse(escape_mrkdwn(p.label)) for p in pack.pulses if not p.withheld][
        :1
    ]
    for filler in (texts.QUESTION_CARRY, texts.QUESTION_NEXT):
        if len(found) < 3:
            found.append(filler)
    return tuple(found[:QUESTIONS_MAX])
