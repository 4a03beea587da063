"""Start-up and shutdown: menus per scope, what is logged, polling or webhook, closing the store."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from telegram import Update
from telegram.ext import Application

from bot.config import Settings
from bot.engine import Engine
from bot.knowledge import KnowledgeError
from bot.messages import t
from bot.telegram import app as app_module
from bot.telegram.app import GROUP_COMMANDS, USER_COMMANDS, _post_init, _post_shutdown, run_bot
from tests.telegram.fakes import OPERATOR_ID, TOKEN, Harness


async def test_post_init_sets_menus_per_scope_and_language_and_logs_the_kb(
    tg: Harness, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="bot"):
        await _post_init(tg.app)
    await _post_shutdown(tg.app)
    menus = tg.api.of("setMyCommands")
    by_scope: dict[tuple[str, Any], list[str]] = {}
    for call in menus:
        scope = call["scope"]
        key = (scope["type"], call.get("language_code"))
        by_scope[key] = [c["command"] for c in call["commands"]]
    for code in (None, "zh", "ja", "en"):
        assert by_scope[("all_private_chats", code)] == list(USER_COMMANDS)
        assert by_scope[("all_group_chats", code)] == list(GROUP_COMMANDS)
    (operator,) = [c for c in menus if c["scope"]["type"] == "chat"]
    assert operator["scope"]["chat_id"] == OPERATOR_ID
    assert {"reload", "unanswered", "stats"} <= {c["command"] for c in operator["commands"]}

    ja = next(c for c in menus if c.get("language_code") == "ja")
    assert ja["commands"][0]["description"] == t("ja", f"cmd_{ja['commands'][0]['command']}")

    snapshot = engine.snapshot
    assert f"version {snapshot.version}, {len(snapshot.kb.entries)} entries" in caplog.text


async def test_post_init_sets_the_profile_texts_in_every_menu_language(tg: Harness) -> None:
    """What a user reads before pressing Start, like the menus: default, zh, ja, en."""
    await _post_init(tg.app)
    await _post_shutdown(tg.app)
    for method, key in (
        ("setMyDescription", "description"),
        ("setMyShortDescription", "short_description"),
    ):
        calls = tg.api.of(method)
        by_code = {call.get("language_code"): call[key] for call in calls}
        assert len(calls) == len(by_code) == 4
        assert by_code == {
            None: t("zh-Hans", key),
            "zh": t("zh-Hans", key),
            "ja": t("ja", key),
            "en": t("en", key),
        }
        assert len(by_code["en"]) <= (512 if key == "description" else 120)  # Telegram's limits


async def test_an_operator_who_never_opened_the_bot_does_not_stop_start_up(
    tg: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    tg.api.fail("setMyCommands", 400, "Bad Request: chat not found")  # the first call fails...
    with caplog.at_level(logging.WARNING, logger="bot"):
        await _post_init(tg.app)
    await _post_shutdown(tg.app)
    assert "could not set the command menus" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_post_shutdown_closes_the_store_after_committing(tg: Harness) -> None:
    await tg.send("pizza recipe")
    await _post_shutdown(tg.app)
    assert not tg.store.available
    await tg.send("pizza again")  # answers still work without the store
    assert len(tg.api.texts()) == 2


Started = list[tuple[str, dict[str, Any]]]


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> Started:
    """run_bot without the network: record how it would start the application."""
    calls: Started = []
    monkeypatch.setattr(
        Application, "run_polling", lambda _app, **kw: calls.append(("polling", kw))
    )
    monkeypatch.setattr(
        Application, "run_webhook", lambda _app, **kw: calls.append(("webhook", kw))
    )
    monkeypatch.setattr(app_module, "setup_logging", lambda *args: None)

    async def preflight(_settings: Settings) -> None:  # the Bot API takes the token
        calls.append(("preflight", {}))

    monkeypatch.setattr(app_module, "preflight", preflight)
    return calls


def _modes(started: Started) -> list[tuple[str, dict[str, Any]]]:
    return [(mode, kwargs) for mode, kwargs in started if mode != "preflight"]


def test_run_bot_polls_for_every_update_type_by_default(
    started: Started, settings: Settings
) -> None:
    assert run_bot(settings) == 0
    assert started[0][0] == "preflight"
    ((mode, kwargs),) = _modes(started)
    assert mode == "polling"
    assert kwargs["allowed_updates"] == Update.ALL_TYPES


def test_run_bot_serves_a_webhook_with_its_secret_when_configured(
    started: Started, settings: Settings
) -> None:
    settings = Settings(
        **{
            **settings.__dict__,
            "webhook_url": "https://bot.example.com/simbot/hook",
            "webhook_listen": "127.0.0.1",
            "webhook_port": 8443,
            "webhook_secret": "s3cret_-token",
        }
    )
    assert run_bot(settings) == 0
    ((mode, kwargs),) = _modes(started)
    assert mode == "webhook"
    assert kwargs == {
        "listen": "127.0.0.1",
        "port": 8443,
        "url_path": "simbot/hook",
        "webhook_url": "https://bot.example.com/simbot/hook",
        "secret_token": "s3cret_-token",
        "allowed_updates": Update.ALL_TYPES,
    }


def test_a_broken_knowledge_base_stops_start_up_before_telegram(
    started: Started, settings: Settings, knowledge_copy: Path
) -> None:
    (knowledge_copy / "carriers" / "mineo.yaml").write_text("entries: [oops\n")
    settings = Settings(**{**settings.__dict__, "knowledge_dir": knowledge_copy})
    with pytest.raises(KnowledgeError):  # cli.main prints the problems, one per line
        run_bot(settings)
    assert not _modes(started)


def test_a_rejected_token_stops_start_up_with_one_line(
    started: Started, settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog
) -> None:
    async def rejected(_settings: Settings) -> str:
        return "Telegram rejected TELEGRAM_BOT_TOKEN (check it with @BotFather)"

    monkeypatch.setattr(app_module, "preflight", rejected)
    with caplog.at_level(logging.INFO):
        assert run_bot(settings) == 2
    assert not _modes(started)
    (record,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.levelno == logging.CRITICAL and "\n" not in record.getMessage()
    assert TOKEN not in caplog.text


def test_the_token_is_not_in_the_settings_repr(settings: Settings) -> None:
    assert TOKEN not in repr(settings)
