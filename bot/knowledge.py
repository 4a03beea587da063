"""Load and validate the knowledge base into an immutable value.

The knowledge base is a carrier × topic matrix (see knowledge/SCHEMA.md): topics that differ by
carrier hold one *cell* per carrier, written in the carrier's file; topics that do not are
stand-alone *entries*. Cards and overviews are composed from the cells elsewhere (compose.py), so
each fact lives in exactly one place.

The YAML is walked as PyYAML *nodes*, not as constructed Python objects, so that every problem can
name the file and line it comes from, duplicate keys are caught (PyYAML's constructor silently keeps
the last one), and anchors/aliases and custom tags are refused before they can expand or execute.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import yaml

from bot.chinese import to_traditional

LANGS: tuple[str, ...] = ("zh-Hans", "zh-Hant", "ja", "en")
AUTHORED_LANGS: tuple[str, ...] = ("zh-Hans", "ja", "en")
# What a follow-up can ask about one cell ("is it free?", "how?"); details are tagged with these.
ASPECTS: tuple[str, ...] = (
    "price",
    "howto",
    "apply",
    "validity",
    "receiver",
    "limit",
    "number",  # calls and a phone number: what a travel SIM lacks
)
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_FILES = 2000
MAX_DEPTH = 20  # our files nest 5 deep; PyYAML's composer recurses, so a deeper file must stop
# A reply is one Telegram message (4,096 characters) holding a title, an answer and the sources.
MAX_CHARS = {
    "title": 200,
    "summary": 400,
    "answer": 3000,
    "question": 300,
    "url": 500,
    "verdict": 160,
    "detail": 400,
    "label": 60,
    "short": 60,
    "overview": 300,
}
STALE_AFTER = dt.timedelta(days=365)
MIN_QUESTIONS = {"zh-Hans": 3, "ja": 2, "en": 2}
MIN_QUESTIONS_TOTAL = 6
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_URL_RE = re.compile(r"^https?://[\w-]+(?:\.[\w-]+)*(?::\d+)?(?:[/?#][^\s\"'<>]*)?$")
_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "bool", "null", "timestamp", "float", "seq", "map")
}
_WORD_LISTS = ("stopwords", "offtopic", "nondata")
OUTSIDE = "outside"  # the pseudo-target of out-of-scope samples; never an answer


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the knowledge base, located for the operator who must fix it."""

    file: str
    line: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.severity}: {self.message}"


class KnowledgeError(Exception):
    """The knowledge base cannot be used; `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


Texts = Mapping[str, str]  # language -> text; zh-Hant is always present once loaded


@dataclass(frozen=True)
class Source:
    url: str
    as_of: str
    official: bool = False


@dataclass(frozen=True)
class Detail:
    """One line of a cell beyond its verdict; `aspect` says which follow-up it answers."""

    text: Texts
    aspect: str | None = None


@dataclass(frozen=True)
class Cell:
    """What one carrier does about one topic: a verdict line, details and their sources."""

    topic: str  # topic id
    carrier: str
    verdict: str
    answer: Texts
    short: Texts | None
    details: tuple[Detail, ...]
    sources: tuple[Source, ...]
    verified: dt.date
    see_also: tuple[str, ...]
    file: str
    line: int

    @property
    def aspects(self) -> frozenset[str]:
        """The aspects its details answer (price, validity…): a follow-up asking one of them is
        answered from this cell."""
        return frozenset(d.aspect for d in self.details if d.aspect)


@dataclass(frozen=True)
class Carrier:
    id: str
    names: tuple[str, ...]
    label: Texts
    site: str | None
    features: tuple[str, ...]
    file: str
    line: int
    # The carrier whose brand this is (ahamo → docomo): "ドコモのアハモ" means ahamo.
    brand_of: str | None = None


@dataclass(frozen=True)
class Topic:
    """A question whose answer differs by carrier; its facts are the carriers' cells."""

    id: str
    cell_key: str
    headline: bool
    title: Texts
    label: Texts
    overview: Texts
    verdicts: Mapping[str, Texts]  # in order, best first
    questions: Mapping[str, tuple[str, ...]]
    see_also: tuple[str, ...]
    file: str
    line: int
    # Synonyms concepts that mark a message as this topic's whatever else it says: a hotspot is
    # tethering, a tablet or a sub-SIM is sharing within a contract ("分给孩子的平板").
    cues: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entry:
    """A question with one answer for everyone (the law, selling data, a how-to)."""

    id: str
    carrier: str | None
    title: Texts
    summary: Texts
    questions: Mapping[str, tuple[str, ...]]
    answer: Texts
    sources: tuple[Source, ...]
    verified: dt.date
    see_also: tuple[str, ...]
    file: str
    line: int


