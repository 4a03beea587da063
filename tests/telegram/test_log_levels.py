"""PTB's expected situations are warnings; ERROR and CRITICAL keep meaning something is wrong."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from telegram.error import RetryAfter

from bot.telegram.logging import demote_expected


@pytest.fixture(autouse=True)
def _logging() -> None:
    demote_expected()  # as setup_logging does, without replacing pytest's log handlers


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
def test_a_flood_wait_after_the_last_retry_is_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    try:
        raise RetryAfter(dt.timedelta(seconds=3))
    except RetryAfter as exc:
        logging.getLogger("telegram.ext.AIORateLimiter").exception(
            "Rate limit hit after maximum of %d retries", 1, exc_info=exc
        )
    (record,) = [r for r in caplog.records if r.name == "telegram.ext.AIORateLimiter"]
    assert record.levelname == "WARNING" and record.exc_info is None


def test_updates_fetched_while_stopping_are_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    logging.getLogger("telegram.ext.Updater").critical(
        "Updater stopped unexpectedly. Pulled updates will be ignored and pulled again on restart."
    )
    (record,) = [r for r in caplog.records if r.name == "telegram.ext.Updater"]
    assert record.levelname == "WARNING"


def test_other_errors_keep_their_level(caplog: pytest.LogCaptureFixture) -> None:
    logging.getLogger("telegram.ext.AIORateLimiter").error("something else broke")
    logging.getLogger("telegram.ext.Updater").critical("Something went wrong processing the data")
    assert [r.levelname for r in caplog.records] == ["ERROR", "CRITICAL"]
