"""manifest.yaml lists exactly the shortcuts the app listens to, within Slack's limits."""

from __future__ import annotations

from pathlib import Path

from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from handlers import kudos, shortcuts
from storage.repositories.members import MemberProfile
from tests.conftest import drain_background_tasks
from tests.factories import add_members
from tests.goals.helpers import fix_clock
from tests.shortcuts.helpers import global_shortcut, message_shortcut
from tests.slack_requests import MEMBER_ID, SlackSender

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yaml"
NAME_MAX = 24
DESCRIPTION_MAX = 80  # Slack shows about this much; the stricter of the limits quoted
CALLBACK_ID_MAX = 255


def manifest_shortcuts() -> list[dict[str, str]]:
    """The entries under ``features.shortcuts`` (no YAML library needed for this flat list)."""
    lines = MANIFEST.read_text().splitlines()
    start = lines.index("  shortcuts:") + 1
    entries: list[dict[str, str]] = []
    for line in lines[start:]:
        if line.strip().startswith("#"):
            continue
        if not line.startswith("    "):
            break
        key, _, value = line.strip().removeprefix("- ").partition(": ")
        if line.strip().startswith("- "):
            entries.append({})
        entries[-1][key] = value.strip().strip('"')
    return entries


def test_the_manifest_lists_every_shortcut_within_slacks_limits() -> None:
    entries = manifest_shortcuts()
    assert [(entry["type"], entry["callback_id"]) for entry in entries] == [
        ("global", shortcuts.NEW_GOAL),
        ("global", shortcuts.CHECK_IN_NOW),
        ("global", shortcuts.ANONYMOUS_FEEDBACK),
        ("message", shortcuts.ADD_AS_GOAL_UPDATE),
        ("message", shortcuts.GOAL_FROM_MESSAGE),
        ("message", kudos.GIVE_KUDOS),
    ]
    for entry in entries:
        assert set(entry) == {"name", "type", "callback_id", "description"}
        assert 0 < len(entry["name"]) <= NAME_MAX, entry
        assert 0 < len(entry["description"]) <= DESCRIPTION_MAX, entry
        assert len(entry["callback_id"]) <= CALLBACK_ID_MAX


async def test_every_manifest_shortcut_has_a_listener(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    """Bolt answers 404 to a shortcut nobody listens to; each of ours is acknowledged and
    answered once (a modal, or a message saying why not)."""
    fix_clock(runtime)
    await add_members(runtime, MemberProfile(user_id=MEMBER_ID))
    for entry in manifest_shortcuts():
        if entry["type"] == "global":
            response = await global_shortcut(slack, entry["callback_id"], user_id=MEMBER_ID)
        else:
            response, _ = await message_shortcut(
                slack, entry["callback_id"], user_id=MEMBER_ID, text="Hello", author=MEMBER_ID
            )
        assert response.status_code == 200, entry
    await drain_background_tasks()
    answers = [
        call.method
        for call in fake_slack.calls
        if call.method in ("views.open", "chat.postMessage", "response_url")
    ]
    assert len(answers) == len(manifest_shortcuts())
