"""Check-in messages in a channel: a thread's parent (a team's weekly thread, or a setup's
thread of one round), and each answer in it.

Answers are people's own text, so ``&``, ``<`` and ``>`` are escaped: a typed ``<!channel>``
or link markup shows as text and notifies nobody. A long answer is cut into sections of at
most 3,000 characters and the sections into as many thread replies as Slack's limits need.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.checkins import texts_answers as texts
from bot.checkins import texts_setup_channel as setup_texts
from bot.checkins.settings import Question
from bot.core.text_input import escape_mrkdwn
from bot.slack.messages import (
    MESSAGE_BLOCKS_MAX,
    MESSAGE_CHARS_BUDGET,
    SECTION_TEXT_MAX,
    Reply,
    context,
    plain_fallback,
    section,
)

BLOCKS_PER_MESSAGE = MESSAGE_BLOCKS_MAX - 5
_ENTITY_MAX = len("&amp;")


def split_text(text: str, first: int, rest: int) -> list[str]:
    """``text`` in pieces of at most ``first`` then ``rest`` characters, cut at a line break
    or a space where there is one, and never inside an ``&lt;``-like entity."""
    pieces = []
    limit = first
    while len(text) > limit:
        cut = max(text.rfind("\n", 0, limit + 1), text.rfind(" ", 0, limit + 1))
        if cut < limit // 2:
            cut = limit
        entity = text.rfind("&", max(0, cut - _ENTITY_MAX + 1), cut)
        if entity > 0 and ";" not in text[entity:cut]:
            cut = entity
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
        limit = rest
    pieces.append(text)
    return [piece for piece in pieces if piece]


def _answer_text(question: Question, answer: str) -> str:
    if question.kind == "mood" and answer.isdigit():
        return texts.MOOD_LABELS.get(int(answer), answer)
    return escape_mrkdwn(answer)


def _sections(questions: Sequence[Question], answers: Mapping[str, str]) -> list[str]:
    sections = []
    for question in questions:
        answer = answers.get(question.key)
        if not answer:
            continue
        title = f"*{escape_mrkdwn(question.text)}*\n"
        pieces = split_text(_answer_text(question, answer), SECTION_TEXT_MAX - len(title), 3000)
        sections.append(title + pieces[0])
        sections += pieces[1:]
    return sections


def build_thread_parent(
    *, week: str, team: str, setup_name: str | None = None, period: str = ""
) -> Reply:
    """A team's thread: of the week for the default setup, of the setup's round (named, and
    its day or week) for another."""
    if setup_name is None:
        text = texts.thread_parent(week, escape_mrkdwn(team))
    else:
        text = setup_texts.team_thread_parent(
            escape_mrkdwn(setup_name), period, escape_mrkdwn(team)
        )
    return Reply(text=plain_fallback(text), blocks=[section(text)])


def build_round_thread_parent(*, setup_name: str, period: str) -> Reply:
    """The one parent of a round's answers in the setup's own channel."""
    text = setup_texts.round_thread_parent(escape_mrkdwn(setup_name), period)
    return Reply(text=plain_fallback(text), blocks=[section(text)])


def build_shared_answer(
    *,
    name: str,
    week: str,
    questions: Sequence[Question],
    answers: Mapping[str, str],
    late: bool,
    updated: bool,
    setup_name: str | None = None,
    period: str = "",
) -> list[Reply]:
    """One thread reply, or several when the answers are too long for one message. The
    notification names the setup and its period (``setup_name``), or for the default setup
    the week."""
    shown = escape_mrkdwn(name)
    fallback = plain_fallback(
        texts.shared_fallback(shown, week)
        if setup_name is None
        else setup_texts.shared_fallback(shown, escape_mrkdwn(setup_name), period)
    )
    messages: list[Reply] = []
    blocks: list[dict[str, Any]] = [section(texts.shared_header(shown, late=late, updated=updated))]
    used = len(blocks[0]["text"]["text"])
    for text in _sections(questions, answers):
        if len(blocks) >= BLOCKS_PER_MESSAGE or used + len(text) > MESSAGE_CHARS_BUDGET:
            messages.append(Reply(text=fallback, blocks=blocks))
            blocks = [context(texts.shared_continued(shown))]
            used = len(blocks[0]["elements"][0]["text"])
        blocks.append(section(text))
        used += len(text)
    messages.append(Reply(text=fallback, blocks=blocks))
    return messages
