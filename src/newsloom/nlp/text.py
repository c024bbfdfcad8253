"""Sentences and tokens with character offsets, German-aware (abbreviations, ordinals, dates)."""
from __future__ import annotations

import re

import simplemma

from newsloom.nlp.memo import memoised
from newsloom.records import Sentence, Token

# Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    """
    abs abt allg bzw ca chr co dr evtl etc frl ggf hr hrsg inkl jh jr kap lt max min mio mrd nr
    od prof rd sog st str tel usw vgl vs z zb ua u a b d h o s v dt engl franz gen geb gegr
    jan feb febr mär apr jun jul aug sep sept okt nov dez mo di mi do fr sa so
    """.split()
)

_TOKEN_RE = re.compile(
    r"""
    \d{1,2}\.\d{1,2}\.\d{2,4}            # 04.02.2022
    | \d+(?:[.,]\d+)+                    # 1.000,5 or 3,5
    | \d+\.(?=\s+[A-ZÄÖÜa-zäöü])          # ordinal 14. (before a word)
    | [A-Za-zÄÖÜäöüß]{1,4}\.(?:[A-Za-zÄÖÜäöüß]{1,3}\.)+  # z.B. u.a. d.h.
    | \w+(?:[-'’]\w+)*-?                 # words, hyphenated compounds, "Nato-"
    | \S                                 # any other single character
    """,
    re.VERBOSE | re.UNICODE,
)

_SENTENCE_END = re.compile(r"[.!?]+[\"“”»«'’)]*|[\"“”»«]?\n\s*\n|:\s*\n")


def tokenize(text: str, offset: int = 0) -> list[tuple[str, int, int]]:
    """Split ``text`` into (token, start, end) triples; offsets are shifted by ``offset``."""
    return [(m.group(), m.start() + offset, m.end() + offset) for m in _TOKEN_RE.finditer(text)]


@memoised(maxsize=200_000)
def lemma(word: str) -> str:
    """Lemma of one German word form (lower-cased for common words, names keep their case)."""
    if not word[:1].isalpha():
        return word
    try:
        return simplemma.lemmatize(word, lang="de")
    except (ValueError, KeyError):
        return word


def _ends_sentence(text: str, stop: int, token_before: str) -> bool:
    """Whether the full stop at ``stop`` ends a sentence, judged by the token before and the text after."""
    rest = text[stop + 1 : stop + 3]
    if not rest or rest[0] not in " \n\t\"“”»«'’)":
        return False
    word = token_before.lower()
    if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
        return False
    if token_before.isdigit():
        # "am 14. Februar": an ordinal; a year or number at sentence end needs a capital after it
        after = text[stop + 1 :].lstrip()
        return bool(after[:1]) and after[:1].isupper() and len(token_before) >= 3
    return True


# Places where a sentence may end: a paragraph break (a newline before another) or a sentence mark.
_CUT_CANDIDATE = re.compile(r"\n(?=\n)|[.!?]")


def _word_before(text: str, start: int, stop: int) -> str:
    """The run of word characters (``\\w``: alphanumeric or ``_``) that ends at ``stop``, not reaching before
    ``start`` (what ``re.search(r"(\\w+)$", text[start:stop])`` finds, without scanning the whole slice)."""
    if stop > start and text[stop - 1] == "\n":
        stop -= 1  # "$" also matches before a newline that ends the string
    p = stop
    while p > start and (text[p - 1].isalnum() or text[p - 1] == "_"):
        p -= 1
    return text[p:stop]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text`` (paragraph breaks always end a sentence)."""
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    resume = 0  # candidates before this were inside a sentence end already taken
    for m in _CUT_CANDIDATE.finditer(text):
        i = m.start()
        if i < resume:
            continue
        ch = text[i]
        if ch == "\n":
            cut = i
        else:
            j = i
            while j + 1 < n and text[j + 1] in ".!?":
                j += 1
            k = j
            while k + 1 < n and text[k + 1] in "\"“”»«'’)":
                k += 1
            if ch == ".":
                ok = _ends_sentence(text, j, _word_before(text, start, i))
            else:
                ok = k + 1 >= n or text[k + 1] in " \n\t"
            if not ok:
                continue
            cut = k + 1
            resume = k + 1
        _add_span(text, start, cut, spans)
        start = cut
    _add_span(text, start, n, spans)
    return spans


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def _token_maker():
    """A fast ``Token(text, start, end, lemma)``: a frozen dataclass's ``__init__`` sets each field through
    ``object.__setattr__``, which is half the cost of building the ~1,000 tokens of an article; filling the
    instance dict directly gives an equal object. Falls back to the constructor if ``Token`` ever changes shape."""
    import dataclasses

    names = [f.name for f in dataclasses.fields(Token)]
    if names != ["text", "start", "end", "lemma"] or hasattr(Token, "__post_init__") or hasattr(Token, "__slots__"):
        return Token
    new = object.__new__

    def make(word: str, start: int, end: int, base: str) -> Token:
        token = new(Token)
        token.__dict__.update(text=word, start=start, end=end, lemma=base)
        return token

    return make


_make_token = _token_maker()


def sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` with their tokens and lemmas."""
    result = []
    make, finditer = _make_token, _TOKEN_RE.finditer
    for start, end in split_sentences(text):
        # pos/endpos instead of a slice: the token pattern has no anchors or look-behind, so the matches are those
        # of text[start:end], already at absolute offsets
        tokens = tuple([make(w, m.start(), m.end(), lemma(w)) for m in finditer(text, start, end) for w in (m.group(),)])
        result.append(Sentence(start, end, tokens))
    return result
