"""Search highlighting: the words of a text whose lemma matches a query word, marked; every piece escaped."""
from __future__ import annotations

from markupsafe import Markup, escape

from newsloom.nlp.text import lemma
from newsloom.searchtext import WORD, query_terms, term_forms
from newsloom.views import SearchResult


class Highlighter:
    """Marks the words of a text whose lemma matches a query word; every piece is escaped."""

    def __init__(self, query: str):
        self.targets: set[str] = set()
        for term in query_terms(query):
            self.targets.update(term_forms(term))
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
        for m in WORD.finditer(text):
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


def highlight(result: SearchResult) -> SearchResult:
    """Fill each hit's highlighted title and snippet (HTML, escaped)."""
    marker = Highlighter(result.query)
    for hit in result.hits:
        hit.title_html = str(marker.mark(hit.title))
        hit.snippet_html = str(marker.snippet(hit.text or ""))
    return result
