"""The weekly digest's post, thread and KPI chart, built from hand-made digests."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.digest.blocks.lines import cut_markup, statement_text
from bot.digest.blocks.post import build_digest_post
from bot.digest.blocks.thread import THREAD_REPLIES_MAX, build_digest_thread
from bot.digest.chart import PANELS_MAX, render_kpi_chart
from bot.digest.model import (
    COMPANY_SCOPE,
    CheckinSection,
    Digest,
    GoalLine,
    GoalSection,
    KpiLine,
    KpiPoint,
    Mover,
    PulseLine,
    TeamBlockers,
    WeekRate,
)
from bot.goals.alignment import AlignmentScore, ScorePart
from bot.goals.progress import Status
from bot.kpis.health import Health
from bot.slack.messages import MESSAGE_BLOCKS_MAX, Reply
from fakeslack.blockkit import validate_message

TEXT_CHARS_MAX = 12_000
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
WEEK_START = date(2026, 11, 23)
NASTY = "<&>*_~"
NAMES = {"U1": "Ann", "U2": "Ben", "U3": "Cat", "U4": "Dan <Ops>", "U5": "Eve", "U9": "Vic"}


def block_text(value: Any) -> str:
    """Every string under a "text" key of a payload, at any depth, joined by newlines."""
    if isinstance(value, list):
        pieces = [block_text(item) for item in value]
    elif isinstance(value, dict):
        pieces = [
            item if key == "text" and isinstance(item, str) else block_text(item)
            for key, item in value.items()
        ]
    else:
        return ""
    return "\n".join(piece for piece in pieces if piece)


def text_chars(value: Any) -> int:
    """How many characters of text a payload holds: what Slack's size limit counts."""
    if isinstance(value, dict):
        return sum(
            len(item) if key == "text" and isinstance(item, str) else text_chars(item)
            for key, item in value.items()
        )
    if isinstance(value, list):
        return sum(text_chars(item) for item in value)
    return 0


def assert_within_limits(reply: Reply) -> None:
    assert reply["text"].strip()
    assert len(reply["blocks"]) <= MESSAGE_BLOCKS_MAX
    assert text_chars(reply["blocks"]) <= TEXT_CHARS_MAX
    assert validate_message(dict(reply)) == []


def goal(
    number: int,
    title: str,
    status: Status = Status.ON_TRACK,
    progress: float = 0.5,
    owner: str = "U1",
    last_update: date = date(2026, 11, 20),
) -> GoalLine:
    return GoalLine(
        number=number,
        title=title,
        owner_id=owner,
        level="team",
        status=status,
        progress=progress,
        due_date=date(2026, 12, 31),
        last_update=last_update,
    )


def kpi(
    number: int,
    name: str,
    values: list[float],
    *,
    health: Health = Health.GREEN,
    charted: bool = True,
    unit: str = "$",
) -> KpiLine:
    history = tuple(
        KpiPoint(WEEK_START - timedelta(days=7 * (len(values) - index)), value)
        for index, value in enumerate(values)
    )
    return KpiLine(
        number=number,
        name=name,
        unit=unit,
        higher_is_better=True,
        target=15_000,
        green_threshold=14_000,
        red_threshold=11_000,
        latest=values[-1] if values else None,
        latest_on=history[-1].day if history else None,
        health=health,
        arrow="↑" if len(values) > 1 and values[-1] > values[-2] else "",
        history=history,
        charted=charted,
    )


