"""Slack's text formats as HTML: ``mrkdwn`` (bold, italic, strike, code, quotes, links,
mentions, emoji shortcodes) and ``plain_text`` (emoji only). Every character that comes from
the JSON is HTML-escaped: a payload may carry what anyone typed."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

# Shortcodes as Unicode; one not listed stays as text (``:name:``), as in Slack without it.
EMOJI = {
    "+1": "👍", "-1": "👎", "thumbsup": "👍", "thumbsdown": "👎", "wave": "👋", "tada": "🎉",
    "white_check_mark": "✅", "heavy_check_mark": "✔️", "x": "❌", "warning": "⚠️",
    "no_entry": "⛔", "red_circle": "🔴", "large_yellow_circle": "🟡",
    "large_green_circle": "🟢", "large_blue_circle": "🔵", "white_circle": "⚪",
    "black_circle": "⚫", "large_orange_circle": "🟠", "hourglass": "⌛",
    "hourglass_flowing_sand": "⏳", "bar_chart": "📊", "chart_with_upwards_trend": "📈",
    "chart_with_downwards_trend": "📉", "dart": "🎯", "construction": "🚧", "star": "⭐",
    "star2": "🌟", "sparkles": "✨", "lock": "🔒", "unlock": "🔓", "compass": "🧭",
    "clipboard": "📋", "wastebasket": "🗑️", "spiral_note_pad": "🗒️", "memo": "📝",
    "speech_balloon": "💬", "palm_tree": "🌴", "page_facing_up": "📄", "package": "📦",
    "office": "🏢", "mag": "🔍", "link": "🔗", "heavy_minus_sign": "\u2796", "file_cabinet": "🗄️",
    "fast_forward": "⏩", "eyes": "👀", "busts_in_silhouette": "👥", "bust_in_silhouette": "👤",
    "arrows_counterclockwise": "🔄", "calendar": "📆", "date": "📅", "bell": "🔔",
    "rocket": "🚀", "fire": "🔥", "bulb": "💡", "pushpin": "📌", "round_pushpin": "📍",
    "trophy": "🏆", "medal": "🏅", "muscle": "💪", "raised_hands": "🙌", "pray": "🙏",
    "clap": "👏", "smile": "😄", "slightly_smiling_face": "🙂", "thinking_face": "🤔",
    "question": "❓", "exclamation": "❗", "information_source": "\u2139\ufe0f", "gear": "⚙️",
    "hammer_and_wrench": "🛠️", "arrow_up": "⬆️", "arrow_down": "⬇️", "arrow_right": "➡️",
    "checkered_flag": "🏁", "triangular_flag_on_post": "🚩", "seedling": "🌱",
    "moneybag": "💰", "heart": "❤️", "sunny": "☀️", "zzz": "💤", "stopwatch": "⏱️",
    "alarm_clock": "⏰", "inbox_tray": "📥", "outbox_tray": "📤", "email": "📧",
    "new": "🆕", "sos": "🆘", "pencil2": "✏️", "scroll": "📜", "books": "📚",
    "handshake": "🤝", "telescope": "🔭", "earth_americas": "🌎", "mountain": "⛰️",
    "shield": "🛡️", "rotating_light": "🚨", "key": "🔑", "bookmark": "🔖", "label": "🏷️",
    "hourglass_done": "⌛", "chart": "💹", "money_with_wings": "💸", "dollar": "💵",
    "card_index_dividers": "🗂️", "card_file_box": "🗃️", "ballot_box_with_check": "☑️",
    "bangbang": "‼️", "no_entry_sign": "🚫", "stop_sign": "🛑",
    "point_right": "👉", "point_up": "☝️", "ok_hand": "👌", "v": "✌️", "star_struck": "🤩",
    "grinning": "😀", "grin": "😁", "joy": "😂", "blush": "😊", "wink": "😉", "sweat_smile": "😅",
    "confused": "😕", "disappointed": "😞", "cry": "😢", "scream": "😱", "sleeping": "😴",
    "neutral_face": "😐", "hugging_face": "🤗", "partying_face": "🥳", "sunglasses": "😎",
    "100": "💯", "boom": "💥", "zap": "⚡", "snowflake": "❄️", "rainbow": "🌈", "cloud": "☁️",
    "umbrella": "☂️", "coffee": "☕", "bread": "🍞", "croissant": "🥐", "cake": "🍰",
    "pizza": "🍕", "truck": "🚚", "car": "🚗", "airplane": "✈️", "house": "🏠",
    "calendar_spiral": "🗓️", "spiral_calendar_pad": "🗓️", "mailbox": "📫", "phone": "☎️",
    "iphone": "📱", "computer": "💻", "keyboard": "⌨️", "printer": "🖨️", "floppy_disk": "💾",
    "open_file_folder": "📂", "file_folder": "📁", "paperclip": "📎", "scissors": "✂️",
    "triangular_ruler": "📐", "straight_ruler": "📏", "pencil": "📝", "notebook": "📓",
    "ledger": "📒", "bookmark_tabs": "📑", "newspaper": "📰", "loudspeaker": "📢",
    "mega": "📣", "speaker": "🔈", "mute": "🔇", "no_bell": "🔕", "repeat": "🔁",
    "recycle": "♻️", "arrow_forward": "▶️", "arrow_backward": "◀️", "arrow_left": "⬅️",
    "arrow_up_down": "↕️", "left_right_arrow": "↔️", "twisted_rightwards_arrows": "🔀",
    "small_red_triangle": "🔺", "small_red_triangle_down": "🔻", "large_blue_diamond": "🔷",
    "large_orange_diamond": "🔶", "white_square_button": "🔳", "black_square_button": "🔲",
    "red_square": "🟥", "green_square": "🟩", "yellow_square": "🟨", "blue_square": "🟦",
    "white_large_square": "⬜", "black_large_square": "⬛", "grey_question": "❔",
    "grey_exclamation": "❕", "heavy_plus_sign": "\u2795", "heavy_multiplication_x": "✖️",
    "negative_squared_cross_mark": "❎", "o": "⭕", "radio_button": "🔘", "crown": "👑",
    "gift": "🎁", "balloon": "🎈", "confetti_ball": "🎊", "sparkle": "❇️", "gem": "💎",
    "moon": "🌙", "sun_with_face": "🌞", "wrench": "🔧", "hammer": "🔨", "nut_and_bolt": "🔩",
    "microscope": "🔬", "satellite": "📡", "hourglass_not_done": "⏳", "timer_clock": "⏲️",
    "clock9": "🕘", "mailbox_with_mail": "📬", "envelope": "✉️", "incoming_envelope": "📨",
    "writing_hand": "✍️", "raising_hand": "🙋", "man-raising-hand": "🙋‍♂️",
    "woman-raising-hand": "🙋‍♀️", "people_holding_hands": "🧑‍🤝‍🧑",
    "brain": "🧠", "anchor": "⚓", "beginner": "🔰", "ok": "🆗", "up": "🆙", "cool": "🆒",
    "free": "🆓", "top": "🔝", "soon": "🔜", "back": "🔙", "end": "🔚", "on": "🔛",
}  # fmt: skip

_SLACK_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))
_PLACEHOLDER = "\ue000{}\ue001"
_PRIVATE_USE = re.compile("[\ue000\ue001]")
_TOKEN_BACK = re.compile("\ue000([0-9]+)\ue001")
_CODE = re.compile(r"```(.+?)```|`([^`\n]+)`", re.DOTALL)
_ANGLE = re.compile(r"<([^<>\n]+)>")
_SAFE_URL = re.compile(r"(?:https?://|mailto:)[^\s]*$", re.IGNORECASE)
_EMOJI_CODE = re.compile(r":([a-z0-9_+'-]+):")
_STYLES = (
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), "b"),
    (re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])"), "i"),
    (re.compile(r"(?<![\w~])~(?=\S)([^~\n]+?)(?<=\S)~(?![\w~])"), "s"),
)


@dataclass(frozen=True)
class Names:
    """Who the ids in a payload are: a mention reads ``@Ada Lovelace`` as in Slack."""

    users: Mapping[str, str] = field(default_factory=dict)
    channels: Mapping[str, str] = field(default_factory=dict)

    def user(self, user_id: str) -> str:
        return self.users.get(user_id, user_id)

    def channel(self, channel_id: str) -> str:
        return self.channels.get(channel_id, channel_id)


def unescape_slack(text: str) -> str:
    """Slack's three escaped characters back to themselves (``&amp;`` last)."""
    for entity, character in _SLACK_ENTITIES:
        text = text.replace(entity, character)
    return text


