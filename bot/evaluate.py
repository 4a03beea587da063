"""Answer-quality measurement over a YAML question set (`python -m bot eval FILE`)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.engine import Reply

LANG_ORDER = ("zh-Hans", "zh-Hant", "ja", "en", "mixed")


@dataclass(frozen=True)
class Case:
    q: str
    expect: tuple[str, ...]  # empty = out of scope
    lang: str


@dataclass
class Tally:
    """Counts for one language (or overall)."""

    in_scope: int = 0
    answered_correct: int = 0
    clarified_correct: int = 0
    wrong: int = 0
    missed: int = 0
    out_of_scope: int = 0
    false_answer: int = 0

    def add(self, case: Case, reply: Reply) -> str:
        if not case.expect:
            self.out_of_scope += 1
            if reply.decision == "answer":
                self.false_answer += 1
                return "false-answer"
            return "ok"
        self.in_scope += 1
        if reply.decision == "answer":
            if reply.entry_id in case.expect:
                self.answered_correct += 1
                return "correct"
            self.wrong += 1
            return "wrong"
        if reply.decision == "clarify" and any(c.id in case.expect for c in reply.candidates):
            self.clarified_correct += 1
            return "clarified"
        self.missed += 1
        return "missed"

    def pct(self, count: int, total: int) -> float:
        return round(100.0 * count / total, 1) if total else 0.0

    def summary(self) -> dict[str, float | int]:
        n, o = self.in_scope, self.out_of_scope
        return {
            "in_scope": n,
            "answered_correct": self.pct(self.answered_correct, n),
            "clarified_correct": self.pct(self.clarified_correct, n),
            "wrong": self.pct(self.wrong, n),
            "missed": self.pct(self.missed, n),
            "out_of_scope": o,
            "false_answer": self.pct(self.false_answer, o),
        }


@dataclass
class Report:
    by_lang: dict[str, Tally] = field(default_factory=dict)
    overall: Tally = field(default_factory=Tally)
    latencies_us: list[float] = field(default_factory=list)
    cases: list[dict] = field(default_factory=list)

    def latency(self) -> dict[str, float]:
        if not self.latencies_us:
            return {"p50_us": 0.0, "p99_us": 0.0}
        ordered = sorted(self.latencies_us)
        p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
        return {
            "p50_us": round(statistics.median(ordered), 1),
            "p99_us": round(p99, 1),
            "max_us": round(ordered[-1], 1),
        }

    def summary(self) -> dict:
        langs = sorted(self.by_lang, key=lambda k: (*LANG_ORDER, k).index(k))
        return {
            "overall": self.overall.summary(),
            "by_lang": {lang: self.by_lang[lang].summary() for lang in langs},
            "latency": self.latency(),
        }


class EvalFileError(Exception):
    pass


def load_cases(path: Path) -> list[Case]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise EvalFileError(f"{path}: {exc}") from None
    if not isinstance(data, list):
        raise EvalFileError(f"{path}: expected a list of {{q, expect, lang}}")
    cases = []
    for n, item in enumerate(data, 1):
        if not isinstance(item, dict) or not isinstance(item.get("q"), str):
            raise EvalFileError(f"{path}: item {n}: needs a text 'q'")
        expect = item.get("expect")
        if expect is None:
            ids: tuple[str, ...] = ()
        elif isinstance(expect, str):
            ids = (expect,)
        elif isinstance(expect, list) and all(isinstance(x, str) for x in expect):
            ids = tuple(expect)
        else:
            raise EvalFileError(f"{path}: item {n}: expect must be an id, a list of ids or null")
        cases.append(Case(item["q"], ids, str(item.get("lang") or "unknown")))
    return cases


def evaluate(cases: Iterable[Case], ask: Callable[[str], Reply], *, warmup: int = 20) -> Report:
    cases = list(cases)
    for case in cases[:warmup]:
        ask(case.q)
    report = Report()
    for case in cases:
        start = time.perf_counter()
        reply = ask(case.q)
        report.latencies_us.append((time.perf_counter() - start) * 1e6)
        outcome = report.by_lang.setdefault(case.lang, Tally()).add(case, reply)
        report.overall.add(case, reply)
        report.cases.append(
            {
                "q": case.q,
                "expect": list(case.expect) or None,
                "lang": case.lang,
                "decision": reply.decision,
                "id": reply.entry_id,
                "candidates": [{"id": c.id, "score": round(c.score, 1)} for c in reply.candidates],
                "outcome": outcome,
            }
        )
    return report


def format_table(summary: dict) -> str:
    head = (
        f"{'lang':<8} {'n':>4} {'answered':>9} {'clarified':>9} {'wrong':>6} {'missed':>7}"
        f" {'oos n':>6} {'false-ans':>9}"
    )
    rows = [head, "-" * len(head)]
    items = [*summary["by_lang"].items(), ("overall", summary["overall"])]
    for lang, s in items:
        rows.append(
            f"{lang:<8} {s['in_scope']:>4} {s['answered_correct']:>8.1f}% {s['clarified_correct']:>8.1f}%"
            f" {s['wrong']:>5.1f}% {s['missed']:>6.1f}% {s['out_of_scope']:>6} {s['false_answer']:>8.1f}%"
        )
    lat = summary["latency"]
    rows.append(f"latency per question: p50 {lat['p50_us']} µs, p99 {lat['p99_us']} µs")
    return "\n".join(rows)
