"""The demo's folder: each week's digests as Block Kit JSON, the charts, and a README."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.demo import bakery, texts
from bot.demo.quarter_end import LEADERSHIP_CHANNEL, LEADERSHIP_CHANNEL_NAME, QuarterReview
from bot.demo.record import ChannelDigest, Recording, WeekDigests

CHANNEL_NAMES = {
    bakery.DIGEST_CHANNEL: bakery.DIGEST_CHANNEL_NAME,
    **{team.channel_id: team.channel_name for team in bakery.TEAMS},
    LEADERSHIP_CHANNEL: LEADERSHIP_CHANNEL_NAME,
}
README = "README.txt"
PEOPLE = "people.json"


def channel_name(channel_id: str) -> str:
    return CHANNEL_NAMES.get(channel_id, channel_id)


def _digest_json(digest: ChannelDigest) -> dict[str, Any]:
    return {
        "channel": "#" + channel_name(digest.channel),
        "post": digest.post,
        "thread": list(digest.thread),
        "charts": [chart.name for chart in digest.charts],
    }


def week_json(week: WeekDigests) -> dict[str, Any]:
    """The company digest (post and thread replies) and the team digests of one week."""
    return {
        "week": week.week,
        "company": _digest_json(week.company),
        "teams": [_digest_json(digest) for digest in week.channels if not digest.is_company],
    }


def review_json(review: QuarterReview) -> dict[str, Any]:
    """The quarterly review: its post and thread in #leadership, and the canvas it wrote."""
    return {
        "period": review.period,
        "channel": "#" + LEADERSHIP_CHANNEL_NAME,
        "post": review.post,
        "thread": list(review.thread),
        "canvas": {"title": review.canvas_title, "markdown": review.canvas_markdown},
    }


def people_json() -> dict[str, Any]:
    """Who the ids in the files are, so a drawing shows names as Slack does."""
    return {"users": dict(bakery.NAMES), "channels": dict(CHANNEL_NAMES)}


def _json(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()


def write_folder(recording: Recording, folder: Path, picture: Path | None = None) -> list[Path]:
    """Write everything into ``folder`` (created if missing); the paths written, README last.

    Team digests' charts are described in the JSON but not written: they repeat the
    company chart's file name, as Slack shows them in each channel.
    """
    folder.mkdir(parents=True, exist_ok=True)
    entries: list[tuple[str, str]] = []
    written: list[Path] = []

    def put(name: str, data: bytes, note: str) -> None:
        path = folder / name
        path.write_bytes(data)
        written.append(path)
        entries.append((name, note))

    company = "#" + bakery.DIGEST_CHANNEL_NAME
    for week in recording.weeks:
        note = texts.DIGEST_NOTE.format(channel=bakery.DIGEST_CHANNEL_NAME)
        put(f"digest-{week.week}.json", _json(week_json(week)), note)
        for chart in week.company.charts:
            put(chart.name, chart.data, texts.CHART_NOTE.format(channel=company.lstrip("#")))
    owner = bakery.NAMES[bakery.OWNER]
    for chart in recording.survey_charts:
        put(chart.name, chart.data, texts.SURVEY_CHART_NOTE.format(owner=owner))
    for surface in recording.surfaces:
        note = texts.SURFACE_NOTES[surface.file_name].format(person=surface.as_json()["person"])
        put(surface.file_name, _json(surface.as_json()), note)
    if recording.review is not None:
        review = recording.review
        channel = LEADERSHIP_CHANNEL_NAME
        put(
            f"review-{review.period}.json",
            _json(review_json(review)),
            texts.REVIEW_NOTE.format(channel=channel),
        )
        put(f"review-{review.period}.md", review.canvas_markdown.encode(), texts.REVIEW_MD_NOTE)
    put(PEOPLE, _json(people_json()), texts.PEOPLE_NOTE)
    if picture is not None and picture.parent.resolve() == folder.resolve():
        entries.append((picture.name, texts.PICTURE_NOTE))
    first, last = recording.weeks[0].week, recording.weeks[-1].week
    readme = folder / README
    readme.write_text(texts.readme(entries, first, last), encoding="utf-8")
    written.append(readme)
    return written
