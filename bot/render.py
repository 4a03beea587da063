"""Reply text for every front end: HTML for Telegram, plain text for the terminal.

Knowledge-base text and anything a user typed are escaped here and nowhere else. Long text is
shortened *before* escaping, so a cut can never fall inside a tag or an entity.
"""

from __future__ import annotations

import html
from urllib.parse import urlsplit

from bot.engine import Reply, Snapshot
from bot.knowledge import Entry
from bot.messages import t

TELEGRAM_LIMIT = 4096
ECHO_LIMIT = 120
ELLIPSIS = "…"


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


def _sources_line(entry: Entry, lang: str, as_html: bool) -> str:
    parts = []
    for src in entry.sources[:3]:
        host = urlsplit(src.url).hostname or src.url
        when = t(lang, "undated") if src.as_of == "undated" else src.as_of
        if as_html:
            url = html.escape(src.url, quote=True)
            parts.append(f'<a href="{url}">{html.escape(host)}</a> ({html.escape(when)})')
        else:
            parts.append(f"{src.url} ({when})")
    more = f" +{len(entry.sources) - 3}" if len(entry.sources) > 3 else ""
    line = f"{t(lang, 'source')}: " + ", ".join(parts) + more
    return line + f"\n{t(lang, 'checked')}: {entry.verified.isoformat()}"


def pick(mapping: dict[str, str] | object, lang: str) -> str:
    """The text in `lang`, falling back through the languages every entry has."""
    for key in (lang, "zh-Hans" if lang == "zh-Hant" else "en", "en", "zh-Hans"):
        value = mapping.get(key)  # type: ignore[attr-defined]
        if value:
            return value
    return ""


TITLE_BUDGET = 1000  # escaped characters: a 200-character title (the loader cap) of "&"
FOOTER_BUDGET = 1200  # sources with links; past this they are shown without links


def answer_text(entry: Entry, lang: str, *, as_html: bool = True, summary: bool = False) -> str:
    """An entry as a message: title, answer (or its one-line summary), sources and check date.

    Every part has a budget, so the message fits Telegram's limit whatever the entry holds.
    """
    title = escaped_within(pick(entry.title, lang), TITLE_BUDGET, as_html)
    if as_html:
        title = f"<b>{title}</b>"
    footer = _sources_line(entry, lang, as_html)
    if len(footer) > FOOTER_BUDGET:
        footer = escaped_within(_sources_line(entry, lang, False), FOOTER_BUDGET, as_html)
    budget = TELEGRAM_LIMIT - len(title) - len(footer) - 4
    text = pick(entry.summary if summary else entry.answer, lang).strip()
    body = escaped_within(text, budget, as_html)
    return f"{title}\n{body}\n\n{footer}"


def escaped_within(text: str, budget: int, as_html: bool) -> str:
    """Escape `text` so that the escaped form fits `budget`, shortening the plain text first."""
    limit = budget
    while True:
        body = _esc(shorten(text, limit), as_html)
        if len(body) <= budget or limit <= 1:
            return body
        limit = max(1, limit * budget // len(body) - 1)


def echo(question: str, as_html: bool) -> str:
    question = question.encode("utf-8", "replace").decode()  # Telegram refuses lone surrogates
    return _esc(shorten(" ".join(question.split()), ECHO_LIMIT), as_html)


def clarify_text(reply: Reply, snapshot: Snapshot, *, as_html: bool = True) -> str:
    lines = []
    if reply.question.strip():
        lines.append(f"“{echo(reply.question, as_html)}”")
    lines.append(t(reply.lang, "clarify"))
    for number, cand in enumerate(reply.candidates, 1):
        entry = snapshot.entry(cand.id)
        if entry:
            lines.append(f"{number}. {_esc(pick(entry.title, reply.lang), as_html)}")
    lines.append(t(reply.lang, "clarify_pick"))
    return "\n".join(lines)


def fallback_text(lang: str, *, as_html: bool = True) -> str:
    return _esc(t(lang, "fallback"), as_html)


def reply_text(reply: Reply, snapshot: Snapshot, *, as_html: bool = True) -> str:
    """The whole reply to a question, whatever the decision."""
    if reply.decision == "answer" and reply.entry_id:
        entry = snapshot.entry(reply.entry_id)
        if entry:
            return answer_text(entry, reply.lang, as_html=as_html)
    if reply.decision == "clarify" and reply.candidates:
        return clarify_text(reply, snapshot, as_html=as_html)
    return fallback_text(reply.lang, as_html=as_html)
