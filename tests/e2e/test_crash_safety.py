"""The SQLite store under a real bot process that is killed, stopped or starved of disk (issue 5).

Each test runs a bot of its own (`own_bot`): it kills it, stops it or breaks its disk, and reads
its log itself. Faults that need root to set up are avoided, since root ignores file permissions
(chmod 555 blocks nothing): the data folder is put inside a regular file instead (ENOTDIR: the
database cannot be opened at all), and a full disk is a file-size limit on the bot process
(RLIMIT_FSIZE: writes past it fail with EFBIG, which SQLite reports as a disk I/O error).
"""

from __future__ import annotations

import re
import resource
import signal
import sqlite3
import threading
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import httpx

from bot.config import Settings
from bot.store import Store
from tests.e2e.client import E2E, QUESTIONS, WAIT, EmuClient, stop

BAD_LINE = re.compile(r"\b(ERROR|CRITICAL)\b|Traceback")
QUESTION = "mineo能把流量送给朋友吗"


def database(bot: E2E) -> Path:
    return Settings(data_dir=bot.data_dir).database


def row_ids(path: Path) -> dict[str, set[int]]:
    """The ids in the questions and feedback tables, read by a connection of the test's own."""
    if not path.exists():
        return {"questions": set(), "feedback": set()}
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)) as conn:
        return {
            table: {row[0] for row in conn.execute(f"SELECT id FROM {table}")}
            for table in ("questions", "feedback")
        }


def integrity(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def bad_lines(bot: E2E) -> list[str]:
    return [line for line in bot.log_text().splitlines() if BAD_LINE.search(line)]


def thumbs_up(bot: E2E, asker: int) -> tuple[dict, str]:
    """An answer in `asker`'s private chat and the callback data of its 👍 button."""
    bot.client.send(QUESTION, asker, asker)
    [answer] = bot.client.replies(asker)
    rows = answer["reply_markup"]["inline_keyboard"]
    [data] = [b["callback_data"] for row in rows for b in row if b["text"] == "👍"]
    return answer, data


def test_sigkill_in_a_burst_of_writes_keeps_every_committed_row(own_bot: Callable[..., E2E]):
    bot = own_bot(LOG_LEVEL="INFO")
    path = database(bot)
    answer, data = thumbs_up(bot, 810_000)
    stop_sending = threading.Event()
    sent = []

    def burst() -> None:
        """👍 presses and unanswered questions from 50 users, until told to stop (or 5,000)."""
        client = EmuClient(str(bot.client.http.base_url), bot.token)
        try:
            for n in range(5_000):
                if stop_sending.is_set():
                    break
                user_id = 810_001 + n % 50
                if n % 2:
                    client.press(answer, data, user_id)
                else:
                    client.send(f"pizza recipe number {n}", user_id, user_id)
                sent.append(n)
        except httpx.HTTPError:  # the emulator went away with the test's end
            pass
        finally:
            client.close()

    sender = threading.Thread(target=burst, daemon=True)
    sender.start()
    try:
        end = time.monotonic() + WAIT
        while sum(map(len, row_ids(path).values())) < 100:  # well inside the burst
            assert time.monotonic() < end, f"the bot stored too little; see {bot.log}"
            time.sleep(0.01)
        committed = row_ids(path)
        bot.process.send_signal(signal.SIGKILL)
        bot.process.wait(WAIT)
    finally:
        stop_sending.set()
        sender.join(WAIT)
    thanked = [
        c
        for c in bot.client.call_log()
        if c["method"] == "answerCallbackQuery" and c["params"].get("text")
    ]

    assert integrity(path) == "ok"
    after = row_ids(path)
    for table, ids in committed.items():
        assert ids <= after[table], f"{table}: rows committed before the kill are gone"
    store = Store(path)  # opens, migrates nothing, and serves
    try:
        assert store.available
    finally:
        store.close()
    print(
        f"\nSIGKILL after {len(sent)} updates sent: {len(committed['questions'])} questions + "
        f"{len(committed['feedback'])} votes committed before the kill, "
        f"{len(after['questions'])} + {len(after['feedback'])} in the database after it; "
        f"{len(thanked)} votes thanked for"
    )


def test_sigterm_stops_polling_commits_pending_writes_and_exits_promptly(
    own_bot: Callable[..., E2E],
):
    bot = own_bot(LOG_LEVEL="INFO")
    users = [820_000 + n for n in range(30)]
    for n in range(300):
        bot.client.send(f"pizza recipe number {n}", users[n % 30], users[n % 30])
    start = time.monotonic()
    bot.process.send_signal(signal.SIGTERM)
    code = bot.process.wait(5)  # a service manager waits a while, then kills
    seconds = time.monotonic() - start

    replies = [
        c
        for c in bot.client.call_log()
        if c["method"] == "sendMessage" and c["params"]["chat_id"] in users
    ]
    stored = row_ids(database(bot))["questions"]
    assert code == 0
    assert replies, "the bot answered nothing before it stopped"
    assert len(stored) >= len(replies)  # every answered question was written before the reply
    assert integrity(database(bot)) == "ok"
    assert "Application.stop() complete" in bot.log_text()
    assert not bad_lines(bot)  # PTB's "Updater stopped unexpectedly" is logged as a warning
    print(
        f"\nSIGTERM after 300 questions sent: exit code {code} after {seconds:.2f} s; "
        f"{len(replies)} answered, {len(stored)} stored"
    )


def _limit_file_size() -> None:
    """In the bot process: no file may grow past 64 KiB, as if the disk were full."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


def _assert_one_error_and_all_answered(bot: E2E, kind: str) -> None:
    asked = [830_000 + n for n in range(20)]
    for n, user_id in enumerate(asked):
        bot.client.send(QUESTIONS[n % len(QUESTIONS)], user_id, user_id)
    for user_id in asked:
        [reply] = bot.client.replies(user_id)
        assert reply["text"]
    stop(bot.process)
    assert bot.process.returncode == 0
    bad = bad_lines(bot)
    assert len(bad) == 1, "expected one error line:\n" + "\n".join(bad)
    assert " ERROR bot.store: " in bad[0] and kind in bad[0], bad[0]


def test_a_data_folder_that_cannot_exist_is_one_error_and_every_question_answered(
    own_bot: Callable[..., E2E], tmp_path: Path
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder's parent should be")
    bot = own_bot(data_dir=blocker / "data", LOG_LEVEL="INFO")
    _assert_one_error_and_all_answered(bot, "cannot open")
    assert "running without a database" in bot.log_text()


def test_a_full_disk_is_one_error_and_every_question_answered(own_bot: Callable[..., E2E]):
    bot = own_bot(preexec_fn=_limit_file_size, LOG_LEVEL="INFO", PYTHONDONTWRITEBYTECODE="1")
    _assert_one_error_and_all_answered(bot, "cannot save")
    assert integrity(database(bot)) == "ok"
