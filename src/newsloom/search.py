"""German-aware full-text search over article titles and texts (SQLite FTS5 over lemmas).

The FTS5 table ``article_fts`` (schema migration 2, rowid = ``articles.seq``) holds each article's title and text
as lower-cased lemmas, so "Sicherheitsgarantien" finds "Sicherheitsgarantie". It is filled in the ingest batch
(``index_articles`` from ``pipeline.Ingestor.process_batch``) and, for stores ingested before it existed,
lazily by ``ensure_index``.

Queries are data, never FTS syntax: every term is lemmatised and quoted, so ``"NATO OR (`` searches for the words
"nato" and "or" and never raises a syntax error.
"""
from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from markupsafe import Markup, escape

from newsloom.nlp.text import lemma, tokenize

MAX_TERMS = 12
_WORD = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)


def _has_table(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE name='article_fts'").fetchone() is not None


def lemma_text(text: str) -> str:
    """The text as a run of lower-cased lemmas (what the FTS index holds)."""
    out = []
    for token, _, _ in tokenize(text):
        if token[:1].isalnum():
            out.append(lemma(token).casefold())
    return " ".join(out)


def index_articles(db: sqlite3.Connection, rows: Iterable[tuple[int, str, str]],
                   lemmatised: dict[int, tuple[str, str]] | None = None) -> int:
    """Add (seq, title, text) rows to the index, skipping those already in it. Call inside a transaction.
    ``lemmatised`` maps seq -> (title, text) already turned into lemmas (by the ingest workers)."""
    n = 0
    for seq, title, text in rows:
        if db.execute("SELECT 1 FROM article_fts_docsize WHERE id=?", (seq,)).fetchone():
            continue
        ready = (lemmatised or {}).get(seq)
        title_lemmas, body_lemmas = ready if ready else (lemma_text(title or ""), lemma_text(text or ""))
        db.execute("INSERT INTO article_fts(rowid, title, body) VALUES (?,?,?)", (seq, title_lemmas, body_lemmas))
        n += 1
    return n


def index_new_articles(db: sqlite3.Connection, article_ids: Iterable[str],
                       lemmatised: dict[str, tuple[str, str] | None] | None = None) -> int:
    """The ingest hook: index the given (just stored) articles; inside the batch's transaction.
    ``lemmatised`` maps article id -> (title, text) as lemmas when the workers computed them already."""
    if not _has_table(db):
        return 0
    ids = list(article_ids)
    rows = []
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        rows.extend(db.execute(f"SELECT seq, title, text, id FROM articles WHERE id IN ({marks})", chunk).fetchall())
    ready = {r[0]: lemmatised[r[3]] for r in rows if lemmatised and lemmatised.get(r[3])}
    return index_articles(db, [(r[0], r[1], r[2]) for r in rows], ready)


def missing_count(db: sqlite3.Connection) -> int:
    total = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    indexed = db.execute("SELECT count(*) FROM article_fts_docsize").fetchone()[0]
    return max(0, total - indexed)


def ensure_index(db: sqlite3.Connection, *, progress=None, batch: int = 500) -> int:
    """Index every article missing from the FTS table; returns how many were added. Cheap when up to date."""
    if not _has_table(db) or missing_count(db) == 0:
        return 0
    added = 0
    while True:
        seqs = [r[0] for r in db.execute(
            "SELECT a.seq FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_fts_docsize d WHERE d.id=a.seq) "
            "ORDER BY a.seq LIMIT ?", (batch,))]
        if not seqs:
            return added
        marks = ",".join("?" * len(seqs))
        rows = db.execute(f"SELECT seq, title, text FROM articles WHERE seq IN ({marks})", seqs).fetchall()
        db.execute("BEGIN IMMEDIATE")
        try:
            added += index_articles(db, rows)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        if progress:
            progress(added)


# -- queries -------------------------------------------------------------------------------------------------
def query_terms(query: str) -> list[str]:
    """The words of a user query (anything else is ignored), at most MAX_TERMS."""
    return _WORD.findall(query or "")[:MAX_TERMS]


def _forms(term: str) -> list[str]:
    """Lemma candidates for one query word (typed lower-case or not), lower-cased, unique."""
    forms = []
    for candidate in (lemma(term), lemma(term[:1].upper() + term[1:]), lemma(term.lower()), term):
        c = candidate.casefold()
        if c and c not in forms:
            forms.append(c)
    return forms


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def fts_query(query: str) -> str | None:
    """An FTS5 MATCH expression for ``query``: all words must occur (as any of their lemma candidates)."""
    parts = []
    for term in query_terms(query):
        forms = _forms(term)
        parts.append("(" + " OR ".join(_quote(f) for f in forms) + ")" if len(forms) > 1 else _quote(forms[0]))
    return " AND ".join(parts) if parts else None


# -- highlighting ------------------------------------------------------------------------------------------
class Highlighter:
    """Marks the words of a text whose lemma matches a query word; every piece is escaped."""

    def __init__(self, query: str):
        self.targets: set[str] = set()
        for term in query_terms(query):
            self.targets.update(_forms(term))
        self.prefixes = {t[:4] for t in self.targets}

    def matches(self, word: str) -> bool:
        folded = word.casefold()
        if folded in self.targets:
            return True
        if folded[:4] not in self.prefixes:
            return False
        return lemma(word).casefold() in self.targets

    def spans(self, text: str, limit: int | None = None) -> list[tuple[int, int]]:
        found = []
        for m in _WORD.finditer(text):
            if self.matches(m.group()):
                found.append((m.start(), m.end()))
                if limit and len(found) >= limit:
                    break
        return found

    def mark(self, text: str, spans: list[tuple[int, int]] | None = None) -> Markup:
        spans = self.spans(text) if spans is None else spans
        out, pos = [], 0
        for start, end in spans:
            out.append(escape(text[pos:start]))
            out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
            pos = end
        out.append(escape(text[pos:]))
        return Markup("").join(out)

    def snippet(self, text: str, width: int = 260) -> Markup:
        first = self.spans(text, limit=1)
        if not first:
            cut = text[:width]
            return escape(cut) + (Markup("…") if len(text) > width else Markup(""))
        start = max(0, first[0][0] - width // 3)
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < first[0][0] else start
        end = min(len(text), start + width)
        window = text[start:end]
        spans = self.spans(window)
        body = self.mark(window, spans)
        return (Markup("…") if start else Markup("")) + body + (Markup("…") if end < len(text) else Markup(""))


@dataclass
class SearchHit:
    id: str
    title: str
    outlet: str
    published: str | None
    event_id: str | None
    duplicate_of: str | None
    score: float
    title_html: str = ""
    snippet_html: str = ""

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class SearchResult:
    query: str
    fts: str | None
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    message: str | None = None

    def to_json(self) -> dict:
        return {"query": self.query, "total": self.total, "message": self.message,
                "hits": [h.to_json() for h in self.hits]}


COUNT_CAP = 10_000


def search(loom, query: str, *, since: str | None = None, until: str | None = None, outlet: str | None = None,
           entity: str | None = None, limit: int = 20, offset: int = 0) -> SearchResult:
    """Ranked (bm25, title weighted up) full-text search with the usual filters; highlighted title and snippet."""
    from newsloom.api import _published_iso, period_clauses

    db = loom.db
    ensure_index(db)
    expression = fts_query(query)
    result = SearchResult(query=query, fts=expression)
    if expression is None:
        result.message = "Type one or more words to search for."
        return result
    where, params = ["article_fts MATCH ?"], [expression]
    # outlet and date filters as a set of rowids (articles.seq) from the covering (outlet, published_start,
    # published_end, id) index: the FTS match drives the plan, bm25 ranks over the whole index as before
    meta, meta_params = period_clauses(since, until, "published_start", "published_end")
    if outlet:
        meta.append("outlet = ?")
        meta_params.append(outlet)
    if meta:
        where.append(f"+article_fts.rowid IN (SELECT seq FROM articles INDEXED BY articles_outlet_span "
                     f"WHERE {' AND '.join(meta)})")
        params.extend(meta_params)
    from newsloom.web.queries import entity_ids as resolve_entities

    entity_ids = resolve_entities(loom, entity)
    if entity_ids is not None:
        if not entity_ids:
            result.message = f"No entity matches {entity!r}."
            return result
        marks = ",".join("?" * len(entity_ids))
        where.append(f"EXISTS (SELECT 1 FROM mentions m WHERE m.article_id=a.id AND m.entity_id IN ({marks}))")
        params.extend(entity_ids)
    base = (f"FROM article_fts JOIN articles a INDEXED BY articles_id_meta ON a.seq=+article_fts.rowid "
            f"WHERE {' AND '.join(where)}") if entity_ids else f"FROM article_fts WHERE {' AND '.join(where)}"
    try:
        result.total = db.execute(f"SELECT count(*) FROM (SELECT 1 {base} LIMIT {COUNT_CAP})", params).fetchone()[0]
        # rank inside the FTS index (bm25 over all matches), then read only the page's articles
        rows = db.execute(
            "SELECT a.id, a.title, a.outlet, a.published_start, a.published_end, a.precision, a.duplicate_of, "
            "a.text, ea.event_id, r.score FROM (SELECT article_fts.rowid AS seq, bm25(article_fts, 4.0, 1.0) AS score "
            f"{base} ORDER BY score, article_fts.rowid LIMIT ? OFFSET ?) r JOIN articles a ON a.seq=r.seq "
            "LEFT JOIN event_articles ea ON ea.article_id=a.id ORDER BY r.score, r.seq",
            [*params, limit, offset]).fetchall()
    except sqlite3.OperationalError as exc:  # should not happen with quoted terms; never a 500
        result.message = f"The query could not be run ({exc})."
        return result
    marker = Highlighter(query)
    for r in rows:
        result.hits.append(SearchHit(
            id=r["id"], title=r["title"], outlet=r["outlet"],
            published=_published_iso(r["published_start"], r["published_end"], r["precision"]),
            event_id=r["event_id"], duplicate_of=r["duplicate_of"], score=round(-r["score"], 4),
            title_html=str(marker.mark(r["title"])), snippet_html=str(marker.snippet(r["text"])),
        ))
    if not result.total:
        result.message = "Nothing found."
    return result
