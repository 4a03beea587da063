"""The operators' loop (issue 11) and the quality gate, end to end through real bot processes.

A user asks something the bot cannot place; an operator (ADMIN_USER_IDS) finds it with
/unanswered, taps the answer it should have had, confirms, and the bot answers it from then on,
also after a restart (the sample lives in KNOWLEDGE_DIR/learned.yaml); /undo takes it back and
/history lists both changes. Nobody else can do any of it. A knowledge change that breaks the
self-test is refused, even forced; one that only the quality gate refuses is refused unless an
operator forces it, which the log says.

Every bot here has its own knowledge copy (these tests change it) and its own emulator; their logs
are checked here, like the session bot's, for errors and the token.
"""

from __future__ import annotations

import html
import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.compose import target_title
from bot.engine import Engine, Target
from bot.knowledge import load_knowledge
from bot.language import script_language
from tests.e2e.client import E2E, ROOT, WAIT, EmuClient, StartupError, bot_stack, stop
from tests.e2e.expected import LANG, ask, buttons, esc, reply, ui

# Questions that clearly belong to a topic but that the bot could not place when this was written
# ("did you mean", or nothing), and that one learned sample teaches. The matcher is tuned all the
# time, so the test takes the first that is still not answered by its topic.
UNPLACED = (
    ("余ったギガどうなる", "carryover"),  # what happens to leftover gigabytes?
    ("leftover gigs what happens", "carryover"),
    ("buy gigs for my friend", "top-up-for-friend"),
)
GATE_WAIT = 60.0  # seconds: a change is measured on every evaluation set before it is swapped in
BAD_LINE = re.compile(r"\b(ERROR|CRITICAL)\b|Traceback")
QUALITY = re.compile(r"Quality: answered-correct \d+\.\d% → \d+\.\d%")


def copy_knowledge(where: Path) -> Path:
    return Path(shutil.copytree(ROOT / "knowledge", where / "knowledge"))


def assert_clean_log(bot: E2E) -> None:
    text = bot.log_text()
    bad = [line for line in text.splitlines() if BAD_LINE.search(line)]
    assert not bad, f"the bot logged errors ({bot.log}):\n" + "\n".join(bad[:20])
    assert bot.token.partition(":")[2] not in text, f"the bot logged its token ({bot.log})"


def say(client: EmuClient, chat_id: int, user_id: int, text: str, timeout: float = WAIT) -> str:
    """Send `text`; the bot's one reply."""
    client.send(text, chat_id, user_id)
    [message] = client.replies(chat_id, timeout=timeout)
    return message["text"]


class Edits:
    """The edits of one bot message, in order: `next()` waits for the next one."""

    def __init__(self, client: EmuClient, message: dict[str, Any]) -> None:
        self.client, self.message, self.seen = client, message, 0

    def all(self) -> list[dict[str, Any]]:
        chat_id, message_id = self.message["chat_id"], self.message["message_id"]
        return [
            p
            for p in self.client.calls("editMessageText")
            if p["chat_id"] == chat_id and p["message_id"] == message_id
        ]

    def next(self, timeout: float = WAIT) -> dict[str, Any]:
        end = time.monotonic() + timeout
        while len(edits := self.all()) <= self.seen:
            assert time.monotonic() < end, f"no edit #{self.seen + 1} of {self.message}"
            time.sleep(0.01)
        self.seen += 1
        return edits[self.seen - 1]


def refusals(client: EmuClient, lang: str = LANG) -> int:
    """How many button presses the bot has refused with "operators only"."""
    text = ui(lang, "not_operator")
    return sum(
        1
        for p in client.calls("answerCallbackQuery")
        if p.get("text") == text and p.get("show_alert") is True
    )


# ------------------------------------------------------------------------------ the loop


