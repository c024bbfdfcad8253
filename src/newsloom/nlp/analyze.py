"""One article in, one ``Analysis`` out: the pure per-article stage that any engine can map over millions."""
from __future__ import annotations

import re
from collections import Counter

from newsloom.nlp.memo import memoised
from newsloom.nlp import dates as dates_module
from newsloom.nlp.entities import find_mentions, lead_token_lists, tag_leads
from newsloom.nlp.quotes import find_quotes
from newsloom.nlp.text import lemma, sentences as split_into_sentences, tokenize
from newsloom.records import Analysis, Article, Sentence

STOPWORDS = frozenset(
    """
    der die das den dem des ein eine einer eines einem einen und oder aber doch sondern denn als wie auch noch
    nur schon sehr so zu zum zur in im an am auf aus bei mit nach von vom vor für über unter um durch gegen ohne
    bis seit ab ob dass daß wenn weil da dann damit dabei dazu darum daher deshalb jedoch zudem sowie bzw etwa
    er sie es wir ihr ich du man sich sein seine ihre ihr ihm ihn ihnen uns euch mich mir dir dich dies diese
    dieser dieses diesem diesen jene jener jenes welche welcher welches wer was wo wann warum wie viel viele
    mehr weniger alle alles allem allen aller jede jeder jedes jeden kein keine keinen keiner keinem nicht nichts
    haben hat hatte hatten habe sein ist war waren sind wird werden wurde wurden worden werde würde würden kann
    können konnte konnten soll sollen sollte sollten muss müssen musste will wollen wollte mögen möchte darf
    dürfen sagen sagte sagt gibt geben gab laut heute gestern morgen jetzt nun immer wieder bereits erst neue
    neuen neuer neues neu ganz rund mal eins zwei drei vier fünf sechs sieben acht neun zehn jahr jahre jahren
    prozent uhr montag dienstag mittwoch donnerstag freitag samstag sonntag januar februar märz april mai juni
    juli august september oktober november dezember derzeit zwischen andere anderen anderer hier dort sei seien
    wäre wären hätte hätten einem einen eines ihres seines unser unsere ja nein etwas gut weitere weiteren zwar
    beim ins vielen mehrere einige einigen sowohl weder noch trotz während wegen laut zufolge gegenüber
    """.split()
)
_NUMBER = re.compile(r"\d")


def content_lemma(word: str) -> str | None:
    """The lemma used for similarity, or None for stopwords, punctuation and very short words."""
    if len(word) < 2 or not word[0].isalnum():
        return None
    base = lemma(word).lower()
    if base in STOPWORDS or len(base) < 2:
        return None
    return base


@memoised(maxsize=300_000)
def content_lemmas(word: str) -> tuple[str, ...]:
    """Content lemmas of a word: its own, plus those of the parts of a hyphenated compound
    ("Teil-Lockdown" -> teil-lockdown, teil, lockdown), so that variants of one compound meet."""
    own = content_lemma(word)
    if own is None:
        return ()
    if "-" not in word.strip("-"):
        return (own,)
    parts = [content_lemma(part) for part in word.strip("-").split("-") if len(part) >= 3]
    return (own, *dict.fromkeys(p for p in parts if p and p != own))


@memoised(maxsize=200_000)
def _token_terms(word: str) -> tuple[bool, tuple[str, ...]]:
    """What one token adds to an article's counts: (whether it is a number, its content lemmas). A token with a
    digit is a number when it has no letter ("2022", "3,5"), and counts nothing either way ("G7", "2022er")."""
    if _NUMBER.search(word):
        return not any(ch.isalpha() for ch in word), ()
    return False, content_lemmas(word)


def analyze_many(articles: list[Article]) -> list[Analysis]:
    """``analyze`` of every article, in order; the entity tagger reads all their leads in one batch."""
    all_sentences = [split_into_sentences(article.text) for article in articles]
    all_tags = tag_leads([lead_token_lists(sentences) for sentences in all_sentences])
    return [analyze(article, sentences, tags) for article, sentences, tags in zip(articles, all_sentences, all_tags)]


def analyze(article: Article, sentences: list[Sentence] | None = None,
            lead_tags: list[list[str]] | None = None) -> Analysis:
    """Everything newsloom reads out of one article (``sentences`` and ``lead_tags``: computed already)."""
    text = article.text
    if sentences is None:
        sentences = split_into_sentences(text)
    mentions = find_mentions(text, sentences, lead_tags)
    found_dates = dates_module.find_dates(text, article.published)
    quotes = find_quotes(text, sentences, mentions)
    terms: list[str] = []
    numbers: list[str] = []
    for sentence in sentences:
        for token in sentence.tokens:
            number, bases = _token_terms(token.text)
            if number:
                numbers.append(token.text)
            elif bases:
                terms.extend(bases)
    counts = Counter(terms)  # counted in order of first occurrence, as one by one
    title_lemmas = tuple(base for w, _, _ in tokenize(article.title) for base in content_lemmas(w))
    return Analysis(
        article_id=article.id,
        sentences=sentences,
        mentions=mentions,
        dates=found_dates,
        quotes=quotes,
        lemma_counts=dict(counts),
        title_lemmas=title_lemmas,
        numbers=tuple(numbers),
    )
