"""Reload time, and proof that questions keep being answered while a reload runs.

Each size (in items: topics + entries + cells, see benchmarks/synthetic.py; the shipped knowledge
base is measured on a copy) runs in a fresh subprocess (`python -m benchmarks.reload ...`) twice:
once with nothing else running, for the reload time itself, and once with a thread asking
evaluation questions in a loop, for what users see meanwhile (answers given, errors, latency).
Before reloading, the worker changes one entry's answer in one file, as an operator would (and
puts it back afterwards): a reload self-tests the sample questions (all of them up to
bot.engine.FULL_SELF_TEST_MAX_SAMPLES, those the change can affect beyond), so an unchanged folder
would not show its real cost. The engine has the quality gate the running bot has (every
evaluation set, asked of the old and of the new snapshot, as on a bot's first reload), and the
worker times the three phases: build (load + index), self-test and quality gate. A run that outlives its budget is killed, and the progress it
printed so far (answers given, none failed) is kept.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from benchmarks.scale import percentile

PROGRESS_EVERY = 1.0
WARM_S = 1.0


@dataclass(frozen=True)
class ReloadRow:
    size: int
    traffic: bool
    result: dict | None  # the final JSON line, when the reload finished
    progress: dict | None  # the last progress line, when it did not
    reason: str = ""


def _emit(data: dict) -> None:
    print(json.dumps(data), flush=True)


MARK = "（已更新）"


def _edit_one_answer(folder: Path) -> tuple[Path, str] | None:
    """What an operator does before a reload: change one entry's Chinese answer (an invented
    entry's when there are any, else a real one's; in a copy of the knowledge base either way).

    Returns the file and its original text, to put back afterwards. Large knowledge bases re-test
    only what a change can affect, so an unchanged folder would make the reload look free.
    """
    files = sorted((folder / "synthetic" / "entries").glob("*.yaml")) or sorted(
        (folder / "entries").glob("*.yaml")
    )
    if not files:
        return None
    path = files[len(files) // 2]
    original = path.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    answer = next((i for i, line in enumerate(lines) if line.strip() == "answer:"), None)
    if answer is None:
        return None
    for i in range(answer + 1, len(lines)):
        key, _, value = lines[i].strip().partition(":")
        if key != "zh-Hans":
            continue
        value = value.strip()
        if value in ("|", "|-", ">", ">-") and i + 1 < len(lines):  # a block: its first line
            body = lines[i + 1]
            indent = len(body) - len(body.lstrip())
            lines[i + 1] = body[:indent] + MARK + body[indent:]
        elif value.startswith('"'):
            lines[i] = lines[i].replace('zh-Hans: "', 'zh-Hans: "' + MARK, 1)
        else:
            lines[i] = lines[i].replace("zh-Hans: ", "zh-Hans: " + MARK, 1)
        path.write_text("".join(lines), encoding="utf-8")
        return path, original
    return None


def _time_phases(engine_module, gate) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Wall time a reload spends building, self-testing and measuring quality, from here on.

    Wraps bot.engine's module functions and the gate's `measure` in this worker process only."""
    phases = {"build": 0.0, "self_test": 0.0, "quality_gate": 0.0}

    def timed(name: str, func):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            t0 = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                phases[name] += time.perf_counter() - t0

        return wrapper

    engine_module.build_snapshot = timed("build", engine_module.build_snapshot)
    engine_module.self_test_problems = timed("self_test", engine_module.self_test_problems)
    if gate is not None:
        gate.measure = timed("quality_gate", gate.measure)
    return phases


