"""Conversation handlers: questions in private and in groups, and the user commands.

/start [payload], /help, /policy [carrier], /lang [language], /about. Groups get /policy and /help
and answers to messages addressed to the bot (see groups.py); everything else is private-only.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Message, Update, User
from telegram.ext import ContextTypes

from bot.engine import Engine
from bot.knowledge import LANGS, Entry
from bot.messages import LANGUAGE_NAMES
from bot.telegram import Services, chosen_lang, in_group, respond, services, ui, user_lang
from bot.telegram.callbacks import carrier_markup, entry_view, language_markup, reply_view
from bot.telegram.groups import addressed_text, strip_own_mentions

log = logging.getLogger(__name__)

CLARIFY_KEY = "clarify"  # chat_data: (candidate ids, lang) of the last clarify, for "reply 1-3"


def deep_link_entry(engine: Engine, payload: str) -> Entry | None:
    """The entry a /start payload points to: `entry-<id>` or `policy-<carrier name>`."""
    kind, _, value = payload.partition("-")
    if kind == "entry":
        return engine.snapshot.entry(value)
    if kind == "policy" and value:
        return engine.find_carrier(value.replace("_", " "))
    return None


async def _post(
    where: Message,
    svc: Services,
    key: str,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Reply to `where`, unless it is a group that saw the same `key` within the cooldown."""
    if in_group(where.chat) and not svc.cooldown.allow(where.chat_id, key):
        return
    await respond(where, text, markup)


async def _post_entry(
    where: Message, context: ContextTypes.DEFAULT_TYPE, entry: Entry, lang: str
) -> None:
    svc = services(context)
    text, markup = entry_view(
        entry, lang, svc.engine.snapshot, group=in_group(where.chat), username=context.bot.username
    )
    await _post(where, svc, entry.id, text, markup)


async def answer_question(
    context: ContextTypes.DEFAULT_TYPE, where: Message, asker: User | None, question: str
) -> None:
    """Ask the engine and reply to `where` with the answer, the choices or the fallback."""
    svc = services(context)
    reply = svc.engine.ask(
        question,
        lang=chosen_lang(svc, asker),
        client_lang=asker.language_code if asker else None,
    )
    group = in_group(where.chat)
    best = reply.entry_id or (reply.candidates[0].id if reply.candidates else None)
    svc.store.record_question(
        decision=reply.decision,
        entry_id=best,
        score=reply.score,
        lang=reply.lang,
        chat_type="group" if group else "private",
        via="text",
        text=question,
    )
    text, markup = reply_view(
        reply, svc.engine.snapshot, group=group, username=context.bot.username
    )
    key = reply.entry_id or f"{reply.decision}:{','.join(c.id for c in reply.candidates)}"
    await _post(where, svc, key, text, markup)
    if reply.decision == "clarify" and not group:
        context.chat_data[CLARIFY_KEY] = (tuple(c.id for c in reply.candidates), reply.lang)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet; a deep link (`entry-<id>`, `policy-mineo`) opens that answer directly."""
    svc = services(context)
    message = update.effective_message
    entry = deep_link_entry(svc.engine, context.args[0]) if context.args else None
    lang = user_lang(svc, update.effective_user)
    if entry:
        await _post_entry(message, context, entry, lang)
        return
    await respond(message, ui(lang, "start") + "\n\n" + ui(lang, "help"))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What the bot answers and how to ask."""
    svc = services(context)
    lang = user_lang(svc, update.effective_user)
    await _post(update.effective_message, svc, "help", ui(lang, "help"))


def _reply_target(message: Message, bot_id: int) -> Message | None:
    """Whose question a command answers: a replied-to message, unless it is the bot's own or the
    topic root that every message in a forum topic points to."""
    target = message.reply_to_message
    if target is None or target.forum_topic_created is not None:
        return None
    if target.from_user is not None and target.from_user.id == bot_id:
        return None
    return target


