"""Comparison and quotes over a store: functions taking a ``Newsloom`` (exposed as its methods).

The per-article analysis is rebuilt from what the store keeps (sentences from the text, mentions with their
store-wide entity ids, dates and quotes), so nothing is re-tagged and a 70-article event compares in well
under a second.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass

from newsloom.compare.core import (
    COMPARISON_FORMAT_VERSION, Comparison, StorylineComparison, compare_articles, compare_events,
)
from newsloom.errors import NotFound
from newsloom.nlp.text import sentences as split_sentences
from newsloom.records import (
    Analysis, Article, DateMention, EntityType, Mention, MentionKind, Quote,
)
from newsloom.store.sqlite import span_from_row


@dataclass
class QuoteView:
    article_id: str
    outlet: str
    published: str | None
    event_id: str | None
    start: int
    end: int
    text: str
    kind: str
    speaker: str | None
    speaker_key: str | None
    channel: str | None
    verb: str | None

    def to_json(self) -> dict:
        return asdict(self)


def _article(row) -> Article:
    return Article(
        id=row["id"], title=row["title"], text=row["text"],
        published=span_from_row(row["published_start"], row["published_end"], row["precision"]),
        outlet=row["outlet"], url=row["url"], lang=row["lang"], source=row["source"],
        outlet_evidence=row["outlet_evidence"],
    )


HEAD_CHARS = 20_000  # claims come from an article's first sentences (see core.MAX_CLAIMS_PER_ARTICLE)


def _head(text: str) -> str:
    """The start of a long text, cut at a paragraph break, so offsets stay those of the full text."""
    if len(text) <= HEAD_CHARS:
        return text
    cut = text.rfind("\n\n", 0, HEAD_CHARS)
    return text[: cut if cut > HEAD_CHARS // 2 else HEAD_CHARS]


def load_items(loom, article_ids: list[str]) -> list[tuple[Article, Analysis]]:
    """``(Article, Analysis)`` for stored articles, rebuilt from the store."""
    if not article_ids:
        return []
    db = loom.db
    marks = ",".join("?" * len(article_ids))
    rows = {r["id"]: r for r in db.execute(f"SELECT * FROM articles WHERE id IN ({marks})", article_ids)}
    mentions: dict[str, list[Mention]] = {a: [] for a in rows}
    for r in db.execute(
        f"SELECT m.article_id, m.start, m.end, m.text, m.kind, m.role, e.id, e.name, e.type FROM mentions m "
        f"JOIN entities e ON e.id=m.entity_id WHERE m.article_id IN ({marks}) ORDER BY m.article_id, m.start",
        article_ids,
    ):
        try:
            etype, kind = EntityType(r[8]), MentionKind(r[4])
        except ValueError:
            continue
        mentions[r[0]].append(Mention(r[1], r[2], r[3], etype, r[6], r[7], kind, r[5]))
    dates: dict[str, list[DateMention]] = {a: [] for a in rows}
    for r in db.execute(
        f"SELECT article_id, start, end, text, span_start, span_end, precision FROM date_mentions "
        f"WHERE article_id IN ({marks}) ORDER BY article_id, start", article_ids,
    ):
        span = span_from_row(r[4], r[5], r[6])
        if span is not None:
            dates[r[0]].append(DateMention(r[1], r[2], r[3], span))
    quotes: dict[str, list[Quote]] = {a: [] for a in rows}
    for r in db.execute(
        f"SELECT article_id, start, end, text, kind, speaker, speaker_key, channel, channel_key, verb FROM quotes "
        f"WHERE article_id IN ({marks}) ORDER BY article_id, start", article_ids,
    ):
        quotes[r[0]].append(Quote(r[1], r[2], r[3], r[4], r[5], r[6], channel=r[7], channel_key=r[8], verb=r[9]))
    items = []
    for article_id in article_ids:
        row = rows.get(article_id)
        if row is None:
            continue
        article = _article(row)
        analysis = Analysis(article_id=article.id, sentences=split_sentences(_head(article.text)),
                            mentions=mentions[article_id], dates=dates[article_id], quotes=quotes[article_id])
        items.append((article, analysis))
    return items


MAX_COMPARED_ARTICLES = 48  # claim grouping is quadratic in claims; larger events are sampled fairly per outlet


def _event_article_ids(loom, event_id: str, cap: int = MAX_COMPARED_ARTICLES) -> tuple[list[str], int]:
    """The articles to compare (all, or up to ``cap`` taken in turn from each outlet, most central first)
    and the event's total number of articles."""
    rows = loom.db.execute(
        "SELECT a.id, a.outlet FROM event_articles ea JOIN articles a ON a.id=ea.article_id WHERE ea.event_id=? "
        "ORDER BY ea.score DESC, a.published_start, a.seq", (event_id,)).fetchall()
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
    ordered = [r[0] for r in loom.db.execute(
        "SELECT a.id FROM event_articles ea JOIN articles a ON a.id=ea.article_id WHERE ea.event_id=? "
        "ORDER BY a.published_start, a.seq", (event_id,)) if r[0] in chosen]
    return ordered, len(rows)


