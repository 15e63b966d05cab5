"""``northstar demo``: a simulated month against the fake Slack, printed and written out."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.demo import bakery, surfaces
from bot.demo.terminal import Style, as_text, plain_markup, render_message, styled, wrap
from fakeslack import validate_message

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WEEKS = ("2026-W10", "2026-W11")


def test_the_demo_prints_the_last_digest_and_writes_its_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, picture = tmp_path / "out", tmp_path / "demo.png"
    argv = ["demo", "--out", str(folder), "--weeks", "2", "--picture", str(picture)]
    assert main(argv) == 0

    printed = capsys.readouterr().out
    assert bakery.COMPANY_GOAL.title in printed
    assert re.search(r"Alignment score: [0-9]{1,3} / 100", printed)
    assert "week of 9 Mar" in printed  # the second week's digest is the one printed
    assert f"Wrote 14 files to {folder}/" in printed
    assert any(f"@{name}" in printed for name in bakery.NAMES.values())  # not <@U…>
    assert not re.search(r"<[@#!]|:[a-z_]+:|\*G-|\x1b\[", printed)  # mrkdwn, emoji, colours

    names = {path.name for path in folder.iterdir()}
    digests = [json.loads((folder / f"digest-{w}.json").read_text()) for w in WEEKS]
    charts = {name for digest in digests for name in digest["company"]["charts"]}
    assert len(charts) == len(WEEKS)
    assert names == {
        "README.txt",
        "P-1-results.png",
        *charts,
        *(f"digest-{w}.json" for w in WEEKS),
        *surfaces.FILES,
        "people.json",
        "review-2026-Q1.json",
        "review-2026-Q1.md",
    }
    for png in [picture, folder / "P-1-results.png", *(folder / name for name in charts)]:
        assert png.read_bytes().startswith(PNG_SIGNATURE), png
    readme = (folder / "README.txt").read_text()
    assert all(name in readme for name in names - {"README.txt"})


def test_each_weeks_json_holds_every_digest_within_block_kit_limits(tmp_path: Path) -> None:
    assert main(["demo", "--out", str(tmp_path), "--weeks", "1"]) == 0

    week = json.loads((tmp_path / "digest-2026-W10.json").read_text())
    assert week["week"] == "2026-W10"
    assert week["company"]["channel"] == f"#{bakery.DIGEST_CHANNEL_NAME}"
    [chart] = week["company"]["charts"]
    assert chart.startswith("kpis-") and (tmp_path / chart).read_bytes().startswith(PNG_SIGNATURE)
    assert {team["channel"] for team in week["teams"]} == {
        f"#{t.channel_name}" for t in bakery.TEAMS
    }
    for digest in [week["company"], *week["teams"]]:
        assert digest["thread"], digest["channel"]
        for message in [digest["post"], *digest["thread"]]:
            assert len(message["blocks"]) <= 50
            assert validate_message(message) == []
    header = week["company"]["post"]["blocks"][0]["text"]["text"]
    assert "Weekly alignment" in header and "2 Mar" in header


def test_mrkdwn_reads_as_plain_text_with_names_and_symbols() -> None:
    names = {"U1": "Ada Lovelace"}
    assert plain_markup("<@U1> in <#C1|sales> &amp; <https://x.test|docs>", names) == (
        "@Ada Lovelace in #sales & docs"
    )
    assert styled(":red_circle: *G-3* late `/goal tree`", names) == [
        ("●", Style.BAD),
        (" ", Style.PLAIN),
        ("G-3", Style.BOLD),
        (" late ", Style.PLAIN),
        ("/goal tree", Style.CODE),
    ]


def test_long_lines_wrap_at_spaces_with_a_hanging_indent() -> None:
    lines = wrap([("one two three four", Style.PLAIN)], width=9)
    assert as_text(lines).split("\n") == ["one two", "  three", "  four"]


def test_sections_fields_context_and_quotes_render_as_lines() -> None:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Digest"}},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "*Score: 70*\n>a quote"},
            "fields": [{"type": "mrkdwn", "text": "*Linked*\n80%"}],
        },
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "More: `/goal list`"}]},
    ]
    assert as_text(render_message(blocks, {})).split("\n") == [
        "Digest",
        "══════",
        "",
        "Score: 70",
        "  ┃ a quote",
        "  Linked       80%",
        "  More: /goal list",
    ]
