"""``/align digest …`` parsing: the forms by hand, and any text parses or gets a clear answer
that names the right form, within Slack's limits."""

from __future__ import annotations

from datetime import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.align.commands import AlignAction, parse_align
from bot.core.errors import UserInputError
from bot.digest import texts
from bot.digest.commands import DigestAction, DigestCommand, parse_digest, parse_time, usage_for
from bot.slack.messages import build_notice
from fakeslack import validate_message

CHANNEL = "<#C0DIGEST|digest>"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", DigestCommand(DigestAction.SHOW)),
        ("  help ", DigestCommand(DigestAction.SHOW)),
        ("PREVIEW", DigestCommand(DigestAction.PREVIEW)),
        ("now", DigestCommand(DigestAction.NOW)),
        ("off", DigestCommand(DigestAction.OFF)),
        ("teams on", DigestCommand(DigestAction.TEAMS, team_digests=True)),
        ("teams  OFF", DigestCommand(DigestAction.TEAMS, team_digests=False)),
        ("mentions off", DigestCommand(DigestAction.MENTIONS, mentions=False)),
        ("Mentions ON", DigestCommand(DigestAction.MENTIONS, mentions=True)),
        (CHANNEL, DigestCommand(DigestAction.SET, channel_id="C0DIGEST")),
        ("<#G0PRIVATE|>", DigestCommand(DigestAction.SET, channel_id="G0PRIVATE")),
        (
            f"{CHANNEL} Friday 16:00",
            DigestCommand(DigestAction.SET, "C0DIGEST", weekday=4, local_time=time(16, 0)),
        ),
        (
            f"{CHANNEL}   mon\t9:30",
            DigestCommand(DigestAction.SET, "C0DIGEST", weekday=0, local_time=time(9, 30)),
        ),
        (
            f"4pm {CHANNEL} sun",
            DigestCommand(DigestAction.SET, "C0DIGEST", weekday=6, local_time=time(16, 0)),
        ),
        (
            f"on {CHANNEL} tues 4:30PM",
            DigestCommand(DigestAction.SET, "C0DIGEST", weekday=1, local_time=time(16, 30)),
        ),
        (f"{CHANNEL} wednesday", DigestCommand(DigestAction.SET, "C0DIGEST", weekday=2)),
        (f"{CHANNEL} 0:05", DigestCommand(DigestAction.SET, "C0DIGEST", local_time=time(0, 5))),
    ],
)
def test_forms(text: str, expected: DigestCommand) -> None:
    assert parse_digest(text) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("16:00", time(16, 0)),
        ("9:30", time(9, 30)),
        ("09:30", time(9, 30)),
        ("23:59", time(23, 59)),
        ("4pm", time(16, 0)),
        ("4:30pm", time(16, 30)),
        ("12pm", time(12, 0)),
        ("12am", time(0, 0)),
        ("11:15a.m.", time(11, 15)),
    ],
)
def test_times(word: str, expected: time) -> None:
    assert parse_time(word) == expected


@pytest.mark.parametrize("word", ["25:00", "24:00", "9:60", "13pm", "0am", "16", "9:5", "4.30pm"])
def test_impossible_times_are_named(word: str) -> None:
    with pytest.raises(UserInputError) as raised:
        parse_digest(f"{CHANNEL} friday {word}")
    assert f"`{word}` is not a time of day" in raised.value.message
    assert texts.SET_USAGE in raised.value.message


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("#general", "`#general` is not a channel Slack recognised"),
        ("<#C0|x>", "is not a channel Slack recognised"),  # too short to be an id
        (f"<#C{'A' * 40}|x>", "is not a channel Slack recognised"),  # too long to store
        ("<#D0DIRECT|dm>", "is not a channel Slack recognised"),
        ("<@UMEMBER1|max>", "names people, not a channel"),
        ("@max", "names people, not a channel"),
        ("<!here>", "names people, not a channel"),
        (f"{CHANNEL} <#C0OTHER|other>", "goes to one channel"),
        (f"{CHANNEL} fri sat", "one day of the week, not two"),
        (f"{CHANNEL} 9:00 4pm", "one time, not two"),
        (f"{CHANNEL} teatime", "`teatime` is neither a day"),
        (f"{CHANNEL} fridya", "`fridya` is neither a day"),
        ("friday 16:00", "Which channel should the digest go to?"),
        ("weekly", "`/align digest` does not know `weekly`"),
        ("on", "name the channel it goes to"),
        ("teams", "on or off"),
        ("teams maybe", "on or off"),
        ("mentions", "@-mention people (on) or only name them (off)"),
        ("mentions sometimes", "`/align digest mentions off`"),
        ("now please", "`/align digest now` takes nothing after it"),
        ("preview everything", "`/align digest preview` takes nothing after it"),
    ],
)
def test_mistakes_say_what_was_wrong(text: str, said: str) -> None:
    with pytest.raises(UserInputError) as raised:
        parse_digest(text)
    assert said in raised.value.message
    assert "/align digest" in raised.value.message