def worker(folder: Path, eval_files: list[Path], traffic: bool) -> None:
    """Runs in the fresh subprocess: build, then reload (with or without a client asking)."""
    import bot.engine
    from benchmarks.quality import load_group
    from benchmarks.scale import counts
    from bot.engine import FULL_SELF_TEST_MAX_SAMPLES, Engine
    from bot.learning import QualityGate

    cases = load_group(eval_files)
    questions = [case.turns[0] for case in cases if not case.conversation]
    # As the running bot: the quality gate over the evaluation sets (bot.telegram.app.run_bot).
    gate = QualityGate.from_files(eval_files)
    start = time.perf_counter()
    engine = Engine(folder, gate=gate)
    build_s = time.perf_counter() - start
    phases = _time_phases(bot.engine, gate)
    held = counts(engine.snapshot.kb)
    held["full_self_test"] = held["samples"] <= FULL_SELF_TEST_MAX_SAMPLES
    _emit({"phase": "built", "build_s": round(build_s, 3), **held})

    stop = threading.Event()
    asked: list[tuple[float, float]] = []  # (started at, milliseconds)
    errors: list[str] = []
    reload_start = reload_end = float("inf")

    def client() -> None:
        n = 0
        while not stop.is_set():
            t0 = time.perf_counter()
            try:
                engine.ask(questions[n % len(questions)])
            except Exception as exc:  # the point is to count them, not to stop at the first
                errors.append(repr(exc))
            else:
                asked.append((t0, (time.perf_counter() - t0) * 1e3))
            n += 1

    def during() -> list[float]:
        return sorted(ms for t0, ms in asked if reload_start <= t0 < reload_end)

    def reporter() -> None:
        while not stop.wait(PROGRESS_EVERY):
            _emit(
                {
                    "phase": "reloading",
                    "elapsed_s": round(time.perf_counter() - reload_start, 1),
                    "answered": len(during()),
                    "errors": len(errors),
                }
            )

    if traffic:  # the client runs warm, and alone, for a while first: its latency without a reload
        threading.Thread(target=client, daemon=True).start()
        time.sleep(WARM_S)
    before = sorted(ms for _, ms in asked)
    edited = _edit_one_answer(folder)
    reload_start = time.perf_counter()
    threading.Thread(target=reporter, daemon=True).start()
    try:
        result = engine.reload()
    finally:
        reload_end = time.perf_counter()
        stop.set()
        if edited:
            edited[0].write_text(edited[1], encoding="utf-8")
    latencies = during()
    _emit(
        {
            "phase": "done",
            "build_s": round(build_s, 3),
            **held,
            "reload_s": round(reload_end - reload_start, 3),
            "phases_s": {k: round(v, 3) for k, v in phases.items()},
            "gate_cases": len(gate.cases()) if gate else 0,
            "ok": result.ok,
            "refused": result.refused,
            "edited": str(edited[0].relative_to(folder)) if edited else None,
            "changed": len(result.changed),
            "problems": len(result.problems),
            "answered": len(latencies),
            "errors": len(errors),
            "first_error": errors[0] if errors else None,
            "before_p50_ms": round(percentile(before, 0.5), 3) if before else None,
            "before_p99_ms": round(percentile(before, 0.99), 3) if before else None,
            "p50_ms": round(percentile(latencies, 0.5), 3) if latencies else None,
            "p99_ms": round(percentile(latencies, 0.99), 3) if latencies else None,
            "max_ms": round(latencies[-1], 3) if latencies else None,
        }
    )


def _collect(stream: IO[str] | None, lines: list[dict]) -> None:
    for line in stream or ():
        try:
            lines.append(json.loads(line))
        except ValueError:
            continue


def measure(
    size: int, folder: Path, eval_files: list[Path], *, traffic: bool, budget: float
) -> ReloadRow:
    cmd = [sys.executable, "-m", "benchmarks.reload", str(folder), "--eval", *map(str, eval_files)]
    if traffic:
        cmd.append("--traffic")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    lines: list[dict] = []
    with subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    ) as proc:
        reader = threading.Thread(target=_collect, args=(proc.stdout, lines), daemon=True)
        reader.start()
        try:
            proc.wait(timeout=budget)
        except subprocess.TimeoutExpired:
            pass
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        reader.join(timeout=10)
        stderr = proc.stderr.read() if proc.stderr else ""
    done = [line for line in lines if line["phase"] == "done"]
    if done:
        return ReloadRow(size, traffic, done[-1], None)
    built = next((line for line in lines if line["phase"] == "built"), None)
    progress = [line for line in lines if line["phase"] == "reloading"]
    if proc.returncode not in (0, -9):
        tail = (stderr.strip().splitlines() or ["no output"])[-1]
        return ReloadRow(size, traffic, None, None, f"crashed: {tail}")
    last = {**(built or {}), **(progress[-1] if progress else {})}
    return ReloadRow(
        size, traffic, None, last, f"not finished within {budget:.0f} s (build + reload)"
    )


