"""What an answer says: composed from cells and entries, the same for every front end.

A cell answers one topic for one carrier; a carrier's card is its cells' verdict lines, the
headline (gifting) first; a topic's overview is its overview line and the carriers grouped by
verdict; a comparison puts the named carriers' verdict lines side by side, best first. The first
line always answers the question that was asked; rendering (render.py) decides how much of the
rest fits on a phone.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.engine import Reply, Snapshot, Target
from bot.knowledge import Cell, KnowledgeBase, Source, Texts
from bot.messages import t

MAX_RELATED = 2


@dataclass(frozen=True)
class Composed:
    """An answer before rendering: a title, lines (the first answers the question), sources."""

    target: Target
    title: str
    lines: tuple[str, ...]
    sources: tuple[Source, ...]
    verified: dt.date | None
    related: tuple[Target, ...]


def pick(texts: Texts | None, lang: str) -> str:
    """The text in `lang`, falling back through the languages every text has."""
    if not texts:
        return ""
    for key in (lang, "zh-Hans" if lang == "zh-Hant" else "en", "en", "zh-Hans"):
        value = texts.get(key)
        if value:
            return value
    return ""


def carrier_label(kb: KnowledgeBase, carrier: str, lang: str) -> str:
    item = kb.carriers.get(carrier)
    return pick(item.label, lang) if item else carrier


def _sources(cells: list[Cell]) -> tuple[Source, ...]:
    """The cells' sources, official ones first, each URL once."""
    seen: dict[str, Source] = {}
    for cell in cells:
        for source in cell.sources:
            seen.setdefault(source.url, source)
    return tuple(sorted(seen.values(), key=lambda s: not s.official))


def _oldest(cells: list[Cell]) -> dt.date | None:
    return min((c.verified for c in cells), default=None)


def _related(
    kb: KnowledgeBase, ids: tuple[str, ...], carrier: str | None, skip: Target
) -> tuple[Target, ...]:
    out: list[Target] = []
    for ref in ids:
        if ref in kb.topics:
            target = Target("cell", ref, (carrier,)) if carrier else Target("overview", ref)
        elif ref in kb.entries:
            target = Target("entry", ref)
        elif ref in kb.carriers:
            target = Target("card", carriers=(ref,))
        else:
            continue
        if target != skip and target not in out:
            out.append(target)
        if len(out) == MAX_RELATED:
            break
    return tuple(out)


def _cell_lines(cell: Cell, lang: str, aspect: str | None, lead: bool) -> list[str]:
    """The verdict and the details; the detail about `aspect` comes first (a follow-up that only
    asked about it) or right after the verdict."""
    details = list(cell.details)
    focus = next((d for d in details if aspect and d.aspect == aspect), None)
    if focus is not None:
        details.remove(focus)
        details.insert(0, focus)
    lines = [pick(cell.answer, lang), *(pick(d.text, lang) for d in details)]
    if focus is not None and lead:
        lines[0], lines[1] = lines[1], lines[0]
    return lines


# Words that answer an aspect without naming it: a line on when something expires ("码在后天或
# 月底失效", "expires") answers how long it is valid.
_ALSO_ANSWERS = {"validity": ("#carryover",)}
# A first line that is the first step answers how ("第一步：…", "まず…", "First, …").
_FIRST_STEP = re.compile(r"第一步|首先|まず|first\b|step 1", re.IGNORECASE)


# Words that answer an aspect by implication: what happens by itself needs no application;
# whom it reaches says what the other person needs ("送给任何 au 号码", "mineoユーザーなら").
_IMPLIED = {
    "apply": re.compile(r"自动|自動|automatic", re.IGNORECASE),
    "receiver": re.compile(
        r"任何|任意|誰にでも|只限|仅限|同一|同じ|双方|用户|ユーザー|番号|号码|\b(?:any|same|both|users?)\b",
        re.IGNORECASE,
    ),
    "number": re.compile(r"通话|通話|打电话|打電話|電話|voice|calls?\b", re.IGNORECASE),
}
# Verdicts for which a price, an application or a limit is moot ("no") or all is unknown.
_NOTHING_MORE = frozenset({"no", "unknown"})