@dataclass(frozen=True)
class Learned:
    """A sample question an operator taught the bot (learned.yaml)."""

    q: str
    target: str
    lang: str
    by: str
    at: str
    line: int


@dataclass(frozen=True)
class KnowledgeBase:
    """An immutable snapshot of the curated content; `version` is a hash of the files it came from."""

    carriers: Mapping[str, Carrier]
    topics: Mapping[str, Topic]
    entries: Mapping[str, Entry]
    cells: Mapping[tuple[str, str], Cell]  # (topic id, carrier id)
    synonyms: Mapping[str, tuple[str, ...]]
    stopwords: tuple[str, ...]
    offtopic: tuple[str, ...]
    nondata: tuple[str, ...]
    learned: tuple[Learned, ...]
    version: str
    warnings: tuple[Problem, ...] = field(default=())
    # Sample questions the bot must NOT answer (outside.yaml): the matcher learns what out of
    # scope looks like from them, as it learns a topic from its samples.
    outside: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    outside_at: tuple[str, int] = ("", 0)  # file and line, for problems

    @functools.cached_property
    def headline(self) -> Topic | None:
        """The topic whose verdict opens every carrier card (gifting); looked up once, as a
        message asks for it several times."""
        return next((t for t in self.topics.values() if t.headline), None)

    def cell(self, topic: str, carrier: str) -> Cell | None:
        return self.cells.get((topic, carrier))

    def questions(self, target: str) -> dict[str, tuple[str, ...]]:
        """A topic's or entry's sample questions, learned ones included; or the out-of-scope
        samples (OUTSIDE)."""
        item = self.topics.get(target) or self.entries.get(target)
        if target == OUTSIDE:
            out = dict(self.outside)
        else:
            out = {lang: tuple(qs) for lang, qs in (item.questions.items() if item else ())}
        for sample in self.learned:
            if sample.target == target:
                out[sample.lang] = (*out.get(sample.lang, ()), sample.q)
        return out

    def ids(self) -> set[str]:
        """Every id an answer can carry."""
        return set(self.carriers) | set(self.topics) | set(self.entries)


# --------------------------------------------------------------------------------------------
# YAML reading


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's C composer when installed


def _refuse(problem: str, node: yaml.Node) -> NoReturn:
    raise yaml.composer.ComposerError(None, None, problem, node.start_mark)


def _compose(text: str) -> yaml.Node | None:
    """One document as plain data: no aliases (our files never need them, bombs do), no tags
    beyond the standard scalars and collections, no nesting deeper than MAX_DEPTH.

    libyaml composes the node tree (an alias becomes a second reference to the same node, never
    an expanded copy); this walk, with an explicit stack, then refuses what we do not allow.
    """
    root = yaml.compose(text, Loader=_Loader)
    if root is None:
        return None
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            _refuse("anchors and aliases (&name, *name) are not allowed", node)
        seen.add(id(node))
        if node.tag not in _PLAIN_TAGS:
            _refuse(f"tag {node.tag} is not allowed", node)
        if isinstance(node, yaml.ScalarNode):
            continue
        if depth > MAX_DEPTH:
            _refuse(f"nested more than {MAX_DEPTH} levels deep", node)
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
        else:
            for key, value in node.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
    return root


_OTHER_LINE_BREAK = re.compile("\r(?!\n)|[\x85\u2028\u2029]")


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


@dataclass(frozen=True)
class _Ref:
    """A name of another item (see_also, carrier, target): checked once every file is read."""

    owner: str
    field: str
    target: str
    file: str
    line: int


Pair = tuple[yaml.Node, yaml.Node]


