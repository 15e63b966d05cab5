"""``/pulse`` text parsing: what each input means, and that every refusal is a valid message."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.errors import UserInputError
from bot.pulse.commands import PulseAction, PulseCommand, parse_pulse
from bot.slack.messages import build_notice
from fakeslack import validate_message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", PulseCommand(PulseAction.HELP)),
        ("HELP", PulseCommand(PulseAction.HELP)),
        ("new", PulseCommand(PulseAction.NEW)),
        ("list", PulseCommand(PulseAction.LIST)),
        ("results P-4", PulseCommand(PulseAction.RESULTS, number=4)),
        ("results p4", PulseCommand(PulseAction.RESULTS, number=4)),
        ("close #P-12", PulseCommand(PulseAction.CLOSE, number=12)),
        ("threshold P-4 8", PulseCommand(PulseAction.THRESHOLD, number=4, min_responses=8)),
        ("threshold 4 2", PulseCommand(PulseAction.THRESHOLD, number=4, min_responses=2)),
        (
            "feedback  More  tea, please ",
            PulseCommand(PulseAction.FEEDBACK, text="More  tea, please"),
        ),
    ],
)
def test_parses_what_people_type(text: str, expected: PulseCommand) -> None:
    assert parse_pulse(text) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("launch", "has no subcommand `launch`"),
        ("new survey", "takes nothing after it"),
        ("list all", "takes nothing after it"),
        ("results", "Which survey?"),
        ("results K-4", "`K-4` is not a survey number"),
        ("results P-4 P-5", "takes only a survey number"),
        ("close <@U123>", "is not a survey number"),
        ("close P-0", "`P-0` is not a survey number"),
        ("threshold P-4", "Give the survey and the new minimum"),
        ("threshold P-4 five", "`five` is not a whole number"),
        ("threshold P-4 2.5", "`2.5` is not a whole number"),
        ("threshold P-4 ٣", "is not a whole number"),
        ("results P-4\x07", "invisible control character"),
    ],
)
def test_bad_input_is_explained_with_what_to_type(text: str, says: str) -> None:
    with pytest.raises(UserInputError) as refused:
        parse_pulse(text)
    assert says in refused.value.message
    assert "/pulse" in refused.value.message


WORDS = st.sampled_from(
    ["", "help", "new", "list", "results", "close", "threshold", "P-4", "p4", "#P-12", "8", "-3"]
)
SLACKISH = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(WORDS, st.text(max_size=12)), max_size=4).map(" ".join),
)


@settings(max_examples=400, deadline=None)
@given(SLACKISH)
def test_any_text_is_a_command_or_a_valid_refusal_naming_pulse(text: str) -> None:
    try:
        command = parse_pulse(text)
    except UserInputError as error:
        assert "/pulse" in error.message
        reply = build_notice(error.message)
        assert validate_message(dict(reply)) == []
        assert reply["text"].strip()
        return
    if command.action in (PulseAction.RESULTS, PulseAction.CLOSE, PulseAction.THRESHOLD):
        assert command.number is not None and command.number >= 1
    if command.action is PulseAction.THRESHOLD:
        assert command.min_responses is not None
