"""Read one message: what it asks, about which carriers, and how it is meant.

The matcher says which topic a question is closest to; this module says everything else a reply
depends on: the carriers named (or implied by a feature name such as パケットギフト) and those
excluded ("au以外", "除了 mineo", "other than povo"), whether what is being given is mobile data
at all (PayPay, points and gift cards are not), which aspect of a topic is asked about ("is it
free?"), and whether the message is small talk, a request for a carrier's card ("tell me about
mineo") or a follow-up ("what about docomo?").
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass

from bot.knowledge import ASPECTS
from bot.normalize import MARKERS, Analysis, folded_pattern

ASPECT_UNITS = {f"#{a}": a for a in ASPECTS}
# A message with these asks about carriers in general, so it never inherits the carrier a
# conversation was about: "日本哪家能送流量" after a mineo question is about every carrier.
GENERAL_TOKENS = frozenset({"#which", "#carrier_generic", "#japan"})
SMALLTALK = ("thanks", "bye", "greeting", "ack")
PARTIES = frozenset({"#friend", "#family"})
_OWN_MARKS = frozenset({"#own"})
SPEECH = frozenset({"说", "說", "讲", "講", "w:said", "w:says", "w:say"})  # who said it
_PERSON_MARKS = PARTIES | {"#third"}
_WHOSE = _OWN_MARKS | _PERSON_MARKS
_THEIR_LINE = _PERSON_MARKS | {"#receiver"}  # whose line "not X" is said of: "相手がXじゃなく"
# How far before a carrier's name the person whose it is may stand ("我妹剛到日本 還在用…旅遊
# eSIM"), unless another carrier is named in between.
WHOSE_REACH = 6
_PEOPLE = frozenset(
    {"#friend", "#family", "人", "w:people", "w:users"}
)  # by precedence: "hi, thanks!" is thanks
# Concepts of this bot's domain (mobile data, SIMs, plans, carriers, the law on handing them
# over): a question without any of them and without a carrier is about something else
# ("best ramen near shibuya?", "日本的随身wifi哪家好") however it is phrased.
_DOMAIN = "data sim hotspot carryover multiline share topup plan carrier_generic packetgift "
_DOMAIN += "datapresent tank contract prepaid tourist unlimited code lend leaving received law "
_DOMAIN += "sell buy market cash recommend"
DOMAIN_UNITS = frozenset(f"#{name}" for name in _DOMAIN.split())
# Concepts that make a question about mobile data whatever else it names ("想给switch联网打游戏"
# with a hotspot is about tethering, not about giving a game).
_DATA = "data hotspot carryover multiline packetgift datapresent tank"
DATA_UNITS = frozenset(f"#{name}" for name in _DATA.split())


@dataclass(frozen=True)
class Reading:
    analysis: Analysis  # units exclude markers (see normalize.MARKERS)
    carriers: tuple[str, ...]  # what the question is about: named or implied, minus excluded
    excluded: tuple[str, ...]
    aspects: tuple[str, ...]
    smalltalk: str | None  # thanks | greeting | ack, when that is all the message is
    chatty: str | None  # the small-talk kind a message contains, whatever else it holds
    card: bool  # "tell me about", "介绍一下", "について教えて"
    followup: bool  # "what about", "那…呢", "じゃあ"
    asked: tuple[str, ...]  # the carriers next to "what about" / "…呢": a swap, not a friend's
    general: bool
    compare: bool  # "vs", "还是", "どっち", "both"
    nondata: bool  # gives something that is not mobile data (and no data is mentioned)
    in_domain: bool  # names a carrier or a concept of mobile data, SIMs or plans
    offtopic: bool

    @functools.cached_property
    def concepts(self) -> frozenset[str]:
        """The message's concepts (#gift, #data…), the units that carry its meaning."""
        return frozenset(u for u in self.analysis.units if u.startswith("#"))

    @property
    def content(self) -> tuple[str, ...]:
        """What the message asks about beyond carriers and aspects."""
        return tuple(u for u in self.analysis.units if u not in ASPECT_UNITS)

    @property
    def named(self) -> bool:
        return bool(self.carriers or self.excluded)


# "除咗au同mineo", "auとmineo以外", "other than au and mineo": one list of carriers
_AND = frozenset({"和", "同", "跟", "与", "及", "或", "と", "や", "w:and", "w:or", "w:nor"})


