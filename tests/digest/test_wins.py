"""The digest's "Wins": the bakery's completed goal (G-6, Wednesday) and the week's kudos,
read from the database in the digest's week (in its time zone), sliced per team, and posted
through the real job into the fake Slack, which checks Block Kit's limits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest

from bot.core.local_time import zone
from bot.core.runtime import Runtime
from bot.core.text_input import escape_mrkdwn
from bot.digest.blocks.post import build_digest_post
from bot.digest.build import build_digest
from bot.digest.model import COMPANY_SCOPE, Digest, team_scope
from bot.digest.settings import read_digest_settings, with_digest_settings
from bot.digest.source import DigestWeek, load_source
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import Kudos
from storage.repositories.wins import kudos_between
from storage.repositories.workspaces import get_workspace
from tests.digest.helpers import (
    DIGEST_CHANNEL,
    DUE,
    OPS,
    SALES,
    WEEK,
    Bakery,
    at,
    build_bakery,
    clock_at,
    digest_messages,
    post_digest,
)
from tests.digest.test_blocks import block_text
from tests.slack_requests import ADMIN_ID, TEAM_ID
from tests.statements import recorded_statements

NOW = DUE + timedelta(seconds=30)  # Friday 27 November 2026, 16:00:30 UTC
# As /kudos stores it: escaped, like all text from people (bot.core.text_input).
HOSTILE = escape_mrkdwn("<!channel> *x* & <https://evil.test|your bank> _y_")


@pytest.fixture
async def bakery(runtime: Runtime) -> Bakery:
    world = await build_bakery(runtime)
    clock_at(runtime, NOW)
    return world


async def give(
    runtime: Runtime,
    giver: str,
    recipients: Sequence[str],
    text: str,
    when: datetime,
    goal_id: int | None = None,
) -> None:
    async with transaction(runtime.sessions) as session:
        session.add(
            Kudos(
                team_id=TEAM_ID,
                giver_id=giver,
                recipient_ids=list(recipients),
                text=text,
                goal_id=goal_id,
                created_at=when,
            )
        )


async def digest_of(runtime: Runtime, scope: str = COMPANY_SCOPE, tz: str = "UTC") -> Digest:
    period = DigestWeek(week=WEEK, tz=zone(tz), now=NOW)
    return build_digest(
        await load_source(runtime=runtime, team_id=TEAM_ID, period=period), scope=scope
    )


async def give_the_week(runtime: Runtime, bakery: Bakery) -> None:
    """Three kudos this week; one just before it, one after the digest's moment."""
    await give(runtime, SALES[0], [OPS[1]], "Routes saved us hours", at(25, 12), bakery.goals[6])
    await give(runtime, OPS[0], [OPS[2], SALES[1]], "Thanks <@UOPS0003> for the van", at(26))
    await give(runtime, ADMIN_ID, [SALES[2]], HOSTILE, at(27, 15))
    await give(runtime, SALES[3], [OPS[3]], "Last week's thanks", at(22, 23))
    await give(runtime, OPS[3], [SALES[3]], "Too late for this digest", at(27, 17))


async def test_the_weeks_kudos_are_counted_newest_first_and_others_are_not(
    runtime: Runtime, bakery: Bakery
) -> None:
    await give_the_week(runtime, bakery)
    digest = await digest_of(runtime)
    kudos = digest.kudos
    assert (kudos.count, kudos.at_least) == (3, False)
    assert [(line.giver_id, line.recipient_ids) for line in kudos.newest] == [
        (ADMIN_ID, (SALES[2],)),
        (OPS[0], (OPS[2], SALES[1])),
        (SALES[0], (OPS[1],)),
    ]
    assert [line.goal_number for line in kudos.newest] == [None, None, 6]
    # A mention typed in the text is quoted as a name, never as a mention.
    assert kudos.newest[1].text == "Thanks @uops0003 for the van"
    assert [line.number for line in digest.goals.completed] == [6]


async def test_the_week_is_the_digests_week_in_its_time_zone(
    runtime: Runtime, bakery: Bakery
) -> None:
    # Sunday 22 November 12:00 UTC is already Monday 23 November 01:00 in Auckland.
    await give(runtime, SALES[0], [SALES[1]], "Early Monday in Auckland", at(22, 12))
    assert (await digest_of(runtime)).kudos.count == 0
    auckland = await digest_of(runtime, tz="Pacific/Auckland")
    assert [line.text for line in auckland.kudos.newest] == ["Early Monday in Auckland"]
    assert str(auckland.kudos.newest[0].given_on) == "2026-11-23"


