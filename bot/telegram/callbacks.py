"""Button presses: picks, related answers, "more", feedback, "none of these" and languages.

What each button means is in views.py; this module carries the presses out.
"""

from __future__ import annotations

import logging

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.compose import compose
from bot.engine import Context, Target
from bot.messages import t
from bot.render import answer_text, shown_lines
from bot.telegram import (
    conversation_key,
    in_group,
    record_target,
    send_to_chat,
    services,
    ui,
    update_kind,
    user_lang,
)
from bot.telegram.views import (
    ButtonData,
    answer_markup,
    decode,
    options_markup,
    target_view,
)

log = logging.getLogger(__name__)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any button press."""
    svc = services(context)
    query = update.callback_query
    data = decode(query.data)
    message = query.message
    snapshot = svc.engine.snapshot
    target = Target.from_key(data.key, snapshot.kb) if data and data.key else None
    if (
        data is None
        or message is None
        or not message.is_accessible
        or (data.key and target is None)
    ):
        lang = data.lang if data else user_lang(svc, update.effective_user)
        log.info("stale or unknown button pressed in chat %s", update_kind(update)[1])
        await query.answer(t(lang, "stale_button"))
        return
    handler = _ACTIONS[data.action]
    await handler(update, context, query, data, target)


async def _language(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    query: CallbackQuery,
    data: ButtonData,
    target: Target | None,
) -> None:
    services(context).store.set_language(query.from_user.id, data.lang)
    await query.answer()
    await _edit(query, ui(data.lang, "lang_set"), None)


async def _show(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    query: CallbackQuery,
    data: ButtonData,
    target: Target | None,
) -> None:
    """A pick: the answer takes the place of the question's choices."""
    svc = services(context)
    message = query.message
    await query.answer()
    text, markup = _follow(context, query, data, target)
    record_target(svc, target, lang=data.lang, group=in_group(message.chat), via="button", text="")
    await _edit(query, text, markup)


async def _related(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    query: CallbackQuery,
    data: ButtonData,
    target: Target | None,
) -> None:
    """A related answer, as a new message."""
    await query.answer()
    text, markup = _follow(context, query, data, target)
    await send_to_chat(query.message, text, markup)


def _follow(
    context: ContextTypes.DEFAULT_TYPE, query: CallbackQuery, data: ButtonData, target: Target
) -> tuple[str, InlineKeyboardMarkup | None]:
    """An answer opened by a button, as a message; it becomes the conversation's subject."""
    svc = services(context)
    message = query.message
    svc.conversations.put(
        conversation_key(message.chat, query.from_user), Context(target, lang=data.lang)
    )
    return target_view(
        svc.engine.snapshot,
        target,
        data.lang,
        group=in_group(message.chat),
        username=context.bot.username,
    )


async def _more(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    query: CallbackQuery,
    data: ButtonData,
    target: Target | None,
) -> None:
    """The rest of a long answer, as a new message; the button leaves the first one."""
    svc = services(context)
    message = query.message
    await query.answer()
    snapshot = svc.engine.snapshot
    composed = compose(snapshot, target, data.lang)
    start = shown_lines(composed, data.lang)
    rendered = answer_text(composed, data.lang, start=start, budget=4000)
    await send_to_chat(message, rendered.text, None)
    first = answer_markup(composed, data.lang, snapshot, more=False)
    await _edit_markup(query, first)


async def _feedback(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    query: CallbackQuery,
    data: ButtonData,
    target: Target | None,
) -> None:
    """👍 / 👎; a 👎 keeps the question and asks, with one tap, what would have been right."""
    svc = services(context)
    message = query.message
    snapshot = svc.engine.snapshot
    kb = snapshot.kb
    up = data.action == "u"
    asked = svc.conversations.get(conversation_key(message.chat, query.from_user))
    question = asked.question if asked and asked.target == target else None
    svc.store.record_feedback(
        target.answer_id(kb), 1 if up else -1, snapshot.version, target=target.key(), text=question
    )
    if up:
        await query.answer(t(data.lang, "thanks_feedback"))
        await _edit_markup(query, _without_feedback(message.reply_markup))
        return
    await query.answer()
    choices: list[Target] = []
    if question:
        reply = svc.engine.ask(question, lang=data.lang)
        choices = [c.target for c in reply.candidates if c.target != target]
        choices += [s for s in svc.engine.search(question, limit=4) if s != target]
        # A confident answer has no runner-up: offer what the answer itself links to.
        choices += list(compose(snapshot, target, data.lang).related)
    choices = list(dict.fromkeys(choices))[:3]
    if not choices:
        await send_to_chat(message, ui(data.lang, "feedback_noted"), None)
        await _edit_markup(query, _without_feedback(message.reply_markup))
        return
    markup = options_markup(snapshot, tuple(choices), data.lang, none_of_these=True)
    # "w" buttons say which answer was wanted; "n" that none of them was.
    rows = [
        [button.__class__(button.text, callback_data=_wanted(button.callback_data))]
        for row in markup.inline_keyboard
        for button in row
    ]
    await send_to_chat(message, ui(data.lang, "feedback_which"), InlineKeyboardMarkup(rows))
    await _edit_markup(query, _without_feedback(message.reply_markup))


def _wanted(callback_data: object) -> str:
    data = decode(callback_data)
    if data and data.action == "a":
        return f"w:{callback_data[2:]}"  # type: ignore[index]
    return str(callback_data)


async def _wanted_pick(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    query: CallbackQuery,
    data: ButtonData,
    target: Target | None,
) -> None:
    """After a 👎: the user picked what they wanted; log it for the operators and show it."""
    svc = services(context)
    asked = svc.conversations.get(conversation_key(query.message.chat, query.from_user))
    if asked and asked.target is not None:
        svc.store.record_wanted(asked.target.key(), target.key())
    await _show(update, context, query, data, target)


async def _none_of_these(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    query: CallbackQuery,
    data: ButtonData,
    target: Target | None,
) -> None:
    """ "None of these": the question goes to the operators' /unanswered; say so."""
    svc = services(context)
    message = query.message
    key = conversation_key(message.chat, query.from_user)
    asked = svc.conversations.get(key)
    question = asked.question if asked else ""
    if question:
        svc.store.record_question(
            decision="none",
            entry_id=None,
            score=0.0,
            lang=data.lang,
            chat_type="group" if in_group(message.chat) else "private",
            via="none-of-these",
            text=question,
        )
    svc.conversations.put(key, Context(asked.target if asked else None, lang=data.lang))
    await query.answer()
    await _edit(query, ui(data.lang, "dismissed"), None)


_ACTIONS = {
    "l": _language,
    "a": _show,
    "r": _related,
    "m": _more,
    "u": _feedback,
    "d": _feedback,
    "w": _wanted_pick,
    "n": _none_of_these,
}


def _without_feedback(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup:
    rows = []
    for row in markup.inline_keyboard if markup else ():
        kept = [b for b in row if not ((d := decode(b.callback_data)) and d.action in "ud")]
        if kept:
            rows.append(kept)
    return InlineKeyboardMarkup(rows)


async def _edit_markup(query: CallbackQuery, markup: InlineKeyboardMarkup) -> None:
    try:
        await query.edit_message_reply_markup(markup)
    except BadRequest as exc:
        log.debug("could not change the buttons: %s", exc)


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
        await send_to_chat(query.message, text, markup)