class _FileReader:
    """Turns one file's node tree into plain values, collecting located problems on the way."""

    def __init__(self, rel: str) -> None:
        self.rel = rel
        self.problems: list[Problem] = []
        self.refs: list[_Ref] = []

    def err(self, node: yaml.Node | None, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.rel, line or (_line(node) if node else 1), message))

    def mapping(self, node: yaml.Node, what: str) -> dict[str, Pair] | None:
        if not isinstance(node, yaml.MappingNode):
            self.err(node, f"{what}: expected a mapping (key: value)")
            return None
        out: dict[str, Pair] = {}
        for key_node, value_node in node.value:
            key = self.scalar(key_node, f"{what} key")
            if key is None:
                continue
            if key in out:
                self.err(
                    key_node,
                    f"{what}: duplicate key '{key}' (first at line {_line(out[key][0])})",
                )
                continue
            out[key] = (key_node, value_node)
        return out

    def scalar(self, node: yaml.Node, what: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.err(node, f"{what}: expected text")
            return None
        return str(node.value)

    def text(self, node: yaml.Node, what: str, limit: int | None = None) -> str | None:
        value = self.scalar(node, what)
        if value is None:
            return None
        value = value.strip()
        if not value:
            self.err(node, f"{what}: must not be empty")
            return None
        if limit is not None and len(value) > limit:
            self.err(node, f"{what}: {len(value)} characters, at most {limit} allowed")
            return None
        return value

    def text_list(self, node: yaml.Node, what: str, limit: int | None = None) -> list[str]:
        if not isinstance(node, yaml.SequenceNode):
            self.err(node, f"{what}: expected a list")
            return []
        out = []
        for item in node.value:
            value = self.text(item, what, limit)
            if value is not None:
                out.append(value)
        return out

    def fields(
        self, node: yaml.Node, what: str, allowed: set[str], required: set[str]
    ) -> dict[str, Pair] | None:
        """A mapping whose keys are checked against `allowed` and `required`."""
        out = self.mapping(node, what)
        if out is None:
            return None
        before = len(self.problems)
        for key, (key_node, _) in out.items():
            if key not in allowed:
                self.err(key_node, f"{what}: unknown key '{key}'")
        for key in sorted(required - out.keys()):
            self.err(node, f"{what}: missing key '{key}'")
        return None if len(self.problems) > before else out

    def by_lang(self, pair: Pair, what: str, limit: int) -> dict[str, str]:
        """A per-language text: every authored language once, an optional zh-Hant override.

        A missing language is reported at the parent key: a block mapping itself starts at its
        first child, which is not where the operator will look."""
        parent_key, node = pair
        langs = self.mapping(node, what)
        if langs is None:
            return {}
        return self._texts(parent_key, langs, what, limit)

    def _texts(
        self, parent: yaml.Node, langs: dict[str, Pair], what: str, limit: int
    ) -> dict[str, str]:
        out = {}
        for lang, (key_node, value_node) in langs.items():
            if lang not in LANGS:
                self.err(key_node, f"{what}: unknown language '{lang}'")
                continue
            value = self.text(value_node, f"{what}.{lang}", limit)
            if value is not None:
                out[lang] = value
        for lang in AUTHORED_LANGS:
            if lang not in langs:
                self.err(parent, f"{what}: missing language '{lang}'")
        return out

    def questions(self, pair: Pair, what: str) -> dict[str, tuple[str, ...]]:
        key_node, node = pair
        langs = self.mapping(node, what)
        if langs is None:
            return {}
        out: dict[str, tuple[str, ...]] = {}
        for lang, (lang_key, value_node) in langs.items():
            if lang not in AUTHORED_LANGS:
                self.err(lang_key, f"{what}: unknown language '{lang}'")
                continue
            out[lang] = tuple(self.text_list(value_node, f"{what}.{lang}", MAX_CHARS["question"]))
            if len(out[lang]) < MIN_QUESTIONS[lang]:
                self.err(lang_key, f"{what}.{lang}: at least {MIN_QUESTIONS[lang]} needed")
        for lang in AUTHORED_LANGS:
            if lang not in langs:
                self.err(key_node, f"{what}: missing language '{lang}'")
        if sum(len(v) for v in out.values()) < MIN_QUESTIONS_TOTAL:
            self.err(key_node, f"{what}: at least {MIN_QUESTIONS_TOTAL} sample questions needed")
        return out

    def slug(self, node: yaml.Node, what: str) -> str | None:
        value = self.text(node, what)
        if value is not None and not _ID_RE.match(value):
            self.err(node, f"{what} '{value}': use lower-case letters, digits and '-'")
            return None
        return value

    def date(self, node: yaml.Node, what: str) -> dt.date | None:
        value = self.scalar(node, what)
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            self.err(node, f"{what}: expected a date YYYY-MM-DD, got '{value}'")
            return None

    def url(self, node: yaml.Node, what: str) -> str | None:
        url = self.text(node, what, MAX_CHARS["url"])
        if url is not None and not _URL_RE.match(url):
            self.err(node, f"{what} must be http(s)://host/… without spaces or quotes")
            return None
        return url

    def sources(self, node: yaml.Node, what: str) -> tuple[Source, ...]:
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.err(node, f"{what}: sources: expected a non-empty list of {{url, as_of}}")
            return ()
        out = []
        for item in node.value:
            src = self.fields(item, f"{what}: source", {"url", "as_of", "official"}, set())
            if src is None:
                continue
            url = self.url(src["url"][1], f"{what}: source url") if "url" in src else None
            if "url" not in src:
                self.err(item, f"{what}: source needs a url")
            as_of = self.text(src["as_of"][1], f"{what}: as_of") if "as_of" in src else None
            if as_of is None:
                self.err(item, f"{what}: source needs as_of (a date or 'undated')")
            official = False
            if "official" in src:
                flag = self.scalar(src["official"][1], f"{what}: official")
                if flag not in ("true", "false"):
                    self.err(src["official"][1], f"{what}: official must be true or false")
                official = flag == "true"
            if url and as_of:
                if official and out and not out[-1].official:
                    self.err(item, f"{what}: official sources must come first")
                out.append(Source(url, as_of, official))
        return tuple(out)

    def see_also(self, owner: str, pair: Pair | None) -> tuple[str, ...]:
        if pair is None:
            return ()
        node = pair[1]
        refs = tuple(self.text_list(node, f"{owner}: see_also"))
        if isinstance(node, yaml.SequenceNode):
            for ref, ref_node in zip(refs, node.value, strict=False):
                self.refs.append(_Ref(owner, "see_also", ref, self.rel, _line(ref_node)))
        return refs


def _read_nodes(path: Path, rel: str) -> tuple[yaml.Node | None, list[Problem], bytes]:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO or /dev/zero would block or never end
            return None, [Problem(rel, 1, "not a regular file")], b""
        if info.st_size > MAX_FILE_BYTES:
            return None, [Problem(rel, 1, f"file is larger than {MAX_FILE_BYTES} bytes")], b""
        with path.open("rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)  # the file may grow after stat()
    except OSError as exc:
        return None, [Problem(rel, 1, f"cannot read file: {exc.strerror or exc}")], b""
    if len(raw) > MAX_FILE_BYTES:
        return None, [Problem(rel, 1, f"file is larger than {MAX_FILE_BYTES} bytes")], b""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(rel, line, "file is not valid UTF-8")], raw
    if "\t" in text:
        line = text[: text.index("\t")].count("\n") + 1
        return None, [Problem(rel, line, "tab character: indent with spaces")], raw
    odd_break = _OTHER_LINE_BREAK.search(text)
    if odd_break is not None:
        # YAML breaks lines there too, most editors do not: the file would not mean what the
        # operator sees, and every line number said about it would be off.
        line = text[: odd_break.start()].count("\n") + 1
        code = ord(odd_break.group())
        return (
            None,
            [
                Problem(
                    rel,
                    line,
                    f"character U+{code:04X} breaks lines in YAML: use a plain line break",
                )
            ],
            raw,
        )
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # libyaml marks an error found at the end of the file one line past the last one.
        line = min(mark.line + 1, text.count("\n") + 1) if mark else 1
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        return None, [Problem(rel, line, f"YAML syntax: {message}")], raw
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        return (
            None,
            [Problem(rel, line, f"character U+{exc.character:04X} is not allowed")],
            raw,
        )
    except yaml.YAMLError as exc:
        return None, [Problem(rel, 1, f"YAML: {exc}")], raw
    if node is None:
        return None, [Problem(rel, 1, "file is empty")], raw
    return node, [], raw


# --------------------------------------------------------------------------------------------
# Items


@dataclass
class _Collected:
    carriers: dict[str, Carrier] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    entries: dict[str, Entry] = field(default_factory=dict)
    # Cells are checked against their topic once every file is read: (cell key, raw cell).
    raw_cells: list[tuple[str, _RawCell]] = field(default_factory=list)
    # (carrier, cell key) for every cell written, broken or not: a broken one is reported where
    # it is, and is not also "missing".
    cells_written: set[tuple[str, str]] = field(default_factory=set)
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    words: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in _WORD_LISTS})
    learned: list[tuple[Learned, str]] = field(default_factory=list)  # (sample, file)
    outside: dict[str, tuple[str, ...]] = field(default_factory=dict)
    outside_at: tuple[str, int] = ("", 0)
    first_seen: dict[str, tuple[str, int]] = field(default_factory=dict)  # id -> (file, line)


