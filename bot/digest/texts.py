"""What Northstar says about ``/align digest …``: the forms, mistakes and confirmations.

The texts of the digest itself and of its delivery live in ``bot.digest.texts_delivery``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time

from bot.checkins.settings import WEEKDAYS
from bot.core.weeks import week_label

SET_FORM = "`/align digest #channel [day] [time]`"
SET_EXAMPLE = "`/align digest #general friday 16:00`"
SET_USAGE = f"{SET_FORM}, e.g. {SET_EXAMPLE}"
TEAMS_USAGE = "`/align digest teams on` or `/align digest teams off`"
MENTIONS_USAGE = "`/align digest mentions on` or `/align digest mentions off`"
FORMS: tuple[tuple[str, str], ...] = (
    ("/align digest", "show where and when the weekly digest goes"),
    (
        "/align digest #channel [day] [time]",
        "post it there every week (default Friday 16:00, in your Slack time zone)",
    ),
    ("/align digest teams on|off", "also post each team's own digest in the team's channel"),
    (
        "/align digest mentions on|off",
        "@-mention people in the digest (each at most once a week), or only name them",
    ),
    ("/align digest preview", "see this week's digest now, only you"),
    ("/align digest now", "post this week's digest now (once a week at most)"),
    ("/align digest off", "stop the weekly digest"),
)
ALL_FORMS = ", ".join(f"`{form}`" for form, _ in FORMS)
DAY_WORDS = "Monday to Sunday, or `mon` to `sun`"
TIME_WORDS = "a 24-hour time like `16:00` or `9:30`, or `4pm` or `4:30pm`"
INVITE = "`/invite @Northstar`"

# --- actions, for "Only Northstar admins can …" ------------------------------------------------

ACTION_SET = "set up the weekly digest"
ACTION_TEAMS = "turn team digests on or off"
ACTION_MENTIONS = "turn the digest's @-mentions on or off"
ACTION_PREVIEW = "preview the weekly digest"
ACTION_NOW = "post the weekly digest"
ACTION_OFF = "turn the weekly digest off"

# --- mistakes --------------------------------------------------------------------------------


def unknown_word(word: str) -> str:
    return f"`/align digest` does not know {word}. It takes: {ALL_FORMS}."


def takes_nothing_more(form: str) -> str:
    return f"`/align digest {form}` takes nothing after it. It takes: {ALL_FORMS}."


TEAMS_NEEDS_ON_OR_OFF = f"Say whether team digests should be on or off: {TEAMS_USAGE}."
MENTIONS_NEEDS_ON_OR_OFF = (
    f"Say whether the digest should @-mention people (on) or only name them (off): "
    f"{MENTIONS_USAGE}."
)
ON_NEEDS_CHANNEL = f"To turn the digest on, name the channel it goes to: {SET_USAGE}."
MISSING_CHANNEL = f"Which channel should the digest go to? Pick it from the #-list: {SET_USAGE}."
TWO_CHANNELS = (
    "The company digest goes to one channel; name just one. (Teams get theirs in their own "
    f"channels with {TEAMS_USAGE}.) {SET_USAGE}."
)
TWO_DAYS = f"Name one day of the week, not two: {SET_USAGE}."
TWO_TIMES = f"Name one time, not two: {SET_USAGE}."


def unrecognised_channel(word: str) -> str:
    return (
        f"{word} is not a channel Slack recognised. Pick the channel from the #-list so it "
        f"turns blue: {SET_USAGE}."
    )


def people_not_channel(word: str) -> str:
    return f"{word} names people, not a channel. The digest goes to a channel: {SET_USAGE}."


def bad_time(word: str) -> str:
    return f"{word} is not a time of day. Use {TIME_WORDS}: {SET_USAGE}."


def not_day_or_time(word: str) -> str:
    return (
        f"{word} is neither a day ({DAY_WORDS}) nor a time ({TIME_WORDS}). The form is {SET_USAGE}."
    )


# --- answers ---------------------------------------------------------------------------------


def weekly_when(weekday: int, local_time: time, timezone: str) -> str:
    return f"every {WEEKDAYS[weekday]} at {local_time:%H:%M} ({timezone})"


def day_text(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day.day} {day:%B %Y}"


def forms_list() -> str:
    return "\n".join(f"• `{form}`: {what}" for form, what in FORMS)


TEAMS_LISTED = 20  # teams named in one sentence; the rest are counted


def _listed(items: Sequence[str]) -> str:
    shown = ", ".join(items[:TEAMS_LISTED])
    rest = len(items) - TEAMS_LISTED
    return shown + (f" and {rest} more" if rest > 0 else "")


def channels_of(names: Sequence[tuple[str, str]]) -> str:
    """``[(team name, channel id)]`` as "*Sales* in <#C1>, *Ops* in <#C2>"."""
    return _listed([f"*{name}* in <#{channel_id}>" for name, channel_id in names])


def team_names(names: Sequence[str]) -> str:
    return _listed([f"*{name}*" for name in names])


def team_digests_sentence(
    enabled: bool, with_channel: Sequence[tuple[str, str]], without_channel: Sequence[str]
) -> str:
    if not enabled:
        return "Team digests: off (`/align digest teams on` adds one per team channel)."
    if with_channel:
        text = f"Team digests: on, for {channels_of(with_channel)}."
    else:
        text = "Team digests: on, but no team has a channel."
    if without_channel:
        text += (
            f" Without a channel, and so without a digest: {team_names(without_channel)}. "
            "Give a team a channel with `/align team Name channel #channel`."
        )
    return text


def mentions_sentence(enabled: bool) -> str:
    if enabled:
        return (
            "Mentions: on; each person is @-mentioned at most once per digest and its thread "
            "(`/align digest mentions off` names people without notifying them)."
        )
    return "Mentions: off; people are named, never @-mentioned (`/align digest mentions on`)."


def mentions_set(enabled: bool) -> str:
    if enabled:
        return (
            ":white_check_mark: The digest @-mentions people again, each at most once per "
            "digest and its thread; later they are named in plain text."
        )
    return (
        ":white_check_mark: The digest no longer @-mentions anyone: people are named in plain "
        "text, so nobody is notified."
    )


def shown_off(team_sentence: str) -> str:
    return (
        "*Weekly alignment digest:* not set up, nothing is posted.\n"
        f"An admin starts it with {SET_USAGE}. It goes out Friday at 16:00 in their time zone "
        f"unless they name a day and a time.\n{team_sentence}\n\n{forms_list()}"
    )


def shown_on(
    *,
    channel_id: str,
    when: str,
    team_sentence: str,
    week: str,
    posted_in: Sequence[str],
    next_sentence: str,
    mentions: bool = True,
) -> str:
    if posted_in:
        this_week = (
            f"This week's digest ({week_label(week)}) is posted in {_channel_list(posted_in)}."
        )
    else:
        this_week = f"This week's digest ({week_label(week)}) is not posted yet."
    return (
        f"*Weekly alignment digest:* in <#{channel_id}> {when}.\n{team_sentence}\n"
        f"{mentions_sentence(mentions)}\n{this_week} {next_sentence}\n\n{forms_list()}"
    )


def next_digest(day: date, at: time) -> str:
    return f"The next digest goes out on {day_text(day)} at {at:%H:%M}."


def digest_set(*, channel_id: str, when: str, first: date, team_digests: bool) -> str:
    teams = " Team digests stay on." if team_digests else ""
    return (
        f":white_check_mark: The weekly digest goes to <#{channel_id}> {when}, your Slack time "
        f"zone. The first one goes out on {day_text(first)}.{teams}\n"
        f"If <#{channel_id}> is a private channel, invite Northstar first: type {INVITE} in it. "
        f"See it before then with `/align digest preview`."
    )


def teams_set(
    *,
    enabled: bool,
    company_channel: str | None,
    with_channel: Sequence[tuple[str, str]],
    without_channel: Sequence[str],
) -> str:
    if not enabled:
        where = f" in <#{company_channel}>" if company_channel else ""
        return f":white_check_mark: Team digests are off; only the company digest is posted{where}."
    if with_channel:
        text = (
            ":white_check_mark: Team digests are on: each team with a channel gets its own "
            f"digest with its goals, KPIs and check-ins: {channels_of(with_channel)}."
        )
    else:
        text = (
            ":white_check_mark: Team digests are on, but no team has a channel yet, so none "
            "is posted."
        )
    if without_channel:
        text += f" Teams without a channel get none: {team_names(without_channel)}."
    if without_channel or not with_channel:
        text += " Give a team a channel with `/align team Name channel #channel`."
    if company_channel is None:
        text += f" Digests start once the company digest has a channel: {SET_USAGE}."
    return text + f" If a team channel is private, invite Northstar to it with {INVITE}."


def turned_off(channel_id: str) -> str:
    return (
        f":white_check_mark: The weekly digest is off; nothing more is posted in <#{channel_id}>."
        " Its day, time and team digest choice are kept: `/align digest #channel` turns it "
        "back on."
    )


ALREADY_OFF = f"The weekly digest was already off; nothing changed. Start it with {SET_USAGE}."
NO_CHANNEL = f"No digest channel is set yet, so there is nothing to post. Set one: {SET_USAGE}."
NOTHING_POSTED = "Nothing was posted: no channel took this week's digest. Try again in a minute."
PREVIEW_NOTE = (
    ":eyes: *Preview*, only visible to you; nothing was posted. This is this week's digest as "
    "it would look right now."
)


def posted(week: str, channels: Sequence[str]) -> str:
    return (
        f":white_check_mark: Posted the digest of the {week_label(week)} in "
        f"{_channel_list(channels)}."
    )


def resumed(week: str, channels: Sequence[str]) -> str:
    return (
        f":white_check_mark: Finished the digest of the {week_label(week)} that was started in "
        f"{_channel_list(channels)}."
    )


def taken(week: str, channels: Sequence[str]) -> str:
    return (
        f"This week's digest ({week_label(week)}) is already in {_channel_list(channels)} "
        "(or being posted right now); it is posted once a week, so nothing new was posted there."
    )


def failed(channel_id: str, error: str) -> str:
    """``error`` is Slack's error code, or the name of what failed on Northstar's side."""
    if not error.islower():
        return (
            f":warning: Could not post in <#{channel_id}> because of a fault on Northstar's side "
            f"(`{error}`, logged). Try `/align digest now` again in a few minutes."
        )
    text = f":warning: Could not post in <#{channel_id}>: Slack said `{error}`. "
    if error == "not_in_channel":
        return text + f"Invite Northstar (type {INVITE} in <#{channel_id}>), then try again."
    if error == "is_archived":
        return text + f"The channel is archived: unarchive it or choose another with {SET_FORM}."
    if error == "channel_not_found":
        return text + (
            "The channel is gone or private and Northstar is not in it: invite Northstar with "
            f"{INVITE}, or choose another with {SET_FORM}."
        )
    return text + "Try `/align digest now` again in a few minutes."


def _channel_list(channels: Sequence[str]) -> str:
    mentions = [f"<#{channel}>" for channel in channels[:TEAMS_LISTED]]
    if len(channels) > TEAMS_LISTED:
        mentions.append(f"{len(channels) - TEAMS_LISTED} more channels")
    if len(mentions) <= 1:
        return "".join(mentions)
    return ", ".join(mentions[:-1]) + " and " + mentions[-1]
