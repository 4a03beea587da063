"""The p99 latency against knowledge-base size chart (PNG, matplotlib's Agg backend: no display)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.scale import ScaleRow

# The targets from issue 4, as (items, p99 ms); the shipped size is filled in by the caller.
TARGETS_MS = {10_000: 10.0, 100_000: 100.0}
SHIPPED_TARGET_MS = 1.0


def plot_p99(rows: list[ScaleRow], shipped: int, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=110)
    for method, label, style in (
        ("engine", "engine (bot.engine)", "o-"),
        ("naive", "naive baseline (rapidfuzz WRatio)", "s--"),
    ):
        points = sorted(
            (row.measured["items"], row.measured["p99_ms"])
            for row in rows
            if row.method == method and row.measured and row.measured["p99_ms"] is not None
        )
        if points:
            ax.plot(*zip(*points, strict=True), style, label=label)
    targets = sorted({shipped: SHIPPED_TARGET_MS, **TARGETS_MS}.items())
    ax.plot(*zip(*targets, strict=True), "kx", markersize=9, label="target p99 at that size")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("knowledge-base items (topics + entries + cells)")
    ax.set_ylabel("p99 latency per question (ms)")
    ax.set_title("p99 latency per question vs knowledge-base size")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path
