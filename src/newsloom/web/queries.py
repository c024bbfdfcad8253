"""Read models for the web pages and the JSON API: one function per page, plain dicts, bounded queries.

Every list is paginated in SQL (limit/offset); aggregations over an entity's mentions are capped to its most
recent articles so that page cost does not grow with the store.
"""
from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from urllib.parse import urlsplit

from newsloom.api import Newsloom, _date_bound, _published_iso, _span_iso
from newsloom.errors import NotFound, UsageError

MAX_LIMIT = 100
COOCCURRENCE_ARTICLES = 400
RECENT_EVENT_ARTICLES = 500


@dataclass
class Filters:
    since: str | None = None
    until: str | None = None
    outlet: str | None = None
    entity: str | None = None

    def clean(self) -> "Filters":
        for name in ("since", "until", "outlet", "entity"):
            value = getattr(self, name)
            value = value.strip() if isinstance(value, str) else None
            setattr(self, name, value or None)
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None:
                _date_bound(value, upper=False)  # raises UsageError on a bad date
        return self

    def as_params(self) -> dict:
        return {k: v for k, v in vars(self).items() if v}


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


def _canonical_outlet(loom: Newsloom, outlet: str | None) -> str | None:
    if not outlet:
        return None
    row = loom.db.execute("SELECT outlet FROM articles WHERE outlet=? LIMIT 1", (outlet,)).fetchone()
    if row:
        return row[0]
    row = loom.db.execute("SELECT outlet FROM articles WHERE lower(outlet)=lower(?) LIMIT 1", (outlet,)).fetchone()
    return row[0] if row else outlet


def entity_ids(loom: Newsloom, entity: str | None) -> list[str] | None:
    """Live entity ids for a name or id filter, through indexed lookups only (id, alias keys, exact name)."""
    if not entity:
        return None
    db = loom.db
    needle = entity.casefold()
    found = [r[0] for r in db.execute("SELECT id FROM entities WHERE id=?", (entity,))]
    found += [r[0] for r in db.execute(
        "SELECT entity_id FROM entity_aliases WHERE alias IN (?,?,?,?)",
        [f"{t}:{needle}" for t in ("PER", "ORG", "LOC", "MISC")])]
    if not found:
        found = [r[0] for r in db.execute("SELECT id FROM entities WHERE lower(name)=? LIMIT 20", (needle,))]
    result = []
    for eid in found:
        for _ in range(10):
            row = db.execute("SELECT redirect_to FROM entities WHERE id=?", (eid,)).fetchone()
            if row is None or row[0] is None:
                break
            eid = row[0]
        if eid not in result:
            result.append(eid)
    return result


def _filter_sql(loom: Newsloom, f: Filters, *, alias: str = "ev", probe: bool = False) -> tuple[list[str], list, bool]:
    """WHERE parts restricting events (alias) by the filters; the bool says the entity matched nothing."""
    where, params = [], []
    if f.since:
        where.append(f"{alias}.end > ?")
        params.append(_date_bound(f.since, upper=False))
    if f.until:
        where.append(f"{alias}.start < ?")
        params.append(_date_bound(f.until, upper=True))
    if f.outlet:
        where.append(f"{alias}.id IN (SELECT ea.event_id FROM articles a INDEXED BY articles_outlet_span "
                     "JOIN event_articles ea INDEXED BY event_articles_article_event ON ea.article_id=a.id "
                     "WHERE a.outlet=?)")
        params.append(_canonical_outlet(loom, f.outlet))
    ids = entity_ids(loom, f.entity)
    if ids is not None:
        if not ids:
            return where, params, True
        marks = ",".join("?" * len(ids))
        if probe and _is_common(loom, ids):
            # newest events first, each event's articles probed through the (entity_id, article_id) index: stops at
            # the page end (nested EXISTS so that the planner never drives from the entity's mentions)
            where.append(f"EXISTS (SELECT 1 FROM event_articles ea INDEXED BY event_articles_event_article "
                         f"WHERE ea.event_id={alias}.id AND EXISTS (SELECT 1 FROM mentions m "
                         f"WHERE m.entity_id IN ({marks}) AND m.article_id=ea.article_id))")
        else:
            where.append(f"{alias}.id IN (SELECT ea.event_id FROM mentions m JOIN event_articles ea "
                         f"INDEXED BY event_articles_article_event ON ea.article_id=m.article_id "
                         f"WHERE m.entity_id IN ({marks}))")
        params.extend(ids)
    return where, params, False