@dataclass(frozen=True)
class _RawCell:
    carrier: str
    verdict: str
    verdict_line: int
    cell: Cell


_CARRIER_KEYS = {"id", "names", "label", "site", "features", "brand_of"}
_TOPIC_KEYS = {
    "id",
    "cell",
    "headline",
    "title",
    "label",
    "overview",
    "verdicts",
    "questions",
    "see_also",
    "cues",
}
_ENTRY_KEYS = {
    "id",
    "carrier",
    "title",
    "summary",
    "questions",
    "answer",
    "sources",
    "verified",
    "see_also",
}
_CELL_KEYS = {"verdict", "answer", "short", "details", "sources", "verified", "see_also"}


def _claim(reader: _FileReader, out: _Collected, item_id: str, node: yaml.Node) -> bool:
    """Ids share one namespace (they are answer ids); the first file to use one keeps it."""
    if item_id == OUTSIDE:
        reader.err(node, f"'{OUTSIDE}' is reserved for the out-of-scope samples")
        return False
    if item_id in out.first_seen:
        file, line = out.first_seen[item_id]
        reader.err(node, f"duplicate id '{item_id}' (first in {file}:{line})")
        return False
    out.first_seen[item_id] = (reader.rel, _line(node))
    return True


def _parse_carrier(reader: _FileReader, fields: dict[str, Pair], out: _Collected) -> None:
    carrier_pair = fields["carrier"]
    c = reader.fields(carrier_pair[1], "carrier", _CARRIER_KEYS, {"id", "names", "label"})
    if c is None:
        return
    before = len(reader.problems)
    cid = reader.slug(c["id"][1], "carrier id")
    label = cid or "carrier"
    names = tuple(reader.text_list(c["names"][1], f"{label}: names", MAX_CHARS["label"]))
    if not names and isinstance(c["names"][1], yaml.SequenceNode):
        reader.err(c["names"][0], f"{label}: names: list every way people write the carrier")
    texts = reader.by_lang(c["label"], f"{label}: label", MAX_CHARS["label"])
    site = reader.url(c["site"][1], f"{label}: site") if "site" in c else None
    features = (
        tuple(reader.text_list(c["features"][1], f"{label}: features")) if "features" in c else ()
    )
    for feature in features:
        reader.refs.append(_Ref(label, "feature", feature, reader.rel, _line(c["features"][1])))
    brand_of = reader.slug(c["brand_of"][1], f"{label}: brand_of") if "brand_of" in c else None
    if brand_of is not None:
        reader.refs.append(_Ref(label, "carrier", brand_of, reader.rel, _line(c["brand_of"][1])))
    cells_pair = fields.get("cells")
    if cells_pair is None:
        reader.err(carrier_pair[0], f"{label}: missing 'cells' (one per per-carrier topic)")
        return
    cells = reader.mapping(cells_pair[1], f"{label}: cells") or {}
    if len(reader.problems) > before or cid is None:
        return
    if not _claim(reader, out, cid, c["id"][1]):
        return
    out.carriers[cid] = Carrier(
        cid, names, texts, site, features, reader.rel, _line(carrier_pair[1]), brand_of
    )
    for key, (key_node, cell_node) in cells.items():
        out.cells_written.add((cid, key))
        raw = _parse_cell(reader, cid, key, key_node, cell_node)
        if raw is not None:
            out.raw_cells.append((key, raw))