def emoji_html(escaped: str) -> str:
    """Known ``:shortcodes:`` in already escaped text as their emoji."""

    def one(match: re.Match[str]) -> str:
        symbol = EMOJI.get(match.group(1))
        return f'<span class="emoji">{symbol}</span>' if symbol else match.group(0)

    return _EMOJI_CODE.sub(one, escaped)


def plain_html(text: str, *, emoji: bool = True) -> str:
    """A ``plain_text`` object's text: escaped, emoji drawn unless ``emoji`` is off."""
    escaped = html.escape(text)
    return emoji_html(escaped) if emoji else escaped


def _mention(inner: str, names: Names) -> str:
    """One ``<…>`` of mrkdwn (``<@U1>``, ``<#C1|name>``, ``<!here>``, ``<url|label>``)."""
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        return _pill(label or names.user(target[1:]), "@", "mention")
    if target.startswith("#"):
        return _pill(label or names.channel(target[1:]), "#", "channel")
    if target.startswith("!"):
        special = target[1:].split("^")[0]
        shown = label or ("@" + special if special in ("here", "channel", "everyone") else special)
        return f'<span class="mention">{html.escape(unescape_slack(shown))}</span>'
    url = unescape_slack(target)
    shown = html.escape(unescape_slack(label or target))
    if not _SAFE_URL.match(url):  # no javascript: or data: in a page someone may open
        return f'<span class="link">{shown}</span>'
    return f'<a class="link" href="{html.escape(url, quote=True)}">{shown}</a>'


