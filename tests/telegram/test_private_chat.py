"""Private chat: answers that answer in their first line, follow-ups, small talk, "did you mean",
out-of-scope questions, the user commands and the reply language."""

from __future__ import annotations

import html
import re

import pytest

from bot.compose import compose, pick
from bot.engine import Engine
from bot.messages import LANGUAGE_NAMES, t
from bot.store import Store
from tests.telegram.expected import private_answer, target, ui
from tests.telegram.fakes import USER_ID, Harness, body, button_data, buttons, rows

APOLOGIES = ("抱歉", "对不起", "答不了", "すみません", "sorry", "can't answer")


def verdict(engine: Engine, topic: str, carrier: str, lang: str = "zh-Hans") -> str:
    """A cell's verdict line, as the bot sends it."""
    return html.escape(pick(engine.snapshot.kb.cells[(topic, carrier)].answer, lang), quote=False)


def led_by(engine: Engine, key: str, aspect: str, lang: str = "zh-Hans") -> str:
    """The first line of `key`'s answer led by its line about `aspect`, as the bot sends it."""
    composed = compose(engine.snapshot, target(engine, key), lang, aspect=aspect, lead_aspect=True)
    return html.escape(composed.lines[0], quote=False)


async def _last(tg: Harness) -> dict:
    return tg.api.sent()[-1]


# ------------------------------------------------------------------------------ answers


async def test_the_first_line_answers_the_question(tg: Harness, engine: Engine) -> None:
    await tg.send("ahamo开热点要钱吗")
    (sent,) = tg.api.of("sendMessage")
    assert sent["parse_mode"] == "HTML"
    assert sent["text"].startswith("<b>ahamo · ")
    assert body(sent["text"])[0] == verdict(engine, "tethering", "ahamo")
    assert sent["text"] == private_answer(engine, "tethering~ahamo", aspect="price")


async def test_an_answer_has_at_most_two_related_buttons_then_the_feedback_row(
    tg: Harness,
) -> None:
    await tg.send("ahamo开热点要钱吗")
    message = await _last(tg)
    keyboard = rows(message)
    assert keyboard[-1] == ["👍", "👎"]
    related = keyboard[:-1]
    assert 1 <= len(related) <= 2
    assert all(len(row) == 1 and row[0].startswith("↪ ") for row in related)
    data = button_data(message)
    assert all(d.startswith("r:s:") for d in data[:-2])
    assert data[-2:] == ["u:s:tethering~ahamo", "d:s:tethering~ahamo"]
    assert t("zh-Hans", "related") not in str(keyboard)  # no "Related" heading row


async def test_a_cut_answer_offers_more_and_more_sends_the_rest_in_a_new_message(
    tg: Harness, engine: Engine
) -> None:
    await tg.send("Can I sell my data for cash?", language_code="en")
    message = await _last(tg)
    data = button_data(message)
    assert data[0] == "m:e:cash-for-data"
    assert rows(message)[0] == [t("en", "more_button")]
    assert len(rows(message)) <= 4  # more, ≤ 2 related, 👍/👎
    shown = body(message["text"])

    tg.api.clear()
    await tg.press("m:e:cash-for-data", message, language_code="en")
    (rest,) = tg.api.of("sendMessage")
    assert not tg.api.of("editMessageText")  # the first message keeps its text
    lines = compose(engine.snapshot, target(engine, "cash-for-data"), "en").lines
    assert shown + body(rest["text"]) == [html.escape(line, quote=False) for line in lines]
    assert "reply_markup" not in rest
    (edit,) = tg.api.of("editMessageReplyMarkup")  # "more" leaves the first message
    kept = [b["callback_data"] for row in edit["reply_markup"]["inline_keyboard"] for b in row]
    assert kept == data[1:]


async def test_a_short_answer_has_no_more_button(tg: Harness) -> None:
    await tg.send("ahamo开热点要钱吗")
    assert not [d for d in button_data(await _last(tg)) if d.startswith("m:")]


async def test_a_chinese_question_from_an_english_client_is_answered_in_chinese(
    tg: Harness, engine: Engine
) -> None:
    await tg.send("ahamo开热点要钱吗", language_code="en")
    message = await _last(tg)
    assert message["text"] == private_answer(engine, "tethering~ahamo", "zh-Hans", aspect="price")
    assert all(":s:" in d for d in button_data(message))


