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
    assert [(count, row.text) for count, row in groups] == [
        (3, "lycamobile 能送流量吗"),
        (1, "流量"),
        (1, "pizza recipe"),
    ]


async def test_unanswered_lists_grouped_questions(tg: Harness) -> None:
    for question in ("pizza recipe", "Pizza recipe!", "流量", "weather tomorrow"):
        await tg.send(question)
    await tg.send("mineo 能送流量吗")  # answered: not listed
    tg.api.clear()
    await tg.send("/unanswered", user_id=OPERATOR_ID)
    (text,) = tg.api.texts()
    assert "×2 ∅ Pizza recipe!" in text
    assert "×1 ? 流量" in text
    assert "mineo" not in text

    tg.api.clear()
    await tg.send("/unanswered 1", user_id=OPERATOR_ID)
    (text,) = tg.api.texts()
    assert "Pizza" in text and "weather" not in text


async def test_stats_counts_questions_answers_and_feedback(tg: Harness) -> None:
    await tg.send("/stats", user_id=OPERATOR_ID)
    assert tg.api.texts() == ["No questions recorded in the last 14 days."]
    for question in ("mineo 能送流量吗", "mineo 能送流量吗", "ahamo能送流量吗", "pizza recipe"):
        await tg.send(question)
    answer = next(m for m in tg.api.sent() if "u:s:mineo" in str(m.get("reply_markup")))
    await tg.press("u:s:mineo", answer)
    await tg.press("d:s:mineo", answer)
    tg.api.clear()
    await tg.send("/stats", user_id=OPERATOR_ID)
    (text,) = tg.api.texts()
    assert ": 4, 75% answered" in text
    assert "mineo: 2\nahamo: 1" in text
    assert "mineo: 👍 1 👎 1" in text
