"""Fixtures shared by every test folder. Keep this small and generic; append, don't reorganize."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.knowledge import KnowledgeBase

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A private copy of the real knowledge base, free to edit or break."""
    return Path(shutil.copytree(KNOWLEDGE, tmp_path / "knowledge"))


@pytest.fixture(scope="module")
def engine() -> Engine:
    """The shipped knowledge base, loaded once per test module (directories may override)."""
    return Engine(KNOWLEDGE)


@pytest.fixture(scope="module")
def kb(engine: Engine) -> KnowledgeBase:
    return engine.snapshot.kb
