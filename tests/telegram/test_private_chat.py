"""Private chat: questions, the user commands, and the reply language."""

from __future__ import annotations

import html

from bot.engine import Engine
from bot.messages import LANGUAGE_NAMES, t
from bot.render import answer_text, clarify_text, fallback_text
from bot.store import Store
from tests.telegram.fakes import USER_ID, Harness, button_data, buttons


def _html(lang: str, key: str, **values: object) -> str:
    return html.escape(t(lang, key, **values), quote=False)


async def test_a_question_gets_the_answer_with_source_related_and_feedback_buttons(
    tg: Harness, engine: Engine
) -> None:
    await tg.send("mineo 能送流量吗")
    (sent,) = tg.api.of("sendMessage")
    entry = engine.snapshot.entry("mineo")
    assert sent["text"] == answer_text(entry, "zh-Hans")
    assert sent["parse_mode"] == "HTML"
    assert t("zh-Hans", "checked") in sent["text"]
    data = button_data(tg.api.sent()[0])
    related = [d for d in data if d.startswith("r:")]
    assert related and all(d.split(":")[2] in entry.see_also for d in related)
    assert data[-2:] == ["u:s:mineo", "d:s:mineo"]


async def test_what_the_user_typed_is_escaped(tg: Harness, engine: Engine) -> None:
    question = "流量 <b>&amp;</b>"
    reply = engine.ask(question, client_lang="zh-hans")
    assert reply.decision == "clarify"  # the echo of the question is part of a clarify
    await tg.send(question)
    (sent,) = tg.api.of("sendMessage")
    assert "<b>&amp;" not in sent["text"]
    assert "&lt;b&gt;&amp;amp;&lt;/b&gt;" in sent["text"]
    assert sent["text"] == clarify_text(reply, engine.snapshot)


async def test_clarify_offers_candidate_buttons_and_a_pick_edits_the_message(
    tg: Harness, engine: Engine
) -> None:
    reply = engine.ask("流量", client_lang="zh-hans")
    assert reply.decision == "clarify"
    await tg.send("流量")
    message = tg.api.sent()[0]
    data = button_data(message)
    assert 1 <= len(data) <= 3
    assert data == [f"a:s:{c.id}" for c in reply.candidates]

    tg.api.clear()
    await tg.press(data[1], message)
    (edit,) = tg.api.of("editMessageText")
    picked = engine.snapshot.entry(reply.candidates[1].id)
    assert edit["message_id"] == message["message_id"]
    assert edit["text"] == answer_text(picked, "zh-Hans")
    assert "u:s:" + picked.id in [
        b["callback_data"] for r in edit["reply_markup"]["inline_keyboard"] for b in r
    ]
    assert len(tg.api.of("answerCallbackQuery")) == 1
    assert not tg.api.of("sendMessage")


async def test_a_bare_number_answers_the_last_clarify(tg: Harness, engine: Engine) -> None:
    reply = engine.ask("流量", client_lang="zh-hans")
    await tg.send("流量")
    tg.api.clear()
    await tg.send("2")
    (sent,) = tg.api.of("sendMessage")
    assert sent["text"] == answer_text(engine.snapshot.entry(reply.candidates[1].id), "zh-Hans")


async def test_no_answer_gives_the_fallback_and_records_the_question(tg: Harness) -> None:
    await tg.send("pizza recipe", language_code=None)
    (sent,) = tg.api.of("sendMessage")
    assert sent["text"] == fallback_text("en")
    assert "/policy" in sent["text"]
    (row,) = await tg.store.unanswered()
    assert (row.decision, row.text) == ("none", "pizza recipe")


async def test_start_greets_and_deep_links_open_an_answer(tg: Harness, engine: Engine) -> None:
    await tg.send("/start")
    assert tg.api.texts()[-1] == _html("zh-Hans", "start") + "\n\n" + _html("zh-Hans", "help")

    await tg.send("/start policy-mineo")
    assert tg.api.texts()[-1] == answer_text(engine.snapshot.entry("mineo"), "zh-Hans")

    await tg.send("/start entry-carryover", language_code="ja")
    assert tg.api.texts()[-1] == answer_text(engine.snapshot.entry("carryover"), "ja")

    await tg.send("/start entry-no-such-entry")
    assert tg.api.texts()[-1].startswith(_html("zh-Hans", "start"))


