"""Inline-keyboard buttons: the callback-data format, related entries, feedback, forged data."""

from __future__ import annotations

import sqlite3

import pytest

from bot.engine import Engine
from bot.knowledge import LANGS
from bot.messages import t
from bot.render import answer_text
from bot.telegram.callbacks import DATA_LIMIT, ButtonData, decode, encode
from tests.telegram.fakes import Harness, button_data


@pytest.mark.parametrize("action", ["a", "r", "u", "d"])
@pytest.mark.parametrize("lang", LANGS)
def test_entry_buttons_round_trip(action: str, lang: str) -> None:
    data = encode(action, lang, "ocn-mobile-one")
    assert data is not None and len(data.encode()) <= DATA_LIMIT
    assert decode(data) == ButtonData(action, lang, "ocn-mobile-one")


def test_language_buttons_round_trip() -> None:
    assert [decode(encode("l", lang)) for lang in LANGS] == [ButtonData("l", x) for x in LANGS]


def test_the_longest_entry_id_still_fits_or_is_left_out() -> None:
    assert encode("a", "zh-Hant", "x" * 60) is not None
    assert encode("a", "zh-Hant", "x" * 61) is None


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "a",
        "a:s",  # an entry action without an entry
        "l:e:mineo",  # a language action with one
        "x:s:mineo",
        "a:q:mineo",
        "a:s:Mineo",
        "a:s:mineo:extra",
        "a:s:../../etc",
        "a:s:" + "m" * 70,
        "a:s:mineo\n",
    ],
)
def test_forged_data_does_not_decode(data: str | None) -> None:
    assert decode(data) is None


async def _answer(tg: Harness, question: str = "mineo 能送流量吗") -> dict:
    await tg.send(question)
    message = tg.api.sent()[-1]
    tg.api.clear()
    return message


async def test_a_related_button_sends_that_entry_as_a_new_message(
    tg: Harness, engine: Engine
) -> None:
    message = await _answer(tg)
    related = next(d for d in button_data(message) if d.startswith("r:"))
    await tg.press(related, message)
    (sent,) = tg.api.of("sendMessage")
    assert sent["text"] == answer_text(engine.snapshot.entry(related.split(":")[2]), "zh-Hans")
    assert not tg.api.of("editMessageText")


async def test_thumbs_up_is_recorded_and_the_feedback_buttons_go(
    tg: Harness, engine: Engine, settings
) -> None:
    message = await _answer(tg)
    await tg.press("u:s:mineo", message)
    (ack,) = tg.api.of("answerCallbackQuery")
    assert ack["text"] == t("zh-Hans", "thanks_feedback")
    (edit,) = tg.api.of("editMessageReplyMarkup")
    kept = [b["callback_data"] for row in edit["reply_markup"]["inline_keyboard"] for b in row]
    assert kept == [d for d in button_data(message) if d[0] not in "ud"]

    await tg.press("d:s:mineo", message)
    with sqlite3.connect(settings.database) as conn:
        rows = conn.execute(
            "SELECT entry_id, vote, kb_version FROM feedback ORDER BY id"
        ).fetchall()
    assert rows == [("mineo", 1, engine.snapshot.version), ("mineo", -1, engine.snapshot.version)]


@pytest.mark.parametrize("data", ["garbage", "a:s:no-such-entry", "u:s:no-such-entry", "a:s"])
async def test_forged_or_stale_buttons_get_a_polite_answer_and_nothing_else(
    tg: Harness, data: str
) -> None:
    message = await _answer(tg)
    await tg.press(data, message, language_code="en")
    (ack,) = tg.api.of("answerCallbackQuery")
    decoded = decode(data)
    assert ack["text"] == t(decoded.lang if decoded else "en", "stale_button")
    assert [c.method for c in tg.api.calls] == ["answerCallbackQuery"]


async def test_a_button_on_a_message_too_old_to_see_is_stale(tg: Harness) -> None:
    message = await _answer(tg)
    inaccessible = {"message_id": message["message_id"], "chat": message["chat"], "date": 0}
    await tg.press("a:s:mineo", inaccessible)
    (ack,) = tg.api.of("answerCallbackQuery")
    assert ack["text"] == t("zh-Hans", "stale_button")
    assert [c.method for c in tg.api.calls] == ["answerCallbackQuery"]


async def test_when_the_message_cannot_be_edited_the_answer_is_sent_anew(
    tg: Harness, engine: Engine
) -> None:
    await tg.send("/policy")
    message = tg.api.sent()[-1]
    tg.api.fail("editMessageText", 400, "Bad Request: message can't be edited")
    await tg.press("a:s:mineo", message)
    assert tg.api.texts()[-1] == answer_text(engine.snapshot.entry("mineo"), "zh-Hans")
