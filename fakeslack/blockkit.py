"""Block Kit checks used by the fake Slack server.

Every public function is pure: it takes the request data and returns a list of
`Violation` strings (plain `str` subclasses carrying the Slack error code the fake
server answers with). An empty list means the payload is acceptable.
"""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

MESSAGE_MAX_BLOCKS = 50
SURFACE_MAX_BLOCKS = 100
MESSAGE_TEXT_MAX = 40_000
MESSAGE_BLOCK_CHARS_MAX = 12_000  # Slack refused ~13k; we stay stricter.
VIEW_MAX_BYTES = 250_000

KNOWN_BLOCKS = frozenset(
    {
        "actions",
        "context",
        "divider",
        "file",
        "header",
        "image",
        "input",
        "markdown",
        "rich_text",
        "section",
        "table",
        "video",
    }
)
SELECTS = frozenset(
    {
        "static_select",
        "external_select",
        "users_select",
        "conversations_select",
        "channels_select",
        "multi_static_select",
        "multi_external_select",
        "multi_users_select",
        "multi_conversations_select",
        "multi_channels_select",
    }
)
KNOWN_ELEMENTS = SELECTS | frozenset(
    {
        "button",
        "checkboxes",
        "datepicker",
        "datetimepicker",
        "email_text_input",
        "file_input",
        "image",
        "number_input",
        "overflow",
        "plain_text_input",
        "radio_buttons",
        "rich_text_input",
        "timepicker",
        "url_text_input",
        "workflow_button",
    }
)
OPTION_LIMITS = {
    "static_select": 100,
    "multi_static_select": 100,
    "overflow": 5,
    "radio_buttons": 10,
    "checkboxes": 10,
}


class Violation(str):
    """A human-readable violation message that also knows its Slack error code."""

    error: str

    def __new__(cls, message: str, error: str = "invalid_blocks") -> Violation:
        obj = super().__new__(cls, message)
        obj.error = error
        return obj


