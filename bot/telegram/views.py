"""Replies as Telegram messages: text, keyboards, callback data and deep links.

Callback data is `action:lang:key`, at most 64 bytes (Telegram's limit), where `key` is a
Target's short form (`tethering~ahamo`, `@mineo`, `sim-transfer-law`):

    a  show the target in place of this message (a "did you mean" pick, /policy's keyboard)
    r  send a related target as a new message
    m  send the rest of a long answer ("more")
    u  👍 for the target          d  👎 for the target
    w  after 👎: this other target is what I wanted
    n  "none of these": log the question as unanswered
    l  reply in this language from now on (/lang)

Data is untrusted (any client can send any bytes), and a button may outlive its target after a
reload: anything that does not decode, or names something that no longer exists, gets a polite
"this button has expired" and nothing else.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.compose import Composed, compose, summary_line, target_title
from bot.engine import Reply, Snapshot, Target
from bot.knowledge import LANGS, KnowledgeBase
from bot.messages import LANGUAGE_NAMES, t
from bot.render import answer_text, reply_text

DATA_LIMIT = 64  # bytes, Telegram's limit for callback_data
ACTIONS = frozenset("armudwnl")
TARGET_ACTIONS = frozenset("armudw")
LANG_CODES = {"zh-Hans": "s", "zh-Hant": "t", "ja": "j", "en": "e"}
_LANG_OF_CODE = {code: lang for lang, code in LANG_CODES.items()}
_KEY_RE = re.compile(r"@?[a-z0-9][a-z0-9-]{0,62}(?:~[!*]?[a-z0-9-]+(?:\+[a-z0-9-]+)*)?")
_PAYLOAD_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
CARRIER_COLUMNS = 3


@dataclass(frozen=True)
class ButtonData:
    action: str
    lang: str
    key: str = ""


def encode(action: str, lang: str, key: str = "") -> str | None:
    """Callback data for a button, or None if it would not fit (the button is then left out)."""
    data = f"{action}:{LANG_CODES[lang]}" + (f":{key}" if key else "")
    return data if len(data.encode()) <= DATA_LIMIT else None


def decode(data: object) -> ButtonData | None:
    """The button's meaning, or None for anything this bot did not make."""
    if not isinstance(data, str) or len(data.encode()) > DATA_LIMIT:
        return None
    parts = data.split(":")
    if len(parts) not in (2, 3) or parts[0] not in ACTIONS or parts[1] not in _LANG_OF_CODE:
        return None
    action, lang, key = parts[0], _LANG_OF_CODE[parts[1]], parts[2] if len(parts) == 3 else ""
    if (action in TARGET_ACTIONS) != bool(_KEY_RE.fullmatch(key)):
        return None
    return ButtonData(action, lang, key)


# ------------------------------------------------------------------------------ deep links

_KIND_LETTER = {"card": "c", "cell": "t", "overview": "o", "compare": "v", "entry": "e"}


def to_payload(target: Target) -> str:
    """A /start payload for a target ([A-Za-z0-9_-], ≤ 64): kind letter and ids joined by _."""
    if target.kind == "overview" and target.excluded:
        parts = ["x", target.topic, *target.excluded]
    elif target.cross:
        parts = ["y", target.topic, *target.carriers]
    else:
        parts = [
            _KIND_LETTER[target.kind],
            *([target.topic] if target.topic else []),
            *target.carriers,
        ]
    return "_".join(parts)


def from_payload(payload: str, kb: KnowledgeBase) -> Target | None:
    kind, *ids = payload.split("_")
    if not ids or any(not i for i in ids):
        return None
    if kind == "c":
        return Target("card", carriers=(ids[0],)) if ids[0] in kb.carriers else None
    if kind in ("x", "y"):  # an overview without some carriers; giving between carriers
        mark = "!" if kind == "x" else "*"
        return Target.from_key(f"{ids[0]}~{mark}{'+'.join(ids[1:])}", kb)
    if kind in ("t", "v", "o", "e"):
        key = ids[0] + (f"~{'+'.join(ids[1:])}" if ids[1:] else "")
        return Target.from_key(key, kb)
    return None


