"""Conversation state: what each chat (or each user in a group) was last talking about.

A follow-up ("那au呢", "is it free?") is completed from the last answer of the same conversation.
State lives in memory only, for a limited time (`ttl` seconds) and for a bounded number of
conversations: the least recently used is forgotten first, so a flood of new chats costs a fixed
amount of memory. Nothing is persisted: after a restart, a follow-up is read on its own.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

from bot.engine import Context


class Conversations:
    """An LRU of (Context, last use) per conversation key, with a time-to-live."""

    def __init__(
        self,
        ttl: float = 15 * 60,
        max_size: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.max_size = max_size
        self.clock = clock
        self._items: OrderedDict[Hashable, tuple[Context, float]] = OrderedDict()

    def get(self, key: Hashable) -> Context | None:
        item = self._items.get(key)
        if item is None:
            return None
        context, at = item
        if self.clock() - at > self.ttl:
            del self._items[key]
            return None
        return context

    def put(self, key: Hashable, context: Context) -> None:
        items = self._items
        items[key] = (context, self.clock())
        items.move_to_end(key)
        while len(items) > self.max_size:
            items.popitem(last=False)

    def forget(self, key: Hashable) -> None:
        self._items.pop(key, None)

    def __len__(self) -> int:
        return len(self._items)
