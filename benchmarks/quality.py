"""Answer quality on the evaluation sets: the engine and both baselines, in one run.

The sets (tests/data/README.md) come in two groups: the *tuning* sets (every tests/data/*.yaml
but holdout*: eval.yaml, eval_people*.yaml, conversations.yaml), which the engine's thresholds and
the knowledge base were adjusted on, and the *holdout* sets (holdout*.yaml), which nobody tunes on. The baselines' cut-offs are tuned on
the tuning sets and then used unchanged on the holdout sets.

Every method is scored by bot.evaluate (the same Tally as `python -m bot eval`): an answer is
correct when its id is expected AND, where a case names one, it is about the expected carrier.
The engine gets each conversation turn by turn, with its context; the baselines answer each
message alone, so a conversation counts their reply to its last turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from benchmarks.baselines import OBJECTIVE, Bm25Bigrams, NaiveFuzzy, Tuning, tune_cutoff
from bot.engine import Engine
from bot.evaluate import Case, evaluate, load_cases

GROUPS = ("tuning", "holdout")
FIRST = ("eval.yaml", "conversations.yaml")  # listed first, as the README does; then by name


def eval_files(data_dir: Path) -> dict[str, list[Path]]:
    """The evaluation files in `data_dir`, by group: holdout*.yaml, and every other one."""
    paths = sorted(data_dir.glob("*.yaml"), key=lambda p: (p.name not in FIRST, p.name))
    return {
        "tuning": [p for p in paths if not p.name.startswith("holdout")],
        "holdout": [p for p in paths if p.name.startswith("holdout")],
    }


def all_files(data_dir: Path) -> list[Path]:
    return [p for group in eval_files(data_dir).values() for p in group]


def load_group(files: list[Path]) -> list[Case]:
    return [case for path in files for case in load_cases(path)]


def single_questions(files: list[Path]) -> list[str]:
    """The one-message questions of these files, in order (for latency and load runs)."""
    return [case.turns[0] for case in load_group(files) if not case.conversation]


@dataclass(frozen=True)
class MethodResult:
    name: str
    summaries: dict[str, dict]  # group -> bot.evaluate.Report.summary()
    tuning: Tuning | None  # None for the engine (its thresholds live in bot/engine.py)


@dataclass(frozen=True)
class QualityResult:
    methods: list[MethodResult]
    cases: dict[str, int]  # group -> number of cases
    conversations: dict[str, int]  # group -> of which conversations
    files: dict[str, list[str]]

    @property
    def engine(self) -> MethodResult:
        return self.methods[0]

    @property
    def baselines(self) -> list[MethodResult]:
        return self.methods[1:]

    @property
    def groups(self) -> list[str]:
        return [g for g in GROUPS if self.cases.get(g)]


def run_quality(knowledge_dir: Path, data_dir: Path) -> QualityResult:
    files = eval_files(data_dir)
    groups = {group: load_group(paths) for group, paths in files.items() if paths}
    engine = Engine(knowledge_dir)

    def ask_engine(text, context):  # type: ignore[no-untyped-def]
        return engine.ask(text, context=context)

    methods = [
        MethodResult(
            "engine",
            {g: evaluate(cases, ask_engine).summary() for g, cases in groups.items()},
            None,
        )
    ]
    kb = engine.snapshot.kb
    for baseline, cutoffs in ((NaiveFuzzy(kb), range(0, 101)), (Bm25Bigrams(kb), None)):
        tuning = tune_cutoff(groups["tuning"], baseline.best, cutoffs)
        baseline.cutoff = tuning.cutoff

        def ask_baseline(text, context, baseline=baseline):  # type: ignore[no-untyped-def]
            return baseline.ask(text)

        summaries = {g: evaluate(cases, ask_baseline).summary() for g, cases in groups.items()}
        methods.append(MethodResult(baseline.name, summaries, tuning))
    return QualityResult(
        methods,
        {g: len(cases) for g, cases in groups.items()},
        {g: sum(c.conversation for c in cases) for g, cases in groups.items()},
        {g: [p.name for p in paths] for g, paths in files.items()},
    )


def quality_table(result: QualityResult, group: str) -> str:
    head = (
        "| method | lang | in scope | answered-correct | clarified-correct | wrong answer | missed "
        "| out of scope | false answer |"
    )
    rows = [head, "|" + "---|" * 9]
    for method in result.methods:
        summary = method.summaries[group]
        items = [*summary["by_lang"].items(), ("**overall**", summary["overall"])]
        if summary["conversations"]["in_scope"] or summary["conversations"]["out_of_scope"]:
            items.append(("of which conversations", summary["conversations"]))
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


def latency_line(result: QualityResult, group: str = "tuning") -> str:
    parts = []
    for method in result.methods:
        lat = method.summaries[group]["latency"]
        parts.append(f"{method.name}: p50 {lat['p50_us']:.0f} µs, p99 {lat['p99_us']:.0f} µs")
    return "; ".join(parts)


def print_quality(result: QualityResult) -> None:
    for group in result.groups:
        print(
            f"  {group} sets ({', '.join(result.files[group])}): {result.cases[group]} cases, "
            f"{result.conversations[group]} of them conversations"
        )
        for method in result.methods:
            o = method.summaries[group]["overall"]
            extra = f" (cut-off {method.tuning.cutoff:g})" if method.tuning else ""
            print(
                f"    {method.name + extra:<38}: answered-correct {o['answered_correct']:.1f}%, "
                f"clarified-correct {o['clarified_correct']:.1f}%, wrong {o['wrong']:.1f}%, "
                f"missed {o['missed']:.1f}%, false answers {o['false_answer']:.1f}% of "
                f"{o['out_of_scope']} out of scope"
            )
