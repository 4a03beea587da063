"""Inline mode: `@bot question` in any chat lists matching answers; choosing one posts it.

An empty query lists the most asked answers lately, so the first thing a user sees is useful.
"""

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

from bot.compose import compose, summary_line, target_title
from bot.engine import Target
from bot.messages import t
from bot.render import answer_text
from bot.telegram import services, user_lang

MAX_RESULTS = 10
CACHE_SECONDS = 30  # short: a reload should show up soon; results are per user (language)
START_PAYLOAD = "inline"
# Shown for an empty query until the bot has its own statistics.
SUGGESTIONS = ("gifting-overview", "tethering", "carryover", "sim-transfer-law", "@mineo")


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Up to ten answers for the query in the asker's language; suggestions when it is empty."""
    svc = services(context)
    query = update.inline_query
    text = query.query.strip()
    lang = user_lang(svc, query.from_user, text)
    snapshot = svc.engine.snapshot
    kb = snapshot.kb
    if text:
        targets = svc.engine.search(text, limit=MAX_RESULTS)
    else:
        keys = [*await svc.store.popular(MAX_RESULTS), *SUGGESTIONS]
        found = [Target.from_key(key, kb) for key in keys]
        targets = list(dict.fromkeys(x for x in found if x is not None))[:MAX_RESULTS]
    results = []
    for target in targets:
        composed = compose(snapshot, target, lang)
        results.append(
            InlineQueryResultArticle(
                id=target.key()[:64],
                title=target_title(snapshot, target, lang),
                description=summary_line(snapshot, target, lang),
                input_message_content=InputTextMessageContent(
                    answer_text(composed, lang).text,
                    parse_mode=ParseMode.HTML,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                ),
            )
        )
    label = "inline_more" if results else "inline_none"
    button = InlineQueryResultsButton(t(lang, label), start_parameter=START_PAYLOAD)
    await query.answer(results, cache_time=CACHE_SECONDS, is_personal=True, button=button)
