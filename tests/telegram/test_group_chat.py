"""Groups: speak only when spoken to; one line and a "details" deep link; a thread per user;
numbered picks; the cooldown."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.messages import t
from bot.telegram import services
from tests.telegram.expected import group_line, private_answer, ui
from tests.telegram.fakes import BOT_USERNAME, GROUP_ID, USER_ID, Harness, button_data, buttons

OTHER_USER = 700_002
MENTION = f"@{BOT_USERNAME}"


def _link(payload: str) -> str:
    return f"https://t.me/{BOT_USERNAME}?start={payload}"


@pytest.fixture
def clock(tg: Harness) -> list[float]:
    """The cooldown's clock, moved by hand."""
    now = [1000.0]
    services(tg.app).cooldown.clock = lambda: now[0]
    return now


async def _ask(tg: Harness, text: str, user_id: int = USER_ID, **kwargs) -> dict:
    """A question in the group; returns the bot's reply (the last message sent)."""
    await tg.send(text, chat_id=GROUP_ID, user_id=user_id, **kwargs)
    return tg.api.sent()[-1]


def _assert_one_line_with_details(message: dict, payload: str) -> None:
    assert "\n" not in message["text"]
    (button,) = buttons(message)
    assert button == {"text": t("zh-Hans", "details_button"), "url": _link(payload)}


# ------------------------------------------------------------------------------ addressing


async def test_ordinary_chatter_is_ignored(tg: Harness) -> None:
    await tg.send("ahamo开热点要钱吗", chat_id=GROUP_ID)
    await tg.send("@someone_else ahamo开热点要钱吗", chat_id=GROUP_ID)
    await tg.send("谢谢", chat_id=GROUP_ID)
    await tg.send("1", chat_id=GROUP_ID)
    await tg.send("/lang en", chat_id=GROUP_ID)  # private-only commands stay quiet in groups
    await tg.send("/start", chat_id=GROUP_ID)
    await tg.send("/about", chat_id=GROUP_ID)
    assert not tg.api.calls[1:]  # nothing after getMe


async def test_commands_for_another_bot_are_ignored(tg: Harness) -> None:
    await tg.send("/policy@OtherBot mineo", chat_id=GROUP_ID)
    await tg.send("/help@OtherBot", chat_id=GROUP_ID)
    assert not tg.api.of("sendMessage")


async def test_a_mention_gets_one_line_and_a_details_link(tg: Harness, engine: Engine) -> None:
    question = tg.message(f"{MENTION} ahamo开热点要钱吗", chat_id=GROUP_ID)
    await tg.process({"message": question})
    (sent,) = tg.api.of("sendMessage")
    assert sent["chat_id"] == GROUP_ID
    assert sent["reply_parameters"]["message_id"] == question["message_id"]
    message = tg.api.sent()[0]
    assert message["text"] == group_line(engine, "tethering~ahamo")
    _assert_one_line_with_details(message, "t_tethering_ahamo")
    assert not button_data(message)  # no 👍/👎, related or "more" in a group

    tg.api.clear()  # the deep link opens the whole answer in private
    await tg.send("/start t_tethering_ahamo")
    (full,) = tg.api.sent()
    assert full["text"] == private_answer(engine, "tethering~ahamo")
    assert full["text"].startswith("<b>") and len(full["text"]) > len(message["text"])
    assert button_data(full)[-2:] == ["u:s:tethering~ahamo", "d:s:tethering~ahamo"]


async def test_an_overview_is_one_line_too(tg: Harness, engine: Engine) -> None:
    message = await _ask(tg, f"{MENTION} 热点")
    assert message["text"] == group_line(engine, "tethering")
    _assert_one_line_with_details(message, "o_tethering")


async def test_a_reply_to_the_bot_is_a_question(tg: Harness, engine: Engine) -> None:
    bot_message = await _ask(tg, "/policy")
    tg.api.clear()
    question = await tg.send("ahamo开热点要钱吗", chat_id=GROUP_ID, reply_to=bot_message)
    (sent,) = tg.api.of("sendMessage")
    assert sent["text"] == group_line(engine, "tethering~ahamo")
    assert sent["reply_parameters"]["message_id"] == question["message_id"]


async def test_a_reply_to_someone_else_is_chatter(tg: Harness) -> None:
    other = tg.message("ahamo开热点要钱吗", chat_id=GROUP_ID, user_id=OTHER_USER)
    await tg.send("我也想知道", chat_id=GROUP_ID, reply_to=other)
    assert not tg.api.of("sendMessage")


async def test_a_bare_mention_gets_the_help(tg: Harness) -> None:
    await tg.send(f"@{BOT_USERNAME.lower()}", chat_id=GROUP_ID, language_code="en")
    assert tg.api.texts() == [ui("en", "help")]


