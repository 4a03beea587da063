"""Inline-keyboard buttons and deep links: the data formats, related answers, 👍 / 👎 (and what
the user wanted instead), forged and stale data."""

from __future__ import annotations

import sqlite3

import pytest

from bot.engine import Engine, Target
from bot.knowledge import LANGS
from bot.messages import t
from bot.telegram.views import (
    DATA_LIMIT,
    ButtonData,
    decode,
    deep_link,
    encode,
    from_payload,
    to_payload,
)
from tests.telegram.expected import private_answer, target, ui
from tests.telegram.fakes import BOT_USERNAME, Harness, button_data, rows

KEYS = [
    "tethering~ahamo",
    "@mineo",
    "tethering",
    "gifting-overview~softbank+docomo",
    "tethering~!au+docomo",
    "gifting-overview~*mineo+uq-mobile",  # giving between two carriers
    "gifting-overview~*au",  # from au to someone not on it
    "sim-transfer-law",
    "mineo-packet-gift-howto~mineo",
    "@ocn-mobile-one",
]


@pytest.mark.parametrize("action", ["a", "r", "m", "u", "d", "w"])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("key", KEYS)
def test_target_buttons_round_trip(action: str, lang: str, key: str) -> None:
    data = encode(action, lang, key)
    assert data is not None and len(data.encode()) <= DATA_LIMIT
    assert decode(data) == ButtonData(action, lang, key)


def test_language_and_none_buttons_round_trip() -> None:
    assert [decode(encode("l", lang)) for lang in LANGS] == [ButtonData("l", x) for x in LANGS]
    assert decode(encode("n", "ja")) == ButtonData("n", "ja")


def test_data_that_would_not_fit_is_left_out() -> None:
    assert encode("a", "zh-Hant", "x" * 60) is not None
    assert encode("a", "zh-Hant", "x" * 61) is None


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "a",
        "a:s",  # a target action without a target
        "l:e:mineo",  # a language action with one
        "n:s:mineo",
        "x:s:mineo",
        "a:q:mineo",
        "a:s:Mineo",
        "a:s:mineo:extra",
        "a:s:../../etc",
        "a:s:@",
        "a:s:tethering~",
        "a:s:tethering~ahamo~au",
        "a:s:" + "m" * 70,
        "a:s:mineo\n",
        b"a:s:mineo",
    ],
)
def test_forged_data_does_not_decode(data: object) -> None:
    assert decode(data) is None


@pytest.mark.parametrize("key", KEYS)
def test_deep_link_payloads_round_trip(engine: Engine, key: str) -> None:
    found = target(engine, key)
    payload = to_payload(found)
    assert from_payload(payload, engine.snapshot.kb) == found
    assert deep_link(BOT_USERNAME, payload) == f"https://t.me/{BOT_USERNAME}?start={payload}"


def test_deep_links_only_with_a_payload_telegram_accepts() -> None:
    assert deep_link(None, "c_mineo") is None
    assert deep_link(BOT_USERNAME, "x" * 65) is None
    assert deep_link(BOT_USERNAME, "t_tethering~ahamo") is None


@pytest.mark.parametrize("payload", ["", "t", "t_", "c_nosuch", "t_nosuch_ahamo", "q_tethering"])
def test_unknown_payloads_open_nothing(engine: Engine, payload: str) -> None:
    assert from_payload(payload, engine.snapshot.kb) is None


async def _answer(tg: Harness, question: str = "ahamo开热点要钱吗") -> dict:
    await tg.send(question)
    message = tg.api.sent()[-1]
    tg.api.clear()
    return message


def _feedback(settings) -> list[tuple]:
    with sqlite3.connect(settings.database) as conn:
        return conn.execute(
            "SELECT entry_id, vote, kb_version, target, text, wanted FROM feedback ORDER BY id"
        ).fetchall()


async def test_a_related_button_sends_that_answer_as_a_new_message(
    tg: Harness, engine: Engine
) -> None:
    message = await _answer(tg)
    related = next(d for d in button_data(message) if d.startswith("r:"))
    key = related.split(":")[2]
    await tg.press(related, message)
    (sent,) = tg.api.of("sendMessage")
    assert sent["text"] == private_answer(engine, key)
    assert not tg.api.of("editMessageText")
    assert len(tg.api.of("answerCallbackQuery")) == 1


async def test_a_related_answer_becomes_what_the_conversation_is_about(
    tg: Harness, engine: Engine
) -> None:
    message = await _answer(tg)  # ahamo tethering: related is ahamo's gifting
    assert "r:s:gifting-overview~ahamo" in button_data(message)
    await tg.press("r:s:gifting-overview~ahamo", message)
    await tg.send("那au呢")
    assert tg.api.texts()[-1] == private_answer(engine, "gifting-overview~au")


