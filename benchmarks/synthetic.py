"""Synthetic knowledge bases of any size in the carrier × topic format, made by varying the real one.

**What N counts.** A knowledge base of N *items* has N = topics + entries + cells: every piece
that holds an answer of its own (carriers are not counted separately; their facts are their
cells). The shipped knowledge base has 18 carriers × 5 topics = 90 cells, 5 topics and 8 entries:
103 items. A synthetic one scales that shape in both directions by the same factor s: 18·s
carriers, 5·s topics (so 90·s² cells) and about 8·s entries, so most items are cells, as in the
real one (87 %). N = 1,000 is 59 carriers × 16 topics + 40 entries; N = 10,000 is 189 × 52 + 120;
N = 100,000 is 599 × 166 + 400 (see `shape_for`). Entries grow with s, not with N: the loader
reads at most 2,000 files and a carrier, a topic and an entry are one file each.

Scale figures only mean something if the big knowledge base looks like the real one to the loader
and the matcher: the same file shapes and text lengths, the same vocabulary, carriers named in
every script. So everything synthetic is a variation of something real:

* an invented carrier (an MVNO with romaji, katakana and Chinese names, plus a typo) copies real
  carrier k mod 18: its names, and every one of its cells with the real carrier names in the text
  replaced by the invented one's;
* an invented topic narrows real topic k mod 5 to a situation (a tablet, a work phone, a senior
  plan, …, written in Chinese, Japanese and English): the template's sample questions with the
  situation woven in (a question that already mentions the situation's concept is left out),
  reworded; its verdicts are the template's, it links to the template (see_also), and every
  carrier's cell for it copies that carrier's cell for the template. The woven questions the
  engine would not answer with their own topic are left out (`Generator.keep_answerable`), so a
  reload's self-test passes, as it must for any knowledge base the bot accepts;
* an invented entry makes general real entry k mod 5 (one about no carrier: the law, selling
  data, …) about one invented carrier, as mineo-packet-gift-howto is about mineo: the carrier's
  names put in its title, text and questions. (Entries about mineo or au are not copied: they name
  that carrier's own features, パケットギフト, データプレゼント, which mean that carrier.)

Sample questions are reworded (a synonym from knowledge/synonyms.yaml swapped for another of the
same script, a greeting such as 请问 / すみません / hi added to half). The real knowledge base is
always included unchanged (its carrier files gain the invented topics' cells), so evaluation
questions still have their answers. Output is YAML read back by the real loader.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import random
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.engine import Snapshot, ask_snapshot
from bot.knowledge import (
    MAX_CHARS,
    MAX_FILES,
    MIN_QUESTIONS,
    Cell,
    Entry,
    KnowledgeBase,
    Topic,
    load_knowledge,
)
from bot.knowledge import Carrier as KbCarrier
from bot.matcher import Matcher
from bot.normalize import Normalizer

SEED = 20240601

# Two-letter kana syllables with a distinct katakana and Chinese transcription each, so names made
# of them decode one way and aliases never collide between two invented carriers.
_SYLLABLES = {
    "ka": ("カ", "卡"), "ki": ("キ", "基"), "ku": ("ク", "库"), "ke": ("ケ", "克"),
    "ko": ("コ", "科"), "sa": ("サ", "萨"), "su": ("ス", "苏"), "se": ("セ", "塞"),
    "so": ("ソ", "索"), "ta": ("タ", "塔"), "te": ("テ", "特"), "to": ("ト", "托"),
    "na": ("ナ", "纳"), "ni": ("ニ", "尼"), "nu": ("ヌ", "努"), "ne": ("ネ", "内"),
    "no": ("ノ", "诺"), "ha": ("ハ", "哈"), "hi": ("ヒ", "希"), "fu": ("フ", "弗"),
    "he": ("ヘ", "赫"), "ho": ("ホ", "霍"), "ma": ("マ", "玛"), "mi": ("ミ", "米"),
    "mu": ("ム", "穆"), "me": ("メ", "梅"), "mo": ("モ", "莫"), "ya": ("ヤ", "雅"),
    "yu": ("ユ", "尤"), "yo": ("ヨ", "约"), "ra": ("ラ", "拉"), "ri": ("リ", "里"),
    "ru": ("ル", "鲁"), "re": ("レ", "雷"), "ro": ("ロ", "罗"), "wa": ("ワ", "瓦"),
}  # fmt: skip
_BRAND_SUFFIXES = ("mobile", "sim", "link", "air", "mobairu")
_PREFIXES = {
    "zh-Hans": ("请问", "你好，", "问一下", "求助：", "大家好 "),
    "ja": ("すみません、", "質問です。", "教えてください：", "こんにちは "),
    "en": ("hi, ", "hello ", "quick question: ", "hey "),
}

# Situations that narrow a topic: (slug, zh-Hans, ja, en). Those that read as off-topic, name a
# carrier or a feature, ask an aspect, or say the same as another to the matcher are dropped
# (see `qualifiers`); the rest are used in this order.
_SITUATIONS = (
    ("student", "学生套餐", "学割プラン", "on a student plan"),
    ("tablet", "平板", "タブレット", "for a tablet"),
    ("work-phone", "单位配的手机", "社用携帯", "on a work phone"),
    ("kids-phone", "儿童手表", "キッズケータイ", "on a kids' phone"),
    ("senior", "老人机", "シニア向けプラン", "on a senior plan"),
    ("iphone", "用iPhone", "iPhoneで", "with an iPhone"),
    ("android", "安卓手机", "Androidスマホで", "on an Android phone"),
    ("used-phone", "二手手机", "中古スマホ", "on a used phone"),
    ("unlocked", "无锁机", "ロック解除した端末", "on an unlocked phone"),
    ("smartwatch", "智能手表", "スマートウォッチ", "for a smartwatch"),
    ("car-nav", "车载导航", "カーナビ", "for a car navigation system"),
    ("night", "深夜", "夜間", "late at night"),
    ("weekend", "周末", "週末", "on weekends"),
    ("countryside", "在乡下", "田舎で", "in the countryside"),
    ("office-worker", "上班族", "サラリーマン", "as an office worker"),
    ("teen", "未成年人", "未成年", "for a teenager"),
    ("dorm", "大学宿舍", "大学の寮", "in a university dorm"),
    ("hospital", "住院期间", "入院中", "while in hospital"),
    ("disaster", "发生地震的时候", "地震の時", "after an earthquake"),
    ("moving", "搬家之后", "引っ越した後", "after moving house"),
    ("first-month", "刚入网的第一个月", "利用開始の最初の月", "in my first month"),
    ("month-end", "月底", "月末", "at the end of the month"),
    ("overdue", "欠费停机的时候", "支払いが遅れている時", "while a bill is overdue"),
    ("campaign", "新用户优惠期间", "新規キャンペーン中", "during a new-customer promotion"),
    ("second-phone", "备用机", "サブ端末", "for a backup handset"),
    ("pet-camera", "宠物摄像头", "ペットカメラ", "for a pet camera"),
    ("part-timer", "打工的时候", "バイト中", "during my part-time job"),
    ("festival", "烟花大会人多的时候", "花火大会の混雑時", "at a crowded fireworks festival"),
    ("camping", "露营的时候", "キャンプ中", "while camping"),
    ("music-festival", "音乐节现场", "ライブ会場で", "at a concert venue"),
    ("new-year", "过年的时候", "年末年始", "around New Year"),
    ("exam", "考试期间", "試験期間中", "during exams"),
    ("cafe", "在咖啡店", "カフェで", "in a cafe"),
    ("library", "在图书馆", "図書館で", "at the library"),
    ("commute", "通勤路上", "通勤中", "on my commute"),
    ("baby", "刚生完孩子", "出産後", "after having a baby"),
    ("rainy-season", "梅雨季", "梅雨の時期", "in the rainy season"),
    ("school", "在学校", "学校で", "at school"),
    ("gym", "健身房", "ジムで", "at the gym"),
    ("airport", "在机场", "空港で", "at the airport"),
    ("remote-work", "远程办公", "テレワーク中", "while working from home"),
    ("online-class", "网课", "オンライン授業", "for online classes"),
    ("video-meeting", "视频会议", "ビデオ会議", "for video meetings"),
    ("streaming", "看视频", "動画を見る時", "for streaming video"),
    ("hiking", "爬山的时候", "登山中", "while hiking"),
    ("beach", "海边", "海で", "at the beach"),
    ("job-hunting", "找工作期间", "就活中", "while job hunting"),
    ("ski", "滑雪场", "スキー場で", "at a ski resort"),
    ("onsen", "泡温泉的时候", "温泉旅館で", "at a hot spring inn"),
    ("museum", "在博物馆", "博物館で", "at a museum"),
    ("fishing", "去钓鱼的时候", "釣りの最中", "on a fishing trip"),
    ("garden", "在院子里", "庭で", "in the garden"),
    ("picnic", "去野餐", "ピクニックで", "on a picnic"),
    ("zoo", "在动物园", "動物園で", "at the zoo"),
)
# Concepts a situation must not bring in: they decide topics, aspects or carriers themselves.
_RESERVED = {
    "#gift", "#share", "#hotspot", "#carryover", "#multiline", "#topup", "#price", "#howto",
    "#apply", "#validity", "#receiver", "#limit", "#tourist", "#packetgift", "#tank",
    "#datapresent", "#sell", "#market", "#cash", "#lend", "#law", "#why", "#which", "#recommend",
    "#leaving", "#buy", "#code", "#data", "#sim", "#carrier_generic",
}  # fmt: skip
COMMON_SHARE = 0.03  # a concept in this share of the real sample questions is too common to
# tell a situation apart by
_LATIN_WORD = re.compile(r"[a-z0-9]")


@dataclass(frozen=True)
class Shape:
    """How many of each a knowledge base holds; `items` is the N the benchmarks report."""

    carriers: int
    topics: int
    entries: int

    @property
    def cells(self) -> int:
        return self.carriers * self.topics

    @property
    def items(self) -> int:
        return self.topics + self.entries + self.cells

    @property
    def files(self) -> int:
        return self.carriers + self.topics + self.entries

    def describe(self) -> str:
        return (
            f"{self.items:,} items = {self.topics:,} topics + {self.entries:,} entries + "
            f"{self.cells:,} cells ({self.carriers:,} carriers × {self.topics:,} topics)"
        )


def shape_of(kb: KnowledgeBase) -> Shape:
    return Shape(len(kb.carriers), len(kb.topics), len(kb.entries))


def shape_for(n: int, base: Shape) -> Shape:
    """The shape of an N-item knowledge base: `base` scaled by s in carriers, topics and entries.

    s solves cells·s² + (topics + entries)·s = N; topics are rounded, carriers take what is left
    (rounded down) and entries the remainder, so the total is exactly N.
    """
    if n <= base.items:
        return base
    a, b = base.cells, base.topics + base.entries
    s = (-b + math.sqrt(b * b + 4 * a * n)) / (2 * a)
    topics = max(base.topics, round(base.topics * s))
    entries_wanted = base.entries * s
    carriers = max(base.carriers, int((n - topics - entries_wanted) // topics))
    shape = Shape(carriers, topics, n - topics - carriers * topics)
    if shape.files + 1 > MAX_FILES:  # + synonyms.yaml
        raise ValueError(f"{n:,} items need {shape.files:,} files; the loader reads {MAX_FILES:,}")
    return shape


class Carrier:
    """An invented MVNO: an id, a display name and aliases in every script people use."""

    def __init__(self, syllables: tuple[str, ...], suffix: str) -> None:
        romaji = "".join(syllables)
        kana = "".join(_SYLLABLES[s][0] for s in syllables)
        han = "".join(_SYLLABLES[s][1] for s in syllables)
        self.id = f"{romaji}-{suffix}"
        self.display = f"{romaji.capitalize()} {suffix.upper() if suffix == 'sim' else suffix}"
        typo = romaji[:2] + romaji[1] + romaji[2:]  # a doubled letter, as people mistype
        self.latin = (romaji, f"{romaji} {suffix}", typo)
        self.kana = (kana, kana + "モバイル")
        self.han = (han, han + "移动")
        self.names = (*self.latin, *self.kana, *self.han)


def invent_carriers(count: int, forbidden: set[str], rng: random.Random) -> list[Carrier]:
    """`count` carriers whose aliases appear nowhere in the real text (checked via `forbidden`)."""
    syllables = sorted(_SYLLABLES)
    seen: set[str] = set()
    out: list[Carrier] = []
    while len(out) < count:
        parts = tuple(rng.choice(syllables) for _ in range(rng.choice((3, 4, 4))))
        romaji = "".join(parts)
        if romaji in seen:
            continue
        seen.add(romaji)
        carrier = Carrier(parts, rng.choice(_BRAND_SUFFIXES))
        if not {romaji, carrier.kana[0], carrier.han[0]} & forbidden:
            out.append(carrier)
    return out


def _substrings(texts: list[str], size: int) -> set[str]:
    return {t[i : i + size] for t in texts for i in range(len(t) - size + 1)}


class Rewriter:
    """Rewords a sample question: swap one synonym for another, maybe add a polite prefix."""

    def __init__(self, synonyms: dict[str, tuple[str, ...]]) -> None:
        self.groups: list[tuple[str, ...]] = [v for v in synonyms.values() if len(v) > 1]
        self.group_of: dict[str, tuple[str, ...]] = {}
        for group in self.groups:
            for variant in group:
                if len(variant) >= 2:
                    self.group_of.setdefault(variant.lower(), group)
        # Longest variants first so "数据流量" is found whole, not through "流量".
        ordered = sorted(self.group_of, key=len, reverse=True)
        self.pattern = re.compile(
            "|".join(
                rf"(?<![a-z0-9]){re.escape(v)}(?![a-z0-9])" if v.isascii() else re.escape(v)
                for v in ordered
            )
        )

    def swap(self, text: str, rng: random.Random) -> str:
        """Replace the longest known variant (a whole word, if Latin) by another of its group."""
        found = max(self.pattern.finditer(text.lower()), key=lambda m: len(m.group()), default=None)
        if found is None:
            return text
        variant = found.group()
        script = _script(variant)
        same_script = [
            v for v in self.group_of[variant] if v.lower() != variant and _script(v) == script
        ]
        if not same_script:  # e.g. データプレゼント: keep it whole, not via プレゼント
            return text
        return text[: found.start()] + rng.choice(same_script) + text[found.end() :]

    @staticmethod
    def prefix(text: str, lang: str, rng: random.Random) -> str:
        if rng.random() < 0.5:
            return rng.choice(_PREFIXES.get(lang, _PREFIXES["en"])) + text
        return text


def _script(name: str) -> str:
    if name.isascii():
        return "latin"
    if any("\u30a0" <= ch <= "\u30ff" or "\u3040" <= ch <= "\u309f" for ch in name):
        return "kana"
    return "han"


def _alias(carrier: Carrier, script: str, rng: random.Random, short: bool = False) -> str:
    forms = {"latin": carrier.latin, "kana": carrier.kana, "han": carrier.han}[script]
    return forms[0] if short else rng.choice(forms)


class Renamer:
    """Replaces every real carrier name in a text by an alias of an invented carrier, in the
    same script. Latin names only count as whole words ("au" is not in "because").

    A text is split around the names once and the pieces kept: thousands of invented carriers
    copy the same few hundred real texts."""

    def __init__(self, names: list[str]) -> None:
        ordered = sorted({n for n in names if len(n) >= 2}, key=len, reverse=True)
        alternatives = [
            rf"(?<![a-z0-9]){re.escape(n)}(?![a-z0-9])" if n.isascii() else re.escape(n)
            for n in ordered
        ]
        self.pattern = re.compile("|".join(alternatives), re.IGNORECASE)
        self._pieces: dict[str, tuple[str, ...]] = {}

    def pieces(self, text: str) -> tuple[str, ...]:
        """Literal text at even positions, the script of a carrier name at odd ones."""
        found = self._pieces.get(text)
        if found is None:
            out: list[str] = []
            at = 0
            for match in self.pattern.finditer(text):
                out += [text[at : match.start()], _script(match.group())]
                at = match.end()
            out.append(text[at:])
            found = self._pieces[text] = tuple(out)
        return found

    def rename(
        self, text: str, carrier: Carrier, rng: random.Random, short: bool = False
    ) -> tuple[str, bool]:
        pieces = self.pieces(text)
        if len(pieces) == 1:
            return text, False
        out = [
            piece if i % 2 == 0 else _alias(carrier, piece, rng, short)
            for i, piece in enumerate(pieces)
        ]
        return "".join(out), True


def _authored(values: dict[str, str]) -> dict[str, str]:
    """The written languages: zh-Hant is generated again by the loader, at its real cost."""
    return {k: v for k, v in values.items() if k != "zh-Hant"}


# ------------------------------------------------------------------------------------------------
# Situations (for invented topics)


@dataclass(frozen=True)
class Situation:
    slug: str
    text: dict[str, str]  # zh-Hans, ja, en
    concepts: frozenset[str]  # the concepts its wording brings in (any language)
    units: dict[str, tuple[str, ...]]  # what the matcher reads in it, per language


def qualifiers(normalizer: Normalizer, samples: list[str]) -> list[Situation]:
    """The situations the matcher reads as something new: no carrier, feature, aspect, topic
    concept or off-topic word, something beyond concepts common in the real `samples`, and not
    the same units as an earlier situation in any language."""
    counts: dict[str, int] = {}
    for q in samples:
        for u in set(normalizer.analyze(q).units):
            counts[u] = counts.get(u, 0) + 1
    common = {
        u for u, c in counts.items() if u.startswith("#") and c >= COMMON_SHARE * len(samples)
    }
    out: list[Situation] = []
    seen: dict[str, set[tuple[str, ...]]] = {"zh-Hans": set(), "ja": set(), "en": set()}
    for slug, zh, ja, en in _SITUATIONS:
        text = {"zh-Hans": zh, "ja": ja, "en": en}
        analyses = {lang: normalizer.analyze(t) for lang, t in text.items()}
        concepts = {u for a in analyses.values() for u in a.units if u.startswith("#")}
        if any(a.carriers or a.offtopic or a.nondata or not a.units for a in analyses.values()):
            continue
        if concepts & _RESERVED:
            continue
        units = {lang: tuple(sorted(a.units)) for lang, a in analyses.items()}
        if any(units[lang] in seen[lang] for lang in seen):
            continue
        for lang in seen:
            seen[lang].add(units[lang])
        if any(all(u in common for u in a.units) for a in analyses.values()):
            continue  # only words half the questions use ("套餐"): nothing to tell it apart by
        out.append(
            Situation(slug, text, frozenset(concepts), {k: a.units for k, a in analyses.items()})
        )
    return out


def _weavings(question: str, situation: Situation, lang: str) -> list[str]:
    """A template question asked in a situation, the ways people add it."""
    s = situation.text[lang]
    if lang == "zh-Hans":
        return [f"{s}的话，{question}", f"{question}（{s}）", f"{s}，{question}"]
    if lang == "ja":
        return [f"{s}の場合、{question}", f"{question}（{s}）", f"{s}だと{question}"]
    lead = s[0].upper() + s[1:]
    bare = question.rstrip("?？ ")
    return [f"{bare} {s}", f"{lead}: {question}", f"{bare}, {s}?"]


# ------------------------------------------------------------------------------------------------
# The pieces, as plain data for the YAML writer


def _sources(sources: tuple) -> list[dict]:
    return [
        {"url": s.url, "as_of": s.as_of, **({"official": True} if s.official else {})}
        for s in sources
    ]


def _cell_data(cell: Cell, rename) -> dict:  # type: ignore[no-untyped-def]
    """A cell as written in a carrier file; `rename(text, limit)` rewrites carrier names."""

    def texts(values: dict[str, str], limit: int) -> dict[str, str]:
        return {k: rename(v, limit) for k, v in _authored(dict(values)).items()}

    data: dict = {"verdict": cell.verdict, "answer": texts(cell.answer, MAX_CHARS["verdict"])}
    if cell.short:
        data["short"] = texts(cell.short, MAX_CHARS["short"])
    if cell.details:
        data["details"] = [
            {**({"aspect": d.aspect} if d.aspect else {}), **texts(d.text, MAX_CHARS["detail"])}
            for d in cell.details
        ]
    data["sources"] = _sources(cell.sources)
    data["verified"] = cell.verified.isoformat()
    if cell.see_also:
        data["see_also"] = list(cell.see_also)
    return data


def _questions(
    questions: dict[str, tuple[str, ...]],
    rewrite,  # type: ignore[no-untyped-def]
) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for lang, texts in questions.items():
        made = [q for q in (rewrite(q, lang) for q in texts) if q]
        out[lang] = list(dict.fromkeys(made))
    return out


def _topic_value(tid: str, data: dict) -> Topic:
    """The loader's Topic for a generated topic (for checking it before it is written)."""

    def texts(values: dict[str, str]) -> dict[str, str]:
        return {**values, "zh-Hant": values["zh-Hans"]}

    return Topic(
        tid,
        tid,
        False,
        texts(data["title"]),
        texts(data["label"]),
        texts(data["overview"]),
        {k: texts(v) for k, v in data["verdicts"].items()},
        {lang: tuple(qs) for lang, qs in data["questions"].items()},
        tuple(data["see_also"]),
        f"synthetic/topics/{tid}.yaml",
        1,
    )


