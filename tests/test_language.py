"""Which language the bot replies in: an explicit /lang choice, else the script of the message
(Japanese-only kanji and Cantonese included), else the Telegram client's language, else the
default. Checked on the words of the reply, not only on its language tag."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.compose import compose_reply
from bot.engine import Engine, Reply
from bot.knowledge import LANGS, KnowledgeBase
from bot.language import choose_language, parse_language, script_language, telegram_language
from bot.messages import t
from bot.render import reply_text

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
GIFTING = "gifting-overview"


def first_line(engine: Engine, reply: Reply) -> str:
    composed = compose_reply(engine.snapshot, reply)
    assert composed is not None, reply
    return composed.lines[0]


# --------------------------------------------------------------------------------------------
# through the engine: the language of the reply a user gets


@pytest.mark.parametrize("client", ["en", "en-US", "ja", None])
def test_a_chinese_question_is_answered_in_chinese_whatever_the_client(
    engine: Engine, kb: KnowledgeBase, client: str | None
) -> None:
    reply = engine.ask("mineo能把流量送给朋友吗", client_lang=client)
    assert (reply.lang, reply.id) == ("zh-Hans", "mineo")
    assert first_line(engine, reply) == kb.cells[(GIFTING, "mineo")].answer["zh-Hans"]


@pytest.mark.parametrize(
    ("question", "expected_id"),
    [
        ("mineo 繰越", "carryover"),  # 繰: a kanji only Japanese uses
        ("楽天容量譲渡可能？", "rakuten"),  # 楽, 譲
        ("格安SIM 容量 共有", None),  # kana-free, but 格安 and 容量 are Japanese words
        ("ドコモのテザリングは無料？", "tethering"),
    ],
)
def test_japanese_without_kana_or_with_japanese_only_kanji_is_japanese(
    engine: Engine, question: str, expected_id: str | None
) -> None:
    reply = engine.ask(question, client_lang="en")
    assert reply.lang == "ja"
    if expected_id is not None:
        assert (reply.decision, reply.id) == ("answer", expected_id)
    if reply.decision == "answer":
        line = first_line(engine, reply)
        assert any("\u3040" <= ch <= "\u30ff" for ch in line), line  # the answer has kana


@pytest.mark.parametrize(
    ("question", "client"),
    [
        ("除咗mineo之外仲有邊間可以送data？", "en"),
        ("LINE貼圖點樣送俾朋友？", "zh-hans"),
        ("mineo可唔可以送data俾朋友", "zh-CN"),  # Cantonese in characters Simplified shares
        ("我係香港人 嚟日本旅行 買咗張數據卡 可唔可以開熱點俾老公用", None),
    ],
)
def test_cantonese_is_answered_in_traditional_chinese(
    engine: Engine, question: str, client: str | None
) -> None:
    reply = engine.ask(question, client_lang=client)
    assert reply.lang == "zh-Hant"
    text = reply_text(reply, engine.snapshot, as_html=False).text
    if reply.decision == "none":
        assert text.startswith(t("zh-Hant", "none"))
    else:
        assert reply.decision in ("answer", "clarify")
        assert not set("这们说还对") & set(text), text  # no Simplified-only characters


def test_traditional_characters_are_answered_in_traditional_chinese(
    engine: Engine, kb: KnowledgeBase
) -> None:
    reply = engine.ask("mineo能把流量送給朋友嗎", client_lang="en")
    assert (reply.lang, reply.id) == ("zh-Hant", "mineo")
    assert first_line(engine, reply) == kb.cells[(GIFTING, "mineo")].answer["zh-Hant"]


@pytest.mark.parametrize(
    ("text", "client", "expected"),
    [
        ("mineo", "ja", "ja"),
        ("mineo", "en", "en"),
        ("Rakuten", "zh-hans", "zh-Hans"),
        ("ahamo", "zh-TW", "zh-Hant"),
        ("IIJmio", "ja", "ja"),
        ("povo", None, "zh-Hans"),  # nothing tells: the default
        ("ok", "ja", "ja"),
        ("OK", "en-GB", "en"),
        ("ok!", "zh-hk", "zh-Hant"),
        ("👍", "ja", "ja"),
        ("👍", "en", "en"),
        ("👍", None, "zh-Hans"),
    ],
)
def test_a_carrier_name_alone_ok_or_an_emoji_follow_the_client_language(
    engine: Engine, kb: KnowledgeBase, text: str, client: str | None, expected: str
) -> None:
    reply = engine.ask(text, client_lang=client)
    assert reply.lang == expected
    if reply.decision == "answer":  # a carrier's card, in that language
        assert reply.id in kb.carriers
        gifting = kb.cells[(GIFTING, reply.id)].answer[expected]
        assert first_line(engine, reply).endswith(gifting)
    else:
        assert reply.decision == "smalltalk"
        rendered = reply_text(reply, engine.snapshot, as_html=False).text
        assert rendered == t(expected, f"smalltalk_{reply.smalltalk}")


def test_the_default_language_is_the_engines() -> None:
    engine = Engine(KNOWLEDGE, default_lang="en")
    assert engine.ask("👍").lang == "en"
    assert engine.ask("mineo").lang == "en"
    assert engine.ask("mineo能把流量送给朋友吗").lang == "zh-Hans"  # the script still decides


@pytest.mark.parametrize("chosen", LANGS)
def test_an_explicit_choice_wins_over_script_and_client(
    engine: Engine, kb: KnowledgeBase, chosen: str
) -> None:
    for question in ("mineo能把流量送给朋友吗", "Can I gift data to a friend on mineo?"):
        reply = engine.ask(question, lang=chosen, client_lang="ja")
        assert (reply.lang, reply.id) == (chosen, "mineo")
        assert first_line(engine, reply) == kb.cells[(GIFTING, "mineo")].answer[chosen]
    reply = engine.ask("👍", lang=chosen, client_lang="ja")
    assert reply_text(reply, engine.snapshot, as_html=False).text == t(chosen, "smalltalk_ack")


# --------------------------------------------------------------------------------------------
# the functions


def test_reply_language_order_is_choice_then_script_then_client_then_default() -> None:
    assert choose_language("你好", chosen="ja", client_code="en") == "ja"
    assert choose_language("你好", client_code="en-US") == "zh-Hans"
    assert choose_language("我想送流量") == "zh-Hans"
    assert choose_language("我想送流量給朋友") == "zh-Hant"
    assert choose_language("ギガをあげたい", client_code="en") == "ja"
    assert choose_language("can I gift data", client_code="zh-hans") == "en"
    assert choose_language("🙂", default="ja") == "ja"
    assert choose_language("🙂", client_code="en", default="ja") == "en"
    mineo = frozenset({"mineo"})
    assert choose_language("mineo", client_code="fr", default="ja", carrier_names=mineo) == "ja"
    assert choose_language("你好", chosen="fr") == "zh-Hans"  # not a language of ours: ignored


def test_a_message_the_script_cannot_tell_is_answered_in_the_conversations_language() -> None:
    assert choose_language("ok thx", conversation="ja", client_code="en") == "ja"
    assert choose_language("👍", conversation="zh-Hant", default="en") == "zh-Hant"
    assert choose_language("can I gift data", conversation="ja") == "en"  # the script first
    assert choose_language("ok", chosen="en", conversation="ja") == "en"  # a choice first
    assert choose_language("ok", conversation="fr", client_code="ja") == "ja"  # not ours


def test_chinese_that_reads_the_same_in_both_scripts_keeps_a_traditional_conversation() -> None:
    assert choose_language("她用UQ", conversation="zh-Hant") == "zh-Hant"
    assert choose_language("她用UQ", client_code="zh-TW") == "zh-Hant"
    assert choose_language("她用UQ") == "zh-Hans"
    assert choose_language("她用UQ", conversation="ja", client_code="zh-TW") == "zh-Hans"
    assert choose_language("她们用UQ", conversation="zh-Hant") == "zh-Hans"  # 们: Simplified


def test_the_engine_keeps_the_language_a_conversation_was_answered_in(engine: Engine) -> None:
    first = engine.ask("mineoのパケットギフトって有効期限ある？", client_lang="en")
    assert (first.lang, first.context.lang) == ("ja", "ja")
    thanks = engine.ask("ok thx", client_lang="en", context=first.context)
    assert (thanks.decision, thanks.lang) == ("smalltalk", "ja")
    assert engine.ask("ok thx", client_lang="en").lang == "en"  # a new conversation: the client


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我想送流量", "zh-Hans"),
        ("我想送流量給朋友", "zh-Hant"),
        ("流量", "zh-Hans"),
        ("ギガをあげたい", "ja"),
        ("テザリング", "ja"),
        ("mineo 繰越", "ja"),
        ("楽天容量譲渡可能？", "ja"),
        ("格安SIM 容量 共有", "ja"),
        ("docomo 解約", "ja"),
        ("mineo的パケットギフト怎么用", "zh-Hans"),  # Chinese with a Japanese feature name
        # Japanese words whose kanji look Traditional, quoted by a Simplified writer
        ("povo的紹介コード可以发给同学吗", "zh-Hans"),
        ("楽天モバイル 流量能给家人共享吗 最強家族プログラム是不是就是这个", "zh-Hans"),
        ("IIJmio的ギガ可以プレゼント給同事嗎", "zh-Hant"),
        ("mineo的パケットギフト怎麼用", "zh-Hant"),
        ("多謝晒", "zh-Hant"),
        ("mineo可唔可以送data俾朋友", "zh-Hant"),
        ("佢用緊au", "zh-Hant"),
        ("can I gift data", "en"),
        ("ok", None),
        ("👍", None),
        ("gb", None),
        ("", None),
    ],
)
def test_script_language(text: str, expected: str | None) -> None:
    assert script_language(text) == expected


def test_carrier_names_tell_no_language() -> None:
    names = frozenset({"mineo", "rakuten", "iijmio", "ahamo"})
    assert script_language("mineo", names) is None
    assert script_language("Rakuten IIJmio", names) is None
    assert script_language("rakuten tethering", names) == "en"


@pytest.mark.parametrize(
    ("code", "expected"),
    [("zh-hans", "zh-Hans"), ("zh", "zh-Hans"), ("zh-TW", "zh-Hant"), ("zh-hk", "zh-Hant"),
     ("zh-Hant-MO", "zh-Hant"), ("ja", "ja"), ("ja-JP", "ja"), ("en-GB", "en"), ("fr", None),
     ("", None), (None, None)],
)  # fmt: skip
def test_telegram_language_codes(code: str | None, expected: str | None) -> None:
    assert telegram_language(code) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("zh-hant", "zh-Hant"),
        ("ZH-HANT", "zh-Hant"),
        ("zh_TW", "zh-Hant"),
        ("繁體", "zh-Hant"),
        ("Traditional  Chinese", "zh-Hant"),
        ("中文", "zh-Hans"),
        ("简体中文", "zh-Hans"),
        ("English", "en"),
        ("ENGLISH", "en"),
        (" english ", "en"),
        ("日本語", "ja"),
        ("JP", "ja"),
        ("klingon", None),
        ("", None),
    ],
)
def test_language_names_in_any_case(text: str, expected: str | None) -> None:
    assert parse_language(text) == expected


def test_every_language_can_be_named_by_its_own_name() -> None:
    from bot.messages import LANGUAGE_NAMES

    for lang, name in LANGUAGE_NAMES.items():
        assert parse_language(name) == lang
        assert parse_language(name.upper()) == lang
        assert parse_language(lang) == lang


def test_hiragana_grammar_is_japanese_whatever_han_it_shares() -> None:
    assert script_language("auのデータプレゼントって誰にでも送れる？") == "ja"
    assert script_language("mineo的パケットギフト怎么用") == "zh-Hans"
    assert script_language("mineoのパケットギフト是什么") == "zh-Hans"