async def test_a_team_digest_shows_the_kudos_its_people_received_or_its_goals_earned(
    runtime: Runtime, bakery: Bakery
) -> None:
    await give_the_week(runtime, bakery)
    ops = await digest_of(runtime, team_scope(bakery.teams["Ops"]))
    assert [line.giver_id for line in ops.kudos.newest] == [OPS[0], SALES[0]]
    sales = await digest_of(runtime, team_scope(bakery.teams["Sales"]))
    assert [line.giver_id for line in sales.kudos.newest] == [ADMIN_ID, OPS[0]]
    assert (sales.kudos.count, sales.kudos.at_least) == (2, False)


async def test_the_post_escapes_kudos_and_names_people_when_mentions_are_off(
    runtime: Runtime, bakery: Bakery
) -> None:
    await give_the_week(runtime, bakery)
    text = block_text(build_digest_post(await digest_of(runtime))["blocks"])
    assert ":trophy: *Wins this week* · 1 goal done · 3 kudos" in text
    assert f"*G-6* Map every delivery route — <@{OPS[1]}>" in text
    escaped = "&lt;!channel&gt; *x* &amp; &lt;https://evil.test|your bank&gt; _y_"
    assert f"<@{ADMIN_ID}> → <@{SALES[2]}>: “{escaped}”" in text
    assert f"<@{SALES[0]}> → uops0002 · *G-6*: “Routes saved us hours”" in text
    assert "<!channel>" not in text

    async with transaction(runtime.sessions) as session:
        workspace = await get_workspace(session=session, team_id=TEAM_ID)
        assert workspace is not None
        quiet = read_digest_settings(workspace.settings).model_copy(update={"mentions": False})
        workspace.settings = with_digest_settings(workspace.settings, quiet)
        session.add(workspace)
    text = block_text(build_digest_post(await digest_of(runtime))["blocks"])
    assert "<@" not in text
    assert "uops0001 → uops0003 and usales02: “Thanks @uops0003 for the van”" in text


async def test_no_kudos_and_no_completed_goal_means_no_wins_section(
    runtime: Runtime, bakery: Bakery
) -> None:
    await give(runtime, SALES[0], [SALES[1]], "Last week's thanks", at(20))
    digest = await digest_of(runtime, team_scope(bakery.teams["Sales"]))  # G-6 is Ops'
    assert digest.goals.completed == () and digest.kudos.count == 0
    assert "Wins" not in block_text(build_digest_post(digest)["blocks"])


async def test_one_bounded_statement_reads_the_weeks_kudos_with_their_count(
    runtime: Runtime, bakery: Bakery
) -> None:
    for hour in range(8, 13):
        await give(runtime, SALES[0], [OPS[0]], f"Thanks at {hour}", at(24, hour))
    with recorded_statements(runtime) as statements:
        async with runtime.sessions() as session:
            week = await kudos_between(
                session=session, team_id=TEAM_ID, since=at(23, 0), until=NOW, limit=3
            )
    assert len([s for s in statements if "kudos" in s.lower()]) == 1
    assert [kudos.text for kudos in week.newest] == ["Thanks at 12", "Thanks at 11", "Thanks at 10"]
    assert (week.total, week.complete) == (5, False)


async def test_the_digest_reads_kudos_in_the_same_number_of_statements_however_many(
    runtime: Runtime, bakery: Bakery
) -> None:
    async def statements_of_load() -> int:
        with recorded_statements(runtime) as seen:
            await digest_of(runtime)
        return len(seen)

    await give(runtime, SALES[0], [OPS[0]], "One", at(24))
    one = await statements_of_load()
    for n in range(30):
        await give(runtime, OPS[n % 4], [SALES[n % 4], OPS[(n + 1) % 4]], f"Many {n}", at(25))
    assert await statements_of_load() == one


async def test_the_job_posts_the_wins_within_slacks_limits(
    runtime: Runtime, fake_slack: FakeSlack, bakery: Bakery
) -> None:
    await give_the_week(runtime, bakery)
    for n in range(12):
        await give(runtime, OPS[0], list(SALES + OPS[1:]), "Long " + HOSTILE * 12, at(24, 9 + n))
    assert (await post_digest(runtime, fake_slack, NOW)).status == "done"
    [main, *thread] = digest_messages(fake_slack, DIGEST_CHANNEL)
    post = block_text(main.args["blocks"])
    assert ":trophy: *Wins this week* · 1 goal done · 15 kudos" in post
    assert "…and 12 more in the thread." in post
    replies = "\n".join(block_text(reply.args["blocks"]) for reply in thread)
    assert ":clap: *Kudos this week* (15)" in replies
    assert "<!channel>" not in post + replies
