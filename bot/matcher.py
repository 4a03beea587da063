"""Score knowledge-base entries against a question.

Two signals are combined, as the question is made of two parts:
- *what it is about*: the carriers it names decide which policy cards can apply at all;
- *what it asks*: its meaning units (concepts, CJK characters, words) are compared with every
  sample question by rapidfuzz. Each unit is one character in the compared strings, repeated by
  its weight (rarer units weigh more), so `fuzz.ratio` on the sorted strings is a weighted
  bag-of-units Dice and `fuzz.ratio` on the ordered strings rewards the same phrasing. No
  whitespace tokens are used, so unsegmented CJK is safe (unlike `token_set_ratio`).

Everything but the per-question comparison is done once, when a snapshot is built. Samples are
pruned through an inverted index of units, so cost grows with the samples that share a unit with
the question, not with the size of the knowledge base.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.knowledge import KnowledgeBase
from bot.normalize import Analysis, Normalizer

_UNKNOWN = "\uf8ff"  # a unit no sample has: unknown words still count against similarity
_PUA_START = 0xE000
_MAX_WEIGHT = 3
CONCEPT_WEIGHT = 2  # a concept weighs at least this many characters
CONCEPT_IDF_WEIGHT = 2  # plus up to this much for concepts few entries use
IMPLY_MIN_SAMPLES = 3
BAG_WEIGHT = 0.6  # share of the order-free similarity in a sample's score; the rest is ordered
# The order-free part is an F-score of the weighted units the question shares with a sample.
# Beta > 1 favours recall (how much of the sample the question covers) over precision, because
# people wrap a question in context ("I'm a student, my roommate...") but rarely leave out its core.
RECALL_BETA = 1.5

# Carrier logic, in score points (0-100 scale).
NAMED_CARRIER_BONUS = 20.0  # the question names this entry's carrier...
FULL_BONUS_INTENT = 50.0  # ...in full when the rest of the question matches at least this well
UNNAMED_CARRIER_PENALTY = 25.0  # the entry is about one carrier, the question names none
GENERAL_WITH_CARRIER_PENALTY = 18.0  # a general topic, while the question names one carrier
COMPARISON_CARD_PENALTY = 5.0  # a card, while the question names several carriers
OFFTOPIC_PENALTY = 45.0


@dataclass(frozen=True)
class Scored:
    id: str
    score: float


@dataclass(frozen=True)
class _Sample:
    entry: str
    ordered: str
    bag: str
    names_carrier: bool  # the sample names its entry's carrier ("povo 热点", not just "热点")


class Matcher:
    """An index over one knowledge-base snapshot; immutable once built."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        carrier_names = {e.id: e.names for e in kb.entries.values() if e.is_carrier}
        self.normalizer = Normalizer(kb.synonyms, carrier_names, kb.stopwords, kb.offtopic)
        texts: list[tuple[str, str]] = []
        for entry in kb.entries.values():
            for lang_questions in entry.questions.values():
                texts += [(entry.id, q) for q in lang_questions]
        analyses = [(eid, self.normalizer.analyze(q)) for eid, q in texts]
        self.normalizer.vocabulary = frozenset(
            u[2:] for _, a in analyses for u in a.units if u.startswith("w:")
        )
        # Unit weights: concepts carry the meaning, and a concept that few entries use says more
        # than one every entry uses. Plain characters and words weigh 1.
        entries_with: dict[str, set[str]] = defaultdict(set)
        samples_with: dict[str, int] = defaultdict(int)
        for eid, a in analyses:
            for unit in set(a.units):
                entries_with[unit].add(eid)
                samples_with[unit] += 1
        n_entries = max(len(kb.entries), 2)
        self._char: dict[str, str] = {}
        self._weight: dict[str, int] = {}
        next_code = _PUA_START
        for unit, eids in sorted(entries_with.items()):
            if unit.startswith("#"):
                idf = math.log(n_entries / len(eids)) / math.log(n_entries)  # 0..1
                self._weight[unit] = CONCEPT_WEIGHT + round(idf * CONCEPT_IDF_WEIGHT)
            else:
                self._weight[unit] = 1
            if len(unit) == 1:
                self._char[unit] = unit
            else:
                self._char[unit] = chr(next_code)
                next_code += 1
        # A feature name used only in one carrier's entries (e.g. パケットギフト) names that carrier.
        carrier_of = {e.id: e.carrier for e in kb.entries.values()}
        self._implies: dict[str, str] = {}
        for unit, eids in entries_with.items():
            carriers = {carrier_of[e] for e in eids}
            if len(unit) > 1 and samples_with[unit] >= IMPLY_MIN_SAMPLES and len(carriers) == 1:
                (carrier,) = carriers
                if carrier is not None:
                    self._implies[unit] = carrier
        self._samples: list[_Sample] = []
        self._postings: dict[str, list[int]] = defaultdict(list)
        seen: set[tuple[str, str, bool]] = set()
        for eid, a in analyses:
            ordered, bag = self._strings(a.units)
            named = carrier_of[eid] is not None and carrier_of[eid] in a.carriers
            if not ordered or (eid, ordered, named) in seen:
                continue
            seen.add((eid, ordered, named))
            index = len(self._samples)
            self._samples.append(_Sample(eid, ordered, bag, named))
            for ch in set(ordered):
                self._postings[ch].append(index)
        self._carrier_of = {e.id: e.carrier for e in kb.entries.values()}
        self._is_topic = {e.id: not e.is_carrier for e in kb.entries.values()}

    def _strings(self, units: Iterable[str]) -> tuple[str, str]:
        chars = [self._char.get(u, _UNKNOWN) for u in units]
        ordered = "".join(chars)
        bag = "".join(sorted(c * self._weight.get(u, 1) for c, u in zip(chars, units, strict=True)))
        return ordered, bag

    def weight(self, analysis: Analysis) -> int:
        """How much a question says: the summed weight of its meaning units."""
        return len(self._strings(analysis.units)[1])

    def analyze(self, text: str) -> Analysis:
        return self.normalizer.analyze(text)

    def intent_scores(self, analysis: Analysis, named: bool) -> dict[str, float]:
        """Best similarity of the question's units to each entry's samples (0-100).

        A sample that names a carrier only speaks for questions that name one too: without
        its name, "povo 热点" would be as generic as "热点".
        """
        ordered, bag = self._strings(analysis.units)
        if not ordered:
            return {}
        candidates: set[int] = set()
        for ch in set(ordered):
            candidates.update(self._postings.get(ch, ()))
        best: dict[str, float] = {}
        samples = self._samples
        beta2 = RECALL_BETA * RECALL_BETA
        len_q = len(bag)
        for i in candidates:
            s = samples[i]
            if s.names_carrier and not named:
                continue
            len_s = len(s.bag)
            # fuzz.ratio of sorted strings = 2*shared/(len_q+len_s): recover the shared weight.
            shared = fuzz.ratio(bag, s.bag) * (len_q + len_s) / 200.0
            f_beta = 100.0 * (1 + beta2) * shared / (beta2 * len_s + len_q)
            score = BAG_WEIGHT * f_beta + (1 - BAG_WEIGHT) * fuzz.ratio(ordered, s.ordered)
            if score > best.get(s.entry, 0.0):
                best[s.entry] = score
        return best

    def score(self, analysis: Analysis) -> list[Scored]:
        """Every entry worth considering, best first, with carrier logic applied."""
        named = analysis.carriers or tuple(
            dict.fromkeys(self._implies[u] for u in analysis.units if u in self._implies)
        )
        intent = self.intent_scores(analysis, bool(named))
        if named and not analysis.units and not analysis.offtopic:
            # Only a carrier's name: its card is the answer.
            return [Scored(c, 100.0 - 5.0 * k) for k, c in enumerate(named)]
        results = []
        for eid, base in intent.items():
            carrier = self._carrier_of[eid]
            score = base
            if carrier is not None:
                if not named:
                    score -= UNNAMED_CARRIER_PENALTY
                elif carrier not in named:
                    continue  # about another carrier than the one(s) asked about
                elif len(named) == 1:
                    # The name confirms a match; it cannot make up for a question about else.
                    score += NAMED_CARRIER_BONUS * min(1.0, base / FULL_BONUS_INTENT)
                else:  # several carriers named is a comparison: a general topic answers it
                    score -= COMPARISON_CARD_PENALTY
            elif len(named) == 1:
                score -= GENERAL_WITH_CARRIER_PENALTY
            if analysis.offtopic:
                score -= OFFTOPIC_PENALTY
            results.append(Scored(eid, max(0.0, score)))
        for carrier in named:
            if carrier not in intent:
                results.append(Scored(carrier, 0.0))
        # Ties go to the carrier card: it is the broader answer and links to the topic.
        is_topic = self._is_topic
        results.sort(key=lambda s: (-s.score, is_topic[s.id], s.id))
        return results

    def top(self, text: str, limit: int = 10) -> list[Scored]:
        return self.score(self.analyze(text))[:limit]

    def explain(self, text: str) -> dict:
        a = self.analyze(text)
        return {
            "folded": a.folded,
            "units": list(a.units),
            "carriers": list(a.carriers),
            "offtopic": a.offtopic,
            "top": [(s.id, round(s.score, 1)) for s in self.score(a)[:5]],
        }


def best_match(query: str, choices: list[str], cutoff: float) -> str | None:
    """Closest of a few short labels (e.g. a /policy argument against carrier names)."""
    hit = process.extractOne(query, choices, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff)
    return hit[0] if hit else None
