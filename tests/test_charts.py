"""The /stats chart: a real PNG of about 800 x 400 px, zero for days without questions, a title
that adds up, and no matplotlib at import time (the bot imports bot.charts at start-up)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import subprocess
import sys
from pathlib import Path

import pytest

from bot.charts import daily_chart, fill_days, summary

# matplotlib comes with the [bench] extra; without it only the drawing tests are skipped.
needs_matplotlib = pytest.mark.skipif(
    importlib.util.find_spec("matplotlib") is None, reason="matplotlib is not installed"
)

ROOT = Path(__file__).resolve().parent.parent
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TODAY = dt.date(2025, 6, 30)


def decode(png: bytes):
    """The image as an array (height, width, channels)."""
    from matplotlib.image import imread

    return imread(io.BytesIO(png), format="png")


def png_text(png: bytes) -> dict[str, str]:
    """The PNG's tEXt chunks (title and subtitle are stored there, exactly as drawn)."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        image.load()
        return dict(image.text)


def month(counts: list[tuple[int, int, int]], today: dt.date = TODAY) -> list:
    """Rows as `Store.decisions_per_day` returns them, one per count, ending at `today`."""
    start = today - dt.timedelta(days=len(counts) - 1)
    return [((start + dt.timedelta(days=i)).isoformat(), *count) for i, count in enumerate(counts)]


def assert_chart(png: bytes) -> None:
    assert png.startswith(PNG_SIGNATURE)
    height, width = decode(png).shape[:2]
    assert 760 <= width <= 840
    assert 380 <= height <= 420


@needs_matplotlib
def test_chart_is_a_png_of_about_800_by_400() -> None:
    assert_chart(daily_chart(month([(40, 2, 6)] * 30), today=TODAY))


@needs_matplotlib
def test_empty_rows_still_give_a_chart() -> None:
    png = daily_chart([], today=TODAY)
    assert_chart(png)
    assert png_text(png)["Description"] == "0 questions"


@needs_matplotlib
def test_default_today_is_utc_today() -> None:
    today = dt.datetime.now(dt.UTC).date()
    png = daily_chart([(today.isoformat(), 3, 0, 1)])
    assert_chart(png)
    assert png_text(png)["Description"] == "4 questions, 75% answered"


@needs_matplotlib
def test_thirty_days_of_known_counts_total_in_the_title() -> None:
    counts = [(20 + i, i % 3, 5) for i in range(30)]
    png = daily_chart(month(counts), today=TODAY)
    assert_chart(png)
    total = sum(a + c + n for a, c, n in counts)
    answered = sum(a for a, _, _ in counts)
    assert (total, answered) == (1215, 1035)
    text = png_text(png)
    assert text["Title"] == "Questions per day (last 30 days, UTC)"
    assert text["Description"] == "1,215 questions, 85% answered"  # 85.19%, rounded down


@needs_matplotlib
def test_title_counts_only_days_in_the_window() -> None:
    # The store's `days * 86400` seconds reach into one extra calendar day: not drawn, not counted.
    rows = [("2025-05-31", 100, 0, 0), ("2025-06-01", 1, 0, 1), ("2025-06-30", 2, 1, 0)]
    text = png_text(daily_chart(rows, today=TODAY))
    assert text["Description"] == "5 questions, 60% answered"


def test_days_missing_in_rows_are_zero() -> None:
    rows = [("2025-06-26", 5, 1, 2), ("2025-06-28", 7, 0, 0)]
    filled = fill_days(rows, days=7, today=TODAY)
    assert filled == [
        (dt.date(2025, 6, 24), 0, 0, 0),
        (dt.date(2025, 6, 25), 0, 0, 0),
        (dt.date(2025, 6, 26), 5, 1, 2),
        (dt.date(2025, 6, 27), 0, 0, 0),
        (dt.date(2025, 6, 28), 7, 0, 0),
        (dt.date(2025, 6, 29), 0, 0, 0),
        (dt.date(2025, 6, 30), 0, 0, 0),
    ]


@needs_matplotlib
def test_missing_days_are_drawn_as_zero_height_bars() -> None:
    from bot.charts import _figure

    rows = [("2025-06-26", 5, 1, 2), ("2025-06-28", 7, 0, 0)]
    figure = _figure(rows, days=7, today=TODAY)
    bars = figure.axes[0].containers
    assert [[bar.get_height() for bar in stack] for stack in bars] == [
        [0, 0, 5, 0, 7, 0, 0],  # answered
        [0, 0, 1, 0, 0, 0, 0],  # clarified
        [0, 0, 2, 0, 0, 0, 0],  # not answered
    ]
    labels = [label.get_text() for label in figure.axes[0].get_xticklabels()]
    assert labels[-1] == "06-30"
    assert_chart(daily_chart(rows, days=7, today=TODAY))


@needs_matplotlib
def test_chart_text_is_ascii() -> None:
    from matplotlib.text import Text

    from bot.charts import _figure

    for rows in (month([(40, 2, 6)] * 30), []):
        texts = [text.get_text() for text in _figure(rows, today=TODAY).findobj(Text)]
        assert all(text.isascii() for text in texts), texts
        assert ("no questions yet" in texts) == (not rows)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([], (0, 0.0)),
        ([("2025-06-30", 0, 0, 0)], (0, 0.0)),
        ([("2025-06-30", 3, 1, 0)], (4, 0.75)),
        (
            [("2025-06-29", 17, 2, 1), ("2025-06-30", 0, 0, 0), ("2025-06-30", 0, 1, 9)],
            (30, 17 / 30),
        ),
    ],
)
def test_summary(rows: list, expected: tuple[int, float]) -> None:
    total, share = summary(rows)
    assert total == expected[0]
    assert share == pytest.approx(expected[1])


def test_days_must_be_positive() -> None:
    with pytest.raises(ValueError):
        daily_chart([], days=0, today=TODAY)


def test_importing_bot_charts_does_not_load_matplotlib() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import bot.charts, sys; print('matplotlib' in sys.modules)"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "False"
