"""Buttons: the callback-data format, the keyboards that carry it, and the handler for presses.

Callback data is `action:lang[:entry-id]`, at most 64 bytes (Telegram's limit), with a
one-letter action and a one-letter language so that any real entry id fits:

    a  show the entry in place of this message (a clarify candidate, a carrier from /policy)
    r  send a related entry as a new message (the entry's see_also)
    u  👍 for the entry          d  👎 for the entry
    l  reply in this language from now on (/lang)

Data is untrusted (any client can send any bytes), and a button may outlive its entry after a
reload: anything that does not decode, or names an entry that no longer exists, gets a polite
"this button has expired" and nothing else.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.engine import Reply, Snapshot
from bot.knowledge import LANGS, Entry
from bot.messages import LANGUAGE_NAMES, t
from bot.render import answer_text, clarify_text, fallback_text, pick
from bot.telegram import in_group, services, ui, update_kind, user_lang

log = logging.getLogger(__name__)

DATA_LIMIT = 64  # bytes, Telegram's limit for callback_data
DEEP_LINK_LIMIT = 64  # characters of a ?start= payload
ACTIONS = frozenset("arudl")
ENTRY_ACTIONS = frozenset("arud")
LANG_CODES = {"zh-Hans": "s", "zh-Hant": "t", "ja": "j", "en": "e"}
_LANG_OF_CODE = {code: lang for lang, code in LANG_CODES.items()}
_ID_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
_PAYLOAD_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_RELATED = 4
CARRIER_COLUMNS = 3


@dataclass(frozen=True)
class ButtonData:
    action: str
    lang: str
    entry_id: str = ""


def encode(action: str, lang: str, entry_id: str = "") -> str | None:
    """Callback data for a button, or None if it would not fit (the button is then left out)."""
    data = f"{action}:{LANG_CODES[lang]}" + (f":{entry_id}" if entry_id else "")
    return data if len(data.encode()) <= DATA_LIMIT else None


def decode(data: object) -> ButtonData | None:
    """The button's meaning, or None for anything this bot did not make."""
    if not isinstance(data, str) or len(data.encode()) > DATA_LIMIT:
        return None
    parts = data.split(":")
    if len(parts) not in (2, 3) or parts[0] not in ACTIONS or parts[1] not in _LANG_OF_CODE:
        return None
    action, lang, entry_id = parts[0], _LANG_OF_CODE[parts[1]], parts[2] if len(parts) == 3 else ""
    if (action in ENTRY_ACTIONS) != bool(_ID_RE.fullmatch(entry_id)):
        return None
    return ButtonData(action, lang, entry_id)


def deep_link(username: str | None, payload: str) -> str | None:
    """https://t.me/<bot>?start=<payload>, if the payload is one Telegram accepts."""
    if not username or not _PAYLOAD_RE.fullmatch(payload):
        return None
    return f"https://t.me/{username}?start={payload}"


def _button(text: str, data: str | None) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(text, callback_data=data)] if data else []


def answer_markup(entry: Entry, lang: str, snapshot: Snapshot) -> InlineKeyboardMarkup:
    """Related entries, one per row, then 👍 / 👎."""
    rows = []
    for ref in entry.see_also:
        related = snapshot.entry(ref)
        row = _button(f"↪ {pick(related.title, lang)}", encode("r", lang, ref)) if related else []
        if row:
            rows.append(row)
        if len(rows) == MAX_RELATED:
            break
    feedback = _button("👍", encode("u", lang, entry.id)) + _button(
        "👎", encode("d", lang, entry.id)
    )
    if feedback:
        rows.append(feedback)
    return InlineKeyboardMarkup(rows)


