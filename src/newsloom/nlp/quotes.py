"""Direct quotes and reported speech in German news text, attributed to a speaker.

``find_quotes(text, sentences, mentions)`` is a pure function. It works in three passes, each linear in
the length of the text:

1. **Direct quotes.** Every quote character is classified once (can it open? can it close?) and the
   openers are paired with the first fitting closer in the same paragraph: „…“ (also „…" and „…”),
   "…", “…”, »…«, «…», ‚…‘ and ›…‹/‹…›. Apostrophes (’ or ‘ inside a word, ``geht’s``) never close a
   quote. Only the outermost quote counts; nested quotes are part of it. A quote never crosses a
   paragraph break, so German multi-paragraph quotes (no closing mark at the paragraph end) are missed.
   The span of a direct quote is the quoted words without the marks; punctuation inside the marks is
   kept. Short quoted spans (1–3 words) with no verb are scare quotes or titles („Bild“, „zutiefst
   besorgt“) and are not statements, unless they are one half of a split quote.
2. **Units and cues.** Sentences are merged into *units* where a quote runs over a sentence end or a
   sentence starts in lower case (``„Kommt ihr?“ fragte er.``). In each unit, outside the accepted
   quotes, attribution cues are found: speech verbs (lemmas, with separable particles:
   ``teilte … mit``), ``so X``, ``laut X``, ``X zufolge``, ``nach Angaben von X`` / ``nach X-Angaben``,
   ``wie X mitteilte``, ``heißt es (in der Erklärung | aus Regierungskreisen | darin)``. Each cue gets a
   subject by German word order (V2 main clause: a candidate before the finite verb at the start of
   the clause, else the first candidate after it; verb-final subordinate clause: the first candidate
   after ``wie``/``dass``). When one sentence holds several cues, the person whose words are reported
   is the speaker and the one who relays them is the channel: a speech verb in Konjunktiv (``Xi habe
   … zugesichert``) beats an indicative one (``, sagte Uschakow``), and a speech verb beats a frame
   (``laut Xinhua``, ``wie Xinhua berichtete``). ``X zitierte Y`` makes Y the speaker, X the channel.
3. **Statements.** A split quote („Wir werden“, sagte Müller, „nicht nachgeben.“) gives *two* direct
   quotes with the same speaker, so every span is a contiguous piece of the text. Reported speech is
   a unit with an attribution and Konjunktiv, a complement clause or a frame; its span is the unit
   minus a leading or trailing comma-separated attribution clause, without final punctuation. Following
   units in Konjunktiv without their own cue continue the last speaker until an indicative unit
   without cue. Direct quotes without a speech clause inherit the speaker of the paragraph (the
   previous statement, else the next attribution in the paragraph, else the last statement of the
   paragraph before).

Speakers are resolved to ``Mention`` keys: the mention under the speaker phrase; a role noun with a
name beside it (``Putins Berater Uschakow``, ``der Vertreter des Präsidialamtes, Juri Uschakow``);
``ein Sprecher des Ministeriums`` -> the ministry's mention; pronouns (er/sie) -> the nearest preceding
person; role nouns (``der chinesische Präsident``) -> the nearest preceding person whose role or
context names that role (and the adjective, when given). Documents and unnamed groups keep the raw
phrase (``gemeinsame Erklärung``) with ``speaker_key=None``.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from newsloom.nlp.memo import memoised
from newsloom.nlp.coref import Referents
from newsloom.records import EntityType, Mention, MentionKind, Quote, Sentence, Token

__all__ = ["find_quotes", "SPEECH_VERBS"]

# --------------------------------------------------------------------------------------------------
# Lexicon

#: Lemmas of German speech verbs (as simplemma gives them, lower-cased).
SPEECH_VERBS = frozenset(
    """
    sagen erklären betonen mitteilen berichten warnen fordern kritisieren zusichern versichern
    ankündigen bekräftigen unterstreichen hinzufügen meinen bestätigen dementieren äußern verkünden
    behaupten erläutern ergänzen antworten entgegnen erwidern schreiben twittern bekanntgeben
    versprechen zusagen bestreiten einräumen zugeben hervorheben hinweisen argumentieren beklagen
    vorwerfen appellieren aufrufen mahnen verlangen beteuern feststellen klarstellen klarmachen
    informieren unterrichten zitieren melden bekunden anmerken bemerken kommentieren ausführen
    darlegen bezeichnen verlauten verweisen insistieren versprechen prophezeien vorschlagen
    zurückweisen widersprechen anmahnen ankünden berichten präzisieren unterstellen beschwichtigen
    raten bekennen gestehen erzählen schildern beschreiben fragen nachfragen bitten empfehlen
    drohen klagen beklagen rügen bemängeln monieren beanstanden anprangern verraten enthüllen
    offenbaren bilanzieren resümieren folgern prognostizieren vorhersagen skandieren posten
    verdeutlichen beschwören bescheinigen attestieren konstatieren einwenden entgegenhalten
    untermauern wiederholen beharren pochen plädieren spekulieren zusammenfassen aufzählen auflisten
    sprechen nennen
    """.split()
)

#: Verbs of thinking and feeling: reported speech only with a Konjunktiv I complement
#: ("fürchtet, dass alles wieder in diese Richtung gehe"; not "befürchten, dass der Damm … gefährdet").
ATTITUDE_VERBS = frozenset(
    """
    glauben meinen denken hoffen fürchten befürchten bezweifeln zweifeln vermuten mutmaßen erwarten
    schätzen annehmen rechnen überzeugen bedauern begrüßen sorgen wissen
    """.split()
)

#: Unambiguous Konjunktiv I forms (3rd person; "habe", "werde" only when not after "ich").
_KONJ1 = frozenset("sei seien seiest seiet habe werde könne müsse solle wolle dürfe möge wisse gebe stehe gelte".split())

#: Separable verbs: base lemma -> particles that make a speech verb of it (``teilte … mit``).
_SEPARABLE = {
    "teilen": ("mit",),
    "kündigen": ("an",),
    "fügen": ("hinzu",),
    "heben": ("hervor",),
    "weisen": ("hin", "zurück"),
    "sichern": ("zu",),
    "sagen": ("zu",),
    "räumen": ("ein",),
    "rufen": ("auf",),
    "werfen": ("vor",),
    "stellen": ("klar", "fest"),
    "führen": ("aus",),
    "legen": ("dar",),
    "merken": ("an",),
    "machen": ("klar",),
    "schlagen": ("vor",),
    "mahnen": ("an",),
    "lassen": ("verlauten",),
    "sprechen": ("aus",),
    "geben": ("bekannt", "zu", "an", "ab"),
    "listen": ("auf",),
    "zählen": ("auf",),
    "fassen": ("zusammen",),
    "zeigen": ("auf",),
    "bringen": ("vor",),
    "gehen": ("aus",),  # "geht davon aus, dass"
    "rechnen": ("vor",),
}

#: Whether a zu-infinitive after a speech verb ("forderte, die Schulen zu schließen") is reported speech.
INFINITIVE_COMPLEMENTS = True

_AUX = frozenset(
    """
    habe hat hatte hatten haben hätte hätten sei ist war waren sind seien wäre wären wird werde
    wurde wurden werden würde würden kann könne könnte konnte könnten können muss müsse müsste
    musste müssen soll solle sollte sollten sollen will wolle wollte wollen darf dürfe dürfte
    """.split()
)

#: Unambiguous Konjunktiv I / II forms (regular 3rd person singular Konjunktiv I is found by rule).
_KONJ = frozenset(
    """
    sei seien seiest seiet habe hätte hätten hättest wäre wären wärest werde würde würden könne
    könnte könnten müsse müsste müssten solle sollte sollten wolle wollte dürfe dürfte dürften
    möge möchte möchten wisse wüsste wüssten gebe gäbe gäben käme kämen ginge gingen läge lägen
    stünde stünden stehe hielte hielten ließe ließen fände fänden bliebe blieben träte träten
    sähe sähen bräuchte bräuchten täte täten nähme nähmen gelte gälte
    """.split()
)

_NOT_VERB = frozenset(
    """
    oben unten innen außen eben morgen gestern zusammen wegen gegen allen einen keinen meinen
    deinen seinen ihnen denen diesen jenen welchen solchen anderen unseren euren vielen wenigen
    mehreren beiden ersten letzten nächsten besonders bereits hinten vorn übermorgen neben
    """.split()
)

_DETERMINERS = frozenset(
    """
    der die das des dem den ein eine einer eines einem einen sein seine seines seinem seinen seiner
    ihr ihre ihres ihrem ihren ihrer dessen deren unser unsere unseres unserem unseren unserer
    diese dieser dieses diesem diesen jene jener jenes jenem jenen beide beiden zwei drei mehrere
    """.split()
)

_PREPOSITIONS = frozenset(
    """
    in im ins am an ans auf aus bei beim mit nach von vom vor zu zum zur über unter zwischen gegen
    für durch um seit ohne gegenüber neben hinter trotz wegen während laut samt per via bis
    """.split()
)

_SUBORDINATORS = frozenset("wie dass als weil nachdem während ob wenn da obwohl bevor damit sodass".split())
_RELATIVE = frozenset("der die das dem den denen dessen deren welche welcher welches".split())
_INDEFINITES = frozenset("einige viele andere manche mehrere alle beide wenige etliche niemand jemand man".split())
_PASSIVE_AUX = frozenset("wird werden wurde wurden worden werde würde würden".split())
_ADVERBIAL_SUBORDINATORS = frozenset("ob wenn falls weil obwohl nachdem bevor sodass sofern solange".split())
_FILLERS = frozenset(
    "und aber doch denn auch zudem außerdem nun jedoch dann indes selbst ebenfalls ferner zuvor".split()
)
_CLAUSE_PUNCT = frozenset(",;:–—()[]")
_END_PUNCT = frozenset(".!?…,;:–—")

_ROLE_SUFFIXES = (
    "präsident", "präsidentin", "kanzler", "kanzlerin", "minister", "ministerin", "berater",
    "beraterin", "chef", "chefin", "sekretär", "sekretärin", "botschafter", "botschafterin",
    "vorsitzende", "vorsitzender", "bürgermeister", "bürgermeisterin", "direktor", "direktorin",
    "leiter", "leiterin", "kommissar", "kommissarin", "premier", "kollege", "kollegin", "politiker",
    "politikerin", "abgeordnete", "abgeordneter", "diplomat", "diplomatin", "general", "könig",
    "königin", "gouverneur", "senator", "senatorin", "sprecher", "sprecherin", "vertreter",
    "vertreterin", "experte", "expertin", "analyst", "analystin", "beobachter", "beobachterin",
    "anwalt", "anwältin", "aktivist", "aktivistin", "funktionär", "funktionärin", "ökonom",
    "ökonomin", "staatsoberhaupt", "oberhaupt", "papst", "führer", "vize", "sekretär", "manager",
    "managerin", "virologe", "virologin", "epidemiologe", "epidemiologin", "mediziner", "medizinerin",
    "arzt", "ärztin", "professor", "professorin", "forscher", "forscherin", "wissenschaftler",
    "wissenschaftlerin", "kommissar", "landrat", "landrätin", "geschäftsführer", "geschäftsführerin",
    "redner", "rednerin", "autor", "autorin", "polizist", "polizistin", "beamter", "beamtin", "richter",
    "richterin", "teilnehmer", "teilnehmerin", "vorstand", "vorständin", "intendant", "intendantin",
    "verhandlungsführer", "verhandlungsführerin", "stellvertreter", "stellvertreterin", "vater", "mutter",
    "sohn", "tochter", "bruder", "schwester", "ehefrau", "ehemann", "witwe", "witwer",
)
_POSSESSIVES = frozenset("sein seine seines seinem seinen seiner ihr ihre ihres ihrem ihren ihrer".split())
_RELATIONS = frozenset("vater mutter sohn tochter bruder schwester ehefrau ehemann frau mann witwe witwer "
                       "anwalt anwältin sprecher sprecherin berater beraterin arzt ärztin kollege kollegin "
                       "freund freundin nachbar nachbarin chef chefin".split())
_SPOKES = ("sprecher", "sprecherin", "vertreter", "vertreterin")
_ORG_SUFFIXES = (
    "regierung", "ministerium", "behörde", "amt", "kreml", "polizei", "staatsanwaltschaft", "agentur",
    "zeitung", "sender", "fernsehen", "medium", "medien", "führung", "partei", "kommission", "rat",
    "gericht", "armee", "militär", "verband", "konzern", "kreis", "kreise", "quelle", "bündnis",
    "organisation", "verwaltung", "gewerkschaft", "unternehmen", "blatt", "magazin", "portal",
    "betrieb", "museum", "stadt", "gemeinde", "firma", "hersteller", "verband", "verbands", "institut",
    "register", "klinik", "kliniken", "klinikum", "krankenhaus", "senat", "zentrum", "gesellschaft",
    "stiftung", "universität", "dienst",
)
_DOC_SUFFIXES = (
    "erklärung", "mitteilung", "stellungnahme", "bericht", "kommuniqué", "kommunique", "dokument",
    "papier", "schreiben", "brief", "resolution", "studie", "analyse", "umfrage", "protokoll",
    "wortlaut", "beschluss", "statement", "communiqué", "text",
)

_AUX_STARTERS = frozenset("hat hatte hatten haben habe hätte sei ist war wird wurde werde".split())

# --------------------------------------------------------------------------------------------------
# Direct quotes

_QUOTE_CHAR_RE = re.compile("[„“”\"»«‚‘’‹›]")
_PARA_RE = re.compile(r"\n[ \t\r\f\v]*\n")
_OPENERS = {
    "„": "“”\"",
    "\"": "\"“”",
    "“": "”\"",
    "”": "”",
    "»": "«",
    "«": "»",
    "‚": "‘’",
    "‘": "’",
    "‹": "›",
    "›": "‹",
}
_CLOSERS = "“”\"«»‘’›‹"
_BOUNDARY_BEFORE = set(" \t\n\r([{–—-/:;,") | set("„“”\"»«‚‘’‹›")


def _find_direct(text: str, para_starts: list[int]) -> list[tuple[int, int]]:
    """(open, close) positions of the outermost direct quotes of ``text``."""
    n = len(text)
    cands: list[tuple[int, str, bool, bool]] = []
    for m in _QUOTE_CHAR_RE.finditer(text):
        i = m.start()
        ch = text[i]
        prev = text[i - 1] if i > 0 else " "
        nxt = text[i + 1] if i + 1 < n else " "
        can_open = ch in _OPENERS and not nxt.isspace() and nxt not in ",.;:!?"
        if can_open and ch not in "„":
            can_open = i == 0 or prev in _BOUNDARY_BEFORE
        can_close = ch in _CLOSERS and i > 0 and not prev.isspace() and not nxt.isalnum()
        if ch in "‘’" and prev.isalnum() and nxt.isalpha():
            can_close = False  # apostrophe inside a word
        cands.append((i, ch, can_open, can_close))
    k = len(cands)
    if k < 2:
        return []
    # next closing candidate of each character, from each index on (linear: one pass right to left)
    nexts: dict[str, list[int]] = {c: [k] * (k + 1) for c in _CLOSERS}
    for idx in range(k - 1, -1, -1):
        for c, arr in nexts.items():
            arr[idx] = arr[idx + 1]
        pos, ch, _, cc = cands[idx]
        if cc:
            nexts[ch][idx] = idx
    found: list[tuple[int, int]] = []
    i = 0
    while i < k:
        pos, ch, co, _ = cands[i]
        if co:
            j = min(nexts[c][i + 1] for c in _OPENERS[ch])
            if j < k and bisect_right(para_starts, cands[j][0]) == bisect_right(para_starts, pos):
                found.append((pos, cands[j][0]))
                i = j + 1
                continue
        i += 1
    return found


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_verb(tok: Token, first: bool = False) -> bool:
    low = tok.text.lower()
    if low in _AUX or low in _KONJ:
        return True
    if not (tok.text[:1].islower() or first) or low in _NOT_VERB:
        return False
    lem = tok.lemma
    return len(lem) >= 5 and lem.islower() and lem.endswith(("en", "ern", "eln"))


def _is_konj(tokens: list[Token], i: int) -> bool:
    tok = tokens[i]
    if not _konj_form(tok.text, tok.lemma):
        return False
    return not (i > 0 and tokens[i - 1].text.lower() in ("ich", "ihr"))  # first person: indicative "ich habe"


def _konj_flags(tokens: list[Token]) -> list[bool]:
    """``_is_konj`` of every token of a unit (computed once; the unit's cues and its reported speech read it)."""
    flags = []
    prev = None
    for tok in tokens:
        flags.append(_konj_form(tok.text, tok.lemma) and not (prev is not None and prev.text.lower() in ("ich", "ihr")))
        prev = tok
    return flags


@memoised(maxsize=100_000)
def _konj_form(text: str, lem: str) -> bool:
    low = text.lower()
    if low in _KONJ:
        return True
    if not text[:1].islower() or not low.endswith("e") or low in _NOT_VERB:
        return False
    if not lem.islower() or len(lem) < 5:
        return False
    if lem.endswith(("ern", "eln")):
        return low in (lem[:-1] + "e", lem[:-3] + lem[-2] + "e")  # "ändere", "verhandle"
    return lem.endswith("en") and low == lem[:-1]


# --------------------------------------------------------------------------------------------------
# Candidates (speaker phrases)


@dataclass
class _Cand:
    first: int  # token index of the phrase start (determiner, adjectives included)
    head: int  # token index of the head word (last token of a name)
    last: int  # token index of the phrase end (genitive, apposition included)
    kind: str  # "mention", "pron", "role", "org", "doc"
    mention: Mention | None = None  # the mention it names (own or apposition)
    genitive: Mention | None = None  # "Sprecher des Ministeriums", "Putins Berater"
    head_lemma: str = ""
    adjectives: tuple[str, ...] = ()
    after_prep: bool = False
    definite: bool = False


@dataclass
class _Speaker:
    name: str | None
    key: str | None
    start: int | None
    end: int | None
    is_per: bool = False


@dataclass
class _Cue:
    index: int  # token index of the cue word
    verb: str
    frame: bool  # "so", "laut", "zufolge", "nach Angaben", "wie … sagte", "heißt es"
    konj: bool = False
    subject: _Cand | None = None
    seg: int = 0
    special: str = ""  # "zitieren"
    object_: _Cand | None = None
    speaker: _Speaker | None = None
    particle: int = -1  # token index of a separable particle ("mit" of "teilte … mit")
    passive: bool = False  # "wird … beschrieben": the subject is what is said, not who says it


@dataclass
class _Unit:
    start: int
    end: int
    sent_start: int
    tokens: list[Token] = field(default_factory=list)  # outside accepted quotes; quotes as "\x00Q"
    quotes: list[tuple[int, int, int, int]] = field(default_factory=list)  # open, close, start, end
    para: int = 0


def _noun_kind(tok: Token) -> str:
    if not tok.text[:1].isupper():
        return ""
    return _noun_kind_of(tok.text, tok.lemma)


@memoised(maxsize=100_000)
def _noun_kind_of(text: str, lemma: str) -> str:
    low = lemma.lower()
    word = text.lower()
    for w in (low, word):
        if w.endswith(_ROLE_SUFFIXES):
            return "role"
    for w in (low, word):
        if w.endswith(_DOC_SUFFIXES):
            return "doc"
    for w in (low, word):
        if w.endswith(_ORG_SUFFIXES):
            return "org"
    return ""


def _adj_stem(word: str) -> str:
    w = word.lower()
    for suf in ("en", "er", "es", "em", "e"):
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            return w[: -len(suf)]
    return w


_NAME_TOKEN = re.compile(r"^[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?$")


def _untagged_name(tokens: list[Token], i: int, by_tok: dict) -> int:
    """A proper name the entity tagger missed, in a position only a speaker takes: right after a speech
    verb or frame word and closing the clause ("…, sagte Albrecht.", "so Görlitz.", "Laut Norvest sollen …").
    Returns the index of its last token, or -1."""
    if i == 0 or not tokens[i].text[:1].isupper() or not _NAME_TOKEN.match(tokens[i].text):
        return -1
    prev = tokens[i - 1]
    pl = prev.text.lower()
    if _noun_kind(prev) == "role":
        # "Kriminal-Hauptkommissar Michael Fritsch", "Gesundheitspolitikerin Catherina Pieroth": a first
        # and a last name after a role noun, then a verb, a preposition or the end of the clause
        b = i + 1
        if b >= len(tokens) or b in by_tok or not _NAME_TOKEN.match(tokens[b].text):
            return -1
        after = tokens[b + 1].text if b + 1 < len(tokens) else "."
        return b if after in (".", ",", "!", "?", ";", ":", "(") or after[:1].islower() else -1
    if pl in ("laut", "so"):
        pass
    elif prev.text[:1].islower() and (prev.lemma.lower() in SPEECH_VERBS or pl in _SPEECH_FORMS):
        pass
    else:
        return -1
    b = i
    while b + 1 < len(tokens) and b - i < 2 and b + 1 not in by_tok and _NAME_TOKEN.match(tokens[b + 1].text):
        b += 1
    after = tokens[b + 1].text if b + 1 < len(tokens) else "."
    if pl == "laut":
        # "Laut Norvest sollen …": a verb follows the name
        return b if after[:1].islower() else -1
    return b if after in (".", ",", "!", "?", ";", ":") or after.lower() in ("am", "im", "in", "auf", "bei", "gegenüber", "weiter", "mit") else -1


_SPEECH_FORMS = frozenset("sagte sagt erklärte betonte berichtete teilte fügte warnte kritisierte".split())


def _candidates(tokens: list[Token], mentions: list[Mention], mstarts: list[int],
                acronyms: dict[str, str] | None = None) -> list[_Cand]:
    """Speaker candidates of one unit's tokens, in order."""
    if not tokens:
        return []
    lo, hi = tokens[0].start, tokens[-1].end
    tok_starts = [t.start for t in tokens]
    # mentions of the unit -> token ranges
    by_tok: dict[int, tuple[int, Mention]] = {}
    j = bisect_left(mstarts, lo)
    # a mention may start a little before lo only if it overlaps; tokens start at or after lo
    while j < len(mentions) and mentions[j].start < hi:
        m = mentions[j]
        j += 1
        if m.kind is MentionKind.DEMONYM:
            continue
        a = bisect_left(tok_starts, m.start)
        b = bisect_left(tok_starts, m.end) - 1
        if a <= b and a not in by_tok and tokens[a].text != "\x00Q":
            by_tok[a] = (b, m)
    raw: list[_Cand] = []
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if i in by_tok:
            b, m = by_tok[i]
            rest = tokens[b].text[m.end - tokens[b].start:] if m.end < tokens[b].end else ""
            if m.type is not EntityType.PER and rest.startswith("-") and _noun_kind(
                    Token(rest[1:], 0, 0, rest[1:])) == "role":
                # "SPD-Generalsekretär", "Stiko-Vorsitzende": a role of the body, not the body itself
                raw.append(_Cand(i, b, b, "role", genitive=m, head_lemma=rest[1:].lower()))
            else:
                raw.append(_Cand(i, b, b, "mention", mention=m))
            i = b + 1
            continue
        low = tok.text.lower()
        if low in ("er", "sie") or low in ("ihm", "ihnen") and i > 0 and tokens[i - 1].text.lower() == "laut":
            raw.append(_Cand(i, i, i, "pron"))
        else:
            capital = tok.text[:1].isupper()  # nouns and untagged names are capitalised (both tests need it)
            kind = _noun_kind(tok) if capital else ""
            if kind:
                raw.append(_Cand(i, i, i, kind, head_lemma=tok.lemma.lower()))
            elif acronyms and tok.text in acronyms:
                # "GdP" after "Die Gewerkschaft der Polizei (GdP)": a body the tagger missed
                name = acronyms[tok.text]
                m = Mention(tok.start, tok.end, tok.text, EntityType.ORG, "ORG:" + name.lower(), name)
                raw.append(_Cand(i, i, i, "mention", mention=m))
            else:
                b = _untagged_name(tokens, i, by_tok) if capital else -1
                if b >= i:
                    m = Mention(tok.start, tokens[b].end, " ".join(t.text for t in tokens[i:b + 1]),
                                EntityType.PER, "PER:" + " ".join(t.text for t in tokens[i:b + 1]).lower(),
                                " ".join(t.text for t in tokens[i:b + 1]))
                    raw.append(_Cand(i, b, b, "mention", mention=m))
                    i = b + 1
                    continue
        i += 1

    out: list[_Cand] = []
    skip: set[int] = set()
    for ci, c in enumerate(raw):
        if ci in skip:
            continue
        if c.kind in ("role", "org", "doc"):
            # walk back over adjectives, determiners and a genitive name ("Putins außenpolitischer Berater")
            f = c.head
            adjs: list[str] = []
            while f > 0:
                prev = tokens[f - 1]
                pl = prev.text.lower()
                if pl in _DETERMINERS:
                    f -= 1
                    c.definite = pl in ("der", "die", "das", "dem", "den", "des")
                    break
                if prev.text.isalpha() and prev.text[:1].islower() and pl.endswith(("e", "en", "er", "es", "em")) \
                        and pl not in _PREPOSITIONS and pl not in _AUX and pl not in _KONJ and len(pl) > 3 \
                        and not prev.lemma.endswith(("en", "ern", "eln")):
                    adjs.append(_adj_stem(pl))
                    f -= 1
                    continue
                if out and out[-1].kind == "mention" and out[-1].head == f - 1 and out[-1].mention is not None:
                    gm = out[-1].mention
                    if gm.text.endswith(("s", "’", "'")) or gm.type is not EntityType.PER:
                        c.genitive = gm
                        f = out[-1].first
                        out.pop()
                        # a determiner before the genitive name belongs to the phrase too
                        if f > 0 and tokens[f - 1].text.lower() in _DETERMINERS:
                            f -= 1
                break
            c.first = f
            c.adjectives = tuple(adjs)
            # look ahead: a name next to it, a genitive, an apposition
            k = ci + 1
            cur = c.head
            gen_ok = True
            while k < len(raw):
                nx = raw[k]
                gap = [t.text.lower() for t in tokens[cur + 1 : nx.first]]
                if nx.kind == "mention" and nx.mention is not None:
                    mt = nx.mention.type
                    if not gap and (c.kind != "role" or mt is EntityType.PER or c.head_lemma.endswith(_SPOKES)):
                        # "Berater Uschakow", "Nachrichtenagentur Xinhua"
                        c.mention = nx.mention
                        c.last = nx.last
                        skip.add(k)
                        break
                    if gap == [","] and mt is EntityType.PER and c.kind == "role":
                        c.mention = nx.mention
                        c.last = nx.last
                        skip.add(k)
                        break
                    if gen_ok and gap and gap[0] in ("des", "der", "von", "vom") and len(gap) <= 3 \
                            and all(g in _DETERMINERS or g.isalpha() and g.islower() for g in gap):
                        c.genitive = nx.mention
                        c.last = nx.last
                        cur = nx.last
                        gen_ok = False
                        skip.add(k)
                        k += 1
                        continue
                    # apposition a little further: "der Vertreter des Amtes in Moskau, Juri Uschakow,"
                    if c.kind == "role" and mt is EntityType.PER and nx.first - c.head <= 9 \
                            and tokens[nx.first - 1].text == "," \
                            and not any(g in _SUBORDINATORS or g == "\x00q" for g in gap):
                        c.mention = nx.mention
                        c.last = nx.last
                        skip.add(k)
                    break
                if nx.kind in ("org", "doc", "role") and gen_ok and gap and gap[0] in ("des", "der") and len(gap) <= 3:
                    c.last = nx.head  # "Sprecher des Ministeriums" without a mention
                    cur = nx.head
                    gen_ok = False
                    skip.add(k)
                    k += 1
                    continue
                break
        out.append(c)
    for c in out:
        f = c.first
        if c.kind == "mention" and f > 0 and tokens[f - 1].text.lower() in _DETERMINERS:
            f -= 1
            c.first = f
        c.after_prep = f > 0 and tokens[f - 1].text.lower() in _PREPOSITIONS
    return out


# --------------------------------------------------------------------------------------------------
# Resolution


class _Resolver:
    def __init__(self, text: str, mentions: list[Mention], tokens: list[Token]):
        self.text = text
        self.refs = Referents(text, tokens, mentions)
        self.recent: _Speaker | None = None  # the speaker of the last statement found
        self.per = [m for m in mentions if m.type is EntityType.PER and m.kind is MentionKind.NAME]
        self.per_starts = [m.start for m in self.per]
        self.org = [m for m in mentions if m.type is EntityType.ORG and m.kind is MentionKind.NAME]
        self.org_starts = [m.start for m in self.org]

    def _phrase(self, tokens: list[Token], c: _Cand) -> tuple[str, int, int]:
        f = c.first
        if tokens[f].text.lower() in _DETERMINERS and f < c.last:
            f += 1
        start, end = tokens[f].start, tokens[c.last].end
        return self.text[start:end], start, end

    def resolve(self, tokens: list[Token], c: _Cand) -> _Speaker:
        phrase, ps, pe = self._phrase(tokens, c)
        if c.mention is not None:
            m = c.mention
            return _Speaker(self.refs.display(m), m.key, ps, pe, m.type is EntityType.PER)
        if c.kind == "pron":
            low = tokens[c.head].text.lower()
            gender = "m" if low in ("er", "ihm") else "f" if low == "sie" else None
            m = self.refs.person(ps, gender)
            if m is not None:
                return _Speaker(m.name, m.key, ps, pe, True)
            if self.recent is not None:
                return _Speaker(self.recent.name, self.recent.key, ps, pe, self.recent.is_per)
            return _Speaker(None, None, ps, pe, True)
        if c.kind == "role":
            if c.head_lemma.endswith(_SPOKES):
                if c.genitive is not None:
                    g = c.genitive
                    return _Speaker(self.refs.display(g), g.key, ps, pe, g.type is EntityType.PER)
                if c.last > c.head:  # "Sprecher des Ministeriums": an organisation noun without a name
                    r = self.refs.organisation(tokens[c.last].lemma.lower(), ps)
                    if r is not None:
                        return _Speaker(r.name, r.key, ps, pe)
                    return _Speaker(self.text[tokens[c.last].start : tokens[c.last].end], None, ps, pe)
                r = self.refs.organisation_near(ps)  # "teilte eine Sprecherin mit": of the body just named
                if r is not None:
                    return _Speaker(r.name, r.key, ps, pe)
            det = tokens[c.first].text.lower() if c.first < c.head else ""
            if det in _POSSESSIVES and c.head_lemma in _RELATIONS:
                # "ihr Vater" -> "Vater von Kassidi Kurill": an unnamed person by their relation to one named
                owner = self.refs.person(ps, "f" if det.startswith("ihr") else "m")
                if owner is not None:
                    return _Speaker(f"{tokens[c.head].text} von {owner.name}", None, ps, pe, True)
            m = self._role_match(c, ps)
            if m is not None:
                return _Speaker(m.name, m.key, ps, pe, True)
            return _Speaker(phrase, None, ps, pe, True)
        if c.kind == "org":
            r = self.refs.organisation(c.head_lemma, ps + 1)
            if r is not None and (r.start < ps or r.end <= pe):
                return _Speaker(r.name, r.key, ps, pe)
            if c.genitive is not None:
                return _Speaker(self.refs.display(c.genitive), c.genitive.key, ps, pe)
        return _Speaker(phrase, None, ps, pe)

    @staticmethod
    def _nearest(ms: list[Mention], starts: list[int], pos: int, ok) -> Mention | None:
        j = bisect_left(starts, pos) - 1
        while j >= 0:
            if ms[j].end <= pos and ok(ms[j]):
                return ms[j]
            j -= 1
        return None

    def _role_match(self, c: _Cand, pos: int) -> Mention | None:
        head = c.head_lemma
        stem = head[:-2] if head.endswith("in") and not head.endswith("ein") else head
        best: dict[str, tuple[int, Mention]] = {}
        j = bisect_left(self.per_starts, pos) - 1
        seen = 0
        while j >= 0 and seen < 200:
            m = self.per[j]
            j -= 1
            if m.end > pos:
                continue
            seen += 1
            ctx = self.text[max(0, m.start - 60) : m.start]
            cut = max(ctx.rfind(". "), ctx.rfind("! "), ctx.rfind("? "), ctx.rfind("\n"), ctx.rfind(","))
            ctx = ctx[cut + 1 :].lower()  # the words right before the name, in its own clause
            role = (m.role or "").lower()
            has_role = stem in role or stem in ctx
            if not has_role:
                score = 0
            elif c.adjectives and all(a in ctx or a in role for a in c.adjectives):
                score = 2
            else:
                score = 1
            key = m.key
            # per entity: its best score; nearest mention of the entity decides distance
            if key not in best:
                best[key] = (score, m)
            elif score > best[key][0]:
                best[key] = (score, best[key][1])
        if not best:
            return None
        top = max(s for s, _ in best.values())
        if top == 0:
            if not c.definite:
                return None
            top_ms = [m for s, m in best.values()]
            m = max(top_ms, key=lambda m: m.start)
            return m if pos - m.end < 1500 else None
        return max((m for s, m in best.values() if s == top), key=lambda m: m.start)


# --------------------------------------------------------------------------------------------------
# Units and cues


def _segments(tokens: list[Token]) -> list[int]:
    """Segment number of each token (a new segment after each clause punctuation or quote block)."""
    seg = []
    s = 0
    for t in tokens:
        if t.text in _CLAUSE_PUNCT or t.text == "\x00Q":
            s += 1
            seg.append(s)
            s += 1
            continue
        seg.append(s)
    return seg


def _subject(tokens: list[Token], segs: list[int], cands: list[_Cand], idx: int) -> _Cand | None:
    """Subject of the (speech) verb at token ``idx``, by German word order."""
    sg = segs[idx]
    s = idx
    while s > 0 and segs[s - 1] == sg:
        s -= 1
    e = idx
    while e + 1 < len(tokens) and segs[e + 1] == sg:
        e += 1
    anchor = idx
    low = tokens[idx].text.lower()
    if low.endswith(("t", "en")):
        for a in range(s, idx):
            if tokens[a].text.lower() in _AUX:
                anchor = a
                break
    in_seg = [c for c in cands if c.first >= s and c.head <= e and not c.after_prep]
    first_word = tokens[s].text.lower()
    if first_word in _SUBORDINATORS:
        before = [c for c in in_seg if c.last < idx]
        return before[0] if before else None
    lead = s
    while lead < anchor and tokens[lead].text.lower() in _FILLERS:
        lead += 1
    for c in in_seg:
        if c.first <= lead and c.last < anchor:
            return c
        if c.first <= lead + 2 and c.last < anchor and c.kind in ("mention", "role") \
                and all(t.text.isalpha() and t.text.lower().endswith(("e", "en", "er", "es")) for t in tokens[lead : c.first]):
            return c  # "Stellvertretende Regierungssprecherin Ulrike Demmer sagte"
    for c in in_seg:
        if c.first > anchor and c.first - anchor <= 8:
            return c
    if s == lead and s > 0 and tokens[s - 1].text == ",":
        # "Renate Schuster, Präsidentin des Verbands, sagte": the phrase opening the sentence, closed by the
        # comma of an apposition or relative clause, is the subject of a verb that opens its own segment
        k = 0
        while k < s and tokens[k].text.lower() in _FILLERS:
            k += 1
        for c in cands:
            if c.first == k and c.kind in ("mention", "role", "pron") and c.last + 1 < s \
                    and tokens[c.last + 1].text == "," and not c.after_prep:
                return c
    return _raw_subject(tokens, lead, anchor)


def _raw_subject(tokens: list[Token], lead: int, anchor: int) -> _Cand | None:
    """An unknown noun phrase before the verb ("Die Opposition betont") as a raw speaker."""
    if anchor - lead > 5 or anchor <= lead:
        return None
    end = anchor - 1
    while end >= lead and tokens[end].text.lower() in _FILLERS:
        end -= 1
    if end < lead:
        return None
    words = tokens[lead : end + 1]
    if words[0].text.lower() in _PREPOSITIONS or not words[-1].text[:1].isupper():
        return None
    if len(words) == 1 and (words[0].text.lower() in _INDEFINITES or words[0].text.lower().endswith(("orts", "weise", "mals"))):
        return None  # "Einige verweisen …", "Mancherorts berichteten …": no one in particular
    if not all(t.text.isalpha() or "-" in t.text for t in words):
        return None
    return _Cand(lead, end, end, "raw")


_SO_BLOCK = frozenset("dass wie viel viele weit lange genannte genannten sehr etwas ist sei wird hat war bald oft".split())


# What a token must be for ``_find_cues`` to make a cue of it (the fast path skips every other token unless it
# follows a comma or a quote, where ``_inverted_attribution`` looks at any verb): the frame words, by their
# lower-cased form, and the lemmas of the speech-verb branches.
_CUE_WORDS = frozenset({"so", "demnach", "demzufolge", "laut", "zufolge", "nach"})
_CUE_LEMMAS = frozenset({"heißen", *_SEPARABLE, *SPEECH_VERBS, *ATTITUDE_VERBS})


def _find_cues(tokens: list[Token], segs: list[int], cands: list[_Cand],
               konj: list[bool] | None = None) -> list[_Cue]:
    cues: list[_Cue] = []
    n = len(tokens)
    by_first = {c.first: c for c in cands}
    by_last = {c.last: c for c in cands}
    if konj is None:
        konj = _konj_flags(tokens)
    konj_segs = {segs[i] for i in range(n) if konj[i]}
    for i, tok in enumerate(tokens):
        low = tok.text.lower()
        lem = tok.lemma.lower()
        if low not in _CUE_WORDS and lem not in _CUE_LEMMAS and (i < 2 or tokens[i - 1].text not in (",", "\x00Q")):
            continue  # fast path: no frame word, no speech verb lemma, no verb-first clause after a comma or quote
        if low == "\x00q":
            continue
        prev = tokens[i - 1].text.lower() if i > 0 else ""
        # frames
        if low == "so" and (i == 0 or prev in (",", "\x00q", "–", "—")):
            nxt = tokens[i + 1].text.lower() if i + 1 < n else ""
            c = by_first.get(i + 1)
            if c is not None and nxt not in _SO_BLOCK:
                cues.append(_Cue(i, "so", True, subject=c, seg=segs[i]))
            continue
        if low in ("demnach", "demzufolge") and i > 0:
            # "130 Infizierte sind demnach gestorben": according to the source just named
            cues.append(_Cue(i, low, True, seg=segs[i], special="demnach"))
            continue
        if low == "laut" and i + 1 < n:
            c = by_first.get(i + 1)
            if c is None and i in by_first and by_first[i].kind == "mention" and by_first[i].last > i:
                c = by_first[i]  # a tagger that took "Laut" into the name
            if c is None and tokens[i + 1].text.lower() in _DETERMINERS:
                # "laut der seravischen Regierung": the phrase after the article and adjectives
                k = i + 2
                while k < n and k <= i + 4 and tokens[k].text[:1].islower() and tokens[k].text.isalpha():
                    k += 1
                c = by_first.get(k) or next((cc for cc in cands if cc.first <= k <= cc.last), None)
            if c is not None:
                c.after_prep = True
                cues.append(_Cue(i, "laut", True, subject=c, seg=segs[i]))
            continue
        if low == "zufolge" and i > 0:
            c = by_last.get(i - 1)
            if c is None:
                # "chinesischen Staatsmedien zufolge": the noun before
                for cc in cands:
                    if cc.last == i - 1:
                        c = cc
            if c is not None:
                cues.append(_Cue(i, "zufolge", True, subject=c, seg=segs[i]))
            continue
        if low == "nach" and i + 1 < n:
            k = i + 1
            while k < n and k - i <= 3 and tokens[k].text[:1].islower() and tokens[k].text.isalpha():
                k += 1
            if k < n and tokens[k].text in ("Angaben", "Informationen", "Worten", "Darstellung", "Schätzung",
                                            "Schätzungen", "Berechnungen", "Einschätzung", "Auskunft"):
                k += 1
                if k < n and tokens[k].text.lower() in ("von", "vom", "des", "der", "seines", "ihres",
                                                        "seiner", "ihrer", "eines", "einer", "aus"):
                    c = by_first.get(k) or by_first.get(k + 1)
                    if c is not None:
                        c.after_prep = True
                        cues.append(_Cue(i, "nach Angaben", True, subject=c, seg=segs[i]))
                continue
            if k < n and tokens[k].text.lower().endswith("angaben") and len(tokens[k].text) > 9:
                c = next((cc for cc in cands if cc.first <= k <= cc.last), None)
                cue = _Cue(i, "nach Angaben", True, subject=c, seg=segs[i])
                if c is None:
                    t = tokens[k]
                    raw = t.text[: -len("angaben")].rstrip("-")  # "nach Behördenangaben", "nach Polizei-Angaben"
                    cue.speaker = _Speaker(raw, None, t.start, t.start + len(raw))
                cues.append(cue)
            continue
        if lem == "heißen" and (low in ("heißt", "hieß", "hiess", "heiße") and
                                (i + 1 < n and tokens[i + 1].text.lower() == "es" or prev == "es")):
            cue = _Cue(i, "heißen", True, seg=segs[i])
            k = i + 1 if prev == "es" else i + 2
            while k < n and k <= i + 4 and tokens[k].text.lower() not in ("in", "aus", "im", "von", "darin", "dort"):
                k += 1
            if k < n and k <= i + 4:
                w = tokens[k].text.lower()
                if w in ("darin", "dort"):
                    cue.special = "darin"
                else:
                    c = by_first.get(k + 1)
                    if c is not None:
                        c.after_prep = True
                        cue.subject = c
            cues.append(cue)
            continue
        # speech verbs
        if not tok.text.isalpha() or (tok.text[:1].isupper() and i > 0 and prev not in (",", "\x00q")):
            continue
        verb = ""
        particle = -1
        if lem in _SEPARABLE:
            parts = _SEPARABLE[lem]
            k = i + 1
            while k < n and k - i <= 16:
                w = tokens[k].text.lower()
                if w in _SUBORDINATORS or w in (".", "!", "?", ";", ":"):
                    break
                if w in parts and (k + 1 >= n or not tokens[k + 1].text[:1].isalnum()):
                    verb = tokens[k].text.lower() + lem
                    particle = k
                    break
                k += 1
            if not verb and lem in SPEECH_VERBS:
                verb = lem
        elif lem in SPEECH_VERBS:
            verb = lem
        elif lem in ATTITUDE_VERBS and _konj1_complement(tokens, segs, i):
            verb = lem  # "rechnet damit, dass es Konflikte geben werde"
        if not verb and _inverted_attribution(tokens, segs, cands, i):
            verb = lem  # "<statement>, beruhigt Sprecher Nohe.": a verb-first clause closing the sentence
        if not verb:
            continue
        s0 = i
        while s0 > 0 and segs[s0 - 1] == segs[i]:
            s0 -= 1
        if s0 == 0 and tokens[0].text.lower() in _ADVERBIAL_SUBORDINATORS:
            continue  # "Ob die Kommission eine Impfung empfiehlt, ist offen": no attribution
        if s0 > 0 and tokens[s0 - 1].text == "," and tokens[s0].text.lower() in _RELATIVE \
                and (i + 1 >= n or segs[i + 1] != segs[i] or tokens[i + 1].text.lower() in _AUX):
            continue  # "Eine Reporterin, die über Ausschreitungen berichtet hatte, …": a relative clause
        subj = _subject(tokens, segs, cands, i)
        cue = _Cue(i, verb, False, konj=segs[i] in konj_segs, subject=subj, seg=segs[i], particle=particle)
        clause_end = i + 1 >= n or segs[i + 1] != segs[i] or tokens[i + 1].text in (".", "!", "?")
        if (low.startswith("ge") or clause_end) and low.endswith(("t", "en")) and any(
                tokens[k].text.lower() in _PASSIVE_AUX for k in range(s0, i)) \
                and not any(tokens[k].text.lower() in ("von", "vom") for k in range(s0, i)):
            cue.passive = True
            cue.subject = None
        s = i
        while s > 0 and segs[s - 1] == segs[i]:
            s -= 1
        if tokens[s].text.lower() == "wie":
            cue.frame = True
        if verb == "zitieren" and subj is not None:
            cue.special = "zitieren"
            for c in cands:
                if c is not subj and segs[c.first] == segs[i] and c.mention is not None \
                        and c.mention.type is EntityType.PER and not c.after_prep:
                    cue.object_ = c
                    break
        cues.append(cue)
    return cues


def _is_konj1(tokens: list[Token], i: int) -> bool:
    low = tokens[i].text.lower()
    if low in _KONJ1:
        return i == 0 or tokens[i - 1].text.lower() != "ich"
    return low not in _KONJ and _is_konj(tokens, i)


def _has_konj1(tokens: list[Token], konj: list[bool]) -> bool:
    """Whether ``_is_konj1`` holds for a token of the unit (quotes left out); ``konj``: its ``_konj_flags``."""
    for i, tok in enumerate(tokens):
        if tok.text == "\x00Q":
            continue
        low = tok.text.lower()
        if low in _KONJ1:
            if i == 0 or tokens[i - 1].text.lower() != "ich":
                return True
        elif konj[i] and low not in _KONJ:
            return True
    return False


def _konj1_complement(tokens: list[Token], segs: list[int], i: int) -> bool:
    """Whether the clause after the verb at ``i`` (after its own clause ends) holds a Konjunktiv I verb."""
    if _is_konj(tokens, i):
        return False
    sg = segs[i]
    k = i + 1
    while k < len(tokens) and segs[k] == sg:
        k += 1
    return any(_is_konj1(tokens, j) for j in range(k, min(len(tokens), k + 40)) if tokens[j].text != "\x00Q")


def _inverted_attribution(tokens: list[Token], segs: list[int], cands: list[_Cand], i: int) -> bool:
    """A finite verb opening the last clause of a sentence after a statement or quote, with a person right
    after it, is a speech verb whatever its lemma: "…, beruhigt Pressesprecher Nohe.", "„…“, erinnerte
    sich ihr Vater." (German puts the verb first only in such attributions, questions and conditionals)."""
    if i < 2 or tokens[i - 1].text not in (",", "\x00Q"):
        return False
    tok = tokens[i]
    low = tok.text.lower()
    if not tok.text[:1].islower() or low in _AUX or low in _KONJ or low in _NOT_VERB \
            or low in _SUBORDINATORS or low in _PREPOSITIONS or low in _DETERMINERS or low in _FILLERS:
        return False
    if not (low.endswith(("t", "te", "ten")) and tok.lemma.endswith(("en", "ern", "eln"))):
        return False
    # the clause runs to the end of the sentence
    sg = segs[i]
    k = i + 1
    while k < len(tokens) and segs[k] == sg:
        k += 1
    if any(t.text[:1].isalnum() for t in tokens[k:]):
        return False
    # what comes before is a statement: a quote or a clause of 3+ words
    if not any(t.text == "\x00Q" for t in tokens[i - 2 : i]) and sum(1 for t in tokens[:i] if t.text[:1].isalnum()) < 3:
        return False
    # a person (or a named source) right after the verb
    for c in cands:
        if i < c.first <= i + 3 and (c.kind in ("pron", "role") or c.kind == "mention"
                                     and c.mention is not None and c.mention.type in (EntityType.PER, EntityType.ORG)):
            return True
    return False


@dataclass
class _Attr:
    speaker: _Speaker | None
    channel: _Speaker | None
    verb: str
    cues: list[_Cue]
    speaker_cue: _Cue | None


def _attribute(cues: list[_Cue], tokens: list[Token], res: _Resolver, docs: list[_Speaker]) -> _Attr | None:
    if not cues:
        return None

    def spk(c: _Cue) -> _Speaker | None:
        if c.speaker is not None:
            return c.speaker
        if c.special == "darin":
            return docs[-1] if docs else None
        if c.special == "demnach":
            return res.recent
        if c.passive:
            c.speaker = res.recent  # no agent named: the source of the statements before
            return c.speaker
        if c.subject is None:
            return None
        c.speaker = res.resolve(tokens, c.subject)
        return c.speaker

    verbs = [c for c in cues if not c.frame]
    frames = [c for c in cues if c.frame]
    # a speech verb nobody is the subject of ("sind zum Streik aufgerufen", a participle) does not
    # outrank a frame that names its source ("Nach Angaben der Gewerkschaft sind … aufgerufen")
    if frames and any(spk(c) is not None for c in frames):
        verbs = [c for c in verbs if c.konj or spk(c) is not None or c.special]
    first: _Cue | None = None
    konj_verbs = [c for c in verbs if c.konj]
    if konj_verbs:
        first = konj_verbs[0]
    elif verbs:
        first = verbs[0]
    elif frames:
        pers = [c for c in frames if (s := spk(c)) is not None and s.is_per]
        first = pers[0] if pers else frames[0]
    assert first is not None
    speaker = spk(first)
    channel = None
    if first.special == "zitieren" and first.object_ is not None:
        channel = speaker
        speaker = res.resolve(tokens, first.object_)
    else:
        for c in cues:
            if c is first:
                continue
            s = spk(c)
            if s is not None and (speaker is None or s.key != speaker.key or s.key is None and s.name != speaker.name):
                channel = s
                break
    if channel is None and not first.frame:
        channel = _medium(tokens, first, res)
    return _Attr(speaker, channel, first.verb, cues, first)


#: Nouns for a medium that come before its name ("dem Sender Fox News", "den Zeitungen der Funke-Mediengruppe").
_MEDIA_NOUNS = frozenset(
    "sender zeitung zeitungen magazin blatt blog sendung nachrichtenagentur agentur portal fernsehsender "
    "radiosender nachrichtenmagazin wochenzeitung tageszeitung nachrichtensender onlineportal plattform".split())
#: What a medium's name tends to contain (a lexical class of German and international news media words).
_MEDIA_WORDS = ("zeitung", "post", "welt", "spiegel", "magazin", "focus", "news", "tv", "radio", "funk", "ard",
                "zdf", "agentur", "blatt", "presse", "times", "bild", "stern", "bbc", "cnn", "rundschau", "kurier",
                "anzeiger", "journal", "tagesschau", "morgenmagazin", "mediengruppe", "medien", "nachrichten",
                "twitter", "facebook", "instagram", "youtube", "telegram")
_PLATFORMS = {"twittern": "Twitter"}
_INTRO_NOUNS = frozenset("interview gespräch gastbeitrag beitrag artikel podcast talkshow sendung".split())


def _medium(tokens: list[Token], cue: _Cue, res: _Resolver) -> _Speaker | None:
    """Who relays a statement when the speech clause names it: "sagte Merkel der Süddeutschen Zeitung",
    "gegenüber dem Tagesspiegel", "in einem Interview mit dem Sender Fox News", "in einem Gastbeitrag im
    Focus", "auf Twitter", "twitterte"."""
    if cue.verb in _PLATFORMS:
        return _Speaker(_PLATFORMS[cue.verb], None, None, None)
    n = len(tokens)
    start = cue.index + 1
    if cue.subject is not None and cue.subject.first > cue.index:
        start = cue.subject.last + 1
    k = start
    while k < n and k - start < 14:
        w = tokens[k].text
        low = w.lower()
        if w in (".", ";", ":", "!", "?", "\x00Q") or (w == "," and k > start):
            break
        name = None
        if low == "gegenüber" or low == "auf" and k + 1 < n and tokens[k + 1].text.lower() in _MEDIA_WORDS:
            name = _medium_name(tokens, k + 1, strict=low == "auf")
        elif low in ("mit", "im", "für", "in", "bei") and any(
                tokens[j].text.lower() in _INTRO_NOUNS for j in range(max(start, k - 3), k + 1)):
            name = _medium_name(tokens, k + 1, strict=False)
        elif low in ("im",) and k + 1 < n:
            name = _medium_name(tokens, k + 1, strict=True)
        elif low in ("der", "dem", "den") and k == start:
            name = _medium_name(tokens, k, strict=True)
        if name:
            return _Speaker(name, None, None, None)
        k += 1
    return None


def _medium_name(tokens: list[Token], k: int, strict: bool) -> str | None:
    """The name of a medium from token ``k`` on: after an article and adjectives, after a media noun (and
    its genitive), in quotation marks or as capitalised words; ``strict``: it must look like a medium."""
    n = len(tokens)
    dative_fem = False
    while k < n and tokens[k].text.lower() in ("der", "dem", "den", "des", "einem", "einer", "das", "die", "„", "»", "\""):
        dative_fem = dative_fem or tokens[k].text.lower() == "der"
        k += 1
    while k < n and tokens[k].text[:1].islower() and tokens[k].text.isalpha() and tokens[k].text.lower().endswith(("en", "e", "es")) \
            and tokens[k].text.lower() not in _MEDIA_NOUNS:
        k += 1  # "das rechtskonservative Blog"
    media_noun = False
    if k < n and tokens[k].text.lower() in _MEDIA_NOUNS:
        media_noun = True
        k += 1
        if k < n and tokens[k].text.lower() in ("der", "des"):
            k += 1
            dative_fem = False
    words = []
    while k < n and len(words) < 4 and (tokens[k].text[:1].isupper() or tokens[k].text[:1].isdigit()) \
            and tokens[k].text not in ("\x00Q",) and tokens[k].text.replace("-", "").replace(".", "").isalnum():
        words.append(tokens[k].text)
        k += 1
    if not words:
        return None
    if strict and not media_noun and not any(w.lower().endswith(_MEDIA_WORDS) or w.lower().startswith(("ard", "zdf"))
                                             for w in words):
        return None
    if dative_fem and len(words) >= 2 and words[0].endswith("en"):
        words[0] = words[0][:-1]  # "der Süddeutschen Zeitung" -> "Süddeutsche Zeitung"
    return " ".join(words)


_STARTERS = frozenset("so wie laut heißt hieß es".split()) | _AUX_STARTERS


def _content_span(tokens: list[Token], segs: list[int], attr: _Attr) -> tuple[int, int] | None:
    """Token range [a, b) of the reported content: the unit minus leading/trailing attribution clauses."""
    n = len(tokens)
    a, b = 0, n
    # trailing attribution: a cue whose segment starts with a starter or the cue itself
    for c in sorted(attr.cues, key=lambda c: c.index):
        s = c.index
        while s > 0 and segs[s - 1] == segs[c.index]:
            s -= 1
        if s == 0:
            continue
        st = tokens[s].text.lower()
        if s == c.index or st in _STARTERS or (c.subject is not None and c.subject.first == s):
            # the attribution runs to the end of the last cue or subject after it
            end = s
            for c2 in attr.cues:
                if c2.index >= s:
                    end = max(end, c2.index, c2.particle, c2.subject.last if c2.subject is not None else 0)
            while end + 1 < n and segs[end + 1] == segs[end]:
                end += 1
            rest = [t for t in tokens[end + 1 :] if t.text[:1].isalnum()]
            if len(rest) <= 1:
                b = s
            else:
                b = n  # the attribution sits in the middle: keep the whole unit
            break
    # leading attribution: the first segment holds a speech verb (not an inline frame)
    lead = [c for c in attr.cues if (not c.frame or tokens[0].text.lower() == "wie") and c.index < b]
    for c in sorted(lead, key=lambda c: c.index):
        sg = segs[c.index]
        prior = [k for k in range(a, c.index) if segs[k] < sg and tokens[k].text not in _CLAUSE_PUNCT]
        if prior and c.subject is not None and c.subject.first <= prior[0] and c.subject.last < c.index \
                and tokens[c.subject.last + 1].text == ",":
            prior = []  # "Die NATO, der Seravien angehört, erklärte, …": subject and apposition lead
        if not prior:
            last = c.index
            if c.subject is not None:
                last = max(last, c.subject.last)
            end_seg = segs[last]
            k = last
            while k < b and segs[k] <= end_seg:
                k += 1
            rest = [t for t in tokens[k:b] if t.text[:1].isalnum()]
            if len(rest) < 2:
                break
            a = k
            while a < b and tokens[a].text in _CLAUSE_PUNCT:
                a += 1
        else:
            break
    # a frame opening the sentence is not part of what was said: "Laut X | kostet …", "Nach Angaben der Y | sind …"
    for c in attr.cues:
        if c.frame and c.index == a and c.verb in ("laut", "nach Angaben") and c.subject is not None:
            k = c.subject.last + 1
            if k < b and tokens[k].text[:1].islower() and tokens[k].text.isalpha():
                a = k
    while a < b and (tokens[a].text in _END_PUNCT or tokens[a].text in _CLAUSE_PUNCT):
        a += 1
    while b > a and (tokens[b - 1].text in _END_PUNCT or tokens[b - 1].text in _CLAUSE_PUNCT):
        b -= 1
    if b - a < 2:
        return None
    # an infinitive construction is reported speech only as the complement of a speech verb
    # ("rief auf, sich zu engagieren"; not "um ... zu schützen")
    last = tokens[b - 1].text.lower()
    sc = attr.speaker_cue
    if not (INFINITIVE_COMPLEMENTS and sc is not None and not sc.frame and sc.index < a) and not any(_is_konj(tokens, k) for k in range(n)) and (
            (b - 2 >= a and tokens[b - 2].text.lower() == "zu" and last.endswith("en"))
            or _ZU_INFINITIVE.match(last)):
        if not any(tokens[k].text.lower() in ("dass", "ob") for k in range(a, b)):
            return None
    return a, b


_ZU_INFINITIVE = re.compile(r"^(?:ab|an|auf|aus|bei|ein|fest|her|hin|los|mit|nach|vor|weg|weiter|zurück|zu|"
                            r"um|durch|über|unter|wieder|frei|bekannt|klar|statt|teil)zu[a-zäöüß]{3,}en$")


def _build_units(text: str, sentences: list[Sentence], quotes: list[tuple[int, int]],
                 para_starts: list[int]) -> list[_Unit]:
    units: list[_Unit] = []
    qi = 0
    for s in sentences:
        merge = False
        if units:
            u = units[-1]
            # a quote running over the boundary
            while qi < len(quotes) and quotes[qi][1] < u.start:
                qi += 1
            k = qi
            while k < len(quotes) and quotes[k][0] < u.end:
                if quotes[k][1] >= s.start:
                    merge = True
                    break
                k += 1
            first = text[s.start : s.start + 1]
            if not merge and first.islower() and \
                    bisect_right(para_starts, s.start) == bisect_right(para_starts, u.start):
                merge = True
        if merge:
            u = units[-1]
            u.end = max(u.end, s.end)
            u.tokens.extend(s.tokens)
        else:
            units.append(_Unit(s.start, s.end, s.start, list(s.tokens), para=bisect_right(para_starts, s.start)))
    return units


def _accept(text: str, toks: list[Token]) -> bool:
    words = [t for t in toks if t.text[:1].isalnum()]
    if not words:
        return False
    if len(words) > 3:
        return True
    return any(_is_verb(t, first=(i == 0)) for i, t in enumerate(words)) and (
        len(words) > 1 or text.rstrip()[-1:] in "!?."
    )


_SPLIT_GAP = re.compile(r"\s*[,–—]\s*\S.{0,80}?[,–—]\s*$", re.S)


def find_quotes(text: str, sentences: list[Sentence], mentions: list[Mention]) -> list[Quote]:
    """Direct quotes and reported speech of ``text``, attributed; sorted by start."""
    if not text:
        return []
    if not sentences:
        from newsloom.nlp.text import sentences as split

        sentences = split(text)
    para_starts = [m.end() for m in _PARA_RE.finditer(text)]
    raw_quotes = _find_direct(text, para_starts)
    mentions = sorted(mentions, key=lambda m: (m.start, m.end))
    mstarts = [m.start for m in mentions]
    # tokens of every sentence, for the verb test of quotes
    all_tokens = [t for s in sentences for t in s.tokens]
    res = _Resolver(text, mentions, all_tokens)
    tstarts = [t.start for t in all_tokens]

    # accept or reject the quotes
    accepted: list[tuple[int, int, int, int]] = []
    # short quoted words (scare quotes, titles, or a speaker's own words inside reported speech)
    fragments: list[tuple[int, int, int, int]] = []
    info = []
    for o, c in raw_quotes:
        a, b = _strip_span(text, o + 1, c)
        if a >= b:
            info.append(None)
            continue
        lo, hi = bisect_left(tstarts, a), bisect_left(tstarts, b)
        toks = [t for t in all_tokens[lo:hi] if t.end <= b]
        info.append((o, c, a, b, _accept(text[a:b], toks)))
    for i, q in enumerate(info):
        if q is None:
            continue
        o, c, a, b, ok = q
        if not ok:
            # one half of a split quote: „Wir“, sagte er, „kommen.“
            for j in (i - 1, i + 1):
                if 0 <= j < len(info) and info[j] is not None:
                    p, q2 = (info[j], q) if j < i else (q, info[j])
                    gap = text[p[1] + 1 : q2[0]]
                    if len(gap) < 90 and _SPLIT_GAP.match(gap) and "\n" not in gap:
                        ok = True
        if ok:
            accepted.append((o, c, a, b))
        else:
            fragments.append((o, c, a, b))

    units = _build_units(text, sentences, accepted, para_starts)
    # replace the accepted quotes in each unit by one placeholder token
    qi = 0
    for u in units:
        while qi < len(accepted) and accepted[qi][1] < u.start:
            qi += 1
        qs = []
        k = qi
        while k < len(accepted) and accepted[k][0] < u.end:
            qs.append(accepted[k])
            k += 1
        if not qs:
            continue
        u.quotes = qs
        new: list[Token] = []
        j = 0
        for t in u.tokens:
            while j < len(qs) and qs[j][1] < t.start:
                j += 1
            if j < len(qs) and qs[j][0] <= t.start <= qs[j][1]:
                if t.start == qs[j][0]:
                    new.append(Token("\x00Q", qs[j][0], qs[j][1] + 1, "\x00Q"))
                continue
            new.append(t)
        u.tokens = new

    out: list[Quote] = []
    unit_of_quote: list[tuple[int, int]] = []  # (para, unit index) of each direct quote in out
    docs: list[_Speaker] = []
    carry: _Attr | None = None
    last_by_para: dict[int, _Attr] = {}
    unit_attrs: list[_Attr | None] = []
    pending: list[int] = []  # indexes into out of direct quotes without a speaker

    recent_para: int | None = None
    for ui, u in enumerate(units):
        toks = u.tokens
        if out and out[-1].speaker:
            last = out[-1]
            res.recent = _Speaker(last.speaker, last.speaker_key, None, None,
                                  bool(last.speaker_key and last.speaker_key.startswith("PER:")))
            recent_para = unit_of_quote[-1][0]
        segs = _segments(toks)
        cands = _candidates(toks, mentions, mstarts, res.refs.acronyms)
        for c in cands:
            if c.kind == "doc":
                docs.append(res.resolve(toks, c))
        konj = _konj_flags(toks)
        cues = _find_cues(toks, segs, cands, konj)
        attr = _attribute(cues, toks, res, docs)
        unit_attrs.append(attr)
        has_konj = any(konj)  # the quote placeholder "\x00Q" is never a Konjunktiv
        if u.quotes:
            use = attr if attr is not None and attr.speaker is not None else None
            last_own: _Attr | None = None
            for o, c, a, b in u.quotes:
                own = _adjacent_attr(toks, o, attr, res) if attr is not None and len(attr.cues) > 1 else None
                q = _make(text, a, b, "direct", own or use)
                if own is not None:
                    last_own = own
                if use is None and own is None:
                    pending.append(len(out))
                out.append(q)
                unit_of_quote.append((u.para, ui))
            # a reported sentence that quotes some of the words: the sentence is an item of its own
            src = use if use is not None else (carry if has_konj else None)
            if src is not None:
                span = _content_span(toks, segs, use) if use is not None else _trim(toks, 0, len(toks))
                if span is not None:
                    a, b = span
                    content = toks[a:b]
                    own = [t for t in content if t.text != "\x00Q" and t.text[:1].isalpha()]
                    if len(own) >= 3 and (has_konj or any(t.text.lower() in ("dass", "ob") for t in content)):
                        out.append(_make(text, toks[a].start, toks[b - 1].end, "reported", src))
                        unit_of_quote.append((u.para, ui))
            if last_own is not None:
                use = last_own  # the one who spoke last goes on
            if use is not None:
                carry = _carry_of(use)
                last_by_para[u.para] = use
            continue
        if attr is not None and attr.speaker is not None:
            framed = any(c.frame for c in attr.cues)
            complement = any(any(segs[k] > segs[c.index] and toks[k].text[:1].isalnum() for k in range(c.index, len(toks)))
                             for c in attr.cues if not c.frame)
            # "<statement>, sagte X.": the speech clause closes the unit, the statement comes before it
            trailing = any(not c.frame and segs[c.index] > 0 and segs[c.index] == segs[-1]
                           and toks[0].text[:1].isupper()
                           and (c.subject is None or c.subject.first > c.index) for c in attr.cues)
            span = _content_span(toks, segs, attr)
            if len(toks) > 1 and toks[0].text.lower() in ("das", "dies", "so", "darauf") \
                    and any(c.index == 1 and not c.frame for c in attr.cues):
                span = None  # "Das sagte Spahn …": the words were reported before
            if span is not None and (has_konj or framed or complement or trailing):
                a, b = span
                out.append(_make(text, toks[a].start, toks[b - 1].end, "reported", attr))
                unit_of_quote.append((u.para, ui))
                last_by_para[u.para] = attr
            carry = _carry_of(attr)
            continue
        if attr is not None and attr.speaker_cue is not None and attr.speaker_cue.verb != "heißen":
            carry = None  # a new speaker we cannot name
            continue
        if attr is not None and attr.speaker_cue is not None and attr.speaker_cue.verb == "heißen":
            span = _content_span(toks, segs, attr)
            if span is not None:
                a, b = span
                out.append(_make(text, toks[a].start, toks[b - 1].end, "reported", attr))
                unit_of_quote.append((u.para, ui))
            carry = None
            continue
        if carry is None and res.recent is not None and recent_para is not None and u.para - recent_para <= 1 \
                and _has_konj1(toks, konj) \
                and toks[0].text.lower() not in _ADVERBIAL_SUBORDINATORS:
            # a Konjunktiv I sentence goes on with the last source's words, also after a sentence of narrative
            carry = _Attr(res.recent, None, "", [], None)
        if has_konj and carry is not None:
            a, b = 0, len(toks)
            while a < b and toks[a].text in _END_PUNCT:
                a += 1
            while b > a and toks[b - 1].text in _END_PUNCT:
                b -= 1
            if b - a >= 2:
                out.append(_make(text, toks[a].start, toks[b - 1].end, "reported", carry))
                unit_of_quote.append((u.para, ui))
                last_by_para[u.para] = carry
            continue
        if not has_konj:
            carry = None

    # direct quotes without speech clause: the speaker of the paragraph
    for qi in pending:
        para, ui = unit_of_quote[qi]
        src: _Attr | None = None
        q0 = out[qi]
        own = units[ui].tokens
        lead = [t for t in own if t.end <= q0.start]
        if len(lead) >= 2 and lead[-1].text == ":" or len(lead) >= 3 and lead[-2].text == ":":
            # "Jungbluth dazu: „…“": the clause before the colon names the speaker
            cut = len(lead) - (1 if lead[-1].text == ":" else 2)
            src = _colon_intro(_Unit(own[0].start, lead[cut].end, own[0].start, lead[: cut + 1]), None,
                               mentions, mstarts, res)
        if src is None and ui > 0 and units[ui - 1].tokens and units[ui - 1].tokens[-1].text == ":" \
                and not [k for k in range(qi) if unit_of_quote[k][1] == ui - 1]:
            # "Jungbluth dazu:", "So stellt das Bundesinstitut fest:": the clause that introduces the quote
            src = _colon_intro(units[ui - 1], unit_attrs[ui - 1], mentions, mstarts, res)
        if src is None and ui > 0 and units[ui - 1].para == para and unit_attrs[ui - 1] is not None \
                and unit_attrs[ui - 1].speaker is not None and unit_attrs[ui - 1].speaker.name \
                and unit_attrs[ui - 1].speaker_cue is not None and not unit_attrs[ui - 1].speaker_cue.frame:
            # "Mertens mahnte eine kluge Information an. „…“": the speech act just before
            prior = [k for k in range(qi) if unit_of_quote[k][1] == ui - 1]
            if not prior:
                src = unit_attrs[ui - 1]
        if src is None:
            for k in range(qi - 1, -1, -1):
                if unit_of_quote[k][0] != para:
                    break
                if out[k].speaker is not None:
                    src = _attr_of(out[k])
                    break
        if src is None:
            for k in range(ui + 1, len(units)):
                if units[k].para != para:
                    break
                if unit_attrs[k] is not None and unit_attrs[k].speaker is not None:
                    src = unit_attrs[k]
                    break
        if src is None:
            for k in range(qi - 1, -1, -1):
                if unit_of_quote[k][0] == para:
                    continue
                if unit_of_quote[k][0] == para - 1 and out[k].speaker is not None:
                    src = _attr_of(out[k])
                break
        if src is not None:
            q = out[qi]
            out[qi] = _make(text, q.start, q.end, "direct", src)
    out.extend(_fragments(text, fragments, out, unit_of_quote, units, unit_attrs, mentions, mstarts, res))
    out.sort(key=lambda q: (q.start, q.end))
    return _spread_channels(out)


def _adjacent_attr(tokens: list[Token], o: int, attr: _Attr, res: _Resolver) -> _Attr | None:
    """With several speech verbs in a sentence, the one right after a quote ("„…“, schreibt Heide") or
    right before it ("Heide schreibt: „…“") attributes that quote."""
    p = next((k for k, t in enumerate(tokens) if t.text == "\x00Q" and t.start == o), None)
    if p is None:
        return None
    for c in attr.cues:
        if c.frame or c.subject is None:
            continue
        after = c.index == p + 2 and tokens[p + 1].text == "," or c.index == p + 1
        before = p >= 1 and tokens[p - 1].text == ":" and c.index < p - 1 and not any(
            t.text in (".", "\x00Q", ";") for t in tokens[c.index : p - 1])
        if after or before:
            sp = c.speaker or res.resolve(tokens, c.subject)
            c.speaker = sp
            if sp is not None and sp.name and sp is not attr.speaker:
                return _Attr(sp, _medium(tokens, c, res), c.verb, [c], c)
    return None


def _colon_intro(unit: _Unit, attr: _Attr | None, mentions: list[Mention], mstarts: list[int],
                 res: _Resolver) -> _Attr | None:
    """The speaker of a clause ending in a colon: its speech verb's subject, else its first person, body or
    pronoun ("Jungbluth dazu:", "Weiter heißt es vom Bundesinstitut:")."""
    if attr is not None and attr.speaker is not None and attr.speaker.name:
        return attr
    for c in _candidates(unit.tokens, mentions, mstarts, res.refs.acronyms):
        if c.kind in ("mention", "role", "org", "pron"):
            sp = res.resolve(unit.tokens, c)
            if sp.name:
                return _Attr(sp, None, "", [], None)
    return None


def _spread_channels(quotes: list[Quote]) -> list[Quote]:
    """An interview or a guest article relays all its speaker's words: once a speaker's medium is named
    ("sagte Merkel der Süddeutschen Zeitung"), their other statements in the article get it too."""
    medium: dict[str, Quote] = {}
    for q in quotes:
        if q.speaker and q.channel and (q.speaker_key or q.speaker) not in medium:
            medium[q.speaker_key or q.speaker] = q
    if not medium:
        return quotes
    out = []
    for q in quotes:
        src = medium.get(q.speaker_key or q.speaker or "")
        if src is not None and q.channel is None:
            q = Quote(q.start, q.end, q.text, q.kind, q.speaker, q.speaker_key, q.speaker_start, q.speaker_end,
                      channel=src.channel, channel_key=src.channel_key, verb=q.verb)
        out.append(q)
    return out


_TITLE_BEFORE = frozenset(
    "der dem des bei beim vom im in als namens genannte genannten sogenannte sogenannten titel".split())


_NAMING_NOUNS = ("strategie", "motto", "slogan", "titel", "buch", "film", "begriff", "schlagwort", "parole",
                 "kampagne", "programm", "aktion", "initiative", "sendung", "projekt", "leitmotiv", "losung",
                 "artikel", "beitrag", "studie", "verordnung", "gesetz", "bewegung", "bündnis", "song", "lied")


def _title_like(text: str, o: int, a: int, b: int) -> bool:
    """Quoted words that name something rather than report words: every word capitalised and after an article
    or preposition ("sagte der „Rheinischen Post“", "bei „Anne Will“", "als „Super-Hotspot“"), after a
    "so genannte", or after a noun that names ("die Strategie „Teile und herrsche“")."""
    before = text[max(0, o - 40) : o].split()
    prev = before[-1] if before else ""
    if prev.lower() in ("genannte", "genannten", "sogenannte", "sogenannten"):
        return True
    if prev.lower().endswith(_NAMING_NOUNS):
        return True  # the name of a strategy, book, campaign: "die Strategie „Teile und herrsche“"
    words = [w for w in text[a:b].split() if w[:1].isalpha()]
    if not words or not all(w[:1].isupper() or w in ("und", "oder", "der", "des", "am", "im", "of", "the")
                            for w in words):
        return False
    return prev.lower() in _TITLE_BEFORE


def _fragments(text: str, fragments: list[tuple[int, int, int, int]], out: list[Quote],
               unit_of_quote: list[tuple[int, int]], units: list[_Unit], unit_attrs: list,
               mentions: list[Mention], mstarts: list[int], res: _Resolver) -> list[Quote]:
    """Short quoted words inside an attributed statement are the speaker's own words: direct items with the
    statement's speaker („zutiefst besorgt“ in ``Sie sei „zutiefst besorgt“, sagte X``). Names and titles in
    quotation marks (a newspaper, the speaker or channel phrase itself) are not."""
    if not fragments:
        return []
    unit_starts = [u.start for u in units]
    by_unit: dict[int, list[Quote]] = {}
    for q, (_, ui) in zip(out, unit_of_quote):
        by_unit.setdefault(ui, []).append(q)
    found = []
    for o, c, a, b in fragments:
        ui = bisect_right(unit_starts, o) - 1
        if ui < 0 or units[ui].end < c:
            continue
        items = [q for q in by_unit.get(ui, []) if q.speaker is not None]
        attr = unit_attrs[ui]
        if not items and attr is not None and attr.speaker is not None and attr.speaker_cue is not None \
                and not attr.speaker_cue.frame:
            # "sprach von einem „Etappensieg“": the quoted words are all that is reported
            items = [_make(text, a, b, "direct", attr)]
        if not items:
            continue
        # the statement that holds the fragment, else the unit's first attributed one
        holder = next((q for q in items if q.start <= a and b <= q.end), items[0])
        if holder.speaker_start is not None and holder.speaker_end is not None \
                and holder.speaker_start < c and o < holder.speaker_end:
            continue
        j = bisect_left(mstarts, a)
        if j < len(mentions) and mentions[j].start == a and mentions[j].end >= b - 1 \
                and mentions[j].type is not EntityType.PER:
            continue  # „Bild“, „Welt am Sonntag“: a title
        if _title_like(text, o, a, b):
            continue
        q = Quote(a, b, text[a:b], "direct", holder.speaker, holder.speaker_key, holder.speaker_start,
                  holder.speaker_end, channel=holder.channel, channel_key=holder.channel_key, verb=holder.verb)
        if attr is not None:
            # several speakers in one sentence: the speech verb nearest before the quoted words
            for c in attr.cues:
                if c.speaker is None and c.subject is not None and not c.frame:
                    c.speaker = res.resolve(units[ui].tokens, c.subject)
            before = [c for c in attr.cues if not c.frame and c.speaker is not None and c.speaker.name
                      and units[ui].tokens[c.index].start < o]
            if before and before[-1].speaker.name != holder.speaker:
                sp = before[-1].speaker
                q = Quote(a, b, text[a:b], "direct", sp.name, sp.key, sp.start, sp.end, verb=before[-1].verb)
        found.append(q)
    return found


def _trim(tokens: list[Token], a: int, b: int) -> tuple[int, int] | None:
    while a < b and (tokens[a].text in _END_PUNCT or tokens[a].text in _CLAUSE_PUNCT):
        a += 1
    while b > a and (tokens[b - 1].text in _END_PUNCT or tokens[b - 1].text in _CLAUSE_PUNCT):
        b -= 1
    return (a, b) if b - a >= 2 else None


def _carry_of(attr: _Attr) -> _Attr:
    """Who goes on talking in the following Konjunktiv sentences.

    When a speech act was relayed by a verb (``Xi habe zugesichert, teilte Uschakow mit``), the relay
    (Uschakow) is the one whose report continues; with a frame (``so Xi laut Xinhua``) the speaker goes on.
    """
    sc = attr.speaker_cue
    if sc is None or not sc.konj or attr.channel is None:
        return attr
    for c in attr.cues:
        if c is not sc and c.speaker is attr.channel and not c.frame:
            return _Attr(attr.channel, None, c.verb, [c], c)
    return attr


def _attr_of(q: Quote) -> _Attr:
    return _Attr(_Speaker(q.speaker, q.speaker_key, q.speaker_start, q.speaker_end),
                 _Speaker(q.channel, q.channel_key, None, None) if q.channel else None, q.verb or "", [], None)


def _make(text: str, a: int, b: int, kind: str, attr: _Attr | None) -> Quote:
    if attr is None or attr.speaker is None:
        return Quote(a, b, text[a:b], kind, None, None, verb=attr.verb if attr else None)
    s, ch = attr.speaker, attr.channel
    return Quote(
        a, b, text[a:b], kind, s.name, s.key, s.start, s.end,
        channel=ch.name if ch else None, channel_key=ch.key if ch else None, verb=attr.verb,
    )
