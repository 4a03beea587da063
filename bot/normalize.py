"""Turn what people type into comparable units.

Chinese and Japanese have no spaces, so text is cut into units by a longest-match scan over the
known vocabulary (synonyms, carrier aliases, stopwords) instead of by whitespace; anything unknown
becomes single CJK characters or whole Latin words. Everything here is built once per knowledge
snapshot; `analyze` is the only per-message work.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import opencc
from rapidfuzz import fuzz, process, utils

MAX_CHARS = 600  # longer messages are not questions; matching looks at their start only
FUZZY_MIN_LEN = 5
FUZZY_CUTOFF = 80.0
# A carrier's Chinese name heard by voice input (多可莫): 2-character homophones are words.
HEARD_NAME_MIN = 3
HEARD_WORDS = frozenset({"流量", "热点"})  # words voice input mishears (流两, 热电)
KATAKANA_NAME_MIN = 4  # shorter katakana names (ドコモ, ラインモ's ライン) are too close to words
WORD_CACHE_SIZE = 50_000  # distinct unknown Latin words remembered (bounded: users type anything)

_to_simplified = opencc.OpenCC("t2s")
_NON_WORD = re.compile(r"[\W_]+")
# Latin letters after folding, accented ones included: a Vietnamese, Portuguese or Tagalog word
# ("gửi", "irmão") is one word, not letters broken up by its accents.
_ACCENTED = "\u00e0-\u00f6\u00f8-\u00ff\u0100-\u024f\u1e00-\u1eff"
_CJK_SPACE = re.compile(f"(?<=[^a-z0-9{_ACCENTED} ]) | (?=[^a-z0-9{_ACCENTED} ])")
_HIRAGANA = (0x3041, 0x3096)
_AMOUNT = re.compile(r"^\d*(?:g|gb|mb|gig|gigs|giga)$")  # "10g", "3gb": an amount of data
# "5G" is the network generation ("乐天有5G吗") or five gigabytes ("每月用不到5G", "还剩5G",
# "5G left"): it is an amount after a word that counts data, or before one that measures it.
_AMOUNT_BEFORE = frozenset("剩用到送了才只给給买買超多过過还還就余餘残共约約概月天周週要")
_AMOUNT_AFTER = re.compile(
    r"^(?:流量|的流量|左右|多|个月|一个月|くらい|ぐらい|ほど|余|残|も|しか|以上|以内| ?(?:left|of data|a month|per month|data|remaining))"
)
_ACTS = frozenset({"#topup", "#buy"})  # acts that, before 的, only describe the data
# After "买的": a phone or a kind of card bought, nothing of data ("台灣買的 iPhone", "机场买的那种").
_NOT_DATA_AFTER = re.compile(
    r"\s?(?:iphone|android|pixel|galaxy|xperia|手机|手機|电话|電話|スマホ|机|機|那种|那種|卡|sim|esim"
    # "我们买的是Holafly的": which one was bought (not "买的是流量包")
    r"|是(?!.{0,3}(?:流量|数据|套餐|data|gb|ギガ)))"
)
# A place a SIM is bought at, just before "买的": the airport (a travel SIM), a shop online.
_BOUGHT_AT = re.compile(
    r"(?:机场|機場|空港|淘宝|淘寶|网上|網上|闲鱼|閒魚|拼多多|便利店|amazon|亚马逊|亞馬遜|klook)(?:上|里|裡)?$"
)
# "给他买", "给老公花钱买": 给 (for) a few characters before 买 (see _IN_CONTEXT)
_BOUGHT_FOR = re.compile(r"(?<![送转轉分帮幫发發传傳匀])[给給][^,.!?，。！？ 钱錢]{1,6}?$")
_DATA_BOUGHT = re.compile(
    r"(?:点|點|些|一点|一點|一些)?(?:流量|数据|數據|data|gb|ギガ)(?!码|碼|卡|code)"
)
# Data bought onto someone else's phone or line, said before the verb in Japanese ("妹のケータイ
# に私がギガ買える？", "母の回線にデータを買って"): topping it up. (Matched on folded text: 回線
# is 回线 there.)
_BOUGHT_FOR_A_PHONE = re.compile(
    r"(?<!自分)(?<!私)(?<!わたし)(?<!僕)(?<!俺)の\s?(?:スマホ|ケータイ|携帯|回线|番号|iphone)\s?に"
    r"[^。？?！!]{0,10}?(?:ギガ|データ|容量)"
    r"\s?(?:を\s?)?(?:追加で\s?)?$"
)
# An amount of money right after "cheaper": "便宜110日元", "便宜了1100円".
_BY_AN_AMOUNT = re.compile(r"\s?了?\s?\d[\d,]*\s?(?:日元|日币|日幣|円|yen|块|元)")
# Adding for someone: "给孙女加", "帮老婆加点" (not 加入 joining, 加班, 加油, 加上 plus).
# (not a card added for them: "给她加张数据卡", "给他加一张卡" are lines on a contract)
_ADDS_FOR = re.compile(
    r"[给帮幫俾畀][^,.!?，。！？\s]{1,4}?加(?![入班油上起工张張卡副]|一[张張条條个個])"
)
# "不是" then "我也是povo": "no, I am on povo too"; "不是 我是说docomo 我打错了": "no, I meant
# docomo", a carrier's Latin or katakana name right after (not "不是 我是说给我妈": the person)
_CORRECTS_TO_ME = re.compile(
    r"\s?我也?(?:是|用)(?!说|說)|\s?我(?:是)?(?:说|說|指)的?(?:是)?\s?(?=[a-z\u30a0-\u30ff])"
)
_KATAKANA_SHIFT = 0x60
_ABOUT_DATA = frozenset(
    {"#data", "#hotspot", "#carryover", "#multiline", "#addon", "#topup", "#unlimited", "#leftover"}
)
# A shop named as where someone went or asked (folded)
_SHOP = re.compile(r"ショップ|\bshop\b")
# Food named as what a trip is for ("今次嚟福岡食拉麵屋台…"), beside a question about data
_FOOD = re.compile(
    r"拉面|ラーメン|らーめん|寿司|sushi|ramen|焼肉|烤肉|火锅|美食|小吃|甜品|居酒屋|好食"
)
# The user paid for a line handed over: "他说每月给我打钱", "she pays me every month"
_PAID_FOR_THE_LINE = re.compile(r"给我(?:打钱|转钱|付钱)|俾(?:钱|返钱)我|\bpays? me\b|払ってくれ")
# Carriers and countries abroad, named to compare with ("in korea SKT lets you gift data")
_ELSEWHERE = re.compile(
    r"skt|sk telecom|lg u|中华电信|台湾大哥大|远传|亚太电信|台湾之星|数码通|香港电讯|csl|smartone|3hk"
    r"|澳门电讯|vodafone|中国移动|中国联通|中国电信|联通|电信卡|in korea|to korea|在韩国|在韓國|在中国"
    r"|in china|in taiwan|在台湾|在台灣|在香港|in hong kong"
)
# A discount asked about (folded): out of scope, unless data is what the message asks about
_DISCOUNT = re.compile(r"割引|家族割|优惠|discount")
# Trains named as what fills a trip's day ("我們每天都在坐新幹線，流量用得很兇")
_TRAIN = re.compile(r"新干线|电车|地铁")
# A fixed line or Wi-Fi that cannot connect, said as why a hotspot is wanted
_NO_CONNECTION = re.compile(r"连不上|連不上")
# A campaign named as where a code came from ("a free 1GB code from some povo campaign")
_CAMPAIGN = re.compile(r"campaign|キャンペーン")
# Keeping a number named as why a line was taken ("日本の番号を残しておきたいのでahamoにした")
_KEPT_NUMBER = re.compile(r"番号を残|保留号码|keep my number|keep the number")
# The state of the phone or SIM handed over (folded): "二手手机", "中古スマホ", "没激活的卡",
# "停话": out of scope alone, not when the SIM itself is given, lent or sold with it
_SIM_STATE = re.compile(r"二手|中古|激活|停话")
_HANDED = frozenset({"#gift", "#lend", "#sell"})  # acts that can hand over a SIM
# Out-of-scope words said only beside the question: when every one is of a kind, and the message
# asks what goes with it, the message is not out of scope.
_BESIDE: tuple[tuple[re.Pattern[str], Callable[[set[str], bool], bool]], ...] = (
    # "I asked at the docomo shop but is there any carrier…gift data?", "SIM卡给学妹 ok? 还是要去
    # shop办手续": where someone asks or goes; data or the SIM is what is asked about
    (_SHOP, lambda units, sim: bool((_ABOUT_DATA | {"#sim", "#law"}) & units)),
    # "手上有一批没激活的ahamo卡，想挂煤炉上卖", "門號可以先給室友用嗎？還是要去辦停話": the SIM
    # handed over is what is asked about
    (
        _SIM_STATE,
        lambda units, sim: ("#sim" in units or sim or "#lend" in units) and bool(_HANDED & units),
    ),
    # "is there a family discount if we share data on ahamo?": the discount said beside data
    (_DISCOUNT, lambda units, sim: bool(_ABOUT_DATA & units)),
    # "…食拉麵屋台…同一間嘅esim仲有好多數據，佢可唔可以轉啲俾我？": the trip's food is context
    (_FOOD, lambda units, sim: {"#data", "#gift"} <= units),
    # "why tho?? in korea SKT lets you gift data": a carrier abroad set against gifting here
    (_ELSEWHERE, lambda units, sim: {"#why", "#gift"} <= units),
    # "…每天都在坐新幹線…旅遊eSIM今天沒用完的流量可以留到明天嗎": the day's trains are context
    (_TRAIN, lambda units, sim: bool({"#carryover", "#hotspot", "#leftover"} & units)),
    # "share house的網路超爛，晚上根本連不上，我想開熱點給室友用": why the hotspot is wanted
    (_NO_CONNECTION, lambda units, sim: "#hotspot" in units),
    # "日本の番号を残しておきたいのでahamoにした…ギガって翌月に繰り越せる？": why the line exists
    (_KEPT_NUMBER, lambda units, sim: bool({"#carryover", "#hotspot"} & units)),
    # "my cousin got a free 1GB code from some povo campaign and she doesnt need it": the code
    # given on is asked about, not the campaign
    (_CAMPAIGN, lambda units, sim: "#code" in units),
)
_SHARED = re.compile(r"分享|\bshar")  # sharing is of data, never of the SIM itself
_TO_SOMEONE = frozenset({"#friend", "#family"})
_HOTSPOT_ACTS = frozenset({"#gift", "#share"})
# Concepts that say how a message is meant, not what it is about ("tell me about", "what about",
# "thanks", "other than", "in Japan"): kept in `tokens` for reading the message, never matched.
MARKERS = frozenset(
    {
        "about",
        "followup",
        "greeting",
        "bye",
        "thanks",
        "ack",
        "except",
        "except_after",
        "japan",
        "injapan",
        "alternative",
        "compare",
        "afresh",
        "late",
        "brand",
        "both_of_us",
        "mutual",
        "own",
        "third",
        "keep_using",
        "to",
        "past",
        "like",
        "like_after",
        "via_chat",
    }
)


_FOR_WHOM = frozenset({"给", "给我", "帮", "帮我", "俾", "俾我", "替"})  # folded: 給 is 给


def _gives_hotspot(tokens: list[str]) -> bool:
    """Whether the concept just read follows "给 (someone)": "给我开热点", "给他选什么卡"."""
    before = tokens[-3:-1]  # the hotspot itself is tokens[-1]
    return before[-1:] == ["#gift"] or (
        len(before) == 2 and before[0] == "#gift" and before[1] in ("#third", "#friend", "#family")
    )


def _line_of_a_person(tokens: list[str], folded: str) -> bool:
    """Whether a carrier's line describes the person right after it ("ドコモ回線の嫁に"): whose
    line the receiver is on, not a SIM handed over ("楽天のSIMを彼氏に" hands it over)."""
    return "回线の" in folded and any(
        t.startswith("@")
        and tokens[i + 1 : i + 2] == ["#sim"]
        and tokens[i + 2 : i + 3] in (["#friend"], ["#family"])
        for i, t in enumerate(tokens)
    )


def _data_set_aside(tokens: list[str]) -> bool:
    """Whether data is said not to be what is meant ("不是流量", "ギガじゃなくて")."""
    return any(
        t == "#data"
        and (tokens[i - 1 : i] == ["#except"] or tokens[i + 1 : i + 2] == ["#except_after"])
        for i, t in enumerate(tokens)
    )


def _is_amount(text: str, start: int, end: int) -> bool:
    """Whether the "5g" at text[start:end] reads as five gigabytes (see _AMOUNT_BEFORE)."""
    before = text[start - 1] if start > 0 else ""
    decimal = before == " " and start > 1 and text[start - 2].isdigit()  # "1.5G" folds to "1 5g"
    if before == " " and start > 1 and not decimal:
        before = text[start - 2]  # "我一个月只要 5G": the word before the space
    return before in _AMOUNT_BEFORE or decimal or bool(_AMOUNT_AFTER.match(text[end:]))


_LATIN_RUN = re.compile(f"[a-z0-9{_ACCENTED}]*")


_LATIN = frozenset(
    "abcdefghijklmnopqrstuvwxyz0123456789"
    + "".join(chr(c) for c in (*range(0xE0, 0xF7), *range(0xF8, 0x250), *range(0x1E00, 0x1F00)))
)  # after folding


def _is_han(ch: str) -> bool:
    """A CJK unified ideograph (Chinese characters, kanji)."""
    return "\u4e00" <= ch <= "\u9fff"


def _is_katakana(ch: str) -> bool:
    return "\u30a1" <= ch <= "\u30fa" or ch == "ー"


# A lone hiragana or the long-vowel mark left over after the vocabulary scan. Japanese writes
# content words in kanji and katakana and grammar in hiragana, so once known hiragana words
# (あげる, もったいない) have been matched, what remains is inflection. (A set: the scan tests
# every unit against it.)
_GRAMMAR = frozenset(chr(c) for c in range(_HIRAGANA[0], _HIRAGANA[1] + 1)) | {"ー"}


Readings = tuple[dict[str, frozenset[str]], dict[str, tuple[str, ...]], dict[str, frozenset[str]]]


def readings() -> Readings:
    """From bot/pinyin.txt: each toneless syllable's characters, each character's syllables,
    and (filled by `sounds_alike`) the characters that sound like a character. Read when a
    snapshot is built, then dropped: ~27,000 characters."""
    by_syllable: dict[str, frozenset[str]] = {}
    by_char: dict[str, list[str]] = {}
    path = Path(__file__).with_name("pinyin.txt")
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        syllable, chars = line.split("\t")
        by_syllable[syllable] = frozenset(chars)
        for ch in chars:
            by_char.setdefault(ch, []).append(syllable)
    return by_syllable, {ch: tuple(sy) for ch, sy in by_char.items()}, {}


def sounds_alike(word: str, table: Readings) -> tuple[frozenset[str], ...] | None:
    """Per character of a Chinese word, the characters that sound like it (any reading, tones
    aside): what voice input may type instead ("多可莫" for "多可摩"). None if a character has
    no reading (not a CJK ideograph). `table` is `readings()` with a third part: the sets made
    so far, shared by every word that has the character."""
    by_syllable, by_char, made = table
    alike = []
    for ch in word:
        if ch not in made:
            syllables = by_char.get(ch)
            if not syllables:
                return None
            made[ch] = frozenset().union(*(by_syllable[s] for s in syllables))
        alike.append(made[ch])
    return tuple(alike)


@functools.cache
def english_words() -> frozenset[str]:
    """Common English words (bot/english_words.txt): never read as typos of the vocabulary."""
    path = Path(__file__).with_name("english_words.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def swap_kana(text: str) -> str:
    """Hiragana <-> katakana, so a variant written in one script also matches the other."""
    out = []
    for ch in text:
        code = ord(ch)
        if _HIRAGANA[0] <= code <= _HIRAGANA[1]:
            out.append(chr(code + _KATAKANA_SHIFT))
        elif _HIRAGANA[0] + _KATAKANA_SHIFT <= code <= _HIRAGANA[1] + _KATAKANA_SHIFT:
            out.append(chr(code - _KATAKANA_SHIFT))
        else:
            out.append(ch)
    return "".join(out)


def folded_pattern(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A regex for folded text, its Chinese characters folded as the text is (繁→简, and the
    kanji Japanese shares with it: 線→线, 別→别, 違→违, 僕→仆), so that a form written in the
    pattern either way still matches: "他社回線" would otherwise never match "他社回线"."""
    return re.compile(_to_simplified.convert(pattern), flags)