# Carriers listed with "and" / "or" in the text itself.
_LISTED = re.compile(
    r"[a-z\u30a0-\u30ff]\s?(?:和|跟|与|同|及|或|と|や|\band\b|\bor\b)\s?[a-z\u30a0-\u30ff]"
)
# A word between "not" and a carrier's name that leaves the carrier as it is: "not regular docomo"
# Who something is for, between "不是" and what is denied ("不是帮她充值", "不是给他买").
_FOR_SOMEONE = frozenset({"帮", "给", "替", "俾", "#third"})
# Words between "not" and the concept denied: "not asking about hotspot", "不是问热点".
_ASKING = frozenset({"w:asking", "w:talking", "#about", "问", "問"})
_BEFORE_DENIED = _FOR_SOMEONE | _ASKING
_PLAIN = frozenset({"w:regular", "w:normal", "w:plain", "w:original", "w:usual", "w:main"})


def _carrier_at(tokens: tuple[str, ...], at: int) -> bool:
    return 0 <= at < len(tokens) and tokens[at].startswith("@")


# A carrier corrected, not left out: "ドコモじゃなくてirumo", "not docomo, irumo".
_CORRECTED = re.compile(
    r"じゃなく|ではなく|じゃない|じゃのう|じゃのー|やのう|やなく|不是|唔系|\bnot\b"
)


# A carrier said not to do something, then which one does: "rakuten can't gift data, which
# carrier can?", "乐天不能送流量 那哪家可以", "楽天はギガ送れないんだよね、どこならできる？"
_CANNOT_THEN_WHICH = re.compile(
    r"(?:不能|不行|没法|沒法|不可以|不了|做不到|唔得|唔可以|できない|れない|ダメ|だめ|無理"
    r"|\bcan ?t\b|\bcannot\b|\bcan not\b|\bdoesn ?t\b|\bdoes not\b|\bdon ?t\b|\bwon ?t\b)"
    r"[^?？]{0,30}?"
    r"(?:哪家|哪间|哪間|哪些|哪个运营商|哪個運營商|哪个公司|邊間|边间|どこ"
    r"|\bwhich (?:carrier|company|provider|one|ones|sim)|\bany (?:other )?carrier|\bwhat carrier)"
    # which one *can* (not "データ繰り越しできないキャリアはどこ", which cannot)
    r"[^?？]{0,12}?(?:可以|能|行|できる|できます|いける|\bcan\b|\bdoes\b|\bdo\b|\ballows?\b)"
)


def _ruled_out(tokens: tuple[str, ...], folded: str) -> list[str]:
    """The one carrier named before "can't … which can?": left out of the question."""
    named = [t for t in tokens if t.startswith("@")]
    if (
        "#which" not in tokens
        or len(set(named)) != 1
        or tokens.index(named[0]) > tokens.index("#which")
        or not _CANNOT_THEN_WHICH.search(folded)
    ):
        return []
    return [named[0][1:]]


def _excluded(tokens: tuple[str, ...], folded: str) -> list[str]:
    """Carriers right after "除了 / other than" or right before "以外 / 之外"."""
    out: list[str] = []
    for i, token in enumerate(tokens):
        if token == "#except":
            j = i + 1
            if tokens[j : j + 1] and tokens[j] in _PLAIN and _carrier_at(tokens, j + 1):
                j += 1  # "not regular docomo": the carrier itself, plainly
            first = j
            while j < len(tokens) and (
                tokens[j].startswith("@") or (tokens[j] in _AND and _carrier_at(tokens, j + 1))
            ):
                j += 1
            if i > 0 and tokens[i - 1] == "#gift" and j < len(tokens) and tokens[j] in _PEOPLE:
                continue  # "送给不是au的人": who receives, not a carrier left out
            if i > 0 and tokens[i - 1] == "#third" and first < j and tokens[j : j + 1] != ("#to",):
                # "儿子能帮我买点吗 他不是his的": whose carrier he is not on (but "她不是软银
                # 是那个歪猫拜尔" corrects the one she is on)
                continue
            run = tokens[first:j]
            if (
                j == len(tokens)
                and len(run) > 1
                and not _AND.intersection(run)
                and not _LISTED.search(folded)  # ("除了 docomo 和 softbank": 和 is a stopword)
            ):
                run = run[:-1]  # "sorry not docomo, ahamo": a correction, the last is meant
            # (one named again after the run is meant: "sorry not au, UQ. we are both UQ")
            named = [t for t in run if t.startswith("@")]
            # (nor one named before "not": "I meant UQ mobile not au, my phone's on UQ")
            out.extend(
                t[1:]
                for t in named
                if len(named) == 1 or (t not in tokens[j:] and t not in tokens[:i])
            )
        elif token == "#except_after":
            j = i - 1
            while j >= 0 and (
                tokens[j].startswith("@") or (tokens[j] in _AND and _carrier_at(tokens, j - 1))
            ):
                # (not one named again right after a correction: "ドコモじゃなくてirumo", a
                # plan of the same one; "乐天以外的，乐天我知道不行" still leaves it out)
                if tokens[j].startswith("@") and not (
                    tokens[i + 1 : i + 2] == (tokens[j],) and _CORRECTED.search(folded)
                ):
                    out.append(tokens[j][1:])
                j -= 1
    return out