COMMON_MENTIONS = 3000


def _mention_count(loom: Newsloom, entity_ids: list[str]) -> int:
    """Mentions of these entities, from the entity_stats summary (kept at ingest)."""
    marks = ",".join("?" * len(entity_ids))
    return loom.db.execute(f"SELECT coalesce(sum(mentions), 0) FROM entity_stats WHERE entity_id IN ({marks})",
                           entity_ids).fetchone()[0]


def _is_common(loom: Newsloom, entity_ids: list[str]) -> bool:
    return _mention_count(loom, entity_ids) >= COMMON_MENTIONS


# -- overview ------------------------------------------------------------------------------------------------
def list_events(loom: Newsloom, f: Filters, *, storyline: str | None = None, limit: int = 20,
                offset: int = 0) -> tuple[list[dict], bool]:
    where, params, empty = _filter_sql(loom, f, probe=True)
    if empty:
        return [], False
    where = ["ev.redirect_to IS NULL", "ev.n_articles >= 1", *where]
    if storyline:
        where.append("ev.storyline_id=?")
        params.append(storyline)
    rows = loom.db.execute(
        f"SELECT * FROM events ev WHERE {' AND '.join(where)} ORDER BY ev.start DESC, ev.id LIMIT ? OFFSET ?",
        [*params, limit + 1, offset]).fetchall()
    more = len(rows) > limit
    return [loom._event_view(r).to_json() for r in rows[:limit]], more


def list_storylines(loom: Newsloom, f: Filters, *, limit: int = 10, offset: int = 0) -> tuple[list[dict], bool]:
    where, params, empty = _filter_sql(loom, f)
    if empty:
        return [], False
    where = ["ev.redirect_to IS NULL", "ev.storyline_id IS NOT NULL", *where]
    # storylines with at least two live events, from the (storyline_id, redirect_to, start, end) covering index
    lines = ("SELECT storyline_id FROM events INDEXED BY events_storyline_live WHERE storyline_id IS NOT NULL "
             "AND redirect_to IS NULL GROUP BY storyline_id HAVING count(*) >= 2")
    rows = loom.db.execute(
        "SELECT s.id, s.title, m.n, m.last FROM (SELECT ev.storyline_id AS sid, count(*) AS n, max(ev.end) AS last "
        f"FROM events ev INDEXED BY events_storyline_live WHERE {' AND '.join(where)} AND ev.storyline_id IN ({lines}) "
        "GROUP BY ev.storyline_id) m JOIN storylines s ON s.id=m.sid "
        "ORDER BY m.last DESC, s.id LIMIT ? OFFSET ?", [*params, limit + 1, offset]).fetchall()
    more = len(rows) > limit
    items = []
    for r in rows[:limit]:
        total = loom.db.execute("SELECT count(*) FROM events WHERE storyline_id=? AND redirect_to IS NULL",
                                (r["id"],)).fetchone()
        # start and end at the precision of the first and last events (a month-only event is "2021-12")
        first = loom.db.execute("SELECT start, end, precision FROM events WHERE storyline_id=? AND redirect_to "
                                "IS NULL AND start IS NOT NULL ORDER BY start LIMIT 1", (r["id"],)).fetchone()
        last = loom.db.execute("SELECT start, end, precision FROM events WHERE storyline_id=? AND redirect_to "
                               "IS NULL AND end IS NOT NULL ORDER BY end DESC LIMIT 1", (r["id"],)).fetchone()
        items.append({"id": r["id"], "title": r["title"], "events": total[0],
                      "start": _span_iso(*first)[0] if first else None, "end": _span_iso(*last)[1] if last else None,
                      "matching_events": r["n"]})
    return items, more


