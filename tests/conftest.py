"""Fixtures shared by every test folder. Keep this small and generic; append, don't reorganize."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A private copy of the real knowledge base, free to edit or break."""
    return Path(shutil.copytree(KNOWLEDGE, tmp_path / "knowledge"))
