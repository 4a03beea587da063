"""Group rules: when a group message is meant for the bot, and how often it may repeat itself.

In a group the bot speaks only when spoken to: its commands (/policy, /help, or /cmd@ThisBot;
/cmd@OtherBot never), a reply to one of its messages, or a message that mentions it. That is also
all Telegram delivers with privacy mode on, so the bot behaves the same either way.

Cooldown: the same answer to the same question is not posted again in the same chat within
`settings.group_cooldown` seconds: that is someone repeating themselves (or a command spammed).
A different question, even one that gets the same answer, is answered. A repeat is dropped
silently, unless the user replied to the bot: then a one-line pointer to the earlier answer.
Picks from a "did you mean" are never held back. Private chats have no cooldown.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from telegram import Bot, Message, MessageEntity

MAX_TRACKED = 10_000


class Cooldown:
    """Remembers when each (chat, key) was last posted, and as which message."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self._last: dict[tuple[int, str], tuple[float, int]] = {}

    def earlier(self, chat_id: int, key: str) -> int | None:
        """The id of the message that answered `key` in `chat_id` within the cooldown."""
        last = self._last.get((chat_id, key))
        if last is not None and self.clock() - last[0] < self.seconds:
            return last[1]
        return None

    def remember(self, chat_id: int, key: str, message_id: int) -> None:
        now = self.clock()
        if len(self._last) >= MAX_TRACKED:
            self._last = {k: v for k, v in self._last.items() if now - v[0] < self.seconds}
        self._last[(chat_id, key)] = (now, message_id)


def strip_own_mentions(message: Message, bot: Bot) -> tuple[str, bool]:
    """The message text without @ThisBot mentions, and whether there was one."""
    text = message.text or ""
    username = f"@{bot.username}".lower()
    mentioned = False
    entities = message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION])
    for entity, value in entities.items():
        if (entity.type == MessageEntity.MENTION and value.lower() == username) or (
            entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot.id
        ):
            mentioned = True
            text = text.replace(value, " ")
    return " ".join(text.split()), mentioned


def addressed_text(message: Message, bot: Bot) -> tuple[str, bool] | None:
    """The question in a group message meant for the bot, and whether it replies to the bot;
    None for ordinary chatter."""
    text, mentioned = strip_own_mentions(message, bot)
    replied = message.reply_to_message
    to_bot = (
        replied is not None and replied.from_user is not None and replied.from_user.id == bot.id
    )
    return (text, to_bot) if mentioned or to_bot else None
