"""User journeys through the real bot process, as Telegram would deliver them (issue 3).

Expected texts come from the engine and the views the bot uses (tests/e2e/expected.py), so the
tests follow the knowledge base's content; what they pin down is what reaches Telegram: which
message, to which chat and forum topic, quoting what, with which buttons, edited or new. The
reload journeys edit the bot's copy of the knowledge base; they run last and put it back.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.compose import target_title
from bot.config import Settings
from bot.engine import Engine
from bot.knowledge import load_knowledge
from bot.messages import t
from bot.telegram.views import encode
from tests.e2e.client import E2E, user
from tests.e2e.expected import (
    LANG,
    answer,
    ask,
    body,
    button_data,
    buttons,
    clarifying,
    esc,
    reply,
    ui,
    verdict,
)

QUESTION = "mineo能把流量送给朋友吗"


@pytest.fixture(scope="module")
def engine(e2e: E2E) -> Engine:
    """An engine on the knowledge the bot started with, for the expected replies."""
    return Engine(e2e.knowledge)


def sent_to(e2e: E2E, chat_id: int, method: str = "sendMessage") -> list[dict[str, Any]]:
    """The bot's calls of `method` to `chat_id` so far, in order."""
    return [c for c in e2e.client.calls(method) if c.get("chat_id") == chat_id]


# ------------------------------------------------------------------------------ answers


def test_private_question_gets_the_answer(e2e: E2E, engine: Engine, new_user: Callable[[], int]):
    decided, text, markup = reply(engine, QUESTION)
    assert (decided.decision, decided.target.key()) == ("answer", "gifting-overview~mineo")
    asker = new_user()
    e2e.client.send(QUESTION, asker, asker)
    [message] = e2e.client.replies(asker)
    assert message["text"] == text
    assert body(message["text"])[0] == verdict(engine, "gifting-overview", "mineo")
    assert message["reply_markup"] == markup
    assert message["parse_mode"] == "HTML"
    assert [b["text"] for b in buttons(message)][-2:] == ["👍", "👎"]


def test_mineo_gifting_then_au_then_its_price_then_thanks(
    e2e: E2E, engine: Engine, new_user: Callable[[], int]
):
    """Follow-ups in one private chat: another carrier, then an aspect; small talk is one line."""
    asker = new_user()

    def say(text: str) -> dict[str, Any]:
        e2e.client.send(text, asker, asker)
        [message] = e2e.client.replies(asker)
        return message

    first, first_text, _ = reply(engine, "mineo能送流量吗")
    assert first.decision == "answer" and first.carrier == "mineo"
    assert say("mineo能送流量吗")["text"] == first_text
    followed = say("那au呢")["text"]
    assert followed == answer(engine, "gifting-overview~au")[0]  # au's gifting answer
    assert body(followed)[0] == verdict(engine, "gifting-overview", "au")
    # au's price is its データプレゼント's: that entry, led by its price line.
    swapped = reply(engine, "那au呢", context=first.context)[0]
    priced, priced_text, _ = reply(engine, "要钱吗", context=swapped.context)
    assert (priced.id, priced.carrier) == ("au-data-present", "au")
    assert body(say("要钱吗")["text"])[0] == body(priced_text)[0]
    assert "0.5GB 550" in body(priced_text)[0]
    thanks = say("谢谢")
    assert thanks["text"] == ui(LANG, "smalltalk_thanks")
    assert "\n" not in thanks["text"] and "reply_markup" not in thanks


# ------------------------------------------------------------------------------ did you mean


def test_clarify_is_buttons_only_and_a_pick_edits_it_into_the_answer(
    e2e: E2E, engine: Engine, new_user: Callable[[], int]
):
    [vague] = clarifying(engine)
    decided, text, markup = reply(engine, vague)
    options, lang = decided.context.options, decided.lang
    asker = new_user()
    e2e.client.send(vague, asker, asker)
    [menu] = e2e.client.replies(asker)
    assert menu["text"] == text
    assert not re.search(r"^\s*\d+\s*[.)、．]", menu["text"], re.MULTILINE)  # no numbered list
    assert esc(t(lang, "clarify_pick")) not in menu["text"]
    assert button_data(menu) == [encode("a", lang, o.key()) for o in options] + [encode("n", lang)]
    assert buttons(menu)[-1]["text"] == t(lang, "none_of_these")
    assert menu["reply_markup"] == markup

    picked = options[1]  # not simply the first
    e2e.client.press(menu, encode("a", lang, picked.key()), asker)
    edit = e2e.client.wait_call(
        "editMessageText",
        lambda p: p["chat_id"] == asker and p["message_id"] == menu["message_id"],
    )
    expected_text, expected_markup = answer(engine, picked.key(), lang)
    assert edit["text"] == expected_text
    assert edit["reply_markup"] == expected_markup
    assert not sent_to(e2e, asker)[1:], "a pick edits the menu; it sends nothing new"


