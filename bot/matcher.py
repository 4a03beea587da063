"""Score knowledge-base entries against a question.

Two signals are combined, as the question is made of two parts:
- *what it is about*: the carriers it names decide which policy cards can apply at all;
- *what it asks*: its meaning units (concepts, CJK characters, words) are compared with every
  sample question. Each unit is one character in the compared strings, repeated by its weight
  (rarer units weigh more). The order-free part is a weighted bag-of-units overlap (what
  `fuzz.ratio` of the sorted strings counts, read from per-unit postings), and `fuzz.ratio` of the
  ordered strings (rapidfuzz `cdist`) rewards the same phrasing. No whitespace tokens are used,
  so unsegmented CJK is safe (unlike `token_set_ratio`).

Everything but the per-question comparison is done once, when a snapshot is built. Identical
sample strings are compared once (a thousand carriers' cards ask "can I gift data?" alike), and the
comparison runs inside rapidfuzz and numpy, so a question costs microseconds per distinct sample
rather than a Python loop per sample.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections import Counter, defaultdict
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz, process

from bot.knowledge import ASPECTS, OUTSIDE, KnowledgeBase
from bot.normalize import Analysis, Normalizer, fold

# Multi-character units (concepts, words) become characters from the supplementary private use
# planes, which hold 131,068 of them; a unit no sample has is one more, so unknown words still
# count against similarity.
_PUA_START = 0xF0000
_UNKNOWN = chr(0x10FFFD)
TOP_K = 20  # entries returned per question: enough for clarify (3) and inline mode (10)
CONCEPT_WEIGHT = 2  # a concept weighs at least this many characters
CONCEPT_IDF_WEIGHT = 2  # plus up to this much for concepts few entries use
OUTMATCHED = 14.0
FEATURE_MEANS = ("#gift", "#data")  # what a carrier's feature name means without its carrier
GIVES_AFTER = 3  # tokens between a hotspot and a later act of giving that make giving the ask
# Feature names that say what kind of SIM it is, whoever sells it ("data only SIM from IIJmio"),
# or an add-on ("povoにも大盛りある？"): not a way of giving data.
KIND_FEATURES = frozenset({"#prepaid", "#oomori"})
TRAVEL = frozenset({"#tourist"})  # the tourist SIMs' "feature": travelling
SHARING = "#multiline"
# A carrier's named way of doing what a topic asks about (ドコモ「データプラス」, BIGLOBE「シェア
# SIM」 share within one contract; mineo「パスケット」 banks unused data): its name names the
# carrier as the carrier's own name would, and means that act whichever carrier is named
# ("ahamoでもデータプラス使える？", "パスケットって何").
ACT_FEATURES: dict[str, str] = {
    **dict.fromkeys(
        (
            "#dataplus",
            "#datashareplus",
            "#sharesim",
            "#shareplan",
            "#sharepack",
            "#packetshare",
            "#familyprogram",
        ),
        SHARING,
    ),
    "#pasket": "#carryover",
    "#gigacharge": "#topup",
}
KEY_CONCEPT_SHARE = 0.3
# A concept that at least DEFINING_SHARE of a target's samples use, DEFINING_LIFT times as often
# as samples overall, defines the target (#topup for top-ups, #law and #sim for the SIM law).
DEFINING_SHARE = 0.2
DEFINING_LIFT = 5.0
ASKED_ASPECT_SHARE = 0.08  # an aspect this share of a target's samples ask about
# A unit no sample uses weighs 1, a known one this many times more: words that match nothing
# ("读语言学校", a life story) dilute a question less than words that could have matched.
KNOWN_WEIGHT = 2  # a concept in this share of a target's samples characterizes it
BAG_WEIGHT = 0.6  # share of the order-free similarity in a sample's score; the rest is ordered
# The order-free part is an F-score of the weighted units the question shares with a sample.
# Beta > 1 favours recall (how much of the sample the question covers) over precision, because
# people wrap a question in context ("I'm a student, my roommate...") but rarely leave out its core.
RECALL_BETA = 2.0
# The nearest sample judges a question by one phrasing; a naive Bayes vote over *all* of a
# target's samples judges it by which units that target's askers use. The vote (a probability,
# 0..1, times this weight) is added to the nearest-sample similarity, so it mostly breaks
# near-ties between topics that share words ("给女朋友买流量" is top-up, "给女朋友流量" gifting).
VOTE_WEIGHT = 5.0
VOTE_SMOOTHING = 0.5  # additive smoothing of the per-target unit frequencies
# A topic whose cue concept the message has (topics/*.yaml `cues`: a hotspot, a tablet, a top-up)
# gains this much: the cue names the topic whichever sample phrasing is nearest.
CUE_BONUS = 6.0
ANALYSIS_CACHE = 1024  # recent analyses kept (a conversation's last question is read again)

# Carrier logic, in score points (0-100 scale).
NAMED_CARRIER_BONUS = 20.0  # the question names this entry's carrier...
FULL_BONUS_INTENT = 50.0  # ...in full when the rest of the question matches at least this well
UNNAMED_CARRIER_PENALTY = 25.0  # the entry is about one carrier, the question names none
COMPARISON_PENALTY = 10.0  # the entry is about one of several carriers the question names
OFFTOPIC_PENALTY = 45.0
OFFTOPIC_PENALTY_STRONG = 15.0  # ...when the message has this many concepts of its own:
OFFTOPIC_STRONG_CONCEPTS = 3
OFFTOPIC_PENALTY_COVERED = 0.0  # ...for a target whose every key concept the message has
# Concepts that say how, not what: they do not make a message clearly about data.
WEAK_CONCEPTS = frozenset(
    {"#which", "#carrier_generic", "#price", "#howto", "#apply", "#validity", "#limit", "#why"}
)


_PERSONS = frozenset({"人", "#friend", "#family", "w:people", "w:friend", "w:friends"})


def _visitors_kept(analysis: Analysis) -> Analysis:
    """A visit said of people ("来日本玩的朋友", "去日本旅游的人") describes them, not a travel
    SIM: it names no carrier."""
    tokens = analysis.tokens
    visitors = [
        i
        for i, token in enumerate(tokens)
        if token == "#tourist" and tokens[i + 1 : i + 2] and tokens[i + 1] in _PERSONS
    ]
    if not visitors or tokens.count("#tourist") > len(visitors):
        return analysis
    return dataclasses.replace(
        analysis,
        tokens=tuple(t for i, t in enumerate(tokens) if i not in visitors),
        units=tuple(u for u in analysis.units if u != "#tourist"),
    )


# "povo hotspot money?", "テザリングお金いる？": money asked of a feature is its price...
PRICED_FEATURES = frozenset({"#hotspot", "#carryover"})
# ...unless the data is to earn it ("开热点赚钱", "make money off my hotspot").
_EARNS = re.compile(r"赚|賺|稼|儲け|earn|make money|making money|for money|换钱|換錢|卖|賣|売")


def _cost_of_a_feature(analysis: Analysis) -> Analysis:
    """Money named right after a feature (tethering, carry-over) with no selling asks what the
    feature costs: `#price`, not turning data into cash."""
    tokens = analysis.tokens
    at = tokens.index("#cash")
    if (
        tokens[at - 1 : at] == ()
        or tokens[at - 1] not in PRICED_FEATURES
        or "#sell" in tokens
        or "#market" in tokens
        or _EARNS.search(analysis.folded)
    ):
        return analysis
    return dataclasses.replace(
        analysis,
        tokens=tuple("#price" if t == "#cash" else t for t in tokens),
        units=tuple(dict.fromkeys("#price" if u == "#cash" else u for u in analysis.units)),
    )


class Scored(NamedTuple):
    """One target's score for a question. (A named tuple: every question makes a score per
    target, and a frozen dataclass costs several times as much to make.)"""

    id: str
    score: float
    intent: float = 0.0  # how well the question matches the samples, before carrier logic


class Matcher:
    """An index over one knowledge-base snapshot's *targets* (topics and entries); immutable.

    Topics' sample questions name no carrier, so a topic is judged on what a question asks, never
    on which carrier it names; entries about one carrier (the mineo how-to) keep carrier logic.
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        carrier_names = {c.id: c.names for c in kb.carriers.values()}
        self.normalizer = Normalizer(
            kb.synonyms,
            carrier_names,
            kb.stopwords,
            kb.offtopic,
            kb.nondata,
            {c.id: c.brand_of for c in kb.carriers.values() if c.brand_of},
        )
        self._analyze = functools.lru_cache(maxsize=ANALYSIS_CACHE)(self._read_names)
        # Every carrier name, folded and without spaces, for fuzzy /policy arguments.
        self.carrier_keys: dict[str, str] = {
            fold(name).replace(" ", ""): carrier
            for carrier, names in carrier_names.items()
            for name in (carrier, *names)
        }
        # Latin words of carrier names ("line", "mobile", "mineo"): they say nothing about which
        # language someone writes in.
        self.latin_names = frozenset(
            word
            for names in carrier_names.values()
            for name in names
            for word in re.findall(r"[a-z]+", fold(name))
        ) | frozenset(kb.carriers)
        carrier_of: dict[str, str | None] = {t: None for t in kb.topics}
        carrier_of.update({e.id: e.carrier for e in kb.entries.values()})
        if kb.questions(OUTSIDE):  # out-of-scope samples compete like a target, about no carrier
            carrier_of[OUTSIDE] = None
        self.carrier_of = carrier_of
        texts: list[tuple[str, str]] = []
        for target in carrier_of:
            for lang_questions in kb.questions(target).values():
                texts += [(target, q) for q in lang_questions]
        # A feature name (パケットギフト) names its carrier even when the carrier is not typed.
        self._implies: dict[str, str] = {
            "#" + feature: c.id for c in kb.carriers.values() for feature in c.features
        }
        cache: dict[str, Analysis] = {}
        analyses = []
        for tid, q in texts:
            if q not in cache:
                cache[q] = self.normalizer.analyze(q)
                if not ACT_FEATURES.keys().isdisjoint(cache[q].units):
                    cache[q] = self._acts_named(cache[q])
            if tid == OUTSIDE and cache[q].nondata:
                # "suicaの残高を他の人に移せる" reads as "#friend #gift" once its object (not
                # mobile data) is set aside: as a sample it would speak against every question
                # about giving data. The reading itself puts such questions out of scope.
                continue
            analyses.append((tid, cache[q]))
        self.analyses = analyses
        # Every sample as written (folded): the engine's reading of one is never overruled.
        self.sample_texts = frozenset(a.folded for a in cache.values())
        self.normalizer.vocabulary = frozenset(
            u[2:] for _, a in analyses for u in a.units if u.startswith("w:")
        )
        # Units an answerable question uses: "known" words. The out-of-scope samples' words
        # ("店", "login") do not make a message about a carrier ask a question.
        self._answerable_units = frozenset(
            u for tid, a in analyses if tid != OUTSIDE for u in a.units
        )
        # Units only out-of-scope samples use ("店", "预约", "login"): a message needs one for
        # the out-of-scope samples to speak against it ("那能送人吗" is as close to "旧手机送给
        # 表妹…" as to a gifting question, but says nothing out of scope).
        self._outside_units = (
            frozenset(u for tid, a in analyses if tid == OUTSIDE for u in a.units)
            - self._answerable_units
        )
        # Unit weights: concepts carry the meaning, and a concept that few targets use says more
        # than one every target uses. Plain characters and words weigh 1.
        entries_with: dict[str, set[str]] = defaultdict(set)
        samples_with: dict[str, int] = defaultdict(int)
        for tid, a in analyses:
            for unit in set(a.units):
                entries_with[unit].add(tid)
                samples_with[unit] += 1
        n_entries = max(len(carrier_of), 2)
        self._char: dict[str, str] = {}
        self._weight: dict[str, int] = {}
        next_code = _PUA_START
        for unit, eids in sorted(entries_with.items()):
            if unit.startswith("#"):
                idf = math.log(n_entries / len(eids)) / math.log(n_entries)  # 0..1
                concept = CONCEPT_WEIGHT + round(idf * CONCEPT_IDF_WEIGHT)
                self._weight[unit] = KNOWN_WEIGHT * concept
            else:
                self._weight[unit] = KNOWN_WEIGHT
            if len(unit) == 1:
                self._char[unit] = unit
            else:
                self._char[unit] = chr(next_code)
                next_code += 1
        # The concepts that characterize a target: used by most of its samples. A "did you
        # mean" candidate must share one of them (or a carrier) with the question.
        per_target: dict[str, list[Analysis]] = defaultdict(list)
        for tid, a in analyses:
            per_target[tid].append(a)
        # The aspects a target's askers ask about (price, validity…): a follow-up about one
        # of them after a carrier's gifting answer goes to its feature entry if that entry's
        # samples ask it ("au能送流量吗" → "多少钱一个G": データプレゼント's price), not if they
        # hardly do (mineo's how-to is about steps; "要钱吗" is answered by the cell: free).
        self.asked_aspects: dict[str, frozenset[str]] = {
            tid: frozenset(
                aspect
                for aspect in ASPECTS
                if sum(f"#{aspect}" in a.units for a in samples)
                >= ASKED_ASPECT_SHARE * len(samples)
            )
            for tid, samples in per_target.items()
        }
        self.key_concepts: dict[str, frozenset[str]] = {
            tid: frozenset(
                u
                for u in {u for a in samples for u in a.units if u.startswith("#")}
                if sum(u in a.units for a in samples) >= KEY_CONCEPT_SHARE * len(samples)
            )
            for tid, samples in per_target.items()
        }
        concept_sets = {
            tid: [{u for u in a.units if u[0] == "#"} for a in samples]
            for tid, samples in per_target.items()
        }
        overall = Counter(u for sets in concept_sets.values() for one in sets for u in one)
        total = sum(len(sets) for sets in concept_sets.values())
        lift: dict[str, dict[str, float]] = {
            tid: {
                u: (n / len(sets)) / (overall[u] / total)
                for u, n in Counter(u for one in sets for u in one).items()
                if n >= DEFINING_SHARE * len(sets)
            }
            for tid, sets in concept_sets.items()
        }
        self.defining: dict[str, frozenset[str]] = {
            tid: frozenset(u for u, x in lifts.items() if x >= DEFINING_LIFT)
            for tid, lifts in lift.items()
        }
        # Distinct (ordered, bag) strings, and per target (in knowledge-base order) its samples
        # as indices into them, flagged when the sample names the target's carrier.
        unique: dict[tuple[str, tuple[tuple[str, int], ...]], int] = {}
        per_entry: dict[str, list[tuple[int, bool]]] = {tid: [] for tid in carrier_of}
        for tid, a in analyses:
            ordered, bag = self._strings(a.units)
            if not ordered:
                continue
            index = unique.setdefault((ordered, tuple(sorted(bag.items()))), len(unique))
            named = carrier_of[tid] is not None and (
                carrier_of[tid] in a.carriers or any(u in self._implies for u in a.units)
            )
            per_entry[tid].append((index, named))
        self._ordered = [o for o, _ in unique]
        self._ordered_array = np.array(self._ordered, dtype=object)  # for picking a subset
        self._bags = [dict(b) for _, b in unique]
        self._bag_len = np.array([sum(b.values()) for b in self._bags], dtype=np.float32)
        # Per character, the distinct samples whose bag has it and how often: the shared weight
        # of two bags (their sorted strings' longest common subsequence) is a sum of minimums.
        postings: dict[str, dict[int, int]] = defaultdict(dict)
        for index, bag in enumerate(self._bags):
            for char, count in bag.items():
                postings[char][index] = count
        self._postings = {
            char: (
                np.fromiter(rows, dtype=np.intp, count=len(rows)),
                np.fromiter(rows.values(), dtype=np.float32, count=len(rows)),
            )
            for char, rows in postings.items()
        }
        self._entry_ids = [tid for tid, samples in per_entry.items() if samples]
        self._vote_table(per_target)
        self._outside_row = self._entry_ids.index(OUTSIDE) if OUTSIDE in self._entry_ids else None
        # A topic's cue concepts, as rows: a message with one lifts that topic (CUE_BONUS).
        cue_rows: dict[str, list[int]] = defaultdict(list)
        for row, tid in enumerate(self._entry_ids):
            topic = kb.topics.get(tid)
            for cue in topic.cues if topic else ():
                cue_rows["#" + cue].append(row)
        self._cue_rows = {u: np.array(rows, dtype=np.intp) for u, rows in cue_rows.items()}
        starts, sample_unique, sample_named = [], [], []
        for tid in self._entry_ids:
            starts.append(len(sample_unique))
            for index, named in per_entry[tid]:
                sample_unique.append(index)
                sample_named.append(named)
        self._starts = np.array(starts, dtype=np.intp)
        self._sample_unique = np.array(sample_unique, dtype=np.intp)
        self._sample_named = np.array(sample_named, dtype=bool)
        carriers = sorted(kb.carriers)
        self._carrier_index = {c: i for i, c in enumerate(carriers)}
        self._entry_carrier = np.array(
            [self._carrier_index.get(carrier_of[tid] or "", -1) for tid in self._entry_ids],
            dtype=np.intp,
        )
        # Per carrier, which targets are about it: a question's carriers select rows at once.
        self._carrier_rows = {c: self._entry_carrier == i for c, i in self._carrier_index.items()}

    def _vote_table(self, per_target: dict[str, list[Analysis]]) -> None:
        """The naive Bayes tables, kept sparse (a base per target plus a gain where the target
        has the unit), as a knowledge base of 100,000 entries would not fit a dense table.

        P(unit | target) is the share of the target's samples that contain the unit, smoothed.
        Concepts also count when *absent* (Bernoulli): a message about data without any word for
        a SIM or a line is unlikely to be about handing over a SIM, however much it says "give".
        Characters and words count only when present: most of a message is not about anything.
        """
        alpha = VOTE_SMOOTHING
        n_concepts = sum(1 for u in self._weight if u.startswith("#"))
        sizes = np.array([len(per_target[tid]) for tid in self._entry_ids], dtype=np.float64)
        p0 = alpha / (sizes + 2 * alpha)  # an unseen unit's probability, per target
        self._vote_base = np.log(p0)  # per present non-concept unit
        self._vote_concept = np.log(p0) - np.log1p(-p0)  # per present concept
        absent = n_concepts * np.log1p(-p0)  # every concept absent
        rows: dict[str, list[int]] = defaultdict(list)
        gains: dict[str, list[float]] = defaultdict(list)
        for row, tid in enumerate(self._entry_ids):
            counts: dict[str, int] = defaultdict(int)
            for a in per_target[tid]:
                for unit in set(a.units):
                    counts[unit] += 1
            for unit, count in counts.items():
                p = (count + alpha) / (sizes[row] + 2 * alpha)
                rows[unit].append(row)
                if unit.startswith("#"):
                    absent[row] += math.log1p(-p) - math.log1p(-p0[row])
                    gain = math.log(p) - math.log1p(-p) - self._vote_concept[row]
                else:
                    gain = math.log(p) - self._vote_base[row]
                gains[unit].append(gain)
        self._vote_absent = absent
        self._vote_gain = {u: (np.array(rows[u], dtype=np.intp), np.array(gains[u])) for u in rows}

    def vote(self, analysis: Analysis) -> np.ndarray:
        """P(target | units) per entry of `_entry_ids` under naive Bayes with a flat prior."""
        units = {u for u in analysis.units if u in self._vote_gain}
        if not units or not len(self._vote_base):
            return np.zeros(len(self._entry_ids))
        concepts = sum(1 for u in units if u.startswith("#"))
        loglik = (
            self._vote_absent
            + concepts * self._vote_concept
            + (len(units) - concepts) * self._vote_base
        )
        gains = [self._vote_gain[unit] for unit in units]
        loglik += np.bincount(
            np.concatenate([rows for rows, _ in gains]),
            weights=np.concatenate([gain for _, gain in gains]),
            minlength=len(loglik),
        )
        p = np.exp(loglik - loglik.max())
        return p / p.sum()

    def _offtopic_penalty(self, analysis: Analysis, score: np.ndarray) -> np.ndarray:
        """What an off-topic word ("信号", "call rates") costs each target. Less in a message that
        clearly asks about data anyway, and nothing for a target whose every key concept the
        message has: "OCN开热点给电脑用可以吗 我在家没装宽带" asks about tethering; the missing
        broadband is the reason, not the question. Only the best few targets are checked."""
        concepts = {u for u in analysis.units if u.startswith("#")}
        strong = len(concepts - WEAK_CONCEPTS) >= OFFTOPIC_STRONG_CONCEPTS
        penalty = np.full(len(score), OFFTOPIC_PENALTY_STRONG if strong else OFFTOPIC_PENALTY)
        finite = np.flatnonzero(np.isfinite(score))
        if len(finite) > TOP_K:
            finite = finite[np.argpartition(-score[finite], TOP_K)[:TOP_K]]
        for row in finite:
            if self.covers(self._entry_ids[row], concepts):
                penalty[row] = OFFTOPIC_PENALTY_COVERED
        if self._outside_row is not None:  # an off-topic word is what those samples are about
            penalty[self._outside_row] = 0.0
        return penalty

    def defined_by(self, target: str, concepts: set[str] | frozenset[str]) -> bool:
        """Whether the message has at least two of the concepts that define `target` ("名下的卡
        给她用 违法吗": the SIM, lending, the law), so an off-topic word beside them (a visa, an
        SMS code) is context, not the subject."""
        return len(self.defining.get(target, frozenset()) & concepts) >= 2

    def covers(self, target: str, concepts: set[str] | frozenset[str]) -> bool:
        """Whether a message with these concepts has every key concept of `target`: it asks
        that target's question, whatever else it mentions."""
        key = self.key_concepts.get(target)
        if "#family" in concepts:  # family is someone else too ("送给家人": a friend's role)
            concepts = {*concepts, "#friend"}
        return bool(key) and key <= concepts

    def says_outside(self, analysis: Analysis) -> bool:
        """Whether the message uses a unit only out-of-scope samples use."""
        return any(u in self._outside_units for u in analysis.units)

    def known(self, units: tuple[str, ...]) -> tuple[str, ...]:
        """The units some answerable sample question contains: the only ones that can match
        an answer."""
        return tuple(u for u in units if u in self._answerable_units)

    def generic_features(self, analysis: Analysis, carriers: tuple[str, ...]) -> Analysis:
        """A feature name of a carrier the question is not about reads as what it is: giving
        data ("nuro パケットギフト まだある？", "除了mineo…有パケットギフト这种东西")."""
        named = set(carriers)
        foreign = [
            u
            for u in analysis.units
            if u in self._implies and self._implies[u] not in named and u not in KIND_FEATURES
        ]
        if not (named or analysis.carriers) or not foreign:
            return analysis
        units = [u for u in analysis.units if u not in foreign]
        if set(foreign) - TRAVEL:
            units += [u for u in FEATURE_MEANS if u not in units]
        # (travel beside another carrier is who travels, no feature: "docomo的国际漫游资费 员工
        # 出差", "Is UQ mobile good for tourists?")
        return dataclasses.replace(analysis, units=tuple(units))

    def _read_names(self, text: str) -> Analysis:
        """The normalizer's analysis, with the carrier a feature name implies written next to
        it when no carrier is named ("阿媽用緊旅遊SIM": whose carrier is the tourist SIM)."""
        analysis = self.normalizer.analyze(text)
        if "#tourist" in analysis.units:
            analysis = _visitors_kept(analysis)
        if "#cash" in analysis.tokens:
            analysis = _cost_of_a_feature(analysis)
        if not ACT_FEATURES.keys().isdisjoint(analysis.units):
            analysis = self._acts_named(analysis)
        if analysis.carriers or not any(t in self._implies for t in analysis.tokens):
            return analysis
        tokens: list[str] = []
        source = analysis.tokens
        for i, token in enumerate(source):
            tokens.append(token)
            # Not where a feature is set aside ("不是フリータンク", "タンクじゃなくて"): that
            # leaves out the feature, not its carrier.
            if (
                token in self._implies
                and source[i - 1 : i] != ("#except",)
                and source[i + 1 : i + 2] != ("#except_after",)
            ):
                tokens.append("@" + self._implies[token])
        return dataclasses.replace(analysis, tokens=tuple(tokens))

    def _acts_named(self, analysis: Analysis) -> Analysis:
        """A feature read as the act it is, naming its carrier when the message names none
        ("データプラスって他人の回線とペアにできる？" asks about docomo's sharing)."""
        named = bool(analysis.carriers)
        carriers = list(analysis.carriers)
        tokens: list[str] = []
        source = analysis.tokens
        for i, token in enumerate(source):
            if token not in ACT_FEATURES:
                tokens.append(token)
                continue
            tokens.append(ACT_FEATURES[token])
            carrier = self._implies.get(token)
            if (
                not named
                and carrier is not None
                and source[i - 1 : i] != ("#except",)
                and source[i + 1 : i + 2] != ("#except_after",)
            ):
                tokens.append("@" + carrier)
                if carrier not in carriers:
                    carriers.append(carrier)
        units = tuple(dict.fromkeys(ACT_FEATURES.get(u, u) for u in analysis.units))
        return dataclasses.replace(
            analysis, units=units, tokens=tuple(tokens), carriers=tuple(carriers)
        )

    @property
    def implies(self) -> dict[str, str]:
        """Which carrier each feature concept names ("#packetgift" → mineo)."""
        return self._implies

    def implied_carriers(self, analysis: Analysis) -> tuple[str, ...]:
        """Carriers a question names, or else those its feature names imply (パケットギフト →
        mineo); "nuro パケットギフト" is about nuro, which once had one too."""
        if analysis.carriers:
            return analysis.carriers
        return tuple(dict.fromkeys(self._implies[u] for u in analysis.units if u in self._implies))

    def _strings(self, units: tuple[str, ...]) -> tuple[str, dict[str, int]]:
        """The units as one character each, in order, and as a bag: each character's summed
        weight (the counts of the sorted string `fuzz.ratio` would compare)."""
        chars = [self._char.get(u, _UNKNOWN) for u in units]
        bag: dict[str, int] = {}
        for char, unit in zip(chars, units, strict=True):
            bag[char] = bag.get(char, 0) + self._weight.get(unit, 1)
        return "".join(chars), bag

    def weight(self, analysis: Analysis) -> int:
        """How much a question says: the summed weight of its meaning units."""
        return sum(self._weight.get(u, 1) for u in analysis.units)

    def analyze(self, text: str) -> Analysis:
        """The message's analysis; recent ones are remembered, because a conversation's next
        message reads the last question again (analyses are immutable, the cache is bounded and
        thread-safe)."""
        return self._analyze(text)

    def forget_analyses(self) -> None:
        """Drop the remembered analyses (benchmarks time cold messages)."""
        self._analyze.cache_clear()

    def intent_scores(self, analysis: Analysis, named: bool) -> np.ndarray:
        """Best similarity of the question's units to each entry's samples (0-100), per entry.

        A sample that names a carrier only speaks for questions that name one too: without
        its name, "povo 热点" would be as generic as "热点".
        """
        if not analysis.units or not self._bags:
            return np.zeros(len(self._entry_ids), dtype=np.float32)
        ordered, bag = self._strings(analysis.units)
        shared = self._shared(bag)
        # A sample that shares no unit with the question has a similarity of 0 both ways:
        # only the others are compared (about 40 % of them for a typical question).
        some = np.flatnonzero(shared)
        seq_ratio = np.zeros(len(self._ordered), dtype=np.float32)
        if len(some):
            seq_ratio[some] = process.cdist(
                [ordered], self._ordered_array[some], scorer=fuzz.ratio, dtype=np.float32
            )[0]
        len_q = float(sum(bag.values()))
        beta2 = RECALL_BETA * RECALL_BETA
        f_beta = 100.0 * (1 + beta2) * shared / (beta2 * self._bag_len + len_q)
        distinct = BAG_WEIGHT * f_beta + (1 - BAG_WEIGHT) * seq_ratio
        per_sample = distinct[self._sample_unique]
        if not named:
            per_sample = np.where(self._sample_named, 0.0, per_sample)
        nearest = np.maximum.reduceat(per_sample, self._starts)
        cued = np.zeros(len(nearest), dtype=bool)
        cues = set(analysis.units) & self._cue_rows.keys()
        if "#hotspot" in cues:
            cues.discard("#device")  # "hotspot to my laptop": the laptop is what connects
            if gives_after_hotspot(analysis.tokens) or hotspot_as_habit(analysis):
                # "天天蹭我热点也不是办法 有没有办法直接把我的流量转给她": the hotspot is what they
                # do now; giving, asked last, is the question.
                cues.discard("#hotspot")
        for unit in cues:
            cued[self._cue_rows[unit]] = True
        lifted = nearest + VOTE_WEIGHT * self.vote(analysis) + CUE_BONUS * cued
        return np.where(nearest > 0, lifted, 0.0)

    def _shared(self, bag: dict[str, int]) -> np.ndarray:
        """Per distinct sample, the weight its bag shares with the question's bag (its
        characters' counts): what `fuzz.ratio` of the sorted strings counts, read from the
        postings in a few array operations instead of comparing a thousand strings."""
        rows, counts, mine, lengths = [], [], [], []
        for char, n in bag.items():
            posting = self._postings.get(char)
            if posting is not None:
                rows.append(posting[0])
                counts.append(posting[1])
                mine.append(n)
                lengths.append(len(posting[0]))
        if not rows:
            return np.zeros(len(self._bags), dtype=np.float32)
        both = np.minimum(np.concatenate(counts), np.repeat(np.array(mine, np.float32), lengths))
        return np.bincount(np.concatenate(rows), weights=both, minlength=len(self._bags))

    def score(self, analysis: Analysis, carriers: tuple[str, ...] = ()) -> list[Scored]:
        """The targets worth considering (at most TOP_K), best first, with carrier logic applied.

        `carriers`: the carriers the question is about (named or implied, exclusions removed).
        Topics are neutral; an entry about one carrier gains when that carrier is named, loses
        when none is, and is out when another one is.
        """
        named = carriers
        intent = self.intent_scores(analysis, bool(named))
        carrier = self._entry_carrier
        has_carrier = carrier >= 0
        score = intent.astype(np.float64)
        if not named:
            score[has_carrier] -= UNNAMED_CARRIER_PENALTY
        else:
            is_named = np.logical_or.reduce([self._carrier_rows[c] for c in named])
            if len(named) == 1:
                # The name confirms a match; it cannot make up for a question about else.
                bonus = NAMED_CARRIER_BONUS * np.minimum(1.0, intent / FULL_BONUS_INTENT)
                bonus = np.where(intent >= intent.max() - OUTMATCHED, bonus, 0.0)
                score = np.where(is_named, score + bonus, score)
            else:  # several carriers: a comparison or two people's carriers, not one's how-to
                score[is_named] -= COMPARISON_PENALTY
            score[has_carrier & ~is_named] = -np.inf
        if analysis.offtopic:
            score -= self._offtopic_penalty(analysis, score)
        score[intent <= 0] = -np.inf
        candidates = np.flatnonzero(np.isfinite(score))
        if len(candidates) > TOP_K:
            best = np.argpartition(-score[candidates], TOP_K)[:TOP_K]
            candidates = candidates[best]
        ids = self._entry_ids
        results = [
            Scored(ids[i], max(0.0, s), t)
            for i, s, t in zip(
                candidates.tolist(),
                score[candidates].tolist(),
                intent[candidates].tolist(),
                strict=True,
            )
        ]
        results.sort(key=lambda s: (-s.score, s.id))
        return results