def test_operators_teach_an_unanswered_question_and_undo_it_and_it_survives_a_restart(
    own_bot: Callable[..., E2E], tmp_path: Path
):
    knowledge = copy_knowledge(tmp_path)
    engine = Engine(knowledge)
    unplaced = [(q, t) for q, t in UNPLACED if ask(engine, q).decision in ("none", "clarify")]
    assert unplaced, f"every one of {UNPLACED} is answered today: add one the bot cannot place"
    [(question, topic), *_] = unplaced
    before, before_text, _ = reply(engine, question)
    original = engine.snapshot.version
    title = target_title(engine.snapshot, Target("overview", topic), "en")
    data = tmp_path / "data"
    bot = own_bot(knowledge=knowledge, data_dir=data, LOG_LEVEL="INFO")
    client, operator = bot.client, bot.operator_id
    asker, stranger, group = 861_001, 861_002, -1_008_610_000_001

    assert say(client, asker, asker, question) == before_text  # not answered
    for command in ("/unanswered", "/undo", "/history"):
        assert say(client, stranger, stranger, command) == ui(LANG, "not_operator")

    # The operator's digest, in a group both are in: the question, with what to teach it.
    client.send("/unanswered", group, operator)
    header, digest = client.replies(group, 2)
    assert header["text"].startswith("<b>Unanswered")
    mark = {"none": "∅", "clarify": "?"}[before.decision]
    assert digest["text"] == f"×1 {mark} {esc(question)}"
    labels = [b["text"] for b in buttons(digest)]
    assert labels[-3:] == ["🚫 never answer", "🆕 new topic needed", "🙈 ignore"]
    candidates = labels[:-3]
    assert 1 <= len(candidates) <= 3 and all(label.startswith("➕ ") for label in candidates)
    assert f"➕ {title}" in candidates, candidates
    teach = buttons(digest)[labels.index(f"➕ {title}")]["callback_data"]
    ignore = buttons(digest)[-1]["callback_data"]
    edits = Edits(client, digest)

    # Somebody else taps the digest's buttons (or forges a confirmation): refused, no change.
    for data_ in (teach, teach.replace(":l:", ":y:", 1), ignore):
        refused = refusals(client)
        client.press(digest, data_, stranger)
        end = time.monotonic() + WAIT
        while refusals(client) == refused:
            assert time.monotonic() < end, f"no refusal for {data_}"
            time.sleep(0.01)
    assert not edits.all()
    assert not (knowledge / "learned.yaml").exists()

    # Tap, cancel, tap again, confirm.
    client.press(digest, teach, operator)
    confirm = edits.next()
    assert confirm["text"] == f"Add “{esc(question)}” as a way to ask <b>{esc(title)}</b>?"
    assert [b["text"] for b in buttons(confirm)] == ["✅ add", "✖ cancel"]
    [add, cancel] = [b["callback_data"] for b in buttons(confirm)]
    client.press(digest, cancel, operator)
    back = edits.next()
    assert back["text"] == digest["text"] and back["reply_markup"] == digest["reply_markup"]
    client.press(digest, teach, operator)
    assert edits.next()["text"] == confirm["text"]
    client.press(digest, add, operator)
    learned = edits.next(timeout=GATE_WAIT)["text"]

    taught = load_knowledge(knowledge).version
    assert taught != original
    assert learned.startswith(f"✅ Learned: <code>{original}</code> → <code>{taught}</code>."), (
        learned
    )
    lang = script_language(question)
    line = html.escape(f'- {{q: "{question}", target: "{topic}", lang: "{lang}", by: "{operator}"')
    assert f"<code>+ {line}" in learned, learned  # the diff: the line learned.yaml got
    assert QUALITY.search(learned), learned
    [sample] = yaml.safe_load((knowledge / "learned.yaml").read_text(encoding="utf-8"))["learned"]
    assert (sample["q"], sample["target"], sample["by"]) == (question, topic, str(operator))

    # From now on the question gets that answer; the digest has nothing left to show.
    after, after_text, _ = reply(Engine(knowledge), question)
    assert (after.decision, after.target.topic) == ("answer", topic)
    assert say(client, asker + 10, asker + 10, question) == after_text
    assert say(client, group, operator, "/unanswered").startswith("No unanswered")
    assert say(client, stranger, stranger, "/undo") == ui(LANG, "not_operator")
    assert (knowledge / "learned.yaml").exists()  # the refused /undo changed nothing
    history = say(client, operator, operator, "/history")
    assert f"by {operator}: learn <code>{original}</code> → <code>{taught}</code>" in history

    # A new bot process on the same knowledge and data folders still knows it.
    assert stop(bot.process) == 0
    restarted = own_bot(knowledge=knowledge, data_dir=data, LOG_LEVEL="INFO")
    client = restarted.client
    assert say(client, asker + 20, asker + 20, question) == after_text

    undone = say(client, operator, operator, "/undo", timeout=GATE_WAIT)
    assert undone.startswith(f"✅ Undo: <code>{taught}</code> → <code>{original}</code>."), undone
    assert f"<code>− {line}" in undone and QUALITY.search(undone), undone
    assert not (knowledge / "learned.yaml").exists()
    assert say(client, asker + 30, asker + 30, question) == before_text  # as before it was taught
    history = say(client, operator, operator, "/history")
    entries = [x for x in history.split("\n") if f"by {operator}: " in x]
    assert [re.search(r": (\w+) <code>", x).group(1) for x in entries] == ["undo", "learn"]
    assert f"undo <code>{taught}</code> → <code>{original}</code>" in entries[0]

    for each in (bot, restarted):
        assert_clean_log(each)


# ------------------------------------------------------------------------------ the gate


