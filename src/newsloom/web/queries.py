"""Read models for the web pages and the JSON API: one function per page, plain dicts, bounded queries.

Every query runs in the store (``newsloom.store``), through the ``Newsloom`` facade; every list is paginated
(limit/offset), and aggregations over an entity's mentions are capped to its most recent articles so that page
cost does not grow with the store.
"""
from __future__ import annotations

import datetime as dt
import importlib
from urllib.parse import urlsplit

from newsloom.api import Newsloom
from newsloom.errors import NotFound, UsageError
from newsloom.search import search as run_search
from newsloom.store.base import Filters
from newsloom.views import QuoteView, SearchResult
from newsloom.web.highlight import highlight

MAX_LIMIT = 100
COOCCURRENCE_ARTICLES = 400
RECENT_EVENT_ARTICLES = 500


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) URL without control characters, else None."""
    if not url or not isinstance(url, str):
        return None
    url = url.strip()
    if any(ord(c) < 33 or ord(c) == 127 or c == "\\" for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def entity_ids(loom: Newsloom, entity: str | None) -> list[str] | None:
    """Live entity ids for a name or id filter (the store's one rule)."""
    return loom.store.resolve_entities(entity)


# -- overview ------------------------------------------------------------------------------------------------
def list_events(loom: Newsloom, f: Filters, *, storyline: str | None = None, limit: int = 20,
                offset: int = 0) -> tuple[list[dict], bool]:
    items = loom.store.events(f, storyline=storyline, limit=limit + 1, offset=offset)
    return [e.to_json() for e in items[:limit]], len(items) > limit


def list_storylines(loom: Newsloom, f: Filters, *, limit: int = 10, offset: int = 0) -> tuple[list[dict], bool]:
    items = loom.store.storyline_summaries(f, limit=limit + 1, offset=offset)
    return [s.to_json() for s in items[:limit]], len(items) > limit


def outlet_counts(loom: Newsloom, f: Filters) -> list[dict]:
    return [c.to_json() for c in loom.store.outlet_counts(f)]


def store_counts(loom: Newsloom) -> dict:
    return loom.store.counts().to_json()


# -- event -------------------------------------------------------------------------------------------------
def comparison_module():
    """The module providing ``compare_event(loom, event_id)`` (newsloom.compare or newsloom.compare.api), or None."""
    for name in ("newsloom.compare.api", "newsloom.compare"):
        try:
            module = importlib.import_module(name)
        except Exception:  # noqa: BLE001 - an unfinished or broken optional module leaves the section out
            continue
        if callable(getattr(module, "compare_event", None)):
            return module
    return None


def event_comparison(loom: Newsloom, event_id: str) -> tuple[dict | None, str | None]:
    """(comparison JSON, error message); (None, None) when newsloom.compare is not available."""
    module = comparison_module()
    if module is None:
        return None, None
    try:
        if hasattr(module, "comparison_json"):
            return module.comparison_json(loom, event_id), None
        result = module.compare_event(loom, event_id)
        data = result.to_json() if hasattr(result, "to_json") else result
        return data, None
    except NotFound:
        raise
    except Exception as exc:  # noqa: BLE001 - show the page without it
        return None, f"The coverage comparison could not be computed ({type(exc).__name__})."


def event_detail(loom: Newsloom, event_id: str) -> dict:
    view = loom.event(event_id)
    data = view.to_json()
    by_outlet: dict[str, list[dict]] = {}
    for a in loom.store.event_article_list(view.id):
        by_outlet.setdefault(a.outlet, []).append({
            "id": a.id, "title": a.title, "published": a.published, "duplicate_of": a.duplicate_of,
            "duplicate_kind": a.duplicate_kind, "url": safe_url(a.url),
        })
    data["articles_by_outlet"] = [{"outlet": k, "articles": v} for k, v in sorted(by_outlet.items())]
    data["dates_mentioned"] = [d.to_json() for d in loom.store.event_dates(view.id)]
    data["quotes"] = event_quotes(loom, view.id)
    return data


def _quote_dict(q: QuoteView) -> dict:
    return {"article_id": q.article_id, "outlet": q.outlet, "start": q.start, "end": q.end, "text": q.text,
            "kind": q.kind, "speaker": q.speaker, "speaker_key": q.speaker_key, "channel": q.channel, "verb": q.verb}


def event_quotes(loom: Newsloom, event_id: str, limit: int = 60) -> list[dict]:
    return [_quote_dict(q) for q in loom.store.event_quotes(event_id, limit)]


def _day(iso: str | None) -> dt.date | None:
    if not iso:
        return None
    try:
        return dt.date.fromisoformat((iso[:10] + "-01-01"[len(iso[:10]) - 4:]) if len(iso) < 10 else iso[:10])
    except ValueError:
        return None


# -- storyline ---------------------------------------------------------------------------------------------
def storyline_detail(loom: Newsloom, storyline_id: str, *, max_events: int = 80) -> dict:
    # the storyline with views of only the events shown (the first max_events)
    view = loom.store.storyline(storyline_id, max_events=max_events)
    data = view.to_json()
    timeline = [e.to_json() for e in view.timeline]
    data["timeline"] = timeline
    data["truncated"] = len(view.events) > max_events
    changes = []
    # every entity of the shown events (ids and names): an entity is new or dropped only when the other event does
    # not mention it at all (not merely below its top list), by id or by name (one name typed two ways)
    mentioned = loom.store.event_entity_keys([e["id"] for e in timeline])
    for before, after in zip(timeline, timeline[1:]):
        old, new = mentioned.get(before["id"], set()), mentioned.get(after["id"], set())
        first, last = _day(after["start"]), _day(before["end"])
        gap = max(0, (first - last).days) if first and last else None  # 0: at the same time (overlapping)
        changes.append({
            "from": before["id"], "to": after["id"], "days": gap,
            "new_entities": [e for e in after["entities"] if e["id"] not in old and e["name"].casefold() not in old][:8],
            "dropped_entities": [e for e in before["entities"]
                                 if e["id"] not in new and e["name"].casefold() not in new][:8],
            "new_outlets": sorted(set(after["outlets"]) - set(before["outlets"])),
        })
    data["changes"] = changes
    return data


# -- entity ------------------------------------------------------------------------------------------------
def entity_detail(loom: Newsloom, entity_id: str) -> dict:
    view = loom.entity(entity_id)
    data = view.to_json()
    store = loom.store
    # events of its most recent articles (all of them for all but the most frequent entities)
    data["recent_events"] = [e.to_json() for e in store.entity_recent_events(view.id,
                                                                             from_articles=RECENT_EVENT_ARTICLES)]
    data["recent_events_from_articles"] = RECENT_EVENT_ARTICLES
    # events over time: per month, events in which it is mentioned
    data["timeline"] = [m.to_json() for m in store.entity_months(view.id)]
    # co-occurring entities in its most recent articles
    data["cooccurring"] = [{"id": e.id, "name": e.name, "type": e.type, "articles": e.mentions}
                           for e in store.entity_cooccurring(view.id, from_articles=COOCCURRENCE_ARTICLES)]
    data["cooccurring_from_articles"] = COOCCURRENCE_ARTICLES
    data["quotes_by"] = [_quote_dict(q) for q in store.quotes_by(view.id)]
    data["quotes_about"] = [_quote_dict(q) for q in store.quotes_about(view.id)]
    return data


def list_entities(loom: Newsloom, *, type: str | None, name: str | None, limit: int, offset: int) -> tuple[list[dict], bool]:
    if type and type.upper() not in ("PER", "ORG", "LOC", "MISC"):
        raise UsageError(f"unknown entity type {type!r} (PER, ORG, LOC, MISC)")
    items = loom.entities(type=type, name=name, limit=limit + 1, offset=offset)
    return [e.to_json() for e in items[:limit]], len(items) > limit


# -- article -----------------------------------------------------------------------------------------------
def article_detail(loom: Newsloom, article_id: str) -> dict:
    view = loom.article(article_id)
    data = view.to_json()
    data["url"] = safe_url(view.url)
    data["entities"] = loom.mentions(view.id)
    data["dates"] = loom.dates(view.id)
    data["quotes"] = [
        {"start": q.start, "end": q.end, "text": q.text, "kind": q.kind, "speaker": q.speaker,
         "speaker_key": q.speaker_key, "channel": q.channel, "verb": q.verb}
        for q in loom.store.article_quotes(view.id)
    ]
    if view.duplicate_of:
        original = loom.store.article_refs([view.duplicate_of]).get(view.duplicate_of)
        data["duplicate_of_title"] = f"{original.outlet}: {original.title}" if original else None
    data["copies"] = [{"id": c.id, "outlet": c.outlet} for c in loom.store.copies_of(view.id)]
    return data


def ensure_exists_event(loom: Newsloom, event_id: str) -> None:
    loom.event(event_id)


# -- search ------------------------------------------------------------------------------------------------
def search(loom: Newsloom, query: str, f: Filters, *, limit: int, offset: int) -> SearchResult:
    """Ranked full-text search with highlighted titles and snippets."""
    return highlight(run_search(loom.store, query, f, limit=limit, offset=offset))


__all__ = [
    "Filters", "MAX_LIMIT", "NotFound", "UsageError", "article_detail", "entity_detail", "event_detail",
    "event_comparison", "list_entities", "list_events", "list_storylines", "outlet_counts", "safe_url", "search",
    "storyline_detail", "store_counts",
]