def _next_to_followup(tokens: tuple[str, ...]) -> list[str]:
    """The carriers right next to a follow-up's "what about" / "…呢" ("au呢", "what about au")."""
    if "#followup" not in tokens:
        return []
    at = tokens.index("#followup")
    if _PERSON_MARKS.intersection(tokens[max(0, at - 3) : at]):
        return []  # "他上个月换成乐天了": what a person did, not "what about" a carrier
    if at > 0 and tokens[at - 1] == "#except_after":
        return []  # "那乐天以外的呢 乐天我知道不行": the others, whatever is said of it next
    # (a list of carriers counts whole: "咁Y!mobile同LINEMO呢", "那au和docomo呢")
    start = at
    while start > 0 and (
        tokens[start - 1].startswith("@")
        or (tokens[start - 1] in _AND and _carrier_at(tokens, start - 2))
    ):
        start -= 1
    if start < at:  # "au呢"; but "除了乐天呢" asks about the others
        return (
            []
            if start > 0 and tokens[start - 1] == "#except"
            else [t[1:] for t in tokens[start:at] if t.startswith("@")]
        )
    end = at + 1
    while end < len(tokens) and (
        tokens[end].startswith("@") or (tokens[end] in _AND and _carrier_at(tokens, end + 1))
    ):
        end += 1
    if tokens[end : end + 1] == ("#except_after",):
        return []  # "じゃあ楽天モバイル以外で…": the others
    return [t[1:] for t in tokens[at + 1 : end] if t.startswith("@")]


def _gives_between(tokens: tuple[str, ...]) -> bool:
    """Whether an act of giving stands between two carriers' names ("咁au送唔送到去UQ？",
    "can au send to UQ then?"): from one to the other."""
    named = [i for i, t in enumerate(tokens) if t.startswith("@")]
    return any(
        "#gift" in tokens[i + 1 : j]
        and tokens[i] != tokens[j]
        # ("mineo lets you gift data, what about OCN?": a new question about the second)
        and "#followup" not in tokens[i + 1 : j]
        for i, j in itertools.pairwise(named)
    )


def _asked_in_followup(tokens: tuple[str, ...], carriers: tuple[str, ...]) -> tuple[str, ...]:
    """The carriers a follow-up asks about: "那ahamo呢 也是多可摩家的吧" asks about ahamo
    (docomo is an aside); "那au和docomo呢" asks about both."""
    asked = [c for c in _next_to_followup(tokens) if c in carriers]
    return tuple(dict.fromkeys(asked)) or carriers


# Japan as where someone comes or goes: "下次嚟日本先用", "日本に来たとき", "back to Japan".
_TO_JAPAN = folded_pattern(
    r"(?:来|來|嚟|去|到|回|返)日本|日本(?:に|へ)(?:来|き|戻|遊び)|\b(?:to|visit|visiting) japan\b"
    # or where someone is: "ご家族も日本にいます", "家人也在日本"
    r"|日本に(?:いま|いる|住)|(?:也|都|还|還|住)在日本|在日本(?:住|生活|读书|讀書|工作|留学|留學)|\b(?:is|are|lives?) in japan\b"
)


def _general(tokens: tuple[str, ...], units: tuple[str, ...], folded: str) -> bool:
    """Whether the message asks about carriers in general ("日本哪家…", "any carrier"). "Japan"
    before a friend is where the friend is ("还留在日本的朋友"), and Japan as where someone
    comes ("下次嚟日本先用") is a place, not a general question."""
    placed = set()  # "#japan" when it says where, not which carriers
    for i, token in enumerate(tokens):
        if token in GENERAL_TOKENS:
            if (
                token == "#japan"
                and (
                    tokens[i + 1 : i + 2] == ("#friend",)
                    or _TO_JAPAN.search(folded)
                    # "他的日本卡": someone's Japanese SIM, not Japan's carriers
                    or (tokens[i - 1 : i] == ("#third",) and tokens[i + 1 : i + 2] == ("#sim",))
                    # "改辦日本的LINEMO": Japan's LINEMO, one carrier
                    or _carrier_at(tokens, i + 1)
                    # "像国内那种亲情号共享那样": home, what the question is compared with
                    or tokens[i - 1 : i] == ("#like",)
                )
            ):
                placed.add(token)
                continue
            return True
    return bool((GENERAL_TOKENS & set(units)) - placed)


