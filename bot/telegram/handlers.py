"""Conversation handlers: questions in private and in groups, and the user commands.

/start [payload], /help, /policy [carrier …], /lang [language], /about. Groups get /policy and
/help and answers to messages addressed to the bot (see groups.py); the rest is private-only.
Each private chat, and each user within a group, is one conversation: a follow-up ("那au呢") is
completed from the last answer in it.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Message, Update, User
from telegram.ext import ContextTypes

from bot.engine import Context, Engine, Reply, Target
from bot.knowledge import LANGS
from bot.language import parse_language
from bot.messages import LANGUAGE_NAMES
from bot.normalize import fold
from bot.telegram import (
    Services,
    chosen_lang,
    conversation_key,
    in_group,
    record_target,
    respond,
    services,
    ui,
    user_lang,
)
from bot.telegram.groups import addressed_text, strip_own_mentions
from bot.telegram.views import (
    carrier_markup,
    from_payload,
    language_markup,
    reply_view,
    target_view,
)

log = logging.getLogger(__name__)


def deep_link_target(engine: Engine, payload: str) -> Target | None:
    """The answer a /start payload opens: a target (see views.to_payload), or the older forms
    `entry-<id>` and `policy-<carrier name>`."""
    kb = engine.snapshot.kb
    kind, _, value = payload.partition("-")
    if kind == "entry" and value:
        return Target.from_key(value, kb)
    if kind == "policy" and value:
        carrier = engine.find_carrier(value.replace("_", " "))
        return Target("card", carriers=(carrier,)) if carrier else None
    return from_payload(payload, kb)


def policy_target(engine: Engine, names: str) -> Target | None:
    """/policy mineo → the card; /policy softbank docomo → the headline topic side by side."""
    carriers = engine.find_carriers(names)
    if not carriers:
        return None
    headline = engine.snapshot.kb.headline
    if len(carriers) == 1 or headline is None:
        return Target("card", carriers=carriers[:1])
    return Target("compare", headline.id, carriers)


async def post(
    where: Message,
    svc: Services,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    cooldown_key: str | None = None,
    replied_to_bot: bool = False,
) -> Message | None:
    """Reply to `where`; in a group, not when the same answer to the same question was just
    posted (a short pointer to it instead, when the user replied to the bot)."""
    if cooldown_key is not None and where.is_topic_message:
        # A forum topic is its own conversation space: an answer in another topic is not seen.
        cooldown_key = f"{where.message_thread_id}|{cooldown_key}"
    if in_group(where.chat) and cooldown_key is not None:
        earlier = svc.cooldown.earlier(where.chat_id, cooldown_key)
        if earlier is not None:
            if replied_to_bot:
                await respond(
                    where,
                    ui(user_lang(svc, where.from_user, where.text or ""), "answered_above"),
                    None,
                    reply_to=earlier,
                )
            return None
    sent = await respond(where, text, markup)
    if sent is not None and in_group(where.chat) and cooldown_key is not None:
        svc.cooldown.remember(where.chat_id, cooldown_key, sent.message_id)
    return sent


async def show_target(
    where: Message,
    context: ContextTypes.DEFAULT_TYPE,
    user: User | None,
    target: Target,
    lang: str,
    *,
    cooldown_key: str | None = None,
) -> None:
    """Post an answer and make it the conversation's subject, so follow-ups refer to it."""
    svc = services(context)
    text, markup = target_view(
        svc.engine.snapshot,
        target,
        lang,
        group=in_group(where.chat),
        username=context.bot.username,
    )
    svc.conversations.put(conversation_key(where.chat, user), Context(target, lang=lang))
    await post(where, svc, text, markup, cooldown_key=cooldown_key)


def record(
    svc: Services, reply: Reply, *, group: bool, via: str, dismissed: str | None = None
) -> None:
    """Log a decision; `dismissed`: the question a "none of these" number turned down."""
    best = reply.target or (reply.candidates[0].target if reply.candidates else None)
    kb = svc.engine.snapshot.kb
    svc.store.record_question(
        decision=reply.decision,
        entry_id=best.answer_id(kb) if best else None,
        carrier=best.answer_carrier(kb) if best else None,
        target=best.key() if best else None,
        score=reply.score,
        lang=reply.lang,
        chat_type="group" if group else "private",
        via=via,
        text=(dismissed or reply.context.question) if reply.dismissed else reply.question,
    )


