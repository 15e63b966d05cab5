"""Workspace state and Web API method answers of the fake Slack server (no HTTP here)."""

from __future__ import annotations

import base64
import binascii
import functools
import itertools
import time
from collections.abc import Callable
from typing import Any

from .blockkit import Violation, validate_message, validate_view

JsonDict = dict[str, Any]
Handler = Callable[[JsonDict], JsonDict]
# Slack documents no figure for canvas markdown; the fake refuses beyond this (an assumption).
CANVAS_MARKDOWN_MAX = 100_000
PROFILE_KEYS = frozenset({"display_name", "real_name", "email", "title", "image_72", "status_text"})


def error(code: str, messages: list[str] | None = None) -> JsonDict:
    body: JsonDict = {"ok": False, "error": code}
    if messages:
        body["response_metadata"] = {"messages": [f"[ERROR] {m}" for m in messages]}
    return body


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _message_problems(method: str, message: JsonDict) -> list[Violation]:
    """What breaks Slack's limits in a message; a response URL's ``delete_original`` needs no
    message."""
    if method.startswith("response_url") and message.get("delete_original"):
        return []
    return validate_message(message)


class SlackWorkspace:
    """One fake workspace: users, posted messages, views, files, and the method answers."""

    def __init__(
        self, *, team_id: str = "T0001", team_name: str = "Acme", app_id: str = "A0001"
    ) -> None:
        self.team_id = team_id
        self.team_name = team_name
        self.app_id = app_id
        self.bot_user_id = "UBOT"
        self.bot_id = "BBOT"
        self.users: list[JsonDict] = []
        self.messages: dict[tuple[str, str], JsonDict] = {}
        self.views: dict[str, JsonDict] = {}
        self.files: dict[str, JsonDict] = {}
        self.canvases: dict[str, JsonDict] = {}
        self.uploads: dict[str, bytes] = {}
        self.violations: list[str] = []
        # Messages (Web API posts and updates, replies to response URLs) are checked against
        # Slack's limits when they arrive, or, with this set, when ``check_messages_now`` is
        # called: a benchmark's Slack, whose checks would otherwise take the CPU of the machine
        # being measured (Slack's own checks run on Slack's machines). Each is answered "ok"
        # meanwhile, so a benchmark must call ``check_messages_now`` and fail on violations.
        self.check_messages_later = False
        self._unchecked: list[tuple[str, JsonDict]] = []
        self._used_triggers: set[str] = set()
        self._home_views: dict[str, str] = {}
        self._seq = itertools.count(1)
        self._ts_base = int(time.time())
        self.handlers: dict[str, Handler] = {
            "api.test": lambda args: {"ok": True, "args": args},
            "auth.test": self._auth_test,
            "apps.connections.open": lambda _: {"ok": True, "url": self.socket_mode_url},
            "chat.postMessage": self._post_message,
            "chat.postEphemeral": self._post_ephemeral,
            "chat.update": self._update,
            "chat.delete": self._delete,
            "canvases.create": self._canvases_create,
            "conversations.open": self._conversations_open,
            "files.getUploadURLExternal": self._get_upload_url,
            "files.completeUploadExternal": self._complete_upload,
            "team.info": self._team_info,
            "users.info": self._users_info,
            "users.list": self._users_list,
            **{
                name: functools.partial(self._view, name)
                for name in ("views.open", "views.push", "views.update", "views.publish")
            },
        }

    # ---- hooks the HTTP server fills in -------------------------------------------------
    def url(self, path: str) -> str:
        raise NotImplementedError

    @property
    def socket_mode_url(self) -> str:
        return self.url("socket-mode").replace("http://", "ws://", 1)

    # ---- helpers -------------------------------------------------------------------------
    def violate(
        self, method: str, problems: list[Violation] | list[str], code: str = "invalid_arguments"
    ) -> JsonDict:
        """Record `problems` as violations and build the Slack-like error answer."""
        self.violations.extend(f"{method}: {p}" for p in problems)
        first = problems[0]
        return error(first.error if isinstance(first, Violation) else code, list(problems))

    def message_error(self, method: str, message: JsonDict) -> JsonDict | None:
        """The error answer for a message that breaks Slack's limits (its problems recorded as
        violations), or None; None at once with ``check_messages_later``."""
        if self.check_messages_later:
            self._unchecked.append((method, message))
        elif problems := _message_problems(method, message):
            return self.violate(method, problems)
        return None

    def check_messages_now(self) -> None:
        """Check the messages kept by ``check_messages_later`` (answered "ok" already)."""
        unchecked, self._unchecked = self._unchecked, []
        for method, message in unchecked:
            if problems := _message_problems(method, message):
                self.violate(method, problems)

    def next_ts(self) -> str:
        return f"{self._ts_base}.{next(self._seq):06d}"

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._seq):08X}"

    def add_user(self, user_id: str, **fields: Any) -> JsonDict:
        """Add a user shaped like users.list/users.info members; profile keys go in profile."""
        name = str(fields.pop("name", user_id.lower()))
        real_name = str(fields.get("real_name", name.title()))
        profile: JsonDict = {
            "display_name": name,
            "real_name": real_name,
            "real_name_normalized": real_name,
            "team": self.team_id,
        }
        profile.update(fields.pop("profile", {}))
        user: JsonDict = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "real_name": real_name,
            "deleted": False,
            "is_bot": False,
            "is_app_user": False,
            "is_admin": False,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "tz": "Europe/Berlin",
            "tz_label": "Central European Time",
            "tz_offset": 3600,
            "updated": self._ts_base,
            "profile": profile,
        }
        for key, value in fields.items():
            if key in PROFILE_KEYS:
                profile[key] = value
            if key not in PROFILE_KEYS or key == "real_name":
                user[key] = value
        self.users.append(user)
        return user

    def _channel(self, args: JsonDict) -> str | None:
        channel = args.get("channel")
        if not isinstance(channel, str) or not channel:
            return None
        return "D" + channel if channel[0] in "UW" else channel

    def _message(self, args: JsonDict, ts: str) -> JsonDict:
        msg: JsonDict = {
            "type": "message",
            "text": args.get("text", ""),
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "team": self.team_id,
            "ts": ts,
        }
        for key in ("blocks", "attachments", "thread_ts", "metadata"):
            if key in args:
                msg[key] = args[key]
        return msg

    # ---- methods -------------------------------------------------------------------------
    def _auth_test(self, _: JsonDict) -> JsonDict:
        return {
            "ok": True,
            "url": f"https://{self.team_name.lower()}.slack.com/",
            "team": self.team_name,
            "user": "northstar",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _post_message(self, args: JsonDict) -> JsonDict:
        channel = self._channel(args)
        if channel is None:
            return error("channel_not_found")
        if failed := self.message_error("chat.postMessage", args):
            return failed
        ts = self.next_ts()
        self.messages[(channel, ts)] = msg = self._message(args, ts)
        return {"ok": True, "channel": channel, "ts": ts, "message": msg}

    def _post_ephemeral(self, args: JsonDict) -> JsonDict:
        if self._channel(args) is None:
            return error("channel_not_found")
        if not args.get("user"):
            return error("user_not_found")
        if failed := self.message_error("chat.postEphemeral", args):
            return failed
        return {"ok": True, "message_ts": self.next_ts()}

    def _update(self, args: JsonDict) -> JsonDict:
        channel, ts = self._channel(args), args.get("ts")
        if channel is None:
            return error("channel_not_found")
        if not ts:
            return error("message_not_found")
        if failed := self.message_error("chat.update", args):
            return failed
        self.messages[(channel, ts)] = msg = self._message(args, ts)
        return {"ok": True, "channel": channel, "ts": ts, "text": msg["text"], "message": msg}

    def _delete(self, args: JsonDict) -> JsonDict:
        channel, ts = self._channel(args), args.get("ts")
        if channel is None:
            return error("channel_not_found")
        self.messages.pop((channel, str(ts)), None)
        return {"ok": True, "channel": channel, "ts": ts}

    def _canvases_create(self, args: JsonDict) -> JsonDict:
        """``title`` (a string) and ``document_content`` ({"type": "markdown", "markdown": …})."""
        problems = []
        title = args.get("title")
        if title is not None and not isinstance(title, str):
            problems.append("title must be a string")
        content = args.get("document_content")
        if content is not None:
            if not isinstance(content, dict) or content.get("type") != "markdown":
                problems.append('document_content must be {"type": "markdown", "markdown": str}')
            elif not isinstance(content.get("markdown"), str):
                problems.append("document_content.markdown must be a string")
            elif len(content["markdown"]) > CANVAS_MARKDOWN_MAX:
                problems.append(f"document_content.markdown is over {CANVAS_MARKDOWN_MAX} chars")
        if problems:
            return self.violate("canvases.create", problems, "invalid_arguments")
        canvas_id = self.new_id("F")
        self.canvases[canvas_id] = {"id": canvas_id, "title": title, "document_content": content}
        return {"ok": True, "canvas_id": canvas_id}

    def _conversations_open(self, args: JsonDict) -> JsonDict:
        users = [u for u in str(args.get("users", "")).split(",") if u]
        if not users:
            return error("users_list_not_supplied")
        channel_id = "D" + users[0] if len(users) == 1 else "G" + "".join(users)[:10]
        return {"ok": True, "channel": {"id": channel_id}}

    def _team_info(self, _: JsonDict) -> JsonDict:
        domain = self.team_name.lower()
        return {
            "ok": True,
            "team": {
                "id": self.team_id,
                "name": self.team_name,
                "domain": domain,
                "email_domain": f"{domain}.example",
                "icon": {"image_default": True},
            },
        }

    def _users_info(self, args: JsonDict) -> JsonDict:
        for user in self.users:
            if user["id"] == args.get("user"):
                return {"ok": True, "user": user}
        return error("user_not_found")

    def _users_list(self, args: JsonDict) -> JsonDict:
        limit = min(max(_int(args.get("limit"), 100), 1), 1000)
        cursor = str(args.get("cursor") or "")
        offset = 0
        if cursor:
            try:
                offset = int(base64.b64decode(cursor, validate=True).decode().split(":")[1])
            except (binascii.Error, ValueError, IndexError, UnicodeDecodeError):
                return error("invalid_cursor")
        page = self.users[offset : offset + limit]
        end = offset + len(page)
        next_cursor = ""
        if end < len(self.users):
            next_cursor = base64.b64encode(f"user:{end}".encode()).decode()
        return {
            "ok": True,
            "members": page,
            "cache_ts": self._ts_base,
            "response_metadata": {"next_cursor": next_cursor},
        }

    def _view(self, method: str, args: JsonDict) -> JsonDict:
        view_id = args.get("view_id")
        if method in ("views.open", "views.push"):
            trigger_id = args.get("trigger_id") or args.get("interactivity_pointer")
            if not trigger_id:
                return self.violate(method, ["no trigger_id given"])
            if trigger_id in self._used_triggers:
                return self.violate(
                    method, [f"trigger_id {trigger_id} was already used"], "exchanged_trigger_id"
                )
            self._used_triggers.add(str(trigger_id))
        elif method == "views.update" and not view_id and not args.get("external_id"):
            return self.violate(method, ["views.update needs view_id or external_id"])
        elif method == "views.publish":
            user_id = args.get("user_id")
            if not user_id:
                return self.violate(method, ["views.publish needs user_id"])
            if isinstance(args.get("view"), dict) and args["view"].get("type") != "home":
                return self.violate(method, ["views.publish only takes type=home views"])
            view_id = self._home_views.setdefault(str(user_id), self.new_id("V"))
        view = args.get("view")
        if problems := validate_view(view):
            return self.violate(method, problems)
        assert isinstance(view, dict)
        view_id = str(view_id or self.new_id("V"))
        stored: JsonDict = {
            "id": view_id,
            "team_id": self.team_id,
            "app_id": self.app_id,
            "bot_id": self.bot_id,
            "private_metadata": "",
            "callback_id": "",
            "external_id": "",
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{view_id}",
            "root_view_id": view_id,
            "previous_view_id": None,
            "clear_on_close": False,
            "notify_on_close": False,
            **view,
        }
        self.views[view_id] = stored
        return {"ok": True, "view": stored}

    def _get_upload_url(self, args: JsonDict) -> JsonDict:
        if not args.get("filename") or _int(args.get("length"), 0) <= 0:
            return self.violate("files.getUploadURLExternal", ["filename and length > 0 needed"])
        file_id = self.new_id("F")
        self.files[file_id] = {
            "id": file_id,
            "name": args["filename"],
            "size": _int(args["length"], 0),
            "alt_txt": args.get("alt_txt"),
        }
        return {"ok": True, "upload_url": self.url(f"upload/{file_id}"), "file_id": file_id}

    def _complete_upload(self, args: JsonDict) -> JsonDict:
        files = args.get("files")
        if not isinstance(files, list) or not files:
            return self.violate("files.completeUploadExternal", ["files must be a JSON list"])
        channel = args.get("channel_id") or args.get("channels")
        done = []
        for item in files:
            file_id = item.get("id") if isinstance(item, dict) else None
            if file_id not in self.files or file_id not in self.uploads:
                return self.violate(
                    "files.completeUploadExternal",
                    [f"file {file_id!r} was never uploaded"],
                    "file_not_found",
                )
            info = self.files[file_id]
            info.update(
                title=item.get("title") or info["name"],
                user=self.bot_user_id,
                channels=[channel] if channel else [],
                permalink=f"https://{self.team_name.lower()}.slack.com/files/{file_id}",
                initial_comment=args.get("initial_comment"),
            )
            done.append(dict(info))
        return {"ok": True, "files": done}
