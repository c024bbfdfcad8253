"""The text the full-text index holds and the words a query asks for: pure functions, used by the ingest workers
(``lemma_text``), by the search (``query_forms``) and by the highlighting in the web layer.

An article is indexed as its lower-cased lemmas, so "Sicherheitsgarantien" finds "Sicherheitsgarantie". A query
is data, never index syntax: only its words count, each as the lemma forms it may stand for.
"""
from __future__ import annotations

import re

from newsloom.nlp.text import lemma, tokenize

MAX_TERMS = 12
WORD = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)


def lemma_text(text: str) -> str:
    """The text as a run of lower-cased lemmas (what the full-text index holds)."""
    out = []
    for token, _, _ in tokenize(text):
        if token[:1].isalnum():
            out.append(lemma(token).casefold())
    return " ".join(out)


def query_terms(query: str) -> list[str]:
    """The words of a user query (anything else is ignored), at most MAX_TERMS."""
    return WORD.findall(query or "")[:MAX_TERMS]


def term_forms(term: str) -> list[str]:
    """Lemma candidates for one query word (typed lower-case or not), lower-cased, unique."""
    forms = []
    for candidate in (lemma(term), lemma(term[:1].upper() + term[1:]), lemma(term.lower()), term):
        c = candidate.casefold()
        if c and c not in forms:
            forms.append(c)
    return forms


def query_forms(query: str) -> list[list[str]]:
    """For each query word, the lemma forms that match it (a document must match every word)."""
    return [term_forms(term) for term in query_terms(query)]


def describe_query(forms: list[list[str]]) -> str | None:
    """The query as the index reads it, for display: ``("a" OR "b") AND "c"``."""
    parts = []
    for alternatives in forms:
        quoted = ['"' + form.replace('"', '""') + '"' for form in alternatives]
        parts.append("(" + " OR ".join(quoted) + ")" if len(quoted) > 1 else quoted[0])
    return " AND ".join(parts) if parts else None
