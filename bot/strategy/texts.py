"""Every sentence of the priorities and the SWOT. Arguments named ``title``, ``why`` or
``item`` are stored as typed and escaped here; change summaries are stored plain (the
digest escapes them)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.text_input import escape_mrkdwn
from bot.goals.blocks.messages import at_least
from bot.slack.messages import truncate
from storage.models import PRIORITIES_MAX, PRIORITY_TITLE_MAX_CHARS, PRIORITY_WHY_MAX_CHARS

PRIORITIES_FEWEST_ADVISED = 3
SWOT_ITEMS_MAX = 10
SWOT_ITEM_MAX_CHARS = 150

PRIORITIES_USAGE = (
    "`/align priorities` to see them, `/align priorities edit` to change them (admins)"
)
SWOT_USAGE = "`/align swot` to see it, `/align swot edit` to change it (admins)"
EDIT_PRIORITIES_ACTION = "set the priorities"
EDIT_SWOT_ACTION = "edit the SWOT"


def shown_title(title: str) -> str:
    return escape_mrkdwn(" ".join(title.split()))


def priority_label(title: str, *, retired: bool) -> str:
    return shown_title(title) + (" (retired)" if retired else "")


# --- /align priorities -------------------------------------------------------------------

PRIORITIES_HEADER = ":dart: *Our priorities*"
NO_PRIORITIES = "No priorities have been set yet."
NO_PRIORITIES_ADMIN = "No priorities have been set yet. Set 3 to 7 with `/align priorities edit`."
EDIT_HINT = "Change them: `/align priorities edit`."


def priority_line(rank: int, title: str, why: str) -> str:
    line = f"*{rank}. {shown_title(title)}*"
    return f"{line} — {escape_mrkdwn(why)}" if why.strip() else line


def priorities_shown(lines: Sequence[str], *, admin: bool) -> str:
    if not lines:
        return NO_PRIORITIES_ADMIN if admin else NO_PRIORITIES
    text = "\n".join([PRIORITIES_HEADER, *lines])
    return f"{text}\n{EDIT_HINT}" if admin else text


def priorities_unknown(word: str) -> str:
    return f"`/align priorities` takes nothing, or `edit`; not {word}. Type {PRIORITIES_USAGE}."


# --- the priorities form -----------------------------------------------------------------

FORM_TITLE = "Priorities"
FORM_SUBMIT = "Save"
FORM_HINT = (
    f"Rank order: the first is #1. Up to {PRIORITIES_MAX}, each a title (up to "
    f"{PRIORITY_TITLE_MAX_CHARS} characters) and why it matters (up to "
    f"{PRIORITY_WHY_MAX_CHARS}). {PRIORITIES_FEWEST_ADVISED} to {PRIORITIES_MAX} work best. "
    "To re-rank, move the titles; a priority keeps its goals while its title stays (or it "
    "keeps its place). Empty a title to retire that priority."
)


def title_label(rank: int) -> str:
    return f"Priority {rank}"


def why_label(rank: int) -> str:
    return f"Why #{rank} matters"


NEED_ONE = "Give at least one priority a title."
WHY_WITHOUT_TITLE = "This priority has a why but no title: give it a title, or empty its why."
TITLE_TOO_LONG = f"Keep the title to {PRIORITY_TITLE_MAX_CHARS} characters."
WHY_TOO_LONG = f"Keep the why to {PRIORITY_WHY_MAX_CHARS} characters."
CONTROL_CHARACTER = "There is an invisible control character here (from a paste?): retype it."
CHANGED_MEANWHILE = (
    "Someone saved the priorities after you opened this form. Close it and type "
    "`/align priorities edit` again to see theirs."
)
NOT_ADMIN_IN_FORM = "Only admins can change this: ask one of them (`/align admins` lists them)."


def duplicate_title(rank: int) -> str:
    return f"Priority {rank} has the same title: give each priority its own."


def priorities_saved(lines: Sequence[str], changes: int) -> str:
    said = "Nothing changed." if not changes else f"Saved: {changes} change(s)."
    text = f"{said}\n" + "\n".join([PRIORITIES_HEADER, *lines])
    if len(lines) < PRIORITIES_FEWEST_ADVISED:
        text += (
            f"\n:warning: {len(lines)} so far: {PRIORITIES_FEWEST_ADVISED} to {PRIORITIES_MAX} "
            "priorities give goals enough to serve without spreading them thin."
        )
    return text


# --- changes, in words (stored plain, escaped where shown) --------------------------------


def _quoted(title: str) -> str:
    return f"“{truncate(' '.join(title.split()), PRIORITY_TITLE_MAX_CHARS)}”"


def change_added(title: str, rank: int) -> str:
    return f"Added {_quoted(title)} at #{rank}"


def change_retired(title: str, rank: int) -> str:
    return f"Retired {_quoted(title)} (was #{rank})"


def change_revived(title: str, rank: int) -> str:
    return f"Brought back {_quoted(title)} at #{rank}"


def change_renamed(before: str, after: str, rank: int) -> str:
    return f"Renamed #{rank} {_quoted(before)} to {_quoted(after)}"


def change_moved(title: str, before: int, after: int) -> str:
    return f"Moved {_quoted(title)} from #{before} to #{after}"


def change_why(title: str) -> str:
    return f"New why for {_quoted(title)}"


# --- flags (Home and digest, for admins) ---------------------------------------------------


def flag_unserved(titles: Sequence[str], count: int) -> str:
    names = ", ".join(shown_title(truncate(title, 40)) for title in titles)
    more = f" and {count - len(titles)} more" if count > len(titles) else ""
    noun = "priority" if count == 1 else "priorities"
    return f"{count} {noun} with no open company goal ({names}{more})"


def flag_unlinked(refs: Sequence[str], count: int) -> str:
    """``count`` may be a count that stopped at ``COUNT_CAP`` ("1,000+")."""
    plus = at_least(count)
    more = f" and {count - len(refs):,}{plus} more" if count > len(refs) else ""
    noun = "company goal" if count == 1 else "company goals"
    return f"{count:,}{plus} {noun} serving no current priority ({', '.join(refs)}{more})"


def flags_line(parts: Sequence[str]) -> str:
    return ":mag: " + "; ".join(parts) + ". Link goals in `/goal edit`."


# --- the SWOT ----------------------------------------------------------------------------

SWOT_PARTS = (
    ("strengths", "Strengths"),
    ("weaknesses", "Weaknesses"),
    ("opportunities", "Opportunities"),
    ("threats", "Threats"),
)
SWOT_HEADER = ":jigsaw: *SWOT*"
NO_SWOT = "No SWOT has been written yet."
NO_SWOT_ADMIN = "No SWOT has been written yet. Write one with `/align swot edit`."
SWOT_EDIT_HINT = "Change it: `/align swot edit`."
SWOT_FORM_TITLE = "SWOT"
SWOT_FORM_HINT = (
    f"One item per line, at most {SWOT_ITEMS_MAX} per list, {SWOT_ITEM_MAX_CHARS} characters "
    "each. Empty lines are ignored; an empty list is fine."
)
SWOT_NONE = "_none_"


def swot_unknown(word: str) -> str:
    return f"`/align swot` takes nothing, or `edit`; not {word}. Type {SWOT_USAGE}."


def swot_sections(parts: dict[str, list[str]], *, admin: bool) -> list[str]:
    """The SWOT as sections of text, one per list: a full one (4 x 10 items of 150
    characters) is more than one section of Slack's 3,000 characters holds."""
    if not any(parts.values()):
        return [NO_SWOT_ADMIN if admin else NO_SWOT]
    sections = [SWOT_HEADER]
    for key, label in SWOT_PARTS:
        items = parts.get(key) or []
        shown = "\n".join(f"• {escape_mrkdwn(item)}" for item in items) or SWOT_NONE
        sections.append(f"*{label}*\n{shown}")
    if admin:
        sections.append(SWOT_EDIT_HINT)
    return sections


def swot_shown(parts: dict[str, list[str]], *, admin: bool) -> str:
    return "\n".join(swot_sections(parts, admin=admin))


def swot_too_many(label: str, count: int) -> str:
    return f"{label} has {count} items; keep it to {SWOT_ITEMS_MAX} (one per line)."


def swot_too_long(line_number: int) -> str:
    return f"Line {line_number} is over {SWOT_ITEM_MAX_CHARS} characters: shorten it."


SWOT_SAVED = "SWOT saved."