# Bopomofo typed for a particle in Taiwan ("偶ㄉ手機", "送ㄍㄟ偶", "愛錢ㄇ"): the particle.
_ZHUYIN = {"ㄍㄟ": "給", "ㄉ": "的", "ㄇ": "嗎", "ㄌ": "了", "ㄋ": "呢", "ㄅ": "吧", "ㄚ": "啊"}
_ZHUYIN_RE = re.compile("|".join(sorted(_ZHUYIN, key=len, reverse=True)))


_ASKED_AT_END = re.compile(r"[?？]|[のか]\s*$")


_DOCOMO_IN_HIRAGANA = re.compile(
    r"どこも(?=\s?(?:の|です|でござ|じゃ|に(?!も)|を|から|で(?!き)|しょっぷ|ショップ|だ(?!め)|[。、,.!?？！]|$))"
)


def fold(text: str) -> str:
    """Width, case, script and punctuation folding shared by queries and the knowledge base."""
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS]).casefold()
    if "ワイファイ" in text:
        text = text.replace("ワイファイ", "wifi")  # the loanword as the word everyone writes
    if "どこも" in text:
        # "わしは どこも じゃ", "どこもの ぎが": docomo written in hiragana, as older users do
        # (not "どこもギガを人にあげられない", "どこもだめ": everywhere)
        text = _DOCOMO_IN_HIRAGANA.sub("ドコモ", text)
    text = _ZHUYIN_RE.sub(lambda m: _ZHUYIN[m.group()], text)
    text = _to_simplified.convert(text.encode("utf-8", "replace").decode())  # lone surrogates
    text = _NON_WORD.sub(" ", text).strip()
    # A space means something only between two Latin words: "旅游 esim" is "旅游esim".
    return _CJK_SPACE.sub("", text)


