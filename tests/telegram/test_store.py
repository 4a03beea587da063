"""The SQLite store: schema migrations, privacy, and a disk that fails must not stop answers."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.store import SCHEMA_VERSION, Store, scrub
from tests.telegram.expected import private_answer
from tests.telegram.fakes import USER_ID, Harness


def _record(store: Store, decision: str = "none", text: str = "pizza recipe") -> None:
    store.record_question(
        decision=decision,
        entry_id="mineo" if decision == "answer" else None,
        score=80.0,
        lang="en",
        chat_type="private",
        via="text",
        text=text,
    )


async def test_a_new_database_is_migrated_once_and_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "db.sqlite3"
    Store(path).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert {"questions", "feedback", "languages"} <= tables
    store = Store(path)  # opening again migrates nothing and loses nothing
    store.set_language(USER_ID, "ja")
    store.close()
    assert Store(path).language(USER_ID) == "ja"


def test_a_database_from_a_newer_version_is_left_alone(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "db.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    store = Store(path)
    assert not store.available
    assert "newer than this program" in caplog.text
    store.close()


def test_no_user_ids_or_names_outside_the_language_table(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite3")
    store.close()
    with sqlite3.connect(tmp_path / "db.sqlite3") as conn:
        for table in ("questions", "feedback"):
            columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
            assert not columns & {"user_id", "chat_id", "name", "username", "phone"}


async def test_only_unanswered_questions_keep_their_text_scrubbed(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite3")
    _record(store, "answer", "mineo gift")
    _record(store, "none", "call me at +81 90-1234-5678 about povo")
    rows = await store.unanswered()
    store.close()
    assert [row.text for row in rows] == ["call me at [number] about povo"]
    assert scrub("  a\n b  ") == "a b"


async def test_close_commits_every_queued_write(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite3")
    for n in range(200):
        _record(store, text=f"question {n}")
    store.close()
    _record(store)  # after close: ignored, not an error
    with sqlite3.connect(tmp_path / "db.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM questions").fetchone()[0] == 200


def _read_only(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA query_only = ON")


def _full(conn: sqlite3.Connection) -> None:
    """No page may be added any more, and the ones there are filled to the brim."""
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    for size in (400, 40, 1):
        with contextlib.suppress(sqlite3.OperationalError):
            for _ in range(10_000):
                conn.execute(
                    "INSERT INTO questions (at, decision, score, lang, chat_type, via, text) "
                    "VALUES (0, 'none', 0, 'en', 'private', 'text', ?)",
                    ("x" * size,),
                )


@pytest.mark.parametrize(("breakage", "message"), [(_read_only, "readonly"), (_full, "full")])
async def test_a_failing_disk_is_logged_once_and_answers_go_on(
    tg: Harness,
    engine: Engine,
    caplog: pytest.LogCaptureFixture,
    breakage: Callable[[sqlite3.Connection], None],
    message: str,
) -> None:
    tg.store._pool.submit(lambda: breakage(tg.store._conn)).result()
    with caplog.at_level(logging.WARNING, logger="bot.store"):
        for question in ("pizza recipe", "weather tomorrow", "乐天能送流量吗", "流量"):
            await tg.send(question)
        await tg.send("/lang en")
    assert tg.api.texts()[2] == private_answer(engine, "gifting-overview~rakuten")
    assert len(tg.api.texts()) == 5
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert message in errors[0].getMessage()
    assert tg.store.language(USER_ID) == "en"  # still remembered while the bot runs


async def test_an_unusable_data_folder_still_answers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "data").write_text("a file where the folder should be")
    store = Store(tmp_path / "data" / "db.sqlite3")
    assert not store.available
    assert "running without a database" in caplog.text
    _record(store)
    store.set_language(USER_ID, "ja")
    assert store.language(USER_ID) == "ja"
    assert await store.unanswered() == []
    store.close()
