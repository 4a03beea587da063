"""The real Application from `build_application`, on a fake Bot API (see fakes.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.engine import Engine
from bot.store import Store
from bot.telegram.app import build_application
from tests.telegram.fakes import OPERATOR_ID, TOKEN, FakeBotAPI, Harness

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


@pytest.fixture(scope="session")
def shared_engine() -> Engine:
    """The real knowledge base, loaded once; tests that reload build their own engine."""
    return Engine(KNOWLEDGE, default_lang="zh-Hans")


@pytest.fixture
def engine(shared_engine: Engine) -> Engine:
    return shared_engine


@pytest.fixture
def settings(tmp_path: Path, engine: Engine) -> Settings:
    return Settings(
        token=TOKEN,
        admin_ids=frozenset({OPERATOR_ID}),
        knowledge_dir=engine.root,
        data_dir=tmp_path / "data",
        default_lang="zh-Hans",
        group_cooldown=60.0,
    )


@pytest.fixture
async def tg(settings: Settings, engine: Engine) -> AsyncIterator[Harness]:
    store = Store(settings.database)
    api = FakeBotAPI()
    app = build_application(settings, engine, store, request=api, get_updates_request=FakeBotAPI())
    async with app:
        yield Harness(app, api, store)
    store.close()