@dataclass(frozen=True)
class Analysis:
    """What a piece of text is about: meaning units in order, the carriers it names, flags."""

    units: tuple[str, ...]  # "#concept", "w:latinword" or a single CJK character
    carriers: tuple[str, ...]
    offtopic: bool
    folded: str
    # Everything meaningful in order, carriers ("@au") and markers ("!" off-topic, "$" a thing
    # that is not mobile data) included: where a carrier stands says whether it is excluded.
    tokens: tuple[str, ...] = ()
    nondata: bool = False
    # The people named ("女儿", "室友", "夫"), in order, and those said to be on a carrier right
    # where they are named ("女儿用乐天", "义母(HISモバイル)"): (person, carrier).
    persons: tuple[str, ...] = ()
    roles: tuple[tuple[str, str], ...] = ()
    # Carriers named as the shop someone went to ("我去au店问了", "asked at the docomo shop")
    places: tuple[str, ...] = ()


# Few calls said in passing ("基本不打电话", "通話ほぼしない", "hardly any calls"): usage that
# helps choose a plan, not a question about call rates. Matched on folded text (Simplified).
_CALL = r"(?:打电话|电话|でんわ|通话|かけ放题|かけ放題|voice calls?|calls?|calling|unlimited calls)"
_FEW_CALLS = (
    r"(?P<word>(?:不怎么打?|基本不打?|几乎不打?|很少打?|不太打?|不常打?|偶尔打?|少打|不打|不需要|不用"
    r"|唔点打?|唔多打?|唔使打?|好少打?"
    r"|ほぼ|ほとんど|あまり|hardly(?: any| ever)?|rarely|barely|seldom|few|not many|not much"
    rf"|don t|dont|never)\s?(?:make |making |use |do )?{_CALL}"
    rf"|{_CALL}\s?(?:很少|少|不多|打得少|偶尔|不需要|不用"
    r"|は?(?:ほぼ|ほとんど|あまり)?(?:しない|使わない|なし|いらない|不要)"
    r"|は?少なめ|は?少ない|(?:are |is )?(?:rare|rarely|hardly)|not much))"
)
# Many calls said as a need ("打电话也多 哪个套餐合适", "通話多めならどっち", "we call a lot"):
# usage that helps choose a plan, like few calls, not a question about call rates.
_MANY_CALLS = (
    rf"(?P<word>(?:{_CALL}|でんわ)\s?(?:也|又|都|比较|比較|很|特别|特別|挺|蛮|超|非常)?(?:打得)?"
    r"(?:多(?!少)|频繁|頻繁)"
    r"|(?:经常|經常|常常|总是|總是|天天|每天)打?(?:电话|電話)"
    rf"|(?:{_CALL}|でんわ)(?:が|は|も)?\s?(?:多い|多め|多く|よくする|よくかけ)"
    r"|(?:でんわ|電話|通話)を?\s?よく"
    r"|(?:call|calls|calling) (?:a lot|often|lots|heavily|much)"
    r"|(?:lots of|a lot of|many|plenty of|hours of|hrs of) (?:calls?|calling))"
)
# (English: "not docomo, it's ahamo", "not au but UQ", "not rakuten, I'm on povo")
# Who is on which carrier: a person named, then their carrier within a few tokens ("女儿用乐天",
# "她的室友用docomo", "my son is on povo"), with no data or giving in between ("同学说能把mineo
# 的流量送我儿子" names the friend's carrier; "儿子的流量送给用mineo的" does not).
_PERSONS = frozenset({"#family", "#friend"})
ROLE_REACH = 8  # characters between the person and the carrier ("闺女上礼拜刚换成povo")
_NOT_A_ROLE = frozenset({"#gift", "#data", "#leftover", "#except", "#past", "#old"})
NO_PERSON = -1  # (one carrier per person named)


