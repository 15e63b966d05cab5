"""What ``northstar demo`` prints and writes, apart from the digest itself."""

from __future__ import annotations

from pathlib import Path

from bot.demo import bakery, surfaces

BLOCK_KIT_BUILDER = "https://app.slack.com/block-kit-builder"
CHART_NOTE = "the KPI chart of the #{channel} digest (its thread)"
SURVEY_CHART_NOTE = "the pulse survey chart {owner} got with /pulse results"
DIGEST_NOTE = "Block Kit of the week's digests: #{channel} (post and thread) and each team's"
PICTURE_NOTE = "the last digest drawn as the terminal shows it"
SURFACE_NOTES = {
    surfaces.HOME_EMPLOYEE: "the App Home tab of {person}, an employee (views.publish)",
    surfaces.HOME_ADMIN: "the App Home tab of {person}, an admin (views.publish)",
    surfaces.CHECKIN_DM: "the check-in DM {person} answered (chat.postMessage)",
    surfaces.CHECKIN_FORM: "the check-in form its Answer button opened (views.open)",
    surfaces.SURVEY_INVITATION: "the pulse survey invitation DM to {person} (chat.postMessage)",
}
REVIEW_NOTE = "the quarterly review: its post and thread in #{channel}, and its canvas"
REVIEW_MD_NOTE = "the quarterly review pack as written into the canvas (markdown)"
PEOPLE_NOTE = "the names of the user and channel ids in these files"


def intro(weeks: int, first: str, last: str) -> str:
    span = first if first == last else f"{first} to {last}"
    return (
        f"Northstar demo: {weeks} simulated week{'s' if weeks != 1 else ''} ({span}) at "
        f"{bakery.COMPANY}: {len(bakery.PEOPLE)} people in {len(bakery.TEAMS)} teams, "
        f"{len(bakery.GOALS)} goals, {len(bakery.KPIS)} KPIs, weekly check-ins and a pulse "
        "survey, played against a fake Slack. No Slack account, no network.\n"
        f"This is the last weekly digest, as Northstar posted it in #{bakery.DIGEST_CHANNEL_NAME}:"
    )


THREAD_RULE = "in the thread"
CASCADE = (
    f"And the cascade under the company goal, as `/goal tree` shows it to "
    f"{bakery.NAMES[bakery.OWNER]}:"
)


def wrote(folder: Path, count: int) -> str:
    return (
        f"Wrote {count} files to {folder}/ ({folder / 'README.txt'} lists them). Paste a "
        f'digest\'s "blocks" into {BLOCK_KIT_BUILDER} to see it as Slack shows it.'
    )


def readme(entries: list[tuple[str, str]], first: str, last: str) -> str:
    width = max(len(name) for name, _ in entries)
    lines = [
        f"Northstar demo: {bakery.COMPANY}, {first} to {last}, simulated against a fake Slack.",
        "",
        *(f"{name:<{width}}  {note}" for name, note in entries),
        "",
        f"Each digest-*.json holds the messages as Northstar sent them to chat.postMessage; "
        f'paste a message\'s "blocks" into {BLOCK_KIT_BUILDER} to see it as Slack shows it.',
        "The other *.json files hold one payload each (a message's text and blocks, or a "
        "view), as Northstar sent it to the Slack method they name.",
        "`python -m fakeslack.pictures <this folder> <pictures folder>` draws them as PNGs.",
        "Run `northstar demo --help` for the options.",
    ]
    return "\n".join(lines) + "\n"


def drew(picture: Path) -> str:
    return f"Drew the digest into {picture}."


FAILED = "The demo stopped: {reason}"