def sample_digest() -> Digest:
    """A realistic week of a small company."""
    catering = goal(4, "Launch catering menu", progress=0.45)
    return Digest(
        team_id="T1",
        scope=COMPANY_SCOPE,
        scope_name="Acme Bakery",
        vision="Fresh bread in every home of the valley &amp; beyond, <@U9>.",
        week="2026-W48",
        week_start=WEEK_START,
        week_end=WEEK_START + timedelta(days=6),
        as_of=date(2026, 11, 27),
        late=False,
        score=AlignmentScore(
            score=72,
            previous=68,
            parts=(
                ScorePart("linked", 75, "12 of 16 goals"),
                ScorePart("on_track", 60, "9 of 15 goals"),
                ScorePart("participation", 80, "8 of 10 people"),
                ScorePart("kpi_health", 75, "1 green, 1 amber, 0 red"),
                ScorePart("pulse", None, "no survey released in 13 weeks"),
            ),
        ),
        goals=GoalSection(
            on_track=9,
            at_risk=4,
            off_track=2,
            completed=(
                goal(2, "Hire a second baker", Status.DONE, 1.0, owner="U2"),
                goal(3, "Open Sunday shifts", Status.DONE, 1.0, owner="U3"),
            ),
            movers=(Mover(catering, before=0.20, after=0.45),),
            needs_attention=(
                goal(7, "Cut flour waste", Status.OFF_TRACK, 0.1, owner="U4"),
                goal(8, "New oven installed", Status.AT_RISK, 0.3, owner="U5"),
            ),
            stale=(goal(8, "New oven installed", Status.AT_RISK, 0.3, owner="U5"),),
        ),
        kpis=(
            kpi(3, "Catering revenue", [10_000, 11_000, 12_500], health=Health.AMBER),
            kpi(5, "Repeat customers", [40, 42], unit="%", charted=False),
        ),
        checkins=CheckinSection(
            this_week=WeekRate("2026-W48", 8, 10),
            trend=(WeekRate("2026-W46", 6, 10), WeekRate("2026-W47", 7, 10)),
            blockers=(TeamBlockers("Ops", 2, (("U4", "Oven part on back order"),)),),
            blockers_quoted=True,
        ),
        pulse=(
            PulseLine(4, "November pulse", date(2026, 11, 26), 12, 5, ("eNPS +20",)),
            PulseLine(5, "Kitchen survey", date(2026, 11, 26), None, 5, ()),
        ),
        names=NAMES,
    )


def huge_digest() -> Digest:
    """Far past every limit: thousands of goals, long texts full of markup."""
    title = (NASTY * 25)[:150]
    attention = tuple(
        goal(n, f"{n} {title}", Status.OFF_TRACK if n % 2 else Status.AT_RISK, 0.1, f"U{n}")
        for n in range(1, 5_001)
    )
    quote = ("Blocked by " + NASTY) * 200
    return replace(
        sample_digest(),
        scope_name="A" * 300,
        vision=("North " + NASTY + " ") * 800,
        late=True,
        goals=GoalSection(
            on_track=1_000,
            at_risk=2_500,
            off_track=2_500,
            completed=attention[:700],
            movers=tuple(Mover(item, 0.1, 0.9) for item in attention[:400]),
            needs_attention=attention,
            stale=attention[:3_000],
        ),
        kpis=tuple(
            kpi(n, f"{n} {title}"[:80], [float(n), float(n + 1)], charted=n <= 10)
            for n in range(1, 501)
        ),
        checkins=CheckinSection(
            this_week=WeekRate("2026-W48", 300, 500),
            trend=tuple(WeekRate(f"2026-W{week}", 250, 500) for week in range(30, 48)),
            blockers=tuple(
                TeamBlockers(f"Team {n} {NASTY}", 3, tuple((f"U{i}", quote) for i in range(3)))
                for n in range(60)
            ),
            blockers_quoted=True,
        ),
        pulse=tuple(
            PulseLine(n, title, WEEK_START, 40 if n % 2 else None, 5, (title, title, title))
            for n in range(1, 21)
        ),
    )


# --- the post ---------------------------------------------------------------------------------


def test_the_post_shows_the_score_its_change_and_its_parts() -> None:
    post = build_digest_post(sample_digest())
    assert_within_limits(post)
    header = post["blocks"][0]
    assert header["type"] == "header"
    assert header["text"]["text"] == ":compass: Weekly alignment — Acme Bakery — week of 23 Nov"
    assert "2026-W48" not in str(post)
    text = block_text(post["blocks"])
    assert "*Alignment score: 72 / 100*  ▲ +4 from last week" in text
    assert "*Linked*\n75% · 12 of 16 goals" in text
    assert "*Pulse*\n— · no survey released in 13 weeks" in text
    assert "72/100" in post["text"] and "9 on track" in post["text"]
    assert "Posted late" not in text


