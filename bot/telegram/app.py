"""The Telegram application: one factory that wires every handler, and the process entry point."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections import Counter
from collections.abc import Awaitable
from typing import Any
from urllib.parse import urlsplit

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import (
    AIORateLimiter,
    Application,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.config import Settings
from bot.conversation import Conversations
from bot.engine import Engine
from bot.learning import QualityGate
from bot.messages import t
from bot.store import Store
from bot.telegram import (
    SERVICES,
    Services,
    conversation_key,
    services,
    ui,
    update_kind,
    user_lang,
)
from bot.telegram import handlers as h
from bot.telegram import operators as ops
from bot.telegram.callbacks import on_button
from bot.telegram.groups import Cooldown
from bot.telegram.inline import inline_query
from bot.telegram.logging import protect, setup_logging

log = logging.getLogger(__name__)

USER_COMMANDS = ("start", "help", "policy", "lang", "about")
GROUP_COMMANDS = ("policy", "help")
# Telegram shows a menu in the client's language when one is registered for it ("zh" covers both
# Chinese scripts); every other client sees the default language's menu.
MENU_LANGUAGES = {"zh": "zh-Hans", "ja": "ja", "en": "en"}
OPERATOR_COMMAND_DESCRIPTIONS = {
    "unanswered": "Unanswered questions with buttons to teach them: /unanswered [N|new]",
    "undo": "Take the last learned sample back",
    "history": "Recent knowledge changes: who, what, quality before → after",
    "reload": "Reload the knowledge base (quality-gated): /reload [force]",
    "stats": "Questions per day with a chart, top answers, feedback",
}


STOP_GRACE = 3.0  # seconds that updates still being answered get when the bot is told to stop


class PerChatOrder(BaseUpdateProcessor):
    """Updates of different chats run concurrently, those of one chat one after the other.

    Concurrency keeps answers for one chat from waiting behind a flood wait in another; but two
    questions in the same chat must be answered in the order they were asked, which fully
    concurrent handlers do not guarantee (their replies race each other to Telegram). PTB starts
    update tasks in arrival order and asyncio locks are fair, so each chat's lock is taken in
    arrival order. Updates without a chat (inline queries) are not held back.
    """

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: Counter[int] = Counter()  # a chat's lock is dropped when nobody needs it
        self._running: set[asyncio.Task | None] = set()
        self._dropping = False

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        task = asyncio.current_task()
        try:
            if self._dropping:
                return
            self._running.add(task)
            chat = update.effective_chat if isinstance(update, Update) else None
            if chat is None:
                await coroutine
                return
            lock = self._locks.setdefault(chat.id, asyncio.Lock())
            self._waiting[chat.id] += 1
            try:
                async with lock:
                    await coroutine
            finally:
                self._waiting[chat.id] -= 1
                if not self._waiting[chat.id]:
                    del self._waiting[chat.id], self._locks[chat.id]
        finally:
            self._running.discard(task)
            if inspect.iscoroutine(coroutine):
                coroutine.close()  # a no-op once awaited; else it was dropped before it started

    def drop_pending(self) -> None:
        """Give up on every update still being handled, and on those not started yet."""
        self._dropping = True
        if self._running:
            log.warning("stopping: %d update(s) not answered in time, dropped", len(self._running))
        for task in self._running:
            task.cancel()

    async def initialize(self) -> None:
        self._dropping = False

    async def shutdown(self) -> None:
        """Nothing to release."""


class SimbotApplication(Application):
    """Stops within about STOP_GRACE seconds of SIGTERM, not after every queued reply.

    A burst leaves replies waiting for the rate limiter (30 a second); sending them all could
    outlast a service manager's stop timeout and end in SIGKILL. What those updates stored is
    queued for the database before their replies are sent, and closing the store commits it.
    """

    async def stop(self) -> None:
        processor = self.update_processor
        timer = (
            asyncio.get_running_loop().call_later(STOP_GRACE, processor.drop_pending)
            if isinstance(processor, PerChatOrder)
            else None
        )
        try:
            await super().stop()
        finally:
            if timer is not None:
                timer.cancel()


def build_application(
    settings: Settings,
    engine: Engine,
    store: Store,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    watch: bool = False,
) -> Application:
    """The whole bot; tests pass fake requests, `run_bot` the real network."""
    if not settings.token:
        raise ValueError("build_application needs settings.token")
    protect((settings.token, settings.webhook_secret))
    builder = (
        Application.builder()
        .application_class(SimbotApplication)
        .token(settings.token)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .concurrent_updates(PerChatOrder())
        .rate_limiter(AIORateLimiter(max_retries=1))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if settings.api_base_url:
        builder = builder.base_url(f"{settings.api_base_url}/bot").base_file_url(
            f"{settings.api_base_url}/file/bot"
        )
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    else:
        # On stop PTB cancels the long poll and at once confirms the last updates with one more
        # getUpdates; with a single connection that call can wait for the cancelled one to be
        # released, and under load it gives up (PoolTimeout, logged as an error): the last batch
        # would then be delivered again on the next start.
        builder = builder.get_updates_connection_pool_size(2)
    application = builder.build()
    application.bot_data[SERVICES] = Services(
        settings,
        engine,
        store,
        Cooldown(settings.group_cooldown),
        Conversations(settings.conversation_minutes * 60, settings.conversation_max),
        watch=watch,
    )

    new = filters.UpdateType.MESSAGE  # edits are not new questions; channel posts are not ours
    private = new & filters.ChatType.PRIVATE
    chats = new & (filters.ChatType.PRIVATE | filters.ChatType.GROUPS)
    operator = filters.User(user_id=sorted(settings.admin_ids))
    application.add_handlers(
        [
            CommandHandler("start", h.start, filters=private),
            CommandHandler("help", h.help_command, filters=chats),
            CommandHandler("policy", h.policy, filters=chats),
            CommandHandler("lang", h.lang_command, filters=private),
            CommandHandler("about", h.about, filters=private),
            CommandHandler("reload", ops.reload_command, filters=chats & operator),
            CommandHandler("unanswered", ops.unanswered_command, filters=chats & operator),
            CommandHandler("stats", ops.stats_command, filters=chats & operator),
            CommandHandler("undo", ops.undo_command, filters=chats & operator),
            CommandHandler("history", ops.history_command, filters=chats & operator),
            CommandHandler(ops.COMMANDS, ops.refuse, filters=chats),
            MessageHandler(private & filters.COMMAND, h.unknown_command),
            MessageHandler(private & filters.TEXT, h.private_text),
            MessageHandler(
                new & filters.ChatType.GROUPS & filters.TEXT & ~filters.COMMAND, h.group_text
            ),
            MessageHandler(filters.StatusUpdate.MIGRATE, h.chat_migrated),
            CallbackQueryHandler(ops.on_operator_button, pattern=f"^{ops.OP}:"),
            CallbackQueryHandler(on_button),
            InlineQueryHandler(inline_query),
        ]
    )
    application.add_error_handler(on_error)
    return application


def _commands(names: tuple[str, ...], lang: str) -> list[BotCommand]:
    return [BotCommand(name, t(lang, f"cmd_{name}")) for name in names]


async def set_menus(application: Application) -> None:
    """Command menus per scope (private chats, groups, each operator's chat) and the bot's
    profile texts (what a user reads before pressing Start), in every menu language."""
    settings = services(application).settings
    bot = application.bot
    scopes = (
        (BotCommandScopeAllPrivateChats(), USER_COMMANDS),
        (BotCommandScopeAllGroupChats(), GROUP_COMMANDS),
    )
    languages = [(None, settings.default_lang), *MENU_LANGUAGES.items()]
    try:
        for scope, names in scopes:
            for code, lang in languages:
                await bot.set_my_commands(_commands(names, lang), scope=scope, language_code=code)
        for code, lang in languages:
            await bot.set_my_description(t(lang, "description"), language_code=code)
            await bot.set_my_short_description(t(lang, "short_description"), language_code=code)
    except TelegramError as exc:
        log.warning("could not set the command menus or the profile texts: %s", exc)
        return
    operator_menu = _commands(USER_COMMANDS, settings.default_lang) + [
        BotCommand(name, text) for name, text in OPERATOR_COMMAND_DESCRIPTIONS.items()
    ]
    for admin in sorted(settings.admin_ids):
        try:
            await bot.set_my_commands(operator_menu, scope=BotCommandScopeChat(admin))
        except TelegramError as exc:  # "chat not found" until the operator has opened the bot
            log.warning("no operator menu for %s yet (%s); they should /start the bot", admin, exc)


async def _post_init(application: Application) -> None:
    svc = services(application)
    snapshot = svc.engine.snapshot
    log.info(
        "knowledge base %s: version %s, %d entries, loaded %s",
        svc.settings.knowledge_dir,
        snapshot.version,
        len(snapshot.kb.entries),
        snapshot.loaded_at.isoformat(timespec="seconds"),
    )
    for warning in snapshot.kb.warnings:
        log.warning("knowledge base: %s", warning)
    if not svc.settings.admin_ids:
        log.warning("ADMIN_USER_IDS is empty: nobody can /reload, /unanswered or /stats")
    if not svc.store.available:
        log.warning("running without a database: no statistics, language choices not kept")
    await set_menus(application)
    if ops.install_sighup(application):
        log.info("send SIGHUP to reload the knowledge base")
    if svc.watch:
        stop = asyncio.Event()
        application.bot_data["watch"] = (
            stop,
            asyncio.create_task(ops.watch_knowledge(application, stop)),
        )
    log.info("simbot is @%s", application.bot.username)


async def _post_shutdown(application: Application) -> None:
    watching = application.bot_data.pop("watch", None)
    if watching:
        stop, task = watching
        stop.set()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await asyncio.wait_for(task, 2)
    ops.remove_sighup()
    await ops.pending_reloads()
    services(application).store.close()


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log what failed, never what was said; no Telegram error stops the bot."""
    error = context.error
    kind, chat_id = update_kind(update)
    if isinstance(error, Forbidden):
        log.info("forbidden in chat %s (blocked, or removed from the group): %s", chat_id, error)
    elif isinstance(error, RetryAfter):
        log.warning("flood control handling %s in chat %s: %s", kind, chat_id, error)
    elif isinstance(error, ChatMigrated):
        log.info("chat %s migrated to %s", chat_id, error.new_chat_id)
        if chat_id is not None:
            context.application.migrate_chat_data(
                old_chat_id=chat_id, new_chat_id=error.new_chat_id
            )
    elif isinstance(error, NetworkError) and not isinstance(error, BadRequest):
        log.warning("network trouble handling %s in chat %s: %s", kind, chat_id, error)
    else:
        log.error("error handling %s in chat %s", kind, chat_id, exc_info=error)
        if not isinstance(error, TelegramError):
            await apologise(update, context)


async def apologise(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A question that hit a bug in the bot gets a one-line apology instead of silence, and its
    conversation starts afresh (the state it continued may be what went wrong)."""
    if not isinstance(update, Update) or update.message is None:
        return
    message, user = update.message, update.effective_user
    with contextlib.suppress(KeyError):
        svc = services(context)
        svc.conversations.forget(conversation_key(message.chat, user))
        lang = user_lang(svc, user, message.text or "")
        try:
            await message.reply_text(ui(lang, "failed"))
        except TelegramError as error:
            log.warning("could not apologise in chat %s: %s", message.chat.id, error)


API_DEFAULT = "https://api.telegram.org"
PREFLIGHT_TIMEOUT = 10.0  # seconds for the first getMe


async def preflight(settings: Settings) -> str | None:
    """One getMe before anything starts: None if the Bot API answers and takes the token, else
    one line naming the cause. Without it, PTB's start-up retry loop logs a page of tracebacks
    for what is a configuration problem."""
    from telegram import Bot
    from telegram.request import HTTPXRequest

    base = settings.api_base_url or API_DEFAULT
    bot = Bot(
        settings.token or "",
        base_url=f"{base}/bot",
        request=HTTPXRequest(connect_timeout=PREFLIGHT_TIMEOUT, read_timeout=PREFLIGHT_TIMEOUT),
    )
    try:
        async with bot:
            await bot.get_me()
    except InvalidToken:
        return f"Telegram rejected TELEGRAM_BOT_TOKEN (check it with @BotFather); Bot API {base}"
    except (NetworkError, OSError) as exc:
        return f"cannot reach the Bot API at {base}: {exc}"
    except TelegramError as exc:
        return f"the Bot API at {base} refused the start: {exc}"
    return None


def run_bot(settings: Settings, watch: bool = False) -> int:
    """`python -m bot run`: long polling, or a webhook server when WEBHOOK_URL is set.

    A configuration problem (token rejected, Bot API unreachable, webhook port taken) ends the
    process at once with one CRITICAL line naming it and a non-zero exit status.
    """
    setup_logging(settings.log_level, (settings.token, settings.webhook_secret))
    problem = asyncio.run(preflight(settings))
    if problem:
        log.critical("could not start: %s", problem)
        return 2 if "rejected" in problem else 1
    gate = QualityGate.from_files(settings.quality_sets, settings.quality_margin)
    if gate is None:
        log.warning("no evaluation sets found: knowledge changes are not quality-gated")
    engine = Engine(settings.knowledge_dir, default_lang=settings.default_lang, gate=gate)
    store = Store(settings.database)
    application = build_application(settings, engine, store, watch=watch)
    try:
        if settings.webhook_url:
            log.info("webhook mode on %s:%s", settings.webhook_listen, settings.webhook_port)
            application.run_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path=urlsplit(settings.webhook_url).path.lstrip("/"),
                webhook_url=settings.webhook_url,
                secret_token=settings.webhook_secret,
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:
        log.critical(
            "could not start: Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather"
        )
        return 2
    except (NetworkError, OSError) as exc:
        log.critical("could not start: %s", exc)
        return 1
    finally:
        store.close()
    return 0
