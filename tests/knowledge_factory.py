"""Tiny knowledge bases for tests, as YAML text in the carrier × topic format (knowledge/SCHEMA.md).

Every topic's and entry's sample questions are built from its own id only ("alpha alphaen1
alphaplan alphadata"), so items share no meaning units and each sample question is answered by
its own item whatever the matcher's tuning. The engine answers only questions about its domain
(a concept of mobile data, SIMs or plans, or a carrier), so `vocabulary` gives each item a domain
concept of its own, spelled "<id>data": still nothing shared. Carriers are named by their id,
which no sample uses, so "kappa <a topic's sample>" reaches kappa's cell of that topic.

Every mapping is written one key per line, so a test can find the line a problem must name with
`line_of(text, fragment)`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from bot.engine import GENERIC_UNITS
from bot.knowledge import AUTHORED_LANGS, MIN_QUESTIONS
from bot.reading import DOMAIN_UNITS, GENERAL_TOKENS

TOPIC = "alpha"  # minimal_kb's items
CARRIERS = ("kappa", "sigma")
ENTRY = "omega"
VERIFIED = "2026-10-01"
URL = "https://example.com/plans?a=1&b=2"
VERDICTS = ("yes", "no", "unknown")
# Domain concepts without a meaning of their own to the engine (the generic ones make a carrier's
# card, the general ones a question about every carrier).
_CONCEPTS = sorted(u[1:] for u in DOMAIN_UNITS - GENERIC_UNITS - GENERAL_TOKENS)


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def lang_tag(lang: str) -> str:
    return lang.lower().replace("-", "")


def sample(item_id: str, lang: str = "en", n: int = 1) -> str:
    """The `n`-th sample question the factory writes for `item_id` in `lang` (n from 1)."""
    return f"{item_id} {item_id}{lang_tag(lang)}{n} {item_id}plan {item_id}data"


def samples(item_id: str) -> dict[str, list[str]]:
    """Every sample question of an item, by language: the fewest the loader accepts."""
    return {
        lang: [sample(item_id, lang, n) for n in range(1, MIN_QUESTIONS[lang] + 1)]
        for lang in AUTHORED_LANGS
    }


def texts_yaml(key: str, text: str | Mapping[str, str], indent: int) -> list[str]:
    """A per-language text, one language a line; `text` is the same for every language unless
    it is a mapping (which may add a zh-Hant override or leave a language out)."""
    pad = " " * indent
    by_lang = text if isinstance(text, Mapping) else {lang: text for lang in AUTHORED_LANGS}
    return [f"{pad}{key}:"] + [f"{pad}  {lang}: {q(value)}" for lang, value in by_lang.items()]


def questions_yaml(item_id: str, indent: int, prefix: str = "") -> list[str]:
    pad = " " * indent
    lines = [f"{pad}questions:"]
    for lang, questions in samples(item_id).items():
        lines.append(f"{pad}  {lang}:")
        lines += [f"{pad}    - {q(prefix + question)}" for question in questions]
    return lines


def sources_yaml(sources: Iterable[tuple[str, bool]], indent: int) -> list[str]:
    """`sources`: (url, official) pairs, in order."""
    pad = " " * indent
    lines = [f"{pad}sources:"]
    for url, official in sources:
        lines += [f"{pad}  - url: {q(url)}", f"{pad}    as_of: undated"]
        if official:
            lines.append(f"{pad}    official: true")
    return lines


def topic_yaml(
    topic_id: str,
    *,
    verdicts: Iterable[str] = VERDICTS,
    cell: str | None = None,
    headline: bool | None = None,
    title: str | Mapping[str, str] | None = None,
    see_also: Iterable[str] = (),
    extra: str = "",
) -> str:
    """A topic file (`topics/<id>.yaml`)."""
    lines = ["topic:", f"  id: {topic_id}"]
    if cell is not None:
        lines.append(f"  cell: {cell}")
    if headline is not None:
        lines.append(f"  headline: {'true' if headline else 'false'}")
    lines += texts_yaml("title", title or f"About {topic_id}", 2)
    lines += texts_yaml("label", topic_id[:12], 2)
    lines += texts_yaml("overview", f"{topic_id} depends on the carrier:", 2)
    lines.append("  verdicts:")
    for verdict in verdicts:
        lines += texts_yaml(verdict, f"{topic_id} {verdict}", 4)
    lines += questions_yaml(topic_id, 2)
    if see_also:
        lines.append(f"  see_also: [{', '.join(see_also)}]")
    if extra:
        lines.append(extra)
    return "\n".join(lines) + "\n"


def cell_yaml(
    carrier_id: str,
    topic: str,
    *,
    verdict: str = "yes",
    answer: str | Mapping[str, str] | None = None,
    short: str | None = None,
    details: Iterable[tuple[str | None, str | Mapping[str, str]]] = (),
    sources: Iterable[tuple[str, bool]] | None = None,
    verified: str = VERIFIED,
    see_also: Iterable[str] = (),
    extra: str = "",
) -> str:
    """One cell under a carrier's `cells:`; `details` are (aspect or None, text) pairs."""
    lines = [f"  {topic}:", f"    verdict: {verdict}"]
    lines += texts_yaml("answer", answer or f"{carrier_id} {topic}: {verdict}.", 4)
    if short is not None:
        lines += texts_yaml("short", short, 4)
    details = list(details)
    if details:
        lines.append("    details:")
        for aspect, text in details:
            body = texts_yaml("-", text, 6)[1:]
            if aspect is not None:
                body.insert(0, f"        aspect: {aspect}")
            body[0] = "      - " + body[0].lstrip()
            lines += body
    lines += sources_yaml(sources or [(f"https://{carrier_id}.example/{topic}", True)], 4)
    lines.append(f"    verified: {verified}")
    if see_also:
        lines.append(f"    see_also: [{', '.join(see_also)}]")
    if extra:
        lines.append(extra)
    return "\n".join(lines) + "\n"


