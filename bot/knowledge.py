"""Load and validate the knowledge base into an immutable value.

The YAML is walked as PyYAML *nodes*, not as constructed Python objects, so that every problem can
name the file and line it comes from, duplicate keys are caught (PyYAML's constructor silently keeps
the last one), and anchors/aliases and custom tags are refused before they can expand or execute.
"""

from __future__ import annotations

import datetime as dt
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
KINDS = ("carrier", "topic")
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_FILES = 2000
MAX_DEPTH = 20  # our files nest 4 deep; PyYAML's composer recurses, so a deeper file must stop
# A reply is one Telegram message (4,096 characters) holding a title, an answer and the sources.
MAX_CHARS = {"title": 200, "summary": 400, "answer": 3000, "question": 300, "url": 500}
STALE_AFTER = dt.timedelta(days=365)
MIN_QUESTIONS = {"zh-Hans": 3, "ja": 2, "en": 2}
MIN_QUESTIONS_TOTAL = 6
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_URL_RE = re.compile(r"^https?://[\w-]+(?:\.[\w-]+)*(?::\d+)?(?:[/?#][^\s\"'<>]*)?$")
_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "bool", "null", "timestamp", "float", "seq", "map")
}
_ENTRY_KEYS = {
    "id",
    "kind",
    "carrier",
    "names",
    "title",
    "summary",
    "questions",
    "answer",
    "sources",
    "verified",
    "see_also",
}
_REQUIRED_KEYS = {"id", "kind", "title", "summary", "questions", "answer", "sources", "verified"}


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


@dataclass(frozen=True)
class Source:
    url: str
    as_of: str


@dataclass(frozen=True)
class Entry:
    """One answerable thing: a carrier's policy card or a topic."""

    id: str
    kind: str
    carrier: str | None
    names: tuple[str, ...]
    title: Mapping[str, str]
    summary: Mapping[str, str]
    questions: Mapping[str, tuple[str, ...]]
    answer: Mapping[str, str]
    sources: tuple[Source, ...]
    verified: dt.date
    see_also: tuple[str, ...]
    file: str
    line: int

    @property
    def is_carrier(self) -> bool:
        return self.kind == "carrier"


@dataclass(frozen=True)
class KnowledgeBase:
    """An immutable snapshot of the curated content; `version` is a hash of the files it came from."""

    entries: Mapping[str, Entry]
    synonyms: Mapping[str, tuple[str, ...]]
    stopwords: tuple[str, ...]
    offtopic: tuple[str, ...]
    version: str
    warnings: tuple[Problem, ...] = field(default=())

    def carriers(self) -> list[Entry]:
        return [e for e in self.entries.values() if e.is_carrier]


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


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


@dataclass(frozen=True)
class _Ref:
    """An entry naming another (see_also, carrier): checked once every file has been read."""

    entry_id: str
    field: str
    target: str
    file: str
    line: int


