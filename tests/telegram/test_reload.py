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
from bot.messages import t
from bot.render import TELEGRAM_LIMIT
from bot.telegram import operators, services
from bot.telegram.app import _post_init, _post_shutdown
from tests.knowledge_factory import CARRIERS, ENTRY, entry_yaml, kb_files, sample, write_kb
from tests.telegram.expected import private_answer
from tests.telegram.fakes import OPERATOR_ID, Harness, button_data

# A tiny knowledge base (tests/knowledge_factory.py) whose synonyms already hold a domain concept
# for the entries the tests add, so an added entry's samples are answered by it. Made-up entries
# in the real knowledge base are out of its domain and fail the self-test.
LATER = ("zqxtest", "zqytest")


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    """Each test reloads, so each gets its own engine on its own knowledge base."""
    files = kb_files(entries=(ENTRY, *LATER))
    for entry_id in LATER:
        del files[f"entries/{entry_id}.yaml"]
    return Engine(write_kb(tmp_path / "knowledge", files), default_lang="zh-Hans")


def _break(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _add_entries(root: Path, *ids: str) -> None:
    for entry_id in ids:
        (root / "entries" / f"{entry_id}.yaml").write_text(entry_yaml(entry_id), encoding="utf-8")


async def test_reload_reports_added_removed_and_changed_items(tg: Harness, engine: Engine) -> None:
    root = engine.root
    first = engine.snapshot.version
    _add_entries(root, *LATER)
    kappa = root / "carriers" / f"{CARRIERS[0]}.yaml"
    kappa.write_text(re.sub(r"verified: \S+", "verified: 2026-01-02", kappa.read_text()))
    await tg.send("/reload", user_id=OPERATOR_ID)
    second = engine.snapshot.version
    assert second != first
    (text,) = tg.api.texts()
    assert f"<code>{first}</code> → <code>{second}</code>" in text
    assert "Added (2): zqxtest, zqytest" in text
    assert f"Changed (1): {CARRIERS[0]}" in text
    assert "Removed" not in text

    tg.api.clear()
    (root / "entries" / "zqytest.yaml").unlink()
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
    _break(engine.root / "carriers" / f"{CARRIERS[0]}.yaml", "  site: ", "  <b>site</b>: ")
    await tg.send("/reload", user_id=OPERATOR_ID)
    (text,) = tg.api.texts()
    assert text.startswith("❌ Reload failed")
    assert f"<code>{old.version}</code>" in text
    assert f"carriers/{CARRIERS[0]}.yaml:" in text
    assert "&lt;b&gt;site&lt;/b&gt;" in text and "<b>site" not in text
    assert engine.snapshot is old

    tg.api.clear()  # still serving
    await tg.send(sample(ENTRY), language_code="en")
    assert tg.api.texts() == [private_answer(engine, ENTRY, "en")]


async def test_an_answer_on_screen_whose_target_was_removed_is_stale(
    tg: Harness, engine: Engine
) -> None:
    await tg.send(sample(ENTRY), language_code="en")
    message = tg.api.sent()[-1]
    pressed = button_data(message)[-1]
    assert pressed == f"d:e:{ENTRY}"
    (engine.root / "entries" / f"{ENTRY}.yaml").unlink()
    await tg.send("/reload", user_id=OPERATOR_ID)
    assert f"Removed (1): {ENTRY}" in tg.api.texts()[-1]
    tg.api.clear()
    await tg.press(pressed, message, language_code="en")
    (ack,) = tg.api.of("answerCallbackQuery")
    assert ack["text"] == t("en", "stale_button")
    assert [c.method for c in tg.api.calls] == ["answerCallbackQuery"]


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
        _add_entries(engine.root, "zqxtest")
        os.kill(os.getpid(), signal.SIGHUP)
        for _ in range(500):  # the handler runs on a later loop iteration
            if engine.snapshot.version != first:
                break
            await asyncio.sleep(0.01)
            await operators.pending_reloads()
        assert "zqxtest" in engine.snapshot.kb.entries
    finally:
        await _post_shutdown(tg.app)


async def test_watch_reloads_when_a_knowledge_file_changes(tg: Harness, engine: Engine) -> None:
    services(tg.app).watch = True
    await _post_init(tg.app)
    try:
        new_file = engine.root / "entries" / "zqxtest.yaml"
        for attempt in range(100):  # the watcher starts in the background: write until seen
            new_file.write_text(entry_yaml("zqxtest") + f"# {attempt}\n")
            try:
                found = lambda: "zqxtest" in engine.snapshot.kb.entries  # noqa: E731
                await asyncio.wait_for(_until(found), 0.5)
                break
            except TimeoutError:
                continue
        assert "zqxtest" in engine.snapshot.kb.entries
    finally:
        await _post_shutdown(tg.app)
    assert "watch" not in tg.app.bot_data


async def _until(condition: Callable[[], object]) -> None:
    while not condition():
        await asyncio.sleep(0.02)


async def test_never_answer_teaches_a_question_as_out_of_scope(tg: Harness, engine: Engine) -> None:
    wrong = f"{sample('alpha')} plugh xyzzy"
    await tg.send(wrong)
    answer = tg.api.sent()[-1]
    down = next(d for d in button_data(answer) if d.startswith("d:"))
    await tg.press(down, answer)  # 👎: listed for the operators
    tg.api.clear()
    await tg.send("/unanswered", user_id=OPERATOR_ID)
    group = tg.api.sent()[-1]
    never = next(d for d in button_data(group) if d.startswith("op:o:"))
    tg.api.clear()
    await tg.press(never, group, user_id=OPERATOR_ID)
    (edited,) = tg.api.of("editMessageText")
    assert edited["text"].startswith("✅ Learned:"), edited["text"]
    assert "target: &quot;outside&quot;" in edited["text"]
    assert "outside" in (engine.root / "learned.yaml").read_text(encoding="utf-8")
    assert engine.ask(wrong).decision == "none"