async def test_help_and_unknown_commands(tg: Harness) -> None:
    await tg.send("/help", language_code="en")
    await tg.send("/frobnicate", language_code="en")
    assert tg.api.texts() == [_html("en", "help")] * 2


async def test_policy_without_argument_offers_every_carrier(tg: Harness, engine: Engine) -> None:
    await tg.send("/policy")
    message = tg.api.sent()[0]
    assert message["text"] == _html("zh-Hans", "policy_pick")
    assert button_data(message) == [f"a:s:{c.id}" for c in engine.snapshot.kb.carriers()]

    tg.api.clear()
    await tg.press("a:s:ahamo", message)
    (edit,) = tg.api.of("editMessageText")
    assert edit["text"] == answer_text(engine.snapshot.entry("ahamo"), "zh-Hans")


async def test_policy_matches_the_carrier_in_any_language(tg: Harness, engine: Engine) -> None:
    for command, carrier in (
        ("/policy 乐天", "rakuten"),
        ("/policy ミネオ", "mineo"),
        ("/policy Docomo", "docomo"),
    ):
        tg.api.clear()
        await tg.send(command, language_code="en")
        assert tg.api.texts() == [answer_text(engine.snapshot.entry(carrier), "en")]


async def test_policy_with_an_unknown_carrier_says_so_and_offers_the_list(tg: Harness) -> None:
    await tg.send("/policy xyzzy", language_code="en")
    message = tg.api.sent()[0]
    assert message["text"] == _html("en", "policy_unknown")
    assert button_data(message)
    (row,) = await tg.store.unanswered()
    assert row.text == "xyzzy"


async def test_lang_keyboard_choice_is_remembered_in_sqlite(
    tg: Harness, engine: Engine, settings
) -> None:
    await tg.send("/lang")
    message = tg.api.sent()[0]
    assert [b["text"] for b in buttons(message)] == list(LANGUAGE_NAMES.values())
    await tg.press("l:e", message)
    (edit,) = tg.api.of("editMessageText")
    assert edit["text"] == t("en", "lang_set")

    tg.api.clear()
    await tg.send("mineo 能送流量吗", language_code="zh-hans")  # Chinese text, Chinese client
    assert tg.api.texts() == [answer_text(engine.snapshot.entry("mineo"), "en")]

    reopened = Store(settings.database)
    try:
        assert reopened.language(USER_ID) == "en"
    finally:
        reopened.close()


async def test_lang_with_an_argument(tg: Harness, engine: Engine) -> None:
    await tg.send("/lang ja")
    assert tg.api.texts() == [_html("ja", "lang_set")]
    tg.api.clear()
    await tg.send("/lang 繁體中文")
    await tg.send("mineo 能送流量吗")
    assert tg.api.texts() == [
        _html("zh-Hant", "lang_set"),
        answer_text(engine.snapshot.entry("mineo"), "zh-Hant"),
    ]


async def test_reply_language_is_client_language_then_script(tg: Harness, engine: Engine) -> None:
    mineo = engine.snapshot.entry("mineo")
    await tg.send("mineo 能送流量吗", language_code="ja")
    await tg.send("mineo 能送流量吗", language_code="ko")  # not one of ours: the script decides
    await tg.send("mineo 能送流量吗", language_code=None)
    assert tg.api.texts() == [
        answer_text(mineo, "ja"),
        answer_text(mineo, "zh-Hans"),
        answer_text(mineo, "zh-Hans"),
    ]


async def test_about_shows_version_size_and_load_time(tg: Harness, engine: Engine) -> None:
    await tg.send("/about", language_code="en")
    snapshot = engine.snapshot
    (text,) = tg.api.texts()
    assert snapshot.version in text
    assert str(len(snapshot.kb.entries)) in text
    assert snapshot.loaded_at.strftime("%Y-%m-%d %H:%M") in text


async def test_edited_messages_are_not_new_questions(tg: Harness) -> None:
    message = tg.message("mineo 能送流量吗")
    await tg.process({"edited_message": {**message, "edit_date": message["date"] + 5}})
    assert not tg.api.of("sendMessage")
