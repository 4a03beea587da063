"""What users should see, built with the same views the bot uses (so a test names a target, not
the wording of the knowledge base)."""

from __future__ import annotations

import html

from bot.compose import summary_line
from bot.engine import Engine, Target
from bot.messages import t
from bot.telegram.views import target_view


def ui(lang: str, key: str, **values: object) -> str:
    """An interface string as the bot sends it (HTML-escaped)."""
    return html.escape(t(lang, key, **values), quote=False)


def target(engine: Engine, key: str) -> Target:
    found = Target.from_key(key, engine.snapshot.kb)
    assert found is not None, key
    return found


def private_answer(engine: Engine, key: str, lang: str = "zh-Hans", **kwargs: object) -> str:
    """The full answer to target `key`, as a private chat shows it."""
    text, _ = target_view(
        engine.snapshot, target(engine, key), lang, group=False, username=None, **kwargs
    )
    return text


def group_line(engine: Engine, key: str, lang: str = "zh-Hans") -> str:
    """The one line a group gets for target `key`."""
    return html.escape(summary_line(engine.snapshot, target(engine, key), lang), quote=False)