def carrier_yaml(
    carrier_id: str,
    *,
    topics: Iterable[str] = (TOPIC,),
    verdict: str | Mapping[str, str] = "yes",
    names: Iterable[str] | None = None,
    features: Iterable[str] = (),
    site: str | None = None,
    verified: str = VERIFIED,
    cells: Iterable[str] = (),
    extra: str = "",
) -> str:
    """A carrier file (`carriers/<id>.yaml`): one cell per topic in `topics` with `verdict` (one
    for all, or by topic), then any hand-written `cells` (from `cell_yaml`)."""
    names = list(names) if names is not None else [carrier_id]
    lines = [
        "carrier:",
        f"  id: {carrier_id}",
        f"  names: [{', '.join(names)}]",
        *texts_yaml("label", carrier_id, 2),
        f"  site: {q(site or f'https://{carrier_id}.example/')}",
    ]
    features = list(features)
    if features:
        lines.append(f"  features: [{', '.join(features)}]")
    if extra:
        lines.append(extra)
    lines.append("cells:")
    text = "\n".join(lines) + "\n"
    for topic in topics:
        v = verdict if isinstance(verdict, str) else verdict[topic]
        text += cell_yaml(carrier_id, topic, verdict=v, verified=verified)
    return text + "".join(cells)


def entry_yaml(
    entry_id: str,
    *,
    carrier: str | None = None,
    title: str | Mapping[str, str] | None = None,
    answer: str | Mapping[str, str] | None = None,
    verified: str = VERIFIED,
    see_also: Iterable[str] = (),
    url: str = URL,
    sources: Iterable[tuple[str, bool]] | None = None,
    extra: str = "",
) -> str:
    """An entry file (`entries/<id>.yaml`). An entry about one carrier names it in every sample,
    as real ones do: the matcher holds a carrier's entry back from questions naming none."""
    lines = ["entry:", f"  id: {entry_id}"]
    if carrier is not None:
        lines.append(f"  carrier: {carrier}")
    lines += texts_yaml("title", title or f"About {entry_id}", 2)
    lines += texts_yaml("summary", f"{entry_id} in one line.", 2)
    lines += questions_yaml(entry_id, 2, prefix=f"{carrier} " if carrier else "")
    if isinstance(answer, Mapping):
        lines += texts_yaml("answer", answer, 2)
    else:
        lines += [
            "  answer:",
            *(
                f"    {lang}: {q(answer or f'{entry_id}: the answer in {lang}.')}"
                for lang in AUTHORED_LANGS
            ),
        ]
    lines += sources_yaml(sources or [(url, False)], 2)
    lines.append(f"  verified: {verified}")
    if see_also:
        lines.append(f"  see_also: [{', '.join(see_also)}]")
    if extra:
        lines.append(extra)
    return "\n".join(lines) + "\n"


def learned_yaml(*items: tuple[str, str, str]) -> str:
    """A learned.yaml: (question, target, lang) triples, one flow mapping a line."""
    lines = ["learned:"]
    for question, target, lang in items:
        lines.append(
            f"  - {{q: {q(question)}, target: {target}, lang: {lang}, by: '1', "
            'at: "2026-11-30T10:00:00Z"}'
        )
    return "\n".join(lines) + "\n"


def outside_yaml(item_id: str = "zeta", questions: Mapping[str, list[str]] | None = None) -> str:
    """outside.yaml: out-of-scope samples (by default the factory's samples of `item_id`)."""
    lines = ["outside:"]
    for lang, texts in (questions or samples(item_id)).items():
        lines.append(f"  {lang}:")
        lines += [f"    - {q(text)}" for text in texts]
    return "\n".join(lines) + "\n"


def synonyms_yaml(concepts: Mapping[str, Iterable[str]]) -> str:
    lines = ["synonyms:"]
    lines += [f"  {name}: [{', '.join(variants)}]" for name, variants in concepts.items()]
    return "\n".join(lines) + "\n"


def vocabulary(item_ids: Iterable[str]) -> dict[str, list[str]]:
    """Synonyms giving each item (in order) a domain concept of its own, spelled "<id>data"."""
    item_ids = list(item_ids)
    if len(item_ids) > len(_CONCEPTS):
        raise ValueError(f"at most {len(_CONCEPTS)} topics and entries")
    return {concept: [f"{item}data"] for concept, item in zip(_CONCEPTS, item_ids, strict=False)}


def kb_files(
    topics: Iterable[str] = (TOPIC,),
    carriers: Iterable[str] = CARRIERS,
    entries: Iterable[str] = (ENTRY,),
) -> dict[str, str]:
    """A valid knowledge base: each carrier has a 'yes' cell for every topic; synonyms.yaml holds
    the `vocabulary` of its topics and entries."""
    topics, entries = list(topics), list(entries)
    files = {f"topics/{t}.yaml": topic_yaml(t) for t in topics}
    files |= {f"carriers/{c}.yaml": carrier_yaml(c, topics=topics) for c in carriers}
    files |= {f"entries/{e}.yaml": entry_yaml(e) for e in entries}
    files["synonyms.yaml"] = synonyms_yaml(vocabulary([*topics, *entries]))
    return files


def minimal_kb() -> dict[str, str]:
    """One topic, two carriers with a cell each, one entry: loads and self-tests clean."""
    return kb_files()


def write_kb(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write `files` (relative name -> content) under `root`; return `root`."""
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def line_of(text: str, fragment: str, start: int = 0) -> int:
    """1-based line of the first `fragment` at or after character `start`."""
    pos = text.index(fragment, start)
    return text.count("\n", 0, pos) + 1