def deep_link(username: str | None, payload: str) -> str | None:
    """https://t.me/<bot>?start=<payload>, if the payload is one Telegram accepts."""
    if not username or not _PAYLOAD_RE.fullmatch(payload):
        return None
    return f"https://t.me/{username}?start={payload}"


# ------------------------------------------------------------------------------ keyboards


def _button(text: str, data: str | None) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(text, callback_data=data)] if data else []


def answer_markup(
    composed: Composed, lang: str, snapshot: Snapshot, *, more: bool
) -> InlineKeyboardMarkup:
    """ "More" (when lines were left out), at most two related answers, then 👍 / 👎."""
    key = composed.target.key()
    rows = []
    if more:
        rows.append(_button(t(lang, "more_button"), encode("m", lang, key)))
    for related in composed.related:
        label = f"↪ {target_title(snapshot, related, lang)}"
        rows.append(_button(label, encode("r", lang, related.key())))
    rows.append(_button("👍", encode("u", lang, key)) + _button("👎", encode("d", lang, key)))
    return InlineKeyboardMarkup([row for row in rows if row])


def options_markup(
    snapshot: Snapshot, options: tuple[Target, ...], lang: str, *, none_of_these: bool
) -> InlineKeyboardMarkup:
    """One button per choice; "none of these" last for a "did you mean"."""
    rows = [
        _button(target_title(snapshot, target, lang), encode("a", lang, target.key()))
        for target in options
    ]
    if none_of_these:
        rows.append(_button(t(lang, "none_of_these"), encode("n", lang)))
    return InlineKeyboardMarkup([row for row in rows if row])


def target_view(
    snapshot: Snapshot,
    target: Target,
    lang: str,
    *,
    group: bool,
    username: str | None,
    aspect: str | None = None,
    lead_aspect: bool = False,
    hedge: bool = False,
) -> tuple[str, InlineKeyboardMarkup | None]:
    """An answer: what fits a phone with its buttons in private; one line and a link in groups.

    A full answer is a wall of text in a group; there it is one line that answers, and a button
    that opens the whole answer in private.
    """
    if group:
        line = html.escape(summary_line(snapshot, target, lang), quote=False)
        link = deep_link(username, to_payload(target))
        markup = (
            InlineKeyboardMarkup([[InlineKeyboardButton(t(lang, "details_button"), url=link)]])
            if link
            else None
        )
        return line, markup
    composed = compose(snapshot, target, lang, aspect=aspect, lead_aspect=lead_aspect)
    rendered = answer_text(composed, lang, hedge=hedge)
    return rendered.text, answer_markup(composed, lang, snapshot, more=rendered.more)


def reply_view(
    reply: Reply, snapshot: Snapshot, *, group: bool, username: str | None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Whatever the engine decided, as a message."""
    if reply.decision == "answer" and reply.target is not None:
        return target_view(
            snapshot,
            reply.target,
            reply.lang,
            group=group,
            username=username,
            aspect=reply.aspect,
            lead_aspect=reply.lead_aspect,
            hedge=reply.hedge,
        )
    text = reply_text(reply, snapshot).text
    options = reply.context.options if reply.decision in ("clarify", "none") else ()
    if not options or reply.dismissed:
        return text, None
    markup = options_markup(
        snapshot, options, reply.lang, none_of_these=reply.decision == "clarify"
    )
    return text, markup


def carrier_markup(snapshot: Snapshot, lang: str) -> InlineKeyboardMarkup:
    """Every carrier, labelled in the user's language, for /policy without a name."""
    kb = snapshot.kb
    buttons = [
        InlineKeyboardButton(target_title(snapshot, target, lang), callback_data=data)
        for cid in kb.carriers
        if (data := encode("a", lang, (target := Target("card", carriers=(cid,))).key()))
    ]
    return InlineKeyboardMarkup(
        [buttons[i : i + CARRIER_COLUMNS] for i in range(0, len(buttons), CARRIER_COLUMNS)]
    )


def language_markup() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(LANGUAGE_NAMES[lang], callback_data=encode("l", lang))]
            for lang in LANGS
        ]
    )