async def test_thumbs_up_is_recorded_and_the_feedback_buttons_go(
    tg: Harness, engine: Engine, settings
) -> None:
    message = await _answer(tg)
    await tg.press("u:s:tethering~ahamo", message)
    (ack,) = tg.api.of("answerCallbackQuery")
    assert ack["text"] == t("zh-Hans", "thanks_feedback")
    (edit,) = tg.api.of("editMessageReplyMarkup")
    kept = [b["callback_data"] for row in edit["reply_markup"]["inline_keyboard"] for b in row]
    assert kept == [d for d in button_data(message) if d[0] not in "ud"]
    assert not tg.api.of("sendMessage")
    assert _feedback(settings) == [
        ("tethering", 1, engine.snapshot.version, "tethering~ahamo", None, None)
    ]


async def test_thumbs_down_asks_with_one_tap_what_would_have_been_right(
    tg: Harness, engine: Engine, settings
) -> None:
    message = await _answer(tg)
    await tg.press("d:s:tethering~ahamo", message)
    (which,) = tg.api.sent()
    assert which["text"] == ui("zh-Hans", "feedback_which")
    data = button_data(which)
    assert 2 <= len(data) <= 4
    assert all(d.startswith("w:s:") for d in data[:-1]) and data[-1] == "n:s"
    assert "w:s:tethering~ahamo" not in data  # not the answer that got the 👎
    assert rows(which)[-1] == [t("zh-Hans", "none_of_these")]
    (edit,) = tg.api.of("editMessageReplyMarkup")  # no second vote on the answer
    assert "u:s:" not in str(edit["reply_markup"]) and "d:s:" not in str(edit["reply_markup"])
    assert _feedback(settings) == [
        ("tethering", -1, engine.snapshot.version, "tethering~ahamo", "ahamo开热点要钱吗", None)
    ]

    tg.api.clear()
    wanted = data[0].split(":")[2]
    await tg.press(data[0], which)
    (shown,) = tg.api.of("editMessageText")  # the question becomes the wanted answer
    assert shown["message_id"] == which["message_id"]
    assert shown["text"] == private_answer(engine, wanted)
    (row,) = _feedback(settings)
    assert row[-1] == wanted


async def test_thumbs_down_then_none_of_these_logs_the_question(tg: Harness, settings) -> None:
    message = await _answer(tg)
    await tg.press("d:s:tethering~ahamo", message)
    which = tg.api.sent()[-1]
    tg.api.clear()
    await tg.press("n:s", which)
    (edit,) = tg.api.of("editMessageText")
    assert edit["text"] == ui("zh-Hans", "dismissed")
    decisions = {(r.decision, r.text) for r in await tg.store.unanswered()}
    assert ("thumbs-down", "ahamo开热点要钱吗") in decisions
    assert ("none", "ahamo开热点要钱吗") in decisions
    assert _feedback(settings)[0][-1] is None


async def test_thumbs_down_without_a_question_is_just_noted(tg: Harness, settings) -> None:
    await tg.send("/start t_tethering_ahamo")  # nobody asked anything: no alternatives
    message = tg.api.sent()[-1]
    tg.api.clear()
    await tg.press("d:s:tethering~ahamo", message)
    assert tg.api.texts() == [ui("zh-Hans", "feedback_noted")]
    assert [r[:2] for r in _feedback(settings)] == [("tethering", -1)]


@pytest.mark.parametrize(
    "data", ["garbage", "a:s:no-such-entry", "u:s:no-such-entry", "a:s", "w:s:@nosuch"]
)
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
    await tg.press("a:s:@mineo", inaccessible)
    (ack,) = tg.api.of("answerCallbackQuery")
    assert ack["text"] == t("zh-Hans", "stale_button")
    assert [c.method for c in tg.api.calls] == ["answerCallbackQuery"]


async def test_when_the_message_cannot_be_edited_the_answer_is_sent_anew(
    tg: Harness, engine: Engine
) -> None:
    await tg.send("/policy")
    message = tg.api.sent()[-1]
    tg.api.fail("editMessageText", 400, "Bad Request: message can't be edited")
    await tg.press("a:s:@mineo", message)
    assert tg.api.texts()[-1] == private_answer(engine, "@mineo")
    assert not tg.errors


async def test_a_target_that_no_longer_exists_is_stale(tg: Harness, engine: Engine) -> None:
    assert Target.from_key("tethering~nosuch", engine.snapshot.kb) is None
    message = await _answer(tg)
    await tg.press("r:s:tethering~nosuch", message)
    (ack,) = tg.api.of("answerCallbackQuery")
    assert ack["text"] == t("zh-Hans", "stale_button")
