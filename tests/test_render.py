"""Replies as users see them: one phone screen of valid Telegram HTML, the first line answering,
at most two sources (official first), the rest behind "more"; cut only in plain text, never
inside a tag or an entity, with every piece of knowledge-base and user text escaped."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram_html import TELEGRAM_LIMIT, visible_text

from bot.compose import Composed, compose, pick, summary_line, target_title
from bot.engine import Candidate, Context, Engine, Reply, Target
from bot.knowledge import LANGS, MAX_CHARS, KnowledgeBase, Source
from bot.messages import LANGUAGE_NAMES, t
from bot.render import (
    BUDGET,
    ECHO_LIMIT,
    ELLIPSIS,
    LINE_LIMIT,
    MAX_SOURCES,
    answer_text,
    reply_text,
    shorten,
    shown_lines,
)

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
PROMO_HANDLE = "jx" + "0703"
# The law the sim-transfer-law entry is about, in the words each language names it with.
LAW_WORDING = re.compile(r"不正利用|违法|違法|違反|违反|法律|罰則|罚|illegal|\blaw\b|\bAct\b", re.I)
VERDICT_LIMIT = 120


def all_targets(kb: KnowledgeBase) -> list[Target]:
    """Everything an answer can be about."""
    targets = [Target("cell", topic, (c,)) for topic in kb.topics for c in kb.carriers]
    targets += [Target("card", carriers=(c,)) for c in kb.carriers]
    targets += [Target("overview", topic) for topic in kb.topics]
    targets += [Target("overview", topic, excluded=("mineo",)) for topic in kb.topics]
    targets += [Target("compare", topic, ("iijmio", "mineo")) for topic in kb.topics]
    targets += [Target("entry", e) for e in kb.entries]
    targets += [
        Target("entry", e, ("docomo",)) for e, item in kb.entries.items() if not item.carrier
    ]
    return targets


def parts(visible: str) -> tuple[str, list[str], str]:
    """(title, answer lines, sources line) of a rendered answer's visible text."""
    head, _, footer = visible.rpartition("\n\n")
    title, *body = head.split("\n")
    return title, body, footer


# --------------------------------------------------------------------------------------------
# the shipped knowledge base, every target, every language


@pytest.mark.parametrize("lang", LANGS)
def test_every_answer_fits_one_phone_screen_with_more_for_the_rest(
    engine: Engine, kb: KnowledgeBase, lang: str
) -> None:
    with_more = 0
    for target in all_targets(kb):
        composed = compose(engine.snapshot, target, lang)
        rendered = answer_text(composed, lang)
        visible = visible_text(rendered.text)
        assert len(visible) <= BUDGET[lang], (target.key(), len(visible))
        title, body, footer = parts(visible)
        assert title == composed.title
        assert 1 <= len(body) <= len(composed.lines)
        assert body == list(composed.lines[: len(body)]), target.key()  # whole lines, in order
        assert rendered.more == (len(body) < len(composed.lines)), target.key()
        hosts = [
            (urlsplit(s.url).hostname or "").removeprefix("www.")
            for s in composed.sources[:MAX_SOURCES]
        ]
        date = composed.verified.isoformat() if composed.verified else ""
        key = "sources_checked" if date else "sources"
        assert footer == t(lang, key, sources=t(lang, "list_sep").join(hosts), date=date)
        with_more += rendered.more
    if lang == "en":  # English guides are longer than a screen: "more" is really exercised
        assert with_more > 0


@pytest.mark.parametrize("lang", LANGS)
def test_more_shows_the_rest_without_repeating_or_skipping(
    engine: Engine, kb: KnowledgeBase, lang: str
) -> None:
    for target in all_targets(kb):
        composed = compose(engine.snapshot, target, lang)
        seen: list[str] = []
        start, pages = 0, 0
        while True:
            rendered = answer_text(composed, lang, as_html=False, start=start)
            _, body, _ = parts(rendered.text)
            assert body and len(rendered.text) <= TELEGRAM_LIMIT
            assert shown_lines(composed, lang, start) == len(body)
            seen += body
            start += len(body)
            pages += 1
            if not rendered.more:
                break
            assert pages < 10
        assert seen == list(composed.lines), target.key()


@pytest.mark.parametrize("lang", LANGS)
def test_at_most_two_sources_official_first_and_never_undated(
    engine: Engine, kb: KnowledgeBase, lang: str
) -> None:
    official_first = 0
    for target in all_targets(kb):
        composed = compose(engine.snapshot, target, lang)
        message = answer_text(composed, lang).text
        hrefs = [html.unescape(h) for h in re.findall(r'<a href="([^"]*)">', message)]
        assert 1 <= len(hrefs) <= MAX_SOURCES, target.key()
        assert hrefs == [s.url for s in composed.sources[:MAX_SOURCES]]
        flags = [s.official for s in composed.sources]
        assert flags == sorted(flags, reverse=True), target.key()  # official ones first
        if any(flags):
            official_first += 1
            assert composed.sources[0].official
        visible = visible_text(message)
        assert "undated" not in visible.lower(), target.key()
        if composed.verified is not None:
            assert composed.verified.isoformat() in parts(visible)[2]
    assert official_first > 0