def entry_view(
    entry: Entry, lang: str, snapshot: Snapshot, *, group: bool, username: str | None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """An entry as a message: in full with buttons in private, as a summary in groups.

    Every answer runs to several paragraphs, which is a wall of text in a group; there it is the
    title, the one-line summary, the source and a button that opens the full answer in private.
    """
    if not group:
        return answer_text(entry, lang), answer_markup(entry, lang, snapshot)
    link = deep_link(username, f"entry-{entry.id}")
    markup = (
        InlineKeyboardMarkup([[InlineKeyboardButton(t(lang, "details_button"), url=link)]])
        if link
        else None
    )
    return answer_text(entry, lang, summary=True), markup


def reply_view(
    reply: Reply, snapshot: Snapshot, *, group: bool, username: str | None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Whatever the engine decided, as a message."""
    entry = snapshot.entry(reply.entry_id) if reply.entry_id else None
    if reply.decision == "answer" and entry:
        return entry_view(entry, reply.lang, snapshot, group=group, username=username)
    if reply.decision == "clarify" and reply.candidates:
        rows = []
        for number, cand in enumerate(reply.candidates, 1):
            candidate = snapshot.entry(cand.id)
            if candidate:
                label = f"{number}. {pick(candidate.title, reply.lang)}"
                rows.append(_button(label, encode("a", reply.lang, cand.id)))
        return clarify_text(reply, snapshot), InlineKeyboardMarkup([r for r in rows if r])
    return fallback_text(reply.lang), None


def carrier_label(card: Entry) -> str:
    """A short name for a carrier button: the English title's subject, else the first alias."""
    head, sep, _ = card.title.get("en", "").partition(":")
    return head.strip() if sep and head.strip() else card.names[0]


def carrier_markup(snapshot: Snapshot, lang: str) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(carrier_label(card), callback_data=data)
        for card in snapshot.kb.carriers()
        if (data := encode("a", lang, card.id))
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


def _without_feedback(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup:
    rows = []
    for row in markup.inline_keyboard if markup else ():
        kept = [b for b in row if not ((d := decode(b.callback_data)) and d.action in "ud")]
        if kept:
            rows.append(kept)
    return InlineKeyboardMarkup(rows)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any button press: pick, related, feedback or language."""
    svc = services(context)
    query = update.callback_query
    data = decode(query.data)
    message = query.message
    snapshot = svc.engine.snapshot
    entry = snapshot.entry(data.entry_id) if data and data.entry_id else None
    if (
        data is None
        or message is None
        or not message.is_accessible
        or (data.action in ENTRY_ACTIONS and entry is None)
    ):
        lang = data.lang if data else user_lang(svc, update.effective_user)
        log.info("stale or unknown button pressed in chat %s", update_kind(update)[1])
        await query.answer(t(lang, "stale_button"))
        return
    group = in_group(message.chat)
    if data.action == "l":
        svc.store.set_language(query.from_user.id, data.lang)
        await query.answer()
        await _edit(query, ui(data.lang, "lang_set"), None)
    elif data.action == "a":
        await query.answer()
        text, markup = entry_view(
            entry, data.lang, snapshot, group=group, username=context.bot.username
        )
        await _edit(query, text, markup)
    elif data.action == "r":
        await query.answer()
        text, markup = entry_view(
            entry, data.lang, snapshot, group=group, username=context.bot.username
        )
        await context.bot.send_message(message.chat.id, text, reply_markup=markup)
    else:
        svc.store.record_feedback(entry.id, 1 if data.action == "u" else -1, snapshot.version)
        await query.answer(t(data.lang, "thanks_feedback"))
        try:
            await query.edit_message_reply_markup(_without_feedback(message.reply_markup))
        except BadRequest as exc:
            log.debug("could not remove the feedback buttons: %s", exc)


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Edit the pressed message; if Telegram refuses (too old, deleted), send a new one."""
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" in str(exc).lower():
            return
        log.info(
            "cannot edit message in chat %s (%s); sending a new one", query.message.chat.id, exc
        )
        await query.get_bot().send_message(query.message.chat.id, text, reply_markup=markup)