def outlet_counts(loom: Newsloom, f: Filters) -> list[dict]:
    where, params = ["1=1"], []
    if f.since:
        where.append("a.published_end > ?")
        params.append(_date_bound(f.since, upper=False))
    if f.until:
        where.append("a.published_start < ?")
        params.append(_date_bound(f.until, upper=True))
    ids = entity_ids(loom, f.entity)
    if ids is not None:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        if len(where) == 1 and len(ids) == 1:
            # the whole store: the entity_outlets summary (kept at ingest)
            rows = loom.db.execute("SELECT outlet, articles n FROM entity_outlets WHERE entity_id=? "
                                   "ORDER BY n DESC, outlet", ids)
            return [{"outlet": r[0], "articles": r[1]} for r in rows]
        if _mention_count(loom, ids) >= COMMON_MENTIONS:
            # articles in range, each probed through the (entity_id, article_id) index
            where.append(f"EXISTS (SELECT 1 FROM mentions m WHERE m.entity_id IN ({marks}) AND m.article_id=a.id)")
        else:
            where.append(f"a.id IN (SELECT article_id FROM mentions WHERE entity_id IN ({marks}))")
        params.extend(ids)
    rows = loom.db.execute(f"SELECT a.outlet, count(*) n FROM articles a INDEXED BY articles_outlet_span "
                           f"WHERE {' AND '.join(where)} GROUP BY a.outlet ORDER BY n DESC, a.outlet", params)
    return [{"outlet": r[0], "articles": r[1]} for r in rows]


def store_counts(loom: Newsloom) -> dict:
    db = loom.db
    return {
        "articles": db.execute("SELECT count(*) FROM articles").fetchone()[0],
        "events": db.execute("SELECT count(*) FROM events WHERE redirect_to IS NULL").fetchone()[0],
    }


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
    rows = loom.db.execute(
        "SELECT a.id, a.outlet, a.title, a.published_start, a.published_end, a.precision, a.duplicate_of, "
        "a.duplicate_kind, a.url FROM event_articles ea JOIN articles a ON a.id=ea.article_id WHERE ea.event_id=? "
        "ORDER BY a.outlet, a.published_start, a.seq", (view.id,)).fetchall()
    by_outlet: dict[str, list[dict]] = {}
    for r in rows:
        by_outlet.setdefault(r["outlet"], []).append({
            "id": r["id"], "title": r["title"], "published": _published_iso(r["published_start"], r["published_end"],
                                                                             r["precision"]),
            "duplicate_of": r["duplicate_of"], "duplicate_kind": r["duplicate_kind"], "url": safe_url(r["url"]),
        })
    data["articles_by_outlet"] = [{"outlet": k, "articles": v} for k, v in sorted(by_outlet.items())]
    data["dates_mentioned"] = [
        {"span": _published_iso(r["span_start"], r["span_end"], r["precision"]), "mentions": r["n"],
         "examples": sorted(set((r["texts"] or "").split("\x1f")))[:3]}
        for r in loom.db.execute(
            "SELECT dm.span_start, dm.span_end, dm.precision, count(*) n, group_concat(dm.text, char(31)) texts "
            "FROM event_articles ea JOIN date_mentions dm ON dm.article_id=ea.article_id WHERE ea.event_id=? "
            "GROUP BY dm.span_start, dm.span_end, dm.precision ORDER BY n DESC, dm.span_start LIMIT 15", (view.id,))
    ]
    data["quotes"] = event_quotes(loom, view.id)
    return data


def _quote_dict(r) -> dict:
    return {"article_id": r["article_id"], "outlet": r["outlet"], "start": r["start"], "end": r["end"],
            "text": r["text"], "kind": r["kind"], "speaker": r["speaker"], "speaker_key": r["speaker_key"],
            "channel": r["channel"], "verb": r["verb"]}