class _Checker:
    def __init__(self) -> None:
        self.found: list[Violation] = []
        self.block_ids: set[str] = set()

    def add(self, message: str, error: str = "invalid_blocks") -> None:
        self.found.append(Violation(message, error))

    def max_len(self, value: Any, limit: int, where: str, error: str = "invalid_blocks") -> None:
        if isinstance(value, str) and len(value) > limit:
            self.add(f"{where} is {len(value)} chars (max {limit})", error)

    def text(
        self,
        obj: Any,
        where: str,
        limit: int,
        *,
        plain_only: bool = False,
        error: str = "invalid_blocks",
    ) -> None:
        """Check a composition text object ({"type": "plain_text"|"mrkdwn", "text": ...})."""
        allowed = ("plain_text",) if plain_only else ("plain_text", "mrkdwn")
        if not isinstance(obj, dict):
            self.add(f"{where} must be a text object, got {type(obj).__name__}", error)
            return
        if obj.get("type") not in allowed:
            self.add(f"{where}.type must be one of {allowed}, got {obj.get('type')!r}", error)
        text = obj.get("text")
        if not isinstance(text, str) or not text:
            self.add(f"{where}.text must be a non-empty string", error)
            return
        self.max_len(text, limit, f"{where}.text", error)

    def ident(self, obj: dict[str, Any], key: str, where: str) -> None:
        self.max_len(obj.get(key), 255, f"{where}.{key}")

    def items(self, value: Any, where: str, limit: int, *, minimum: int = 1) -> list[Any]:
        if not isinstance(value, list):
            self.add(f"{where} must be a list")
            return []
        if not minimum <= len(value) <= limit:
            self.add(f"{where} has {len(value)} items (allowed {minimum}..{limit})")
        return value

    # ---- elements -------------------------------------------------------------------
    def element(self, el: Any, where: str) -> None:
        if not isinstance(el, dict):
            self.add(f"{where} must be an object")
            return
        kind = el.get("type")
        if kind not in KNOWN_ELEMENTS:
            self.add(f"{where} has unknown element type {kind!r}")
            return
        self.ident(el, "action_id", where)
        if "placeholder" in el:
            self.text(el["placeholder"], f"{where}.placeholder", 150, plain_only=True)
        if kind == "button":
            self.text(el.get("text"), f"{where}.text", 75, plain_only=True)
            self.max_len(el.get("value"), 2000, f"{where}.value")
            self.max_len(el.get("url"), 3000, f"{where}.url")
            if el.get("style") not in (None, "primary", "danger"):
                self.add(f"{where}.style must be 'primary' or 'danger'")
        elif kind == "plain_text_input":
            self.text_input(el, where)
        elif kind == "image":
            self.image(el, where)
        has_options = "options" in el or "option_groups" in el
        if kind in OPTION_LIMITS or (kind in SELECTS and has_options):
            self.options(el, kind, where)

    def text_input(self, el: dict[str, Any], where: str) -> None:
        max_length = el.get("max_length")
        if max_length is not None and not (isinstance(max_length, int) and 1 <= max_length <= 3000):
            self.add(f"{where}.max_length must be within 1..3000, got {max_length!r}")
        min_length = el.get("min_length")
        if min_length is not None and not (isinstance(min_length, int) and 0 <= min_length <= 3000):
            self.add(f"{where}.min_length must be within 0..3000, got {min_length!r}")

    def image(self, el: dict[str, Any], where: str) -> None:
        if not el.get("image_url") and not el.get("slack_file"):
            self.add(f"{where} needs image_url or slack_file")
        alt = el.get("alt_text")
        if not isinstance(alt, str) or not alt:
            self.add(f"{where}.alt_text must be a non-empty string")
        self.max_len(alt, 2000, f"{where}.alt_text")
        self.max_len(el.get("image_url"), 3000, f"{where}.image_url")

    def options(self, el: dict[str, Any], kind: str, where: str) -> None:
        limit = OPTION_LIMITS.get(kind, 100)
        plain = kind in SELECTS or kind == "overflow"
        groups = el.get("option_groups")
        if groups is not None:
            flat = []
            for g, group in enumerate(self.items(groups, f"{where}.option_groups", 100)):
                gwhere = f"{where}.option_groups[{g}]"
                if isinstance(group, dict):
                    self.text(group.get("label"), f"{gwhere}.label", 75, plain_only=True)
                    flat += self.items(group.get("options"), f"{gwhere}.options", 100)
        else:
            flat = self.items(el.get("options"), f"{where}.options", limit)
        values = set()
        for i, opt in enumerate(flat):
            owhere = f"{where}.options[{i}]"
            if not isinstance(opt, dict):
                self.add(f"{owhere} must be an object")
                continue
            self.text(opt.get("text"), f"{owhere}.text", 75, plain_only=plain)
            value = opt.get("value")
            if not isinstance(value, str) or not value:
                self.add(f"{owhere}.value must be a non-empty string")
            self.max_len(value, 75, f"{owhere}.value")
            values.add(value)
            if "description" in opt:
                self.text(opt["description"], f"{owhere}.description", 75, plain_only=plain)
        initial = el.get("initial_options", [])
        if "initial_option" in el:
            initial = [el["initial_option"]]
        for opt in initial if isinstance(initial, list) else []:
            if not isinstance(opt, dict) or opt.get("value") not in values:
                self.add(f"{where} initial option {opt!r} is not one of its options")

    # ---- blocks ---------------------------------------------------------------------
    def blocks(self, blocks: Any, limit: int, surface: str) -> list[dict[str, Any]]:
        if isinstance(blocks, str):
            self.add(f"blocks is a string that is not valid JSON: {blocks[:80]!r}")
            return []
        if not isinstance(blocks, list):
            self.add(f"blocks must be a list, got {type(blocks).__name__}")
            return []
        if len(blocks) > limit:
            self.add(f"{len(blocks)} blocks in a {surface} (max {limit})")
        valid = []
        for i, block in enumerate(blocks):
            if not isinstance(block, dict):
                self.add(f"blocks[{i}] must be an object")
                continue
            self.block(block, f"blocks[{i}]")
            self.sdk_block(block, f"blocks[{i}]")
            valid.append(block)
        return valid

    def block(self, block: dict[str, Any], where: str) -> None:
        kind = block.get("type")
        where = f"{where}({kind})"
        block_id = block.get("block_id")
        if block_id is not None:
            self.ident(block, "block_id", where)
            if block_id in self.block_ids:
                self.add(f"{where}.block_id {block_id!r} is not unique")
            self.block_ids.add(block_id)
        if kind not in KNOWN_BLOCKS:
            self.add(f"{where}: unknown block type {kind!r}")
        elif kind == "section":
            if "text" not in block and "fields" not in block:
                self.add(f"{where} needs text or fields")
            if "text" in block:
                self.text(block["text"], f"{where}.text", 3000)
            if "fields" in block:
                for j, field in enumerate(self.items(block["fields"], f"{where}.fields", 10)):
                    self.text(field, f"{where}.fields[{j}]", 2000)
            if "accessory" in block:
                self.element(block["accessory"], f"{where}.accessory")
        elif kind == "header":
            self.text(block.get("text"), f"{where}.text", 150, plain_only=True)
        elif kind == "context":
            for j, el in enumerate(self.items(block.get("elements"), f"{where}.elements", 10)):
                if isinstance(el, dict) and el.get("type") == "image":
                    self.image(el, f"{where}.elements[{j}]")
                else:
                    self.text(el, f"{where}.elements[{j}]", 3000)
        elif kind == "actions":
            elements = self.items(block.get("elements"), f"{where}.elements", 25)
            for j, el in enumerate(elements):
                self.element(el, f"{where}.elements[{j}]")
            ids = [el.get("action_id") for el in elements if isinstance(el, dict)]
            repeated = sorted({i for i in ids if i is not None and ids.count(i) > 1})
            if repeated:  # Slack: an action_id is unique among its block's elements
                self.add(f"{where} repeats action_id {', '.join(map(str, repeated))}")
        elif kind == "input":
            self.text(block.get("label"), f"{where}.label", 2000, plain_only=True)
            if "hint" in block:
                self.text(block["hint"], f"{where}.hint", 2000, plain_only=True)
            self.element(block.get("element"), f"{where}.element")
        elif kind == "image":
            self.image(block, where)
            if "title" in block:
                self.text(block["title"], f"{where}.title", 2000, plain_only=True)

    def sdk_block(self, block: dict[str, Any], where: str) -> None:
        """Let slack_sdk's own model validators look at the block too."""
        try:
            parsed = Block.parse(block)
            if parsed is not None:
                parsed.validate_json()
                parsed.to_dict()  # validates nested elements and text objects
        except SlackObjectFormationError as exc:
            self.add(f"{where}: slack_sdk: {exc}")
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            self.add(f"{where}: slack_sdk cannot parse it ({type(exc).__name__}: {exc})")


