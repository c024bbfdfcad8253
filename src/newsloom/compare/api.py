"""Comparison and quotes over a store: functions taking a ``Store`` (or anything with a ``.store``, such as the
``Newsloom`` facade, which exposes them as its methods).

The per-article analysis is rebuilt from what the store keeps (sentences from the text, mentions with their
store-wide entity ids, dates and quotes), so nothing is re-tagged and a 70-article event compares in well
under a second.
"""
from __future__ import annotations

import json

from newsloom.compare.core import (
    COMPARISON_FORMAT_VERSION, Comparison, StorylineComparison, compare_articles, compare_events,
)
from newsloom.errors import NotFound, StoreError
from newsloom.nlp.text import sentences as split_sentences
from newsloom.records import Analysis, Article
from newsloom.store.base import Filters, Store
from newsloom.views import QuoteView

HEAD_CHARS = 20_000  # claims come from an article's first sentences (see core.MAX_CLAIMS_PER_ARTICLE)
CACHE_WRITE_WAIT_S = 0.2  # a page does not wait for an ingest's batch to keep its comparison: served uncached
MAX_COMPARED_ARTICLES = 48  # claim grouping is quadratic in claims; larger events are sampled fairly per outlet


def _store(source) -> Store:
    """The store behind a facade, or the store itself."""
    return getattr(source, "store", source)


def _head(text: str) -> str:
    """The start of a long text, cut at a paragraph break, so offsets stay those of the full text."""
    if len(text) <= HEAD_CHARS:
        return text
    cut = text.rfind("\n\n", 0, HEAD_CHARS)
    return text[: cut if cut > HEAD_CHARS // 2 else HEAD_CHARS]


def load_items(source, article_ids: list[str]) -> list[tuple[Article, Analysis]]:
    """``(Article, Analysis)`` for stored articles, rebuilt from the store, in the order asked."""
    stored = _store(source).load_items(article_ids)
    items = []
    for article_id in article_ids:
        if article_id not in stored:
            continue
        article, mentions, dates, quotes = stored[article_id]
        analysis = Analysis(article_id=article.id, sentences=split_sentences(_head(article.text)),
                            mentions=mentions, dates=dates, quotes=quotes)
        items.append((article, analysis))
    return items


def _event_article_ids(store: Store, event_id: str, cap: int = MAX_COMPARED_ARTICLES) -> tuple[list[str], int]:
    """The articles to compare (all, or up to ``cap`` taken in turn from each outlet, most central first)
    and the event's total number of articles."""
    rows = store.event_article_ids(event_id, by_score=True)
    if len(rows) <= cap:
        chosen = {r[0] for r in rows}
    else:
        by_outlet: dict[str, list[str]] = {}
        for article_id, outlet in rows:
            by_outlet.setdefault(outlet, []).append(article_id)
        chosen, turn = set(), 0
        while len(chosen) < cap:
            for ids in by_outlet.values():
                if turn < len(ids) and len(chosen) < cap:
                    chosen.add(ids[turn])
            turn += 1
    ordered = [article_id for article_id, _ in store.event_article_ids(event_id) if article_id in chosen]
    return ordered, len(rows)


def compare_event(source, event_id: str) -> Comparison:
    """How each outlet covered the event ``event_id`` (events above MAX_COMPARED_ARTICLES are sampled)."""
    store = _store(source)
    event = store.event(event_id)
    article_ids, total = _event_article_ids(store, event.id)
    comparison = compare_articles(load_items(store, article_ids), event_id=event.id, title=event.title)
    if total > len(article_ids):
        comparison.articles_total = total
    return comparison


def comparison_json(source, event_id: str) -> dict:
    """``compare_event(...).to_json()``, computed once per state of the event and kept in the store."""
    store = _store(source)
    event_id = store.resolve_event(event_id)
    n_articles = store.event_article_count(event_id)
    cached = store.cached_comparison(event_id, n_articles, COMPARISON_FORMAT_VERSION)
    if cached is not None:
        return json.loads(cached)
    data = compare_event(store, event_id).to_json()
    try:
        with store.transaction(wait_s=CACHE_WRITE_WAIT_S):
            store.keep_comparison(event_id, n_articles, COMPARISON_FORMAT_VERSION, json.dumps(data, ensure_ascii=False))
    except StoreError:  # a read-only or busy store: serve it uncached
        pass
    return data


def warm_comparison_cache(target: str, *, min_articles: int = 2, stop=None) -> int:
    """Compute and keep the comparisons of the larger events (most articles first) so that their pages open fast;
    meant for a background thread of the web server. ``stop`` is a ``threading.Event``. Returns how many it added."""
    from newsloom.store import open_store

    store = open_store(target, create=False)
    added = 0
    try:
        for event_id in store.events_needing_comparison(min_articles, COMPARISON_FORMAT_VERSION):
            if stop is not None and stop.is_set():
                break
            try:
                comparison_json(store, event_id)
                added += 1
            except (NotFound, StoreError):
                continue
    finally:
        store.close()
    return added


def compare_storyline(source, storyline_id: str) -> StorylineComparison:
    """Every event of the storyline compared, and what changed from one event to the next."""
    store = _store(source)
    line = store.storyline(storyline_id)
    comparisons = [compare_event(store, e.id) for e in line.timeline]
    return compare_events(comparisons, storyline_id=line.id, title=line.title)


def quotes(source, *, event: str | None = None, article: str | None = None, speaker: str | None = None,
           outlet: str | None = None, limit: int | None = None, offset: int = 0) -> list[QuoteView]:
    """Quotes and reported speech in the store, in publication order; filters combine."""
    return _store(source).quotes(Filters(outlet=outlet), event=event, article=article, speaker=speaker,
                                 limit=limit, offset=offset)


__all__ = ["QuoteView", "compare_event", "compare_storyline", "comparison_json", "quotes", "load_items",
           "warm_comparison_cache"]
