"""Operator commands (/reload, /unanswered, /stats) and the reloads that need no command.

Operators are `settings.admin_ids`, nobody else: being an administrator of some group grants
nothing. Their replies are in English, like `python -m bot check`, since they quote file names,
ids and validator messages. A reload (command, SIGHUP or a file change with --watch) validates and
self-tests the new knowledge base off to the side; if anything is wrong the old one keeps serving.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import signal
from collections.abc import Sequence

from rapidfuzz import fuzz, process
from telegram import Update
from telegram.ext import Application, ContextTypes
from watchfiles import awatch

from bot.engine import ReloadResult, Snapshot
from bot.normalize import fold
from bot.render import TELEGRAM_LIMIT
from bot.store import Stats, Unanswered
from bot.telegram import respond, services, ui, user_lang

log = logging.getLogger(__name__)

COMMANDS = ("reload", "unanswered", "stats")
UNANSWERED_DEFAULT = 15
UNANSWERED_MAX = 50
UNANSWERED_SCAN = 1000  # most recent questions looked at
SIMILAR = 80.0  # rapidfuzz ratio on folded text for two questions to count as one
STATS_DAYS = 14
_tasks: set[asyncio.Task] = set()


def fit(header: str, lines: Sequence[str], limit: int = TELEGRAM_LIMIT) -> str:
    """`header` and as many whole `lines` as fit in one message, saying how many were left out."""
    out = header
    for n, line in enumerate(lines):
        rest = len(lines) - n - 1
        reserve = len(f"\n… {rest} more") if rest else 0
        if len(out) + 1 + len(line) + reserve > limit:
            return out + f"\n… {len(lines) - n} more"
        out += "\n" + line
    return out


def _ids(label: str, ids: Sequence[str]) -> str:
    return f"{label} ({len(ids)}): {html.escape(', '.join(ids))}"


def format_reload(result: ReloadResult, snapshot: Snapshot) -> str:
    """What a reload did, as HTML for the operator."""
    if not result.ok:
        header = (
            f"❌ Reload failed; still serving <code>{html.escape(result.old_version)}</code> "
            f"({len(snapshot.kb.entries)} entries). {len(result.problems)} problem(s):"
        )
        return fit(header, [html.escape(str(p)) for p in result.problems])
    if result.old_version == result.new_version:
        header = (
            f"✅ Reloaded: no changes (version <code>{html.escape(result.new_version)}</code>)."
        )
    else:
        header = (
            f"✅ Reloaded: <code>{html.escape(result.old_version)}</code> → "
            f"<code>{html.escape(result.new_version)}</code>, {len(snapshot.kb.entries)} entries."
        )
    lines = [
        _ids(label, ids)
        for label, ids in (
            ("Added", result.added),
            ("Removed", result.removed),
            ("Changed", result.changed),
        )
        if ids
    ]
    lines += [f"⚠️ {html.escape(str(w))}" for w in result.warnings]
    return fit(header, lines)


def log_reload(result: ReloadResult, reason: str) -> None:
    if result.ok:
        log.info(
            "knowledge base reloaded (%s): %s -> %s, added %s, removed %s, changed %s",
            reason,
            result.old_version,
            result.new_version,
            list(result.added),
            list(result.removed),
            list(result.changed),
        )
    else:
        log.warning(
            "knowledge base reload (%s) failed; still serving %s:\n%s",
            reason,
            result.old_version,
            "\n".join(str(p) for p in result.problems),
        )


async def reload_and_log(application: Application, reason: str) -> ReloadResult | None:
    """The reload behind SIGHUP and --watch: nobody to reply to, so the log says what happened."""
    try:
        result = await services(application).engine.reload_async()
    except Exception:  # keep watching and serving whatever went wrong
        log.exception("knowledge base reload (%s) crashed; still serving the old one", reason)
        return None
    log_reload(result, reason)
    return result


def _spawn(application: Application, reason: str) -> None:
    task = asyncio.get_running_loop().create_task(reload_and_log(application, reason))
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


def install_sighup(application: Application) -> bool:
    """Reload on SIGHUP, the usual "re-read your configuration" signal of a service."""
    try:
        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, _spawn, application, "SIGHUP")
    except (AttributeError, NotImplementedError, RuntimeError):  # Windows, or not the main thread
        return False
    return True


def remove_sighup() -> None:
    with contextlib.suppress(AttributeError, NotImplementedError, RuntimeError):
        asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)


async def watch_knowledge(application: Application, stop: asyncio.Event) -> None:
    """Reload whenever a YAML file under the knowledge folder changes (`run --watch`)."""
    root = services(application).settings.knowledge_dir
    log.info("watching %s for changes", root)
    async for _changes in awatch(
        root, stop_event=stop, watch_filter=lambda _c, path: path.endswith((".yaml", ".yml"))
    ):
        await reload_and_log(application, "files changed")


async def pending_reloads() -> None:
    """Wait for reloads started by signals (for shutdown, and for tests)."""
    if _tasks:
        await asyncio.gather(*list(_tasks), return_exceptions=True)


def group_similar(rows: Sequence[Unanswered]) -> list[tuple[int, Unanswered]]:
    """Cluster questions that read alike; (count, newest example) by count, then recency."""
    groups: list[list[Unanswered]] = []
    keys: list[str] = []
    for row in rows:  # newest first, so each group's first row is its newest
        key = fold(row.text)
        hit = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=SIMILAR)
        if hit is None:
            keys.append(key)
            groups.append([row])
        else:
            groups[hit[2]].append(row)
    ranked = sorted(enumerate(groups), key=lambda ig: (-len(ig[1]), ig[0]))
    return [(len(g), g[0]) for _, g in ranked]


def format_unanswered(groups: Sequence[tuple[int, Unanswered]], limit: int) -> str:
    if not groups:
        return "No unanswered or unclear questions recorded."
    header = (
        f"<b>Unanswered (∅) and unclear (?) questions</b>, similar ones grouped; "
        f"top {min(limit, len(groups))} of {len(groups)}:"
    )
    lines = [
        f"×{count} {'∅' if row.decision == 'none' else '?'} {html.escape(row.text)}"
        for count, row in groups[:limit]
    ]
    return fit(header, lines)


def format_stats(stats: Stats, days: int) -> str:
    total = sum(n for _, n, _ in stats.days)
    answered = sum(a for _, _, a in stats.days)
    if not total and not stats.feedback:
        return f"No questions recorded in the last {days} days."
    lines = [f"<b>Questions, last {days} days (UTC)</b>: {total}, {_pct(answered, total)} answered"]
    lines += [f"{day}: {n}, {_pct(a, n)} answered" for day, n, a in stats.days]
    if stats.top:
        lines.append("<b>Top entries</b>")
        lines += [f"{html.escape(entry_id)}: {n}" for entry_id, n in stats.top]
    if stats.feedback:
        lines.append("<b>Feedback</b> (all time)")
        lines += [
            f"{html.escape(entry_id)}: 👍 {up} 👎 {down}" for entry_id, up, down in stats.feedback
        ]
    return fit(lines[0], lines[1:])


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


async def reload_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reload: load the knowledge base again and say what changed, or why not."""
    svc = services(context)
    result = await svc.engine.reload_async()
    log_reload(result, f"/reload by {update.effective_user.id}")
    await respond(update.effective_message, format_reload(result, svc.engine.snapshot))


async def unanswered_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unanswered [N]: what people asked that the bot could not answer outright."""
    arg = context.args[0] if context.args else ""
    limit = min(int(arg), UNANSWERED_MAX) if arg.isdigit() and int(arg) > 0 else UNANSWERED_DEFAULT
    rows = await services(context).store.unanswered(UNANSWERED_SCAN)
    await respond(update.effective_message, format_unanswered(group_similar(rows), limit))


async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stats: questions per day, share answered, top entries, 👍/👎 per entry."""
    stats = await services(context).store.stats(STATS_DAYS)
    await respond(update.effective_message, format_stats(stats, STATS_DAYS))


async def refuse(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An operator command from someone who is not an operator: say no, log who tried."""
    user = update.effective_user
    command = (update.effective_message.text or "").split(maxsplit=1)[0][:40]
    log.warning("operator command %s refused for user %s", command, user.id if user else None)
    svc = services(context)
    await respond(update.effective_message, ui(user_lang(svc, user), "not_operator"))
