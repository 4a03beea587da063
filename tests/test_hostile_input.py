"""Anything a user can type, up to Telegram's 4,096 characters, goes through normalization,
matching and rendering without an exception, and what comes back is valid Telegram HTML with the
user's text escaped.

Speed is not asserted here (no timing assertions in tests): the slowest call of each kind is
recorded and printed at the end of the module (`pytest -s` shows it).
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from telegram_html import TELEGRAM_LIMIT, visible_text

from bot.engine import MAX_CANDIDATES, Engine, Reply
from bot.knowledge import LANGS
from bot.matcher import Scored
from bot.normalize import fold
from bot.render import ECHO_LIMIT, answer_text, clarify_text, echo, reply_text

REPO = Path(__file__).resolve().parent.parent
T = TypeVar("T")

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e"]
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068"]
BIDI += ["\u2069", "\u200e", "\u200f", "\u061c"]
COMBINING = ["\u0301", "e\u0301", "\u0308" * 50, "Z\u0334\u0321\u0316\u0349\u0344\u0351a", "\u3099"]
EMOJI = ["👨\u200d👩\u200d👧\u200d👦", "🏳️\u200d🌈", "🇯🇵", "👍🏽", "🧑\u200d💻", "\U000e0067", "️"]
CONTROL = ["\x00", "\x07", "\x1b[31m", "\r\n", "\r", "\x7f", "\x85", "\u2028", "\u2029", "\x0b"]
SURROGATES = [json.loads(r'"\ud800"'), json.loads(r'"\udfff"'), json.loads(r'"x\udbffy"')]
MARKUP = [
    "<b>",
    "</b>",
    "</a>",
    "<a href='javascript:alert(1)'>x</a>",
    '<a href="https://evil.example">',
    "<script>alert(1)</script>",
    "<!--",
    "<![CDATA[",
    "<?xml?>",
    "&amp;",
    "&lt;b&gt;",
    "&",
    "&#0;",
    "&#x110000;",
    "&nbsp",
    "<",
    ">",
    '"',
    "'",
    "**x**",
    "__x__",
    "`code`",
    "```",
    "[x](javascript:alert(1))",
    "||spoiler||",
    "~~x~~",
    "\\",
    "*_~`",
]
# Real vocabulary, so hostile text also reaches the scoring and the clarify/answer paths.
WORDS = [
    "mineo",
    "流量",
    "ギガ",
    "能送给朋友吗",
    "楽天",
    "送",
    "/policy",
    "ＭＩＮＥＯ",
    "ﾐﾈｵ",
    "10GB",
]
WORDS += [
    "ahamo テザリング",
    "data gift friend",
    "㍿",
    "ﬀ",
    "İ",
    "ß",
    "\uf8ff",
    "\ue000",
    "9" * 600,
]
NASTY = ZERO_WIDTH + BIDI + COMBINING + EMOJI + CONTROL + SURROGATES + MARKUP + WORDS

ANY_CHAR = st.characters(codec=None, exclude_categories=())  # includes lone surrogates
hostile_text = st.one_of(
    st.lists(st.one_of(st.sampled_from(NASTY), st.text(ANY_CHAR, max_size=12)), max_size=60).map(
        "".join
    ),
    # One character or piece repeated to the whole message length.
    st.one_of(ANY_CHAR, st.sampled_from(NASTY)).map(lambda piece: piece * TELEGRAM_LIMIT),
    st.text(ANY_CHAR, min_size=1000, max_size=TELEGRAM_LIMIT),
).map(lambda text: text[:TELEGRAM_LIMIT])
any_lang = st.sampled_from([None, *LANGS])
client_lang = st.one_of(
    st.none(), st.sampled_from(["zh-hans", "zh-TW", "ja", "en-US", ""]), st.text()
)

EXAMPLES = [
    "x" * TELEGRAM_LIMIT,
    SURROGATES[0] * TELEGRAM_LIMIT,
    "\u200d" * TELEGRAM_LIMIT,
    "\u0301" * TELEGRAM_LIMIT,
    "&" * TELEGRAM_LIMIT,
    "<" * TELEGRAM_LIMIT,
    "流" * TELEGRAM_LIMIT,
    "👨\u200d👩\u200d👧\u200d👦" * 500,
    "mineo <b>流量</b> &amp; </a> **x** [x](javascript:alert(1)) 能送吗",
    "\u202emineo\u202c 能送流量吗" + SURROGATES[2],
    "",
    " ",
]

SLOWEST: dict[str, float] = defaultdict(float)


def timed(name: str, call: Callable[[], T]) -> T:
    start = time.perf_counter()
    result = call()
    SLOWEST[name] = max(SLOWEST[name], time.perf_counter() - start)
    return result


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    yield Engine(REPO / "knowledge")
    print("\nslowest call per kind (ms), hostile input up to 4,096 characters:")
    for name, seconds in sorted(SLOWEST.items()):
        print(f"  {name:<14} {seconds * 1000:8.2f}")


def clarify_with(engine: Engine, question: str, lang: str) -> Reply:
    """A clarify reply for `question` whatever the engine decides, to exercise the echo."""
    ids = list(engine.snapshot.kb.entries)[:MAX_CANDIDATES]
    return Reply("clarify", None, 50.0, tuple(Scored(i, 50.0) for i in ids), lang, question)


def check_engine(engine: Engine, text: str, lang: str | None, client: str | None) -> None:
    kb = engine.snapshot.kb
    folded = timed("fold", lambda: fold(text))
    folded.encode("utf-8")  # no lone surrogate survives folding
    analysis = timed("analyze", lambda: engine.snapshot.matcher.normalizer.analyze(text))
    assert all(isinstance(u, str) and u for u in analysis.units)
    assert set(analysis.carriers) <= set(kb.entries)

    reply = timed("ask", lambda: engine.ask(text, lang=lang, client_lang=client))
    assert reply.decision in ("answer", "clarify", "none")
    assert reply.lang in LANGS
    assert reply.question == text
    if reply.decision == "answer":
        assert reply.entry_id in kb.entries
    assert all(c.id in kb.entries for c in reply.candidates)

    found = timed("search", lambda: engine.search(text, limit=10))
    assert len(found) <= 10 and all(s.id in kb.entries for s in found)
    card = timed("find_carrier", lambda: engine.find_carrier(text))
    assert card is None or card.is_carrier

    snapshot = engine.snapshot
    message = timed("reply_text", lambda: reply_text(reply, snapshot))
    visible_text(message)
    message.encode("utf-8")  # sendable: Telegram refuses lone surrogates
    plain = reply_text(reply, snapshot, as_html=False)
    assert len(plain) <= TELEGRAM_LIMIT

    forced = clarify_with(engine, text, reply.lang)
    message = timed("clarify_text", lambda: clarify_text(forced, snapshot))
    shown = visible_text(message)
    message.encode("utf-8")
    echoed = echo(text, as_html=False)
    assert len(echoed) <= ECHO_LIMIT
    if echoed:
        assert f"“{echoed}”" in shown  # the user's text is shown as typed, never as markup


@pytest.mark.parametrize("text", EXAMPLES, ids=range(len(EXAMPLES)))
@pytest.mark.parametrize("lang", [None, "zh-Hant"])
def test_known_hostile_messages(engine: Engine, text: str, lang: str | None) -> None:
    check_engine(engine, text, lang, None)


@settings(max_examples=250, deadline=None)
@given(text=hostile_text, lang=any_lang, client=client_lang)
@example(text=SURROGATES[0], lang=None, client=SURROGATES[1])
def test_any_text_is_answered_and_rendered(
    engine: Engine, text: str, lang: str | None, client: str | None
) -> None:
    check_engine(engine, text, lang, client)


@settings(max_examples=100, deadline=None)
@given(text=hostile_text, lang=st.sampled_from(LANGS))
def test_every_answer_renders_in_every_language(engine: Engine, text: str, lang: str) -> None:
    """An answer's text comes from the knowledge base, but it is rendered next to user input."""
    for entry in engine.snapshot.kb.entries.values():
        for summary in (False, True):
            message = timed(
                "answer_text", lambda e=entry, s=summary: answer_text(e, lang, summary=s)
            )
            visible_text(message)
    check_engine(engine, text, lang, None)


@pytest.mark.parametrize("piece", ["<b>", "&amp;", "</a>", "<a href='javascript:x'>", "&", ">"])
def test_user_markup_is_escaped_in_the_echo(engine: Engine, piece: str) -> None:
    question = f"mineo {piece}x{piece} 流量"
    message = clarify_text(clarify_with(engine, question, "zh-Hans"), engine.snapshot)
    assert f"“{question}”" in visible_text(message)
    escaped = piece.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert f"{escaped}x{escaped}" in message
