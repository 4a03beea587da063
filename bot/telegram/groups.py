"""Group rules: when a group message is meant for the bot, and how often it may repeat itself.

In a group the bot speaks only when spoken to: its commands (/policy, /help, or /cmd@ThisBot;
/cmd@OtherBot never), a reply to one of its messages, or a message that mentions it. That is also
all Telegram delivers with privacy mode on, so the bot behaves the same either way.

Cooldown: the same entry (or the same help, clarify or fallback text) is not posted again in the
same chat within `settings.group_cooldown` seconds. A repeat inside that window is dropped
silently: the earlier answer is still on screen a few messages up, and a bot that replies
"already answered" to every repeat is exactly the noise the cooldown exists to prevent. Private
chats have no cooldown.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from telegram import Bot, Message, MessageEntity

MAX_TRACKED = 10_000


class Cooldown:
    """Remembers when each (chat, key) was last posted."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self._last: dict[tuple[int, str], float] = {}

    def allow(self, chat_id: int, key: str) -> bool:
        """True (and start the window) if `key` may be posted in `chat_id` now."""
        now = self.clock()
        last = self._last.get((chat_id, key))
        if last is not None and now - last < self.seconds:
            return False
        if len(self._last) >= MAX_TRACKED:
            self._last = {k: v for k, v in self._last.items() if now - v < self.seconds}
        self._last[(chat_id, key)] = now
        return True


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


def addressed_text(message: Message, bot: Bot) -> str | None:
    """The question in a group message meant for the bot; None for ordinary chatter."""
    text, mentioned = strip_own_mentions(message, bot)
    replied = message.reply_to_message
    to_bot = (
        replied is not None and replied.from_user is not None and replied.from_user.id == bot.id
    )
    return text if mentioned or to_bot else None
