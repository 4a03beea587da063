"""Telegram faults through the emulator, against the session's bot (issue 5).

The emulator makes the bot's next call of a method fail the way Telegram or the network does:
flood control (429 with retry_after), server errors, a request that never gets an answer, a
connection closed mid-request, a user who blocked the bot, a group that became a supergroup, a
reply to a message that was deleted. Every test checks that the bot keeps serving other chats, and
the session's own check fails any test after which the bot logged ERROR, CRITICAL or a traceback:
these faults are expected, so a WARNING (or less) is the most they may log. The last test runs a
bot of its own, so its deliberately dropped reply cannot disturb the session's bot.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from bot.engine import Engine
from tests.e2e.client import E2E, WAIT
from tests.e2e.expected import LANG, answer, reply, ui

QUESTION = "mineo能把流量送给朋友吗"
BAD_LINE = re.compile(r"\b(ERROR|CRITICAL)\b|Traceback")


@dataclass(frozen=True)
class Expected:
    title: str  # the bold first line of the answer to QUESTION in a private chat
    card_line: str  # /policy mineo in a group: the card's one line


@pytest.fixture(scope="module")
def mineo(e2e: E2E) -> Expected:
    engine = Engine(e2e.knowledge)
    _, text, _ = reply(engine, QUESTION)
    return Expected(text.split("\n")[0], answer(engine, "@mineo", group=True)[0])


def title(expected: Expected) -> str:
    return expected.title


def calls_to(e2e: E2E, chat_id: int, method: str = "sendMessage") -> list[dict[str, Any]]:
    """The bot's calls of `method` to `chat_id`, faulted ones included, in arrival order."""
    return [
        c
        for c in e2e.client.call_log()
        if c["method"] == method and c["params"].get("chat_id") == chat_id
    ]


def wait_log(e2e: E2E, start: int, text: str) -> str:
    """The first log line after offset `start` that contains `text`, waiting for it."""
    end = time.monotonic() + WAIT
    while True:
        found = [line for line in e2e.log_text()[start:].splitlines() if text in line]
        if found:
            return found[0]
        assert time.monotonic() < end, f"no log line with {text!r} in {e2e.log}"
        time.sleep(0.02)


def served(e2e: E2E, mineo: Expected, chat_id: int) -> None:
    """A question in `chat_id` (a private chat) gets the answer."""
    e2e.client.send(QUESTION, chat_id, chat_id)
    [reply] = e2e.client.replies(chat_id)
    assert title(mineo) in reply["text"]


def test_flood_control_is_waited_out_and_the_reply_delivered(
    e2e: E2E, mineo: Expected, new_user: Callable[[], int]
):
    asker, other = new_user(), new_user()
    e2e.client.fault(
        "sendMessage",
        asker,
        status=429,
        description="Too Many Requests: retry after 1",
        parameters={"retry_after": 1},
    )
    e2e.client.send(QUESTION, asker, asker)
    [reply] = e2e.client.replies(asker)
    assert title(mineo) in reply["text"]
    refused, delivered = calls_to(e2e, asker)
    assert refused.get("fault") == "error" and "fault" not in delivered
    assert delivered["at"] - refused["at"] >= 1000  # it waited as long as Telegram asked
    served(e2e, mineo, other)


@pytest.mark.parametrize(
    ("fault", "logged"),
    [
        ({"status": 500, "description": "Internal Server Error"}, "WARNING network trouble"),
        ({"status": 502, "description": "Bad Gateway"}, "WARNING network trouble"),
        ({"action": "drop"}, "WARNING network trouble"),  # closed without an answer
        ({"status": 403, "description": "Forbidden: bot was blocked by the user"}, "INFO forbid"),
    ],
    ids=["500", "502", "connection-reset", "blocked-by-user"],
)
def test_a_failed_reply_is_logged_and_the_bot_serves_on(
    e2e: E2E,
    mineo: Expected,
    new_user: Callable[[], int],
    fault: dict[str, Any],
    logged: str,
):
    asker, other = new_user(), new_user()
    start = len(e2e.log_text())
    e2e.client.fault("sendMessage", asker, **fault)
    e2e.client.send(QUESTION, asker, asker)
    line = wait_log(e2e, start, f"in chat {asker}")
    level, what = logged.split(" ", 1)
    assert f" {level} " in line and what in line, line
    served(e2e, mineo, other)
    served(e2e, mineo, asker)  # the same chat works again once Telegram does
    assert [c.get("fault") for c in calls_to(e2e, asker)] == [fault.get("action", "error"), None]