@pytest.mark.parametrize(
    ("score", "previous", "expected"),
    [
        (65, 68, "▼ \u22123 from last week"),
        (68, 68, "no change from last week"),
        (68, None, "no score from last week to compare"),
        (None, 68, "*Alignment score: no data yet*"),
    ],
)
def test_the_score_change_reads_in_every_case(
    score: int | None, previous: int | None, expected: str
) -> None:
    digest = sample_digest()
    digest = replace(digest, score=replace(digest.score, score=score, previous=previous))
    assert expected in block_text(build_digest_post(digest)["blocks"])


def test_the_post_names_goals_off_track_and_the_movers() -> None:
    text = block_text(build_digest_post(sample_digest())["blocks"])
    assert ":large_green_circle: 9 on track" in text
    assert ":large_yellow_circle: 4 at risk" in text
    assert ":red_circle: 2 off track" in text
    assert "2 completed this week" in text
    assert "*G-2* Hire a second baker — <@U2>" in text
    assert "*G-4* Launch catering menu 20% → 45% (+25 pts) <@U1>" in text
    assert ":red_circle: *G-7* Cut flour waste · <@U4> · 10% · due 2026-12-31" in text
    assert "1 goal has had no update in 14 days." in text
    assert "See all goals" in text and "`/goal" not in text


def test_the_post_shows_kpis_checkins_and_surveys() -> None:
    text = block_text(build_digest_post(sample_digest())["blocks"])
    assert ":large_yellow_circle: *K-3* Catering revenue · $12,500 ↑ · target $15,000" in text
    assert "The chart of the key KPIs is in the thread." in text
    assert "`/kpi list`" in text
    assert "Participation this week: 80% (8 of 10) · trend: 60% → 70% → 80%" in text
    assert "Ops: 2 people named a blocker" in text
    assert "what they wrote is in the thread" in text
    assert "Answer this week's check-in" in text and "`/checkin" not in text
    assert "*P-4* November pulse: 12 responses · eNPS +20" in text
    assert (
        "*P-5* Kitchen survey closed; fewer than 5 answered, so no results are shown (anonymity)."
        in text
    )
    assert "Full results: `/pulse results P-4`" in text
    assert "P-5`" not in text  # its results are withheld


def test_the_vision_is_quoted_with_slacks_own_markup_kept() -> None:
    text = block_text(build_digest_post(sample_digest())["blocks"])
    assert (
        ":star2: *Our north star*\n>Fresh bread in every home of the valley &amp; beyond, <@U9>."
        in text
    )


def test_empty_sections_say_so_honestly() -> None:
    digest = replace(
        sample_digest(),
        vision="",
        goals=GoalSection(0, 0, 0, (), (), (), ()),
        kpis=(),
        checkins=None,
        pulse=(),
    )
    post = build_digest_post(digest)
    assert_within_limits(post)
    text = block_text(post["blocks"])
    assert "No open goals yet — `/goal new` to add one." in text
    assert "No KPIs yet" in text
    assert "No check-in round this week." in text
    assert "Pulse surveys" not in text
    assert "north star" not in text
    assert build_digest_thread(digest) == []


def post_list(post: Reply, title: str) -> tuple[int, int]:
    """How many lines the post's section titled ``title`` shows, and its "…and N more"."""
    texts = [b["text"]["text"] for b in post["blocks"] if b["type"] == "section" and "text" in b]
    lines = next(text for text in texts if text.startswith(title)).split("\n")[1:]
    more = re.fullmatch(r"…and ([\d,]+) more in the thread\.", lines[-1])
    hidden = int(more.group(1).replace(",", "")) if more else 0
    return len(lines) - bool(more), hidden