def _parse_cell(
    reader: _FileReader, carrier: str, key: str, key_node: yaml.Node, node: yaml.Node
) -> _RawCell | None:
    what = f"{carrier}: cells.{key}"
    f = reader.fields(node, what, _CELL_KEYS, {"verdict", "answer", "sources", "verified"})
    if f is None:
        return None
    before = len(reader.problems)
    verdict = reader.text(f["verdict"][1], f"{what}: verdict")
    answer = reader.by_lang(f["answer"], f"{what}: answer", MAX_CHARS["verdict"])
    short = (
        reader.by_lang(f["short"], f"{what}: short", MAX_CHARS["short"]) if "short" in f else None
    )
    details: list[Detail] = []
    if "details" in f:
        d_node = f["details"][1]
        if not isinstance(d_node, yaml.SequenceNode):
            reader.err(d_node, f"{what}: details: expected a list")
        else:
            for item in d_node.value:
                item_fields = reader.mapping(item, f"{what}: detail")
                if item_fields is None:
                    continue
                aspect = None
                if "aspect" in item_fields:
                    _a_key, a_node = item_fields.pop("aspect")
                    aspect = reader.text(a_node, f"{what}: aspect")
                    if aspect is not None and aspect not in ASPECTS:
                        reader.err(a_node, f"{what}: aspect must be one of {', '.join(ASPECTS)}")
                text = reader._texts(item, item_fields, f"{what}: detail", MAX_CHARS["detail"])
                details.append(Detail(text, aspect))
    sources = reader.sources(f["sources"][1], what)
    verified = reader.date(f["verified"][1], f"{what}: verified")
    see_also = reader.see_also(what, f.get("see_also"))
    if len(reader.problems) > before or verdict is None or verified is None:
        return None
    cell = Cell(
        topic="",  # set once the topic with this cell key is known
        carrier=carrier,
        verdict=verdict,
        answer=answer,
        short=short,
        details=tuple(details),
        sources=sources,
        verified=verified,
        see_also=see_also,
        file=reader.rel,
        line=_line(key_node),
    )
    return _RawCell(carrier, verdict, _line(f["verdict"][1]), cell)


