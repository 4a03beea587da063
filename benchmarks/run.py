"""Run every benchmark and write the figures: `python -m benchmarks.run --smoke | --full`.

--smoke  small sizes, about a minute on two cores, so CI keeps every script working; writes
         benchmarks/out/ (git-ignored). Exits non-zero only if a script crashed.
--full   the real sizes (up to 100,000 entries, 1,000 queries each); writes docs/benchmarks.md and
         docs/p99_latency.png. Takes about an hour and a half on two cores.

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

from benchmarks import reload as reload_bench
from benchmarks import scale, throughput
from benchmarks.plot import plot_p99
from benchmarks.quality import (
    QualityResult,
    latency_line,
    print_quality,
    quality_table,
    run_quality,
    tuning_table,
)
from benchmarks.report import machine, machine_table, print_machine
from benchmarks.synthetic import ENTRIES_PER_FILE, write_knowledge

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
EVAL = ROOT / "tests" / "data" / "eval.yaml"


@dataclass(frozen=True)
class Mode:
    name: str
    sizes: tuple[int, ...]  # synthetic sizes; the shipped knowledge base is always measured too
    queries: int
    query_budget_s: float  # per (size, method)
    load_timeout_s: float
    reload_sizes: tuple[int, ...]
    reload_budget_s: float
    reload_window_s: float  # with a client asking, when the reload alone did not finish
    updates: int  # in-process, rate limiter removed
    limited_updates: int  # in-process, as shipped (30 replies/s)
    round_trips: int
    round_trip_rate: float
    out_dir: Path
    page: str


SMOKE = Mode(
    name="smoke",
    sizes=(1_000,),
    queries=200,
    query_budget_s=20,
    load_timeout_s=120,
    reload_sizes=(100,),
    reload_budget_s=60,
    reload_window_s=10,
    updates=300,
    limited_updates=45,
    round_trips=20,
    round_trip_rate=20.0,
    out_dir=ROOT / "benchmarks" / "out",
    page="benchmarks.md",
)
FULL = Mode(
    name="full",
    sizes=(1_000, 10_000, 100_000),
    queries=1_000,
    query_budget_s=600,
    load_timeout_s=1_200,
    reload_sizes=(1_000, 10_000),
    reload_budget_s=600,
    reload_window_s=120,
    updates=5_000,
    limited_updates=600,
    round_trips=500,
    round_trip_rate=20.0,
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
        """A synthetic knowledge base of `size` entries, written once per run."""
        if size not in self.folders:
            start = time.perf_counter()
            path = tmp / f"kb-{size}"
            total = write_knowledge(KNOWLEDGE, path, size)
            print(f"   wrote {total:,} entries to {path} in {time.perf_counter() - start:.1f} s")
            self.folders[size] = path
        return self.folders[size]


def _quality(run: Run) -> str:
    result = run_quality(KNOWLEDGE, EVAL)
    run.raw["quality"] = result
    print_quality(result)
    return "\n\n".join(
        [
            f"{result.cases} questions from `tests/data/eval.yaml`, asked of each method on the "
            "shipped knowledge base. *answered-correct*: answered with an expected entry; "
            "*clarified-correct*: not answered outright, but an expected entry is among the "
            "offered choices (only the engine clarifies); *wrong answer*: answered with another "
            "entry; *false answer*: an out-of-scope question answered anyway.",
            quality_table(result),
            "Baselines (see `benchmarks/baselines.py`): **naive** = rapidfuzz "
            "`process.extractOne(query, all sample questions, scorer=WRatio, "
            "processor=utils.default_process)`; **BM25** = rank-bm25 `BM25Okapi`, one document per "
            "sample question, tokens = character bigrams of the NFKC-normalised, lower-cased text "
            "without spaces (a unigram for 1-character texts), entry score = best of its samples. "
            "Both answer when the best score reaches a cut-off and never clarify. Each cut-off was "
            "tuned on this same question set (naive: 0-100 in steps of 1; BM25: every distinct "
            "observed score), which flatters the baselines:",
            tuning_table(result),
            f"Latency on the shipped knowledge base during this evaluation: {latency_line(result)}.",
        ]
    )


def _scale(run: Run, tmp: Path) -> str:
    mode = run.mode
    naive_cutoff = 0.0
    quality: QualityResult | None = run.raw.get("quality")
    if quality:
        naive_cutoff = next(
            m.tuning.cutoff for m in quality.baselines if m.name.startswith("naive")
        )
    rows: list[scale.ScaleRow] = []
    shipped = None
    for size in (0, *mode.sizes):
        folder = KNOWLEDGE if size == 0 else run.folder(size, tmp)
        for method in ("engine", "naive"):
            row = scale.measure(
                method,
                size,
                folder,
                EVAL,
                queries=mode.queries,
                budget=mode.query_budget_s,
                load_timeout=mode.load_timeout_s,
                cutoff=naive_cutoff,
            )
            if size == 0 and row.measured:
                shipped = row.measured["entries"]
                row = scale.ScaleRow(shipped, method, row.measured)
            print(scale.describe(row), flush=True)
            rows.append(row)
            if row.reason.startswith("crashed"):
                run.crashed.append(f"{method} at {size:,} entries")
    run.raw["scale"] = rows
    png = plot_p99(rows, shipped or 30, mode.out_dir / "p99_latency.png")
    run.raw["png"] = png
    return "\n\n".join(
        [
            "The shipped knowledge base, then synthetic ones made by `benchmarks/synthetic.py`: "
            "the real entries plus invented MVNOs, each a copy of a real carrier's card (and of "
            "the topics about that carrier alone), with every carrier name replaced by the "
            "invented one's aliases (romaji, katakana, Chinese, a typo) and each sample question "
            "reworded (a synonym from knowledge/synonyms.yaml swapped, a greeting such as 请问 / "
            f"すみません / hi added to half). They are written as YAML, {ENTRIES_PER_FILE} entries "
            "per file, and loaded by the real loader (`bot.engine.build_snapshot`), so load and "
            "index time is real.",
            f"Each row is a fresh Python process: load + index time, resident memory after loading "
            f"and at its peak (VmHWM, including the loader's transient garbage), then "
            f"{mode.queries:,} questions drawn from the evaluation set in turn (after "
            f"{scale.WARMUP} warm-up questions), stopping early if {mode.query_budget_s:.0f} s of "
            f"asking is spent (marked *time budget*). The naive baseline runs with its tuned "
            f"cut-off ({naive_cutoff:g}) passed to `extractOne` as `score_cutoff`.",
            scale.scale_table(rows),
            f"![p99 latency per question against knowledge-base size]({png.name})",
        ]
    )


def _reload(run: Run, tmp: Path) -> str:
    mode = run.mode
    rows: list[reload_bench.ReloadRow] = []
    for size in mode.reload_sizes:
        folder = run.folder(size, tmp)
        alone = reload_bench.measure(size, folder, EVAL, traffic=False, budget=mode.reload_budget_s)
        print(reload_bench.describe(alone), flush=True)
        window = mode.reload_budget_s if alone.result else mode.reload_window_s
        busy = reload_bench.measure(size, folder, EVAL, traffic=True, budget=window)
        print(reload_bench.describe(busy), flush=True)
        rows += [alone, busy]
        if any(row.reason.startswith("crashed") for row in (alone, busy)):
            run.crashed.append(f"reload at {size:,} entries")
    run.raw["reload"] = rows
    notes = _reload_estimates(run, rows)
    return "\n\n".join(
        [
            "`Engine.reload()` on a synthetic folder (see above), in a fresh process per run, "
            "after changing one answer in one file as an operator would: it loads and indexes a "
            "complete new snapshot, then self-tests it (sample questions must be answered by "
            "their own entry: all of them in a small knowledge base, only those the change can "
            "affect in a large one) before swapping it in. First alone; then with a "
            "second thread asking evaluation questions in a loop for the whole reload, to show "
            "that questions keep being answered meanwhile (and none raises). A run still going "
            f"after {mode.reload_budget_s:.0f} s is stopped: not measured. When the reload alone "
            f"did not finish, the run with a client asking is stopped after "
            f"{mode.reload_window_s:.0f} s, which is still long enough to show answering goes on.",
            reload_bench.reload_table(rows),
            *notes,
        ]
    )


def _reload_estimates(run: Run, rows: list[reload_bench.ReloadRow]) -> list[str]:
    """For a reload that did not finish: how long its self-test would take, from measured figures."""
    scale_rows = {
        (r.measured["entries"], r.method): r.measured
        for r in run.raw.get("scale", [])
        if r.measured
    }
    notes = []
    for row in rows:
        if row.result or row.traffic or not row.progress or "samples" not in row.progress:
            continue
        per_query = scale_rows.get((row.size, "engine"), {}).get("p50_ms")
        if per_query:
            hours = row.progress["samples"] * per_query / 1000 / 3600
            notes.append(
                f"At {row.size:,} entries the self-test asks {row.progress['samples']:,} sample "
                f"questions; at this size's measured median of {per_query:.1f} ms per question "
                f"that is about {hours:.1f} h, which is why the reload did not finish (estimate, "
                "not a measurement)."
            )
    return notes


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
            "private-chat questions from the evaluation set (200 users in turn) through its "
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
        ("p99 ≤ 10 ms at 10,000 entries", by.get((10_000, "engine")), 10.0),
        ("p99 ≤ 100 ms at 100,000 entries", by.get((100_000, "engine")), 100.0),
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
        label = f"p99 ≤ 2× naive baseline's, {row.size:,} entries"
        if row.measured is None or naive is None or naive.measured is None:
            add(label, "not measured", "-")
            continue
        e, n = row.measured["p99_ms"], naive.measured["p99_ms"]
        add(label, f"{e:.3f} ms vs 2 × {n:.3f} ms", _verdict(e, 2 * n, "ms"))

    quality: QualityResult | None = run.raw.get("quality")
    if quality:
        engine = quality.engine.summary["overall"]
        best = max(quality.baselines, key=lambda m: m.summary["overall"]["answered_correct"])
        b = best.summary["overall"]
        gain = engine["answered_correct"] - b["answered_correct"]
        add(
            "answered-correct ≥ best baseline + 20 points",
            f"{engine['answered_correct']:.1f}% vs {best.name} {b['answered_correct']:.1f}% "
            f"(+{gain:.1f} points)",
            "met" if gain >= 20 else f"missed by {20 - gain:.1f} points",
        )
        add(
            "wrong-answer rate ≤ that baseline's",
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
            "met" if ups >= 1000 else f"missed by {1000 - ups:,.0f} updates/s",
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
        "figures; none of them passes or fails on a time. The targets come from issue 4.",
        "## How this was run",
        f"```\n{COMMANDS[mode.name]}\n```\n\nMode `{mode.name}`, whole run {seconds / 60:.1f} "
        "min. Quick check used in CI (`make test`): `make bench-smoke` (small sizes, writes "
        "benchmarks/out/, not this page).",
        "## Machine",
        machine_table(machine_rows),
    ]
    if run.crashed:
        parts.append(f"**Crashed in this run:** {', '.join(run.crashed)}.")
    order = ["Targets", "Answer quality", "Latency and memory against size", "Reload", "Telegram"]
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
    run.section("Telegram", lambda: _throughput(run))
    run.section("Targets", lambda: _targets(run))
    seconds = time.perf_counter() - start
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