def test_the_huge_digest_stays_within_slacks_limits_and_counts_the_rest() -> None:
    digest = huge_digest()
    post = build_digest_post(digest)
    assert_within_limits(post)
    text = block_text(post["blocks"])
    assert "Posted late: Northstar was not running, or could not post here" in text
    assert "Posted late." in post["text"]
    expected = {
        ":trophy: *Wins this week*": (700, 5),  # the week's completed goals, under Wins
        ":chart_with_upwards_trend: *Biggest moves*": (400, 3),
        ":warning: *Needs attention*": (5_000, 5),
        ":bar_chart: *KPIs*": (500, 6),
        ":construction: *Blockers*": (60, 8),
        ":clipboard: *Pulse": (20, 5),
    }
    for title, (total, most) in expected.items():
        shown, hidden = post_list(post, title)
        assert 1 <= shown <= most, title
        assert shown + hidden == total, title
    assert "3,000 goals have had no update in 14 days." in text
    assert "trend: 50% → 50% → 50% → 50% → 60%" in text
    assert "<&>" not in text and "&lt;&amp;&gt;" in text
    assert len(post["blocks"][0]["text"]["text"]) <= 150
    assert post["blocks"][0]["text"]["text"].endswith("— week of 23 Nov")


def test_a_goal_that_slipped_shows_a_negative_move() -> None:
    sample = sample_digest()
    slipped = Mover(goal(6, "Lower delivery costs", progress=0.1), before=0.2, after=0.1)
    digest = replace(sample, goals=replace(sample.goals, movers=(slipped,)))
    text = block_text(build_digest_post(digest)["blocks"])
    assert "*G-6* Lower delivery costs 20% → 10% (\u221210 pts) <@U1>" in text


def test_the_post_never_lets_typed_markup_through() -> None:
    digest = replace(
        sample_digest(),
        goals=replace(
            sample_digest().goals,
            needs_attention=(goal(9, "<!channel> & <https://evil|click>", Status.OFF_TRACK),),
        ),
    )
    text = block_text(build_digest_post(digest)["blocks"])
    assert "&lt;!channel&gt; &amp; &lt;https://evil|click&gt;" in text
    assert "<!channel>" not in text


@given(
    title=st.text(min_size=1, max_size=150),
    vision=st.text(max_size=1_500),
)
def test_any_title_or_vision_keeps_the_post_valid(title: str, vision: str) -> None:
    sample = sample_digest()
    lines = tuple(goal(n, title, Status.OFF_TRACK) for n in range(1, 40))
    digest = replace(
        sample,
        vision=vision,
        goals=replace(sample.goals, needs_attention=lines, completed=lines),
        kpis=tuple(kpi(n, title, [1.0, 2.0]) for n in range(1, 20)),
    )
    post = build_digest_post(digest)
    assert_within_limits(post)
    text = block_text(post["blocks"])
    assert "<!" not in text
    for tag in re.findall(r"<[^>]*>?", text):
        # Only the owners' mentions, or Slack's own tokens kept whole from the stored vision.
        assert re.fullmatch(r"<@U[0-9A-Z]+>", tag) or tag in vision, tag


@pytest.mark.parametrize("limit", range(2, 24))
def test_cutting_never_splits_a_mention_or_an_entity(limit: int) -> None:
    text = "Bread <@U123> &amp; butter <https://acme.test|shop>"
    for cut in (cut_markup(text, limit), statement_text(text, limit)):
        assert len(cut) <= limit
        assert cut.endswith("…")
        assert not re.search(r"<[^>]*…$|&[a-z]*…$", cut), cut


# --- the thread -------------------------------------------------------------------------------


def thread_sections(replies: list[Reply], title: str) -> list[Reply]:
    return [reply for reply in replies if block_text(reply["blocks"][0]).startswith(title)]


