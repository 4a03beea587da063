"""Start-up errors of the real process: `python -m bot run` with a Bot API it cannot use ends at once
with one CRITICAL line naming the cause (and never the token), no traceback and a non-zero exit
status, in long-polling and in webhook mode alike (the preflight getMe runs before either).
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.client import E2E, ROOT, _start, bot_env

EXIT_WITHIN = 15.0  # seconds
REJECTED_TOKEN = "654321:E2eRejectedTokenDoNotLog_987654"
CRITICAL = re.compile(r"\bCRITICAL\b")
MODES = {
    "polling": {},
    "webhook": {
        "WEBHOOK_URL": "https://bot.example.com/telegram",
        "WEBHOOK_SECRET": "e2e-webhook-secret",
        "WEBHOOK_LISTEN": "127.0.0.1",
    },
}


@pytest.fixture
def nothing_listens() -> Iterator[str]:
    """A local address where nothing accepts connections: a port bound, but not listening."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_all(tmp_path: Path, url: str, **env: str) -> dict[str, tuple[subprocess.Popen, Path]]:
    """`python -m bot run` in every mode at once (they are independent), against `url`."""
    started = {}
    for mode, extra in MODES.items():
        home = tmp_path / mode
        home.mkdir()
        settings = bot_env(url, ROOT / "knowledge", home / "data", **extra, **env)
        if mode == "webhook":
            settings["WEBHOOK_PORT"] = str(free_port())
        log = home / "bot.log"
        process = _start([sys.executable, "-m", "bot", "run"], log, cwd=home, env=settings)
        started[mode] = (process, log)
    return started


def finished(started: dict[str, tuple[subprocess.Popen, Path]]) -> dict[str, tuple[int, str]]:
    """Each mode's exit status and log, once it has exited (within EXIT_WITHIN seconds)."""
    end = time.monotonic() + EXIT_WITHIN
    out = {}
    for mode, (process, log) in started.items():
        try:
            code = process.wait(max(end - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            pytest.fail(f"{mode}: still running after {EXIT_WITHIN} s; {log}:\n{log.read_text()}")
        out[mode] = (code, log.read_text(encoding="utf-8", errors="replace"))
    return out


def the_critical_line(mode: str, code: int, text: str, secret: str) -> str:
    """The one CRITICAL line of a failed start, after the checks every failed start shares."""
    assert code != 0, f"{mode}: exit status 0 after a failed start:\n{text}"
    assert "Traceback" not in text, f"{mode}: a traceback:\n{text}"
    assert secret not in text, f"{mode}: the token is in the log"
    lines = [line for line in text.splitlines() if CRITICAL.search(line)]
    assert len(lines) == 1, f"{mode}: expected one CRITICAL line:\n{text}"
    assert "Application started" not in text
    return lines[0]


def test_an_unreachable_bot_api_is_one_critical_line_and_a_prompt_exit(
    e2e: E2E, tmp_path: Path, nothing_listens: str
):
    began = time.monotonic()
    results = finished(start_all(tmp_path, nothing_listens))
    for mode, (code, text) in results.items():
        line = the_critical_line(mode, code, text, e2e.token.partition(":")[2])
        assert f"could not start: cannot reach the Bot API at {nothing_listens}" in line, line
    assert time.monotonic() - began < EXIT_WITHIN


def test_a_rejected_token_is_one_critical_line_that_names_it_but_not_its_value(
    e2e: E2E, tmp_path: Path
):
    url = str(e2e.client.http.base_url).rstrip("/")
    since = len(e2e.client.call_log())
    e2e.client.fault(
        "getMe", token=REJECTED_TOKEN, times=len(MODES), status=401, description="Unauthorized"
    )
    results = finished(start_all(tmp_path, url, TELEGRAM_BOT_TOKEN=REJECTED_TOKEN))
    for mode, (code, text) in results.items():
        line = the_critical_line(mode, code, text, REJECTED_TOKEN.partition(":")[2])
        assert "could not start: Telegram rejected TELEGRAM_BOT_TOKEN" in line, line
        assert url in line  # which Bot API refused it
    calls = [c for c in e2e.client.call_log(since) if c["token"] == REJECTED_TOKEN]
    assert [(c["method"], c.get("fault")) for c in calls] == [("getMe", "error")] * len(MODES)
