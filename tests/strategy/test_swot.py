"""``/align swot``: everyone reads it; admins write its four lists in one form, one item per
line, at most 10 items of 150 characters; what people typed is shown escaped."""

from __future__ import annotations

from typing import Any

from bot.core.runtime import Runtime
from bot.strategy.settings import read_strategy
from fakeslack import FakeSlack
from tests.factories import workspace_row
from tests.slack_requests import MEMBER_ID, SlackSender
from tests.strategy.priorities_helpers import inline_errors, open_form, reply_to, text_of


async def saved(
    slack: SlackSender, fake_slack: FakeSlack, view: dict[str, Any], answers: dict[str, Any]
) -> bool:
    """Submit the form and wait for its confirmation, which comes after the submission's ack
    (a ``/align swot`` sent before it arrives would take the confirmation for its answer)."""
    before = len(fake_slack.calls_to("response_url"))
    if inline_errors(await slack.submit_view(view, answers)):
        return False
    confirmation = (await fake_slack.wait_for("response_url", before + 1))[-1].args
    return "SWOT saved." in text_of(confirmation["blocks"])


LISTS = {
    "swot_strengths": "Sourdough people cross town for\n\n  Our morning  team ",
    "swot_weaknesses": "One oven",
    "swot_opportunities": "<!here> offices & <https://evil.test|events>",
    "swot_threats": None,
}


async def test_admin_writes_the_swot_and_a_member_reads_it_escaped(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    view = await open_form(slack, fake_slack, "swot edit")
    assert view["callback_id"] == "strategy_swot_form"
    assert "One item per line" in text_of(view["blocks"])
    assert await saved(slack, fake_slack, view, LISTS)
    workspace = await workspace_row(runtime)
    assert workspace is not None
    assert read_strategy(workspace.settings)["swot"] == {
        "strengths": ["Sourdough people cross town for", "Our morning team"],
        "weaknesses": ["One oven"],
        "opportunities": ["<!here> offices & <https://evil.test|events>"],
        "threats": [],
    }
    shown = await reply_to(slack, fake_slack, "swot", user=MEMBER_ID)
    assert "*Strengths*\n• Sourdough people cross town for\n• Our morning team" in shown
    assert "• &lt;!here&gt; offices &amp; &lt;https://evil.test|events&gt;" in shown
    assert "*Threats*\n_none_" in shown
    assert "<!here>" not in shown and "swot edit" not in shown
    again = await open_form(slack, fake_slack, "swot edit")
    prefilled = {b["block_id"]: b["element"].get("initial_value") for b in again["blocks"][1:]}
    assert prefilled["swot_strengths"] == "Sourdough people cross town for\nOur morning team"


async def test_too_many_or_too_long_items_keep_the_form_open(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    view = await open_form(slack, fake_slack, "swot edit")
    answers = {
        "swot_strengths": "\n".join(f"Item {n}" for n in range(11)),
        "swot_threats": "fine\n" + "y" * 151,
    }
    errors = inline_errors(await slack.submit_view(view, answers))
    assert errors == {
        "swot_strengths": "Strengths has 11 items; keep it to 10 (one per line).",
        "swot_threats": "Line 2 is over 150 characters: shorten it.",
    }
    workspace = await workspace_row(runtime)
    assert workspace is not None and "swot" not in read_strategy(workspace.settings)


async def test_members_cannot_edit_and_unknown_words_say_what_to_type(
    slack: SlackSender, fake_slack: FakeSlack
) -> None:
    assert "admin" in (await reply_to(slack, fake_slack, "swot edit", user=MEMBER_ID)).lower()
    assert fake_slack.calls_to("views.open") == []
    said = await reply_to(slack, fake_slack, "swot delete", user=MEMBER_ID)
    assert "`/align swot edit`" in said
    assert "No SWOT has been written yet." in await reply_to(slack, fake_slack, "swot")


async def test_a_full_swot_is_shown_whole_one_section_a_list(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    full = {key: "\n".join(f"{n} " + "x" * 140 for n in range(10)) for key in LISTS}
    view = await open_form(slack, fake_slack, "swot edit")
    assert await saved(slack, fake_slack, view, full)
    shown = await reply_to(slack, fake_slack, "swot", user=MEMBER_ID)
    assert "*Threats*\n• 0 xxx" in shown and shown.count("x" * 140) == 40  # nothing cut
    fake_slack.assert_no_violations()
