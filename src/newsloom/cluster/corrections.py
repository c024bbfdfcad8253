"""A user's corrections of the events, and the explanations that help make them; functions over a ``Store`` (the
``Newsloom`` facade exposes them as methods).

- ``split_article``: an article leaves its event for a new event of its own. The article's clustering vector is
  rebuilt from the store (``explain.article_features``) and taken out of the event's profile and given to the new
  event, so later articles may join either; the two events are *kept apart*: the clusterer never merges them
  again (``EventClusterer.kept_apart``, set from the store at each ingest's start).
- ``merge_events``: event B is folded into event A (B redirects to A, as the clusterer's own merges do).

Each correction is recorded in the store (``corrections``), in the same transaction as the change, under the
ingest lock (a running ingest makes it wait-free refuse with StoreBusy). The clusterer's snapshot is dropped, so
the next ingest starts from the corrected events (rebuilt from the store).
"""
from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass

from newsloom.cluster.events import EventClusterer, EventState, looks_like_headline, stable_id
from newsloom.cluster.explain import (
    ArticleFeatures, Why, article_features, explain_members, term_stats, vector,
)
from newsloom.errors import NotFound, UsageError
from newsloom.nlp.dates import parse_published
from newsloom.records import TimeSpan
from newsloom.store.base import Filters, Store, StoredCorrection, StoredEvent
from newsloom.views import EventView, parse_moment

MAX_EXPLAINED = 40  # an event page explains at most this many articles (the most central), each against the others
FEATURE_CACHE = 4_000  # articles whose features are kept in memory between calls (an article's text never changes)
_features: OrderedDict[tuple[str, str], ArticleFeatures] = OrderedDict()


def _store(source) -> Store:
    """The store behind a facade, or the store itself."""
    return getattr(source, "store", source)


# -- explanations ----------------------------------------------------------------------------------------------
def features_of(store: Store, article_ids: list[str]) -> dict[str, ArticleFeatures]:
    """Clustering features of stored articles, rebuilt from their text, mentions and dates (kept for the next
    call: the last ``FEATURE_CACHE`` articles)."""
    found = {a: _features[(store.target, a)] for a in article_ids if (store.target, a) in _features}
    missing = [a for a in article_ids if a not in found]
    for article_id, (article, mentions, dates, _quotes) in (store.load_items(missing) if missing else {}).items():
        found[article_id] = _features[(store.target, article_id)] = article_features(article, mentions, dates)
    for article_id in found:
        _features.move_to_end((store.target, article_id))
    while len(_features) > FEATURE_CACHE:
        _features.popitem(last=False)
    return found


def stats_for(store: Store, features: list[ArticleFeatures]):
    terms = set()
    for f in features:
        terms.update(f.counts)
    return term_stats(store.term_frequencies(terms), int(store.get_meta("n_docs") or 0))


def explain_event(source, event_id: str, *, limit: int = MAX_EXPLAINED) -> dict[str, Why]:
    """Why each article is in the event: article id -> ``Why``, for the ``limit`` most central articles (each
    compared with the others of them; all of them in an event of up to ``limit`` articles)."""
    store = _store(source)
    event_id = store.resolve_event(event_id)
    ids = [article_id for article_id, _ in store.event_article_ids(event_id, by_score=True)][:limit]
    found = features_of(store, ids)
    members = [found[i] for i in ids if i in found]
    return explain_members(members, stats_for(store, members), store.join_scores(ids))


# -- corrections -------------------------------------------------------------------------------------------------
@dataclass
class CorrectionResult:
    """What a correction did: the record kept, and the events it left (the new or surviving one first)."""

    correction: StoredCorrection
    events: list[EventView]

    def to_json(self) -> dict:
        return {"correction": self.correction.to_json(), "events": [e.to_json() for e in self.events]}


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _state(stored: StoredEvent) -> EventState:
    """The clusterer's event as the store keeps it (as the ingest rebuilds it)."""
    state = stored.state or {}
    event = EventState(id=stored.id, title=stored.title, centroid=dict(state.get("centroid") or {}),
                       start=parse_moment(stored.start), end=parse_moment(stored.end), precision=stored.precision,
                       n_articles=stored.n_articles, storyline_id=stored.storyline_id,
                       article_ids=list(state.get("article_ids") or []), title_score=state.get("title_score", 0.0))
    restore = getattr(event, "restore", None)  # sub-vectors and moments, where the clusterer keeps them
    if callable(restore):
        restore(state)
    return event


