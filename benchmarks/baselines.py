"""The two baselines the engine must beat: what someone would write in an afternoon.

Both look only at the knowledge base's sample questions (topics' and entries', all languages),
take the target of the closest one, and answer when its score reaches a cut-off. They never
clarify and keep no conversation: each message is answered on its own. For the carrier × topic
contract (tests/data/README.md) they spot carriers naively — every carrier name as a
case-insensitive substring of the NFKC-folded message, Latin names as whole words — and map
(target, carrier) to an answer id the way the README says: a topic with exactly one carrier named
is about that carrier (the gifting topic then answers with the carrier's id), with none or several
it is general; an entry is about the carrier named, else its own. Their cut-off is tuned on the
tuning sets themselves (see `tune_cutoff`), so their figures there are an optimistic upper bound
for them, never a handicap.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from bot.evaluate import Case
from bot.knowledge import KnowledgeBase


@dataclass(frozen=True)
class BaselineReply:
    """Quacks like bot.engine.Reply for bot.evaluate: a baseline answers or says nothing."""

    decision: str
    id: str | None
    carrier: str | None
    score: float
    candidates: tuple = ()
    lang: str = ""
    context: None = None  # no conversation: run_case passes it back, the baseline ignores it


# (score, answer id, carrier) of the best sample, before the cut-off
Best = tuple[float, str | None, str | None]


def sample_questions(kb: KnowledgeBase) -> tuple[list[str], list[str]]:
    """Every sample question of every topic and entry, in every language, with its target."""
    texts: list[str] = []
    ids: list[str] = []
    for target in [*kb.topics, *kb.entries]:
        for questions in kb.questions(target).values():
            texts += questions
            ids += [target] * len(questions)
    return texts, ids


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


class CarrierSpotter:
    """Which carriers a message names: each name (and id) searched as a substring."""

    def __init__(self, kb: KnowledgeBase) -> None:
        names = {
            _fold(name): carrier.id
            for carrier in kb.carriers.values()
            for name in (carrier.id, *carrier.names)
        }
        self.names = sorted(names.items(), key=lambda item: -len(item[0]))

    def find(self, text: str) -> list[str]:
        folded = _fold(text)
        found: list[str] = []
        for name, carrier in self.names:
            if carrier in found:
                continue
            start = folded.find(name)
            while start >= 0:
                end = start + len(name)
                if not name.isascii() or (
                    not (start and folded[start - 1].isascii() and folded[start - 1].isalnum())
                    and not (end < len(folded) and folded[end].isascii() and folded[end].isalnum())
                ):
                    found.append(carrier)
                    break
                start = folded.find(name, start + 1)
        return found


def answer_for(kb: KnowledgeBase, target: str, carriers: list[str]) -> tuple[str, str | None]:
    """(answer id, carrier) for a target and the carriers a message names (README contract)."""
    carrier = carriers[0] if len(carriers) == 1 else None
    topic = kb.topics.get(target)
    if topic is not None:
        if carrier is not None and topic.headline:
            return carrier, carrier
        return target, carrier
    entry = kb.entries[target]
    return target, carrier or entry.carrier


class _Baseline:
    name = ""

    def __init__(self, kb: KnowledgeBase, cutoff: float = 0.0) -> None:
        self.kb = kb
        self.spotter = CarrierSpotter(kb)
        self.cutoff = cutoff

    def closest(self, text: str, cutoff: float) -> tuple[float, str] | None:
        raise NotImplementedError

    def best(self, text: str) -> Best:
        hit = self.closest(text, 0.0)
        if hit is None:
            return 0.0, None, None
        score, target = hit
        return (score, *answer_for(self.kb, target, self.spotter.find(text)))

    def ask(self, text: str) -> BaselineReply:
        hit = self.closest(text, self.cutoff)
        if hit is None or hit[0] < self.cutoff:
            return BaselineReply("none", None, None, hit[0] if hit else 0.0)
        score, target = hit
        answer, carrier = answer_for(self.kb, target, self.spotter.find(text))
        return BaselineReply("answer", answer, carrier, score)


class NaiveFuzzy(_Baseline):
    """rapidfuzz `extractOne` with `WRatio` over the sample questions, as the docs suggest.

    The choices go through `utils.default_process` once, up front, instead of on every call: the
    same result as `processor=default_process`, without handicapping the baseline's speed.
    """

    name = "naive rapidfuzz WRatio"

    def __init__(self, kb: KnowledgeBase, cutoff: float = 0.0) -> None:
        super().__init__(kb, cutoff)
        texts, self.ids = sample_questions(kb)
        self.choices = [utils.default_process(t) for t in texts]

    def closest(self, text: str, cutoff: float) -> tuple[float, str] | None:
        hit = process.extractOne(
            utils.default_process(text),
            self.choices,
            scorer=fuzz.WRatio,
            processor=None,
            score_cutoff=cutoff,
        )
        return (float(hit[1]), self.ids[hit[2]]) if hit else None


def bigrams(text: str) -> list[str]:
    """Character bigrams of the NFKC-folded, lower-cased text without spaces (unigram if 1 char)."""
    folded = "".join(_fold(text).split())
    if len(folded) == 1:
        return [folded]
    return [folded[i : i + 2] for i in range(len(folded) - 1)]


class Bm25Bigrams(_Baseline):
    """BM25 (rank-bm25's BM25Okapi) with one document per sample question, over character bigrams.

    A target's score is the best of its samples' scores, so the answer is the target of the
    single best-scoring sample.
    """

    name = "BM25 char bigrams"

    def __init__(self, kb: KnowledgeBase, cutoff: float = 0.0) -> None:
        from rank_bm25 import BM25Okapi

        super().__init__(kb, cutoff)
        texts, self.ids = sample_questions(kb)
        self.index = BM25Okapi([bigrams(t) for t in texts])

    def closest(self, text: str, cutoff: float) -> tuple[float, str] | None:
        tokens = bigrams(text)
        if not tokens:
            return None
        scores = self.index.get_scores(tokens)
        top = int(scores.argmax())
        return float(scores[top]), self.ids[top]


OBJECTIVE = "answered-correct - wrong answers - false answers (counts over the tuning sets)"


@dataclass(frozen=True)
class Tuning:
    cutoff: float
    objective: int
    answered_correct: int
    wrong: int
    false_answer: int


def outcome(case: Case, answer: str | None, carrier: str | None) -> str:
    """What an answer to `case` counts as, as bot.evaluate.Tally counts it (id and carrier)."""
    if not case.expect:
        return "false"
    if answer in case.expect and (not case.checks_carrier or carrier == case.carrier):
        return "correct"
    return "wrong"


def tune_cutoff(
    cases: Sequence[Case],
    best: Callable[[str], Best],
    cutoffs: Iterable[float] | None = None,
) -> Tuning:
    """The cut-off that maximises OBJECTIVE; ties go to the higher (more cautious) cut-off.

    A baseline answers each message alone, so a conversation is scored on its last turn.
    `cutoffs=None` tries every distinct observed score (plus "never answer"), which is an
    exhaustive search for unbounded scores such as BM25's.
    """
    tops = [best(case.turns[-1]) for case in cases]
    outcomes = [
        outcome(case, answer, carrier) if answer is not None else "none"
        for case, (_, answer, carrier) in zip(cases, tops, strict=True)
    ]
    if cutoffs is None:
        cutoffs = sorted({score for score, _, _ in tops} | {float("inf")})
    chosen: Tuning | None = None
    for cutoff in cutoffs:
        counts = {"correct": 0, "wrong": 0, "false": 0, "none": 0}
        for (score, _, _), result in zip(tops, outcomes, strict=True):
            if score >= cutoff:
                counts[result] += 1
        tuning = Tuning(
            float(cutoff),
            counts["correct"] - counts["wrong"] - counts["false"],
            counts["correct"],
            counts["wrong"],
            counts["false"],
        )
        if chosen is None or tuning.objective >= chosen.objective:
            chosen = tuning
    assert chosen is not None
    return chosen
