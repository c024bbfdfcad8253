"""German-aware full-text search over article titles and texts (lemmas; SQLite FTS5 or a PostgreSQL tsvector).

The index is filled in each ingest batch with the lemma text the workers computed (``newsloom.searchtext``)
and, for stores ingested before it existed, lazily by ``ensure_index``. The ranked query itself runs in the store
(``Store.search``); highlighting is the web layer's (``newsloom.web.highlight``).
"""
from __future__ import annotations

from newsloom.errors import StoreError
from newsloom.searchtext import describe_query, lemma_text, query_forms
from newsloom.store.base import Filters, Store
from newsloom.views import SearchHit, SearchResult

COUNT_CAP = 10_000
INDEX_BATCH = 500

__all__ = ["COUNT_CAP", "SearchHit", "SearchResult", "ensure_index", "missing_count", "search"]


def missing_count(store: Store) -> int:
    return store.search_missing()


def ensure_index(store: Store, *, progress=None, batch: int = INDEX_BATCH) -> int:
    """Index every article missing from the full-text index; returns how many were added. Cheap when up to date."""
    if store.search_missing() == 0:
        return 0
    added = 0
    while True:
        rows = store.articles_missing_from_search(batch)
        if not rows:
            return added
        lemmatised = {article_id: (lemma_text(title or ""), lemma_text(text or "")) for article_id, title, text in rows}
        with store.transaction():
            count = store.index_search_text(lemmatised)
        if count == 0:
            return added
        added += count
        if progress:
            progress(added)


def search(store: Store, query: str, filters: Filters | None = None, *, limit: int = 20,
           offset: int = 0) -> SearchResult:
    """Ranked full-text search (title weighted up) with the usual filters; hits carry their text for snippets."""
    filters = filters or Filters()
    ensure_index(store)
    forms = query_forms(query)
    result = SearchResult(query=query, fts=describe_query(forms))
    if not forms:
        result.message = "Type one or more words to search for."
        return result
    if filters.entity and not store.resolve_entities(filters.entity):
        result.message = f"No entity matches {filters.entity!r}."
        return result
    try:
        page = store.search(forms, filters, limit=limit, offset=offset, count_cap=COUNT_CAP)
    except StoreError as exc:  # never a 500
        result.message = f"The query could not be run ({exc.message})."
        return result
    result.total, result.hits = page.total, page.hits
    if not result.total:
        result.message = "Nothing found."
    return result
