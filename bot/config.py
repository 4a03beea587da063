"""Settings: one typed object, built once at start-up from the environment (and `.env`)."""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values

from bot.knowledge import LANGS

_TOKEN_RE = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{20,200}$")
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Every evaluation set the project has, when they are there (a source checkout): see
# tests/data/README.md. A deployment without them runs without the quality gate.
DEFAULT_QUALITY_SETS = tuple(sorted((PROJECT_ROOT / "tests" / "data").glob("*.yaml")))


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line for the operator."""


@dataclass(frozen=True)
class Settings:
    token: str | None = field(default=None, repr=False)
    admin_ids: frozenset[int] = frozenset()
    knowledge_dir: Path = PROJECT_ROOT / "knowledge"
    data_dir: Path = PROJECT_ROOT / "data"
    default_lang: str = "zh-Hans"
    api_base_url: str | None = None
    log_level: str = "INFO"
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    webhook_secret: str | None = field(default=None, repr=False)
    group_cooldown: float = 60.0
    conversation_minutes: float = 15.0
    conversation_max: int = 100_000
    # The quality gate (issue: operators teach the bot): evaluation sets every knowledge change
    # is measured on, and how much worse (in points) a change may make them before it is refused.
    quality_sets: tuple[Path, ...] = ()
    quality_margin: float = 1.0

    @property
    def database(self) -> Path:
        return self.data_dir / "simbot.sqlite3"


def _get(env: Mapping[str, str | None], key: str) -> str | None:
    value = env.get(key)
    if value is None:
        return None
    value = value.strip()
    return value or None


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: Path | None = None
) -> Settings:
    """Environment first, then `.env` for what the environment does not set."""
    env: dict[str, str | None] = {}
    path = env_file if env_file is not None else Path.cwd() / ".env"
    if path.is_file():
        env.update(dotenv_values(path))
    env.update(os.environ if environ is None else environ)

    token = _get(env, "TELEGRAM_BOT_TOKEN")
    if token is not None and not _TOKEN_RE.match(token):
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN is malformed: expected '<digits>:<secret>' as given by @BotFather"
        )
    admins: set[int] = set()
    for part in (_get(env, "ADMIN_USER_IDS") or "").split(","):
        part = part.strip()
        if not part:
            continue
        if not re.fullmatch(r"-?\d{1,20}", part):
            raise ConfigError(
                f"ADMIN_USER_IDS: '{part[:30]}' is not a numeric Telegram user id "
                "(comma-separated ids, e.g. 12345,67890)"
            )
        admins.add(int(part))
    lang = _get(env, "DEFAULT_LANG") or "zh-Hans"
    if lang not in LANGS:
        raise ConfigError(f"DEFAULT_LANG must be one of {', '.join(LANGS)}")
    level = (_get(env, "LOG_LEVEL") or "INFO").upper()
    if level not in _LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(_LOG_LEVELS)}")
    base = _get(env, "TELEGRAM_API_BASE_URL")
    if base is not None and not base.startswith(("http://", "https://")):
        raise ConfigError("TELEGRAM_API_BASE_URL must start with http:// or https://")
    webhook_url = _get(env, "WEBHOOK_URL")
    secret = _get(env, "WEBHOOK_SECRET")
    if webhook_url and not secret:
        raise ConfigError("WEBHOOK_SECRET is required when WEBHOOK_URL is set")
    if secret and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
        raise ConfigError("WEBHOOK_SECRET: 1-256 characters of A-Z, a-z, 0-9, _ and -")
    try:
        port = int(_get(env, "WEBHOOK_PORT") or 8443)
        cooldown = float(_get(env, "GROUP_COOLDOWN_SECONDS") or 60)
        minutes = float(_get(env, "CONVERSATION_MINUTES") or 15)
        conversations = int(_get(env, "CONVERSATION_MAX") or 100_000)
        margin = float(_get(env, "QUALITY_MARGIN") or 1.0)
    except ValueError as exc:
        raise ConfigError(
            "WEBHOOK_PORT, GROUP_COOLDOWN_SECONDS, CONVERSATION_MINUTES, CONVERSATION_MAX and "
            f"QUALITY_MARGIN must be numbers ({exc})"
        ) from None
    if minutes < 0 or conversations < 1 or margin < 0:
        raise ConfigError(
            "CONVERSATION_MINUTES and QUALITY_MARGIN must be ≥ 0, CONVERSATION_MAX ≥ 1"
        )
    sets_value = _get(env, "QUALITY_SETS")
    if sets_value is None:
        quality_sets = DEFAULT_QUALITY_SETS
    else:
        quality_sets = tuple(
            path
            for pattern in (p.strip() for p in sets_value.split(","))
            if pattern
            for path in (
                sorted(Path(x) for x in glob.glob(pattern))
                if glob.has_magic(pattern)
                else [Path(pattern)]
            )
        )
    return Settings(
        token=token,
        admin_ids=frozenset(admins),
        knowledge_dir=Path(_get(env, "KNOWLEDGE_DIR") or PROJECT_ROOT / "knowledge"),
        data_dir=Path(_get(env, "DATA_DIR") or PROJECT_ROOT / "data"),
        default_lang=lang,
        api_base_url=base.rstrip("/") if base else None,
        log_level=level,
        webhook_url=webhook_url,
        webhook_listen=_get(env, "WEBHOOK_LISTEN") or "0.0.0.0",
        webhook_port=port,
        webhook_secret=secret,
        group_cooldown=cooldown,
        conversation_minutes=minutes,
        conversation_max=conversations,
        quality_sets=quality_sets,
        quality_margin=margin,
    )
