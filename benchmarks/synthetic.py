"""Synthetic knowledge bases of any size, made by varying the real entries.

Scale figures only mean something if the big knowledge base looks like the real one to the loader
and the matcher: same entry shape and text length, same vocabulary, carriers named in every script.
So every synthetic entry is a real entry with its carrier replaced by an invented MVNO (romaji,
katakana and Chinese aliases, plus a typo) and its sample questions reworded (synonyms from
knowledge/synonyms.yaml swapped, polite prefixes added). Each invented carrier gets a card and one
carrier-specific copy of every real topic, so entries stay distinguishable the way real ones are: by
the carrier they name. The real knowledge base is always included, so evaluation questions still
have their answers. Output is YAML written to a folder and read back by the real loader.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Iterator
from pathlib import Path

from bot.knowledge import Entry, KnowledgeBase, load_knowledge

ENTRIES_PER_FILE = 64  # 100,000 entries -> 1,563 files, under the loader's MAX_FILES (2,000)
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
        # Longest variants first so "数据流量" is replaced whole, not through "流量".
        pairs = sorted(
            ((variant, group) for group in self.groups for variant in group),
            key=lambda p: -len(p[0]),
        )
        self.pairs = [(v, g) for v, g in pairs if len(v) >= 2]

    def swap(self, text: str, rng: random.Random) -> str:
        """Replace the longest known variant (a whole word, if Latin) by another of its group."""
        lowered = text.lower()
        for variant, group in self.pairs:
            start = _find_word(lowered, variant)
            if start < 0:
                continue
            script = _script(variant)
            same_script = [v for v in group if v != variant and _script(v) == script]
            if not same_script:  # e.g. データプレゼント: keep it whole, not via プレゼント
                return text
            return text[:start] + rng.choice(same_script) + text[start + len(variant) :]
        return text

    @staticmethod
    def prefix(text: str, lang: str, rng: random.Random) -> str:
        if rng.random() < 0.5:
            return rng.choice(_PREFIXES.get(lang, _PREFIXES["en"])) + text
        return text


def _find_word(text: str, word: str) -> int:
    """Where `word` starts in `text`; a Latin word only counts whole (not "mom" in "moment")."""
    start = text.find(word)
    if not word.isascii():
        return start
    while start >= 0:
        before = text[start - 1] if start else " "
        end = start + len(word)
        after = text[end] if end < len(text) else " "
        if not (before.isascii() and before.isalnum()) and not (
            after.isascii() and after.isalnum()
        ):
            return start
        start = text.find(word, start + 1)
    return -1


def _script(name: str) -> str:
    if name.isascii():
        return "latin"
    if any("\u30a0" <= ch <= "\u30ff" or "\u3040" <= ch <= "\u309f" for ch in name):
        return "kana"
    return "han"


def _alias(carrier: Carrier, script: str, rng: random.Random) -> str:
    return rng.choice({"latin": carrier.latin, "kana": carrier.kana, "han": carrier.han}[script])


def _rename(text: str, names: list[str], carrier: Carrier, rng: random.Random) -> tuple[str, bool]:
    """Replace every real carrier name in `text` by an alias of `carrier` in the same script."""
    lowered = text.lower()
    renamed = False
    for name in names:
        start = lowered.find(name.lower())
        while start >= 0:
            alias = _alias(carrier, _script(name), rng)
            text = text[:start] + alias + text[start + len(name) :]
            lowered = text.lower()
            renamed = True
            start = lowered.find(name.lower(), start + len(alias))
    return text, renamed


def _clone(
    entry: Entry,
    new_id: str,
    carrier: Carrier,
    real_names: list[str],
    rewriter: Rewriter,
    rng: random.Random,
) -> dict:
    questions: dict[str, list[str]] = {}
    for lang, texts in entry.questions.items():
        out = []
        for q in texts:
            q, named = _rename(rewriter.swap(q, rng), real_names, carrier, rng)
            if not named:
                script = "latin" if lang == "en" else rng.choice(("latin", "kana", "han"))
                q = f"{_alias(carrier, script, rng)} {q}"
            out.append(rewriter.prefix(q, lang, rng))
        questions[lang] = list(dict.fromkeys(out))
        while len(questions[lang]) < len(texts):  # rewording made two identical: keep the count
            questions[lang].append(f"{carrier.latin[0]} {texts[len(questions[lang])]}")

    def authored(values: dict[str, str]) -> dict[str, str]:
        return {k: v for k, v in values.items() if k != "zh-Hant"}

    data: dict = {"id": new_id, "kind": entry.kind}
    if entry.is_carrier:
        data["names"] = list(carrier.names)
    else:
        data["carrier"] = carrier.id
    data["title"] = {k: f"{carrier.display}: {v}" for k, v in authored(entry.title).items()}
    data["summary"] = authored(entry.summary)
    data["questions"] = questions
    data["answer"] = authored(entry.answer)
    data["sources"] = [{"url": s.url, "as_of": s.as_of} for s in entry.sources]
    data["verified"] = entry.verified.isoformat()
    data["see_also"] = [] if entry.is_carrier else [carrier.id]
    return data


def synthetic_entries(kb: KnowledgeBase, count: int, seed: int = SEED) -> Iterator[dict]:
    """`count` invented entries, deterministic for a seed.

    Invented carrier k mirrors real card k mod 17: a copy of that card, then a copy of each topic
    that is about that carrier alone (as mineo-packet-gift-howto is about mineo). Every real
    carrier name in the copied questions becomes the invented carrier's, so, as in the real
    knowledge base, entries are told apart by the carrier a question names.
    """
    rng = random.Random(seed)
    cards = [e for e in kb.entries.values() if e.is_carrier]
    own_topics = {
        card.id: [e for e in kb.entries.values() if not e.is_carrier and e.carrier == card.id]
        for card in cards
    }
    real_text = [
        q.lower() for e in kb.entries.values() for qs in e.questions.values() for q in qs
    ] + [n.lower() for e in cards for n in e.names]
    forbidden = set().union(*(_substrings(real_text, n) for n in (3, 4, 6, 8)))
    per_carrier = (len(cards) + sum(len(t) for t in own_topics.values())) / len(cards)
    carriers = invent_carriers(int(count / per_carrier) + len(cards), forbidden, rng)
    real_names = sorted({n for e in cards for n in (e.id, *e.names)}, key=len, reverse=True)
    rewriter = Rewriter(dict(kb.synonyms))
    made = 0
    for k, carrier in enumerate(carriers):
        template = cards[k % len(cards)]
        for entry in [template, *own_topics[template.id]]:
            if made >= count:
                return
            new_id = carrier.id if entry.is_carrier else f"{carrier.id}-{entry.id}"[:63]
            yield _clone(entry, new_id.rstrip("-"), carrier, real_names, rewriter, rng)
            made += 1
    raise AssertionError("invent_carriers made too few carriers")


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


def write_knowledge(real_dir: Path, out_dir: Path, total: int, seed: int = SEED) -> int:
    """Copy the real knowledge base into `out_dir` and add synthetic entries up to `total`."""
    shutil.copytree(real_dir, out_dir, dirs_exist_ok=True)
    kb = load_knowledge(real_dir)
    extra = max(0, total - len(kb.entries))
    batch: list[dict] = []
    files = 0

    def flush() -> None:
        nonlocal files
        path = out_dir / "synthetic" / f"part-{files:05d}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(["entries:", *_yaml_value(batch, 2), ""]), encoding="utf-8")
        files += 1
        batch.clear()

    for data in synthetic_entries(kb, extra, seed):
        batch.append(data)
        if len(batch) == ENTRIES_PER_FILE:
            flush()
    if batch:
        flush()
    return len(kb.entries) + extra