async def policy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/policy [carrier]: one carrier's rules, the name matched fuzzily in any language.

    Without a name it offers a keyboard of carriers. Sent in a group as a reply, it answers the
    replied-to message: with the named carrier's card, or, without a name, as if that message had
    been asked of the bot.
    """
    svc = services(context)
    message = update.effective_message
    name = " ".join(context.args or ()).strip()
    target = _reply_target(message, context.bot.id) if in_group(message.chat) else None
    where = target or message
    if target is not None:
        target_text = target.text or target.caption or ""
        lang = user_lang(svc, target.from_user, target_text or name)
        if not name and target_text.strip():
            await answer_question(context, target, target.from_user, target_text)
            return
    else:
        lang = user_lang(svc, update.effective_user, name)
    if name:
        card = svc.engine.find_carrier(name)
        svc.store.record_question(
            decision="answer" if card else "none",
            entry_id=card.id if card else None,
            score=100.0 if card else 0.0,
            lang=lang,
            chat_type="group" if in_group(message.chat) else "private",
            via="policy",
            text=name,
        )
        if card:
            await _post_entry(where, context, card, lang)
            return
    prompt = ui(lang, "policy_unknown" if name else "policy_pick")
    await _post(where, svc, "carriers", prompt, carrier_markup(svc.engine.snapshot, lang))


def _language_from(arg: str) -> str | None:
    arg = arg.strip().lower()
    for lang in LANGS:
        if arg in (lang.lower(), LANGUAGE_NAMES[lang].lower()):
            return lang
    return {"zh": "zh-Hans", "cn": "zh-Hans", "tw": "zh-Hant", "jp": "ja"}.get(arg)


async def lang_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/lang [zh-Hans|zh-Hant|ja|en]: choose the reply language; remembered."""
    svc = services(context)
    user = update.effective_user
    choice = _language_from(" ".join(context.args or ()))
    if choice and user:
        svc.store.set_language(user.id, choice)
        await respond(update.effective_message, ui(choice, "lang_set"))
        return
    await respond(
        update.effective_message, ui(user_lang(svc, user), "lang_pick"), language_markup()
    )


async def about(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Knowledge-base version, size and when it was loaded."""
    svc = services(context)
    snapshot = svc.engine.snapshot
    text = ui(
        user_lang(svc, update.effective_user),
        "about",
        version=snapshot.version,
        count=len(snapshot.kb.entries),
        loaded=snapshot.loaded_at.strftime("%Y-%m-%d %H:%M UTC"),
    )
    await respond(update.effective_message, text)


def _clarify_pick(context: ContextTypes.DEFAULT_TYPE, text: str) -> tuple[Entry, str] | None:
    """A bare number answering the last "which one did you mean?" in this chat."""
    last = context.chat_data.get(CLARIFY_KEY)
    if not last or not text.isdigit():
        return None
    ids, lang = last
    number = int(text)
    entry = (
        services(context).engine.snapshot.entry(ids[number - 1])
        if 1 <= number <= len(ids)
        else None
    )
    return (entry, lang) if entry else None


async def private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any text in a private chat is a question."""
    message = update.effective_message
    question, _ = strip_own_mentions(message, context.bot)
    if not question:
        await help_command(update, context)
        return
    picked = _clarify_pick(context, question)
    if picked:
        context.chat_data.pop(CLARIFY_KEY, None)
        await _post_entry(message, context, *picked)
        return
    await answer_question(context, message, update.effective_user, question)


async def group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group message: a question if it mentions the bot or replies to it, else none of ours."""
    message = update.effective_message
    question = addressed_text(message, context.bot)
    if question is None:
        return
    if not question:
        await help_command(update, context)
        return
    await answer_question(context, message, update.effective_user, question)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command this bot does not have, in private: show what it does have."""
    await help_command(update, context)


async def chat_migrated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group became a supergroup: carry its chat data over to the new id."""
    context.application.migrate_chat_data(message=update.effective_message)