def _said_on(tokens: list[str], person_at: int, gap: int) -> bool:
    """Whether the carrier just added to `tokens`, `gap` characters after the person named at
    `person_at`, is that person's: close after it, nothing given or excluded in between."""
    return person_at >= 0 and 0 <= gap <= ROLE_REACH and not _NOT_A_ROLE & set(tokens[person_at:])


_TO = re.compile(r"是|换|成|到|\bto\b|に|\bits?\b|\bbut\b|\bactually\b|\bi m on\b|\bim on\b")
_IS = re.compile(r"\b(?:is|i m|im|we re|it s|meant|mean)\b")
_USE_MINE = re.compile(
    # (the carrier may be said with it: "她可以用我ahamo的网路吗")
    # (or theirs, used by the user: "能不能先用他的流量")
    r"用[我他她佢](?:的|嘅)?(?:日本)?(?:[a-z!. ]{2,12}?(?:的|嘅)?)?(?:部手机(?:的|嘅)?)?"
    r"(?:流量|数据|data|gb|ギガ|网路|网络)"
    r"|用我的(?=[吗嗎么不呢])|\buse my (?:phone s )?(?:data|gigs?|gb|internet)\b"
    r"|(?:俺|私|僕|わたし|あたし)のギガ(?:を)?使"
)
# Someone with the user right now: "她就坐我旁边", "来日本玩一周", "一緒にいるとき", "no wifi".
_BESIDE_ME = re.compile(
    r"旁边|旁邊|身边|身邊|坐我|住我|一起出去|一緒に|together|with me|来日本玩|來日本玩|来日本看我|來日本看我"
    r"|来玩|來玩|visiting|没有wifi|沒有wifi|没wifi|沒wifi|no wifi|no wi fi|在一起"
    r"|没买卡|没办卡|冇卡|卡还没办|还没办卡|还没有卡|no sim|without a sim|未装宽频|没装宽带|冇宽频|no broadband"
    r"|travel mate|travel buddy|旅伴"
)
_SHARED_PLAN = frozenset({"#multiline", "#contract", "#plan"})
_ACT_UNITS = frozenset({"#gift", "#share", "#lend", "#sell", "#topup", "#hotspot"})
_ON_CARRIER = frozenset({"用", "w:use", "w:uses", "w:using"})
# Off-topic words that are part of an in-scope question in these contexts; the named group is
# blanked: few calls (usage), calls on a family plan's child SIM ("副卡能打电话吗": what the
# child SIM can do), video calls (data usage), cancelling the line before leaving Japan (what
# to do with it).
# "ll" is 流量 typed in pinyin initials ("能把ll送给别人吗"), but not the "'ll" of "I'll".
_WILL = re.compile(r"\b(?:i|you|we|they|he|she|it|that|there|who|what|this) (?P<word>ll)\b")
_IN_CONTEXT = (
    re.compile(_FEW_CALLS),
    re.compile(_MANY_CALLS),
    re.compile(
        r"(?:副卡|子回线|子回線|子机|子機|child (?:sim|line)|share ?sim|シェアsim)[^?？。]{0,14}?"
        r"(?P<word>打电话|通话|通話|音声通话|音声通話|calls?)"
    ),
    re.compile(
        r"(?P<word>(?:微信)?视频通话|打视频电话|打視頻電話|打视频|打視頻|视讯通话|視訊通話|ビデオ通话|ビデオ通話|video calls?|facetime)"
    ),
    _WILL,
    # "给老公买点流量", "给他那个号码花钱买点流量": data bought for someone (给 = for), not given
    re.compile(
        r"(?<![送转轉分帮幫发發传傳匀])(?P<word>给|給)(?=[^,.!?，。！？ ]{1,6}?(?:花钱|花錢|出钱|出錢)?"
        r"(?:买|買)(?:点|點|些|一点|一點|一些)?(?:流量|数据|數據|data|gb|ギガ))"
    ),
    # "can I buy data for my friend's tourist SIM from abroad": where the buyer pays from
    re.compile(r"\b(?:buy|pay|top up|purchase)\b[^.?!]{0,40}\bfrom (?P<word>abroad|overseas)\b"),
    # "日本通信市场", "日本の通信業界": Japan's telecoms, not the carrier 日本通信
    re.compile(
        r"日本(?P<word>通信)(?=市场|市場|行业|行業|业界|業界|运营商|運營商|事业|事業|各社|政策)"
    ),
    re.compile(
        r"(?:回国|帰国|回台|回香港|回越南|离开日本|leaving japan|go back|going back)[^?？。]{0,30}?"
        r"(?P<word>注销|解约|解約|cancel)"
    ),
    # "他没讯号的时候换我开": when there is no signal, the condition of a hotspot question
    re.compile(r"(?P<word>讯号|信号|电波)(?:不好|很差|差|弱)?的?(?:时候|时)"),
    # "uses their phone as home internet", "a SIM instead of home internet": the phone's data
    # plan replaces the fixed line, and the plan is what is asked about
    re.compile(
        r"\b(?:as|instead of|replace) (?:my |their |his |her |our |a |the )?(?P<word>home internet)"
    ),
)