async def test_small_talk_in_a_group_is_one_line(tg: Harness) -> None:
    message = await _ask(tg, f"{MENTION} 谢谢")
    assert message["text"] == ui("zh-Hans", "smalltalk_thanks")
    assert "reply_markup" not in message


# ------------------------------------------------------------------------------ /policy, /help


async def test_policy_gives_one_line_and_a_details_link(tg: Harness, engine: Engine) -> None:
    message = await _ask(tg, f"/policy@{BOT_USERNAME} mineo")
    assert message["text"] == group_line(engine, "@mineo")
    _assert_one_line_with_details(message, "c_mineo")

    tg.api.clear()
    await tg.send("/start c_mineo")
    assert tg.api.texts() == [private_answer(engine, "@mineo")]


async def test_policy_with_two_carriers_compares_them_in_one_line(
    tg: Harness, engine: Engine
) -> None:
    message = await _ask(tg, "/policy softbank docomo")
    assert message["text"] == group_line(engine, "gifting-overview~softbank+docomo")
    _assert_one_line_with_details(message, "v_gifting-overview_softbank_docomo")


async def test_plain_policy_and_help_work_in_groups(tg: Harness, engine: Engine) -> None:
    await tg.send("/policy docomo", chat_id=GROUP_ID, language_code="en")
    await tg.send("/help", chat_id=GROUP_ID, language_code="en")
    assert tg.api.texts() == [group_line(engine, "@docomo", "en"), ui("en", "help")]


async def test_policy_as_a_reply_answers_the_replied_to_message(
    tg: Harness, engine: Engine
) -> None:
    asked = tg.message("ahamo开热点要钱吗", chat_id=GROUP_ID, user_id=OTHER_USER)
    await tg.send("/policy", chat_id=GROUP_ID, reply_to=asked)
    await tg.send("/policy docomo", chat_id=GROUP_ID, reply_to=asked)
    first, second = tg.api.of("sendMessage")
    assert first["text"] == group_line(engine, "tethering~ahamo")
    assert second["text"] == group_line(engine, "@docomo")
    assert first["reply_parameters"]["message_id"] == asked["message_id"]
    assert second["reply_parameters"]["message_id"] == asked["message_id"]


async def test_policy_as_a_reply_to_the_bot_itself_is_a_plain_policy(tg: Harness) -> None:
    bot_message = await _ask(tg, "/policy mineo")
    tg.api.clear()
    command = await tg.send("/policy", chat_id=GROUP_ID, reply_to=bot_message, language_code="en")
    (sent,) = tg.api.of("sendMessage")
    assert sent["text"] == ui("en", "policy_pick")
    assert sent["reply_parameters"]["message_id"] == command["message_id"]
    assert "Rakuten Mobile" in str(sent["reply_markup"])


# ------------------------------------------------------------------------------ threads per user


async def test_each_user_has_their_own_thread(tg: Harness, engine: Engine) -> None:
    await _ask(tg, f"{MENTION} ahamo开热点要钱吗")
    b_answer = await _ask(tg, f"{MENTION} 乐天能送流量吗", user_id=OTHER_USER)
    a_follow_up = await _ask(tg, f"{MENTION} 那au呢")
    assert a_follow_up["text"] == group_line(engine, "tethering~au")  # A's topic, not B's
    b_follow_up = await _ask(tg, "那au呢", user_id=OTHER_USER, reply_to=b_answer)
    assert b_follow_up["text"] == group_line(engine, "gifting-overview~au")


async def test_a_follow_up_by_reply_without_a_mention(tg: Harness, engine: Engine) -> None:
    answer = await _ask(tg, f"{MENTION} 乐天能送流量吗")
    follow_up = await _ask(tg, "那au呢", reply_to=answer)
    assert follow_up["text"] == group_line(engine, "gifting-overview~au")


# ------------------------------------------------------------------------------ did you mean


async def test_clarify_in_a_group_is_buttons_with_none_of_these(
    tg: Harness, engine: Engine
) -> None:
    reply = engine.ask("流量", client_lang="zh-hans")
    message = await _ask(tg, f"{MENTION} 流量")
    assert button_data(message) == [f"a:s:{o.key()}" for o in reply.context.options] + ["n:s"]
    assert "1." not in message["text"]