async def test_what_the_user_typed_is_escaped(tg: Harness) -> None:
    await tg.send("流量 & <x>")
    (sent,) = tg.api.of("sendMessage")
    assert "<x>" not in sent["text"]
    assert "流量 &amp; &lt;x&gt;" in sent["text"]


# ------------------------------------------------------------------------------ follow-ups


async def test_follow_ups_in_one_private_chat_continue_the_topic(
    tg: Harness, engine: Engine
) -> None:
    await tg.send("乐天能送流量吗")
    assert body((await _last(tg))["text"])[0] == verdict(engine, "gifting-overview", "rakuten")
    await tg.send("那au呢")
    answer = (await _last(tg))["text"]
    assert answer == private_answer(engine, "gifting-overview~au")
    assert body(answer)[0] == verdict(engine, "gifting-overview", "au")
    await tg.send("要钱吗")  # au's price is its データプレゼント's
    assert body((await _last(tg))["text"])[0] == led_by(engine, "au-data-present~au", "price")


async def test_mineo_gifting_then_au_then_price(tg: Harness, engine: Engine) -> None:
    await tg.send("mineo能送流量吗")
    await tg.send("那au呢")
    assert body((await _last(tg))["text"])[0] == verdict(engine, "gifting-overview", "au")
    await tg.send("要钱吗")  # au's price is its データプレゼント's
    assert body((await _last(tg))["text"])[0] == led_by(engine, "au-data-present~au", "price")


async def test_follow_ups_are_per_chat(tg: Harness, engine: Engine) -> None:
    await tg.send("乐天能送流量吗")
    await tg.send("那au呢", chat_id=USER_ID + 1, user_id=USER_ID + 1)  # a fresh conversation
    assert tg.api.texts()[-1] != private_answer(engine, "gifting-overview~au")


# ------------------------------------------------------------------------------ small talk


@pytest.mark.parametrize(
    ("text", "lang", "kind"),
    [("你好", "zh-Hans", "greeting"), ("谢谢", "zh-Hans", "thanks"), ("👍", "zh-Hans", "ack")],
)
async def test_small_talk_is_one_line_without_buttons_and_never_an_apology(
    tg: Harness, text: str, lang: str, kind: str
) -> None:
    await tg.send(text)
    (sent,) = tg.api.of("sendMessage")
    assert sent["text"] == ui(lang, f"smalltalk_{kind}")
    assert "\n" not in sent["text"]
    assert "reply_markup" not in sent
    assert not any(word in sent["text"] for word in APOLOGIES)


async def test_small_talk_after_an_answer_keeps_the_conversation(
    tg: Harness, engine: Engine
) -> None:
    await tg.send("乐天能送流量吗")
    await tg.send("谢谢")
    await tg.send("那au呢")
    assert tg.api.texts()[-1] == private_answer(engine, "gifting-overview~au")


# ------------------------------------------------------------------------------ did you mean


async def test_clarify_shows_buttons_only_with_none_of_these_last(
    tg: Harness, engine: Engine
) -> None:
    reply = engine.ask("流量", client_lang="zh-hans")
    assert reply.decision == "clarify"
    await tg.send("流量")
    message = await _last(tg)
    text = message["text"]
    assert not re.search(r"^\s*\d+[.)、]", text, re.MULTILINE)  # no numbered list
    assert t("zh-Hans", "clarify_pick") not in text
    assert ui("zh-Hans", "clarify") in text
    data = button_data(message)
    assert data == [f"a:s:{o.key()}" for o in reply.context.options] + ["n:s"]
    assert rows(message)[-1] == [t("zh-Hans", "none_of_these")]


async def test_a_clarify_pick_edits_the_message_into_the_answer(
    tg: Harness, engine: Engine
) -> None:
    reply = engine.ask("流量", client_lang="zh-hans")
    await tg.send("流量")
    message = await _last(tg)
    tg.api.clear()
    picked = reply.context.options[1].key()
    await tg.press(f"a:s:{picked}", message)
    (edit,) = tg.api.of("editMessageText")
    assert edit["message_id"] == message["message_id"]
    assert edit["text"] == private_answer(engine, picked)
    assert f"u:s:{picked}" in str(edit["reply_markup"])
    assert not tg.api.of("sendMessage")