def _parse_topic(reader: _FileReader, pair: Pair, out: _Collected) -> None:
    required = {"id", "title", "label", "overview", "verdicts", "questions"}
    f = reader.fields(pair[1], "topic", _TOPIC_KEYS, required)
    if f is None:
        return
    before = len(reader.problems)
    tid = reader.slug(f["id"][1], "topic id")
    label = tid or "topic"
    cell_key = reader.slug(f["cell"][1], f"{label}: cell") if "cell" in f else tid
    headline = False
    if "headline" in f:
        flag = reader.scalar(f["headline"][1], f"{label}: headline")
        if flag not in ("true", "false"):
            reader.err(f["headline"][1], f"{label}: headline must be true or false")
        headline = flag == "true"
    title = reader.by_lang(f["title"], f"{label}: title", MAX_CHARS["title"])
    short_label = reader.by_lang(f["label"], f"{label}: label", MAX_CHARS["label"])
    overview = reader.by_lang(f["overview"], f"{label}: overview", MAX_CHARS["overview"])
    verdicts: dict[str, Texts] = {}
    v_map = reader.mapping(f["verdicts"][1], f"{label}: verdicts") or {}
    for key, (key_node, value_node) in v_map.items():
        verdicts[key] = reader.by_lang((key_node, value_node), f"{label}: verdicts.{key}", 80)
    if not v_map and isinstance(f["verdicts"][1], yaml.MappingNode):
        reader.err(f["verdicts"][0], f"{label}: verdicts: at least one needed")
    questions = reader.questions(f["questions"], f"{label}: questions")
    see_also = reader.see_also(label, f.get("see_also"))
    cues: tuple[str, ...] = ()
    if "cues" in f:
        cues = tuple(reader.text_list(f["cues"][1], f"{label}: cues"))
        for cue in cues:
            reader.refs.append(_Ref(label, "cue", cue, reader.rel, _line(f["cues"][1])))
    if len(reader.problems) > before or tid is None or cell_key is None:
        return
    clash = next((t for t in out.topics.values() if t.cell_key == cell_key), None)
    if clash is not None:
        where = f["cell"][1] if "cell" in f else f["id"][1]
        reader.err(where, f"{tid}: cell key '{cell_key}' is already {clash.id}'s ({clash.file})")
        return
    if not _claim(reader, out, tid, f["id"][1]):
        return
    out.topics[tid] = Topic(
        tid,
        cell_key,
        headline,
        title,
        short_label,
        overview,
        verdicts,
        questions,
        see_also,
        reader.rel,
        _line(pair[1]),
        cues,
    )


def _parse_entry(reader: _FileReader, pair: Pair, out: _Collected) -> None:
    required = {"id", "title", "summary", "questions", "answer", "sources", "verified"}
    f = reader.fields(pair[1], "entry", _ENTRY_KEYS, required)
    if f is None:
        return
    before = len(reader.problems)
    eid = reader.slug(f["id"][1], "entry id")
    label = eid or "entry"
    carrier = reader.text(f["carrier"][1], f"{label}: carrier") if "carrier" in f else None
    title = reader.by_lang(f["title"], f"{label}: title", MAX_CHARS["title"])
    summary = reader.by_lang(f["summary"], f"{label}: summary", MAX_CHARS["summary"])
    answer = reader.by_lang(f["answer"], f"{label}: answer", MAX_CHARS["answer"])
    questions = reader.questions(f["questions"], f"{label}: questions")
    sources = reader.sources(f["sources"][1], label)
    verified = reader.date(f["verified"][1], f"{label}: verified")
    see_also = reader.see_also(label, f.get("see_also"))
    if len(reader.problems) > before or eid is None or verified is None:
        return
    if carrier is not None:
        reader.refs.append(_Ref(eid, "carrier", carrier, reader.rel, _line(f["carrier"][1])))
    if not _claim(reader, out, eid, f["id"][1]):
        return
    out.entries[eid] = Entry(
        eid,
        carrier,
        title,
        summary,
        questions,
        answer,
        sources,
        verified,
        see_also,
        reader.rel,
        _line(pair[1]),
    )