@pytest.mark.parametrize("number", [1, 2, 3, 4])
async def test_replying_a_number_to_the_clarify_picks_and_is_never_held_back(
    tg: Harness, engine: Engine, clock: list[float], number: int
) -> None:
    """Two users each get a "did you mean" and answer it with the same number: both picks are
    answered, although the second is the same answer as the first (4 = none of these)."""
    asked = {USER_ID: "流量", OTHER_USER: "请问流量"}
    options = [engine.ask(q, client_lang="zh-hans").context.options for q in asked.values()]
    assert options[0] == options[1] and len(options[0]) == 3
    expected = (
        group_line(engine, options[0][number - 1].key())
        if number <= 3
        else ui("zh-Hans", "dismissed")
    )
    for user, question in asked.items():
        clarify = await _ask(tg, f"{MENTION} {question}", user_id=user)
        assert button_data(clarify)[-1] == "n:s"
        tg.api.clear()
        pick = await tg.send(str(number), chat_id=GROUP_ID, user_id=user, reply_to=clarify)
        (sent,) = tg.api.of("sendMessage")
        assert sent["text"] == expected
        assert sent["reply_parameters"]["message_id"] == pick["message_id"]
    if number == 4:
        unanswered = {(r.decision, r.text) for r in await tg.store.unanswered()}
        assert {("none", "流量"), ("none", "请问流量")} <= unanswered


async def test_a_clarify_pick_in_a_group_edits_into_the_line(tg: Harness, engine: Engine) -> None:
    reply = engine.ask("流量", client_lang="zh-hans")
    message = await _ask(tg, f"{MENTION} 流量")
    tg.api.clear()
    key = reply.context.options[0].key()
    await tg.press(f"a:s:{key}", message, user_id=OTHER_USER)
    (edit,) = tg.api.of("editMessageText")
    assert edit["text"] == group_line(engine, key)
    assert edit["reply_markup"]["inline_keyboard"][0][0]["url"].startswith(_link(""))


# ------------------------------------------------------------------------------ the cooldown


async def test_the_same_question_is_not_answered_twice_within_the_cooldown(
    tg: Harness, clock: list[float]
) -> None:
    await _ask(tg, f"{MENTION} ahamo开热点要钱吗")
    tg.api.clear()
    await tg.send(f"{MENTION} ahamo开热点要钱吗", chat_id=GROUP_ID)  # mentioned: silently
    await tg.send(f"{MENTION}  AHAMO开热点要钱吗", chat_id=GROUP_ID, user_id=OTHER_USER)
    await tg.send("/policy mineo", chat_id=GROUP_ID)
    await tg.send("/policy mineo", chat_id=GROUP_ID)
    assert len(tg.api.of("sendMessage")) == 1  # only the first /policy mineo


async def test_a_repeat_replying_to_the_bot_gets_a_pointer_to_the_earlier_answer(
    tg: Harness, clock: list[float]
) -> None:
    answer = await _ask(tg, f"{MENTION} ahamo开热点要钱吗")
    tg.api.clear()
    await tg.send("ahamo开热点要钱吗", chat_id=GROUP_ID, reply_to=answer)
    (sent,) = tg.api.of("sendMessage")
    assert sent["text"] == ui("zh-Hans", "answered_above")
    assert "\n" not in sent["text"]
    assert sent["reply_parameters"]["message_id"] == answer["message_id"]
    assert "reply_markup" not in sent


async def test_a_different_question_with_the_same_answer_is_answered(
    tg: Harness, engine: Engine, clock: list[float]
) -> None:
    await _ask(tg, f"{MENTION} ahamo开热点要钱吗")
    other = await _ask(tg, f"{MENTION} ahamo能开热点吗", user_id=OTHER_USER)
    assert len(tg.api.of("sendMessage")) == 2
    assert other["text"] == group_line(engine, "tethering~ahamo")


async def test_the_cooldown_is_per_group_and_ends(
    tg: Harness, engine: Engine, clock: list[float]
) -> None:
    await _ask(tg, "/policy mineo")
    await tg.send("/policy mineo", chat_id=GROUP_ID - 1)  # another group
    await tg.send("/policy mineo")  # private chats have no cooldown
    await tg.send("/policy mineo")
    assert [p["chat_id"] for p in tg.api.of("sendMessage")] == [
        GROUP_ID,
        GROUP_ID - 1,
        USER_ID,
        USER_ID,
    ]
    tg.api.clear()
    clock[0] += services(tg.app).cooldown.seconds
    await tg.send("/policy mineo", chat_id=GROUP_ID)
    assert tg.api.texts() == [group_line(engine, "@mineo")]


async def test_out_of_scope_with_a_carrier_in_a_group(tg: Harness, engine: Engine) -> None:
    message = await _ask(tg, f"{MENTION} mineo解约要钱吗")
    assert message["text"].startswith(ui("zh-Hans", "none"))
    assert button_data(message) == [f"a:s:{topic}~mineo" for topic in engine.snapshot.kb.topics]
