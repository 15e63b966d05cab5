"""Block Kit JSON as a static HTML page that looks like Slack: a message in a channel or DM,
an App Home tab or a modal. For pictures of what people see (``fakeslack.pictures``); not a
complete Slack client: an element it does not know is drawn as a labelled box.

Every text from the JSON is HTML-escaped, ids and values included: a payload may carry what
anyone typed. Images are never fetched: a local file beside the payload is shown, any other
image as a box with its alt text.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .render_mrkdwn import Names, mrkdwn_html, plain_html
from .render_style import STYLE

Json = Mapping[str, Any]
APP_NAME = "Northstar"


class Renderer:
    """Blocks to HTML for one page: the names mentions show and where local images are."""

    def __init__(self, names: Names | None = None, images: Path | None = None) -> None:
        self.names = names or Names()
        self.images = images
        self._blocks: dict[str, Callable[[Json], str]] = {
            "header": self._header,
            "section": self._section,
            "divider": lambda _: "<hr>",
            "context": self._context,
            "image": self._image_block,
            "actions": self._actions,
            "input": self._input,
            "rich_text": self._rich_text,
            "markdown": lambda b: f'<div class="section">{mrkdwn_html(_str(b, "text"))}</div>',
        }

    # ---- text ---------------------------------------------------------------------------------
    def text(self, obj: Any) -> str:
        if not isinstance(obj, Mapping):
            return ""
        if obj.get("type") == "mrkdwn":
            return mrkdwn_html(_str(obj, "text"), self.names)
        return plain_html(_str(obj, "text"), emoji=obj.get("emoji", True) is not False)

    # ---- blocks -------------------------------------------------------------------------------
    def blocks(self, blocks: Any) -> str:
        parts = []
        for block in blocks if isinstance(blocks, list) else []:
            if not isinstance(block, Mapping):
                continue
            draw = self._blocks.get(str(block.get("type")))
            parts.append(draw(block) if draw else _unknown("block", block))
        return "\n".join(parts)

    def _header(self, block: Json) -> str:
        return f'<div class="header">{self.text(block.get("text"))}</div>'

    def _section(self, block: Json) -> str:
        body = f'<div class="text">{self.text(block.get("text"))}</div>'
        fields = block.get("fields")
        if isinstance(fields, list) and fields:
            cells = "".join(f'<div class="field">{self.text(f)}</div>' for f in fields)
            body += f'<div class="fields">{cells}</div>'
        accessory = block.get("accessory")
        side = f'<div class="accessory">{self.element(accessory)}</div>' if accessory else ""
        return f'<div class="section"><div class="main">{body}</div>{side}</div>'

    def _context(self, block: Json) -> str:
        items = []
        for element in _list(block, "elements"):
            if isinstance(element, Mapping) and element.get("type") == "image":
                items.append(self.image(element, small=True))
            else:
                items.append(f"<span>{self.text(element)}</span>")
        return f'<div class="context">{"".join(items)}</div>'

    def _image_block(self, block: Json) -> str:
        title = f'<div class="image-title">{self.text(block.get("title"))}</div>'
        return f'<div class="image-block">{title}{self.image(block)}</div>'

    def _actions(self, block: Json) -> str:
        elements = "".join(self.element(element) for element in _list(block, "elements"))
        return f'<div class="actions">{elements}</div>'

    def _input(self, block: Json) -> str:
        optional = ' <span class="optional">(optional)</span>' if block.get("optional") else ""
        label = f'<div class="label">{self.text(block.get("label"))}{optional}</div>'
        hint = block.get("hint")
        note = f'<div class="hint">{self.text(hint)}</div>' if hint else ""
        element = self.element(block.get("element"), wide=True)
        return f'<div class="input">{label}{element}{note}</div>'

    # ---- elements -----------------------------------------------------------------------------
    def element(self, element: Any, *, wide: bool = False) -> str:
        if not isinstance(element, Mapping):
            return ""
        kind = str(element.get("type"))
        if kind == "button":
            style = element.get("style")
            extra = f" {style}" if style in ("primary", "danger") else ""
            return f'<span class="button{extra}">{self.text(element.get("text"))}</span>'
        if kind == "image":
            return self.image(element, small=True)
        if kind == "overflow":
            return '<span class="button overflow">⋯</span>'
        if kind in ("checkboxes", "radio_buttons"):
            return self._choices(element, box="☐" if kind == "checkboxes" else "○")
        if kind in ("plain_text_input", "number_input", "email_text_input", "url_text_input"):
            return self._field(element, tall=bool(element.get("multiline")))
        if kind.endswith("select") or kind in ("datepicker", "timepicker", "datetimepicker"):
            return self._field(element, picker=kind, wide=wide)
        return _unknown("element", element)

    def _field(
        self, element: Json, *, tall: bool = False, picker: str = "", wide: bool = True
    ) -> str:
        shown, empty = self._current(element)
        if not shown:
            shown = self.text(element.get("placeholder")) or plain_html(_hint(picker))
        icon = {"datepicker": "📅", "timepicker": "🕘"}.get(picker, "▾" if picker else "")
        classes = "field-input" + (" tall" if tall else "") + (" empty" if empty else "")
        classes += " wide" if wide else ""
        tail = f'<span class="picker">{icon}</span>' if icon else ""
        return f'<div class="{classes}"><span>{shown}</span>{tail}</div>'

    def _current(self, element: Json) -> tuple[str, bool]:
        """What the field shows before anyone types: its initial value, else nothing."""
        options = element.get("initial_options")
        chosen = [element.get("initial_option")] if element.get("initial_option") else options
        if isinstance(chosen, list) and chosen:
            return ", ".join(
                self.text(o.get("text")) for o in chosen if isinstance(o, Mapping)
            ), False
        for key in ("initial_value", "initial_date", "initial_time", "initial_user"):
            if element.get(key) not in (None, ""):
                value = str(element.get(key))
                shown = "@" + self.names.user(value) if key == "initial_user" else value
                return html.escape(shown), False
        return "", True

    def _choices(self, element: Json, *, box: str) -> str:
        chosen = element.get("initial_options") or [element.get("initial_option")]
        values = {o.get("value") for o in chosen if isinstance(o, Mapping)}
        rows = []
        for option in _list(element, "options"):
            if not isinstance(option, Mapping):
                continue
            mark = ("☑" if box == "☐" else "◉") if option.get("value") in values else box
            description = option.get("description")
            more = f'<div class="hint">{self.text(description)}</div>' if description else ""
            rows.append(f'<div class="choice">{mark} {self.text(option.get("text"))}{more}</div>')
        return f'<div class="choices">{"".join(rows)}</div>'

    def image(self, element: Json, *, small: bool = False) -> str:
        alt = html.escape(_str(element, "alt_text"), quote=True)
        local = self._local_image(_str(element, "image_url"))
        size = "small" if small else "large"
        if local is not None:
            src = html.escape(local.as_uri(), quote=True)
            return f'<img class="{size}" src="{src}" alt="{alt}">'
        return f'<span class="image-box {size}" title="{alt}">🖼 {alt}</span>'

    def _local_image(self, url: str) -> Path | None:
        """A file named by ``url`` inside the images folder; no other file, no network."""
        if self.images is None or not url or "/" in url or "\\" in url or ":" in url:
            return None
        path = self.images / url
        return path if path.is_file() else None

    # ---- rich text ----------------------------------------------------------------------------
    def _rich_text(self, block: Json) -> str:
        return f'<div class="section rich">{self._rich_parts(_list(block, "elements"))}</div>'

    def _rich_parts(self, parts: Sequence[Any]) -> str:
        out = []
        for part in parts:
            if not isinstance(part, Mapping):
                continue
            kind, inner = part.get("type"), _list(part, "elements")
            if kind == "rich_text_list":
                tag = "ol" if part.get("style") == "ordered" else "ul"
                items = "".join(f"<li>{self._rich_parts([item])}</li>" for item in inner)
                out.append(f"<{tag}>{items}</{tag}>")
            elif kind == "rich_text_quote":
                out.append(f"<blockquote>{self._rich_inline(inner)}</blockquote>")
            elif kind == "rich_text_preformatted":
                out.append(f"<pre>{self._rich_inline(inner)}</pre>")
            else:
                out.append(f"<div>{self._rich_inline(inner)}</div>")
        return "".join(out)

    def _rich_inline(self, elements: Sequence[Any]) -> str:
        return "".join(
            _rich_style(self._rich_element(element), element.get("style"))
            for element in elements
            if isinstance(element, Mapping)
        )

    def _rich_element(self, element: Json) -> str:
        kind = element.get("type")
        if kind == "user":
            return _pill("mention", "@" + self.names.user(_str(element, "user_id")))
        if kind == "channel":
            return _pill("channel", "#" + self.names.channel(_str(element, "channel_id")))
        if kind == "emoji":
            return plain_html(f":{_str(element, 'name')}:")
        if kind == "link":
            return _pill("link", _str(element, "text") or _str(element, "url"))
        return plain_html(_str(element, "text"), emoji=False).replace("\n", "<br>")


def _pill(kind: str, text: str) -> str:
    return f'<span class="{kind}">{html.escape(text)}</span>'


def _rich_style(shown: str, style: Any) -> str:
    if not isinstance(style, Mapping):
        return shown
    for key, tag in (("bold", "b"), ("italic", "i"), ("strike", "s"), ("code", "code")):
        if style.get(key):
            shown = f"<{tag}>{shown}</{tag}>"
    return shown


def _str(obj: Json, key: str) -> str:
    value = obj.get(key)
    return value if isinstance(value, str) else "" if value is None else str(value)


def _list(obj: Json, key: str) -> list[Any]:
    value = obj.get(key)
    return value if isinstance(value, list) else []


def _hint(picker: str) -> str:
    """What Slack shows in an empty field with no placeholder: nothing in a text input."""
    if not picker:
        return ""
    return {"datepicker": "Select a date", "timepicker": "Select time"}.get(
        picker, "Select an item"
    )


def _unknown(what: str, obj: Json) -> str:
    return f'<div class="unknown">[{html.escape(_str(obj, "type") or "?")} {what}]</div>'


# ---- pages ------------------------------------------------------------------------------------
def _page(body: str, *, title: str, dimmed: bool = False) -> str:
    dim = ' class="dimmed"' if dimmed else ""
    return (
        f'<!DOCTYPE html>\n<html lang="en"{dim}><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
        f"<body>\n{body}\n</body></html>\n"
    )


def _avatar(app_name: str, *, small: bool = False) -> str:
    size = " small" if small else ""
    return f'<div class="avatar{size}">{html.escape(app_name[:1].upper())}</div>'


def message_page(
    message: Json,
    *,
    where: str,
    renderer: Renderer | None = None,
    app_name: str = APP_NAME,
    sent_at: str = "",
) -> str:
    """A message as a channel (``where`` ``#name``) or a DM with the app shows it."""
    renderer = renderer or Renderer()
    blocks = message.get("blocks")
    content = (
        renderer.blocks(blocks) if blocks else mrkdwn_html(_str(message, "text"), renderer.names)
    )
    badge = '<span class="app-badge">APP</span>'
    heading = html.escape(where) + ("" if where.startswith("#") else f" {badge}")
    time = f'<span class="time">{html.escape(sent_at)}</span>' if sent_at else ""
    body = (
        f'<div class="pane"><div class="topbar">{heading}</div>'
        f'<div class="message">{_avatar(app_name)}<div class="body">'
        f'<div class="meta"><span class="sender">{html.escape(app_name)}</span>{badge}{time}</div>'
        f"{content}</div></div></div>"
    )
    return _page(body, title=where)


def home_page(view: Json, *, renderer: Renderer | None = None, app_name: str = APP_NAME) -> str:
    """A ``home`` view as the app's Home tab shows it."""
    renderer = renderer or Renderer()
    tabs = '<span class="tab on">Home</span><span class="tab">Messages</span>'
    body = (
        f'<div class="pane home"><div class="topbar">{_avatar(app_name, small=True)}'
        f'{html.escape(app_name)}<div class="tabs">{tabs}<span class="tab">About</span></div>'
        f'</div><div class="home-body">{renderer.blocks(view.get("blocks"))}</div></div>'
    )
    return _page(body, title=f"{app_name} Home")


def modal_page(view: Json, *, renderer: Renderer | None = None) -> str:
    """A ``modal`` view open over a dimmed Slack, with its title, close and submit buttons."""
    renderer = renderer or Renderer()
    close = renderer.text(view.get("close")) or "Cancel"
    submit = view.get("submit")
    buttons = f'<span class="button">{close}</span>'
    if submit:
        buttons += f'<span class="button primary">{renderer.text(submit)}</span>'
    title = renderer.text(view.get("title"))
    body = (
        '<div class="backdrop"><div class="modal">'
        f'<div class="modal-head"><span class="title">{title}</span>'
        '<span class="close">✕</span></div>'
        f'<div class="modal-body">{renderer.blocks(view.get("blocks"))}</div>'
        f'<div class="modal-foot">{buttons}</div></div></div>'
    )
    return _page(body, title="Modal", dimmed=True)


def view_page(view: Json, *, renderer: Renderer | None = None, app_name: str = APP_NAME) -> str:
    """A view (``home`` or ``modal``) as Slack shows it."""
    if view.get("type") == "home":
        return home_page(view, renderer=renderer, app_name=app_name)
    return modal_page(view, renderer=renderer)
