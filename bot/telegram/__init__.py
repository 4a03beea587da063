"""The Telegram front end: translates updates into engine calls and replies into messages.

Nothing here decides what to answer; the engine does. This module holds what every handler
module shares: the services an application carries, the reply language, and a send that
survives the Telegram errors a reply can run into.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass

from telegram import Chat, InlineKeyboardMarkup, Message, ReplyParameters, Update, User
from telegram.constants import ChatType
from telegram.error import BadRequest, ChatMigrated
from telegram.ext import Application, ContextTypes

from bot.config import Settings
from bot.conversation import Conversations
from bot.engine import Engine, Target
from bot.language import choose_language
from bot.messages import t
from bot.store import Store
from bot.telegram.groups import Cooldown

log = logging.getLogger(__name__)


@dataclass
class Services:
    """What the handlers need, kept in `application.bot_data` under SERVICES."""

    settings: Settings
    engine: Engine
    store: Store
    cooldown: Cooldown
    conversations: Conversations
    watch: bool = False


SERVICES = "services"


def services(context: ContextTypes.DEFAULT_TYPE | Application) -> Services:
    return context.bot_data[SERVICES]


def ui(lang: str, key: str, **values: object) -> str:
    """An interface string, escaped for ParseMode.HTML."""
    return html.escape(t(lang, key, **values), quote=False)


def user_lang(svc: Services, user: User | None, text: str = "") -> str:
    """The reply language: the user's /lang choice, else the text's script, else their client's."""
    chosen = svc.store.language(user.id) if user else None
    client = user.language_code if user else None
    return choose_language(
        text,
        chosen=chosen,
        client_code=client,
        default=svc.engine.default_lang,
        carrier_names=svc.engine.snapshot.matcher.latin_names,
    )


def chosen_lang(svc: Services, user: User | None) -> str | None:
    return svc.store.language(user.id) if user else None


def record_target(
    svc: Services,
    target: Target | None,
    *,
    lang: str,
    group: bool,
    via: str,
    text: str,
    decision: str = "answer",
    score: float = 100.0,
) -> None:
    """Log an answer (or its absence) opened without the engine deciding: a button, /policy."""
    kb = svc.engine.snapshot.kb
    svc.store.record_question(
        decision=decision if target else "none",
        entry_id=target.answer_id(kb) if target else None,
        carrier=target.answer_carrier(kb) if target else None,
        target=target.key() if target else None,
        score=score if target else 0.0,
        lang=lang,
        chat_type="group" if group else "private",
        via=via,
        text=text,
    )


def in_group(chat: Chat | None) -> bool:
    return chat is not None and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)


def conversation_key(chat: Chat, user: User | None) -> tuple[int, int]:
    """A private chat is one conversation; in a group, each user has their own thread."""
    return (chat.id, user.id if user and in_group(chat) else 0)


async def send_to_chat(
    message: Message, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message:
    """A new message in `message`'s chat, in the same forum topic as `message`."""
    thread = message.message_thread_id if message.is_topic_message else None
    return await message.get_bot().send_message(
        message.chat_id, text, reply_markup=markup, message_thread_id=thread
    )


async def respond(
    message: Message,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    reply_to: int | None = None,
) -> Message | None:
    """Reply to `message` (quoted in groups), or to message `reply_to` of the same chat; without
    the quote if it is gone; follow a migration. Forum topics are kept."""
    try:
        if reply_to is not None:
            return await message.reply_text(
                text,
                reply_markup=markup,
                reply_parameters=ReplyParameters(reply_to, allow_sending_without_reply=True),
            )
        return await message.reply_text(text, reply_markup=markup)
    except BadRequest as exc:
        reason = str(exc).lower()
        if "repl" not in reason or "not found" not in reason:
            raise
        log.info("message to reply to is gone in chat %s; sending without reply", message.chat_id)
        return await send_to_chat(message, text, markup)
    except ChatMigrated as exc:
        log.info("chat %s migrated to %s; sending there", message.chat_id, exc.new_chat_id)
        return await message.get_bot().send_message(exc.new_chat_id, text, reply_markup=markup)


def update_kind(update: object) -> tuple[str, int | None]:
    """Which kind of update this is and its chat id, for logs that must not carry content."""
    if not isinstance(update, Update):
        return "no update" if update is None else type(update).__name__, None
    for name in Update.ALL_TYPES:
        if getattr(update, name, None) is not None:
            chat = update.effective_chat
            return name, chat.id if chat else None
    return "update", None
