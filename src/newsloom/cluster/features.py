"""Article vectors for "same happening" decisions: lemmas weighted by rarity and by how much they burst
on the article's days, entities, and the title; all sparse dicts, L2-normalised."""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter, deque
from dataclasses import dataclass, field

from newsloom.records import Analysis, Article, EntityType, MentionKind

ENTITY_PREFIX = "@"
ENTITY_WEIGHT = {EntityType.PER: 2.0, EntityType.ORG: 1.4, EntityType.LOC: 1.0, EntityType.MISC: 1.2}
TITLE_BOOST = 6.0  # each title lemma counts this many extra times
LEAD_SENTENCES = 8  # lemmas of the first sentences count once more (the lead states the happening)
VECTOR_TERMS = 300  # strongest terms kept per article vector (enough for a long article's whole vocabulary)
MIN_DF_FOR_IDF = 3  # a term seen in fewer documents is weighted as if seen in this many
MIN_DF_KEEP = 1  # a term no other document has (so far) cannot match anything: left out, so it does not dilute
IDF_POWER = 0.5  # damped IDF: rare words must not dominate the vector (events are told by what bursts)
BURST_POWER = 1.0
BURST_WINDOW_DAYS = 3
BURST_CAP = 8.0


def entity_feature(key: str) -> str:
    return ENTITY_PREFIX + key


@dataclass
class TermStats:
    """Document frequencies over everything seen so far, plus a sliding window of recent days."""

    df: Counter = field(default_factory=Counter)
    n_docs: int = 0
    window: deque = field(default_factory=deque)  # (day, Counter) for the last BURST_WINDOW_DAYS days
    window_df: Counter = field(default_factory=Counter)
    window_docs: int = 0

    def add(self, terms: set[str], day: dt.date | None) -> None:
        self.n_docs += 1
        self.df.update(terms)
        if day is None:
            return
        if not self.window or self.window[-1][0] != day:
            if self.window and day < self.window[-1][0]:
                # out-of-order article: count it in the newest day bucket
                day = self.window[-1][0]
            else:
                self.window.append((day, Counter(), [0]))
        bucket = self.window[-1]
        bucket[1].update(terms)
        bucket[2][0] += 1
        self.window_df.update(terms)
        self.window_docs += 1
        while self.window and (day - self.window[0][0]).days >= BURST_WINDOW_DAYS:
            _, counts, docs = self.window.popleft()
            self.window_df.subtract(counts)
            self.window_docs -= docs[0]
            for term in counts:
                if self.window_df[term] <= 0:
                    del self.window_df[term]

    def idf(self, term: str) -> float:
        df = max(self.df.get(term, 0), MIN_DF_FOR_IDF)
        return math.log((self.n_docs + 1) / (df + 1)) + 1.0

    def burst(self, term: str) -> float:
        """How much more often the term occurs in recent days than overall (>= 1)."""
        if self.window_docs < 20 or self.n_docs < 200:
            return 1.0
        recent = (self.window_df.get(term, 0) + 0.5) / (self.window_docs + 1)
        overall = (self.df.get(term, 0) + 0.5) / (self.n_docs + 1)
        return max(1.0, min(BURST_CAP, recent / overall))


def lead_counts(analysis: Analysis) -> dict[str, int]:
    """Content lemmas of the first ``LEAD_SENTENCES`` sentences (kept when sentences are dropped)."""
    if analysis.lead_counts is not None:
        return analysis.lead_counts
    from newsloom.nlp.analyze import content_lemmas

    counts: Counter = Counter()
    for sentence in analysis.sentences[:LEAD_SENTENCES]:
        for token in sentence.tokens:
            if not any(ch.isdigit() for ch in token.text):
                counts.update(content_lemmas(token.text))
    return dict(counts)


def raw_features(article: Article, analysis: Analysis) -> Counter:
    """Term counts before weighting: content lemmas (title and lead counted extra) and entity keys."""
    counts: Counter = Counter(analysis.lemma_counts)
    counts.update(lead_counts(analysis))
    for term in analysis.title_lemmas:
        counts[term] += TITLE_BOOST
    for mention in analysis.mentions:
        weight = ENTITY_WEIGHT[mention.type] * (0.5 if mention.kind is MentionKind.DEMONYM else 1.0)
        counts[entity_feature(mention.key)] += weight
    return counts


def weigh(
    counts: Counter, stats: TermStats, *, use_burst: bool = True, idf_power: float = IDF_POWER,
    burst_power: float = BURST_POWER, min_df: int = MIN_DF_KEEP, size: int = VECTOR_TERMS,
) -> dict[str, float]:
    """Sublinear-tf x damped-IDF x burst weights of the strongest terms, L2-normalised.

    ``stats`` must already count the article itself (so a term only this article has has df 1 and is dropped).
    """
    weights = {}
    for term, count in counts.items():
        if stats.df.get(term, 0) < min_df:
            continue
        w = (1.0 + math.log(count)) if count >= 1 else count
        w *= stats.idf(term) ** idf_power
        if use_burst:
            w *= stats.burst(term) ** burst_power
        weights[term] = w
    if not weights:  # nothing shared with any other document yet: keep the plain weights
        weights = {t: ((1.0 + math.log(c)) if c >= 1 else c) * stats.idf(t) ** idf_power for t, c in counts.items()}
    top = sorted(weights.items(), key=lambda item: -item[1])[:size] if len(weights) > size else weights.items()
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    return {term: w / norm for term, w in top}


PARTS = ("title", "lead", "ent", "anchor")  # the article's sub-vectors beside the whole vector
PART_TERMS = 60  # strongest terms kept per sub-vector


def anchors(analysis: Analysis) -> set[str]:
    """Dates the text names (resolved, day precision or finer) and figures (not years): the happening's anchors."""
    found = {"d:" + d.span.start.date().isoformat() for d in analysis.dates if d.span.precision.rank >= 2}
    for number in analysis.numbers:
        digits = number.replace(".", "").replace(",", "")
        if len(digits) >= 2 and not (len(digits) == 4 and digits[:2] in ("19", "20")):
            found.add("n:" + number)
    return found


def part_vectors(analysis: Analysis, counts: Counter, stats: TermStats) -> dict[str, dict[str, float]]:
    """One weighted, L2-normalised vector per part (``PARTS``): what the headline and the lead say (the
    happening), which entities the article names (``counts``' store-wide entity keys), which dates and figures."""
    entities = Counter({term: c for term, c in counts.items() if term.startswith(ENTITY_PREFIX)})
    result = {
        "title": weigh(Counter(analysis.title_lemmas), stats, size=PART_TERMS),
        "lead": weigh(Counter(lead_counts(analysis)), stats, size=PART_TERMS),
        "ent": weigh(entities, stats, size=PART_TERMS),
    }
    found = anchors(analysis)
    if found:
        weight = 1.0 / math.sqrt(len(found))
        result["anchor"] = {term: weight for term in found}
    return {name: vector for name, vector in result.items() if vector}


def cosine(a: dict[str, float], b: dict[str, float], b_norm: float | None = None) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    if b_norm is None:
        return dot
    return dot / (b_norm or 1.0)


def norm(vector: dict[str, float]) -> float:
    return math.sqrt(sum(w * w for w in vector.values()))
