"""Named entities in one article: PER/ORG/LOC/MISC mentions, linked to one canonical name per real thing.

Sources, in order of trust: gazetteers (countries, large cities, organisations), person names introduced by a
role word ("der russische Präsident Wladimir Putin"), the trained tagger (``ner_model``) over the article's
lead, then propagation: every name found is looked up again in the whole text, including surname-only and
genitive back-references ("Putins", "Uschakow" after "Juri Uschakow"). Demonyms ("russische") become mentions
of their country with ``kind=DEMONYM``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from newsloom import settings
from newsloom.nlp import gazetteer
from newsloom.nlp.memo import memoised
from newsloom.records import EntityType, Mention, MentionKind, Sentence, Token

LEAD_SENTENCES = 12  # sentences given to the statistical tagger (the rest is covered by propagation)
NAME_PARTICLES = frozenset({"von", "van", "der", "de", "del", "da", "di", "zu", "bin", "al", "ter", "le", "la"})
NOT_NAMES = frozenset(
    """
    Der Die Das Den Dem Des Ein Eine Einer Eines Einem Er Sie Es Wir Ihr Ich Man In Im Am An Auf Aus Bei Mit Nach
    Von Vor Zu Zum Zur Und Oder Aber Doch Wie Was Wer Wo Wann Als Auch Noch Nur So Dass Ob Wenn Weil Dies Diese
    Dieser Dieses Jetzt Heute Gestern Morgen Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag Januar
    Februar März April Mai Juni Juli August September Oktober November Dezember Uhr Prozent Euro Dollar Corona
    Covid Mehr Thema Stand Seit Bis Um Über Unter Laut Trotz Während Gegen Ohne Für Alle Beide Zudem Damit
    Dabei Dazu Daher Deshalb Angesichts Zuvor Später Bereits Erst Auch Einige Viele Mehrere Andere Anfang Ende
    Mitte Woche Jahr Jahres Monat Tag Tage Staaten Länder Regierung Partei Ministerium
    """.split()
)


# Closed-class words that the tagger sometimes pulls into a name at the start of a sentence.
FUNCTION_WORDS = frozenset(
    """
    wenn doch wie als was wer wir mir mich uns ihr sie er es ich du man von vom zum zur bei mit nach aus auf
    im in am an um für über unter vor seit bis durch gegen ohne und oder aber denn dass ob weil da so dann
    nun jetzt auch noch nur schon sehr laut trotz wegen während zu ab der die das den dem des ein eine einer
    eines einem einen dies diese dieser dieses jene jener alle viele einige mehrere kein keine
    """.split()
)


@dataclass
class _Span:
    start: int  # token index
    end: int  # token index, exclusive
    type: EntityType
    canonical: str
    kind: MentionKind = MentionKind.NAME
    role: str | None = None
    char_start: int | None = None  # for names inside a hyphenated token ("Nato" in "Nato-Staaten")
    char_end: int | None = None
    from_model: bool = False


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper() and not word.isupper() or (word.isupper() and len(word) >= 2 and word.isalpha())


def _genitive_stem(word: str) -> str | None:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return None


def _gazetteer_spans(tokens: list[Token]) -> list[_Span]:
    index = gazetteer.phrase_index()
    demonyms = gazetteer.demonyms()
    spans: list[_Span] = []
    i = 0
    n = len(tokens)
    while i < n:
        word = tokens[i].text
        stem = _genitive_stem(word) if word[-1:] == "s" else None
        matched = False
        if word in index or stem in index:
            for form in (word, stem):
                if not form or form not in index:
                    continue
                for phrase, etype, canonical in index[form]:
                    length = len(phrase)
                    if i + length > n:
                        continue
                    if all(tokens[i + k].text == phrase[k] for k in range(1, length)):
                        spans.append(_Span(i, i + length, etype, canonical))
                        i += length
                        matched = True
                        break
                if matched:
                    break
        if matched:
            continue
        lower = word.lower()
        if lower in demonyms and (word[:1].islower() or lower in gazetteer.DEMONYM_NOUNS):
            code = demonyms[lower]
            spans.append(_Span(i, i + 1, EntityType.LOC, gazetteer.country_name(code), MentionKind.DEMONYM))
        elif "-" in word:
            head, _, tail = word.partition("-")
            for form in (head, _genitive_stem(head)):
                if form and form in index:
                    single = [entry for entry in index[form] if len(entry[0]) == 1]
                    if single:
                        _, etype, canonical = single[0]
                        start = tokens[i].start
                        spans.append(_Span(i, i + 1, etype, canonical, char_start=start, char_end=start + len(head)))
                        break
            else:
                if head.lower() in demonyms:
                    code = demonyms[head.lower()]
                    start = tokens[i].start
                    spans.append(_Span(i, i + 1, EntityType.LOC, gazetteer.country_name(code), MentionKind.DEMONYM,
                                       char_start=start, char_end=start + len(head)))
        i += 1
    return spans


@memoised(maxsize=100_000)
def _role_of(word: str) -> str | None:
    lower = word.lower().rstrip(".")
    if "-" in lower:
        lower = lower.rsplit("-", 1)[1]
    for form in (lower, lower[:-1] if lower[-1:] in "ns" else None, lower[:-2] if lower[-2:] in ("en", "es") else None):
        if not form:
            continue
        if form in gazetteer.ROLE_WORDS:
            return word
        for suffix in ROLE_SUFFIXES:
            if form.endswith(suffix) and len(form) > len(suffix) + 2:
                return word
    return None


def _role_person_spans(tokens: list[Token], taken: set[int]) -> list[_Span]:
    spans = []
    n = len(tokens)
    for i, token in enumerate(tokens):
        if i + 1 >= n or not tokens[i + 1].text[:1].isupper() or not token.text[:1].isalpha():
            continue
        role = _role_of(token.text)
        if role is None:
            continue
        j = i + 1
        names: list[int] = []
        while j < n and len(names) < 5:
            word = tokens[j].text
            if j in taken or word in NOT_NAMES or _role_of(word):
                break
            if _is_capitalised(word) and word.replace("-", "").isalpha():
                names.append(j)
                j += 1
            elif word in NAME_PARTICLES and names:
                k = j
                while k < n and tokens[k].text in NAME_PARTICLES:
                    k += 1
                if k < n and _is_capitalised(tokens[k].text) and k - j <= 2:
                    j = k
                else:
                    break
            else:
                break
        if names:
            spans.append(_Span(names[0], names[-1] + 1, EntityType.PER, "", role=role))
    return spans


ROLE_SUFFIXES = ("präsident", "präsidentin", "minister", "ministerin", "kanzler", "kanzlerin", "sprecher",
                 "sprecherin", "chef", "chefin", "kollege", "kollegin", "führer", "führerin", "leiter", "leiterin")
_MODEL_TYPES = {"PER": EntityType.PER, "ORG": EntityType.ORG, "LOC": EntityType.LOC, "OTH": EntityType.MISC}


def _name_like(word: str) -> bool:
    """Whether a token can begin a name: not punctuation, not a capitalised function word ("Wenn", "Doch")."""
    return word[:1].isalnum() and word not in NOT_NAMES and word.lower() not in FUNCTION_WORDS


def lead_token_lists(sentences: list[Sentence]) -> list[list[str]]:
    """The words of the sentences that the statistical tagger reads (the lead)."""
    return [[t.text for t in s.tokens] for s in sentences[:LEAD_SENTENCES]]


def tag_leads(leads: list[list[list[str]]]) -> list[list[list[str]]]:
    """Tags of many articles' leads (``lead_token_lists`` each) in one batch of the tagger, which is much
    cheaper per sentence than one call per article; empty tag lists when the model is missing."""
    flat = [words for lead in leads for words in lead]
    try:
        from newsloom.nlp import ner_model

        tags = ner_model.tag_sentences(flat, settings.INGEST.ner_engine)
    except (ImportError, OSError):  # model file missing (a source checkout before training): gazetteers and rules only
        tags = [[] for _ in flat]
    out, k = [], 0
    for lead in leads:
        out.append(tags[k:k + len(lead)])
        k += len(lead)
    return out


def _model_spans(sentences: list[Sentence], offsets: list[int], tag_lists: list[list[str]] | None = None) -> list[_Span]:
    lead = sentences[:LEAD_SENTENCES]
    if tag_lists is None:
        tag_lists = tag_leads([lead_token_lists(sentences)])[0]
    spans = []
    demonyms = gazetteer.demonyms()
    for sentence, offset, tags in zip(lead, offsets, tag_lists):
        current: list = []
        for k, tag in enumerate(tags + ["O"]):
            if current and (tag == "O" or tag.startswith("B-") or tag[2:] != current[0]):
                label, first = current
                last = k
                words = sentence.tokens
                while first < last and not _name_like(words[first].text):
                    first += 1
                while last > first and not words[last - 1].text[:1].isalnum():
                    last -= 1
                start, end = offset + first, offset + last
                if start >= end:
                    pass
                elif label in _MODEL_TYPES:
                    spans.append(_Span(start, end, _MODEL_TYPES[label], "", from_model=True))
                elif label == "LOCderiv" and end - start == 1:
                    word = sentence.tokens[first].text.lower()
                    if word in demonyms:
                        spans.append(_Span(start, end, EntityType.LOC, gazetteer.country_name(demonyms[word]), MentionKind.DEMONYM))
                current = []
            if tag.startswith("B-") or (tag.startswith("I-") and not current):
                current = [tag[2:], k]
    return spans


_CREDIT_GROUP = r"[A-Za-zÄÖÜäöü][\w.\-]{1,14}(?:\s*[/,]\s*[A-Za-zÄÖÜäöü][\w.\-]{1,14}){0,5}"
_CREDITS = (
    # an agency credit closing a paragraph: "... heißt es. (APA/DPA/AFP)"
    re.compile(rf"\((\s*{_CREDIT_GROUP}\s*)\)\s*\.?[ \t]*$", re.MULTILINE),
    # a dateline opening a paragraph: "Moskau/Peking (Reuters) - "
    re.compile(rf"^[ \t]*[A-ZÄÖÜ][\w./ \-]{{1,40}}?\s*\((\s*{_CREDIT_GROUP}\s*)\)\s*[-–—:]", re.MULTILINE),
    # a photo credit closing a caption: "... Westukraine. REUTERS", "Foto: dpa", "© AFP"
    re.compile(r"(?<=[.!?\"“”])[ \t]+([A-ZÄÖÜ]{2,}(?:[ /][A-ZÄÖÜ]{2,}){0,3})[ \t]*$", re.MULTILINE),
    re.compile(r"(?:\b(?:Foto|Fotos|Bild|Bilder|Grafik)\s*:|©)[ \t]*([^\n]{1,60}?)[ \t]*$", re.MULTILINE),
)
# Every match of the last pattern ("Foto: dpa", "© AFP") holds one of these; most articles hold none, and skip it
_PHOTO_CREDIT_KEYS = ("Foto", "Bild", "Grafik", "©")


def credit_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of agency credits, datelines' agency names and photo credits: names there credit the
    publisher, they are not entities the article is about."""
    photo = any(key in text for key in _PHOTO_CREDIT_KEYS)
    return [m.span(1) for pattern in (_CREDITS if photo else _CREDITS[:-1]) for m in pattern.finditer(text)]


