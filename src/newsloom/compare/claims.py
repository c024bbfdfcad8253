"""Split an analysed article into claims: sentences (or ``;``-separated clauses) stating one thing.

``split_claims(article, analysis)`` is a pure function. Boilerplate (agency credits, "Mehr zum Thema"
footers, "Stand:" stamps, photo captions with credits) and headings (short paragraphs without final
punctuation) are left out; a sentence ending in ``,`` or ``:`` before a paragraph break (a quote introduced
on its own line) is joined with what follows. Each claim keeps its character span in ``Article.text``,
the speaker when it is (part of) a quote, its figures with their unit, its date mentions and the features
used to compare it with claims of other outlets.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsloom.compare import lexicon as lx
from newsloom.nlp.analyze import STOPWORDS
from newsloom.records import Analysis, Article, DateMention, MentionKind, Quote, Sentence, Token

_DIGITS = re.compile(r"^\d{1,3}(?:\.\d{3})+$|^\d+(?:,\d+)?$")
_UNKNOWN = {"", "unknown", None}


@dataclass(frozen=True)
class Quantity:
    """A figure in a claim: ``value`` of ``unit`` (a lemma or paraphrase class), with its place in the text."""

    value: float
    unit: str
    text: str
    start: int
    end: int
    approx: bool = False

    def to_json(self) -> dict:
        value = int(self.value) if float(self.value).is_integer() else self.value
        return {"value": value, "unit": self.unit, "text": self.text, "start": self.start, "end": self.end,
                "approx": self.approx}


@dataclass
class Claim:
    """One claim of one article."""

    id: str
    article_id: str
    outlet: str
    start: int
    end: int
    text: str
    kind: str = "fact"  # "statement" (inside a quote or reported speech), "number" or "fact"
    speaker: str | None = None
    speaker_key: str | None = None
    quantities: list[Quantity] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    terms: dict[str, float] = field(default_factory=dict)  # comparison features -> count
    text_key: str = ""  # normalised text: identical wire sentences share it
    words: tuple[str, ...] = ()  # content word forms (no stopwords, no names), for word-vector similarity

    def ref(self) -> dict:
        return {"article_id": self.article_id, "outlet": self.outlet, "start": self.start, "end": self.end,
                "text": self.text, "kind": self.kind, "speaker": self.speaker}


def outlet_label(article: Article) -> str:
    """The outlet name; an unknown outlet is one per article, so unknown sources never merge."""
    if article.outlet in _UNKNOWN:
        return f"unknown ({article.id})"
    return article.outlet


def is_boilerplate(text: str) -> bool:
    stripped = text.strip()
    if not stripped:
        return True
    if lx.BOILERPLATE_RE.match(stripped) or (len(stripped) <= 40 and lx.CREDIT_RE.match(stripped)
                                             and stripped.startswith("(")):
        return True
    return False


def _is_caption(text: str) -> bool:
    """A photo caption: ends in an all-caps credit word after the final full stop ("... Westukraine. REUTERS")."""
    return bool(re.search(r"[.!?]\s+[A-Z]{3,}(?:/[A-Za-z]+)*\s*$", text))


def _is_heading(text: str, full: str, end: int) -> bool:
    if text.rstrip()[-1:] in ".!?\"“”»«')…":
        return False
    if text.rstrip()[-1:] in ",:;":
        return False
    words = text.split()
    followed_by_break = full[end:end + 2].startswith("\n") or end >= len(full) or full[end:end + 1] == "\n"
    return len(words) <= 14 and followed_by_break


def _spans(article: Article, analysis: Analysis) -> list[tuple[int, int, list[Sentence]]]:
    """Claim spans: sentences with boilerplate dropped and continuation sentences joined."""
    text = article.text
    out: list[tuple[int, int, list[Sentence]]] = []
    pending: tuple[int, int, list[Sentence]] | None = None
    for sentence in analysis.sentences:
        start, end = sentence.start, sentence.end
        piece = text[start:end]
        stamp = lx.STAMP_RE.search(piece)
        if stamp:
            end = start + stamp.start()
            piece = text[start:end]
        if pending is not None:
            start = pending[0]
            sents = pending[2] + [sentence]
            pending = None
        else:
            sents = [sentence]
        if not piece.strip() or is_boilerplate(piece):
            continue
        if _is_caption(piece):
            continue
        if piece.rstrip()[-1:] in ",:" and len(sents) < 4:
            pending = (start, end, sents)
            continue
        if len(sents) == 1 and _is_heading(piece, text, sentence.end):
            continue
        # clauses joined by ";" state separate things
        cut = start
        for m in re.finditer(r";\s+", text[start:end]):
            out.append((cut, start + m.start(), sents))
            cut = start + m.end()
        out.append((cut, end, sents))
    if pending is not None:
        out.append(pending)
    return out


def _number_value(tok: str) -> float | None:
    low = tok.lower()
    if low in lx.NUMBER_WORDS and low not in ("ein", "eine", "einen"):
        return float(lx.NUMBER_WORDS[low])
    if _DIGITS.match(tok):
        if "." in tok:
            return float(tok.replace(".", ""))
        return float(tok.replace(",", "."))
    return None


def _norm_lemma(tok: Token) -> str:
    base = tok.lemma.lower() if tok.lemma else tok.text.lower()
    return lx.UNIT_ALIASES.get(base, base)


def _quantities(tokens: tuple[Token, ...] | list[Token], date_spans: list[tuple[int, int]]) -> list[Quantity]:
    found = []
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        value = _number_value(tok.text)
        in_date = any(a <= tok.start < b for a, b in date_spans)
        if value is None or in_date or (tok.text.isdigit() and len(tok.text) == 4 and 1900 <= value <= 2100):
            i += 1
            continue
        if tok.text.lower() in lx.NUMBER_WORDS and i + 1 < n and _number_value(tokens[i + 1].text) is not None:
            i += 1
            continue
        approx = i > 0 and tokens[i - 1].text.lower() in lx.APPROX
        j = i + 1
        if j < n and tokens[j].text.lower() in lx.MULTIPLIERS:
            value *= lx.MULTIPLIERS[tokens[j].text.lower()]
            j += 1
        unit = None
        k = j
        while k < n and k <= j + 1:
            word = tokens[k].text
            if not word[:1].isalpha() and word not in lx.UNIT_ALIASES:
                break
            base = _norm_lemma(tokens[k])
            if base in ("uhr",):
                break
            if word[:1].isupper() or word in lx.UNIT_ALIASES or base in ("prozent", "euro", "dollar"):
                unit = lx.LEMMA_CLASS.get(base, base)
                break
            k += 1
        if unit is not None:
            end = tokens[k].end
            found.append(Quantity(value, unit, "", tok.start, end, approx))
        i = max(j, i + 1)
    return found


_INFLECTION = re.compile(r"(?:en|es|em|er|n|s|e)$")


def anchor_key(key: str) -> str:
    """An entity key with inflection endings cut from each word, so that inflected forms the tagger kept
    apart meet ("ORG:olympischen winterspiele" / "ORG:olympischen winterspielen")."""
    kind, _, name = key.partition(":")
    words = []
    for w in name.split():
        for _ in range(2):  # "putins" -> "putin" -> "puti", as "putin" -> "puti"
            if len(w) > 4:
                w = _INFLECTION.sub("", w)
        words.append(w)
    return f"{kind}:{' '.join(words)}" if name else key


def _features(tokens: list[Token], mentions_in: list, quote_keys: set[str]) -> dict[str, float]:
    """Comparison features: content lemmas mapped to paraphrase classes, entity keys, figures, speakers."""
    feats: dict[str, float] = {}
    name_cover: list[tuple[int, int]] = [(m.start, m.end) for m in mentions_in if m.kind is MentionKind.NAME]

    def add(key: str, weight: float = 1.0) -> None:
        feats[key] = feats.get(key, 0.0) + weight

    lemmas: list[tuple[int, str]] = []
    for idx, tok in enumerate(tokens):
        word = tok.text
        if not word[:1].isalpha() or len(word) < 2:
            continue
        if any(a <= tok.start < b for a, b in name_cover):
            continue
        base = (tok.lemma or word).lower()
        if base in STOPWORDS and base not in lx.LEMMA_CLASS:
            continue
        if len(base) < 3 and base not in lx.LEMMA_CLASS:
            continue
        lemmas.append((idx, base))
    # separable verbs: a particle closing the clause joins an earlier verb of the clause ("ruft ... auf")
    for idx, tok in enumerate(tokens):
        particle = tok.text.lower()
        if particle not in lx.SEPARABLE_PARTICLES:
            continue
        after = tokens[idx + 1].text if idx + 1 < len(tokens) else "."
        if after[:1].isalnum():
            continue
        for pos, (j, base) in enumerate(lemmas):
            if j < idx and idx - j <= 25 and particle + base in lx.LEMMA_CLASS:
                lemmas[pos] = (j, particle + base)
                break
    for _, base in lemmas:
        if base in STOPWORDS and base not in lx.LEMMA_CLASS:
            continue
        add(lx.LEMMA_CLASS.get(base, base))
    for m in mentions_in:
        add("@" + anchor_key(m.key), 1.0)
    for key in quote_keys:
        add("@spk:" + key, 0.5)
        if key and ":" in key and "@" + anchor_key(key) not in feats:
            add("@" + anchor_key(key), 0.5)  # the speaker is who the claim is about, named or not
    return feats


def split_claims(article: Article, analysis: Analysis) -> list[Claim]:
    """The claims of one article, in text order."""
    text = article.text
    outlet = outlet_label(article)
    mentions = sorted(analysis.mentions, key=lambda m: m.start)
    quotes: list[Quote] = list(analysis.quotes)
    claims: list[Claim] = []
    for start, end, sents in _spans(article, analysis):
        tokens = [t for s in sents for t in s.tokens if start <= t.start and t.end <= end]
        dl = lx.DATELINE_RE.match(text[start:end])
        body_start = start + dl.end() if dl else start
        body_tokens = [t for t in tokens if t.start >= body_start]
        inside = [m for m in mentions if start <= m.start and m.end <= end and m.start >= body_start]
        q_here = [q for q in quotes if q.start < end and start < q.end]
        speaker = next((q.speaker for q in q_here if q.speaker), None)
        speaker_key = next((q.speaker_key or q.speaker for q in q_here if q.speaker), None)
        keys = {q.speaker_key or (q.speaker or "").lower() for q in q_here if q.speaker}
        dates = [d for d in analysis.dates if start <= d.start and d.end <= end]
        qty = [
            Quantity(q.value, q.unit, text[q.start:q.end], q.start, q.end, q.approx)
            for q in _quantities(body_tokens, [(d.start, d.end) for d in dates])
        ]
        feats = _features(body_tokens, inside, keys)
        for d in dates:
            if d.span is not None and d.span.precision.value in ("day", "month", "minute"):
                feats["#d:" + d.span.iso()[:7]] = feats.get("#d:" + d.span.iso()[:7], 0.0) + 0.5
        for q in qty:
            feats["#u:" + q.unit] = feats.get("#u:" + q.unit, 0.0) + 1.0
            feats["#" + f"{q.value:g}"] = feats.get("#" + f"{q.value:g}", 0.0) + 0.5
        kind = "statement" if q_here else ("number" if qty else "fact")
        names = [(m.start, m.end) for m in inside if m.kind is MentionKind.NAME]
        words = tuple(t.text for t in body_tokens if t.text[:1].isalpha() and len(t.text) >= 3
                      and (t.lemma or t.text).lower() not in STOPWORDS
                      and not any(a <= t.start < b for a, b in names))
        piece = text[start:end]
        claims.append(Claim(
            id=f"{article.id}:{start}", article_id=article.id, outlet=outlet, start=start, end=end, text=piece,
            kind=kind, speaker=speaker, speaker_key=speaker_key, quantities=qty, dates=dates, terms=feats,
            text_key=re.sub(r"\W+", " ", text[body_start:end]).strip().lower(), words=words,
        ))
    return claims
