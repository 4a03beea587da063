"""What machine a run was on, and the Markdown page the figures go into."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path


def _first(path: str, prefix: str) -> str | None:
    try:
        for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _git(root: Path) -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{head or 'unknown'}{' + uncommitted changes' if dirty else ''}"


def load_average() -> str:
    """Other work on the machine skews timings; this says how busy it was."""
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def machine(root: Path) -> list[tuple[str, str]]:
    mem_kb = _first("/proc/meminfo", "MemTotal")
    ram = f"{int(mem_kb.split()[0]) / 1024 / 1024:.1f} GiB" if mem_kb else "unknown"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        ("date", dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("CPU", _first("/proc/cpuinfo", "model name") or platform.processor() or "unknown"),
        ("cores usable (nproc)", str(usable)),
        ("RAM", ram),
        ("load average at start (1/5/15 min)", load_average()),
        ("OS", platform.platform()),
        ("Python", sys.version.split()[0]),
        (
            "libraries",
            ", ".join(
                f"{p} {_version(p)}"
                for p in ("rapidfuzz", "python-telegram-bot", "PyYAML", "rank-bm25", "psutil")
            ),
        ),
        ("commit", _git(root)),
    ]


def machine_table(rows: list[tuple[str, str]]) -> str:
    return "\n".join(["| | |", "|---|---|", *(f"| {k} | {v} |" for k, v in rows)])


def print_machine(rows: list[tuple[str, str]]) -> None:
    for key, value in rows:
        print(f"  {key}: {value}")