async def test_none_of_these_logs_the_question_as_unanswered(tg: Harness) -> None:
    await tg.send("流量")
    message = await _last(tg)
    tg.api.clear()
    await tg.press("n:s", message)
    (edit,) = tg.api.of("editMessageText")
    assert edit["text"] == ui("zh-Hans", "dismissed")
    assert not any(word in edit["text"] for word in ("抱歉", "对不起"))
    unanswered = [(r.decision, r.text) for r in await tg.store.unanswered()]
    assert ("none", "流量") in unanswered


@pytest.mark.parametrize("number", [1, 2, 3])
async def test_a_typed_number_picks_that_choice(tg: Harness, engine: Engine, number: int) -> None:
    reply = engine.ask("流量", client_lang="zh-hans")
    assert len(reply.context.options) == 3
    await tg.send("流量")
    tg.api.clear()
    await tg.send(str(number))
    assert tg.api.texts() == [private_answer(engine, reply.context.options[number - 1].key())]


async def test_the_number_after_the_last_choice_is_none_of_these(tg: Harness) -> None:
    await tg.send("流量")
    tg.api.clear()
    await tg.send("4")
    assert tg.api.texts() == [ui("zh-Hans", "dismissed")]
    assert ("none", "流量") in [(r.decision, r.text) for r in await tg.store.unanswered()]


# ------------------------------------------------------------------------------ out of scope


async def test_out_of_scope_with_a_carrier_offers_that_carriers_topics(
    tg: Harness, engine: Engine
) -> None:
    await tg.send("mineo解约要钱吗")
    message = await _last(tg)
    assert message["text"].startswith(ui("zh-Hans", "none"))
    assert button_data(message) == [f"a:s:{topic}~mineo" for topic in engine.snapshot.kb.topics]
    assert all(label.startswith("mineo · ") for (label,) in rows(message))

    tg.api.clear()  # a topic button opens that cell
    await tg.press("a:s:tethering~mineo", message)
    (edit,) = tg.api.of("editMessageText")
    assert edit["text"] == private_answer(engine, "tethering~mineo")


async def test_out_of_scope_with_a_carrier_is_one_line(tg: Harness) -> None:
    await tg.send("mineo解约要钱吗")
    assert "\n" not in (await _last(tg))["text"]


async def test_out_of_scope_without_a_carrier_says_what_it_covers_and_logs(
    tg: Harness,
) -> None:
    await tg.send("pizza recipe", language_code=None)
    (sent,) = tg.api.of("sendMessage")
    assert sent["text"] == ui("en", "none")
    assert "reply_markup" not in sent
    (row,) = await tg.store.unanswered()
    assert (row.decision, row.text) == ("none", "pizza recipe")


# ------------------------------------------------------------------------------ /start


@pytest.mark.parametrize(
    ("lang", "code", "sentence"),
    [
        ("zh-Hans", "zh-hans", "我回答日本手机流量的问题"),
        ("ja", "ja", "日本の携帯のデータ容量"),
        ("en", "en", "I answer questions about mobile data in Japan"),
    ],
)
async def test_start_says_what_it_answers_once(
    tg: Harness, lang: str, code: str, sentence: str
) -> None:
    await tg.send("/start", language_code=code)
    (text,) = tg.api.texts()
    assert text == ui(lang, "start") + "\n" + ui(lang, "help")
    assert text.count(sentence) == 1


@pytest.mark.parametrize(
    ("payload", "key"),
    [
        ("t_tethering_ahamo", "tethering~ahamo"),
        ("c_mineo", "@mineo"),
        ("o_tethering", "tethering"),
        ("v_gifting-overview_softbank_docomo", "gifting-overview~softbank+docomo"),
        ("entry-tethering", "tethering"),  # the old deep links keep working
        ("entry-sim-transfer-law", "sim-transfer-law"),
        ("policy-mineo", "@mineo"),
    ],
)
async def test_start_payloads_open_their_answer(
    tg: Harness, engine: Engine, payload: str, key: str
) -> None:
    await tg.send(f"/start {payload}")
    (message,) = tg.api.sent()
    assert message["text"] == private_answer(engine, key)
    assert button_data(message)[-2:] == [f"u:s:{key}", f"d:s:{key}"]


