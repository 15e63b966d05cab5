"""Checks for text people type into slash commands and modals.

Slack sends command text with ``&``, ``<`` and ``>`` escaped and mentions as ``<@U123|name>``
(the manifest turns escaping on). The text is kept in that form, which is safe to show again
as mrkdwn.
"""

from __future__ import annotations

import re
import unicodedata

from bot.core.errors import UserInputError

MAX_COMMAND_CHARS = 20_000
_ALLOWED_CONTROL = {"\n", "\t"}
_BROADCAST = re.compile(r"<!(channel|here|everyone|subteam\^[A-Z0-9]+)(\|[^>]*)?>", re.IGNORECASE)
_USER_MENTION = re.compile(r"^<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>$")
_HANDLE = re.compile(r"^@?([a-z0-9][a-z0-9._-]{0,79})$", re.IGNORECASE)
# Channel ids are stored in 32 characters; a longer "id" is not one Slack made.
_CHANNEL_MENTION = re.compile(r"^<#([CG][A-Z0-9]{2,31})(?:\|[^>]*)?>$")


def normalize(text: str | None) -> str:
    """Strip surrounding whitespace and turn Windows or old Mac line ends into ``\\n``."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def reject_control_characters(text: str, *, usage: str) -> None:
    for char in text:
        if unicodedata.category(char) == "Cc" and char not in _ALLOWED_CONTROL:
            raise UserInputError(
                f"Your text contains an invisible control character (U+{ord(char):04X}), "
                f"probably from a copy and paste. Retype it and try again: {usage}"
            )


def check_command_text(text: str | None, *, usage: str) -> str:
    """The whole command text, normalized, or an error for what no command accepts."""
    cleaned = normalize(text)
    if len(cleaned) > MAX_COMMAND_CHARS:
        raise UserInputError(
            f"That command is {len(cleaned):,} characters long; commands take at most "
            f"{MAX_COMMAND_CHARS:,}. Try: {usage}"
        )
    reject_control_characters(cleaned, usage=usage)
    return cleaned


def check_statement(text: str, *, what: str, max_chars: int, usage: str) -> str:
    """A vision- or mission-like sentence: present, within ``max_chars``, no broadcasts."""
    cleaned = normalize(text)
    if not cleaned:
        raise UserInputError(f"The {what} cannot be empty. Type it after the command: {usage}")
    reject_control_characters(cleaned, usage=usage)
    if _BROADCAST.search(cleaned):
        raise UserInputError(
            f"The {what} cannot contain @channel, @here, @everyone or group mentions: it is "
            f"shown in many places and would notify people each time. Remove them: {usage}"
        )
    if len(cleaned) > max_chars:
        raise UserInputError(
            f"The {what} is {len(cleaned):,} characters long; the most it can be is "
            f"{max_chars:,} so it fits everywhere it is shown. Shorten it: {usage}"
        )
    return cleaned


def parse_user_reference(text: str) -> tuple[str | None, str | None]:
    """``(user_id, None)`` for a ``<@U…>`` mention, ``(None, handle)`` for ``@name``.

    Returns ``(None, None)`` when the text is neither.
    """
    mention = _USER_MENTION.match(text.strip())
    if mention:
        return mention.group(1), None
    handle = _HANDLE.match(text.strip())
    if handle:
        return None, handle.group(1)
    return None, None


def parse_channel_mention(word: str) -> str | None:
    """The channel id of a ``<#C123|name>`` mention (as Slack sends a channel picked from the
    #-list), or None when ``word`` is anything else."""
    channel = _CHANNEL_MENTION.match(word.strip())
    return channel.group(1) if channel else None


def split_first_word(text: str) -> tuple[str, str]:
    """The first word, lower-cased, and the rest with surrounding whitespace removed."""
    parts = text.strip().split(maxsplit=1)
    if not parts:
        return "", ""
    return parts[0].lower(), parts[1].strip() if len(parts) > 1 else ""


def echo(word: str, *, limit: int = 30) -> str:
    """Quote something the person typed back to them, without markup or mentions."""
    plain = "".join(char for char in word if char not in "`<>*_~")
    if len(plain) > limit:
        plain = plain[:limit] + "…"
    return f"`{plain}`" if plain else "that"


_MARKUP = re.compile(r"[<>`*_~]|&lt;|&gt;|&amp;")


def check_name(text: str, *, what: str, max_chars: int, usage: str) -> str:
    """A short name (team, KPI): one line, no markup, within ``max_chars``."""
    cleaned = " ".join(normalize(text).split())
    if not cleaned:
        raise UserInputError(f"The {what} cannot be empty. Try: {usage}")
    reject_control_characters(cleaned, usage=usage)
    if _MARKUP.search(cleaned):
        raise UserInputError(
            f"The {what} cannot contain mentions, links or formatting characters "
            f"(< > ` * _ ~ &). Try: {usage}"
        )
    if len(cleaned) > max_chars:
        raise UserInputError(
            f"The {what} is {len(cleaned):,} characters long; the most is {max_chars}. Try: {usage}"
        )
    return cleaned


def small_int(text: str | None, *, digits: int = 9) -> int | None:
    """``text`` as a non-negative integer when it is only ASCII digits (``"²"`` is not)."""
    if text and len(text) <= digits and text.isascii() and text.isdigit():
        return int(text)
    return None


def escape_mrkdwn(text: str) -> str:
    """Text shown in mrkdwn as it is: ``& < >`` escaped, so no mention, link or broadcast can
    be smuggled in. The one escape every room uses for text from people or elsewhere."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape_stored(text: str) -> str:
    """Stored (escaped) text back as it was typed, to cut or re-read it before it is escaped
    again for display: the inverse of ``escape_mrkdwn``."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def escape_modal_text(text: str) -> str:
    """Text typed in a modal arrives raw, unlike slash-command text: escape ``& < >`` so it is
    stored like command text and can never turn into a mention or a disguised link."""
    return escape_mrkdwn(text)


def escape_command_text(text: str) -> str:
    """Slash-command text arrives with Slack's own ``& < >`` escaped, but with what Slack
    turned into markup left live: ``<!here>``, ``<!subteam^S1>``, ``<@U1>`` and links whose
    shown text differs from their target (``<http://evil|https://bank>``). Undo Slack's
    escaping, then escape everything with ``escape_modal_text``, so command text and modal
    text are stored the same way, with no markup at all."""
    return escape_modal_text(unescape_stored(text))
