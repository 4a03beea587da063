"""Answer-quality measurement over YAML question sets (`python -m bot eval FILE …`).

A case is one message (`q`) or a conversation (`turns`, only the last reply scored); see
tests/data/README.md for the format and the id contract.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:  # the engine imports this module (its quality gate measures with it)
    from bot.engine import Context, Reply

LANG_ORDER = ("zh-Hans", "zh-Hant", "ja", "en", "mixed")
_UNSET = object()
DECISIONS = ("answer", "clarify", "none", "smalltalk")


@dataclass(frozen=True)
class Case:
    turns: tuple[str, ...]
    expect: tuple[str, ...]  # empty = out of scope / small talk: no entry may answer
    lang: str
    carrier: object = _UNSET  # a carrier id, None (must be general) or _UNSET (not checked)
    decision: str | None = None
    source: str = ""

    @property
    def conversation(self) -> bool:
        return len(self.turns) > 1

    @property
    def checks_carrier(self) -> bool:
        return self.carrier is not _UNSET


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
    carrier_cases: int = 0  # in-scope cases that say which carrier the answer must be about
    carrier_correct: int = 0
    single_option_clarify: int = 0

    def add(self, case: Case, reply: Reply) -> str:
        if reply.decision == "clarify" and len(reply.candidates) < 2:
            self.single_option_clarify += 1
        if not case.expect:
            self.out_of_scope += 1
            if reply.decision == "answer":
                self.false_answer += 1
                return "false-answer"
            if case.decision and reply.decision != case.decision:
                return "wrong-decision"
            return "ok"
        self.in_scope += 1
        if case.checks_carrier:
            self.carrier_cases += 1
        if reply.decision == "answer":
            id_ok = reply.id in case.expect
            carrier_ok = not case.checks_carrier or reply.carrier == case.carrier
            if id_ok and carrier_ok:
                self.answered_correct += 1
                if case.checks_carrier:
                    self.carrier_correct += 1
                return "correct"
            self.wrong += 1
            return "wrong" if not id_ok else "wrong-carrier"
        if reply.decision == "clarify" and any(
            c.target.topic in case.expect or c.target.carriers[:1] == case.expect[:1]
            for c in reply.candidates
        ):
            self.clarified_correct += 1
            return "clarified"
        self.missed += 1
        return "missed"

    @staticmethod
    def pct(count: int, total: int) -> float:
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
            "carrier_cases": self.carrier_cases,
            "carrier_correct": self.pct(self.carrier_correct, self.carrier_cases),
            "single_option_clarify": self.single_option_clarify,
        }


@dataclass
class Report:
    by_lang: dict[str, Tally] = field(default_factory=dict)
    overall: Tally = field(default_factory=Tally)
    conversations: Tally = field(default_factory=Tally)
    latencies_us: list[float] = field(default_factory=list)
    cases: list[dict] = field(default_factory=list)

    def latency(self) -> dict[str, float]:
        if not self.latencies_us:
            return {"p50_us": 0.0, "p99_us": 0.0, "max_us": 0.0}
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
            "conversations": self.conversations.summary(),
            "latency": self.latency(),
        }


class EvalFileError(Exception):
    pass


def _ids(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(x, str) for x in value):
        return tuple(value)
    raise EvalFileError(f"{where}: expect must be an id, a list of ids or null")


# libyaml's C parser when installed: the bot reads every evaluation set for its quality gate, and
# the pure-Python parser took 27 s for them (the C one about a tenth of that). Both are safe loaders.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_cases(path: Path) -> list[Case]:
    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, yaml.YAMLError) as exc:
        raise EvalFileError(f"{path}: {exc}") from None
    if not isinstance(data, list):
        raise EvalFileError(f"{path}: expected a list of cases ({{q or turns, expect, lang}})")
    cases = []
    for n, item in enumerate(data, 1):
        where = f"{path}: case {n}"
        if not isinstance(item, dict):
            raise EvalFileError(f"{where}: expected a mapping")
        if isinstance(item.get("q"), str):
            turns: tuple[str, ...] = (item["q"],)
        elif (
            isinstance(item.get("turns"), list)
            and item["turns"]
            and all(isinstance(t, str) for t in item["turns"])
        ):
            turns = tuple(item["turns"])
        else:
            raise EvalFileError(f"{where}: needs a text 'q' or a list of texts 'turns'")
        carrier = item.get("carrier", _UNSET)
        if carrier is not _UNSET and carrier is not None and not isinstance(carrier, str):
            raise EvalFileError(f"{where}: carrier must be an id or null")
        decision = item.get("decision")
        if decision is not None and decision not in DECISIONS:
            raise EvalFileError(f"{where}: decision must be one of {', '.join(DECISIONS)}")
        cases.append(
            Case(
                turns,
                _ids(item.get("expect"), where),
                str(item.get("lang") or "unknown"),
                carrier,
                decision,
                Path(path).name,
            )
        )
    return cases


Ask = Callable[[str, "Context | None"], "Reply"]


def run_case(case: Case, ask: Ask) -> tuple[Reply, float]:
    """Send the case's messages in one fresh conversation; the last reply and its latency (µs)."""
    context: Context | None = None
    reply = None
    elapsed = 0.0
    for turn in case.turns:
        start = time.perf_counter()
        reply = ask(turn, context)
        elapsed = (time.perf_counter() - start) * 1e6
        context = reply.context
    assert reply is not None
    return reply, elapsed