async def test_a_start_payload_in_the_users_language(tg: Harness, engine: Engine) -> None:
    await tg.send("/start t_tethering_ahamo", language_code="ja")
    assert tg.api.texts() == [private_answer(engine, "tethering~ahamo", "ja")]


async def test_a_start_payload_answer_can_be_followed_up(tg: Harness, engine: Engine) -> None:
    await tg.send("/start t_tethering_ahamo")
    await tg.send("那au呢")
    assert tg.api.texts()[-1] == private_answer(engine, "tethering~au")


@pytest.mark.parametrize("payload", ["entry-no-such-entry", "t_tethering_nosuch", "zzz", "c_"])
async def test_an_unknown_payload_just_greets(tg: Harness, payload: str) -> None:
    await tg.send(f"/start {payload}")
    assert tg.api.texts() == [ui("zh-Hans", "start") + "\n" + ui("zh-Hans", "help")]


async def test_help_and_unknown_commands(tg: Harness) -> None:
    await tg.send("/help", language_code="en")
    await tg.send("/frobnicate", language_code="en")
    assert tg.api.texts() == [
        ui("en", "help"),
        ui("en", "unknown_command") + "\n\n" + ui("en", "help"),
    ]


# ------------------------------------------------------------------------------ /policy


@pytest.mark.parametrize(
    ("code", "lang", "rakuten", "not_shown"),
    [
        ("zh-hans", "zh-Hans", "乐天移动", "Rakuten Mobile"),
        ("ja", "ja", "楽天モバイル", "Rakuten Mobile"),
        ("en", "en", "Rakuten Mobile", "乐天移动"),
    ],
)
async def test_policy_without_a_name_shows_carriers_in_the_users_language(
    tg: Harness, engine: Engine, code: str, lang: str, rakuten: str, not_shown: str
) -> None:
    await tg.send("/policy", language_code=code)
    message = await _last(tg)
    assert message["text"] == ui(lang, "policy_pick")
    labels = [b["text"] for b in buttons(message)]
    assert rakuten in labels and not_shown not in labels
    letter = {"zh-Hans": "s", "ja": "j", "en": "e"}[lang]
    assert button_data(message) == [f"a:{letter}:@{c}" for c in engine.snapshot.kb.carriers]

    tg.api.clear()
    await tg.press(f"a:{letter}:@rakuten", message, language_code=code)
    (edit,) = tg.api.of("editMessageText")
    assert edit["text"] == private_answer(engine, "@rakuten", lang)


async def test_policy_with_two_carriers_compares_both(tg: Harness, engine: Engine) -> None:
    await tg.send("/policy softbank docomo")
    (text,) = tg.api.texts()
    assert text == private_answer(engine, "gifting-overview~softbank+docomo")
    kb = engine.snapshot.kb
    for carrier in ("softbank", "docomo"):
        assert pick(kb.carriers[carrier].label, "zh-Hans") in body(text)[0] + body(text)[1]


@pytest.mark.parametrize(
    ("command", "key", "lang"),
    [
        ("/policy 乐天", "@rakuten", "zh-Hans"),  # the name's script decides the language
        ("/policy ミネオ", "@mineo", "ja"),
        ("/policy Docomo", "@docomo", "en"),  # a Latin name tells nothing: the client decides
        ("/policy 软银", "@softbank", "zh-Hans"),
    ],
)
async def test_policy_matches_the_carrier_in_any_language(
    tg: Harness, engine: Engine, command: str, key: str, lang: str
) -> None:
    await tg.send(command, language_code="en")
    assert tg.api.texts() == [private_answer(engine, key, lang)]


async def test_policy_with_an_unknown_carrier_says_so_and_offers_the_list(tg: Harness) -> None:
    await tg.send("/policy xyzzy", language_code="en")
    message = await _last(tg)
    assert message["text"] == ui("en", "policy_unknown")
    assert button_data(message)
    (row,) = await tg.store.unanswered()
    assert row.text == "xyzzy"


