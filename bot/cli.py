"""Command line: `python -m bot [ask|chat|check|eval|run|learn|harvest|stats|train]` (also `simbot`)."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from bot.chinese import hant_problems
from bot.compose import compose, compose_reply
from bot.config import ConfigError, Settings, load_settings
from bot.engine import Context, Engine, Reply, Target, build_snapshot, matrix_test, self_test
from bot.evaluate import EvalFileError, evaluate, format_table, load_cases
from bot.knowledge import LANGS, OUTSIDE, KnowledgeBase, KnowledgeError
from bot.language import parse_language
from bot.messages import LANGUAGE_NAMES, t
from bot.render import answer_text, reply_text, shown_lines


def _engine(settings: Settings, knowledge: Path | None = None) -> Engine:
    return Engine(knowledge or settings.knowledge_dir, default_lang=settings.default_lang)


def _lang_arg(value: str) -> str:
    lang = parse_language(value)
    if lang is None:
        raise argparse.ArgumentTypeError(
            f"unknown language '{value}' (choose {', '.join(LANGS)}, or a name like English, 中文)"
        )
    return lang


def cmd_ask(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """Answer one question as a user would see it (or as JSON)."""
    engine = _engine(settings, args.knowledge)
    reply = engine.ask(args.question, lang=args.lang)
    text = reply_text(reply, reply.snapshot or engine.snapshot, as_html=False, numbered=True).text
    if args.json:
        data = {**reply.to_json(engine.snapshot.kb), "answer": text}
        print(json.dumps(data, ensure_ascii=False, indent=2), file=out)
    else:
        print(text, file=out)
    return 0


def _hant_damage(kb: KnowledgeBase) -> list[str]:
    """zh-Hant texts that OpenCC damaged (bot/chinese.py's deny list)."""
    problems = []
    texts: list[tuple[str, str]] = []
    for carrier in kb.carriers.values():
        texts.append((carrier.file, carrier.label["zh-Hant"]))
    for cell in kb.cells.values():
        texts.append((cell.file, cell.answer["zh-Hant"]))
        texts += [(cell.file, d.text["zh-Hant"]) for d in cell.details]
        if cell.short:
            texts.append((cell.file, cell.short["zh-Hant"]))
    for topic in kb.topics.values():
        texts += [(topic.file, topic.title["zh-Hant"]), (topic.file, topic.overview["zh-Hant"])]
        texts += [(topic.file, v["zh-Hant"]) for v in topic.verdicts.values()]
        texts.append((topic.file, topic.label["zh-Hant"]))
    for entry in kb.entries.values():
        texts += [(entry.file, entry.title["zh-Hant"]), (entry.file, entry.summary["zh-Hant"])]
        texts.append((entry.file, entry.answer["zh-Hant"]))
    for file, text in texts:
        for problem in hant_problems(text):
            problems.append(f"{file}: error: zh-Hant: {problem} in “{text[:60]}”")
    return problems


def cmd_check(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """Validate the knowledge base, self-test every sample question and every carrier × topic
    cell, and look for damaged Traditional Chinese."""
    root = args.directory or settings.knowledge_dir
    try:
        snapshot = build_snapshot(root)
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(problem, file=out)
        print(f"{len(exc.problems)} error(s); the knowledge base was not loaded.", file=out)
        return 1
    kb = snapshot.kb
    for warning in kb.warnings:
        print(warning, file=out)
    collisions = snapshot.matcher.normalizer.collisions
    for variant, kept, dropped in collisions:
        what = {"": "a stopword", "!": "an off-topic marker", "$": "not-data"}
        print(
            f"warning: '{variant}' means {what.get(kept, kept)}, "
            f"so it cannot also mean {what.get(dropped, dropped)}",
            file=out,
        )
    failures = self_test(snapshot) + matrix_test(snapshot)
    for f in failures:
        print(
            f"{f.file}:{f.line}: error: {f.target}: sample question '{f.question}' "
            f"-> {f.decision} {f.got or '-'}"
            + (" (stolen)" if f.got and f.decision == "answer" else ""),
            file=out,
        )
    damage = _hant_damage(kb)
    for line in damage:
        print(line, file=out)
    n_questions = sum(len(q) for i in [*kb.topics, *kb.entries] for q in kb.questions(i).values())
    print(
        f"{len(kb.carriers)} carriers × {len(kb.topics)} topics = {len(kb.cells)} cells, "
        f"{len(kb.entries)} entries, {n_questions} sample questions, version {kb.version}: "
        f"{len(failures)} self-test failure(s), {len(damage)} zh-Hant problem(s), "
        f"{len(kb.warnings) + len(collisions)} warning(s).",
        file=out,
    )
    return 1 if failures or damage else 0


def cmd_eval(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """Measure answer quality and latency on one or more question sets."""
    engine = _engine(settings, args.knowledge)
    cases = []
    try:
        for path in args.files:
            cases += load_cases(path)
    except EvalFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    report = evaluate(cases, lambda text, ctx: engine.ask(text, context=ctx))
    summary = report.summary()
    if args.json:
        print(
            json.dumps({**summary, "cases": report.cases}, ensure_ascii=False, indent=2), file=out
        )
    else:
        print(format_table(summary), file=out)
        if args.verbose:
            for case in report.cases:
                if case["outcome"] not in ("correct", "ok"):
                    cands = ",".join(f"{c['key']}:{c['score']}" for c in case["candidates"])
                    q = case.get("q") or " | ".join(case["turns"])
                    want = case["expect"]
                    if "expect_carrier" in case:
                        want = f"{want}@{case['expect_carrier']}"
                    print(
                        f"{case['outcome']:<14} {q!r} expect={want} "
                        f"got={case['decision']}:{case['id']}@{case['carrier']} [{cands}]",
                        file=out,
                    )
    return 0


class TerminalChat:
    """The terminal front end: the same engine, conversation and replies as Telegram, as text."""

    QUIT = ("/quit", "/exit", "/q")

    def __init__(self, engine: Engine, out: TextIO, lang: str | None = None) -> None:
        self.engine = engine
        self.out = out
        self.lang = lang  # chosen with /lang; None = follow each message's language
        self.context: Context | None = None
        self.last_lang: str | None = None
        self.more: tuple[Target, str, int, str | None, bool] | None = None

    @property
    def ui_lang(self) -> str:
        """The session's language: the /lang choice, else the language of the last reply."""
        return self.lang or self.reply_lang

    @property
    def reply_lang(self) -> str:
        return self.last_lang or self.engine.default_lang

    def say(self, text: str) -> None:
        print(text + "\n", file=self.out, flush=True)

    def show(
        self,
        target: Target,
        lang: str,
        aspect: str | None = None,
        lead: bool = False,
        hedge: bool = False,
    ) -> None:
        composed = compose(self.engine.snapshot, target, lang, aspect=aspect, lead_aspect=lead)
        rendered = answer_text(composed, lang, as_html=False, hedge=hedge)
        self.more = None
        if rendered.more:
            self.more = (target, lang, shown_lines(composed, lang), aspect, lead)
            self.say(rendered.text + "\n" + t(lang, "more_hint"))
        else:
            self.say(rendered.text)

    def command(self, line: str) -> bool:
        """A /command; False when the user wants to leave."""
        word, _, arg = line.partition(" ")
        word = word.lower()
        lang = self.ui_lang
        snapshot = self.engine.snapshot
        if word in self.QUIT:
            return False
        if word in ("/help", "/start"):
            self.say(t(lang, "help"))
        elif word == "/lang":
            choices = ", ".join(f"/lang {LANGUAGE_NAMES[k]}" for k in LANGS)
            if not arg.strip():
                current = t(lang, "lang_current", choices=choices)
                self.say(current if self.lang else f"{current}\n({LANGUAGE_NAMES[lang]})")
            elif choice := parse_language(arg):
                self.lang = choice
                self.say(t(choice, "lang_set"))
            else:
                self.say(t(lang, "lang_unknown", choices=choices))
        elif word == "/about":
            kb = snapshot.kb
            self.say(
                t(
                    lang,
                    "about",
                    version=kb.version,
                    carriers=len(kb.carriers),
                    topics=len(kb.topics),
                    entries=len(kb.entries),
                    loaded=snapshot.loaded_at.strftime("%Y-%m-%d %H:%M UTC"),
                )
            )
        elif word == "/policy":
            carriers = self.engine.find_carriers(arg) if arg.strip() else ()
            if carriers:
                headline = snapshot.kb.headline
                target = (
                    Target("card", carriers=carriers[:1])
                    if len(carriers) == 1 or headline is None
                    else Target("compare", headline.id, carriers)
                )
                self.context = Context(target, lang=lang)
                self.show(target, lang)
            else:
                names = ", ".join(snapshot.kb.carriers)
                self.say(t(lang, "policy_unknown" if arg.strip() else "policy_pick") + "\n" + names)
        else:
            self.say(t(lang, "unknown_command") + "\n\n" + t(lang, "help"))
        return True

    def handle(self, line: str) -> bool:
        """One line of input; False when the user wants to leave."""
        line = line.strip()
        if not line:
            return True
        if line.startswith("/"):
            return self.command(line)
        if line.lower() in ("more", "更多", "続き", "もっと") and not self.more:
            self.say(t(self.reply_lang, "no_more"))
            return True
        if line.lower() in ("more", "更多", "続き", "もっと") and self.more:
            target, lang, start, aspect, lead = self.more
            composed = compose(self.engine.snapshot, target, lang, aspect=aspect, lead_aspect=lead)
            rendered = answer_text(composed, lang, as_html=False, start=start)
            self.more = (
                (target, lang, start + shown_lines(composed, lang, start), aspect, lead)
                if rendered.more
                else None
            )
            self.say(rendered.text)
            return True
        reply: Reply = self.engine.ask(line, lang=self.lang, context=self.context)
        self.context = reply.context
        self.last_lang = reply.lang
        snapshot = reply.snapshot or self.engine.snapshot
        composed = compose_reply(snapshot, reply)
        if composed is not None and reply.target is not None:
            self.show(reply.target, reply.lang, reply.aspect, reply.lead_aspect, reply.hedge)
        else:
            self.more = None
            self.say(reply_text(reply, snapshot, as_html=False, numbered=True).text)
        return True

    def run(self, stdin: TextIO) -> None:
        lang = self.ui_lang
        self.say(t(lang, "smalltalk_greeting") + "\n" + t(lang, "chat_hint"))
        if stdin is None:  # started with standard input closed: nothing to read
            return
        interactive = stdin.isatty() and stdin is sys.stdin
        if interactive:
            with contextlib.suppress(ImportError):
                import readline  # noqa: F401  (line editing and history for input())
        while True:
            try:
                if interactive:
                    line = input("> ")
                else:
                    line = stdin.readline()
                    if not line:
                        return
            except (EOFError, KeyboardInterrupt):
                print(file=self.out)
                return
            try:
                if not self.handle(line):
                    return
            except KeyboardInterrupt:
                print(file=self.out)
                return


def cmd_chat(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """Interactive terminal chat."""
    TerminalChat(_engine(settings, args.knowledge), out, args.lang).run(sys.stdin)
    return 0


def cmd_run(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """Start the Telegram bot."""
    if not settings.token:
        print("error: TELEGRAM_BOT_TOKEN is not set (see .env.example)", file=sys.stderr)
        return 2
    from bot.telegram.app import run_bot

    return run_bot(settings, watch=args.watch)


def cmd_auto(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """`make run`: the Telegram bot when a token is configured, the terminal chat otherwise."""
    if settings.token:
        args.watch = False
        return cmd_run(args, settings, out)
    print("TELEGRAM_BOT_TOKEN is not set: starting the terminal chat.", file=sys.stderr)
    args.lang = None
    args.knowledge = None
    return cmd_chat(args, settings, out)


def _store(settings: Settings):
    from bot.store import Store

    if not settings.database.is_file():
        return None
    return Store(settings.database)


def cmd_harvest(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """Export stored unanswered, unclear and 👎 questions as an eval-format YAML, with `expect`
    left for a person to fill in, so real questions become regression cases."""
    import asyncio
    import datetime as dt

    from bot.language import script_language
    from bot.normalize import fold

    store = _store(settings)
    if store is None:
        print(f"error: no database at {settings.database} (DATA_DIR)", file=sys.stderr)
        return 2
    since = 0
    if args.since:
        try:
            day = dt.date.fromisoformat(args.since)
        except ValueError:
            print(f"error: --since expects YYYY-MM-DD, got '{args.since}'", file=sys.stderr)
            return 2
        since = int(dt.datetime.combine(day, dt.time(), dt.UTC).timestamp())
    try:
        rows = asyncio.run(store.unanswered(100_000, since))
        triaged = asyncio.run(store.triaged())
    finally:
        store.close()
    lines = [
        "# Harvested from the bot's store: questions it could not answer (none), was unsure about",
        "# (clarify) or got a 👎 for. Digit runs are masked; no user ids. Fill in `expect` (an id,",
        "# a list, or null = out of scope; see tests/data/README.md), then add to an eval set.",
    ]
    seen: set[str] = set()
    count = 0
    for row in rows:
        key = fold(row.text)
        action = triaged.get(key)
        if key in seen or (args.new_topics and action != "new-topic"):
            continue
        if not args.new_topics and action in ("ignore", "learned"):
            continue
        seen.add(key)
        note = f"{row.decision}" + (f", best guess {row.target}" if row.target else "")
        text = json.dumps(row.text, ensure_ascii=False)
        lang = script_language(row.text) or "unknown"
        lines.append(f"- {{q: {text}, expect: null, lang: {lang}}}  # TODO expect; {note}")
        count += 1
    text = "\n".join(lines) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {count} question(s) to {args.out}", file=out)
    else:
        out.write(text)
    return 0


def cmd_learn(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """Teach a wording to a topic or entry, as the Telegram flow does (quality-gated)."""
    import getpass

    from bot.learning import QualityGate

    gate = QualityGate.from_files(settings.quality_sets, settings.quality_margin)
    engine = Engine(settings.knowledge_dir, default_lang=settings.default_lang, gate=gate)
    kb = engine.snapshot.kb
    target = args.id
    if target in kb.carriers:
        headline = kb.headline
        target = headline.id if headline else target
    if target not in kb.topics and target not in kb.entries and target != OUTSIDE:
        print(
            f"error: '{args.id}' is not a topic, entry or carrier id (or {OUTSIDE})",
            file=sys.stderr,
        )
        return 2
    lang = args.lang or script_language_of(args.question)
    result = engine.learn(args.question, target, lang, f"cli:{getpass.getuser()}")
    if result.ok:
        print(f"learned: + {result.sample}", file=out)
        print(f"version {result.old_version} -> {result.new_version}", file=out)
        print(f"quality: {result.quality}", file=out)
        return 0
    if result.refused:
        print(f"refused by the quality gate: {result.refused}", file=out)
        print(f"quality: {result.quality}", file=out)
    for problem in result.problems:
        print(problem, file=out)
    print("learned.yaml is unchanged.", file=out)
    return 1


def script_language_of(text: str) -> str:
    from bot.language import script_language

    return script_language(text) or "en"


def cmd_stats(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """Questions per day over the last 30 days: a table, and the /stats chart as a PNG file."""
    import asyncio

    from bot.charts import daily_chart, summary

    store = _store(settings)
    if store is None:
        print(f"error: no database at {settings.database} (DATA_DIR)", file=sys.stderr)
        return 2
    try:
        rows = asyncio.run(store.decisions_per_day(args.days))
    finally:
        store.close()
    total, share = summary(rows)
    print(f"{total} questions in the last {args.days} days, {share:.0%} answered", file=out)
    for day, answered, clarified, none in rows:
        print(f"{day}  answered {answered:>5}  clarified {clarified:>5}  none {none:>5}", file=out)
    if args.png:
        args.png.write_bytes(daily_chart(rows, days=args.days))
        print(f"wrote {args.png}", file=out)
    return 0


def cmd_train(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    from bot.training import train, training_files  # scikit-learn: the train extra only

    train(training_files(args.data) if args.data else training_files(), log=out)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="simbot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    lang_help = (
        f"reply language: {', '.join(LANGS)} or a name ({', '.join(LANGUAGE_NAMES.values())})"
    )

    p = sub.add_parser("ask", help="answer one question")
    p.add_argument("question")
    p.add_argument("--lang", type=_lang_arg, help=lang_help)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--knowledge", type=Path, help="knowledge folder (default KNOWLEDGE_DIR)")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="interactive terminal chat")
    p.add_argument("--lang", type=_lang_arg, help=lang_help)
    p.add_argument("--knowledge", type=Path)
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("check", help="validate and self-test the knowledge base")
    p.add_argument("directory", nargs="?", type=Path)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("eval", help="measure answer quality on question sets")
    p.add_argument("files", type=Path, nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.add_argument("--verbose", "-v", action="store_true", help="list every miss")
    p.add_argument("--knowledge", type=Path)
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("harvest", help="export unanswered questions as eval cases to fill in")
    p.add_argument("--since", help="only questions from this day on (YYYY-MM-DD, UTC)")
    p.add_argument("--out", type=Path, help="write to this file instead of standard output")
    p.add_argument("--new-topics", action="store_true", help="only those marked “new topic needed”")
    p.set_defaults(func=cmd_harvest)

    p = sub.add_parser("learn", help="teach a wording to a topic or entry (quality-gated)")
    p.add_argument("question")
    p.add_argument(
        "id",
        help="topic or entry id (a carrier id means its gifting; 'outside': must not be answered)",
    )
    p.add_argument("--lang", type=_lang_arg, help="the question's language (default: guessed)")
    p.set_defaults(func=cmd_learn)

    p = sub.add_parser("stats", help="questions per day, and the /stats chart as a PNG")
    p.add_argument("--png", type=Path, help="write the chart to this PNG file")
    p.add_argument("--days", type=int, default=30)
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("train", help="retrain the second-opinion classifier on the tuning sets")
    p.add_argument("--data", type=Path, help="evaluation sets folder (default tests/data)")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("run", help="start the Telegram bot")
    p.add_argument("--watch", action="store_true", help="reload when knowledge files change")
    p.set_defaults(func=cmd_run)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    out = out or sys.stdout
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    func = getattr(args, "func", cmd_auto)
    try:
        return func(args, settings, out)
    except KnowledgeError as exc:
        print(f"knowledge base error: {len(exc.problems)} problem(s)", file=sys.stderr)
        for problem in exc.problems[:20]:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    except BrokenPipeError:  # `python -m bot eval … | head`: the reader left; nothing is wrong
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (silences the flush at exit)
        return 0