def _said_before(tokens: tuple[str, ...], carrier: str, marks: frozenset[str]) -> bool:
    """Whether one of `marks` is the nearest whose-mark within the two tokens before
    `carrier`'s name ("俾佢 我係ahamo": the user's, said after the friend)."""
    key = "@" + carrier
    for i, token in enumerate(tokens):
        if token != key or (i > 0 and tokens[i - 1] in SPEECH):
            continue  # "学长说mineo可以送": who said it, not who uses it
        nearest = None
        start = max(0, i - WHOSE_REACH)
        for j in range(i - 1, start - 1, -1):
            t = tokens[j]
            if t[0] == "@":
                break  # another carrier's name: what came before is about that one
            if t in SPEECH:
                break  # "my senpai say ギガ can give with mineo": what was said, not theirs
            if t in _WHOSE:
                nearest = t
                if t in _OWN_MARKS and j > 0 and tokens[j - 1] == "#third":
                    # "her own povo SIM": hers, not the user's (but "老公：我是softbank" is his)
                    nearest = "#third"
                break
        if nearest in marks:
            return True
    return False


def not_theirs(tokens: tuple[str, ...]) -> list[str]:
    """The carriers a person is said not to be on ("对方不是mineo", "my friend is not on nuro",
    "相手がIIJmioじゃなくても"): in a question about giving, the user's own."""
    before = [
        tokens[i + 1][1:]
        for i, token in enumerate(tokens[1:-1], 1)
        if token == "#except" and tokens[i - 1] in _THEIR_LINE and tokens[i + 1][0] == "@"
    ]
    after = [
        tokens[i - 1][1:]
        for i, token in enumerate(tokens[2:], 2)
        if token == "#except_after" and tokens[i - 1][0] == "@" and tokens[i - 2] in _THEIR_LINE
    ]
    return before + after


_HANDED = frozenset({"#gift", "#lend", "#sell", "#leftover"})  # what is done with a SIM


def owned(tokens: tuple[str, ...], carrier: str) -> bool:
    """Whether the message gives `carrier` as the user's own ("我用的softbank", "I'm on povo"),
    also said after it in Japanese with no one else's before it ("povo使ってるんだけど"; not
    "彼氏がLINEMOを使ってる", "mineo使ってる友達")."""
    if _said_before(tokens, carrier, _OWN_MARKS):
        return True
    after = _after_its_use(tokens, carrier)
    return (
        after is not None
        # (not the mark of the next carrier: "攝影師用ahamo 我用樂天")
        and not (after in _PERSON_MARKS or after.startswith("@"))
        and not _said_before(tokens, carrier, _PERSON_MARKS)
    )


def someones(tokens: tuple[str, ...], carrier: str) -> bool:
    """Whether the message gives `carrier` as a friend's or a relative's: a person is named
    just before it ("娘がahamoで", "my friend is on au", "我妈用的docomo", "他用的是UQ"), or
    just after its use ("ドコモを使っている別の寮生", "mineo使ってる友達")."""
    if _said_before(tokens, carrier, _PERSON_MARKS):
        return True
    return _after_its_use(tokens, carrier) in _PERSON_MARKS


def _after_its_use(tokens: tuple[str, ...], carrier: str) -> str | None:
    """When the carrier's name is followed by its use ("povo使ってる", "ドコモを使っている"), the
    token after that ("" at the end): whose use it is in Japanese word order. None otherwise."""
    key = "@" + carrier
    if key not in tokens:
        return None
    at = tokens.index(key)
    if tokens[at + 1 : at + 2] != ("#own",):
        return None
    return tokens[at + 2] if at + 2 < len(tokens) else ""


# What right after a carrier's name makes it someone else's line: "povo用户", "用povo的人",
# "povoユーザー", "povo users" (the tokens the reading leaves of them).
_USERS_AFTER = (("用", "户"), ("用", "戶"), ("人",), ("w:user",), ("w:users",), ("w:ユーザー",))


def users_of(tokens: tuple[str, ...], carrier: str) -> bool:
    """Whether the message names people on `carrier` as its users ("可以送給用povo的人嗎",
    "能送给povo用户吗", "can I send to a povo user"), not the user's own line ("我是mineo用户")."""
    key = "@" + carrier
    if tokens.count(key) != 1:
        return False  # "那IIJmio能送给别的IIJmio用户吗", "乐天呢？乐天用户之间": the carrier itself
    for i, token in enumerate(tokens):
        if token != key or (i > 0 and tokens[i - 1] in _OWN_MARKS):
            continue
        if any(tokens[i + 1 : i + 1 + len(after)] == after for after in _USERS_AFTER):
            return True
    return False


def _has_symbol(text: str) -> bool:
    """An emoji or pictograph (👍, 🙏): a reaction when nothing else was typed."""
    return any(unicodedata.category(ch) == "So" for ch in text[:50])


