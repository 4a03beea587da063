"""Command line: `python -m bot [ask|chat|check|eval|run]` (also installed as `simbot`)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from bot.config import ConfigError, Settings, load_settings
from bot.engine import Engine, Reply, build_snapshot, self_test
from bot.evaluate import EvalFileError, evaluate, format_table, load_cases
from bot.knowledge import LANGS, KnowledgeError
from bot.messages import LANGUAGE_NAMES, t
from bot.render import answer_text, reply_text


def _engine(settings: Settings, knowledge: Path | None = None) -> Engine:
    return Engine(knowledge or settings.knowledge_dir, default_lang=settings.default_lang)


def cmd_ask(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """Answer one question as a user would see it (or as JSON)."""
    engine = _engine(settings, args.knowledge)
    reply = engine.ask(args.question, lang=args.lang)
    text = reply_text(reply, engine.snapshot, as_html=False)
    if args.json:
        print(
            json.dumps({**reply.to_json(), "answer": text}, ensure_ascii=False, indent=2), file=out
        )
    else:
        print(text, file=out)
    return 0


def cmd_check(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """Validate the knowledge base and make sure every sample question finds its own entry."""
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
        what = {"": "a stopword", "!": "an off-topic marker"}
        print(
            f"warning: '{variant}' means {what.get(kept, kept)}, "
            f"so it cannot also mean {what.get(dropped, dropped)}",
            file=out,
        )
    failures = self_test(snapshot)
    for f in failures:
        entry = kb.entries[f.entry_id]
        print(
            f"{entry.file}:{entry.line}: error: {f.entry_id}: sample question '{f.question}' "
            f"-> {f.decision} {f.got or '-'}"
            + (" (stolen)" if f.got and f.decision == "answer" else ""),
            file=out,
        )
    n_questions = sum(len(q) for e in kb.entries.values() for q in e.questions.values())
    print(
        f"{len(kb.entries)} entries, {n_questions} sample questions, version {kb.version}: "
        f"{len(failures)} self-test failure(s), {len(kb.warnings) + len(collisions)} warning(s).",
        file=out,
    )
    return 1 if failures else 0


def cmd_eval(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """Measure answer quality and latency on a question set."""
    engine = _engine(settings, args.knowledge)
    try:
        cases = load_cases(args.file)
    except EvalFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    report = evaluate(cases, engine.ask)
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
                    cands = ",".join(f"{c['id']}:{c['score']}" for c in case["candidates"])
                    print(
                        f"{case['outcome']:<12} {case['q']!r} expect={case['expect']} "
                        f"got={case['decision']}:{case['id']} [{cands}]",
                        file=out,
                    )
    return 0


class TerminalChat:
    """The terminal front end: the same engine and replies as Telegram, in plain text."""

    def __init__(self, engine: Engine, out: TextIO, lang: str | None = None) -> None:
        self.engine = engine
        self.out = out
        self.lang = lang
        self.last: Reply | None = None

    def say(self, text: str) -> None:
        print(text + "\n", file=self.out, flush=True)

    def handle(self, line: str) -> bool:
        """One line of input; False when the user wants to leave."""
        line = line.strip()
        if not line:
            return True
        lang = self.lang or self.engine.default_lang
        snapshot = self.engine.snapshot
        if line in ("/quit", "/exit", "/q"):
            return False
        if line in ("/help", "/start"):
            self.say(t(lang, "help"))
            return True
        if line.startswith("/lang"):
            choice = line[5:].strip()
            if choice in LANGS:
                self.lang = choice
                self.say(t(choice, "lang_set"))
            else:
                self.say(t(lang, "lang_pick") + " " + ", ".join(f"/lang {k}" for k in LANGS))
            return True
        if line.startswith("/policy"):
            arg = line[7:].strip()
            card = self.engine.find_carrier(arg) if arg else None
            if card:
                self.say(answer_text(card, lang, as_html=False))
            else:
                names = ", ".join(c.id for c in snapshot.kb.carriers())
                self.say(t(lang, "policy_unknown" if arg else "policy_pick") + "\n" + names)
            return True
        if line.isdigit() and self.last and self.last.decision == "clarify":
            number = int(line)
            if 1 <= number <= len(self.last.candidates):
                entry = snapshot.entry(self.last.candidates[number - 1].id)
                if entry:
                    self.say(answer_text(entry, self.last.lang, as_html=False))
                    self.last = None
                    return True
        reply = self.engine.ask(line, lang=self.lang)
        self.last = reply
        self.say(reply_text(reply, snapshot, as_html=False))
        return True

    def run(self, stdin: TextIO) -> None:
        self.say(t(self.lang or self.engine.default_lang, "start") + "  (/help, /quit)")
        while True:
            if stdin.isatty():
                print("> ", end="", file=self.out, flush=True)
            line = stdin.readline()
            if not line or not self.handle(line):
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="simbot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    lang_help = f"reply language: {', '.join(LANGS)} ({', '.join(LANGUAGE_NAMES.values())})"

    p = sub.add_parser("ask", help="answer one question")
    p.add_argument("question")
    p.add_argument("--lang", choices=LANGS, help=lang_help)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--knowledge", type=Path, help="knowledge folder (default KNOWLEDGE_DIR)")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="interactive terminal chat")
    p.add_argument("--lang", choices=LANGS, help=lang_help)
    p.add_argument("--knowledge", type=Path)
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("check", help="validate and self-test the knowledge base")
    p.add_argument("directory", nargs="?", type=Path)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("eval", help="measure answer quality on a question set")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true")
    p.add_argument("--verbose", "-v", action="store_true", help="list every miss")
    p.add_argument("--knowledge", type=Path)
    p.set_defaults(func=cmd_eval)

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
        return 130