def _not_said(snapshot: Snapshot, cell: Cell, aspect: str) -> bool:
    """Whether a follow-up asked about `aspect` ("いくら？" after Y!mobile's share plan) that
    neither the cell's verdict nor any of its details says: the first line then says so
    instead of repeating the verdict."""
    if aspect == "howto" or cell.verdict in _NOTHING_MORE:
        return False
    if aspect in cell.aspects:
        return False
    units = {f"#{aspect}", *_ALSO_ANSWERS.get(aspect, ())}
    implied = _IMPLIED.get(aspect)
    return not any(
        units & set(snapshot.matcher.analyze(pick(cell.answer, lang)).units)
        or (implied is not None and implied.search(pick(cell.answer, lang)))
        for lang in ("zh-Hans", "ja", "en")
    )


def _led_by(snapshot: Snapshot, lines: tuple[str, ...], aspect: str) -> tuple[str, ...]:
    """An entry's answer led by its first line about `aspect` ("多少钱一个G" after au's gifting
    answer: データプレゼント's price line first). Entries are free text, so the line is the one
    the matcher reads that aspect in."""
    units = {f"#{aspect}", *_ALSO_ANSWERS.get(aspect, ())}
    if (
        aspect == "howto"
        and lines
        and (_FIRST_STEP.match(lines[0]) or "#howto" in snapshot.matcher.analyze(lines[0]).units)
    ):
        return lines  # the first line is already the first step ("第一步：…")
    for i, line in enumerate(lines[1:], 1):
        if units & set(snapshot.matcher.analyze(line).units):
            return (line.removeprefix("• "), *lines[:i], *lines[i + 1 :])
    return lines


def compose(
    snapshot: Snapshot,
    target: Target,
    lang: str,
    *,
    aspect: str | None = None,
    lead_aspect: bool = False,
) -> Composed:
    kb = snapshot.kb
    if target.kind == "entry":
        entry = kb.entries[target.topic]
        lines = tuple(
            line.strip() for line in pick(entry.answer, lang).splitlines() if line.strip()
        )
        if lead_aspect and aspect:
            lines = _led_by(snapshot, lines, aspect)
        carrier = target.carriers[0] if target.carriers else entry.carrier
        return Composed(
            target,
            pick(entry.title, lang),
            lines,
            entry.sources,
            entry.verified,
            _related(kb, entry.see_also, carrier if entry.carrier is None else None, target),
        )
    if target.kind == "card":
        return _card(kb, target, lang, aspect if lead_aspect else None)
    topic = kb.topics[target.topic]
    if target.kind == "cell":
        carrier = target.carriers[0]
        cell = kb.cells[(topic.id, carrier)]
        title = f"{carrier_label(kb, carrier, lang)} · {pick(topic.title, lang)}"
        lines = _cell_lines(cell, lang, aspect, lead_aspect)
        if lead_aspect and aspect and _not_said(snapshot, cell, aspect):
            label = carrier_label(kb, carrier, lang)
            what = t(lang, f"aspect_{aspect}")
            lines.insert(0, t(lang, "aspect_unknown", what=what, carrier=label))
        return Composed(
            target,
            title,
            tuple(lines),
            cell.sources,
            cell.verified,
            _related(kb, (*cell.see_also, *topic.see_also), carrier, target),
        )
    if target.kind == "compare":
        return _compare(kb, target, lang)
    return _overview(kb, target, lang)


def _card(kb: KnowledgeBase, target: Target, lang: str, aspect: str | None = None) -> Composed:
    """One line per topic, the gifting verdict first; a question about something the card's
    topics do not cover but a cell's detail does ("旅游卡能打电话吗": a travel SIM's number;
    "can she top up her own travel eSIM": while it is active) gets that detail first."""
    carrier = target.carriers[0]
    topics = sorted(kb.topics.values(), key=lambda tp: not tp.headline)
    cells = [kb.cells[(tp.id, carrier)] for tp in topics]
    headline = cells[0] if cells else None
    lead = [
        pick(d.text, lang)
        for d in (next((d for cell in cells for d in cell.details if d.aspect == aspect), None),)
        if aspect and d is not None
    ]
    lines = tuple(
        lead
        + [
            f"{pick(tp.label, lang)}{t(lang, 'colon')}{pick(cell.answer, lang)}"
            for tp, cell in zip(topics, cells, strict=True)
        ]
    )
    related = _related(kb, headline.see_also if headline else (), carrier, target)
    return Composed(
        target, carrier_label(kb, carrier, lang), lines, _sources(cells), _oldest(cells), related
    )


