"""The /stats chart: questions per day, stacked by decision, with the answered share on top.

Operators would rather look than read: one small picture shows at a glance whether traffic is
steady and whether the bot is still answering most questions, which a table of thirty numbers
does not.

matplotlib is imported lazily, inside `daily_chart`: the bot imports this module at start-up,
and loading matplotlib (and numpy, fonts, the Agg renderer) costs tens of megabytes and a
noticeable delay that a bot which never draws a chart should not pay. It is drawn with
`matplotlib.figure.Figure` and `FigureCanvasAgg` directly, never pyplot: no global figure
registry (nothing leaks, each figure is garbage collected with its last reference), no backend
switching, no shared rcParams changes, so charts can be drawn in a worker thread.

All text in the chart is ASCII: the default DejaVu Sans font has no CJK glyphs.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Row = tuple[str, int, int, int]
"""(UTC day "YYYY-MM-DD", answered, clarified, not answered), as `Store.decisions_per_day`."""

WIDTH_IN, HEIGHT_IN, DPI = 8, 4, 100  # 800 x 400 px

ANSWERED = "#2e9e4f"  # green
CLARIFIED = "#f0a202"  # amber
NOT_ANSWERED = "#c8504b"  # muted red
SHARE = "#1f4e9c"  # dark blue, distinct from all three bar colours
TEXT = "#333333"


def summary(rows: Sequence[Row]) -> tuple[int, float]:
    """Total questions and the answered share (0.0 to 1.0; 0.0 when there were none)."""
    answered = sum(row[1] for row in rows)
    total = sum(row[1] + row[2] + row[3] for row in rows)
    return total, (answered / total if total else 0.0)


def fill_days(
    rows: Sequence[Row], *, days: int = 30, today: dt.date | None = None
) -> list[tuple[dt.date, int, int, int]]:
    """One entry per day for the `days` days ending at `today`, oldest first.

    Days missing in `rows` are zero; rows outside the window are dropped (the store's
    `days * 86400` seconds reach into one extra, partial calendar day).
    """
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    today = today or dt.datetime.now(dt.UTC).date()
    start = today - dt.timedelta(days=days - 1)
    counts = {start + dt.timedelta(days=i): [0, 0, 0] for i in range(days)}
    for day, answered, clarified, not_answered in rows:
        slot = counts.get(dt.date.fromisoformat(day))
        if slot is not None:
            slot[0] += answered
            slot[1] += clarified
            slot[2] += not_answered
    return [(day, a, c, n) for day, (a, c, n) in counts.items()]


def daily_chart(rows: Sequence[Row], *, days: int = 30, today: dt.date | None = None) -> bytes:
    """PNG bytes: questions per day over the last `days` days (UTC), stacked by decision, and the answered share."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = _figure(rows, days=days, today=today)
    buffer = io.BytesIO()
    FigureCanvasAgg(figure).print_png(
        buffer,
        metadata={
            "Title": figure.get_suptitle(),
            "Description": figure.axes[0].get_title(loc="left"),
        },
    )
    return buffer.getvalue()


def _title(days: int) -> str:
    return f"Questions per day (last {days} days, UTC)"


def _subtitle(total: int, share: float) -> str:
    if not total:
        return "0 questions"
    noun = "question" if total == 1 else "questions"
    # Rounded down: 99.7% must not read as "100% answered".
    return f"{total:,} {noun}, {math.floor(share * 100 + 1e-9)}% answered"


def _figure(rows: Sequence[Row], *, days: int = 30, today: dt.date | None = None) -> Figure:
    """The chart as a matplotlib Figure (not yet rendered); `daily_chart` turns it into PNG."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import FixedLocator, MaxNLocator, PercentFormatter

    filled = fill_days(rows, days=days, today=today)
    # Same window as the bars, so the subtitle always adds up to what is drawn.
    total, share = summary([(day.isoformat(), a, c, n) for day, a, c, n in filled])

    x = list(range(days))
    answered = [a for _, a, _, _ in filled]
    clarified = [c for _, _, c, _ in filled]
    not_answered = [n for _, _, _, n in filled]
    below_not_answered = [a + c for a, c in zip(answered, clarified, strict=True)]
    totals = [a + c + n for _, a, c, n in filled]
    shares = [
        100 * a / t if t else math.nan for (_, a, _, _), t in zip(filled, totals, strict=True)
    ]

    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, facecolor="white")
    ax = figure.add_subplot()
    figure.subplots_adjust(left=0.075, right=0.915, top=0.83, bottom=0.19)
    figure.suptitle(_title(days), x=0.075, ha="left", fontsize=14, fontweight="bold", color=TEXT)
    ax.set_title(_subtitle(total, share), loc="left", fontsize=11, color=TEXT, pad=8)

    width = 0.8 if days <= 60 else 1.0
    ax.bar(x, answered, width, color=ANSWERED, label="answered", zorder=2)
    ax.bar(x, clarified, width, bottom=answered, color=CLARIFIED, label="clarified", zorder=2)
    ax.bar(
        x,
        not_answered,
        width,
        bottom=below_not_answered,
        color=NOT_ANSWERED,
        label="not answered",
        zorder=2,
    )

    ax.set_xlim(-0.7, days - 0.3)
    # Bars use the lower ~60% and the share line (usually 75-100%) the top band, so they cross
    # only when the answered share drops, which is when it should catch the eye.
    ax.set_ylim(0, max(max(totals) * 1.65, 5))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    ax.grid(axis="y", color="#dddddd", linewidth=0.8, zorder=0)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=10, colors=TEXT)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)

    # A label every ~5 days for a month (fewer for longer windows), always on today.
    step = max(1, round(days / 6))
    ticks = list(range(days - 1, -1, -step))[::-1]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.set_xticklabels([filled[i][0].strftime("%m-%d") for i in ticks])
    if days <= 45:
        ax.xaxis.set_minor_locator(FixedLocator(x))
        ax.tick_params(axis="x", which="minor", length=2)

    share_ax = ax.twinx()
    share_ax.set_ylim(0, 108)
    share_ax.yaxis.set_major_locator(FixedLocator([0, 25, 50, 75, 100]))
    share_ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    share_ax.tick_params(labelsize=10, colors=SHARE)
    for side in ("top", "left"):
        share_ax.spines[side].set_visible(False)
    share_ax.spines["right"].set_color(SHARE)
    # Days without questions are NaN: the line breaks there instead of dropping to 0%.
    share_ax.plot(
        x,
        shares,
        color=SHARE,
        linewidth=1.8,
        marker="o",
        markersize=3.5,
        label="answered %",
        zorder=3,
    )

    if not total:
        ax.text(
            0.5,
            0.45,
            "no questions yet",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=16,
            color="#888888",
        )

    handles = ax.get_legend_handles_labels()[0] + share_ax.get_legend_handles_labels()[0]
    figure.legend(
        handles=handles,
        loc="lower center",
        ncol=4,
        frameon=False,
        fontsize=10,
        bbox_to_anchor=(0.5, 0.0),
        handlelength=1.5,
        columnspacing=1.6,
    )
    return figure