def _pill(name: str, sign: str, kind: str) -> str:
    return f'<span class="{kind}">{sign}{html.escape(unescape_slack(name))}</span>'


def _styled(text: str) -> str:
    for pattern, tag in _STYLES:
        text = pattern.sub(rf"<{tag}>\1</{tag}>", text)
    return text


def _line_html(line: str, hold: Callable[[str], str], names: Names) -> str:
    line = _ANGLE.sub(lambda m: hold(_mention(m.group(1), names)), line)
    return emoji_html(_styled(html.escape(unescape_slack(line))))


def mrkdwn_html(text: str, names: Names | None = None) -> str:
    """A ``mrkdwn`` text object's text as HTML, one ``<br>`` per line break."""
    names = names or Names()
    held: list[str] = []

    def hold(fragment: str) -> str:
        held.append(fragment)
        return _PLACEHOLDER.format(len(held) - 1)

    def code(match: re.Match[str]) -> str:
        block, inline = match.group(1), match.group(2)
        if block is not None:
            return hold(f"<pre>{html.escape(unescape_slack(block.strip(chr(10))))}</pre>")
        return hold(f"<code>{html.escape(unescape_slack(inline))}</code>")

    text = _CODE.sub(code, _PRIVATE_USE.sub("", text))
    parts: list[str] = []  # lines, and quotes (block elements need no <br> after them)
    quote: list[str] = []
    for line in [*text.split("\n"), None]:
        quoted = re.match(r"(?:>|&gt;) ?(.*)", line) if line is not None else None
        if quoted:
            quote.append(_line_html(quoted.group(1), hold, names))
            continue
        if quote:
            parts.append("<blockquote>{}</blockquote>".format("<br>".join(quote)))
            quote = []
        if line is not None:
            parts.append(_line_html(line, hold, names) + "\n")
    joined = "".join(parts).removesuffix("\n").replace("\n", "<br>")
    return _TOKEN_BACK.sub(lambda m: held[int(m.group(1))], joined)
