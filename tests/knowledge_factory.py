"""Tiny knowledge bases for tests: minimal valid entries as YAML text, and a folder to hold them.

Every entry's sample questions are built from its own id only, so entries share no meaning units
and each sample question is answered by its own entry whatever the matcher's tuning.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from bot.knowledge import AUTHORED_LANGS, MIN_QUESTIONS


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def entry_yaml(
    entry_id: str,
    *,
    kind: str = "topic",
    title: str | None = None,
    answer: str | None = None,
    verified: str = "2026-10-01",
    see_also: Iterable[str] = (),
    url: str = "https://example.com/plans?a=1&b=2",
    extra: str = "",
) -> str:
    """One entry of an `entries:` list, with the fewest sample questions the loader accepts."""
    lines = [f"  - id: {entry_id}", f"    kind: {kind}"]
    if kind == "carrier":
        lines.append(f"    names: [{entry_id}]")
    for key, text in (
        ("title", title or f"About {entry_id}"),
        ("summary", f"{entry_id} in one line."),
    ):
        lines.append(f"    {key}:")
        lines += [f"      {lang}: {q(text)}" for lang in AUTHORED_LANGS]
    lines.append("    questions:")
    for lang in AUTHORED_LANGS:
        lines.append(f"      {lang}:")
        tag = lang.lower().replace("-", "")
        lines += [
            f"        - {entry_id} {entry_id}{tag}{n} {entry_id}plan {entry_id}data"
            for n in range(1, MIN_QUESTIONS[lang] + 1)
        ]
    lines.append("    answer:")
    lines += [
        f"      {lang}: {q(answer or f'{entry_id}: the answer in {lang}.')}"
        for lang in AUTHORED_LANGS
    ]
    lines += [
        "    sources:",
        f"      - url: {q(url)}",
        "        as_of: undated",
        f"    verified: {verified}",
    ]
    if see_also:
        lines.append(f"    see_also: [{', '.join(see_also)}]")
    if extra:
        lines.append(extra)
    return "\n".join(lines) + "\n"


def kb_file(*entries: str) -> str:
    return "entries:\n" + "".join(entries)


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


def line_of(text: str, needle: str, start: int = 0) -> int:
    """1-based line of the first `needle` at or after character `start`."""
    pos = text.index(needle, start)
    return text.count("\n", 0, pos) + 1