def event_quotes(loom: Newsloom, event_id: str, limit: int = 60) -> list[dict]:
    rows = loom.db.execute(
        "SELECT q.*, a.outlet FROM event_articles ea JOIN quotes q ON q.article_id=ea.article_id "
        "JOIN articles a ON a.id=q.article_id WHERE ea.event_id=? AND a.duplicate_of IS NULL "
        "ORDER BY q.speaker IS NULL, q.speaker, a.outlet, q.start LIMIT ?", (event_id, limit))
    return [_quote_dict(r) for r in rows]


def _day(iso: str | None) -> dt.date | None:
    if not iso:
        return None
    try:
        return dt.date.fromisoformat((iso[:10] + "-01-01"[len(iso[:10]) - 4:]) if len(iso) < 10 else iso[:10])
    except ValueError:
        return None


# -- storyline ---------------------------------------------------------------------------------------------
def storyline_detail(loom: Newsloom, storyline_id: str, *, max_events: int = 80) -> dict:
    row = loom.db.execute("SELECT * FROM storylines WHERE id=?", (storyline_id,)).fetchone()
    if row is None:
        raise NotFound(f"no storyline {storyline_id!r}")
    # the storyline without its timeline, then views of only the events shown (the first max_events)
    view = loom._storyline_view(row, timeline=False)
    shown = loom.db.execute(
        "SELECT * FROM events WHERE storyline_id=? AND redirect_to IS NULL ORDER BY start, id LIMIT ?",
        (row["id"], max_events)).fetchall()
    view.timeline = [loom._event_view(e) for e in shown]
    data = view.to_json()
    timeline = [e.to_json() for e in view.timeline]
    data["timeline"] = timeline
    data["truncated"] = len(view.events) > max_events
    changes = []
    # every entity of the shown events (ids and names): an entity is new or dropped only when the other event does
    # not mention it at all (not merely below its top list), by id or by name (one name typed two ways)
    mentioned = _event_entities(loom, [e["id"] for e in timeline])
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


def _event_entities(loom: Newsloom, event_ids: list[str]) -> dict[str, set[str]]:
    """Per event: the ids and casefolded names of every entity its articles mention."""
    found: dict[str, set[str]] = {}
    for start in range(0, len(event_ids), 200):
        chunk = event_ids[start:start + 200]
        marks = ",".join("?" * len(chunk))
        for event_id, entity_id, name in loom.db.execute(
                f"SELECT DISTINCT ea.event_id, e.id, e.name FROM event_articles ea JOIN mentions m ON "
                f"m.article_id=ea.article_id JOIN entities e ON e.id=m.entity_id WHERE ea.event_id IN ({marks})",
                chunk):
            found.setdefault(event_id, set()).update((entity_id, (name or "").casefold()))
    return found


