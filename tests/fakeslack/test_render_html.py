"""Block Kit drawn as a Slack-like HTML page: each block and text format, real payloads from
the app's builders, and hostile text that must stay text."""

from __future__ import annotations

from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from bot.checkins.blocks.prompts import ANSWER_ACTION, build_checkin_prompt
from fakeslack.render_html import Renderer, home_page, message_page, modal_page, view_page
from fakeslack.render_mrkdwn import Names, mrkdwn_html, plain_html

NAMES = Names(users={"U1": "Ada Lovelace"}, channels={"C1": "sales"})
SAFE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "div", "span", "b", "i", "s", "code",
    "pre", "blockquote", "br", "hr", "a", "img", "ul", "ol", "li",
}  # fmt: skip
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>"\'&'


class Tags(HTMLParser):
    """Every tag and attribute of a page, to prove no text from the JSON became markup."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += attrs

    def handle_data(self, data: str) -> None:
        self.text += data


def parsed(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    return tags


def mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


# ---- text --------------------------------------------------------------------------------------
def test_mrkdwn_formats_bold_italic_strike_code_and_emoji() -> None:
    assert mrkdwn_html("*G-7* _soon_ ~old~ `/goal list` :tada: :no_such_emoji:") == (
        '<b>G-7</b> <i>soon</i> <s>old</s> <code>/goal list</code> <span class="emoji">🎉</span>'
        " :no_such_emoji:"
    )
    assert mrkdwn_html("snake_case_name and 2*3*4") == "snake_case_name and 2*3*4"


def test_mrkdwn_shows_names_for_mentions_and_labels_for_links() -> None:
    shown = mrkdwn_html(
        "<@U1> in <#C1> and <#C9|ops>, <!here>, <https://x.test/a?b=1&amp;c=2|docs>", NAMES
    )
    assert shown == (
        '<span class="mention">@Ada Lovelace</span> in <span class="channel">#sales</span> and '
        '<span class="channel">#ops</span>, <span class="mention">@here</span>, '
        '<a class="link" href="https://x.test/a?b=1&amp;c=2">docs</a>'
    )
    assert mrkdwn_html("<@U2>", NAMES) == '<span class="mention">@U2</span>'  # unknown: the id


def test_mrkdwn_quotes_lines_and_keeps_code_literal() -> None:
    assert mrkdwn_html("*Vision*\n>one\n&gt; two\nafter") == (
        "<b>Vision</b><br><blockquote>one<br>two</blockquote>after"
    )
    assert mrkdwn_html("```a *b* <@U1>\n:tada:```", NAMES) == (
        "<pre>a *b* &lt;@U1&gt;\n:tada:</pre>"
    )
    assert mrkdwn_html("5 &lt; 6 &amp;&amp; 7 &gt; 2") == "5 &lt; 6 &amp;&amp; 7 &gt; 2"


def test_plain_text_draws_emoji_only_when_asked() -> None:
    assert plain_html("*hi* :wave:") == '*hi* <span class="emoji">👋</span>'
    assert plain_html(":wave: <b>", emoji=False) == ":wave: &lt;b&gt;"


# ---- blocks ------------------------------------------------------------------------------------
def test_sections_draw_text_fields_and_their_accessory_button() -> None:
    section = {
        "type": "section",
        "text": mrkdwn("*Score*"),
        "fields": [mrkdwn("*Linked*\n92%"), plain("On track")],
        "accessory": {"type": "button", "text": plain("Update"), "action_id": "a", "value": "7"},
    }
    shown = Renderer().blocks([section])
    assert '<div class="text"><b>Score</b></div>' in shown
    assert '<div class="field"><b>Linked</b><br>92%</div><div class="field">On track</div>' in shown
    assert '<div class="accessory"><span class="button">Update</span></div>' in shown


def test_actions_draw_primary_and_danger_buttons_and_selects() -> None:
    actions = {
        "type": "actions",
        "elements": [
            {"type": "button", "text": plain("Answer"), "style": "primary", "action_id": "a"},
            {"type": "button", "text": plain("Delete"), "style": "danger", "action_id": "b"},
            {"type": "button", "text": plain("Later"), "style": "weird", "action_id": "c"},
            {"type": "static_select", "placeholder": plain("Pick"), "action_id": "d"},
            {"type": "overflow", "action_id": "e", "options": []},
        ],
    }
    shown = Renderer().blocks([actions])
    assert '<span class="button primary">Answer</span>' in shown
    assert '<span class="button danger">Delete</span>' in shown
    assert '<span class="button">Later</span>' in shown
    assert "<span>Pick</span>" in shown and "▾" in shown and "⋯" in shown


def test_headers_dividers_context_and_unknown_blocks() -> None:
    shown = Renderer().blocks(
        [
            {"type": "header", "text": plain(":dart: Goals")},
            {"type": "divider"},
            {"type": "context", "elements": [mrkdwn("More: `/goal list`"), plain("x")]},
            {"type": "video", "title": plain("no")},
            "not a block",
        ]
    )
    assert '<div class="header"><span class="emoji">🎯</span> Goals</div>' in shown
    assert "<hr>" in shown
    assert '<div class="context"><span>More: <code>/goal list</code></span><span>x</span>' in shown
    assert '<div class="unknown">[video block]</div>' in shown


def test_inputs_show_label_placeholder_initial_values_and_optional() -> None:
    blocks = [
        {
            "type": "input",
            "label": plain("What moved?"),
            "optional": True,
            "element": {"type": "plain_text_input", "multiline": True, "action_id": "t"},
            "hint": plain("A line or two"),
        },
        {
            "type": "input",
            "label": plain("Mood"),
            "element": {
                "type": "static_select",
                "action_id": "s",
                "placeholder": plain("Pick 1 to 5"),
                "options": [{"text": plain("5 · Great"), "value": "5"}],
            },
        },
        {
            "type": "input",
            "label": plain("Due"),
            "element": {"type": "datepicker", "action_id": "d", "initial_date": "2026-03-20"},
        },
        {
            "type": "input",
            "label": plain("Kind"),
            "element": {
                "type": "radio_buttons",
                "action_id": "r",
                "options": [
                    {"text": plain("Text"), "value": "t"},
                    {"text": plain("1-5"), "value": "n"},
                ],
                "initial_option": {"text": plain("1-5"), "value": "n"},
            },
        },
    ]
    shown = Renderer().blocks(blocks)
    assert 'What moved? <span class="optional">(optional)</span>' in shown
    assert '<div class="field-input tall empty wide"><span></span></div>' in shown
    assert '<div class="hint">A line or two</div>' in shown
    assert "<span>Pick 1 to 5</span>" in shown and "Great" not in shown
    assert "<span>2026-03-20</span>" in shown
    assert "○ Text" in shown and "◉ 1-5" in shown


def test_images_show_a_local_file_or_their_alt_text_never_a_remote_one(tmp_path: Path) -> None:
    (tmp_path / "chart.png").write_bytes(b"\x89PNG")
    renderer = Renderer(images=tmp_path)
    local = renderer.blocks([{"type": "image", "image_url": "chart.png", "alt_text": "KPIs"}])
    assert f'src="{(tmp_path / "chart.png").as_uri()}" alt="KPIs"' in local
    for url in ("https://x.test/chart.png", "../chart.png", "/etc/passwd", "missing.png"):
        shown = renderer.blocks([{"type": "image", "image_url": url, "alt_text": "KPIs"}])
        assert "<img" not in shown and "🖼 KPIs" in shown, url


def test_rich_text_draws_styles_lists_quotes_and_mentions() -> None:
    block = {
        "type": "rich_text",
        "elements": [
            {
                "type": "rich_text_section",
                "elements": [
                    {"type": "text", "text": "Hi ", "style": {"bold": True}},
                    {"type": "user", "user_id": "U1"},
                    {"type": "emoji", "name": "wave"},
                ],
            },
            {
                "type": "rich_text_list",
                "style": "ordered",
                "elements": [
                    {"type": "rich_text_section", "elements": [{"type": "text", "text": "a"}]}
                ],
            },
            {"type": "rich_text_quote", "elements": [{"type": "channel", "channel_id": "C1"}]},
        ],
    }
    shown = Renderer(NAMES).blocks([block])
    assert (
        '<b>Hi </b><span class="mention">@Ada Lovelace</span><span class="emoji">👋</span>' in shown
    )
    assert "<ol><li><div>a</div></li></ol>" in shown
    assert '<blockquote><span class="channel">#sales</span></blockquote>' in shown


# ---- pages -------------------------------------------------------------------------------------
def test_a_real_checkin_prompt_reads_as_a_dm_from_the_app() -> None:
    closes = datetime(2026, 3, 10, 23, 59, tzinfo=UTC)
    prompt = build_checkin_prompt(week="2026-W11", delivery_id=17, closes_local=closes, questions=4)
    message = dict(prompt)

    page = message_page(message, where="Northstar")
    tags = parsed(page)
    words = [
        element["text"]["text"]
        for block in prompt["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert len(words) == 2 and all(word in tags.text for word in words)
    assert ANSWER_ACTION not in page  # ids are not shown; the buttons' words are
    assert page.count('<span class="button primary">') == 1
    assert '<div class="topbar">Northstar <span class="app-badge">' in page
    assert set(tags.tags) <= SAFE_TAGS


def test_a_message_without_blocks_shows_its_text() -> None:
    page = message_page({"text": "*Hello* <@U1>"}, where="#general", renderer=Renderer(NAMES))
    assert '<div class="topbar">#general</div>' in page
    assert '<b>Hello</b> <span class="mention">@Ada Lovelace</span>' in page


def test_views_draw_as_home_tab_or_modal_with_title_and_buttons() -> None:
    blocks = [{"type": "section", "text": mrkdwn("Body")}]
    home = view_page({"type": "home", "blocks": blocks}, app_name="Northstar")
    assert '<span class="tab on">Home</span>' in home and "Body" in home
    modal = view_page(
        {"type": "modal", "title": plain("Check-in"), "submit": plain("Send"), "blocks": blocks}
    )
    assert '<span class="title">Check-in</span>' in modal
    assert '<span class="button">Cancel</span><span class="button primary">Send</span>' in modal
    no_submit = modal_page({"type": "modal", "title": plain("Tree"), "close": plain("Done")})
    assert '<div class="modal-foot"><span class="button">Done</span></div>' in no_submit


def hostile_blocks() -> list[dict[str, Any]]:
    button = {"type": "button", "text": plain(HOSTILE), "action_id": HOSTILE, "value": HOSTILE}
    image = {"type": "image", "image_url": HOSTILE, "alt_text": HOSTILE}
    remote = {"type": "image", "image_url": "https://x.test/a.png", "alt_text": HOSTILE}
    select = {"type": "static_select", "placeholder": plain(HOSTILE)}
    text_input = {"type": "plain_text_input", "initial_value": HOSTILE}
    links = f"<javascript:alert(1)|{HOSTILE}> <@U1|{HOSTILE}> <@U1> <#C1> \ue0000\ue001"
    rich = [{"type": "link", "url": HOSTILE}, {"type": "user", "user_id": HOSTILE}]
    return [
        {"type": "header", "text": plain(HOSTILE)},
        {"type": "section", "text": mrkdwn(HOSTILE), "fields": [mrkdwn(HOSTILE)]},
        {"type": "section", "text": plain(HOSTILE), "accessory": button},
        {"type": "context", "elements": [mrkdwn(HOSTILE), image]},
        {"type": "actions", "elements": [button, select]},
        remote | {"title": plain(HOSTILE)},
        {"type": "input", "label": plain(HOSTILE), "hint": plain(HOSTILE), "element": text_input},
        {"type": "section", "text": mrkdwn(links)},
        {"type": "rich_text", "elements": [{"type": "rich_text_section", "elements": rich}]},
        {"type": HOSTILE},
    ]


@pytest.mark.parametrize("surface", ["message", "home", "modal"])
def test_hostile_text_anywhere_in_the_json_stays_text(surface: str) -> None:
    renderer = Renderer(Names(users={"U1": HOSTILE}, channels={"C1": HOSTILE}))
    blocks = hostile_blocks()
    if surface == "message":
        page = message_page({"blocks": blocks}, where=HOSTILE, renderer=renderer, app_name=HOSTILE)
    elif surface == "home":
        page = home_page({"type": "home", "blocks": blocks}, renderer=renderer, app_name=HOSTILE)
    else:
        view = {
            "type": "modal",
            "title": plain(HOSTILE),
            "submit": plain(HOSTILE),
            "blocks": blocks,
        }
        page = modal_page(view, renderer=renderer)

    tags = parsed(page)
    assert set(tags.tags) <= SAFE_TAGS
    assert "script" not in tags.tags and tags.tags.count("img") == 0
    assert all(not name.startswith("on") for name, _ in tags.attributes)
    hrefs = [value or "" for name, value in tags.attributes if name in ("href", "src")]
    assert all(href.startswith("https://") for href in hrefs), hrefs
    assert HOSTILE in tags.text  # shown, as the characters it is
    assert "&lt;script&gt;" in page and "<script" not in page
