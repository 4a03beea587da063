"""Settings are read once, checked, and never leak the token."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def settings(tmp_path: Path, **env: str):
    return load_settings(env, env_file=tmp_path / ".env")


def test_defaults_without_environment(tmp_path: Path) -> None:
    s = settings(tmp_path)
    assert s.token is None
    assert s.admin_ids == frozenset()
    assert s.default_lang == "zh-Hans"
    assert s.knowledge_dir.name == "knowledge"
    assert s.api_base_url is None
    assert s.group_cooldown == 60.0


def test_reads_every_documented_variable(tmp_path: Path) -> None:
    s = settings(
        tmp_path,
        TELEGRAM_BOT_TOKEN=TOKEN,
        ADMIN_USER_IDS="12345, 67890",
        KNOWLEDGE_DIR=str(tmp_path / "kb"),
        DATA_DIR=str(tmp_path / "data"),
        DEFAULT_LANG="ja",
        TELEGRAM_API_BASE_URL="http://127.0.0.1:8081/",
        LOG_LEVEL="debug",
        WEBHOOK_URL="https://example.org/hook",
        WEBHOOK_SECRET="s3cret_value",
        WEBHOOK_PORT="8444",
        GROUP_COOLDOWN_SECONDS="30",
    )
    assert s.token == TOKEN
    assert s.admin_ids == frozenset({12345, 67890})
    assert s.knowledge_dir == tmp_path / "kb"
    assert s.database == tmp_path / "data" / "simbot.sqlite3"
    assert s.default_lang == "ja"
    assert s.api_base_url == "http://127.0.0.1:8081"
    assert s.log_level == "DEBUG"
    assert (s.webhook_url, s.webhook_port, s.group_cooldown) == (
        "https://example.org/hook",
        8444,
        30.0,
    )


def test_dotenv_fills_what_the_environment_does_not_set(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        f"TELEGRAM_BOT_TOKEN={TOKEN}\nDEFAULT_LANG=en\n", encoding="utf-8"
    )
    s = load_settings({"DEFAULT_LANG": "ja"}, env_file=tmp_path / ".env")
    assert s.token == TOKEN
    assert s.default_lang == "ja"  # the environment wins


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TELEGRAM_BOT_TOKEN": "abc"}, "TELEGRAM_BOT_TOKEN is malformed"),
        ({"ADMIN_USER_IDS": "12,alice"}, "ADMIN_USER_IDS"),
        ({"DEFAULT_LANG": "fr"}, "DEFAULT_LANG"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"TELEGRAM_API_BASE_URL": "127.0.0.1:8081"}, "TELEGRAM_API_BASE_URL"),
        ({"WEBHOOK_URL": "https://example.org/hook"}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_PORT": "eighty"}, "WEBHOOK_PORT"),
    ],
)
def test_bad_values_give_one_clear_line(tmp_path: Path, env: dict, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        settings(tmp_path, **env)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_the_token_is_not_in_the_settings_repr(tmp_path: Path) -> None:
    s = settings(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, WEBHOOK_SECRET="s3cret_value")
    assert TOKEN not in repr(s)
    assert "s3cret_value" not in repr(s)


def test_env_example_documents_every_setting_and_holds_no_secret() -> None:
    example = (Path(__file__).resolve().parent.parent / ".env.example").read_text(encoding="utf-8")
    for key in (
        "TELEGRAM_BOT_TOKEN", "ADMIN_USER_IDS", "KNOWLEDGE_DIR", "DATA_DIR", "DEFAULT_LANG",
        "TELEGRAM_API_BASE_URL", "LOG_LEVEL", "WEBHOOK_URL", "WEBHOOK_LISTEN", "WEBHOOK_PORT",
        "WEBHOOK_SECRET", "GROUP_COOLDOWN_SECONDS",
    ):  # fmt: skip
        assert f"\n{key}=" in example
    values = [
        line.split("=", 1)[1]
        for line in example.splitlines()
        if line.startswith(("TELEGRAM_BOT_TOKEN=", "WEBHOOK_SECRET="))
    ]
    assert values == ["", ""]
