"""The answer engine: one immutable snapshot (knowledge + index) behind one swappable reference.

Front ends call `Engine.ask`; they never match or decide themselves. A reload builds a complete new
snapshot off to the side and swaps the reference in one assignment, so a question is always
answered from a whole old or a whole new knowledge base.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from bot.knowledge import Entry, KnowledgeBase, KnowledgeError, Problem, load_knowledge
from bot.language import choose_language
from bot.matcher import Matcher, Scored, best_match
from bot.normalize import fold

Decision = Literal["answer", "clarify", "none"]

# Calibrated on tests/data/eval.yaml (see README, "How answers are chosen").
ANSWER_MIN = 56.0  # below this the best entry is never answered outright
CLARIFY_MIN = 40.0  # below this nothing is offered at all
GAP_MIN = 6.0  # the best must beat the runner-up by this much to be answered outright
LONE_MIN = 44.0  # a weaker best is still answered when nothing else comes near it...
LONE_GAP = 12.0  # ...that is, when it leads by this much
# Two entries that link to each other (see_also) are both fine answers: the reply shows the other
# as a button, so a near tie between them is answered rather than clarified.
LINKED_GAP = 0.0
CLARIFY_WINDOW = 14.0  # runners-up within this of the best are offered with it
MAX_CANDIDATES = 3
RELOAD_SWITCH_INTERVAL = 0.0005  # seconds; see _responsive
FULL_SELF_TEST_MAX_SAMPLES = 20_000  # larger knowledge bases re-test only what a reload touched
SHORT_QUERY_WEIGHT = 2  # a question this light ("流量", "送") without a carrier is only clarified


@dataclass(frozen=True)
class Reply:
    """What the engine decided for one question, before any front end renders it."""

    decision: Decision
    entry_id: str | None
    score: float
    candidates: tuple[Scored, ...]
    lang: str
    question: str

    def to_json(self) -> dict:
        return {
            "decision": self.decision,
            "id": self.entry_id,
            "score": round(min(self.score, 100.0), 1),
            "candidates": [
                {"id": c.id, "score": round(min(c.score, 100.0), 1)} for c in self.candidates
            ],
            "lang": self.lang,
        }


@dataclass(frozen=True)
class Snapshot:
    kb: KnowledgeBase
    matcher: Matcher
    loaded_at: dt.datetime

    @property
    def version(self) -> str:
        return self.kb.version

    def entry(self, entry_id: str) -> Entry | None:
        return self.kb.entries.get(entry_id)


@dataclass(frozen=True)
class SelfTestFailure:
    entry_id: str
    question: str
    got: str | None
    decision: Decision


def build_snapshot(root: Path) -> Snapshot:
    kb = load_knowledge(root)
    return Snapshot(kb, Matcher(kb), dt.datetime.now(dt.UTC))


def decide(
    scored: list[Scored], short: bool, linked: bool = False, evidence: int = 2
) -> tuple[Decision, list[Scored]]:
    """Answer, clarify or give up, from the ranked scores.

    `linked`: the top two entries link to each other. `evidence`: how many distinct things the
    question is about (concepts and carriers); a weak lone leader needs at least two.
    """
    if not scored or scored[0].score < CLARIFY_MIN:
        return "none", []
    best = scored[0]
    runner_up = scored[1].score if len(scored) > 1 else 0.0
    gap = best.score - runner_up
    min_gap = LINKED_GAP if linked else GAP_MIN
    if not short and (
        (best.score >= ANSWER_MIN and gap >= min_gap)
        or (best.score >= LONE_MIN and gap >= LONE_GAP and evidence >= 2)
    ):
        return "answer", [best]
    close = [s for s in scored[:MAX_CANDIDATES] if s.score >= best.score - CLARIFY_WINDOW]
    close = [s for s in close if s.score >= CLARIFY_MIN]
    return "clarify", close


def ask_snapshot(snapshot: Snapshot, text: str, lang: str) -> Reply:
    matcher = snapshot.matcher
    analysis = matcher.analyze(text)
    scored = matcher.score(analysis)
    # Too little to go on, or marked as about something else: offer choices, never answer.
    short = analysis.offtopic or (
        not analysis.carriers and matcher.weight(analysis) <= SHORT_QUERY_WEIGHT
    )
    linked = False
    if len(scored) > 1:
        first, second = snapshot.entry(scored[0].id), snapshot.entry(scored[1].id)
        linked = bool(first and second) and (
            second.id in first.see_also or first.id in second.see_also
        )
    evidence = len({u for u in analysis.units if u.startswith("#")}) + len(analysis.carriers)
    decision, chosen = decide(scored, short, linked, evidence)
    return Reply(
        decision=decision,
        entry_id=chosen[0].id if decision == "answer" else None,
        score=scored[0].score if scored else 0.0,
        candidates=tuple(chosen if decision == "clarify" else scored[:MAX_CANDIDATES]),
        lang=lang,
        question=text,
    )


def self_test(snapshot: Snapshot, only: set[str] | None = None) -> list[SelfTestFailure]:
    """Every sample question must be answered by its own entry (of `only`, when given)."""
    failures = []
    for entry in snapshot.kb.entries.values():
        if only is not None and entry.id not in only:
            continue
        for lang, questions in entry.questions.items():
            for q in questions:
                reply = ask_snapshot(snapshot, q, lang)
                if reply.decision != "answer" or reply.entry_id != entry.id:
                    got = reply.entry_id or (reply.candidates[0].id if reply.candidates else None)
                    failures.append(SelfTestFailure(entry.id, q, got, reply.decision))
    return failures


def affected(old: Snapshot, new: Snapshot) -> set[str] | None:
    """Entries whose sample questions a reload must re-test; None means all of them.

    Used for very large knowledge bases only. A change mostly moves answers near itself: within
    the changed entries, the entries they link to or that link to them, and the entries about the
    same carrier. A changed vocabulary (synonyms, stopwords, carrier names) can move any answer,
    so then everything is re-tested. `check` always tests everything.
    """
    old_kb, new_kb = old.kb, new.kb
    if (old_kb.synonyms, old_kb.stopwords, old_kb.offtopic) != (
        new_kb.synonyms,
        new_kb.stopwords,
        new_kb.offtopic,
    ):
        return None
    changed = {eid for eid, entry in new_kb.entries.items() if old_kb.entries.get(eid) != entry}
    if any(
        new_kb.entries[eid].names != getattr(old_kb.entries.get(eid), "names", None)
        for eid in changed
    ):
        return None
    removed = set(old_kb.entries) - set(new_kb.entries)
    touched = changed | removed
    if not touched:
        return set()
    carriers = {
        e.carrier
        for eid in touched
        for e in (old_kb.entries.get(eid), new_kb.entries.get(eid))
        if e and e.carrier
    }
    out = set(changed)
    for eid, entry in new_kb.entries.items():
        if touched & set(entry.see_also) or entry.carrier in carriers:
            out.add(eid)
        if eid in changed:
            out.update(entry.see_also)
    return {eid for eid in out if eid in new_kb.entries}


@dataclass(frozen=True)
class ReloadResult:
    ok: bool
    old_version: str
    new_version: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()


@contextlib.contextmanager
def _responsive() -> Iterator[None]:
    """Switch threads more often while a reload runs, so questions are not starved meanwhile.

    A reload is pure Python work in a worker thread; with the default 5 ms switch interval it
    holds the interpreter in long slices and answers on the event loop wait behind it.
    """
    previous = sys.getswitchinterval()
    sys.setswitchinterval(RELOAD_SWITCH_INTERVAL)
    try:
        yield
    finally:
        sys.setswitchinterval(previous)


@dataclass
class Engine:
    """Owns the current snapshot; reloads under a lock and swaps the reference atomically."""

    root: Path
    default_lang: str = "zh-Hans"
    _snapshot: Snapshot = field(init=False)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._snapshot = build_snapshot(self.root)

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    def ask(
        self,
        text: str,
        *,
        lang: str | None = None,
        client_lang: str | None = None,
    ) -> Reply:
        reply_lang = choose_language(
            text, chosen=lang, client_code=client_lang, default=self.default_lang
        )
        return ask_snapshot(self._snapshot, text, reply_lang)

    def search(self, text: str, limit: int = 10) -> list[Scored]:
        """Ranked entries for inline mode: no decision, only what is worth listing."""
        snapshot = self._snapshot
        return [s for s in snapshot.matcher.top(text, limit) if s.score >= CLARIFY_MIN]

    def find_carrier(self, text: str) -> Entry | None:
        """A carrier card from a /policy argument, in any language or spelling."""
        snapshot = self._snapshot
        analysis = snapshot.matcher.analyze(text)
        if analysis.carriers:
            return snapshot.entry(analysis.carriers[0])
        key = fold(text).replace(" ", "")
        if not key:
            return None
        names = snapshot.matcher.carrier_keys
        hit = best_match(key, list(names), cutoff=75.0)
        return snapshot.entry(names[hit]) if hit else None

    def reload(self) -> ReloadResult:
        """Build a new snapshot, self-test it, and swap it in only if both succeed."""
        with self._lock, _responsive():
            old = self._snapshot
            try:
                new = build_snapshot(self.root)
            except KnowledgeError as exc:
                return ReloadResult(False, old.version, old.version, problems=tuple(exc.problems))
            # Exactly like `check` for any realistic knowledge base; past ~1,000 entries a full
            # self-test takes minutes, so only what the change can affect is re-tested.
            n_samples = sum(len(q) for e in new.kb.entries.values() for q in e.questions.values())
            only = affected(old, new) if n_samples > FULL_SELF_TEST_MAX_SAMPLES else None
            failures = self_test(new, only)
            if failures:
                problems = tuple(
                    Problem(
                        new.kb.entries[f.entry_id].file,
                        new.kb.entries[f.entry_id].line,
                        f"{f.entry_id}: sample '{f.question}' -> {f.decision} {f.got}",
                    )
                    for f in failures
                )
                return ReloadResult(False, old.version, old.version, problems=problems)
            old_ids, new_ids = set(old.kb.entries), set(new.kb.entries)
            changed = tuple(
                sorted(i for i in old_ids & new_ids if old.kb.entries[i] != new.kb.entries[i])
            )
            self._snapshot = new
            return ReloadResult(
                True,
                old.version,
                new.version,
                added=tuple(sorted(new_ids - old_ids)),
                removed=tuple(sorted(old_ids - new_ids)),
                changed=changed,
                warnings=new.kb.warnings,
            )

    async def reload_async(self) -> ReloadResult:
        """Reload in a worker thread so the event loop keeps answering meanwhile."""
        return await asyncio.to_thread(self.reload)
