"""Forum topics: every reply stays in the asker's topic (`message_thread_id`), whether it answers
a message, follows a button press or falls back to a plain send."""

from __future__ import annotations

from bot.engine import Engine
from bot.telegram import services
from tests.telegram.expected import group_line, private_answer, ui
from tests.telegram.fakes import BOT_USERNAME, GROUP_ID, USER_ID, Harness, button_data

TOPIC = 42
OTHER_TOPIC = 77
MENTION = f"@{BOT_USERNAME}"


def _threads(tg: Harness, method: str = "sendMessage") -> list[int | None]:
    return [p.get("message_thread_id") for p in tg.api.of(method)]


async def _ask(tg: Harness, text: str, thread: int = TOPIC, **kwargs) -> dict:
    await tg.send(text, chat_id=GROUP_ID, thread=thread, **kwargs)
    return tg.api.sent()[-1]


async def test_an_answer_and_its_details_link_stay_in_the_topic(
    tg: Harness, engine: Engine
) -> None:
    answer = await _ask(tg, f"{MENTION} ahamo开热点要钱吗")
    await _ask(tg, f"{MENTION} 乐天能送流量吗", thread=OTHER_TOPIC, user_id=USER_ID + 1)
    assert _threads(tg) == [TOPIC, OTHER_TOPIC]
    assert answer["text"] == group_line(engine, "tethering~ahamo")
    assert answer["reply_markup"]["inline_keyboard"][0][0]["url"].endswith("t_tethering_ahamo")


async def test_a_clarify_its_number_and_its_buttons_stay_in_the_topic(
    tg: Harness, engine: Engine
) -> None:
    options = engine.ask("流量", client_lang="zh-hans").context.options
    clarify = await _ask(tg, f"{MENTION} 流量")
    await _ask(tg, "2", reply_to=clarify)
    assert _threads(tg) == [TOPIC, TOPIC]
    assert tg.api.texts()[-1] == group_line(engine, options[1].key())

    tg.api.clear()  # a pick that cannot be edited is sent anew, in the topic
    clarify = await _ask(tg, f"{MENTION} 请问流量", user_id=USER_ID + 1)
    tg.api.fail("editMessageText", 400, "Bad Request: message can't be edited")
    await tg.press(button_data(clarify)[0], clarify, user_id=USER_ID + 1)
    assert _threads(tg) == [TOPIC, TOPIC]
    assert tg.api.texts()[-1] == group_line(engine, options[0].key())


async def test_policy_and_its_keyboard_stay_in_the_topic(tg: Harness, engine: Engine) -> None:
    await _ask(tg, "/policy mineo")
    keyboard = await _ask(tg, "/policy")
    assert _threads(tg) == [TOPIC, TOPIC]
    tg.api.clear()
    await tg.press("a:s:@docomo", keyboard)
    (edit,) = tg.api.of("editMessageText")
    assert edit["message_id"] == keyboard["message_id"]
    assert edit["text"] == group_line(engine, "@docomo")


async def test_the_cooldown_pointer_stays_in_the_topic(tg: Harness) -> None:
    services(tg.app).cooldown.clock = lambda: 1000.0
    answer = await _ask(tg, f"{MENTION} ahamo开热点要钱吗")
    tg.api.clear()
    await _ask(tg, "ahamo开热点要钱吗", reply_to=answer)
    (sent,) = tg.api.of("sendMessage")
    assert sent["text"] == ui("zh-Hans", "answered_above")
    assert sent["message_thread_id"] == TOPIC
    assert sent["reply_parameters"]["message_id"] == answer["message_id"]


async def test_a_reply_whose_question_is_gone_is_still_sent_in_the_topic(tg: Harness) -> None:
    tg.api.fail("sendMessage", 400, "Bad Request: message to be replied not found")
    await _ask(tg, f"/policy@{BOT_USERNAME} mineo")
    first, second = tg.api.of("sendMessage")
    assert "reply_parameters" in first and "reply_parameters" not in second
    assert second["message_thread_id"] == TOPIC
    assert not tg.errors


async def test_more_related_and_thumbs_down_stay_in_a_private_topic(
    tg: Harness, engine: Engine
) -> None:
    """Private chats with topics: the new messages that buttons send go to the same topic."""
    await tg.send("Can I sell my data for cash?", language_code="en", thread=TOPIC)
    answer = tg.api.sent()[-1]
    data = button_data(answer)
    assert data[0] == "m:e:cash-for-data"
    related = next(d for d in data if d.startswith("r:"))
    for pressed in (data[0], "d:e:cash-for-data", related):
        await tg.press(pressed, answer, language_code="en")
    more, which, shown = tg.api.of("sendMessage")[1:]
    assert shown["text"] == private_answer(engine, related.split(":")[2], "en")
    assert which["text"] == ui("en", "feedback_which")
    assert _threads(tg) == [TOPIC] * 4
    assert more["chat_id"] == USER_ID