@pytest.mark.parametrize("lang", LANGS)
def test_the_first_line_of_every_cell_is_a_short_verdict(
    engine: Engine, kb: KnowledgeBase, lang: str
) -> None:
    for (topic, carrier), cell in kb.cells.items():
        composed = compose(engine.snapshot, Target("cell", topic, (carrier,)), lang)
        assert composed.lines[0] == pick(cell.answer, lang)
        assert len(composed.lines[0]) <= VERDICT_LIMIT, (topic, carrier, composed.lines[0])
    for entry in kb.entries.values():
        composed = compose(engine.snapshot, Target("entry", entry.id), lang)
        assert len(composed.lines[0]) <= VERDICT_LIMIT, (entry.id, composed.lines[0])
    for carrier in kb.carriers:
        composed = compose(engine.snapshot, Target("card", carriers=(carrier,)), lang)
        gifting = kb.cells[("gifting-overview", carrier)]
        assert composed.lines[0].endswith(pick(gifting.answer, lang))
        assert len(composed.lines[0]) <= VERDICT_LIMIT + 12, (carrier, composed.lines[0])


@pytest.mark.parametrize("topic", ["tethering", "carryover"])
def test_the_law_is_not_brought_up_where_nobody_asked(
    engine: Engine, kb: KnowledgeBase, topic: str
) -> None:
    for carrier in kb.carriers:
        for lang in LANGS:
            composed = compose(engine.snapshot, Target("cell", topic, (carrier,)), lang)
            for line in composed.lines:
                assert not LAW_WORDING.search(line), (carrier, lang, line)
    law = compose(engine.snapshot, Target("entry", "sim-transfer-law"), "ja")
    assert any(LAW_WORDING.search(line) for line in law.lines)  # the pattern does find it


def test_no_reply_carries_the_promotional_handle(engine: Engine, kb: KnowledgeBase) -> None:
    for target in all_targets(kb):
        for lang in LANGS:
            composed = compose(engine.snapshot, target, lang)
            text = "\n".join((composed.title, *composed.lines, *(s.url for s in composed.sources)))
            assert PROMO_HANDLE not in text.lower()


def test_the_one_line_summary_answers_too(engine: Engine, kb: KnowledgeBase) -> None:
    """Group replies and inline results show one line: it must carry the verdict."""
    snapshot = engine.snapshot
    for lang in LANGS:
        colon = t(lang, "colon")
        for (topic, carrier), cell in kb.cells.items():
            line = summary_line(snapshot, Target("cell", topic, (carrier,)), lang)
            assert (
                line == f"{pick(kb.carriers[carrier].label, lang)}{colon}{pick(cell.answer, lang)}"
            )
        for carrier in kb.carriers:
            line = summary_line(snapshot, Target("card", carriers=(carrier,)), lang)
            assert line.startswith(pick(kb.carriers[carrier].label, lang) + colon)
            assert line.endswith(pick(kb.cells[("gifting-overview", carrier)].answer, lang))
        for entry in kb.entries.values():
            assert summary_line(snapshot, Target("entry", entry.id), lang) == pick(
                entry.summary, lang
            )
        for topic in kb.topics.values():
            line = summary_line(snapshot, Target("overview", topic.id), lang)
            assert line.startswith(pick(topic.overview, lang) + " • ")
            assert "\n" not in line


# --------------------------------------------------------------------------------------------
# every decision


def clarify_reply(kb: KnowledgeBase, question: str, lang: str = "en") -> Reply:
    options = (Target("overview", "tethering"), Target("cell", "carryover", ("mineo",)))
    return Reply(
        decision="clarify",
        target=None,
        id=None,
        carrier=None,
        score=50.0,
        candidates=tuple(Candidate(o, 50.0 - n) for n, o in enumerate(options)),
        lang=lang,
        question=question,
        context=Context(None, options, question),
    )


