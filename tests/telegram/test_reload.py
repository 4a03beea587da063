"""/reload and SIGHUP: validate off to the side, swap on success, report the diff or the errors."""

from __future__ import annotations

import asyncio
import os
import re
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.render import TELEGRAM_LIMIT, answer_text
from bot.telegram import operators, services
from bot.telegram.app import _post_init, _post_shutdown
from tests.knowledge_factory import entry_yaml, kb_file
from tests.telegram.fakes import OPERATOR_ID, Harness


@pytest.fixture
def engine(knowledge_copy: Path) -> Engine:
    """Each test reloads, so each gets its own engine on its own copy of the knowledge base."""
    return Engine(knowledge_copy, default_lang="zh-Hans")


def _break(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


async def test_reload_reports_added_removed_and_changed_entries(
    tg: Harness, engine: Engine
) -> None:
    root = engine.root
    first = engine.snapshot.version
    (root / "topics" / "zz-test.yaml").write_text(
        kb_file(entry_yaml("zqxtest"), entry_yaml("zqytest")), encoding="utf-8"
    )
    mineo = root / "carriers" / "mineo.yaml"
    mineo.write_text(re.sub(r"verified: \S+", "verified: 2026-01-02", mineo.read_text()))
    await tg.send("/reload", user_id=OPERATOR_ID)
    second = engine.snapshot.version
    assert second != first
    (text,) = tg.api.texts()
    assert f"<code>{first}</code> → <code>{second}</code>" in text
    assert "Added (2): zqxtest, zqytest" in text
    assert "Changed (1): mineo" in text
    assert "Removed" not in text

    tg.api.clear()
    (root / "topics" / "zz-test.yaml").write_text(kb_file(entry_yaml("zqxtest")), encoding="utf-8")
    await tg.send("/reload", user_id=OPERATOR_ID)
    (text,) = tg.api.texts()
    assert "Removed (1): zqytest" in text and "Added" not in text

    tg.api.clear()
    await tg.send("/reload", user_id=OPERATOR_ID)
    assert "no changes" in tg.api.texts()[0]


async def test_a_failed_reload_keeps_the_old_knowledge_and_lists_the_errors(
    tg: Harness, engine: Engine
) -> None:
    old = engine.snapshot
    _break(engine.root / "carriers" / "mineo.yaml", "    kind: carrier", "    <b>kind</b>: carrier")
    await tg.send("/reload", user_id=OPERATOR_ID)
    (text,) = tg.api.texts()
    assert text.startswith("❌ Reload failed")
    assert f"<code>{old.version}</code>" in text
    assert "carriers/mineo.yaml:" in text
    assert "&lt;b&gt;kind&lt;/b&gt;" in text and "<b>kind" not in text
    assert engine.snapshot is old

    tg.api.clear()  # still serving
    await tg.send("mineo 能送流量吗")
    assert tg.api.texts() == [answer_text(old.entry("mineo"), "zh-Hans")]


async def test_a_reload_with_many_errors_is_cut_to_one_message(tg: Harness, engine: Engine) -> None:
    for n in range(300):
        (engine.root / f"broken-{n:03}.yaml").write_text("entries: [oops\n", encoding="utf-8")
    await tg.send("/reload", user_id=OPERATOR_ID)
    (text,) = tg.api.texts()
    assert len(text) <= TELEGRAM_LIMIT
    assert text.rstrip().endswith("more")


async def test_sighup_reloads_without_a_command(tg: Harness, engine: Engine) -> None:
    first = engine.snapshot.version
    await _post_init(tg.app)
    try:
        (engine.root / "topics" / "zz-test.yaml").write_text(
            kb_file(entry_yaml("zqxtest")), encoding="utf-8"
        )
        os.kill(os.getpid(), signal.SIGHUP)
        for _ in range(500):  # the handler runs on a later loop iteration
            if engine.snapshot.version != first:
                break
            await asyncio.sleep(0.01)
            await operators.pending_reloads()
        assert engine.snapshot.entry("zqxtest") is not None
    finally:
        await _post_shutdown(tg.app)


async def test_watch_reloads_when_a_knowledge_file_changes(tg: Harness, engine: Engine) -> None:
    services(tg.app).watch = True
    await _post_init(tg.app)
    try:
        new_file = engine.root / "topics" / "zz-test.yaml"
        for attempt in range(100):  # the watcher starts in the background: write until seen
            new_file.write_text(kb_file(entry_yaml("zqxtest")) + f"# {attempt}\n")
            try:
                await asyncio.wait_for(_until(lambda: engine.snapshot.entry("zqxtest")), 0.5)
                break
            except TimeoutError:
                continue
        assert engine.snapshot.entry("zqxtest") is not None
    finally:
        await _post_shutdown(tg.app)
    assert "watch" not in tg.app.bot_data


async def _until(condition: Callable[[], object]) -> None:
    while not condition():
        await asyncio.sleep(0.02)
