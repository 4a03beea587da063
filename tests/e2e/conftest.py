"""One real bot process (`python -m bot run`, polling) against the Bot API emulator, per session.

The emulator stores a reply before the bot has parsed the answer to its own request, so a handler
can crash right after "succeeding". Every test therefore also fails when the bot logs an error.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.client import E2E, EmuClient

ROOT = Path(__file__).resolve().parents[2]
EMULATOR = ROOT / "tests" / "e2e" / "emulator.js"
TOKEN = "123456:E2eSecretTokenDoNotLog_0123456789"
BOT_USERNAME = "SimbotTestBot"
OPERATOR_ID = 900_001
STARTUP = 30.0  # seconds; bounded waits for the two processes to come up
BAD_LINE = re.compile(r"\b(ERROR|CRITICAL)\b|Traceback")


def _wait_for(
    what: str, ready: Callable[[], bool], proc: subprocess.Popen[bytes], log: Path
) -> None:
    end = time.monotonic() + STARTUP
    while not ready():
        if proc.poll() is not None or time.monotonic() > end:
            state = f"exited with {proc.returncode}" if proc.returncode is not None else "timed out"
            tail = log.read_text(errors="replace")[-3000:]
            pytest.fail(f"{what} {state} before it was ready; {log}:\n{tail}", pytrace=False)
        time.sleep(0.02)


def _emulator_url(log: Path) -> str | None:
    found = re.search(r"listening on (http://127\.0\.0\.1:\d+)", log.read_text(errors="replace"))
    return found.group(1) if found else None


def _polling(client: EmuClient) -> bool:
    try:
        return bool(client.calls("getUpdates"))
    except httpx.HTTPError:
        return False


def _stop(proc: subprocess.Popen[bytes]) -> int | None:
    """SIGTERM, as a service manager would; the exit code, or None if it had to be killed."""
    proc.terminate()
    try:
        return proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return None


def _start(args: list[str], log: Path, **kwargs: object) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, **kwargs)


@pytest.fixture(scope="session")
def e2e(tmp_path_factory: pytest.TempPathFactory) -> Iterator[E2E]:
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "telegram-test-api").is_dir():
        pytest.fail(
            "end-to-end tests need Node.js (20+) and the emulator package: run `make e2e-deps` "
            "(npm ci) in the repository root",
            pytrace=False,
        )
    tmp = tmp_path_factory.mktemp("e2e")
    knowledge, data_dir = tmp / "knowledge", tmp / "data"
    shutil.copytree(ROOT / "knowledge", knowledge)
    emu_log, bot_log = tmp / "emulator.log", tmp / "bot.log"
    emu_env = {"PORT": "0", "BOT_USERNAME": BOT_USERNAME, "BOT_ID": TOKEN.partition(":")[0]}
    emulator = _start([node, str(EMULATOR)], emu_log, cwd=ROOT, env={**os.environ, **emu_env})
    bot = client = None
    try:
        _wait_for("the emulator", lambda: _emulator_url(emu_log) is not None, emulator, emu_log)
        url = _emulator_url(emu_log) or ""
        client = EmuClient(url, TOKEN)
        # Only these settings reach the bot: no developer .env (cwd is tmp), no inherited config.
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
        env.update(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=url,
            ADMIN_USER_IDS=str(OPERATOR_ID),
            KNOWLEDGE_DIR=str(knowledge),
            DATA_DIR=str(data_dir),
            DEFAULT_LANG="zh-Hans",
            LOG_LEVEL="DEBUG",  # the most verbose level is where a leaked token would show up
            GROUP_COOLDOWN_SECONDS="60",
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
            PYTHONUNBUFFERED="1",
            NO_PROXY="127.0.0.1,localhost",
        )
        bot = _start([sys.executable, "-m", "bot", "run"], bot_log, cwd=tmp, env=env)
        _wait_for("the bot", lambda: _polling(client), bot, bot_log)
        yield E2E(client, knowledge, data_dir, bot_log, bot, TOKEN, BOT_USERNAME, OPERATOR_ID)
    finally:
        bot_code = _stop(bot) if bot else None
        _stop(emulator)
        if client:
            client.close()
    text = bot_log.read_text(errors="replace")
    bad = [line for line in text.splitlines() if BAD_LINE.search(line)]
    assert not bad, f"the bot logged errors ({bot_log}):\n" + "\n".join(bad[:20])
    assert TOKEN.partition(":")[2] not in text, f"the bot logged its token ({bot_log})"
    assert bot_code == 0, f"the bot did not stop cleanly on SIGTERM (exit {bot_code}); {bot_log}"


@pytest.fixture(autouse=True)
def no_bot_errors(e2e: E2E) -> Iterator[None]:
    """Blame a bot-side error on the test that caused it, not only on the session's end."""
    start = len(e2e.log_text())
    yield
    assert e2e.process.poll() is None, f"the bot died during this test; see {e2e.log}"
    bad = [line for line in e2e.log_text()[start:].splitlines() if BAD_LINE.search(line)]
    assert not bad, "the bot logged errors during this test:\n" + "\n".join(bad[:20])


_ids = itertools.count(1)


@pytest.fixture
def new_user() -> Callable[[], int]:
    """Fresh user ids; a user's private chat has the same id, so every test has its own chats."""
    return lambda: 700_000 + next(_ids)


@pytest.fixture
def new_group() -> Callable[[], int]:
    """Fresh supergroup chat ids."""
    return lambda: -1_001_000_000_000 - next(_ids)
