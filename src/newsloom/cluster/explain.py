"""Why an article is in its event: the terms, entities and dates it shares with the event's other articles, and how
well it fits them (pure functions over what the store keeps of each article).

An article's clustering vector is rebuilt as the clusterer builds it (``features.raw_features`` over content lemmas,
title and lead lemmas counted extra, and its entities by their store-wide ids; weighted by ``features.weigh`` with
the store's document frequencies, without the burst factor of the day it arrived). The **score** is the cosine of
that vector with the summed vectors of the event's other articles (0 = nothing in common, 1 = the same words);
``join_score`` is the clusterer's own score when the article joined (1.0 for the article that opened the event).
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from newsloom.cluster.features import LEAD_SENTENCES, ENTITY_PREFIX, TermStats, norm, raw_features, weigh
from newsloom.nlp.analyze import content_lemmas
from newsloom.nlp.text import sentences as split_sentences
from newsloom.nlp.text import tokenize
from newsloom.records import Analysis, Article, DateMention, Mention, Precision

HEAD_CHARS = 5_000  # an article's vector is read from its first characters (the lead states the happening)
LEAD_CHARS = 2_500  # sentences are split only here, for the lead's first sentences (features.LEAD_SENTENCES)
TOP_TERMS = 5
TOP_ENTITIES = 5
TOP_DATES = 3
SUMMARY_LABELS = 5  # labels in the one-line summary
_DIGIT = re.compile(r"\d")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass
class ArticleFeatures:
    """What an explanation reads of one article: its clustering term counts (lemmas and ``@entity`` keys), a
    readable label per term (the word as the text spells it, the entity's name), and the dates it mentions."""

    article_id: str
    counts: Counter
    labels: dict[str, str]
    dates: dict[str, str]  # date key (ISO at day or month precision) -> label ("28 Oct 2020")


@dataclass
class Shared:
    """One thing an article shares with its event: a term, an entity or a date."""

    key: str  # the lemma, the entity id or the ISO date
    label: str
    weight: float  # its part in the score (terms, entities); for dates, the share of other articles mentioning it
    articles: int  # how many of the other articles have it

    def to_json(self) -> dict:
        return {"key": self.key, "label": self.label, "weight": self.weight, "articles": self.articles}


@dataclass
class Why:
    """Why one article is in its event."""

    article_id: str
    score: float
    join_score: float | None
    compared_with: int  # the other articles of the event it was compared with
    terms: list[Shared] = field(default_factory=list)
    entities: list[Shared] = field(default_factory=list)
    dates: list[Shared] = field(default_factory=list)

    def summary(self) -> str:
        """One line: ``shares: Lauterbach, Privatwohnungen, 28 Oct 2020 · score 0.41``."""
        if not self.compared_with:
            return "the only article of its event"
        labels = [s.label for s in self.entities[:2]] + [s.label for s in self.terms[:2]] + \
                 [s.label for s in self.dates[:1]]
        labels += [s.label for s in (self.entities[2:] + self.terms[2:]) if s.label not in labels]
        labels = list(dict.fromkeys(labels))[:SUMMARY_LABELS]
        shared = "shares: " + ", ".join(labels) if labels else "shares nothing specific"
        return f"{shared} · score {self.score:.2f}"

    def to_json(self) -> dict:
        return {
            "score": self.score, "join_score": self.join_score, "compared_with": self.compared_with,
            "summary": self.summary(), "terms": [s.to_json() for s in self.terms],
            "entities": [s.to_json() for s in self.entities], "dates": [s.to_json() for s in self.dates],
        }


def date_label(key: str) -> str:
    """``2020-10-28`` -> ``28 Oct 2020``; ``2020-10`` -> ``Oct 2020``."""
    parts = key.split("-")
    try:
        month = MONTHS[int(parts[1]) - 1]
    except (IndexError, ValueError):
        return key
    return f"{int(parts[2])} {month} {parts[0]}" if len(parts) > 2 else f"{month} {parts[0]}"


def date_key(mention: DateMention) -> str | None:
    """A mentioned date as the key articles share: its day (day precision or finer) or its month; None when
    vaguer (a year, a season) or longer than a day."""
    span = mention.span
    if span.precision.rank >= Precision.DAY.rank:
        return span.start.date().isoformat() if span.end - span.start <= dt.timedelta(days=1) else None
    if span.precision is Precision.MONTH:
        return span.start.strftime("%Y-%m")
    return None


def article_features(article: Article, mentions: list[Mention], dates: list[DateMention]) -> ArticleFeatures:
    """The clustering counts of one stored article (``mentions`` keyed by store-wide entity ids), with labels."""
    text = article.text[:HEAD_CHARS]
    counts: Counter = Counter()
    surfaces: dict[str, Counter] = {}
    for word, _, _ in tokenize(text):
        if _DIGIT.search(word):
            continue
        for base in content_lemmas(word):
            counts[base] += 1
            surfaces.setdefault(base, Counter())[word] += 1
    lead: Counter = Counter()
    for sentence in split_sentences(text[:LEAD_CHARS])[:LEAD_SENTENCES]:
        for token in sentence.tokens:
            if not _DIGIT.search(token.text):
                lead.update(content_lemmas(token.text))
    title_lemmas = []
    for word, _, _ in tokenize(article.title or ""):
        for base in content_lemmas(word):
            title_lemmas.append(base)
            surfaces.setdefault(base, Counter())[word] += 1
    analysis = Analysis(article_id=article.id, mentions=mentions, dates=dates, lemma_counts=dict(counts),
                        title_lemmas=tuple(title_lemmas), lead_counts=dict(lead))
    labels = {term: _spelling(words) for term, words in surfaces.items()}
    for mention in mentions:
        labels.setdefault(ENTITY_PREFIX + mention.key, mention.name)
    found_dates = {}
    for mention in dates:
        key = date_key(mention)
        if key is not None:
            found_dates.setdefault(key, date_label(key))
    return ArticleFeatures(article.id, raw_features(article, analysis), labels, found_dates)


def _spelling(words: Counter) -> str:
    """The spelling of a lemma to show: the most frequent form, a capitalised one (a noun) before others."""
    return max(words.items(), key=lambda item: (item[1], item[0][:1].isupper(), item[0]))[0]


def term_stats(df: dict[str, int], n_docs: int) -> TermStats:
    """Document frequencies as the clusterer's ``TermStats`` (no recent-days window: no burst)."""
    stats = TermStats()
    stats.df.update(df)
    stats.n_docs = n_docs
    return stats


def vector(features: ArticleFeatures, stats: TermStats) -> dict[str, float]:
    """The article's clustering vector (``features.weigh``, without the burst of its arrival days)."""
    return weigh(features.counts, stats, use_burst=False)


def explain_members(members: list[ArticleFeatures], stats: TermStats, join_scores: dict[str, float] | None = None,
                    ) -> dict[str, Why]:
    """Why each of ``members`` (articles of one event) belongs with the others: article id -> ``Why``."""
    join_scores = join_scores or {}
    vectors = {m.article_id: vector(m, stats) for m in members}
    total: dict[str, float] = {}
    holders: Counter = Counter()  # term -> how many members have it
    for v in vectors.values():
        for term, weight in v.items():
            total[term] = total.get(term, 0.0) + weight
        holders.update(v.keys())
    date_holders: Counter = Counter()
    for m in members:
        date_holders.update(m.dates.keys())
    total_norm2 = sum(w * w for w in total.values())
    result = {}
    for m in members:
        own = vectors[m.article_id]
        # the others' summed vector is the total less this article's own: only its terms differ
        others = {t: total[t] - w for t, w in own.items() if total[t] - w > 1e-9}
        own_dot_total = sum(w * total[t] for t, w in own.items())
        own_norm2 = sum(w * w for w in own.values())
        others_norm = max(0.0, total_norm2 - 2 * own_dot_total + own_norm2) ** 0.5
        score = sum(w * others[t] for t, w in own.items() if t in others) / others_norm if others_norm > 1e-9 else 0.0
        terms, entities = [], []
        for term, weight in own.items():
            if term not in others:
                continue
            part = weight * others[term] / (others_norm or 1.0)
            shared = Shared(term[len(ENTITY_PREFIX):] if term.startswith(ENTITY_PREFIX) else term,
                            m.labels.get(term, term.lstrip(ENTITY_PREFIX)), round(part, 4), holders[term] - 1)
            (entities if term.startswith(ENTITY_PREFIX) else terms).append(shared)
        # a word that is (part of) a shared entity's name is said once, as the entity
        named = {word.casefold() for e in entities for word in e.label.split()}
        terms = [t for t in terms if t.label.casefold() not in named]
        n_others = len(members) - 1
        dates = [Shared(key, label, round((date_holders[key] - 1) / n_others, 4), date_holders[key] - 1)
                 for key, label in m.dates.items() if n_others and date_holders[key] > 1]
        result[m.article_id] = Why(
            article_id=m.article_id, score=round(min(1.0, max(0.0, score)), 4),
            join_score=round(join_scores[m.article_id], 4) if m.article_id in join_scores else None,
            compared_with=n_others,
            terms=sorted(terms, key=lambda s: (-s.weight, s.key))[:TOP_TERMS],
            entities=sorted(entities, key=lambda s: (-s.weight, s.key))[:TOP_ENTITIES],
            dates=sorted(dates, key=lambda s: (-s.articles, s.key))[:TOP_DATES],
        )
    return result
