"""Plays the Telegram users against the Bot API emulator (tests/e2e/emulator.js) over HTTP, and
starts the emulator and a bot process for it (`bot_stack`, used by conftest.py and the benchmark).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

WAIT = 10.0  # seconds; every wait is bounded and fails loudly (replies come in milliseconds)
ROOT = Path(__file__).resolve().parents[2]
EMULATOR = ROOT / "tests" / "e2e" / "emulator.js"
TOKEN = "123456:E2eSecretTokenDoNotLog_0123456789"
BOT_USERNAME = "SimbotTestBot"
OPERATOR_ID = 900_001
STARTUP = 30.0  # seconds; bounded waits for the two processes to come up


def user(user_id: int, name: str = "Alice") -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": name, "language_code": "zh-hans"}


def chat(chat_id: int, forum: bool = False) -> dict[str, Any]:
    """A private chat for a positive id (the user's own id), a supergroup for a negative one
    (`forum`: one with topics, whose messages carry a message_thread_id)."""
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": "Alice"}
    group = {"id": chat_id, "type": "supergroup", "title": "Data gifting group"}
    return {**group, "is_forum": True} if forum else group


def bot_user() -> dict[str, Any]:
    """The bot as the sender of its own messages (what the emulator's getMe says)."""
    return {
        "id": int(TOKEN.partition(":")[0]),
        "is_bot": True,
        "first_name": "Test Bot",
        "username": BOT_USERNAME,
    }


def in_thread(message: dict[str, Any], thread: int | None) -> dict[str, Any]:
    """`message` posted in forum topic `thread` (unchanged when None)."""
    if thread is None:
        return message
    return {
        **message,
        "chat": chat(message["chat"]["id"], forum=True),
        "message_thread_id": thread,
        "is_topic_message": True,
    }


class EmuClient:
    def __init__(self, base_url: str, token: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=WAIT, trust_env=False)
        self.token = token
        self.sent: dict[int, dict[str, Any]] = {}  # message_id -> the user message, for replies
        self.sent_at: dict[int, int] = {}  # message_id -> when the emulator stored it (ms)

    def _post(self, path: str, body: dict[str, Any]) -> Any:
        response = self.http.post(path, json=body)
        response.raise_for_status()
        return response.json().get("result")

    def send(
        self,
        text: str,
        chat_id: int,
        user_id: int,
        reply_to: int | dict[str, Any] | None = None,
        mention: str | None = None,
        thread: int | None = None,
    ) -> int:
        """A user's text message (a command when it starts with '/'); returns its message_id.

        `reply_to`: the message_id of an earlier message sent through this client, or one of the
        bot's messages as `replies()` returned it (a reply to the bot).
        `mention`: a bot username to address the message to (`@name text`, as a mention entity).
        `thread`: post it in this forum topic (the chat becomes a forum supergroup).
        The emulator's time of arrival, in ms, is kept in `self.sent_at[message_id]`.
        """
        message: dict[str, Any] = in_thread(
            {"date": int(time.time()), "chat": chat(chat_id), "from": user(user_id), "text": text},
            thread,
        )
        if isinstance(reply_to, dict):
            message["reply_to_message"] = self.bot_message(reply_to)
        elif reply_to is not None:
            message["reply_to_message"] = self.sent[reply_to]
        path = "/sendMessage"
        if mention is not None:
            message["text"] = f"@{mention} {text}"
            message["entities"] = [{"type": "mention", "offset": 0, "length": len(mention) + 1}]
        elif text.startswith("/"):  # the emulator never computes entities itself
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
            path = "/sendCommand"
        result = self._post(path, {"botToken": self.token, **message})
        message_id = result["message_id"]
        self.sent[message_id] = {**message, "message_id": message_id}
        self.sent_at[message_id] = result["at"]
        return message_id

    @staticmethod
    def bot_message(reply: dict[str, Any]) -> dict[str, Any]:
        """One of the bot's messages (as `replies()` returned it) as a Message object: in the
        forum topic the bot sent it to, if any."""
        message = {
            "message_id": reply["message_id"],
            "date": int(time.time()),
            "chat": chat(int(reply["chat_id"])),
            "from": bot_user(),
            "text": reply.get("text", ""),
        }
        return in_thread(message, reply.get("message_thread_id"))

    def press(self, reply: dict[str, Any], data: str, user_id: int) -> None:
        """Tap an inline button (callback_data `data`) under one of the bot's messages."""
        message = self.bot_message(reply)
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

    def replies(self, chat_id: int, n: int = 1, timeout: float = WAIT) -> list[dict[str, Any]]:
        """The next `n` messages the bot sends to `chat_id`, as sendMessage parameters."""
        got: list[dict[str, Any]] = []
        end = time.monotonic() + timeout
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

    def call_log(self, since: int = 0) -> list[dict[str, Any]]:
        """The bot's calls from index `since` on: {method, params, at (ms), fault (if injected)}."""
        return self._post("/_calls", {"since": since})

    def fault(self, method: str, chat_id: int | None = None, times: int = 1, **how: Any) -> None:
        """Make the bot's next `times` calls of `method` (to `chat_id`, if given) fail.

        `how`: action="error" (default) with status, description and parameters (retry_after,
        migrate_to_chat_id) as Telegram sends them; action="drop" (connection reset without an
        answer); action="hang" (no answer; closed after `ms`). See tests/e2e/emulator.js.
        """
        rule: dict[str, Any] = {"method": method, "times": times, **how}
        if chat_id is not None:
            rule["chat_id"] = chat_id
        self._post("/_fault", rule)

    def stub(self, method: str, result: Any) -> None:
        """What the emulator answers to `method` from now on; None puts its default back."""
        self._post("/_stub", {"method": method, "result": result})

    def wait_call(
        self,
        method: str,
        match: Callable[[dict[str, Any]], bool] = lambda p: True,
        timeout: float = WAIT,
    ) -> dict[str, Any]:
        """The first call of `method` whose parameters satisfy `match`, waiting for it."""
        end = time.monotonic() + timeout
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

    def rss_kb(self) -> int:
        """The bot process's resident memory now (VmRSS, Linux)."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        if found is None:
            raise RuntimeError(f"no VmRSS for process {self.process.pid}")
        return int(found.group(1))


class StartupError(RuntimeError):
    """The emulator or the bot did not come up; the message carries the tail of its log."""


def emulator_missing() -> str | None:
    """Why the emulator cannot run here, or None."""
    if shutil.which("node") is None or not (ROOT / "node_modules" / "telegram-test-api").is_dir():
        return (
            "end-to-end tests need Node.js (20+) and the emulator package: run `make e2e-deps` "
            "(npm ci) in the repository root"
        )
    return None


# `python -m bot run`, except that AIORateLimiter's sending caps (30 messages a second, 20 a minute
# per group: Telegram's own limits, which the limiter enforces by waiting) are lifted; its retry on
# a 429 stays. A burst then measures the bot itself instead of the caps.
UNCAPPED = """
import functools, sys
from telegram.ext import AIORateLimiter
import bot.telegram.app
bot.telegram.app.AIORateLimiter = functools.partial(
    AIORateLimiter, overall_max_rate=0, group_max_rate=0
)
from bot.cli import main
sys.exit(main(["run"]))
"""


def _wait_for(
    what: str, ready: Callable[[], bool], proc: subprocess.Popen[bytes], log: Path
) -> None:
    end = time.monotonic() + STARTUP
    while not ready():
        if proc.poll() is not None or time.monotonic() > end:
            state = f"exited with {proc.returncode}" if proc.returncode is not None else "timed out"
            tail = log.read_text(errors="replace")[-3000:]
            raise StartupError(f"{what} {state} before it was ready; {log}:\n{tail}")
        time.sleep(0.02)


def _emulator_url(log: Path) -> str | None:
    found = re.search(r"listening on (http://127\.0\.0\.1:\d+)", log.read_text(errors="replace"))
    return found.group(1) if found else None


def _polling(client: EmuClient) -> bool:
    try:
        return bool(client.calls("getUpdates"))
    except httpx.HTTPError:
        return False


def stop(proc: subprocess.Popen[bytes]) -> int | None:
    """SIGTERM, as a service manager would; the exit code, or None if it had to be killed."""
    if proc.poll() is not None:
        return proc.returncode
    proc.terminate()
    try:
        return proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return None


def _start(args: list[str], log: Path, **kwargs: Any) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, **kwargs)


# The quality gate measures every knowledge change (and loads its cases at start-up) on this one
# evaluation set instead of all of tests/data: a fifth of the cases, so a change through a bot here
# costs a fraction of a second instead of seconds on a 2-core machine. What the gate decides on the
# full sets is tested in-process; these tests check that it is wired in and reported.
E2E_QUALITY_SETS = ROOT / "tests" / "data" / "eval.yaml"


def bot_env(url: str, knowledge: Path, data_dir: Path, **extra: str) -> dict[str, str]:
    """Only these settings reach the bot: no developer .env (cwd is tmp), no inherited config."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "WEBHOOK_", "QUALITY_"))
    }
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=url,
        ADMIN_USER_IDS=str(OPERATOR_ID),
        KNOWLEDGE_DIR=str(knowledge),
        DATA_DIR=str(data_dir),
        DEFAULT_LANG="zh-Hans",
        LOG_LEVEL="DEBUG",  # the most verbose level is where a leaked token would show up
        GROUP_COOLDOWN_SECONDS="60",
        QUALITY_SETS=str(E2E_QUALITY_SETS),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        PYTHONUNBUFFERED="1",
        NO_PROXY="127.0.0.1,localhost",
    )
    env.update(extra)
    return env


