"""Load through real processes: a burst of group questions from many users, then a soak.

`node tests/e2e/emulator.js` and the bot as two processes on 127.0.0.1, as in the end-to-end
tests (`tests.e2e.client.bot_stack`), with AIORateLimiter's sending caps lifted and the group
cooldown off: as shipped the bot holds replies to Telegram's 30 a second (20 a minute per group),
so a burst would measure those caps, not the bot. One client sends every question as fast as it
can (each addressed to the bot by mention, user u in group u % chats, users taking turns), then
waits for all the replies. Round trips use the emulator's clock at both ends, from the question
being stored to the reply arriving, so they include the long poll and the queue behind the burst.

The soak sends `soak` more questions in rounds of the burst's size and reads the bot's resident
memory (VmRSS) after each: memory that climbs round after round is a leak, a flat line is not.

    .venv/bin/python -m benchmarks.e2e_load [--full]
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.scale import percentile
from tests.e2e.client import ROOT, Burst, bot_stack, burst, emulator_missing

FIRST_GROUP = -1_005_000_000_000
BAD_LINE = re.compile(r"\b(ERROR|CRITICAL)\b|Traceback")
SMOKE = {"messages": 400, "users": 40, "chats": 8, "soak": 2_000}
FULL = {"messages": 2_000, "users": 200, "chats": 20, "soak": 10_000}


def missing() -> str | None:
    """Why this benchmark cannot run here (no Node.js or emulator package), or None."""
    return emulator_missing()


def _mb(kb: int) -> float:
    return round(kb / 1024, 1)


def _summary(result: Burst) -> dict[str, Any]:
    trips = sorted(result.round_trips_ms)
    return {
        "messages": result.messages,
        "answered": result.replies,
        "chats_out_of_order": len(result.out_of_order()),
        "wire_errors": len(result.errors),
        "seconds": round(result.seconds, 2),
        "per_second": round(result.replies / result.seconds, 1) if result.seconds else None,
        "p50_ms": round(statistics.median(trips)) if trips else None,
        "p99_ms": round(percentile(trips, 0.99)) if trips else None,
        "max_ms": round(trips[-1]) if trips else None,
    }


def run(messages: int, users: int, chats: int, soak: int = 0) -> dict[str, Any]:
    """One burst of `messages` from `users` users in `chats` groups; then, if `soak`, that many
    more in rounds of `messages`. Raises RuntimeError if the emulator cannot run here."""
    reason = missing()
    if reason:
        raise RuntimeError(reason)
    with tempfile.TemporaryDirectory(prefix="simbot-e2e-load-") as tmp:
        home = Path(tmp)
        with bot_stack(
            home,
            ROOT / "knowledge",
            home / "data",
            uncapped=True,
            GROUP_COOLDOWN_SECONDS="0",
            LOG_LEVEL="INFO",
        ) as bot:
            started_kb = bot.rss_kb()
            first = burst(bot, messages, users, chats, FIRST_GROUP)
            after_burst_kb = bot.rss_kb()
            rounds: list[dict[str, Any]] = []
            soak_start = time.perf_counter()
            for n in range(-(-soak // messages) if soak else 0):
                size = min(messages, soak - n * messages)
                result = burst(bot, size, users, chats, FIRST_GROUP - (n + 1) * chats)
                rounds.append({**_summary(result), "rss_mb": _mb(bot.rss_kb())})
            soak_seconds = time.perf_counter() - soak_start
        bad = [line for line in bot.log_text().splitlines() if BAD_LINE.search(line)]
    return {
        "users": users,
        "chats": chats,
        "burst": _summary(first),
        "rss_started_mb": _mb(started_kb),
        "rss_after_burst_mb": _mb(after_burst_kb),
        "soak_messages": sum(r["messages"] for r in rounds),
        "soak_answered": sum(r["answered"] for r in rounds),
        "soak_chats_out_of_order": sum(r["chats_out_of_order"] for r in rounds),
        "soak_seconds": round(soak_seconds, 1),
        "soak_rounds": rounds,
        "rss_after_soak_mb": rounds[-1]["rss_mb"] if rounds else None,
        "bot_error_lines": len(bad),
    }


def table(result: dict[str, Any]) -> str:
    """The figures as Markdown."""
    b = result["burst"]
    lines = [
        "| run | messages | answered | chats out of order | seconds | replies/s | p50 | p99 | "
        "max | bot RSS after |",
        "|---|---|---|---|---|---|---|---|---|---|",
        f"| burst ({result['users']} users, {result['chats']} groups) | {b['messages']:,} | "
        f"{b['answered']:,} | {b['chats_out_of_order']} | {b['seconds']} | {b['per_second']} | "
        f"{b['p50_ms']} ms | {b['p99_ms']} ms | {b['max_ms']} ms | "
        f"{result['rss_after_burst_mb']} MB |",
    ]
    for n, r in enumerate(result["soak_rounds"], 1):
        lines.append(
            f"| soak round {n} | {r['messages']:,} | {r['answered']:,} | "
            f"{r['chats_out_of_order']} | {r['seconds']} | {r['per_second']} | {r['p50_ms']} ms | "
            f"{r['p99_ms']} ms | {r['max_ms']} ms | {r['rss_mb']} MB |"
        )
    return "\n".join(lines)


def main(full: bool = False) -> dict[str, Any] | None:
    """Run at the full sizes (2,000 / 200 / 20, a 10,000 soak) or the smoke ones; print a table."""
    reason = missing()
    if reason:
        print(f"  end-to-end load: not available: {reason}")
        return None
    sizes = FULL if full else SMOKE
    result = run(**sizes)
    print(table(result))
    print(
        f"  bot RSS: {result['rss_started_mb']} MB after start, {result['rss_after_burst_mb']} MB "
        f"after the burst, {result['rss_after_soak_mb']} MB after the "
        f"{result['soak_messages']:,}-message soak ({result['soak_seconds']} s); "
        f"{result['bot_error_lines']} error line(s) in the bot's log",
        flush=True,
    )
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="2,000 messages and a 10,000 soak")
    main(parser.parse_args().full)