# -- entity ------------------------------------------------------------------------------------------------
def entity_detail(loom: Newsloom, entity_id: str) -> dict:
    view = loom.entity(entity_id)
    data = view.to_json()
    eid = view.id
    db = loom.db
    common = _mention_count(loom, [eid]) >= COMMON_MENTIONS
    if common:
        # newest articles first (arrival order follows publication order), probed through (entity_id, article_id)
        recent_sql = ("SELECT a.id FROM articles a WHERE EXISTS (SELECT 1 FROM mentions m WHERE m.entity_id=? "
                      "AND m.article_id=a.id) ORDER BY a.seq DESC LIMIT ?")
    else:
        recent_sql = ("SELECT a.id FROM articles a INDEXED BY articles_id_meta WHERE a.id IN "
                      "(SELECT article_id FROM mentions WHERE entity_id=?) ORDER BY a.seq DESC LIMIT ?")
    # events of its most recent articles (all of them for all but the most frequent entities)
    data["recent_events"] = [
        {"id": r["id"], "title": r["title"], "start": _span_iso(r["start"], r["end"], r["precision"])[0],
         "articles": r["n_articles"]}
        for r in db.execute(
            f"SELECT ev.* FROM events ev WHERE ev.redirect_to IS NULL AND ev.id IN (SELECT ea.event_id FROM "
            f"({recent_sql}) x JOIN event_articles ea INDEXED BY event_articles_article_event ON ea.article_id=x.id) "
            "ORDER BY ev.start DESC LIMIT 30", (eid, RECENT_EVENT_ARTICLES))
    ]
    data["recent_events_from_articles"] = RECENT_EVENT_ARTICLES
    # events over time: per month, events in which it is mentioned (all its articles, covering indexes only)
    data["timeline"] = [
        {"month": r[0], "events": r[1], "articles": r[2]}
        for r in db.execute(
            "SELECT substr(a.published_start, 1, 7) mo, count(DISTINCT ea.event_id), count(*) FROM "
            "(SELECT DISTINCT article_id FROM mentions WHERE entity_id=?) x "
            "JOIN articles a INDEXED BY articles_id_meta ON a.id=x.article_id "
            "JOIN event_articles ea INDEXED BY event_articles_article_event ON ea.article_id=a.id "
            "WHERE a.published_start IS NOT NULL GROUP BY mo ORDER BY mo", (eid,))
    ]
    # co-occurring entities in its most recent articles
    data["cooccurring"] = [
        {"id": r[0], "name": r[1], "type": r[2], "articles": r[3]}
        for r in db.execute(
            f"WITH recent AS ({recent_sql}) "
            "SELECT e.id, e.name, e.type, count(DISTINCT m.article_id) n FROM recent JOIN mentions m "
            "INDEXED BY mentions_article ON m.article_id=recent.id JOIN entities e ON e.id=m.entity_id "
            "WHERE m.entity_id != ? GROUP BY e.id ORDER BY n DESC, e.name LIMIT 15", (eid, COOCCURRENCE_ARTICLES, eid))
    ]
    data["cooccurring_from_articles"] = COOCCURRENCE_ARTICLES
    data["quotes_by"] = [_quote_dict(r) for r in db.execute(
        "SELECT q.*, a.outlet FROM quotes q JOIN articles a ON a.id=q.article_id WHERE q.speaker_key=? "
        "ORDER BY a.published_start DESC LIMIT 30", (eid,))]
    data["quotes_about"] = [_quote_dict(r) for r in db.execute(
        "SELECT DISTINCT q.*, a.outlet FROM mentions m JOIN quotes q ON q.article_id=m.article_id "
        "AND m.start >= q.start AND m.end <= q.end JOIN articles a ON a.id=q.article_id WHERE m.entity_id=? "
        "AND (q.speaker_key IS NULL OR q.speaker_key != ?) LIMIT 20", (eid, eid))]
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
        {k: r[k] for k in ("start", "end", "text", "kind", "speaker", "speaker_key", "channel", "verb")}
        for r in loom.db.execute("SELECT * FROM quotes WHERE article_id=? ORDER BY start", (view.id,))
    ]
    if view.duplicate_of:
        row = loom.db.execute("SELECT title, outlet FROM articles WHERE id=?", (view.duplicate_of,)).fetchone()
        data["duplicate_of_title"] = f"{row['outlet']}: {row['title']}" if row else None
    data["copies"] = [
        {"id": r[0], "outlet": r[1]} for r in loom.db.execute(
            "SELECT id, outlet FROM articles WHERE duplicate_of=? LIMIT 50", (view.id,))
    ]
    return data


def ensure_exists_event(loom: Newsloom, event_id: str) -> None:
    loom.event(event_id)


__all__ = [
    "Filters", "MAX_LIMIT", "NotFound", "UsageError", "article_detail", "entity_detail", "event_detail",
    "event_comparison", "list_entities", "list_events", "list_storylines", "outlet_counts", "safe_url",
    "storyline_detail", "store_counts",
]
