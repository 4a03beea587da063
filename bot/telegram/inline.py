"""Inline mode: `@bot question` in any chat lists matching entries; choosing one posts it."""

from __future__ import annotations

from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot.messages import t
from bot.render import answer_text, pick
from bot.telegram import services, user_lang

MAX_RESULTS = 10
CACHE_SECONDS = 30  # short: a reload should show up soon; results are per user (language)
START_PAYLOAD = "inline"


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Up to ten entries for the query, in the asker's language; none → a button to ask in private."""
    svc = services(context)
    query = update.inline_query
    text = query.query.strip()
    lang = user_lang(svc, query.from_user, text)
    snapshot = svc.engine.snapshot
    results = []
    for hit in svc.engine.search(text, limit=MAX_RESULTS) if text else []:
        entry = snapshot.entry(hit.id)
        if entry is None:
            continue
        results.append(
            InlineQueryResultArticle(
                id=entry.id,
                title=pick(entry.title, lang),
                description=pick(entry.summary, lang),
                input_message_content=InputTextMessageContent(
                    answer_text(entry, lang),
                    parse_mode=ParseMode.HTML,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                ),
            )
        )
    button = (
        None
        if results
        else InlineQueryResultsButton(t(lang, "inline_none"), start_parameter=START_PAYLOAD)
    )
    await query.answer(results, cache_time=CACHE_SECONDS, is_personal=True, button=button)