def _negated(tokens: tuple[str, ...]) -> set[str]:
    """Concepts said not to be the question: "carry over not tether", "シェアじゃなくて
    プレゼント", "是借给室友 不是卖", and the known way round it ("…送给他吗 还是只能开热点")."""
    out = set()
    for i, token in enumerate(tokens):
        if token in ("#except", "#alternative") and i + 1 < len(tokens):
            # the concept right after it; "还是只能开热点" has a verb character before
            reach = 2 if token == "#alternative" else 1
            j = i + 1
            while token == "#except" and j < len(tokens) - 1 and tokens[j] in _BEFORE_DENIED:
                j += 1  # "不是帮她充值", "not asking about hotspot": the concept after them
            for following in tokens[j : j + reach]:
                if following.startswith("#") and following[1:] not in MARKERS:
                    # (not the same concept either way: "will it roll over or just expire?")
                    if not (token == "#alternative" and following in tokens[:i]):
                        out.add(following)
                    break
        elif token == "#except_after" and i > 0:
            preceding = tokens[i - 1]
            # (not one of the same kind named after it: "闲鱼じゃなくて日本のアプリで、メルカリとか")
            if (
                preceding.startswith("#")
                and preceding[1:] not in MARKERS
                and preceding not in tokens[i + 1 :]
            ):
                out.add(preceding)
    return out


def denied_concepts(analysis: Analysis) -> set[str]:
    """The concepts the message says are not the question (see _negated), when something else
    is left: "like for expats not tourists" is not about travel SIMs."""
    negated = _negated(analysis.tokens)
    return negated if negated and set(analysis.units) - negated else set()


_ASKS = re.compile(
    r"[?？吗嗎呢么麼]|怎|如何|どう|か$|\b(how|what|which|can|could|is|are|do|does)\b"
    # Cantonese asks without a question mark: "點樣整 step by step 唔該", "得唔得", "有冇"
    r"|[点點][样樣]|[点點]整|[几幾]多|[边邊][个個度间間]|[乜咩]|得唔得|可唔可以|有冇|[系係]咪",
    re.I,
)
_DECIDED = re.compile(
    r"我就|那就|就这样|就這樣|i'll just|i will just|にします|ことにします|しよう"
    # a decision made: "最後兩個都辦mineo了", "we went with ahamo", "povoにしました"
    r"|最後|最后|决定|決定|[办辦][^\s，。,]{0,10}了|went with|ended up|signed up|にしました|に決め"
)


def _signs_off(markers: set[str], analysis: Analysis, carriers: tuple[str, ...], text: str) -> bool:
    """Thanks said with a last word that asks nothing ("攻略终于写完啦 谢谢你一直陪我查资料",
    "好喔 那我就開熱點給她 謝啦"): no question, no carrier, and nothing of the topics or a
    decision the user has made."""
    if "thanks" not in markers or _ASKS.search(text):
        return False
    if carriers and not (_DECIDED.search(text) or _NEVER_MIND.search(text)):
        return False  # (but "先办ahamo 谢了": a decision; "乐天是不限量的 那没事了 谢了": no need)
    concepts = {u for u in analysis.units if u.startswith("#")} - {"#data"} - PARTIES  # 哥们
    return not concepts or bool(_DECIDED.search(text) or _NEVER_MIND.search(text))


# The question dropped: "那没事了", "never mind", "なんでもないです"
_NEVER_MIND = re.compile(r"[没沒冇]事了|\bnever ?mind\b|\bnvm\b|なんでもない|何でもない", re.I)


# What the user will do, said after an answer: "申し込んでみます", "那我让她自己买吧", "I'll just
# use hotspot then" (folded text)
_WILL_DO = folded_pattern(
    r"[てで]みます|[てで]みる|やってみ|我去|我先|那我.{0,12}吧|\bi ?(?:ll|will)\b|\bgonna\b|にします|しよう"
)


WILL_DO_MAX_CHARS = 40


def _says_what_they_will_do(markers: set[str], folded: str, text: str) -> bool:
    """An "ok" and what the user will do now, asking nothing ("なるほど、じゃあ申し込んでみます",
    "行 那我让她自己买吧", "ok I'll just use hotspot then"): the end of a chat, not a question
    about what they will do."""
    return (
        "ack" in markers
        and len(text) <= WILL_DO_MAX_CHARS  # (a chat's last word is short)
        and _WILL_DO.search(folded) is not None
        and not _ASKS.search(text)
        and "?" not in text
        and "？" not in text
    )


# Data topped up: "充流量", "给我的povo买流量", "top up data", "ギガを追加" (not "拿来买流量":
# what points would be spent on).
_DATA_WORD = re.compile(
    r"(?:[充加续]|充值|给[^\s，。,?？吗转让钱円元]{0,12}买)(?:点|些|一点)?(?:流量|数据)|top ?up (?:\w+ )?data"
    r"|buy (?:\w+ )?data for|ギガを?(?:足|追加|チャージ)|extra data|加量包|加油包|追加包|叠加包"
)