def test_none_of_these_edits_the_menu_into_a_thank_you(
    e2e: E2E, engine: Engine, new_user: Callable[[], int]
):
    [vague] = clarifying(engine)
    lang = ask(engine, vague).lang
    asker = new_user()
    e2e.client.send(vague, asker, asker)
    [menu] = e2e.client.replies(asker)
    e2e.client.press(menu, encode("n", lang), asker)
    edit = e2e.client.wait_call(
        "editMessageText",
        lambda p: p["chat_id"] == asker and p["message_id"] == menu["message_id"],
    )
    assert edit["text"] == ui(lang, "dismissed")
    assert not edit.get("reply_markup")


@pytest.mark.parametrize("number", [1, 2])
def test_in_a_group_a_number_replied_to_the_clarify_gets_that_answer(
    e2e: E2E,
    engine: Engine,
    new_user: Callable[[], int],
    new_group: Callable[[], int],
    number: int,
):
    [vague] = clarifying(engine)
    decided, text, markup = reply(engine, vague, group=True)
    assert decided.decision == "clarify"
    group, asker = new_group(), new_user()
    asked = e2e.client.send(vague, group, asker, mention=e2e.bot_username)
    [menu] = e2e.client.replies(group)
    assert menu["text"] == text and menu["reply_markup"] == markup
    assert menu["reply_parameters"]["message_id"] == asked

    typed = e2e.client.send(str(number), group, asker, reply_to=menu)
    [picked] = e2e.client.replies(group)
    expected_text, expected_markup = answer(
        engine, decided.context.options[number - 1].key(), decided.lang, group=True
    )
    assert picked["text"] == expected_text
    assert picked["reply_markup"] == expected_markup
    assert picked["reply_parameters"]["message_id"] == typed


def test_in_a_group_two_members_pick_different_numbers_from_one_clarify(
    e2e: E2E,
    engine: Engine,
    new_user: Callable[[], int],
    new_group: Callable[[], int],
):
    """The cooldown holds back the second member's repeat of the question (the clarify is
    right there), but never a number picked from it: both members get their answer."""
    [vague] = clarifying(engine)
    decided = ask(engine, vague)
    options, lang = decided.context.options, decided.lang
    group, first, second = new_group(), new_user(), new_user()
    e2e.client.send(vague, group, first, mention=e2e.bot_username)
    [menu] = e2e.client.replies(group)
    one = e2e.client.send("1", group, first, reply_to=menu)
    [picked_one] = e2e.client.replies(group)
    assert picked_one["text"] == answer(engine, options[0].key(), lang, group=True)[0]
    assert picked_one["reply_parameters"]["message_id"] == one

    e2e.client.send(vague, group, second, mention=e2e.bot_username)  # a repeat: held back
    two = e2e.client.send("2", group, second, reply_to=menu)
    [picked_two] = e2e.client.replies(group)
    assert picked_two["text"] == answer(engine, options[1].key(), lang, group=True)[0]
    assert picked_two["reply_parameters"]["message_id"] == two
    assert len(sent_to(e2e, group)) == 3


# ------------------------------------------------------------------------------ forum topics


def test_in_a_forum_topic_answers_clarify_and_picks_stay_in_the_topic(
    e2e: E2E,
    engine: Engine,
    new_user: Callable[[], int],
    new_group: Callable[[], int],
):
    group = new_group()
    topic_a, topic_b = 4242, 4343  # each step by another member: no follow-ups in between
    client, bot = e2e.client, e2e.bot_username
    first, second, third = clarifying(engine, 3)  # three: a repeat would meet the cooldown

    asker = new_user()
    client.send(QUESTION, group, asker, mention=bot, thread=topic_a)
    [answered] = client.replies(group)
    assert answered["text"] == reply(engine, QUESTION, group=True)[1]

    # A pick by button edits the clarify in place: the answer is where the clarify was.
    decided, asker = ask(engine, first), new_user()
    client.send(first, group, asker, mention=bot, thread=topic_a)
    [menu] = client.replies(group)
    assert button_data(menu)[-1] == encode("n", decided.lang)
    picked = decided.context.options[0]
    client.press(menu, encode("a", decided.lang, picked.key()), asker)
    edit = client.wait_call(
        "editMessageText",
        lambda p: p["chat_id"] == group and p["message_id"] == menu["message_id"],
    )
    assert edit["text"] == answer(engine, picked.key(), decided.lang, group=True)[0]

    # A number typed in reply to a clarify, in another topic: answered in that topic.
    decided, asker = ask(engine, second), new_user()
    client.send(second, group, asker, mention=bot, thread=topic_b)
    [menu] = client.replies(group)
    typed = client.send("2", group, asker, reply_to=menu, thread=topic_b)
    [picked_message] = client.replies(group)
    picked = decided.context.options[1]
    assert picked_message["text"] == answer(engine, picked.key(), decided.lang, group=True)[0]
    assert picked_message["reply_parameters"]["message_id"] == typed

    # When Telegram refuses the edit, the answer comes as a new message: in the same topic.
    decided, asker = ask(engine, third), new_user()
    client.send(third, group, asker, mention=bot, thread=topic_b)
    [menu] = client.replies(group)
    client.fault(
        "editMessageText", group, status=400, description="Bad Request: message can't be edited"
    )
    picked = decided.context.options[0]
    client.press(menu, encode("a", decided.lang, picked.key()), asker)
    [instead] = client.replies(group)
    assert instead["text"] == answer(engine, picked.key(), decided.lang, group=True)[0]

    client.send(f"/policy@{bot} mineo", group, new_user(), thread=topic_a)
    client.replies(group)
    sent = [c.get("message_thread_id") for c in sent_to(e2e, group)]
    assert sent == [topic_a, topic_a, topic_b, topic_b, topic_b, topic_b, topic_a]


