"""Operators teach the bot: learned sample questions, and the quality gate on every change.

A learned sample is one line in `learned.yaml` under the knowledge folder ("this wording asks
that"): reviewable, diff-friendly, and the hand-written files stay untouched. Every change to the
knowledge base — a learned sample, /undo, /reload, SIGHUP, a file watcher — is measured on the
project's evaluation sets before it is swapped in, and refused when it makes answers worse by
more than a margin (an operator can force a reload; that is logged).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.evaluate import Case, EvalFileError, Tally, load_cases, run_case

LEARNED_FILE = "learned.yaml"
_HEADER = (
    "# Sample questions operators taught the bot from Telegram (/unanswered) or with\n"
    "# `python -m bot learn`. One per line: the wording, the topic or entry it asks about, its\n"
    "# language, who added it and when. Review like any other knowledge file; /undo removes the\n"
    "# last line.\n"
    "learned:\n"
)


@dataclass(frozen=True)
class Quality:
    """Answer quality on the evaluation sets, in percent."""

    answered_correct: float
    wrong: float
    false_answer: float
    cases: int

    def __str__(self) -> str:
        return (
            f"answered-correct {self.answered_correct:.1f}%, wrong {self.wrong:.1f}%, "
            f"false answers {self.false_answer:.1f}%"
        )


def change_text(before: Quality | None, after: Quality | None) -> str:
    """ "answered-correct 91.2% → 91.4%, wrong 2.0% → 2.0%, false answers 0.0% → 0.0%"."""
    if before is None or after is None:
        return "quality not measured (no evaluation sets)"
    return (
        f"answered-correct {before.answered_correct:.1f}% → {after.answered_correct:.1f}%, "
        f"wrong {before.wrong:.1f}% → {after.wrong:.1f}%, "
        f"false answers {before.false_answer:.1f}% → {after.false_answer:.1f}%"
    )


class QualityGate:
    """The evaluation sets and the margin a change may cost.

    Holds the files, not their cases: read only while measuring (a few seconds with libyaml, next
    to the tens of seconds the measurement takes), so the running bot neither starts slower nor
    keeps ~55 MB of cases in memory as the sets grow."""

    def __init__(self, paths: Sequence[Path], margin: float = 1.0) -> None:
        self.paths = tuple(Path(p) for p in paths)
        self.margin = margin

    @classmethod
    def from_files(cls, paths: Sequence[Path], margin: float = 1.0) -> QualityGate | None:
        """None when none of the files exists (a deployment without the test data)."""
        existing = [Path(p) for p in paths if Path(p).is_file()]
        return cls(existing, margin) if existing else None

    def cases(self) -> list[Case]:
        """Every case of the files that still exist and parse (a broken set is skipped)."""
        cases: list[Case] = []
        for path in self.paths:
            try:
                cases += load_cases(path)
            except EvalFileError:
                continue
        return cases

    def measure(self, snapshot: object) -> Quality:
        from bot.engine import ask_snapshot  # the engine imports this module

        cases = self.cases()
        tally = Tally()
        for case in cases:
            reply, _ = run_case(
                case,
                lambda text, ctx: ask_snapshot(snapshot, text, "en", ctx),  # type: ignore[arg-type]
            )
            tally.add(case, reply)
        s = tally.summary()
        return Quality(
            float(s["answered_correct"]),
            float(s["wrong"]),
            float(s["false_answer"]),
            len(cases),
        )

    def refusal(self, before: Quality, after: Quality) -> str | None:
        """Why `after` is not good enough, or None."""
        worse = []
        if after.answered_correct < before.answered_correct - self.margin:
            worse.append(
                f"answered-correct fell {before.answered_correct:.1f}% → {after.answered_correct:.1f}%"
            )
        if after.wrong > before.wrong + self.margin:
            worse.append(f"wrong answers rose {before.wrong:.1f}% → {after.wrong:.1f}%")
        if after.false_answer > before.false_answer + self.margin:
            worse.append(
                f"false answers rose {before.false_answer:.1f}% → {after.false_answer:.1f}%"
            )
        if not worse:
            return None
        return "; ".join(worse) + f" (allowed margin {self.margin:g} points)"


# ------------------------------------------------------------------------------ learned.yaml


def learned_line(question: str, target: str, lang: str, by: str, at: dt.datetime) -> str:
    """One sample as one YAML flow mapping (JSON strings are valid YAML): one line per change."""
    fields = {
        "q": " ".join(question.split()),
        "target": target,
        "lang": lang,
        "by": by,
        "at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    body = ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in fields.items())
    return f"  - {{{body}}}\n"


def read_learned(root: Path) -> str:
    path = root / LEARNED_FILE
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` in one step: a reader sees the old file or the new one, never half."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def with_sample(current: str, line: str) -> str:
    """The learned file with one more line (created with its header when new)."""
    if not current.strip():
        return _HEADER + line
    return current.rstrip("\n") + "\n" + line


def without_last(current: str) -> tuple[str, str] | None:
    """The learned file without its last sample, and that sample's line; None if it has none."""
    lines = current.splitlines(keepends=True)
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].lstrip().startswith("- "):
            rest = lines[:i] + lines[i + 1 :]
            text = "".join(rest)
            if not any(line.lstrip().startswith("- ") for line in rest):
                text = ""  # no samples left: an empty `learned:` list would not load
            return text, lines[i].strip()
    return None
