"""Who a pronoun, a role noun or an organisation noun stands for: coreference for speakers.

``Referents(text, tokens, mentions)`` is built once per article (a pure function of it, linear in its length)
and answers, for a position in the text:

* ``organisation(head, pos)``: the organisation named earlier that a noun like "die Behörde", "die
  Gesundheitsverwaltung", "das Ministerium", "die Gewerkschaft" refers to. Organisations are the tagger's ORG
  mentions plus institution phrases the tagger missed ("Senatsgesundheitsverwaltung", "Bundesinstitut für
  Arzneimittel und Medizinprodukte", "Berliner Krankenhausgesellschaft", "St. Hedwig-Kliniken"), recognised by
  their head noun (a German institution noun: -ministerium, -amt, -behörde, -verwaltung, -institut, ...).
  A noun matches a referent when it is the referent's head or a compound ending in it ("Gesundheitsverwaltung"
  -> "Senatsgesundheitsverwaltung"), when it shortens a compound ("Senatsverwaltung" ->
  "Senatsgesundheitsverwaltung"), or, for a few general nouns, by class ("die Behörde" -> the last authority
  named); the nearest preceding match wins.
* ``organisation_near(pos)``: the organisation an unnamed spokesperson speaks for ("…, teilt eine Sprecherin
  mit" after "Die St. Hedwig-Kliniken planen …"): the nearest organisation in the preceding two sentences.
* ``person(pos, gender)``: the nearest preceding person of a compatible grammatical gender ("er", "sie"); the
  gender of a person comes from their role ("Ministerin") or, failing that, from the first name's ending.
* ``display(mention)``: the written-out name of an organisation known by an acronym when the article spells it
  out ("Weltgesundheitsorganisation" for WHO).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from newsloom.nlp.memo import memoised
from newsloom.records import EntityType, Mention, MentionKind, Token

#: Head nouns of German institutions (a lexical class: what an organisation's name ends in).
INSTITUTION_SUFFIXES = (
    "ministerium", "amt", "ämter", "behörde", "behörden", "verwaltung", "institut", "senat", "regierung",
    "polizei", "agentur", "kommission", "gericht", "staatsanwaltschaft", "gesellschaft", "konzern", "klinik",
    "kliniken", "klinikum", "krankenhaus", "verband", "verbände", "gewerkschaft", "partei", "fraktion",
    "register", "zentrum", "universität", "hochschule", "stiftung", "verein", "bündnis", "rat", "kammer",
    "bank", "gruppe", "unternehmen", "organisation", "dienst", "direktion", "präsidium", "büro", "sender",
    "zeitung", "magazin", "landkreis", "kreis", "bundeswehr", "armee", "komitee", "ausschuss", "sekretariat",
    "betrieb", "museum", "werk", "werke", "kommando",
)
#: General nouns that refer to an organisation of a class rather than by its name.
_AUTHORITY = ("ministerium", "amt", "behörde", "verwaltung", "institut", "senat", "regierung", "polizei",
              "agentur", "kommission", "gericht", "staatsanwaltschaft", "direktion", "präsidium", "landkreis",
              "kreis", "register")
_COMPANY = ("konzern", "unternehmen", "gruppe", "gesellschaft", "bank", "firma", "hersteller", "holding")
_CLINIC = ("klinik", "kliniken", "klinikum", "krankenhaus")
GENERIC_CLASSES = {
    "behörde": _AUTHORITY, "behörden": _AUTHORITY, "ministerium": ("ministerium",), "amt": ("amt",),
    "unternehmen": _COMPANY, "konzern": _COMPANY, "firma": _COMPANY, "hersteller": _COMPANY,
    "klinik": _CLINIC, "krankenhaus": _CLINIC, "haus": _CLINIC + _COMPANY, "klinikum": _CLINIC,
    "institut": ("institut",), "verwaltung": ("verwaltung",), "regierung": ("regierung",),
}
_COMPANY_HYPHEN = ("konzern", "gruppe", "unternehmen", "holding")
_LINKS = frozenset({"für", "der", "des"})
_NOT_ADJECTIVE = frozenset(
    "die der das den dem des ein eine einer eines einem einen auch und oder aber doch so wie im in am an auf "
    "aus bei mit nach von vom vor zu zum zur über unter laut nun dann denn zudem außerdem jedoch".split())
_FEMALE_ROLE_END = "in"


_ACRONYM_RE = re.compile(r"\(([A-ZÄÖÜ][A-Za-zÄÖÜäöü]{0,5}[A-ZÄÖÜ][A-Za-z]?)\)")


@dataclass(frozen=True)
class Referent:
    start: int
    end: int
    name: str  # written-out name to show
    key: str | None  # Mention.key when it comes from a mention
    head: str  # lower-cased head word, genitive stripped


def _strip_genitive(word: str) -> str:
    """"Bundesinstituts" -> "bundesinstitut", "Amtes" -> "amt" (lower-cased) when the stem is an institution."""
    low = word.lower()
    for ending in ("es", "s"):
        if low.endswith(ending) and len(low) > len(ending) + 3:
            stem = low[: -len(ending)]
            if stem.endswith(INSTITUTION_SUFFIXES):
                return stem
    return low


@memoised(maxsize=100_000)
def institution_head(word: str) -> str | None:
    """The lower-cased, genitive-free form of ``word`` when it is an institution noun, else None."""
    if not word[:1].isupper():
        return None
    base = _strip_genitive(word)
    last = base.rsplit("-", 1)[-1]
    return base if last.endswith(INSTITUTION_SUFFIXES) else None


def _suffix_of(head: str) -> str:
    best = ""
    for sfx in INSTITUTION_SUFFIXES:
        if head.endswith(sfx) and len(sfx) > len(best):
            best = sfx
    return best


class Referents:
    def __init__(self, text: str, tokens: list[Token], mentions: list[Mention]):
        self.text = text
        per = [m for m in mentions if m.type is EntityType.PER and m.kind is MentionKind.NAME]
        self.people = per
        self.people_starts = [m.start for m in per]
        refs: list[Referent] = []
        longest: dict[str, str] = {}
        covered: list[tuple[int, int]] = []
        orgs = [m for m in mentions if m.kind is MentionKind.NAME and m.type is EntityType.ORG]
        for m in orgs:
            # the written-out form of an acronym ("Weltgesundheitsorganisation (WHO)")
            if m.name.isupper() and len(m.name) <= 6 and len(m.text) > len(m.name) + 3 \
                    and not m.text.endswith("s") and m.text[:1].isupper():
                if len(m.text) > len(longest.get(m.key, "")):
                    longest[m.key] = m.text
        for m in orgs:
            # "Gewerkschaft Nahverkehr und Schiene (GNS)": the phrase before an acronym in parentheses
            if m.text.isupper() and 2 <= len(m.text) <= 6 and m.start >= 2 and text[m.start - 1] == "(" \
                    and m.key not in longest:
                phrase = _spelled_out(text, m.start - 1)
                if phrase and phrase[0].upper() == m.text[0]:
                    longest[m.key] = phrase
        for m in orgs:
            # "Bundesinstituts für Arzneimittel und Medizinprodukte": the tagger took the first word only
            if m.key not in longest and " " not in m.text and institution_head(m.text):
                rest = _complement(text, m.end)
                if rest:
                    full = _nominative(m.text) + " " + rest
                    if len(full) > len(longest.get(m.key, "")):
                        longest[m.key] = full
        self.longest = longest
        # acronyms the article spells out, tagged or not: "Die Gewerkschaft der Polizei (GdP)"
        self.acronyms: dict[str, str] = {}
        for match in _ACRONYM_RE.finditer(text):
            phrase = _spelled_out(text, match.start())
            acr = match.group(1)
            if phrase and phrase[0].upper() == acr[0] and acr not in self.acronyms:
                self.acronyms[acr] = phrase
        for m in mentions:
            if m.kind is MentionKind.NAME:
                covered.append((m.start, m.end))
        for m in orgs:
            name = longest.get(m.key, m.name)
            words = name.split()
            refs.append(Referent(m.start, m.end, name, m.key, _strip_genitive(words[-1]) if words else ""))
        covered.sort()
        cstarts = [c[0] for c in covered]
        refs.extend(self._phrases(tokens, covered, cstarts))
        refs.sort(key=lambda r: r.start)
        self.orgs = refs
        self.org_starts = [r.start for r in refs]

    # ---------------------------------------------------------------------------------------- building

    def _phrases(self, tokens: list[Token], covered: list[tuple[int, int]], cstarts: list[int]) -> list[Referent]:
        """Institution phrases the tagger missed: a named compound or an institution noun with a proper
        adjective before it or a "für/der" complement after it."""
        out = []
        n = len(tokens)
        for i, tok in enumerate(tokens):
            if not tok.text[:1].isupper():
                continue  # institution_head needs a capital (checked here first: most tokens have none)
            head = institution_head(tok.text)
            if head is None:
                continue
            j = bisect_left(cstarts, tok.end) - 1
            if j >= 0 and covered[j][0] <= tok.start < covered[j][1]:
                continue  # inside a mention
            a, b = i, i
            # proper adjectives before: "Berliner", "Auswärtigen", "St."
            while a > 0 and i - a < 2:
                prev = tokens[a - 1]
                pl = prev.text.lower()
                if prev.text[:1].isupper() and pl not in _NOT_ADJECTIVE and (
                        pl.endswith(("er", "en", "es", "e")) or prev.text in ("St", "St.")):
                    a -= 1
                    continue
                if prev.text == "." and a >= 2 and tokens[a - 2].text == "St":
                    a -= 2
                    continue
                break
            # "für Arzneimittel und Medizinprodukte", "der Polizei"
            k = i + 1
            if k + 1 < n and tokens[k].text in _LINKS and tokens[k + 1].text[:1].isupper():
                k += 1
                last = k
                k += 1
                while k + 1 < n and tokens[k].text in ("und", ",") and tokens[k + 1].text[:1].isupper() \
                        and tokens[k + 1].text.isalpha():
                    last = k + 1
                    k += 2
                b = last
            named = a < i or b > i or "-" in tok.text or head != _suffix_of(head)
            if not named:
                continue  # a bare "Behörde", "Kliniken": no name of its own
            words = [t.text for t in tokens[a : b + 1]]
            words[i - a] = _nominative(tok.text)
            name = " ".join(words).replace("St .", "St.")
            low_parts = tok.text.split("-")
            if len(low_parts) == 2 and low_parts[1].lower() in _COMPANY_HYPHEN and a == i and b == i:
                name = low_parts[0]  # "Vivantes-Konzern" -> Vivantes
            out.append(Referent(tokens[a].start, tokens[b].end, name, None, head))
        return out

    # --------------------------------------------------------------------------------------- answering

    def organisation(self, head: str, pos: int, window: int = 4000) -> Referent | None:
        """The organisation that the noun ``head`` (lower-case lemma) at ``pos`` refers to."""
        head = _strip_genitive(head)
        sfx = _suffix_of(head)
        modifier = head[: len(head) - len(sfx)].rstrip("s-") if sfx else ""
        generic = GENERIC_CLASSES.get(head)
        j = bisect_left(self.org_starts, pos) - 1
        by_class = None
        while j >= 0:
            r = self.orgs[j]
            j -= 1
            if pos - r.end > window:
                break
            if r.end > pos:
                continue
            words = [w.lower() for w in r.name.split()]
            words = [_strip_genitive(w) for w in words]
            if r.head.endswith(head) or any(w.endswith(head) for w in words) or (words and words[0] == head):
                return r
            if sfx and modifier and len(modifier) >= 3 and r.head.endswith(sfx) and modifier in r.head:
                return r  # "Senatsverwaltung" -> "Senatsgesundheitsverwaltung"
            if generic and by_class is None and r.head.rsplit("-", 1)[-1].endswith(generic):
                by_class = r
        return by_class

    def organisation_near(self, pos: int, window: int = 400) -> Referent | None:
        j = bisect_left(self.org_starts, pos) - 1
        while j >= 0:
            r = self.orgs[j]
            j -= 1
            if pos - r.end > window:
                return None
            if r.end <= pos:
                return r
        return None

    def gender(self, m: Mention) -> str | None:
        role = (m.role or "").lower()
        if role:
            return "f" if role.endswith(_FEMALE_ROLE_END) and not role.endswith("ein") else "m"
        parts = m.name.split()
        if len(parts) < 2:
            return None
        first = parts[0].lower()
        return "f" if first.endswith(("a", "e", "i", "y")) and not first.endswith(("ue", "we")) else "m"

    def person(self, pos: int, gender: str | None = None, window: int = 3000) -> Mention | None:
        """The nearest person named before ``pos`` whose gender does not contradict ``gender``."""
        j = bisect_left(self.people_starts, pos) - 1
        while j >= 0:
            m = self.people[j]
            j -= 1
            if pos - m.end > window:
                return None
            if m.end > pos:
                continue
            g = self.gender(m)
            if gender is None or g is None or g == gender:
                return m
        return None

    def display(self, m: Mention) -> str:
        return self.longest.get(m.key, m.name)


def _nominative(word: str) -> str:
    """"Bundesinstituts" -> "Bundesinstitut" (keeping case), other words unchanged."""
    low = word.lower()
    stem = _strip_genitive(word)
    return word[: len(stem)] if stem != low else word


def _spelled_out(text: str, paren: int) -> str | None:
    """The capitalised run of words right before ``text[paren] == "("`` ("Gewerkschaft Nahverkehr und
    Schiene"), allowing "und", "für", "der", "des" inside; at most six words."""
    words = text[max(0, paren - 120) : paren].split()
    run: list[str] = []
    while words and len(run) < 6:
        w = words.pop()
        if w[:1].isupper() and w.replace("-", "").isalpha():
            run.append(w)
            continue
        if w in ("und", "für", "der", "des") and run and words and words[-1][:1].isupper():
            run.append(w)
            continue
        break
    while run and not run[-1][:1].isupper():
        run.pop()
    if not run:
        return None
    run.reverse()
    if run[0] in ("Die", "Der", "Das", "Den", "Dem", "Des"):
        run = run[1:]
    return " ".join(run) if run else None


def _complement(text: str, end: int) -> str | None:
    """" für Arzneimittel und Medizinprodukte" right after ``end``: a "für/der/des" phrase of capitalised
    words (joined by "und" or commas), as part of an institution's name; None when there is none."""
    words = text[end : end + 120].split(" ")
    if len(words) < 3 or words[0] != "" or words[1] not in ("für", "der", "des"):
        return None
    out = [words[1]]
    k = 2
    while k < len(words):
        w = words[k].rstrip(",.;:)")
        if not (w[:1].isupper() and w.replace("-", "").isalpha()):
            break
        out.append(w)
        if words[k] != w:  # punctuation closes the name
            break
        if k + 2 < len(words) and words[k + 1] == "und" and words[k + 2][:1].isupper():
            out.append("und")
            k += 2
            continue
        break
    return " ".join(out) if len(out) >= 2 else None
