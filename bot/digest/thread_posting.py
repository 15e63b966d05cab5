"""The digest's thread under its main post: the detail replies, then the KPI chart. Each
step is recorded on the ``digest_post`` row as it is posted, so a run that stopped half-way
goes on from the next reply, and the chart is uploaded once."""

from __future__ import annotations

import asyncio
import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.core.runtime import Runtime
from bot.core.weeks import week_label
from bot.digest import texts_delivery as texts
from bot.digest.blocks.thread import build_digest_thread
from bot.digest.model import Digest, KpiLine
from bot.pulse.chart import Chart
from storage.db import transaction
from storage.models import DigestPost
from storage.repositories import digest as repo

logger = logging.getLogger(__name__)


async def post_thread(
    runtime: Runtime, client: AsyncWebClient, digest: Digest, post: DigestPost
) -> None:
    """The detail replies and the KPI chart, skipping what an earlier run already posted."""
    assert post.id is not None
    replies = await asyncio.to_thread(build_digest_thread, digest)
    for index in range(post.replies_posted, len(replies)):
        await client.chat_postMessage(
            channel=post.channel_id, thread_ts=post.message_ts, unfurl_links=False, **replies[index]
        )
        async with transaction(runtime.sessions) as session:
            await repo.record_progress(session=session, post_id=post.id, replies_posted=index + 1)
    if post.chart_done:
        return
    chart = await _drawn_chart(digest)
    if chart is not None:
        await client.files_upload_v2(
            channel=post.channel_id,
            thread_ts=post.message_ts,
            content=chart.png,
            filename=f"kpis-{digest.week_start.isoformat()}.png",
            title=f"{texts.CHART_TITLE}, {week_label(digest.week)}",
            alt_txt=chart.alt_text,
            initial_comment=texts.CHART_COMMENT,
            request_file_info=False,
        )
    async with transaction(runtime.sessions) as session:
        await repo.record_progress(session=session, post_id=post.id, chart_done=True)


async def _drawn_chart(digest: Digest) -> Chart | None:
    """The KPI chart, or None when there is none to draw or drawing it failed: a chart that
    cannot be drawn fails the same way on every run, so the digest is finished without it
    (and the failure logged) rather than retried every few minutes for ever."""
    charted = [kpi for kpi in digest.kpis if kpi.charted]
    if not charted:
        return None
    try:
        return await asyncio.to_thread(_render, charted)
    except Exception:
        logger.exception(
            "digest %s for %s: the KPI chart could not be drawn; the thread goes without it",
            digest.week,
            digest.team_id,
        )
        return None


def _render(charted: list[KpiLine]) -> Chart | None:
    # Imported with the first chart: Pillow (about 5 MiB) is not loaded by a process that
    # never draws one (tests/digest/test_lazy_chart.py).
    from bot.digest import chart

    return chart.render_kpi_chart(charted, title=texts.CHART_TITLE)
