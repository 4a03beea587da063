"""Latency and memory against knowledge-base size: the engine and the naive baseline, side by side.

Size is counted in *items*: topics + entries + cells (see benchmarks/synthetic.py). Each
(size, method) is measured in a fresh subprocess (`python -m benchmarks.scale ...`), so peak
memory is that method's alone and one run's garbage never slows the next. The subprocess loads the
folder through the real loader, then asks the one-message questions of the evaluation sets (in
turn, each in a fresh conversation) until it has asked enough or its time budget is spent, and
prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

WARMUP = 20
MB = 1024 * 1024


@dataclass(frozen=True)
class ScaleRow:
    size: int
    method: str
    measured: dict | None  # the worker's JSON, or None when it could not be measured
    reason: str = ""

    def get(self, key: str) -> float | None:
        return None if self.measured is None else self.measured.get(key)


def percentile(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def peak_rss_mb() -> float:
    """This process's peak resident memory, in MiB.

    VmHWM from /proc, not `ru_maxrss`: on Linux the latter survives exec, so a child started by a
    big parent would report the parent's size.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / MB


def counts(kb) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """What a knowledge base holds: items (= topics + entries + cells) and the rest."""
    samples = sum(len(q) for t in [*kb.topics, *kb.entries] for q in kb.questions(t).values())
    return {
        "items": len(kb.topics) + len(kb.entries) + len(kb.cells),
        "carriers": len(kb.carriers),
        "topics": len(kb.topics),
        "entries": len(kb.entries),
        "cells": len(kb.cells),
        "samples": samples,
    }


def _load(method: str, folder: Path, cutoff: float) -> tuple[Callable[[str], object], dict]:
    """Load the folder with the real loader and build the method; return (ask, counts)."""
    if method == "engine":
        from bot.engine import Engine

        engine = Engine(folder)
        kb = engine.snapshot.kb
        ask: Callable[[str], object] = engine.ask
    else:
        from benchmarks.baselines import NaiveFuzzy
        from bot.knowledge import load_knowledge

        kb = load_knowledge(folder)
        ask = NaiveFuzzy(kb, cutoff).ask
    return ask, counts(kb)


def worker(
    method: str, folder: Path, eval_files: list[Path], queries: int, budget: float, cutoff: float
) -> dict:
    """Runs in the fresh subprocess; returns the figures as a dict."""
    from benchmarks.quality import single_questions

    questions = single_questions(eval_files)
    rss_start = _rss_mb()
    start = time.perf_counter()
    ask, held = _load(method, folder, cutoff)
    load_s = time.perf_counter() - start
    rss_loaded = _rss_mb()
    for q in questions[:WARMUP]:
        ask(q)
    latencies: list[float] = []
    deadline = time.perf_counter() + budget
    while len(latencies) < queries and time.perf_counter() < deadline:
        q = questions[(WARMUP + len(latencies)) % len(questions)]  # not the warm-up ones again
        t0 = time.perf_counter()
        ask(q)
        latencies.append((time.perf_counter() - t0) * 1e3)
    latencies.sort()
    return {
        **held,
        "load_s": round(load_s, 3),
        "rss_start_mb": round(rss_start, 1),
        "rss_loaded_mb": round(rss_loaded, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "queries": len(latencies),
        "budget_hit": len(latencies) < queries,
        "p50_ms": round(statistics.median(latencies), 4) if latencies else None,
        "p99_ms": round(percentile(latencies, 0.99), 4) if latencies else None,
        "max_ms": round(latencies[-1], 4) if latencies else None,
    }


def measure(
    method: str,
    size: int,
    folder: Path,
    eval_files: list[Path],
    *,
    queries: int,
    budget: float,
    load_timeout: float,
    cutoff: float,
) -> ScaleRow:
    """One (size, method) in a fresh subprocess; a timeout or crash becomes a reason, not a raise."""
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.scale",
        method,
        str(folder),
        "--eval",
        *map(str, eval_files),
        "--queries",
        str(queries),
        "--budget",
        str(budget),
        "--cutoff",
        str(cutoff),
    ]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=load_timeout + budget + 60, env=env
        )
    except subprocess.TimeoutExpired:
        reason = f"not measured: loading took more than {load_timeout / 60:.0f} min"
        return ScaleRow(size, method, None, reason)
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return ScaleRow(size, method, None, f"crashed: {tail}")
    return ScaleRow(size, method, json.loads(proc.stdout.strip().splitlines()[-1]))


def describe(row: ScaleRow) -> str:
    if row.measured is None:
        return f"  {row.size:>7,} items {row.method:<7} {row.reason}"
    m = row.measured
    cut = f" (time budget: {m['queries']} queries)" if m["budget_hit"] else ""
    return (
        f"  {m['items']:>7,} items ({m['carriers']:,} carriers × {m['topics']:,} topics, "
        f"{m['entries']:,} entries, {m['samples']:,} sample questions) {row.method:<6}: "
        f"load {m['load_s']:.2f} s, peak RSS {m['peak_rss_mb']:.0f} MB, "
        f"p50 {m['p50_ms']:.3f} ms, p99 {m['p99_ms']:.3f} ms over {m['queries']} queries{cut}"
    )


def scale_table(rows: list[ScaleRow]) -> str:
    out = [
        "| items (N) | carriers × topics | entries | sample questions | method | load + index "
        "| RSS after load | peak RSS | queries | p50 | p99 | max |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        if row.measured is None:
            out.append(f"| {row.size:,} | | | | {row.method} | {row.reason} | | | | | | |")
            continue
        m = row.measured
        n = f"{m['queries']:,}" + (" (time budget)" if m["budget_hit"] else "")
        out.append(
            f"| {m['items']:,} | {m['carriers']:,} × {m['topics']:,} | {m['entries']:,} "
            f"| {m['samples']:,} | {row.method} | {m['load_s']:.2f} s "
            f"| {m['rss_loaded_mb']:.0f} MB | {m['peak_rss_mb']:.0f} MB | {n} "
            f"| {m['p50_ms']:.3f} ms | {m['p99_ms']:.3f} ms | {m['max_ms']:.1f} ms |"
        )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description="measure one method at one size (internal)")
    parser.add_argument("method", choices=("engine", "naive"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--eval", type=Path, nargs="+", required=True)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--budget", type=float, default=300.0)
    parser.add_argument("--cutoff", type=float, default=0.0)
    args = parser.parse_args()
    result = worker(args.method, args.folder, args.eval, args.queries, args.budget, args.cutoff)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
