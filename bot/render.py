"""Reply text for every front end: HTML for Telegram, plain text for the terminal and `ask`.

Knowledge-base text and anything a user typed are escaped here and nowhere else. Long text is
shortened *before* escaping, so a cut can never fall inside a tag or an entity. An answer shows
what fits a phone screen (BUDGET, sources included); the rest waits behind "more".
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.compose import Composed, compose_reply, target_title
from bot.engine import Reply, Snapshot, Target
from bot.messages import t

TELEGRAM_LIMIT = 4096
ECHO_LIMIT = 120
ELLIPSIS = "…"
# Visible characters of a private answer, title and sources included: about one phone screen.
BUDGET = {"zh-Hans": 450, "zh-Hant": 450, "ja": 450, "en": 700}
MAX_SOURCES = 2
LINE_LIMIT = 600  # one line of an answer never takes more than this (a hostile entry)


def shorten(text: str, limit: int) -> str:
    """Cut plain text to `limit` characters, at a line or word boundary when one is near."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    for sep in ("\n", "。", ". ", " "):
        pos = cut.rfind(sep)
        if pos >= limit * 0.6:
            cut = cut[: pos + len(sep)].rstrip()
            break
    return cut + ELLIPSIS


def _esc(text: str, as_html: bool) -> str:
    return html.escape(text, quote=False) if as_html else text


def echo(question: str, as_html: bool) -> str:
    question = question.encode("utf-8", "replace").decode()  # Telegram refuses lone surrogates
    return _esc(shorten(" ".join(question.split()), ECHO_LIMIT), as_html)


def _footer(composed: Composed, lang: str, as_html: bool) -> tuple[str, int]:
    """The sources line (official first, at most two) and its visible length."""
    parts, visible = [], []
    for src in composed.sources[:MAX_SOURCES]:
        host = (urlsplit(src.url).hostname or src.url).removeprefix("www.")
        visible.append(host)
        if as_html:
            url = html.escape(src.url, quote=True)
            parts.append(f'<a href="{url}">{html.escape(host)}</a>')
        else:
            parts.append(src.url)
    if not parts:
        return "", 0
    sep = t(lang, "list_sep")
    when = composed.verified.isoformat() if composed.verified else ""
    key = "sources_checked" if when else "sources"
    line = t(lang, key, sources=sep.join(parts), date=when)
    shown = t(lang, key, sources=sep.join(visible), date=when)
    return line, len(shown)


@dataclass(frozen=True)
class Rendered:
    text: str
    more: bool  # lines were left out; "more" shows them


def answer_text(
    composed: Composed,
    lang: str,
    *,
    as_html: bool = True,
    hedge: bool = False,
    start: int = 0,
    budget: int | None = None,
) -> Rendered:
    """Title, the lines from `start` that fit the budget (at least one), then the sources."""
    budget = budget or BUDGET.get(lang, 700)
    title = shorten(composed.title, 120)
    if hedge:
        title = t(lang, "hedge", title=title)
    footer, footer_len = _footer(composed, lang, as_html)
    used = len(title) + footer_len + 2
    lines: list[str] = []
    rest = composed.lines[start:]
    for line in rest:
        line = shorten(line, LINE_LIMIT)
        if lines and used + len(line) + 1 > budget:
            break
        if not lines and used + len(line) > budget:
            line = shorten(line, max(budget - used, 60))
        lines.append(line)
        used += len(line) + 1
    more = start + len(lines) < len(composed.lines)
    head = f"<b>{_esc(title, True)}</b>" if as_html else title
    body = "\n".join(_esc(line, as_html) for line in lines)
    text = f"{head}\n{body}"
    if footer:
        text += f"\n\n{footer}"
    if len(text) > TELEGRAM_LIMIT:  # escaping can only grow HTML so far; never past Telegram's cap
        text = _esc(shorten(f"{title}\n" + "\n".join(lines), TELEGRAM_LIMIT // 6), as_html)
    return Rendered(text, more)


def shown_lines(composed: Composed, lang: str, start: int = 0) -> int:
    """How many lines `answer_text` shows from `start` (where "more" continues)."""
    rendered = answer_text(composed, lang, as_html=False, start=start)
    body = rendered.text.split("\n\n")[0].split("\n")[1:]
    return len(body)


def options_text(snapshot: Snapshot, options: tuple[Target, ...], lang: str, as_html: bool) -> str:
    """Numbered choices for the terminal (Telegram shows buttons instead), "none of these" last."""
    lines = [
        f"{n}. {_esc(target_title(snapshot, target, lang), as_html)}"
        for n, target in enumerate(options, 1)
    ]
    lines.append(f"{len(options) + 1}. {_esc(t(lang, 'none_of_these'), as_html)}")
    return "\n".join(lines)


def reply_text(
    reply: Reply, snapshot: Snapshot, *, as_html: bool = True, numbered: bool = False
) -> Rendered:
    """The whole reply to a message, whatever the decision.

    `numbered`: list the choices of a clarify or none as numbers (terminal); Telegram shows the
    same choices as buttons and leaves them out of the text.
    """
    lang = reply.lang
    if reply.decision == "answer":
        composed = compose_reply(snapshot, reply)
        if composed is not None:
            return answer_text(composed, lang, as_html=as_html, hedge=reply.hedge)
    if reply.decision == "smalltalk":
        return Rendered(_esc(t(lang, f"smalltalk_{reply.smalltalk or 'ack'}"), as_html), False)
    if reply.decision == "clarify" and reply.context.options:
        lines = []
        if reply.question.strip():
            lines.append(f"“{echo(reply.question, as_html)}”")
        lines.append(_esc(t(lang, "clarify"), as_html))
        if numbered:
            lines.append(options_text(snapshot, reply.context.options, lang, as_html))
            lines.append(_esc(t(lang, "clarify_pick"), as_html))
        return Rendered("\n".join(lines), False)
    if reply.dismissed:
        return Rendered(_esc(t(lang, "dismissed"), as_html), False)
    text = _esc(t(lang, "none"), as_html)
    options = reply.context.options if reply.decision == "none" else ()
    if options:
        label = target_title(snapshot, Target("card", carriers=options[0].carriers), lang)
        text += " " + _esc(t(lang, "none_carrier", carrier=label), as_html)
        if numbered:
            text += "\n" + options_text(snapshot, options, lang, as_html)
    return Rendered(text, False)
