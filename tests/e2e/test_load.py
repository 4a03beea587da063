"""Many users at once through real processes (issue 5): nothing lost, each chat answered in order,
and memory that does not grow with the number of messages.

The bot here is `python -m bot run` with AIORateLimiter's sending caps lifted (see
`tests.e2e.client.UNCAPPED`): as shipped it holds replies to Telegram's 30 a second and 20 a minute
per group, so 400 group questions would take minutes. The group cooldown is off for the same
reason (every question gets its reply, even a repeat). Sizes are small enough for `make test`;
`benchmarks/e2e_load.py` runs the full ones (2,000 messages from 200 users in 20 chats, a
10,000-message soak) and prints the figures.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterator
from itertools import count

import pytest

from tests.e2e.client import E2E, ROOT, Burst, StartupError, bot_stack, burst

MESSAGES, USERS, CHATS = 400, 40, 8
SOAK_ROUNDS = 3  # of MESSAGES each, after one round to warm up
# A leak of a few KB per message shows as megabytes; the bot grows ~1 MB over 2,000 when well.
LEAK_KB_PER_MESSAGE = 5
GROWTH_LIMIT_KB = LEAK_KB_PER_MESSAGE * SOAK_ROUNDS * MESSAGES
BAD_LINE = re.compile(r"\b(ERROR|CRITICAL)\b|Traceback")
_groups = count()


@pytest.fixture(scope="module")
def load_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[E2E]:
    tmp = tmp_path_factory.mktemp("load")
    try:
        with bot_stack(
            tmp,
            ROOT / "knowledge",
            tmp / "data",
            uncapped=True,
            GROUP_COOLDOWN_SECONDS="0",
            LOG_LEVEL="INFO",  # as in production; DEBUG logs every request of the burst
        ) as bot:
            yield bot
    except StartupError as exc:
        pytest.fail(str(exc), pytrace=False)
    bad = [line for line in bot.log_text().splitlines() if BAD_LINE.search(line)]
    assert not bad, f"the load bot logged errors ({bot.log}):\n" + "\n".join(bad[:20])


def run(bot: E2E) -> Burst:
    """One burst in groups of its own; every question answered, in order, nothing odd seen."""
    result = burst(bot, MESSAGES, USERS, CHATS, first_chat=-1_009_000_000_000 - 100 * next(_groups))
    assert result.replies == result.messages, f"{result.replies}/{result.messages} answered"
    assert not result.errors
    assert not result.out_of_order(), "replies came out of order in some chats"
    return result


def test_a_burst_from_many_users_is_answered_in_order_in_every_chat(load_bot: E2E):
    result = run(load_bot)
    trips = sorted(result.round_trips_ms)
    p99 = statistics.quantiles(trips, n=100)[98]
    print(
        f"\n{MESSAGES} questions from {USERS} users in {CHATS} groups, sent as fast as one client "
        f"can: all answered in {result.seconds:.1f} s, in order; round trip p50 "
        f"{statistics.median(trips):.0f} ms, p99 {p99:.0f} ms (queueing included)"
    )


def test_a_soak_does_not_grow_memory(load_bot: E2E):
    run(load_bot)  # warm up: caches, the database's pages, the allocator's arenas
    before = load_bot.rss_kb()
    for _ in range(SOAK_ROUNDS):
        run(load_bot)
    after = load_bot.rss_kb()
    print(
        f"\nsoak of {SOAK_ROUNDS * MESSAGES} questions: bot RSS {before / 1024:.1f} MB before, "
        f"{after / 1024:.1f} MB after"
    )
    assert after - before < GROWTH_LIMIT_KB
