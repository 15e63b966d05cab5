"""Parse what follows ``/goal kr G-12``: nothing (the form), or ``2 45 [confidence 8]``."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.errors import UserInputError
from bot.core.numbers import parse_number
from bot.core.text_input import echo, small_int
from bot.okrs import texts
from bot.okrs.rollup import MAX_KEY_RESULTS

VALUE_LIMIT = 1e12  # as the form allows

CONFIDENCE_WORDS = ("confidence", "conf")


@dataclass(frozen=True)
class KeyResultChange:
    position: int
    value: float | None
    confidence: int | None


def parse_confidence(word: str) -> int:
    confidence = small_int(word, digits=2)
    if confidence is None or not 1 <= confidence <= 10:
        raise UserInputError(texts.bad_confidence(echo(word)))
    return confidence


def parse_key_result_change(number: int, text: str) -> KeyResultChange | None:
    """``None`` for the form; else which key result, its new value and/or confidence."""
    words = text.split()
    if not words:
        return None
    position = small_int(words[0].lstrip("#"), digits=3)
    if position is None or position < 1:
        raise UserInputError(texts.bad_position(echo(words[0])))
    if position > MAX_KEY_RESULTS:
        raise UserInputError(texts.too_many(position))
    rest = words[1:]
    value: float | None = None
    confidence: int | None = None
    if rest and rest[0].lower() not in CONFIDENCE_WORDS:
        value = parse_number(rest[0])
        if value is None or abs(value) >= VALUE_LIMIT:  # as the form: no 4e300, no inf
            raise UserInputError(texts.bad_value(echo(rest[0])))
        rest = rest[1:]
    if rest:
        if rest[0].lower() not in CONFIDENCE_WORDS or len(rest) != 2:
            raise UserInputError(f"Only a value and `confidence 8` go there. Try: {texts.KR_USAGE}")
        confidence = parse_confidence(rest[1])
    if value is None and confidence is None:
        raise UserInputError(texts.nothing_to_set(number))
    return KeyResultChange(position, value, confidence)
