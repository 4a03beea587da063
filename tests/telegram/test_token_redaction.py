"""The bot token never reaches a log line: not in messages, not in tracebacks, not from httpx."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from telegram.error import TelegramError

from bot.config import Settings
from bot.engine import Engine
from bot.store import Store
from bot.telegram.app import build_application
from bot.telegram.logging import REDACTED, setup_logging
from tests.telegram.fakes import BOT, TOKEN, Harness

SECRET_HALF = TOKEN.split(":", 1)[1]
URL = f"https://api.telegram.org/bot{TOKEN}/sendMessage"


def _assert_clean(caplog: pytest.LogCaptureFixture) -> None:
    rendered = [caplog.text] + [r.getMessage() + (r.exc_text or "") for r in caplog.records]
    for text in rendered:
        assert TOKEN not in text
        assert SECRET_HALF not in text


async def test_a_transport_error_quoting_the_url_is_redacted(
    tg: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    tg.raise_errors = False
    tg.api.crash("sendMessage", RuntimeError(f"connection to {URL} failed"))
    with caplog.at_level(logging.DEBUG):
        await tg.send("乐天能送流量吗")
    assert REDACTED in caplog.text
    _assert_clean(caplog)


async def test_a_traceback_quoting_the_token_is_redacted(
    tg: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    tg.raise_errors = False
    tg.api.crash("sendMessage", TelegramError(f"unexpected reply from {URL}"))
    with caplog.at_level(logging.DEBUG):
        await tg.send("乐天能送流量吗")
    (record,) = [r for r in caplog.records if r.name == "bot.telegram.app"]
    assert record.levelno == logging.ERROR
    assert "Traceback" in record.exc_text
    assert REDACTED in record.exc_text
    _assert_clean(caplog)


def test_any_logger_any_argument_is_redacted(tg: Harness, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("httpx").info('HTTP Request: POST %s "HTTP/1.1 200 OK"', URL)
        logging.getLogger("some.library").debug("token=%s", TOKEN)
        logging.getLogger("some.library").debug("secret=%s", SECRET_HALF)
    assert caplog.text.count(REDACTED) == 3
    _assert_clean(caplog)


class _FakeTelegram(BaseHTTPRequestHandler):
    """Answers every Bot API call like getMe; enough for the bot to start."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.dumps({"ok": True, "result": BOT}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeTelegram)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


async def test_real_httpx_requests_to_a_custom_api_root_log_no_token(
    local_api: str, settings: Settings, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(**{**settings.__dict__, "api_base_url": local_api})
    store = Store(None)
    app = build_application(settings, engine, store)
    assert app.bot.base_url == f"{local_api}/bot{TOKEN}"
    assert app.bot.base_file_url == f"{local_api}/file/bot{TOKEN}"
    with caplog.at_level(logging.DEBUG):
        async with app:  # getMe over real httpx
            assert app.bot.username == BOT["username"]
    assert "HTTP Request" in caplog.text  # httpx did log the request line...
    _assert_clean(caplog)  # ...without the token


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level, logging.getLogger("httpx").level)
    yield
    root.handlers[:], level, httpx_level = saved
    root.setLevel(level)
    logging.getLogger("httpx").setLevel(httpx_level)


def test_setup_logging_writes_redacted_lines_and_quiets_httpx(
    restore_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    setup_logging("DEBUG", [TOKEN])
    logging.getLogger("bot.test").warning("calling %s", URL)
    logging.getLogger("httpx").info("HTTP Request: POST %s", URL)
    err = capsys.readouterr().err
    assert f"calling https://api.telegram.org/bot{REDACTED}/sendMessage" in err
    assert "HTTP Request" not in err
    assert TOKEN not in err and SECRET_HALF not in err
