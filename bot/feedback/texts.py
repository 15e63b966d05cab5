"""What Northstar says in anonymous feedback conversations (``/pulse feedback``).

The author is always "Anonymous #CODE" to the people they write to, until they reveal
themselves; no text here takes the author's user id except the reveal itself.
"""

from __future__ import annotations

USAGE = "`/pulse feedback Your message` or `/pulse feedback team Sales Your message`"
TEAM_USAGE = "`/pulse feedback team Sales Your message`"
TO_ADMINS = "the admins"

MODAL_TITLE = "Anonymous feedback"
MODAL_SUBMIT = "Send anonymously"
REPLY_TITLE = "Reply"
REPLY_SUBMIT = "Send reply"
CANCEL = "Cancel"
RECIPIENT_LABEL = "Send to"
TEXT_LABEL = "Your feedback"
REPLY_LABEL = "Your reply"
MODAL_INTRO = (
    "Your name is not shown and not stored in clear. The people you write to see "
    "*Anonymous #code* and your text, and can reply here in Slack."
)
NO_RECIPIENT = "Choose who receives your feedback."

REPLY_BUTTON = "Reply"
REVEAL_BUTTON = "Reveal my name"
CLOSE_BUTTON = "Close thread"
CONFIRM_REVEAL_TITLE = "Reveal your name?"
CONFIRM_CLOSE_TITLE = "Close this thread?"
CONFIRM_CLOSE = "Neither side can reply after it is closed."
CONFIRM_YES_REVEAL = "Reveal"
CONFIRM_YES_CLOSE = "Close"
CONFIRM_NO = "Cancel"

EARLIER_LIMIT_NOTE = "Earlier messages are not shown here; they are in your DMs with Northstar."
LARGE_TEAM_LIST = "Only the first teams are listed; use `/pulse feedback team Name Your message`."


def anonymous(code: str) -> str:
    return f"Anonymous #{code}"


def recipient_team(name: str) -> str:
    return f"the lead of {name}"


def no_text_after_team(name: str) -> str:
    return f"Write your feedback after the team name: `/pulse feedback team {name} Your message`."


def no_team_name() -> str:
    return f"Name the team and then write your feedback: {TEAM_USAGE}."


def no_such_team(names: list[str]) -> str:
    known = ", ".join(names) if names else "none yet"
    return f"There is no team with that name (teams: {known}). Try: {TEAM_USAGE}."


def team_without_lead(name: str) -> str:
    return (
        f"{name} has no lead to send feedback to. Send it to the admins instead: "
        "`/pulse feedback Your message`."
    )


def with_usage(message: str) -> str:
    return message if "`/pulse" in message else f"{message} Try: {USAGE}."


def new_to_leaders(code: str, recipient: str) -> str:
    return f"*{anonymous(code)}* sent feedback to {recipient}:"


def copy_to_author(code: str, recipient: str) -> str:
    # No copy of the text: whoever can export DMs would find it here next to the author.
    return (
        f"Sent anonymously as *#{code}* to {recipient}. Your words are not repeated here; "
        "replies come here, and your name stays hidden unless you reveal it."
    )


def sent_notice(code: str, recipient: str) -> str:
    return (
        f"Sent anonymously as *#{code}* to {recipient}. Your copy and any replies are in your "
        "DMs with Northstar."
    )


def leader_reply_to_author(code: str, leader_id: str) -> str:
    return f"<@{leader_id}> replied to your feedback *#{code}*:"


def leader_reply_to_comment_author(code: str, leader_id: str) -> str:
    return (
        f"<@{leader_id}> replied to a comment you left in a survey, as conversation *#{code}* "
        "(your comment is not repeated here):"
    )


def leader_reply_to_leaders(code: str, leader_id: str) -> str:
    return f"<@{leader_id}> replied to *{anonymous(code)}*:"


def own_leader_reply(code: str) -> str:
    return f"You replied to *{anonymous(code)}*:"


def author_reply_to_leaders(code: str) -> str:
    return f"*{anonymous(code)}* answered:"


def own_author_reply(code: str) -> str:
    return f"Your answer to *#{code}* was sent anonymously. Your words are not repeated here."


def revealed_to_leaders(code: str, author_id: str) -> str:
    return f"*{anonymous(code)}* chose to reveal their name: it is <@{author_id}>."


def revealed_to_author(code: str) -> str:
    return f"Your name is now shown to the people who receive *#{code}*."


def confirm_reveal(code: str) -> str:
    return (
        f"The people who receive *#{code}* will see your name on this conversation. "
        "This cannot be undone."
    )


def closed_by_author(code: str) -> str:
    return f"*{anonymous(code)}* closed the conversation. Nobody can reply to it any more."


def closed_by_leader(code: str, leader_id: str) -> str:
    return f"<@{leader_id}> closed the conversation *#{code}*. Nobody can reply to it any more."


def closed_for_closer(code: str) -> str:
    return f"The conversation *#{code}* is closed. Nobody can reply to it any more."


def reply_intro(code: str, *, as_author: bool) -> str:
    if as_author:
        return f"You answer as *{anonymous(code)}*; your name stays hidden."
    return f"Your reply to *{anonymous(code)}* carries your name."


def thread_line(sender: str, text: str) -> str:
    return f"*{sender}:* {text}"


def you() -> str:
    return "You"
