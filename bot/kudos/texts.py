"""Every sentence of kudos a person reads: the command's answers, the post, the DMs, the form."""

from __future__ import annotations

from collections.abc import Sequence

from storage.models import KUDOS_MAX_RECIPIENTS, KUDOS_TEXT_MAX_CHARS

USAGE = "`/kudos @ada @sam for shipping the beta G-12`"
HELP = (
    "Thank people for their work: " + USAGE + ". Mention each person from Slack's @-list, "
    "then say what for; a goal number like `G-12` is optional and links the kudos to it. "
    "You can also use *Give kudos* on any message's ⋮ menu."
)
NO_RECIPIENT = "Start with the people you thank, each picked from the @-list: " + USAGE
ONLY_YOURSELF = (
    "Kudos are for other people, and you named only yourself. Mention whom you thank: " + USAGE
)
NO_TEXT = "Say what you thank them for after the mentions: " + USAGE
TWO_GOALS = "Name at most one goal (like `G-12`) in one kudos: " + USAGE
TURNED_OFF = (
    "Kudos are turned off in this workspace: a Northstar admin turned them off with "
    "`/align kudos off`. Ask an admin to turn them back on with `/align kudos on`."
)

# The form of the "Give kudos" message shortcut.
FORM_TITLE = "Give kudos"
FORM_SUBMIT = "Send"
FORM_CLOSE = "Cancel"
FORM_RECIPIENTS = "Who do you thank?"
FORM_TEXT = "What for?"
FORM_GOAL = "Goal"
FORM_GOAL_PLACEHOLDER = "Link the kudos to a goal"
FORM_EXPLAINED = (
    "The kudos are posted in the kudos channel (or your team's channel) and each person "
    "gets a direct message."
)
FORM_NO_RECIPIENT = "Choose at least one person to thank."
FORM_ONLY_YOURSELF = "Kudos are for other people: choose someone besides yourself."
FORM_NO_TEXT = "Say what you thank them for."
FORM_GOAL_GONE = "That goal no longer exists. Choose another one, or none."


def too_many(count: int) -> str:
    return (
        f"You named {count} people; one kudos thanks at most {KUDOS_MAX_RECIPIENTS}. "
        f"Split them into two kudos: {USAGE}"
    )


def too_long(count: int) -> str:
    return (
        f"Your kudos are {count:,} characters long (mentions and formatting count); the most "
        f"is {KUDOS_TEXT_MAX_CHARS:,}. Shorten them: {USAGE}"
    )


def unknown_goal(number: int) -> str:
    return (
        f"There is no goal G-{number} in this workspace. `/goal list all` shows the goals "
        f"and their numbers; or leave the goal out: {USAGE}"
    )


def not_a_person(user_id: str) -> str:
    return (
        f"<@{user_id}> is not someone you can thank here: a bot, someone who left the "
        f"workspace or someone from another organisation. Mention people of your workspace, "
        f"picked from the @-list: {USAGE}"
    )


def mentions(user_ids: Sequence[str]) -> str:
    return ", ".join(f"<@{user_id}>" for user_id in user_ids)


def posted_headline(giver_id: str, recipient_ids: Sequence[str]) -> str:
    return f":clap: <@{giver_id}> gave kudos to {mentions(recipient_ids)}"


def dm_headline(giver_id: str) -> str:
    return f":clap: <@{giver_id}> gave you kudos"


def goal_line(number: int, title: str) -> str:
    """``title`` arrives escaped."""
    return f":dart: For goal *G-{number}* {title}"


def sent(recipient_ids: Sequence[str], channel_id: str | None) -> str:
    where = f" and posted in <#{channel_id}>" if channel_id else ""
    return f":tada: Kudos sent to {mentions(recipient_ids)} by direct message{where}."


NO_CHANNEL = (
    "No kudos channel is set and none of your teams has a channel, so only the people you "
    "thanked saw them. An admin can choose one with `/align kudos channel #channel`."
)


def post_failed(channel_id: str, code: str) -> str:
    """The kudos are saved and the DMs sent, but Slack refused the channel post."""
    if code == "not_in_channel":
        fix = (
            f"Northstar is not a member of <#{channel_id}>. Type `/invite @northstar` there, "
            "or ask an admin to choose another channel with `/align kudos channel #channel`."
        )
    elif code in ("channel_not_found", "is_archived"):
        fix = (
            f"<#{channel_id}> no longer exists, is archived, or is private without Northstar. "
            "Ask an admin to choose a channel with `/align kudos channel #channel`."
        )
    else:
        fix = f"Slack answered `{code}`. Ask an admin to check `/align kudos`."
    return f":warning: Your kudos are saved and sent by DM, but not posted in the channel. {fix}"


# --- /align kudos ---------------------------------------------------------------------------

ALIGN_USAGE = "`/align kudos on`, `/align kudos off` or `/align kudos channel #channel`"
ALIGN_TAKES = "`/align kudos` takes " + ALIGN_USAGE + "."
ALIGN_CHANNEL_USAGE = (
    "Pick the channel from the #-list so it turns blue: `/align kudos channel #kudos` "
    "(or `/align kudos channel none` for each giver's team channel)."
)
TURNED_ON_NOW = ":white_check_mark: Kudos are on: everyone can thank people with `/kudos`."
TURNED_OFF_NOW = (
    ":no_entry_sign: Kudos are off: `/kudos` and *Give kudos* now say an admin turned them "
    "off. Kudos already given are kept. `/align kudos on` turns them back on."
)


def shown(*, enabled: bool, channel_id: str | None) -> str:
    state = "on" if enabled else "off"
    where = (
        f"They are posted in <#{channel_id}>."
        if channel_id
        else "They are posted in the giver's team channel, or only sent by DM when there is none."
    )
    return f"Kudos are *{state}*. {where} Change with {ALIGN_USAGE}."


def channel_set(channel_id: str | None) -> str:
    if channel_id is None:
        return (
            ":white_check_mark: Kudos now go to each giver's team channel "
            "(or only by DM when the giver's teams have none)."
        )
    return (
        f":white_check_mark: Kudos now go to <#{channel_id}>. Make sure Northstar is in it "
        "(`/invite @northstar`)."
    )
