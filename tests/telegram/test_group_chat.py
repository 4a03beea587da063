"""Groups: speak only when spoken to, summaries with a private deep link, and the cooldown."""

from __future__ import annotations

import html

from bot.engine import Engine
from bot.messages import t
from bot.render import answer_text
from bot.telegram import services
from tests.telegram.fakes import BOT_USERNAME, GROUP_ID, USER_ID, Harness, buttons

OTHER_USER = 700_002


def _summary(engine: Engine, entry_id: str, lang: str = "zh-Hans") -> str:
    return answer_text(engine.snapshot.entry(entry_id), lang, summary=True)


async def test_ordinary_chatter_is_ignored(tg: Harness) -> None:
    await tg.send("mineo 能送流量吗", chat_id=GROUP_ID)
    await tg.send("@someone_else mineo 能送流量吗", chat_id=GROUP_ID)
    await tg.send("/lang en", chat_id=GROUP_ID)  # private-only commands stay quiet in groups
    await tg.send("/start", chat_id=GROUP_ID)
    assert not tg.api.calls[1:]  # nothing after getMe


async def test_commands_for_another_bot_are_ignored(tg: Harness) -> None:
    await tg.send("/policy@OtherBot mineo", chat_id=GROUP_ID)
    await tg.send("/help@OtherBot", chat_id=GROUP_ID)
    assert not tg.api.of("sendMessage")


async def test_policy_for_this_bot_answers_with_a_summary_and_a_deep_link(
    tg: Harness, engine: Engine
) -> None:
    command = await tg.send(f"/policy@{BOT_USERNAME} mineo", chat_id=GROUP_ID)
    (sent,) = tg.api.of("sendMessage")
    assert sent["chat_id"] == GROUP_ID
    assert sent["text"] == _summary(engine, "mineo")
    assert len(sent["text"]) < len(answer_text(engine.snapshot.entry("mineo"), "zh-Hans"))
    assert sent["reply_parameters"]["message_id"] == command["message_id"]
    (button,) = buttons(tg.api.sent()[0])
    assert button["url"] == f"https://t.me/{BOT_USERNAME}?start=entry-mineo"
    assert button["text"] == t("zh-Hans", "details_button")

    tg.api.clear()  # the deep link opens the full answer in private
    await tg.send("/start entry-mineo")
    assert tg.api.texts() == [answer_text(engine.snapshot.entry("mineo"), "zh-Hans")]


async def test_plain_policy_and_help_work_in_groups(tg: Harness, engine: Engine) -> None:
    await tg.send("/policy docomo", chat_id=GROUP_ID, language_code="en")
    await tg.send("/help", chat_id=GROUP_ID, language_code="en")
    assert tg.api.texts() == [
        _summary(engine, "docomo", "en"),
        html.escape(t("en", "help"), quote=False),
    ]


async def test_a_reply_to_the_bot_is_a_question(tg: Harness, engine: Engine) -> None:
    await tg.send("/policy", chat_id=GROUP_ID)
    bot_message = tg.api.sent()[0]
    tg.api.clear()
    question = await tg.send("mineo 能送流量吗", chat_id=GROUP_ID, reply_to=bot_message)
    (sent,) = tg.api.of("sendMessage")
    assert sent["text"] == _summary(engine, "mineo")
    assert sent["reply_parameters"]["message_id"] == question["message_id"]


async def test_a_reply_to_someone_else_is_chatter(tg: Harness) -> None:
    other = tg.message("mineo 能送流量吗", chat_id=GROUP_ID, user_id=OTHER_USER)
    await tg.send("我也想知道", chat_id=GROUP_ID, reply_to=other)
    assert not tg.api.of("sendMessage")


async def test_a_mention_is_a_question_without_the_mention(tg: Harness, engine: Engine) -> None:
    await tg.send(f"@{BOT_USERNAME} mineo 能送流量吗", chat_id=GROUP_ID)
    assert tg.api.texts() == [_summary(engine, "mineo")]
    tg.api.clear()
    await tg.send(f"@{BOT_USERNAME.lower()}", chat_id=GROUP_ID, language_code="en")
    assert tg.api.texts() == [html.escape(t("en", "help"), quote=False)]


async def test_policy_as_a_reply_answers_the_replied_to_message(
    tg: Harness, engine: Engine
) -> None:
    target = tg.message("mineo 能送流量吗", chat_id=GROUP_ID, user_id=OTHER_USER)
    await tg.send("/policy", chat_id=GROUP_ID, reply_to=target)
    await tg.send("/policy docomo", chat_id=GROUP_ID, reply_to=target)
    first, second = tg.api.of("sendMessage")
    assert first["text"] == _summary(engine, "mineo")
    assert second["text"] == _summary(engine, "docomo")
    assert first["reply_parameters"]["message_id"] == target["message_id"]
    assert second["reply_parameters"]["message_id"] == target["message_id"]


async def test_policy_as_a_reply_to_the_bot_itself_is_a_plain_policy(tg: Harness) -> None:
    await tg.send("/policy mineo", chat_id=GROUP_ID)
    bot_message = tg.api.sent()[0]
    tg.api.clear()
    command = await tg.send("/policy", chat_id=GROUP_ID, reply_to=bot_message, language_code="en")
    (sent,) = tg.api.of("sendMessage")
    assert sent["text"] == html.escape(t("en", "policy_pick"), quote=False)
    assert sent["reply_parameters"]["message_id"] == command["message_id"]


async def test_the_same_entry_is_not_posted_twice_within_the_cooldown(
    tg: Harness, engine: Engine
) -> None:
    now = [1000.0]
    cooldown = services(tg.app).cooldown
    cooldown.clock = lambda: now[0]
    await tg.send("/policy mineo", chat_id=GROUP_ID)
    await tg.send(f"@{BOT_USERNAME} mineo 能送流量吗", chat_id=GROUP_ID, user_id=OTHER_USER)
    await tg.send("/policy docomo", chat_id=GROUP_ID)  # another entry is fine
    await tg.send("/policy mineo", chat_id=GROUP_ID - 1)  # so is another group
    await tg.send("/policy mineo", chat_id=USER_ID)  # and private chats have no cooldown
    await tg.send("/policy mineo", chat_id=USER_ID)
    assert [p["chat_id"] for p in tg.api.of("sendMessage")] == [
        GROUP_ID,
        GROUP_ID,
        GROUP_ID - 1,
        USER_ID,
        USER_ID,
    ]
    tg.api.clear()
    now[0] += cooldown.seconds
    await tg.send("/policy mineo", chat_id=GROUP_ID)
    assert tg.api.texts() == [_summary(engine, "mineo")]


async def test_a_clarify_pick_in_a_group_edits_into_the_summary(
    tg: Harness, engine: Engine
) -> None:
    reply = engine.ask("流量", client_lang="zh-hans")
    await tg.send(f"@{BOT_USERNAME} 流量", chat_id=GROUP_ID)
    message = tg.api.sent()[0]
    tg.api.clear()
    await tg.press(f"a:s:{reply.candidates[0].id}", message, user_id=OTHER_USER)
    (edit,) = tg.api.of("editMessageText")
    assert edit["text"] == _summary(engine, reply.candidates[0].id)