def _span_of(published: list[str | None]) -> TimeSpan | None:
    """An event's time as the clusterer sets it: what its most precise articles say."""
    spans = [s for s in (parse_published(p) for p in published if p) if s is not None]
    if not spans:
        return None
    best = max(s.precision.rank for s in spans)
    chosen = [s for s in spans if s.precision.rank == best]
    return TimeSpan(min(s.start for s in chosen), max(s.end for s in chosen), chosen[0].precision)


def _last_corrections(store: Store, kind: str) -> StoredCorrection:
    return store.corrections(kind)[-1]


def split_article(source, article_id: str) -> CorrectionResult:
    """Move ``article_id`` out of its event into a new event of its own (recorded; kept apart from then on)."""
    store = _store(source)
    with store.ingest_lock(), store.transaction():
        old_id = store.event_of_article(article_id)
        members = [a for a, _ in store.event_article_ids(old_id)]
        if len(members) <= 1:
            raise UsageError(f"article {article_id!r} is the only article of event {old_id}; nothing to split")
        stored = store.stored_event(old_id)
        if stored is None:  # pragma: no cover - an assigned article's event is always stored
            raise NotFound(f"no event {old_id!r}")
        features = features_of(store, [article_id])[article_id]
        own = vector(features, stats_for(store, [features]))
        article = store.article(article_id)
        span = parse_published(article.published) if article.published else None
        new_id = stable_id("ev-", f"split:{article_id}:{old_id}:{len(store.corrections())}")
        fresh = EventState(id=new_id, title=article.title, centroid=dict(own),
                           start=span.start if span else None, end=span.end if span else None,
                           precision=span.precision.value if span else None, n_articles=1,
                           article_ids=[article_id], title_score=2.0 if looks_like_headline(article.title) else 1.0)
        event = _state(stored)
        for term, weight in own.items():
            left = event.centroid.get(term, 0.0) - weight
            if left > 1e-6:
                event.centroid[term] = left
            else:
                event.centroid.pop(term, None)
        event.n_articles = len(members) - 1
        event.article_ids = [a for a in event.article_ids if a != article_id]
        rest = store.articles(Filters(), event=old_id, limit=None)
        rest = [a for a in rest if a.id != article_id]
        span = _span_of([a.published for a in rest])
        if span is not None:
            event.start, event.end, event.precision = span.start, span.end, span.precision.value
        if event.title == article.title and rest:  # the event was named after the article that leaves it
            titled = [a for a in rest if looks_like_headline(a.title)] or rest
            event.title = titled[0].title
        store.save_event(event)
        store.save_event(fresh)
        store.assign_article(article_id, new_id, 1.0)
        store.record_correction("split", article_id, old_id, new_id, _now())
        store.forget_cluster_state()
    return CorrectionResult(_last_corrections(store, "split"), [store.event(new_id), store.event(old_id)])


def merge_events(source, event_a: str, event_b: str) -> CorrectionResult:
    """Fold event B into event A: B's articles join A and B's id redirects to A (recorded)."""
    store = _store(source)
    with store.ingest_lock(), store.transaction():
        keep_id, drop_id = store.resolve_event(event_a), store.resolve_event(event_b)
        if keep_id == drop_id:
            raise UsageError(f"{event_a} and {event_b} are one event already ({keep_id})")
        keep, drop = store.stored_event(keep_id), store.stored_event(drop_id)
        if keep is None or drop is None:  # pragma: no cover - resolved ids are stored
            raise NotFound(f"no event {keep_id if keep is None else drop_id!r}")
        clusterer = EventClusterer()
        a, b = _state(keep), _state(drop)
        clusterer.load(a)
        clusterer.load(b)
        merged = clusterer.merge(a, b, keep_first=True)
        merged.n_articles = store.event_article_count(keep_id) + store.event_article_count(drop_id)
        store.save_event(merged)
        store.redirect_event(drop_id, keep_id)
        store.record_correction("merge", None, drop_id, keep_id, _now())
        store.forget_cluster_state()
    return CorrectionResult(_last_corrections(store, "merge"), [store.event(keep_id)])


def kept_apart(source) -> set[tuple[str, str]]:
    """The event pairs users split apart (the event an article left, the one it went to)."""
    return {(c.event_id, c.target_event_id) for c in _store(source).corrections("split")}


def corrections(source) -> list[StoredCorrection]:
    return _store(source).corrections()


__all__ = ["CorrectionResult", "corrections", "explain_event", "kept_apart", "merge_events",
           "split_article"]
