"""What Northstar says when it sends a pulse survey and when someone answers it."""

from __future__ import annotations

from datetime import datetime

from bot.checkins.texts_prompts import when


def invitation_text(title: str, closes_local: datetime) -> str:
    return f":bar_chart: New pulse survey: *{title}* — anonymous, closes {when(closes_local)}."


def reminder_text(title: str, closes_local: datetime) -> str:
    return (
        f":hourglass_flowing_sand: A reminder: the pulse survey *{title}* closes "
        f"{when(closes_local)}. It is anonymous and takes a minute."
    )


INVITATION_FOOTER = (
    "Your answer is stored without your name. Nobody, admins included, can see who answered "
    "or who has not; results appear only once enough people have answered."
)
ANSWER_BUTTON = "Answer"

MODAL_TITLE = "Pulse survey"
MODAL_SUBMIT = "Send anonymously"
MODAL_CLOSE = "Cancel"


def modal_intro(title: str, closes_local: datetime) -> str:
    return (
        f"*{title}*\nAnonymous: your answer is stored without your name, and you cannot "
        f"change it once sent. Closes {when(closes_local)}."
    )


CONSENT_LABEL = "Replies"
CONSENT_OPTION = "Let leaders reply to me anonymously"
CONSENT_HINT = (
    "Only for your written comments: leaders can then reply through Northstar without ever "
    "learning who you are."
)
TEXT_PLACEHOLDER = "Please leave out anything that would name you."
CHOOSE_PLACEHOLDER = "Choose"

THANKS = "Thanks — your answer is stored anonymously."
