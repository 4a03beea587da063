"""Chinese script conversion with OpenCC, shared by the whole process.

Traditional → Simplified (`t2s`) runs on every question, so one small converter stays loaded.
Simplified → Traditional with Taiwan phrasing (`s2twp`) is only needed while a knowledge base or
the interface wording is being built, and its phrase dictionaries take about 40 MB: it runs in a
short-lived child process (`python -m bot.chinese`, texts in and out as JSON), so that those 40 MB
never add to the bot's own peak memory; where no child process can be started, it is loaded here
for that moment and then released, memory included.

Plain `s2twp` damages these answers in two ways, so `to_traditional` wraps it:

* Protection. The Chinese answers quote Japanese: law and company names (携帯電話不正利用防止法,
  日本通信), product names (「パケットギフト」), rules (「SIM等の通信サービス」). OpenCC reads
  them as Chinese and half-converts them (攜帯電話…, 日本通訊). Every Japanese span is swapped for
  a private-use placeholder that OpenCC passes through untouched, and put back afterwards. A span
  is: a PROTECTED_TERMS entry; the inside of 「…」/『…』 when it holds Japanese and no
  Chinese-only character; otherwise kana, JAPANESE_ONLY kanji and Traditional-only kanji (none of
  which occur in authored Simplified Chinese) plus the kanji tied to them: a character Japanese
  shares with Simplified Chinese, which OpenCC would convert, right next to a Japanese-only or
  Traditional one (携 in 携帯) or right before hiragana (届 in 届け出, up to two); up to four
  characters OpenCC leaves alone between two Japanese ones (容量 in データ容量シェア). Nothing
  else is swallowed: in 已停签的旧套餐和タブレット the Chinese words around the katakana still
  convert.
* Dictionaries. OpenCC's Taiwan phrases are written for software and leave mainland telecom words
  alone. SOURCE_FIXES replaces a few Simplified words before conversion, where the Traditional
  form would be ambiguous (数据 and 资料 both become 資料); PHRASE_FIXES then rewrites the
  Traditional output (程式碼 → 代碼, 運營商 → 電信業者, 套餐 → 資費方案, …), with guards where a
  key can straddle two words (適合|同一 is not 合同).

`hant_problems` is the matching check for generated zh-Hant: DENY_LIST terms, Japanese-only kanji
glued to the Traditional form of a character Japanese writes in its simplified shape (攜帯), and
leftover private-use characters.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import json
import logging
import re
import subprocess
import sys
from collections.abc import Callable

import opencc

_t2s = opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s.convert(text)


# Japanese written only with characters Chinese also uses (so nothing else marks them as Japanese),
# or names that must stay exactly as written. Matched literally, longest first; extend freely.
PROTECTED_TERMS: tuple[str, ...] = (
    "携帯電話不正利用防止法",
    "電気通信事業法",
    "日本通信",
    "楽天モバイル",
    "楽天",
    "最強家族プログラム",
    "家族割引",
    "生計を同じくしている者",
    "株式会社",
    "合同会社",
)

# Kanji that are neither Simplified nor Traditional Chinese in normal use: Japanese shinjitai
# (帯 for 带/帶, 楽 for 乐/樂) and kokuji (込, 働, 畑). Derived once with OpenCC's own tables:
#   (JIS X 0208 kanji ∪ keys of JPShinjitaiCharacters, i.e. what `jp2t` converts)
#   − GB2312 (all Simplified in normal use) − Big5 (Traditional, incl. its less common level)
#   − every character in STCharacters / TSCharacters, keys and values (what `s2t`/`t2s` know
#     as Chinese, even with themselves as first choice: 菓 椀 犇 邨 stay out)
# = 759 characters, plus 繰 and 浜: Chinese only in rare use (繰 = 缲 "to hem", 浜 = a creek in
# a few place names), outside the common levels of both GB2312 and Big5, and only ever Japanese
# here (繰り越し, 横浜). tests/test_chinese.py re-derives the set from the codecs and OpenCC.
_DERIVED_JAPANESE_ONLY = (
    "䀋丗両乕乗乢亀亅亊亜亰仏仭仮伜価侫俤値倶倹偐偖偸働儖兎児兪円冐冦冨冩冴凖処凧凩凪"
    "凾刄刋刔刧剏剣剤剰剱剳劒劔労劵効勅勠勧勲匁匂匳匸卆単厰厳収叺呉呑呟呪咲哘唖啌啝喞"
    "喩喰営噐噛噺嚊嚔嚠嚢囎囘団囲図圀圏圦圧圷圸坿垈垉垪垰垳埀埓埖堺塀塁塡塩塰塲増墸墹"
    "壊壌壥壱売壷壻変夊夐夘夛夲奨妛妬姉姙姫娚娯嫐嬢嬶宍実寃寉寛寳対専尅尓尠尭屶岻岼岾"
    "峅峠峩峺崕崘嵜嵳嵶嶋嶌嶐巌巓巣巵巻帋帯帰幇幤庁広廃廏廐廰廸廻廼弉弌弍弐弖弾彁彑彜"
    "徃従徳徴応忰怱怺恊恠恵恷悋悧悩悪悳惣愡愼愽慂慙慯憇憙懐懴戝戞戦戸戻払扨抂抜択拝拠"
    "拡挙挧挿捜掲掵掻揺摂撃撹擧擶攅敍斈斉斎旙昿晄晧晩暁暃暎暦暼曁曵曽朖朞朶朷杁杢杣杤"
    "枠枡枦枩柾栂栃栄栞栢桙桜桝桟梍梶梹梺椙椚椛検椡椣椦椨椶楕楡楳楽楾榁榊槇様槝槞槹樋"
    "樌樒権樮樶橲橸檪櫁欝欟歓歩歯歳歴殱毎毟気氷汚汢沢浄涙涜渇済渉渋渓渕湶満溂溌滝漑潅"
    "澁澑濳濶瀞瀬烱焔焼煕熈熕燗燵爼犂犠犲狛狢猟猯獏獣珎珱瑠璢瓧瓰瓱瓲瓸甅甎甞甼畄畆畉"
    "畊畍畑畠畧畩畭畳疂疉疎痩癨癶発皀皃皐皷皹県眤瞹砕砿硲硴碁碯碵磆礇禝秡稲稾穂穃穉穏"
    "穐穣穽窓窰竃竍竏竒竓竕竜竝竡竢竰竸笂笶笹筬筺箆箒箟篏篭篶簒簓簔簗籏籖籘籾粂粃粋粐"
    "粛粧粫粭糀糂糘絋経絵継続綛総緕緜縁縄縅縦繊繋繍繝繦繧纃纉纎纐纒罸羂羮翆聟聡聢聨聴"
    "肬脇脳腟膓膤膸臈臓舎舗舩舮艝艢艪艶苅茘茣荘莟莵菷萠萢萪葢蒄蓙蓚蔵蕋蕚薗薫薬蘂蘓蘯"
    "蘰蚫蛍蛯蝋蝿蟇蟐蠎蠏蠧衂衞袮袰袴袵袿裃裄褄褝襃襍襷覇覊覚覧覩観觧訳読諌諚謌譌譛譱"
    "譲讃讐谺豼貎貭貮賍賎賛赱踈躙躰躱躾軅軆軈転軣軽輌輙轌轜辧辷辺辻込迚迯逎逓逧逹遅遖"
    "邉郷酔醗醤醸釈釖釛釡釶釼鈩鈬鉄鉱銭鋲鋳錬錺錻鎹鐚鐡鑁鑓鑚鑛閇閊閖閙閠関閧闘陥険隠"
    "隣隲隷雑雫霊靤靫靭靱靹鞆鞐韈韮韲頚頬頼顋顕颪飃飜飮餝餠饂駄駅駆駈駲騒験騨髄髞髢髪"
    "髴鬪鮖鮗鮴鯏鯑鯣鯲鯵鰄鰯鰰鱶鳫鳰鴎鴪鴫鴬鵄鵆鵈鵞鵤鵺鶏鶫鷆鹸麁麕麿黒黙鼈鼡齢龝"
)
_RARE_IN_CHINESE = "繰浜"
JAPANESE_ONLY: frozenset[str] = frozenset(_DERIVED_JAPANESE_ONLY + _RARE_IN_CHINESE)

# Simplified → Traditional, applied before OpenCC (which would turn 数据 into 資料, the word for
# "source/documents" that 资料 also becomes). Longest match first.
SOURCE_FIXES: dict[str, str] = {
    "移动数据": "行動數據",
    "数据库": "資料庫",
    "数据": "數據",
}

# Traditional (OpenCC output) → Taiwan usage for mobile plans. Longest match first; an entry
# mapping to itself shields a longer word from a shorter key (標籤 from 籤 → 簽).
PHRASE_FIXES: dict[str, str] = {
    "程式碼": "代碼",  # 代码 means a gift/promo code here, never program code
    "停籤": "停簽",
    "標籤": "標籤",
    "書籤": "書籤",
    "抽籤": "抽籤",
    "中籤": "中籤",
    "求籤": "求籤",
    "牙籤": "牙籤",
    "竹籤": "竹籤",
    "籤詩": "籤詩",
    "籤": "簽",  # a lone 签 is 簽 (sign up, sign a contract), not a lot or a label
    "資料卡": "數據卡",
    "資料專用": "數據專用",
    "賬號": "帳號",
    "賬戶": "帳戶",
    "賬": "帳",
    "移動運營商": "行動電信業者",
    "運營商": "電信業者",
    "運營": "營運",
    "套餐費": "月租費",
    "套餐": "資費方案",
    "合同": "合約",
    "日元": "日圓",
    "充值": "儲值",
    "電氣通訊": "電氣通信",  # 电气通信事业法, the law's name written in Chinese
    "日本通訊": "日本通信",  # the company
}

# Characters that, next to a PHRASE_FIXES key, show it is two words: 適合|同一, 配套|餐具.
_NOT_AFTER: dict[str, str] = {
    "合同": "適結綜配組符聯融混集整場契吻湊總複磨聚撮切巧迎投",
    "運營商": "臺台站",  # 平臺運營商 is a platform operator
}
_NOT_BEFORE: dict[str, str] = {
    "套餐": "具廳桌巾盒",
    "日元": "旦氣宵素首帥勳朝",
    "充值": "得域",
}

# Terms that must not appear in generated zh-Hant, with what to write instead.
DENY_LIST: dict[str, str] = {
    "攜帯": "携帯 (Japanese, keep as written)",
    "電気通訊": "電気通信事業法 (Japanese law name)",
    "電氣通訊": "電氣通信 (the law is 電気通信事業法)",
    "日本通訊": "日本通信 (company name)",
    "程式碼": "代碼 / 兌換碼 / 序號",
    "停籤": "停簽",
    "資料卡": "數據卡",
    "資料專用": "數據專用",
    "賬號": "帳號",
    "賬戶": "帳戶",
    "運營商": "電信業者",
    "套餐": "資費方案",
    "日元": "日圓",
}

_PLACEHOLDER = "\ue000"  # private use; OpenCC's dictionaries never contain one
_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")
_KANA = re.compile(
    "[\u3005\u3006\u3041-\u3096\u3099-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9f]"
)
_HIRAGANA = re.compile("[\u3041-\u3096]")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_QUOTED = re.compile("[「『]([^「」『』\n]+)[」』]")
_MAX_TIED = 4  # at most this many shared kanji between two Japanese characters join them


def _alternation(keys: list[str] | tuple[str, ...]) -> str:
    return "|".join(re.escape(key) for key in sorted(keys, key=len, reverse=True))


_SOURCE_SPANS = re.compile(_alternation([*PROTECTED_TERMS, *SOURCE_FIXES]))


def _guarded(keys: list[str] | dict[str, str]) -> re.Pattern[str]:
    parts = []
    for key in sorted(keys, key=len, reverse=True):
        part = re.escape(key)
        if key in _NOT_AFTER:
            part = f"(?<![{_NOT_AFTER[key]}]){part}"
        if key in _NOT_BEFORE:
            part = f"{part}(?![{_NOT_BEFORE[key]}])"
        parts.append(part)
    return re.compile("|".join(parts))


_PHRASE_FIXES = _guarded(PHRASE_FIXES)
_DENIED = _guarded(DENY_LIST)


def apply_phrase_fixes(text: str) -> str:
    """PHRASE_FIXES on a Traditional text (what `to_traditional` does after OpenCC)."""
    return _PHRASE_FIXES.sub(lambda m: PHRASE_FIXES[m.group()], text)


@functools.cache
def _in_jis(char: str, level1_only: bool = False) -> bool:
    """Whether Japanese writes `char`: a JIS X 0208 kanji (level 1: the common ones)."""
    try:
        code = int.from_bytes(char.encode("shift_jis"), "big")
    except UnicodeEncodeError:
        return False
    return 0x889F <= code <= (0x9872 if level1_only else 0xEAA4)


@functools.cache
def _traditional_only(char: str) -> bool:
    """A Traditional character that authored Simplified Chinese never uses (電, 話, 強)."""
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return _t2s.convert(char) != char
    return False


def _japanese_marker(char: str) -> bool:
    return bool(_KANA.match(char)) or char in JAPANESE_ONLY or _traditional_only(char)


def _protect(text: str, converts: Callable[[str], bool]) -> tuple[str, list[str]]:
    """Swap every protected span for a placeholder; return the masked text and the spans' texts.

    `converts(char)`: whether OpenCC changes the character on its own.
    """
    n = len(text)
    taken = [False] * n  # already in a span
    replacement: dict[int, tuple[int, str]] = {}  # start → (end, text put back)
    japanese = [False] * n  # Japanese context for tying kanji together

    def take(start: int, end: int, restored: str | None = None) -> None:
        replacement[start] = (end, text[start:end] if restored is None else restored)
        taken[start:end] = [True] * (end - start)

    for m in _PRIVATE_USE.finditer(text):  # keep the input's own, so placeholders stay unambiguous
        take(m.start(), m.end())
    for m in _SOURCE_SPANS.finditer(text):
        if not any(taken[m.start() : m.end()]):
            take(m.start(), m.end(), SOURCE_FIXES.get(m.group()))
            if m.group() in PROTECTED_TERMS:
                japanese[m.start() : m.end()] = [True] * (m.end() - m.start())

    def chinese_only(char: str) -> bool:
        return bool(_HAN.match(char)) and converts(char) and not _in_jis(char)

    for m in _QUOTED.finditer(text):
        inner = m.group(1)
        if any(map(_japanese_marker, inner)) and not any(map(chinese_only, inner)):
            start = m.start(1)
            while start < m.end(1):
                if taken[start]:
                    start += 1
                    continue
                end = start
                while end < m.end(1) and not taken[end]:
                    end += 1
                take(start, end)
                start = end

    # Outside quotes: Japanese characters, and the kanji tied to them.
    word = [not taken[i] and _japanese_marker(c) for i, c in enumerate(text)]
    for i in [i for i in range(n) if word[i] and not _KANA.match(text[i])]:
        for j in (i - 1, i + 1):  # 携 in 携帯: OpenCC would convert it, Japanese writes it so
            if 0 <= j < n and not taken[j] and _in_jis(text[j]) and converts(text[j]):
                word[j] = True
    for i in range(n):  # 届 in 届け: a stem before okurigana that OpenCC would convert (屆)
        if _HIRAGANA.match(text[i]) and not (i and _HIRAGANA.match(text[i - 1])):
            for j in range(i - 1, max(i - 3, -1), -1):
                if taken[j] or not _in_jis(text[j]) or not converts(text[j]):
                    break
                word[j] = True
    context = [w or j for w, j in zip(word, japanese, strict=True)]
    i = 0
    while i < n:  # 容量 in データ容量シェア: unconvertible kanji between Japanese characters
        if context[i] or taken[i] or not _HAN.match(text[i]):
            i += 1
            continue
        end = i
        while end < n and not context[end] and not taken[end] and _HAN.match(text[end]):
            end += 1
        between = text[i:end]
        if (
            i > 0
            and end < n
            and context[i - 1]
            and context[end]
            and len(between) <= _MAX_TIED
            and not any(map(converts, between))
        ):
            word[i:end] = [True] * (end - i)
        i = end
    i = 0
    while i < n:
        if word[i]:
            end = i
            while end < n and word[end]:
                end += 1
            take(i, end)
            i = end
        else:
            i += 1

    masked, spans, i = [], [], 0
    while i < n:
        if i in replacement:
            end, restored = replacement[i]
            masked.append(_PLACEHOLDER)
            spans.append(restored)
            i = end
        else:
            masked.append(text[i])
            i += 1
    return "".join(masked), spans


def _restore(converted: str, spans: list[str]) -> str:
    pieces = converted.split(_PLACEHOLDER)
    if len(pieces) != len(spans) + 1:
        raise RuntimeError("OpenCC changed a placeholder; protected text cannot be restored")
    out = [pieces[0]]
    for span, piece in zip(spans, pieces[1:], strict=True):
        out += (span, piece)
    return "".join(out)


def to_traditional(texts: list[str]) -> list[str]:
    """Simplified → Traditional with Taiwan phrasing, for a whole batch at once.

    Japanese inside the text is kept as written, and the phrase fixes applied (module docstring).
    """
    missing = [text for text in dict.fromkeys(texts) if text not in _converted]
    if missing:
        # The converter (40 MB of dictionaries, ~0.15 s to build) is only built when some text
        # is new: a reload that changed nothing, or one entry, does not stall the answers.
        for text, hant in zip(missing, _convert_elsewhere(missing), strict=True):
            _remember(text, hant)
    return [_converted[text] for text in texts]


CHILD_TIMEOUT_S = 300  # a 100,000-item knowledge base converts in well under a minute


def _convert_elsewhere(texts: list[str]) -> list[str]:
    """`_convert_all` in a child process (module docstring); here if no child can run."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot.chinese"],
            input=json.dumps(texts),  # ASCII-escaped both ways: no locale can garble it
            capture_output=True,
            text=True,
            check=True,
            timeout=CHILD_TIMEOUT_S,
        )
        converted = json.loads(done.stdout)
        if isinstance(converted, list) and len(converted) == len(texts):
            return converted
        raise ValueError("the converter process returned another number of texts")
    except (OSError, ValueError, subprocess.SubprocessError) as exc:
        logging.getLogger(__name__).warning(
            "zh-Hant conversion in a child process failed (%s); converting here", exc
        )
    converter = opencc.OpenCC("s2twp")
    try:
        return _convert_all(converter, texts)
    finally:
        del converter
        _return_freed_memory()


