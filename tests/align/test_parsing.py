"""Property tests: no text typed after ``/align`` escapes as anything but a clear answer."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.align.commands import AlignAction, parse_align
from bot.core.errors import UserInputError
from bot.core.text_input import check_statement
from bot.slack.messages import build_notice
from fakeslack import validate_message
from storage.models import VISION_MAX_CHARS

SLACKISH = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=3000),
    st.sampled_from(["vision ", "mission ", "admins ", "admins add ", "help "]).flatmap(
        lambda prefix: st.text(max_size=1500).map(lambda rest: prefix + rest)
    ),
    st.builds(lambda n: "vision " + "é" * n, st.integers(min_value=0, max_value=25_000)),
)


@settings(max_examples=300, deadline=None)
@given(SLACKISH)
def test_any_text_parses_or_is_explained_within_slack_limits(text: str) -> None:
    try:
        command = parse_align(text)
    except UserInputError as error:
        reply = build_notice(error.message)
        assert "/align" in error.message
        assert validate_message(dict(reply)) == []
        return
    assert command.action in AlignAction
    if command.action is AlignAction.SET_STATEMENT:
        assert command.text == command.text.strip() and command.text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=1200))
def test_accepted_statements_fit_everywhere_they_are_shown(text: str) -> None:
    try:
        cleaned = check_statement(text, what="vision", max_chars=VISION_MAX_CHARS, usage="u")
    except UserInputError as error:
        assert error.message.endswith("u")
        return
    assert 0 < len(cleaned) <= VISION_MAX_CHARS
    assert "<!channel>" not in cleaned and "<!here>" not in cleaned
    assert validate_message(dict(build_notice(cleaned))) == []


def test_a_vision_of_only_emoji_codes_still_has_a_fallback_text() -> None:
    reply = build_notice(check_statement(":0:", what="vision", max_chars=1000, usage="u"))
    assert reply["text"] == ":0:"
    assert validate_message(dict(reply)) == []
