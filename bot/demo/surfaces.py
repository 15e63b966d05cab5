"""What people saw besides the digest, as the app sent it to Slack: the App Home of an
employee and of an admin, a check-in DM and the form its button opened, and a survey
invitation. Each is the payload the fake Slack recorded, so it shows whatever the app sends
today."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.checkins.blocks.prompts import ANSWER_ACTION as CHECKIN_ANSWER
from bot.demo import bakery
from bot.demo.slack import DemoFailed, DemoSlack
from bot.pulse.delivery import ANSWER_ACTION as PULSE_ANSWER
from fakeslack import Call

EMPLOYEE = "U0LEO"  # on the marketing team with a goal of his own; neither lead nor admin
HOME_EMPLOYEE = "home-employee.json"
HOME_ADMIN = "home-admin.json"
CHECKIN_DM = "checkin-dm.json"
CHECKIN_FORM = "checkin-form.json"
SURVEY_INVITATION = "survey-invitation.json"
FILES = (HOME_EMPLOYEE, HOME_ADMIN, CHECKIN_DM, CHECKIN_FORM, SURVEY_INVITATION)


@dataclass(frozen=True)
class Surface:
    """One payload as the app sent it: ``method`` and its arguments that show something."""

    file_name: str
    method: str
    person: str  # the user id who saw it
    payload: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "person": bakery.NAMES.get(self.person, self.person),
            **self.payload,
        }


def _buttons(call: Call) -> list[tuple[str, str]]:
    """(action_id, value) of each button in a message's actions blocks."""
    return [
        (str(element.get("action_id")), str(element.get("value")))
        for block in call.args.get("blocks") or []
        for element in block.get("elements") or []
        if isinstance(element, dict) and element.get("type") == "button"
    ]


def _dm(slack: DemoSlack, user_id: str, action_id: str, value: str | None = None) -> Call | None:
    """The first DM to ``user_id`` with an ``action_id`` button (of ``value``, if given): the
    prompt or invitation itself, not the reminder that may follow it."""
    for call in slack.fake.calls_to("chat.postMessage"):
        if call.args.get("channel") != user_id:
            continue
        if any(a == action_id and value in (None, v) for a, v in _buttons(call)):
            return call
    return None


def _message(call: Call) -> dict[str, Any]:
    return {key: call.args[key] for key in ("channel", "text", "blocks") if key in call.args}


def _checkin(slack: DemoSlack) -> list[Surface]:
    """The employee's last answered check-in (else anyone's): its DM and its form."""
    answered = [press for press in slack.pressed if press.action_id == CHECKIN_ANSWER]
    theirs = [press for press in answered if press.user_id == EMPLOYEE]
    if not answered:
        raise DemoFailed("nobody answered a check-in")
    press = (theirs or answered)[-1]
    dm = _dm(slack, press.user_id, CHECKIN_ANSWER, press.value)
    if dm is None:
        raise DemoFailed(f"no check-in DM reached {press.user_id}")
    return [
        Surface(CHECKIN_DM, "chat.postMessage", press.user_id, _message(dm)),
        Surface(CHECKIN_FORM, "views.open", press.user_id, {"view": press.view}),
    ]


def _invitation(slack: DemoSlack) -> Surface:
    for user_id in (EMPLOYEE, *(person.user_id for person in bakery.PEOPLE)):
        dm = _dm(slack, user_id, PULSE_ANSWER)
        if dm is not None:
            return Surface(SURVEY_INVITATION, "chat.postMessage", user_id, _message(dm))
    raise DemoFailed("no survey invitation was sent")


async def gather(slack: DemoSlack) -> tuple[Surface, ...]:
    """Open two Home tabs and pick the DMs and the form from the month's calls."""
    homes = []
    for file_name, user_id in ((HOME_EMPLOYEE, EMPLOYEE), (HOME_ADMIN, bakery.OWNER)):
        view = await slack.open_home(user_id)
        homes.append(Surface(file_name, "views.publish", user_id, {"view": view}))
    return (*homes, *_checkin(slack), _invitation(slack))