# Converted texts of this process, so that reloads convert only what is new; bounded, oldest
# forgotten first (a knowledge base holds about 600 texts; a 100,000-item one far more).
CONVERTED_KEPT = 50_000
_converted: dict[str, str] = {}


def _remember(text: str, hant: str) -> None:
    if len(_converted) >= CONVERTED_KEPT:
        del _converted[next(iter(_converted))]
    _converted[text] = hant


def _convert_all(converter: opencc.OpenCC, texts: list[str]) -> list[str]:
    @functools.cache
    def converts(char: str) -> bool:
        return converter.convert(char) != char

    converted = []
    for text in texts:
        masked, spans = _protect(text, converts)
        converted.append(_restore(apply_phrase_fixes(converter.convert(masked)), spans))
    return converted


@functools.cache
def _converted_shared(char: str) -> str | None:
    """For 攜: 携, the form Japanese writes; None if Japanese would write `char` itself."""
    simplified = _t2s.convert(char)
    if simplified == char or len(simplified) != 1 or _in_jis(char, level1_only=True):
        return None
    return simplified if _in_jis(simplified, level1_only=True) else None


def hant_problems(text: str) -> list[str]:
    """Problems in a generated zh-Hant text, for `check`; [] when it looks right.

    * a DENY_LIST term (with PHRASE_FIXES' guards, so 每日元氣 is not 日元);
    * Japanese half-converted: a JAPANESE_ONLY kanji directly next to a Traditional character
      whose simplified form is the one Japanese writes (攜 of 携, 國 of 国, 會 of 会) — a Japanese
      word never mixes those, so OpenCC converted one half of it (攜帯);
    * a private-use character (a placeholder that was not restored).
    """
    problems = []
    denied = []
    for m in _DENIED.finditer(text):
        denied.append((m.start(), m.end()))
        problem = (
            f"'{m.group()}' is not Taiwan usage or damaged Japanese: use {DENY_LIST[m.group()]}"
        )
        if problem not in problems:
            problems.append(problem)
    for i, char in enumerate(text):
        if char not in JAPANESE_ONLY:
            continue
        for j in (i - 1, i + 1):
            if not 0 <= j < len(text) or (japanese := _converted_shared(text[j])) is None:
                continue
            pair = (min(i, j), max(i, j) + 1)
            if any(start <= pair[0] and pair[1] <= end for start, end in denied):
                continue
            word = text[pair[0] : pair[1]]
            problem = (
                f"'{word}' mixes Japanese-only {char} with {text[j]}, the Traditional form of "
                f"{japanese}: Japanese converted as Chinese (keep {word.replace(text[j], japanese)})"
            )
            if problem not in problems:
                problems.append(problem)
    if leftover := _PRIVATE_USE.findall(text):
        problems.append(f"{len(leftover)} private-use character(s), e.g. U+{ord(leftover[0]):04X}")
    return problems


def _return_freed_memory() -> None:
    """Hand the converter's freed heap back to the OS (glibc keeps it otherwise); else a no-op."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


if __name__ == "__main__":  # the child process of `_convert_elsewhere`
    json.dump(_convert_all(opencc.OpenCC("s2twp"), json.load(sys.stdin)), sys.stdout)