def _parse_learned(reader: _FileReader, node: yaml.Node, out: _Collected) -> None:
    if not isinstance(node, yaml.SequenceNode):
        reader.err(node, "learned: expected a list")
        return
    for item in node.value:
        f = reader.fields(
            item, "learned", {"q", "target", "lang", "by", "at"}, {"q", "target", "lang"}
        )
        if f is None:
            continue
        text = reader.text(f["q"][1], "learned: q", MAX_CHARS["question"])
        target = reader.text(f["target"][1], "learned: target")
        lang = reader.text(f["lang"][1], "learned: lang")
        if lang is not None and lang not in LANGS:
            reader.err(f["lang"][1], f"learned: lang must be one of {', '.join(LANGS)}")
            lang = None
        by = reader.scalar(f["by"][1], "learned: by") if "by" in f else ""
        at = reader.scalar(f["at"][1], "learned: at") if "at" in f else ""
        if text and target and lang:
            sample_lang = "zh-Hans" if lang == "zh-Hant" else lang
            sample = Learned(text, target, sample_lang, by or "", at or "", _line(item))
            out.learned.append((sample, reader.rel))
            reader.refs.append(_Ref("learned", "target", target, reader.rel, _line(item)))


def _read_word_lists(reader: _FileReader, key: str, pair: Pair, out: _Collected) -> None:
    key_node, value_node = pair
    if key == "synonyms":
        groups = reader.mapping(value_node, "synonyms")
        for canonical, (c_node, variants_node) in (groups or {}).items():
            if not re.fullmatch(r"[a-z][a-z0-9_-]*", canonical):
                reader.err(c_node, f"synonyms: '{canonical}': use a lower-case ascii name")
                continue
            if canonical in out.synonyms:
                reader.err(c_node, f"synonyms: '{canonical}' is defined twice")
                continue
            out.synonyms[canonical] = tuple(
                reader.text_list(variants_node, f"synonyms.{canonical}")
            )
    elif key in _WORD_LISTS:
        out.words[key].extend(reader.text_list(value_node, key))
    else:
        reader.err(
            key_node,
            f"unknown top-level key '{key}' "
            f"(expected carrier, topic, entry, learned, synonyms, {OUTSIDE})",
        )


def _read_file(reader: _FileReader, node: yaml.Node, out: _Collected) -> None:
    fields = reader.mapping(node, "file")
    if fields is None:
        return
    if "carrier" in fields:
        _parse_carrier(reader, fields, out)
        fields.pop("carrier")
        fields.pop("cells", None)
    elif "cells" in fields:
        reader.err(fields["cells"][0], "cells belong in a carrier file, next to 'carrier:'")
        fields.pop("cells")
    for key, pair in fields.items():
        if key == "topic":
            _parse_topic(reader, pair, out)
        elif key == "entry":
            _parse_entry(reader, pair, out)
        elif key == "learned":
            _parse_learned(reader, pair[1], out)
        elif key == OUTSIDE:
            if out.outside:
                reader.err(pair[0], f"'{OUTSIDE}' is defined twice")
                continue
            out.outside = reader.questions(pair, OUTSIDE)
            out.outside_at = (reader.rel, _line(pair[0]))
        else:
            _read_word_lists(reader, key, pair, out)


def _yaml_files(root: Path) -> Iterator[Path]:
    seen: set[Path] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            real = folder.resolve(strict=True)
        except (OSError, RuntimeError):
            continue
        if real in seen:  # a symlink loop or a folder linked twice
            continue
        seen.add(real)
        try:
            children = sorted(folder.iterdir())
        except OSError:
            continue
        for child in children:
            if child.name.startswith("."):
                continue
            if child.is_dir():
                stack.append(child)
            elif child.suffix in (".yaml", ".yml"):
                yield child


# --------------------------------------------------------------------------------------------
# The whole knowledge base


def _link_cells(out: _Collected, problems: list[Problem]) -> dict[tuple[str, str], Cell]:
    """Attach each cell to its topic; every carrier needs a cell in every topic."""
    by_key = {t.cell_key: t for t in out.topics.values()}
    cells: dict[tuple[str, str], Cell] = {}
    for key, raw in out.raw_cells:
        topic = by_key.get(key)
        cell = raw.cell
        if topic is None:
            known = ", ".join(sorted(by_key)) or "none"
            problems.append(
                Problem(
                    cell.file, cell.line, f"{raw.carrier}: no topic has cells '{key}' ({known})"
                )
            )
            continue
        if raw.verdict not in topic.verdicts:
            problems.append(
                Problem(
                    cell.file,
                    raw.verdict_line,
                    f"{raw.carrier}: cells.{key}: verdict '{raw.verdict}' is not one of "
                    f"{', '.join(topic.verdicts)} (from {topic.file})",
                )
            )
            continue
        cells[(topic.id, raw.carrier)] = dataclasses.replace(cell, topic=topic.id)
    for carrier in out.carriers.values():
        for topic in out.topics.values():
            if (carrier.id, topic.cell_key) not in out.cells_written:
                problems.append(
                    Problem(
                        carrier.file,
                        carrier.line,
                        f"{carrier.id}: missing cell '{topic.cell_key}' (every carrier needs one "
                        "per topic; write 'verdict: unknown' where the facts are not known)",
                    )
                )
    headlines = [t for t in out.topics.values() if t.headline]
    for extra in headlines[1:]:
        problems.append(
            Problem(extra.file, extra.line, f"{extra.id}: only one topic can be the headline")
        )
    return cells