@contextmanager
def bot_stack(
    tmp: Path,
    knowledge: Path,
    data_dir: Path,
    *,
    uncapped: bool = False,
    preexec_fn: Callable[[], None] | None = None,
    **env: str,
) -> Iterator[E2E]:
    """An emulator of its own and `python -m bot run` against it, both stopped on exit.

    `env`: settings for the bot on top of `bot_env`'s (DATA_DIR, LOG_LEVEL, …). The bot's log is
    `tmp/bot.log`; nothing here reads it: callers decide which lines are errors.
    """
    missing = emulator_missing()
    if missing:
        raise StartupError(missing)
    tmp.mkdir(parents=True, exist_ok=True)
    emu_log, bot_log = tmp / "emulator.log", tmp / "bot.log"
    emu_env = {"PORT": "0", "BOT_USERNAME": BOT_USERNAME, "BOT_ID": TOKEN.partition(":")[0]}
    node = shutil.which("node") or "node"
    emulator = _start([node, str(EMULATOR)], emu_log, cwd=ROOT, env={**os.environ, **emu_env})
    bot: subprocess.Popen[bytes] | None = None
    client: EmuClient | None = None
    try:
        _wait_for("the emulator", lambda: _emulator_url(emu_log) is not None, emulator, emu_log)
        url = _emulator_url(emu_log) or ""
        client = EmuClient(url, TOKEN)
        args = (
            [sys.executable, "-c", UNCAPPED] if uncapped else [sys.executable, "-m", "bot", "run"]
        )
        bot = _start(
            args,
            bot_log,
            cwd=tmp,
            env=bot_env(url, knowledge, data_dir, **env),
            preexec_fn=preexec_fn,
        )
        _wait_for("the bot", lambda: _polling(client), bot, bot_log)
        yield E2E(
            client,
            knowledge,
            data_dir,
            bot_log,
            bot,
            TOKEN,
            BOT_USERNAME,
            OPERATOR_ID,
        )
    finally:
        if bot is not None:
            stop(bot)
        stop(emulator)
        if client is not None:
            client.close()