def test_the_same_question_in_two_forum_topics_is_answered_in_each(
    e2e: E2E, new_user: Callable[[], int], new_group: Callable[[], int]
):
    group, first, second = new_group(), new_user(), new_user()
    e2e.client.send(QUESTION, group, first, mention=e2e.bot_username, thread=11)
    e2e.client.send(QUESTION, group, second, mention=e2e.bot_username, thread=12)
    barrier = e2e.client.send(f"/policy@{e2e.bot_username} au", group, second, thread=12)
    replies = e2e.client.replies(group, 2)
    if replies[-1]["reply_parameters"]["message_id"] != barrier:
        replies += e2e.client.replies(group)
    assert [m["message_thread_id"] for m in replies] == [11, 12, 12]


# ------------------------------------------------------------------------------ groups


def test_policy_command_in_group_shows_the_card_line(
    e2e: E2E, engine: Engine, new_user: Callable[[], int], new_group: Callable[[], int]
):
    group, member = new_group(), new_user()
    e2e.client.send(f"/policy@{e2e.bot_username} mineo", group, member)
    [message] = e2e.client.replies(group)
    text, markup = answer(engine, "@mineo", group=True)
    assert message["text"] == text
    assert message["reply_markup"] == markup  # "details": a deep link into a private chat
    assert buttons(message)[0]["url"].endswith("?start=c_mineo")


def test_policy_as_reply_answers_the_replied_message(
    e2e: E2E, engine: Engine, new_user: Callable[[], int], new_group: Callable[[], int]
):
    group, asker, helper = new_group(), new_user(), new_user()
    asked = e2e.client.send(QUESTION, group, asker)  # not addressed to the bot: no reply
    e2e.client.send("/policy", group, helper, reply_to=asked)
    [message] = e2e.client.replies(group)
    assert message["reply_parameters"]["message_id"] == asked
    assert message["text"] == reply(engine, QUESTION, group=True)[1]


def test_group_chatter_is_ignored(
    e2e: E2E, new_user: Callable[[], int], new_group: Callable[[], int]
):
    group, member = new_group(), new_user()
    e2e.client.send("今晚谁去吃拉面？", group, member)
    e2e.client.send(QUESTION, group, member)  # a question, but meant for the group
    # Updates of one chat are handled in arrival order and ignoring one takes no I/O, so by the
    # time the bot answers this command it has dealt with the two messages above.
    barrier = e2e.client.send(f"/policy@{e2e.bot_username} mineo", group, member)
    e2e.client.replies(group)
    assert [c["reply_parameters"]["message_id"] for c in sent_to(e2e, group)] == [barrier]


def test_reload_is_refused_for_non_operators(e2e: E2E, new_user: Callable[[], int]):
    stranger = new_user()
    e2e.client.send("/reload", stranger, stranger)
    [message] = e2e.client.replies(stranger)
    assert message["text"] == ui(LANG, "not_operator")


def feedback_rows(database: Path) -> list[tuple]:
    if not database.exists():
        return []
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT entry_id, vote, kb_version, target FROM feedback").fetchall()


