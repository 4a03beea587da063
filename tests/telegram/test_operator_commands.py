"""Operator commands: who may use them, /reload (and SIGHUP) with its diff, /unanswered, /stats."""

from __future__ import annotations

import logging

import pytest

from bot.engine import Engine
from bot.messages import t
from bot.store import Unanswered
from bot.telegram import operators
from tests.telegram.fakes import GROUP_ID, OPERATOR_ID, USER_ID, Harness


async def _must_not_reload() -> None:
    raise AssertionError("a non-operator's command reloaded the knowledge base")


@pytest.mark.parametrize("command", ["/reload", "/unanswered", "/stats"])
async def test_non_operators_are_refused_politely_and_logged(
    tg: Harness,
    engine: Engine,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
) -> None:
    monkeypatch.setattr(engine, "reload_async", _must_not_reload)
    with caplog.at_level(logging.WARNING, logger="bot.telegram.operators"):
        await tg.send(command, language_code="en")
    assert tg.api.texts() == [t("en", "not_operator")]
    (record,) = [r for r in caplog.records if r.name == "bot.telegram.operators"]
    assert str(USER_ID) in record.getMessage()
    assert "Alice" not in record.getMessage()


async def test_a_group_administrator_who_is_not_an_operator_is_refused(
    tg: Harness, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "reload_async", _must_not_reload)
    # Even if anyone asked Telegram, this user administers the group; nobody should ask.
    await tg.send("/reload", chat_id=GROUP_ID, language_code="en")
    await tg.send("/reload@SimbotTestBot", chat_id=GROUP_ID, language_code="en")
    assert tg.api.texts() == [t("en", "not_operator")] * 2
    assert not tg.api.of("getChatMember") and not tg.api.of("getChatAdministrators")


async def test_operators_may_use_their_commands_in_a_group_too(tg: Harness) -> None:
    await tg.send("/stats", chat_id=GROUP_ID, user_id=OPERATOR_ID)
    (text,) = tg.api.texts()
    assert text != t("zh-Hans", "not_operator")


def test_fit_keeps_whole_lines_and_counts_the_rest() -> None:
    lines = [f"line {n} " + "x" * 90 for n in range(100)]
    text = operators.fit("header", lines, limit=1000)
    assert len(text) <= 1000
    kept = text.split("\n")[1:-1]
    assert kept == lines[: len(kept)]
    assert text.endswith(f"… {100 - len(kept)} more")
    assert operators.fit("header", lines[:3], limit=1000) == "\n".join(["header", *lines[:3]])


def _rows(*texts: tuple[str, str]) -> list[Unanswered]:
    return [Unanswered(n, decision, text) for n, (decision, text) in enumerate(texts)]


def test_similar_questions_are_grouped_with_counts() -> None:
    groups = operators.group_similar(
        _rows(
            ("none", "lycamobile 能送流量吗"),
            ("clarify", "流量"),
            ("none", "Lycamobile能送流量吗？"),
            ("none", "lycamobile 能送流量嗎"),
            ("none", "pizza recipe"),
        )
    )
    assert [(len(group), group[0].text) for group in groups] == [
        (3, "lycamobile 能送流量吗"),
        (1, "流量"),
        (1, "pizza recipe"),
    ]


async def test_unanswered_lists_grouped_questions_each_with_buttons(tg: Harness) -> None:
    for question in ("pizza recipe", "Pizza recipe!", "流量", "weather tomorrow"):
        await tg.send(question)
    await tg.send("乐天能送流量吗")  # answered: not listed
    tg.api.clear()
    await tg.send("/unanswered", user_id=OPERATOR_ID)
    header, *groups = tg.api.sent()
    assert "top 3 of 3" in header["text"]
    texts = [m["text"] for m in groups]
    assert texts == ["×2 ∅ Pizza recipe!", "×1 ∅ weather tomorrow", "×1 ? 流量"]  # newest first
    for message in groups:
        data = [
            b["callback_data"] for row in message["reply_markup"]["inline_keyboard"] for b in row
        ]
        assert data[-2:] == [d.replace("X", data[-1].split(":")[2]) for d in ("op:n:X", "op:i:X")]
    assert not any("乐天" in text for text in texts)

    tg.api.clear()
    await tg.send("/unanswered 1", user_id=OPERATOR_ID)
    header, group = tg.api.sent()
    assert group["text"] == "×2 ∅ Pizza recipe!"


async def test_operator_buttons_refuse_everyone_else(tg: Harness) -> None:
    await tg.send("pizza recipe")
    await tg.send("/unanswered", user_id=OPERATOR_ID)
    group = tg.api.sent()[-1]
    ignore = group["reply_markup"]["inline_keyboard"][-1][-1]["callback_data"]
    tg.api.clear()
    await tg.press(ignore, group, user_id=USER_ID, language_code="en")
    (ack,) = tg.api.of("answerCallbackQuery")
    assert ack["text"] == t("en", "not_operator")
    assert not tg.api.of("editMessageText")
    assert await tg.store.triaged() == {}


async def test_stats_counts_questions_answers_and_feedback(tg: Harness) -> None:
    await tg.send("/stats", user_id=OPERATOR_ID)
    assert tg.api.texts() == ["No questions recorded in the last 14 days."]
    for question in ("乐天能送流量吗", "乐天能送流量吗", "ahamo开热点要钱吗", "pizza recipe"):
        await tg.send(question, chat_id=USER_ID + len(question))  # no follow-ups
    answer = next(m for m in tg.api.sent() if "u:s:gifting-overview~rakuten" in str(m))
    await tg.press("u:s:gifting-overview~rakuten", answer)
    await tg.press("d:s:gifting-overview~rakuten", answer)
    tg.api.clear()
    await tg.send("/stats", user_id=OPERATOR_ID)
    (text,) = tg.api.texts()
    assert ": 4, 75% answered" in text
    assert "gifting-overview~rakuten: 2\ntethering~ahamo: 1" in text
    assert "gifting-overview~rakuten: 👍 1 👎 1" in text
