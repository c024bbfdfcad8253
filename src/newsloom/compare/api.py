"""Comparison and quotes over a store: functions taking a ``Newsloom`` (exposed as its methods).

The per-article analysis is rebuilt from what the store keeps (sentences from the text, mentions with their
store-wide entity ids, dates and quotes), so nothing is re-tagged and a 70-article event compares in well
under a second.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from newsloom.compare.core import Comparison, StorylineComparison, compare_articles, compare_events
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
        analysis = Analysis(article_id=article.id, sentences=split_sentences(article.text),
                            mentions=mentions[article_id], dates=dates[article_id], quotes=quotes[article_id])
        items.append((article, analysis))
    return items


def _event_article_ids(loom, event_id: str) -> list[str]:
    return [r[0] for r in loom.db.execute(
        "SELECT a.id FROM event_articles ea JOIN articles a ON a.id=ea.article_id WHERE ea.event_id=? "
        "ORDER BY a.published_start, a.seq", (event_id,))]


def compare_event(loom, event_id: str) -> Comparison:
    """How each outlet covered the event ``event_id``."""
    event = loom.event(event_id)
    items = load_items(loom, _event_article_ids(loom, event.id))
    return compare_articles(items, event_id=event.id, title=event.title)


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
