"""A second opinion on one message read alone: a linear text classifier over character n-grams.

The engine's reading is rules and fuzzy matching written from the knowledge base's samples; it
answers the phrasings it was shown and misreads the ones nobody thought of. The evaluation sets
that are tuned on hold about 19,000 one-message questions, each labelled with the answer a careful
person expects (tests/data/README.md): a classifier trained on them (`python -m bot train`,
bot/training.py, scikit-learn) knows how strangers word a question in a way no rule list does.
It only overrules the engine when it prefers another answer by a clear lead
(`_Asker.second_opinion` in bot/engine.py; docs/design.md, "The second opinion"), and it never
sees the held-out sets.

Only the trained weights are shipped (bot/classifier.npz); scoring a message is a sparse dot
product done here with numpy, so the bot needs no scikit-learn at run time. The features are
exactly scikit-learn's `TfidfVectorizer(analyzer="char_wb", sublinear_tf=True)` on the engine's
folded text (`normalize.fold`): tests/test_classifier.py checks the scores against the ones
scikit-learn gave at training time.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODEL_FILE = Path(__file__).with_name("classifier.npz")
NULL = "null"  # the label of an out-of-scope question (or small talk)
_WHITE = re.compile(r"\s\s+")


@dataclass(frozen=True, slots=True)
class Guess:
    label: str  # an answer id (tests/data/README.md), or NULL
    lead: float  # its score minus that of the label it was weighed against: how much it prefers it
    margin: float  # its score minus the runner-up's (a near tie is no opinion)


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """The n-grams of each space-padded word, as scikit-learn's "char_wb" analyzer cuts them."""
    grams: list[str] = []
    for word in _WHITE.sub(" ", text).split():
        word = f" {word} "
        length = len(word)
        for n in range(low, high + 1):
            if n >= length:  # the whole word, once, and no longer n-grams
                grams.append(word)
                break
            grams.extend([word[i : i + n] for i in range(length - n + 1)])
    return grams


@dataclass(frozen=True)
class Classifier:
    vocabulary: dict[str, int]
    idf: np.ndarray  # (features,)
    weights: np.ndarray  # (features, labels)
    intercept: np.ndarray  # (labels,)
    labels: tuple[str, ...]
    ngrams: tuple[int, int]
    fingerprint: str  # of the training data (`fingerprint`): tells a stale model

    def scores(self, folded: str) -> np.ndarray:
        """Each label's decision value for `folded` text (as `normalize.fold` returns it)."""
        counts = Counter(map(self.vocabulary.get, char_wb_ngrams(folded, *self.ngrams)))
        counts.pop(None, None)  # (n-grams the model does not know)
        if not counts:
            return self.intercept.copy()
        size = len(counts)
        features = np.fromiter(counts.keys(), np.intp, size)
        vector = (np.log(np.fromiter(counts.values(), np.float32, size)) + 1) * self.idf[features]
        vector /= np.sqrt(vector @ vector)
        return vector @ self.weights[features] + self.intercept

    def guess(self, folded: str, against: str) -> Guess:
        """The best label for `folded` text, how far it leads `against` (the engine's answer id,
        or NULL; a label unknown to the model counts as its lowest score) and its runner-up.
        The lead says how sure the model is that the engine is wrong; the margin, whether it
        knows which other label is right."""
        scores = self.scores(folded)
        second, best = np.argpartition(scores, -2)[-2:]
        if scores[second] > scores[best]:
            best, second = second, best
        index = self.index.get(against)
        other = scores[index] if index is not None else scores.min()
        return Guess(
            self.labels[best],
            lead=float(scores[best] - other),
            margin=float(scores[best] - scores[second]),
        )

    @functools.cached_property
    def index(self) -> dict[str, int]:
        return {label: i for i, label in enumerate(self.labels)}


def fingerprint(texts: Iterable[str], labels: Iterable[str]) -> str:
    """A hash of what a model was trained on: a test tells when the training data changed."""
    digest = hashlib.sha256()
    for text, label in zip(texts, labels, strict=True):
        digest.update(f"{label}\t{text}\n".encode())
    return digest.hexdigest()[:16]


def load(path: Path = MODEL_FILE) -> Classifier | None:
    """The trained classifier, or None when there is none (the engine then decides alone)."""
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as data:
        vocabulary = {str(gram): i for i, gram in enumerate(data["vocabulary"])}
        low, high = (int(n) for n in data["ngrams"])
        return Classifier(
            vocabulary=vocabulary,
            idf=data["idf"].astype(np.float32),
            weights=data["weights"].astype(np.float32),
            intercept=data["intercept"].astype(np.float32),
            labels=tuple(str(label) for label in data["labels"]),
            ngrams=(low, high),
            fingerprint=str(data["fingerprint"]),
        )


@functools.cache
def shipped() -> Classifier | None:
    """The shipped model, loaded once per process: every knowledge snapshot shares it."""
    return load()
