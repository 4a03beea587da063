"""Operators teach and run the bot from Telegram.

/unanswered shows what people asked that the bot could not answer (or answered and got a 👎 for),
grouped by similarity, each group with buttons: the likely answers (tap one, confirm, and the
wording becomes a learned sample of it), "new topic needed" and "ignore". /undo takes the last
learned sample back, /history lists the changes, /reload [force] re-reads the files, /stats
counts and draws. Every change goes through the engine's validation, self-test and quality gate
before it is swapped in.

Operators are `settings.admin_ids`, nobody else: being an administrator of some group grants
nothing. Their replies are in English, like `python -m bot check`, since they quote file names,
ids and validator messages. A reload started by SIGHUP or a file change is logged instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import logging
import signal
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, ContextTypes
from watchfiles import awatch

from bot.charts import daily_chart
from bot.compose import target_title
from bot.engine import ReloadResult, Snapshot, Target
from bot.knowledge import OUTSIDE
from bot.language import script_language
from bot.normalize import fold
from bot.render import TELEGRAM_LIMIT
from bot.store import Change, Stats, Unanswered
from bot.telegram import respond, services, ui, user_lang

log = logging.getLogger(__name__)

COMMANDS = ("reload", "unanswered", "stats", "undo", "history")
UNANSWERED_DEFAULT = 5  # groups shown, one message each (their buttons need a message)
UNANSWERED_MAX = 20
UNANSWERED_SCAN = 1000  # most recent questions looked at
SIMILAR = 80.0  # rapidfuzz ratio on folded text for two questions to count as one
STATS_DAYS = 14
CHART_DAYS = 30
DIGESTS_KEPT = 200  # groups whose buttons still work
OP = "op"  # callback data prefix: op:<verb>:<group>[:<choice>]
_tasks: set[asyncio.Task] = set()
_group_ids = itertools.count(1)


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


def format_reload(result: ReloadResult, snapshot: Snapshot, what: str = "Reload") -> str:
    """What a reload (or a learned change, or an undo) did, as HTML for the operator."""
    quality = html.escape(result.quality)
    if not result.ok:
        if result.refused:
            header = (
                f"❌ {what} refused by the quality gate: {html.escape(result.refused)}. "
                f"Still serving <code>{html.escape(result.old_version)}</code>."
            )
            lines = [f"Quality: {quality}"]
            if what == "Reload":
                lines.append("Send /reload force to swap it in anyway (logged).")
            return fit(header, lines)
        header = (
            f"❌ {what} failed; still serving <code>{html.escape(result.old_version)}</code> "
            f"({len(snapshot.kb.carriers)} carriers, {len(snapshot.kb.topics)} topics, "
            f"{len(snapshot.kb.entries)} entries). {len(result.problems)} problem(s):"
        )
        return fit(header, [html.escape(str(p)) for p in result.problems])
    if result.old_version == result.new_version:
        header = f"✅ {what}: no changes (version <code>{html.escape(result.new_version)}</code>)."
    else:
        header = (
            f"✅ {what}: <code>{html.escape(result.old_version)}</code> → "
            f"<code>{html.escape(result.new_version)}</code>."
        )
    lines = []
    if result.sample:
        sign = "−" if what == "Undo" else "+"
        lines.append(f"<code>{sign} {html.escape(result.sample)}</code>")
    lines += [
        _ids(label, ids)
        for label, ids in (
            ("Added", result.added),
            ("Removed", result.removed),
            ("Changed", result.changed),
        )
        if ids and not result.sample
    ]
    lines.append(f"Quality: {quality}")
    if result.forced:
        lines.append(f"⚠️ Forced past the quality gate: {html.escape(result.refused or '')}")
    lines += [f"⚠️ {html.escape(str(w))}" for w in result.warnings]
    return fit(header, lines)


def log_reload(result: ReloadResult, reason: str) -> None:
    if result.ok:
        level = logging.WARNING if result.forced else logging.INFO
        log.log(
            level,
            "knowledge base %s (%s): %s -> %s, added %s, removed %s, changed %s; %s%s",
            "changed" if result.sample else "reloaded",
            reason,
            result.old_version,
            result.new_version,
            list(result.added),
            list(result.removed),
            list(result.changed),
            result.quality,
            f"; FORCED past the quality gate: {result.refused}" if result.forced else "",
        )
    elif result.refused:
        log.warning(
            "knowledge base change (%s) refused by the quality gate: %s; still serving %s",
            reason,
            result.refused,
            result.old_version,
        )
    else:
        log.warning(
            "knowledge base reload (%s) failed; still serving %s:\n%s",
            reason,
            result.old_version,
            "\n".join(str(p) for p in result.problems),
        )


def record_change(
    application: Application, result: ReloadResult, by: int | None, action: str
) -> None:
    if not result.ok:
        return
    detail = result.sample or ", ".join(
        f"{label} {' '.join(ids)}"
        for label, ids in (("+", result.added), ("-", result.removed), ("~", result.changed))
        if ids
    )
    services(application).store.record_change(
        Change(
            at=int(time.time()),
            by=by,
            action=action,
            detail=detail or "no changes",
            version_before=result.old_version,
            version_after=result.new_version,
            quality=result.quality if result.quality_after else None,
        )
    )


async def reload_and_log(application: Application, reason: str) -> ReloadResult | None:
    """The reload behind SIGHUP and --watch: nobody to reply to, so the log says what happened."""
    try:
        result = await services(application).engine.reload_async()
    except Exception:  # keep watching and serving whatever went wrong
        log.exception("knowledge base reload (%s) crashed; still serving the old one", reason)
        return None
    log_reload(result, reason)
    record_change(application, result, None, "reload")
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


# ------------------------------------------------------------------------------ the digest


@dataclass
class Group:
    """Similar questions, as /unanswered shows them, and what they could be taught to."""

    rows: list[Unanswered]
    choices: list[Target]

    @property
    def text(self) -> str:
        return self.rows[0].text

    @property
    def folded(self) -> list[str]:
        return list(dict.fromkeys(fold(r.text) for r in self.rows))


def group_similar(rows: Sequence[Unanswered]) -> list[list[Unanswered]]:
    """Cluster questions that read alike; groups by size, then recency (newest first)."""
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
    return [g for _, g in ranked]


def teachable(target: Target, snapshot: Snapshot) -> str | None:
    """The topic or entry a sample for `target` belongs to (a card has no samples)."""
    if target.kind == "card":
        headline = snapshot.kb.headline
        return headline.id if headline else None
    return target.topic or None


def choices_for(rows: list[Unanswered], snapshot: Snapshot, engine_search) -> list[Target]:
    """The 2–3 likeliest answers for a group: what users said they wanted after a 👎, the
    clarify candidates and the best matches."""
    kb = snapshot.kb
    found: list[Target] = []
    for row in rows:
        if row.target and row.decision != "thumbs-down":
            target = Target.from_key(row.target, kb)
            if target:
                found.append(target)
        elif row.decision == "thumbs-down" and row.target:
            target = Target.from_key(row.target, kb)
            if target:
                found.insert(0, target)
    found += engine_search(rows[0].text, limit=4)
    out: list[Target] = []
    seen: set[str] = set()
    for target in found:
        key = teachable(target, snapshot)
        if key and key not in seen:
            seen.add(key)
            out.append(target)
        if len(out) == 3:
            break
    return out


def _digests(context: ContextTypes.DEFAULT_TYPE) -> OrderedDict[int, Group]:
    return context.bot_data.setdefault("digest", OrderedDict())


def _remember(context: ContextTypes.DEFAULT_TYPE, group: Group) -> int:
    digests = _digests(context)
    gid = next(_group_ids)
    digests[gid] = group
    while len(digests) > DIGESTS_KEPT:
        digests.popitem(last=False)
    return gid


def _mark(row: Unanswered) -> str:
    return {"none": "∅", "clarify": "?", "thumbs-down": "👎"}.get(row.decision, "?")


def group_markup(gid: int, group: Group, snapshot: Snapshot) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                f"➕ {target_title(snapshot, t, 'en')}", callback_data=f"{OP}:l:{gid}:{i}"
            )
        ]
        for i, t in enumerate(group.choices)
    ]
    rows.append(
        [
            # Never answer this (a 👎 on a shop-hours question the bot answered): taught as an
            # out-of-scope sample, so similar questions get "I only answer…".
            InlineKeyboardButton("🚫 never answer", callback_data=f"{OP}:o:{gid}"),
            InlineKeyboardButton("🆕 new topic needed", callback_data=f"{OP}:n:{gid}"),
            InlineKeyboardButton("🙈 ignore", callback_data=f"{OP}:i:{gid}"),
        ]
    )
    return InlineKeyboardMarkup(rows)


async def unanswered_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unanswered [N | new]: groups of questions the bot could not answer, with buttons."""
    svc = services(context)
    arg = (context.args[0] if context.args else "").lower()
    message = update.effective_message
    triaged = await svc.store.triaged()
    if arg == "new":
        texts = [text for text, action in triaged.items() if action == "new-topic"]
        header = f"<b>Marked “new topic needed”</b> ({len(texts)}); export: python -m bot harvest --new-topics"
        await respond(
            message,
            fit(header, [f"• {html.escape(t)}" for t in texts])
            if texts
            else "No questions are marked “new topic needed”.",
        )
        return
    limit = min(int(arg), UNANSWERED_MAX) if arg.isdigit() and int(arg) > 0 else UNANSWERED_DEFAULT
    rows = [r for r in await svc.store.unanswered(UNANSWERED_SCAN) if fold(r.text) not in triaged]
    groups = group_similar(rows)
    if not groups:
        await respond(message, "No unanswered, unclear or 👎 questions waiting.")
        return
    snapshot = svc.engine.snapshot
    await respond(
        message,
        f"<b>Unanswered (∅), unclear (?) and 👎 questions</b>, similar ones grouped; "
        f"top {min(limit, len(groups))} of {len(groups)}. Tap an answer to teach it, or dismiss:",
    )
    for rows_in_group in groups[:limit]:
        group = Group(rows_in_group, choices_for(rows_in_group, snapshot, svc.engine.search))
        gid = _remember(context, group)
        text = f"×{len(group.rows)} {_mark(group.rows[0])} {html.escape(group.text)}"
        await respond(message, text, group_markup(gid, group, snapshot))