async def answer_question(
    context: ContextTypes.DEFAULT_TYPE,
    where: Message,
    asker: User | None,
    question: str,
    *,
    replied_to_bot: bool = False,
) -> None:
    """Ask the engine (with the conversation so far) and reply to `where`."""
    svc = services(context)
    key = conversation_key(where.chat, asker)
    before = svc.conversations.get(key)
    reply = svc.engine.ask(
        question,
        lang=chosen_lang(svc, asker),
        client_lang=asker.language_code if asker else None,
        context=before,
    )
    svc.conversations.put(key, reply.context)
    group = in_group(where.chat)
    record(svc, reply, group=group, via="text", dismissed=before.question if before else None)
    snapshot = reply.snapshot or svc.engine.snapshot  # the one the answer was decided on
    text, markup = reply_view(reply, snapshot, group=group, username=context.bot.username)
    # A number answering the last choices (a pick, or "none of these") is never held back.
    picked = question.strip().isdigit() and before is not None and bool(before.options)
    cooldown_key = None
    if reply.decision != "smalltalk" and not picked:
        target = reply.target.key() if reply.target else reply.decision
        cooldown_key = f"{target}|{fold(question)}"
    await post(where, svc, text, markup, cooldown_key=cooldown_key, replied_to_bot=replied_to_bot)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet; a deep link (`t_tethering_ahamo`, `c_mineo`, `policy-mineo`) opens that answer."""
    svc = services(context)
    message = update.effective_message
    target = deep_link_target(svc.engine, context.args[0]) if context.args else None
    lang = user_lang(svc, update.effective_user)
    if target:
        await show_target(message, context, update.effective_user, target, lang)
        return
    await respond(message, ui(lang, "start") + "\n" + ui(lang, "help"))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What the bot answers and how to ask."""
    svc = services(context)
    lang = user_lang(svc, update.effective_user)
    await post(update.effective_message, svc, ui(lang, "help"), cooldown_key="help")


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
    """/policy [carrier …]: a carrier at a glance, the names matched fuzzily in any language.

    Without a name it offers a keyboard of carriers; with two or more, their gifting side by
    side. Sent in a group as a reply, it answers the replied-to message: with the named
    carriers, or, without a name, as if that message had been asked of the bot.
    """
    svc = services(context)
    message = update.effective_message
    name = " ".join(context.args or ()).strip()
    target_message = _reply_target(message, context.bot.id) if in_group(message.chat) else None
    where = target_message or message
    asker = update.effective_user
    if target_message is not None:
        target_text = target_message.text or target_message.caption or ""
        lang = user_lang(svc, target_message.from_user, target_text or name)
        if not name and target_text.strip():
            await answer_question(context, target_message, target_message.from_user, target_text)
            return
    else:
        lang = user_lang(svc, asker, name)
    if name:
        target = policy_target(svc.engine, name)
        record_target(svc, target, lang=lang, group=in_group(message.chat), via="policy", text=name)
        if target:
            await show_target(
                where, context, asker, target, lang, cooldown_key=f"policy|{target.key()}"
            )
            return
    prompt = ui(lang, "policy_unknown" if name else "policy_pick")
    await post(
        where, svc, prompt, carrier_markup(svc.engine.snapshot, lang), cooldown_key="carriers"
    )


async def lang_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/lang [language]: choose the reply language (a code or a name, any case); remembered."""
    svc = services(context)
    user = update.effective_user
    arg = " ".join(context.args or ())
    choice = parse_language(arg) if arg.strip() else None
    if choice and user:
        svc.store.set_language(user.id, choice)
        await respond(update.effective_message, ui(choice, "lang_set"))
        return
    lang = user_lang(svc, user)
    choices = ", ".join(LANGUAGE_NAMES[k] for k in LANGS)
    if arg.strip():
        text = ui(lang, "lang_unknown", choices=choices)
    elif user and svc.store.language(user.id):
        text = ui(lang, "lang_current", choices=choices)
    else:
        text = ui(lang, "lang_pick")
    await respond(update.effective_message, text, language_markup())


async def about(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Knowledge-base version, size and when it was loaded."""
    svc = services(context)
    snapshot = svc.engine.snapshot
    kb = snapshot.kb
    text = ui(
        user_lang(svc, update.effective_user),
        "about",
        version=snapshot.version,
        carriers=len(kb.carriers),
        topics=len(kb.topics),
        entries=len(kb.entries),
        loaded=snapshot.loaded_at.strftime("%Y-%m-%d %H:%M UTC"),
    )
    await respond(update.effective_message, text)


async def private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any text in a private chat is a question (or a number picking from the last choices)."""
    message = update.effective_message
    question, _ = strip_own_mentions(message, context.bot)
    if not question:
        await help_command(update, context)
        return
    await answer_question(context, message, update.effective_user, question)


async def group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group message: a question if it mentions the bot or replies to it, else none of ours."""
    message = update.effective_message
    addressed = addressed_text(message, context.bot)
    if addressed is None:
        return
    question, replied = addressed
    if not question:
        await help_command(update, context)
        return
    await answer_question(context, message, update.effective_user, question, replied_to_bot=replied)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command this bot does not have, in private: say so, and show what it does have."""
    svc = services(context)
    lang = user_lang(svc, update.effective_user)
    await respond(update.effective_message, ui(lang, "unknown_command") + "\n\n" + ui(lang, "help"))


async def chat_migrated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group became a supergroup: carry its chat data over to the new id."""
    context.application.migrate_chat_data(message=update.effective_message)