def says_data(analysis: Analysis) -> bool:
    """Whether the message names mobile data, also inside a top-up ("充流量", whose data the
    top-up concept swallows); expiry says nothing of what expires ("积分快过期了": points)."""
    return bool((DATA_UNITS - {"#carryover"}) & set(analysis.units)) or (
        # "能用支付宝给儿子日本的手机号充流量吗": data topped up, paid with something else
        "#topup" in analysis.units and _DATA_WORD.search(analysis.folded) is not None
    )


def _turns_to_nondata(tokens: tuple[str, ...]) -> bool:
    """Whether the message turns from data to something else ("ギガが無理ならdポイントを孫に
    送れますかね", "data's a no, so what about PayPay?"): after its last "then / なら", a
    non-data thing is named and no data."""
    if "#followup" not in tokens:
        return False
    after = tokens[len(tokens) - tokens[::-1].index("#followup") :]
    return "$" in after and not (DATA_UNITS - {"#carryover"}) & set(after)


_PHONE_CARD = folded_pattern(r"sim|[手电][机话]卡|[门門][号號]|号码|號碼")


def _sim_changes_hands(analysis: Analysis) -> bool:
    """Whether a SIM is handed on to someone who goes on using it ("我直接把卡给她 每个月她转钱给
    我"): the money paid back is for the line, which is what the law is about, not a money
    transfer asked of the bot."""
    units = set(analysis.units)
    tokens = analysis.tokens
    return (
        "#sim" in units
        and bool(units & {"#gift", "#lend", "#sell"})
        and (
            "#keep_using" in tokens
            # a phone's SIM given away on leaving ("我回国以后乐天的卡…可以给别人吗 还有乐天积分
            # 怎么办"), not a card holding money ("Suica余额…回国了 卡里还有三千多")
            or (
                "#leaving" in tokens
                and bool(analysis.carriers or _PHONE_CARD.search(analysis.folded))
            )
        )
    )


# Words that say a carrier is the one the user had before ("以前用ahamo现在换了IIJmio", "my old
# carrier was docomo", "从软银换到mineo"): how far before the carrier they may stand.
_PAST = frozenset({"#old", "#past", "w:before", "w:previously", "w:formerly"})
_FROM = frozenset({"从", "w:from"})  # right before the carrier: "从软银换到mineo"
PAST_REACH = 5
# Moving from the carrier just said to the next ("老公docomo想换成ahamo")
_MOVES_ON = folded_pattern(r"换成|換成|换到|換到|改成|改用|switch(?:ing)? to|に乗り?換え")
# "XからYに乗り換えた", "XからYにした": moved from the first carrier to the second
# (done, not weighed: "LINEMOからIIJmioにMNPしようか迷ってます" still compares the two)
_FROM_X_TO_Y = r"から\s?\S{1,12}?(?:に|へ)"
_MOVING_FROM = folded_pattern(_FROM_X_TO_Y + r"(?:乗り?换え|変え|替え|かえ|mnp)")
_MOVED_FROM = folded_pattern(
    _FROM_X_TO_Y + r"(?:乗り?换え|変え|替え|かえ|mnp ?し|移っ|移り)?(?:た|まし)"
)
# "楽天から乗り換えてmineoにした": moved, said before the carrier moved to
_LEFT_FOR = folded_pattern(r"から\s?(?:乗り?换え|変え|替え|かえ|mnp ?し)て")


def _past(tokens: tuple[str, ...], folded: str) -> list[str]:
    """Carriers said to be the ones the user had before (not crossing another carrier)."""
    out = []
    for i, token in enumerate(tokens):
        if not token.startswith("@"):
            continue
        if (
            tokens[i + 1 : i + 2] == ("#followup",)
            and tokens[i + 2 : i + 3][:1]
            and tokens[i + 2].startswith("@")
            and tokens[i + 2] != token  # ("换成povo呢？povo不也是…": the same one again)
            and _MOVES_ON.search(folded)
        ):
            out.append(token[1:])  # "老公docomo想换成ahamo": docomo is left behind
            continue
        # (not "从povo这边能送她点流量不": the side the data leaves from)
        if i > 0 and tokens[i - 1] in _FROM and tokens[i + 1 : i + 2] != ("边",):
            out.append(token[1:])
            continue
        if (
            tokens[i + 1 : i + 2][:1]
            and tokens[i + 1].startswith("@")
            and tokens[i + 1] != token
            and (
                _MOVED_FROM.search(folded)
                # (or weighed, then the second asked about alone: "UQからワイモバに乗り換え
                # 検討中。ワイモバって余ったギガ繰り越せる？")
                or (
                    _MOVING_FROM.search(folded)
                    and tokens[i + 1] in tokens[i + 2 :]
                    and token not in tokens[i + 2 :]
                )
            )
        ):
            out.append(token[1:])  # "楽モバからpovoに乗り換えた": the first is left behind
            continue
        later = [t for t in tokens[i + 1 :] if t.startswith("@")]
        if later and later[0] != token and token not in later and _LEFT_FOR.search(folded):
            out.append(token[1:])  # "楽天から乗り換えてmineoにした"
            continue
        for j in range(i - 1, max(-1, i - 1 - PAST_REACH), -1):
            if tokens[j].startswith("@"):
                break
            if tokens[j] in _PAST:
                out.append(token[1:])
                break
    return out