async def on_operator_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A digest button: teach (ask to confirm, then learn), never answer, cancel, ignore, new
    topic."""
    svc = services(context)
    query = update.callback_query
    user = query.from_user
    if user is None or user.id not in svc.settings.admin_ids:
        log.warning("operator button refused for user %s", user.id if user else None)
        await query.answer(ui(user_lang(svc, user), "not_operator"), show_alert=True)
        return
    parts = (query.data or "").split(":")
    group = _digests(context).get(int(parts[2])) if len(parts) >= 3 and parts[2].isdigit() else None
    if group is None:
        await query.answer("This list has expired; send /unanswered again.")
        return
    verb = parts[1]
    choice = int(parts[3]) if len(parts) == 4 and parts[3].isdigit() else -1
    snapshot = svc.engine.snapshot
    target = group.choices[choice] if 0 <= choice < len(group.choices) else None
    await query.answer()
    if verb == "l" and target is not None:
        title = html.escape(target_title(snapshot, target, "en"))
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton("✅ add", callback_data=f"{OP}:y:{parts[2]}:{choice}"),
                    InlineKeyboardButton("✖ cancel", callback_data=f"{OP}:x:{parts[2]}"),
                ]
            ]
        )
        text = f"Add “{html.escape(group.text)}” as a way to ask <b>{title}</b>?"
        await query.edit_message_text(text, reply_markup=markup)
    elif (verb == "y" and target is not None) or verb == "o":
        learn_to = teachable(target, snapshot) if target is not None else OUTSIDE
        lang = script_language(group.text) or "en"
        result = await svc.engine.learn_async(group.text, learn_to or "", lang, str(user.id))
        log_reload(result, f"learned by {user.id}")
        record_change(context.application, result, user.id, "learn")
        if result.ok:
            key = target.key() if target is not None else OUTSIDE
            svc.store.triage(group.folded, "learned", user.id, key)
            await query.edit_message_text(format_reload(result, svc.engine.snapshot, "Learned"))
        else:  # refused: keep the choices, so another one can be tried
            await query.edit_message_text(
                format_reload(result, svc.engine.snapshot, "Learning"),
                reply_markup=group_markup(int(parts[2]), group, snapshot),
            )
    elif verb == "x":
        await query.edit_message_text(
            f"×{len(group.rows)} {_mark(group.rows[0])} {html.escape(group.text)}",
            reply_markup=group_markup(int(parts[2]), group, snapshot),
        )
    elif verb in ("i", "n"):
        action = "ignore" if verb == "i" else "new-topic"
        svc.store.triage(group.folded, action, user.id)
        done = "🙈 Ignored" if verb == "i" else "🆕 Marked “new topic needed” (/unanswered new)"
        await query.edit_message_text(f"{done}: {html.escape(group.text)} (×{len(group.rows)})")


# ------------------------------------------------------------------------------ commands


async def reload_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reload [force]: load the knowledge base again and say what changed, or why not."""
    svc = services(context)
    force = bool(context.args) and context.args[0].lower() == "force"
    user = update.effective_user.id
    result = await svc.engine.reload_async(force=force)
    log_reload(result, f"/reload{' force' if force else ''} by {user}")
    record_change(context.application, result, user, "reload-force" if result.forced else "reload")
    await respond(update.effective_message, format_reload(result, svc.engine.snapshot))