@pytest.fixture(scope="module")
def gated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[E2E]:
    """A bot of its own, with the quality gate on the project's evaluation sets, and a knowledge
    copy that the tests below break and put back."""
    tmp = tmp_path_factory.mktemp("gate")
    knowledge = copy_knowledge(tmp)
    try:
        with bot_stack(tmp, knowledge, tmp / "data", LOG_LEVEL="INFO") as bot:
            yield bot
    except StartupError as exc:
        pytest.fail(str(exc), pytrace=False)
    assert_clean_log(bot)


@pytest.fixture
def restore(gated: E2E) -> Iterator[Callable[[Path], None]]:
    """`restore(path)`: put `path` back as it was (or remove it) after the test."""
    saved: dict[Path, str | None] = {}

    def keep(path: Path) -> None:
        saved.setdefault(path, path.read_text(encoding="utf-8") if path.exists() else None)

    yield keep
    for path, text in saved.items():
        if text is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(text, encoding="utf-8")


def operator_says(bot: E2E, text: str) -> str:
    return say(bot.client, bot.operator_id, bot.operator_id, text, timeout=GATE_WAIT)


def test_a_change_that_fails_the_self_test_is_refused_even_forced(
    gated: E2E, restore: Callable[[Path], None]
):
    engine = Engine(gated.knowledge)
    version = engine.snapshot.version
    topic = yaml.safe_load((gated.knowledge / "topics" / "carryover.yaml").read_text("utf-8"))
    stolen = topic["topic"]["questions"]["zh-Hans"][0]  # carry-over's own sample...
    decided, expected, _ = reply(engine, stolen)
    assert decided.target.topic == "carryover"
    learned = gated.knowledge / "learned.yaml"
    restore(learned)
    learned.write_text(  # ...taught to tethering
        f'learned:\n  - {{q: "{stolen}", target: tethering, lang: zh-Hans, by: "e2e", '
        'at: "2026-11-30T00:00:00Z"}\n',
        encoding="utf-8",
    )
    for command in ("/reload", "/reload force"):
        text = operator_says(gated, command)
        assert text.startswith(f"❌ Reload failed; still serving <code>{version}</code>"), text
        assert html.escape(f"tethering: sample '{stolen}'") in text, text
    assert say(gated.client, 862_001, 862_001, stolen) == expected  # the old answer


def test_a_change_the_quality_gate_refuses_is_swapped_in_only_forced_and_that_is_logged(
    gated: E2E, restore: Callable[[Path], None]
):
    question = "乐天能送流量吗"
    engine = Engine(gated.knowledge)
    version = engine.snapshot.version
    decided, old_answer, _ = reply(engine, question)
    assert decided.target.key() == "gifting-overview~rakuten"
    # Rakuten keeps only its Latin names: every sample still finds its topic (the self-test
    # passes), but every question that says 乐天 or 楽天 loses its carrier.
    carrier = gated.knowledge / "carriers" / "rakuten.yaml"
    restore(carrier)
    text = carrier.read_text(encoding="utf-8")
    names = re.search(r"^  names: \[.*\]$", text, re.MULTILINE)
    assert names is not None
    carrier.write_text(text.replace(names.group(0), "  names: [rakuten, rakuten mobile]"), "utf-8")
    harmed = load_knowledge(gated.knowledge).version

    refused = operator_says(gated, "/reload")
    assert refused.startswith("❌ Reload refused by the quality gate: answered-correct fell"), (
        refused
    )
    assert f"Still serving <code>{version}</code>" in refused
    assert QUALITY.search(refused) and "/reload force" in refused
    assert say(gated.client, 862_101, 862_101, question) == old_answer

    start = len(gated.log_text())
    forced = operator_says(gated, "/reload force")
    assert forced.startswith(f"✅ Reload: <code>{version}</code> → <code>{harmed}</code>."), forced
    assert "⚠️ Forced past the quality gate: answered-correct fell" in forced
    [warning] = [x for x in gated.log_text()[start:].splitlines() if "FORCED" in x]
    assert " WARNING " in warning and f"/reload force by {gated.operator_id}" in warning, warning
    assert "FORCED past the quality gate: answered-correct fell" in warning
    assert (
        say(gated.client, 862_102, 862_102, question) == reply(Engine(gated.knowledge), question)[1]
    )
    assert ask(Engine(gated.knowledge), question).target.key() != decided.target.key()

    carrier.write_text(text, encoding="utf-8")  # put back: better again, so the gate lets it in
    back = operator_says(gated, "/reload")
    assert back.startswith(f"✅ Reload: <code>{harmed}</code> → <code>{version}</code>."), back
    assert say(gated.client, 862_103, 862_103, question) == old_answer
    history = operator_says(gated, "/history")
    actions = re.findall(rf"by {gated.operator_id}: ([\w-]+) <code>", history)
    assert actions == ["reload", "reload-force"], history