def test_clarify_echoes_the_question_escaped_and_cut(engine: Engine, kb: KnowledgeBase) -> None:
    question = "  <b>big</b>   &amp;\n small?  " + "x" * 300
    reply = clarify_reply(kb, question)
    lines = visible_text(reply_text(reply, engine.snapshot).text).split("\n")
    echoed = lines[0][1:-1]
    assert len(echoed) <= ECHO_LIMIT and echoed.endswith(ELLIPSIS)
    assert echoed.startswith("<b>big</b> &amp; small? xxx")  # whitespace collapsed, as typed
    assert lines[1:] == [t("en", "clarify")]  # Telegram shows the options as buttons
    numbered = reply_text(reply, engine.snapshot, as_html=False, numbered=True).text.split("\n")
    assert numbered[0].startswith("“<b>big</b> &amp; small?")
    assert numbered[1:] == [
        t("en", "clarify"),
        f"1. {target_title(engine.snapshot, reply.context.options[0], 'en')}",
        f"2. {target_title(engine.snapshot, reply.context.options[1], 'en')}",
        f"3. {t('en', 'none_of_these')}",
        t("en", "clarify_pick"),
    ]
    assert numbered[3] == "2. mineo · " + pick(kb.topics["carryover"].title, "en")


def test_clarify_without_a_question_does_not_echo(engine: Engine, kb: KnowledgeBase) -> None:
    reply = clarify_reply(kb, " \n ", "zh-Hans")
    assert reply_text(reply, engine.snapshot).text == t("zh-Hans", "clarify")


@pytest.mark.parametrize("lang", LANGS)
def test_every_decision_is_valid_html_in_every_language(engine: Engine, lang: str) -> None:
    snapshot = engine.snapshot
    cases = {
        "answer": engine.ask("ahamo开热点要钱吗", lang=lang),
        "clarify": engine.ask("流量", lang=lang),
        "none": engine.ask("best ramen near shibuya?", lang=lang),
        "none+carrier": engine.ask("mineo解约要钱吗", lang=lang),
        "smalltalk": engine.ask("谢谢", lang=lang),
    }
    dismissed = engine.ask("4", lang=lang, context=cases["clarify"].context)
    assert [r.decision for r in cases.values()] == [
        "answer", "clarify", "none", "none", "smalltalk",
    ]  # fmt: skip
    answer = visible_text(reply_text(cases["answer"], snapshot).text)
    assert answer.split("\n")[1] == snapshot.kb.cells[("tethering", "ahamo")].answer[lang]
    assert visible_text(reply_text(cases["clarify"], snapshot).text).split("\n") == [
        "“流量”",
        t(lang, "clarify"),
    ]
    assert visible_text(reply_text(cases["none"], snapshot).text) == t(lang, "none")
    assert visible_text(reply_text(cases["none+carrier"], snapshot).text) == (
        t(lang, "none") + " " + t(lang, "none_carrier", carrier="mineo")
    )
    assert visible_text(reply_text(cases["smalltalk"], snapshot).text) == t(
        lang, "smalltalk_thanks"
    )
    assert (dismissed.decision, dismissed.dismissed) == ("none", True)
    assert visible_text(reply_text(dismissed, snapshot).text) == t(lang, "dismissed")
    numbered = reply_text(cases["none+carrier"], snapshot, as_html=False, numbered=True).text
    options = cases["none+carrier"].context.options
    assert numbered.split("\n")[-1] == f"{len(options) + 1}. {t(lang, 'none_of_these')}"


def test_language_names_are_shown_in_their_own_language() -> None:
    assert LANGUAGE_NAMES == {
        "zh-Hans": "简体中文", "zh-Hant": "繁體中文", "ja": "日本語", "en": "English",
    }  # fmt: skip


# --------------------------------------------------------------------------------------------
# hostile text: whatever an entry holds, one valid message

MARKUP_LINE = ("• 5GB < 10GB && 20GB > 3GB; \"quoted\" & 'single' <b>not bold</b> " * 60)[
    : MAX_CHARS["answer"]
]
MARKUP_TITLE = ("<b>&amp; R&D</b> " * 20)[: MAX_CHARS["title"]]


def composed_of(title: str, lines: list[str], urls: list[str], official: int = 0) -> Composed:
    return Composed(
        target=Target("entry", "x"),
        title=title,
        lines=tuple(lines),
        sources=tuple(Source(u, "undated", n < official) for n, u in enumerate(urls)),
        verified=dt.date(2026, 1, 1),
        related=(),
    )


def assert_cut(shown: str, original: str) -> None:
    """`shown` is `original`, or a prefix of it followed by an ellipsis."""
    if shown != original:
        assert shown.endswith(ELLIPSIS), shown
        assert original.startswith(shown[: -len(ELLIPSIS)]), shown