# What a recommendation asked for holds ("推荐哪家", "what do you recommend").
_ASKED_WITH = frozenset({"#which", "#about", "#compare"})


def _only_reported(tokens: tuple[str, ...], text: str) -> bool:
    """Whether the message's "recommend" reports someone's recommendation: a carrier's name
    right after it ("同事推荐BIGLOBE", "推荐我们办mineo") or said last ("…能送流量吗 学校推荐的",
    "my senpai recommend it"), and no "which" or comparison asked."""
    return not _ASKED_WITH & set(tokens) and bool(_REPORTED.search(text))


_REPORTED = re.compile(
    r"推[荐薦](?:了|过|過)?(?:我们|我們|我|大家)?(?:用|办|辦|换成|換成)?\s*(?=[A-Za-z\u30a0-\u30ff])"
    r"|推[荐薦](?:了|过|過)?(?:我们|我們|我)?(?:用|办|辦)(?:这个|這個|这家|這家)"
    r"|推[荐薦]的[\s。.!！]*$|推[荐薦]的(?:这个|這個)|recommends? it\b|recommended (?:it|me)\b",
    re.IGNORECASE,
)


def _likened(tokens: tuple[str, ...]) -> list[str]:
    """Carriers named as a likeness ("nuro能像mineo一样送吗", "does nuro have packet gift like
    mineo?", "nuroにもmineoみたいなのある？"): the one compared with, not the one asked about."""
    return [
        token[1:]
        for i, token in enumerate(tokens)
        if token.startswith("@")
        and (tokens[i - 1 : i] == ("#like",) or tokens[i + 1 : i + 2] == ("#like_after",))
    ]


# A network named as what another carrier runs on: "HIS mobile 是 docomo 回线吧", "mineo（au回線）".
_NETWORK = folded_pattern(
    r"(docomo|ドコモ|\bau\b|softbank|ソフトバンク|ソフバン|软银|軟銀|rakuten|楽天|乐天|樂天)"
    r"(?:の|的|s|\sis (?:just |only )?(?:the |their |its )?)?\s?"
    r"(?:回线|回線|线路|線路|网络|網路|网|網|信号|信號|network)(?!から|へ|到|转|轉|费|費)"
)
_NETWORK_IDS = {
    "docomo": "docomo",
    "ドコモ": "docomo",
    "au": "au",
    "softbank": "softbank",
    "ソフトバンク": "softbank",
    "ソフバン": "softbank",
    "软银": "softbank",
    "軟銀": "softbank",
    "rakuten": "rakuten",
    "楽天": "rakuten",
    "乐天": "rakuten",
    "樂天": "rakuten",
}


def networks_named(folded: str) -> set[str]:
    """The carriers named only as the network another carrier uses."""
    return {_NETWORK_IDS[m.group(1)] for m in _NETWORK.finditer(folded)}


_HEARD = SPEECH | {"w:heard", "听", "聽", "闻"}
_ONLY_ONE = folded_pattern(
    r"(?:是不是|是否|难道|为什么|为啥子?|為什麼|為啥|点解|點解)只有|\bis (?:it )?only\b|\bwhy (?:is )?only\b"
)
_WHAT_IS = re.compile(r"[是系](?:哪|什么|啥)")


def _only_heard_of(tokens: tuple[str, ...], carriers: tuple[str, ...], folded: str) -> bool:
    """Whether the message asks which carriers do something and names carriers only as what
    someone said ("哪些运营商支持互送流量？…有人说mineo可以", "I heard mineo can, which carriers
    let you gift data?"): a question about carriers in general."""
    if not carriers or not {"#which", "#carrier_generic"} <= set(tokens):
        return False
    if _WHAT_IS.search(folded):
        return False  # "米诺是哪个公司": what the carrier named is
    heard = {
        t[1:]
        for i, t in enumerate(tokens)
        if t.startswith("@") and _HEARD & set(tokens[max(0, i - 2) : i] + tokens[i + 1 : i + 2])
    }
    return set(carriers) <= heard


def _only_one(tokens: tuple[str, ...], folded: str) -> bool:
    """Whether the message asks if one carrier is the only one ("是不是只有mineo能送流量", "is it
    only mineo?"): whether any other can, a question about every carrier."""
    return _ONLY_ONE.search(folded) is not None and any(
        t in ("只", "w:only") and tokens[i + 1 : i + 2] and tokens[i + 1].startswith("@")
        for i, t in enumerate(tokens)
    )


