"""Logging for the bot process, with the bot token (and webhook secret) removed from every record.

The Bot API puts the token in every request URL, and URLs end up in log lines from httpx, in
exception messages and in tracebacks. Redaction therefore happens where each record is created
(a LogRecord factory), not in one handler's formatter: every handler sees the cleaned record,
including ones added later such as pytest's caplog. httpx's per-request INFO lines are silenced
as well, since they say nothing PTB's own log does not.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable, Iterable

from telegram.error import RetryAfter

REDACTED = "<redacted>"
_secrets: set[str] = set()
_base_factory = logging.getLogRecordFactory()


def redact(text: str) -> str:
    for secret in sorted(_secrets, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


def _scrub(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # a malformed call; logging reports it later, on its own
        return
    clean = redact(message)
    if clean != message:
        record.msg, record.args = clean, None
    if record.exc_info and record.exc_info[1] is not None:
        text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        clean = redact(text)
        if clean != text:
            # Formatters print exc_text when it is set; drop exc_info so nothing re-renders it.
            record.exc_text, record.exc_info = clean, None
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


def _factory(*args: object, **kwargs: object) -> logging.LogRecord:
    record = _base_factory(*args, **kwargs)
    if _secrets:
        _scrub(record)
    return record


def protect(secrets: Iterable[str | None]) -> None:
    """Never log these strings (nor the secret half of a bot token); idempotent."""
    for secret in secrets:
        if not secret:
            continue
        _secrets.add(secret)
        _, sep, tail = secret.partition(":")
        if sep and len(tail) >= 8:
            _secrets.add(tail)
    if logging.getLogRecordFactory() is not _factory:
        logging.setLogRecordFactory(_factory)


def setup_logging(level: str, secrets: Iterable[str | None] = ()) -> None:
    """One stderr handler for the process; PTB's own INFO lines ("Application started") stay."""
    protect(secrets)
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
        force=True,
    )
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    demote_expected()


def demote_expected() -> None:
    """Install the _Demote filters on PTB's loggers; idempotent."""
    for name, test in _EXPECTED.items():
        logger = logging.getLogger(name)
        if not any(isinstance(f, _Demote) for f in logger.filters):
            logger.addFilter(_Demote(test))


class _Demote(logging.Filter):
    """Logs PTB's expected situations as warnings, so ERROR and CRITICAL mean something is wrong.

    - Telegram still asks to wait after the rate limiter's retry: our error handler reports the
      update once, as a warning; PTB's own traceback for it adds nothing.
    - Updates fetched while the bot is stopping are not confirmed, so Telegram sends them again
      at the next start: nothing is lost.
    """

    def __init__(self, test: Callable[[logging.LogRecord], bool]) -> None:
        super().__init__()
        self.test = test

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.WARNING and self.test(record):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info, record.exc_text = None, None
        return True


def _is_retry_after(record: logging.LogRecord) -> bool:
    return bool(record.exc_info) and isinstance(record.exc_info[1], RetryAfter)


_EXPECTED: dict[str, Callable[[logging.LogRecord], bool]] = {
    "telegram.ext.AIORateLimiter": _is_retry_after,
    "telegram.ext.Updater": lambda record: str(record.msg).startswith(
        "Updater stopped unexpectedly"
    ),
}
