"""What the App Home tab says around the goals and KPIs it shows."""

from __future__ import annotations

HOME_TITLE = "Northstar"
HOME_NO_VISION = "_No vision has been set yet._"
HOME_NO_VISION_ADMIN = "_No vision has been set yet._ Set it with `/align vision &lt;text&gt;`."
HOME_NO_MISSION = "_No mission has been set yet._"
HOME_NO_MISSION_ADMIN = "_No mission has been set yet._ Set it with `/align mission &lt;text&gt;`."
HOME_COMMANDS_HEADER = "What you can do"
HOME_NO_GOALS = (
    "You have no open goals. Create one with `/goal new`, and link it to the team or company "
    "goal it serves."
)


def home_admin_counts(not_aligned: int, stale: int) -> str:
    return (
        f":mag: For admins: {not_aligned} open goal{'s' if not_aligned != 1 else ''} not aligned, "
        f"{stale} with no progress update in 14 days. See them: `/goal list all`, `/goal tree`."
    )


HOME_FOOTER = "Type `/align help` in any channel for the full list of commands."