def _compare(kb: KnowledgeBase, target: Target, lang: str) -> Composed:
    topic = kb.topics[target.topic]
    order = list(topic.verdicts)
    cells = sorted(
        (kb.cells[(topic.id, c)] for c in target.carriers),
        key=lambda cell: order.index(cell.verdict),
    )
    lines = [
        f"{carrier_label(kb, cell.carrier, lang)}{t(lang, 'colon')}{pick(cell.answer, lang)}"
        for cell in cells
    ]
    if target.cross and len(target.carriers) == 1:  # the receiver is on some other carrier
        lines.insert(
            0, t(lang, "cross_carrier_other", a=carrier_label(kb, target.carriers[0], lang))
        )
    elif target.cross:
        giver, receiver = (carrier_label(kb, c, lang) for c in target.carriers[:2])
        lines.insert(0, t(lang, "cross_carrier", a=giver, b=receiver))
    labels = " / ".join(carrier_label(kb, c, lang) for c in target.carriers)
    return Composed(
        target,
        f"{labels} · {pick(topic.title, lang)}",
        tuple(lines),
        _sources(cells),
        _oldest(cells),
        _related(kb, topic.see_also, None, target),
    )


def _overview(kb: KnowledgeBase, target: Target, lang: str) -> Composed:
    topic = kb.topics[target.topic]
    groups: dict[str, list[Cell]] = {v: [] for v in topic.verdicts}
    for carrier in kb.carriers:
        if carrier in target.excluded:
            continue
        cell = kb.cells[(topic.id, carrier)]
        groups[cell.verdict].append(cell)
    lines = [pick(topic.overview, lang)]
    title = pick(topic.title, lang)
    if target.excluded:
        names = t(lang, "list_sep").join(carrier_label(kb, c, lang) for c in target.excluded)
        title = f"{title} {t(lang, 'excluding', names=names)}"
    shown: list[Cell] = []
    for verdict, cells in groups.items():
        if not cells:
            continue
        names = []
        # The best groups say what each carrier does; the rest (no, unknown) only who.
        noted = len(shown) < 2
        for cell in cells:
            label = carrier_label(kb, cell.carrier, lang)
            short = pick(cell.short, lang) if noted else ""
            names.append(t(lang, "with_note", name=label, note=short) if short else label)
        lines.append(
            f"• {pick(topic.verdicts[verdict], lang)}{t(lang, 'colon')}{t(lang, 'list_sep').join(names)}"
        )
        if len(shown) < 2:
            shown.extend(cells[: 2 - len(shown)])
    return Composed(
        target,
        title,
        tuple(lines),
        _sources(shown),
        _oldest(shown),
        _related(kb, topic.see_also, None, target),
    )


def compose_reply(snapshot: Snapshot, reply: Reply) -> Composed | None:
    if reply.decision != "answer" or reply.target is None:
        return None
    return compose(
        snapshot, reply.target, reply.lang, aspect=reply.aspect, lead_aspect=reply.lead_aspect
    )


def target_title(snapshot: Snapshot, target: Target, lang: str) -> str:
    """A short label for a button or a list item."""
    kb = snapshot.kb
    if target.kind == "card":
        return carrier_label(kb, target.carriers[0], lang)
    if target.kind == "entry":
        return pick(kb.entries[target.topic].title, lang)
    topic = kb.topics[target.topic]
    if target.kind in ("cell", "compare"):
        labels = " / ".join(carrier_label(kb, c, lang) for c in target.carriers)
        return f"{labels} · {pick(topic.title, lang)}"
    return pick(topic.title, lang)


def summary_line(snapshot: Snapshot, target: Target, lang: str) -> str:
    """One line that answers: the group reply and the inline description."""
    kb = snapshot.kb
    if target.kind == "entry":
        return pick(kb.entries[target.topic].summary, lang)
    composed = compose(snapshot, target, lang)
    if target.kind == "card":
        return f"{composed.title}{t(lang, 'colon')}{composed.lines[0]}"
    if target.kind == "overview":
        return " ".join(composed.lines[:2])
    if target.kind == "cell":
        return f"{carrier_label(kb, target.carriers[0], lang)}{t(lang, 'colon')}{composed.lines[0]}"
    return composed.lines[0]