def read(analysis: Analysis, implied: tuple[str, ...], text: str) -> Reading:
    """`implied`: the carriers named or implied by feature names (Matcher.implied_carriers)."""
    if "#recommend" in analysis.units and _only_reported(analysis.tokens, text):
        # "同事推荐BIGLOBE", "大叔推荐我用biglobe", "…能送流量吗 学校推荐的": a carrier someone
        # recommended, not a recommendation asked for. (Read here, in questions only: the
        # knowledge's samples keep theirs.)
        units = tuple(u for u in analysis.units if u != "#recommend")
        analysis = dataclasses.replace(analysis, units=units)
    negated = _negated(analysis.tokens)
    if negated and set(analysis.units) - negated:
        units = tuple(u for u in analysis.units if u not in negated)
        analysis = dataclasses.replace(analysis, units=units)
    tokens = analysis.tokens
    # "au呢 uq不是au家的吗": the carrier a follow-up asks about is not excluded by an aside.
    asked = _next_to_followup(tokens)
    excluded = tuple(
        c
        for c in dict.fromkeys(
            _excluded(tokens, analysis.folded) or _ruled_out(tokens, analysis.folded)
        )
        if c not in asked
    )
    carriers = tuple(c for c in implied if c not in excluded)
    past = set(_past(tokens, analysis.folded))
    if past and set(carriers) - past:
        # "我和哥们都是mineo 以前用OCN": the carrier had before is not what is asked about.
        carriers = tuple(c for c in carriers if c not in past)
    likened = set(_likened(tokens))
    if likened and set(carriers) - likened:
        carriers = tuple(c for c in carriers if c not in likened)
    networks = networks_named(analysis.folded) if len(carriers) > 1 else set()
    if networks and set(carriers) - networks:
        # "HIS mobile 是 docomo 回线吧，tethering 有限制吗": asked of HIS, on docomo's network
        carriers = tuple(c for c in carriers if c not in networks)
    if _only_heard_of(tokens, carriers, analysis.folded) or _only_one(tokens, analysis.folded):
        carriers = ()
    if (
        carriers
        and set(carriers) <= set(analysis.places)
        and _general(tokens, analysis.units, analysis.folded)
    ):
        # "我去au店问了…所以日本到底有没有能送流量的运营商": the shop where they asked, and a
        # question about every carrier
        carriers = ()
    markers = {t[1:] for t in tokens if t.startswith("#")}
    if "followup" in markers and len(carriers) > 1 and not _gives_between(tokens):
        carriers = _asked_in_followup(tokens, carriers)
    aspects = tuple(dict.fromkeys(ASPECT_UNITS[u] for u in analysis.units if u in ASPECT_UNITS))
    chatty = {t for t in tokens if t[1:] not in SMALLTALK}
    smalltalk = None
    if not chatty and not analysis.units and not analysis.offtopic and not analysis.nondata:
        smalltalk = next((kind for kind in SMALLTALK if kind in markers), None)
        if smalltalk is None and not tokens and _has_symbol(text):
            smalltalk = "ack"
    if smalltalk is None and _signs_off(markers, analysis, carriers, text):
        smalltalk = "thanks"
    if smalltalk is None and _says_what_they_will_do(markers, analysis.folded, text):
        smalltalk = "ack"
    # "就是积分 不是流量": data named only to say it is not the question
    has_data = says_data(analysis) and "#data" not in negated
    chatty_kind = next((kind for kind in SMALLTALK if kind in markers), None)
    return Reading(
        analysis=analysis,
        carriers=carriers,
        excluded=excluded,
        aspects=aspects,
        smalltalk=smalltalk,
        chatty=chatty_kind,
        card="about" in markers,
        followup="followup" in markers,
        asked=tuple(asked),
        # ("もうしこみ どこ? my au?": where, for the carrier named, not which carrier)
        general=_general(tokens, analysis.units, analysis.folded)
        and not (aspects and len(carriers) == 1 and "#carrier_generic" not in tokens),
        compare="compare" in markers,
        nondata=analysis.nondata
        and not _sim_changes_hands(analysis)
        and (not has_data or _turns_to_nondata(tokens)),
        # (and a SIM its units fold away, handed over: "日本手机卡还剩半个月 能直接给学妹用吗")
        in_domain=bool(implied)
        or bool(DOMAIN_UNITS & set(analysis.units))
        or ("#sim" in tokens and bool(_HANDED & set(analysis.units))),
        offtopic=analysis.offtopic,
    )


def without_aspects(analysis: Analysis) -> Analysis:
    """The analysis with aspect concepts removed: what to match when only the aspect is new."""
    units = tuple(u for u in analysis.units if u not in ASPECT_UNITS)
    return dataclasses.replace(analysis, units=units)
