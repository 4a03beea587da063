"""Replies as users see them: one Telegram message (≤ 4,096 characters) of valid HTML, cut only
in plain text, never inside a tag or an entity, with every piece of knowledge-base and user text
escaped."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from knowledge_factory import entry_yaml, kb_file, write_kb
from telegram_html import TELEGRAM_LIMIT, visible_text

from bot.engine import Engine, Reply
from bot.knowledge import LANGS, MAX_CHARS, Entry, Source
from bot.matcher import Scored
from bot.messages import t
from bot.render import (
    ECHO_LIMIT,
    ELLIPSIS,
    answer_text,
    clarify_text,
    escaped_within,
    fallback_text,
    pick,
    reply_text,
    shorten,
)

MARKUP_ANSWER = ("• 5GB < 10GB && 20GB > 3GB; \"quoted\" & 'single' <b>not bold</b>\n" * 60)[
    : MAX_CHARS["answer"]
]
MARKUP_TITLE = "<b>&amp; R&D</b> " * 11
SOURCES = (
    "".join(
        f"      - url: https://example.com/{n}?a=1&b=<{n}>\n        as_of: undated\n"
        for n in range(5)
    )
    .replace("<", "%3C")
    .replace(">", "%3E")
)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """A tiny knowledge base whose answer escapes to far more than one message."""
    big = entry_yaml("big", title=MARKUP_TITLE[: MAX_CHARS["title"]], answer=MARKUP_ANSWER)
    big = big.replace(
        big[big.index("    sources:") : big.index("    verified:")], "    sources:\n" + SOURCES
    )
    root = write_kb(
        tmp_path_factory.mktemp("kb"),
        {
            "big.yaml": kb_file(big),
            "small.yaml": kb_file(
                entry_yaml("small", title="A < B & C", answer="Short & <sweet>.")
            ),
            "card.yaml": kb_file(entry_yaml("card", kind="carrier")),
        },
    )
    return Engine(root)


def body_of(visible: str, title: str, lang: str) -> str:
    """The answer part of a rendered message's visible text."""
    assert visible.startswith(title + "\n")
    return visible[len(title) + 1 : visible.rindex("\n\n" + t(lang, "source") + ": ")]


def assert_cut_answer(body: str, answer: str) -> None:
    """`body` is `answer`, or a prefix of it followed by an ellipsis."""
    if body != answer:
        assert body.endswith(ELLIPSIS)
        assert answer.startswith(body[: -len(ELLIPSIS)])


@pytest.mark.parametrize("lang", LANGS)
def test_huge_answer_is_cut_in_plain_text_never_in_markup(engine: Engine, lang: str) -> None:
    entry = engine.snapshot.entry("big")
    assert entry is not None
    message = answer_text(entry, lang)
    assert len(html.escape(pick(entry.answer, lang))) > TELEGRAM_LIMIT  # the case under test
    visible = visible_text(message)
    body = body_of(visible, pick(entry.title, lang), lang)
    assert body.endswith(ELLIPSIS) and len(body) > 500  # cut, but most of the room is used
    assert_cut_answer(body, pick(entry.answer, lang).strip())
    # Markup in the knowledge base is shown as written, never obeyed.
    assert visible.startswith("<b>&amp; R&D</b> <b>&amp;")
    assert message.startswith("<b>&lt;b&gt;&amp;amp; R&amp;D&lt;/b&gt; ")
    assert "&lt;b&gt;not bold&lt;/b&gt;" in message


@pytest.mark.parametrize("lang", LANGS)
def test_plain_text_replies_are_not_escaped(engine: Engine, lang: str) -> None:
    entry = engine.snapshot.entry("small")
    assert entry is not None
    text = answer_text(entry, lang, as_html=False)
    assert text.startswith("A < B & C\n")
    assert "Short & <sweet>." in text
    assert "https://example.com/plans?a=1&b=2" in text
    assert len(answer_text(engine.snapshot.entry("big"), lang, as_html=False)) <= TELEGRAM_LIMIT  # type: ignore[arg-type]


def test_sources_are_links_with_escaped_urls_and_a_count_of_the_rest(engine: Engine) -> None:
    entry = engine.snapshot.entry("big")
    assert entry is not None
    message = answer_text(entry, "en", summary=True)
    visible_text(message)
    assert message.count("<a href=") == 3
    assert '<a href="https://example.com/0?a=1&amp;b=%3C0%3E">example.com</a> (undated)' in message
    assert message.endswith(f" +2\n{t('en', 'checked')}: {entry.verified.isoformat()}")
    assert f"({t('ja', 'undated')})" in answer_text(entry, "ja")


def test_summary_reply_uses_the_one_line_summary(engine: Engine) -> None:
    entry = engine.snapshot.entry("small")
    assert entry is not None
    message = answer_text(entry, "ja", summary=True)
    assert visible_text(message).split("\n")[1] == entry.summary["ja"]


