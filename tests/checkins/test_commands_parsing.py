"""Property tests: any text after ``/checkin`` parses or gets a clear answer within Slack's
limits; and the parser's forms by hand."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.checkins.commands import CheckinAction, CheckinCommand, parse_checkin
from bot.core.errors import UserInputError
from bot.slack.messages import build_notice
from fakeslack import validate_message

SUBCOMMANDS = ["skip", "pause", "resume", "history", "status", "settings", "holidays", "help"]
DATES = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat)
DATE_LIKE = st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
CHECKIN_TEXT = st.one_of(
    st.text(max_size=400),
    st.sampled_from(SUBCOMMANDS).flatmap(
        lambda word: st.text(max_size=300).map(lambda rest: f"{word} {rest}")
    ),
    st.sampled_from(
        ["pause until ", "pause ", "holidays add ", "holidays remove ", "status team "]
    ).flatmap(
        lambda prefix: st.one_of(st.text(max_size=200), DATES, DATE_LIKE).map(
            lambda rest: prefix + rest
        )
    ),
    st.lists(st.one_of(DATES, DATE_LIKE), max_size=40).map(
        lambda days: "holidays add " + " ".join(days)
    ),
)


@settings(max_examples=500, deadline=None)
@given(CHECKIN_TEXT)
def test_any_checkin_text_parses_or_is_explained(text: str) -> None:
    try:
        command = parse_checkin(text)
    except UserInputError as error:
        assert "/checkin" in error.message or "/align teams" in error.message
        assert validate_message(dict(build_notice(error.message))) == []
        assert len(error.message) < 1000
        return
    assert command.action in CheckinAction
    if command.action is CheckinAction.PAUSE:
        assert len(command.days) == 1
    if command.action in (CheckinAction.HOLIDAYS_ADD, CheckinAction.HOLIDAYS_REMOVE):
        assert 1 <= len(command.days) <= 31 and list(command.days) == sorted(set(command.days))
    if command.action is CheckinAction.STATUS and command.team_name:
        assert "<" not in command.team_name and len(command.team_name) <= 80


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", CheckinCommand(CheckinAction.OPEN)),
        ("   ", CheckinCommand(CheckinAction.OPEN)),
        ("?", CheckinCommand(CheckinAction.HELP)),
        ("Help me", CheckinCommand(CheckinAction.HELP)),
        ("SKIP", CheckinCommand(CheckinAction.SKIP)),
        ("unpause", CheckinCommand(CheckinAction.RESUME)),
        ("pause until 2026-12-24", CheckinCommand(CheckinAction.PAUSE, (date(2026, 12, 24),))),
        ("pause  UNTIL  2028-02-29", CheckinCommand(CheckinAction.PAUSE, (date(2028, 2, 29),))),
        ("pause 2026-12-24", CheckinCommand(CheckinAction.PAUSE, (date(2026, 12, 24),))),
        ("status", CheckinCommand(CheckinAction.STATUS)),
        ("status team  Sales  EU", CheckinCommand(CheckinAction.STATUS, team_name="Sales EU")),
        ("holidays", CheckinCommand(CheckinAction.HOLIDAYS_LIST)),
        ("holiday list", CheckinCommand(CheckinAction.HOLIDAYS_LIST)),
        (
            "holidays add 2026-12-25, 2026-12-24 2026-12-25",
            CheckinCommand(CheckinAction.HOLIDAYS_ADD, (date(2026, 12, 24), date(2026, 12, 25))),
        ),
        (
            "holidays remove 2027-01-01",
            CheckinCommand(CheckinAction.HOLIDAYS_REMOVE, (date(2027, 1, 1),)),
        ),
        ("settings", CheckinCommand(CheckinAction.SETTINGS)),
        ("history", CheckinCommand(CheckinAction.HISTORY)),
    ],
)
def test_the_forms_people_type(text: str, expected: CheckinCommand) -> None:
    assert parse_checkin(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pause until 2026-02-30", "2026-02-30 is not a real calendar date"),
        ("pause until 0000-01-01", "0000-01-01 is not a real calendar date"),
        ("pause until 20261224", "`20261224` is not a date"),
        ("pause until 2026-W52-1", "is not a date"),
        ("pause until 2026-12-24 2026-12-25", "is not a date"),
        ("pause until <@U123|ada>", "`@U123|ada` is not a date"),
        ("holidays add 2026-12-24 maybe", "`maybe` is not a date"),
    ],
)
def test_bad_dates_by_hand(text: str, expected: str) -> None:
    with pytest.raises(UserInputError) as raised:
        parse_checkin(text)
    assert expected in raised.value.message
    assert "/checkin" in raised.value.message
