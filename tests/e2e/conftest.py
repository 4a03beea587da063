"""One real bot process (`python -m bot run`, polling) against the Bot API emulator, per session;
and, for the tests that kill, starve or flood a bot, a bot process (and emulator) of their own.

The emulator stores a reply before the bot has parsed the answer to its own request, so a handler
can crash right after "succeeding". Every test therefore also fails when the session's bot logs an
error. A test's own bot is not checked here: such tests provoke errors and read its log themselves.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.client import (
    E2E,
    ROOT,
    TOKEN,
    StartupError,
    bot_stack,
    emulator_missing,
)

BAD_LINE = re.compile(r"\b(ERROR|CRITICAL)\b|Traceback")


@pytest.fixture(scope="session")
def e2e(tmp_path_factory: pytest.TempPathFactory) -> Iterator[E2E]:
    missing = emulator_missing()
    if missing:
        pytest.fail(missing, pytrace=False)
    tmp = tmp_path_factory.mktemp("e2e")
    knowledge, data_dir = tmp / "knowledge", tmp / "data"
    shutil.copytree(ROOT / "knowledge", knowledge)
    try:
        with bot_stack(tmp, knowledge, data_dir) as session:
            yield session
    except StartupError as exc:
        pytest.fail(str(exc), pytrace=False)
    bot_log = tmp / "bot.log"
    text = bot_log.read_text(errors="replace")
    bad = [line for line in text.splitlines() if BAD_LINE.search(line)]
    assert not bad, f"the bot logged errors ({bot_log}):\n" + "\n".join(bad[:20])
    assert TOKEN.partition(":")[2] not in text, f"the bot logged its token ({bot_log})"
    code = session.process.returncode
    assert code == 0, f"the bot did not stop cleanly on SIGTERM (exit {code}); {bot_log}"


@pytest.fixture(autouse=True)
def no_bot_errors(e2e: E2E) -> Iterator[None]:
    """Blame a bot-side error on the test that caused it, not only on the session's end."""
    start = len(e2e.log_text())
    yield
    assert e2e.process.poll() is None, f"the bot died during this test; see {e2e.log}"
    bad = [line for line in e2e.log_text()[start:].splitlines() if BAD_LINE.search(line)]
    assert not bad, "the bot logged errors during this test:\n" + "\n".join(bad[:20])


@pytest.fixture
def own_bot(tmp_path: Path) -> Iterator[Callable[..., E2E]]:
    """Start a bot process with an emulator of its own:
    `own_bot(data_dir=…, knowledge=…, uncapped=…, **env)`.

    Both are stopped after the test (SIGTERM, then SIGKILL after 10 s). The knowledge base is the
    repository's, read only, unless `knowledge` names a copy; DATA_DIR defaults to a fresh
    folder. Nothing checks this bot's log.
    """
    with contextlib.ExitStack() as stack:
        count = itertools.count(1)

        def start(
            data_dir: Path | None = None, knowledge: Path | None = None, **options: Any
        ) -> E2E:
            home = tmp_path / f"bot{next(count)}"
            data = data_dir if data_dir is not None else home / "data"
            folder = knowledge if knowledge is not None else ROOT / "knowledge"
            try:
                return stack.enter_context(bot_stack(home, folder, data, **options))
            except StartupError as exc:
                pytest.fail(str(exc), pytrace=False)

        yield start


_ids = itertools.count(1)


@pytest.fixture
def new_user() -> Callable[[], int]:
    """Fresh user ids; a user's private chat has the same id, so every test has its own chats."""
    return lambda: 700_000 + next(_ids)


@pytest.fixture
def new_group() -> Callable[[], int]:
    """Fresh supergroup chat ids."""
    return lambda: -1_001_000_000_000 - next(_ids)