def test_clarify_escapes_titles_and_the_echoed_question(engine: Engine) -> None:
    question = "  <b>big</b>   &amp;\n small?  " + "x" * 300
    reply = Reply("clarify", None, 50.0, (Scored("small", 50), Scored("big", 48)), "en", question)
    message = clarify_text(reply, engine.snapshot)
    visible = visible_text(message)
    lines = visible.split("\n")
    echoed = lines[0][1:-1]
    assert len(echoed) <= ECHO_LIMIT and echoed.endswith(ELLIPSIS)
    assert echoed.startswith("<b>big</b> &amp; small? xxx")  # whitespace collapsed, text as typed
    assert lines[1] == t("en", "clarify")
    assert lines[2] == "1. A < B & C"
    assert lines[3].startswith("2. <b>&amp; R&D</b>")
    assert lines[-1] == t("en", "clarify_pick")
    plain = clarify_text(reply, engine.snapshot, as_html=False)
    assert plain.split("\n")[0].startswith("“<b>big</b> &amp; small?")


def test_clarify_without_a_question_does_not_echo(engine: Engine) -> None:
    reply = Reply("clarify", None, 50.0, (Scored("small", 50),), "zh-Hans", " \n ")
    assert clarify_text(reply, engine.snapshot).split("\n")[0] == t("zh-Hans", "clarify")


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (Reply("answer", "small", 90.0, (), "en", "q"), "answer"),
        (Reply("clarify", None, 50.0, (Scored("small", 50),), "en", "q"), "clarify"),
        (Reply("none", None, 0.0, (), "en", "q"), "fallback"),
        # After a reload removed the entry, a reply still in flight falls back.
        (Reply("answer", "gone", 90.0, (), "en", "q"), "fallback"),
        (Reply("clarify", None, 50.0, (), "en", "q"), "fallback"),
    ],
)
def test_reply_text_follows_the_decision(engine: Engine, reply: Reply, expected: str) -> None:
    message = reply_text(reply, engine.snapshot)
    visible_text(message)
    if expected == "answer":
        assert message == answer_text(engine.snapshot.entry("small"), "en")  # type: ignore[arg-type]
    elif expected == "clarify":
        assert message == clarify_text(reply, engine.snapshot)
    else:
        assert message == fallback_text("en")


@pytest.mark.parametrize("lang", LANGS)
def test_fallback_is_valid_html_in_every_language(lang: str) -> None:
    assert visible_text(fallback_text(lang)) == t(lang, "fallback")


# --------------------------------------------------------------------------------------------
# Properties of the cutting itself

MARKUP_CHARS = st.sampled_from([*"<>&\"' \n。.", "&amp;", "<b>", "</a>", "😀", "流量", "x"])
markup_text = st.lists(MARKUP_CHARS | st.text(max_size=5), max_size=400).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=markup_text, limit=st.integers(1, 5000))
def test_shorten_keeps_a_prefix_within_the_limit(text: str, limit: int) -> None:
    cut = shorten(text, limit)
    assert len(cut) <= max(limit, 1)
    if len(text) <= limit:
        assert cut == text
    else:
        assert cut.endswith(ELLIPSIS) and text.startswith(cut[: -len(ELLIPSIS)])


@settings(max_examples=300, deadline=None)
@given(text=markup_text, budget=st.integers(5, 5000))  # 5: room for one escaped character
def test_escaped_within_fits_the_budget_and_cuts_only_plain_text(text: str, budget: int) -> None:
    body = escaped_within(text, budget, as_html=True)
    assert len(body) <= budget
    assert "<" not in body and ">" not in body
    assert_cut_answer(html.unescape(body), text)
    if len(html.escape(text, quote=False)) <= budget:
        assert html.unescape(body) == text


def make_entry(title: str, answer: str, urls: list[str]) -> Entry:
    texts = {lang: title for lang in LANGS}
    return Entry(
        id="x",
        kind="topic",
        carrier=None,
        names=(),
        title=texts,
        summary=texts,
        questions={},
        answer={lang: answer for lang in LANGS},
        sources=tuple(Source(url, "undated") for url in urls),
        verified=dt.date(2026, 1, 1),
        see_also=(),
        file="x.yaml",
        line=1,
    )


realistic_url = st.builds(
    lambda host, path: f"https://{host}.example.jp/{path}",
    st.from_regex(r"[a-z0-9-]{1,30}", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9/?=&%._-]{0,150}", fullmatch=True),
)


@settings(max_examples=200, deadline=None)
@given(
    title=st.lists(MARKUP_CHARS, min_size=1, max_size=80).map(
        lambda pieces: "".join(pieces).strip()[: MAX_CHARS["title"]] or "t"
    ),
    answer=st.one_of(
        markup_text,
        # A short pattern repeated: long answers without generating thousands of pieces.
        st.builds(str.__mul__, markup_text.filter(bool), st.integers(1, 3000)).map(
            lambda s: s[:9000]
        ),
    ),
    urls=st.lists(realistic_url, min_size=1, max_size=6),
    lang=st.sampled_from(LANGS),
)
def test_any_answer_fits_one_message(title: str, answer: str, urls: list[str], lang: str) -> None:
    entry = make_entry(title, answer.strip() or "a", urls)
    message = answer_text(entry, lang)
    visible = visible_text(message)
    assert_cut_answer(body_of(visible, title, lang), answer.strip() or "a")
    assert len(answer_text(entry, lang, as_html=False)) <= TELEGRAM_LIMIT


def test_extreme_title_and_sources_still_fit_one_message() -> None:
    url = "https://a.example/" + "&" * (MAX_CHARS["url"] - 18)
    entry = make_entry("&" * MAX_CHARS["title"], "answer " * 1000, [url] * 3)
    for summary in (False, True):
        message = answer_text(entry, "en", summary=summary)
        assert len(message) <= TELEGRAM_LIMIT
        visible_text(message)
