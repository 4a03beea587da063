"""Telegram errors never stop the bot, and the error log names the update, never its content."""

from __future__ import annotations

import logging

import httpx
import pytest

from bot.engine import Engine
from bot.messages import t
from tests.telegram.expected import group_line, private_answer
from tests.telegram.fakes import GROUP_ID, USER_ID, Harness

QUESTION = "乐天能送流量吗"
ANSWER = "gifting-overview~rakuten"


@pytest.fixture
def tg_errors(tg: Harness) -> Harness:
    tg.raise_errors = False
    return tg


async def _still_serving(tg: Harness, engine: Engine) -> None:
    tg.api.clear()
    await tg.send(QUESTION, chat_id=USER_ID + 1, user_id=USER_ID + 1)
    assert tg.api.texts() == [private_answer(engine, ANSWER)]


async def test_a_user_who_blocked_the_bot(
    tg_errors: Harness, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    tg_errors.api.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    with caplog.at_level(logging.INFO, logger="bot"):
        await tg_errors.send(QUESTION)
    (record,) = [r for r in caplog.records if r.name == "bot.telegram.app"]
    assert record.levelno == logging.INFO
    assert f"chat {USER_ID}" in record.getMessage()
    await _still_serving(tg_errors, engine)


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # PTB's limiter
async def test_flood_control_is_retried_once_then_logged(
    tg_errors: Harness, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    for _ in range(2):  # the rate limiter waits and retries once; the second refusal stands
        tg_errors.api.fail(
            "sendMessage", 429, "Too Many Requests: retry after 1", {"retry_after": 1}
        )
    with caplog.at_level(logging.INFO, logger="bot"):
        await tg_errors.send("/policy mineo", chat_id=GROUP_ID)
    assert len(tg_errors.api.of("sendMessage")) == 2
    (record,) = [r for r in caplog.records if r.name == "bot.telegram.app"]
    assert record.levelno == logging.WARNING
    assert "flood" in record.getMessage().lower()
    await _still_serving(tg_errors, engine)


async def test_a_deleted_message_is_answered_without_the_reply(tg: Harness, engine: Engine) -> None:
    tg.api.fail("sendMessage", 400, "Bad Request: message to be replied not found")
    await tg.send("/policy@SimbotTestBot mineo", chat_id=GROUP_ID)
    first, second = tg.api.of("sendMessage")
    assert "reply_parameters" in first
    assert "reply_parameters" not in second
    assert second["chat_id"] == GROUP_ID
    assert second["text"] == group_line(engine, "@mineo")
    assert not tg.errors


async def test_a_group_that_became_a_supergroup(tg: Harness) -> None:
    new_id = GROUP_ID - 99
    tg.api.fail(
        "sendMessage",
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        {"migrate_to_chat_id": new_id},
    )
    await tg.send("/policy mineo", chat_id=GROUP_ID)
    assert [p["chat_id"] for p in tg.api.of("sendMessage")] == [GROUP_ID, new_id]
    assert not tg.errors


async def test_a_migration_message_moves_the_chat_data(tg: Harness) -> None:
    tg.app.chat_data[GROUP_ID]["clarify"] = (("mineo",), "en")
    message = tg.message("", chat_id=GROUP_ID)
    del message["text"]
    await tg.process({"message": {**message, "migrate_to_chat_id": GROUP_ID - 99}})
    assert tg.app.chat_data[GROUP_ID - 99]["clarify"] == (("mineo",), "en")


async def test_network_trouble(
    tg_errors: Harness, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    tg_errors.api.crash("sendMessage", httpx.ConnectTimeout("timed out"))
    with caplog.at_level(logging.INFO, logger="bot"):
        await tg_errors.send(QUESTION)
    (record,) = [r for r in caplog.records if r.name == "bot.telegram.app"]
    assert record.levelno == logging.WARNING
    await _still_serving(tg_errors, engine)


async def test_an_unexpected_error_logs_kind_and_chat_but_not_the_text(
    tg_errors: Harness, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    tg_errors.api.fail("sendMessage", 400, "Bad Request: can't parse entities")
    question = f"secret question about {QUESTION}"
    with caplog.at_level(logging.DEBUG):
        await tg_errors.send(question, chat_id=GROUP_ID, user_id=USER_ID)
        await tg_errors.send(f"@SimbotTestBot {question}", chat_id=GROUP_ID - 1)
    (record,) = [r for r in caplog.records if r.name == "bot.telegram.app"]
    assert record.levelno == logging.ERROR
    assert f"message in chat {GROUP_ID - 1}" in record.getMessage()
    assert "secret question" not in caplog.text
    await _still_serving(tg_errors, engine)


async def test_a_bug_in_the_engine_gets_an_apology_and_a_fresh_conversation(
    tg_errors: Harness, engine: Engine, caplog: pytest.LogCaptureFixture, monkeypatch
) -> None:
    """A question that hits a bug is not met with silence: one line in the user's language says
    so, the conversation it continued is dropped, and the next question is answered as usual."""
    await tg_errors.send("ahamo开热点要钱吗")
    real_ask = Engine.ask

    def broken(self: Engine, *args: object, **kwargs: object) -> None:
        raise IndexError("tuple index out of range")

    monkeypatch.setattr(Engine, "ask", broken)
    tg_errors.api.clear()
    with caplog.at_level(logging.INFO, logger="bot"):
        await tg_errors.send("那要申请吗")
    (record,) = [r for r in caplog.records if r.name == "bot.telegram.app"]
    assert record.levelno == logging.ERROR
    assert tg_errors.api.texts() == [t("zh-Hans", "failed")]
    monkeypatch.setattr(Engine, "ask", real_ask)
    tg_errors.api.clear()
    await tg_errors.send("那要申请吗")  # read on its own now: no ahamo to continue
    assert "ahamo" not in tg_errors.api.texts()[0]
    await tg_errors.send("ahamo开热点要钱吗")
    tg_errors.api.clear()
    await tg_errors.send("那要申请吗")
    assert "ahamo" in tg_errors.api.texts()[0]
    await _still_serving(tg_errors, engine)