async def undo_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/undo: take the last learned sample back (same checks, same swap)."""
    svc = services(context)
    user = update.effective_user.id
    result = await svc.engine.undo_async()
    if result is None:
        await respond(update.effective_message, "Nothing to undo: learned.yaml has no samples.")
        return
    log_reload(result, f"/undo by {user}")
    record_change(context.application, result, user, "undo")
    await respond(update.effective_message, format_reload(result, svc.engine.snapshot, "Undo"))


async def history_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/history: the recent knowledge versions, who changed what, and the quality change."""
    changes = await services(context).store.history(10)
    if not changes:
        await respond(update.effective_message, "No knowledge changes recorded yet.")
        return
    lines = []
    for c in changes:
        when = time.strftime("%Y-%m-%d %H:%M", time.gmtime(c.at))
        who = f"by {c.by}" if c.by else "by the file watcher / SIGHUP"
        lines.append(
            f"{when} {who}: {html.escape(c.action)} <code>{html.escape(c.version_before)}</code> → "
            f"<code>{html.escape(c.version_after)}</code> {html.escape(c.detail[:200])}"
            + (f"\n   {html.escape(c.quality)}" if c.quality else "")
        )
    await respond(update.effective_message, fit("<b>Knowledge changes</b>, newest first:", lines))


