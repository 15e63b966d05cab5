"""What the simulated month left in the fake Slack, gathered for the terminal and the folder:
each week's digests (main post, thread, chart) and the survey charts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.demo import bakery
from bot.demo.quarter_end import QuarterReview
from bot.demo.scenario import DigestRun
from bot.demo.surfaces import Surface
from fakeslack import Call, FakeSlack

Message = dict[str, Any]


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes
    channel: str


@dataclass(frozen=True)
class ChannelDigest:
    """One digest as it reached one channel."""

    channel: str
    post: Message
    thread: tuple[Message, ...]
    charts: tuple[Upload, ...]

    @property
    def is_company(self) -> bool:
        return self.channel == bakery.DIGEST_CHANNEL


@dataclass(frozen=True)
class WeekDigests:
    week: str
    channels: tuple[ChannelDigest, ...]

    @property
    def company(self) -> ChannelDigest:
        return next(digest for digest in self.channels if digest.is_company)


@dataclass(frozen=True)
class Recording:
    weeks: tuple[WeekDigests, ...]
    survey_charts: tuple[Upload, ...]
    cascade: Message  # the reply to ``/goal tree`` of the company goal, after the last week
    surfaces: tuple[Surface, ...] = ()  # Home tabs, DMs and a form, as the app sent them
    review: QuarterReview | None = None  # the quarter end's review post, thread and canvas


def _message(call: Call) -> Message:
    return {key: call.args[key] for key in ("text", "blocks") if key in call.args}


def _uploads(fake: FakeSlack, calls: list[Call]) -> list[Upload]:
    found = []
    for call in calls:
        if call.method != "files.completeUploadExternal":
            continue
        channel = str(call.args.get("channel_id") or call.args.get("channels") or "")
        for item in call.args.get("files") or []:
            file_id = item.get("id")
            if file_id in fake.uploads:
                found.append(Upload(fake.files[file_id]["name"], fake.uploads[file_id], channel))
    return found


def _week(fake: FakeSlack, run: DigestRun) -> WeekDigests:
    calls = fake.calls[run.first_call : run.last_call]
    posts = [call for call in calls if call.method == "chat.postMessage"]
    uploads = _uploads(fake, calls)
    channels = []
    for main in (post for post in posts if "thread_ts" not in post.args):
        channel = str(main.args["channel"])
        thread = [
            _message(post)
            for post in posts
            if post.args.get("channel") == channel and "thread_ts" in post.args
        ]
        charts = tuple(upload for upload in uploads if upload.channel == channel)
        channels.append(ChannelDigest(channel, _message(main), tuple(thread), charts))
    return WeekDigests(run.week, tuple(channels))


def record(
    fake: FakeSlack,
    runs: list[DigestRun],
    cascade: Message,
    surfaces: tuple[Surface, ...] = (),
) -> Recording:
    digest_calls = {index for run in runs for index in range(run.first_call, run.last_call)}
    other_calls = [call for index, call in enumerate(fake.calls) if index not in digest_calls]
    weeks = tuple(_week(fake, run) for run in runs)
    charts = tuple(_uploads(fake, other_calls))
    return Recording(weeks=weeks, survey_charts=charts, cascade=cascade, surfaces=surfaces)