def _block_text_chars(value: Any) -> int:
    """Total length of every string stored under a "text" key, at any depth."""
    if isinstance(value, list):
        return sum(_block_text_chars(v) for v in value)
    if isinstance(value, dict):
        return sum(
            len(v) if k == "text" and isinstance(v, str) else _block_text_chars(v)
            for k, v in value.items()
        )
    return 0


def validate_message(args: dict[str, Any]) -> list[Violation]:
    """Check chat.postMessage / postEphemeral / update / response_url arguments."""
    check = _Checker()
    text = args.get("text")
    has_text = isinstance(text, str) and bool(text.strip())
    has_md = isinstance(args.get("markdown_text"), str) and bool(args["markdown_text"].strip())
    blocks = args.get("blocks")
    if blocks is not None:
        check.blocks(blocks, MESSAGE_MAX_BLOCKS, "message")
        if not has_text and not has_md:
            check.add("blocks sent without a top-level `text` fallback", "no_text")
        chars = _block_text_chars(blocks)
        if chars > MESSAGE_BLOCK_CHARS_MAX:
            check.add(
                f"blocks hold {chars} text chars (max {MESSAGE_BLOCK_CHARS_MAX})",
                "msg_blocks_too_long",
            )
    elif not has_text and not has_md and not args.get("attachments"):
        check.add("message has no text, blocks or attachments", "no_text")
    check.max_len(text, MESSAGE_TEXT_MAX, "text", "msg_too_long")
    return check.found


def validate_view(view: Any) -> list[Violation]:
    """Check a modal or Home tab view object (views.open/update/push/publish)."""
    check = _Checker()
    if not isinstance(view, dict):
        check.add(f"view must be an object, got {type(view).__name__}", "invalid_arguments")
        return check.found
    size = len(json.dumps(view))
    if size > VIEW_MAX_BYTES:
        check.add(f"view is {size} bytes (max {VIEW_MAX_BYTES})", "view_too_large")
    kind = view.get("type")
    blocks = check.blocks(view.get("blocks", []), SURFACE_MAX_BLOCKS, str(kind))
    bad = "invalid_arguments"
    if kind == "modal":
        if "title" not in view:
            check.add("modal has no title", bad)
        else:
            check.text(view["title"], "view.title", 24, plain_only=True, error=bad)
        for key in ("submit", "close"):
            if key in view:
                check.text(view[key], f"view.{key}", 24, plain_only=True, error=bad)
        if "submit" not in view and any(b.get("type") == "input" for b in blocks):
            check.add("modal with input blocks has no submit button", bad)
    elif kind == "home":
        for key in ("submit", "close"):
            if key in view:
                check.add(f"home tab cannot have {key}", bad)
    else:
        check.add(f"view.type must be 'modal' or 'home', got {kind!r}", bad)
    check.max_len(view.get("private_metadata"), 3000, "view.private_metadata", bad)
    check.max_len(view.get("callback_id"), 255, "view.callback_id", bad)
    check.max_len(view.get("external_id"), 255, "view.external_id", bad)
    try:
        View(**view).validate_json()
    except SlackObjectFormationError as exc:
        check.add(f"view: slack_sdk: {exc}", bad)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        check.add(f"view: slack_sdk cannot parse it ({type(exc).__name__}: {exc})", bad)
    return check.found
