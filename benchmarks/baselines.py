"""The two baselines the engine must beat: what someone would write in an afternoon.

Both look only at the knowledge base's sample questions (all languages), return the entry of the
closest one, and answer when its score reaches a cut-off. They never clarify. Their cut-off is
tuned on the evaluation set itself (see `tune_cutoff`), so their figures are an optimistic upper
bound for them, never a handicap.
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
    """Quacks like bot.engine.Reply for bot.evaluate.Tally: a baseline answers or says nothing."""

    decision: str
    entry_id: str | None
    score: float
    candidates: tuple = ()


def sample_questions(kb: KnowledgeBase) -> tuple[list[str], list[str]]:
    """Every sample question of every entry, in every language, with the entry it belongs to."""
    texts: list[str] = []
    ids: list[str] = []
    for entry in kb.entries.values():
        for questions in entry.questions.values():
            texts += questions
            ids += [entry.id] * len(questions)
    return texts, ids


class NaiveFuzzy:
    """rapidfuzz `extractOne` with `WRatio` over the sample questions, as the docs suggest.

    The choices go through `utils.default_process` once, up front, instead of on every call: the
    same result as `processor=default_process`, without handicapping the baseline's speed.
    """

    name = "naive rapidfuzz WRatio"

    def __init__(self, kb: KnowledgeBase, cutoff: float = 0.0) -> None:
        texts, self.ids = sample_questions(kb)
        self.choices = [utils.default_process(t) for t in texts]
        self.cutoff = cutoff

    def best(self, text: str) -> tuple[float, str | None]:
        hit = process.extractOne(
            utils.default_process(text), self.choices, scorer=fuzz.WRatio, processor=None
        )
        return (float(hit[1]), self.ids[hit[2]]) if hit else (0.0, None)

    def ask(self, text: str) -> BaselineReply:
        hit = process.extractOne(
            utils.default_process(text),
            self.choices,
            scorer=fuzz.WRatio,
            processor=None,
            score_cutoff=self.cutoff,
        )
        if hit is None:
            return BaselineReply("none", None, 0.0)
        return BaselineReply("answer", self.ids[hit[2]], float(hit[1]))


def bigrams(text: str) -> list[str]:
    """Character bigrams of the NFKC-folded, lower-cased text without spaces (unigram if 1 char)."""
    folded = "".join(unicodedata.normalize("NFKC", text).lower().split())
    if len(folded) == 1:
        return [folded]
    return [folded[i : i + 2] for i in range(len(folded) - 1)]


class Bm25Bigrams:
    """BM25 (rank-bm25's BM25Okapi) with one document per sample question, over character bigrams.

    An entry's score is the best of its samples' scores, so the answer is the entry of the single
    best-scoring sample.
    """

    name = "BM25 char bigrams"

    def __init__(self, kb: KnowledgeBase, cutoff: float = 0.0) -> None:
        from rank_bm25 import BM25Okapi

        texts, self.ids = sample_questions(kb)
        self.index = BM25Okapi([bigrams(t) for t in texts])
        self.cutoff = cutoff

    def best(self, text: str) -> tuple[float, str | None]:
        tokens = bigrams(text)
        if not tokens:
            return 0.0, None
        scores = self.index.get_scores(tokens)
        top = int(scores.argmax())
        return float(scores[top]), self.ids[top]

    def ask(self, text: str) -> BaselineReply:
        score, entry_id = self.best(text)
        if entry_id is None or score < self.cutoff:
            return BaselineReply("none", None, score)
        return BaselineReply("answer", entry_id, score)


OBJECTIVE = "answered-correct - wrong answers - false answers (counts over the whole set)"


@dataclass(frozen=True)
class Tuning:
    cutoff: float
    objective: int
    answered_correct: int
    wrong: int
    false_answer: int


def tune_cutoff(
    cases: Sequence[Case],
    best: Callable[[str], tuple[float, str | None]],
    cutoffs: Iterable[float] | None = None,
) -> Tuning:
    """The cut-off that maximises OBJECTIVE; ties go to the higher (more cautious) cut-off.

    `cutoffs=None` tries every distinct observed score (plus "never answer"), which is an exhaustive
    search for unbounded scores such as BM25's.
    """
    tops = [best(case.q) for case in cases]
    if cutoffs is None:
        cutoffs = sorted({score for score, _ in tops} | {float("inf")})
    chosen: Tuning | None = None
    for cutoff in cutoffs:
        correct = wrong = false = 0
        for case, (score, entry_id) in zip(cases, tops, strict=True):
            if entry_id is None or score < cutoff:
                continue
            if not case.expect:
                false += 1
            elif entry_id in case.expect:
                correct += 1
            else:
                wrong += 1
        tuning = Tuning(float(cutoff), correct - wrong - false, correct, wrong, false)
        if chosen is None or tuning.objective >= chosen.objective:
            chosen = tuning
    assert chosen is not None
    return chosen
