"""Which language to reply in.

The script of the message decides before the Telegram client's interface language: Telegram has no
official Chinese or Japanese interface, so most Chinese and Japanese users run it in English and
would otherwise get English answers to Chinese questions. The client language only breaks ties the
text cannot (a carrier name alone, "ok", an emoji).
"""

from __future__ import annotations

import re

from bot.chinese import to_simplified
from bot.knowledge import LANGS

# Function words that only Chinese uses; with any of them, kana-free Han text is Chinese.
_CHINESE_MARKERS = set("的吗呢吧么怎嗎麼們们这這哪谁誰啥咋没沒给給吗")
# Cantonese: Hong Kong users write these; they read Traditional Chinese.
_CANTONESE = set("冇嘅咗喺嚟咩啲佢唔乜嘢俾畀睇") | {"點樣", "係咪", "係唔係"}
# Shinjitai that Chinese (Simplified or Traditional) does not use: a word with one is Japanese.
_JAPANESE_ONLY_HAN = set(
    "楽譲繰帯円気変転売続読払込辺単発実験駅関覚黒歩検営拡択図広応沢浜県様総縁戦歳薬恵渉両価剰労効勧巻継軽"
    "権険顕鉱済斎児従渋獣縦粛処奨焼乗浄剤摂専銭層騒捜蔵臓闘弐悩脳廃拝髪抜姫仏塀豊毎満黙訳揺謡頼覧竜猟緑塁戻齢暦"
)
# Words a Chinese speaker would not write this way (容量 for data, 格安 for budget SIMs).
_JAPANESE_WORDS = (
    "格安",
    "容量",
    "携帯",
    "回線",
    "無料",
    "有料",
    "料金",
    "申込",
    "家族割",
    "機種",
    "解約",
)
_CANTONESE_RE = re.compile("|".join(sorted(_CANTONESE, key=len, reverse=True)))


def _simplified_forms() -> frozenset[str]:
    """Characters only Simplified Chinese writes (们, 说, 发): the Simplified form of some
    Traditional character. Read off OpenCC's own table once (about 30 ms at import)."""
    out = set()
    for code in range(0x4E00, 0xA000):
        simplified = to_simplified(chr(code))
        if len(simplified) == 1 and simplified != chr(code):
            out.add(simplified)
    return frozenset(out)


_SIMPLIFIED_ONLY = _simplified_forms()
_JAPANESE_WORDS_RE = re.compile("|".join(_JAPANESE_WORDS))
_KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30ff]")
_GRAMMAR = re.compile(r"[\u3041-\u306d\u306f-\u309f]")  # hiragana other than の
JAPANESE_GRAMMAR_MIN = 3
ENGLISH_WORDS_MIN = 4  # English words around a Japanese term that make the message English
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_JOINED_TO_KANA = re.compile(
    f"{_HAN.pattern}{{1,3}}(?={_KANA.pattern})"
)  # kanji of a Japanese word
_LATIN_WORD = re.compile(r"[A-Za-z\uff21-\uff3a\uff41-\uff5a]+")
# Latin words that tell nothing about the writer's language: people of every language type them.
_NEUTRAL_LATIN = frozenset(
    [
        "ok",
        "okay",
        "sim",
        "esim",
        "e",
        "wifi",
        "wi",
        "fi",
        "gb",
        "mb",
        "g",
        "giga",
        "gigs",
        "data",
        "mobile",
        "lol",
        "thx",
        "pls",
        "plz",
        "vs",
        "iphone",
        "android",
        "apn",
        "line",
        "pay",
        "paypay",
        "mnp",
        "id",
        "app",
    ]
)


def _chinese_script(text: str, han: str) -> str:
    """zh-Hant when a Han character outside Japanese words has a Simplified form. Kanji just
    before kana are Japanese words that Simplified writers quote as they are ("povo的紹介コード
    可以发给同学吗", "楽天モバイル"), and look Traditional."""
    outside = "".join(_HAN.findall(_JOINED_TO_KANA.sub("", text))) or han
    return "zh-Hant" if to_simplified(outside) != outside else "zh-Hans"


