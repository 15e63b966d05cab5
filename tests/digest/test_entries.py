"""A digest's goal lists draw their entries when read (``goal_lists.Entries``): equal to and
written as the tuple of their entries, and a thread names the owners past its last page
without drawing their lines."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.digest.blocks.mentions import Mentions
from bot.digest.goal_lists import Entries
from bot.digest.goal_views import RatedGoal
from bot.goals.progress import Status
from storage.repositories.digest import DigestGoal


def rated(number: int) -> RatedGoal:
    goal = DigestGoal(
        id=number,
        number=number,
        title=f"Goal {number}",
        level="personal",
        team_ref=None,
        owner_id=f"U{number:04d}",
        parent_id=None,
        measure="percent",
        start_value=0.0,
        target_value=100.0,
        current_value=10.0,
        start_date=date(2026, 10, 1),
        due_date=date(2026, 12, 31),
        status_override=None,
        state="open",
        progress_at=datetime(2026, 11, 1, tzinfo=UTC),
        closed_at=None,
        priority_id=None,
        progress=0.1,
    )
    return RatedGoal(goal, 0.1, Status.OFF_TRACK)


def test_entries_are_drawn_only_when_read_and_compare_as_their_tuple() -> None:
    drawn: list[int] = []

    def draw(view: RatedGoal) -> str:
        drawn.append(view.goal.number)
        return f"G-{view.goal.number}"

    entries = Entries([rated(n) for n in range(1, 10_001)], draw)
    assert len(entries) == 10_000 and drawn == []
    assert entries[:3] == ("G-1", "G-2", "G-3") and entries[-1] == "G-10000"
    assert drawn == [1, 2, 3, 10_000]
    assert list(entries.owner_ids(9_998)) == ["U9999", "U10000"]
    assert drawn == [1, 2, 3, 10_000]  # owners are named without drawing their lines

    few = Entries([rated(1), rated(2)], draw)
    assert few == ("G-1", "G-2") and few == ["G-1", "G-2"] and few != ("G-1",)
    assert repr(few) == repr(("G-1", "G-2"))
    assert Entries([], draw) == ()


def test_a_person_counted_as_mentioned_is_read_as_their_mention_would_be() -> None:
    mentions = Mentions({"U7": "Seven"}, enabled=True)
    mentions.seen(["U7|seven", "not-an-id"])
    assert mentions.mentioned == {"U7"}
    assert mentions.rewrite("<@U7>") == "Seven"  # already mentioned: named, not pinged again
