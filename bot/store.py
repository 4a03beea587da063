"""SQLite store: the decision log behind /stats, unanswered questions, feedback, language choices.

Answering must never wait for the disk or fail because of it. Every statement runs on one worker
thread that owns the connection; writes are queued and forgotten, each commits on its own (there
are no multi-statement writes), and a failing write is logged once per kind of failure (read-only
file system, full disk, locked file) and then dropped. If the database cannot be opened at all the
bot runs without it: language choices are kept in memory, statistics are empty.

Privacy: no names, usernames or phone numbers are stored, and no user id except next to the one
feature that needs it (the remembered reply language). Questions are kept as text only when they
were not answered outright (for /unanswered), with long digit runs such as phone numbers masked.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

# Each step moves the schema from version N to N+1 (PRAGMA user_version). Never edit a step
# that has shipped; append a new one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE questions (
            id INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,          -- unix time
            decision TEXT NOT NULL,       -- answer | clarify | none
            entry_id TEXT,                -- the answered entry, or the best candidate
            score REAL NOT NULL,
            lang TEXT NOT NULL,
            chat_type TEXT NOT NULL,      -- private | group
            via TEXT NOT NULL,            -- text | policy
            text TEXT                     -- only when not answered outright
        )""",
        "CREATE INDEX questions_at ON questions (at)",
        """CREATE TABLE feedback (
            id INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,
            entry_id TEXT NOT NULL,
            vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
            kb_version TEXT NOT NULL
        )""",
        """CREATE TABLE languages (
            user_id INTEGER PRIMARY KEY,
            lang TEXT NOT NULL,
            at INTEGER NOT NULL
        )""",
    ),
    (
        # The carrier × topic model: what an answer was about, beyond its id.
        "ALTER TABLE questions ADD COLUMN carrier TEXT",
        "ALTER TABLE questions ADD COLUMN target TEXT",  # a Target key: tethering~ahamo
        # Feedback that teaches: the question behind a 👎 and what the user wanted instead.
        "ALTER TABLE feedback ADD COLUMN target TEXT",
        "ALTER TABLE feedback ADD COLUMN text TEXT",
        "ALTER TABLE feedback ADD COLUMN wanted TEXT",
        """CREATE TABLE triage (
            text TEXT PRIMARY KEY,        -- a folded question an operator dealt with
            action TEXT NOT NULL,         -- ignore | new-topic | learned
            target TEXT,                  -- learned: the target it was taught to
            by INTEGER,                   -- the operator
            at INTEGER NOT NULL
        )""",
        """CREATE TABLE changes (
            id INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,
            by INTEGER,                   -- the operator, or NULL (SIGHUP, file watcher)
            action TEXT NOT NULL,         -- learn | undo | reload | reload-force
            detail TEXT NOT NULL,
            version_before TEXT NOT NULL,
            version_after TEXT NOT NULL,
            quality TEXT                  -- answered-correct / wrong / false before -> after
        )""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)
TEXT_LIMIT = 500
_NUMBER_RE = re.compile(r"\+?\d[\d\s().-]{6,}\d")


def scrub(text: str) -> str:
    """Mask phone-number-like digit runs and cap the length of a stored question."""
    return _NUMBER_RE.sub("[number]", " ".join(text.split()))[:TEXT_LIMIT]


@dataclass(frozen=True)
class Unanswered:
    """A question the bot did not answer outright, or answered and got a 👎 for."""

    at: int
    decision: str  # none | clarify | thumbs-down
    text: str
    target: str | None = None  # the best candidate, or the answer that got the 👎


@dataclass(frozen=True)
class Change:
    """One knowledge-base change: who, what, and the quality before -> after."""

    at: int
    by: int | None
    action: str
    detail: str
    version_before: str
    version_after: str
    quality: str | None


@dataclass(frozen=True)
class Stats:
    days: list[tuple[str, int, int]]  # (UTC day, questions, answered outright)
    top: list[tuple[str, int]]  # (entry id, times answered)
    feedback: list[tuple[str, int, int]]  # (entry id, 👍, 👎)


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the schema to SCHEMA_VERSION, each step in one transaction; the version found."""
    found = conn.execute("PRAGMA user_version").fetchone()[0]
    if found > SCHEMA_VERSION:
        raise sqlite3.DatabaseError(
            f"database schema version {found} is newer than this program ({SCHEMA_VERSION})"
        )
    for version in range(found, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in MIGRATIONS[version]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return found


class Store:
    """All database access, serialized on one worker thread."""

    def __init__(self, path: Path | None, *, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.clock = clock
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store")
        self._conn: sqlite3.Connection | None = None
        self._languages: dict[int, str] = {}
        self._failures: set[str] = set()
        self._closed = False
        if path is not None:
            self._pool.submit(self._open, path).result()

    # ---------------------------------------------------------------- worker-thread side

    def _open(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=2.0, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            log.error("store: cannot open %s (%s); running without a database", path, exc)
            return
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            found = migrate(conn)
            if found != SCHEMA_VERSION:
                log.info("store: %s migrated from schema %d to %d", path, found, SCHEMA_VERSION)
            self._languages = dict(conn.execute("SELECT user_id, lang FROM languages"))
        except sqlite3.Error as exc:
            log.error("store: cannot use %s (%s); running without a database", path, exc)
            conn.close()
            return
        self._conn = conn

    def _write(self, what: str, sql: str, params: tuple) -> None:
        if self._conn is None:
            return
        try:
            self._conn.execute(sql, params)  # autocommit: one statement, one transaction
        except sqlite3.Error as exc:
            kind = f"{type(exc).__name__}: {exc}"
            if kind not in self._failures:
                self._failures.add(kind)
                log.error(
                    "store: cannot save %s (%s); the bot keeps answering, and this is logged "
                    "once until writes work again",
                    what,
                    kind,
                )
            return
        if self._failures:
            self._failures.clear()
            log.warning("store: writes work again")

    def _read(self, fn: Callable[[sqlite3.Connection], T], empty: T) -> T:
        if self._conn is None:
            return empty
        try:
            return fn(self._conn)
        except sqlite3.Error as exc:
            log.error("store: cannot read (%s: %s)", type(exc).__name__, exc)
            return empty

    # ---------------------------------------------------------------- event-loop side

    def _submit(self, fn: Callable[..., None], *args: object) -> None:
        if self._closed:
            return
        with contextlib.suppress(RuntimeError):  # the pool is shutting down
            self._pool.submit(fn, *args)

    async def _ask(self, fn: Callable[[sqlite3.Connection], T], empty: T) -> T:
        if self._closed:
            return empty
        return await asyncio.wrap_future(self._pool.submit(self._read, fn, empty))

    async def flush(self) -> None:
        """Wait until every write queued so far has been committed (or dropped)."""
        if not self._closed:
            await asyncio.wrap_future(self._pool.submit(lambda: None))

    def close(self) -> None:
        """Commit what is queued and close; later writes are ignored. Safe to call twice."""
        if self._closed:
            return
        self._closed = True

        def _close() -> None:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

        self._pool.submit(_close)
        self._pool.shutdown(wait=True)

    @property
    def available(self) -> bool:
        return self._conn is not None

    def language(self, user_id: int) -> str | None:
        """The reply language this user chose with /lang, if any (answered from memory)."""
        return self._languages.get(user_id)

    def set_language(self, user_id: int, lang: str) -> None:
        self._languages[user_id] = lang
        self._submit(
            self._write,
            "a language choice",
            "INSERT INTO languages (user_id, lang, at) VALUES (?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET lang = excluded.lang, at = excluded.at",
            (user_id, lang, int(self.clock())),
        )

    def record_question(
        self,
        *,
        decision: str,
        entry_id: str | None,
        score: float,
        lang: str,
        chat_type: str,
        via: str,
        text: str,
        carrier: str | None = None,
        target: str | None = None,
    ) -> None:
        """Log one decision; the question's text is kept only when it was not answered (none,
        clarify), for /unanswered."""
        keep = decision in ("none", "clarify")
        self._submit(
            self._write,
            "a question",
            "INSERT INTO questions (at, decision, entry_id, score, lang, chat_type, via, text, "
            "carrier, target) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                int(self.clock()),
                decision,
                entry_id,
                round(min(score, 100.0), 1),
                lang,
                chat_type,
                via,
                scrub(text) if keep and text.strip() else None,
                carrier,
                target,
            ),
        )

    def record_feedback(
        self,
        entry_id: str,
        vote: int,
        kb_version: str,
        *,
        target: str | None = None,
        text: str | None = None,
    ) -> None:
        """A 👍 or 👎; a 👎 keeps the question it answered (when known), for /unanswered."""
        self._submit(
            self._write,
            "feedback",
            "INSERT INTO feedback (at, entry_id, vote, kb_version, target, text) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                int(self.clock()),
                entry_id,
                1 if vote > 0 else -1,
                kb_version,
                target,
                scrub(text) if vote < 0 and text else None,
            ),
        )

    def record_wanted(self, target: str, wanted: str) -> None:
        """After a 👎 on `target`: the user says `wanted` was the right answer."""
        self._submit(
            self._write,
            "a correction",
            "UPDATE feedback SET wanted = ? WHERE id = (SELECT max(id) FROM feedback "
            "WHERE target = ? AND vote < 0)",
            (wanted, target),
        )

    async def unanswered(self, limit: int = 500, since: int = 0) -> list[Unanswered]:
        """Recent questions not answered outright, and answers that got a 👎, newest first;
        leaving out what an operator already dealt with (triage)."""

        def query(conn: sqlite3.Connection) -> list[Unanswered]:
            rows = conn.execute(
                "SELECT at, decision, text, target FROM ("
                "  SELECT id, at, decision, text, target, 0 AS kind FROM questions "
                "  WHERE text IS NOT NULL AND at >= ?"
                "  UNION ALL"
                "  SELECT id, at, 'thumbs-down', text, coalesce(wanted, target), 1 FROM feedback "
                "  WHERE vote < 0 AND text IS NOT NULL AND at >= ?"
                ") ORDER BY at DESC, id DESC LIMIT ?",
                (since, since, limit),
            )
            return [Unanswered(*row) for row in rows]

        return await self._ask(query, [])

    # ---------------------------------------------------------------- operators' work

    def triage(
        self, texts: list[str], action: str, by: int | None, target: str | None = None
    ) -> None:
        """Mark folded question texts as dealt with: ignore, new-topic, learned."""
        now = int(self.clock())
        for text in texts:
            self._submit(
                self._write,
                "a triage",
                "INSERT INTO triage (text, action, target, by, at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (text) DO UPDATE SET action = excluded.action, "
                "target = excluded.target, by = excluded.by, at = excluded.at",
                (text, action, target, by, now),
            )

    def untriage(self, texts: list[str]) -> None:
        for text in texts:
            self._submit(self._write, "a triage", "DELETE FROM triage WHERE text = ?", (text,))

    async def triaged(self) -> dict[str, str]:
        """folded text -> action, for every question an operator dealt with."""

        def query(conn: sqlite3.Connection) -> dict[str, str]:
            return dict(conn.execute("SELECT text, action FROM triage"))

        return await self._ask(query, {})

    def record_change(self, change: Change) -> None:
        self._submit(
            self._write,
            "a knowledge change",
            "INSERT INTO changes (at, by, action, detail, version_before, version_after, quality) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                change.at,
                change.by,
                change.action,
                change.detail,
                change.version_before,
                change.version_after,
                change.quality,
            ),
        )

    async def history(self, limit: int = 10) -> list[Change]:
        def query(conn: sqlite3.Connection) -> list[Change]:
            rows = conn.execute(
                "SELECT at, by, action, detail, version_before, version_after, quality "
                "FROM changes ORDER BY id DESC LIMIT ?",
                (limit,),
            )
            return [Change(*row) for row in rows]

        return await self._ask(query, [])

    async def decisions_per_day(self, days: int = 30) -> list[tuple[str, int, int, int]]:
        """(UTC day, answered, clarified, not answered) for each day with questions."""
        since = int(self.clock()) - days * 86400

        def query(conn: sqlite3.Connection) -> list[tuple[str, int, int, int]]:
            return conn.execute(
                "SELECT date(at, 'unixepoch') AS day, sum(decision = 'answer'), "
                "sum(decision = 'clarify'), sum(decision = 'none') FROM questions "
                "WHERE at >= ? AND decision != 'smalltalk' GROUP BY day ORDER BY day",
                (since,),
            ).fetchall()

        return await self._ask(query, [])

    async def popular(self, limit: int = 5, days: int = 30) -> list[str]:
        """The most answered targets lately (keys), for inline suggestions."""
        since = int(self.clock()) - days * 86400

        def query(conn: sqlite3.Connection) -> list[str]:
            rows = conn.execute(
                "SELECT target, count(*) AS n FROM questions WHERE decision = 'answer' "
                "AND target IS NOT NULL AND at >= ? GROUP BY target ORDER BY n DESC, target "
                "LIMIT ?",
                (since, limit),
            )
            return [row[0] for row in rows]

        return await self._ask(query, [])

    async def stats(self, days: int = 14, top: int = 10) -> Stats:
        since = int(self.clock()) - days * 86400

        def query(conn: sqlite3.Connection) -> Stats:
            per_day = conn.execute(
                "SELECT date(at, 'unixepoch') AS day, count(*), sum(decision = 'answer') "
                "FROM questions WHERE at >= ? AND decision != 'smalltalk' "
                "GROUP BY day ORDER BY day",
                (since,),
            ).fetchall()
            best = conn.execute(
                "SELECT coalesce(target, entry_id), count(*) AS n FROM questions "
                "WHERE decision = 'answer' AND at >= ? GROUP BY coalesce(target, entry_id) "
                "ORDER BY n DESC, 1 LIMIT ?",
                (since, top),
            ).fetchall()
            votes = conn.execute(
                "SELECT coalesce(target, entry_id), sum(vote > 0), sum(vote < 0) FROM feedback "
                "GROUP BY coalesce(target, entry_id) "
                "ORDER BY sum(vote < 0) DESC, count(*) DESC, 1"
            ).fetchall()
            return Stats(per_day, best, votes)

        return await self._ask(query, Stats([], [], []))
