"""Plays the Telegram users against the Bot API emulator (tests/e2e/emulator.js) over HTTP."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

WAIT = 10.0  # seconds; every wait is bounded and fails loudly (replies come in milliseconds)


def user(user_id: int, name: str = "Alice") -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": name, "language_code": "zh-hans"}


def chat(chat_id: int) -> dict[str, Any]:
    """A private chat for a positive id (the user's own id), a supergroup for a negative one."""
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": "Alice"}
    return {"id": chat_id, "type": "supergroup", "title": "Data gifting group"}


class EmuClient:
    def __init__(self, base_url: str, token: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=WAIT, trust_env=False)
        self.token = token
        self.sent: dict[int, dict[str, Any]] = {}  # message_id -> the user message, for replies

    def _post(self, path: str, body: dict[str, Any]) -> Any:
        response = self.http.post(path, json=body)
        response.raise_for_status()
        return response.json().get("result")

    def send(self, text: str, chat_id: int, user_id: int, reply_to: int | None = None) -> int:
        """A user's text message (a command when it starts with '/'); returns its message_id.

        `reply_to`: the message_id of an earlier message sent through this client.
        """
        message: dict[str, Any] = {
            "date": int(time.time()),
            "chat": chat(chat_id),
            "from": user(user_id),
            "text": text,
        }
        if reply_to is not None:
            message["reply_to_message"] = self.sent[reply_to]
        path = "/sendMessage"
        if text.startswith("/"):  # the emulator never computes entities itself
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
            path = "/sendCommand"
        message_id = self._post(path, {"botToken": self.token, **message})["message_id"]
        self.sent[message_id] = {**message, "message_id": message_id}
        return message_id

    def press(self, reply: dict[str, Any], data: str, user_id: int) -> None:
        """Tap an inline button (callback_data `data`) under one of the bot's messages."""
        message = {
            "message_id": reply["message_id"],
            "date": int(time.time()),
            "chat": chat(reply["chat_id"]),
            "text": reply.get("text", ""),
        }
        self._post(
            "/sendCallback",
            {
                "botToken": self.token,
                "from": user(user_id),
                "message": message,
                "data": data,
                "chat_instance": str(reply["chat_id"]),
            },
        )

    def raw_update(self, update: dict[str, Any]) -> None:
        """Any update type the emulator cannot build itself (inline_query, …)."""
        self._post("/_rawUpdate", {"botToken": self.token, "update": update})

    def replies(self, chat_id: int, n: int = 1) -> list[dict[str, Any]]:
        """The next `n` messages the bot sends to `chat_id`, as sendMessage parameters."""
        got: list[dict[str, Any]] = []
        end = time.monotonic() + WAIT
        while len(got) < n:
            fresh = self._post("/getUpdates", {"token": self.token, "chatId": chat_id})
            got += [{**item["message"], "message_id": item["messageId"]} for item in fresh]
            if len(got) < n and time.monotonic() > end:
                raise AssertionError(f"expected {n} bot message(s) in chat {chat_id}, got {got}")
            time.sleep(0.005)
        return got

    def calls(self, method: str | None = None) -> list[dict[str, Any]]:
        """Every Bot API call the bot made (parameters decoded), optionally of one method."""
        return [c["params"] for c in self._post("/_calls", {}) if method in (None, c["method"])]

    def wait_call(
        self, method: str, match: Callable[[dict[str, Any]], bool] = lambda p: True
    ) -> dict[str, Any]:
        """The first call of `method` whose parameters satisfy `match`, waiting for it."""
        end = time.monotonic() + WAIT
        while True:
            found = [p for p in self.calls(method) if match(p)]
            if found:
                return found[0]
            if time.monotonic() > end:
                raise AssertionError(f"no matching {method} call; calls: {self.calls(method)}")
            time.sleep(0.005)

    def close(self) -> None:
        self.http.close()


@dataclass
class E2E:
    """The running session: the emulator's client, and the bot process with its files."""

    client: EmuClient
    knowledge: Path  # the bot's own copy, free to edit
    data_dir: Path
    log: Path
    process: subprocess.Popen[bytes]
    token: str
    bot_username: str
    operator_id: int

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")
