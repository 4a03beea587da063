"""What the real bot process should send, built with the same engine and views the bot uses, so a
test names a question or a target (`tethering~ahamo`, `@mineo`), not the knowledge base's wording.
"""

from __future__ import annotations

import html
from typing import Any

from bot.compose import pick
from bot.engine import Context, Engine, Reply, Target
from bot.messages import t
from bot.telegram.views import reply_view, target_view
from tests.e2e.client import BOT_USERNAME

LANG = "zh-Hans"  # every emulated user's Telegram client is set to Simplified Chinese
CLIENT_LANG = "zh-hans"


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def ui(lang: str, key: str, **values: object) -> str:
    """An interface string as the bot sends it (HTML-escaped)."""
    return esc(t(lang, key, **values))


def target(engine: Engine, key: str) -> Target:
    found = Target.from_key(key, engine.snapshot.kb)
    assert found is not None, f"no target {key} in the knowledge base"
    return found


def markup_dict(markup: Any) -> dict[str, Any] | None:
    return markup.to_dict() if markup is not None else None


def answer(
    engine: Engine, key: str, lang: str = LANG, *, group: bool = False, **kwargs: Any
) -> tuple[str, dict[str, Any] | None]:
    """Target `key` as the bot shows it: text and keyboard (a private answer, or a group's line)."""
    text, markup = target_view(
        engine.snapshot, target(engine, key), lang, group=group, username=BOT_USERNAME, **kwargs
    )
    return text, markup_dict(markup)


def ask(engine: Engine, question: str, context: Context | None = None) -> Reply:
    """What the engine decides for `question`, asked as the emulated users ask."""
    return engine.ask(question, client_lang=CLIENT_LANG, context=context)


def reply(
    engine: Engine, question: str, *, group: bool = False, context: Context | None = None
) -> tuple[Reply, str, dict[str, Any] | None]:
    """The engine's decision for `question` and the message the bot should send for it."""
    decided = ask(engine, question, context)
    text, markup = reply_view(decided, engine.snapshot, group=group, username=BOT_USERNAME)
    return decided, text, markup_dict(markup)


def verdict(engine: Engine, topic: str, carrier: str, lang: str = LANG) -> str:
    """A cell's verdict line, as the bot sends it."""
    return esc(pick(engine.snapshot.kb.cells[(topic, carrier)].answer, lang))


# ------------------------------------------------------------------------------ messages


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    """Every inline button of a message the bot sent, row by row."""
    markup = message.get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]


def button_data(message: dict[str, Any]) -> list[str]:
    return [b["callback_data"] for b in buttons(message) if "callback_data" in b]


def body(text: str) -> list[str]:
    """The lines of an answer after its bold title, up to the sources."""
    head, _, rest = text.partition("\n")
    assert head.startswith("<b>") and head.endswith("</b>"), text
    return rest.split("\n\n")[0].split("\n")


# Questions the bot may clarify ("did you mean"), vaguest first. The matcher is tuned all the
# time, so tests take the first ones that clarify today instead of naming one.
VAGUE = ("流量", "数据", "流量用不完", "G", "ギガ", "余ったギガどうなる", "data")


def clarifying(engine: Engine, n: int = 1) -> list[str]:
    """`n` questions from VAGUE that the engine clarifies, with two or more choices each."""
    found = [
        q
        for q in VAGUE
        if (decided := ask(engine, q)).decision == "clarify" and len(decided.context.options) >= 2
    ]
    assert len(found) >= n, f"only {found} of {VAGUE} get a 'did you mean' today"
    return found[:n]