def test_a_request_that_never_returns_times_out_without_holding_up_other_chats(
    e2e: E2E, mineo: Expected, new_user: Callable[[], int]
):
    asker, other = new_user(), new_user()
    start = len(e2e.log_text())
    e2e.client.fault("sendMessage", asker, action="hang", ms=30_000)
    e2e.client.send(QUESTION, asker, asker)
    e2e.client.wait_call("sendMessage", lambda p: p["chat_id"] == asker)
    served(e2e, mineo, other)  # while the bot still waits for Telegram in the first chat
    assert "Timed out" not in e2e.log_text()[start:]
    line = wait_log(e2e, start, f"in chat {asker}")  # PTB gives up after its 5 s read timeout
    assert " WARNING " in line and "Timed out" in line, line
    served(e2e, mineo, asker)


def test_a_group_that_became_a_supergroup_gets_the_reply_at_its_new_id(
    e2e: E2E, mineo: Expected, new_user: Callable[[], int], new_group: Callable[[], int]
):
    group, supergroup, member = new_group(), new_group(), new_user()
    e2e.client.fault(
        "sendMessage",
        group,
        status=400,
        description="Bad Request: group chat was upgraded to a supergroup chat",
        parameters={"migrate_to_chat_id": supergroup},
    )
    e2e.client.send(f"/policy@{e2e.bot_username} mineo", group, member)
    [reply] = e2e.client.replies(supergroup)
    assert reply["text"] == mineo.card_line
    assert [c.get("fault") for c in calls_to(e2e, group)] == ["error"]
    served(e2e, mineo, new_user())


def test_a_question_deleted_before_the_reply_is_answered_without_quoting_it(
    e2e: E2E, mineo: Expected, new_user: Callable[[], int], new_group: Callable[[], int]
):
    group, member = new_group(), new_user()
    e2e.client.fault(
        "sendMessage", group, status=400, description="Bad Request: message to be replied not found"
    )
    asked = e2e.client.send(f"/policy@{e2e.bot_username} mineo", group, member)
    [reply] = e2e.client.replies(group)
    assert reply["text"] == mineo.card_line
    refused, delivered = calls_to(e2e, group)
    assert refused["params"]["reply_parameters"]["message_id"] == asked
    assert "reply_parameters" not in delivered["params"]
    served(e2e, mineo, new_user())


ADMINISTRATOR = {  # what Telegram says of a group's administrator (every Bot API 9 field)
    "status": "administrator",
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": True,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": True,
    "can_edit_stories": True,
    "can_delete_stories": True,
    "can_pin_messages": True,
}


def test_a_group_administrator_is_not_an_operator(
    e2e: E2E, new_user: Callable[[], int], new_group: Callable[[], int]
):
    group, admin = new_group(), new_user()
    member = {**ADMINISTRATOR, "user": {"id": admin, "is_bot": False, "first_name": "Admin"}}
    e2e.client.stub("getChatMember", member)
    e2e.client.stub("getChatAdministrators", [member])
    try:
        start = len(e2e.log_text())
        commands = ("/reload", f"/stats@{e2e.bot_username}", "/unanswered", "/undo", "/history")
        for command in commands:
            e2e.client.send(command, group, admin)
            [reply] = e2e.client.replies(group)
            assert reply["text"] == ui(LANG, "not_operator")
        assert "reloaded" not in e2e.log_text()[start:]
    finally:
        e2e.client.stub("getChatMember", None)
        e2e.client.stub("getChatAdministrators", None)


def test_flood_control_that_outlasts_the_retry_is_one_warning(
    own_bot: Callable[..., E2E], mineo: Expected
):
    bot = own_bot(LOG_LEVEL="INFO")
    asker, other = 840_001, 840_002
    bot.client.fault(
        "sendMessage",
        asker,
        times=2,  # the retry is refused too: the reply is dropped
        status=429,
        description="Too Many Requests: retry after 1",
        parameters={"retry_after": 1},
    )
    bot.client.send(QUESTION, asker, asker)
    line = wait_log(bot, 0, f"flood control handling message in chat {asker}")
    assert " WARNING " in line, line
    served(bot, mineo, other)
    bad = [line for line in bot.log_text().splitlines() if BAD_LINE.search(line)]
    assert not bad, "\n".join(bad)