# ------------------------------------------------------------------------------ /lang


@pytest.mark.parametrize(
    ("arg", "lang"),
    [
        ("中文", "zh-Hans"),
        ("chinese", "zh-Hans"),
        ("CHINESE", "zh-Hans"),
        ("zh-hant", "zh-Hant"),
        ("ZH-Hant", "zh-Hant"),
        ("English", "en"),
        ("english", "en"),
        ("日本語", "ja"),
    ],
)
async def test_lang_accepts_names_and_codes_in_any_case(tg: Harness, arg: str, lang: str) -> None:
    await tg.send(f"/lang {arg}", language_code="en")
    assert tg.api.texts() == [ui(lang, "lang_set")]
    assert tg.store.language(USER_ID) == lang


async def test_lang_alone_shows_a_keyboard_and_the_choice_is_kept(
    tg: Harness, engine: Engine, settings
) -> None:
    await tg.send("/lang")
    message = await _last(tg)
    assert message["text"] == ui("zh-Hans", "lang_pick")
    assert [b["text"] for b in buttons(message)] == list(LANGUAGE_NAMES.values())
    await tg.press("l:e", message)
    (edit,) = tg.api.of("editMessageText")
    assert edit["text"] == t("en", "lang_set")

    tg.api.clear()
    await tg.send("ahamo开热点要钱吗")  # Chinese text, Chinese client: the choice wins
    assert tg.api.texts() == [private_answer(engine, "tethering~ahamo", "en", aspect="price")]

    reopened = Store(settings.database)
    try:
        assert reopened.language(USER_ID) == "en"
    finally:
        reopened.close()


async def test_lang_with_an_unknown_language_lists_the_choices(tg: Harness) -> None:
    await tg.send("/lang klingon", language_code="en")
    message = await _last(tg)
    assert message["text"].startswith(ui("en", "lang_unknown", choices="")[:20])
    assert len(buttons(message)) == len(LANGUAGE_NAMES)


async def test_reply_language_is_the_script_then_the_client(tg: Harness, engine: Engine) -> None:
    await tg.send("ahamo开热点要钱吗", language_code="ja")  # Chinese text: Chinese
    for n, code in enumerate(("ja", "ko"), 1):  # each in a new chat: not a follow-up
        # a name alone tells nothing: the client's language; one we don't have: the default
        await tg.send("ahamo", chat_id=USER_ID + n, user_id=USER_ID + n, language_code=code)
    assert tg.api.texts() == [
        private_answer(engine, "tethering~ahamo", "zh-Hans", aspect="price"),
        private_answer(engine, "@ahamo", "ja"),
        private_answer(engine, "@ahamo", "zh-Hans"),
    ]


async def test_a_message_the_script_cannot_tell_keeps_the_conversations_language(
    tg: Harness, engine: Engine
) -> None:
    # an English client, a question in Japanese, then "ok thx": still Japanese
    await tg.send("ahamoのテザリングは有料？", language_code="en")
    await tg.send("ok thx", language_code="en")
    await tg.send("ok thx", chat_id=USER_ID + 1, user_id=USER_ID + 1, language_code="en")
    assert tg.api.texts()[1:] == [ui("ja", "smalltalk_thanks"), ui("en", "smalltalk_thanks")]


# ------------------------------------------------------------------------------ the rest


async def test_about_shows_version_size_and_load_time(tg: Harness, engine: Engine) -> None:
    await tg.send("/about", language_code="en")
    snapshot = engine.snapshot
    kb = snapshot.kb
    (text,) = tg.api.texts()
    assert snapshot.version in text
    assert f"{len(kb.carriers)} carriers, {len(kb.topics)} topics, {len(kb.entries)} guides" in text
    assert snapshot.loaded_at.strftime("%Y-%m-%d %H:%M") in text


async def test_edited_messages_are_not_new_questions(tg: Harness) -> None:
    message = tg.message("ahamo开热点要钱吗")
    await tg.process({"edited_message": {**message, "edit_date": message["date"] + 5}})
    assert not tg.api.of("sendMessage")
