"""Run every benchmark and write the figures: `python -m benchmarks.run --smoke | --full`.

--smoke  small sizes, under a minute on two cores, so CI keeps every script working; writes
         benchmarks/out/ (git-ignored). Exits non-zero only if a script crashed.
--full   the real sizes (up to 100,000 items, 1,000 queries each); writes docs/benchmarks.md and
         docs/p99_latency.png. Takes about 20 minutes on two cores.

Sizes are in *items*: topics + entries + cells (see benchmarks/synthetic.py for how a synthetic
knowledge base of N items is shaped).

No figure passes or fails anything: the targets are reported as met or missed, by how much.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import conversations, scale, throughput
from benchmarks import reload as reload_bench
from benchmarks.plot import plot_p99
from benchmarks.quality import (
    QualityResult,
    all_files,
    latency_line,
    print_quality,
    quality_table,
    run_quality,
    tuning_table,
)
from benchmarks.report import load_average, machine, machine_table, print_machine
from benchmarks.synthetic import write_knowledge

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
DATA = ROOT / "tests" / "data"
EVAL = all_files(DATA)  # every evaluation set: questions for the latency and load runs


@dataclass(frozen=True)
class Mode:
    name: str
    sizes: tuple[
        int, ...
    ]  # synthetic sizes in items; the shipped knowledge base is always measured too
    queries: int
    query_budget_s: float  # per (size, method)
    load_timeout_s: float
    reload_sizes: tuple[int, ...]  # 0 = (a copy of) the shipped knowledge base
    reload_alone: bool  # also reload with nothing else running (else only with a client asking)
    reload_budget_s: float
    reload_window_s: float  # with a client asking, when the reload alone did not finish
    updates: int  # in-process, rate limiter removed
    limited_updates: int  # in-process, as shipped (30 replies/s)
    round_trips: int
    round_trip_rate: float
    conversations: int  # held at once, for their memory
    conversation_rounds: int  # times every three-turn conversation is played
    tracemalloc: bool  # also measure the conversations' heap with tracemalloc (slow)
    out_dir: Path
    page: str


SMOKE = Mode(
    name="smoke",
    sizes=(1_000,),
    queries=200,
    query_budget_s=20,
    load_timeout_s=120,
    reload_sizes=(0, 1_000),
    reload_alone=False,
    reload_budget_s=60,
    reload_window_s=10,
    updates=300,
    limited_updates=45,
    round_trips=20,
    round_trip_rate=20.0,
    conversations=100_000,
    conversation_rounds=1,
    tracemalloc=False,
    out_dir=ROOT / "benchmarks" / "out",
    page="benchmarks.md",
)
FULL = Mode(
    name="full",
    sizes=(1_000, 10_000, 100_000),
    queries=1_000,
    query_budget_s=600,
    load_timeout_s=1_200,
    reload_sizes=(0, 1_000, 10_000),
    reload_alone=True,
    reload_budget_s=600,
    reload_window_s=120,
    updates=5_000,
    limited_updates=600,
    round_trips=500,
    round_trip_rate=20.0,
    conversations=100_000,
    conversation_rounds=20,
    tracemalloc=True,
    out_dir=ROOT / "docs",
    page="benchmarks.md",
)
COMMANDS = {
    "full": "make bench   # = .venv/bin/python -m benchmarks.run --full",
    "smoke": "make bench-smoke   # = .venv/bin/python -m benchmarks.run --smoke",
}


@dataclass
class Run:
    mode: Mode
    sections: dict[str, str] = field(default_factory=dict)  # title -> Markdown
    crashed: list[str] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)
    folders: dict[int, Path] = field(default_factory=dict)

    def section(self, title: str, body: Callable[[], str]) -> None:
        """Run one benchmark; a crash is recorded and reported, and the others still run."""
        print(f"\n== {title}", flush=True)
        start = time.perf_counter()
        try:
            self.sections[title] = body()
        except Exception:
            text = traceback.format_exc()
            print(text, file=sys.stderr, flush=True)
            self.crashed.append(title)
            self.sections[title] = f"**Crashed** — this benchmark raised:\n\n```\n{text}```"
        print(f"   ({time.perf_counter() - start:.1f} s)", flush=True)

    def folder(self, size: int, tmp: Path) -> Path:
        """A synthetic knowledge base of `size` items (0: a copy of the shipped one), written
        once per run."""
        if size not in self.folders:
            start = time.perf_counter()
            path = tmp / (f"kb-{size}" if size else "kb-shipped")
            shape = write_knowledge(KNOWLEDGE, path, size)
            print(
                f"   wrote {shape.describe()} to {path} in {time.perf_counter() - start:.1f} s",
                flush=True,
            )
            self.folders[size] = path
        return self.folders[size]


def _quality(run: Run) -> str:
    result = run_quality(KNOWLEDGE, DATA)
    run.raw["quality"] = result
    print_quality(result)
    sets = "; ".join(
        f"{group}: {', '.join(f'`{name}`' for name in result.files[group])} ({result.cases[group]} "
        f"cases, {result.conversations[group]} of them conversations)"
        for group in result.groups
    )
    parts = [
        f"The evaluation sets in `tests/data/` (see its README), in two groups — {sets}. The "
        "*tuning* sets are those the engine's thresholds and the knowledge base were adjusted on; "
        "nobody tunes on the *holdout* sets. Each method is asked every case on the shipped "
        "knowledge base and scored by `bot.evaluate` (as `python -m bot eval`): an answer counts "
        "as correct when its id is expected **and**, where the case names one, it is about the "
        "expected carrier. *answered-correct*: answered so; *clarified-correct*: not answered "
        "outright, but a right target is among the offered choices (only the engine clarifies); "
        "*wrong answer*: answered otherwise; *false answer*: an out-of-scope question answered "
        "anyway. The engine gets a conversation turn by turn with its context; the baselines "
        "answer each message alone, so a conversation counts their reply to its last turn.",
    ]
    for group in result.groups:
        parts += [f"**{group.capitalize()} sets**", quality_table(result, group)]
    parts += [
        "Baselines (see `benchmarks/baselines.py`): **naive** = rapidfuzz "
        "`process.extractOne(query, all sample questions, scorer=WRatio, "
        "processor=utils.default_process)`; **BM25** = rank-bm25 `BM25Okapi`, one document per "
        "sample question, tokens = character bigrams of the NFKC-normalised, lower-cased text "
        "without spaces (a unigram for 1-character texts), target score = best of its samples. "
        "The sample questions are the topics' and entries' (carrier cells have none). Both spot "
        "carriers naively (every carrier name as a case-insensitive substring, Latin names as "
        "whole words) and map (target, carrier) to an answer id as tests/data/README.md says. "
        "Both answer when the best score reaches a cut-off and never clarify. Each cut-off was "
        "tuned on the tuning sets (naive: 0-100 in steps of 1; BM25: every distinct observed "
        "score), which flatters the baselines there; the holdout sets use the same cut-off:",
        tuning_table(result),
        "Latency per message on the shipped knowledge base during this evaluation (tuning sets; "
        f"a conversation's last turn): {latency_line(result)}.",
    ]
    return "\n\n".join(parts)


SHIPPED_RUNS = 3  # fresh processes for the shipped knowledge base; the median p99 is reported


def _median_run(tries: list[scale.ScaleRow]) -> scale.ScaleRow:
    """Of several runs of one (size, method), the one with the median p99, carrying every run's
    p99: on a shared host one process's p99 moves by a quarter from run to run."""
    measured = [t for t in tries if t.measured and t.measured.get("p99_ms") is not None]
    if len(tries) == 1 or not measured:
        return tries[0]
    measured.sort(key=lambda t: t.measured["p99_ms"])  # type: ignore[index]
    middle = measured[(len(measured) - 1) // 2]
    runs = [t.measured["p99_ms"] for t in tries if t.measured]  # type: ignore[index]
    return scale.ScaleRow(middle.size, middle.method, {**middle.measured, "p99_runs": runs})


def _scale(run: Run, tmp: Path) -> str:
    mode = run.mode
    naive_cutoff = 0.0
    quality: QualityResult | None = run.raw.get("quality")
    if quality:
        naive_cutoff = next(
            m.tuning.cutoff  # type: ignore[union-attr]
            for m in quality.baselines
            if m.name.startswith("naive")
        )
    rows: list[scale.ScaleRow] = []
    shipped = None
    for size in (0, *mode.sizes):
        folder = KNOWLEDGE if size == 0 else run.folder(size, tmp)
        for method in ("engine", "naive"):
            tries = [
                scale.measure(
                    method,
                    size,
                    folder,
                    EVAL,
                    queries=mode.queries,
                    budget=mode.query_budget_s,
                    load_timeout=mode.load_timeout_s,
                    cutoff=naive_cutoff,
                )
                for _ in range(SHIPPED_RUNS if size == 0 else 1)
            ]
            row = _median_run(tries)
            if size == 0 and row.measured:
                shipped = row.measured["items"]
                row = scale.ScaleRow(shipped, method, row.measured)
            print(scale.describe(row), flush=True)
            rows.append(row)
            if row.reason.startswith("crashed"):
                run.crashed.append(f"{method} at {size:,} items")
    run.raw["scale"] = rows
    png = plot_p99(rows, shipped or 100, mode.out_dir / "p99_latency.png")
    run.raw["png"] = png
    return "\n\n".join(
        [
            "**What N counts.** A knowledge base of N *items* has N = topics + entries + cells: "
            "every piece that holds an answer of its own (a carrier's facts are its cells). The "
            f"shipped one has {shipped or 0:,} items. The synthetic ones, made by "
            "`benchmarks/synthetic.py`, scale the shipped shape (18 carriers × 5 topics, 8 "
            "entries) by the same factor s in both directions — 18·s carriers, 5·s topics, so "
            "90·s² cells, and about 8·s entries (the loader reads at most 2,000 files, one per "
            "carrier, topic and entry) — so most items are cells, as in the real one. Everything "
            "invented varies something real: invented MVNOs (romaji, katakana and Chinese names, "
            "a typo) copy a real carrier's cells with the names replaced; invented topics narrow "
            "a real topic to a situation (a tablet, a work phone, a senior plan, …) with "
            "its sample questions reworded around it, and copy every carrier's cell for it; "
            "invented entries make a general real entry about one invented carrier. Sample "
            "questions are reworded (a synonym from knowledge/synonyms.yaml swapped, a greeting "
            "such as 请问 / すみません / hi added to half), and the woven ones the engine would "
            "not answer with their own topic are left out, so the self-test passes. The real "
            "knowledge base is always included. Only topics and entries have sample questions, "
            "so the matcher's index (the *sample questions* column) grows with s, not with N. "
            "They are written as YAML and loaded by the real loader (`bot.engine.build_snapshot`"
            "), so load and index time is real.",
            f"Each row is a fresh Python process: load + index time, resident memory after loading "
            f"and at its peak (VmHWM, including the loader's transient garbage), then "
            f"{mode.queries:,} one-message questions from the evaluation sets in turn, each in a "
            f"fresh conversation (after {scale.WARMUP} warm-up questions), stopping early if "
            f"{mode.query_budget_s:.0f} s of asking is spent (marked *time budget*). The naive "
            f"baseline runs with its tuned cut-off ({naive_cutoff:g}) passed to `extractOne` as "
            "`score_cutoff`, and spots carriers as in the quality run. The shipped knowledge base "
            f"is measured in {SHIPPED_RUNS} such processes per method and the run with the median "
            "p99 is shown (this machine is a shared host: one process's p99 moves by a quarter "
            f"from run to run); the p99 of every run: {_runs_said(rows)}.",
            scale.scale_table(rows),
            f"![p99 latency per question against knowledge-base size]({png.name})",
        ]
    )


def _runs_said(rows: list[scale.ScaleRow]) -> str:
    """ "engine 0.91 / 0.97 / 1.12 ms, naive …": the shipped runs' p99s, for the page."""
    said = [
        f"{row.method} " + " / ".join(f"{p:.3f}" for p in row.measured["p99_runs"]) + " ms"
        for row in rows
        if row.measured and "p99_runs" in row.measured
    ]
    return ", ".join(said) or "not measured"


def _reload(run: Run, tmp: Path) -> str:
    mode = run.mode
    rows: list[reload_bench.ReloadRow] = []
    for size in mode.reload_sizes:
        folder = run.folder(size, tmp)  # a copy even when shipped: the run edits one file
        runs = []
        window = mode.reload_budget_s
        if mode.reload_alone:
            alone = reload_bench.measure(
                size, folder, EVAL, traffic=False, budget=mode.reload_budget_s
            )
            print(reload_bench.describe(alone), flush=True)
            runs.append(alone)
            window = mode.reload_budget_s if alone.result else mode.reload_window_s
        busy = reload_bench.measure(size, folder, EVAL, traffic=True, budget=window)
        print(reload_bench.describe(busy), flush=True)
        runs.append(busy)
        rows += runs
        if any(row.reason.startswith("crashed") for row in runs):
            run.crashed.append(f"reload at {size:,} items" if size else "reload, shipped")
    run.raw["reload"] = rows
    notes = _reload_estimates(run, rows)
    return "\n\n".join(
        [
            "`Engine.reload()` on a copy of the shipped knowledge base and on synthetic ones (see "
            "above), in a fresh process per run, after changing one entry's answer in one file "
            "as an operator would: it loads and indexes a complete new snapshot, self-tests it "
            "(sample questions must be answered by their own topic or entry: all of them up to "
            "20,000 samples, only those the change can affect beyond) and, as in the running bot, "
            "passes it through the quality gate (every evaluation set asked of the old and the "
            "new snapshot; the old one is measured once per version, so a bot's first reload "
            "pays for both, as here) before swapping it in. The phases are timed separately. "
            + ("First alone; then w" if mode.reload_alone else "W")
            + "ith a second thread asking one-message evaluation questions in a "
            "loop for the whole reload, to show that questions keep being answered meanwhile "
            "(and none raises). A run still going "
            f"after {mode.reload_budget_s:.0f} s is stopped: not measured."
            + (
                f" When the reload alone did not finish, the run with a client asking is stopped "
                f"after {mode.reload_window_s:.0f} s, which is still long enough to show "
                "answering goes on."
                if mode.reload_alone
                else ""
            ),
            reload_bench.reload_table(rows),
            *notes,
        ]
    )


def _reload_estimates(run: Run, rows: list[reload_bench.ReloadRow]) -> list[str]:
    """For a reload that did not finish: how long its self-test would take, from measured figures."""
    scale_rows = {
        (r.measured["items"], r.method): r.measured for r in run.raw.get("scale", []) if r.measured
    }
    notes = []
    for row in rows:
        if row.result or row.traffic or not row.progress or "samples" not in row.progress:
            continue
        per_query = scale_rows.get((row.size, "engine"), {}).get("p50_ms")
        if per_query:
            hours = row.progress["samples"] * per_query / 1000 / 3600
            notes.append(
                f"At {row.size:,} items the self-test asks {row.progress['samples']:,} sample "
                f"questions; at this size's measured median of {per_query:.1f} ms per question "
                f"that is about {hours:.1f} h, which is why the reload did not finish (estimate, "
                "not a measurement)."
            )
    return notes


def _conversations(run: Run) -> str:
    mode = run.mode
    result = conversations.measure(
        KNOWLEDGE, EVAL, mode.conversations, mode.conversation_rounds, mode.tracemalloc
    )
    run.raw["conversations"] = result
    print(conversations.describe(result), flush=True)
    t = result["three_turn"]
    return "\n\n".join(
        [
            "Conversation state (`bot.conversation.Conversations`, with the bot's default limits) "
            "in a fresh process on the shipped knowledge base, used as the Telegram handlers use "
            "it: the key is (chat id, user id), each message is *get* the context, "
            "`Engine.ask` with it, *put* the reply's context. **Memory:** "
            f"{result['conversations']:,} conversations (four in five private chats, one in five "
            "a user in a group), each holding its own copy of a real context — the engine's "
            f"reply to one of the {result['pool']:,} one-message evaluation questions "
            f"({result['pool_kinds']['answer']:,} answers with their target, "
            f"{result['pool_kinds']['options']:,} with offered options), with its own objects "
            "and question text as each reply makes them. Measured as the growth of the process's "
            "resident memory (RSS, allocator slack included) and, in full mode, as the Python "
            "heap they hold (tracemalloc, in a second pass: it slows allocation fourfold).",
            "**Time per message:** every conversation of the evaluation sets as three turns (a "
            "two-turn one plus a follow-up about an aspect such as 要钱吗 / 無料？ / is it free?, a "
            f"longer one cut to three), {t['distinct']} in all, played "
            + ("once" if mode.conversation_rounds == 1 else f"{mode.conversation_rounds} times")
            + ", each time in fresh chats while the store is full (so every new chat evicts "
            "the least recently used one). Timed per message, get and put included.",
            conversations.table(result),
        ]
    )


def _throughput(run: Run) -> str:
    missing = throughput.available()
    if missing:
        print(f"   {missing}")
        run.raw["throughput"] = missing
        return missing
    mode = run.mode
    free = throughput.measure_inprocess(KNOWLEDGE, EVAL, mode.updates, limiter=False)
    print(
        f"  in-process, rate limiter removed: {free['updates_per_s']:.0f} updates/s "
        f"({free['replies']}/{free['updates']} replied in {free['seconds']} s); running bot RSS "
        f"{free['rss_built_mb']:.0f} MB after start, {free['rss_after_mb']:.0f} MB after the "
        f"traffic, {free['peak_rss_mb']:.0f} MB peak",
        flush=True,
    )
    limited = throughput.measure_inprocess(KNOWLEDGE, EVAL, mode.limited_updates, limiter=True)
    print(
        f"  in-process, as shipped (AIORateLimiter): {limited['updates_per_s']:.0f} updates/s "
        f"({limited['replies']}/{limited['updates']} in {limited['seconds']} s)",
        flush=True,
    )
    run.raw["throughput"] = {"free": free, "limited": limited}
    missing = throughput.emulator_missing()
    if missing:
        round_trip: dict | str = missing
        print(f"  round trip: {missing}")
    else:
        round_trip = throughput.measure_round_trip(
            KNOWLEDGE, EVAL, mode.round_trips, mode.round_trip_rate
        )
        print(
            f"  round trip through the emulator: median {round_trip['median_ms']} ms, p99 "
            f"{round_trip['p99_ms']} ms over {round_trip['replied']}/{round_trip['messages']} "
            f"messages; {round_trip['bot_errors_logged']} error line(s) in the bot's log",
            flush=True,
        )
    run.raw["round_trip"] = round_trip
    rows = [
        "| run | updates | replies | seconds | updates/s | RSS after start | RSS after traffic "
        "| peak RSS (VmHWM) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, r in (
        ("rate limiter removed (processing capacity)", free),
        ("as shipped (AIORateLimiter, 30 messages/s)", limited),
    ):
        rows.append(
            f"| {label} | {r['updates']:,} | {r['replies']:,} | {r['seconds']} "
            f"| {r['updates_per_s']:,.0f} | {r['rss_built_mb']:.0f} MB | {r['rss_after_mb']:.0f} MB "
            f"| {r['peak_rss_mb']:.0f} MB |"
        )
    if isinstance(round_trip, str):
        trip = f"Round trip through the emulator: {round_trip}."
    else:
        trip = (
            f"Round trip through real processes (`node tests/e2e/emulator.js` + `python -m bot run`"
            f", long polling, 127.0.0.1): {round_trip['messages']} questions sent one at a time, at "
            f"most {round_trip['rate_per_s']:g} per second (under the limiter's 30), each timed from "
            f"the user's send to the reply appearing in the emulator: **median "
            f"{round_trip['median_ms']} ms, p99 {round_trip['p99_ms']} ms**, max "
            f"{round_trip['max_ms']} ms; {round_trip['replied']} replied, {round_trip['lost']} "
            f"lost, {round_trip['bot_errors_logged']} ERROR line(s) in the bot's log."
        )
    return "\n\n".join(
        [
            "The real `Application` from `bot.telegram.app.build_application`, with a fake Bot API "
            "transport (a `BaseRequest` that answers at once; no sockets), started, and fed "
            "private-chat one-message questions from the evaluation sets (200 users in turn, so "
            "follow-up state is kept per chat) through its "
            "update queue, 100 at a time as getUpdates delivers them (at most two batches in "
            "flight); timed until the last reply was sent. One process, shipped knowledge base, "
            "SQLite store in a temporary folder. The resident memory is that of this process: "
            "bot.telegram.app imported, engine built, Application initialised and started — what "
            "the running bot holds; the peak includes loading the knowledge base.",
            "\n".join(rows),
            "As shipped, the Application holds its replies to Telegram's broadcast limit of 30 "
            "messages per second (`AIORateLimiter`), so that run measures the limiter; the other "
            "removes it after building (`bot._rate_limiter = None`, in the benchmark only) to "
            "measure what the bot can process.",
            trip,
        ]
    )


def _targets(run: Run) -> str:
    rows = ["| target | measured | verdict |", "|---|---|---|"]

    def add(target: str, measured: str, verdict: str) -> None:
        rows.append(f"| {target} | {measured} | {verdict} |")
        print(f"  {target}: {measured} -> {verdict}")

    scale_rows: list[scale.ScaleRow] = run.raw.get("scale", [])
    by = {(r.size, r.method): r for r in scale_rows}
    engine_rows = [r for r in scale_rows if r.method == "engine"]
    shipped = engine_rows[0] if engine_rows else None
    for label, row, limit in (
        ("p99 ≤ 1 ms, shipped knowledge base", shipped, 1.0),
        ("p99 ≤ 10 ms at 10,000 items", by.get((10_000, "engine")), 10.0),
        ("p99 ≤ 100 ms at 100,000 items", by.get((100_000, "engine")), 100.0),
    ):
        if row is None:
            add(label, "not run in this mode", "-")
        elif row.measured is None:
            add(label, row.reason, "not measured")
        else:
            p99 = row.measured["p99_ms"]
            add(label, f"{p99:.3f} ms", _verdict(p99, limit, "ms"))
    for row in engine_rows:
        naive = by.get((row.size, "naive"))
        label = f"p99 ≤ 2× naive baseline's, {row.size:,} items"
        if row.measured is None or naive is None or naive.measured is None:
            add(label, "not measured", "-")
            continue
        e, n = row.measured["p99_ms"], naive.measured["p99_ms"]
        add(label, f"{e:.3f} ms vs 2 × {n:.3f} ms", _verdict(e, 2 * n, "ms"))

    quality: QualityResult | None = run.raw.get("quality")
    for group in quality.groups if quality else ():
        assert quality is not None
        engine = quality.engine.summaries[group]["overall"]
        best = max(
            quality.baselines, key=lambda m: m.summaries[group]["overall"]["answered_correct"]
        )
        b = best.summaries[group]["overall"]
        gain = engine["answered_correct"] - b["answered_correct"]
        add(
            f"answered-correct ≥ best baseline + 20 points ({group} sets)",
            f"{engine['answered_correct']:.1f}% vs {best.name} {b['answered_correct']:.1f}% "
            f"({gain:+.1f} points)",
            "met" if gain >= 20 else f"**missed** by {20 - gain:.1f} points",
        )
        add(
            f"wrong-answer rate ≤ that baseline's ({group} sets)",
            f"{engine['wrong']:.1f}% vs {b['wrong']:.1f}%",
            _verdict(engine["wrong"], b["wrong"], " points"),
        )
    tp = run.raw.get("throughput")
    if isinstance(tp, dict):
        ups = tp["free"]["updates_per_s"]
        add(
            "in-process throughput ≥ 1,000 updates/s",
            f"{ups:,.0f} updates/s (rate limiter removed; {tp['limited']['updates_per_s']:.0f}/s "
            "as shipped)",
            "met" if ups >= 1000 else f"**missed** by {1000 - ups:,.0f} updates/s",
        )
        free = tp["free"]
        peak = free["peak_rss_mb"]
        add(
            "running bot ≤ 120 MB RSS, shipped knowledge base",
            f"{peak:.0f} MB peak ({free['rss_built_mb']:.0f} MB after start, "
            f"{free['rss_after_mb']:.0f} MB after {free['updates']:,} updates)",
            _verdict(peak, 120, " MB"),
        )
    else:
        add("in-process throughput ≥ 1,000 updates/s", str(tp), "not measured")
        add("running bot ≤ 120 MB RSS, shipped knowledge base", str(tp), "not measured")
    return "\n".join(rows)


def _verdict(value: float, limit: float, unit: str) -> str:
    if value <= limit:
        return "met"
    ratio = f", {value / limit:.1f}×" if limit > 0 else ""
    return f"**missed** by {value - limit:,.3g}{unit}{ratio}"


def _page(run: Run, machine_rows: list[tuple[str, str]], seconds: float) -> str:
    mode = run.mode
    parts = [
        "# Benchmarks",
        "Generated by `benchmarks/run.py`; do not edit by hand — rerun it. Benchmarks print "
        "figures; none of them passes or fails on a time. The targets come from issue 4; sizes "
        "are in *items* = topics + entries + cells (see *Latency and memory against size*).",
        "## How this was run",
        f"```\n{COMMANDS[mode.name]}\n```\n\nMode `{mode.name}`, whole run {seconds / 60:.1f} "
        "min. Quick check used in CI (`make test`): `make bench-smoke` (small sizes, writes "
        "benchmarks/out/, not this page).",
        "## Machine",
        machine_table(machine_rows),
    ]
    if run.crashed:
        parts.append(f"**Crashed in this run:** {', '.join(run.crashed)}.")
    order = [
        "Targets",
        "Answer quality",
        "Latency and memory against size",
        "Reload",
        "Conversations",
        "Telegram",
    ]
    for title in order:
        if title in run.sections:
            parts += [f"## {title}", run.sections[title]]
    return "\n\n".join(parts) + "\n"


def _json_default(value: object) -> object:
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)  # type: ignore[arg-type]
    return str(value)