# ------------------------------------------------------------------------------------------------
# Load: many users asking at once (tests/e2e/test_load.py, benchmarks/e2e_load.py)

QUESTIONS = (  # answered, clarified and out of scope alike: every one gets a reply in a group
    "mineo能把流量送给朋友吗",
    "日本的手机卡流量能转赠给别人吗？？",
    "softbank开热点要钱吗",
    "流量",
    "ギガを友達にあげられますか",
    "Can I give my leftover data to a friend?",
    "乐天的流量能结转吗",
    "今晚谁去吃拉面？",
)


@dataclass
class Burst:
    """What a burst of group questions got: per chat, what was sent and what was answered."""

    sent: dict[int, list[int]]  # chat -> message ids, in the order they were sent
    answered: dict[int, list[int]]  # chat -> replied-to message ids, in the order replies came
    round_trips_ms: list[float]  # per answered message: stored by the emulator -> reply arrived
    seconds: float  # first message stored -> last reply arrived
    errors: list[str]  # problems seen on the wire: failed or unexpected calls

    @property
    def messages(self) -> int:
        return sum(map(len, self.sent.values()))

    @property
    def replies(self) -> int:
        return sum(map(len, self.answered.values()))

    def out_of_order(self) -> dict[int, list[int]]:
        """Chats whose replies did not come in the order their questions were sent."""
        return {c: got for c, got in self.answered.items() if got != self.sent[c]}


def burst(e2e: E2E, messages: int, users: int, chats: int, first_chat: int) -> Burst:
    """Send `messages` questions from `users` users in `chats` groups, as fast as one client can,
    each addressed to the bot; wait until every one is answered or the wait runs out.

    User u talks in group u % chats; message n comes from user n % users, so every group sees
    its users take turns and all groups are busy at once. Round trips use the emulator's clock
    at both ends (question stored, reply received), so they include the bot's long poll.
    """
    client = e2e.client
    since = len(client.call_log())
    groups = [first_chat - n for n in range(chats)]
    sent: dict[int, list[int]] = {g: [] for g in groups}
    for n in range(messages):
        member = 800_000 + n % users
        group = groups[(n % users) % chats]
        question = QUESTIONS[n % len(QUESTIONS)]
        sent[group].append(client.send(question, group, member, mention=e2e.bot_username))

    answered: dict[int, list[int]] = {g: [] for g in groups}
    round_trips: list[float] = []
    errors: list[str] = []
    last_at = 0
    end = time.monotonic() + WAIT + messages * 0.05  # generous: 20 replies a second at worst
    got = 0
    while got < messages and time.monotonic() < end:
        fresh = client.call_log(since)
        since += len(fresh)
        for call in fresh:
            params = call["params"]
            if call["method"] != "sendMessage" or params.get("chat_id") not in answered:
                continue
            if call.get("fault"):
                errors.append(f"injected {call['fault']} on {call['method']}")
                continue
            replied_to = (params.get("reply_parameters") or {}).get("message_id")
            if replied_to not in client.sent_at:
                errors.append(f"a reply in chat {params['chat_id']} quotes no question we sent")
                continue
            answered[params["chat_id"]].append(replied_to)
            round_trips.append(call["at"] - client.sent_at[replied_to])
            last_at = max(last_at, call["at"])
            got += 1
        if got < messages:
            time.sleep(0.02)
    first_at = min((client.sent_at[m] for ids in sent.values() for m in ids), default=0)
    return Burst(sent, answered, round_trips, max(0, last_at - first_at) / 1000, errors)