def compare_event(loom, event_id: str) -> Comparison:
    """How each outlet covered the event ``event_id`` (events above MAX_COMPARED_ARTICLES are sampled)."""
    event = loom.event(event_id)
    article_ids, total = _event_article_ids(loom, event.id)
    comparison = compare_articles(load_items(loom, article_ids), event_id=event.id, title=event.title)
    if total > len(article_ids):
        comparison.articles_total = total
    return comparison


def comparison_json(loom, event_id: str) -> dict:
    """``compare_event(...).to_json()``, computed once per state of the event and kept in the store."""
    event_id = loom._resolve_event(event_id)
    n_articles = loom.db.execute("SELECT count(*) FROM event_articles WHERE event_id=?", (event_id,)).fetchone()[0]
    row = loom.db.execute(
        "SELECT n_articles, version, json FROM comparison_cache WHERE event_id=?", (event_id,)).fetchone()
    if row is not None and row[0] == n_articles and row[1] == COMPARISON_FORMAT_VERSION:
        return json.loads(row[2])
    data = compare_event(loom, event_id).to_json()
    try:
        loom.db.execute(
            "INSERT OR REPLACE INTO comparison_cache(event_id, n_articles, version, json) VALUES (?,?,?,?)",
            (event_id, n_articles, COMPARISON_FORMAT_VERSION, json.dumps(data, ensure_ascii=False)))
    except sqlite3.OperationalError:  # a read-only or busy store: serve it uncached
        pass
    return data


def warm_comparison_cache(db_path: str, *, min_articles: int = 2, stop=None) -> int:
    """Compute and keep the comparisons of the larger events (most articles first) so that their pages open fast;
    meant for a background thread of the web server. ``stop`` is a ``threading.Event``. Returns how many it added."""
    from newsloom.api import Newsloom

    loom = Newsloom(db_path)
    added = 0
    try:
        rows = loom.db.execute(
            "SELECT e.id, e.n_articles FROM events e LEFT JOIN comparison_cache c ON c.event_id=e.id "
            "WHERE e.redirect_to IS NULL AND e.n_articles >= ? AND (c.event_id IS NULL OR c.n_articles != e.n_articles "
            "OR c.version != ?) ORDER BY e.n_articles DESC", (min_articles, COMPARISON_FORMAT_VERSION)).fetchall()
        for event_id, _ in rows:
            if stop is not None and stop.is_set():
                break
            try:
                comparison_json(loom, event_id)
                added += 1
            except (NotFound, sqlite3.Error):
                continue
    finally:
        loom.close()
    return added


def compare_storyline(loom, storyline_id: str) -> StorylineComparison:
    """Every event of the storyline compared, and what changed from one event to the next."""
    line = loom.storyline(storyline_id)
    comparisons = [compare_event(loom, e.id) for e in line.timeline]
    return compare_events(comparisons, storyline_id=line.id, title=line.title)


def quotes(loom, *, event: str | None = None, article: str | None = None, speaker: str | None = None,
           outlet: str | None = None, limit: int | None = None, offset: int = 0) -> list[QuoteView]:
    """Quotes and reported speech in the store, in publication order; filters combine."""
    where, params = ["1=1"], []
    if event:
        where.append("ea.event_id = ?")
        params.append(loom._resolve_event(event))
    if article:
        if loom.db.execute("SELECT 1 FROM articles WHERE id=?", (article,)).fetchone() is None:
            raise NotFound(f"no article {article!r}")
        where.append("q.article_id = ?")
        params.append(article)
    if speaker:
        needle = speaker.casefold()
        where.append("(lower(q.speaker) LIKE ? OR lower(q.speaker_key) = ? OR lower(q.speaker_key) LIKE ?)")
        params.extend([f"%{needle}%", needle, f"%:{needle}%"])
    if outlet:
        where.append("lower(a.outlet) = lower(?)")
        params.append(outlet)
    sql = (
        "SELECT q.*, a.outlet, a.published_start, a.published_end, a.precision, ea.event_id FROM quotes q "
        "JOIN articles a ON a.id=q.article_id LEFT JOIN event_articles ea ON ea.article_id=q.article_id "
        f"WHERE {' AND '.join(where)} ORDER BY a.published_start, a.seq, q.start"
    )
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params.extend([limit, offset])
    out = []
    for r in loom.db.execute(sql, params):
        span = span_from_row(r["published_start"], r["published_end"], r["precision"])
        event_id = loom._resolve_event(r["event_id"]) if r["event_id"] else None
        out.append(QuoteView(r["article_id"], r["outlet"], span.iso() if span else None, event_id, r["start"],
                             r["end"], r["text"], r["kind"], r["speaker"], r["speaker_key"], r["channel"], r["verb"]))
    return out


__all__ = ["QuoteView", "compare_event", "compare_storyline", "quotes", "load_items"]
