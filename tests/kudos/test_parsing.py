"""``parse_kudos``: who is thanked, what for (escaped as stored), and the goal named."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.errors import UserInputError
from bot.kudos.commands import parse_kudos


@pytest.mark.parametrize(
    ("text", "people", "stored", "goal"),
    [
        ("<@U1AAA|ada> for the demo", [("U1AAA", None)], "for the demo", None),
        (
            "<@U1AAA|ada>, <@U2BBB|sam> and @lee for the demo G-12",
            [("U1AAA", None), ("U2BBB", None), (None, "lee")],
            "for the demo",
            12,
        ),
        ("<@U1AAA> (g12) thanks!", [("U1AAA", None)], "thanks!", 12),
        ("<@U1AAA> thanks #G-7.", [("U1AAA", None)], "thanks", 7),
        (
            "<@U1AAA> with <@U2BBB|sam> <@U1AAA> again",
            [("U1AAA", None), ("U2BBB", None)],
            "with <@U2BBB> <@U1AAA> again",
            None,
        ),
        ("<@U1AAA> line one\nline two", [("U1AAA", None)], "line one\nline two", None),
        ("<@U1AAA> G-3 for G-3", [("U1AAA", None)], "for", 3),
        ("<@U1AAA> a &lt;b&gt; &amp; c", [("U1AAA", None)], "a &lt;b&gt; &amp; c", None),
        ("<@U1AAA> Go-live G12b", [("U1AAA", None)], "Go-live G12b", None),
    ],
)
def test_who_what_and_which_goal(
    text: str, people: list[tuple[str | None, str | None]], stored: str, goal: int | None
) -> None:
    command = parse_kudos(text)
    assert (command.people, command.text, command.goal_number) == (people, stored, goal)


def test_a_text_of_exactly_the_limit_is_taken_and_one_more_is_not() -> None:
    assert len(parse_kudos("<@U1AAA> " + "a" * 1000).text) == 1000
    with pytest.raises(UserInputError, match="1,001 characters"):
        parse_kudos("<@U1AAA> " + "a" * 1001)
    with pytest.raises(UserInputError, match="1,005 characters"):
        parse_kudos("<@U1AAA> " + "a" * 999 + " &amp;")  # "&" is stored as "&amp;"


_PIECES = st.sampled_from(
    [
        "<@U1AAA|ada> ",
        "<@W2BBB> ",
        "@sam ",
        "<!channel> ",
        "<!subteam^S1|@devs> ",
        "<https://evil.example|https://bank.example> ",
        "&lt;b&gt; ",
        "&amp; ",
        "*bold* ",
        "G-12 ",
        "g7 ",
        "thanks ",
        "\n",
        ", ",
        "é💥 ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=20)), max_size=40).map("".join))
def test_any_text_is_refused_in_words_or_stored_without_live_markup(text: str) -> None:
    try:
        command = parse_kudos(text)
    except UserInputError as error:
        assert error.message
        return
    assert 0 < len(command.text) <= 1000
    assert 1 <= len(command.people) <= 10
    live = [part for part in command.text.split("<")[1:] if not re.match(r"@[UW][A-Z0-9]+>", part)]
    assert live == [], command.text  # only bare mentions of people thanked stay live
    for user_id in re.findall(r"<@([UW][A-Z0-9]+)>", command.text):
        assert (user_id, None) in command.people
    assert ">" not in re.sub(r"<@[UW][A-Z0-9]+>", "", command.text)