def find_mentions(text: str, sentences: list[Sentence], lead_tags: list[list[str]] | None = None) -> list[Mention]:
    """All entity mentions of the article, sorted by position, each with its canonical key and name
    (``lead_tags``: the tagger's tags of ``lead_token_lists(sentences)`` when computed already, in a batch)."""
    tokens: list[Token] = []
    offsets: list[int] = []
    sentence_starts: set[int] = set()
    for sentence in sentences:
        offsets.append(len(tokens))
        sentence_starts.add(len(tokens))
        tokens.extend(sentence.tokens)
    if not tokens:
        return []

    chosen: dict[int, _Span] = {}  # token index -> span covering it

    def place(span: _Span) -> bool:
        if any(k in chosen for k in range(span.start, span.end)):
            return False
        for k in range(span.start, span.end):
            chosen[k] = span
        return True

    for span in _gazetteer_spans(tokens):
        place(span)
    for span in _role_person_spans(tokens, set(chosen)):
        place(span)
    for span in _model_spans(sentences, offsets, lead_tags):
        if span.type is EntityType.PER or span.kind is MentionKind.DEMONYM or not any(
            k in chosen for k in range(span.start, span.end)
        ):
            place(span)

    # Canonical names of persons: full names, with surname/first-name aliases for back-references.
    spans = sorted({id(s): s for s in chosen.values()}.values(), key=lambda s: s.start)
    aliases: dict[str, tuple[EntityType, str]] = {}
    words_in_text = {t.text for t in tokens}
    for span in spans:
        if span.canonical:
            continue
        words = [tokens[k].text for k in range(span.start, span.end)]
        if span.type is EntityType.PER:
            words[-1] = _strip_genitive_if_known(words[-1], words_in_text)
        span.canonical = " ".join(words)
    for span in sorted(spans, key=lambda s: -(s.end - s.start)):
        if span.type is EntityType.PER:
            parts = [p for p in span.canonical.split() if p not in NAME_PARTICLES]
            if len(parts) > 1:
                for part in (parts[0], parts[-1]):
                    aliases.setdefault(part, (EntityType.PER, span.canonical))
            else:
                aliases.setdefault(span.canonical, (EntityType.PER, span.canonical))
        elif span.kind is MentionKind.NAME and span.char_start is None and span.end - span.start == 1:
            aliases.setdefault(tokens[span.start].text, (span.type, span.canonical))
    for span in spans:
        if span.end - span.start == 1 and (span.type is EntityType.PER or span.from_model):
            word = span.canonical
            stem = _genitive_stem(word)
            found = [t for t in (aliases.get(word), aliases.get(stem) if stem else None) if t]
            persons = [t for t in found if t[0] is EntityType.PER]
            target = persons[0] if persons else (found[0] if found else None)
            if target and (span.type is EntityType.PER or target[0] is EntityType.PER):
                span.type, span.canonical = target

    # Propagation over the whole text.
    for k, token in enumerate(tokens):
        if k in chosen:
            continue
        word = token.text
        target = aliases.get(word)
        if target is None:
            stem = _genitive_stem(word) if word[-1:] == "s" else None
            target = aliases.get(stem) if stem else None
        if target is not None and (k not in sentence_starts or target[0] is not EntityType.PER or word in aliases):
            place(_Span(k, k + 1, target[0], target[1]))

    credits = credit_spans(text)
    mentions = []
    seen: set[int] = set()
    for k in sorted(chosen):
        span = chosen[k]
        if id(span) in seen:
            continue
        seen.add(id(span))
        start = span.char_start if span.char_start is not None else tokens[span.start].start
        end = span.char_end if span.char_end is not None else tokens[span.end - 1].end
        if span.type is EntityType.PER and end - start < 2:
            continue
        if any(a <= start and end <= b for a, b in credits):
            continue
        mentions.append(
            Mention(start, end, text[start:end], span.type, entity_key(span.type, span.canonical), span.canonical,
                    span.kind, span.role)
        )
    return mentions


def _strip_genitive_if_known(word: str, known_words: set[str]) -> str:
    """"Merkels" -> "Merkel" when the article also has the bare form; "Tsipras" stays."""
    stem = _genitive_stem(word)
    return stem if stem and stem in known_words else word


def entity_key(etype: EntityType, name: str) -> str:
    """The key shared by all variants of one name: ``ORG:nato`` for "NATO" and "Nato"."""
    return f"{etype.value}:{' '.join(name.split()).casefold()}"


_INFLECTION_ENDINGS = ("en", "em", "er", "es", "e", "n", "s")


def inflection_key(key: str) -> str | None:
    """A key shared by the inflected forms of a multi-word name ("ORG:olympischen winterspiele" and
    "ORG:olympischen winterspielen" -> "ORG~olympisch winterspiel"): German case and number endings cut from
    every word. None for persons (handled by surname and genitive aliases) and single words (too ambiguous:
    "Bayern"/"Bayer")."""
    kind, _, name = key.partition(":")
    words = name.split()
    if kind == "PER" or len(words) < 2:
        return None
    stems = []
    for word in words:
        for ending in _INFLECTION_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 4:
                word = word[: -len(ending)]
                break
        stems.append(word)
    return f"{kind}~{' '.join(stems)}"
