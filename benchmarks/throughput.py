"""Updates per second through the real Application, memory of the running bot, and the round trip
through a real bot process and the Bot API emulator.

In-process: `build_application` with a fake Bot API transport (a PTB `BaseRequest` that answers at
once, no sockets), started as in production, fed private-chat questions from the evaluation set
through its update queue 100 at a time, as getUpdates delivers them (the next batch once the one
before last has been answered); the clock stops when the last reply has been sent. It runs in a
fresh subprocess, which also gives the resident memory of a process holding everything the
running bot holds (bot.telegram.app imported, engine built, Application initialised and started):
after start, after the traffic, and the peak (which includes loading the knowledge base).

The Application limits its own sending to Telegram's 30 messages per second (AIORateLimiter), so
"as shipped" measures that limit; "limiter removed" takes it out after building, to measure what
the bot itself can process.

Round trip: the emulator (tests/e2e/emulator.js) and `python -m bot run` as two processes on
127.0.0.1, as in the end-to-end tests; one client sends a question, waits for the reply, and so on,
paced below the 30-per-second limit so the figure is processing, not queueing behind the limiter.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from benchmarks.scale import peak_rss_mb, percentile

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:BenchmarkTokenNeverLogged_0123456789"
BOT = {
    "id": 123456,
    "is_bot": True,
    "first_name": "simbot",
    "username": "SimbotBenchBot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}
USERS = 200  # questions come from this many private chats, in turn
BATCH = 100  # updates are fed as getUpdates delivers them: at most 100 at a time
MB = 1024 * 1024
STARTUP = 90.0


def available() -> str | None:
    """None when the Telegram front end exists, else why the throughput figures cannot be made."""
    if not (ROOT / "bot" / "telegram" / "app.py").is_file():
        return "not available: bot.telegram not built yet"
    return None


# ------------------------------------------------------------------------------------------------
# In-process


def _private_message(n: int, text: str) -> dict[str, Any]:
    user_id = 700_000 + n % USERS
    return {
        "update_id": n + 1,
        "message": {
            "message_id": n + 1,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Alice"},
            "from": {
                "id": user_id,
                "is_bot": False,
                "first_name": "Alice",
                "language_code": "zh-hans",
            },
            "text": text,
        },
    }


async def _inprocess(knowledge: Path, eval_files: list[Path], updates: int, limiter: bool) -> dict:
    import psutil
    from telegram import Update
    from telegram.request import BaseRequest, RequestData

    from benchmarks.quality import single_questions
    from bot.config import Settings
    from bot.engine import Engine
    from bot.store import Store
    from bot.telegram.app import build_application

    class FakeBotAPI(BaseRequest):
        """Answers every Bot API call at once; counts the replies."""

        def __init__(self) -> None:
            self.replies = 0
            self.others = 0
            self.expected = 0
            self.done = asyncio.Event()
            self.progress = asyncio.Event()

        async def initialize(self) -> None:
            pass

        async def shutdown(self) -> None:
            pass

        @property
        def read_timeout(self) -> float:
            return 1.0

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
            result: Any = True
            if name == "getMe":
                result = BOT
            elif name == "getUpdates":
                result = []
            elif name == "sendMessage":
                chat_id = int(params["chat_id"])
                result = {
                    "message_id": 10_000 + self.replies,
                    "date": int(time.time()),
                    "chat": {"id": chat_id, "type": "private", "first_name": "Alice"},
                    "from": BOT,
                    "text": params.get("text", ""),
                }
                self.replies += 1
                self.progress.set()
                if self.replies >= self.expected:
                    self.done.set()
            else:
                self.others += 1
            return 200, json.dumps({"ok": True, "result": result}).encode()

    questions = single_questions(eval_files)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(token=TOKEN, knowledge_dir=knowledge, data_dir=Path(tmp))
        engine = Engine(knowledge, default_lang=settings.default_lang)
        store = Store(settings.database)
        api = FakeBotAPI()
        app = build_application(
            settings, engine, store, request=api, get_updates_request=FakeBotAPI()
        )
        if not limiter:
            app.bot._rate_limiter = None  # only here: measure processing, not Telegram's limit
        async with app:
            await app.start()
            rss_built = psutil.Process().memory_info().rss / MB
            api.expected = updates
            start = time.perf_counter()
            for first in range(0, updates, BATCH):
                while api.replies < first - BATCH:  # no more than two batches in flight
                    api.progress.clear()
                    await api.progress.wait()
                for n in range(first, min(first + BATCH, updates)):
                    payload = _private_message(n, questions[n % len(questions)])
                    app.update_queue.put_nowait(Update.de_json(payload, app.bot))
            timeout = updates / 20 + 30  # far longer than even the rate-limited run needs
            with suppress(TimeoutError):  # a shortfall shows as replies < updates
                await asyncio.wait_for(api.done.wait(), timeout)
            elapsed = time.perf_counter() - start
            rss_after = psutil.Process().memory_info().rss / MB
            await app.stop()
        await store.flush()
        store.close()
    return {
        "updates": updates,
        "replies": api.replies,
        "seconds": round(elapsed, 3),
        "updates_per_s": round(api.replies / elapsed, 1),
        "rss_built_mb": round(rss_built, 1),
        "rss_after_mb": round(rss_after, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def measure_inprocess(knowledge: Path, eval_files: list[Path], updates: int, limiter: bool) -> dict:
    """The in-process run in a fresh subprocess (clean memory figures)."""
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.throughput",
        str(knowledge),
        "--eval",
        *map(str, eval_files),
        "--updates",
        str(updates),
    ]
    if not limiter:
        cmd.append("--no-limiter")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        cmd, capture_output=True, text=True, env=env, timeout=updates / 20 + 120, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"in-process throughput crashed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------------------------
# Round trip through the emulator and a real bot process


def emulator_missing() -> str | None:
    if not (ROOT / "tests" / "e2e" / "emulator.js").is_file():
        return "not available: tests/e2e/emulator.js not built yet"
    if not (ROOT / "tests" / "e2e" / "client.py").is_file():
        return "not available: tests/e2e/client.py not built yet"
    if shutil.which("node") is None:
        return "not available: Node.js is not installed"
    if not (ROOT / "node_modules" / "telegram-test-api").is_dir():
        return "not available: run `make e2e-deps` (npm ci) first"
    return available()


def _wait(what: str, ready, proc: subprocess.Popen, log: Path) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + STARTUP
    while not ready():
        if proc.poll() is not None or time.monotonic() > end:
            tail = log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"{what} did not come up; {log}:\n{tail}")
        time.sleep(0.02)


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def _bot_and_emulator(knowledge: Path, tmp: Path) -> Iterator[tuple[Any, Path]]:
    """The two processes of tests/e2e/conftest.py, started the same way; yields (client, bot log)."""
    import httpx

    from tests.e2e.client import EmuClient

    emu_log, bot_log = tmp / "emulator.log", tmp / "bot.log"
    emu_env = {"PORT": "0", "BOT_USERNAME": BOT["username"], "BOT_ID": TOKEN.partition(":")[0]}
    with emu_log.open("wb") as out:
        emulator = subprocess.Popen(
            [shutil.which("node") or "node", str(ROOT / "tests" / "e2e" / "emulator.js")],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            env={**os.environ, **emu_env},
        )
    bot = client = None
    try:

        def url() -> str | None:
            found = re.search(r"listening on (http://127\.0\.0\.1:\d+)", emu_log.read_text())
            return found.group(1) if found else None

        _wait("the emulator", lambda: url() is not None, emulator, emu_log)
        client = EmuClient(url() or "", TOKEN)

        def polling() -> bool:
            try:
                return bool(client.calls("getUpdates"))
            except httpx.HTTPError:
                return False

        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
        env.update(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=url() or "",
            KNOWLEDGE_DIR=str(knowledge.resolve()),
            DATA_DIR=str(tmp / "data"),
            LOG_LEVEL="WARNING",
            PYTHONPATH=str(ROOT),
            PYTHONUNBUFFERED="1",
            NO_PROXY="127.0.0.1,localhost",
        )
        with bot_log.open("wb") as out:
            bot = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"],
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=tmp,
                env=env,
            )
        _wait("the bot", polling, bot, bot_log)
        yield client, bot_log
    finally:
        if bot:
            _stop(bot)
        _stop(emulator)
        if client:
            client.close()


def measure_round_trip(knowledge: Path, eval_files: list[Path], messages: int, rate: float) -> dict:
    """Send `messages` questions one at a time, at most `rate` per second; time each reply."""
    from benchmarks.quality import single_questions

    questions = single_questions(eval_files)
    times: list[float] = []
    lost = 0
    with (
        tempfile.TemporaryDirectory() as tmp,
        _bot_and_emulator(knowledge, Path(tmp)) as (
            client,
            bot_log,
        ),
    ):
        gap = 1.0 / rate
        for n in range(messages):
            chat_id = 710_000 + n % USERS
            begin = time.perf_counter()
            client.send(questions[n % len(questions)], chat_id=chat_id, user_id=chat_id)
            deadline = time.monotonic() + 10.0
            while True:
                polled = client.http.post("/getUpdates", json={"token": TOKEN, "chatId": chat_id})
                if polled.json().get("result"):
                    times.append((time.perf_counter() - begin) * 1e3)
                    break
                if time.monotonic() > deadline:
                    lost += 1
                    break
                time.sleep(0.0005)
            time.sleep(max(0.0, gap - (time.perf_counter() - begin)))
        log_text = bot_log.read_text(errors="replace")
    times.sort()
    bad = [line for line in log_text.splitlines() if re.search(r"\b(ERROR|CRITICAL)\b", line)]
    return {
        "messages": messages,
        "replied": len(times),
        "lost": lost,
        "rate_per_s": rate,
        "median_ms": round(statistics.median(times), 2) if times else None,
        "p99_ms": round(percentile(times, 0.99), 2) if times else None,
        "max_ms": round(times[-1], 2) if times else None,
        "bot_errors_logged": len(bad),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="in-process throughput (internal)")
    parser.add_argument("knowledge", type=Path)
    parser.add_argument("--eval", type=Path, nargs="+", required=True)
    parser.add_argument("--updates", type=int, default=5000)
    parser.add_argument("--no-limiter", action="store_true")
    args = parser.parse_args()
    result = asyncio.run(_inprocess(args.knowledge, args.eval, args.updates, not args.no_limiter))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
