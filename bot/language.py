"""Which language to reply in, when the user has not chosen one."""

from __future__ import annotations

from bot.chinese import to_simplified
from bot.knowledge import LANGS

_CHINESE_MARKERS = set("的吗呢吧么怎嗎麼們们这這哪谁誰啥咋没沒")


def script_language(text: str) -> str | None:
    """Guess from the script: hiragana means Japanese, changed-by-t2s Han means Traditional."""
    has_hiragana = has_katakana = has_latin = False
    han = []
    for ch in text[:600]:
        code = ord(ch)
        if 0x3041 <= code <= 0x309F:
            has_hiragana = True
        elif 0x30A0 <= code <= 0x30FF:
            has_katakana = True
        elif 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF:
            han.append(ch)
        elif (ch.isascii() and ch.isalpha()) or 0xFF21 <= code <= 0xFF5A:
            has_latin = True
    if has_hiragana and not _CHINESE_MARKERS.intersection(han):
        return "ja"
    if han:
        text_han = "".join(han)
        if _CHINESE_MARKERS.intersection(han) or not has_katakana:
            return "zh-Hant" if to_simplified(text_han) != text_han else "zh-Hans"
        return "ja"
    if has_katakana:
        return "ja"
    if has_latin:
        return "en"
    return None


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


def choose_language(
    text: str,
    *,
    chosen: str | None = None,
    client_code: str | None = None,
    default: str = "zh-Hans",
) -> str:
    """User's explicit choice (/lang, --lang), else the Telegram client language, else the script.

    The choice is remembered per user, so someone whose phone is set to another language than
    the one they write in fixes it once with /lang.
    """
    if chosen in LANGS:
        return chosen
    return telegram_language(client_code) or script_language(text) or default