def _check_refs(refs: list[_Ref], out: _Collected, problems: list[Problem]) -> None:
    answerable = set(out.topics) | set(out.entries)
    everything = answerable | set(out.carriers)
    for ref in refs:
        if ref.field == "carrier":
            ok = ref.target in out.carriers
            message = f"carrier '{ref.target}' is not a carrier"
        elif ref.field in ("feature", "cue"):
            ok = ref.target in out.synonyms
            message = f"{ref.field} '{ref.target}' is not a synonyms concept"
        elif ref.field == "target":
            ok = ref.target in answerable or ref.target == OUTSIDE
            message = f"target '{ref.target}' is not a topic or entry (or {OUTSIDE})"
        else:
            ok = ref.target in everything
            message = f"{ref.field} '{ref.target}' does not exist"
        if not ok:
            problems.append(Problem(ref.file, ref.line, f"{ref.owner}: {message}"))


def _all_texts(out: _Collected, cells: Mapping[tuple[str, str], Cell]) -> Iterator[dict]:
    """Every per-language text mapping, for generating zh-Hant."""
    for carrier in out.carriers.values():
        yield carrier.label
    for topic in out.topics.values():
        yield from (topic.title, topic.label, topic.overview, *topic.verdicts.values())
    for entry in out.entries.values():
        yield from (entry.title, entry.summary, entry.answer)
    for cell in cells.values():
        yield cell.answer
        if cell.short:
            yield cell.short
        for detail in cell.details:
            yield detail.text


def load_knowledge(root: Path, *, today: dt.date | None = None) -> KnowledgeBase:
    """Read every YAML file under `root`; raise KnowledgeError listing every problem found."""
    root = Path(root)
    if not root.is_dir():
        raise KnowledgeError([Problem(str(root), 1, "knowledge folder not found")])
    problems: list[Problem] = []
    refs: list[_Ref] = []
    out = _Collected()
    digest = hashlib.sha256()
    files = list(_yaml_files(root))
    if len(files) > MAX_FILES:
        raise KnowledgeError([Problem(str(root), 1, f"more than {MAX_FILES} YAML files")])
    for path in sorted(files):
        rel = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
        node, file_problems, raw = _read_nodes(path, rel)
        digest.update(rel.encode() + b"\0" + raw + b"\0")
        problems += file_problems
        if node is None:
            continue
        reader = _FileReader(rel)
        _read_file(reader, node, out)
        problems += reader.problems
        refs += reader.refs

    cells = _link_cells(out, problems)
    _check_refs(refs, out, problems)
    if not out.topics and not out.entries and not problems:
        problems.append(Problem(str(root), 1, "no topics or entries found"))
    if problems:
        raise KnowledgeError(problems)

    # zh-Hant is made from zh-Hans unless a text carries its own override.
    missing = [texts for texts in _all_texts(out, cells) if "zh-Hant" not in texts]
    for texts, hant in zip(missing, to_traditional([t["zh-Hans"] for t in missing]), strict=True):
        texts["zh-Hant"] = hant

    today = today or dt.date.today()
    dated = [*out.entries.values(), *cells.values()]
    warnings = tuple(
        Problem(
            item.file,
            item.line,
            f"{getattr(item, 'id', None) or f'{item.carrier}/{item.topic}'}: verified "
            f"{item.verified} is over a year old",
            "warning",
        )
        for item in dated
        if today - item.verified > STALE_AFTER
    )
    return KnowledgeBase(
        carriers=dict(sorted(out.carriers.items())),
        topics=dict(sorted(out.topics.items())),
        entries=dict(sorted(out.entries.items())),
        cells=dict(sorted(cells.items())),
        synonyms=out.synonyms,
        stopwords=tuple(out.words["stopwords"]),
        offtopic=tuple(out.words["offtopic"]),
        nondata=tuple(out.words["nondata"]),
        learned=tuple(sample for sample, _ in out.learned),
        version=digest.hexdigest()[:12],
        warnings=warnings,
        outside=out.outside,
        outside_at=out.outside_at,
    )
