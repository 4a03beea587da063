"""Conversation state: what 100,000 held conversations cost in memory, and the time per message
of a three-turn conversation.

Both run in one fresh subprocess (`python -m benchmarks.conversations ...`) on the shipped
knowledge base, using `bot.conversation.Conversations` with the bot's default limits (15 minutes,
100,000 conversations) the way the Telegram handlers do: the key is (chat id, user id) — user 0
in a private chat — and each message is `get` the context, `Engine.ask` with it, `put` the reply's
context.

Memory: the contexts are real ones — the engine's reply to every one-message question of the
evaluation sets (answers hold their target, "did you mean" and out-of-scope replies their options,
all the question) — and each conversation holds its own copy, as each reply makes its own objects
(new Target objects and tuples, its own question string; ids shared with the knowledge base, as
in the bot). 100,000 are put, four in five private chats and one in five a user in a group, and
measured twice: the Python heap they hold (tracemalloc: allocated and still held after the puts)
and the process's resident memory before and after (RSS; includes allocator slack).

Time per message: every conversation of the evaluation sets as three turns — a two-turn one plus a
follow-up asking about an aspect (要钱吗 / 無料？ / is it free?), a longer one cut to its first
three — each in a fresh chat, while the 100,000 others are held (so every new chat evicts the
least recently used one, as a full store does). Timed per message, handler steps included:
p50 / p99 / max overall and per turn.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from benchmarks.scale import percentile

MB = 1024 * 1024
# A follow-up about an aspect of what was just answered, in the case's language.
FOLLOW_UPS = {
    "zh-Hans": ("要钱吗", "需要申请吗", "能用多久"),
    "zh-Hant": ("要錢嗎", "需要申請嗎", "可以用多久"),
    "ja": ("無料？", "申し込みは必要？", "いつまで使える？"),
    "en": ("is it free?", "do I need to apply?", "how long is it valid?"),
}
GROUP_SHARE = 5  # one conversation in this many is a user in a group


def _rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / MB


def _key(n: int) -> tuple[int, int]:
    """(chat id, user id) as bot.telegram.conversation_key makes it."""
    if n % GROUP_SHARE == 0:
        return (-1_001_000_000_000 - n // 50, 800_000_000 + n)  # 50 users in a group
    return (500_000_000 + n, 0)


def _copy(context):  # type: ignore[no-untyped-def]
    """A context with its own objects, as a reply makes them (ids stay shared)."""

    def target(t):  # type: ignore[no-untyped-def]
        if t is None:
            return None
        return dataclasses.replace(t, carriers=tuple([*t.carriers]), excluded=tuple([*t.excluded]))

    question = "".join([context.question[:1], context.question[1:]])
    return dataclasses.replace(
        context,
        target=target(context.target),
        options=tuple([target(o) for o in context.options]),
        question=question,
    )


def _fill(store, pool: list, count: int) -> None:  # type: ignore[no-untyped-def]
    for n in range(count):
        store.put(_key(n), _copy(pool[n % len(pool)]))


def three_turns(cases: list) -> list[tuple[str, tuple[str, ...]]]:  # type: ignore[type-arg]
    """(lang, three messages) for every conversation case (see the module docstring)."""
    out = []
    for n, case in enumerate(c for c in cases if c.conversation):
        turns = case.turns[:3]
        if len(turns) == 2:
            follow = FOLLOW_UPS.get(case.lang, FOLLOW_UPS["en"])
            turns = (*turns, follow[n % len(follow)])
        out.append((case.lang, turns))
    return out


def worker(
    knowledge: Path, eval_files: list[Path], count: int, rounds: int, traced: bool = True
) -> dict:
    from benchmarks.quality import load_group
    from bot.config import Settings
    from bot.conversation import Conversations
    from bot.engine import Engine

    settings = Settings()
    engine = Engine(knowledge)
    cases = load_group(eval_files)
    pool = [engine.ask(c.turns[0]).context for c in cases if not c.conversation]
    kinds = {
        "answer": sum(c.target is not None and not c.options for c in pool),
        "options": sum(bool(c.options) for c in pool),
    }

    def new_store() -> Conversations:
        return Conversations(settings.conversation_minutes * 60, settings.conversation_max)

    # Resident memory: before and after the puts, with nothing else allocating.
    gc.collect()
    rss_before = _rss_mb()
    store = new_store()
    start = time.perf_counter()
    _fill(store, pool, count)
    fill_s = time.perf_counter() - start
    gc.collect()
    rss_after = _rss_mb()
    held = len(store)
    del store
    gc.collect()

    # The Python heap the held conversations use (tracemalloc makes allocating four times
    # slower: a separate pass, left out of the quick run).
    heap = None
    if traced:
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        store = new_store()
        _fill(store, pool, count)
        gc.collect()
        heap = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
    else:
        store = new_store()
        _fill(store, pool, count)

    # Time per message of three-turn conversations, with the store full. The cyclic garbage
    # collector's pauses are timed too: its full passes walk every object the store holds.
    pauses: list[float] = []
    started: list[float] = []

    def on_gc(phase: str, info: dict) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            started.append(time.perf_counter())
        elif started:
            pauses.append((time.perf_counter() - started.pop()) * 1e3)

    gc.callbacks.append(on_gc)
    conversations = three_turns(cases)
    per_turn: list[list[float]] = [[], [], []]
    chat = 0
    for _ in range(rounds):
        for _, turns in conversations:
            key = (900_000_000 + chat, 0)
            chat += 1
            # The same conversations come round again: start each one with no message read
            # before, so only the re-reading of its own last question is remembered.
            engine.snapshot.matcher.forget_analyses()
            for n, text in enumerate(turns):
                t0 = time.perf_counter()
                reply = engine.ask(text, context=store.get(key))
                store.put(key, reply.context)
                per_turn[n].append((time.perf_counter() - t0) * 1e3)
    gc.callbacks.remove(on_gc)
    every = sorted(ms for turn in per_turn for ms in turn)

    def stats(values: list[float]) -> dict:
        ordered = sorted(values)
        return {
            "messages": len(ordered),
            "p50_ms": round(percentile(ordered, 0.5), 3),
            "p99_ms": round(percentile(ordered, 0.99), 3),
            "max_ms": round(ordered[-1], 3),
        }

    return {
        "conversations": held,
        "max_size": settings.conversation_max,
        "ttl_min": settings.conversation_minutes,
        "pool": len(pool),
        "pool_kinds": kinds,
        "fill_s": round(fill_s, 2),
        "traced_mb": round(heap / MB, 1) if heap is not None else None,
        "bytes_per_conversation": round(heap / held) if heap is not None and held else None,
        "rss_before_mb": round(rss_before, 1),
        "rss_after_mb": round(rss_after, 1),
        "rss_growth_mb": round(rss_after - rss_before, 1),
        "three_turn": {
            "conversations": len(conversations) * rounds,
            "distinct": len(conversations),
            **stats(every),
            "by_turn": [stats(turn) for turn in per_turn],
            "full_gc_passes": len(pauses),
            "full_gc_max_ms": round(max(pauses), 1) if pauses else None,
        },
    }


def measure(
    knowledge: Path, eval_files: list[Path], count: int, rounds: int, traced: bool = True
) -> dict:
    """The worker in a fresh subprocess (clean memory figures); raises if it fails."""
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.conversations",
        str(knowledge),
        "--eval",
        *map(str, eval_files),
        "--count",
        str(count),
        "--rounds",
        str(rounds),
        *([] if traced else ["--no-tracemalloc"]),
    ]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"conversation benchmark crashed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def describe(r: dict) -> str:
    t = r["three_turn"]
    turns = ", ".join(
        f"turn {n} p50 {s['p50_ms']:.3f} / p99 {s['p99_ms']:.3f} ms"
        for n, s in enumerate(t["by_turn"], 1)
    )
    heap = (
        f"{r['traced_mb']:.1f} MB of Python heap (tracemalloc, {r['bytes_per_conversation']:,} "
        "bytes each), "
        if r["traced_mb"] is not None
        else ""
    )
    return (
        f"  {r['conversations']:,} conversations held: {heap}RSS +{r['rss_growth_mb']:.1f} MB "
        f"({r['rss_before_mb']:.0f} → {r['rss_after_mb']:.0f} MB); put in {r['fill_s']} s\n"
        f"  3-turn conversations ({t['conversations']:,}, {t['distinct']} distinct): per message "
        f"p50 {t['p50_ms']:.3f} ms, p99 {t['p99_ms']:.3f} ms, max {t['max_ms']:.1f} ms "
        f"over {t['messages']:,} messages; {turns}; {_gc(t)}"
    )


def _gc(t: dict) -> str:
    if not t["full_gc_passes"]:
        return "no full garbage-collector pass meanwhile"
    return (
        f"{t['full_gc_passes']} full garbage-collector pass(es) meanwhile, the longest "
        f"{t['full_gc_max_ms']} ms"
    )


def table(r: dict) -> str:
    t = r["three_turn"]
    rows = [
        "| | figure |",
        "|---|---|",
        f"| conversations held | {r['conversations']:,} (the limit: {r['max_size']:,}, "
        f"{r['ttl_min']:g} min each) |",
        f"| Python heap they hold (tracemalloc) | **{r['traced_mb']:.1f} MB** "
        f"({r['bytes_per_conversation']:,} bytes per conversation) |"
        if r["traced_mb"] is not None
        else "| Python heap they hold (tracemalloc) | not measured in this mode |",
        f"| resident memory growth (RSS) | **{r['rss_growth_mb']:.1f} MB** "
        f"({r['rss_before_mb']:.0f} → {r['rss_after_mb']:.0f} MB) |",
        "",
        "| three-turn conversations | messages | p50 per message | p99 per message | max |",
        "|---|---|---|---|---|",
        f"| all turns ({t['conversations']:,} conversations) | {t['messages']:,} "
        f"| {t['p50_ms']:.3f} ms | **{t['p99_ms']:.3f} ms** | {t['max_ms']:.1f} ms |",
    ]
    for n, s in enumerate(t["by_turn"], 1):
        rows.append(
            f"| turn {n} | {s['messages']:,} | {s['p50_ms']:.3f} ms | {s['p99_ms']:.3f} ms "
            f"| {s['max_ms']:.1f} ms |"
        )
    return "\n".join(rows) + f"\n\nDuring the timed messages: {_gc(t)}."


def main() -> None:
    parser = argparse.ArgumentParser(description="conversation state (internal)")
    parser.add_argument("knowledge", type=Path)
    parser.add_argument("--eval", type=Path, nargs="+", required=True)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-tracemalloc", action="store_true", help="RSS only (quicker)")
    args = parser.parse_args()
    result = worker(args.knowledge, args.eval, args.count, args.rounds, not args.no_tracemalloc)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