def test_the_thread_lists_every_detail_of_a_normal_week() -> None:
    replies = build_digest_thread(sample_digest())
    for reply in replies:
        assert_within_limits(reply)
    titles = [block_text(reply["blocks"][0]).split(" (")[0] for reply in replies]
    assert titles == [
        ":warning: *Needs attention*",
        ":chart_with_upwards_trend: *Biggest moves this week*",
        ":hourglass_flowing_sand: *No update in 14 days*",
        ":tada: *Done this week*",
        ":bar_chart: *KPIs*",
        ":construction: *Blockers*",
        ":clipboard: *Pulse surveys closed this week*",
    ]
    text = "\n".join(block_text(reply["blocks"]) for reply in replies)
    assert "`▓░░░░░░░░░ 10%` · Off track · due 2026-12-31" in text
    assert "last update 2026-11-20" in text
    assert "$12,500 ↑ · target $15,000 · `▁▄█`" in text
    # U4 was @-mentioned in the post already: the thread names them (escaped).
    assert "*Ops* · Dan &lt;Ops&gt;\n>Oven part on back order" in text
    assert "<@U4>" not in text
    assert "more" not in text


def test_blockers_are_only_counted_when_answers_are_not_shared() -> None:
    sample = sample_digest()
    assert sample.checkins is not None
    digest = replace(sample, checkins=replace(sample.checkins, blockers_quoted=False))
    text = "\n".join(block_text(reply["blocks"]) for reply in build_digest_thread(digest))
    assert "Ops: 2 people named a blocker" in text
    assert "Oven part" not in text


def test_the_huge_thread_is_capped_and_every_item_is_shown_or_counted() -> None:
    digest = huge_digest()
    replies = build_digest_thread(digest)
    assert len(replies) == THREAD_REPLIES_MAX
    for reply in replies:
        assert_within_limits(reply)
    expected = {
        ":warning: *Needs attention*": (len(digest.goals.needs_attention), r"\*G-\d+\*"),
        ":chart_with_upwards_trend: *Biggest moves": (len(digest.goals.movers), r"\*G-\d+\*"),
        ":hourglass_flowing_sand: *No update": (len(digest.goals.stale), r"\*G-\d+\*"),
        ":tada: *Done this week*": (len(digest.goals.completed), r"\*G-\d+\*"),
        ":bar_chart: *KPIs*": (len(digest.kpis), r"\*K-\d+\*"),
        ":construction: *Blockers*": (60 * 3, r"\* · [^\n]+\n>"),
        ":clipboard: *Pulse": (len(digest.pulse), r"\*P-\d+\*"),
    }
    for title, (total, pattern) in expected.items():
        parts = thread_sections(replies, title)
        assert parts, title
        text = "\n".join(block_text(reply["blocks"]) for reply in parts)
        shown = len(re.findall(pattern, text))
        more = re.search(r"…and ([\d,]+) more [^:]+: `", text)
        hidden = int(more.group(1).replace(",", "")) if more else 0
        assert shown + hidden == total, title
        assert shown > 0
    last_attention = thread_sections(replies, ":warning: *Needs attention*")[-1]
    assert "more goals needing attention: `/goal list all`" in block_text(last_attention["blocks"])


def test_names_in_place_of_mentions_are_counted_before_the_thread_is_paged() -> None:
    """With mentions off every ``<@U…>`` becomes a name, which can be far longer once escaped;
    each reply is measured as it is sent."""
    digest = huge_digest()
    names = {f"U{n}": "&<>" * 13 for n in range(1, 5_001)}  # 39 characters, 165 once escaped
    for reply in build_digest_thread(replace(digest, mentions=False, names=names)):
        assert_within_limits(reply)
        assert "<@" not in block_text(reply["blocks"])


