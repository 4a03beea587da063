"""User journeys through the real bot process, as Telegram would deliver them (issue 3).

Expected texts come from the knowledge base itself, so the tests follow its content. The reload
journeys edit the bot's copy of it; they run last and put it back.
"""

from __future__ import annotations

import html
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.engine import Engine
from bot.knowledge import Entry, load_knowledge
from bot.messages import t
from bot.render import pick
from tests.e2e.client import E2E, user

QUESTION = "mineo能把流量送给朋友吗"
LANG = "zh-Hans"  # every emulated user's Telegram client is set to Simplified Chinese


@pytest.fixture(scope="module")
def engine(e2e: E2E) -> Engine:
    """An engine on the knowledge the bot started with, for the expected replies."""
    return Engine(e2e.knowledge)


@pytest.fixture(scope="module")
def mineo(engine: Engine) -> Entry:
    card = engine.snapshot.entry("mineo")
    assert card is not None
    return card


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def buttons(message: dict) -> list[dict]:
    return [b for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row]


def test_private_question_gets_the_answer(e2e: E2E, mineo: Entry, new_user: Callable[[], int]):
    asker = new_user()
    e2e.client.send(QUESTION, asker, asker)
    [reply] = e2e.client.replies(asker)
    assert esc(pick(mineo.title, LANG)) in reply["text"]
    assert reply["parse_mode"] == "HTML"
    assert "👍" in [b["text"] for b in buttons(reply)]


def test_clarify_then_button_shows_the_answer(
    e2e: E2E, engine: Engine, new_user: Callable[[], int]
):
    question = "流量"  # too vague to answer outright
    expected = engine.ask(question, client_lang=LANG)
    assert expected.decision == "clarify"
    first = engine.snapshot.entry(expected.candidates[0].id)
    asker = new_user()
    e2e.client.send(question, asker, asker)
    [menu] = e2e.client.replies(asker)
    button = buttons(menu)[0]
    assert pick(first.title, LANG) in button["text"]

    e2e.client.press(menu, button["callback_data"], asker)
    edit = e2e.client.wait_call(
        "editMessageText",
        lambda p: p["chat_id"] == asker and p["message_id"] == menu["message_id"],
    )
    assert esc(pick(first.title, LANG)) in edit["text"]
    assert esc(pick(first.answer, LANG).splitlines()[0]) in edit["text"]


def test_policy_command_in_group_shows_the_card_summary(
    e2e: E2E, mineo: Entry, new_user: Callable[[], int], new_group: Callable[[], int]
):
    group, member = new_group(), new_user()
    e2e.client.send(f"/policy@{e2e.bot_username} mineo", group, member)
    [reply] = e2e.client.replies(group)
    assert esc(pick(mineo.summary, LANG)) in reply["text"]


def test_policy_as_reply_answers_the_replied_message(
    e2e: E2E, mineo: Entry, new_user: Callable[[], int], new_group: Callable[[], int]
):
    group, asker, helper = new_group(), new_user(), new_user()
    asked = e2e.client.send(QUESTION, group, asker)  # not addressed to the bot: no reply
    e2e.client.send("/policy", group, helper, reply_to=asked)
    [reply] = e2e.client.replies(group)
    assert reply["reply_parameters"]["message_id"] == asked
    assert esc(pick(mineo.summary, LANG)) in reply["text"]


def test_group_chatter_is_ignored(
    e2e: E2E, new_user: Callable[[], int], new_group: Callable[[], int]
):
    group, member = new_group(), new_user()
    e2e.client.send("今晚谁去吃拉面？", group, member)
    e2e.client.send(QUESTION, group, member)  # a question, but meant for the group
    # Updates are dispatched in arrival order and ignoring one takes no I/O, so by the time the
    # bot answers this command it has dealt with the two messages above.
    barrier = e2e.client.send(f"/policy@{e2e.bot_username} mineo", group, member)
    e2e.client.replies(group)
    sent = [c for c in e2e.client.calls("sendMessage") if c["chat_id"] == group]
    assert [c["reply_parameters"]["message_id"] for c in sent] == [barrier]


def test_reload_is_refused_for_non_operators(e2e: E2E, new_user: Callable[[], int]):
    stranger = new_user()
    e2e.client.send("/reload", stranger, stranger)
    [reply] = e2e.client.replies(stranger)
    assert reply["text"] == esc(t(LANG, "not_operator"))


def feedback_rows(database: Path) -> list[tuple]:
    if not database.exists():
        return []
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT entry_id, vote, kb_version FROM feedback").fetchall()


