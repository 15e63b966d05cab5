"""Every sentence Northstar shows to people, in one place so wording stays consistent."""

from __future__ import annotations

SOMETHING_WENT_WRONG = (
    ":warning: Sorry, something went wrong on Northstar's side and your request was not "
    "completed. Nothing was half-saved; please try again in a minute. If it keeps happening, "
    "tell whoever runs Northstar for your workspace."
)

FORM_FAULT = "Northstar could not save this just now; nothing was saved. Try again in a minute."

ALIGN_USAGE = "`/align help`"

ALIGN_HELP_TITLE = "Northstar: company alignment"
ALIGN_HELP_INTRO = (
    "Northstar keeps everyone pointed at the same north star: the company's vision and "
    "mission, goals that cascade from company to team to person, weekly check-ins, "
    "anonymous pulse surveys and a weekly alignment digest."
)
ALIGN_HELP_COMMANDS: tuple[tuple[str, str], ...] = (
    ("/align help", "Show this help."),
    ("/align vision", "Show the company's vision (its north star)."),
    ("/align vision &lt;text&gt;", "Set the vision. Admins only. Up to {max} characters."),
    ("/align mission", "Show the company's mission."),
    ("/align mission &lt;text&gt;", "Set the mission. Admins only. Up to {max} characters."),
    ("/align admins", "List who administers Northstar here."),
    ("/align admins add @person", "Make someone a Northstar admin. Admins only."),
    ("/align admins remove @person", "Take Northstar admin away. Admins only."),
    ("/align teams", "List teams with their lead and people."),
    ("/align team add Sales #sales lead @ada", "Create a team (channel and lead optional)."),
    ("/align team Sales add @max @sam", "Add people to a team (also `remove`). Admins, lead."),
    ("/align team Sales lead @max", "Change who leads a team. Admins and the team's lead."),
    ("/align digest", "Show where and when the weekly alignment digest goes."),
    (
        "/align digest #channel [day] [time]",
        "Post the digest there every week (default Friday 16:00, your time zone). Admins only.",
    ),
    ("/align digest teams on", "Also post each team's digest in its channel (or `off`). Admins."),
    ("/align digest preview", "See this week's digest now, only you. Admins only."),
    ("/align digest now", "Post this week's digest now; once a week at most. Admins only."),
    ("/align digest off", "Stop the weekly digest. Admins only."),
    ("/align export", "Get all of Northstar's data for this workspace as CSVs in a DM. Admins."),
    ("/align retention", "Show how long check-in answers, notes and comments are kept."),
    ("/align retention 365", "Remove that text after 365 days (30 to 3,650, or `off`). Admins."),
    ("/align delete-workspace-data", "Delete all Northstar data here for good. Slack owners."),
)
ALIGN_HELP_EXAMPLE = (
    "Example: `/align vision Every small business in Europe runs on software it loves.`"
)
ADMINS_EXPLAINED = (
    "Slack workspace admins and owners are always Northstar admins; others can be added "
    "with `/align admins add @person`."
)

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


def statement_label(field: str) -> str:
    return "vision" if field == "vision" else "mission"


def statement_saved(field: str, text: str) -> str:
    return f":white_check_mark: The company {statement_label(field)} is now:\n>{text}"


def statement_shown(field: str, text: str) -> str:
    if not text:
        return (
            f"No {statement_label(field)} has been set yet. An admin can set it with "
            f"`/align {field} &lt;text&gt;`."
        )
    return f"The company {statement_label(field)}:\n>{text}"


def not_admin(action: str) -> str:
    return (
        f":no_entry: Only Northstar admins can {action}. {ADMINS_EXPLAINED} "
        "Type `/align admins` to see who they are."
    )


def admin_added(user_id: str) -> str:
    return f":white_check_mark: <@{user_id}> is now a Northstar admin."


def admin_already(user_id: str) -> str:
    return f"<@{user_id}> is already a Northstar admin; nothing changed."


def admin_removed(user_id: str) -> str:
    return f":white_check_mark: <@{user_id}> is no longer a Northstar admin."


def admin_is_slack_admin(user_id: str) -> str:
    return (
        f"<@{user_id}> is a Slack admin or owner of this workspace, and those are always "
        "Northstar admins; change their role in Slack instead."
    )


def admin_was_not(user_id: str) -> str:
    return f"<@{user_id}> was not a Northstar admin; nothing changed."


def admins_listed(user_ids: list[str]) -> str:
    if not user_ids:
        return f"No Northstar admins are known yet. {ADMINS_EXPLAINED}"
    people = ", ".join(f"<@{user_id}>" for user_id in user_ids)
    return f"Northstar admins: {people}.\n{ADMINS_EXPLAINED}"


# --- teams -----------------------------------------------------------------------------------

NO_TEAMS = (
    "There are no teams yet. An admin creates one with `/align team add Sales #sales lead @ada`."
)
TEAMS_HEADER = "Teams"


def and_more(count: int) -> str:
    return f"…and {count:,} more."


def not_team_manager(name: str) -> str:
    return f":no_entry: Only Northstar admins and the lead of {name} can change that team."


def no_such_team(name: str, existing: list[str]) -> str:
    known = ", ".join(existing[:20]) if existing else "none yet"
    return f"There is no team called “{name}”. Teams: {known}. See them all with `/align teams`."


def team_exists(name: str) -> str:
    return f"A team called “{name}” already exists; see `/align teams`."


def team_created(name: str, channel_id: str | None, lead: str | None) -> str:
    parts = [f":white_check_mark: Team *{name}* created"]
    if channel_id:
        parts.append(f"with channel <#{channel_id}>")
    if lead:
        parts.append(f"led by <@{lead}>")
    return " ".join(parts) + f". Add people with `/align team {name} add @person`."


def team_members_added(name: str, added: list[str], asked: list[str]) -> str:
    if not added:
        return f"Everyone you named is already in {name}; nothing changed."
    people = ", ".join(f"<@{user_id}>" for user_id in added)
    already = len(asked) - len(added)
    tail = f" ({already} already were)" if already else ""
    return f":white_check_mark: Added {people} to {name}{tail}."


def team_members_removed(name: str, count: int) -> str:
    if not count:
        return f"None of them were in {name}; nothing changed."
    return f":white_check_mark: Removed {count} {'person' if count == 1 else 'people'} from {name}."


def team_channel_set(name: str, channel_id: str | None) -> str:
    if channel_id is None:
        return (
            f":white_check_mark: {name} has no channel now: its check-ins are not shared and it "
            "gets no team digest."
        )
    return (
        f":white_check_mark: {name}'s channel is now <#{channel_id}>: shared check-ins and the "
        "team digest (if turned on) go there. For a private channel, invite Northstar with "
        "`/invite @Northstar`."
    )


def team_lead_set(name: str, user_id: str) -> str:
    return f":white_check_mark: <@{user_id}> now leads {name}."


def team_line(name: str, channel_id: str | None, lead: str | None, members: list[str]) -> str:
    channel = f" <#{channel_id}>" if channel_id else ""
    led = f" · lead <@{lead}>" if lead else " · no lead"
    shown = ", ".join(f"<@{user_id}>" for user_id in members[:15])
    more = f" and {len(members) - 15} more" if len(members) > 15 else ""
    people = f" · {len(members)} {'person' if len(members) == 1 else 'people'}"
    return f"*{name}*{channel}{led}{people}" + (f": {shown}{more}" if members else "")