# An eSIM or a SIM moved to another phone (one's own or a relative's): setting up a device,
# which the bot does not cover ("那可以把eSIM轉到她另一支手機嗎", "esimを新しいiphoneに移したい").
_TO_ANOTHER_DEVICE = re.compile(
    r"(?:esim|sim|卡).{0,12}?(?:转|轉|换|換|移|搬)(?:到|去|至|进|進)"
    r".{0,8}?(?:手机|手機|iphone|スマホ|pixel|galaxy|android|机子|機子)"
    r"|(?:esim|sim).{0,6}を.{0,10}(?:スマホ|iphone|機種)に(?:移|入れ替)"
    r"|\b(?:move|transfer) (?:my |the |her |his )?e?sim to (?:my |her |his |a |the )?(?:new |other |old )?(?:phone|iphone)"
)


def moves_to_another_device(folded: str) -> bool:
    """Whether a folded message moves a SIM or an eSIM to another phone (_TO_ANOTHER_DEVICE)."""
    return _TO_ANOTHER_DEVICE.search(folded) is not None


def _blank_word(match: re.Match[str]) -> str:
    """The match with its "word" group replaced by spaces (positions stay where they were)."""
    start, end = match.span("word")
    whole = match.group()
    offset = match.start()
    return whole[: start - offset] + " " * (end - start) + whole[end - offset :]


# Between a carrier and the person it belongs to ("povoの彼氏", "用au的同学", "ahamo使ってる妹").
_WHOSE = frozenset(
    # ("乐天的是我室友": the Rakuten one is the roommate's)
    {
        "の",
        "的",
        "嘅",
        "を使ってる",
        "使ってる",
        "を使っている",
        "使っている",
        "的是我",
        "的是",
        "嘅系我",
        "嘅系",
    }
)
_POSSESSIVE = frozenset(
    {"の", "的", "嘅", "s", "家的", "家嘅", "旗下的", "旗下嘅", "系の", "系的"}
)  # folded ("au's" → "au s")