def gives_after_hotspot(tokens: tuple[str, ...]) -> bool:
    """Whether data is given (or topped up) after the last mention of a hotspot, a few words
    on: "天天给她开热点开烦了 有没有办法我出钱给她那个号加点流量"."""
    last_hotspot = max((i for i, t in enumerate(tokens) if t == "#hotspot"), default=-1)
    last_gift = max((i for i, t in enumerate(tokens) if t in ("#gift", "#topup")), default=-1)
    return (
        last_hotspot >= 0
        and last_gift - last_hotspot > GIVES_AFTER
        and bool({"#data", "#topup"} & set(tokens[last_hotspot:]))
        # (not "…毎月追加チャージもしてる。…一番安く済むのどこ？": a choice asked after it)
        and not {"#recommend", "#which"} & set(tokens[last_gift:])
    )


# A hotspot used all the time, told as the reason for asking ("他天天蹭我热点烦死了"), or kept
# as the way out if giving cannot be done ("实在不行我就天天开热点给他呗", "worst case I'll hotspot").
_HABITUAL_HOTSPOT = re.compile(
    r"(?:天天|每天|整天|成天|老是|总是|一直)蹭"
    r"|(?:实在不行|不行的话|大不了|最坏|最悪|worst case|母汤的话|不能的话|不可以的话|没办法的话)"
    r"[^。.!?？！]{0,10}(?:热点|テザ|hotspot|tether)"
)


def hotspot_as_habit(analysis: Analysis) -> bool:
    """Whether the only hotspot said is the habit that makes someone ask to give data, or the
    fallback if they cannot: "能不能把我的流量转一点给他啊 他天天蹭我热点烦死了" asks about
    giving, not about the hotspot."""
    tokens = analysis.tokens
    return (
        tokens.count("#hotspot") == 1
        and "#gift" in tokens
        and "#data" in tokens
        and _HABITUAL_HOTSPOT.search(analysis.folded) is not None
    )


def best_match(query: str, choices: list[str], cutoff: float) -> str | None:
    """Closest of a few short labels (e.g. a /policy argument against carrier names)."""
    hit = process.extractOne(query, choices, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff)
    return hit[0] if hit else None
