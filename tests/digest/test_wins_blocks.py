"""The digest's "Wins" section, drawn from hand-made digests: the week's completed goals and
kudos, a few of each, counted, escaped, cut to fit, named instead of pinged when mentions are
off, and nothing at all in a week without wins."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from bot.digest.blocks.post import KUDOS_TEXT_MAX, build_digest_post
from bot.digest.blocks.thread import build_digest_thread
from bot.digest.model import Digest, GoalSection, KudosLine, KudosSection
from bot.goals.progress import Status
from tests.digest.test_blocks import (
    NASTY,
    assert_within_limits,
    block_text,
    goal,
    post_list,
    sample_digest,
    thread_sections,
)

WINS = ":trophy: *Wins this week*"
KUDOS_TITLE = ":clap: *Kudos*"
THREAD_KUDOS = ":clap: *Kudos this week*"


def kudos(
    giver: str,
    recipients: tuple[str, ...],
    text: str,
    goal_number: int | None = None,
    day: int = 26,
) -> KudosLine:
    return KudosLine(giver, recipients, text, goal_number, date(2026, 11, day))


THREE = (
    kudos("U5", ("U4",), "Fixed the oven on a Sunday", goal_number=8),
    kudos("U2", ("U3", "U1"), "Covered every early shift", day=25),
    kudos("U3", ("U2",), "Great hiring", day=24),
)


def with_kudos(digest: Digest, *lines: KudosLine, count: int | None = None) -> Digest:
    section = KudosSection(count=len(lines) if count is None else count, newest=lines)
    return replace(digest, kudos=section)


def post_text(digest: Digest) -> str:
    post = build_digest_post(digest)
    assert_within_limits(post)
    return block_text(post["blocks"])


def thread_text(digest: Digest) -> str:
    replies = build_digest_thread(digest)
    for reply in replies:
        assert_within_limits(reply)
    return "\n".join(block_text(reply["blocks"]) for reply in replies)


def test_wins_count_and_show_the_completed_goals_and_the_newest_kudos() -> None:
    text = post_text(with_kudos(sample_digest(), *THREE))
    assert f"{WINS} · 2 goals done · 3 kudos\n" in text
    assert ":white_check_mark: *G-2* Hire a second baker — <@U2>" in text
    assert ":white_check_mark: *G-3* Open Sunday shifts — <@U3>" in text
    # The newest first; each person @-mentioned once in the post (U2 and U3 just above).
    assert (
        f"{KUDOS_TITLE}\n<@U5> → <@U4> · *G-8*: “Fixed the oven on a Sunday”\n"
        "Ben → Cat and <@U1>: “Covered every early shift”\n"
        "Cat → Ben: “Great hiring”"
    ) in text
    assert "Open G-2" in text and "Open G-3" in text


def test_completed_goals_are_shown_once_under_wins_not_again_under_goals() -> None:
    text = post_text(with_kudos(sample_digest(), *THREE))
    assert text.count("Hire a second baker") == 1
    assert "Done this week" not in text
    assert "2 completed this week" in text  # the goal counts keep their number
    assert text.index(WINS) < text.index(":dart: *Goals*")


def test_mentions_off_names_givers_and_recipients_without_pinging() -> None:
    digest = replace(with_kudos(sample_digest(), *THREE), mentions=False)
    text = post_text(digest) + thread_text(digest)
    assert "<@" not in text
    assert "Eve → Dan &lt;Ops&gt; · *G-8*: “Fixed the oven on a Sunday”" in text
    assert "Hire a second baker — Ben" in text


def test_kudos_text_is_escaped_and_its_markup_cannot_reach_ours() -> None:
    hostile = kudos("U1", ("U2",), "<!channel> *x* & <https://evil|click> <@U9>", goal_number=4)
    text = post_text(with_kudos(sample_digest(), hostile))
    line = (
        "<@U1> → Ben · *G-4*: “&lt;!channel&gt; *x* &amp; &lt;https://evil|click&gt; &lt;@U9&gt;”"
    )
    assert line in text
    assert "<!channel>" not in text and "<https://evil" not in text
    # The text comes last on its line, after the goal: a stray * cannot swallow our markup.
    assert re.search(r"\*G-4\*: “[^\n]*”$", text, re.MULTILINE)


def test_long_kudos_and_many_recipients_are_cut_in_the_post_and_kept_in_the_thread() -> None:
    many = tuple(f"U{n}" for n in range(10, 20))
    long = kudos("U1", many, "Thank you " * 100)
    digest = with_kudos(sample_digest(), long)
    text = post_text(digest)
    [line] = [line for line in text.split("\n") if line.startswith("<@U1> → ")]
    assert "<@U10>, <@U11> and 8 others: “Thank you" in line
    quoted = line.split("“", 1)[1].removesuffix("”")
    assert len(quoted) == KUDOS_TEXT_MAX and quoted.endswith("…")
    thread = thread_text(digest)
    assert f"{THREAD_KUDOS} (1)" in thread
    assert ", ".join(f"<@U{n}>" for n in range(12, 19)) + " and <@U19>" in thread


def test_a_week_without_wins_says_nothing() -> None:
    sample = sample_digest()
    quiet = replace(sample, goals=replace(sample.goals, completed=()))
    text = post_text(quiet)
    assert "Wins" not in text and "Kudos" not in text
    assert not thread_sections(build_digest_thread(quiet), THREAD_KUDOS)
    empty = replace(quiet, goals=GoalSection(0, 0, 0, (), (), (), ()))
    assert "Wins" not in post_text(empty)


def test_kudos_without_completed_goals_make_one_short_section() -> None:
    sample = sample_digest()
    digest = with_kudos(replace(sample, goals=replace(sample.goals, completed=())), THREE[2])
    text = post_text(digest)
    assert f"{WINS} · 1 kudos\n<@U3> → <@U2>: “Great hiring”" in text
    assert KUDOS_TITLE not in text


def test_a_team_count_from_a_busy_week_says_it_is_a_floor() -> None:
    digest = replace(sample_digest(), kudos=KudosSection(4, at_least=True, newest=THREE))
    assert f"{WINS} · 2 goals done · at least 4 kudos" in post_text(digest)
    assert "Counted from the newest 3 of a busy week." in thread_text(digest)


def test_a_huge_week_of_kudos_stays_within_slacks_limits_and_counts_every_one() -> None:
    people = tuple(f"U{n}" for n in range(100, 110))
    loaded = tuple(
        kudos(f"U{n}", people, f"{n} " + NASTY * 200, goal_number=n) for n in range(1, 201)
    )
    sample = sample_digest()
    done = tuple(goal(n, NASTY * 30, Status.DONE, 1.0, f"U{n}") for n in range(1, 700))
    digest = with_kudos(
        replace(sample, goals=replace(sample.goals, completed=done)), *loaded, count=5_000
    )
    names = {f"U{n}": "&<>" * 13 for n in range(1, 1_000)}  # 39 characters, 165 escaped
    for shown_digest in (digest, replace(digest, mentions=False, names=names)):
        post = build_digest_post(shown_digest)
        assert_within_limits(post)
        shown, hidden = post_list(post, KUDOS_TITLE)
        assert 1 <= shown <= 3 and shown + hidden == 5_000
        shown, hidden = post_list(post, WINS)
        assert 1 <= shown <= 5 and shown + hidden == 699
        replies = build_digest_thread(shown_digest)
        for reply in replies:
            assert_within_limits(reply)
        kudos_replies = "\n".join(
            block_text(reply["blocks"]) for reply in thread_sections(replies, THREAD_KUDOS)
        )
        assert f"{THREAD_KUDOS} (5,000)" in kudos_replies
        listed = kudos_replies.count(" → ")  # one arrow a kudos, even when cut
        more = re.search(r"…and ([\d,]+) more kudos\.", kudos_replies)
        assert more is not None and listed + int(more.group(1).replace(",", "")) == 5_000