def test_schedule_mistakes_show_the_form_with_an_example() -> None:
    for text in ("#general", f"{CHANNEL} teatime", "friday", f"{CHANNEL} 25:00"):
        with pytest.raises(UserInputError) as raised:
            parse_digest(text)
        assert texts.SET_USAGE in raised.value.message
    assert texts.SET_USAGE == (
        "`/align digest #channel [day] [time]`, e.g. `/align digest #general friday 16:00`"
    )


def test_control_characters_and_huge_text_are_refused_with_the_form() -> None:
    with pytest.raises(UserInputError, match="control character") as raised:
        parse_digest(f"{CHANNEL} friday\x07")
    assert texts.SET_USAGE in raised.value.message
    with pytest.raises(UserInputError, match="characters long") as raised:
        parse_digest("teams " + "o" * 25_000)
    assert texts.TEAMS_USAGE in raised.value.message


def test_align_hands_digest_text_to_the_digest_parser() -> None:
    command = parse_align(f"Digest {CHANNEL} thu 8am")
    assert command.action is AlignAction.DIGEST
    assert command.digest == DigestCommand(DigestAction.SET, "C0DIGEST", 3, time(8, 0))
    with pytest.raises(UserInputError) as raised:
        parse_align("digest \x00")
    assert texts.SET_USAGE in raised.value.message  # not just `/align help`
    with pytest.raises(UserInputError) as raised:
        parse_align("digests")
    assert "`digest`" in raised.value.message  # the unknown-subcommand list names it


WORDS = st.sampled_from(
    [
        CHANNEL,
        "<#C0OTHER|other>",
        "#general",
        "<@UMEMBER1|max>",
        "friday",
        "Mon",
        "thurs",
        "16:00",
        "9:30",
        "4pm",
        "4:30pm",
        "25:00",
        "teatime",
        "teams",
        "mentions",
        "on",
        "off",
        "now",
        "preview",
        "&lt;",
        "",
    ]
)
DIGEST_TEXT = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=2000),
    st.lists(st.one_of(WORDS, st.text(max_size=12)), max_size=8).map(" ".join),
    st.builds(lambda n: f"{CHANNEL} " + "é" * n, st.integers(min_value=0, max_value=25_000)),
)


@settings(max_examples=500, deadline=None)
@given(DIGEST_TEXT)
def test_any_text_parses_or_is_explained_with_the_right_form(text: str) -> None:
    try:
        command = parse_digest(text)
    except UserInputError as error:
        message = error.message
        first = text.split()[0].lower() if text.split() else ""
        if first == "teams":
            assert texts.TEAMS_USAGE in message
        elif first in ("mentions", "mention"):
            assert texts.MENTIONS_USAGE in message
        elif first in ("now", "preview", "off"):
            assert f"`/align digest {first}`" in message
        elif first in ("on", "friday", "mon", "thurs") or first.startswith(("<#", "#", "<@")):
            assert texts.SET_USAGE in message, message
        else:
            assert "/align digest" in message
        assert len(message) < 1500
        assert validate_message(dict(build_notice(message))) == []
        return
    except Exception as error:  # pragma: no cover - the property's failure report
        pytest.fail(f"{type(error).__name__} for {text!r}: {error}")
    assert command.action in DigestAction
    if command.action is DigestAction.SET:
        assert command.channel_id and len(command.channel_id) <= 32
        assert command.weekday is None or 0 <= command.weekday <= 6
    if command.action is DigestAction.TEAMS:
        assert command.team_digests is not None
    if command.action is DigestAction.MENTIONS:
        assert command.mentions is not None


def test_usage_follows_the_first_word() -> None:
    assert usage_for("teams") == texts.TEAMS_USAGE
    assert usage_for("mentions") == texts.MENTIONS_USAGE
    assert usage_for("now") == "`/align digest now`"
    assert usage_for("anything") == texts.SET_USAGE