def main(argv: list[str] | None = None) -> int:
    # A stopped run (SIGTERM) still removes its temporary knowledge bases and worker processes.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--smoke", action="store_true", help="small sizes, quick (CI)")
    which.add_argument("--full", action="store_true", help="real sizes; writes docs/")
    args = parser.parse_args(argv)
    mode = FULL if args.full else SMOKE
    mode.out_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    run = Run(mode)
    print(f"benchmarks, {mode.name} mode")
    rows = machine(ROOT)
    print_machine(rows)
    with tempfile.TemporaryDirectory(prefix="simbot-bench-") as tmp:
        run.section("Answer quality", lambda: _quality(run))
        run.section("Latency and memory against size", lambda: _scale(run, Path(tmp)))
        run.section("Reload", lambda: _reload(run, Path(tmp)))
    run.section("Conversations", lambda: _conversations(run))
    run.section("Telegram", lambda: _throughput(run))
    run.section("Targets", lambda: _targets(run))
    seconds = time.perf_counter() - start
    rows.append(("load average at end (1/5/15 min)", load_average()))
    print(f"  load average at end (1/5/15 min): {rows[-1][1]}")
    page = mode.out_dir / mode.page
    page.write_text(_page(run, rows, seconds), encoding="utf-8")
    raw = ROOT / "benchmarks" / "out" / f"results-{mode.name}.json"
    raw.parent.mkdir(parents=True, exist_ok=True)
    raw.write_text(json.dumps(run.raw, default=_json_default, ensure_ascii=False, indent=1))
    print(f"\nwrote {page.relative_to(ROOT)} and {raw.relative_to(ROOT)} in {seconds:.0f} s")
    if run.crashed:
        print(f"crashed: {', '.join(run.crashed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