def script_language(text: str, carrier_names: frozenset[str] = frozenset()) -> str | None:
    """The language the text is written in, or None when the text cannot tell."""
    text = text[:600]
    han = "".join(_HAN.findall(text))
    has_kana = bool(_KANA.search(text))
    words = [w.lower() for w in _LATIN_WORD.findall(text)]
    telling = [w for w in words if w not in _NEUTRAL_LATIN and w not in carrier_names]
    if han or has_kana:
        cantonese = _CANTONESE_RE.search(text) is not None
        chinese = cantonese or bool(_CHINESE_MARKERS.intersection(han))
        if (
            len(telling) >= ENGLISH_WORDS_MIN
            and not chinese
            and len(_GRAMMAR.findall(text)) < JAPANESE_GRAMMAR_MIN
        ):
            # "is that true? can we share ギガ between our lines", "my friend says ワイモバ has
            # 家族割": English with a Japanese term or two
            return "en"
        # Chinese writers quote katakana names (パケットギフト) and the odd の; hiragana
        # grammar ("って誰にでも送れる") is Japanese whatever Han characters it shares.
        if has_kana and (not chinese or len(_GRAMMAR.findall(text)) >= JAPANESE_GRAMMAR_MIN):
            return "ja"
        if not chinese and (
            _JAPANESE_ONLY_HAN.intersection(han) or _JAPANESE_WORDS_RE.search(text) is not None
        ):
            return "ja"
        if han:
            if cantonese:
                return "zh-Hant"
            return _chinese_script(text, han)
        return "ja"
    return "en" if telling else None


def telegram_language(code: str | None) -> str | None:
    """Map a Telegram `language_code` (IETF tag) to one of ours."""
    if not code:
        return None
    code = code.lower()
    if code.startswith("zh"):
        if any(tag in code for tag in ("hant", "tw", "hk", "mo")):
            return "zh-Hant"
        return "zh-Hans"
    if code.startswith("ja"):
        return "ja"
    if code.startswith("en"):
        return "en"
    return None


_NAMES = {
    "zh-hans": "zh-Hans",
    "zh": "zh-Hans",
    "cn": "zh-Hans",
    "zh-cn": "zh-Hans",
    "chinese": "zh-Hans",
    "simplified": "zh-Hans",
    "simplified chinese": "zh-Hans",
    "中文": "zh-Hans",
    "简体": "zh-Hans",
    "简体中文": "zh-Hans",
    "汉语": "zh-Hans",
    "普通话": "zh-Hans",
    "zh-hant": "zh-Hant",
    "tw": "zh-Hant",
    "hk": "zh-Hant",
    "zh-tw": "zh-Hant",
    "zh-hk": "zh-Hant",
    "traditional": "zh-Hant",
    "traditional chinese": "zh-Hant",
    "繁体": "zh-Hant",
    "繁體": "zh-Hant",
    "繁体中文": "zh-Hant",
    "繁體中文": "zh-Hant",
    "粤语": "zh-Hant",
    "廣東話": "zh-Hant",
    "ja": "ja",
    "jp": "ja",
    "japanese": "ja",
    "日本語": "ja",
    "日语": "ja",
    "日文": "ja",
    "にほんご": "ja",
    "en": "en",
    "eng": "en",
    "english": "en",
    "英语": "en",
    "英語": "en",
    "英文": "en",
}


def parse_language(text: str) -> str | None:
    """A language from what a user types after /lang or --lang: a code or a name, any case."""
    key = " ".join(text.strip().lower().replace("_", "-").split())
    return _NAMES.get(key)


def choose_language(
    text: str,
    *,
    chosen: str | None = None,
    conversation: str | None = None,
    client_code: str | None = None,
    default: str = "zh-Hans",
    carrier_names: frozenset[str] = frozenset(),
) -> str:
    """An explicit /lang choice, else the script of the message, else the language the
    conversation was last answered in (someone who asked in Japanese and then types "ok thx"
    still reads Japanese), else the client language, else the default."""
    if chosen in LANGS:
        return chosen
    written = script_language(text, carrier_names)
    leaning = (conversation if conversation in LANGS else None) or telegram_language(client_code)
    if (
        written == "zh-Hans"
        and leaning == "zh-Hant"
        and not _SIMPLIFIED_ONLY.intersection(text[:600])
    ):
        # Chinese that reads the same in both scripts ("她用UQ", "可以用"): a Taiwanese or Hong
        # Kong conversation (or client) stays Traditional.
        return leaning
    return written or leaning or default
