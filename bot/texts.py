"""Every sentence Northstar shows to people, in one place so wording stays consistent."""

from __future__ import annotations

SOMETHING_WENT_WRONG = (
    ":warning: Sorry, something went wrong on Northstar's side and your request was not "
    "completed. Nothing was half-saved; please try again in a minute. If it keeps happening, "
    "tell whoever runs Northstar for your workspace."
)

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
