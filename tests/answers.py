"""What a user reads of an answer, for tests that check its first line."""

from __future__ import annotations

from telegram_html import visible_text

from bot.compose import pick
from bot.engine import Engine, Reply
from bot.knowledge import KnowledgeBase
from bot.render import reply_text


def shown(engine: Engine, reply: Reply) -> list[str]:
    """The lines of the Telegram message a user gets: title, answer lines, blank, sources."""
    return visible_text(reply_text(reply, engine.snapshot).text).split("\n")


def first_line(engine: Engine, reply: Reply) -> str:
    """The first line under the title: the one that must answer the question."""
    assert reply.decision == "answer", reply
    return shown(engine, reply)[1]


def verdict(kb: KnowledgeBase, topic: str, carrier: str, lang: str) -> str:
    """A cell's verdict line."""
    return pick(kb.cells[(topic, carrier)].answer, lang)