def test_a_long_list_is_split_into_numbered_parts() -> None:
    sample = sample_digest()
    many = tuple(goal(n, "Goal " + "x" * 140, Status.OFF_TRACK) for n in range(1, 61))
    digest = replace(sample, goals=replace(sample.goals, needs_attention=many))
    parts = thread_sections(build_digest_thread(digest), ":warning: *Needs attention*")
    assert len(parts) >= 2
    assert f"part 1 of {len(parts)}" in block_text(parts[0]["blocks"][0])
    text = "\n".join(block_text(reply["blocks"]) for reply in parts)
    assert len(re.findall(r"\*G-\d+\*", text)) == 60


# --- the chart --------------------------------------------------------------------------------


def test_the_chart_is_a_png_whose_alt_text_carries_the_numbers() -> None:
    chart = render_kpi_chart(sample_digest().kpis, title="Key KPIs, week of 23 Nov 2026")
    assert chart is not None
    assert chart.png.startswith(PNG_MAGIC)
    assert len(chart.png) > 5_000
    assert chart.alt_text.startswith("Key KPIs, week of 23 Nov 2026.")
    assert "K-3 Catering revenue: latest $12,500, target $15,000, health amber" in chart.alt_text
    assert "from $10,000 on 2026-11-02 to $12,500 on 2026-11-16 (3 values)" in chart.alt_text
    assert "K-5" not in chart.alt_text  # not one of the charted KPIs


def test_the_chart_draws_at_most_six_panels_and_keeps_its_alt_text_short() -> None:
    kpis = huge_digest().kpis
    chart = render_kpi_chart(kpis, title="$ KPIs $")
    assert chart is not None and chart.png.startswith(PNG_MAGIC)
    assert len(chart.alt_text) <= 2_000
    assert f"K-{PANELS_MAX}:" in chart.alt_text or f"K-{PANELS_MAX} " in chart.alt_text
    assert f"K-{PANELS_MAX + 1} " not in chart.alt_text


def test_no_chart_without_history() -> None:
    kpis = (kpi(1, "Revenue", []), kpi(2, "Churn", [3.0], charted=False))
    assert render_kpi_chart(kpis, title="KPIs") is None
    assert render_kpi_chart((), title="KPIs") is None


# --- buttons and mentions ---------------------------------------------------------------------


def action_elements(reply: Reply) -> list[dict[str, Any]]:
    return [e for b in reply["blocks"] if b["type"] == "actions" for e in b["elements"]]


def test_the_huge_post_has_unique_button_ids_within_slacks_limits() -> None:
    post = build_digest_post(huge_digest())
    elements = action_elements(post)
    ids = [element["action_id"] for element in elements]
    assert len(ids) == len(set(ids))
    assert all(len(b["elements"]) <= 25 for b in post["blocks"] if b["type"] == "actions")
    assert all(0 < len(element["value"]) <= 2000 for element in elements)
    assert "`/goal" not in block_text(post["blocks"]) and "`/checkin" not in block_text(
        post["blocks"]
    )


def test_a_team_digest_offers_its_own_team_not_the_company() -> None:
    digest = replace(sample_digest(), scope="team-7", scope_name="Ops", team_ref=7)
    texts = {e["text"]["text"]: e["value"] for e in action_elements(build_digest_post(digest))}
    assert texts["See Ops goals"] == "7"
    assert "See all goals" not in texts


def test_mentions_once_across_post_and_thread_and_none_when_off() -> None:
    digest = sample_digest()
    post, thread = build_digest_post(digest), build_digest_thread(digest)
    text = "\n".join(block_text(reply["blocks"]) for reply in [post, *thread])
    mentioned = re.findall(r"<@(U\d+)>", text)
    assert sorted(mentioned) == ["U1", "U2", "U3", "U4", "U5", "U9"]  # each exactly once
    assert "Ann" in text  # U1 again, named

    quiet = replace(digest, mentions=False)
    posted = [build_digest_post(quiet), *build_digest_thread(quiet)]
    quiet_text = "\n".join(block_text(reply["blocks"]) for reply in posted)
    assert "<@" not in quiet_text
    assert "Dan &lt;Ops&gt;" in quiet_text and "<Ops>" not in quiet_text
    assert "the valley &amp; beyond, Vic." in quiet_text