class _FileReader:
    """Turns one file's node tree into plain values, collecting located problems on the way."""

    def __init__(self, rel: str) -> None:
        self.rel = rel
        self.problems: list[Problem] = []
        self.refs: list[_Ref] = []

    def err(self, node: yaml.Node | None, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.rel, line or (_line(node) if node else 1), message))

    def mapping(self, node: yaml.Node, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        if not isinstance(node, yaml.MappingNode):
            self.err(node, f"{what}: expected a mapping (key: value)")
            return None
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
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

    def by_lang(
        self, pair: tuple[yaml.Node, yaml.Node], what: str
    ) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """The per-language (key, value) pairs under `pair`'s key, each authored language once.

        A missing language is reported at the parent key: a block mapping itself starts at its
        first child, which is not where the operator will look."""
        parent_key, node = pair
        fields = self.mapping(node, what)
        if fields is None:
            return {}
        out = {}
        for lang, lang_pair in fields.items():
            if lang not in AUTHORED_LANGS:
                hint = " (zh-Hant is generated from zh-Hans)" if lang == "zh-Hant" else ""
                self.err(lang_pair[0], f"{what}: unknown language '{lang}'{hint}")
                continue
            out[lang] = lang_pair
        for lang in AUTHORED_LANGS:
            if lang not in out:
                self.err(parent_key, f"{what}: missing language '{lang}'")
        return out


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


def _parse_date(reader: _FileReader, node: yaml.Node, what: str) -> dt.date | None:
    value = reader.scalar(node, what)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        reader.err(node, f"{what}: expected a date YYYY-MM-DD, got '{value}'")
        return None


def _parse_entry(reader: _FileReader, node: yaml.Node) -> Entry | None:
    fields = reader.mapping(node, "entry")
    if fields is None:
        return None
    before = len(reader.problems)
    id_node = fields["id"][1] if "id" in fields else None
    label = id_node.value if isinstance(id_node, yaml.ScalarNode) and id_node.value else "entry"
    for key, (key_node, _) in fields.items():
        if key not in _ENTRY_KEYS:
            reader.err(key_node, f"{label}: unknown key '{key}'")
    for key in sorted(_REQUIRED_KEYS - fields.keys()):
        reader.err(node, f"{label}: missing key '{key}'")
    if len(reader.problems) > before:
        return None

    def get(key: str) -> yaml.Node:
        return fields[key][1]

    entry_id = reader.text(get("id"), "id")
    if entry_id is not None and not _ID_RE.match(entry_id):
        reader.err(get("id"), f"id '{entry_id}': use lower-case letters, digits and '-'")
    kind = reader.text(get("kind"), f"{entry_id}: kind")
    if kind is not None and kind not in KINDS:
        reader.err(get("kind"), f"{entry_id}: kind must be one of {', '.join(KINDS)}")
    carrier = reader.text(get("carrier"), f"{entry_id}: carrier") if "carrier" in fields else None
    names = tuple(reader.text_list(get("names"), f"{entry_id}: names")) if "names" in fields else ()
    if kind == "carrier" and not names:
        reader.err(node, f"{entry_id}: carrier cards need 'names' (aliases)")
    if kind == "topic" and names:
        reader.err(fields["names"][0], f"{entry_id}: only carrier cards have 'names'")

    def texts(key: str) -> dict[str, str]:
        out = {}
        for lang, (_, value_node) in reader.by_lang(fields[key], f"{entry_id}: {key}").items():
            value = reader.text(value_node, f"{entry_id}: {key}.{lang}", MAX_CHARS[key])
            if value is not None:
                out[lang] = value
        return out

    title, summary, answer = texts("title"), texts("summary"), texts("answer")
    questions: dict[str, tuple[str, ...]] = {}
    for lang, (lang_key, value_node) in reader.by_lang(
        fields["questions"], f"{entry_id}: questions"
    ).items():
        questions[lang] = tuple(
            reader.text_list(value_node, f"{entry_id}: questions.{lang}", MAX_CHARS["question"])
        )
        if len(questions[lang]) < MIN_QUESTIONS[lang]:
            reader.err(
                lang_key, f"{entry_id}: questions.{lang}: at least {MIN_QUESTIONS[lang]} needed"
            )
    if sum(len(v) for v in questions.values()) < MIN_QUESTIONS_TOTAL:
        reader.err(
            fields["questions"][0],
            f"{entry_id}: at least {MIN_QUESTIONS_TOTAL} sample questions needed",
        )

    sources = []
    s_node = get("sources")
    if not isinstance(s_node, yaml.SequenceNode) or not s_node.value:
        reader.err(s_node, f"{entry_id}: sources: expected a non-empty list of {{url, as_of}}")
    else:
        for item in s_node.value:
            src = reader.mapping(item, f"{entry_id}: source")
            if src is None:
                continue
            for key, (key_node, _) in src.items():
                if key not in ("url", "as_of"):
                    reader.err(key_node, f"{entry_id}: source: unknown key '{key}'")
            url = None
            if "url" not in src:
                reader.err(item, f"{entry_id}: source needs a url")
            else:
                url = reader.text(src["url"][1], f"{entry_id}: source url", MAX_CHARS["url"])
                if url is not None and not _URL_RE.match(url):
                    reader.err(
                        src["url"][1],
                        f"{entry_id}: source url must be http(s)://host/… without spaces or quotes",
                    )
            as_of = reader.text(src["as_of"][1], f"{entry_id}: as_of") if "as_of" in src else None
            if as_of is None:
                reader.err(item, f"{entry_id}: source needs as_of (a date or 'undated')")
            if url and as_of:
                sources.append(Source(url, as_of))
    verified = _parse_date(reader, get("verified"), f"{entry_id}: verified")
    see_also = (
        tuple(reader.text_list(get("see_also"), f"{entry_id}: see_also"))
        if "see_also" in fields
        else ()
    )
    if len(reader.problems) > before or entry_id is None or kind is None or verified is None:
        return None
    if carrier is not None:
        reader.refs.append(_Ref(entry_id, "carrier", carrier, reader.rel, _line(get("carrier"))))
    for ref, ref_node in zip(see_also, get("see_also").value if see_also else (), strict=True):
        reader.refs.append(_Ref(entry_id, "see_also", ref, reader.rel, _line(ref_node)))
    return Entry(
        id=entry_id,
        kind=kind,
        carrier=entry_id if kind == "carrier" else carrier,
        names=names,
        title=title,
        summary=summary,
        questions=questions,
        answer=answer,
        sources=tuple(sources),
        verified=verified,
        see_also=see_also,
        file=reader.rel,
        line=_line(node),
    )


@dataclass
class _Collected:
    entries: dict[str, Entry] = field(default_factory=dict)
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    stopwords: list[str] = field(default_factory=list)
    offtopic: list[str] = field(default_factory=list)


def _read_word_lists(reader: _FileReader, fields: dict, out: _Collected) -> None:
    for key, (key_node, value_node) in fields.items():
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
        elif key in ("stopwords", "offtopic"):
            getattr(out, key).extend(reader.text_list(value_node, key))
        else:
            reader.err(key_node, f"unknown top-level key '{key}' (expected entries or synonyms)")


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


def load_knowledge(root: Path, *, today: dt.date | None = None) -> KnowledgeBase:
    """Read every YAML file under `root`; raise KnowledgeError listing every problem found."""
    root = Path(root)
    if not root.is_dir():
        raise KnowledgeError([Problem(str(root), 1, "knowledge folder not found")])
    problems: list[Problem] = []
    refs: list[_Ref] = []
    collected = _Collected()
    digest = hashlib.sha256()
    files = list(_yaml_files(root))
    if len(files) > MAX_FILES:
        raise KnowledgeError([Problem(str(root), 1, f"more than {MAX_FILES} YAML files")])
    for path in files:
        rel = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
        node, file_problems, raw = _read_nodes(path, rel)
        digest.update(rel.encode() + b"\0" + raw + b"\0")
        problems += file_problems
        if node is None:
            continue
        reader = _FileReader(rel)
        fields = reader.mapping(node, "file")
        if fields is not None:
            if "entries" in fields:
                entries_node = fields.pop("entries")[1]
                if not isinstance(entries_node, yaml.SequenceNode):
                    reader.err(entries_node, "entries: expected a list")
                else:
                    for item in entries_node.value:
                        entry = _parse_entry(reader, item)
                        if entry is None:
                            continue
                        if entry.id in collected.entries:
                            first = collected.entries[entry.id]
                            reader.err(
                                item,
                                f"duplicate id '{entry.id}' (first in {first.file}:{first.line})",
                            )
                            continue
                        collected.entries[entry.id] = entry
            _read_word_lists(reader, fields, collected)
        problems += reader.problems
        refs += reader.refs

    entries = collected.entries
    for ref in refs:
        target = entries.get(ref.target)
        if target is None:
            message = f"{ref.field} '{ref.target}' does not exist"
        elif ref.field == "carrier" and not target.is_carrier:
            message = f"carrier '{ref.target}' is not a carrier card"
        else:
            continue
        problems.append(Problem(ref.file, ref.line, f"{ref.entry_id}: {message}"))
    if not entries and not problems:
        problems.append(Problem(str(root), 1, "no entries found"))
    if problems:
        raise KnowledgeError(problems)
    # zh-Hant is made from zh-Hans, never written by hand.
    fields = [t for e in entries.values() for t in (e.title, e.summary, e.answer)]
    for texts, hant in zip(fields, to_traditional([t["zh-Hans"] for t in fields]), strict=True):
        texts["zh-Hant"] = hant  # type: ignore[index]

    today = today or dt.date.today()
    warnings = tuple(
        Problem(e.file, e.line, f"{e.id}: verified {e.verified} is over a year old", "warning")
        for e in entries.values()
        if today - e.verified > STALE_AFTER
    )
    return KnowledgeBase(
        entries=dict(sorted(entries.items())),
        synonyms=collected.synonyms,
        stopwords=tuple(collected.stopwords),
        offtopic=tuple(collected.offtopic),
        version=digest.hexdigest()[:12],
        warnings=warnings,
    )