def test_thumbs_up_is_stored(e2e: E2E, engine: Engine, new_user: Callable[[], int]):
    database = Settings(data_dir=e2e.data_dir).database
    before = feedback_rows(database)
    asker = new_user()
    e2e.client.send(QUESTION, asker, asker)
    [answer] = e2e.client.replies(asker)
    [thumbs_up] = [b for b in buttons(answer) if b["text"] == "👍"]
    e2e.client.press(answer, thumbs_up["callback_data"], asker)
    e2e.client.wait_call(
        "answerCallbackQuery", lambda p: p.get("text") == t(LANG, "thanks_feedback")
    )

    expected = ("mineo", 1, engine.snapshot.version)
    end = time.monotonic() + 5
    while expected not in feedback_rows(database)[len(before) :]:
        assert time.monotonic() < end, f"no {expected} in {feedback_rows(database)}"
        time.sleep(0.01)


def test_inline_query_lists_matching_articles(
    e2e: E2E, engine: Engine, mineo: Entry, new_user: Callable[[], int]
):
    query, asker = "mineo 送流量", new_user()
    expected = [hit.id for hit in engine.search(query, limit=10)]
    assert expected[0] == "mineo"
    query_id = f"e2e-{asker}"
    e2e.client.raw_update(
        {
            "inline_query": {
                "id": query_id,
                "from": user(asker),
                "query": query,
                "offset": "",
                "chat_type": "sender",
            }
        }
    )
    answer = e2e.client.wait_call("answerInlineQuery", lambda p: p["inline_query_id"] == query_id)
    results = answer["results"]
    assert [r["id"] for r in results] == expected
    assert {r["type"] for r in results} == {"article"}
    assert results[0]["title"] == pick(mineo.title, LANG)
    assert esc(pick(mineo.title, LANG)) in results[0]["input_message_content"]["message_text"]


@pytest.fixture
def mineo_file(e2e: E2E) -> Iterator[Path]:
    """mineo.yaml in the bot's knowledge copy; its text is put back after the test."""
    path = e2e.knowledge / "carriers" / "mineo.yaml"
    original = path.read_text(encoding="utf-8")
    yield path
    path.write_text(original, encoding="utf-8")


def ask_privately(e2e: E2E, asker: int, question: str = QUESTION) -> str:
    e2e.client.send(question, asker, asker)
    [reply] = e2e.client.replies(asker)
    return reply["text"]


def reload(e2e: E2E, group: int) -> str:
    """/reload from the operator in a group; the bot's reply."""
    e2e.client.send("/reload", group, e2e.operator_id)
    [reply] = e2e.client.replies(group)
    return reply["text"]


def test_broken_reload_keeps_old_answers_and_names_the_line(
    e2e: E2E,
    engine: Engine,
    mineo: Entry,
    mineo_file: Path,
    new_user: Callable[[], int],
    new_group: Callable[[], int],
):
    lines = mineo_file.read_text(encoding="utf-8").splitlines(keepends=True)
    broken = next(n for n, line in enumerate(lines, 1) if line.strip() == "title:")
    lines[broken - 1] = lines[broken - 1].rstrip("\n") + " : : {\n"  # a YAML syntax error
    mineo_file.write_text("".join(lines), encoding="utf-8")

    text = reload(e2e, new_group())
    assert f"mineo.yaml:{broken}:" in text
    assert engine.snapshot.version in text  # still serving it
    assert esc(pick(mineo.title, LANG)) in ask_privately(e2e, new_user())


def test_reload_reports_the_change_and_serves_it(
    e2e: E2E,
    engine: Engine,
    mineo: Entry,
    mineo_file: Path,
    new_user: Callable[[], int],
    new_group: Callable[[], int],
):
    original = mineo_file.read_text(encoding="utf-8")
    old_line = pick(mineo.answer, LANG).splitlines()[0]
    new_line = "【已更新】" + old_line
    assert original.count(old_line) == 1
    mineo_file.write_text(original.replace(old_line, new_line), encoding="utf-8")
    old, new = engine.snapshot.version, load_knowledge(e2e.knowledge).version
    group = new_group()

    text = reload(e2e, group)
    assert re.search(rf"{old}.*→.*{new}", text), f"no '{old} → {new}' in {text!r}"
    assert re.search(r"\bmineo\b", text)
    assert esc(new_line) in ask_privately(e2e, new_user())

    mineo_file.write_text(original, encoding="utf-8")
    assert re.search(rf"{new}.*→.*{old}", reload(e2e, group))
    assert esc(old_line) in ask_privately(e2e, new_user())


def test_token_never_appears_in_the_log(e2e: E2E):
    """Runs last, so the log covers every journey above (the session end checks it once more)."""
    text = e2e.log_text()
    secret = e2e.token.partition(":")[2]
    assert "getUpdates" in text  # DEBUG level: every Bot API call is in here, minus the token
    assert secret not in text
