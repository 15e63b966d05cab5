"""What the digest's buttons say, and the answers a click gets when it cannot be done."""

from __future__ import annotations

ALL_GOALS = "See all goals"
ANSWER_CHECKIN = "Answer this week's check-in"


def open_goal(ref: str) -> str:
    return f"Open {ref}"


def update_goal(ref: str) -> str:
    return f"Update {ref}"


def team_goals(name: str) -> str:
    return f"See {' '.join(name.split())} goals"


NOT_A_GOAL = (
    "That button no longer points at a goal. Try `/goal list all`, or open the goal from a "
    "newer digest."
)
NOT_A_TEAM = (
    "That button no longer points at a team of this workspace (it may have been removed). "
    "See the teams' goals with `/goal list team Name`."
)
NOT_A_LIST = "That button no longer points at a list of goals. Try `/goal list all`."


def not_your_goal(ref: str, owner: str) -> str:
    """``owner`` is the owner's name, already escaped."""
    return (
        f"{ref} is {owner}'s goal: only its owner updates it from the digest. "
        f"See it with the Open button, or `/goal show {ref}`."
    )


def goal_closed(ref: str) -> str:
    return f"{ref} is closed, so there is no progress to update. `/goal show {ref}` shows it."