class Normalizer:
    """Longest-match tokenizer over the snapshot's vocabulary."""

    def __init__(
        self,
        synonyms: Mapping[str, Iterable[str]],
        carrier_names: Mapping[str, Iterable[str]],
        stopwords: Iterable[str],
        offtopic: Iterable[str],
        nondata: Iterable[str] = (),
        brands: Mapping[str, str] | None = None,
    ) -> None:
        table: dict[str, str] = {}
        self._brands = dict(brands or {})  # sub-brand → its carrier (ahamo → docomo)
        self._parents = frozenset(self._brands.values())

        # Words claimed by two meanings: the first claim wins, `check` lists the rest.
        self.collisions: list[tuple[str, str, str]] = []

        def add(variant: str, token: str, both_kana: bool = True) -> None:
            # (a word with "'ll" in it as the text will read: "he'll pay the bill")
            folded = _WILL.sub(_blank_word, fold(variant))
            for form in {folded, swap_kana(folded)} if both_kana else {folded}:
                if not form:
                    continue
                if form not in table:
                    table[form] = token
                elif table[form] != token and form == folded:
                    self.collisions.append((variant, table[form], token))

        # Carriers first: a carrier name wins over a generic word spelled the same way. Names
        # keep their kana script: ドコモ in hiragana is どこも, "everywhere". A name in capitals
        # that is also an ordinary word ("HIS" Mobile, "his") only counts written in capitals.
        common = {fold(w) for w in stopwords} | {
            fold(v) for variants in synonyms.values() for v in variants
        }
        self._cased: list[tuple[re.Pattern[str], str, str]] = []  # (pattern, carrier, name)
        for carrier, names in carrier_names.items():
            for name in [carrier, *names]:
                if name.isascii() and name.isupper() and fold(name) in common:
                    # In capitals, or in any case beside Chinese or Japanese ("his 热点",
                    # "用his的卡"), where it is not the English word (but "譲る his old phone":
                    # English goes on after it).
                    word = re.escape(name)
                    pattern = re.compile(
                        rf"(?<![A-Za-z]){word}(?![A-Za-z])"
                        rf"|(?i:(?:(?<=[^\x00-\x7f])|(?<=[^\x00-\x7f]\s)){word}(?!\s?[A-Za-z]))"
                        rf"|(?i:(?<![A-Za-z]){word}(?=\s?[^\x00-\x7f\s]))"
                    )
                    self._cased.append((pattern, carrier, name.lower()))
                    continue
                add(name, "@" + carrier, both_kana=False)
        for word in nondata:
            add(word, "$")
        for word in offtopic:
            add(word, "!")
        for canonical, variants in synonyms.items():
            add(canonical.replace("_", " "), "#" + canonical)
            for variant in variants:
                add(variant, "#" + canonical)
        for word in stopwords:
            add(word, "")
        self._table = table
        # Candidate lengths by a position's first two characters (one-character words apart):
        # most positions rule out every word with one lookup instead of one per length.
        lengths: dict[str, set[int]] = {}
        for key in table:
            if len(key) > 1:
                lengths.setdefault(key[:2], set()).add(len(key))
        self._lengths = {pair: sorted(ls, reverse=True) for pair, ls in lengths.items()}
        # The same by the first three characters for words of three or more, and the words of
        # two: a position tries about one length instead of seven (reading is most of the time
        # a long message takes).
        longer: dict[str, set[int]] = {}
        for key in table:
            if len(key) > 2:
                longer.setdefault(key[:3], set()).add(len(key))
        self._longer = {three: tuple(sorted(ls, reverse=True)) for three, ls in longer.items()}
        self._pairs = frozenset(key for key in table if len(key) == 2)
        self._singles = frozenset(key for key in table if len(key) == 1)
        # Characters no word starts with: most of a long Chinese message, skipped in one test.
        self._starts = frozenset(key[0] for key in table if key)
        self._fuzzy: dict[str, list[str]] = {}  # by first letter: typos rarely change it
        for key, token in table.items():
            # A typo of one word, not of a phrase ("calling" is not "calling to").
            # Never to a thing that is not mobile data: "skint" is not a typo of "skins".
            if (
                len(key) >= FUZZY_MIN_LEN
                and key.isascii()
                and " " not in key
                and token not in ("", "$", "!")
            ):
                self._fuzzy.setdefault(key[0], []).append(key)
        # Carriers' katakana names, for the misspellings older users type by ear.
        self._kana_names = [
            key
            for key, token in table.items()
            if token.startswith("@")
            and len(key) >= KATAKANA_NAME_MIN
            and all(map(_is_katakana, key))
        ]
        self._kana_lengths = frozenset(len(key) for key in self._kana_names)
        # Carriers' Chinese names (and a few words) as voice input hears them: by the
        # characters that may start them.
        self._heard: dict[str, list[tuple[tuple[frozenset[str], ...], str]]] = {}
        heard = readings()
        for key, token in table.items():
            long_name = token.startswith("@") and len(key) >= HEARD_NAME_MIN
            if not (long_name or key in HEARD_WORDS):
                continue
            alike = sounds_alike(key, heard) if all(map(_is_han, key)) else None
            if alike is None:
                continue
            for ch in alike[0]:
                self._heard.setdefault(ch, []).append((alike, token))
        self._vocabulary: frozenset[str] = frozenset()
        self._word_cache: dict[str, str | None] = {}

    @property
    def vocabulary(self) -> frozenset[str]:
        """Latin words the knowledge base uses as they are: never "corrected" by fuzzy lookup."""
        return self._vocabulary

    @vocabulary.setter
    def vocabulary(self, words: frozenset[str]) -> None:
        self._vocabulary = words
        self._word_cache.clear()

    def _lookup_word(self, word: str) -> str | None:
        """Map a Latin word that is not in the table: plural, then typo of a known variant."""
        try:
            return self._word_cache[word]
        except KeyError:
            pass
        token = self._lookup_word_uncached(word)
        if len(self._word_cache) < WORD_CACHE_SIZE:
            self._word_cache[word] = token
        return token

    def _lookup_word_uncached(self, word: str) -> str | None:
        if word.endswith("s") and word[:-1] in self._table:
            return self._table[word[:-1]]
        if (
            len(word) >= FUZZY_MIN_LEN
            and word.isascii()  # (an accented word, "irmão", is another language's, no typo)
            and word not in self.vocabulary
            and word not in english_words()  # "together" is a word, not a typo of "tether"
            and not (word.endswith("s") and word[:-1] in english_words())  # "streams", not Steam
        ):
            hit = process.extractOne(
                word,
                self._fuzzy.get(word[0], ()),
                scorer=fuzz.ratio,
                processor=utils.default_process,
                score_cutoff=FUZZY_CUTOFF,
            )
            if hit:
                return self._table[hit[0]]
        return None

    def _katakana_name(self, text: str, i: int) -> tuple[str, int] | None:
        """A carrier's katakana name misspelt where the katakana run at `text[i]` starts
        ("ソフトパンク", "ニホンツーシン", "エッチアイエスモバイル"): its token and length. Older
        users type names by ear; one wrong kana in four or more still names the carrier."""
        end = i
        while end < len(text) and _is_katakana(text[end]):
            end += 1
        run = text[i:end]
        if len(run) < KATAKANA_NAME_MIN:
            return None
        for length in sorted(
            {len(run), *(n for n in self._kana_lengths if n < len(run))}, reverse=True
        ):
            hit = process.extractOne(
                run[:length], self._kana_names, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
            )
            if hit:
                return self._table[hit[0]], length
        return None

    def _heard_name(self, text: str, i: int) -> tuple[str, int] | None:
        """A carrier's Chinese name (or 流量, 热点) typed by voice input as characters that sound
        the same ("多可莫" for 多可摩, "流两" for 流量), starting at `text[i]`: its token and
        length, the longest first."""
        best: tuple[str, int] | None = None
        for alike, token in self._heard.get(text[i], ()):
            size = len(alike)
            if (best is None or size > best[1]) and all(
                k < len(text) - i and text[i + k] in alike[k] for k in range(1, size)
            ):
                best = (token, size)
        return best

    def _starts_word(self, text: str, i: int) -> bool:
        """Whether a known word begins at `text[i]`."""
        return text[i] in self._singles or any(
            text[i : i + length] in self._table for length in self._lengths.get(text[i : i + 2], ())
        )

    def _cased_at(self, text: str) -> list[tuple[int, str, str]]:
        """Where names that count only in capitals ("HIS") stand in the folded text: (about
        where, the folded name, its carrier), in order."""
        found = []
        lowered = text.lower()
        for pattern, carrier, name in self._cased:
            if name not in lowered:
                continue  # (most messages: one substring test instead of a regex scan)
            for match in pattern.finditer(text):
                found.append((len(fold(text[: match.start()])), fold(match.group()), carrier))
        return sorted(found)

    def analyze(self, text: str) -> Analysis:
        said = folded = fold(text)
        for pattern in _IN_CONTEXT:
            folded = pattern.sub(_blank_word, folded)
        units: list[str] = []
        carriers: list[str] = []
        tokens: list[str] = []
        cased = self._cased_at(text[:MAX_CHARS])
        offtopic = nondata = carriers_sim = False
        off_words: list[str] = []  # what made it out of scope
        places: list[str] = []  # carriers named as a shop ("au店", "docomo shop")
        persons: list[str] = []
        roles: list[tuple[str, str]] = []
        person_at = NO_PERSON  # where in `tokens` the last person was named
        person_end = 0  # and where in the text their name ended
        gave_to = ""  # the words of the last act of giving
        carrier_end = -1  # where the last carrier's name ended
        table, singles, starts = self._table, self._singles, self._starts
        longer, pairs = self._longer, self._pairs
        i, n = 0, len(folded)
        while i < n:
            ch = folded[i]
            if ch == " ":
                i += 1
                continue
            if ch not in starts and ch not in _LATIN and not _is_katakana(ch) and not cased:
                # An unknown character (most of a Chinese message): a unit of its own, unless
                # it is Japanese grammar.
                i += 1
                if ch not in _GRAMMAR:
                    if not tokens or tokens[-1] != ch:
                        tokens.append(ch)
                    units.append(ch)
                continue
            if cased and i >= cased[0][0] and folded.startswith(cased[0][1], i):
                # A name in capitals ("HIS") where it stands, so "不是HIS" excludes it.
                _, name, carrier = cased.pop(0)
                i += len(name)
                if tokens[-1:] != ["@" + carrier]:
                    tokens.append("@" + carrier)
                if carrier not in carriers:
                    carriers.append(carrier)
                if _said_on(tokens, person_at, i - len(name) - person_end):
                    roles.append((persons[-1], carrier))
                    person_at = NO_PERSON
                continue
            token = None
            size = 0
            # A word may not end inside a Latin run ("hot" in "hotspot"): shorter lengths
            # cannot match there, so they are not tried.
            latin = ch in _LATIN
            shortest = _LATIN_RUN.match(folded, i).end() - i if latin else 1
            tried = longer.get(folded[i : i + 3], ())
            if folded[i : i + 2] in pairs:
                tried = (*tried, 2)
            if ch in singles:
                tried = (*tried, 1)
            for length in tried:
                if length < shortest:
                    break
                if i + length > n:
                    continue
                cand = folded[i : i + length]
                token = table.get(cand)
                if token is None:
                    continue
                if cand[-1] in _LATIN and i + length < n and folded[i + length] in _LATIN:
                    token = None
                    continue
                if latin and i > 0 and folded[i - 1] in _LATIN:
                    token = None
                    continue
                size = length
                break
            if token == "!" and folded[i : i + size] == "5g" and _is_amount(folded, i, i + size):
                token = "#data"
            elif (
                token in _ACTS
                and folded[i + size : i + size + 1] == "的"
                # ("帮我付流量的钱": paying for data, the money)
                and folded[i + size + 1 : i + size + 2] not in ("钱", "费", "款")
            ):
                # "充的流量", "买的流量": what was bought, not buying it for someone.
                # (nor "机场买的", "淘宝买的": where a SIM was bought)
                token = (
                    ""
                    if _NOT_DATA_AFTER.match(folded, i + size + 1)
                    or _BOUGHT_AT.search(folded, 0, i)
                    else "#addon"
                )
            elif (
                token == "#buy"
                and _BOUGHT_FOR.search(said, max(0, i - 8), i)
                and _DATA_BOUGHT.match(folded, i + size)
            ):
                token = "#topup"  # "给他买点流量" (its 给 blanked above): bought for him
            elif token == "#buy" and _BOUGHT_FOR_A_PHONE.search(said, max(0, i - 24), i):
                token = "#topup"  # "妹のケータイに私がギガ買う": data bought onto her phone
            elif (
                token == "#afresh"
                and folded[i : i + size] == "ところで"
                and i > 0
                and "\u3041" <= folded[i - 1] <= "\u30ff"
            ):
                # "ワイファイ が ない ところ で": at a place (after a word), not "by the way"
                token = ""
            elif (
                token == "#recommend"
                and folded[i : i + size] == "便宜"
                and _BY_AN_AMOUNT.match(folded, i + size)
            ):
                token = "#price"  # "每个月便宜110日元": a discount of that much, no plan asked
            elif token == "#except" and _CORRECTS_TO_ME.match(folded, i + size):
                # "啊不是 我也是povo": "no, I am on povo too", a correction, nothing set aside
                token = ""
            elif (
                token == "#why"
                and folded[i : i + size] == "なんで"
                and i > 0
                and (folded[i - 1] in _LATIN or folded[i - 1] >= "\u4e00")  # after a noun
                and not _ASKED_AT_END.search(text)
            ):
                # "俺auなんで、ギガ足りない部員に送ってやりたいんすよ": "because I'm on au"
                # (なので), said in a message that asks nothing, not "why"
                token = ""
            if token is None and latin:
                end = _LATIN_RUN.match(folded, i).end()
                word = folded[i:end]
                size = end - i
                token = "#data" if _AMOUNT.match(word) else self._lookup_word(word)
                if token is None and word.isdigit():
                    token = ""  # a bare number ("1500", "3"): the words around it say what of
                elif token is None:
                    token = "w:" + word
            elif (
                token is None and _is_katakana(ch) and (misspelt := self._katakana_name(folded, i))
            ):
                token, size = misspelt  # "ソフトパンク", "ユーキユーモバイル": a carrier's name
            elif token is None and _is_katakana(ch):
                # An unknown katakana word (オプション) is one unit, like an unknown Latin word,
                # up to where a known word starts (オプションギガ: ギガ).
                end = i + 1
                while end < n and _is_katakana(folded[end]) and not self._starts_word(folded, end):
                    end += 1
                token, size = ("w:" + folded[i:end], end - i) if end - i > 1 else (ch, 1)
            elif token is None and (heard := self._heard_name(folded, i)):
                token, size = heard  # "多可莫", "流两": a name or a word heard by voice input
            elif token is None:
                token, size = ch, 1  # a character that starts words, none of them here
            i += size
            if not token:
                continue
            if token == "#gift":
                gave_to = folded[i - size : i]
            elif token in _PERSONS:
                persons.append(folded[i - size : i])
                person_at, person_end = len(tokens), i
                if carriers and folded[carrier_end : i - size].strip() in _WHOSE:
                    # "povoの彼氏", "用povo的男朋友", "ahamo使ってる妹": the carrier is theirs
                    roles.append((persons[-1], carriers[-1]))
                    person_at = NO_PERSON
            previous = tokens[-1] if tokens else ""
            if token[0] == "@":
                if (
                    previous[1:] in self._parents
                    and token[1:] in self._brands
                    and folded[carrier_end : i - size].strip() in _POSSESSIVE
                ):
                    # "ドコモのアハモ", "ソフバンのUQ", "au的povo": the brand is the carrier.
                    tokens.pop()
                    carriers.remove(previous[1:])
                    previous = tokens[-1] if tokens else ""
                if previous == "#except" and folded[i : i + 1] in ("吗", "吧"):
                    # "你不是mineo吗": "aren't you on mineo?" says it is, not "not mineo".
                    tokens.pop()
                    previous = tokens[-1] if tokens else ""
                between = folded[carrier_end : i - size]
                if previous.startswith("@") and (
                    _TO.search(between)
                    # "sorry not docomo. is ahamo": after a "not", the one it is
                    or ("#except" in tokens and _IS.search(between))
                ):
                    # "不是docomo，是ahamo", "switching from SoftBank to IIJmio": the second is
                    # the one meant; a set-aside run of carriers ("除了au和povo") ends here.
                    tokens.append("#to")
                    previous = "#to"
                if previous in _ON_CARRIER and units and units[-1] == previous:
                    units.pop()  # "朋友用mineo", "my friend use docomo": whose carrier, not use
                elif token == "@tourist-sim" and previous == "#buy" and units[-1:] == [previous]:
                    units.pop()  # "兩個都係買咗旅遊eSIM": the SIM bought, not data bought
                carrier_end = i
            if token == "w:line" and previous.startswith("@"):
                carriers_sim = True  # "my IIJmio line": the carrier's line is the carrier
                continue
            if token not in _GRAMMAR and previous != token:
                tokens.append(token)
            if token == "$":
                nondata = True
            elif token[0] == "@":
                if token[1:] not in carriers:
                    carriers.append(token[1:])
                if _said_on(tokens, person_at, i - size - person_end):
                    roles.append((persons[-1], token[1:]))
                    person_at = NO_PERSON
            elif token == "!":
                offtopic = True
                off_words.append(folded[i - size : i])
                if previous.startswith("@") and _SHOP.search(off_words[-1]):
                    places.append(previous[1:])  # "docomo shop": where, not whose
            elif token[0] == "#":
                if token[1:] in MARKERS:
                    continue
                if token in _HOTSPOT_ACTS and previous == "#hotspot":
                    continue  # "开热点给我妈", "hotspot to share with": how the hotspot is used
                if (
                    token in ("#hotspot", "#recommend")
                    and gave_to in _FOR_WHOM
                    and _gives_hotspot(tokens)
                    and units.count("#gift") == 1
                ):
                    units.remove("#gift")  # "给我开热点", "给他选什么卡": for whom, not a gift
                if token in ("#sim", "#prepaid", "#datasim") and previous.startswith("@"):
                    carriers_sim = True
                    continue  # "乐天的卡", "au SIM": the carrier's SIM is just the carrier
                if token == "#data" and units and units[-1] == "#sim":
                    units[-1] = (
                        token  # "手机卡的流量", "回線のデータ": the SIM only says whose data
                    )
                elif token not in units:  # a concept counts once
                    units.append(token)
            elif token not in _GRAMMAR:
                units.append(token)
        if (
            "#sim" in units
            and ("#data" in units or "#leftover" in units)
            and "#gift" in units
            and not _data_set_aside(tokens)  # "不是流量 是卡", "ギガじゃなくてSIMごと"
        ):
            # "日本流量卡能送流量吗", "do Japanese SIMs allow gifting data": giving *data*; the
            # SIM only says whose. Handing over the SIM itself is asked without data.
            units.remove("#sim")
        if (
            (carriers_sim or "#keep_using" in tokens)
            and not _ABOUT_DATA & set(units)
            and _HANDED & set(units)
            and (_TO_SOMEONE & set(units) or "#law" in units)
            and not _SHARED.search(folded)  # "能分享給同事嗎 我們都是樂天的門號": data shared
            and not _line_of_a_person(tokens, folded)
        ):
            # "docomo的卡能直接给学弟用吗": handed to someone with nothing said of data, the
            # carrier's SIM is what is handed over.
            units.append("#sim")
        if _USE_MINE.search(said) and not (_ACT_UNITS | _SHARED_PLAN) & set(units):
            # "她能用我的流量吗": someone using the user's data is being given it (not on the
            # user's plan: "挂在我的套餐下面 用我的流量" is sharing); beside the user ("她就坐我
            # 旁边", "来日本玩一周") the way is a hotspot.
            units.append("#hotspot" if _BESIDE_ME.search(said) else "#gift")
        if "#lend" in units and "#data" in units and "#sim" not in units:
            # "流量能借给朋友吗", "lend my data": lending *data* is giving it; lending a SIM or a
            # line is what the law is about.
            at = units.index("#lend")
            if "#gift" in units:
                del units[at]
            else:
                units[at] = "#gift"
        if "加" in units and "#data" in units and "#topup" not in units and _ADDS_FOR.search(said):
            # "旅游卡流量用完了还能加吗 给孙女加": data added for someone, a top-up
            units[units.index("加")] = "#topup"
            tokens[tokens.index("加")] = "#topup"
        if offtopic and any(
            all(kind.search(w) for w in off_words) and asks(set(units), carriers_sim)
            for kind, asks in _BESIDE
        ):
            offtopic = False
            tokens = [t for t in tokens if t != "!"]
        if (
            nondata
            and "#sim" in units
            and {"#law", "#lend", "#gift"} & set(units)
            and _PAID_FOR_THE_LINE.search(folded)
        ):
            # "这张卡能直接给新来的实习生用…会不会犯法啊 他说每月给我打钱": money for the SIM
            # handed over, which the law answer covers, not money sent as the subject
            nondata = False
            tokens = [t for t in tokens if t != "$"]
        if not offtopic and _TO_ANOTHER_DEVICE.search(folded):
            offtopic = True
        places += [
            t[1:]
            for at, t in enumerate(tokens)
            if t[0] == "@" and tokens[at + 1 : at + 2] == ["店"]
        ]
        return Analysis(
            tuple(units),
            tuple(carriers),
            offtopic,
            said,
            tuple(tokens),
            nondata,
            tuple(persons),
            tuple(roles),
            tuple(places),
        )