def format_stats(stats: Stats, days: int) -> str:
    total = sum(n for _, n, _ in stats.days)
    answered = sum(a for _, _, a in stats.days)
    if not total and not stats.feedback:
        return f"No questions recorded in the last {days} days."
    lines = [f"<b>Questions, last {days} days (UTC)</b>: {total}, {_pct(answered, total)} answered"]
    lines += [f"{day}: {n}, {_pct(a, n)} answered" for day, n, a in stats.days]
    if stats.top:
        lines.append("<b>Top answers</b>")
        lines += [f"{html.escape(key)}: {n}" for key, n in stats.top]
    if stats.feedback:
        lines.append("<b>Feedback</b> (all time)")
        lines += [f"{html.escape(key)}: 👍 {up} 👎 {down}" for key, up, down in stats.feedback]
    return fit(lines[0], lines[1:])


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stats: questions per day, answered share, top answers, 👍/👎, and a 30-day chart."""
    svc = services(context)
    stats = await svc.store.stats(STATS_DAYS)
    message = update.effective_message
    await respond(message, format_stats(stats, STATS_DAYS))
    rows = await svc.store.decisions_per_day(CHART_DAYS)
    try:
        png = await asyncio.to_thread(daily_chart, rows, days=CHART_DAYS)
    except ImportError:  # installed without the charts extra: the text is enough
        await respond(
            message, "(No chart: install it with <code>pip install -e '.[charts]'</code>.)"
        )
        return
    await message.reply_photo(png, caption=f"Questions per day, last {CHART_DAYS} days (UTC)")


async def refuse(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An operator command from someone who is not an operator: say no, log who tried."""
    user = update.effective_user
    command = (update.effective_message.text or "").split(maxsplit=1)[0][:40]
    log.warning("operator command %s refused for user %s", command, user.id if user else None)
    svc = services(context)
    await respond(update.effective_message, ui(user_lang(svc, user), "not_operator"))