def evaluate(cases: Iterable[Case], ask: Ask, *, warmup: int = 20) -> Report:
    cases = list(cases)
    for case in cases[:warmup]:
        run_case(case, ask)
    report = Report()
    for case in cases:
        reply, elapsed = run_case(case, ask)
        report.latencies_us.append(elapsed)
        outcome = report.by_lang.setdefault(case.lang, Tally()).add(case, reply)
        report.overall.add(case, reply)
        if case.conversation:
            report.conversations.add(case, reply)
        report.cases.append(
            {
                **({"turns": list(case.turns)} if case.conversation else {"q": case.turns[0]}),
                "expect": list(case.expect) or None,
                **({"expect_carrier": case.carrier} if case.checks_carrier else {}),
                "lang": case.lang,
                "file": case.source,
                "decision": reply.decision,
                "id": reply.id,
                "carrier": reply.carrier,
                "candidates": [
                    {
                        "id": c.target.topic or c.target.key(),
                        "key": c.target.key(),
                        "score": round(c.score, 1),
                    }
                    for c in reply.candidates
                ],
                "reply_lang": reply.lang,
                "outcome": outcome,
            }
        )
    return report


def format_table(summary: dict) -> str:
    head = (
        f"{'lang':<8} {'n':>4} {'answered':>9} {'clarified':>9} {'wrong':>6} {'missed':>7}"
        f" {'carrier':>8} {'oos n':>6} {'false-ans':>9}"
    )
    rows = [head, "-" * len(head)]
    items = [*summary["by_lang"].items(), ("overall", summary["overall"])]
    if summary["conversations"]["in_scope"] or summary["conversations"]["out_of_scope"]:
        items.append(("convers.", summary["conversations"]))
    for lang, s in items:
        carrier = f"{s['carrier_correct']:>7.1f}%" if s["carrier_cases"] else f"{'-':>8}"
        rows.append(
            f"{lang:<8} {s['in_scope']:>4} {s['answered_correct']:>8.1f}% {s['clarified_correct']:>8.1f}%"
            f" {s['wrong']:>5.1f}% {s['missed']:>6.1f}% {carrier} {s['out_of_scope']:>6}"
            f" {s['false_answer']:>8.1f}%"
        )
    lat = summary["latency"]
    rows.append(
        f"latency per message: p50 {lat['p50_us']} µs, p99 {lat['p99_us']} µs; "
        f"single-option clarify: {summary['overall']['single_option_clarify']}"
    )
    return "\n".join(rows)
