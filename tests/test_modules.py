"""Module hygiene that linters do not check."""

from __future__ import annotations

import ast
import collections
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"


@pytest.mark.parametrize("path", sorted(BOT.rglob("*.py")), ids=lambda p: p.name)
def test_no_module_level_name_is_bound_twice(path: Path) -> None:
    """A pattern defined again further down a module silently replaces the first one for every
    function that uses it (ruff only reports redefined imports and functions)."""
    counts: collections.Counter[str] = collections.Counter()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign):
            counts.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            counts[node.target.id] += 1
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            counts[node.name] += 1
    assert [name for name, n in counts.items() if n > 1] == []
