"""Answer quality on the evaluation set: the engine and both baselines, in one run.

Every method is scored by bot.evaluate (the same Tally as `python -m bot eval`), per language and
overall, so the figures are comparable with each other and with the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from benchmarks.baselines import OBJECTIVE, Bm25Bigrams, NaiveFuzzy, Tuning, tune_cutoff
from bot.engine import Engine
from bot.evaluate import evaluate, load_cases


@dataclass(frozen=True)
class MethodResult:
    name: str
    summary: dict  # bot.evaluate.Report.summary()
    tuning: Tuning | None  # None for the engine (its thresholds live in bot/engine.py)


@dataclass(frozen=True)
class QualityResult:
    methods: list[MethodResult]
    cases: int

    @property
    def engine(self) -> MethodResult:
        return self.methods[0]

    @property
    def baselines(self) -> list[MethodResult]:
        return self.methods[1:]


def run_quality(knowledge_dir: Path, eval_file: Path) -> QualityResult:
    cases = load_cases(eval_file)
    engine = Engine(knowledge_dir)
    methods = [MethodResult("engine", evaluate(cases, engine.ask).summary(), None)]
    kb = engine.snapshot.kb
    for baseline, cutoffs in ((NaiveFuzzy(kb), range(0, 101)), (Bm25Bigrams(kb), None)):
        tuning = tune_cutoff(cases, baseline.best, cutoffs)
        baseline.cutoff = tuning.cutoff
        methods.append(MethodResult(baseline.name, evaluate(cases, baseline.ask).summary(), tuning))
    return QualityResult(methods, len(cases))


def quality_table(result: QualityResult) -> str:
    head = (
        "| method | lang | in scope | answered-correct | clarified-correct | wrong answer | missed "
        "| out of scope | false answer |"
    )
    rows = [head, "|" + "---|" * 9]
    for method in result.methods:
        items = [*method.summary["by_lang"].items(), ("**overall**", method.summary["overall"])]
        for lang, s in items:
            rows.append(
                f"| {method.name} | {lang} | {s['in_scope']} | {s['answered_correct']:.1f}% "
                f"| {s['clarified_correct']:.1f}% | {s['wrong']:.1f}% | {s['missed']:.1f}% "
                f"| {s['out_of_scope']} | {s['false_answer']:.1f}% |"
            )
    return "\n".join(rows)


def tuning_table(result: QualityResult) -> str:
    rows = [
        "| baseline | chosen cut-off | objective | answered-correct | wrong | false answers |",
        "|---|---|---|---|---|---|",
    ]
    for method in result.baselines:
        t = method.tuning
        assert t is not None
        cutoff = "never answers" if t.cutoff == float("inf") else f"{t.cutoff:g}"
        rows.append(
            f"| {method.name} | {cutoff} | {t.objective} | {t.answered_correct} | {t.wrong} "
            f"| {t.false_answer} |"
        )
    return "\n".join(rows) + f"\n\nObjective maximised: {OBJECTIVE}; ties go to the higher cut-off."


def latency_line(result: QualityResult) -> str:
    parts = []
    for method in result.methods:
        lat = method.summary["latency"]
        parts.append(f"{method.name}: p50 {lat['p50_us']:.0f} µs, p99 {lat['p99_us']:.0f} µs")
    return "; ".join(parts)


def print_quality(result: QualityResult) -> None:
    for method in result.methods:
        o = method.summary["overall"]
        extra = f" (cut-off {method.tuning.cutoff:g})" if method.tuning else ""
        print(
            f"  {method.name:<24}{extra}: answered-correct {o['answered_correct']:.1f}%, "
            f"clarified-correct {o['clarified_correct']:.1f}%, wrong {o['wrong']:.1f}%, "
            f"false answers {o['false_answer']:.1f}% of {o['out_of_scope']} out of scope"
        )
