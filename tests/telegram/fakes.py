"""An in-process stand-in for the Bot API, and the users who talk to the bot through it.

`FakeBotAPI` is a PTB `BaseRequest`: the real Application, Bot and handlers run unchanged, and
every Bot API call lands here instead of on the network. It records each call, answers with
plausible results, and can be told to fail a method the way Telegram fails it (an HTTP status and
a description, parsed by PTB into BadRequest, Forbidden, RetryAfter, ChatMigrated...) or to raise
from the transport itself.
"""

from __future__ import annotations

import itertools
import json
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import Application, ContextTypes
from telegram.request import BaseRequest, RequestData

from bot.store import Store

TOKEN = "123456:FakeSecretTokenNeverLogged_0123456789"
BOT_ID = 123456
BOT_USERNAME = "SimbotTestBot"
BOT = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": "simbot",
    "username": BOT_USERNAME,
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}
OPERATOR_ID = 900_001
USER_ID = 700_001
GROUP_ID = -1_001_000_000_001


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    url: str
    result: Any = None


class FakeBotAPI(BaseRequest):
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._queued: dict[str, list[Any]] = defaultdict(list)
        self._ids = itertools.count(5000)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    @property
    def read_timeout(self) -> float:
        return 1.0

    # ------------------------------------------------------------- programming the fake

    def fail(
        self,
        method: str,
        status: int,
        description: str,
        parameters: dict[str, Any] | None = None,
    ) -> None:
        """The next call of `method` gets this Telegram error response."""
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if parameters:
            body["parameters"] = parameters
        self._queued[method].append((status, body))

    def crash(self, method: str, error: BaseException) -> None:
        """The next call of `method` raises `error` from the transport (like httpx would)."""
        self._queued[method].append(error)

    # ------------------------------------------------------------- reading what happened

    def of(self, method: str) -> list[dict[str, Any]]:
        return [c.params for c in self.calls if c.method == method]

    def sent(self) -> list[dict[str, Any]]:
        """Every message the bot sent, as Telegram would return it (with reply_markup)."""
        return [c.result for c in self.calls if c.method == "sendMessage" and c.result]

    def texts(self) -> list[str]:
        return [p["text"] for p in self.of("sendMessage")]

    def clear(self) -> None:
        self.calls.clear()

    # ------------------------------------------------------------- BaseRequest

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        call = Call(name, params, url)
        self.calls.append(call)
        if self._queued[name]:
            queued = self._queued[name].pop(0)
            if isinstance(queued, BaseException):
                raise queued
            status, body = queued
            return status, json.dumps(body).encode()
        call.result = self._result(name, params)
        return 200, json.dumps({"ok": True, "result": call.result}).encode()

    def _result(self, name: str, params: dict[str, Any]) -> Any:
        if name == "getMe":
            return BOT
        if name == "getUpdates":
            return []
        if name in ("sendMessage", "sendPhoto", "editMessageText", "editMessageReplyMarkup"):
            chat_id = int(params["chat_id"])
            thread = params.get("message_thread_id")
            message: dict[str, Any] = {
                "message_id": int(params.get("message_id") or next(self._ids)),
                "date": int(time.time()),
                "chat": chat(chat_id, forum=thread is not None),
                "from": BOT,
            }
            if name == "sendPhoto":
                message["photo"] = [
                    {"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}
                ]
            else:
                message["text"] = params.get("text", "")
            if thread is not None:  # as Telegram returns a message sent into a forum topic
                message["message_thread_id"] = int(thread)
                message["is_topic_message"] = True
            markup = params.get("reply_markup")
            if isinstance(markup, str):
                markup = json.loads(markup)
            if markup and markup.get("inline_keyboard"):  # Telegram leaves an empty one out
                message["reply_markup"] = markup
            return message
        return True


def chat(chat_id: int, *, forum: bool = False) -> dict[str, Any]:
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": "Alice"}
    out: dict[str, Any] = {"id": chat_id, "type": "supergroup", "title": "Data gifting group"}
    if forum:
        out["is_forum"] = True
    return out


def user(user_id: int, language_code: str | None = "zh-hans") -> dict[str, Any]:
    out: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": "Alice"}
    if language_code:
        out["language_code"] = language_code
    return out


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def entities(text: str) -> list[dict[str, Any]]:
    """What Telegram computes: a bot_command at the start, and every @mention."""
    found = []
    command = re.match(r"/\S+", text)
    if command:
        found.append({"type": "bot_command", "offset": 0, "length": _utf16_len(command.group())})
    for mention in re.finditer(r"@\w+", text):
        if command and mention.start() < command.end():
            continue
        found.append(
            {
                "type": "mention",
                "offset": _utf16_len(text[: mention.start()]),
                "length": _utf16_len(mention.group()),
            }
        )
    return found


@dataclass
class Harness:
    """A running bot with a fake Bot API; `send`, `press` and `inline` play the users."""

    app: Application
    api: FakeBotAPI
    store: Store
    errors: list[BaseException] = field(default_factory=list)
    raise_errors: bool = True
    _ids: itertools.count = field(default_factory=lambda: itertools.count(100))
    _updates: itertools.count = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self.app.add_error_handler(self._record_error)

    async def _record_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        self.errors.append(context.error)

    async def process(self, data: dict[str, Any]) -> None:
        before = len(self.errors)
        await self.app.process_update(
            Update.de_json({"update_id": next(self._updates), **data}, self.app.bot)
        )
        await self.store.flush()
        if self.raise_errors and len(self.errors) > before:
            raise self.errors[-1]

    def message(
        self,
        text: str,
        *,
        chat_id: int = USER_ID,
        user_id: int = USER_ID,
        language_code: str | None = "zh-hans",
        reply_to: dict[str, Any] | None = None,
        thread: int | None = None,
    ) -> dict[str, Any]:
        """A user's message; `thread`: sent in that topic of a forum supergroup."""
        message: dict[str, Any] = {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "chat": chat(chat_id, forum=thread is not None),
            "from": user(user_id, language_code),
            "text": text,
        }
        if found := entities(text):
            message["entities"] = found
        if thread is not None:
            message["message_thread_id"] = thread
            message["is_topic_message"] = True
            # In a forum topic every message replies at least to the topic's first message.
            reply_to = reply_to or {
                "message_id": thread,
                "date": message["date"],
                "chat": message["chat"],
                "from": user(user_id, language_code),
                "forum_topic_created": {"name": "Data", "icon_color": 7322096},
                "message_thread_id": thread,
                "is_topic_message": True,
            }
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return message

    async def send(self, text: str, **kwargs: Any) -> dict[str, Any]:
        """A user's message (a command if it starts with '/'); returns the message sent."""
        message = self.message(text, **kwargs)
        await self.process({"message": message})
        return message

    async def press(
        self,
        data: str,
        message: dict[str, Any],
        *,
        user_id: int = USER_ID,
        language_code: str | None = "zh-hans",
    ) -> None:
        """Press an inline-keyboard button (or forge one) on one of the bot's messages."""
        query = {
            "id": str(next(self._ids)),
            "from": user(user_id, language_code),
            "chat_instance": "1",
            "data": data,
            "message": message,
        }
        await self.process({"callback_query": query})

    async def inline(
        self, query: str, *, user_id: int = USER_ID, language_code: str | None = "en"
    ) -> dict[str, Any]:
        """An inline query; returns the answerInlineQuery parameters."""
        self.api.clear()
        await self.process(
            {
                "inline_query": {
                    "id": str(next(self._ids)),
                    "from": user(user_id, language_code),
                    "query": query,
                    "offset": "",
                }
            }
        )
        (answer,) = self.api.of("answerInlineQuery")
        return answer


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    """Every inline button of a message the bot sent, row by row."""
    markup = message.get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]


def button_data(message: dict[str, Any]) -> list[str]:
    return [b["callback_data"] for b in buttons(message) if "callback_data" in b]


def rows(message: dict[str, Any]) -> list[list[str]]:
    """The keyboard as rows of button texts."""
    markup = message.get("reply_markup") or {}
    return [[b["text"] for b in row] for row in markup.get("inline_keyboard", [])]


def body(text: str) -> list[str]:
    """The lines of an answer after its bold title, up to the sources."""
    head, _, rest = text.partition("\n")
    assert head.startswith("<b>") and head.endswith("</b>"), text
    return rest.split("\n\n")[0].split("\n")
