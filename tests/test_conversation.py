"""Conversations: follow-ups completed from the last answer, numbers picking from the last
options, small talk, resets; and the store that keeps each conversation's context."""

from __future__ import annotations

import dataclasses
import tracemalloc
from pathlib import Path

import pytest
from answers import first_line, verdict
from answers import shown as message_lines

from bot.compose import carrier_label, compose, pick
from bot.conversation import Conversations
from bot.engine import QUESTION_KEPT, Context, Engine, Reply, Target, _valid
from bot.evaluate import load_cases, run_case
from bot.knowledge import KnowledgeBase
from bot.messages import t
from bot.normalize import fold
from bot.render import reply_text

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
GIFTING = "gifting-overview"
LAW = "sim-transfer-law"
# The sets the engine is tuned on (tests/data/README.md); the holdout sets are only read as totals.
TUNING_SETS = tuple(
    sorted(
        p.name for p in (ROOT / "tests" / "data").glob("*.yaml") if not p.name.startswith("holdout")
    )
)


def chat(engine: Engine, *turns: str, client_lang: str | None = None) -> list[Reply]:
    """Send `turns` in one fresh conversation, as the Telegram front end does."""
    replies: list[Reply] = []
    context: Context | None = None
    for text in turns:
        reply = engine.ask(text, client_lang=client_lang, context=context)
        replies.append(reply)
        context = reply.context
    return replies


def detail(kb: KnowledgeBase, topic: str, carrier: str, aspect: str, lang: str) -> str | None:
    """The cell's line about `aspect`, if it has one."""
    cell = kb.cells[(topic, carrier)]
    return next((pick(d.text, lang) for d in cell.details if d.aspect == aspect), None)


# --------------------------------------------------------------------------------------------
# a carrier, a topic or an aspect alone continues the last answer


@pytest.mark.parametrize(
    "opening",
    [
        "Can I gift data on mineo?",
        "Can I gift data to a friend on mineo?",
    ],
)
def test_what_about_another_carrier_keeps_the_topic(
    engine: Engine, kb: KnowledgeBase, opening: str
) -> None:
    reply = chat(engine, opening, "what about docomo?")[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "docomo", "docomo")
    assert reply.target == Target("cell", GIFTING, ("docomo",))
    assert first_line(engine, reply) == verdict(kb, GIFTING, "docomo", "en")


@pytest.mark.parametrize(
    "opening",
    [
        "Can I gift data on mineo?",
        "Can I gift data to a friend on mineo?",
    ],
)
def test_how_do_i_do_it_gets_the_carriers_step_by_step_entry(
    engine: Engine, kb: KnowledgeBase, opening: str
) -> None:
    """ "How do I do it?" after mineo's gifting answer: the パケットギフト how-to (every blind
    writer labelled it so), whose first line is the first step."""
    reply = chat(engine, opening, "how do I do it")[-1]
    assert (reply.decision, reply.id, reply.carrier) == (
        "answer",
        "mineo-packet-gift-howto",
        "mineo",
    )


def test_an_aspect_without_a_how_to_entry_is_led_by_the_cells_line(
    engine: Engine, kb: KnowledgeBase
) -> None:
    reply = chat(engine, "Can I gift data to a friend on mineo?", "is it free?")[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "mineo", "mineo")
    price = detail(kb, GIFTING, "mineo", "price", "en")
    assert price is not None
    shown = message_lines(engine, reply)
    assert shown[1] == price
    assert shown[2] == verdict(kb, GIFTING, "mineo", "en")  # the verdict right after


@pytest.mark.parametrize(
    ("turns", "topic", "carrier", "aspect", "lang"),
    [
        (("Can I gift data to a friend on mineo?", "is it free?"), GIFTING, "mineo", "price", "en"),
        (("mineo能把流量送给朋友吗", "要钱吗"), GIFTING, "mineo", "price", "zh-Hans"),
        (("mineo能把流量送给朋友吗", "对方也要是mineo吗"), GIFTING, "mineo", "receiver", "zh-Hans"),
        (("ahamo能开热点吗", "要钱吗"), "tethering", "ahamo", "price", "zh-Hans"),
        (("ahamo能开热点吗", "那要申请吗"), "tethering", "ahamo", "apply", "zh-Hans"),
        (("ahamo能开热点吗", "要钱吗", "那要申请吗"), "tethering", "ahamo", "apply", "zh-Hans"),
        (("乐天能开热点吗", "要钱吗"), "tethering", "rakuten", "price", "zh-Hans"),
        (("au能和家人共享流量吗", "那要申请吗"), "multi-line-share", "au", "apply", "zh-Hans"),
        (
            ("mineo能把流量送给朋友吗", "那au呢", "对方也要是au吗"),
            GIFTING,
            "au",
            "receiver",
            "zh-Hans",
        ),
        (
            ("Can I gift data to a friend on mineo?", "does my friend need to be on mineo too?"),
            GIFTING,
            "mineo",
            "receiver",
            "en",
        ),
    ],
)
def test_an_aspect_alone_is_answered_from_the_same_cell_led_by_that_line(
    engine: Engine,
    kb: KnowledgeBase,
    turns: tuple[str, ...],
    topic: str,
    carrier: str,
    aspect: str,
    lang: str,
) -> None:
    reply = chat(engine, *turns)[-1]
    expected_id = carrier if topic == GIFTING else topic
    assert (reply.decision, reply.id, reply.carrier) == ("answer", expected_id, carrier)
    assert reply.target == Target("cell", topic, (carrier,))
    line = detail(kb, topic, carrier, aspect, lang)
    shown = message_lines(engine, reply)
    if line is None:  # nothing more specific to say: the verdict answers it
        assert shown[1] == verdict(kb, topic, carrier, lang)
    else:
        assert shown[1:3] == [line, verdict(kb, topic, carrier, lang)]


def test_the_aspect_leads_only_when_the_cell_has_a_line_about_it(kb: KnowledgeBase) -> None:
    """The parametrized cases above exercise both branches, not only the fallback."""
    assert detail(kb, "tethering", "ahamo", "price", "zh-Hans") is None
    assert detail(kb, "tethering", "rakuten", "price", "zh-Hans") is not None
    assert detail(kb, "multi-line-share", "au", "apply", "zh-Hans") is not None


@pytest.mark.parametrize(
    ("opening", "follow_up", "lang"),
    [
        ("ahamo开热点要钱吗", "那au呢", "zh-Hans"),
        ("ahamo能开热点吗", "那au呢", "zh-Hans"),
        ("is tethering free on docomo", "what about au?", "en"),
        ("is tethering free on docomo", "那au呢", "zh-Hans"),
    ],
)
def test_another_carrier_after_a_tethering_question_gets_its_tethering_cell(
    engine: Engine, kb: KnowledgeBase, opening: str, follow_up: str, lang: str
) -> None:
    reply = chat(engine, opening, follow_up)[-1]
    assert (reply.decision, reply.id, reply.carrier, reply.lang) == (
        "answer",
        "tethering",
        "au",
        lang,
    )
    assert reply.target == Target("cell", "tethering", ("au",))  # not au's card
    assert first_line(engine, reply) == verdict(kb, "tethering", "au", lang)


def test_a_chain_of_carriers_keeps_the_topic(engine: Engine, kb: KnowledgeBase) -> None:
    replies = chat(engine, "ahamo能送流量吗", "那au呢", "softbank呢？")
    assert [(r.id, r.carrier) for r in replies] == [
        ("ahamo", "ahamo"), ("au", "au"), ("softbank", "softbank"),
    ]  # fmt: skip
    assert first_line(engine, replies[-1]) == verdict(kb, GIFTING, "softbank", "zh-Hans")


@pytest.mark.parametrize(
    ("turns", "carrier", "lang"),
    [
        (("mineo怎么样", "那开热点呢"), "mineo", "zh-Hans"),
        (("povo", "那开热点呢"), "povo", "zh-Hans"),
        (("mineo能把流量送给朋友吗", "那开热点呢"), "mineo", "zh-Hans"),
        (("tell me about rakuten", "what about tethering?"), "rakuten", "en"),
    ],
)
def test_another_topic_after_a_carrier_keeps_the_carrier(
    engine: Engine, kb: KnowledgeBase, turns: tuple[str, ...], carrier: str, lang: str
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "tethering", carrier)
    assert first_line(engine, reply) == verdict(kb, "tethering", carrier, lang)


def test_a_carrier_follow_up_with_an_aside_keeps_the_topic(
    engine: Engine, kb: KnowledgeBase
) -> None:
    reply = chat(engine, "乐天开热点有没有限制", "那linemo呢 我在考虑换")[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "tethering", "linemo")
    assert first_line(engine, reply) == verdict(kb, "tethering", "linemo", "zh-Hans")


def test_a_follow_up_asks_about_the_carrier_next_to_its_what_about(engine: Engine) -> None:
    aside = chat(engine, "docomo能送流量给同学吗", "那ahamo呢 也是多可摩家的吧")[-1]
    assert (aside.id, aside.carrier) == ("ahamo", "ahamo")
    both = chat(engine, "docomo能送流量给同学吗", "那au和mineo呢")[-1]
    assert (both.id, both.carrier) == (GIFTING, None)


def test_a_follow_up_that_names_no_topic_continues_the_last_one(engine: Engine) -> None:
    reply = chat(engine, "Y!mobile的流量可以留到下個月嗎", "加購的流量也可以嗎")[-1]
    assert (reply.id, reply.carrier) == ("carryover", "ymobile")


def test_a_carrier_named_in_an_unanswered_message_is_the_users_own(engine: Engine) -> None:
    mine, friend = chat(
        engine,
        "求助 在日本留学 我自己用的乐天最强计划 无限那个 平时根本用不完",
        "我女朋友用的ahamo 每个月20号就没流量了 我能把我的流量分给她吗",
    )
    assert mine.context.target == Target("card", carriers=("rakuten",))
    assert (friend.id, friend.carrier) == (GIFTING, None)  # between two carriers: no
    assert friend.target == Target("compare", GIFTING, ("rakuten", "ahamo"), cross=True)


def test_a_message_that_names_the_users_own_carrier_is_not_a_friends(engine: Engine) -> None:
    reply = chat(
        engine,
        "乐天开热点要钱吗",
        "那au呢",
        "我是刚来日本的留学生，用的是ahamo，每个月30G根本用不完，我室友也是ahamo，能分一点给她吗？",
    )[-1]
    assert (reply.id, reply.carrier) == ("ahamo", "ahamo")  # not "au and ahamo: no"
    friend = chat(engine, "docomo能送流量吗", "我朋友是软银的 我能送给她吗")[-1]
    assert (friend.id, friend.carrier) == (GIFTING, None)


def test_thanks_with_a_few_words_is_small_talk(engine: Engine) -> None:
    for text in (
        "謝謝你，很有幫助",
        "辛苦了 机器人也要休息哈",
        # longer thanks that asks nothing, with words that alone match something (いただき, 给你)
        "ご丁寧にご回答いただき、誠にありがとうございました。大変参考になりました。",
        "谢谢 回头直播给你打call",
        "哈喽 新人报道 厦门来的 请多关照🙏",  # a greeting that goes on
    ):
        assert engine.ask(text).decision == "smalltalk", text
    for text in ("谢谢 那能送给朋友吗", "thanks, how do I give her some data"):
        assert engine.ask(text).decision != "smalltalk", text


def test_a_cantonese_how_with_thanks_is_a_question_and_never_mind_is_small_talk(
    engine: Engine,
) -> None:
    # "唔該" is "please" here: "點樣" asks how
    how = chat(engine, "我用緊mineo 想send 1GB俾roommate", "點樣整 step by step 唔該")[-1]
    assert (how.decision, how.id, how.carrier) == ("answer", "mineo-packet-gift-howto", "mineo")
    # the question dropped, with its carrier: "no need then, thanks"
    bye = chat(engine, "乐天流量能结转吗", "哦对 乐天是不限量的 那没事了 谢了兄弟")[-1]
    assert bye.decision == "smalltalk"


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # after an out-of-scope message, a whole new question is read as an opening one
        (
            ("I'm leaving JET in July", "can I just hand my Rakuten SIM to the next ALT?"),
            ("sim-transfer-law", "rakuten"),
        ),
        (
            (
                "まごが らいげつ ちゅうごくに かえります",
                "まごの けいたいを わたしが そのまま つかっても いいですか",
            ),
            ("sim-transfer-law", None),
        ),
    ],
)
def test_a_whole_question_after_an_out_of_scope_one_is_read_as_an_opening(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # "现在用的是" after a person is that person's line, not the user's
        (
            (
                "mineo可以送流量给非mineo用户吗？我女朋友现在用的是乐天",
                "那她换成mineo之后呢，具体怎么送",
            ),
            ("answer", "mineo-packet-gift-howto", "mineo"),
        ),
        # charging a friend for a hotspot is money for data
        (("开热点给同学用", "收他一点钱算违法吗"), ("answer", "cash-for-data", None)),
        # call rates by "ring", a lost SIM, a corporate plan asked for: out of scope
        (
            (
                "does rakuten data roll over?",
                "fair enough. how much is it to ring the UK from rakuten then",
            ),
            ("none", None, None),
        ),
        (("i lose my sim card povo", "how to get new one"), ("none", None, None)),
        # "povo使ってる" is the user's own line; the boyfriend's is another carrier
        (
            (
                "povo使ってるんだけど",
                "彼氏がLINEMOでいつもギガ足りないって言ってて",
                "分けてあげる方法ある？",
            ),
            ("answer", "gifting-overview", None),
        ),
        # ... but "我用樂天" after "攝影師用ahamo" is the user's, not ahamo
        (
            ("攝影師用ahamo 我用樂天", "他30G用完了", "我開熱點給他用可以嗎"),
            ("answer", "tethering", "rakuten"),
        ),
        # data likened to PayPay after a PayPay question is about data
        (
            ("我刚用PayPay给老公转了钱", "那流量能不能像PayPay那样直接转给别人啊"),
            ("answer", "gifting-overview", None),
        ),
        # charging people for a hotspot; data turned into a discount on the bill
        (
            ("hi", "can I charge the other WHV folks at the hostel for using my hotspot?"),
            ("answer", "cash-for-data", None),
        ),
        (("乐天流量每个月都用不完", "能换成话费减免吗"), ("answer", "cash-for-data", "rakuten")),
        # "why?" after an out-of-scope question asks why of that; a line in China is not covered
        (("5G not working in my room", "i use rakuten, why?"), ("none", None, None)),
        (("hi", "俺媳妇在老家 能从日本这边给她国内的移动号充流量不"), ("none", None, None)),
        # a loaner phone during a repair, an old iPhone sold and wiped: out of scope
        (("au手机屏幕摔碎了能修吗", "修的时候能借备用机吗"), ("none", None, None)),
        (("hi", "煤炉上能卖二手iPhone吗 卖之前要怎么清数据"), ("none", None, None)),
        # where to enter a gift code is the gift's how-to
        (
            (
                "bro my friend also mineo, he say he will send me some data",
                "he give me code now. where i enter it?",
            ),
            ("answer", "mineo-packet-gift-howto", "mineo"),
        ),
        # whom the hotspot is for, said after it: still the hotspot
        (
            ("香港買嘅esim 開唔開到熱點㗎", "我老公部電話冇上網"),
            ("answer", "tethering", "tourist-sim"),
        ),
        # a SIM added for an iPad after a sharing answer: the sharing, its price
        (
            ("docomoのデータプラス", "iPad用に追加したい, 一个月多少钱"),
            ("answer", "multi-line-share", "docomo"),
        ),
        # "ドコモを使っている別の寮生": someone else on docomo, after a resident on mineo
        (
            ("寮生の一人がmineoを使っておりまして", "ドコモを使っている別の寮生にギガを送れますか"),
            ("answer", "gifting-overview", None),
        ),
        # paid monthly for a hotspot; "why?" after a bill kept from an out-of-scope question
        (
            ("我用ahamo開熱點給同事的筆電", "結果她說每個月付我一點錢，這樣可以嗎？"),
            ("answer", "cash-for-data", "ahamo"),
        ),
        (("ymobile bill very high this month", "why?"), ("none", None, None)),
        (("ahamo換新iPhone了", "eSIM要怎麼轉過去"), ("none", None, None)),
        # two people giving each other, on the carrier named now and the one said before
        (
            ("女儿的室友用au", "我女儿现在是UQ，两个人还能互相送流量吗"),
            ("answer", "gifting-overview", None),
        ),
        # ... not once both are on one
        (
            ("我 povo 老公 LINEMO", "不对，老公上个月换成 povo 了，那现在我们俩能互相给流量伐"),
            ("answer", "povo", "povo"),
        ),
        # a Hong Kong eSIM is a travel SIM: it cannot receive mineo's gift
        (
            ("個女話佢用緊mineo可以送流量", "我哋張香港esim收唔收到？"),
            ("answer", "gifting-overview", None),
        ),
        # whether codes sold cheap can be trusted, after the answer on selling them
        (
            ("同学说闲鱼上能买日本流量兑换码", "便宜一半 靠谱吗"),
            ("answer", "sell-data-platforms", None),
        ),
        # money sent home, then the cheapest app for it: out of scope
        (("我想给国内我妈寄点钱", "用啥app手续费便宜"), ("none", None, None)),
        # after selling codes, a carrier's codes named: the same answer about that carrier
        (
            ("有人在闲鱼上卖日本流量兑换码 靠谱吗", "我想买点povo的"),
            ("answer", "sell-data-platforms", "povo"),
        ),
        (
            ("ギガ余ったらメルカリで売れる？", "mineoのギフトコードなんだけど"),
            ("answer", "sell-data-platforms", "mineo"),
        ),
        (
            ("乐天能开热点给收银机用吗", "那店里的POS机要不要单独办张卡 乐天有法人套餐吗"),
            ("none", None, None),
        ),
    ],
)
def test_whose_line_charging_a_friend_and_near_misses_are_read(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == expected


@pytest.mark.parametrize("opening", ["我刚办了nuro的卡", "哈喽 想问问 nuro 嗯 就是 nuro"])
def test_a_carrier_with_words_that_match_nothing_is_its_card_and_is_kept(
    engine: Engine, opening: str
) -> None:
    card, follow_up = chat(engine, opening, "能开热点吗")
    assert (card.decision, card.id, card.carrier) == ("answer", "nuro-mobile", "nuro-mobile")
    assert card.target == Target("card", carriers=("nuro-mobile",))
    assert (follow_up.id, follow_up.carrier) == ("tethering", "nuro-mobile")


def test_a_complete_new_question_starts_afresh(engine: Engine, kb: KnowledgeBase) -> None:
    reply = chat(engine, "mineo能把流量送给朋友吗", "日本哪家能送流量")[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", GIFTING, None)
    assert reply.target == Target("overview", GIFTING)
    assert first_line(engine, reply) == pick(kb.topics[GIFTING].overview, "zh-Hans")


def test_a_new_question_about_another_carrier_starts_afresh(engine: Engine) -> None:
    reply = chat(engine, "povo tethering?", "can I gift data on rakuten mobile?")[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "rakuten", "rakuten")


@pytest.mark.parametrize(
    "opening", ["mineo能把流量送给朋友吗", "ahamo开热点要钱吗", "tell me about povo"]
)
def test_an_out_of_scope_message_after_an_answer_is_not_answered(
    engine: Engine, opening: str
) -> None:
    first, reply = chat(engine, opening, "PayPay能转钱吗")
    assert first.decision == "answer"
    assert (reply.decision, reply.id, reply.carrier, reply.target) == ("none", None, None, None)
    assert reply_text(reply, engine.snapshot, as_html=False).text == t("zh-Hans", "none")


@pytest.mark.parametrize(
    "turns",
    [
        # selling an old phone (a trade-in) after a data question sells the phone, not data
        ("au嘅データプレゼント點樣送", "咁au嘅舊機回收可以抵幾多錢"),
        ("mineoのパケットギフトって何？", "じゃあ古いスマホの下取りで売るといくら？"),
    ],
)
def test_an_old_phone_sold_after_a_data_question_is_out_of_scope(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    first, reply = chat(engine, *turns)
    assert first.decision == "answer"
    assert (reply.decision, reply.id) == ("none", None)


@pytest.mark.parametrize(
    "text",
    ["实验室的wifi账号能借给师弟用吗？会不会被学校查到", "宿舍的wifi帳號可以借給學弟嗎"],
)
def test_lending_a_wifi_account_is_out_of_scope(engine: Engine, text: str) -> None:
    assert engine.ask(text).decision == "none"


@pytest.mark.parametrize(
    "turns",
    [
        ("mineo的流量下个月还能用吗", "ok 那冈山站附近有mineo的店吗 周末开不开"),
        ("ワイモバ的ギガ能繰り越し吗", "那ワイモバ的店周末要予約吗"),
        ("my ワイモバ テザリング", "ok and ワイモバ 学割, do teachers get anything? lol"),
        ("can I tether on ahamo", "cool. how much are calls on ahamo? need to phone my boss"),
        ("ソフバンのテザリングって金かかる？", "ほなソフバンの学割っていつまでなん？"),
    ],
)
def test_a_shop_or_a_discount_asked_of_the_same_carrier_is_out_of_scope(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    """Naming the last answer's carrier again does not make a question about its shops or its
    student discount the last question again."""
    first, reply = chat(engine, *turns)
    assert first.decision == "answer"
    assert reply.decision == "none"


@pytest.mark.parametrize(
    "turns",
    [
        ("我们店铺开在乐天市场，怎么提升店铺流量和转化率",),
        ("GitHub Copilot 的 data 会不会被 share 给别人训练",),
        ("UQ mobile 结转的流量和当月流量 哪个先扣", "另外UQ的eSIM换机的时候怎么迁移"),
    ],
)
def test_shop_traffic_ai_training_data_and_moving_an_esim_are_out_of_scope(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    assert chat(engine, *turns)[-1].decision == "none"


# --------------------------------------------------------------------------------------------
# small talk

APOLOGIES = ("抱歉", "答不了", "すみません", "答えられません", "sorry", "can't answer")


@pytest.mark.parametrize(
    ("text", "kind", "lang", "client"),
    [
        ("你好", "greeting", "zh-Hans", None),
        ("谢谢", "thanks", "zh-Hans", None),
        ("谢谢！", "thanks", "zh-Hans", None),
        ("hello", "greeting", "en", None),
        ("ありがとう", "thanks", "ja", None),
        ("thanks!", "thanks", "en", None),
        ("ok", "ack", "en", "en-US"),
        ("ok", "ack", "zh-Hans", None),
        ("👍", "ack", "ja", "ja"),
        ("👍👍", "ack", "zh-Hans", None),
        # asking whether it is a bot, or whether it can answer, is a greeting
        ("你是真人还是机器人啊", "greeting", "zh-Hans", None),
        ("你好，我想问一些日本手机卡的问题，你能回答吗？", "greeting", "zh-Hans", None),
        ("namaste", "greeting", "en", None),
        ("xswl", "ack", "en", None),  # Latin letters, no client language: English
        ("顶一下", "ack", "zh-Hans", None),
        ("栓Q 绝了", "ack", "zh-Hans", None),
        ("收到了 太感谢了🙏", "thanks", "zh-Hans", None),
        # "let me talk it over", "one more question" with nothing asked yet
        ("好的 我跟老公商量一下", "ack", "zh-Hans", None),
        ("歹勢 閣問一个問題", "ack", "zh-Hant", None),
        ("了解です", "ack", "ja", None),
        # leaving gets a goodbye, not a hello or "I can't answer that"
        ("have a good one", "bye", "en", None),
        ("see ya", "bye", "en", None),
        ("好的拜拜", "bye", "zh-Hans", None),
        ("先走了", "bye", "zh-Hans", None),
        ("おやすみなさい", "bye", "ja", None),
        ("すみません、質問です", "greeting", "ja", None),
    ],
)
def test_small_talk_gets_small_talk_never_an_apology(
    engine: Engine, text: str, kind: str, lang: str, client: str | None
) -> None:
    for context in (None, engine.ask("ahamo开热点要钱吗").context):
        reply = engine.ask(text, client_lang=client, context=context)
        if context is not None and text in ("ok", "👍"):
            lang = "zh-Hans"  # the script cannot tell: the conversation's, not the client's
        assert (reply.decision, reply.smalltalk, reply.lang) == ("smalltalk", kind, lang)
        assert (reply.id, reply.carrier, reply.target) == (None, None, None)
        rendered = reply_text(reply, engine.snapshot, as_html=False).text
        assert rendered == t(lang, f"smalltalk_{kind}")
        assert not any(a in rendered for a in APOLOGIES)


def test_small_talk_keeps_the_conversation(engine: Engine, kb: KnowledgeBase) -> None:
    replies = chat(engine, "is tethering free on docomo", "thanks!", "what about au?")
    assert [r.decision for r in replies] == ["answer", "smalltalk", "answer"]
    assert (replies[-1].id, replies[-1].carrier) == ("tethering", "au")
    assert first_line(engine, replies[-1]) == verdict(kb, "tethering", "au", "en")


@pytest.mark.parametrize(
    "turns",
    [
        ("宝宝今天生了 前两天你教我开热点 谢谢啊", "乖乖 小家伙可好看了"),
        ("最後兩個都辦mineo了 謝謝你啦", "下次來台南請你吃牛肉湯哈哈"),
        ("早安☀️", "今天天氣好好"),  # after a greeting too
    ],
)
def test_chat_after_thanks_that_asks_nothing_is_small_talk(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    assert chat(engine, *turns)[-1].decision == "smalltalk"


# --------------------------------------------------------------------------------------------
# "did you mean": never one option; a number picks; the last number is "none of these"


def test_no_reply_on_the_tuning_sets_clarifies_with_a_single_option(engine: Engine) -> None:
    asked = clarified = 0
    for name in TUNING_SETS:
        for case in load_cases(ROOT / "tests" / "data" / name):
            reply, _ = run_case(case, lambda text, ctx: engine.ask(text, context=ctx))
            asked += 1
            if reply.decision == "clarify":
                clarified += 1
                assert len(reply.candidates) >= 2, case.turns
                assert len(reply.context.options) == len(reply.candidates), case.turns
    assert asked > 500 and clarified > 0


def test_a_number_picks_from_the_options_and_the_last_is_none_of_these(
    engine: Engine, kb: KnowledgeBase
) -> None:
    offer = engine.ask("流量")
    options = offer.context.options
    assert offer.decision == "clarify" and len(options) >= 2
    text = reply_text(offer, engine.snapshot, as_html=False, numbered=True).text
    assert f"{len(options) + 1}. {t('zh-Hans', 'none_of_these')}" in text.split("\n")
    for n, option in enumerate(options, 1):
        picked = engine.ask(str(n), context=offer.context)
        assert (picked.decision, picked.target) == ("answer", option)
        assert picked.id == option.answer_id(kb)
        assert first_line(engine, picked) == compose(engine.snapshot, option, "zh-Hans").lines[0]
    dismissed = engine.ask(str(len(options) + 1), context=offer.context)
    assert (dismissed.decision, dismissed.dismissed, dismissed.id) == ("none", True, None)
    assert reply_text(dismissed, engine.snapshot, as_html=False).text == t("zh-Hans", "dismissed")
    assert dismissed.context.options == ()  # a second number picks nothing


def test_a_number_picks_from_the_topics_offered_with_a_none(
    engine: Engine, kb: KnowledgeBase
) -> None:
    offer = engine.ask("mineo解约要钱吗")
    options = offer.context.options
    assert offer.decision == "none" and len(options) == len(kb.topics)
    n = options.index(Target("cell", "tethering", ("mineo",))) + 1
    picked = engine.ask(str(n), context=offer.context)
    assert (picked.decision, picked.id, picked.carrier) == ("answer", "tethering", "mineo")
    assert first_line(engine, picked) == verdict(kb, "tethering", "mineo", "zh-Hans")
    dismissed = engine.ask(str(len(options) + 1), context=offer.context)
    assert (dismissed.decision, dismissed.dismissed) == ("none", True)


# --------------------------------------------------------------------------------------------
# the store


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def ctx(topic: str, carrier: str) -> Context:
    return Context(Target("cell", topic, (carrier,)), question=f"{carrier} {topic}?")


def test_a_conversation_is_forgotten_after_its_time_to_live() -> None:
    clock = Clock()
    store = Conversations(ttl=60, max_size=10, clock=clock)
    store.put("a", ctx("tethering", "au"))
    clock.now += 60
    assert store.get("a") == ctx("tethering", "au")  # exactly the TTL: still remembered
    clock.now += 0.5
    assert store.get("a") is None
    assert len(store) == 0  # an expired conversation is dropped, not only hidden


def test_each_message_restarts_the_time_to_live() -> None:
    clock = Clock()
    store = Conversations(ttl=60, max_size=10, clock=clock)
    store.put("a", ctx("tethering", "au"))
    clock.now += 50
    store.put("a", ctx("carryover", "au"))
    clock.now += 50
    assert store.get("a") == ctx("carryover", "au")
    clock.now += 11
    assert store.get("a") is None


def test_the_least_recently_used_conversation_is_forgotten_first() -> None:
    store = Conversations(ttl=60, max_size=3, clock=Clock())
    for key in ("a", "b", "c"):
        store.put(key, ctx("tethering", "au"))
    store.put("a", ctx("carryover", "au"))  # "a" spoke again: "b" is now the oldest
    store.put("d", ctx("tethering", "povo"))
    assert len(store) == 3
    assert store.get("b") is None
    assert [store.get(k) for k in ("a", "c", "d")] == [
        ctx("carryover", "au"), ctx("tethering", "au"), ctx("tethering", "povo"),
    ]  # fmt: skip
    store.forget("a")
    assert store.get("a") is None and len(store) == 2
    store.forget("never-seen")  # forgetting an unknown conversation is fine
    assert len(store) == 2


def test_conversations_are_separate(engine: Engine) -> None:
    store = Conversations()
    mine, yours = (1, 100), (1, 200)  # one group, two users
    store.put(mine, engine.ask("ahamo开热点要钱吗").context)
    store.put(yours, engine.ask("mineo能把流量送给朋友吗").context)
    assert engine.ask("那au呢", context=store.get(mine)).id == "tethering"
    assert engine.ask("那au呢", context=store.get(yours)).id == "au"


MEMORY_BOUND_MB = 80.0  # 100,000 conversations; measured ~61 MB (about 600 bytes each)


def test_memory_for_100000_conversations_is_bounded() -> None:
    n = 100_000
    store = Conversations(max_size=n, clock=Clock())
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        for i in range(n):
            # Every conversation its own objects, as after real questions: group chat id and
            # user id as the key, a Target and a question of typical length.
            target = Target("cell", "tethering", ("ahamo",))
            store.put(
                (-1001234567890 - i, 5_000_000_000 + i),
                Context(target, (), f"ahamo开热点要钱吗{i}"),
            )
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    used_mb = (after - before) / 1e6
    print(f"\n{n:,} conversations: {used_mb:.1f} MB ({(after - before) / n:.0f} bytes each)")
    assert len(store) == n
    assert used_mb < MEMORY_BOUND_MB


LONG_MESSAGE_BOUND_MB = 150.0  # 100,000 conversations whose every message is 4,096 characters


def test_memory_stays_bounded_when_every_message_is_as_long_as_telegram_allows(
    engine: Engine,
) -> None:
    n, scale = 100, 1000  # measured on 100 conversations, reported for 100,000
    question = ("ahamo开热点要钱吗？我朋友也想用。" * 300)[:4096]
    store = Conversations(max_size=n, clock=Clock())
    # What the engine keeps after answering such a message (engine caches aside: they are
    # bounded on their own and shared by all conversations).
    kept = engine.ask(question).context
    assert len(kept.question) <= QUESTION_KEPT
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        for i in range(n):
            context = dataclasses.replace(kept, question=(question + str(i))[:QUESTION_KEPT])
            store.put((-1001234567890 - i, 5_000_000_000 + i), context)
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    used_mb = (after - before) * scale / 1e6
    print(f"\n{n * scale:,} conversations of 4,096-character messages: ~{used_mb:.0f} MB")
    assert len(store) == n
    assert used_mb < LONG_MESSAGE_BOUND_MB


@pytest.mark.parametrize(
    ("first", "second", "pair"),
    [
        ("我用的是乐天", "我室友是docomo，她能给我转流量吗", ("rakuten", "docomo")),
        ("I'm on povo", "can my bf on au send me some gigs?", ("povo", "au")),
        ("docomo能送流量吗", "我朋友是软银的 我能送给她吗", ("docomo", "softbank")),
    ],
)
def test_the_users_carrier_then_a_friends_is_gifting_between_two_carriers(
    engine: Engine, first: str, second: str, pair: tuple[str, str]
) -> None:
    """Someone says which carrier they are on, then asks about a friend on another one: gifting
    between two carriers, which no carrier does; the first line says so."""
    said = engine.ask(first)
    assert said.decision == "answer" and said.carrier == pair[0]
    reply = engine.ask(second, context=said.context)
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "gifting-overview", None)
    assert reply.target == Target("compare", "gifting-overview", pair, cross=True)
    kb = engine.snapshot.kb
    composed = compose(engine.snapshot, reply.target, reply.lang)
    a, b = (carrier_label(kb, c, reply.lang) for c in pair)
    assert composed.lines[0] == t(reply.lang, "cross_carrier", a=a, b=b)


def test_a_follow_up_that_gives_without_an_object_gives_the_conversations_data(
    engine: Engine,
) -> None:
    """ "那直接送朋友呢" after a carry-over answer gives *data* (not a SIM): never the carry-over
    answer again, and never the SIM law."""
    first, second = chat(engine, "docomo的流量能留到下个月吗", "那直接送朋友呢")
    assert (first.id, first.carrier) == ("carryover", "docomo")
    assert second.id != "carryover"
    assert second.id != "sim-transfer-law"
    assert second.decision == "clarify" or (second.id, second.carrier) == ("docomo", "docomo")


def test_a_follow_up_about_a_sim_keeps_the_sim() -> None:
    """After a question about handing over a SIM, "能直接给学弟用吗" still asks about the SIM."""
    engine = Engine(KNOWLEDGE)
    _, second = chat(engine, "下个月回国了 手机卡怎么处理比较好", "能直接给学弟用吗")
    assert second.id == "sim-transfer-law"


def test_the_carrier_a_follow_up_asks_about_is_not_excluded_by_an_aside(engine: Engine) -> None:
    """ "au呢 uq不是au家的吗": au is asked ("不是" belongs to the aside); "除了乐天呢" still
    excludes."""
    _, asked = chat(engine, "uq能送流量吗", "au呢 uq不是au家的吗")
    assert (asked.id, asked.carrier) == ("au", "au")
    _, other = chat(engine, "乐天能送流量吗", "除了乐天呢 还有哪家能送")
    assert (other.id, other.carrier) == (GIFTING, None)


def test_saying_the_subject_changes_starts_afresh(engine: Engine) -> None:
    """ "話変わるけど…" drops the carrier the conversation was about."""
    _, reply = chat(
        engine, "ahamoってデータ繰り越せる？", "話変わるけど、留学生におすすめのSIMは？"
    )
    assert (reply.id, reply.carrier) == ("choose-plan", None)


def test_an_entry_asked_as_a_follow_up_is_about_the_conversations_carrier(
    engine: Engine,
) -> None:
    _, reply = chat(engine, "下个月回国了 docomo的卡怎么处理比较好", "能直接给学弟用吗 他刚来")
    assert (reply.id, reply.carrier) == ("sim-transfer-law", "docomo")


def test_a_did_you_mean_keeps_the_carrier_for_what_follows(engine: Engine) -> None:
    first, second = chat(engine, "mineo 可以送給不同電信線路的人嗎 A/D/S", "能share流量吗")
    assert first.decision == "clarify"
    assert first.context.target == Target("card", carriers=("mineo",))
    assert second.carrier == "mineo"


def test_sims_added_under_one_account_are_sharing(engine: Engine) -> None:
    reply = chat(engine, "iijmio 一个mioID 能加几张SIM")[-1]
    assert (reply.id, reply.carrier) == ("multi-line-share", "iijmio")


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # Nothing was answered: the thing named is asked with the last question's act.
        (("PayPay能给朋友转钱吗", "那流量呢 我用ahamo"), ("answer", "ahamo", "ahamo")),
        # Handing over what the last question was about: the SIM, so the law.
        (
            ("BIGLOBEのシェアSIMって何？", "それ友達に渡して使わせてもいい？"),
            ("answer", "sim-transfer-law", "biglobe"),
        ),
    ],
)
def test_a_follow_up_is_completed_from_the_last_question(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str, str]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == expected


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (("can I carry over unused data?", "sorry forgot to say, I'm on LINEMO"), "carryover"),
        (("熱點要申請嗎", "我是au 剛剛忘記講"), "tethering"),
        (
            (
                "娘がahamoでテザリング使いたいって言ってるんだけど、申し込みいるの？",
                "じゃあpovoは？息子の方なんだけど",
            ),
            "tethering",
        ),
    ],
)
def test_a_message_that_adds_only_a_carrier_completes_the_question_for_it(
    engine: Engine, turns: tuple[str, ...], expected: str
) -> None:
    _, second = chat(engine, *turns)
    carrier = engine.find_carrier(turns[1])
    assert (second.decision, second.id, second.carrier) == ("answer", expected, carrier)


def test_a_hotspot_for_a_friend_on_another_carrier_is_the_users_tethering(
    engine: Engine,
) -> None:
    _, reply = chat(engine, "我是乐天的 无限流量", "朋友docomo的 流量不够 我开热点给她用可以吗")
    assert (reply.id, reply.carrier) == ("tethering", "rakuten")


def test_a_carrier_said_to_be_a_relatives_is_not_the_users(engine: Engine) -> None:
    """ "娘がahamoで…" then "じゃあpovoは？息子の方": the son's povo, not a daughter-to-son
    gift between carriers, and not ahamo."""
    _, reply = chat(
        engine,
        "娘がahamoでテザリング使いたいって言ってるんだけど、申し込みいるの？",
        "じゃあpovoは？息子の方なんだけど",
    )
    assert (reply.id, reply.carrier) == ("tethering", "povo")


@pytest.mark.parametrize("relative", ["婆婆", "公公", "阿嫲", "嫂子", "my mother-in-law", "義母"])
def test_an_in_law_or_an_elder_is_a_person_whose_carrier_is_theirs(
    engine: Engine, relative: str
) -> None:
    """In-laws and elders are people too: "婆婆用的是Y!mobile" … "我是softbank" … "她可以分給我嗎"
    is giving between two carriers, not SoftBank's card."""
    *_, reply = chat(engine, f"{relative}用的是Y!mobile", "我是softbank", "她可以分給我嗎")
    assert (reply.id, reply.carrier) == ("gifting-overview", None)


def test_a_carrier_said_with_nobody_in_it_is_the_users_when_someone_else_gives(
    engine: Engine,
) -> None:
    """ "using povo" then "my wife she use docomo can she give me data": giving from docomo to
    povo, between two carriers."""
    reply = chat(
        engine,
        "Vietnamese here, working in Osaka. using povo",
        "how about my wife she use docomo can she give me data",
    )[-1]
    assert (reply.id, reply.carrier) == ("gifting-overview", None)


@pytest.mark.parametrize(
    "turns",
    [
        (
            "how to do the mineo packet gift",
            "sorry i dont understand the japanese my page, step by step pls",
        ),
        ("mineo的流量怎么送给老婆", "她说码输进去没用 码是大前天发的"),
    ],
)
def test_more_about_the_same_subject_goes_on_with_the_answer(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    """A follow-up that names no carrier and says more of the answer's own subject is that
    answer again, not "I can't answer that"."""
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == (
        "answer",
        "mineo-packet-gift-howto",
        "mineo",
    )


def test_a_detail_told_after_an_answer_is_no_new_question(engine: Engine) -> None:
    first, detail, last = chat(
        engine,
        "can I hotspot my friend off my tourist eSIM",
        "we're travelling together for 2 weeks",
        "sweet. is there a limit on it or",
    )
    assert (first.id, first.carrier) == ("tethering", "tourist-sim")
    assert (detail.decision, detail.id) == ("answer", "tethering")
    assert (last.decision, last.id, last.carrier) == ("answer", "tethering", "tourist-sim")


def test_the_user_opening_a_hotspot_is_the_users_own_line(engine: Engine) -> None:
    *_, reply = chat(engine, "攝影師用ahamo 我用樂天", "他30G用完了", "我開熱點給他用可以嗎")
    assert (reply.id, reply.carrier) == ("tethering", "rakuten")


def test_money_paid_for_a_hotspot_is_data_sold(engine: Engine) -> None:
    _, reply = chat(engine, "我每天开热点给合租的朋友用", "她说每月给我1000日元 这样收钱可以吗")
    assert (reply.id, reply.carrier) == ("cash-for-data", None)


@pytest.mark.parametrize("text", ["lunch time!", "お腹すいた", "宝宝终于睡了😮‍💨", "我去上班了"])
def test_chat_about_the_day_after_an_answer_does_not_repeat_it(engine: Engine, text: str) -> None:
    """Everyday chat is small talk, not a follow-up: neither a cell nor an entry (which would
    take it for the reason of the question) is given again."""
    for turns in (("ahamo开热点要钱吗",), ("mineo能送流量吗", "那au呢", "要钱吗")):
        reply = chat(engine, *turns, text)[-1]
        assert (reply.decision, reply.target) == ("smalltalk", None)


def test_unless_it_is_au_does_not_exclude_au(engine: Engine) -> None:
    _, reply = chat(engine, "auのデータプレゼントって何？", "相手もauじゃないとダメ？")
    assert reply.decision == "answer" and reply.carrier == "au"


def test_how_about_a_carrier_after_a_recommendation_is_its_card(engine: Engine) -> None:
    _, reply = chat(engine, "おすすめの格安SIMある？", "ちなみにpovoってどう？")
    assert (reply.id, reply.carrier) == ("povo", "povo")


def test_topping_up_is_done_on_the_other_persons_line(engine: Engine) -> None:
    _, reply = chat(engine, "我想给我爸充点流量", "他用的是UQ 我是povo")
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "top-up-for-friend", "uq-mobile")


def test_a_follow_up_about_a_carriers_gifting_feature_stays_on_it(engine: Engine) -> None:
    first, second = chat(
        engine, "auのデータプレゼントって誰にでも送れる？", "もらったギガの有効期限は？"
    )
    assert (first.id, second.id, second.carrier) == ("au-data-present", "au-data-present", "au")


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # A carrier added to an out-of-scope question is out of scope too.
        (("ahamo打电话5分钟以内是免费的吗", "那povo呢"), ("none", None, None)),
        (("how much is roaming in Korea for 3 days", "I'm on LINEMO btw"), ("none", None, None)),
        # Asked how, with the carrier's gifting feature in reach: the how-to.
        (
            (
                "uber eats rider here, data keeps dying mid shift",
                "a mate on mineo reckons he can chuck me a few gigs, I'm on mineo too. how does he actually do it?",
            ),
            ("answer", "mineo-packet-gift-howto", "mineo"),
        ),
        # "どれくらい" asks how much, not which carrier.
        (
            ("フリータンクってなに？", "月にどれくらい引き出せるの？いつでもいいの？"),
            ("answer", "mineo-free-tank", "mineo"),
        ),
        # "そもそも" starts afresh: a general question.
        (
            (
                "楽天のテザリングって無制限？",
                "それはもういいや。そもそも友達にギガあげる方法って何がある？",
            ),
            ("answer", GIFTING, None),
        ),
        # "どこから" asks where, and keeps the carrier.
        (
            ("auってテザリングに申込いるの？", "申し込みってどこから？お金かかる？"),
            ("answer", "tethering", "au"),
        ),
    ],
)
def test_follow_ups_from_the_fifth_conversation_writer(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == expected


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # Who said a carrier is good is not who uses it: the user's own uq is asked about.
        (
            ("学长说mineo可以互相送流量", "我现在用的是uq 那uq可以吗"),
            ("answer", "uq-mobile", "uq-mobile"),
        ),
        # "…咧" is Taiwanese "…呢": a carrier swap, not a friend's carrier.
        (
            ("請問有人用過IIJmio的流量贈送嗎", "那OCN mobile one咧 可以送給朋友嗎"),
            ("answer", "ocn-mobile-one", "ocn-mobile-one"),
        ),
        # A hotspot question said nothing of whose carrier it was: no gifting between carriers.
        (
            ("softbank热点要申请吗", "好 谢谢", "还有一个 au的流量能送给朋友吗 对方也是au"),
            ("answer", "au", "au"),
        ),
        # "我friend用…" is the friend's carrier: giving between two carriers.
        (("我用緊uq", "我friend用ymobile 佢可唔可以分啲流量俾我"), ("answer", GIFTING, None)),
        # A late detail completes the last question even when it says more than the carrier.
        (
            ("can I give my data to my sister", "forgot to say we are both on IIJmio"),
            ("answer", "iijmio", "iijmio"),
        ),
        (
            ("來日本玩一週 手機可以分網路給朋友嗎", "忘了說 我們買的是機場那種旅遊eSIM"),
            ("answer", "tourist-sim", "tourist-sim"),
        ),
        # Phone credit is not mobile data, and a late carrier does not make it so.
        (("话费可以转给朋友吗", "忘了说 我是docomo"), ("none", None, None)),
        # "给我开热点": the hotspot is for me, not a gift of data.
        (
            ("女儿说可以给我开热点要不要钱", "忘了说她是那个软银的"),
            ("answer", "tethering", "softbank"),
        ),
        # A correction drops the act it rejects, even after a general entry the carrier links.
        (("povo的流量能不能卖", "说错了 不是卖 是送给同学"), ("answer", "povo", "povo")),
        # Both said to be on one carrier after all: not giving between carriers.
        (
            ("我老公softbank 能送我流量吗", "搞错了 他是ymobile 我也是ymobile"),
            ("answer", "ymobile", "ymobile"),
        ),
        # Naming the feature's carrier again asks about the feature.
        (
            (
                "auのデータプレゼントで孫にデータを送りたいのですが",
                "孫も同じauでないといけないのでしょうか",
            ),
            ("answer", "au-data-present", "au"),
        ),
        (("パケギフできるとこどこ", "mineoは知ってる", "mineo以外で"), ("answer", GIFTING, None)),
        # A late detail naming the receiver's other carrier: giving between carriers.
        (
            (
                "auのデータプレゼントについて伺います",
                "申し遅れましたが、送りたい相手は孫でして、孫はソフトバンクを使っております",
            ),
            ("answer", GIFTING, None),
        ),
        # Who is on what, with an account detail: the same question for that carrier.
        (
            (
                "I'm on IIJmio. can I gift some GB to my sister-in-law",
                "does she need the same carrier?",
                "she's on IIJmio but has her own account",
            ),
            ("answer", "iijmio", "iijmio"),
        ),
        # Who is on which carrier is remembered across the conversation: the user's own, said
        # first, and the roommate's, said next, make the third message giving between carriers.
        (
            ("我在打工度假 用povo", "室友用樂天 流量快沒了", "可以分一點給她嗎"),
            ("answer", GIFTING, None),
        ),
        (
            (
                "I'm on au, can I send data to someone?",
                "brilliant, that sounds handy",
                "it's for my mum though, she's on docomo",
            ),
            ("answer", GIFTING, None),
        ),
        (("我是linemo的", "我女朋友是ahamo", "我们能互相送流量吗"), ("answer", GIFTING, None)),
        (
            (
                "うちの主人がpovoで、私はmineoなんですけど",
                "主人のギガを私がもらうことってできますか",
            ),
            ("answer", GIFTING, None),
        ),
        # Asking about a carrier's gifting feature says whose carrier it is.
        (
            ("auのデータプレゼントって家族以外にも送れる？", "彼女UQなんだけど送れる？"),
            ("answer", GIFTING, None),
        ),
        # "We are both on…" puts both people on one carrier.
        (
            (
                "我们俩刚从上海搬过来 公司给我老公办了softbank 我还没办",
                "softbank能把流量分给我吗",
                "那如果我们俩都换成ymobile呢 能互相给吗",
            ),
            ("answer", "ymobile", "ymobile"),
        ),
        # An aspect the carrier's gifting feature is asked about (au データプレゼント's price)
        # goes to that feature's entry; one its samples hardly ask (mineo's how-to: price) is
        # answered by the cell, led by that line.
        (("au能给别人送流量吗", "多少钱一个G 有效期多久"), ("answer", "au-data-present", "au")),
        (("mineo能送流量吗", "那个要钱吗"), ("answer", "mineo", "mineo")),
        (
            (
                "mineoのパケットギフトって相手もmineoじゃないとダメ？",
                "彼女もmineoだからいけるわ",
                "それって無料？",
            ),
            ("answer", "mineo", "mineo"),
        ),
        (
            ("mineo怎么送流量给朋友", "对方要输入什么 码多久过期"),
            ("answer", "mineo-packet-gift-howto", "mineo"),
        ),
        # The receiver "is not on mineo" while asking about mineo's gift: from mineo to povo.
        (("mineo的gift功能 对方不是mineo也能收吗 她用的是povo",), ("answer", GIFTING, None)),
        # An off-topic reason does not sink a question that excludes a carrier.
        (
            ("除了mineo 还有哪家能送流量给别人的 mineo在我们宿舍信号不太好",),
            ("answer", GIFTING, None),
        ),
        # "她的呢" after a hotspot question asks about her carrier's tethering, not the user's.
        (
            ("HIS mobile开热点要不要另外收钱", "我老婆用的日本通信 她的呢"),
            ("answer", "tethering", "nihon-tsushin"),
        ),
        # The user's supervisor is a person on a carrier: giving from him is between carriers.
        (("我导师用docomo", "我用IIJmio", "他能分点流量给我不"), ("answer", GIFTING, None)),
        # Cancelling in Korean, and a question said to be unrelated to data, are out of scope.
        (("povo 해지 방법 おしえてください。アプリのどこからできますか？",), ("none", None, None)),
        # A bare "why not?" with the user's reason after it asks why of that answer.
        (
            ("乐天流量用不完能换钱吗 他说可以卖给同学", "为什么不行？又不犯法"),
            ("answer", "cash-for-data", "rakuten"),
        ),
        (
            ("au没用完的流量能留到下个月不", "为啥不行？俺以前那张卡可以"),
            ("answer", "carryover", "au"),
        ),
        # A repair under warranty (送修, 保固), a carrier's home Wi-Fi, how to cancel: out of scope.
        (("iPhone 在日本送修，電信商的保固涵蓋螢幕破裂嗎？",), ("none", None, None)),
        (("UQ能不能送流量给工友", "那UQ的家用wifi能在宿舍装不"), ("none", None, None)),
        (("妻がpovo", "解約どうやる？ 中国帰るかも"), ("none", None, None)),
        # A Wi-Fi network shared (a dorm's, one's home's, a shop's) is no mobile data.
        (
            ("寮の共用Wi-Fiを学生同士でシェアしてるんですが", "ルーターを増やした方がいいですか"),
            ("none", None, None),
        ),
        (
            ("帰省中だけなんですが", "うちのWi-Fiをお隣さんと共有しても大丈夫でしょうか"),
            ("none", None, None),
        ),
        (("店里wifi老断", "wifi密码给客人用会不会被人偷网"), ("none", None, None)),
        # Calls home are out of scope, with or without a carrier said before.
        (("替我爸问问 他用docomo", "他想知道打回国内的电话多少钱一分钟"), ("none", None, None)),
        # A correction saying who is on what, two carriers at once, redoes the question.
        (("rakten能送流量吗", "哦不对 我朋友是乐天 我自己是mineo"), ("answer", GIFTING, None)),
        # "在国内" is where the parents are: the child's carrier is kept.
        (
            ("孩子在日本用的是softbank", "我能在国内帮他买流量吗"),
            ("answer", "top-up-for-friend", "softbank"),
        ),
        # "Which one can, then?" after a carrier's answer: the overview of that topic.
        (("楽天モバイルでギガあげられる？", "じゃあどこならできるの？"), ("answer", GIFTING, None)),
        # A code asked about after the how-to is that how-to's code.
        (
            ("mineoのパケットギフトって何？", "コードってどこで発行するの？"),
            ("answer", "mineo-packet-gift-howto", "mineo"),
        ),
        # Who has data to spare, said in a conversation about getting data: between carriers.
        (
            (
                "I'm on povo, any way to get more data from family?",
                "I burn through toppings every month with remote meetings",
                "my wife is on au btw, she always has lots left over",
            ),
            ("answer", GIFTING, None),
        ),
        # Terse: whose leftover, the wife's carrier, then the question about her.
        (("ドコモ ギガ余り", "嫁 ソフバン", "送れる?"), ("answer", GIFTING, None)),
        # "In general" asks about carriers in general, not the one just answered.
        (
            ("au能送流量 好的", "不过我自己不用au", "一般来说怎么帮别人的手机充流量"),
            ("answer", "top-up-for-friend", None),
        ),
        # A late detail without a carrier is about the question just answered.
        (
            (
                "IIJmio能送流量给老婆吗",
                "我们都是IIJmio",
                "补充一下 她的卡是她自己名字办的 不在我名下",
            ),
            ("answer", "iijmio", "iijmio"),
        ),
        # "Is it allowed?" asks about the last answer.
        (
            (
                "can I top up my friend's povo with a gigacharge card",
                "where do i buy it",
                "is it allowed tho",
            ),
            ("answer", "top-up-for-friend", "povo"),
        ),
    ],
)
def test_follow_ups_from_the_eighth_and_ninth_conversation_writers(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == expected


def test_who_is_on_what_first_then_the_question(engine: Engine) -> None:
    """ "我爸妈下个月来日本 我用ahamo" asks nothing yet: ahamo's card (not the SIM law), and the
    question that follows is about giving from ahamo to the parents' travel eSIM."""
    first, second = chat(
        engine,
        "我爸妈下个月来日本 我用ahamo",
        "他们打算自己买旅游esim 到时候流量不够我能把我的分给他们吗",
    )
    assert (first.id, first.carrier) == ("ahamo", "ahamo")
    assert (second.id, second.carrier) == (GIFTING, None)
    assert second.target is not None and second.target.cross


@pytest.mark.parametrize(
    "turns",
    [
        ("打回国内多少钱一分钟", "我用povo"),
        ("日本哪里5G信号最好", "东京", "docomo的"),
        ("携号转网要多久", "从乐天转到linemo"),
        ("Amazon礼品卡能送人吗", "用au话费买的话呢"),
        ("how much is roaming in korea per day", "going next week for 5 days", "I'm on ahamo"),
        # a carrier named in the out-of-scope question is kept, and changes nothing
        ("Is 5G available in Hokkaido with LINEMO", "thinking of switching"),
        ("ahamo 漫游", "多少钱"),
        # out of scope by its likeness to unanswered questions, with no off-topic word
        (
            "how do i cancel softbank before i leave japan in august",
            "do i get charged a fee for that",
        ),
        ("how do i move my esim to my new pixel, im on linemo", "the old phone is dead btw"),
    ],
)
def test_what_follows_an_unanswered_question_without_data_stays_unanswered(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    assert chat(engine, *turns)[-1].decision == "none"


def test_a_remark_with_only_a_carrier_does_not_keep_the_next_question_out(engine: Engine) -> None:
    """ "IIJにしときゃよかった" names a carrier and asks nothing: the OCN question after it is asked
    afresh, not as more of an unanswered one."""
    reply = chat(
        engine, "APN設定だるい", "IIJにしときゃよかった", "つかOCN モバイル ONE 今から新規できる？"
    )
    assert (reply[-1].decision, reply[-1].carrier) == ("answer", "ocn-mobile-one")


@pytest.mark.parametrize(
    "turns",
    [
        ("我合同到期要回武汉了 乐天的卡能不能转给新来的护士接着用", "她不是我亲戚 就是同事"),
        (
            "帰国が決まった知人がいて",
            "使っていた楽天の回線を同じアパートの別の方に譲りたいと言っています",
        ),
    ],
)
def test_a_line_handed_to_someone_for_their_use_is_the_law(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    """A contract ending is the reason, not an off-topic question; "别の方" is another person."""
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", LAW, "rakuten")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rakuten ako, pwede ko bang ipahiram yung SIM ko sa kaibigan ko for 1 week?", LAW),
        ("I'm on au, my friend too. pwede ko ba siya bilhan ng data?", "top-up-for-friend"),
        ("J:COM mobile, naiipon ba yung unused data ko?", "carryover"),
    ],
)
def test_taglish_words_for_lending_buying_for_and_saving_up(
    engine: Engine, text: str, expected: str
) -> None:
    assert engine.ask(text).id == expected


def test_giving_picks_giving_from_the_offered_choices(engine: Engine) -> None:
    """A Shanghainese "can he give me some?" (伊 = he, 伐 = 吗) after being offered giving
    between the two carriers, selling or sharing: giving between the two."""
    offered = Context(
        options=(
            Target("compare", GIFTING, ("ymobile", "softbank"), cross=True),
            Target("entry", "cash-for-data"),
            Target("compare", "multi-line-share", ("softbank", "ymobile")),
        ),
        question="额 我老公用softbank 我用Y!mobile 😂 伊流量老多用不完的",
        lang="zh-Hans",
    )
    reply = engine.ask("伊能分点给我伐", context=offered)
    assert (reply.decision, reply.id, reply.carrier) == ("answer", GIFTING, None)
    assert reply.target is not None and reply.target.cross
    # said at once, the two people's carriers are a guess about giving between them
    first, second = chat(
        engine, "额 我老公用softbank 我用Y!mobile 😂 伊流量老多用不完的", "伊能分点给我伐"
    )
    assert (first.id, first.hedge, second.id) == (GIFTING, True, GIFTING)


def test_thanks_with_a_decision_made_then_chat_is_small_talk(engine: Engine) -> None:
    replies = chat(engine, "最後兩個都辦mineo了 謝謝你啦", "下次來台南請你吃牛肉湯哈哈")
    assert [(r.decision, r.smalltalk) for r in replies] == [
        ("smalltalk", "thanks"),
        ("smalltalk", "ack"),
    ]
    # a question after thanks is still a question
    assert chat(engine, "thanks!", "what about au tethering")[-1].id == "tethering"


def test_an_unanswered_question_is_remembered_across_a_reload(
    engine: Engine, kb: KnowledgeBase
) -> None:
    """Forgetting what a new knowledge base lacks keeps the rest of the conversation."""
    context = engine.ask("how do i cancel softbank before i leave japan in august").context
    assert context.outside
    stale = dataclasses.replace(context, theirs="no-such-carrier")
    assert _valid(stale, kb).outside


@pytest.mark.parametrize(
    "turns",
    [
        ("我室友用的linemo 我用的ahamo 都是软银和docomo的子品牌吧",),
        ("我室友用的linemo 我用的ahamo 都是软银和docomo的子品牌吧", "那能送吗"),
    ],
)
def test_the_companies_behind_two_brands_are_not_more_carriers(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.id, reply.carrier) == (GIFTING, None)
    assert reply.target is not None and set(reply.target.carriers) == {"linemo", "ahamo"}


def test_a_brand_asked_about_is_its_card(engine: Engine) -> None:
    """ "LINEMO是软银家的吗" asks what LINEMO is, not about giving between LINEMO and SoftBank."""
    assert (engine.ask("LINEMO是软银家的吗").id, engine.ask("LINEMO是软银家的吗").carrier) == (
        "linemo",
        "linemo",
    )
    # a person's carrier that owns the brand is still theirs
    reply = chat(
        engine, "I'm on povo", "my bf is on au, can he send me gigs? povo is au's brand right"
    )
    assert reply[-1].target is not None and set(reply[-1].target.carriers) == {"povo", "au"}


def test_tethering_after_giving_between_two_is_from_the_users_line(engine: Engine) -> None:
    """The user never said 楽天 was theirs, but the boyfriend is on docomo: the hotspot is
    from the other of the two."""
    reply = chat(
        engine,
        "楽天モバイルってギガ無制限だよね",
        "彼氏に分けてあげたいんだけど",
        "彼氏はドコモ",
        "テザリングならいける？",
    )[-1]
    assert (reply.id, reply.carrier) == ("tethering", "rakuten")


def test_which_is_better_for_me_chooses_a_plan(engine: Engine) -> None:
    reply = chat(
        engine,
        "does povo carry over",
        "oh ok. and linemo?",
        "which one is better for me then, i use like 10gb",
    )[-1]
    assert reply.id == "choose-plan"


@pytest.mark.parametrize(
    "turns",
    [
        ("余ったギガってメルカリで売れるっすか", "でも先輩は売ってたって言ってたっすよ"),
        ("ahamo开热点要钱吗", "可是我同事说要钱"),
        ("can i gift data on linemo", "but my friend said she did it last month"),
    ],
)
def test_disputing_an_answer_with_what_someone_said_asks_it_again(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    first, second = chat(engine, *turns)
    assert (second.decision, second.id, second.carrier) == ("answer", first.id, first.carrier)


def test_nande_after_a_noun_is_because(engine: Engine) -> None:
    """ "俺auなんで" is "since I'm on au"; "なんで" asking is still "why"."""
    replies = chat(
        engine,
        "auのデータプレゼントって62日で切れるんすよね",
        "俺auなんで、ギガ足りない部員に送ってやりたいんすよ",
        "部員のpovoの子には送れないっすか？",
    )
    assert [r.id for r in replies[1:]] == ["au-data-present", GIFTING]
    assert set(replies[-1].target.carriers) == {"au", "povo"}  # type: ignore[union-attr]
    assert engine.ask("ahamoなんで送れないの").id == "why-no-gifting"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("阮新婦用au，伊講欲送流量ㄍㄟ偶 愛錢ㄇ？", "price"),
        ("mineo有一個啥物桶仔 按怎用", "howto"),
    ],
)
def test_taiwanese_bopomofo_particles_and_hokkien_words(
    engine: Engine, text: str, expected: str
) -> None:
    """ㄉ, ㄇ, ㄍㄟ typed for 的, 嗎, 給; 愛錢 (costs money), 按怎 (how)."""
    assert engine.ask(text).aspect == expected
    assert fold("偶ㄉ手機 送ㄍㄟ伊ㄇ") == fold("偶的手機 送給伊嗎")


def test_moving_an_esim_is_no_travel_esim_question(engine: Engine) -> None:
    replies = chat(
        engine, "部員がスマホ新しくしたんすけど、eSIMの移し方わかんないらしいっす", "楽天っす"
    )
    assert [r.decision for r in replies] == ["none", "none"]
    assert replies[0].context.target is None


def test_an_aspect_the_sources_do_not_give_is_said_first(engine: Engine, kb: KnowledgeBase) -> None:
    """ "いくら？" after Y!mobile's share plan: the price is in no source, so the first line says
    so instead of repeating the verdict; a verdict that answers by implication ("自动结转": no
    application) and a "no" (nothing to pay for) are answered by the verdict."""
    reply = chat(engine, "ワイモバイルのシェアプランって何？", "いくら？")[-1]
    price = t("ja", "aspect_unknown", what=t("ja", "aspect_price"), carrier="Y!mobile")
    assert first_line(engine, reply) == price
    assert verdict(kb, "multi-line-share", "ymobile", "ja") in message_lines(engine, reply)
    reply = chat(engine, "Y!mobile的分享套餐是什麼", "要錢嗎")[-1]
    assert first_line(engine, reply).startswith("價格：")
    for turns, topic, carrier in [
        (("uq可以结转吗", "要申请吗"), "carryover", "uq-mobile"),
        (("docomo能送流量吗", "多少钱"), GIFTING, "docomo"),
    ]:
        reply = chat(engine, *turns)[-1]
        assert first_line(engine, reply) == verdict(kb, topic, carrier, "zh-Hans")


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (("mineo有一個啥物桶仔，會使提流量", "啥物時陣會使提？"), "mineo-free-tank"),
        (("uq ㄉ流量敢會使送ㄍㄟ阮孫", "啥？無法度？按怎會醬"), "why-no-gifting"),
        (
            (
                "Is there any Japanese carrier that'll let me gift leftover data to a colleague?",
                "Which of those would you actually pick, then? I get through about 15GB a month",
            ),
            "choose-plan",
        ),
    ],
)
def test_follow_ups_in_hokkien_and_asking_which_to_pick(
    engine: Engine, turns: tuple[str, ...], expected: str
) -> None:
    assert chat(engine, *turns)[-1].id == expected


def test_a_card_mentioned_in_an_unanswered_message_is_what_is_handed_over(engine: Engine) -> None:
    """ "我下个月回国了 手里有张povo的卡" asks nothing; "能转给学弟用吗" gives him that card to use
    (the law), selling it too; data named afterwards is data again."""
    replies = chat(
        engine,
        "我下个月回国了 手里有张povo的卡",
        "能转给学弟用吗",
        "那卖给他呢",
        "好吧 那流量能转给他吗",
    )
    assert [r.id for r in replies] == [None, LAW, LAW, "povo"]


@pytest.mark.parametrize(
    ("turns", "topic", "carriers"),
    [
        (("ahamo和povo哪个好", "我主要想开热点给电脑用"), "tethering", {"ahamo", "povo"}),
        (
            ("linemo or ahamo, which one?", "mostly i want to carry over unused data"),
            "carryover",
            {"linemo", "ahamo"},
        ),
        (
            ("ahamoとLINEMOどっちがいい？", "繰り越しできる方がいい"),
            "carryover",
            {"ahamo", "linemo"},
        ),
    ],
)
def test_what_decides_a_choice_between_two_is_that_topic_side_by_side(
    engine: Engine, turns: tuple[str, ...], topic: str, carriers: set[str]
) -> None:
    first, second = chat(engine, *turns)
    assert first.id == "choose-plan"
    assert second.id == topic and second.target is not None
    assert (second.target.kind, set(second.target.carriers)) == ("compare", carriers)


def test_someone_out_of_data_on_another_carrier_is_giving_between_the_two(engine: Engine) -> None:
    """Said, not asked: who is on what and why, as a guess about giving between the two."""
    first, second = chat(
        engine,
        "my flatmate ran out of data, shes on linemo and im on ahamo",
        "any way i can help her out?",
    )
    for reply in (first, second):
        assert reply.id == GIFTING and reply.target is not None and reply.target.cross
        assert set(reply.target.carriers) == {"linemo", "ahamo"}
    assert first.hedge and not second.hedge


def test_two_peoples_carriers_after_points_are_a_new_question(engine: Engine) -> None:
    reply = chat(
        engine,
        "乐天积分能转给朋友吗",
        "我老婆刚来日本 用的povo 我是docomo 每个月都剩好多 能不能分点给她",
    )[-1]
    assert reply.id == GIFTING and reply.target is not None and reply.target.cross
    assert set(reply.target.carriers) == {"povo", "docomo"}


def test_data_after_an_unanswered_question_is_answered(engine: Engine) -> None:
    reply = chat(
        engine,
        "Suicaって人にチャージしてあげられる？",
        "ついでに聞くけど、友達のスマホにギガ足してあげるのは？相手はpovo",
    )[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "top-up-for-friend", "povo")


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # test_corrections_and_late_details_complete_the_question
        # A correction: "not X" drops X.
        (
            ("can I tether on biglobe", "sorry I meant carry over not tether"),
            ("carryover", "biglobe"),
        ),
        (
            ("乐天的卡能卖给别人吗", "说错了 是借给室友用几天 不是卖"),
            ("sim-transfer-law", "rakuten"),
        ),
        # A typo corrected: the same question for the carrier meant.
        (("au可以送流量嗎", "打錯了 是UQ啦"), ("uq-mobile", "uq-mobile")),
        # The user's carrier after a question that fits everyone.
        (("流量每个月都用不完 能换钱吗", "我是nuro的"), ("cash-for-data", "nuro-mobile")),
        # The SIM of a named carrier, handed to someone, is the SIM.
        (
            ("docomo开热点要钱吗", "我下个月回国了 docomo的卡能直接给学弟用吗"),
            ("sim-transfer-law", "docomo"),
        ),
        # test_swaps_and_why_not
        # "那如果是au呢": a swap to au, even with a friend who said so.
        (("請問樂天可以分流量給朋友嗎", "那如果是au呢 我朋友說au好像可以"), ("au", "au")),
        # Several carriers, one of them the conversation's: about that one.
        (("乐天能结转流量吗", "那乐天为啥不能送流量 mineo都可以"), ("why-no-gifting", "rakuten")),
        # "Why not?" after a no.
        (
            ("softbank can't gift data at all?", "why the hell not, it's literally just bits"),
            ("why-no-gifting", "softbank"),
        ),
        # test_third_persons_and_known_alternatives
        # "his phone是povo的": a third person's carrier after the user's giving question.
        (("我是au 想给一个buddy送点data", "his phone是povo的"), (GIFTING, None)),
        # "…or do we just hotspot him": the hotspot is the known way round; giving is asked.
        (
            (
                "we're a 4-piece band touring Japan for 3 weeks",
                "our drummer burned through his data, we all got the same tourist esim at the airport. any way to pass some of ours to him or do we just hotspot him",
            ),
            ("tourist-sim", "tourist-sim"),
        ),
        # test_exclusions_and_misspelt_carriers_in_follow_ups
        (("パケギフできるとこどこ", "mineoは知ってる", "mineo以外で"), (GIFTING, None)),
        (("乐天莫拜尔流量能结转么", "哦 那索夫班克呢"), ("carryover", "softbank")),
        (("dokomo能送流量不", "啊这", "那ahmo呢"), ("ahamo", "ahamo")),
        # test_giving_asked_besides_the_hotspot
        (
            ("docomo的ポイ活MAX能开热点吗", "不开热点的话 能直接转一点给她吗 她也是docomo"),
            ("docomo", "docomo"),
        ),
        (
            (
                "my girlfriend and I are both on UQ mobile",
                "can I transfer some GB to her or is hotspot the only way",
            ),
            ("uq-mobile", "uq-mobile"),
        ),
        # "上の子" (the elder child) is family; "そっちにも" asks the same sharing for that phone
        (
            (
                "子どものiPadに私のスマホのギガを分けられますか？ソフトバンクです",
                "上の子のスマホもソフトバンクなんですけど、そっちにも分けられます？",
            ),
            ("multi-line-share", "softbank"),
        ),
        # "ドコモからahamoにしたら": moving from docomo, so ahamo is asked about
        (
            (
                "息子が大学で一人暮らしを始めたんですが、私のギガを送れますか。二人ともドコモです",
                "ドコモからahamoにしたら送れるようになりますか",
            ),
            ("ahamo", "ahamo"),
        ),
        # a Hong Kong eSIM is a travel SIM: giving to it from docomo is between carriers
        (
            (
                "visiting my grandparents in osaka, grandpa's on docomo and has tons of unused data",
                "can he send some to me? im on a hong kong esim",
            ),
            ("gifting-overview", None),
        ),
        # data bought on top: whether it carries over too
        (("ahamo流量月底会清零吗", "那买的追加流量呢"), ("carryover", "ahamo")),
        (
            ("老婆用UQ，UQ嘅流量用唔晒會唔會留到下個月", "咁佢自己買嘅追加流量呢"),
            ("carryover", "uq-mobile"),
        ),
        # the carrier just asked about, corrected ("…じゃなくてBIGLOBEでした")
        (
            (
                "王さん（IIJmio）がご家族にギガを送りたいそうです",
                "すみません、間違えました。王さんはIIJmioじゃなくてBIGLOBEでした",
            ),
            ("biglobe", "biglobe"),
        ),
        # "ほんまに？" (really?) doubts the answer just given
        (("ahamoでギガ送れる？", "あかんの？ほんまに？"), ("ahamo", "ahamo")),
        # ばあさん is family, アイパッド a tablet: sharing
        (
            (
                "わしのスマホはドコモです。家族でギガを分けられますかな",
                "ばあさんのアイパッドと分けたいのです",
            ),
            ("multi-line-share", "docomo"),
        ),
        # "We're on Airalo eSIMs": the askers' own travel SIMs, so giving is between carriers
        (
            (
                "Our son lives in Osaka and is with Rakuten. Can he send us some data?",
                "We're on Airalo eSIMs, if that helps",
            ),
            ("gifting-overview", None),
        ),
        # "如果我都去辦張mineo": the user moves to the classmate's carrier
        (
            (
                "我個同學用緊mineo，佢話可以送流量，我用旅遊esim收唔收到？",
                "咁如果我都去辦張mineo呢",
            ),
            ("mineo", "mineo"),
        ),
        # "先輩テザリング给我": the senior's hotspot, on the senior's carrier
        (
            (
                "我是楽天モバイル，先輩是ドコモ，可以让先輩分我点ギガ吗",
                "那先輩テザリング给我呢 要申込吗",
            ),
            ("tethering", "docomo"),
        ),
        # "能打电话那种卡" after a question about a line in one's name: a voice SIM, not call rates
        (
            ("有个老乡让俺用俺的名字办张卡给他用 给俺一万円", "俺是Y!mobile 能打电话那种卡 中不中"),
            ("sim-transfer-law", "ymobile"),
        ),
        # "乐天的是我室友": the Rakuten one is the roommate's, so the user's own hotspot is mineo's
        (
            (
                "乐天能开热点吗 室友想蹭我的网",
                "等下我搞反了，乐天的是我室友，我是mineo的，我是想问我自己能不能开热点给她",
            ),
            ("tethering", "mineo"),
        ),
        # the same carrier named again, asking nothing an out-of-scope sample asks far better:
        # still the last question
        (("povo 送流量?", "两边都povo也不行?"), ("povo", "povo")),
        (("软银开热点要钱吗", "我那个是软银的学生套餐 忘了叫啥了"), ("tethering", "softbank")),
        # a move that is only thought of keeps both carriers for "which of the two"
        (
            ("LINEMOからIIJmioにMNPしようか迷ってます", "家族とギガをシェアできるのはどっちですか"),
            ("multi-line-share", None),
        ),
    ],
)
def test_conversations_read_as_people_mean_them(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    """Follow-ups, corrections, swaps and asides found by the blind conversation writers: the last reply answers what the conversation asks."""
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    "turns",
    [
        # a carrier's own gifting feature asked across two carriers
        ("au回線からUQの友達にデータプレゼントできる？",),
        ("mineoのパケットギフトってauの人にも送れる？",),
        ("我是ahamo", "朋友是au的，她能データプレゼント给我吗"),
        # sharing with someone on another carrier
        ("i use linemo", "my sister use y mobile, i can share data to her?"),
        ("私はau使ってます", "娘はソフトバンクなんですが、私のギガを娘に送れますか"),
        # the other person's carrier said later (pronouns count)
        ("我用IIJmio 想分啲data俾阿媽", "佢用緊docomo"),
        ("my friend have rakuten and he has many data. can he give me some?", "I use linemo"),
        ("我老婆刚来日本 家族滞在 我用的softbank", "她办的是Y!mobile 能把我的流量分给她吗"),
        (
            "how do I send data from my mineo to my dad",
            "oh wait he's not on mineo, he's on softbank",
        ),
        ("nuro mobile still has packet gift?", "my friend is not on nuro, she uses mineo"),
    ],
)
def test_giving_between_two_peoples_carriers_is_gifting_between_carriers(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", GIFTING, None)
    assert reply.target is not None and reply.target.cross


def test_whose_carrier_is_kept_through_small_talk_and_forgotten_when_unknown(
    engine: Engine,
) -> None:
    """The user's and the other person's carriers outlive a "thanks" in between, and a carrier
    the knowledge base no longer has (after a reload) is dropped, not trusted."""
    replies = chat(engine, "我在打工度假 用povo", "室友用樂天 流量快沒了", "谢谢")
    context = replies[-1].context
    assert (context.own, context.theirs) == ("povo", "rakuten")
    # (no answer kept either: giving between two carriers would say whose the other one is)
    stale = dataclasses.replace(context, own="gone-carrier", target=None)
    reply = engine.ask("可以分一點給她嗎", context=stale)
    assert reply.context.own is None and reply.context.theirs == "rakuten"


# --------------------------------------------------------------------------------------------
# who the question is for, said in passing

# (turns, expected id, expected carrier): the last reply, read with what the conversation said.
READ_WITH_THE_CONVERSATION = [
    # what is left over is data, even right after a SIM was the subject
    (
        (
            "我妈从大连过来住仨月 我给她也办了张mineo 挂她自己名下",
            "我这个月剩老鼻子了 能直接给她不",
        ),
        "mineo",
        "mineo",
    ),
    # data bought, asked after carry-over: whether it rolls over too
    (("ymobile rollover how does it work", "does purchased data roll too"), "carryover", "ymobile"),
    # a carrier the bot does not cover, corrected to one it does
    (
        (
            "ホアさんのイオンモバイル…いえ、あの子はJ:COMのスマホでした",
            "J:COMの方同士で、ギガをあげたりもらったりできますか",
        ),
        "jcom-mobile",
        "jcom-mobile",
    ),
    # "does it expire?" after a carrier's gifting feature is about that feature's data
    (("au data present, how much per GB", "does it expire?"), "au-data-present", "au"),
    # after "why", what carriers elsewhere do goes on with it
    (
        (
            "why can't you gift data on basically any JP carrier lol",
            "KR carriers have had it forever",
        ),
        "why-no-gifting",
        None,
    ),
    # a SIM got in the user's name for someone, after an out-of-scope aside: the law
    (
        ("新来的碎娃在留卡还没下来 办不了卡", "额用额的名字给他办一张mineo让他用 这行不行"),
        "sim-transfer-law",
        "mineo",
    ),
    (
        (
            "ホアさんの妹さんが来年日本に来るそうで",
            "ホアさんが今使っているスマホのカードを、妹さんにそのまま譲ってもよろしいのでしょうか",
        ),
        "sim-transfer-law",
        None,
    ),
    # a SIM given to someone to use, with an aside off topic, inside a chat about gifting
    (
        (
            "mineoのパケットギフトって誰にでもあげれるん？",
            "下个月就要回国了 手机卡能不能直接转给学妹用 她刚来还没拿到在留卡办不了",
        ),
        "sim-transfer-law",
        "mineo",
    ),
    # "is it legit?" of data codes sold is the selling answer, not the SIM law
    (
        (
            "Someone in our FB group is selling data code 20GB for 1000 yen",
            "legit ba yan? can I buy?",
        ),
        "sell-data-platforms",
        None,
    ),
    # a SIM lent, whoever to, is the law
    (
        (
            "出張で博多に来た後輩がSIMなくしたらしい",
            "俺のサブ回線のSIM一週間貸してもよかと？タダで",
        ),
        "sim-transfer-law",
        None,
    ),
    # a correction in English: "not X, it's Y"
    (("Can docomo send data to family?", "sorry not docomo, its ahamo po"), "ahamo", "ahamo"),
    # Hakata-ben: "mineoやなか" is not mineo
    (
        (
            "嫁がmineoやけど、ギガ余っとうけん俺に分けれるっちゃろか",
            "あ、俺はmineoやなかとよ、ソフトバンクたい",
        ),
        "gifting-overview",
        None,
    ),
    # the receiver's carrier said late as "相手が…" is giving between carriers
    (("auのデータプレゼントって", "相手がpovoでもいける？"), "gifting-overview", None),
    (("auのデータプレゼントっていくら？", "相手がpovoでも送れる？"), "gifting-overview", None),
    # ... or as the carrier's users; "乐天用户之间" names the carrier's own users
    (("au的數據禮物多少錢", "可以送給用povo的人嗎"), "gifting-overview", None),
    (("au的データプレゼント多少钱", "能送给povo用户吗"), "gifting-overview", None),
    (("mineo能送流量吗", "那乐天呢？乐天用户之间能互送吗"), "rakuten", "rakuten"),
    # "so am i" puts both on one carrier
    (
        (
            "can i share data on softbank",
            "and y!mobile",
            "btw my mate is on au and so am i, can he send me 1gb",
        ),
        "au",
        "au",
    ),
    # a day trip is no travel SIM: the friend's hotspot is hers
    (
        ("our Japanese friend on docomo", "can she hotspot to us for the day trip? free?"),
        "tethering",
        "docomo",
    ),
    # after "why", a remark that people elsewhere give data freely goes on with it
    (
        (
            "日本の携帯会社はなぜデータを他人に譲れないのでしょうか。",
            "中国では家族や友人に普通に送れるそうです。",
        ),
        "why-no-gifting",
        None,
    ),
    # the receiver moved to another carrier already: giving between carriers
    (
        ("我想把mineo剩的網路送給我男友", "喔對了 他上個月已經從mineo換成樂天了"),
        "gifting-overview",
        None,
    ),
    # the other person's line is abroad
    (
        ("阿媽部電話喺香港用緊中國移動香港", "我喺東京用LINEMO，可唔可以俾啲data佢？"),
        "gifting-overview",
        None,
    ),
    # the carrier charging extra is a price, not the user charging someone for a hotspot
    (
        (
            "cousin on docomo can send data to my tourist esim?",
            "ok cannot lah. then she hotspot me, docomo charge her extra or not",
        ),
        "tethering",
        "docomo",
    ),
    # the receiver's carrier, said after the gifting overview, with the user's known
    (
        (
            "我是IIJmio的用戶，這個月還剩8GB左右",
            "公司同事說他月底快沒網路了，想跟我要一點",
            "喔剛剛問了，他是用povo的",
        ),
        "gifting-overview",
        None,
    ),
    # giving from one carrier to another in a follow-up keeps both
    (
        (
            "我係阿爸，幫我老婆問下：佢用緊UQ，想送啲data俾個女，個女用au",
            "唔係唔係，打反咗，個女先係UQ，我老婆係au",
            "咁au送唔送到去UQ？",
        ),
        "gifting-overview",
        None,
    ),
    # "is it all right?" after the receiver's carrier said late
    (
        (
            "mineoのパケットギフトを友達にしたいです",
            "コードを作る方法はわかりました",
            "でも友達はドコモを使っています。大丈夫ですか？",
        ),
        "gifting-overview",
        None,
    ),
    # a sharing feature named keeps its sharing even between two people's carriers
    (
        (
            "老公是SoftBank，我是Y!mobile，同じ家族割グループ",
            "那用データシェアプラス可以把他的ギガ分給我的スマホ嗎？",
        ),
        "multi-line-share",
        "softbank",
    ),
    # "what if … switches": who would then be on what
    (
        (
            "我老公用樂天，我用mineo，可是我每個月都用不完，他反而常常不夠",
            "如果他也換成mineo呢？這樣我多的就可以送他了嗎",
        ),
        "mineo",
        "mineo",
    ),
    (
        (
            "我跟老公都是docomo，查了半天好像沒辦法互送流量",
            "那如果我們兩個都換成IIJmio呢？",
            "等等 我老公說他懶得換 那只有我換IIJmio 他留在docomo呢？",
        ),
        "gifting-overview",
        None,
    ),
    (
        (
            "わたしはahamo、ルームメートはUQです",
            "もし二人ともIIJmioに変えたら、ギガをプレゼントするのができますか",
            "ルームメートだけIIJmioにかえたら? わたしは ahamo のまま",
        ),
        "gifting-overview",
        None,
    ),
    # the user's own travel SIM, said after the other person's carrier
    (
        ("老公想喺日本買張povo卡", "買咗之後可唔可以送data俾我？", "我用緊旅遊eSIM喎"),
        "gifting-overview",
        None,
    ),
    # after "why", a remark about another country goes on with it
    (
        ("why rakuten not allow give data to other", "in Nepal Ncell we can share data very easy"),
        "why-no-gifting",
        "rakuten",
    ),
    # how long a gift lasts, asked after the gift: the gift's answer, not carry-over
    (
        ("i send au data present to my friend, he is au", "how long he can use the data? expire?"),
        "au-data-present",
        "au",
    ),
    # a bare "is it possible?" asks the last question again
    (("乐天能结转吗", "is it possible?"), "carryover", "rakuten"),
    (("乐天能结转吗", "できる？"), "carryover", "rakuten"),
    # a data-only SIM is any carrier's, not a travel SIM
    (
        ("我名下的日本卡卖给别人犯法吗", "如果是只能上网的数据卡呢 没有通话功能的"),
        "sim-transfer-law",
        None,
    ),
    # the hotspot of the other person is theirs
    (
        ("他乐天 我povo 送流量肯定不行了", "那我连他的热点 他那边会不会被限速"),
        "tethering",
        "rakuten",
    ),
    # "why" carries the carrier asked about
    (
        ("为么事docomo不能送流量 au都可以", "是不是技术上做不到 还是故意的"),
        "why-no-gifting",
        "docomo",
    ),
    # the user's own carrier said after the grandmother's (in hiragana) makes two carriers
    (
        ("おばあちゃん ドコモ です", "わたしの ギガ おばあちゃんに あげる できる？ わたし au です"),
        "gifting-overview",
        None,
    ),
    (
        ("ドコモの シェアパック まだ ありますか", "おかあさんと わたし いっしょに ギガ つかいたい"),
        "multi-line-share",
        "docomo",
    ),
    # a tenant is another person: her carrier said late makes giving between carriers
    (
        (
            "中国人の入居者からギガを少し分けてくれないかと頼まれました。私はドコモです",
            "入居者さんはmineoらしいです",
        ),
        "gifting-overview",
        None,
    ),
    # an eSIM with no carrier in the conversation is a travel eSIM
    (
        ("老婆張eSIM啲流量就快用晒", "我可唔可以喺我部機幫佢增值 佢部機留咗喺酒店"),
        "top-up-for-friend",
        "tourist-sim",
    ),
    (
        ("旅遊eSIM的流量快用完了", "兒子可以幫我加值嗎 他有日本的信用卡"),
        "top-up-for-friend",
        "tourist-sim",
    ),
    # how much the user needs, said after a tethering answer: that answer (its limits)
    (("ahamo大盛り开热点有上限吗", "我一天要传十几个G的4K素材"), "tethering", "ahamo"),
    # Cantonese 比啲 (give some), and a non-native "it stay or it gone?" (carry-over)
    (("我用紧乐添 可唔可以比啲留量我老乡", "佢都系乐天嘅"), "rakuten", "rakuten"),
    (
        ("my friend is uq mobile, he have many data left", "next month it stay or it gone?"),
        "carryover",
        "uq-mobile",
    ),
    # "can I still sign up?" after an answer asks about that answer's carrier
    (("ocn mobile one", "现在还能办吗"), "ocn-mobile-one", "ocn-mobile-one"),
    # adding a phone after asking about docomo's data plus is sharing
    (("docomo的数据plus是啥东西", "能不能把我老婆的手机也加进去"), "multi-line-share", "docomo"),
    # giving to "him" right after sharing on the family plan he is on: the same sharing
    (
        ("我老公在softbank的家庭套餐里 我是主卡", "能把我的流量分给他吗"),
        "multi-line-share",
        "softbank",
    ),
    # HIS in lower case beside Chinese is the carrier, not the English word
    (("his 热点", "送流量呢"), "his-mobile", "his-mobile"),
    # "不行？" after an answer checks it: the same answer again
    (("povo 送流量", "不行？"), "povo", "povo"),
    # after selling, cashing or handing over a SIM, a carrier alone is a detail of that question
    (("ギガ余ってんだけどメルカリで売れる？", "楽天のやつ"), "sell-data-platforms", "rakuten"),
    (
        ("my data too much left every month. can i change to money?", "rakuten"),
        "cash-for-data",
        "rakuten",
    ),
    (("流量用不完可以換錢嗎", "povo咧"), "cash-for-data", "povo"),
    # "what if we both switch to X" asks the last question again for X
    (
        ("孙子用的乐天 我也是乐天 能匀给他点流量吗", "那要是我们俩都换成日本通信呢"),
        "nihon-tsushin",
        "nihon-tsushin",
    ),
    # family after a gifting answer is still giving, unless a family plan is named (sharing)
    (("docomo能送流量给朋友吗", "家人呢？"), "docomo", "docomo"),
    (("can I give data to my coworker? we both use au", "and my brother?"), "au", "au"),
    (("UQ能送流量给朋友吗", "家人呢 我们是同一个家族割"), "multi-line-share", "uq-mobile"),
    (("auで家族にギガあげたい", "家族じゃなくて友達なら？"), "au", "au"),
    # a hotspot comes from the user's phone, or the other person's when the user is served
    (
        ("my wife is on a travel esim, im on softbank", "can i hotspot her?"),
        "tethering",
        "softbank",
    ),
    (("我是docomo 女朋友用ahamo", "她能给我开热点吗"), "tethering", "ahamo"),
    (("我的旅游esim流量没了 朋友用的ahamo", "让她给我开热点要钱吗"), "tethering", "ahamo"),
    # a top-up goes on the other person's line
    (("老婆用的povo 老是不够用", "我能帮她买topping吗 我是docomo的"), "top-up-for-friend", "povo"),
    # another carrier's feature named in a conversation about a carrier that once had it
    (("nuro mobile能结转吗", "那パケットギフト呢"), "nuro-mobile", "nuro-mobile"),
    # a name that counts only in capitals stands where it is written: "不是HIS" leaves it out
    (
        ("HIS mobile能开热点吗", "搞错了 我室友用的是日本通信 不是HIS", "她的能开吗"),
        "tethering",
        "nihon-tsushin",
    ),
    # splitting data within a family is family sharing
    (
        ("うちは家族全員ドコモです", "娘のスマホに私のギガを分けられる？"),
        "multi-line-share",
        "docomo",
    ),
    # how, after a top-up answer that links the carrier's feature
    (("au能帮朋友买流量吗", "在哪里弄"), "au-data-present", "au"),
    # the user's carrier said with why (data left over) completes a giving question
    (("我想送点流量给我表弟", "我是povo 每个月都用不完"), "povo", "povo"),
    # a correction names the carrier meant: "不是 是X" does not set X aside
    (("乐天莫拜尔可以送流量吗", "啊不是 是LINEMO 名字记混了"), "linemo", "linemo"),
    # family after an answer about sharing asks about sharing with them
    (("biglobe能共享流量吗", "给我老婆用的话呢"), "multi-line-share", "biglobe"),
    (("OCN能几张卡共享流量吗", "那给我妈也办一张行吗"), "multi-line-share", "ocn-mobile-one"),
    # a carrier swapped in with a family member is the user's own: sharing, not between carriers
    (("softbank能共享流量吗", "Y!mobile呢 我想给老婆也加一张卡"), "multi-line-share", "ymobile"),
    # one's own SIM handed over "犯法吗" is the law; the carrier's consent is the law's too
    (
        ("LINEMO能跟女朋友分流量吗", "那我直接把我的LINEMO卡给她用犯法吗"),
        "sim-transfer-law",
        "linemo",
    ),
    (("我下个月回国了 手机卡能直接给学弟接着用吗", "需要运营商同意吗"), "sim-transfer-law", None),
    # voice input's homophones: 迷你欧 is mineo, 多可模 docomo, 六两 流量, 开热电 开热点
    (("我孙子用的迷你欧 能不能把六两松给他同学", "那多可模呢"), "docomo", "docomo"),
    (("孙子问 乐天莫拜尔开热电要不要钱", "那阿哈莫呢"), "tethering", "ahamo"),
    # how long a gift lasts, asked after an answer about giving: the gifting answer (its line on
    # validity first), not carry-over
    (("我弟也在mineo 他说可以送我流量", "收到的流量能用多久 月底会清零吗"), "mineo", "mineo"),
    (("mineo嘅パケットギフト", "個code幾耐會過期"), "mineo-packet-gift-howto", "mineo"),
    # switching to the other person's carrier puts both on it: that carrier's answer
    (
        ("im on rakuten and my buddy is on au, can he send me data", "what if i switch to au"),
        "au",
        "au",
    ),
    (
        ("I'm using povo now, my gf using mineo", "if I switch to mineo can I send her data?"),
        "mineo",
        "mineo",
    ),
    (
        ("I'm using povo now, my gf using mineo", "if I change to mineo can I send her data?"),
        "mineo",
        "mineo",
    ),
    # ...while the other person switching away makes it giving between two carriers
    (
        ("mineo能送流量给我儿子吗 他也是mineo", "哦不对 他上个月换成IIJmio了"),
        "gifting-overview",
        None,
    ),
    # a carrier said without "I" beside a friend's is the user's own: giving between the two
    (
        (
            "using rakuten mobile unlimited, my roommate is on povo and shes always out of data",
            "can i send her some of mine",
        ),
        "gifting-overview",
        None,
    ),
    # an eSIM bought back home is a travel eSIM: giving to it is giving between carriers
    (
        ("我用的mineo 我妈来日本旅游 用的是国内买的eSIM", "我能把mineo的流量送给她吗"),
        "gifting-overview",
        None,
    ),
    # Cantonese: "轉做X" switches to X; "唔係 係X" corrects to X
    (("softbank開熱點要申請 好麻煩", "轉做ahamo會唔會方便啲"), "tethering", "ahamo"),
    (
        ("我老公用docomo", "唔係 係softbank 佢可唔可以分啲data俾我 我都係softbank"),
        "softbank",
        "softbank",
    ),
    # how many people can join a family plan; how many people share is no question of its own
    (("乐天家庭套餐", "最多能加几个人 有上限吗"), "multi-line-share", "rakuten"),
    (("想同屋企人分data用", "我哋四個人 用緊旅遊eSIM"), "multi-line-share", "tourist-sim"),
    # data moved "to her eSIM" is not switching carriers: giving between the two
    (
        (
            "我妈来大阪看我 我用乐天最强 她在国内买了个日本旅游esim",
            "我能把我乐天的流量直接转到她那个esim上吗",
        ),
        "gifting-overview",
        None,
    ),
    # splitting with family after an answer about sharing splits data, it hands over no SIM
    (
        (
            "昔ドコモにシェアパックってあったよね",
            "子ども2人分まとめて家族で分けたいんだけど今もある？",
        ),
        "multi-line-share",
        "docomo",
    ),
    # an account is a detail of the feature just answered
    (
        ("听说mineo有个大家一起往里存流量的池子", "一个月能取多少 要另外注册什么账号吗"),
        "mineo-free-tank",
        "mineo",
    ),
    # "不要X 还有别的吗": the others
    (("日本哪家能送流量", "不要mineo 还有别的吗"), "gifting-overview", None),
    # after turning data into money, "points would do too" says what it is turned into
    (("余ったギガ現金化できる方法ある？", "ポイントでもいい"), "cash-for-data", None),
    # an extra charge asked after a tethering answer is its price
    (("J:COM MOBILEってテザリングできる？", "追加料金は"), "tethering", "jcom-mobile"),
    # "隔壁的越南人用的是X": a person's carrier; the user on another is giving between carriers
    (("宿舍隔壁的越南人用的是mineo", "我是乐天 他能不能送我点流量"), "gifting-overview", None),
    # "其他家呢" asks about the other carriers; "回到刚才那个X" goes back to X
    (("乐天不能送流量啊", "其他家呢"), "gifting-overview", None),
    (("mineo能送流量吗", "docomo呢", "回到刚才那个mineo 对方也必须是mineo吗"), "mineo", "mineo"),
    # a carrier kept from an out-of-scope question (its points) is not the user's carrier
    (
        (
            "乐天积分可以转给朋友吗",
            "我是学生 用的是povo 室友也是povo 她流量用完了 我买的topping还剩好多 能不能转给她",
        ),
        "povo",
        "povo",
    ),
    # after an answer about which plan to choose, what the user says of themselves refines it
    (("想办张日本手机卡 哪家便宜", "我是学生"), "choose-plan", None),
    (
        ("Which carrier is best for me", "I work in IT, use a lot of data, tether to my laptop"),
        "choose-plan",
        None,
    ),
    # what the receiver needs, or what it costs, after the how-to: the carrier's gifting cell
    (("mineo送流量怎么弄", "对方要什么条件"), "mineo", "mineo"),
    (("mineoのパケットギフトってのを見つけた", "それは？タダでできるの？"), "mineo", "mineo"),
    (
        ("パケットギフトというのは友人にも送れるのですか mineoです", "送るのにお金はかかりますか"),
        "mineo",
        "mineo",
    ),
    # "in China every carrier can" after asking why not is still asking why
    (("日本为什么不能送流量啊", "国内移动联通都能转赠 太不方便了"), "why-no-gifting", None),
    # not reading Japanese is about the language, not a question about Japan in general
    (
        (
            "my friend use mineo and me also mineo",
            "how to send gift? step please, i dont read japanese good",
        ),
        "mineo-packet-gift-howto",
        "mineo",
    ),
    # flying home: what to do with the line
    (
        ("flying home to vancouver next week", "what should I do with my rakuten line before I go"),
        "sim-transfer-law",
        "rakuten",
    ),
    # a device after a question about the hotspot: the hotspot
    (("ahamoでテザリングしたい", "给ipad用的话会算进30G里吗"), "tethering", "ahamo"),
    (("旅遊eSIM可以開熱點嗎", "有沒有限制 我要給平板看連續劇"), "tethering", "tourist-sim"),
    # a hotspot that serves the user is the other person's line
    (
        ("外孙女说她妈妈的ahamo流量多", "那ahamo开热点给我这个旅游卡的手机 要多花钱吗"),
        "tethering",
        "ahamo",
    ),
    # travel eSIMs in the plural are the travel eSIM "carrier"
    (
        (
            "we're on travel esims",
            "can the kids hotspot off my phone instead",
            "does it cost extra?",
        ),
        "tethering",
        "tourist-sim",
    ),
    # "not X, Y" corrects the carrier
    (
        ("my phone is docomo", "sorry not docomo, ahamo", "unused data go next month?"),
        "carryover",
        "ahamo",
    ),
    # "does it cost money" and "no money asked" are about the price, not about selling data
    (
        (
            "留学生の子たちにWi-Fiの代わりにテザリングで使わせてあげたいんだけど",
            "私のはドコモです。お金かかりますか",
        ),
        "tethering",
        "docomo",
    ),
    # "both KDDI" names the company behind two brands, not one carrier for both people
    (("我是au", "老婆是UQ", "都是KDDI的 能互相送流量吗"), "gifting-overview", None),
    # a coworker on mineo can send data; the user is on Rakuten: giving between carriers
    (
        ("一起上夜班的姐妹用mineo 她说可以送我流量", "可我是乐天的 她送得过来吗"),
        "gifting-overview",
        None,
    ),
    # "let me start over" drops the conversation's carrier
    (
        ("mineoのパケットギフトって何？", "いや、最初から聞き直す。ギガって売っていいの？"),
        "sell-data-platforms",
        None,
    ),
    # one carrier set aside after an overview or a cell: the same question without it
    (("日本哪家能给别人送流量啊", "除了mineo还有别的不 孩子不想换卡"), "gifting-overview", None),
    (
        ("which carrier can send data to friend", "except mineo. other one?"),
        "gifting-overview",
        None,
    ),
    (("mineo能开热点吗", "除了mineo呢"), "tethering", None),
    # after a hotspot answer, sharing with someone shares the hotspot; giving what is left
    # over is still giving
    (
        ("我是tour leader 想问一下 Ubigi的eSIM能不能开hotspot", "share给其他团员的手机用"),
        "tethering",
        "tourist-sim",
    ),
    (
        ("日本通信的卡能开热点吗", "那用不完的能不能分给我同事 他也是日本通信"),
        "nihon-tsushin",
        "nihon-tsushin",
    ),
    # the other person's travel SIM, said before the question: giving between carriers
    (
        ("我用樂天 我妹剛到日本 還在用台灣買的旅遊eSIM", "可以從我的樂天轉流量給她嗎"),
        "gifting-overview",
        None,
    ),
    # how to do it, asked with the carrier named after gifting: the feature's steps
    (
        (
            "Which carrier allows data gifting in Japan?",
            "ok mineo. how to do it, please explain step by step",
        ),
        "mineo-packet-gift-howto",
        "mineo",
    ),
    # the receiver's carrier, said after the gifting answer: giving between two carriers
    (
        ("わたし の ワイモバイル から ギガ を あげたい です", "せんぱい は ソフトバンク です"),
        "gifting-overview",
        None,
    ),
    (
        ("auのデータプレゼントって家族にも送れますか", "あ、ごめんなさい、息子はpovoでした"),
        "gifting-overview",
        None,
    ),
    # a correction of the receiver's carrier after a carrier's gifting answer
    (("儿子mineo的流量能给他室友吗", "不对 室友是docomo的"), "gifting-overview", None),
    # the user's own carrier, said after the other person's, then "can she still send it?"
    (("我媳妇用的au，她说au能送流量", "等下，我是软银的", "这还能送不"), "gifting-overview", None),
    # data topped up after an out-of-scope question is a question of its own
    (("Suica能给朋友充值吗", "那povo呢，能帮朋友充流量吗"), "top-up-for-friend", "povo"),
    # a travel SIM's data given to someone: its gifting cell (no; a hotspot), not pooling
    (
        (
            "喺網上買咗兩張旅遊eSIM，一人一張",
            "如果我老公嗰張用晒data，我可唔可以share啲data過去俾佢？",
        ),
        "tourist-sim",
        "tourist-sim",
    ),
    # "can?" alone repeats the last question
    (("my phone softbank", "want give data 友達 softbank", "can?"), "softbank", "softbank"),
    # extra data paid for a friend is data, whatever "balance" says
    (
        ("Can I pay for my friend's ahamo extra data? He is low on balance this month.",),
        "top-up-for-friend",
        "ahamo",
    ),
    # a gift code sent by WeChat (a message, not WeChat Pay)
    (
        ("mineo 的 パケットギフト コード", "发微信给朋友可以吗 有期限吗"),
        "mineo-packet-gift-howto",
        "mineo",
    ),
    # where the gift code is made: the how-to
    (
        ("剛辦好mineo 兩支都是", "老公要傳500MB給我", "那個禮物代碼要去哪裡產生 他說找不到"),
        "mineo-packet-gift-howto",
        "mineo",
    ),
    # why, not whether
    (("日本的電信為什麼都不能送流量給別人啊",), "why-no-gifting", None),
    # "it" after data left over is the data, sold
    (
        (
            "End of season, I've got heaps of data left",
            "can I flog it for a few bucks before I fly out?",
        ),
        "cash-for-data",
        None,
    ),
]


@pytest.mark.parametrize(("turns", "expected", "carrier"), READ_WITH_THE_CONVERSATION)
def test_a_follow_up_is_read_with_what_the_conversation_said(
    engine: Engine, turns: tuple[str, ...], expected: str, carrier: str | None
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", expected, carrier)


@pytest.mark.parametrize(
    "turns",
    [
        # "she switched to X" is what she did, not "what about X"
        ("mineo能送流量给女朋友吗", "哦对了 她上个月换成乐天了"),
        ("mineo能送流量给我妹吗 她也是mineo", "哦不对 她上个月换成povo了"),
        # a travel eSIM named by its kind is that person's carrier
        ("我妈来日本玩 用的旅游eSIM", "她流量没了 我能送她点吗 我是ahamo"),
        # "can she receive it?" about a friend on another carrier
        ("mineo的gift怎么发", "我闺蜜是au的 她能收到吗"),
        # two people's carriers said with no other word
        ("我用的UQ 同学是his的", "我俩能互相转流量吗"),
        # two other people, said one after the other, giving to each other
        ("我儿子用的是povo", "我老公是docomo", "他俩一个流量用不完一个天天不够 能互相送不？"),
        # all the others on one carrier, the user on another
        ("店里同事都是mineo 就我是iijmio", "我能送他们流量不"),
        # "I've got" is the user's own carrier; "chuck him some" gives
        (
            "Season's just kicked off in Niseko, I've got povo",
            "my flatmate's on a travel eSIM and burns through it in a week",
            "can I chuck him some of my gigs?",
        ),
        # data given to the user's travel SIM from someone's carrier
        ("我闺女用都可摩", "我用的是机场买的旅游卡", "她能给我匀点流两不"),
        (
            "my cousin stay in Osaka, she use docomo",
            "can she share her data to my tourist esim? 我流量不够用",
        ),
        (
            "cousin on au, she say can buy data send to other people",
            "can she send to me? I using Ubigi esim",
        ),
        # two other people put on carriers by what the user calls them, then one gives to the
        # other (named in the same message as the gift, or in the turns before)
        ("女兒用樂天", "她的室友用docomo", "室友可以宋流量給女兒嗎"),
        ("我儿子povo 他同学用mineo", "同学说能把mineo的流量送我儿子 真的假的"),
        ("夫がsoftbankで", "夫の余ってるギガ、義母（HISモバイル）にあげられないかって言ってます"),
        # who is on what said right after a gift question, to a feature's or a card's answer
        ("auのデータプレゼントで娘にギガを送りたいです", "あ、娘はUQモバイルで、私がau本体です"),
        ("mineo送流量要钱不", "对方也得是mineo吗 我老公是乐天的"),
        ("Is there a way to give data to my host family?", "they're all on docomo, I'm on Rakuten"),
        (
            "中国人の同僚がギガを家族に送りたいと言ってるんですが",
            "同僚はahamoで、奥さんはpovoだそうです",
        ),
        # a person's carrier corrected a few words after naming them
        (
            "我爸用的是我名下的LINEMO 我闺女也是LINEMO",
            "不对 闺女上礼拜刚换成povo了",
            "那我爸能给闺女流量不",
        ),
    ],
)
def test_the_other_persons_carrier_said_in_passing_makes_giving_between_carriers(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", GIFTING, None)
    assert reply.target is not None and reply.target.cross


def test_thanks_after_saying_what_the_user_will_do_is_a_sign_off(engine: Engine) -> None:
    reply = chat(engine, "旅游esim能开热点吗", "好 那我就开热点给她 谢啦")[-1]
    assert reply.decision == "smalltalk" and reply.id is None


def test_the_price_of_data_after_roaming_is_still_roaming(engine: Engine) -> None:
    reply = chat(engine, "rakuten 国际漫游", "1G多少钱")[-1]
    assert (reply.decision, reply.id) == ("none", None)


def test_an_esim_sold_or_after_a_carrier_is_not_a_travel_one(engine: Engine) -> None:
    sold = chat(engine, "mercari上能卖日本的sim卡吗 我有几张不用的", "eSIM也不行？")[-1]
    assert sold.carrier is None
    ahamo = chat(engine, "ahamo能开热点吗", "我的是esim 也一样吗")[-1]
    assert ahamo.carrier == "ahamo"


def test_a_call_rate_after_a_data_question_is_out_of_scope(engine: Engine) -> None:
    reply = chat(
        engine,
        "ドコモのデータは孫にあげられますか",
        "では、上海の孫に電話をかけると一分いくらですか",
    )[-1]
    assert (reply.decision, reply.id) == ("none", None)


def test_turning_from_data_to_points_is_out_of_scope(engine: Engine) -> None:
    reply = chat(engine, "ドコモで孫にギガ分けられる？", "ギガが無理ならdポイントは送れる？")[-1]
    assert (reply.decision, reply.id) == ("none", None)


def test_a_question_with_ok_in_it_is_not_small_talk(engine: Engine) -> None:
    """ "ok" makes "ok" small talk, not "is it ok if I keep using his line?"."""
    reply = engine.ask("is it ok if I keep using his line while he's gone?")
    assert reply.decision != "smalltalk"


@pytest.mark.parametrize(
    "turns",
    [
        ("老公的乐天积分好多 能转给我吗 他积了两万多分", "就是积分 不是流量"),
        ("mineo送流量的事明白了", "对了 携号转网MNP要几天"),
        ("can I send my friend money with PayPay?", "like to split the ramen bill"),
        (
            "ポイ活してたらdポイント貯まった！",
            "これってギガに変えて子どもにあげれる？ポイントのまま送るとか",
        ),
        # near misses after a data question
        ("合宿先の民宿、Wi-Fiないらしい", "ポケットWi-Fiレンタルって3日でいくらくらい？"),
        ("au能不能送流量", "算了不问了 京都哪里租得到随身wifi"),
        ("請問 BIGLOBE 的シェアSIM 可以給家人使用嗎？", "順帶一問，BIGLOBE 的解約手續費是多少？"),
        (
            "need to send airtime to my mum back home",
            "is there any Japanese app that can buy MTN recharge?",
        ),
        ("微信能给朋友转钱吗",),
    ],
)
def test_data_named_only_to_set_it_aside_stays_out_of_scope(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    assert chat(engine, *turns)[-1].decision == "none"


@pytest.mark.parametrize(
    ("turns", "carrier"),
    [
        (
            (
                "Season ends in April and I'm heading back to Perth",
                "one of the Japanese lifties is keen on my povo SIM",
                "can I just give it to him when I leave?",
            ),
            "povo",
        ),
        (
            (
                "I defend in February and fly back to Lagos in March",
                "a junior in my lab wants to take over my Rakuten SIM",
                "can I just hand it to him? it's got a voice number",
            ),
            "rakuten",
        ),
    ],
)
def test_handing_over_the_sim_just_said_is_the_law(
    engine: Engine, turns: tuple[str, ...], carrier: str
) -> None:
    """ "it", given to someone right after a SIM was said, is the SIM itself."""
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "sim-transfer-law", carrier)


@pytest.mark.parametrize(
    "turns",
    [
        (
            "なんで日本のキャリアってギガの譲渡できないの",
            "留学生の部員が、国だと普通に友達に送れるって言ってた",
        ),
        (
            "Why is it so hard to share data in Japan?",
            "back home I can transfer MB to anyone on MTN with a USSD code",
        ),
        ("日本送流量为啥子只有mineo可以 其他家是技术不行还是咋个",),
    ],
)
def test_why_stays_why_when_other_countries_are_mentioned(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "why-no-gifting", None)


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (("個eSIM仲有三日到期 仲剩好多data", "用唔晒可唔可以留返下次嚟日本先用"), "carryover"),
        (("旅遊SIM還剩好多流量 明天就回台灣了", "可以換成錢嗎 浪費好可惜"), "cash-for-data"),
    ],
)
def test_a_travel_sim_stays_the_subject_when_japan_is_where_one_comes_back(
    engine: Engine, turns: tuple[str, ...], expected: str
) -> None:
    """ "下次嚟日本" says where, not "which carrier in Japan"; "旅遊SIM" names the travel SIM."""
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", expected, "tourist-sim")


@pytest.mark.parametrize(
    ("turns", "carrier"),
    [
        (("docomo能送流量吗", "为啥不行啊 小公司都能送 大公司反而不行"), "docomo"),
        (
            (
                "SoftBank really doesn't let me gift data?",
                "why though? back home my carrier lets family share",
            ),
            "softbank",
        ),
        (("softbank能送流量吗", "为什么日本运营商都不让送啊 国内随便送"), None),
    ],
)
def test_why_after_a_carriers_no_is_why_that_carrier_said_no(
    engine: Engine, turns: tuple[str, ...], carrier: str | None
) -> None:
    """Carriers spoken of in general ("小公司都能送", "my carrier back home") do not make the
    question general; Japan's carriers as a whole do."""
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "why-no-gifting", carrier)


@pytest.mark.parametrize(
    ("turns", "carrier"),
    [
        (("povo hotspot money?", "sorry my phone is LINEMO"), "linemo"),
        (("docomoってテザリングお金いる？", "まちがえた、うちpovoやったわ"), "povo"),
    ],
)
def test_money_asked_of_tethering_is_its_price(
    engine: Engine, turns: tuple[str, ...], carrier: str
) -> None:
    first, last = chat(engine, *turns)
    assert (first.id, first.aspect) == ("tethering", "price")
    assert (last.decision, last.id, last.carrier) == ("answer", "tethering", carrier)


@pytest.mark.parametrize(
    "text",
    ["开热点给别人用赚钱可以吗", "can I make money off my hotspot?", "テザリングでお金稼げる？"],
)
def test_money_earned_with_a_hotspot_is_still_cash_for_data(engine: Engine, text: str) -> None:
    assert engine.ask(text).id == "cash-for-data"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # whether the gift works, and for whom: mineo's gifting answer
        ("mineoのパケットギフトってまだ生きてる？", "mineo"),
        (
            "Does mineo's packet gift work between different mineo network types, like A plan to D plan?",
            "mineo",
        ),
        ("mineoのパケットギフトって 能送给不是mineo的人吗", "mineo"),
        ("パケットギフト可以送給台灣的家人嗎", "mineo"),
        # how it is done: the step-by-step entry
        ("mineo パケットギフト 怎么用", "mineo-packet-gift-howto"),
        ("mineoのパケットギフト, how many MB minimum I can send?", "mineo-packet-gift-howto"),
    ],
)
def test_whether_a_feature_works_is_the_carriers_answer_how_is_its_how_to(
    engine: Engine, text: str, expected: str
) -> None:
    reply = engine.ask(text)
    assert (reply.decision, reply.id, reply.carrier) == ("answer", expected, "mineo")


def test_a_follow_up_on_the_how_to_stays_with_it(engine: Engine) -> None:
    reply = chat(engine, "How do I send a mineo packet gift?", "can I do it from the app")[-1]
    assert reply.id == "mineo-packet-gift-howto"


@pytest.mark.parametrize(
    "text",
    [
        "下个月就要回国了 手机卡能不能直接转给学妹用 她刚来还没拿到在留卡办不了",
        "收了一批ahamo二手机 里面的卡还没注销 能直接卖吗",
        "亡くなった主人の携帯を私が引き継ぐことはできますか",
    ],
)
def test_a_sim_handed_over_with_an_aside_off_topic_is_the_law(engine: Engine, text: str) -> None:
    assert engine.ask(text).id == "sim-transfer-law"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # needs beside data are criteria of the choice
        (
            "Moving to Tokyo in April on an engineer visa. Which carrier should I get? Mostly data, "
            "hardly any calls, and I'd like to keep it under 3000 yen a month.",
            "choose-plan",
        ),
        ("留学生推荐哪个套餐 每个月20G左右 越便宜越好 能用银联卡付的", "choose-plan"),
        # with no data in it, the choice is of something else
        ("Which Japanese carrier has the best 5G coverage in Tokyo?", None),
        ("international call to nepal which sim cheap per minute", None),
        ("宿舍想拉个光纤 哪家最便宜 不用手机卡那种", None),
    ],
)
def test_which_plan_with_needs_beside_it(engine: Engine, text: str, expected: str | None) -> None:
    assert engine.ask(text).id == expected


@pytest.mark.parametrize(
    "turns",
    [
        ("表妹喺旭川讀書用ahamo 佢話可以送data俾我 但我用緊香港張卡漫遊喎 得唔得",),
        (
            "my cousin in Tokyo on ahamo says he can give me some gigs, just need my number. "
            "I'm using a Malaysian roaming SIM, true or not?",
        ),
        ("女兒用docomo 可以宋流量給我嗎", "我是在台灣用中華電信的"),
        ("朋友喺札幌用softbank", "佢想送data俾我", "但係我用緊香港卡漫遊"),
    ],
)
def test_data_given_to_a_line_from_abroad_is_between_carriers(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    """No Japanese carrier sends data abroad: the overview says who can give within Japan."""
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", GIFTING, None)


# --------------------------------------------------------------------------------------------
# session 15: options answered in words, asides, confirmations, whose line


def test_a_did_you_mean_answered_in_words_picks_the_option_it_names(engine: Engine) -> None:
    offered, picked = chat(
        engine, "我的旅遊eSIM還剩快5GB沒用完", "可以留到下次來日本再用嗎？明年想去北海道"
    )
    assert offered.decision == "clarify"
    assert (picked.decision, picked.id, picked.carrier) == ("answer", "carryover", "tourist-sim")


def test_a_none_offering_a_carriers_topics_is_not_a_question_answered_in_words(
    engine: Engine,
) -> None:
    """Those options are buttons: the next message is read on its own."""
    reply = chat(
        engine,
        "mineo gifting works mineo to mineo right",
        "ok unrelated: cheapest carrier for a data-only 2nd line?",
    )[-1]
    assert reply.id == "choose-plan"


def test_an_aside_that_asks_nothing_tells_why(engine: Engine) -> None:
    *_, aside = chat(
        engine,
        "部員にSIMだけ貸すのってあり？",
        "私名義のahamoのSIM、合宿中だけ後輩に渡したい",
        "後輩のスマホが壊れてて",
    )
    assert (aside.decision, aside.id) == ("answer", "sim-transfer-law")


@pytest.mark.parametrize("aside", ["解约的话违约金多少", "仲有我個iPhone mon爛咗 東京邊度整好"])
def test_an_aside_that_asks_is_still_out_of_scope(engine: Engine, aside: str) -> None:
    assert chat(engine, "用我名字办几张卡给员工用 可以吗", aside)[-1].decision == "none"


@pytest.mark.parametrize(
    "turns",
    [
        (
            "我想给仓库员工每人充点流量当福利 他们都是linemo",
            "我用自己的信用卡给他们的号加ギガ行不行",
            "就是说不行对吧",
        ),
        ("nuroモバイルのパケットギフト", "まだやってんの？"),
    ],
)
def test_a_confirmation_repeats_the_last_answer(engine: Engine, turns: tuple[str, ...]) -> None:
    *_, last, confirmed = chat(engine, *turns)
    assert confirmed.decision == "answer"
    assert (confirmed.id, confirmed.carrier) == (last.id, last.carrier)


@pytest.mark.parametrize(
    ("turns", "carrier"),
    [
        (("我老婆用mineo 我用ahamo", "ahamo能结转吗", "那我老婆的呢"), "mineo"),
        (
            (
                "my wife is on LINEMO and I'm on au",
                "can au carry over data?",
                "what about my wife's?",
            ),
            "linemo",
        ),
    ],
)
def test_a_persons_own_line_is_their_carriers(
    engine: Engine, turns: tuple[str, ...], carrier: str
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.id, reply.carrier) == ("carryover", carrier)


def test_two_peoples_carriers_said_with_no_question_get_the_giving_between_them(
    engine: Engine,
) -> None:
    reply = engine.ask("我老婆用mineo 我用ahamo")
    assert (reply.decision, reply.id, reply.hedge) == ("answer", GIFTING, True)
    assert (
        engine.ask(
            "老婆用的uq 我用的ahamo 我们家宽带是光回线 想问光回线和手机绑定有没有优惠"
        ).decision
        == "none"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("IIJmioは家族でギガを分けられますか。嫁と息子はそれぞれ別々に契約しております", "iijmio"),
        ("Can I share my Rakuten data with my parents through hotspot?", "tethering"),
        ("HIS mobile 是 docomo 回线吧，tethering 有限制吗", "tethering"),
        ("HIS mobile开热点收费吗？还有它用的是docomo的信号吗", "tethering"),
        ("HIS mobile开热点要不要钱 听说是docomo的网", "tethering"),
        (
            "HISモバイルのデータ容量を、他社回線をご利用の方へお分けすることは可能でしょうか。",
            GIFTING,
        ),
        ("我用Y!mobile，朋友用SoftBank，一樣是軟銀集團，可以互送流量嗎", GIFTING),
    ],
)
def test_who_shares_what_with_whom(engine: Engine, text: str, expected: str) -> None:
    """Separate contracts share no plan; a hotspot is how; a network is no second carrier; a
    line with another company or in the same group is still another carrier."""
    assert engine.ask(text).id == expected


def test_a_move_both_make_is_that_carriers_giving_and_the_conversation_goes_on_from_it(
    engine: Engine,
) -> None:
    replies = chat(
        engine,
        "my gf and i are both on povo, she ran out of data lol. any way to send her some?",
        "ok what if she switches to mineo and i do too",
        "and how long does the gift code last",
    )
    assert [(r.id, r.carrier) for r in replies] == [
        ("povo", "povo"),
        ("mineo", "mineo"),
        ("mineo-packet-gift-howto", "mineo"),
    ]
    assert chat(engine, "我和老婆都是乐天 能互相送流量吗", "她换mineo 我也换呢")[-1].id == "mineo"


def test_a_carrier_asked_about_since_replaces_the_two_peoples_carriers(engine: Engine) -> None:
    """Who was on which carrier stays true, but the conversation has moved to a third one."""
    replies = chat(
        engine,
        "my wife is on povo and i'm on mineo, can i give her data?",
        "UQ 家族で ギガ 分けれる？",
        "子供のタブレットにも？",
    )
    assert [(r.id, r.carrier) for r in replies[1:]] == [
        ("multi-line-share", "uq-mobile"),
        ("multi-line-share", "uq-mobile"),
    ]


@pytest.mark.parametrize(
    ("turns", "lang"),
    [
        (("IIJmio能送流量给朋友吗", "对方不是IIJmio也能收吗"), "zh-Hans"),
        (("IIJmio lets you give data to people?", "even if they're not on iijmio?"), "en"),
        (("IIJmioってギガあげられる？", "相手がIIJmioじゃなくても？"), "ja"),
        (("我是 IIJmio 用戶，同學不是 IIJmio，可以送容量給他嗎？",), "zh-Hant"),
    ],
)
def test_giving_to_someone_not_on_the_givers_carrier_is_giving_between_carriers(
    engine: Engine, kb: KnowledgeBase, turns: tuple[str, ...], lang: str
) -> None:
    """ "Not on IIJmio" said of the receiver is whose line it is, not IIJmio left out."""
    reply = chat(engine, *turns)[-1]
    assert (reply.id, reply.carrier, reply.lang) == (GIFTING, None, lang)
    label = carrier_label(kb, "iijmio", lang)
    assert first_line(engine, reply) == t(lang, "cross_carrier_other", a=label)
    # leaving a carrier out is still an exclusion
    assert engine.ask("除了IIJmio还有哪家能送流量").target == Target(
        "overview", GIFTING, excluded=("iijmio",)
    )


def test_the_carrier_of_the_phone_on_the_users_hotspot_changes_nothing(engine: Engine) -> None:
    replies = chat(engine, "旅游esim 能不能开热点给我老公用", "他的是ahamo")
    assert [(r.id, r.carrier) for r in replies] == [("tethering", "tourist-sim")] * 2
    # but a correction of whose line it was, or a question about theirs, moves to theirs
    replies = chat(engine, "我婆娘用的docomo 想问下开热点", "哦不对 她是ahamo 不是docomo")
    assert (replies[-1].id, replies[-1].carrier) == ("tethering", "ahamo")
    replies = chat(engine, "旅游esim 能不能开热点给我老公用", "那我老公的ahamo呢")
    assert (replies[-1].id, replies[-1].carrier) == ("tethering", "ahamo")


@pytest.mark.parametrize(
    "text", ["楽天ポイントで楽天モバイルのギガ買える？", "用乐天积分能买乐天的流量吗"]
)
def test_paying_for_ones_own_data_with_points_is_out_of_scope(engine: Engine, text: str) -> None:
    reply = engine.ask(text)
    assert (reply.decision, reply.id) == ("none", None)
    # while buying data for someone else with money is still a top-up
    assert engine.ask("能用支付宝给儿子日本的手机号充流量吗").id == "top-up-for-friend"


@pytest.mark.parametrize(
    "turns",
    [
        ("我老婆用ahamo 我用docomo 能共享流量吗", "ahamo开热点免费吗"),
        ("my wife uses ahamo and i use docomo, can we share gigs", "is tethering on ahamo free"),
    ],
)
def test_a_hotspot_asked_about_by_carrier_name_is_that_carriers(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    """After two people's carriers, "ahamo开热点免费吗" names whose tethering it asks about;
    "can i hotspot him?" (no carrier) is still the user's own line."""
    reply = chat(engine, *turns)[-1]
    assert (reply.id, reply.carrier) == ("tethering", "ahamo")
    reply = chat(engine, "my husband is on ahamo, im on docomo", "can i hotspot him?")[-1]
    assert (reply.id, reply.carrier) == ("tethering", "docomo")


@pytest.mark.parametrize(
    "text", ["my wife is on ahamo, im on docomo", "my gf is on povo and i'm on rakuten"]
)
def test_an_english_statement_of_who_is_on_what_asks_nothing(engine: Engine, text: str) -> None:
    """ "is" inside a statement is no question: the guess about giving between the two, as for
    "我老婆用mineo 我用ahamo" (not the SIM law or a top-up)."""
    reply = engine.ask(text)
    assert (reply.decision, reply.id, reply.hedge) == ("answer", GIFTING, True)


@pytest.mark.parametrize(
    "turns",
    [
        ("台湾的卡能开热点吗", "那日本的sim呢"),
        ("can i share data from my chinese sim to a friend", "what about japanese sims?"),
    ],
)
def test_japanese_sims_asked_after_a_question_about_others_keep_the_topic(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    first, last = chat(engine, *turns)
    assert last.target == first.target
    assert last.target is not None and last.target.kind == "overview"


@pytest.mark.parametrize(
    "turns",
    [
        ("我用mineo 室友也是mineo", "不对 室友是UQ"),
        ("I'm on mineo and so is my roommate", "oh wait, she's on UQ actually"),
        ("私mineoで王さんもmineoって言ってたんですけど", "あ、違った、王さんUQでした"),
    ],
)
def test_a_corrected_carrier_of_the_other_person_makes_two_carriers(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.id, reply.carrier, reply.hedge) == (GIFTING, None, True)
    assert set(reply.target.carriers) == {"mineo", "uq-mobile"}  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text",
    [
        "I'm on au, can I send data to my mom's phone in China?",
        "ギガって陳さんの中国のスマホにも送れます？私はau",
    ],
)
def test_data_for_a_phone_abroad_is_not_the_givers_feature(engine: Engine, text: str) -> None:
    """A phone in another country is on no Japanese carrier: no au データプレゼント to it."""
    reply = engine.ask(text)
    assert (reply.id, reply.carrier) == (GIFTING, None)


def test_a_cracked_screen_after_an_answer_is_out_of_scope(engine: Engine) -> None:
    replies = chat(
        engine,
        "can I gift data on softbank",
        "also my screen's cracked, where do I get it fixed lol",
    )
    assert replies[-1].decision == "none"


@pytest.mark.parametrize(
    ("turns", "lead"),
    [
        (("mineo 流量能给我爸吗 他也mineo", "怎么弄", "code几天过期"), "码在后天或月底"),
        (("How do I send a mineo packet gift?", "how long is the code valid?"), "The code expires"),
        (("au データプレゼント 怎么用", "有效期多久"), "价格：0.5GB 550日元"),
        # asked at once, not only as a follow-up
        (("mineoのパケットギフトの有効期限は？",), "コードは翌々日か月末"),
        (("how long does a mineo gift code last",), "The code expires"),
        (("au データプレゼント 1GBいくら",), "料金：0.5GB 550円"),
    ],
)
def test_how_long_a_gift_lasts_leads_with_when_it_expires(
    engine: Engine, turns: tuple[str, ...], lead: str
) -> None:
    """A how-to entry's body is free text: the line that says when the code or the data
    expires answers "how long is it valid"."""
    reply = chat(engine, *turns)[-1]
    assert first_line(engine, reply).startswith(lead)


@pytest.mark.parametrize(
    ("turns", "lead"),
    [
        (("老婆用的au 我也用au", "能互相送吗", "多少钱", "怎么操作"), "做法："),
        (("au怎么送流量",), "做法："),
        # a how-to that starts with its first step keeps it first
        (("mineo怎么送流量", "具体怎么操作"), "第一步："),
        (("how do i send data on mineo", "how exactly"), "First, the sender"),
    ],
)
def test_how_leads_with_the_first_step(engine: Engine, turns: tuple[str, ...], lead: str) -> None:
    assert first_line(engine, chat(engine, *turns)[-1]).startswith(lead)


@pytest.mark.parametrize("text", ["what can you do", "你能做什么", "このボットは何ができるの？"])
def test_asking_what_the_bot_does_is_a_greeting(engine: Engine, text: str) -> None:
    assert engine.ask(text).smalltalk == "greeting"


@pytest.mark.parametrize(
    "turns",
    [
        (
            "UQモバイルは家族で容量を分け合えますか。",
            "承知いたしました。丁寧に教えていただき、誠にありがとうございました。嫁にも伝えておきます。",
        ),
        ("乐天能送流量吗", "懂了 谢谢 学姐推荐的这个bot还挺好用的"),
    ],
)
def test_thanks_that_mention_someone_are_small_talk(engine: Engine, turns: tuple[str, ...]) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.smalltalk) == ("smalltalk", "thanks")
    # thanks followed by a new question is the question
    reply = chat(engine, "旅游esim能开热点吗", "谢谢 还想问 我爸妈要来日本长住 选哪家运营商好")[-1]
    assert reply.id == "choose-plan"


def test_points_exchanged_for_ones_own_data_are_out_of_scope(engine: Engine) -> None:
    reply = chat(engine, "乐天可以开热点吗", "那乐天积分能拿来换流量吗 我积分攒了好多")[-1]
    assert reply.decision == "none"


def test_a_carrier_said_after_an_unanswered_remark_about_data_is_who_is_on_what(
    engine: Engine,
) -> None:
    replies = chat(engine, "流量用完了 下周才发工资", "我是ymobile")
    assert replies[0].decision == "none"
    assert (replies[1].id, replies[1].hedge) == ("ymobile", True)
    # after an out-of-scope question, the carrier is still that question's
    assert chat(engine, "日本哪里5G信号最好", "东京", "docomo的")[-1].decision == "none"


def test_adding_data_for_a_friend_after_a_carrier_is_its_top_up(engine: Engine) -> None:
    reply = chat(engine, "linemo能送流量吗", "能帮我朋友加吗")[-1]
    assert (reply.id, reply.carrier) == ("top-up-for-friend", "linemo")


def test_ok_what_do_i_do_then_asks_about_the_last_answer(engine: Engine) -> None:
    replies = chat(engine, "我老豆用緊softbank 佢想俾啲data我", "我係povo", "咁點算好")
    assert replies[-1].decision == "answer"
    assert replies[-1].target == replies[-2].target
    assert engine.ask("好的").decision == "smalltalk"


@pytest.mark.parametrize(
    ("turns", "topic", "carriers"),
    [
        (("docomo能结转吗", "和ahamo比呢"), "carryover", {"docomo", "ahamo"}),
        (("au能送流量吗", "和mineo比哪个好"), GIFTING, {"au", "mineo"}),
        (("is tethering free on docomo", "how does it compare with ahamo"), "tethering", None),
        (("楽天のテザリングは？", "povoと比べてどう？"), "tethering", {"rakuten", "povo"}),
    ],
)
def test_a_carrier_compared_with_the_last_answers_is_side_by_side(
    engine: Engine, turns: tuple[str, ...], topic: str, carriers: set[str] | None
) -> None:
    reply = chat(engine, *turns)[-1]
    assert reply.target is not None
    assert (reply.target.kind, reply.target.topic) == ("compare", topic)
    assert set(reply.target.carriers) == (carriers or {"docomo", "ahamo"})


@pytest.mark.parametrize(
    "turns",
    [
        ("俺孙子用docomo，能给他同学送点流量不", "不对不对 俺整错了 他那是ahamo 不是docomo"),
        ("my son is on docomo, can he give data to his friend", "sorry, he's on ahamo not docomo"),
    ],
)
def test_a_persons_carrier_corrected_is_the_same_question_for_the_right_one(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.id, reply.carrier) == ("ahamo", "ahamo")
    # the user's own carrier said instead is still the receiver's: between two carriers
    reply = chat(
        engine,
        "嫁がmineoやけど、ギガ余っとうけん俺に分けれるっちゃろか",
        "あ、俺はmineoやなかとよ、ソフトバンクたい",
    )[-1]
    assert (reply.id, reply.carrier) == (GIFTING, None)


@pytest.mark.parametrize(
    "turns",
    [
        ("ahamo开热点要钱不", "那跟软银比呢 哪个开热点省事儿"),
        ("ahamoってテザ無料？", "じゃLINEMOとどっちがいい？テザメインで使う"),
    ],
)
def test_comparing_while_naming_the_topic_again_is_still_side_by_side(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert reply.target is not None
    assert (reply.target.kind, reply.target.topic) == ("compare", "tethering")


@pytest.mark.parametrize(
    ("turns", "carriers"),
    [
        (
            (
                "Can I share data with my wife? She is on Rakuten, I am on ahamo",
                "sorry I meant povo, not ahamo. same question",
            ),
            {"povo", "rakuten"},
        ),
        (("我老婆用乐天 我用ahamo 能送她流量吗", "不对 我是povo 不是ahamo"), {"povo", "rakuten"}),
        (
            ("友達がmineoでギガくれるって言ってる！", "うちpovoなんだけど受け取れる？"),
            {"mineo", "povo"},
        ),
    ],
)
def test_a_carrier_corrected_or_said_late_keeps_giving_between_the_two(
    engine: Engine, turns: tuple[str, ...], carriers: set[str]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.id, reply.carrier) == (GIFTING, None)
    assert reply.target is not None and set(reply.target.carriers) == carriers
    # buying data for someone whose carrier is said late is still that person's top-up
    reply = chat(engine, "我想给我弟充点流量", "他用的是HIS mobile", "我自己是ymobile")[-1]
    assert (reply.id, reply.carrier) == ("top-up-for-friend", "his-mobile")


def test_words_near_other_subjects_do_not_hide_the_question(engine: Engine) -> None:
    """ "去营业厅申请" asks whether to apply (at a shop), and "Super, thanks" is thanks, not
    YouTube's paid "Super Thanks"."""
    reply = chat(
        engine, "俺孙子用的ahamo 他同学来家里玩 能给同学开热点不", "要钱不 还得去营业厅申请不"
    )[-1]
    assert (reply.id, reply.carrier) == ("tethering", "ahamo")
    assert chat(engine, "Can LINEMO user tether laptop?", "Super, thanks a lot boss!")[-1].smalltalk
    assert engine.ask("docomo的营业厅几点关门").decision == "none"


@pytest.mark.parametrize(
    "turns",
    [
        ("ymobile个share plan 可唔可以加埋我老婆部手机", "佢系要打电话嘅 唔系平板"),
        ("听说ymobile有个シェアプラン", "子回線を店里的娃们一人一张配る 行不行 子卡も通話できる？"),
        (
            "中1の息子がスマホデビューしました📱 私がワイモバなので子回線で分けてあげたいんだけど、"
            "シェアプランって通話できないって本当？",
        ),
    ],
)
def test_whether_a_shared_line_can_call_is_answered_by_the_sharing_cell(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    """Calls are out of scope, but Y!mobile's share plan verdict says its child SIMs can't."""
    context = None
    for turn in turns:
        reply = engine.ask(turn, context=context)
        context = reply.context
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "multi-line-share", "ymobile")
    assert reply.aspect == "number" and reply.lead_aspect


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (
            (
                "mineo那个送流量咋整啊 在哪点",
                "我用手机浏览器登的マイページ 找半天找不着那个按钮 急死了",
            ),
            ("mineo-packet-gift-howto", "mineo"),
        ),
        (
            (
                "auのデータプレゼントは、受け取る側もauである必要がありますか。",
                "失礼しました、UQモバイルの場合でした。",
            ),
            ("uq-mobile", "uq-mobile"),
        ),
        (
            (
                "mineoのパケットギフトの手順を教えていただけますか。",
                "贈る側と受け取る側、それぞれ何をすればよいのでしょうか。",
                "ギフトコードはどのように相手に伝えればよいですか。",
            ),
            ("mineo-packet-gift-howto", "mineo"),
        ),
    ],
)
def test_follow_ups_to_a_how_to_or_a_feature_keep_to_it_or_swap_its_carrier(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str]
) -> None:
    """Not finding the button asks the how-to again; "UQの場合でした" asks giving on UQ."""
    context = None
    for turn in turns:
        reply = engine.ask(turn, context=context)
        context = reply.context
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    "turns",
    [
        ("ahamo打電話回台灣一分鐘多少錢☎️", "有沒有比較便宜的方法"),  # a cheaper way to call
        (
            "哎呀妈呀这日本手机卡整得我脑瓜子嗡嗡的 我们俩一个月加起来用30个G左右 哪家便宜点",
            "对了给姥姥打LINE视频算话费不 打国际长途贵不",
        ),
    ],
)
def test_calls_asked_in_a_chat_stay_out_of_scope(engine: Engine, turns: tuple[str, ...]) -> None:
    assert chat(engine, *turns)[-1].decision == "none"


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (
            ("povo點樣top up俾朋友?", "佢部電話喺香港買嘅, 用緊povo eSIM"),
            ("top-up-for-friend", "povo"),
        ),
        (
            ("biglobe的シェアSIM 我老公能不能用", "我们是两口子 住一个宿舍 钱一起花的"),
            ("multi-line-share", "biglobe"),
        ),
    ],
)
def test_a_detail_added_after_an_answer_keeps_it(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str]
) -> None:
    """Where the phone was bought, who the two people are: nothing asked, nothing out of scope."""
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


def test_a_new_question_after_an_answer_is_not_a_detail(engine: Engine) -> None:
    replies = chat(engine, "我用ahamo tether部MacBook傳RAW檔 OK㗎", "部Sony相機可唔可以直接FTP上雲")
    assert replies[-1].decision == "none"


@pytest.mark.parametrize(
    "turns",
    [
        (
            "I want change carrier, now I pay 9000 yen in softbank",
            "I use like 20 GB, call to Brasil only with whatsapp. which one you recommend?",
        ),
        (
            "格安SIMへの乗り換えを検討しております。通話は一日数分、データ通信は専ら新聞記事の閲覧のみでございます。",
            "どの会社が適切でしょうか。",
        ),
    ],
)
def test_which_to_choose_asked_after_saying_what_one_needs_is_choosing_a_plan(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    """The carrier or SIM being chosen was said in the message before."""
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "choose-plan", None)


def test_a_sim_left_for_the_next_one_so_they_need_not_get_one_is_handed_over(
    engine: Engine,
) -> None:
    replies = chat(
        engine,
        "我闺女实习三年 明年夏天合同到期就回国了",
        "她那张手机卡能不能留给下一批来的实习生接着用 省得人家再办",
    )
    assert (replies[-1].decision, replies[-1].id) == ("answer", "sim-transfer-law")


@pytest.mark.parametrize(
    "turns",
    [
        ("UQ流量咋给别人转点", "给我妈", "她在国内呢 用的联通"),
        ("IIJmio 嘅 data 可唔可以俾屋企人", "佢哋喺香港 用緊 csl"),
    ],
)
def test_the_receiver_on_a_line_at_home_gets_the_overview(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    """No Japanese carrier sends data to China Unicom or csl."""
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "gifting-overview", None)


@pytest.mark.parametrize(
    "turns",
    [
        ("儿子在日本用povo 流量用完了", "我这边能帮他买吗 用支付宝付"),  # paid with Alipay
        (
            "povoを使っている学生が、友人のトッピングを代わりに買ってあげたいそうです",
            "そういうことは可能でしょうか",
        ),
    ],
)
def test_data_bought_for_someone_and_how_it_is_paid_is_a_top_up(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "top-up-for-friend", "povo")


def test_topping_up_a_payment_card_after_a_data_question_stays_out_of_scope(engine: Engine) -> None:
    replies = chat(engine, "我孙女用的乐天卡流量能不能给我用", "那个西瓜卡怎么往里充钱")
    assert replies[-1].decision == "none"


@pytest.mark.parametrize(
    "turns",
    [
        (
            "Can I gift data on mineo?",
            "sweet, my buddy's on mineo",
            "how long does the gifted data last once he gets it",
        ),
        ("學姊用mineo送我流量", "收到之後可以用到什麼時候"),
    ],
)
def test_how_long_gifted_mineo_data_lasts_is_its_gifting_line_first(
    engine: Engine, kb: KnowledgeBase, turns: tuple[str, ...]
) -> None:
    """mineo's gifting cell has the line; the how-to is for the steps."""
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "mineo", "mineo")
    validity = next(
        d for d in kb.cells[("gifting-overview", "mineo")].details if d.aspect == "validity"
    )
    assert first_line(engine, reply) == pick(validity.text, reply.lang)


def test_what_au_data_present_costs_after_au_gifting_is_its_entry(engine: Engine) -> None:
    """A paid feature's own entry says what it costs."""
    reply = chat(engine, "au能给别人送流量吗", "多少钱一个G")[-1]
    assert (reply.id, reply.carrier) == ("au-data-present", "au")


def test_whether_selling_is_allowed_asked_after_selling_is_the_selling_answer(
    engine: Engine,
) -> None:
    """ "そもそも" stresses the question; it starts nothing new."""
    reply = chat(
        engine,
        "留学生が、余ったギガを中国のフリマアプリ（闲鱼というそうです）で売れるのかと聞いてきました。",
        "そもそもそういうことは許されるのでしょうか。",
    )[-1]
    assert (reply.decision, reply.id) == ("answer", "sell-data-platforms")


def test_how_a_top_up_is_paid_is_more_of_the_top_up(engine: Engine) -> None:
    reply = chat(engine, "我在熊本 老婆在高雄", "她想幫我的ahamo加流量", "可以用台灣的信用卡嗎")[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "top-up-for-friend", "ahamo")


def test_a_sim_only_described_after_a_gifting_answer_is_whose_data(engine: Engine) -> None:
    """ "俺这卡是UQ的" says which carrier the data is on; giving next gives the data, not the
    SIM."""
    *_, reply = chat(
        engine,
        "乐天的流量能送人吗",
        "等等 俺媳妇抢手机说俺这卡是UQ的 不是乐天",
        "对 是UQ 那UQ能送不",
    )
    assert (reply.id, reply.carrier) == ("uq-mobile", "uq-mobile")


def test_a_brand_of_the_same_company_is_still_another_carrier(engine: Engine) -> None:
    *_, reply = chat(
        engine, "au的流量能送给老婆吗", "她说她的是povo 不是au", "povo不也是au家的吗 这都不中？"
    )
    assert (reply.id, reply.carrier) == ("gifting-overview", None)


@pytest.mark.parametrize(
    "turns",
    [
        (
            "您好，女儿的au流量每个月用不完，可以结转吗？",
            "那她换成povo的话，现在的电话号码可以保留吗？",
        ),
        (
            "入居者さんがahamoです。ギガが余ります。お金に換えられますか。",
            "では、ahamoをやめるときにお金はかかりますか。",
        ),
    ],
)
def test_keeping_a_number_or_cancelling_after_an_answer_is_out_of_scope(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.target) == ("none", None)


def test_a_double_no_before_the_right_carrier_excludes_nothing(engine: Engine) -> None:
    _, reply = chat(
        engine,
        "老細話幫我哋全部人辦一個套餐一齊用流量咁樣得唔得㗎我哋用docomo",
        "唔係唔係係ahamo唔係docomo講錯咗",
    )
    assert (reply.id, reply.carrier) == ("multi-line-share", "ahamo")


def test_connecting_a_pc_after_a_hotspot_answer_is_the_hotspot(engine: Engine) -> None:
    *_, reply = chat(
        engine,
        "楽天モバイルでテザリングはできますか。",
        "お金はかかりますか。",
        "入居者さんのパソコンにつなぎたいそうです。",
    )
    assert (reply.id, reply.carrier) == ("tethering", "rakuten")


def test_who_may_use_a_feature_goes_on_with_it(engine: Engine) -> None:
    _, reply = chat(
        engine, "how does mineo free tank work", "can anyone use it or just mineo people"
    )
    assert (reply.id, reply.carrier) == ("mineo-free-tank", "mineo")


def test_where_the_family_lives_is_a_detail_not_a_general_question(engine: Engine) -> None:
    _, reply = chat(
        engine,
        "入居者さんがスマホのギガで困っています。家族で分けられるプランはありますか。",
        "入居者さんはドコモです。ご家族も日本にいます。",
    )
    assert (reply.id, reply.carrier) == ("multi-line-share", "docomo")


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (("我想在淘宝上卖我多余的流量", "日本的卡可以吗"), ("sell-data-platforms", None)),
        (("povo的流量可以送人嗎", "那我用不完的可以退錢嗎"), ("cash-for-data", "povo")),
        (("學生的話推薦哪家", "OK 那如果選povo 可以把流量送給朋友嗎"), ("povo", "povo")),
        (
            (
                "为什么在日本不能像国内一样把流量送给家里人？",
                "国内移动联通都可以的呀，日本这么发达反而不行，我们想不通。",
            ),
            ("why-no-gifting", None),
        ),
    ],
)
def test_follow_ups_on_selling_refunds_a_choice_and_why(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    "turns",
    [
        ("我用ahamo", "取消要唔要罰錢"),
        ("can I gift data on biglobe?", "nvm, how do I pay an overdue bill there"),
    ],
)
def test_cancelling_or_an_overdue_bill_after_a_carrier_is_out_of_scope(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.target) == ("none", None)


def test_her_hotspot_is_on_the_carrier_she_was_said_to_be_on(engine: Engine) -> None:
    """ "我刚换成ahamo了 但我女朋友还在用乐天": she is on Rakuten (said as a role, though the
    switch makes ahamo the message's subject), so her hotspot is Rakuten's."""
    _, reply = chat(engine, "我刚换成ahamo了 但我女朋友还在用乐天", "她能开热点给我用吗 要钱吗")
    assert (reply.id, reply.carrier) == ("tethering", "rakuten")


def test_who_said_a_carrier_is_not_on_it(engine: Engine) -> None:
    *_, reply = chat(
        engine,
        "大家好 日语学校新生 想问手机卡的事",
        "学长说mineo可以互相送流量",
        "我现在用的是uq 那uq可以吗",
    )
    assert (reply.id, reply.carrier) == ("uq-mobile", "uq-mobile")


@pytest.mark.parametrize(
    "turns",
    [
        (
            "I go back to Brasil in december, finish the contract in fabrica",
            "my docomo line I can sell to other brazilian guy? he give me 10000 yen",
        ),
        (
            "らいげつ ベトナム に かえります",
            "SIMカード を こうはい に あげても いいですか",
            "おかね もらって うる は だめ ですか",
        ),
    ],
)
def test_selling_the_line_after_the_law_is_the_law_again(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id) == ("answer", "sim-transfer-law")


def test_next_month_alone_is_no_question_about_carrying_over(engine: Engine) -> None:
    (reply,) = chat(engine, "らいげつ ベトナム に かえります")
    assert reply.target is None or reply.target.topic != "carryover"


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # 给他冲 (a homophone of 充) tops up his line, not the user's own
        (
            ("我伢在东京读书 用的乐天 流量不够用", "我在国内能不能给他冲流量 么样冲"),
            ("top-up-for-friend", "rakuten"),
        ),
        (("我伢的手机是do co mo", "我么样给他加流量啊 我在武汉"), ("top-up-for-friend", "docomo")),
        # how it is paid, with the receiver's carrier, after the overview
        (
            ("我伢在日本 我想给她充流量", "她是linemo 我在国内用支付宝能付吗"),
            ("top-up-for-friend", "linemo"),
        ),
        # a hotspot for her iPad hands nothing over
        (("旅游卡能开热点吗", "就是机场买的那个卡 给我伢的ipad用"), ("tethering", "tourist-sim")),
        # the same act again with its carrier
        (
            ("我同屋共用一個plan得唔得", "佢係我室友 一齊用softbank"),
            ("multi-line-share", "softbank"),
        ),
    ],
)
def test_details_after_an_answer_keep_its_topic(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    "turns",
    [
        ("店里面的wifi热点连不上", "就是那个咖啡店的免费wifi 咋个连嘛"),
        ("电脑硬盘的数据能不能转到新的电脑", "就是资料 照片那些 不是流量"),
        ("年假用不完能结转到明年吗", "我在日本公司上班的伢问的"),
        ("can i carry over my leftover annual leave days", "boss says no, is that legal in japan"),
        ("细佬想由docomo转去rakuten", "电话号码可不可以保留"),
        ("my friend want change au to rakuten", "can keep same number?"),
    ],
)
def test_words_shared_with_a_topic_do_not_make_it_in_scope(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    """Café Wi-Fi, a disk's data, leave days carried over and a number kept are not mobile
    data questions, whatever words they share with one."""
    reply = chat(engine, *turns)[-1]
    assert reply.target is None


def test_what_about_a_carrier_after_an_overview_is_its_cell(engine: Engine) -> None:
    first, reply = chat(
        engine, "which carrier is best for tethering", "ok what about povo specifically"
    )
    assert (first.id, first.carrier) == ("tethering", None)
    assert (reply.id, reply.carrier) == ("tethering", "povo")


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # the points are what the data becomes
        (("我剩好多流量 用不完", "能换成钱或者积分吗"), ("cash-for-data", None)),
        # two contracts on one carrier: data between them is given
        (("我docomo 老婆也docomo 但不在一个家庭套餐里", "能不能分流量给她"), ("docomo", "docomo")),
        (
            ("我老豆同我都係softbank 不過分開兩個合約", "佢data唔夠用，我可以分啲俾佢嗎"),
            ("softbank", "softbank"),
        ),
        # 我畀錢: the user pays, for the mother's line
        (("我想幫我阿媽買多啲data 我畀錢", "佢用緊UQ"), ("top-up-for-friend", "uq-mobile")),
        # a sharing feature's name (Y!mobile's シェアプラン) asked of the conversation's carrier
        (
            ("全員ソフトバンクで家族割です", "データを分けるシェアプランってありますか"),
            ("multi-line-share", "softbank"),
        ),
        # a gifting feature asked between two people on two carriers
        (("my friend use mineo, me povo", "packet gift can work?"), ("gifting-overview", None)),
    ],
)
def test_who_is_on_what_said_earlier_decides_the_answer(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


def test_money_put_on_a_card_after_data_is_out_of_scope(engine: Engine) -> None:
    _, reply = chat(
        engine, "UQはギガあげられんのね", "ほんならSuicaにお金入れるのはスマホでできる？"
    )
    assert reply.target is None


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (("我兒子用au", "聽說au可以買流量當禮物送人? 我想送他一點"), ("au-data-present", "au")),
        (
            ("my bf and I both on ahamo", "佢可唔可以share少少data俾我? 唔係同一個contract"),
            ("ahamo", "ahamo"),
        ),
        (("我用mineo", "阿媽聽人講mineo有個免費data池 佢可唔可以用"), ("mineo-free-tank", "mineo")),
        (
            ("兒子明年畢業要回台灣了", "他的門號可以賣給學弟嗎 學弟說願意出錢"),
            ("sim-transfer-law", None),
        ),
    ],
)
def test_traditional_chinese_follow_ups(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    "turns",
    [
        ("我想轉台 由rakuten轉去docomo", "可唔可以keep番原本個number"),
        ("我想轉台去povo", "可唔可以保留而家個號碼"),
        ("返香港之前要cut咗Y!mobile", "解約使唔使俾錢"),
    ],
)
def test_keeping_a_number_or_cancelling_in_cantonese_is_out_of_scope(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert reply.target is None


@pytest.mark.parametrize(
    "turns",
    [
        ("兒子用au 我下個月去大阪看他", "我會在機場買預付卡 流量不夠的話他可以分給我嗎"),
        ("我幫阿媽打字 佢嚟咗大阪探我", "佢喺機場買咗張電話卡 data唔夠 我用docomo可唔可以分啲俾佢"),
        ("朋友来日本旅游 用airport买的tourist SIM 快用完了，能不能从我docomo分一点给她？",),
        # two others put on two carriers, data split between them
        ("兒子用linemo 他女朋友用ahamo", "兩個人之間可以分流量嗎"),
    ],
)
def test_giving_between_a_carrier_and_a_travel_sim_or_two_others_is_between_carriers(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "gifting-overview", None)


def test_a_visitor_without_a_travel_sim_is_the_users_carrier(engine: Engine) -> None:
    (reply,) = chat(engine, "朋友来日本玩 我能把我的流量分他点吗 我用的ahamo")
    assert (reply.id, reply.carrier) == ("ahamo", "ahamo")


def test_whether_the_reason_is_a_law_goes_on_with_why(engine: Engine) -> None:
    _, reply = chat(engine, "ahamo的流量為什麼不能送人", "是日本法律規定的嗎")
    assert (reply.id, reply.carrier) == ("why-no-gifting", "ahamo")


def test_brands_of_one_group_said_after_a_cross_answer_keep_it(engine: Engine) -> None:
    _, reply = chat(engine, "auのギガ能送给UQ的朋友吗", "都是KDDI系的啊，应该可以吧")
    assert (reply.id, reply.carrier) == ("gifting-overview", None)


def test_the_time_left_on_a_contract_after_a_cancellation_fee_stays_out(engine: Engine) -> None:
    _, reply = chat(engine, "au的解約金多少", "我合約還剩一年")
    assert reply.target is None


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (
            ("can I make some cash off my unused gigs lol", "rakuten unlimited, I barely touch it"),
            ("cash-for-data", "rakuten"),
        ),
        (
            (
                "王さんが新しく契約するんですけど、どこの会社がいいですかね",
                "データは20GBくらい、通話は少なめです",
            ),
            ("choose-plan", None),
        ),
    ],
)
def test_a_detail_after_cash_or_a_choice_keeps_it(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


def test_a_trip_after_an_unanswered_roaming_question_stays_out(engine: Engine) -> None:
    _, reply = chat(engine, "rakuten roaming in Korea, price per GB?", "going for golden week")
    assert reply.target is None


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # "where" with an aspect, about the carrier named, is no question about carriers in general
        (("au の てざりんぐ いくら?", "もうしこみ どこ? my au?"), ("tethering", "au")),
        (
            ("esposa の mineo に ぎが あげたい. わたし も mineo", "code どこ で つくる? mypage?"),
            ("mineo-packet-gift-howto", "mineo"),
        ),
        (
            (
                "Can I give my au data to my mate on povo? Same company, innit",
                "Hang on.",
                "But they're both KDDI, surely?",
            ),
            ("gifting-overview", None),
        ),
    ],
)
def test_where_to_apply_and_both_kddi(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (
            ("Sisa kuota bisa ditukar uang atau point?", "saya pakai Rakuten"),
            ("cash-for-data", "rakuten"),
        ),
        (
            ("povo data gift bisa?", "eh sorry maksud saya UQ, bukan povo"),
            ("uq-mobile", "uq-mobile"),
        ),
        (
            (
                "My friend is on LINEMO. Can I pay for her extra data?",
                "she don broke this month, abeg",
            ),
            ("top-up-for-friend", "linemo"),
        ),
    ],
)
def test_indonesian_and_pidgin_follow_ups(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    "turns",
    [
        (
            "Whats the international calling rate to the US on docomo",
            "trying to call my mom in Texas",
        ),
        ("Kak, biaya pembatalan Softbank berapa ya?", "kontrak saya baru 6 bulan"),
        ("Kak, kuota mineo yang nggak kepakai bisa ke bulan depan?", "oke makasih kak 🙏"),
    ],
)
def test_call_rates_cancelling_and_thanks_are_no_entry(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert reply.target is None


def test_a_network_wished_for_after_a_choice_keeps_the_choice(engine: Engine) -> None:
    _, reply = chat(engine, "一人暮らし，每月30ギガ左右，哪家最便宜？", "最好是ドコモ回線的")
    assert (reply.id, reply.carrier) == ("choose-plan", None)


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (
            ("我媳妇儿手机是au的", "我这边是UQ 听说一个公司的 我能给她送点流量不"),
            ("gifting-overview", None),
        ),
        (("日本这几家运营商都不让转流量", "这是为啥啊 有法律规定吗"), ("why-no-gifting", None)),
        (("侬晓得伐 流量好换成钞票伐", "用勿光老浪费额"), ("cash-for-data", None)),
    ],
)
def test_same_company_why_and_shanghainese(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    "turns",
    [
        ("povoでギガ繰り越せる？", "おおきに〜"),
        ("なんで他人にギガ渡せんと？", "ケチくさかね〜"),
        ("承知いたしました", "ごていねいに どうも"),
    ],
)
def test_dialect_thanks_and_grumbles_are_small_talk(engine: Engine, turns: tuple[str, ...]) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.target) == ("smalltalk", None)


def test_kansai_buying_for_her_tops_up_her_line(engine: Engine) -> None:
    _, reply = chat(engine, "彼女のスマホにギガ買うてあげたいねん", "彼女はpovoや")
    assert (reply.id, reply.carrier) == ("top-up-for-friend", "povo")


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (
            (
                "マイネオっていうのにしたんだけどね",
                "ギガをたかしにあげるの、どこを押せばいいのかい",
            ),
            ("mineo-packet-gift-howto", "mineo"),
        ),
        (("研究室の先輩说ahamo可以送ギガ", "真的假的？"), ("ahamo", "ahamo")),
        (
            ("同期がpovo使ってて", "俺が金出してそいつのpovoにトッピング買ってやれる？"),
            ("top-up-for-friend", "povo"),
        ),
        (
            ("他是软银我是docomo", "那我直接付钱给他的软银加个流量包 可以吗"),
            ("top-up-for-friend", "softbank"),
        ),
        (
            ("他老蹭我流量 我是乐天", "乐天有家庭套餐能分流量吗 我们还没结婚能办吗"),
            ("multi-line-share", "rakuten"),
        ),
    ],
)
def test_where_to_tap_doubt_paying_and_a_family_plan(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    "turns",
    [
        ("ばあちゃんのスマホの画面が割れちゃってねえ", "どこで直してもらえるのかい"),
        ("爸妈用的旅游eSIM没问题了", "京都駅から関空まで、はるか怎么买票"),
    ],
)
def test_repairs_and_train_tickets_are_out_of_scope(engine: Engine, turns: tuple[str, ...]) -> None:
    reply = chat(engine, *turns)[-1]
    assert reply.decision == "none" and reply.target is None


def test_doubting_with_no_answer_before_is_small_talk(engine: Engine) -> None:
    assert chat(engine, "真的假的？")[-1].decision == "smalltalk"


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (("ahamo係咪docomo嘅？",), ("ahamo", "ahamo")),
        (("欸 ahamo 是docomo的嗎 好用嗎",), ("ahamo", "ahamo")),
        (("isn't povo au's?",), ("povo", "povo")),
        (("個女用ahamo，我可唔可以幫佢俾錢加data",), ("top-up-for-friend", "ahamo")),
        (
            ("Y!mobile用不完的流量可以換成PayPay點數嗎", "感覺很浪費耶"),
            ("cash-for-data", "ymobile"),
        ),
        (("工程師朋友推薦日本通信SIM", "那是什麼 便宜嗎"), ("nihon-tsushin", "nihon-tsushin")),
        (("mineo怎么样", "is it cheap?"), ("mineo", "mineo")),
    ],
)
def test_whose_brand_paying_points_and_is_it_cheap(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


def test_which_is_cheaper_after_a_card_is_still_a_choice(engine: Engine) -> None:
    reply = chat(engine, "mineo怎么样", "哪家最便宜")[-1]
    assert (reply.decision, reply.id) == ("answer", "choose-plan")


@pytest.mark.parametrize(
    "turns",
    [
        ("LINEMO怎麼設定APN啊", "我手機是台灣買的 iPhone"),
        ("新买的手机 povo的eSIM怎么挪过去 老手机还能用吗",),
        ("我的乐天月费现在是银行扣的", "想换成paypay付 怎么改"),
    ],
)
def test_a_phone_bought_and_moving_an_esim_stay_out_of_scope(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert reply.decision == "none" and reply.target is None


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (("旅游用的流量卡能开热点吗", "在机场买的那种"), ("tethering", "tourist-sim")),
        (
            ("mineo的流量赠送怎么弄", "朋友给了我一个码, 在哪里输入"),
            ("mineo-packet-gift-howto", "mineo"),
        ),
        (
            ("マイネオの友達からパケットギフトもらうんだけど", "コードどこに入れるの？"),
            ("mineo-packet-gift-howto", "mineo"),
        ),
        (
            ("ahamo テザリング dekimasu ka? for my PC in dormitory", "is it need money?"),
            ("tethering", "ahamo"),
        ),
    ],
)
def test_the_card_bought_a_features_code_and_need_money(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (
            ("I want 格安SIM, cheap, 5GB is enough", "which one ok for foreigner no credit card"),
            "choose-plan",
        ),
        (
            ("Xianyu is what? my chinese friend say can buy cheap ギガ there",),
            "sell-data-platforms",
        ),
    ],
)
def test_which_after_a_choice_and_xianyu(
    engine: Engine, turns: tuple[str, ...], expected: str
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id) == ("answer", expected)


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (("LINEMO開熱點要錢嗎", "咁用剩嘅數據可唔可以留落下個月"), ("carryover", "linemo")),
        (
            ("UQで妻の回線にギガ追加できる？", "她也是UQ 錢從我這邊扣"),
            ("top-up-for-friend", "uq-mobile"),
        ),
    ],
)
def test_cantonese_carry_over_and_the_same_act_on_the_same_carrier(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (("我在乐天 我老伴儿在softbank 他开热点我能连吗 他那边要钱不",), "softbank"),
        (
            (
                "老公docomo，儿子povo，流量没法互相送这个我知道了",
                "那儿子周末回家的时候直接开他爸的热点行不行 要另外交钱不",
            ),
            "docomo",
        ),
        (("我用乐天 朋友用povo 我给他开热点有没有限制 会不会被限速",), "rakuten"),
    ],
)
def test_whose_hotspot_it_is(engine: Engine, turns: tuple[str, ...], expected: str) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "tethering", expected)


@pytest.mark.parametrize(
    "question",
    [
        "我帮妹儿付她povo的流量钱 得行不",
        "我表妹用的乐天，她这个月超了被限速了，刚打电话跟我哭。她不会日语也没信用卡，我能不能用我的卡帮她那个号码加流量？",
    ],
)
def test_paying_her_data_money_and_a_call_told_in_passing(engine: Engine, question: str) -> None:
    reply = chat(engine, question)[-1]
    assert (reply.decision, reply.id) == ("answer", "top-up-for-friend")


def test_call_charges_are_still_out_of_scope(engine: Engine) -> None:
    assert chat(engine, "乐天打电话要钱吗")[-1].decision == "none"


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (
            ("kak povo ada tethering?", "oh bisa ya. terus kalau LINEMO gimana?"),
            ("tethering", "linemo"),
        ),
        (
            ("Why won't docomo let me send data to my friend?", "it's my data, I paid for it na"),
            ("why-no-gifting", "docomo"),
        ),
        (
            ("Kenapa di Jepang nggak bisa transfer kuota kayak di Indonesia?",),
            ("why-no-gifting", None),
        ),
        (
            ("Saya mau kasih kuota ke pacar", "dia pakai ymobile", "saya juga ymobile kok"),
            ("ymobile", "ymobile"),
        ),
    ],
)
def test_indonesian_fillers_and_a_grumble_about_paying(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (("囡囡讲流量用勿光会得转到下个月", "伊是ahamo 是伐"), ("carryover", "ahamo")),
        (
            ("我们两口子都是softbank的", "有没有那种俩人一块儿分流量的套餐"),
            ("multi-line-share", "softbank"),
        ),
        (
            ("まいねおの ふりーたんく とは なんで ございますか", "わたくしでも つかえますか"),
            ("mineo-free-tank", "mineo"),
        ),
    ],
)
def test_moved_to_next_month_sharing_together_and_a_polite_can_i(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


def test_split_with_mums_phone_is_sharing(engine: Engine) -> None:
    reply = chat(engine, "ワイモバのギガ、ママのスマホと分けれる？", "申し込み要る？")[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "multi-line-share", "ymobile")


def test_is_that_risky_after_the_law_goes_on_with_it(engine: Engine) -> None:
    reply = chat(engine, "バイト先の先輩に格安SIM売ってやるって言われた", "それってやばい？")[-1]
    assert (reply.decision, reply.id) == ("answer", "sim-transfer-law")


@pytest.mark.parametrize(
    "turns",
    [
        ("我用IIJmio开热点给室友用", "还是直接租个随身wifi吧 一个月大概多少钱"),
        ("ahamo大盛り是多少G", "ok 另外推荐个东京的共享办公室"),
        ("旅遊卡係咪淨係上網㗎", "咁去嵐山搭JR要幾錢"),
        ("热点开多了 ahamo流量不够用", "顺便问下YouTube Premium能不能用docomo的话费一起付"),
        ("the lodge rents out pocket wifi", "how much to keep one for the whole season?"),
        ("我在淘宝上给儿子租了个随身wifi，一个月三百多，寄到日本去靠谱不",),
        ("docomo home wifi router how much month",),
        ("留学生が夏に一時帰国するのですが、ahamoを中国で使うと料金はいくらかかりますか",),
        ("客人问在日本报警打110要不要钱 用旅游卡能打吗",),
        ("店里用的pocket wifi月租太贵了，换哪家的比较省",),
    ],
)
def test_rentals_fares_bills_and_offices_stay_out_of_scope(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert reply.decision == "none" and reply.target is None


def test_cantonese_together_on_one_card_is_sharing(engine: Engine) -> None:
    reply = chat(engine, "我哋兩部電話可唔可以夾埋用一張卡嘅數據")[-1]
    assert (reply.decision, reply.id) == ("answer", "multi-line-share")


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (("meu amigo também usa povo, posso mandar minha ギガ pra ele?",), ("povo", "povo")),
        (
            ("dá pra comprar ギガ pro chip docomo do meu primo? eu pago",),
            ("top-up-for-friend", "docomo"),
        ),
        (
            ("oi gente, HIS mobile deixa passar giga pra outra pessoa? sorry my english",),
            ("his-mobile", "his-mobile"),
        ),
        (
            ("Yung data ko sa mineo, hindi ko nagamit lahat this month. Mawawala ba next month?",),
            ("carryover", "mineo"),
        ),
        (
            ("Pwede ko ba bayaran yung extra data ng friend ko sa LINEMO gamit yung card ko?",),
            ("top-up-for-friend", "linemo"),
        ),
        (
            (
                "Saya mau pulang ke Jakarta bulan depan",
                "SIM mineo saya boleh dikasih ke adik kelas nggak? biar dia yang bayar",
            ),
            ("sim-transfer-law", "mineo"),
        ),
    ],
)
def test_portuguese_and_tagalog(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    "turns",
    [
        ("我老婆的乐天积分快过期了", "能转给我吗 我也是乐天"),
        ("樂天剩的數據可以換成點數嗎", "那樂天點數可以拿來繳電話費嗎"),
    ],
)
def test_points_expiring_or_paying_a_bill_stay_out_of_scope(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert reply.decision == "none" and reply.target is None


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (
            (
                "我老公docomo",
                "他公司配的手机是softbank 流量公司付钱随便用",
                "公司那个softbank的流量能不能倒到他自己docomo上",
            ),
            ("gifting-overview", None),
        ),
        (("my cunhado use au, me povo, same KDDI ne? ギガ can move?",), ("gifting-overview", None)),
    ],
)
def test_data_poured_or_moved_between_lines(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


def test_a_gifting_feature_from_one_carrier_to_another_is_giving_between_them(
    engine: Engine,
) -> None:
    reply = chat(engine, "mineoからIIJmioの人にパケットギフトできる？")[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "gifting-overview", None)
    assert reply.target is not None and reply.target.cross
    # the feature asked of its own carrier's users stays the carrier's
    assert chat(engine, "mineoのパケットギフトで友達に送れる？")[-1].carrier == "mineo"


def test_how_is_it_after_a_card_is_about_that_card(engine: Engine) -> None:
    reply = chat(engine, "ジェイコムのスマホを勧められました", "どうなんでしょう")[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "jcom-mobile", "jcom-mobile")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("直播间有粉丝说能卖日本流量给额 闲鱼上那种靠谱不", "sell-data-platforms"),
        ("做日本好物分享的 粉丝最常问的就是 留学生选哪个卡最省钱 求个靠谱答案", "choose-plan"),
    ],
)
def test_fans_asking_are_no_subject_of_their_own(
    engine: Engine, question: str, expected: str
) -> None:
    reply = chat(engine, question)[-1]
    assert (reply.decision, reply.id) == ("answer", expected)


@pytest.mark.parametrize(
    "turns",
    [
        ("why japan sim can not gift data? in vietnam viettel can share",),
        ("Bakit walang data sharing dito sa Japan? Sa Pinas kahit Smart at Globe meron naman",),
        (
            "can i sell my extra data for money? i have linemo",
            "ok. and why japan company not allow to give data? in nepal we can share data easy",
        ),
    ],
)
def test_why_giving_is_not_allowed_is_why_not_a_choice(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id) == ("answer", "why-no-gifting")


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (("jcom mobile的流量够用吗 我老婆老是不够", "能分给她吗 同一个合约下"), "multi-line-share"),
        (("BIGLOBE能送流量不", "那能给他妈的手机分点不 俺们是一个合同"), "multi-line-share"),
        # not one contract: giving to another au line, as before
        (("我au的", "我老公也是au 但是不是一个合约 能送他流量吗"), "au"),
    ],
)
def test_data_within_one_contract_is_sharing_not_the_law(
    engine: Engine, turns: tuple[str, ...], expected: str
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id) == ("answer", expected)


def test_ahamo_typed_by_voice_as_a_ha_mo(engine: Engine) -> None:
    reply = chat(
        engine, "我儿子给我买的那个卡啊叫什么啊哈莫 他说可以开热点 那我开了热点要不要另外交钱"
    )[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "tethering", "ahamo")


def test_a_carrier_before_a_person_is_that_persons(engine: Engine) -> None:
    """ "povoの彼氏" says the boyfriend is on povo: after au's present, giving between the two."""
    reply = chat(engine, "auのデータプレゼントって何？", "povoの彼氏にも送れる？")[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "gifting-overview", None)
    analysis = engine.snapshot.matcher.analyze("能送给用povo的男朋友吗")
    assert analysis.roles == (("男朋友", "povo"),)


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # a call plan's price after a sharing answer is out of scope
        (
            (
                "ahamoのギガを夫のahamoに分けられますか？",
                "ちなみに通話かけ放題オプションはいくらですか",
            ),
            None,
        ),
        # a home-internet bundle discount too
        (
            (
                "J:COMモバイル使ってます。余ったデータを家族に分けられますか？",
                "ネットとセットにすると安くなるんでしょうか",
            ),
            None,
        ),
        # leftover data refunded or turned into PayPay is cashing it in
        (("楽天モバイル解約しようと思ってる", "余ったギガ分ってrefundされる？"), "cash-for-data"),
        (("余ったギガをPayPayに変える方法ありますか",), "cash-for-data"),
    ],
)
def test_call_plans_bundles_and_refunds(
    engine: Engine, turns: tuple[str, ...], expected: str | None
) -> None:
    reply = chat(engine, *turns)[-1]
    assert reply.id == expected
    assert reply.decision == ("answer" if expected else "none")


@pytest.mark.parametrize(
    "question",
    [
        "我们俩来日本玩在机场买了同一家的上网卡 她的10G三天就用完了我的还剩好多 旅游卡的流量可以分给她吗",
        "喺新千歲機場買咗張預付卡 啲data用唔晒 返香港之前可唔可以送俾喺札幌讀書嘅表妹",
        "My husband's travel eSIM ran out on day 4, can I move a few GB from mine to his?",
    ],
)
def test_leftover_travel_data_given_to_someone_is_giving(engine: Engine, question: str) -> None:
    """A SIM bought earlier whose data is left over, given to "her": giving, not buying for her."""
    reply = chat(engine, question)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "tourist-sim", "tourist-sim")


def test_a_sub_sim_in_my_name_given_to_use_asked_if_legal_is_the_law(engine: Engine) -> None:
    reply = chat(engine, "她签证是留学 我们没结婚 我名下的副卡给她用算违法吗")[-1]
    assert (reply.decision, reply.id) == ("answer", "sim-transfer-law")


@pytest.mark.parametrize(
    ("question", "carrier"),
    [
        ("パスケットって何", "mineo"),
        ("孙子说他的卡有个叫怕斯凯特的东西 能把流量一直存着 是真的吗", "mineo"),
        # the feature asked of another carrier is carrying over there
        ("ahamoにパスケットある？", "ahamo"),
    ],
)
def test_mineos_data_bank_names_mineo_and_means_carrying_over(
    engine: Engine, question: str, carrier: str
) -> None:
    reply = chat(engine, question)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "carryover", carrier)


@pytest.mark.parametrize(
    "turns",
    [
        ("au 送流量", "对方非au"),
        (
            "陳さんの中国語のメッセージ「我的au流量能不能送给邻居」",
            "隣人というのはわしのことだ。わしはドコモだが",
        ),
        ("povoなんだけどもうギガない😭", "ママのドコモのギガってもらえたりする？"),
    ],
)
def test_who_is_on_what_said_as_people_say_it(engine: Engine, turns: tuple[str, ...]) -> None:
    """ "对方非au", an old man's "わしは", "ママの": two people on two carriers, giving between them."""
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "gifting-overview", None)


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # a correction naming the carrier the user is really on, the other set aside
        (
            (
                "is tethering free on docomo",
                "wait sorry i'm actually on ahamo not regular docomo, my bad",
            ),
            ("tethering", "ahamo"),
        ),
        # after one carrier's gifting feature, the user's real carrier: giving on that one
        (
            (
                "saw something about au data present, how much does it cost to send my sister 1gb",
                "wait no im on uq not au, sorry. can i still do it",
            ),
            ("uq-mobile", "uq-mobile"),
        ),
        # why, after being offered choices, is not the giving option picked
        (
            (
                "i run out of gb every month on ahamo and my friend has like 10gb spare",
                "why can't she just send me hers, like why is that even not allowed",
            ),
            ("why-no-gifting", "ahamo"),
        ),
        (("楽天モバイル user here, my friend wants some of my ギガ",), ("rakuten", "rakuten")),
        (
            (
                "i'm on iijmio and have a pocket wifi with a second iijmio sim",
                "can both sims draw from the same data or are they separate",
            ),
            ("multi-line-share", "iijmio"),
        ),
    ],
)
def test_corrections_and_asides_in_english_chat(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


def test_unlocking_a_phone_and_good_morning(engine: Engine) -> None:
    reply = chat(
        engine,
        "i'm on povo, data's fine no issues",
        "can i unlock my old au phone to use it with povo or do i need a new one",
    )[-1]
    assert reply.decision == "none"
    assert chat(engine, "gm 👋")[-1].decision == "smalltalk"


@pytest.mark.parametrize(
    "turns",
    [
        ("女儿给我的西瓜卡里还有三千块", "回国前阿能把里面的钱转给女婿"),
        ("息子がPayPayで友達に送金したらしいんですが", "高校生でも使って大丈夫なんでしょうか"),
        (
            "I want to gift my 친구 a LINE sticker set, she's in Korea",
            "can I do that from my Japanese LINE account?",
        ),
    ],
)
def test_more_about_something_that_is_not_data_stays_out_of_scope(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    """A Suica balance, PayPay, stickers: what follows, with no data said, is about them."""
    assert chat(engine, *turns)[-1].decision == "none"


def test_a_new_question_after_something_that_is_not_data_is_answered(engine: Engine) -> None:
    reply = chat(
        engine,
        "友達がLINEスタンプ送りたいって",
        "没事了 それより日本でいちばん便宜なプランどこ？学生向け",
    )[-1]
    assert (reply.decision, reply.id) == ("answer", "choose-plan")


@pytest.mark.parametrize(
    "question",
    [
        "ギガチャージカード 友達にあげていい？",
        "povo gigacharge card can i give to my roommate? he also use povo",
    ],
)
def test_povos_gigacharge_card_given_is_topping_up_on_povo(engine: Engine, question: str) -> None:
    """The card names povo and tops up a line: povo's top-up cell says whether it may be given."""
    reply = chat(engine, question)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "top-up-for-friend", "povo")
    # charging data in general names no carrier
    assert chat(engine, "他社回線 ギガ チャージ 代理 可否")[-1].carrier is None


def test_scrolling_xiaohongshu_is_usage_not_a_market(engine: Engine) -> None:
    """小红书 is where people sell, but "刷小红书" is what the data is for."""
    reply = chat(engine, "女朋友来读一年语言学校 推荐办哪家卡 她小红书B站刷得多 流量用得凶")[-1]
    assert (reply.decision, reply.id) == ("answer", "choose-plan")


@pytest.mark.parametrize(
    ("turns", "carrier"),
    [
        (
            (
                "我來日本打工度假 用的是 y!mobile",
                "晚上宿舍網路超爛 同事常常想跟我借網路 他們都是不同電信 我開熱點給他們用可以嗎 會不會被多收錢",
            ),
            "ymobile",
        ),
        (
            ("我媽下個月要來大阪找我玩一個禮拜", "她可以用我ahamo的網路嗎？我們整天都會在一起"),
            "ahamo",
        ),
    ],
)
def test_borrowing_the_users_connection_is_a_hotspot(
    engine: Engine, turns: tuple[str, ...], carrier: str
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "tethering", carrier)


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (("SoftBank開熱點收唔收錢", "我係2019年開嘅舊計劃"), ("tethering", "softbank")),
        (("旅遊eSIM可唔可以分data", "唔好意思，我哋其實係買咗au嘅預付卡"), ("au", "au")),
    ],
)
def test_details_told_after_an_answer(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str]
) -> None:
    """An old plan said of the answer just given, or which SIM was really bought, go on with
    the question rather than start a new one."""
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


def test_connecting_a_device_after_a_hotspot_answer_is_the_hotspot(engine: Engine) -> None:
    reply = chat(
        engine,
        "らくてんもばいる の てざりんぐ とは なんですか",
        "まごの げーむきに つなぐと おかねが かかりますか",
    )[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "tethering", "rakuten")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("ahamo的大盛り能分给别人用吗", "ahamo"),
        ("povo的优惠码可以给朋友用吗", "povo"),
    ],
)
def test_a_code_or_add_on_given_to_use_is_no_sim_handed_over(
    engine: Engine, question: str, expected: str
) -> None:
    reply = chat(engine, question)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", expected, expected)


def test_au_typed_with_a_space(engine: Engine) -> None:
    reply = chat(engine, "a u的那个给别人送流亮的功能 多少钱一个G 我儿子是a u的")[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "au-data-present", "au")


def test_topping_up_asked_after_a_hotspot_is_the_question(engine: Engine) -> None:
    """The hotspot is what they do now; paying for data on her line, asked last, is the ask."""
    reply = chat(
        engine, "我LINEMO 我妈也LINEMO 天天给她开热点开烦了 有没有办法我出钱给她那个号加点流量"
    )[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "top-up-for-friend", "linemo")


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (("HIS mobile用不完的流量會怎樣", "會被清掉嗎"), ("carryover", "his-mobile")),
        (
            ("ahamo可唔可以開熱點", "好，另外想問，楽天用唔晒嘅data會唔會帶落下個月"),
            ("carryover", "rakuten"),
        ),
        # "many (Hong Kong) carriers can": no devices sharing a plan
        (
            ("docomo可唔可以送流量俾朋友", "佢話唔得", "點解唔得嘅？香港好多台都得喎"),
            ("why-no-gifting", "docomo"),
        ),
        # the receiver's line is a Taiwanese one roaming: no Japanese carrier sends there
        (
            (
                "我在熊本上班，公司配的門號是softbank",
                "可以把用不完的流量分給我老婆嗎？她是用中華電信漫遊",
            ),
            ("gifting-overview", None),
        ),
    ],
)
def test_cantonese_and_taiwanese_follow_ups(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (("linemo是哪家的 好用吗",), ("answer", "linemo")),
        (("软银能开reidian吗 要不要去店里申请",), ("answer", "tethering")),
        (("我们一家都用docomo 能共享流量吗", "要另外交钱吗"), ("answer", "multi-line-share")),
        (("povo换了新手机", "esim怎么转过去"), ("none", None)),
        (
            ("erzi yong de au", "au kai redian yao shenqing ma", "hao de xiexie"),
            ("smalltalk", None),
        ),
    ],
)
def test_whose_brand_pinyin_and_paying_extra(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id) == expected


def test_a_sim_bought_on_amazon_is_no_amazon_gift(engine: Engine) -> None:
    """Amazon is where the prepaid SIM was bought, not something given."""
    reply = chat(engine, "我婆婆嚟探我，喺Amazon買咗張プリペイドSIM", "佢用完可唔可以再加")[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "tourist-sim", "tourist-sim")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # the same concept on both sides of "or" is the question, not set aside
        (
            "I have 12GB left on my UQ mobile this month. Will it roll over or just expire?",
            "carryover",
        ),
        # money asked as a price, not data turned into money
        ("his mobile jiyu jizai plan hotspot ok? no extra money?", "tethering"),
        # someone buying the user's data is selling it
        ("somebody buy my gigas? i have 40 giga not use every month kkkk", "cash-for-data"),
    ],
)
def test_or_money_and_buying_my_gigas(engine: Engine, question: str, expected: str) -> None:
    reply = chat(engine, question)[-1]
    assert (reply.decision, reply.id) == ("answer", expected)


def test_before_they_expire_is_why_data_is_given(engine: Engine) -> None:
    reply = chat(
        engine,
        "Is povo data transferable? I have a pile of toppings I won't finish before they expire",
    )[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "povo", "povo")


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (
            ("我们 family 三个人 docomo 一个 contract", "can share 流量 among us?"),
            "multi-line-share",
        ),
        (
            (
                "em dùng au, muốn send data cho đồng nghiệp cũng dùng au",
                "giá bao nhiêu 1GB vậy anh?",
            ),
            "au-data-present",
        ),
    ],
)
def test_one_contract_among_us_and_vietnamese_prices(
    engine: Engine, turns: tuple[str, ...], expected: str
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id) == ("answer", expected)


def test_cashing_in_after_a_carrier_keeps_the_carrier(engine: Engine) -> None:
    reply = chat(engine, "povo啲data用唔晒好嘥", "可唔可以換返錢或者積分")[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "cash-for-data", "povo")


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (("ok rakuten cannot send", "hotspot is ok? money need?"), ("tethering", "rakuten")),
        # no broadband at home: the devices use the phone's data through its hotspot
        (
            ("我用HIS Mobile，屋企未裝寬頻，部Switch同iPad可唔可以用我部手機嘅數據？",),
            ("tethering", "his-mobile"),
        ),
    ],
)
def test_no_broadband_at_home_and_money_need(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


def test_accented_latin_words_are_whole_words(engine: Engine) -> None:
    """Vietnamese and Portuguese words stay whole ("gửi", "irmão"): not letters split at their
    accents, and not read as a typo of a carrier's name."""
    analysis = engine.snapshot.matcher.analyze("posso dar meus giga pro meu irmão, né?")
    assert "w:irmão" not in analysis.tokens and not analysis.carriers
    assert "w:né" in analysis.tokens
    reply = chat(
        engine, "anh ơi, em dùng dokomo. em muốn gửi data cho bạn được không?", "bạn em dùng au ạ"
    )[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "gifting-overview", None)
    reply = chat(
        engine, "Oi, eu uso rakuten. posso dar meus giga pro meu irmão, né?", "ele é docomo"
    )[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "gifting-overview", None)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("auについてざっくり教えてください。乗り換えるか迷ってて", ("answer", "au")),
        ("うーきゅー の　ぎが　ひとに　わけられますか", ("answer", "uq-mobile")),
        ("povoってどういう仕組み？基本料0円ってほんと？", ("answer", "povo")),
        ("OCNモバイルONEって今も新規で申し込めるの？", ("answer", "ocn-mobile-one")),
        ("ワイモバの請求が先月より高いんだけどなんで？", ("none", None)),
    ],
)
def test_japanese_asking_about_a_carrier_and_a_bill(
    engine: Engine, question: str, expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, question)[-1]
    assert (reply.decision, reply.id) == expected


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (
            ("my gigs left 15GB this month on y mobail", "it go to next month or lost?"),
            ("carryover", "ymobile"),
        ),
        (
            ("Can I share data on povo?", "not to friend. to my own tablet"),
            ("multi-line-share", "povo"),
        ),
        (
            ("ぎのうじっしゅうせい です。 テザリング したい", "au です", "おかね かかる？"),
            ("tethering", "au"),
        ),
        # "not use" is data left over, not "not next month"
        (("ahamo data i not use, next month ok?",), ("carryover", "ahamo")),
    ],
)
def test_simple_english_and_japanese_of_workers(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


def test_pinyin_typed_by_a_visiting_father(engine: Engine) -> None:
    reply = chat(
        engine,
        "wo lai riben kan erzi, mai le ge lvyou ka",
        "liuliang bu gou le 儿子是au 他能song wo dian ma",
    )[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "gifting-overview", None)


def test_what_about_my_husbands_is_his_own_hotspot(engine: Engine) -> None:
    reply = chat(engine, "我乐天的热点免费吗", "那我老公的呢 他是softbank")[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "tethering", "softbank")


def test_a_topping_given_away_on_leaving_is_no_line_handed_over(engine: Engine) -> None:
    reply = chat(engine, "povo2.0买了个トッピング 结果回国一个月没用上 能把这个给别人吗")[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "povo", "povo")


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (
            ("NUROモバイル可唔可以送流量俾人", "咁同一間嘅朋友呢？得唔得"),
            ("nuro-mobile", "nuro-mobile"),
        ),
        (
            ("ドコモのデータプラスって", "相手が嫁さんのスマホでもいける？"),
            ("multi-line-share", "docomo"),
        ),
    ],
)
def test_who_receives_asked_after_an_answer_is_the_same_question(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # the giver's carrier corrected: her carrier, not a gift from docomo to ahamo
        (
            (
                "我婆婆用的是docomo，她问能不能把流量给我老公",
                "啊不对 她说她是ahamo 不是docomo 我搞错了",
            ),
            ("ahamo", "ahamo"),
        ),
        # whether their data rolls over, asked for someone else, then their carrier corrected
        (
            (
                "店長です。バイトの子がUQで、繰り越しのことを聞かれました",
                "あ、違いました、その子はmineoでした",
            ),
            ("carryover", "mineo"),
        ),
        # where the travel eSIM was bought is a detail of the top-up just answered
        (
            ("爸妈来玩的时候流量肯定不够，我能帮他们的旅游eSIM充流量吗", "是在Klook上买的"),
            ("top-up-for-friend", "tourist-sim"),
        ),
        # the receivers are on a Chinese carrier, after the overview of giving
        (
            ("我爸妈在国内，我能不能把日本手机卡的流量送给他们", "他们用的是中国移动"),
            ("gifting-overview", None),
        ),
    ],
)
def test_asking_on_behalf_of_others_keeps_whose_line_it_is(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # "is this illegal?" picks the law out of the "did you mean" just offered
        (
            ("我爸妈来日本想用我之前的旧卡，卡是我名下的乐天", "这样违法吗"),
            ("sim-transfer-law", "rakuten"),
        ),
        # what is sold is the data left on the travel SIM: still selling
        (
            ("我爸妈回国前想把没用完的旅游卡卖掉 能在闲鱼上挂吗", "就是卡里剩的那些流量"),
            ("sell-data-platforms", "tourist-sim"),
        ),
        # handing out the shop line's data to part-timers is giving it
        (
            (
                "店長です。バイトの子たちにスマホ代の補助として、店の回線のギガを配りたいんですが、できますか。",
                "店の回線はソフトバンクです",
            ),
            ("softbank", "softbank"),
        ),
        # a workplace and how much someone calls are context of the choice
        (
            (
                "I manage a ramen shop. One of my part-timers from Vietnam asked which plan is cheapest for a student.",
            ),
            ("choose-plan", None),
        ),
        (
            ("我爸妈想办日本的卡，哪家适合老年人", "他们基本不用流量，主要打电话"),
            ("choose-plan", None),
        ),
        # which app to do it in, after au's データプレゼント
        (("au的データプレゼント多少钱", "怎么操作 在哪个app里弄"), ("au-data-present", "au")),
        # in the same family discount group: sharing within the family
        (
            ("上の子がギガ足りないって言うんだけど、ドコモで私の分けてあげられる？同じ家族割です",),
            ("multi-line-share", "docomo"),
        ),
        # an apology for voice input, then two carriers "how about": the same topic for both
        (
            (
                "余ったギガ翌月に繰り越せるのってどこだっけ",
                "音声入力なので変な文ですみませんドコモとかauとかどうなんでしょう",
            ),
            ("carryover", None),
        ),
        # the child's separate contract is a detail of topping up the child's line
        (
            ("ドコモのギガ、子どもの分を私が払って追加できる？", "子どもは別契約です"),
            ("top-up-for-friend", "docomo"),
        ),
        (
            ("want to add ギガ to my mom's ymobile line from my account 可以吗",),
            ("top-up-for-friend", "ymobile"),
        ),
        (
            ("学生がUQモバイルの「増量オプション」を友達の回線に付けてあげたいそうです",),
            ("top-up-for-friend", "uq-mobile"),
        ),
        # dcm and sb are docomo and SoftBank
        (("dcm和sb哪个テザリング比较好 for laptop work",), ("tethering", None)),
    ],
)
def test_group_chat_and_proxy_askers(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


def test_idle_chat_about_the_weather_is_small_talk(engine: Engine) -> None:
    reply = chat(engine, "闲聊一下 大阪今天好热啊 大家都在干嘛")[-1]
    assert reply.decision == "smalltalk"


def test_a_food_shop_alone_is_still_out_of_scope(engine: Engine) -> None:
    assert chat(engine, "おすすめのラーメン屋ある？")[-1].decision == "none"


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # "why?" of an answer that is not about giving: that answer, whose reasons are in it
        (("povoってテザリングできる？", "なんで無料なの？"), ("tethering", "povo")),
        (("which carrier is best for a family of four", "why?"), ("choose-plan", None)),
        (
            ("my cousin is visiting for a month, can I just lend her my spare sim?", "why?"),
            ("sim-transfer-law", None),
        ),
        # after "no gifting on Rakuten", why is what the why-no-gifting entry answers
        (
            (
                "楽天モバイルで、データを他の方へ差し上げることは出来ますでしょうか。",
                "何故でしょうか。",
            ),
            ("why-no-gifting", "rakuten"),
        ),
        # an explanation ending in "that's why I'm asking" asks no why
        (
            (
                "Can I buy data for my sister's povo line? She's in Nagoya, I'm in Osaka",
                "she don't have credit card, that's why I'm asking",
            ),
            ("top-up-for-friend", "povo"),
        ),
        # the husband's hotspot serves the user ("给我" is not the user's carrier said)
        (
            (
                "老公用乐天，我用ahamo，他那边流量无限，能不能让他开个热点给我当随身wifi用？乐天开热点要另外交钱吗",
            ),
            ("tethering", "rakuten"),
        ),
        # whether she should switch too is the choice of a plan
        (
            (
                "想给老婆换个便宜点的套餐，她一个月大概用5G",
                "她现在在docomo，我在乐天，要不要让她也转到乐天来？",
            ),
            ("choose-plan", None),
        ),
        # whose line the choice is for, said after
        (
            ("给老婆充流量和直接给她换个大套餐，哪个更便宜？", "她是ymobile的，每个月差不多缺3G"),
            ("choose-plan", "ymobile"),
        ),
        # two children's carriers said first, then giving leftovers to either
        (
            (
                "My daughter is on Rakuten and my son's on docomo",
                "Can I move my leftover gigs to whichever kid runs out first?",
            ),
            ("gifting-overview", None),
        ),
        # "his data" is the husband's, on another carrier than the user's
        (
            (
                "夫はSoftBank、私はRakutenなんだけど",
                "his data is always leftover... 私にshareできる？",
            ),
            ("gifting-overview", None),
        ),
        # the partner was on au after all: giving on au
        (
            (
                "老铁问一下 我对象是UQ 我是au 能整点流量给她不",
                "不对不对 我记岔了 她也是au 去年跟我一块儿办的",
            ),
            ("au", "au"),
        ),
    ],
)
def test_couples_and_sceptics(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    "text",
    [
        "SIMフリーのiPhoneってどこで買うのが一番安いですか",
        "whats the cheapest way to get a sim free iphone in japan",
        "eSIM got wiped when i reset my phone, how do i get it back on softbank",
        "Kids want me to send their allowance on PayPay",
    ],
)
def test_phones_esim_restores_and_pocket_money_are_out_of_scope(engine: Engine, text: str) -> None:
    assert chat(engine, text)[-1].decision == "none"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the hotspot is what they do now; giving, asked last, is the question
        (
            "室友流量不够用了天天蹭我网😂 我是docomo的，能不能直接分几个G给她啊",
            ("docomo", "docomo"),
        ),
        # why one is thinking of switching is context
        ("日本通信SIM能分流量给别人吗？看它便宜想换", ("nihon-tsushin", "nihon-tsushin")),
        # someone else's card is where the data goes, no SIM handed over
        ("用IIJmio的ギフト功能能送给别人吗 不是自己的卡", ("iijmio", "iijmio")),
        ("余ったギガ 能换成 Amazon gift card 吗", ("cash-for-data", None)),
        # two carriers weighed for a family: a choice
        ("au和docomo which one better for 家族4人 lots of data", ("choose-plan", None)),
        ("softbank ymobile linemo这三家 哪家能帮家人付流量", ("top-up-for-friend", None)),
    ],
)
def test_forum_posts_of_session_25(
    engine: Engine, text: str, expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, text)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


def test_an_advert_seen_is_context_of_a_carrier_asked_about(engine: Engine) -> None:
    reply = chat(engine, "HIS mobile这个怎么样？看到广告说很便宜，有人用过吗")[-1]
    assert (reply.decision, reply.id) == ("answer", "his-mobile")


def test_keeping_paying_for_a_sim_given_away_is_no_top_up(engine: Engine) -> None:
    text = "Leaving Japan for good next month. Can I give my SIM to a coworker and just keep paying for it? Or is that illegal here?"
    assert chat(engine, text)[-1].id == "sim-transfer-law"


@pytest.mark.parametrize(
    "turns",
    [
        # a budget said after a plan choice is a criterion, not cash for data
        (
            "which sim is best for student? cheap, maybe 10GB",
            "i dont have much money, part time only",
        ),
        # needs beside data (a payment card, no shop visits) refine the choice
        ("留学生推荐哪个套餐", "每个月20G左右 越便宜越好 能用银联卡付的"),
        (
            "Which plan is best for heavy user? I am watching cricket on phone daily, around 50GB+ per month",
            "budget is max 4000 yen per month, no shop visits needed",
        ),
        # "主要是" is "mainly", not "要是" (what if)
        (
            "我们学校留学生一般都用什么卡 比较划算的",
            "我一个月大概15G 主要是地铁上刷小红书 偶尔视频",
        ),
        # usage told first, then "anything cheap?": a plan for that much data
        ("研二 月均10G 主要微信和查文献 偶尔线上组会", "甭推荐三大家 忒贵 有啥便宜的"),
    ],
)
def test_needs_told_around_a_plan_choice_choose_a_plan(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id) == ("answer", "choose-plan")


@pytest.mark.parametrize(
    ("turns", "carrier"),
    [
        # the SIM just named, sold: the law, not data bought for a friend
        (("我下个月回国 乐天的卡还剩半年", "卖给学弟行吗"), "rakuten"),
        (("我张au卡唔用啦", "卖俾工友得唔得 佢俾我五千円"), "au"),
        # someone buying the user's SIM or line is the user selling it
        (("rakuten hotspot free ok", "my friend want buy my rakuten sim 5000 yen. ok?"), "rakuten"),
        (("gonna buy my friend's old au line off her when she leaves", "that fine?"), "au"),
        (("儿子毕业要回国了 他的手机卡能留给学弟吗", "学弟说愿意出点钱买"), None),
        # lent first, then sold: still the SIM of the law just answered
        (
            (
                "我们店有张docomo的卡 现在没人用",
                "借给新来的服务员用几个月行不行",
                "还是干脆卖给他算了 收他五千日元",
            ),
            "docomo",
        ),
        # whose SIM it is, said after the law: the law again, not a family plan
        (("回国前手机卡能转让给同事吗", "是我名下的au卡"), "au"),
        (("爷爷回国前想把日本的手机卡送给楼下的邻居", "那张卡是我名下的，能打电话的"), None),
        # a phone number is a line, not a code
        (("我有張日本IIJmio卡 返香港之後唔用", "可唔可以賣俾人？有電話號碼嗰種"), "iijmio"),
        # given someone to use: the line just named ("畀…用"), a contract's months left
        (("暑假返香港兩個月 我嘅ahamo點算", "可唔可以畀個學弟用住先"), "ahamo"),
        (
            (
                "有个事挺闹心的，我三月毕业回国",
                "手里这张UQ的卡合约还剩半年，同学说直接把卡给学弟用就完事了",
            ),
            "uq-mobile",
        ),
        (("夫の携帯を解約しようと思いますが", "そのSIMを孫に使わせても よろしいでしょうか"), None),
    ],
)
def test_a_sim_sold_lent_or_given_to_use_is_the_law(
    engine: Engine, turns: tuple[str, ...], carrier: str | None
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "sim-transfer-law", carrier)


@pytest.mark.parametrize(
    "turns",
    [
        (
            "my friend want to send me money for the rent, can she transfer from Rakuten Bank to my Yucho account? fee?",
        ),
        (
            "ドコモのSIMロック解除ってショップでやると手数料かかりますか？ 長女のおさがりのスマホを次女に使わせたくて",
        ),
    ],
)
def test_rent_money_and_a_phone_handed_down_are_out_of_scope(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    assert chat(engine, *turns)[-1].decision == "none"


@pytest.mark.parametrize(
    ("turns", "lang", "lead"),
    [
        (
            (
                "my mum's visiting from manchester next week, she bought a 10gb klook esim",
                "can she top it up herself if she runs out or does she have to buy a whole new one",
            ),
            "en",
            "Your own travel eSIM: yes",
        ),
        (
            ("我妈从昆明来玩两个星期", "机场买的那种旅游卡 流量用完了 还能充不"),
            "zh-Hans",
            "自己的旅行 eSIM：可以",
        ),
        (
            (
                "ホテルのフロントで働いてます",
                "空港で買った旅行用のeSIMのギガが切れたら、ご本人のスマホで買い足せるのか知りたいです",
            ),
            "ja",
            "自分の旅行eSIMなら",
        ),
    ],
)
def test_topping_up_ones_own_travel_esim_leads_with_yes_while_active(
    engine: Engine, turns: tuple[str, ...], lang: str, lead: str
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id) == ("answer", "tourist-sim")
    assert first_line(engine, reply).startswith(lead)


@pytest.mark.parametrize(
    "turns",
    [
        # the receiver's SIM, said late, is a travel eSIM: giving between carriers
        (
            "我妈刚来日本探亲 住我这 我是乐天的 能不能直接把我的流量分给她手机",
            "她那个是机场买的旅游esim 7天的",
        ),
        # after that answer, where her SIM was bought is a detail of it
        ("我妈来日本了，我是docomo，能不能把我的流量分一点给她的旅游卡", "她那张是机场买的"),
    ],
)
def test_a_receivers_travel_esim_said_late_is_giving_between_carriers(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "gifting-overview", None)


@pytest.mark.parametrize(
    ("text", "addon"),
    [
        ("她那张是机场买的", False),  # where the SIM was bought
        ("淘宝买的流量", False),
        ("去日本玩買的旅遊eSIM快用完了", True),  # data bought on a trip
        ("买的流量能送人吗", True),
    ],
)
def test_bought_at_a_place_is_where_a_sim_came_from(engine: Engine, text: str, addon: bool) -> None:
    assert ("#addon" in engine.snapshot.matcher.analyze(text).tokens) == addon


@pytest.mark.parametrize(
    ("turns", "carrier"),
    [
        # "not X. is Y": the one it is, after a "not"
        (
            ("my docomo data can give to my frend?", "sorry not docomo. is ahamo. same answer?"),
            "ahamo",
        ),
        # "not X, Y … both Y": the one named again is meant
        (("can my friend give me data on au", "sorry not au, UQ. we are both UQ"), "uq-mobile"),
    ],
)
def test_a_corrected_carrier_after_a_not_is_the_one_meant(
    engine: Engine, turns: tuple[str, ...], carrier: str
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", carrier, carrier)


def test_a_carrier_left_out_and_named_again_in_the_reason_stays_left_out(engine: Engine) -> None:
    reply = chat(engine, "除了mineo 还有哪家能送流量给别人的 mineo在我们宿舍信号不太好")[-1]
    assert (reply.id, reply.carrier) == ("gifting-overview", None)


@pytest.mark.parametrize(
    ("turns", "carrier"),
    [
        # the lines are all the user's, said after a sharing answer: sharing on that carrier
        (
            (
                "子どもたちのスマホにギガを分けたいんですが",
                "うちはIIJmioで、回線は全部私の名義です",
            ),
            "iijmio",
        ),
        (
            (
                "can my iPad have its own SIM but use the data from my phone plan?",
                "its au, both lines under my name",
            ),
            "au",
        ),
    ],
)
def test_lines_in_the_users_name_said_after_sharing_share_on_that_carrier(
    engine: Engine, turns: tuple[str, ...], carrier: str
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "multi-line-share", carrier)


def test_calling_someone_to_teach_them_is_no_call_rate(engine: Engine) -> None:
    reply = chat(
        engine, "闺女宿舍有个同事也是用mineo的", "mineo送流量到底咋弄 你一步一步说 我好打电话教她"
    )[-1]
    assert (reply.decision, reply.id) == ("answer", "mineo-packet-gift-howto")


def test_i_have_a_carrier_is_the_users_own(engine: Engine) -> None:
    """ "i have rakuten" is the user's carrier, even after "my friend…" in the same message:
    the friend then on docomo makes it giving between two carriers."""
    reply = chat(
        engine,
        "hello sir i am student in tokyo",
        "my friend data finish. i have rakuten",
        "he is docomo. i can give him my data?",
    )[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "gifting-overview", None)


@pytest.mark.parametrize(
    "text",
    [
        "回国之后日本号码还能保留吗",  # keeping a number while abroad
        "楽天モバイル解約したら手机号还能留吗 回国以后",
        "退房的时候水电煤气要怎么结清啊 下个月就回国了 房东说让我自己去弄",  # utilities
    ],
)
def test_keeping_a_number_and_utilities_on_leaving_are_out_of_scope(
    engine: Engine, text: str
) -> None:
    assert chat(engine, text)[-1].decision == "none"


def test_a_sim_given_for_free_after_selling_leads_with_the_rule_not_the_fines(
    engine: Engine,
) -> None:
    reply = chat(engine, "我下个月回国 乐天的卡还剩半年", "卖给学弟行吗", "那送给他呢 不要钱")[-1]
    assert reply.id == "sim-transfer-law"
    assert "运营商同意" in first_line(engine, reply)


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # "what about X?" with an aside off topic after it that asks nothing
        (
            (
                "J:COMモバイルってギガあげられる？",
                "じゃあmineoは？ケーブルの営業さんがmineoならできるって言ってた",
            ),
            ("answer", "mineo", "mineo"),
        ),
        (
            ("OCN的流量能结转到下个月吗", "那jcom的手机卡呢 我爸妈家电视宽带都是jcom"),
            ("answer", "carryover", "jcom-mobile"),
        ),
        # but not what is off topic asked before the "呢", nor an off-topic question after it
        (
            (
                "biglobe的シェアSIM 可以给我老婆用吗 她是家族滞在刚来",
                "好 那biglobe的光纤宽带呢 家里想装网",
            ),
            ("none", None, None),
        ),
        (
            ("SoftBank可唔可以分數據俾個仔？", "咁SoftBank打長途電話返香港幾錢一分鐘？"),
            ("none", None, None),
        ),
    ],
)
def test_an_aside_after_what_about_a_carrier_keeps_the_topic(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == expected


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # "转" after a carry-over answer, to nobody, is carrying over
        (("Y!mobile能送流量吗", "那结转呢", "最多能转多少"), ("carryover", "ymobile")),
        # "转给朋友" is still giving
        (("Y!mobile能结转吗", "能转给朋友吗"), ("ymobile", "ymobile")),
        # sharing one's network (分享網絡) is a hotspot
        (
            ("宿舍wifi好差 想用手機分享網絡俾室友 我係softbank", "要唔要另外申請"),
            ("tethering", "softbank"),
        ),
    ],
)
def test_carrying_over_more_and_sharing_a_network(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # the user and the person named were both said on one carrier
        (
            (
                "我们宿舍四个人 都是技能实习生",
                "我和小王都是mineo 老李是乐天",
                "我能给小王送点流量不",
            ),
            ("mineo", "mineo"),
        ),
        # the person named was said on another one
        (("我和小王都是mineo 老李是乐天", "我能给老李送点流量不"), ("gifting-overview", None)),
    ],
)
def test_giving_to_a_person_said_on_the_users_carrier(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # "不是 我也是povo": a correction of the user's own carrier, nothing set aside
        (
            ("我用的是au 能送流量给同学吗", "同学是povo", "啊不是 我也是povo 之前用au 去年换了"),
            ("povo", "povo"),
        ),
        # "and so am i": the user on the mate's carrier
        (
            (
                "can i share data on softbank",
                "and y!mobile",
                "btw my mate is on au and so am i, can he send me 1gb",
            ),
            ("au", "au"),
        ),
        # "不是 我是说给我妈": "no, I mean…", still the user's own plan
        (
            ("我想把乐天的流量分给我朋友", "不是 我是说给我妈 她的卡跟我在一个账号下面"),
            ("multi-line-share", "rakuten"),
        ),
    ],
)
def test_the_user_said_on_a_carrier_by_a_correction_or_so_am_i(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


def test_adding_to_someones_line_is_a_top_up(engine: Engine) -> None:
    reply = chat(engine, "linemo加流量怎么收费", "能直接给我老公那条加吗 他也是linemo 他老是用超")[
        -1
    ]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "top-up-for-friend", "linemo")


def test_add_ons_left_over_said_after_selling_stay_with_selling(engine: Engine) -> None:
    first, second = chat(engine, "povo的流量能转卖吗", "我手上一堆用不完的topping")
    assert second.id == first.id


def test_not_wanting_trouble_is_no_question_about_the_law(engine: Engine) -> None:
    text = "On Rakuten I have unlimited. My neighbour is a student with no wifi. Can I give him my data? I dont want any trouble"
    reply = chat(engine, text)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "rakuten", "rakuten")


def test_otherwise_it_expires_is_why_data_is_given(engine: Engine) -> None:
    text = "povo买的3G topping 我下周出差回国用不上了 能转给同样用povo的朋友吗 不然30天就过期了好亏"
    reply = chat(engine, text)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "povo", "povo")


def test_lending_a_sim_written_in_kana_is_the_law(engine: Engine) -> None:
    reply = chat(
        engine, "ネパール に かえります 3かげつ", "わたしの SIM ともだち に かす いいですか"
    )[-1]
    assert (reply.decision, reply.id) == ("answer", "sim-transfer-law")


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # the user's own phone (俺povo的手机) is the one served: the husband's hotspot
        (("俺老公是docomo", "他那个手机能不能开热点给俺povo的手机用"), ("tethering", "docomo")),
        # a carrier set aside after a plan choice: still the choice
        (("换哪家划算", "30G左右", "不要乐天"), ("choose-plan", None)),
    ],
)
def test_the_served_phone_and_a_carrier_set_aside_after_a_choice(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # someone using the user's data, said after a hotspot answer, is that hotspot
        (
            ("旅遊eSIM可唔可以開熱點？", "咁我老公就可以用我嘅data，係咪？"),
            ("tethering", "tourist-sim"),
        ),
        # a gifting feature named after it is still giving
        (("nuro mobile能开热点吗", "パケットギフト呢"), ("nuro-mobile", "nuro-mobile")),
    ],
)
def test_using_my_data_after_a_hotspot_answer_is_the_hotspot(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("流量可以提现吗", ("answer", "cash-for-data", None)),  # 提现: withdrawn as cash
        ("乐天手机的话 没用完的流量会怎么样", ("answer", "carryover", "rakuten")),
        ("linemo退會要唔要罰錢", ("none", None, None)),  # cancelling a membership
        ("出国旅游的时候用ahamo流量要额外加钱吗", ("none", None, None)),  # roaming abroad
    ],
)
def test_words_of_session_26_late_sets(
    engine: Engine, text: str, expected: tuple[str, str | None, str | None]
) -> None:
    reply = chat(engine, text)[-1]
    assert (reply.decision, reply.id, reply.carrier) == expected


def test_data_split_with_family_on_one_account_is_sharing(engine: Engine) -> None:
    reply = chat(engine, "Rakuten可唔可以將data分俾屋企人 同一個account")[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "multi-line-share", "rakuten")


def test_using_someones_data_before_having_a_sim_is_their_hotspot(engine: Engine) -> None:
    text = "我老公在东京上班用softbank 我刚办家族滞在过来 手机卡还没办 能不能先用他的流量 他每个月都用不完"
    reply = chat(engine, text)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "tethering", "softbank")


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # the husband moves from docomo to ahamo: ahamo is asked about
        (("俺老公docomo想换成ahamo", "ahamo能送流量给别人不"), ("ahamo", "ahamo")),
        # the question was the husband's, on docomo: not giving from povo to docomo
        (("povo咋送流量给别人", "不对不对，是俺老公问的，他是docomo"), ("docomo", "docomo")),
        # "问的是povo": the carrier the question was asked of, whatever else is told
        (
            ("我在用乐天 能不能把流量转给师弟", "等下 我搞错了 我主卡是povo 乐天是副卡 问的是povo"),
            ("povo", "povo"),
        ),
        # "不是 我是说docomo": the carrier meant, not one set aside
        (
            ("乐天能不能给别人的号码充流量", "不是 我是说docomo 我打错了"),
            ("top-up-for-friend", "docomo"),
        ),
        (("mineo怎么送流量给别人", "不对 是UQ 我上个月刚换的"), ("uq-mobile", "uq-mobile")),
        # the child switched carriers: the hotspot question for the new one
        (
            ("娃儿问我 ahamo可以开热点不", "不对不对 他刚刚微信说他上个月换成linemo了"),
            ("tethering", "linemo"),
        ),
        # moving to the friend's carrier: giving on that one
        (
            (
                "我现在是softbank 想转点流量给实验室同学 他是au",
                "行吧 那如果我也换到au呢 同一家就能送了吧",
            ),
            ("au", "au"),
        ),
        # which of these can: the topic just asked, for them
        (
            ("他那个流量结转 是不是所有公司都可以", "比如docomo ahamo 乐天这几家 哪家可以哪家不行"),
            ("carryover", None),
        ),
        # a person and an aspect after mineo's free pool ask more of the pool
        (
            ("听说mineo有个啥子免费的流量池", "我儿子可以随便拿不 有没有限制"),
            ("mineo-free-tank", "mineo"),
        ),
        # living together, said after a family-plan question
        (
            (
                "我想问下 日本有没有那种一家人可以一起用流量的套餐",
                "我跟他爸明年可能过去陪读 一起住",
            ),
            ("multi-line-share", None),
        ),
        # the number itself wanted with the SIM: the line changes hands
        (
            ("使ってない格安SIM 解約しないでメルカリで売れる？", "番号ごと欲しいって人がいて"),
            ("sim-transfer-law", None),
        ),
        (
            (
                "余ったギガってポイントとかに換金できないの？",
                "楽天モバイル使ってる 楽天ポイントになったら最高なんだけど",
            ),
            ("cash-for-data", "rakuten"),
        ),
        (
            (
                "Can I give data on softbank?",
                "wait no im actually on LINEMO, softbank is just the network",
            ),
            ("linemo", "linemo"),
        ),
    ],
)
def test_corrections_and_follow_ups_of_session_27(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # data bought for him (给他买点流量) is a top-up, not cashing data in
        (
            ("他用乐天 流量老是不够用 我能不能给他买点流量",),
            ("answer", "top-up-for-friend", "rakuten"),
        ),
        # his monthly bill paid by Alipay is no data
        (
            ("我儿子用au 我想给他充流量", "哦还有 他那个每个月的话费能不能用支付宝帮他交"),
            ("none", None, None),
        ),
        # money sent home is no data
        (("家族にお金を送りたい",), ("none", None, None)),
        (("ギガ を おかね に できますか",), ("answer", "cash-for-data", None)),
        # which company for a student, whoever it is for
        (("俺闺女明年来日本上大学，学生用哪家便宜",), ("answer", "choose-plan", None)),
        (
            ("can we share data between our lines on ymobile",),
            ("answer", "multi-line-share", "ymobile"),
        ),
        (
            (
                "we're on our honeymoon with airalo esims",
                "my husband's data ran out, can I top his up from my app?",
            ),
            ("answer", "top-up-for-friend", "tourist-sim"),
        ),
        (
            (
                "my contract ends in july",
                "can I just leave my SIM for them and keep paying? it's Y!mobile",
            ),
            ("answer", "sim-transfer-law", "ymobile"),
        ),
        (
            (
                "my fellow ALT is on rakuten and always runs out. im on softbank with loads left, can I send her some?",
            ),
            ("answer", "gifting-overview", None),
        ),
    ],
)
def test_readings_of_session_27(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == expected


def test_english_around_a_japanese_term_is_answered_in_english(engine: Engine) -> None:
    reply = chat(engine, "is that true? can we share ギガ between our lines on ymobile")[-1]
    assert reply.lang == "en"


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # a person on another carrier asked to give the user data, after the user's card
        (("我用docomo", "同事是au 他的流量可以分我嗎"), ("gifting-overview", None)),
        # carriers alone after an overview: the same question, for them
        (
            ("Hi, which one can give data to other person?", "docomo or softbank?"),
            ("gifting-overview", None),
        ),
        # giving right after saying one has several lines: between them
        (("povo 2回線目作った", "ギガ分けれる？"), ("multi-line-share", "povo")),
        # which data is used first, after carry-over
        (("UQの繰り越し 和 増量オプション", "哪个先用"), ("carryover", "uq-mobile")),
        # a gift code expiring, after mineo's how-to
        (
            ("mineo送流量那个码 几天过期啊", "要是过期了咋整 还能再整一个不"),
            ("mineo-packet-gift-howto", "mineo"),
        ),
        # "actually" corrects the carrier asked about
        (("ソフトバンクのテザリング 有料?", "あ、ごめん 他其实是LINEMO"), ("tethering", "linemo")),
        # his own hotspot, asked with his carrier
        (
            ("I'm on UQ, the テザリング is free?", "and my son? he has biglobe"),
            ("tethering", "biglobe"),
        ),
        # a platform named just before, selling continues there
        (("我想在咸鱼上卖日本的流量", "一个G卖几块钱能赚点零花吗"), ("sell-data-platforms", None)),
        # ...unless another way is asked
        (
            (
                "can i sell my leftover rakuten gigs on mercari",
                "ok what about turning them into cash some other way",
            ),
            ("cash-for-data", "rakuten"),
        ),
        # a travel eSIM by its plan, and data bought for the husband on it
        (
            ("我們買的eSIM是8天吃到飽的", "可以幫老公那張再加值嗎 用我的信用卡付"),
            ("top-up-for-friend", "tourist-sim"),
        ),
    ],
)
def test_follow_ups_of_session_27_late(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BIGLOBE的流量能分给家人吗？", ("answer", "multi-line-share", "biglobe")),
        (
            "biglobe的シェアSIM 可以给我室友用吗 分他一点流量",
            ("answer", "multi-line-share", "biglobe"),
        ),
        (
            "同棲中の彼氏とワイモバイルでまとめたいのですが、2人でデータ容量をシェアすることはできますか？",
            ("answer", "multi-line-share", "ymobile"),
        ),
        ("用不完的流量能不能换成乐天积分啊", ("answer", "cash-for-data", "rakuten")),
        ("乐天积分可以转给别人吗", ("none", None, None)),
        ("我softbank 室友ymobile 一个公司的 之间能送流量吗", ("answer", "gifting-overview", None)),
        (
            "我妈说国内都能流量共享 为啥日本不行 她死活不信 说我骗她😩",
            ("answer", "why-no-gifting", None),
        ),
        ("把我的副卡给朋友用 算不算违法", ("answer", "sim-transfer-law", None)),
        (
            "我在大连，以前在日本留学，还有个没注销的乐天号，能卖给需要的人吗",
            ("answer", "sim-transfer-law", "rakuten"),
        ),
        ("哪个手机卡便宜 我一个月只要 5G 给家里打视频", ("answer", "choose-plan", None)),
        (
            "TL;DR which carrier for a family of 4 with 2 teens who burn through data? currently paying ~¥25k/month at docomo",
            ("answer", "choose-plan", None),
        ),
        ("au 的資料贈送要怎麼弄 要先綁信用卡嗎", ("answer", "au-data-present", "au")),
        ("mineo送data要點撳 有冇教學", ("answer", "mineo-packet-gift-howto", "mineo")),
        (
            "我喺福岡交換緊 用povo 個friend話可以俾啲data我 佢都係povo 得唔得㗎",
            ("answer", "povo", "povo"),
        ),
        ("日本電話卡點揀好 主要用data 唔點打電話", ("answer", "choose-plan", None)),
        ("call nepal from japan which sim cheap", ("none", None, None)),
        ("家族にお金を送りたい", ("none", None, None)),
        ("やっほー", ("smalltalk", None, None)),
    ],
)
def test_readings_of_session_27_late(
    engine: Engine, text: str, expected: tuple[str, str | None, str | None]
) -> None:
    reply = chat(engine, text)[-1]
    assert (reply.decision, reply.id, reply.carrier) == expected


def test_the_old_phone_after_moving_an_esim_stays_out_of_scope(engine: Engine) -> None:
    reply = chat(engine, "povo的eSIM换新手机要怎么转", "旧手机是iPhone 12")[-1]
    assert (reply.decision, reply.id) == ("none", None)


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # the receiver's carrier said as such, as a supposition
        (
            ("mineo同士ならギガ送れるって聞いたけど", "相手がpovoだったら？"),
            ("gifting-overview", None),
        ),
        # both were on one carrier; only the other person is corrected
        (
            ("我跟室友都是LINEMO 可以互送流量嗎", "更正 室友是SoftBank本家的 不是LINEMO"),
            ("gifting-overview", None),
        ),
        (
            ("can my 先輩 give me giga? we both use rakuten", "sorry she is ahamo not rakuten"),
            ("gifting-overview", None),
        ),
        # the one corrected was the only one said: the question again, for her carrier
        (
            (
                "我婆婆用的是docomo，她问能不能把流量给我老公",
                "啊不对 她说她是ahamo 不是docomo 我搞错了",
            ),
            ("ahamo", "ahamo"),
        ),
        # "her own povo SIM" is hers, not the user's
        (
            (
                "Can my daughter use my data?",
                "I'm on UQ",
                "she's got her own povo SIM, I just want to push some GB to her every month",
            ),
            ("gifting-overview", None),
        ),
        # a correction of the carrier asked about, never the user's: the question for hers
        (("乐天能不能送流量给家里人", "不对 她是ahamo 我记岔劈了"), ("ahamo", "ahamo")),
        (
            ("我個孫啲數據可唔可以送俾佢女朋友佢係用uq嘅", "唔係唔係我聽錯咗佢話係ahamo呀ahamo"),
            ("ahamo", "ahamo"),
        ),
        # data bought on one carrier and sent to a line on another: giving between them
        (("我用的povo 媳妇用的au", "她那边能买流量送我不"), ("gifting-overview", None)),
        (("我朋友用J:COM的手机 伊讲流量不够", "我用mineo 好送给伊伐"), ("gifting-overview", None)),
        # (paid for her line, nothing sent: her line's top-up)
        (
            ("我老婆是au的，每到月底流量就不够", "我能直接给她的号码充点流量吗？我自己是docomo的"),
            ("top-up-for-friend", "au"),
        ),
        # the travel SIM named after an overview: the topic for it
        (
            ("老总的手机开不了热点", "他用的是机场买的旅游卡 是不是旅游卡都不得行"),
            ("tethering", "tourist-sim"),
        ),
        # which one was bought (买的是…) is the SIM, not data bought
        (
            ("妈 你那个旅游卡能不能开热点给爸爸用", "爸爸手机没办卡", "我们买的是Holafly的"),
            ("tethering", "tourist-sim"),
        ),
        # a Japanese SIM handed to a junior on leaving: the SIM makes it a question in scope
        (
            ("我们玩完了 明天飞回深圳", "日本手机卡还剩半个月 能直接给学妹用吗 她下周去东京"),
            ("sim-transfer-law", None),
        ),
        # a phone number in kana, passed on to a grandchild
        (
            ("わしが しんだら この でんわばんごう", "まごに ゆずれるかね"),
            ("sim-transfer-law", None),
        ),
        # "what about X?" and a remark: the question again, for X
        (
            (
                "Does IIJmio carry unused data over to the next month?",
                "And BIGLOBE?",
                "what about OCN mobile one? my flatmate still has an old contract",
            ),
            ("carryover", "ocn-mobile-one"),
        ),
        (("乐天能送流量吗", "那旅游卡呢 就是机场买的那种"), ("tourist-sim", "tourist-sim")),
        # (an excluded carrier before 呢 is no carrier asked about)
        (("mineo能送流量吗", "那除了docomo呢 我朋友说的"), ("gifting-overview", None)),
        # 失礼しました: a correction of the carrier asked about
        (
            (
                "ドコモでデータを分けることはできますか。",
                "失礼しました、保護者様はY!mobileでした。",
            ),
            ("ymobile", "ymobile"),
        ),
        # (a correction about another person than the one on that carrier)
        (("儿子mineo的流量能给他室友吗", "不对 室友是docomo的"), ("gifting-overview", None)),
        # mineo heard as 米内奥
        (
            ("孙子说他那个米内奥的卡能送流量", "咋送啊 跟俺唠唠步骤"),
            ("mineo-packet-gift-howto", "mineo"),
        ),
        # another carrier named only as what the first is likened to: the same answer
        (
            ("nuro mobile有送流量的功能吗", "就类似mineo那个パケットギフト"),
            ("nuro-mobile", "nuro-mobile"),
        ),
        (
            ("nuro mobile有冇得gift data", "佢嗰個パケットギフト係咪同mineo一樣"),
            ("nuro-mobile", "nuro-mobile"),
        ),
        # (but "is X the same?" asks about X)
        (("Y!mobile嘅data點解唔可以送俾人", "softbank都係一樣?"), ("softbank", "softbank")),
        # a remark on why data cannot be given: the same answer
        (("なぜギガはあげられないのですか", "孫にあげたいだけなのに"), ("why-no-gifting", None)),
        (("日本手机流量为啥勿好送人", "阿拉上海移动好送额呀"), ("why-no-gifting", None)),
        # お子さん is family: a mother and her child on two carriers
        (
            (
                "学童で働いている者です。中国出身の保護者の方から相談を受けています",
                "お母さんはpovo、お子さんのキッズ携帯はドコモです。お母さんのギガをお子さんに分けることはできますか？",
            ),
            ("gifting-overview", None),
        ),
        # a carrier asked about after a preamble with no subject
        (("刚来东京 想问问 不太懂", "iijmio怎么样"), ("iijmio", "iijmio")),
        # a carrier swap is still the same question for the new carrier
        (("mineoでギガ送れる？", "povoは？"), ("povo", "povo")),
    ],
)
def test_corrections_and_follow_ups_of_session_28(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    "text",
    [
        "My ah ma coming to visit for 2 weeks, what sim should she get ah",
        "我哋去京都度蜜月 十日 買咩電話卡好",
        "欲辦日本手機，啥物卡較俗",
        "给他弄个啥卡好？不想签合约",
        # Japanese in kana, as learners write it
        "わたしは ぎのうじっしゅうせい です。やすい SIM おしえてください。まいつき 10GB くらい つかいます",
        "ドコノ ケイタイ ガ ヤスイ デスカ トシヨリ デモ ツカエル ヤツ",
    ],
)
def test_which_sim_to_get_is_the_plan_choice(engine: Engine, text: str) -> None:
    reply = chat(engine, text)[-1]
    assert (reply.decision, reply.id) == ("answer", "choose-plan")


@pytest.mark.parametrize(
    "text",
    [
        "よめが ちゅうごくの じっかに でんわを かけたいそうです。やすい ほうほうは ありますか",
        "ポケットWi-Fi を かりたい。いちばん やすい は どこ ですか",
        "どこもの つうわりょうを やすく する ほうほうは ありますか",
    ],
)
def test_cheap_calls_and_rentals_in_kana_are_out_of_scope(engine: Engine, text: str) -> None:
    assert chat(engine, text)[-1].decision == "none"


@pytest.mark.parametrize(
    "turns",
    [
        # why a line is cancelled, after an out-of-scope question about cancelling it
        ("i want cancel my docomo, how much fee?", "i go back to indonesia in march"),
        # how much data the user has, for a question the bot does not answer
        ("calling home to philippines with LINE video use many gigs?", "i have 3gb ymobile only"),
    ],
)
def test_details_after_an_out_of_scope_question_stay_out_of_scope(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    assert chat(engine, *turns)[-1].decision == "none"


def test_a_sim_asked_about_before_leaving_is_in_scope(engine: Engine) -> None:
    reply = chat(
        engine, "i go back nepal next month", "my sim is rakuten", "what i do with sim before go?"
    )[-1]
    assert (reply.decision, reply.id) == ("answer", "sim-transfer-law")


@pytest.mark.parametrize(
    ("text", "carrier"),
    [
        ("旅游eSIM流量用完了 能在同一部手机上再加吗", "tourist-sim"),
        ("那个叫OCN的卡孩子说已经不能新办了那他以前办的还能继续用吗要不要换", "ocn-mobile-one"),
    ],
)
def test_one_carrier_far_from_every_topic_gets_its_card(
    engine: Engine, text: str, carrier: str
) -> None:
    reply = chat(engine, text)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", carrier, carrier)
    assert reply.hedge


def test_a_bundle_price_of_one_carrier_stays_out_of_scope(engine: Engine) -> None:
    assert chat(engine, "jcom的电视和手机一起办 有套餐优惠吗 多少钱")[-1].decision == "none"


def test_ta_is_thanks(engine: Engine) -> None:
    reply = chat(
        engine,
        "Y!mobile share plan: how many SIMs can I hang off it?",
        "Ta. Right, off to mark thirty essays.",
    )[-1]
    assert reply.decision == "smalltalk"


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # another carrier set against the one whose card was shown: which of the two to pick
        (("HISモバイル使ってる", "日本通信とどっちがいい？"), ("choose-plan", None)),
        (("tell me about povo", "how does it compare with ahamo"), ("choose-plan", None)),
        # (against a cell, the same topic side by side stays the answer)
        (("docomo能结转吗", "和ahamo比呢"), ("carryover", None)),
        # a remark after the why answer keeps it ("cash grab" is no cash)
        (
            (
                "Why won't softbank let me just transfer data to my friend",
                "seems like a cash grab tbh",
            ),
            ("why-no-gifting", "softbank"),
        ),
        # two carriers joined by 同 (Cantonese "and") after 咁 ("then"): both are asked about
        (
            ("SoftBank可唔可以送數據俾屋企人？", "咁Y!mobile同LINEMO呢？"),
            ("gifting-overview", None),
        ),
        # the company a brand belongs to, asked about after the brand: still the brand
        (("povo是个啥", "跟au啥关系？是au家的不"), ("povo", "povo")),
        (("povo是个啥", "is it owned by au?"), ("povo", "povo")),
        # (but the company asked about in turn, or said to be the user's, is not)
        (("uq能送流量吗", "au呢 uq不是au家的吗"), ("au", "au")),
        # "not family but a friend" after sharing with family: giving to another person
        (("楽天ってギガ家族でシェアできる？", "いや家族じゃなくて友達"), ("rakuten", "rakuten")),
        (("乐天能和家人共享流量吗", "不是家人 是朋友"), ("rakuten", "rakuten")),
        # (a friend added to a share SIM or plan is still sharing)
        (
            ("BIGLOBE シェアSIM", "can my 女朋友 use it? 她不是家人"),
            ("multi-line-share", "biglobe"),
        ),
        # a carrier's own feature described ("that free data thing"): the feature, then how
        (("mineo那个免费领流量的是啥", "咋领"), ("mineo-free-tank", "mineo")),
        # a travel SIM and a carrier said earlier, the giving asked now: between carriers
        (
            ("個女喺日本讀書用mineo", "我哋下個月去探佢 用旅遊卡", "佢可唔可以送啲數據俾我哋"),
            ("gifting-overview", None),
        ),
        # the other person's line in their own name is whose line it is, not lending
        (
            (
                "请问IIJmio的データ容量プレゼント",
                "可以送给我男朋友吗？他也是IIJ，但是是他自己名义的合约",
            ),
            ("iijmio", "iijmio"),
        ),
        # both on the same company's travel eSIM (Cantonese 同一間公司): its own answer
        (
            (
                "我部電話用緊旅遊eSIM",
                "可唔可以將我張eSIM嘅數據轉畀另一個老師？佢都係用同一間公司嘅eSIM",
            ),
            ("tourist-sim", "tourist-sim"),
        ),
        # a line opened on the user's own contract for the other person shares its data
        (
            (
                "我是大连的，在川崎做开发",
                "我老婆现在是乐天的，我这边是IIJmio。我在我IIJ名下再开一张卡给她用，然后用データシェア一起用流量，这样行不行？",
            ),
            ("multi-line-share", "iijmio"),
        ),
        # "cheaper by 110 yen" is a discount, no plan asked for
        (
            ("乐天最强家族程序是什么", "那就是说加入了也不能共享流量？只是每个月便宜110日元？"),
            ("multi-line-share", "rakuten"),
        ),
        # which plan the user is on, told after a cell: the same answer
        (("请问softbnak的热点要申请吗", "我是去年办的新套餐"), ("tethering", "softbank")),
        # the SIM asked about for selling is a voice SIM: still the law
        (
            (
                "日本嘅SIM卡買咗用唔晒，離開日本之前可唔可以賣畀其他人？",
                "係有電話號碼可以打電話嗰種",
            ),
            ("sim-transfer-law", None),
        ),
        # data bought onto a sister's phone is a top-up
        (
            ("妹が日本に来ます", "妹のケータイに私がギガ買うことできますか？妹も楽天"),
            ("top-up-for-friend", "rakuten"),
        ),
    ],
)
def test_follow_ups_of_session_29(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


def test_which_esim_after_moving_one_stays_out_of_scope(engine: Engine) -> None:
    """Moving an eSIM to a new phone is out of scope; saying which eSIM and how much data is
    left on it does not make it a question about data."""
    reply = chat(engine, "請問eSIM從舊手機換到新手機要怎麼轉移", "是旅遊用的那種，裡面還有3GB")[-1]
    assert reply.decision == "none"


@pytest.mark.parametrize(
    "text",
    [
        "我自己兩支門號 一支au一支povo 能不能從au那支把流量轉到povo那支",
        "我从mineo送流量到povo可以吗",
        "auの回線からpovoの回線にギガを移したい",
    ],
)
def test_data_moved_from_one_named_carrier_to_another(engine: Engine, text: str) -> None:
    """Data moved from one carrier's line to another's is giving between carriers."""
    reply = engine.ask(text)
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "gifting-overview", None)
    assert reply.target is not None and reply.target.cross


def test_moving_the_line_itself_is_not_giving_data(engine: Engine) -> None:
    """ "从docomo转到ahamo" moves the line (nothing of data between the names)."""
    reply = engine.ask("从docomo转到ahamo 流量会清零吗")
    assert not (reply.target is not None and reply.target.cross)


@pytest.mark.parametrize(
    "text", ["好啦謝謝大家的回覆 祝大家出遊順利❤️", "thanks so much, have a nice trip!"]
)
def test_thanks_with_a_good_trip_wish_is_small_talk(engine: Engine, text: str) -> None:
    """A wish for a good trip is courtesy, not a travel SIM."""
    reply = engine.ask(text)
    assert reply.decision == "smalltalk"


@pytest.mark.parametrize(
    ("turns", "carrier"),
    [
        (
            ("I'm on LINEMO and my wife is on Y!mobile", "does her line carry over unused GB?"),
            "ymobile",
        ),
        (
            (
                "I'm on LINEMO and my wife is on Y!mobile",
                "does her line carry over unused GB?",
                "and mine?",
            ),
            "linemo",
        ),
        (("我用LINEMO 老婆用Y!mobile", "她的流量能结转吗", "那我的呢"), "linemo"),
        (("私はLINEMO、妻はワイモバイル", "妻の回線は繰り越しできる？", "私のは？"), "linemo"),
    ],
)
def test_mine_after_hers_asks_the_same_of_the_users_line(
    engine: Engine, turns: tuple[str, ...], carrier: str
) -> None:
    """ "and mine?" after an answer about the other person's line: the user's own line."""
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "carryover", carrier)


def test_her_carrier_said_as_hers_is_her_lines_hotspot(engine: Engine) -> None:
    """ "那她那张au能开热点不": her au line's hotspot, not the user's Rakuten."""
    reply = chat(engine, "我乐天 媳妇au 能给她送流量不", "那她那张au能开热点不")[-1]
    assert (reply.id, reply.carrier) == ("tethering", "au")
    reply = chat(engine, "俺们两口子在横滨 我乐天她au", "她那卡剩的流量能留到下个月不")[-1]
    assert (reply.id, reply.carrier) == ("carryover", "au")
    reply = chat(engine, "私はLINEMO、妻はワイモバイル", "妻の回線はテザリングできる？")[-1]
    assert (reply.id, reply.carrier) == ("tethering", "ymobile")


def test_the_receivers_carrier_among_several_people(engine: Engine) -> None:
    """Of several people on carriers, the one given to decides; both ends on UQ is UQ's cell."""
    text = "我用UQ 我男朋友也UQ 他妈妈用docomo 他爸用软银 我就想问我能不能送我男朋友流量"
    assert (engine.ask(text).id, engine.ask(text).carrier) == ("uq-mobile", "uq-mobile")
    other = engine.ask("我用UQ 我男朋友用docomo 他妈妈用softbank 我能不能送我男朋友流量")
    assert (other.id, other.carrier) == ("gifting-overview", None)


def test_a_hotspot_used_every_day_is_why_giving_is_asked(engine: Engine) -> None:
    reply = engine.ask("softbank能不能给同学送流量啊 她天天蹭我热点 烦死了")
    assert (reply.id, reply.carrier) == ("softbank", "softbank")
    asked = engine.ask("室友天天蹭我热点，我是乐天的无限流量，开热点给他用会不会额外收钱啊")
    assert (asked.id, asked.carrier) == ("tethering", "rakuten")


def test_giving_between_two_people_named_goes_by_their_carriers(engine: Engine) -> None:
    """Who gives and who receives, both said earlier to be on a carrier, decide the answer."""
    family = "我用乐天，老婆ahamo，儿子也是ahamo，女儿povo"
    same = chat(engine, family, "老婆的流量每个月都剩一大堆，能转一点给儿子吗")[-1]
    assert (same.id, same.carrier) == ("ahamo", "ahamo")
    across = chat(engine, family, "老婆的流量能转一点给女儿吗")[-1]
    assert (across.id, across.carrier) == ("gifting-overview", None)


def test_a_correction_by_pronoun_moves_the_one_person_to_the_new_carrier(engine: Engine) -> None:
    turns = (
        "我老婆用的是docomo",
        "哦不对 她上个月刚换成ahamo了 我记错了",
        "她那个没用完的流量下个月还在吗",
    )
    reply = chat(engine, *turns)[-1]
    assert (reply.id, reply.carrier) == ("carryover", "ahamo")
    # (the user's own travel SIM, said with a pronoun for the daughter, is not hers)
    mine = chat(
        engine, "個女喺日本讀書用mineo", "我哋下個月去探佢 用旅遊卡", "佢可唔可以送啲數據俾我哋"
    )
    assert (mine[-1].id, mine[-1].carrier) == ("gifting-overview", None)


def test_no_signal_as_the_condition_of_a_hotspot_is_not_a_signal_question(engine: Engine) -> None:
    turns = ("他的旅遊卡可以開熱點嗎", "那我的povo呢？在富良野他沒訊號的時候換我開")
    reply = chat(engine, *turns)[-1]
    assert (reply.id, reply.carrier) == ("tethering", "povo")
    assert engine.ask("乐天在北海道信号好吗").decision == "none"


def test_what_is_not_asked_about_is_denied(engine: Engine) -> None:
    """ "Not asking about the hotspot" takes the hotspot out: giving is the question."""
    zh = engine.ask(
        "我不是问热点，也不是问共享，就单纯想知道ahamo能不能把流量直接转给别的ahamo用户"
    )
    assert (zh.id, zh.carrier) == ("ahamo", "ahamo")
    en = engine.ask(
        "Not asking about hotspot. I just want to know: can au users give data to other au users?"
    )
    assert (en.id, en.carrier) == ("au", "au")


def test_a_hotspot_kept_as_the_fallback_is_not_the_question(engine: Engine) -> None:
    reply = engine.ask(
        "我用的是乐天最强那个套餐。想问问我能不能直接从我这匀几个G给我们屋学弟，他是povo的，"
        "月底老是干没。实在不行我就天天开热点给他呗"
    )
    assert (reply.id, reply.carrier) == ("gifting-overview", None)


def test_a_card_added_for_someone_is_a_line_on_the_users_contract(engine: Engine) -> None:
    reply = engine.ask(
        "她国内卡漫游贼贵。我自己是IIJmio，听说同一个账号底下能加卡一起用流量，"
        "我给她加张数据卡一块用我这流量靠谱不？"
    )
    assert (reply.id, reply.carrier) == ("multi-line-share", "iijmio")


def test_excluding_in_a_follow_up_and_asking_which_of_those(engine: Engine) -> None:
    others = chat(engine, "日本哪家运营商流量可以送人", "那乐天以外的呢 乐天我知道不行")[-1]
    assert (others.decision, others.id, others.carrier) == ("answer", "gifting-overview", None)
    which = chat(
        engine, "Other than mineo, who lets you gift data?", "and among those which one is free?"
    )[-1]
    assert (which.id, which.carrier) == ("gifting-overview", None)
    free = chat(engine, "哪些运营商可以送流量", "哪个免费")[-1]
    assert free.id == "gifting-overview"
    assert chat(engine, "哪家能开热点", "哪个免费")[-1].id == "tethering"


def test_her_line_named_with_a_relation_is_hers(engine: Engine) -> None:
    hk = chat(engine, "我用softbank 老婆用LINEMO", "咁老婆嗰張LINEMO可唔可以開hotspot俾個仔")[-1]
    assert (hk.id, hk.carrier) == ("tethering", "linemo")
    ja = chat(
        engine,
        "妻がソフトバンク、俺はドコモ",
        "妻のソフトバンクでテザリングするのに申し込みっているの？",
    )
    assert (ja[-1].id, ja[-1].carrier) == ("tethering", "softbank")


def test_everyone_moving_to_one_carrier_asks_about_that_carrier(engine: Engine) -> None:
    family = "我用softbank 個仔用ahamo 個女用povo 我可唔可以分啲data俾佢哋"
    reply = chat(engine, family, "咁如果三個人都轉晒去softbank呢")[-1]
    assert (reply.id, reply.carrier) == ("softbank", "softbank")
    both = chat(
        engine, "俺媳妇乐天 俺ahamo 说了半天都不能匀", "要不俺俩都整到IIJmio去 各办各的 能互相匀不"
    )
    assert (both[-1].id, both[-1].carrier) == ("iijmio", "iijmio")


def test_why_with_a_carrier_that_can_named_as_the_exception(engine: Engine) -> None:
    turns = (
        "My friend on HIS Mobile wants some of my data, I'm on HIS too",
        "Why can't they allow it yaar? mineo does it na",
    )
    reply = chat(engine, *turns)[-1]
    assert (reply.id, reply.carrier) == ("why-no-gifting", "his-mobile")


def test_topping_up_the_users_own_travel_sim_from_someone_elses_line(engine: Engine) -> None:
    reply = chat(engine, "我的旅游卡留量用完了我孙子能帮我冲吗他用的乐天", "冲了能管几天啊")
    assert [(r.id, r.carrier) for r in reply] == [("top-up-for-friend", "tourist-sim")] * 2
    friend = chat(engine, "淘宝买的esim流量快用完了😵", "能不能让朋友用他的日本卡帮我充")[-1]
    assert (friend.id, friend.carrier) == ("top-up-for-friend", "tourist-sim")


def test_a_sim_said_as_the_carrier_then_handed_on_is_the_law(engine: Engine) -> None:
    turns = ("俺媳妇要回国三个月，她那张乐天的卡闲着", "想给俺表弟先用着 这么整犯法不？")
    assert chat(engine, *turns)[-1].id == "sim-transfer-law"


def test_signing_off_and_drifting_out_of_scope_after_an_answer(engine: Engine) -> None:
    ok = chat(engine, "なるほど、IIJmioなら同じmioIDでシェアできると", "了解、妻と相談してみます")[
        -1
    ]
    assert ok.decision == "smalltalk"
    assert chat(engine, "那俺先用着ahamo吧", "中 回头再唠 忙去了")[-1].decision == "smalltalk"
    for turns in (
        ("leaving japan in june, im on ahamo", "whats the cancellation fee if i quit early"),
        ("朋友用mineo 我也想办", "mineo的店在广岛哪里"),
        ("softbank能开热点吗", "那中途解约要交多少钱"),
        ("我的手机是孙子给的旧苹果现在屏幕碎了都可磨能修不", "修要几多钱啊"),
        ("俺们店长用的docomo", "docomo那个家族优惠 店长能把俺们员工加进去打折不"),
    ):
        assert chat(engine, *turns)[-1].decision == "none", turns


def test_a_detail_after_a_gifting_question_keeps_that_question(engine: Engine) -> None:
    """Who she is and why she needs data is no new question; the carriers said next complete
    the first one."""
    turns = (
        "can i send data to my friend in japan?",
        "she is my classmate, her data finish always",
        "we both use au",
        "oh sorry, she change to povo last month",
    )
    replies = chat(engine, *turns)
    assert [(r.id, r.carrier) for r in replies[1:]] == [
        ("gifting-overview", None),
        ("au", "au"),
        ("gifting-overview", None),
    ]


def test_the_same_topic_for_the_others_or_for_the_carriers_named(engine: Engine) -> None:
    others = chat(
        engine,
        "Is ahamo tethering free?",
        "Which carriers other than ahamo don't make you apply for it?",
    )[-1]
    assert (others.id, others.carrier) == ("tethering", None)
    assert others.target is not None and others.target.excluded == ("ahamo",)
    both = chat(
        engine,
        "Is there any carrier that lets you gift data to mates?",
        "Is mineo the only one or does au do it too?",
    )[-1]
    assert (both.id, both.carrier) == ("gifting-overview", None)
    kddi = chat(
        engine,
        "My 同僚 says au has データプレゼント",
        "Does that work if she's on au and I'm on UQ? 同じKDDIだし",
    )[-1]
    assert (kddi.id, kddi.carrier) == ("gifting-overview", None)


def test_what_someone_said_about_a_carrier_is_not_their_line(engine: Engine) -> None:
    turns = (
        "my senpai say ギガ can give with mineo",
        "but i am docomo… docomo also can ギガ プレゼント?",
    )
    reply = chat(engine, *turns)[-1]
    assert (reply.id, reply.carrier) == ("docomo", "docomo")


def test_adding_data_to_someone_elses_number(engine: Engine) -> None:
    reply = chat(engine, "日本通信290 加流量多少钱一G", "能加给别人的号不")[-1]
    assert (reply.id, reply.carrier) == ("top-up-for-friend", "nihon-tsushin")
    colleague = chat(engine, "ahamo 大盛り 又超了 无语", "同事也ahamo 他能给我号上买G不")[-1]
    assert (colleague.id, colleague.carrier) == ("top-up-for-friend", "ahamo")


def test_mine_after_two_lines_compared(engine: Engine) -> None:
    turns = ("老婆用Y!mobile，我用LINEMO，听说她那个能结转", "那我的呢")
    reply = chat(engine, *turns)[-1]
    assert (reply.id, reply.carrier) == ("carryover", "linemo")


def test_shanghainese_and_spaced_out_names(engine: Engine) -> None:
    assert (engine.ask("搿个povo哪能样，儿子讲交关便宜").id) == "povo"
    carry = engine.ask("阿拉儿子月底流量老是用勿光，下个月还好用伐？伊是ahamo")
    assert (carry.id, carry.carrier) == ("carryover", "ahamo")
    spaced = engine.ask("女兒說她的網路是 i i j 的 它可以跟我共用一個方案嗎 我會在日本待三個月")
    assert (spaced.id, spaced.carrier) == ("multi-line-share", "iijmio")
    kana = engine.ask(
        "まごの スマホは わいもばいる です。つかわなかった ぎがは らいげつに つかえるのでしょうか。"
    )
    assert (kana.id, kana.carrier) == ("carryover", "ymobile")


def test_a_carriers_line_of_the_overview_and_a_receiver_on_a_sim_from_home(engine: Engine) -> None:
    au = chat(engine, "日本哪家能送流量", "au那个是不是得花钱买")[-1]
    assert (au.id, au.carrier) == ("au", "au")
    home = chat(engine, "我女兒用軟銀", "她的流量可以分給我的台灣網卡嗎")[-1]
    assert (home.id, home.carrier) == ("gifting-overview", None)
    which = chat(engine, "儿子讲乐天流量勿好结转", "个么啥个卡好结转？")[-1]
    assert (which.id, which.carrier) == ("carryover", None)


def test_confirmations_and_details_keep_the_answer(engine: Engine) -> None:
    """ "できないよね？" checks the answer; "伊这个月流量已经用光了" says why, after a top-up."""
    cash = chat(engine, "余ったギガを現金にできるか入居者に聞かれた", "できないよね？")[-1]
    assert cash.id == "cash-for-data"
    topup = chat(engine, "想帮老公的LINEMO买点流量好伐", "伊这个月流量已经用光了")[-1]
    assert (topup.id, topup.carrier) == ("top-up-for-friend", "linemo")
    payer = chat(engine, "兒子說他是ahamo 流量不夠用 我可以幫他買流量ㄇ", "我沒有日本ㄉ卡")[-1]
    assert (payer.id, payer.carrier) == ("top-up-for-friend", "ahamo")
    others = chat(engine, "老婆问：日本哪家好送流量", "除了mineo还有伐")[-1]
    assert (others.id, others.carrier) == ("gifting-overview", None)


def test_data_bought_on_top_is_asked_of_carry_over(engine: Engine) -> None:
    turns = (
        "嫁はLINEMOを使っております。余った容量は翌月に繰り越せますか",
        "左様でございますか。では追加で購入した分はいかがでしょう",
    )
    reply = chat(engine, *turns)[-1]
    assert (reply.id, reply.carrier) == ("carryover", "linemo")


def test_a_receiver_on_a_sim_brought_from_home(engine: Engine) -> None:
    turns = ("[問題] 小弟用mineo 可以送流量給同事嗎", "忘了說 同事用的是台灣帶來的eSIM")
    reply = chat(engine, *turns)[-1]
    assert (reply.id, reply.carrier) == ("gifting-overview", None)
    assert (
        engine.ask("I have UQ mobile, is there a student discount for exchange students?").decision
        == "none"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # what is known is not asked: the question follows the "but"
        ("我知道乐天不能送流量 就是想问乐天的积分能不能给我女儿用", ("none", None)),
        (
            "I know Rakuten can't gift data, but can I send Rakuten points to my friend?",
            ("none", None),
        ),
        ("女儿用的docomo 我就想问docomo打电话回国内多少钱一分钟", ("none", None)),
        ("I know mineo can gift, but does it carry over?", ("carryover", "mineo")),
        (
            "テザリングはわかります。でもギガをともだちにおくりたいです。どうしたらいいですか",
            ("gifting-overview", None),
        ),
    ],
)
def test_what_the_user_knows_is_not_the_question(
    engine: Engine, text: str, expected: tuple[str | None, str | None]
) -> None:
    reply = engine.ask(text)
    got = ("none", None) if reply.decision == "none" else (reply.id, reply.carrier)
    assert got == expected


def test_corrections_and_exclusions_after_an_answer(engine: Engine) -> None:
    hers = chat(engine, "我在用softbank，想问テザリング", "不是，我是说我老婆的，她是楽天モバイル")[
        -1
    ]
    assert (hers.id, hers.carrier) == ("tethering", "rakuten")
    meant = chat(
        engine, "I'm on softbank, can I use tethering?", "no I meant my wife's, she's on rakuten"
    )
    assert (meant[-1].id, meant[-1].carrier) == ("tethering", "rakuten")
    others = chat(
        engine,
        "楽天同士ならギガ分けられますか",
        "だめか。じゃあ楽天モバイル以外で、友達に分けられるところは？",
    )
    assert (others[-1].id, others[-1].carrier) == ("gifting-overview", None)
    side = chat(engine, "老婆用Y!mobile，我用LINEMO", "她那边这个月没用完的流量能留到下个月吗")[-1]
    assert (side.id, side.carrier) == ("carryover", "ymobile")
    why = chat(engine, "なんでドコモはギガをプレゼントできないの？", "auはできるのに？")[-1]
    assert why.id == "why-no-gifting"


def test_how_long_gifted_data_lasts_is_not_carry_over(engine: Engine) -> None:
    gifted = chat(engine, "同事说au可以花钱买流量送人", "送过去的流量多少天过期")[-1]
    assert (gifted.id, gifted.carrier) == ("au-data-present", "au")
    assert gifted.aspect == "validity"
    carried = chat(engine, "au能送流量吗", "那流量能结转吗")[-1]
    assert (carried.id, carried.carrier) == ("carryover", "au")
    left = chat(engine, "优Q能送流量给别人吗", "那UQ剩下的流量能用到什么时候")[-1]
    assert (left.id, left.carrier) == ("carryover", "uq-mobile")
    tourist = chat(engine, "爸妈的旅游eSIM是15天的，还剩2G", "到期了剩下的能顺延吗 还是直接作废")[
        -1
    ]
    assert (tourist.id, tourist.carrier) == ("carryover", "tourist-sim")


def test_the_hotspot_of_the_line_asked_by_name(engine: Engine) -> None:
    named = engine.ask("我现在main line是docomo，sub用povo，想确认下povo的tethering要不要apply")
    assert (named.id, named.carrier) == ("tethering", "povo")
    compared = engine.ask("楽天とahamo、テザリング無料なのはどっち？")
    assert (compared.id, compared.carrier) == ("tethering", None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mineoいがいでギガをおくれる会社はありますか", ("gifting-overview", None)),
        ("IIJmioのギガはらいげつまでつかえますか", ("carryover", "iijmio")),
        (
            "ルームメイトとギガをシェアしたいです。おなじけいやくにできますか",
            ("multi-line-share", None),
        ),
        (
            "日本にきた母は旅行用のeSIMです。わたしがギガをたしてあげられますか",
            ("top-up-for-friend", "tourist-sim"),
        ),
        ("まえはドコモでした。いまはpovoです。povoでテザリングできますか", ("tethering", "povo")),
        ("ドコモをつかっています。ドコモのみせはなんじまでですか", ("none", None)),
        ("mineoのスマホがこわれました。しゅうりできますか", ("none", None)),
        ("我老婆要回国半年，她的docomo号先给我用着行不行", ("sim-transfer-law", "docomo")),
    ],
)
def test_simple_japanese_and_lending_a_number(
    engine: Engine, text: str, expected: tuple[str | None, str | None]
) -> None:
    reply = engine.ask(text)
    got = ("none", None) if reply.decision == "none" else (reply.id, reply.carrier)
    assert got == expected


@pytest.mark.parametrize(
    "turns",
    [
        (
            "Hi! I teach English at a junior high in Saitama, I'm on Y!mobile",
            "my co-teacher is on Rakuten and always runs out before payday",
            "can I send her some of my gigs?",
        ),
        (
            "店長の私はソフトバンクです",
            "シフトに入ってる子がワイモバで、いつもギガ足りないって。私から分けられます？",
        ),
        ("小弟在京都讀研 用IIJ", "室友用nuro 月底常常斷糧 想分流量給他 有解嗎"),
        (
            "My sister just landed at Narita, she got a travel eSIM from Klook",
            "it's almost out already lol",
            "can I send her data from my HIS Mobile line?",
        ),
        ("my daughter uses docomo", "佢可唔可以transfer啲data俾我部phone？我用HK esim"),
        ("來日本出差一週，用的是在台灣買的eSIM", "同事的日本門號可以分流量給我嗎？他用軟銀"),
    ],
)
def test_two_peoples_carriers_told_in_separate_turns_are_giving_between_carriers(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.id, reply.carrier) == ("gifting-overview", None)


def test_the_same_carrier_confirmed_is_not_between_carriers(engine: Engine) -> None:
    turns = ("我老公用docomo", "唔係 係softbank 佢可唔可以分啲data俾我 我都係softbank")
    assert chat(engine, *turns)[-1].carrier == "softbank"
    hers = chat(engine, "his的卡流量用完了 儿子能帮我买点吗 他不是his的")[-1]
    assert (hers.id, hers.carrier) == ("top-up-for-friend", "his-mobile")


def test_a_new_question_after_a_fresh_start_is_about_the_users_own_line(engine: Engine) -> None:
    turns = (
        "私ソフトバンク、娘もソフトバンク、同じ家族です",
        "今度は別件で、余ったギガって翌月に残りますか",
    )
    reply = chat(engine, *turns)[-1]
    assert (reply.id, reply.carrier) == ("carryover", "softbank")
    general = chat(engine, "我用softbank", "换个问题，哪家能送流量")[-1]
    assert (general.id, general.carrier) == ("gifting-overview", None)


@pytest.mark.parametrize(
    "turns",
    [
        ("员工手机都连办公室Wi-Fi", "办公室那个Wi-Fi密码咋改，老被隔壁蹭"),
        (
            "tethering works now, thanks",
            "how do I find the wifi password on the router at our apartment?",
        ),
        (
            "my phone keeps saying storage almost full",
            "is that about gigs or something else? how do I free up space",
        ),
        ("子どものキッズケータイをauで契約したい", "キッズケータイの月額っていくら？"),
        ("お疲れ様です", "ちょっと聞きたいことがあるんですけど、今大丈夫ですか"),
    ],
)
def test_near_misses_after_an_answer_get_no_entry(engine: Engine, turns: tuple[str, ...]) -> None:
    reply = chat(engine, *turns)[-1]
    assert reply.decision in ("none", "smalltalk")
    assert reply.id is None


@pytest.mark.parametrize(
    "turns",
    [
        ("我用緊澳門電訊張卡漫遊", "日本朋友用docomo", "佢可唔可以送啲ギガ俾我用"),
        (
            "I'm still on my Vodacom SIM from home, roaming",
            "My flatmate here has docomo. Can she send me some of her gigs?",
        ),
    ],
)
def test_the_users_line_from_home_is_remembered_across_turns(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    replies = chat(engine, *turns)
    assert replies[-1].context.abroad
    assert (replies[-1].id, replies[-1].carrier) == ("gifting-overview", None)


@pytest.mark.parametrize(
    "turns",
    [
        ("我给媳妇儿开上热点了，好使", "就是那热点密码是一串乱码，咋改成好记的啊"),
        ("我docomo这个月流量还剩十几个G", "对了我手机才64G存储，老满了，咋清理啊"),
        ("我用林莫的", "店里那个wifi的密码我忘记了怎么找回来"),
        ("I'm on docomo", "what's a decent kids' phone for my son and how much a month?"),
        ("mineo能结转吗", "mineo有没有学生套餐"),
        ("Y!mobile能结转吗", "Y!mobile的合约是几年"),
    ],
)
def test_passwords_storage_kids_phones_and_contracts_are_out_of_scope(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    assert chat(engine, *turns)[-1].decision == "none"


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (
            (
                "can I pay for extra data on my wife's softbank line",
                "what about my brother in law, he's on au",
            ),
            ("top-up-for-friend", "au"),
        ),
        (
            ("我这个淘宝上买的日本卡 十五天的 流量用完了", "我女儿能不能在她手机上帮我充一点"),
            ("top-up-for-friend", "tourist-sim"),
        ),
        (
            ("we have 家族割 with softbank", "does that let us share ギガ between our phones"),
            ("multi-line-share", "softbank"),
        ),
        (("mineo那个フリータンク是啥玩意", "一个月能取多少啊"), ("mineo-free-tank", "mineo")),
    ],
)
def test_in_laws_a_taobao_sim_our_phones_and_taking_from_the_tank(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str]
) -> None:
    """A brother-in-law is family (not the law); a SIM bought on Taobao is a travel SIM; data
    shared between our phones is sharing; how much one takes from the tank is the tank."""
    reply = chat(engine, *turns)[-1]
    assert (reply.id, reply.carrier) == expected


@pytest.mark.parametrize(
    "turns",
    [
        ("我女儿都可摩的开热点给我要钱伐", "那个都可摩的店里面有没有会讲中文的 我想自己去问问"),
        ("我这个淘宝买的卡", "微信视频打回去老是一卡一卡的 怎么办啊"),
        ("mineoに乗り換え検討中", "mineoって昼休みの速度どのくらい出ます？"),
        ("楽天 tethering OK", "楽天のeSIM、iPhone変えたらどうやってtransferするの"),
    ],
)
def test_shop_staff_lagging_calls_speed_and_moving_an_esim_are_out_of_scope(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    assert chat(engine, *turns)[-1].decision == "none"


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (
            (
                "grad student at tsukuba, I'm on rakuten",
                "my labmate is on ahamo and always runs out by the 20th, can i send her some of my data",
            ),
            ("gifting-overview", None),
        ),
        (
            (
                "my wife just arrived on a dependent visa and we both got docomo",
                "we call each other all day which is fine, what i want to know is can our two lines "
                "pull from one data pool",
            ),
            ("multi-line-share", "docomo"),
        ),
        (
            ("我用mineo 服务员小周用povo", "我在mineo生成个礼品码发他微信 他能输进去用吗"),
            ("gifting-overview", None),
        ),
    ],
)
def test_a_labmate_a_fine_day_and_a_code_sent_by_wechat(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    """A labmate is a friend; "which is fine" is not a fine; WeChat is how a code is sent."""
    reply = chat(engine, *turns)[-1]
    assert (reply.id, reply.carrier) == expected


@pytest.mark.parametrize(
    "turns",
    [
        ("老公張esim可以開hotspot 正", "仲有 沖繩邊度換日元個rate好啲"),
        ("個仔張esim可以分享熱點", "Klook買咗嘅美麗海水族館飛 可唔可以轉名俾親戚"),
    ],
)
def test_changing_money_and_tickets_after_an_answer_are_out_of_scope(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    assert chat(engine, *turns)[-1].decision == "none"


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (
            ("auの余ったギガって翌月に繰り越せる？", "なんで私のプランはできへんの"),
            ("carryover", "au"),
        ),
        (
            ("im on ahamo, does my leftover data roll over", "why not lol other carriers do"),
            ("carryover", "ahamo"),
        ),
        (("喺香港我哋可以同屋企人分享數據", "點解日本啲電訊公司唔得"), ("why-no-gifting", None)),
        (
            (
                "孫が香港から遊びに来てて、ギガが足りないって言うとる",
                "わしはauなんやけど、孫にデータプレゼントってできるんか？孫は香港で買うたeSIMや",
            ),
            ("gifting-overview", None),
        ),
        (("我个仔用紧au", "佢可唔可以买流量送畀我 我用嘅系淘宝买嘅卡"), ("gifting-overview", None)),
    ],
)
def test_why_of_a_carry_over_answer_and_travel_sims_bought_at_home(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    """ "Why not?" of a carry-over answer asks about that answer (Japan's carriers against those
    at home ask why none can give); an eSIM bought in Hong Kong or on Taobao is a travel SIM,
    so giving to it from a Japanese line is between carriers."""
    reply = chat(engine, *turns)[-1]
    assert (reply.id, reply.carrier) == expected


@pytest.mark.parametrize(
    "turns",
    [
        ("UQ 繰り越し 有冇", "OK 另外 hotel check-in 可唔可以早過3點"),
        (
            "can my travel esim hotspot my gf's phone",
            "thx. where's the best place to exchange HKD to yen in osaka",
        ),
        ("儿子的流量能不能给我", "算了 我问问别的 酒店的wifi怎么连 房间里没写密码"),
    ],
)
def test_hotels_and_currency_after_an_answer_are_out_of_scope(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    assert chat(engine, *turns)[-1].decision == "none"


@pytest.mark.parametrize(
    "last",
    [
        "なるほど、じゃあ申し込んでみます",
        "ほな、そうするわ",
        "行 那我让她自己买吧",
        "ok I'll just use hotspot then",
        "okok",
    ],
)
def test_what_the_user_will_do_after_an_answer_is_small_talk(engine: Engine, last: str) -> None:
    """A chat's last word that says what the user will now do, asking nothing, gets a short
    reply, not the answer again."""
    for first in ("ahamo能开热点吗", "mineo能送流量给朋友吗"):
        reply = chat(engine, first, last)[-1]
        assert (reply.decision, reply.id) == ("smalltalk", None)


@pytest.mark.parametrize(
    ("last", "expected"),
    [
        ("ok I'll use hotspot then, is it free?", ("tethering", "ahamo")),
        ("なるほど、じゃあ申し込んでみます。無料ですか", ("tethering", "ahamo")),
        ("ok gonna switch to mineo, can i gift there?", ("mineo", "mineo")),
    ],
)
def test_a_question_after_what_the_user_will_do_is_answered(
    engine: Engine, last: str, expected: tuple[str, str]
) -> None:
    reply = chat(engine, "ahamo能开热点吗", last)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize("last", ["ok fine", "いいね！", "行吧", "那算了", "😂"])
def test_a_shrug_after_an_answer_is_small_talk(engine: Engine, last: str) -> None:
    reply = chat(engine, "docomo能送流量吗", last)[-1]
    assert reply.decision != "answer"
    assert reply.id is None


@pytest.mark.parametrize(
    "turns",
    [
        ("linemo使ってる", "iPhoneの分割ってあと何回残ってるかどこで見れる？"),
        ("ahamo つかってます", "ベトナムに でんわ かけると いくらですか"),
        ("ワイモバイルです", "家族割って何人まで割引になる？"),
    ],
)
def test_installments_calls_and_discounts_after_a_carrier_are_out_of_scope(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    assert chat(engine, *turns)[-1].decision == "none"


@pytest.mark.parametrize(
    "text",
    [
        "IIJmio的流量可以分給同一個帳號下的其他門號嗎",
        "iijmio 2 line same account. can move data line 1 to line 2?",
    ],
)
def test_data_moved_between_lines_of_one_iijmio_account(engine: Engine, text: str) -> None:
    """Between one's own IIJmio lines data is shared (multi-line-share), and IIJmio's gifting
    answer says the same in its first line ("only between lines of one mioID"): both answer."""
    reply = engine.ask(text)
    assert reply.decision == "answer"
    assert (reply.id, reply.carrier) in {("multi-line-share", "iijmio"), ("iijmio", "iijmio")}


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # a correction naming the phone as the company's keeps the topic
        (("softbank可以開熱點嗎", "不是 我是說docomo 公司配的那支"), ("tethering", "docomo")),
        # 同屋 is a roommate in Cantonese (同屋企人 stays family)
        (
            ("HIS加數據幾錢一G？", "可唔可以幫同屋加？佢都係HIS"),
            ("top-up-for-friend", "his-mobile"),
        ),
        (("想同屋企人分data用", "我哋四個人 用緊旅遊eSIM"), ("multi-line-share", "tourist-sim")),
        # "or not" asks yes or no; it does not set family aside
        (
            ("UQ mobile can share data with family or not ah? my 哥哥 also in japan, same UQ",),
            ("multi-line-share", "uq-mobile"),
        ),
        # "he'll pay the bill" is who pays, not a bill question out of scope
        (
            (
                "leaving Japan in March for good",
                "can my colleague just take over my Y!mobile SIM? he'll pay the bill",
            ),
            ("sim-transfer-law", "ymobile"),
        ),
        # a working-holiday visa is who is asking, not a visa question
        (
            ("打工度假簽證一年，想辦門號，要選哪家比較划算？想要流量多一點，偶爾開熱點給室友用",),
            ("choose-plan", None),
        ),
        # data given to a junior for a red packet is cash for data, not the platforms seen before
        (
            ("煤炉上看到有人卖mineo的礼物码", "那我送学弟流量 他发我个红包 这算卖吗"),
            ("cash-for-data", "mineo"),
        ),
        # both lines in the user's own name: no SIM changes hands
        (
            ("povo买的トッピング能分给我另一张povo卡吗", "两张都是我自己名下的"),
            ("multi-line-share", "povo"),
        ),
        (
            (
                "ALT in rural Shimane here. my JTE keeps running out of data on her docomo plan and "
                "I'm swimming in leftover gigs on my Rakuten unlimited. any way to beam her some? lol",
            ),
            ("gifting-overview", None),
        ),
        (("is there a family discount if we share data on ahamo?",), ("multi-line-share", "ahamo")),
        (
            (
                "Does SoftBank let me share data with my kid's phone?",
                "He's 12, it'd be a smartphone, same family discount group",
            ),
            ("multi-line-share", "softbank"),
        ),
        # codes "flogged" cheap are codes sold; "legit or nah?" asks about buying them
        (
            ("someone on the uni Discord is flogging povo codes dead cheap", "legit or nah?"),
            ("sell-data-platforms", "povo"),
        ),
        # paying by credit card is how the gift is paid, not a SIM card
        (("au的データプレゼント要多少錢", "可以用信用卡付嗎"), ("au-data-present", "au")),
        # money given the one who opens the hotspot is cash for data
        (
            ("儿子说有同学想从他那买流量", "一个月给他1000日元 让他开热点 这样可以吗"),
            ("cash-for-data", None),
        ),
        # the user's own other line of one mioID is sharing, no SIM changes hands
        (
            ("IIJmio能送流量吗", "那给我自己另一张卡呢 同一个mioID下面的"),
            ("multi-line-share", "iijmio"),
        ),
        # the phone's internet connected to a game console is the hotspot
        (
            (
                "正月に孫たちが遊びにくるのだが",
                "わしのスマホのインターネットを孫のゲーム機につないでやりたい",
                "お金はかかるのかね ラインモです",
            ),
            ("tethering", "linemo"),
        ),
        # buying the codes someone bought on Xianyu: still the codes sold there
        (
            ("有个员工说在闲鱼上买了便宜的日本流量码", "靠谱吗 我也想买点给店里用"),
            ("sell-data-platforms", None),
        ),
        # a line taken over by the next teacher is a line handed over
        (
            (
                "my JET contract ends in July",
                "can the incoming ALT just take over my au line? saves her the hassle",
            ),
            ("sim-transfer-law", "au"),
        ),
        # a code from a campaign is what is sold, not a campaign question
        (
            ("i got povo promo code from campaign, can i sell to my senior? he pay 500 yen",),
            ("sell-data-platforms", "povo"),
        ),
        # charging for the hotspot just answered is cash for data
        (
            (
                "Is it legal to let a friend use my hotspot in Japan?",
                "and what if I charge them a bit for it, like 500 yen a day",
            ),
            ("cash-for-data", None),
        ),
        # data given "like PayPay" is data, whatever the classifier heard in PayPay
        (
            ("我刚用PayPay给老公转了钱", "那流量能不能像PayPay那样直接转给别人啊"),
            ("gifting-overview", None),
        ),
        (
            (
                "寮の子がテザリングで他の子からお金を取っていると聞きまして",
                "テザリングでお金を取るのは問題になりますか",
            ),
            ("cash-for-data", None),
        ),
        # codes someone sells, bought for a daughter: still the codes sold
        (
            ("我在蝦皮看到有人賣日本的流量兌換碼", "很便宜，可以買給女兒用嗎？"),
            ("sell-data-platforms", None),
        ),
        # but a travel SIM bought on Taobao, topped up for its owner, is a top-up
        (
            ("老家亲戚来日本玩 淘宝上买了张日本卡", "她流量快没了 我在日本这边帮她充点行不"),
            ("top-up-for-friend", "tourist-sim"),
        ),
        # wifi used at home is how little data they need, not a home-internet question
        (
            ("育儿期间基本在家用wifi 手机流量每月剩一大半 该换个什么样的套餐",),
            ("choose-plan", None),
        ),
        # a field trip is no travel SIM
        (
            (
                "is it legal to let my students connect to my hotspot on a field trip? lol asking for real",
            ),
            ("tethering", None),
        ),
        # a SIM opened in one's own name for someone else, for money, is what the law is about
        (("有人找我用在留卡帮他开手机卡 一张给5000日元 能干吗",), ("sim-transfer-law", None)),
        # for the shop's customer service is what the line is for, not a support question
        (("日本哪家卡月租最便宜 主要给店铺客服用 流量用得很少",), ("choose-plan", None)),
    ],
)
def test_context_and_money_for_data_read_for_the_question(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    """Session 39's blind sets: what a message tells beside its question (a company phone, a
    visa, wifi at home, whose lines they are) and money paid for data, read for the question."""
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


def test_an_aside_asked_by_the_way_is_not_a_follow_up(engine: Engine) -> None:
    """ "順便問…" about something this bot does not cover is out of scope (a question with
    laughter after its 嗎 still asks); a detail added with "btw" at the end goes on."""
    aside = chat(engine, "IIJmio可以送流量嗎", "了解 謝啦 順便問JASM附近有全聯嗎哈哈")[-1]
    assert aside.decision == "none"
    detail = chat(
        engine,
        "I share a room with 2 Japanese students, we all use IIJmio",
        "can we pool our data together?",
        "we're each on our own account btw",
    )[-1]
    assert (detail.decision, detail.id, detail.carrier) == ("answer", "multi-line-share", "iijmio")


@pytest.mark.parametrize(
    "turns",
    [
        # a video app's traffic is not mobile data
        ("护理实习的前辈说抖音流量能赚钱", "日本这边抖音的流量怎么变现啊"),
        # discounts
        ("IIJmioって家族割あるの？",),
        ("does UQ have a discount for health workers?",),
        ("IIJmio没用完的流量能结转吗", "好 那IIJmio有没有育儿优惠 家里刚生了宝宝"),
        (
            "ドコモって家族でギガを分けられますか",
            "じゃあドコモの家族割って何人まで割引になりますか",
        ),
        ("彼氏もUQにしたいって", "UQ mobileの家族割 is how much?"),
        ("ドコモの法人契約なんですが", "台数が増えたら割引ってありますか"),
        ("聽說UQ有家族割", "可以便宜多少？"),
        ("ワイモバイル o celular quebrou a tela, conserto quanto custa?",),
        # call rates, a penalty for cancelling, a bank account handed over
        ("au打国内 一分钟几块",),
        ("what's the penalty for cancelling docomo early, I'm leaving in July",),
        (
            "my part time job company is asking bank account",
            "Can I give my japanese bank account to my friend when I go back to Sri Lanka?",
        ),
    ],
)
def test_discounts_call_rates_and_other_near_misses_are_out_of_scope(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    assert chat(engine, *turns)[-1].decision == "none"


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # "回したい" gives data to someone ("来月に回したい" still carries it over)
        (
            ("父が自分の余ったギガを私に回したいって言ってる", "二人ともIIJmioだけど契約は別々"),
            ("iijmio", "iijmio"),
        ),
        (("余ったギガを来月に回したい",), ("carryover", None)),
        # renewing a travel SIM's data ("能续吗", "续流量") is topping it up, not paying a person
        (
            ("淘宝买的日本卡流量快没了 能续吗",),
            ("tourist-sim", "tourist-sim"),
        ),
        (("飞猪买的日本卡流量用完了 还剩三天 怎么续流量",), ("tourist-sim", "tourist-sim")),
        (("我想幫我阿媽部電話加data", "佢用UQ"), ("top-up-for-friend", "uq-mobile")),
        # a line added to one's mioID is a line of the same account
        (
            (
                "妻が昨日来日しました。私はIIJmioです",
                "妻の回線を私と同じmioIDに追加したら、私のギガをプレゼントできますか",
            ),
            ("multi-line-share", "iijmio"),
        ),
        # "does Japan have this kind?" after an answer about every carrier: that answer
        (
            ("爸爸说他来出钱，给我们姐弟三个人办一个共享流量的套餐", "日本有这种吗"),
            ("multi-line-share", None),
        ),
        (
            ("爸爸说他来出钱，给我们姐弟三个人办一个共享流量的套餐", "日本にそういうのある？"),
            ("multi-line-share", None),
        ),
        # the law, asked again for family with a procedure
        (
            ("兄が帰国するので、兄名義の回線を私が引き継ぎたい", "兄弟でも何か手続き必要？"),
            ("sim-transfer-law", None),
        ),
        # "LINEMOの私の…": the user's own carrier, said after its name
        (
            (
                "寮の同室の子、旅行用eSIMのギガが足りないらしい。"
                "LINEMOの私のテザリングにつながせるのってアリ？",
            ),
            ("tethering", "linemo"),
        ),
        # giving leftover data away is not money for data, whatever the classifier heard
        (
            ("can I give my leftover data to my roommate", "we're both on softbank btw"),
            ("softbank", "softbank"),
        ),
        (("can I give my leftover data to my friend",), ("gifting-overview", None)),
        # whose name a line is in, said after a question about sharing, is a detail
        (
            ("孩子用的ymobile，我也是ymobile，能把我的流量分给她吗", "她是我女儿，在我名下签的"),
            ("multi-line-share", "ymobile"),
        ),
        (
            ("娘のIIJmioと私のIIJmioでギガをあげたりできますか", "娘は自分名義で契約してます"),
            ("multi-line-share", "iijmio"),
        ),
        # "does holafly allow hotspot?" asks about that eSIM, not the carrier asked before
        (
            (
                "is tethering free on softbank",
                "never mind, she just bought a new esim. does holafly allow hotspot?",
            ),
            ("tethering", "tourist-sim"),
        ),
        # a colleague who recommends a carrier is not on it; the husband on another is
        (
            ("同事推荐我换mineo说能互送流量，可是我老公是povo的，我换过去以后能给他送流量吗",),
            ("gifting-overview", None),
        ),
        # a visa waiver is context, not the question
        (
            (
                "I'm on a 90-day visa waiver so no normal contract for me. Bought an Airalo 20GB "
                "eSIM. My partner burned through hers — can I gift her some of my Airalo data?",
            ),
            ("tourist-sim", "tourist-sim"),
        ),
        # "楽天から乗り換えてmineoにした": Rakuten is left behind
        (
            ("楽天から乗り換えてmineoにした。パケットギフトってどこから送るの？彼女もmineo",),
            ("mineo-packet-gift-howto", "mineo"),
        ),
        # the user's own carrier is not the one the boyfriend was said to be on
        (
            (
                "群里有人问过吗 povo和au之间能送流量吗",
                "就是男朋友au我povo，都是KDDI家的应该可以吧？",
            ),
            ("gifting-overview", None),
        ),
        # more data bought after a carry-over answer: whether the old data is extended
        (
            (
                "does povo data carry over?",
                "what if I buy another topping, does the old one get extended?",
            ),
            ("carryover", "povo"),
        ),
        # "行街" (going shopping) is a detail, not an "ok"
        (
            ("阿爺部電話冇data，我用我嘅esim點樣share俾佢？", "佢成日同我一齊行街嘅"),
            ("tourist-sim", "tourist-sim"),
        ),
        # "法例" is the law: "is it because the law forbids it?" still asks why
        (("日本點解冇得送data㗎？大陸都得", "係咪因為法例唔俾？"), ("why-no-gifting", None)),
        # a travel eSIM bought on Shopee
        (
            ("我媽的旅遊eSIM流量用完了，我能在網站上幫她加嗎", "她是在蝦皮買的"),
            ("top-up-for-friend", "tourist-sim"),
        ),
        # no fibre in the dorm is why the hotspot matters: which plan to choose
        (
            (
                "在鸟取读研，宿舍不让装光纤，平时全靠手机开热点上网课写论文，"
                "一个月五六十G，用哪家最划算？",
            ),
            ("choose-plan", None),
        ),
        # carry-over said in Cantonese and Nepali English
        (
            ("上次嚟東京淨返兩GB未用，下次再嚟日本仲用唔用得？係Klook買嘅",),
            ("carryover", "tourist-sim"),
        ),
        (
            ("sir ek question, uq mobile ma unused data next month ma jancha ki jadaina?",),
            ("carryover", "uq-mobile"),
        ),
        # the hotspot's limit asked after its price, whoever it serves
        (
            ("乐天开热点给孩子电脑用要钱吗", "有上限吗 孩子网课一天要好几个G"),
            ("tethering", "rakuten"),
        ),
        # money for the hotspot is a question of its own, even after a choice was offered
        (
            ("我手机是乐天无限流量的", "有个员工说每个月给我500日元，让他蹭我的热点，这样可以吗？"),
            ("cash-for-data", None),
        ),
        # travel SIMs bought in Hong Kong or Taiwan, or on Taobao for someone
        (
            ("我喺香港買咗張日本eSIM先用住", "去到福岡可唔可以開熱點俾老公部機用？"),
            ("tethering", "tourist-sim"),
        ),
        (
            (
                "台湾から留学で来てる彼女、台湾で買った日本用のeSIM使ってる",
                "俺auなんだけど、彼女にギガあげられる？",
            ),
            ("gifting-overview", None),
        ),
        # selling in kana, a hotspot as "make wifi"
        (("Cho em hỏi, ギガ うる できますか？ em cần tiền gửi về nhà",), ("cash-for-data", None)),
        (
            (
                "company dormitory wifi broken, can i use my phone data make wifi for 3 people? "
                "i use biglobe",
            ),
            ("tethering", "biglobe"),
        ),
        (
            ("IIJmio能给孩子的卡分流量吗", "孩子的卡就是在我名下开的"),
            ("multi-line-share", "iijmio"),
        ),
        # "share my data with my coworker" gives it to another person
        (("can i share my data with my coworker?",), ("gifting-overview", None)),
        (
            ("can i share my data with my coworker?", "oh wait, I'm on povo and she's on au"),
            ("gifting-overview", None),
        ),
        # "legit?" with why it is asked, after money for data: still that answer
        (
            (
                "someone in our Filipino group chat buys leftover gigs for cash",
                "legit ba? sayang kasi yung data ko",
            ),
            ("cash-for-data", None),
        ),
        # letting a coworker use the hotspot just answered
        (
            ("楽天モバイルのテザリングって無料？", "夜勤の休憩中に同僚に使わせてあげたい"),
            ("tethering", "rakuten"),
        ),
        # "we're on LINEMO, not softbank": the same question for the carrier both are on
        (
            ("can my wife and I pool our data on softbank?", "sorry, we're on LINEMO not softbank"),
            ("multi-line-share", "linemo"),
        ),
        # sending to a grandchild's number is giving
        (
            ("auのデータプレゼントとやらのやり方を教えてくれんか", "孫の番号に送りたいんじゃ"),
            ("au-data-present", "au"),
        ),
        # FOMA is docomo's
        (
            (
                "昔のFOMAの携帯を押し入れに何台も持っています。使っていないSIMカードを知り合いに譲ってもいいですか。",
            ),
            ("sim-transfer-law", "docomo"),
        ),
        # an old contract is which contract, not a question of its own
        (
            (
                "can I add data to my roommate's OCN line?",
                "we both have OCN Mobile ONE, old contracts",
            ),
            ("top-up-for-friend", "ocn-mobile-one"),
        ),
        # travel SIMs bought on Fliggy
        (
            ("我老公下个月来日本探亲，在飞猪买了日本卡", "他流量不够的话我能帮他充吗"),
            ("top-up-for-friend", "tourist-sim"),
        ),
        # both lines in one person's name: one contract, shared
        (
            ("我和儿子想办个家庭套餐一起用流量，日本有这种吗", "我们打算办IIJmio，都用他的名字"),
            ("multi-line-share", "iijmio"),
        ),
        # an elderly person's phone named beside data is still about data
        (
            (
                "孫がauなので私もauにしました。データプレゼントというのはらくらくホンからでもできますか",
            ),
            ("au-data-present", "au"),
        ),
    ],
)
def test_session_40_readings(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    "turns",
    [
        ("両親が来るので空港でポケットWi-Fiをレンタルしたい", "返却ってどこでするの？"),
        (
            "parents are visiting and want to send me some money for rent",
            "any fee to receive an international transfer into my yucho account?",
        ),
        (
            "my partner just moved to tokyo from london",
            "can i add her to my apple music family plan?",
        ),
        ("家里群在说要不要给爷爷买个老人机", "日本有适合老人的手机推荐吗"),
        ("我们家wifi坏了，我先用docomo开热点给室友用", "顺便问下docomo光的报修电话是多少"),
        ("孩子的手机是docomo的", "docomo的学生优惠现在还有吗"),
        ("softbank能给家人分流量吗", "softbank的家族割要住在一起才行吗"),
        ("我家用的J:COM，流量能送给孩子吗", "J:COMのネット回線の工事っていつ来る？"),
        ("J:COM的流量可以送人嗎", "J:COM的電視有中文台嗎"),
        ("Ate paano mag-reissue ng eSIM sa Rakuten? Nasira phone ko sa duty kahapon",),
        ("ドコモのテザリングって無料？", "あと息子のスマホのフィルタリングってどう設定するの"),
        ("ドコモで家族にギガ送れる？", "そっか。じゃあプラン変更って手数料かかる？"),
        ("闲鱼上买的日本esim，到了日本发现激活不了，卖家也不理我，怎么办啊",),
        ("Touch 'n Go eWallet 在日本能付款吗，还是要换现金",),
        ("米内奥送流量那个码爷爷弄好了 孙子收到了", "孙子 爷爷手机上的字太小了 怎么调大一点"),
        ("可以開熱點給隊友嗎 我們都是旅遊卡", "登山用的離線地圖App推薦哪個"),
        (
            "乐天开热点要钱吗？儿子说他室友老蹭他的网",
            "那乐天的店周末要预约吗，我想陪他去把合约改一下",
        ),
        ("公公的手机是docomo的", "怎么帮他把LINE的字体调大"),
        ("au能送流量吗", "公公搬家了，au的住址怎么改"),
        ("楽天のテザリングは無料？", "病院のWi-Fiって私物のスマホつないでいいのかな"),
        ("is there a family discount on Y!mobile for a second line?", "how much cheaper is it"),
        ("ガラケーからスマホにしたいけど、一番安い機種はどれですか。パケット代も心配です。",),
    ],
)
def test_session_40_near_misses_are_out_of_scope(engine: Engine, turns: tuple[str, ...]) -> None:
    assert chat(engine, *turns)[-1].decision == "none"


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # not reading the Japanese site is why the steps are asked, not a subject
        (
            ("mineo能送流量给孩子吗", "要怎么操作？日本的网站我看不太懂"),
            ("mineo-packet-gift-howto", "mineo"),
        ),
        # how much at a time is the free tank's limit
        (("mineoのフリータンク是啥", "每个月几号能领？一次能拿多少"), ("mineo-free-tank", "mineo")),
        # being broke is not a broken phone
        (("which sim is best for a broke ALT who hotspots a lot",), ("choose-plan", None)),
        # "then I would not need to buy her data": not a question about buying
        (
            (
                "我老婆刚来日本 她的卡是LINEMO 我是Y!mobile 我流量用不完 可以分给她吗 酱的话就不用帮她加购了",
            ),
            ("gifting-overview", None),
        ),
        # must the receiver be on mineo too? the roommate is on Rakuten: between carriers
        (
            ("mineo送流量要钱吗", "那对方也必须是mineo吗？我室友用的乐天"),
            ("gifting-overview", None),
        ),
        # is *that* allowed, the carrier said again: its rules, not the SIM law
        (
            (
                "my friend on povo says she can send me a code with some free gigs",
                "is that allowed? I'm on povo too",
            ),
            ("povo", "povo"),
        ),
        (
            (
                "my 教頭 asked if he can use my hotspot during the 研修",
                "is that against the rules on LINEMO?",
            ),
            ("tethering", "linemo"),
        ),
        # bought data after a carry-over answer: how long it lasts, whether it carries over
        (
            ("LINEMO没用完的流量下个月还有吗", "那我自己买的追加流量能用多久"),
            ("carryover", "linemo"),
        ),
        (("ymobile啲data用唔晒可唔可以留到下個月", "咁另外買嗰啲data呢"), ("carryover", "ymobile")),
        # someone on another carrier asks about the free tank, which nobody gives
        (
            ("フリータンクって何ですか？", "うちの新人も使えます？彼は楽天なんですけど"),
            ("mineo-free-tank", "mineo"),
        ),
        # whether the carrier still takes new customers is on its card
        (
            ("OCNモバイルONEの繰り越しってどうなってる？", "そもそも今から新規で申し込める？"),
            ("ocn-mobile-one", "ocn-mobile-one"),
        ),
        (
            ("换了三次主意了哈哈", "最后决定OCN", "OCN现在还能新办吗"),
            ("ocn-mobile-one", "ocn-mobile-one"),
        ),
        # a hotspot's speed limit, asked by someone who shares it to a laptop
        (("povo的熱點要另外開通嗎", "會不會被限速？我想分給學長的筆電用"), ("tethering", "povo")),
        # connecting the grandchildren "wirelessly" from one's phone is the hotspot
        (
            (
                "孫が来たら、わしのスマホから無線でつないでやればよいと娘が言う",
                "申し込みは要るのかのう。わしはドコモじゃ",
            ),
            ("tethering", "docomo"),
        ),
        # povo's data cards sold at a konbini, bought for a friend
        (
            (
                "the konbini sells those povo cards, can I buy one and give it to my mate for his povo?",
            ),
            ("top-up-for-friend", "povo"),
        ),
        # paid to sign up a SIM for someone: the law
        (
            (
                "スタッフが「SIMを契約してくれたら1万円払う」とSNSで声をかけられたそうです。危ないですか。",
            ),
            ("sim-transfer-law", None),
        ),
        # "excuse me, my son says he is on ahamo, not docomo": a correction
        (
            ("请问docomo能把流量分给别人吗", "不好意思，我儿子说他是ahamo，不是docomo"),
            ("ahamo", "ahamo"),
        ),
        # "UQ is au's cheap version" describes; moving au data to her UQ is between carriers
        (
            ("我媳妇儿用的UQ", "我用的au", "她说UQ就是au的便宜版，那我au的流量能直接划给她不"),
            ("gifting-overview", None),
        ),
        # "把乐天的流量转到docomo那个号": from one carrier's line to another's
        (("我想把乐天的流量转到docomo那个号上面用可以吗",), ("gifting-overview", None)),
        # the employer's side named late: the same topic for that carrier
        (
            ("能不能把我的号加到老公公司的套餐里，一起用流量", "公司那边用的是softbank"),
            ("multi-line-share", "softbank"),
        ),
        (("ソフトバンク的テザリング要申込吗", "会社の携帯也一样吗"), ("tethering", "softbank")),
        # which ones can carry over, asked in Cantonese
        (("LINEMO唔可以結轉？咁嘥嘅", "咁有邊幾間可以結轉"), ("carryover", None)),
        # "can my LINEMO receive it?" after a friend on mineo offered: between carriers
        (
            ("同屋個日本仔用mineo", "佢話可以送流量俾我，我LINEMO收唔收到"),
            ("gifting-overview", None),
        ),
        # adding data to the girlfriend's number
        (("LINEMO加data幾錢一GB", "可唔可以幫女朋友個number加？"), ("top-up-for-friend", "linemo")),
        # connecting her to the hotspot just asked about
        (
            ("LINEMOってテザリングできる？", "彼女が香港から来るので、つなげてあげたい"),
            ("tethering", "linemo"),
        ),
        # keeping a travel eSIM's data for the next visit
        (
            ("旅行用eSIMの残りのギガ", "次に日本に来る時まで取っておける？"),
            ("carryover", "tourist-sim"),
        ),
    ],
)
def test_session_41_readings(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    "turns",
    [
        ("does ahamo carry over unused data?", "ok. also can I pay my ahamo bill at a konbini?"),
        ("家族割ってどれくらい安くなるんでしょう…ソフトバンクで4回線なんですけど",),
        ("IIJmioの料金はコンビニで払うことができますか", "クレジットカードがないですから"),
        ("微信视频跟孙子聊天费不费流量 一个小时要用多少", "爷爷的卡是淘宝买的日本卡 一天1个G"),
    ],
)
def test_session_41_near_misses_are_out_of_scope(engine: Engine, turns: tuple[str, ...]) -> None:
    assert chat(engine, *turns)[-1].decision == "none"


@pytest.mark.parametrize(
    "turns",
    [
        ("好的，我再跟老公商量一下",),
        ("mineo能送流量吗", "好的，我再跟老公商量一下"),
        ("thanks bot", "u da best 🙌"),
    ],
)
def test_session_41_small_talk(engine: Engine, turns: tuple[str, ...]) -> None:
    assert chat(engine, *turns)[-1].decision == "smalltalk"


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # which carriers can, asked after why most cannot
        (
            ("为什么日本的运营商都不能送流量啊 国内随便送", "那有没有能送的"),
            ("gifting-overview", None),
        ),
        (
            ("why can't japanese carriers gift data", "so are there any that can?"),
            ("gifting-overview", None),
        ),
        # home carriers told of after why: not a receiver abroad
        (
            ("为啥日本运营商大部分不让送流量 国内移动联通都能转", "那au具体怎么送？要钱吗"),
            ("au-data-present", "au"),
        ),
        # how to give on a named carrier, read alone
        (("au具体怎么送？要钱吗",), ("au-data-present", "au")),
        # the extra data bought, after a carry-over answer
        (("LINEMO用唔晒嘅流量會唔會留到下個月", "買多咗嘅1G呢？"), ("carryover", "linemo")),
        (
            ("does linemo carry over unused data", "what about the extra 1GB I bought?"),
            ("carryover", "linemo"),
        ),
        # taking over the daughter's SIM
        (
            (
                "娘が来月から中国に留学するんですが、日本の回線はどうすればいいでしょう",
                "ahamoなんですが、娘のSIMを私が引き取って使ってもいいんですか",
            ),
            ("sim-transfer-law", "ahamo"),
        ),
        # "damn" between two messages keeps who is on what
        (
            (
                "kenji's gf is on mineo and he's on povo, can she send him data",
                "damn",
                "what if he switches to mineo too",
            ),
            ("mineo", "mineo"),
        ),
        # a broken Wi-Fi is why the hotspot is wanted; the carrier said late
        (
            (
                "学生さんの部屋のWi-Fiが壊れたので、直るまで私のスマホからテザリングで使わせてあげたい",
                "ドコモです",
            ),
            ("tethering", "docomo"),
        ),
        # paid for a line handed over
        (
            ("我明年回国 ahamo的卡能留给学妹继续用吗", "她说每个月给我打钱 这样可以吗"),
            ("sim-transfer-law", "ahamo"),
        ),
        # the same two carriers the other way round
        (
            (
                "留学生に聞かれたんですが、楽天モバイルからmineoの子にギガ送れますか",
                "すみません逆でした、mineoの子から楽天の子へ",
            ),
            ("gifting-overview", None),
        ),
        # the lending side of a hotspot named
        (
            (
                "面接の間だけ友達にテザリングしてもらうのはアリですよね",
                "貸す側がソフトバンクだと申し込みいる？",
            ),
            ("tethering", "softbank"),
        ),
        # a plan of the same carrier corrected to; a carrier left out stays out
        (
            ("ドコモってギガ繰り越しできる？", "いや、ドコモじゃなくてirumoだった。同じか"),
            ("carryover", "docomo"),
        ),
        (("有哪些运营商剩的流量能带到下个月", "乐天以外的，乐天我知道不行"), ("carryover", None)),
        # "Rakuten Mobile, not Rakuten Ichiba", then "yes, the SIM"
        (
            ("乐天的流量能送人吗", "我说的是楽天モバイル 不是乐天市场那个", "对 就是手机卡"),
            ("rakuten", "rakuten"),
        ),
        # both on one carrier, supposed after giving between two
        (
            ("私はmineo、妹はUQ。妹にギガあげたい", "UQ同士だったらいける？妹の彼氏もUQだし"),
            ("uq-mobile", "uq-mobile"),
        ),
        # the user pays for the other's data
        (
            (
                "我用softbank，伙記用ワイモバ，我可唔可以幫佢買多啲流量",
                "佢話個月尾先出糧，我幫佢俾住先",
            ),
            ("top-up-for-friend", "ymobile"),
        ),
        (
            ("淘宝买的日本卡流量用完了能续吗", "能帮同事那张续吗 钱我来出"),
            ("top-up-for-friend", "tourist-sim"),
        ),
        # the SIM handed over, whatever state the phone or the SIM is in
        (
            ("寒假要回台灣一個月，門號可以先給室友用嗎？還是要去辦停話？",),
            ("sim-transfer-law", None),
        ),
        (("手上有一批没激活的ahamo卡，想挂煤炉上卖，可以吗",), ("sim-transfer-law", "ahamo")),
        (
            ("メルカリで中古スマホ買ったらpovoのSIMも付いてきた。これ使っていいやつ？",),
            ("sim-transfer-law", "povo"),
        ),
        # data still there on the next visit
        (
            (
                "if I don't use all my data will it still be there when I come back to japan in december?",
                "it's an airalo esim btw",
            ),
            ("carryover", "tourist-sim"),
        ),
        # the brand's parent said beside a correction
        (
            (
                "Y!mobile能不能把流量给员工用啊，我名下那张用不完",
                "啊不好意思打错了，是LINEMO，不是Y!mobile，都是软银家的我老搞混",
            ),
            ("linemo", "linemo"),
        ),
        # the gifting feature used for someone whose SIM is on another carrier
        (
            (
                "au的データプレゼント是不是能给别人买流量",
                "那我能用它给仓库小王送吗？小王的卡是docomo的",
            ),
            ("gifting-overview", None),
        ),
        (
            ("mineoのパケットギフトってどうやるの", "友達のSIMはドコモなんだけど送れる？"),
            ("gifting-overview", None),
        ),
        (("mineo能送流量吗", "我能把我的卡给小王吗 他是docomo的"), ("sim-transfer-law", "docomo")),
        # "are docomo and the others all like that?" after why
        (
            ("楽天モバイル、ギガ送れないのはなんで？", "ドコモとかも全部そうなの？"),
            ("why-no-gifting", None),
        ),
        # another device on the sharing plan just answered
        (
            ("softbank的データシェアプラス可以加手機嗎", "那平板呢，最多可以掛幾台"),
            ("multi-line-share", "softbank"),
        ),
        # the receiver's SIM described as cheap, not a plan asked for
        (
            (
                "mineo送流量具体咋整啊，我打算给我小舅子送点，他刚来福冈打工",
                "对方是不是也得是mineo才能收？他现在用的是那种便宜的格安卡，不知道哪家的",
            ),
            ("mineo", "mineo"),
        ),
        # where the eSIM was bought, not a market
        (
            (
                "お客さんのeSIMがもう切れそうで、私のお金でなんとかギガを足してあげたいんやが",
                "お客さんは中国の淘宝で買うたeSIMらしいです",
            ),
            ("top-up-for-friend", "tourist-sim"),
        ),
        # data bought up for gift cards is selling it
        (
            ("有人在推特上收剩餘流量 說可以換Amazon gift card", "is that legit or a scam?"),
            ("sell-data-platforms", None),
        ),
        # selling the leftover data to someone, after a carrier's answer: money for data
        (
            ("does povo let me gift data", "can I sell it to someone instead"),
            ("cash-for-data", "povo"),
        ),
        (
            ("I have like 20GB left every month on softbank", "can I sell it to someone? lol"),
            ("cash-for-data", "softbank"),
        ),
        # a carrier swap with its add-ons' validity, after carry-over
        (("ahamo有流量结转吗", "那povo呢 我老公说povo的topping有有效期"), ("carryover", "povo")),
    ],
)
def test_session_42_readings(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    "turns",
    [
        ("ahamoって娘が上海に行っても使えますか", "向こうでのデータ通信料は1日いくらになりますか"),
        ("SoftBank月結單喺邊度睇？要download返嚟報公司數",),
        (
            "うちで売ってるpovoのギガチャージカード、POSでスキャンしてもエラーになるんだけど、どこに問い合わせればいい？",
        ),
        ("公司啱啱換咗部新iPhone俾我", "張esim點樣由舊機轉過去"),
        ("povo送唔送到data俾人", "咁ギガ活點樣儲多啲"),
        (
            "Y!mobileって家族でギガ分け合えます？",
            "それとは別に、センターの貸出用ポケットWi-Fiってどこでレンタルするのがいいですか",
        ),
        ("二手手机怎么激活",),
        ("Y!mobile能送流量吗", "另外女儿的手机想设个儿童过滤，Y!mobile有没有免费的过滤服务"),
    ],
)
def test_session_42_near_misses_are_out_of_scope(engine: Engine, turns: tuple[str, ...]) -> None:
    assert chat(engine, *turns)[-1].decision == "none"


@pytest.mark.parametrize("turns", [("damn",), ("mineo能送流量吗", "唉 好可惜")])
def test_session_42_small_talk(engine: Engine, turns: tuple[str, ...]) -> None:
    assert chat(engine, *turns)[-1].decision == "smalltalk"


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (
            ("ahamoのギガって友達に送れる？", "あ、まちがえた！povoだった。ゆいのお姉ちゃんがpovo"),
            ("povo", "povo"),
        ),
        (
            ("ahamoってギガ繰り越せないよね？", "てか povo の topping って期限あるの？"),
            ("carryover", "povo"),
        ),
        (("povo の topping って期限あるの？",), ("carryover", "povo")),
        (
            (
                "淘宝买了两张日本esim，我老婆刷视频肯定不够用，我的能不能匀几个G给她？",
                "那只能开热点给她了是吗",
            ),
            ("tethering", "tourist-sim"),
        ),
        (
            ("我们买的esim是15天的，滑完雪想在札幌多玩两天", "能不能在自己手机上直接续两天？"),
            ("tourist-sim", "tourist-sim"),
        ),
        (("教练用的povo", "他能送点流量给我们吗？我们是旅游esim"), ("gifting-overview", None)),
        (
            (
                "is there a way to sell my leftover data before i leave? like on mercari",
                "or does anyone buy povo codes? i have a couple from campaigns",
            ),
            ("sell-data-platforms", "povo"),
        ),
        (
            ("室友的Y!mobile沒用完的流量可以留到下個月嗎", "那她另外加買的0.5GB也可以一起留嗎"),
            ("carryover", "ymobile"),
        ),
        (
            (
                "息子がpovoで、ギガが足りないと言ってきます。私がトッピングを買って息子の回線に入れてやることはできますか",
                "支払いは私のカードでいいんですが",
            ),
            ("top-up-for-friend", "povo"),
        ),
        (
            (
                "My 教頭 wants to 譲る his old phone line to me. 名義変更 needed? We're colleagues not family",
            ),
            ("sim-transfer-law", None),
        ),
        (
            (
                "孫が遊びに来たとき、私のスマホのギガを孫のゲーム機で使わせてやれますか。UQモバイルです",
            ),
            ("tethering", "uq-mobile"),
        ),
        (("喺香港CSL同3都可以share data俾屋企人 點解日本冇呢樣嘢㗎",), ("why-no-gifting", None)),
        (
            ("乐天的流量能送给越南的家人吗", "就是我老婆，在胡志明，用Viettel的卡"),
            ("gifting-overview", None),
        ),
        (("用his的卡能送流量吗",), ("his-mobile", "his-mobile")),
        (
            (
                "侄女说她那张卡可以送流量给别人，好像是ahamo？我要是也办一张ahamo能收她送的流量吗",
                "啊不对不对 她刚回我微信 说是mineo 不是ahamo 我记混了",
            ),
            ("mineo", "mineo"),
        ),
        (
            (
                "我妈她在淘宝上买了张日本卡，30天那种",
                "我自己是povo 能不能把我的トッピング分一点给她啊 她那张快用完了",
            ),
            ("gifting-overview", None),
        ),
        (
            (
                "我老公说他docomo每个月剩20多个G 想送点给他妹妹",
                "哦对了 他妹妹用的是乐天 不是docomo",
            ),
            ("gifting-overview", None),
        ),
        (
            (
                "can I send some of my data to my dad's phone? I'm on Rakuten",
                "he's got an Airalo eSIM btw, bought it back in Bangalore",
            ),
            ("gifting-overview", None),
        ),
        (
            (
                "スタッフの中国人の子が、SIMを後輩にそのまま譲りたいって言ってる",
                "それって何か手続きいるの？auなんだけど",
            ),
            ("sim-transfer-law", "au"),
        ),
        (
            ("我用LINEMO 同事小张用mineo说她能送流量给别人", "但是我不是mineo啊 她能送给我吗"),
            ("gifting-overview", None),
        ),
        (
            ("我妹妹下个月从武汉来大阪玩一周", "她说会在飞猪买日本卡 我IIJmio的流量能送给她吗"),
            ("gifting-overview", None),
        ),
        (
            ("OCN的流量能不能分给iPad用", "说错了 是BIGLOBE 我老公以前办的 现在还在交钱"),
            ("multi-line-share", "biglobe"),
        ),
        (
            (
                "can my wife top up my data for me? we share one credit card",
                "btw i'm on povo, she's on a travel eSIM",
            ),
            ("top-up-for-friend", "povo"),
        ),
        (
            (
                "can i give my old sim to my junior for 2 month, he has no bank acc yet. problem with police?",
            ),
            ("sim-transfer-law", None),
        ),
        (
            ("我对象在沈阳用联通，我在日本用乐天，能把我这边日本的流量给他转过去不？",),
            ("gifting-overview", None),
        ),
        (
            (
                "PTAで修学旅行の連絡係をしています。保護者同士で余ってる人から分けてあげるってできる？キャリアはみんなバラバラです",
            ),
            ("gifting-overview", None),
        ),
        (
            (
                "公司给我配的docomo手机 流量用不完",
                "能不能分给我自己的iPad用啊，iPad里插的是另一张卡",
            ),
            ("multi-line-share", "docomo"),
        ),
        (
            (
                "auの私のギガを部員に分けてやることってできますか？",
                "部員はドコモとかソフバンとか楽天とか、みんなバラバラです",
            ),
            ("gifting-overview", None),
        ),
        (
            (
                "good morning from Hiroshima!",
                "quick one: a chap at the hostel offered to buy my leftover data off me for a few thousand yen. Is that even legal here?",
            ),
            ("cash-for-data", None),
        ),
        (
            (
                "我係嚟東京探個仔嘅 佢喺香港幫我買咗張日本esim",
                "啲數據就嚟用晒喇 我個仔可唔可以分啲俾我呀 佢用軟銀嘅",
            ),
            ("gifting-overview", None),
        ),
        (
            (
                "我個仔用SoftBank 可唔可以開熱點俾我部手機睇YouTube",
                "要唔要另外俾錢㗎 定係要去舖頭申請",
            ),
            ("tethering", "softbank"),
        ),
        (
            (
                "我们准备都办mineo，听说它能送流量",
                "那我们两口子的流量能不能合在一起共用 不用每次送来送去",
            ),
            ("multi-line-share", "mineo"),
        ),
        (
            ("mineo有没有那种大家把多余流量捐出来的公共池子", "大概每个月几号开始能领"),
            ("mineo-free-tank", "mineo"),
        ),
        (
            (
                "日本的手机卡咋都不能送流量啊，国内移动联通都能转赠",
                "是技术上做不到还是咋回事？感觉好不方便",
            ),
            ("why-no-gifting", None),
        ),
        (
            (
                "povo carryover?",
                "like if I buy the 3gb/30 day topping and don't use it all in 30 days, is the rest just gone",
            ),
            ("carryover", "povo"),
        ),
        (
            (
                "can I share my povo referral code with the other interns?",
                "and if I get bonus gigs from ギガ活, can I pass those on to someone?",
            ),
            ("povo", "povo"),
        ),
        (
            (
                "does povo have any family sharing thing?",
                "wait actually she'd use a travel esim from airalo. could I top that up for her from my phone?",
            ),
            ("top-up-for-friend", "tourist-sim"),
        ),
        (
            (
                "meine Kollegin Frau Suzuki hat docomo und ich hab povo",
                "kann sie mir ein paar ギガ schicken?",
            ),
            ("gifting-overview", None),
        ),
        (
            (
                "導遊說他是用docomo的，他的流量很多用不完",
                "他可以分給我們團員嗎？我們都是在台灣買的eSIM",
            ),
            ("gifting-overview", None),
        ),
        (
            ("auのデータプレゼントって何？", "いくらかかるん？小遣いで払えるレベル？"),
            ("au-data-present", "au"),
        ),
        (
            (
                "闺女在京都念研究生，用的是mineo的卡。我过去看她住一个月，介个流量她能匀给我点不？",
                "我在飞猪上买的日本esim，30天那种",
            ),
            ("gifting-overview", None),
        ),
        (
            ("實驗室學姊用mineo", "她說可以送流量給我耶 真的假的", "啊我忘了說我是樂天"),
            ("gifting-overview", None),
        ),
        (
            (
                "我老婆下个月从上海过来玩两周，她在淘宝买了张日本esim，我自己用的是povo，到时候她流量不够了我能分点给她吗？",
            ),
            ("gifting-overview", None),
        ),
        (
            (
                "UQ mobile the data that stay, go to next month?",
                "and if I buy extra gigas, this also stay?",
            ),
            ("carryover", "uq-mobile"),
        ),
        (
            (
                "部下がpovoのキャンペーンでもらったコードをメルカリで売ろうとしてる",
                "これまずいよね？",
            ),
            ("sell-data-platforms", "povo"),
        ),
    ],
)
def test_session_43_readings(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    "turns",
    [
        ("APEXのping、楽天回線だと夜めっちゃ悪いんだけど回線のせい？",),
        ("mineo能送流量给同事吗", "知道了。另外mineo的卡回越南能用吗，要开什么"),
        ("老公刚来 his phone keeps saying no SIM", "插了我给他的softbank卡也读不到"),
        ("IIJmio开热点有限制吗", "好的。另外想问下 实验室的测序数据太大了 怎么传给合作方最快"),
        ("台中のホテルのWi-Fiが遅すぎて仕事にならん", "現地のSIM買った方がいいかな"),
    ],
)
def test_session_43_near_misses_are_out_of_scope(engine: Engine, turns: tuple[str, ...]) -> None:
    assert chat(engine, *turns)[-1].decision == "none"


@pytest.mark.parametrize(
    "turns",
    [
        ("蝦皮買的日本卡可以送流量給別人嗎", "好喔謝謝你，你人真好😊 日本玩得很開心"),
        ("你好 在吗", "在新大久保 想问问日本手机卡的事", "哈哈 算了 店里来客人了 明天再问"),
    ],
)
def test_session_43_small_talk(engine: Engine, turns: tuple[str, ...]) -> None:
    assert chat(engine, *turns)[-1].decision == "smalltalk"


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (
            ("IIJmioのギガ 下个月まで使える？", "じゃあ再下个月は？两个月后还在吗"),
            ("carryover", "iijmio"),
        ),
        (
            (
                "auの余ったギガって翌月に繰り越せますか",
                "昔はできた気がするんだけどなぁ…今のプランだとダメ？",
            ),
            ("carryover", "au"),
        ),
        (
            (
                "友達同士でギガを分けてあげることってできるんですか？",
                "クラスの半分くらいは楽天モバイルで、あとはドコモとかauとかソフトバンクとかバラバラです",
            ),
            ("gifting-overview", None),
        ),
        (
            (
                "回国前 我的IIJmio的卡 能不能直接给学弟用 不解约",
                "他说他可以帮我每个月交话费，是通话卡",
            ),
            ("sim-transfer-law", "iijmio"),
        ),
        (
            ("ギガを现金に换える方法ってある？", "闲鱼じゃなくて日本のアプリで、メルカリとか"),
            ("sell-data-platforms", None),
        ),
        (("展会上我想收费给人开热点，一人一天500日元，这样合规吗？",), ("cash-for-data", None)),
        (
            (
                "ahamoのお客様から「テザリングって申込いるの？」って質問。ドコモ本体と同じ扱いでいいんでしたっけ",
            ),
            ("tethering", "ahamo"),
        ),
        (
            (
                "阿杰是au 我昨天用那个データプレゼント给他送了1G",
                "送过去的那1G他能用多久啊？会不会月底就清零",
            ),
            ("au-data-present", "au"),
        ),
        (
            (
                "孫がお正月に帰ってきたとき、ギガが足りないと言っていました",
                "私のドコモのスマホから孫の携帯にWi-Fiみたいにつなげてあげるのは、お金がかかりますか",
            ),
            ("tethering", "docomo"),
        ),
        (
            (
                "職員室の先生たちに聞いたらみんなドコモだった",
                "is there any way for them to share gigs with me? 私はIIJmioです",
            ),
            ("gifting-overview", None),
        ),
        (
            (
                "povo data doesnt roll over right?",
                "like if i buy 3gb and dont finish it in 30 days",
            ),
            ("carryover", "povo"),
        ),
        (
            ("so povo cant send data to friends?", "why tho?? in korea SKT lets you gift data lol"),
            ("why-no-gifting", "povo"),
        ),
        (
            ("我用緊樂天 無限嗰個plan", "開熱點俾部PS5打機直播 使唔使另外俾錢"),
            ("tethering", "rakuten"),
        ),
        (
            (
                "辞めた運転手仲間がスマホ置いてったんだけど",
                "あいつのワイモバのSIM抜いて俺が使ってもええの？",
            ),
            ("sim-transfer-law", "ymobile"),
        ),
        (("落天卡开热点 工地那台平板没有卡 要先申请吗",), ("tethering", "rakuten")),
        (("有没有人收UQ剩的流量哦，想换点生活费",), ("cash-for-data", "uq-mobile")),
        (
            ("我实习三年到期回国了这张卡能直接给新来的实习生用不会不会犯法啊他说每月给我打钱",),
            ("sim-transfer-law", None),
        ),
        (
            ("我儿子用软银的，能不能把流量送给他同学", "哎呀搞错了，他刚跟我说是乐天，不是软银"),
            ("rakuten", "rakuten"),
        ),
        (
            ("嫁がフリータンクがどうとか言ってた", "あれって何？mineoなら誰でも使えるの？"),
            ("mineo-free-tank", "mineo"),
        ),
        (
            (
                "今次嚟福岡食拉麵屋台，喺Klook買咗張旅遊esim，攝影師部機同一間嘅esim仲有好多數據，"
                "佢可唔可以轉啲俾我？",
            ),
            ("tourist-sim", "tourist-sim"),
        ),
        (
            (
                "random q, is there any japan carrier where a family can share one data plan",
                "like for expats not tourists",
            ),
            ("multi-line-share", None),
        ),
        (
            ("can my Airalo data be shared with my son's phone", "sorry I meant Ubigi not Airalo"),
            ("tourist-sim", "tourist-sim"),
        ),
        (("SoftBank開熱點使唔使錢㗎", "咁LINEMO呢？我諗住轉過去"), ("tethering", "linemo")),
        (("can 2 povo lines share one data pool",), ("multi-line-share", "povo")),
        (
            (
                "ドコモのデータプラスって家族の回線とも分けられる？",
                "じゃあ会社支給のタブレットは？同じ名義なら行ける？",
            ),
            ("multi-line-share", "docomo"),
        ),
    ],
)
def test_session_44_readings(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


def test_session_44_near_misses_are_out_of_scope(engine: Engine) -> None:
    """ "解约要交违约金不": 不 at the end asks; the fee is no detail of the law's answer. A
    phone's font size after tethering, a carrier's student discount and paying a bill by card
    are no follow-ups either."""
    for turns in [
        ("娘のスマホ、auにしようと思っています", "学割はありますか？"),
        ("ahamoってテザリング無料？", "ありがと！あとahamoって学割ある？親に聞けって言われた"),
        ("我们家的IIJmio话费", "能改成用老婆的信用卡付吗"),
    ]:
        assert chat(engine, *turns)[-1].decision == "none", turns
    turns = ("我爸妈走之前 我想把给他们办的那张ahamo解约", "解约要交违约金不")
    assert chat(engine, *turns)[-1].decision == "none"
    turns = (
        "テザリングのこと、よくわかりました",
        "それと、らくらくスマホの文字をもっと大きくするにはどうしたらいいでしょうか",
    )
    assert chat(engine, *turns)[-1].decision == "none"


@pytest.mark.parametrize(
    "turns",
    [("うっす",), ("J:COMモバイルってギガあげれる？", "わからんならいいや、ありがと〜")],
)
def test_session_44_small_talk(engine: Engine, turns: tuple[str, ...]) -> None:
    assert chat(engine, *turns)[-1].decision == "smalltalk"


def test_session_45_small_talk(engine: Engine) -> None:
    """ "はいはい、どうも〜" after an answer: an acknowledgement and thanks."""
    turns = ("UQからauにはギガ送れないってのは分かった", "はいはい、どうも〜")
    assert chat(engine, *turns)[-1].decision == "smalltalk"


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # a campaign's code given on: the carrier's rules on codes, not a campaign question
        (
            (
                "povo的紹介コード可以发给同学吗",
                "那campaign送我的ボーナスコード呢，能转给labmate用吗",
            ),
            ("povo", "povo"),
        ),
        # a dialect's "not X but Y" corrects the carrier
        (
            (
                "J:COM MOBILEってギガを家族にあげられますか",
                "すみません間違えました、J:COMじゃのうてUQモバイルでした",
            ),
            ("uq-mobile", "uq-mobile"),
        ),
        # Vietnamese "tặng data" gives; the friend's other carrier then makes it cross-carrier
        (
            ("mineo có thể tặng data cho bạn không?", "その友達はソフトバンクなんじゃが"),
            ("gifting-overview", None),
        ),
        # a card bought on Fliggy is a travel SIM
        (
            ("我喺飞猪买咗张日本卡 可唔可以开热点俾我个助理部电脑用？",),
            ("tethering", "tourist-sim"),
        ),
        # buying data for a grandchild "instead of sending money": the money is context
        (
            (
                "孫の携帯（auです）に、お金ば出してギガを買うてやることはできますか。"
                "仕送りの代わりにと思いまして",
            ),
            ("top-up-for-friend", "au"),
        ),
        # a hotspot opened for money is selling data
        (("收錢開熱點俾同事用會唔會犯法㗎？",), ("cash-for-data", None)),
        # how many lines, after a carrier's pooling
        (("IIJmioってギガまとめられる？", "何回線まで？"), ("multi-line-share", "iijmio")),
        # round three: a day's trains and a number kept are context, "补充下" adds a detail,
        # "pool our data" shares, a husband's company is no carrier, a restated "no" is asked
        (
            ("我們每天都在坐新幹線，流量用得很兇。旅遊eSIM今天沒用完的流量可以留到明天嗎？",),
            ("carryover", "tourist-sim"),
        ),
        (
            (
                "娘が日本の番号を残しておきたいと言うのでahamoにしたんですが、"
                "使わなかったギガって翌月に繰り越せるんでしょうか",
            ),
            ("carryover", "ahamo"),
        ),
        (
            ("乐天每个月没用完的流量月底会清零吗", "哦补充下 我是3GB以内那档 1078日元的"),
            ("carryover", "rakuten"),
        ),
        (
            ("my wife and I are both on softbank, separate contracts", "any way to pool our data?"),
            ("multi-line-share", "softbank"),
        ),
        (
            ("ahamo開熱點使唔使錢", "咁docomo正價plan呢？老公公司果張係docomo"),
            ("tethering", "docomo"),
        ),
        (("so povo has no gifting between users",), ("povo", "povo")),
        # round four: "tell me about" with filler, a campaign's code given on, 店子 are people
        (
            ("介绍一下Y!mobile吧 我用了三年都不太清楚它能干嘛不能干嘛",),
            ("ymobile", "ymobile"),
        ),
        (
            ("tell me about mineo real quick, i'm on it but never read the fine print",),
            ("mineo", "mineo"),
        ),
        (
            ("I got a promo code from a povo campaign, can I give it to my friend?",),
            ("povo", "povo"),
        ),
        (
            (
                "auのデータプレゼント、送る相手もauやないとあかんの？",
                "ほな店子の子が楽天モバイルやったら無理っちゅうことか",
            ),
            ("gifting-overview", None),
        ),
        # round five: lines pooled "合一块用", how many lines in a share group
        (
            ("我名下办了两张povo 一张主力一张备用", "俩卡的流量能合一块用不"),
            ("multi-line-share", "povo"),
        ),
        (
            ("can my ipad share the same data pool as my phone on IIJmio?", "how many lines max?"),
            ("multi-line-share", "iijmio"),
        ),
        # round six: paid by WeChat is cash for data, reading WeChat later is context
        (("有没有啥办法把多余的流量换成钱", "比如卖给同学 他微信转我"), ("cash-for-data", None)),
        (
            ("mineo的パケットギフト到底在哪弄啊", "那生成的那个码多久会失效？同事一般晚上才看微信"),
            ("mineo-packet-gift-howto", "mineo"),
        ),
    ],
)
def test_session_45_readings(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


def test_session_45_home_internet_and_near_misses(engine: Engine) -> None:
    """A phone used as home internet asks which plan; a carrier's rate for calling abroad, a
    rental car's ETC card and parental time limits are out of scope."""
    reply = chat(
        engine,
        "whats the best carrier for someone who basically uses their phone as home internet? "
        "rural-ish area, maybe 80-100GB a month, hotspotting a laptop + switch",
    )[-1]
    assert reply.decision != "none"
    assert "choose-plan" in {reply.id, *(c.target.key() for c in reply.candidates)}
    turns = (
        "Rakuten tethering is free right",
        "ok and what's Rakuten's rate for calling China? she calls her mom every day",
    )
    assert chat(engine, *turns)[-1].decision == "none"
    # a rental car's ETC card; a carrier's parental time limits after its sharing
    assert chat(engine, "租車嘅 ETC 卡點用㗎？高速公路收費係咪會自動扣")[-1].decision == "none"
    turns = (
        "請問docomo的流量可以分給小孩嗎",
        "另外想問 docomo有沒有可以限制小孩晚上玩遊戲時間的設定",
    )
    assert chat(engine, *turns)[-1].decision == "none"
    turns = ("阿嬤問說用日本的電話卡打回台灣家裡", "打市話一分鐘大概多少錢")
    assert chat(engine, *turns)[-1].decision == "none"
    turns = ("ahamo开热点免费对吧", "另外我换了pixel，ahamo的esim怎么重新下载啊，一直报错")
    assert chat(engine, *turns)[-1].decision == "none"
    for turns in [
        (
            "is it possible to share my travel esim data with a friend",
            "does the JR Kyushu pass cover it?",
        ),
        ("孫さ小遣い送りてぇんだばって", "スマホで中国さお金ば送れるんだべか"),
        ("softbank开热点要申请是吧", "另外店里想拉个网 softbank air和光回线哪个好用啊"),
    ]:
        assert chat(engine, *turns)[-1].decision == "none", turns


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # the same question, with ahamo's add-on, "still no?"
        (
            (
                "ahamo每個月30GB我成日用唔晒，可唔可以留返去下個月用？",
                "咁加咗大盛り嗰個110GB呢？都係唔得？",
            ),
            ("carryover", "ahamo"),
        ),
        # who the SIM goes to, said after the question: the same question
        (
            (
                "我明年三月返香港，部docomo電話卡可唔可以直接俾同事繼續用？佢幫我交月費",
                "佢係日本人同事嚟，唔係屋企人",
            ),
            ("sim-transfer-law", "docomo"),
        ),
        # adding data, then "not to mine, to another person's line": topping up for them
        (
            (
                "日本通信SIMってギガ追加できます？",
                "あ、私のじゃなくてスタッフの子の回線に、です。足りないって言うから",
            ),
            ("top-up-for-friend", "nihon-tsushin"),
        ),
        (("ahamo能加流量吗", "不是给我 是给我朋友加"), ("top-up-for-friend", "ahamo")),
        (
            ("can I buy extra data on povo?", "not for me, for my friend's line"),
            ("top-up-for-friend", "povo"),
        ),
        # "I meant UQ not au, my phone's on UQ": UQ is meant, only au is corrected away
        (
            (
                "Can I pool data between my phone and my iPad on au? and is it free?",
                "sorry I meant UQ mobile not au, my phone's on UQ. brain fog from kanbun class",
            ),
            ("multi-line-share", "uq-mobile"),
        ),
        # two people's carriers told after a gifting question, "if that matters"
        (
            (
                "My roommate wants to give me 3GB since I burned through mine streaming the NBA, "
                "is that even a thing in Japan?",
                "he says he's on mineo. I'm on IIJmio if that matters",
            ),
            ("gifting-overview", None),
        ),
        # what au's present costs: its entry, not cash for data
        (
            ("au的データプレゼント 是送自己剩下的流量吗", "啊？就是说得自己掏钱买？一个G多少米"),
            ("au-data-present", "au"),
        ),
        # a carrier that cannot, then which can: the others
        (
            ("ok so rakuten doesn't do gifting. which carrier actually does?",),
            ("gifting-overview", None),
        ),
        (("乐天不能送流量 那哪家可以",), ("gifting-overview", None)),
        (("楽天はギガ送れないんだよね、どこならできる？",), ("gifting-overview", None)),
        # giving data (譲る) to a junior is no SIM hand-over
        (
            ("後輩にギガ譲りたいんやけど、どうしたらええ？", "二人ともマイネオやで"),
            ("mineo-packet-gift-howto", "mineo"),
        ),
        (
            (
                "sorry my english not good",
                "i have 2 phone, can share data between phone? i use IIJmio",
            ),
            ("multi-line-share", "iijmio"),
        ),
        (
            (
                "My 家 got 3 people, all IIJmio, all under my name. Can share データ容量 together or not? 怎么 set up",
            ),
            ("multi-line-share", "iijmio"),
        ),
        # round two: only the carrier's add-on, "the same?": the question again
        (
            ("ahamo的テザリング要申し込み吗", "大盛り的话也一样吗，会不会另外收钱"),
            ("tethering", "ahamo"),
        ),
        (
            (
                "Good day. Is there a difference between ahamo and docomo concerning the gifting "
                "of data? I would like to understand whether ahamo as a sub-brand has other rules.",
            ),
            ("gifting-overview", None),
        ),
        (
            (
                "Hello, I would like to inquire whether the carrier LINEMO offers any possibility "
                "to transfer unused data volume to another LINEMO subscriber. Best regards",
            ),
            ("linemo", "linemo"),
        ),
        (
            (
                "我用乐天老公用docomo，我们想两个人都换到同一家，可以共享流量的那种",
                "IIJmio可以吗？听说便宜",
            ),
            ("multi-line-share", "iijmio"),
        ),
        (
            ("povo有那個推薦碼對吧，可以給朋友用嗎", "那我因為推薦拿到的3GB可以再轉給學妹嗎"),
            ("povo", "povo"),
        ),
        (
            (
                "Kindly tell whether LINEMO unused data will carry forward to next month",
                "Ok and for SoftBank main brand what is the rule?",
            ),
            ("carryover", "softbank"),
        ),
        (
            (
                "先輩用Y!mobile，她说可以加子卡分流量",
                "那她能给我办一张吗？我们不是一家人，就是同事",
            ),
            ("multi-line-share", "ymobile"),
        ),
        # round three
        (
            ("ahamo用唔晒嘅數據會唔會過期", "點解唔可以留落下個月㗎，好嘥"),
            ("carryover", "ahamo"),
        ),
        (
            ("我仔用povo，用唔晒嘅數據可唔可以留到下個月？", "咁樂天呢？佢同事叫佢轉樂天"),
            ("carryover", "rakuten"),
        ),
        (
            (
                "A chap at our ryokan reckons I should get a proper Japanese SIM for the remaining "
                "two months. Mostly maps and WhatsApp. Any suggestions?",
                "Right-o. And would povo let me pass data to the wife?",
            ),
            ("povo", "povo"),
        ),
        (
            (
                "Our host in Takayama is on SoftBank and very kindly offered to share some of his "
                "data with us",
                "We're on Holafly eSIMs, if that matters. Can he?",
            ),
            ("gifting-overview", None),
        ),
        (
            (
                "Someone on a Facebook group said to sell my unused eSIM data on Mercari before we "
                "fly home. Is that a thing?",
                "Fair enough. What about simply handing the eSIM to a young backpacker at the hostel?",
            ),
            ("sim-transfer-law", None),
        ),
        (
            (
                "旅游esim快到期了，能续吗",
                "老公说他在他手机上付钱帮我续就行，我说肯定得在我手机上弄，谁说得对",
            ),
            ("top-up-for-friend", "tourist-sim"),
        ),
        # round four
        (
            (
                "儿子上小学老师让用平板查作业，可他那平板是wifi版的没插卡，家里光纤还没装好😭 "
                "我能不能把我手机的乐天流量分给他那个平板用啊？会不会另外收钱？",
            ),
            ("tethering", "rakuten"),
        ),
        (
            ("我有两个手机 一个工作用 一个自己用 可以用一个流量吗 我是docomo",),
            ("multi-line-share", "docomo"),
        ),
        (
            (
                "大学のボランティアで、難民申請中の方の生活支援をしております。その方はスマートフォン"
                "をお持ちなのですが、データ容量が足りずにお困りです。私のデータを分けて差し上げること"
                "は可能でしょうか。",
                "私はahamoを使っておりまして、その方はpovoをお使いのようです。",
            ),
            ("gifting-overview", None),
        ),
        (
            (
                "A fellow ALT is finishing her contract in July and wants to hand me her phone "
                "number and SIM so I don't have to sign up for another line",
                "it's a softbank voice sim, she'd stop paying and I'd just take over the bills",
            ),
            ("sim-transfer-law", "softbank"),
        ),
        (
            (
                "俩孩子一个10岁一个6岁，想给大的也办张卡。哪家便宜，最好还能跟我共用流量的？"
                "老公工资就那么点，房租又贵，每个月手机费真不想花太多",
            ),
            ("choose-plan", None),
        ),
        # round five
        (
            (
                "うちの店にベトナム人のスタッフがいて、月末になるとギガが足りないってよく言ってるんです。"
                "日本人のスタッフが余ったギガを分けてあげることってできますか？",
                "ちなみに日本人の子はドコモで、ベトナムの子はpovoです",
            ),
            ("gifting-overview", None),
        ),
        (
            ("Y!mobile系咪可以将用唔晒嘅流量留到下个月", "自己额外买嘅流量都可以留咩？"),
            ("carryover", "ymobile"),
        ),
    ],
)
def test_session_46_readings(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    "turns",
    [
        # "I see", the answer said back or what the user will do, then thanks
        (
            "IIJmioで家族にギガあげられる？娘が大学生で",
            "なるほど、mioIDが同じならね。助かりました！ありがとうございます〜",
        ),
        ("旅遊eSIM可以送流量給朋友嗎", "喔好 那我開熱點給她就好 感恩啦"),
    ],
)
def test_session_46_goodbyes_are_small_talk(engine: Engine, turns: tuple[str, ...]) -> None:
    assert chat(engine, *turns)[-1].decision == "smalltalk"


def test_session_46_asking_if_the_bot_is_human_is_small_talk(engine: Engine) -> None:
    assert chat(engine, "你係咪真人嚟㗎？😳")[-1].decision == "smalltalk"


@pytest.mark.parametrize(
    "question",
    [
        "manaca卡能帮别人充钱吗？室友的manaca没钱了，我想在我这边直接给她充",
        "はやかけんって友達の分もチャージしてあげれる？？",
    ],
)
def test_session_46_transit_cards_are_out_of_scope(engine: Engine, question: str) -> None:
    assert chat(engine, question)[-1].decision == "none"


@pytest.mark.parametrize(
    "turns",
    [
        ("淘宝买的esim能转流量给老婆吗", "另外这个esim能不能从老公旧手机挪到他新买的iPhone上"),
        (
            "寮のWi-Fiが遅いので、楽天モバイルのテザリングでPCを繋ぎたいという相談です",
            "ついでにeduroamの設定方法も学生に案内したいんですが",
        ),
    ],
)
def test_session_46_moving_an_esim_and_eduroam_are_out_of_scope(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    assert chat(engine, *turns)[-1].decision == "none"


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # round one: an aspect of the answer, its carrier told again by a plan's name
        (
            (
                "ワイモバイルって余ったギガ繰り越せますか？",
                "上限ってあります？王さんはシンプル2のMで、毎月5GBくらい余ってるらしいです",
            ),
            ("carryover", "ymobile"),
        ),
        # "冇轉過": never switched, not giving
        (
            ("softbank開熱點要唔要錢㗎 想喺廚房俾部平板睇菜單", "我係舊plan嚟 用咗好多年冇轉過"),
            ("tethering", "softbank"),
        ),
        # "闺女给我办的": who set the SIM up, not giving it
        (
            ("那个热点怎么开 我用的是了天的卡", "了天 就是乐天 说错了 闺女给我办的那个"),
            ("tethering", "rakuten"),
        ),
        # "ただ" opening a sentence is "but", not "free"; mioID is IIJmio's
        (
            (
                "IIJmioだと家族にギガをプレゼントできるって聞きました",
                "ただ王さんのご主人は自分で別に契約していて、mioIDが別なんです。それでもいけますか？",
            ),
            ("iijmio", "iijmio"),
        ),
        (
            ("ソフトバンク で ホットスポット どうやって する？", "ただ ですか"),
            ("tethering", "softbank"),
        ),
        (
            (
                "对比一下：IIJmio 和 mineo，在把流量送给另一个人这件事上，规则分别是什么？",
                "补充条件：对方是我老婆，她是单独一个mioID 自己签的约",
            ),
            ("iijmio", "iijmio"),
        ),
        (
            (
                "我IIJmio的流量能不能送给课题组的日本同事 他也用IIJmio",
                "不过他是自己签的合约 不在我的mioID下面",
            ),
            ("iijmio", "iijmio"),
        ),
        # the hotspot of the line marked as the user's, not of the SIM bought for mum
        (
            (
                "我在蝦皮買的日本esim給我媽用，她來東京玩流量用完了，我自己是樂天，可以開熱點給她嗎？",
            ),
            ("tethering", "rakuten"),
        ),
        # "像国内那种": home, what the question is compared with, not carriers in general
        (
            (
                "我闺女说她和女婿的手机都是乐天的 一家人",
                "能不能几张卡一起用一个流量 像国内那种亲情号共享那样",
            ),
            ("multi-line-share", "rakuten"),
        ),
        # someone sharing some of theirs with the user is giving
        (("我data快用完了 有没有人能share一点给我 我们宿舍都是linemo",), ("linemo", "linemo")),
        # round two: "喺日本公司返工" is where he works, not carriers in general: his povo, her HK eSIM
        (
            ("老公喺日本公司返工 用開povo", "佢可唔可以轉啲GB俾我？我用緊香港買嘅esim"),
            ("gifting-overview", None),
        ),
        # a travel SIM or a number got here: which kind, not the travel SIMs' own question
        (
            (
                "老人来日本玩三周，买旅游卡还是在这边给他们办个号划算？主要就是刷刷微信视频，偶尔导航",
            ),
            ("choose-plan", None),
        ),
        # "ローソンでうってる": where the card is sold, not selling
        (
            (
                "ともだち の povo に ギガ を かって あげたい",
                "コンビニ の カード で できる？ ローソン で うってる",
            ),
            ("top-up-for-friend", "povo"),
        ),
        # "会員ページ" is where it is done, not a membership to give
        (
            ("IIJ的データ容量プレゼント", "是要在会員ページ操作嗎 how exactly 步驟是什麼"),
            ("iijmio", "iijmio"),
        ),
        # "こうはいにうる": selling a voice SIM to a junior
        (
            (
                "らいねん ベトナム に かえります",
                "わたし の SIM を こうはい に うる だいじょうぶ？ でんわ も できる SIM です",
            ),
            ("sim-transfer-law", None),
        ),
        # round three: "公司给办的" is who set it up; 攒 keeps data for later
        (
            (
                "docomo没用完的流量能攒到下个月吗",
                "不是不是 我说错了，公司给办的是ahamo不是docomo，ahamo能攒吗",
            ),
            ("carryover", "ahamo"),
        ),
        # "諗緊轉台": thinking of switching, not giving
        (
            ("povo有冇得開hotspot㗎 想share俾部notebook做功課", "咁LINEMO呢？我諗緊轉台"),
            ("tethering", "linemo"),
        ),
        # how long the data sent lasts, after a gifting answer
        (
            ("要是我们俩都换mineo，我能给她送流量吧", "送过去的流量能用多长时间，月底就清零吗"),
            ("mineo", "mineo"),
        ),
        # "お金ない": why the cheapest, not cashing data in
        (
            (
                "日本でいちばんやすいSIMはどれですか。ギガを友だちとわけたいです",
                "学生なのであまりお金ないです",
            ),
            ("choose-plan", None),
        ),
        # "誕生日プレゼントにしたい": why, not a second act
        (
            (
                "友だちのスマホにギガをかってあげたいです。わたしがお金をはらいます",
                "ともだちはpovoです。誕生日プレゼントにしたい",
            ),
            ("top-up-for-friend", "povo"),
        ),
        # round four: romaji "naze" asks why; ギガ活 is povo's
        (
            (
                "ahamo no giga, tomodachi ni agerarenai desu ka",
                "naze desu ka? Nepaaru dewa dekimasu yo",
            ),
            ("why-no-gifting", "ahamo"),
        ),
        (("ギガ活でもらったコードあるんやけど使わんし友達にあげてもいい系？🎁",), ("povo", "povo")),
        # "dar" is give, and the giga given is data
        (
            ("Oi, eu uso rakuten. posso dar meus giga pro meu irmão, né?",),
            ("rakuten", "rakuten"),
        ),
    ],
)
def test_session_47_readings(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    "turns",
    [
        (
            "Kids keep burning through data on YouTube 🙄",
            "Is there a way to set a daily limit or block apps on their phones?",
        ),
        ("流量的事差不多懂了", "另外 横滨中华街附近有没有docomo店 会中文的那种", "带学妹去办卡"),
    ],
)
def test_session_47_parental_controls_and_shops_are_out_of_scope(
    engine: Engine, turns: tuple[str, ...]
) -> None:
    assert chat(engine, *turns)[-1].decision == "none"


def test_session_47_never_mind_is_small_talk(engine: Engine) -> None:
    reply = chat(
        engine, "乐天用不完的流量能卖钱不？反正也用不完", "哦最贵那档是无限的啊 那算了 哈哈哈"
    )[-1]
    assert reply.decision == "smalltalk"


def test_session_47_renting_a_pocket_wifi_is_out_of_scope(engine: Engine) -> None:
    question = "请问有没有那种 pocket wifi 可以租一个月的，直播用 unlimited 的，best recommend?"
    assert chat(engine, question)[-1].decision == "none"


def test_session_47_thanks_with_a_new_question_is_not_a_goodbye(engine: Engine) -> None:
    reply = chat(
        engine,
        "colleague from Vietnam が聞いてきて、IIJmioでtetheringできる？",
        "OK thanks. あと he wants to know if 余ったギガ carries over to next month on IIJmio",
    )[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "carryover", "iijmio")


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # session 48, round one: "从povo这边" is the side the data leaves from, not a past carrier
        (
            ("povo是不是au旗下的？我朋友用的au，我从povo这边能送她点流量不，反正都是kddi的",),
            ("gifting-overview", None),
        ),
        # a counter clerk explaining ("窓口で説明したい") asks nothing of a shop
        (
            (
                "mineoのフリータンクって、マイネ王の登録がいるんですよね？月に何GBまで引き出せ"
                "るんでしたっけ。窓口で説明したいので",
            ),
            ("mineo-free-tank", "mineo"),
        ),
        # "うったり" sells; a neighbour paying for some of it is cash for data
        (
            (
                "ギガというのは、人にうったりしてもいいものなんでしょうか。近所の人がおかねをは"
                "らうから少しわけてほしいといっています",
            ),
            ("cash-for-data", None),
        ),
        # the phone's data used on a grandson's PC is tethering; "いけないことではない" is
        # no exclusion
        (
            (
                "孫がお正月に帰ってきたとき、わたしのスマホのギガを孫のパソコンにつかわせてもい"
                "いのでしょうか。いけないことではないですか",
            ),
            ("tethering", None),
        ),
        # a son's phone added to the share plan just answered
        (
            (
                "auで家族でデータ容量をシェアするプランってまだありますか",
                "息子（中3）のスマホも入れたいんだけど、名義は私です",
            ),
            ("multi-line-share", "au"),
        ),
        # round two: several of a carrier's topics asked as a list get its card
        (
            (
                "剛來日本三個月，朋友一直推LINEMO，這家到底怎麼樣？像流量可不可以分給別人、用不完"
                "會不會累積這些都想知道",
            ),
            ("linemo", "linemo"),
        ),
        # au's feature named by its name gets its entry, not the top-up cell
        (
            (
                "Mein Kollege ist bei au. Can I pay for 1GB for him via データプレゼント, and how"
                " much is it? I'd use my German Kreditkarte",
            ),
            ("au-data-present", "au"),
        ),
        # pocket money is how it is paid, not money given
        (
            (
                "我的一位中国同学寒假要来日本旅行，他买的是旅游用的eSIM。如果我想用自己的零花钱帮"
                "他购买流量，有什么办法吗？",
            ),
            ("top-up-for-friend", "tourist-sim"),
        ),
        (
            (
                "Is there a carrier where I pay once and my laptop, phone and tablet all pull"
                " from one data bucket? I'm only here until the end of March.",
            ),
            ("multi-line-share", None),
        ),
        # how long the data sent lasts, after a gifting answer
        (
            (
                "要是我和表妹都换成mineo 那是不是就能互相送了",
                "送过去的流量她能用到啥时候 会不会月底就清零了",
            ),
            ("mineo", "mineo"),
        ),
        # "docomo本家" is docomo, asked in a follow-up
        (
            ("ahamo能送流量给别人吗", "那docomo本家呢 我老公爸妈用的是ドコモMAX 流量多得用不完"),
            ("docomo", "docomo"),
        ),
        # "which is like every tuesday" asks no "which"
        (
            (
                "does linemo have rollover??",
                "ok and tethering? need it for testing builds on my laptop when office wifi goes"
                " down, which is like every tuesday lol",
            ),
            ("tethering", "linemo"),
        ),
        # "卖你哦" is mineo said aloud
        (
            (
                "我孙子说日本有个什么卖你哦的卡能送流量是哪个",
                "怎么送你跟我说说我拿本子记下来回头教我孙子",
            ),
            ("mineo-packet-gift-howto", "mineo"),
        ),
        # "她不是软银是那个歪猫拜尔" corrects the carrier she is on
        (
            (
                "我孙子媳妇用的是那个软银的卡她能跟家里人共用流量吗",
                "不对不对她不是软银是那个歪猫拜尔我听岔了",
            ),
            ("multi-line-share", "ymobile"),
        ),
        # round three: the two people's carriers said to be one group ("ソフトバンク系")
        (
            (
                "彼女がLINEMOで俺がソフバン",
                "どっちもソフトバンク系なんだし、ギガ分けるくらいできるよね？",
            ),
            ("gifting-overview", None),
        ),
        # someone's SIM kept and used ("預かってる") is the law's question
        (
            (
                "彼女が夏休みの間成都に帰るんだけど、その間だけ俺が彼女のSIM使ってていい？",
                "いや別に売るとかじゃなくて、預かってるだけのつもり",
            ),
            ("sim-transfer-law", None),
        ),
        (
            ("她流量用完了我还剩很多，干脆把我的sim卡拔下来给她用几天，这样合法吗",),
            ("sim-transfer-law", None),
        ),
        # "a u" is au typed with a space
        (
            (
                "打电话回国内多少钱一分钟啊 我用的a u",
                "算了 那a u能送流两给老婆不 老婆也在大阪 也是a u",
            ),
            ("au", "au"),
        ),
        # how much can be taken from mineo's tank each month
        (
            ("听说mineo有个免废的流两池子 大家往里放 谁都能拿", "每个月能拿多少 啥时候能拿"),
            ("mineo-free-tank", "mineo"),
        ),
        # a share house is where, not sharing; Wi-Fi that cannot connect is why a hotspot
        (
            (
                "share house的網路超爛，晚上根本連不上，我想開熱點給室友用",
                "我是povo欸，這樣可以嗎？要另外付錢嗎",
            ),
            ("tethering", "povo"),
        ),
        (
            (
                "孫の携帯は中国で買ったものですが、こちらでもインターネットは使えるのでしょうか",
                "もし使えない場合、私のスマホからインターネットを飛ばしてあげることはできますか。ドコモです",
            ),
            ("tethering", "docomo"),
        ),
        (
            ("can i use my phone like wifi for my son tablet? he do homework. i use softbank",),
            ("tethering", "softbank"),
        ),
        # round four: the line just answered about, described ("ours is from Klook…")
        (
            (
                "does hotspot on these travel esims actually work? some ppl on reddit say it's blocked",
                "ours is from Klook, Japan 8 days unlimited",
            ),
            ("tethering", "tourist-sim"),
        ),
        (
            (
                "does my travel esim let me hotspot?? jess's phone is dead on data",
                "its a holafly one fwiw, the unlimited one",
            ),
            ("tethering", "tourist-sim"),
        ),
        # the user's own povo line and the friend's povo, after a travel eSIM was guessed
        (
            (
                "hey! travel creator here, shooting in Tokyo for 10 days",
                "can I gift data from my Japanese povo line to my cameraman? he got povo too",
            ),
            ("povo", "povo"),
        ),
    ],
)
def test_session_48_readings(
    engine: Engine, turns: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    reply = chat(engine, *turns)[-1]
    assert (reply.decision, reply.id, reply.carrier) == ("answer", *expected)


@pytest.mark.parametrize(
    "turns",
    [
        ("しらない番号から「料金未納です」と電話がきました。ドコモからでしょうか。こわいです",),
        # the rate of a roaming question not answered is still out of scope
        ("customer wants to know docomo's roaming rates in korea", "is it a daily rate or per mb?"),
        (
            "日本运营商的eSIM profile能否通过SM-DP+远程下发到我们自己的模组上？需要对接哪家的M2M平台",
        ),
    ],
)
def test_session_48_out_of_scope(engine: Engine, turns: tuple[str, ...]) -> None:
    assert chat(engine, *turns)[-1].decision == "none"


def test_session_48_how_are_you_is_small_talk(engine: Engine) -> None:
    assert chat(engine, "heyyy", "how r u doing today")[-1].decision == "smalltalk"
    # (not a greeting inside a question)
    reply = chat(engine, "how are you supposed to gift data on mineo")[-1]
    assert (reply.decision, reply.id) == ("answer", "mineo-packet-gift-howto")


def test_session_48_thanks_with_good_wishes_is_small_talk(engine: Engine) -> None:
    reply = chat(engine, "非常感谢您这么详细的解答，真的帮了大忙！祝您工作顺利🙏")[-1]
    assert reply.decision == "smalltalk"


def test_passing_the_answer_on_is_small_talk(engine: Engine) -> None:
    """ "那我跟我弟说下" after an answer: the user will tell him; nothing is asked."""
    reply = chat(engine, "弟弟用LINEMO，我能帮他买流量吗", "好吧 那我跟我弟说下")[-1]
    assert reply.decision == "smalltalk"
    told = chat(engine, "弟弟用LINEMO，我能帮他买流量吗", "ok I'll tell him")[-1]
    assert told.decision == "smalltalk"