def _entry_value(eid: str, data: dict, template: Entry) -> Entry:
    """The loader's Entry for a generated entry, as far as the matcher looks at it."""
    return dataclasses.replace(
        template,
        id=eid,
        carrier=data["carrier"],
        questions={lang: tuple(qs) for lang, qs in data["questions"].items()},
        see_also=tuple(data["see_also"]),
        file=f"synthetic/entries/{eid}.yaml",
    )


@dataclass
class Synthetic:
    """Everything invented for one knowledge base, ready to be written."""

    shape: Shape
    carriers: list[tuple[Carrier, int]]  # (carrier, real template index)
    topics: list[tuple[str, Topic, dict]]  # (new id, template, file content)
    entries: list[tuple[str, Entry, dict]]  # (new id, template, file content)
    dropped: int = 0  # woven sample questions left out because they did not pass the self-test


class Generator:
    def __init__(self, kb: KnowledgeBase, seed: int = SEED) -> None:
        self.kb = kb
        self.seed = seed
        self.normalizer = Normalizer(
            kb.synonyms,
            {c.id: c.names for c in kb.carriers.values()},
            kb.stopwords,
            kb.offtopic,
            kb.nondata,
        )
        self.rewriter = Rewriter(dict(kb.synonyms))
        self.renamer = Renamer([n for c in kb.carriers.values() for n in (c.id, *c.names)])
        samples = [
            q for t in [*kb.topics, *kb.entries] for qs in kb.questions(t).values() for q in qs
        ]
        self.situations = qualifiers(self.normalizer, samples)

    def plan(self, n: int) -> Synthetic:
        kb = self.kb
        rng = random.Random(self.seed)
        shape = shape_for(n, shape_of(kb))
        real_carriers = list(kb.carriers.values())
        real_topics = list(kb.topics.values())
        # Entries about one carrier (mineo's フリータンク) name that carrier's own features, which
        # would name mineo in any copy: only general entries are made about invented carriers.
        templates = [e for e in kb.entries.values() if e.carrier is None]
        real_text = [
            q.lower()
            for t in [*kb.topics, *kb.entries]
            for qs in kb.questions(t).values()
            for q in qs
        ] + [n.lower() for c in real_carriers for n in c.names]
        forbidden = set().union(*(_substrings(real_text, k) for k in (3, 4, 6, 8)))
        new_carriers = invent_carriers(shape.carriers - len(real_carriers), forbidden, rng)
        carriers = [(c, k % len(real_carriers)) for k, c in enumerate(new_carriers)]
        topics = []
        for k in range(shape.topics - len(real_topics)):
            template = real_topics[k % len(real_topics)]
            round_ = k // len(real_topics)
            if round_ >= len(self.situations):
                raise ValueError(f"{n:,} items need more invented topics than situations allow")
            situation = self.situations[round_]
            new_id = f"{template.id}-{situation.slug}"[:63]
            topics.append((new_id, template, self.topic_file(new_id, template, situation, rng)))
        entries = []
        count = shape.entries - len(kb.entries)
        if count and not new_carriers:
            raise ValueError("invented entries need invented carriers")
        for k in range(count):
            carrier = new_carriers[k % len(new_carriers)]
            template = templates[(k + k // len(new_carriers)) % len(templates)]
            new_id = f"{carrier.id}-{template.id}"[:63].rstrip("-")
            entries.append((new_id, template, self.entry_file(new_id, template, carrier, rng)))
        dropped = self.keep_answerable(new_carriers, topics, entries)
        return Synthetic(shape, carriers, topics, entries, dropped)

    def keep_answerable(
        self,
        carriers: list[Carrier],
        topics: list[tuple[str, Topic, dict]],
        entries: list[tuple[str, Entry, dict]],
    ) -> int:
        """Leave out the woven questions that the engine does not answer with their own topic.

        A reload self-tests every sample question, as `bot check` does; adding a situation to two
        sibling topics can bring them close enough for the engine to ask "did you mean" instead
        (about 1 in 500). The check runs the real engine over everything the matcher sees (all
        carriers' names, topics and entries; cells play no part in which topic is reached); then,
        as leaving questions out shifts the weights a little, once more over the topics of the
        situations where questions were left out. A topic keeps at least the loader's minimum of
        questions. Returns how many were left out.
        """
        if not topics:
            return 0
        dropped = 0
        kb_carriers = {
            **self.kb.carriers,
            **{c.id: KbCarrier(c.id, c.names, {}, None, (), "", 1) for c in carriers},
        }
        kb_entries = {
            **self.kb.entries,
            **{eid: _entry_value(eid, data["entry"], template) for eid, template, data in entries},
        }
        check = {tid for tid, _, _ in topics}
        for _ in range(2):
            extra = {tid: _topic_value(tid, data["topic"]) for tid, _, data in topics}
            kb = dataclasses.replace(
                self.kb,
                carriers=kb_carriers,
                topics={**self.kb.topics, **extra},
                entries=kb_entries,
            )
            snapshot = Snapshot(kb, Matcher(kb), dt.datetime.now(dt.UTC))
            suspects: set[str] = set()  # situations where questions were left out
            for tid, template, data in topics:
                if tid not in check:
                    continue
                questions = data["topic"]["questions"]
                for lang, texts in questions.items():
                    keep = []
                    for q in texts:
                        reply = ask_snapshot(snapshot, q, lang)
                        if (
                            reply.decision == "answer"
                            and reply.target
                            and reply.target.topic == tid
                        ):
                            keep.append(q)
                    need = MIN_QUESTIONS[lang]
                    if len(keep) < need:
                        keep += [q for q in texts if q not in keep][: need - len(keep)]
                    if len(keep) < len(texts):
                        dropped += len(texts) - len(keep)
                        questions[lang] = keep
                        suspects.add(tid[len(template.id) + 1 :])
            check = {tid for tid, t, _ in topics if tid[len(t.id) + 1 :] in suspects}
            if not check:
                break
        return dropped

    # -------------------------------------------------------------- cells, topics, entries

    def _renamer(self, carrier: Carrier | None, rng: random.Random):  # type: ignore[no-untyped-def]
        def rename(text: str, limit: int) -> str:
            if carrier is None:
                return text
            out, _ = self.renamer.rename(text, carrier, rng)
            if len(out) > limit:
                out, _ = self.renamer.rename(text, carrier, rng, short=True)
            return out if len(out) <= limit else text

        return rename

    def _cells(
        self, real_id: str, plan: Synthetic, carrier: Carrier | None, rng: random.Random
    ) -> list[str]:
        """YAML lines of the cells a carrier file holds (`carrier` None: only the invented
        topics' cells, for a real carrier's own file). A cell of an invented topic is a copy of
        the carrier's cell for the template topic: written once, its lines used again."""
        rename = self._renamer(carrier, rng)
        written = {
            topic.id: _yaml_value(_cell_data(self.kb.cells[(topic.id, real_id)], rename), 4)
            for topic in self.kb.topics.values()
        }
        lines: list[str] = []
        if carrier is not None:
            for topic in self.kb.topics.values():
                lines += [f"  {topic.cell_key}:", *written[topic.id]]
        for new_id, topic, _ in plan.topics:
            lines += [f"  {new_id}:", *written[topic.id]]
        return lines

    def carrier_file(
        self, carrier: Carrier, template: int, plan: Synthetic, rng: random.Random
    ) -> str:
        real = list(self.kb.carriers.values())[template]
        head = {
            "carrier": {
                "id": carrier.id,
                "names": list(carrier.names),
                "label": {"zh-Hans": carrier.display, "ja": carrier.kana[1], "en": carrier.display},
                "site": f"https://{carrier.id}.example.jp/",
            }
        }
        lines = [*_yaml_value(head, 0), "cells:", *self._cells(real.id, plan, carrier, rng)]
        return "\n".join([*lines, ""])

    def extra_cells(self, real_id: str, plan: Synthetic) -> list[str]:
        """YAML lines of the invented topics' cells of a real carrier, for its own file."""
        return self._cells(real_id, plan, None, random.Random(0))

    def topic_file(
        self, new_id: str, topic: Topic, situation: Situation, rng: random.Random
    ) -> dict:
        normalizer, rewriter = self.normalizer, self.rewriter

        def rewrite(q: str, lang: str) -> str | None:
            if set(normalizer.analyze(q).units) & situation.concepts:
                return None  # already asks about the situation: it would not tell the two apart
            # The situation must still be read in the question ("学生套餐，流量" reads 套餐流量):
            # the first way of adding it that keeps all of its units, else leave the question out.
            wanted = set(situation.units[lang])
            forms = _weavings(rewriter.swap(q, rng), situation, lang)
            rng.shuffle(forms)
            for woven in forms:
                woven = rewriter.prefix(woven, lang, rng)[: MAX_CHARS["question"]]
                if wanted <= set(normalizer.analyze(woven).units):
                    return woven
            return None

        s = situation.text
        title = _authored(dict(topic.title))
        label = _authored(dict(topic.label))
        return {
            "topic": {
                "id": new_id,
                "headline": False,
                "title": {
                    "zh-Hans": f"{title['zh-Hans']}：{s['zh-Hans']}",
                    "ja": f"{title['ja']}（{s['ja']}）",
                    "en": f"{title['en']}: {s['en']}",
                },
                "label": {
                    "zh-Hans": f"{label['zh-Hans']}·{s['zh-Hans']}",
                    "ja": f"{label['ja']}・{s['ja']}",
                    "en": f"{label['en']} ({s['en']})",
                },
                "overview": {
                    lang: f"{s[lang]}{'：' if lang != 'en' else ': '}{text}"[
                        : MAX_CHARS["overview"]
                    ]
                    for lang, text in _authored(dict(topic.overview)).items()
                },
                "verdicts": {k: _authored(dict(v)) for k, v in topic.verdicts.items()},
                "questions": _questions(dict(topic.questions), rewrite),
                "see_also": [topic.id],
            }
        }

    def entry_file(self, new_id: str, entry: Entry, carrier: Carrier, rng: random.Random) -> dict:
        rewriter = self.rewriter
        rename = self._renamer(carrier, rng)

        def rewrite(q: str, lang: str) -> str:
            q, named = self.renamer.rename(rewriter.swap(q, rng), carrier, rng)
            if not named:
                script = "latin" if lang == "en" else rng.choice(("latin", "kana", "han"))
                q = f"{_alias(carrier, script, rng)} {q}"
            return rewriter.prefix(q, lang, rng)[: MAX_CHARS["question"]]

        title = {
            k: f"{carrier.display}: {rename(v, MAX_CHARS['title'])}"[: MAX_CHARS["title"]]
            for k, v in _authored(dict(entry.title)).items()
        }
        return {
            "entry": {
                "id": new_id,
                "carrier": carrier.id,
                "title": title,
                "summary": {
                    k: rename(v, MAX_CHARS["summary"])
                    for k, v in _authored(dict(entry.summary)).items()
                },
                "questions": _questions(dict(entry.questions), rewrite),
                "answer": {
                    k: rename(v, MAX_CHARS["answer"])
                    for k, v in _authored(dict(entry.answer)).items()
                },
                "sources": _sources(entry.sources),
                "verified": entry.verified.isoformat(),
                "see_also": [entry.id, carrier.id],
            }
        }

    def files(self, plan: Synthetic) -> Iterator[tuple[str, str]]:
        """(relative path, YAML text) of every invented file, deterministic for the seed."""
        rng = random.Random(self.seed + 1)
        for new_id, _, data in plan.topics:
            yield f"synthetic/topics/{new_id}.yaml", to_yaml(data)
        for carrier, template in plan.carriers:
            text = self.carrier_file(carrier, template, plan, rng)
            yield f"synthetic/carriers/{carrier.id}.yaml", text
        for new_id, _, data in plan.entries:
            yield f"synthetic/entries/{new_id}.yaml", to_yaml(data)


# ------------------------------------------------------------------------------------------------
# Writing


def _yaml_value(value: object, indent: int) -> list[str]:
    """Block-style YAML with JSON-quoted scalars (valid YAML, no anchors, fast to write)."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}{key}:")
                lines += _yaml_value(item, indent + 2)
            else:
                lines.append(f"{pad}{key}: {json.dumps(item, ensure_ascii=False)}")
    else:
        for item in value:  # type: ignore[attr-defined]
            if isinstance(item, dict):
                sub = _yaml_value(item, indent + 2)
                lines.append(f"{pad}- {sub[0].lstrip()}")
                lines += sub[1:]
            else:
                lines.append(f"{pad}- {json.dumps(item, ensure_ascii=False)}")
    return lines


def to_yaml(data: dict) -> str:
    return "\n".join([*_yaml_value(data, 0), ""])


def write_knowledge(real_dir: Path, out_dir: Path, total: int, seed: int = SEED) -> Shape:
    """Copy the real knowledge base into `out_dir` and grow it to `total` items (see the module
    docstring); returns the shape written. `total` at or below the real size copies it as is."""
    shutil.copytree(real_dir, out_dir, dirs_exist_ok=True)
    kb = load_knowledge(real_dir)
    generator = Generator(kb, seed)
    plan = generator.plan(total)
    if plan.topics:  # the real carriers need a cell for every invented topic, in their own file
        for carrier in kb.carriers.values():
            path = out_dir / carrier.file
            text = path.read_text(encoding="utf-8")
            extra = generator.extra_cells(carrier.id, plan)
            path.write_text(text.rstrip("\n") + "\n" + "\n".join(extra) + "\n", encoding="utf-8")
    for rel, text in generator.files(plan):
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return plan.shape