def items(row: ReloadRow) -> str:
    """The size as measured (items = topics + entries + cells), else as asked for."""
    known = (row.result or row.progress or {}).get("items")
    return f"{known:,}" if known else ("shipped" if row.size == 0 else f"{row.size:,}")


def _self_tested(r: dict) -> str:
    if r.get("full_self_test"):
        return f"all {r['samples']:,} samples self-tested"
    return "samples of the affected targets self-tested"


def describe(row: ReloadRow) -> str:
    what = "with a client asking" if row.traffic else "alone"
    if row.result:
        r = row.result
        ph = r["phases_s"]
        line = (
            f"  {items(row):>7} items, {what}: reload {r['reload_s']:.2f} s (build "
            f"{ph['build']:.2f} + self-test {ph['self_test']:.2f} + quality gate "
            f"{ph['quality_gate']:.2f} s; ok={r['ok']}, {r['problems']} self-test problem(s), "
            f"{_self_tested(r)}); first build {r['build_s']:.2f} s"
        )
        if row.traffic:
            line += (
                f"; {r['answered']} answered during the reload, {r['errors']} raised, "
                f"p50 {r['p50_ms']} ms (before: {r['before_p50_ms']} ms), p99 {r['p99_ms']} ms "
                f"(before: {r['before_p99_ms']} ms), max {r['max_ms']} ms"
            )
        return line
    p = row.progress or {}
    line = f"  {items(row):>7} items, {what}: {row.reason}"
    if "build_s" in p:
        line += f"; build alone {p['build_s']:.2f} s"
    if row.traffic and "answered" in p:
        line += (
            f"; {p['answered']} answered in {p['elapsed_s']} s of reloading, {p['errors']} raised"
        )
    return line


def reload_table(rows: list[ReloadRow]) -> str:
    out = [
        "| items (N) | client asking meanwhile | build (first load) | reload | of which build "
        "/ self-test / quality gate | reload ok | answered during reload | raised "
        "| p50 before → during reload | p99 before → during (max during) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        traffic = "yes" if row.traffic else "no"
        if row.result:
            r = row.result
            ok = "yes" if r["ok"] else f"no ({r['problems']} self-test problems)"
            if r.get("refused"):
                ok = f"no (quality gate: {r['refused']})"
            ok += f"; {r['changed']} changed" if r.get("edited") else "; nothing changed"
            ok += f"; {_self_tested(r)}"
            answered = f"{r['answered']:,}" if row.traffic else "-"
            raised = str(r["errors"]) if row.traffic else "-"
            busy = row.traffic and r["p99_ms"] is not None
            p50 = f"{r['before_p50_ms']} → {r['p50_ms']} ms" if busy else "-"
            tail = f"{r['before_p99_ms']} → {r['p99_ms']} ms ({r['max_ms']} ms)" if busy else "-"
            ph = r["phases_s"]
            phases = f"{ph['build']:.2f} / {ph['self_test']:.2f} / {ph['quality_gate']:.2f} s"
            out.append(
                f"| {items(row)} | {traffic} | {r['build_s']:.2f} s | {r['reload_s']:.2f} s "
                f"| {phases} | {ok} | {answered} | {raised} | {p50} | {tail} |"
            )
        else:
            p = row.progress or {}
            build = f"{p['build_s']:.2f} s" if "build_s" in p else "-"
            answered = (
                f"{p['answered']:,} in {p['elapsed_s']} s"
                if row.traffic and "answered" in p
                else "-"
            )
            raised = str(p.get("errors", "-")) if row.traffic else "-"
            out.append(
                f"| {items(row)} | {traffic} | {build} | {row.reason} | - | - | {answered} "
                f"| {raised} | - | - |"
            )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description="time one reload (internal)")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--eval", type=Path, nargs="+", required=True)
    parser.add_argument("--traffic", action="store_true", help="ask questions during the reload")
    args = parser.parse_args()
    worker(args.folder, args.eval, args.traffic)


if __name__ == "__main__":
    main()