@pytest.mark.parametrize("lang", LANGS)
def test_a_huge_line_is_cut_in_plain_text_never_in_markup(lang: str) -> None:
    urls = [f"https://example.com/{n}?a=1&b=%3C{n}%3E" for n in range(5)]
    composed = composed_of(MARKUP_TITLE, [MARKUP_LINE, "second"], urls, official=1)
    rendered = answer_text(composed, lang)
    visible = visible_text(rendered.text)
    title, body, footer = parts(visible)
    assert title == shorten(MARKUP_TITLE, 120)  # markup shown as written, never obeyed
    assert rendered.text.startswith("<b>&lt;b&gt;&amp;amp; R&amp;D&lt;/b&gt; ")
    assert "&lt;b&gt;not bold&lt;/b&gt;" in rendered.text
    assert len(body) == 1 and body[0].endswith(ELLIPSIS) and len(body[0]) >= 60
    assert_cut(body[0], MARKUP_LINE)
    assert len(body[0]) <= LINE_LIMIT
    assert rendered.more  # "second" waits behind "more"
    assert rendered.text.count("<a href=") == MAX_SOURCES
    assert '<a href="https://example.com/0?a=1&amp;b=%3C0%3E">example.com</a>' in rendered.text
    assert "2026-01-01" in footer and "undated" not in visible


@pytest.mark.parametrize("lang", LANGS)
def test_plain_text_replies_are_not_escaped(lang: str) -> None:
    composed = composed_of("A < B & C", ["Short & <sweet>."], ["https://example.com/plans?a=1&b=2"])
    text = answer_text(composed, lang, as_html=False).text
    assert text.startswith("A < B & C\nShort & <sweet>.\n\n")
    assert "https://example.com/plans?a=1&b=2" in text
    big = composed_of(MARKUP_TITLE, [MARKUP_LINE] * 5, ["https://example.com/"])
    assert len(answer_text(big, lang, as_html=False).text) <= TELEGRAM_LIMIT


def test_a_hedged_answer_says_so_in_the_title() -> None:
    composed = composed_of("mineo", ["Yes."], ["https://mineo.jp/"])
    visible = visible_text(answer_text(composed, "en", hedge=True).text)
    assert visible.split("\n")[0] == t("en", "hedge", title="mineo")


def test_extreme_title_and_sources_still_fit_one_message() -> None:
    url = "https://a.example/" + "&" * (MAX_CHARS["url"] - 18)
    composed = composed_of("&" * MAX_CHARS["title"], ["answer " * 1000] * 3, [url] * 3)
    for lang in LANGS:
        for as_html in (True, False):
            text = answer_text(composed, lang, as_html=as_html).text
            assert len(text) <= TELEGRAM_LIMIT
            if as_html:
                visible_text(text)


MARKUP_CHARS = st.sampled_from([*"<>&\"' 。.", "&amp;", "<b>", "</a>", "😀", "流量", "x"])
markup_text = st.lists(MARKUP_CHARS | st.text(max_size=5), max_size=400).map("".join)
one_line = (markup_text | st.builds(str.__mul__, markup_text, st.integers(1, 300))).map(
    lambda s: " ".join(s.split())[:3000]
)


@settings(max_examples=200, deadline=None)
@given(text=markup_text, limit=st.integers(1, 5000))
def test_shorten_keeps_a_prefix_within_the_limit(text: str, limit: int) -> None:
    cut = shorten(text, limit)
    assert len(cut) <= max(limit, 1)
    if len(text) <= limit:
        assert cut == text
    else:
        assert cut.endswith(ELLIPSIS) and text.startswith(cut[: -len(ELLIPSIS)])


realistic_url = st.builds(
    lambda host, path: f"https://{host}.example.jp/{path}",
    st.from_regex(r"[a-z0-9-]{1,30}", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9/?=&%._-]{0,150}", fullmatch=True),
)


@settings(max_examples=150, deadline=None)
@given(
    title=st.lists(MARKUP_CHARS, min_size=1, max_size=80).map(
        lambda pieces: " ".join("".join(pieces).split())[: MAX_CHARS["title"]] or "t"
    ),
    lines=st.lists(one_line.filter(bool), min_size=1, max_size=8),
    urls=st.lists(realistic_url, min_size=1, max_size=6),
    lang=st.sampled_from(LANGS),
)
def test_any_answer_is_one_valid_message_cut_only_between_or_at_the_end_of_lines(
    title: str, lines: list[str], urls: list[str], lang: str
) -> None:
    composed = composed_of(title, lines, urls)
    rendered = answer_text(composed, lang)
    visible = visible_text(rendered.text)  # valid Telegram HTML, ≤ 4,096 characters
    assert len(answer_text(composed, lang, as_html=False).text) <= TELEGRAM_LIMIT
    if rendered.text.startswith("<b>"):  # not the last-resort plain fallback
        shown_title, body, _ = parts(visible)
        assert_cut(shown_title, title)
        assert body
        for shown, original in zip(body, lines, strict=False):
            assert_cut(shown, original)
        assert rendered.more == (len(body) < len(lines))