def test_thumbs_up_is_stored(e2e: E2E, engine: Engine, new_user: Callable[[], int]):
    database = Settings(data_dir=e2e.data_dir).database
    before = feedback_rows(database)
    asker = new_user()
    e2e.client.send(QUESTION, asker, asker)
    [message] = e2e.client.replies(asker)
    [thumbs_up] = [b for b in buttons(message) if b["text"] == "👍"]
    e2e.client.press(message, thumbs_up["callback_data"], asker)
    e2e.client.wait_call(
        "answerCallbackQuery", lambda p: p.get("text") == t(LANG, "thanks_feedback")
    )

    expected = ("mineo", 1, engine.snapshot.version, "gifting-overview~mineo")
    end = time.monotonic() + 5
    while expected not in feedback_rows(database)[len(before) :]:
        assert time.monotonic() < end, f"no {expected} in {feedback_rows(database)}"
        time.sleep(0.01)


def test_inline_query_lists_matching_articles(
    e2e: E2E, engine: Engine, new_user: Callable[[], int]
):
    query, asker = "mineo 送流量", new_user()
    expected = engine.search(query, limit=10)
    assert "gifting-overview~mineo" in [x.key() for x in expected]
    query_id = f"e2e-{asker}"
    e2e.client.raw_update(
        {
            "inline_query": {
                "id": query_id,
                "from": user(asker),
                "query": query,
                "offset": "",
                "chat_type": "sender",
            }
        }
    )
    found = e2e.client.wait_call("answerInlineQuery", lambda p: p["inline_query_id"] == query_id)
    results = found["results"]
    assert [r["id"] for r in results] == [x.key() for x in expected]
    assert {r["type"] for r in results} == {"article"}
    for result, expected_target in zip(results, expected, strict=True):
        assert result["title"] == target_title(engine.snapshot, expected_target, LANG)
        message_text = result["input_message_content"]["message_text"]
        assert message_text.startswith(f"<b>{esc(result['title'])}</b>\n")


# ------------------------------------------------------------------------------ /reload


@pytest.fixture
def mineo_file(e2e: E2E) -> Iterator[Path]:
    """mineo.yaml in the bot's knowledge copy; its text is put back after the test."""
    path = e2e.knowledge / "carriers" / "mineo.yaml"
    original = path.read_text(encoding="utf-8")
    yield path
    path.write_text(original, encoding="utf-8")


def ask_privately(e2e: E2E, asker: int, question: str = QUESTION) -> str:
    e2e.client.send(question, asker, asker)
    [message] = e2e.client.replies(asker)
    return message["text"]


def reload(e2e: E2E, group: int, command: str = "/reload") -> str:
    """/reload from the operator in a group; the bot's reply."""
    e2e.client.send(command, group, e2e.operator_id)
    [message] = e2e.client.replies(group)
    return message["text"]


def test_broken_reload_keeps_old_answers_and_names_the_line(
    e2e: E2E,
    engine: Engine,
    mineo_file: Path,
    new_user: Callable[[], int],
    new_group: Callable[[], int],
):
    lines = mineo_file.read_text(encoding="utf-8").splitlines(keepends=True)
    broken = next(n for n, line in enumerate(lines, 1) if line.lstrip().startswith("label:"))
    lines[broken - 1] = lines[broken - 1].rstrip("\n") + " : : {\n"  # a YAML syntax error
    mineo_file.write_text("".join(lines), encoding="utf-8")

    text = reload(e2e, new_group())
    assert text.startswith("❌")
    assert f"mineo.yaml:{broken}:" in text
    assert engine.snapshot.version in text  # still serving it
    assert ask_privately(e2e, new_user()) == reply(engine, QUESTION)[1]


def test_reload_reports_the_change_and_serves_it(
    e2e: E2E,
    engine: Engine,
    mineo_file: Path,
    new_user: Callable[[], int],
    new_group: Callable[[], int],
):
    original = mineo_file.read_text(encoding="utf-8")
    old_line = verdict(engine, "gifting-overview", "mineo")
    new_line = "【已更新】" + old_line
    assert original.count(old_line) == 1
    mineo_file.write_text(original.replace(old_line, new_line), encoding="utf-8")
    old, new = engine.snapshot.version, load_knowledge(e2e.knowledge).version
    group = new_group()

    text = reload(e2e, group)
    assert re.search(rf"{old}.*→.*{new}", text), f"no '{old} → {new}' in {text!r}"
    assert "Changed (1): mineo" in text
    assert re.search(r"Quality: answered-correct [\d.]+% → [\d.]+%", text), text
    assert body(ask_privately(e2e, new_user()))[0] == new_line

    mineo_file.write_text(original, encoding="utf-8")
    assert re.search(rf"{new}.*→.*{old}", reload(e2e, group))
    assert body(ask_privately(e2e, new_user()))[0] == old_line


def test_token_never_appears_in_the_log(e2e: E2E):
    """Runs last, so the log covers every journey above (the session end checks it once more)."""
    text = e2e.log_text()
    secret = e2e.token.partition(":")[2]
    assert "getUpdates" in text  # DEBUG level: every Bot API call is in here, minus the token
    assert secret not in text
