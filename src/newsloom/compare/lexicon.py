"""Small hand-written German lexicon for comparing claims: paraphrase classes of speech and action verbs
(and a few nouns that news text uses interchangeably), number words, and boilerplate patterns.

A lemma in a class is replaced by the class name (``=auffordern``) before similarity is computed, so
"ruft auf ... zu verzichten" and "fordert ... auf, zu stoppen" share the features ``=auffordern`` and
``=aufgeben``. Classes are deliberately coarse and cover meaning, not style.
"""
from __future__ import annotations

import re

# class name -> lemmas (lower case, as simplemma gives them; separable verbs appear as base + particle)
PARAPHRASE_CLASSES: dict[str, tuple[str, ...]] = {
    # speech acts
    "=sagen": ("sagen", "erklären", "äußern", "meinen", "betonen", "unterstreichen", "hervorheben", "mitteilen",
               "verkünden", "bekanntgeben", "ausführen", "darlegen", "erläutern", "bekräftigen", "versichern",
               "zusichern", "beteuern", "feststellen", "hinweisen", "verweisen", "berichten", "melden", "sprechen"),
    "=auffordern": ("auffordern", "aufrufen", "fordern", "verlangen", "appellieren", "mahnen", "drängen",
                    "anmahnen", "ermahnen", "pochen", "bitten", "ersuchen", "forderung", "aufruf", "appell"),
    "=kritisieren": ("kritisieren", "verurteilen", "rügen", "anprangern", "bemängeln", "beklagen", "tadeln",
                     "kritik", "verurteilung"),
    "=ablehnen": ("ablehnen", "zurückweisen", "verwerfen", "bestreiten", "dementieren", "widersprechen",
                  "ablehnung", "nein"),
    "=unterstützen": ("unterstützen", "befürworten", "zustimmen", "begrüßen", "billigen", "beipflichten",
                      "rückendeckung", "unterstützung", "zustimmung", "stärken", "rücken"),
    "=ankündigen": ("ankündigen", "ankünden", "planen", "vorhaben", "beabsichtigen", "ankündigung", "plan"),
    "=warnen": ("warnen", "drohen", "warnung", "drohung"),
    "=aufgeben": ("verzichten", "stoppen", "aufgeben", "beenden", "einstellen", "aufhören", "abstandnehmen",
                  "abstand", "verzicht", "stopp", "ende", "unterlassen"),
    "=vereinbaren": ("vereinbaren", "einigen", "einig", "verständigen", "unterzeichnen", "unterschreiben",
                     "beschließen", "abschließen", "einigung", "vereinbarung", "abkommen", "vertrag", "deal",
                     "kompromiss", "übereinkunft"),
    "=treffen": ("treffen", "begegnen", "zusammenkommen", "konferieren", "gipfel", "gespräch", "videoschaltung",
                 "videokonferenz", "telefonat", "telefonieren", "verhandeln", "verhandlung", "beraten"),
    "=anbieten": ("anbieten", "bieten", "vorschlagen", "angebot", "vorschlag", "offerieren"),
    "=streiken": ("streik", "warnstreik", "ausstand", "arbeitsniederlegung", "streiken", "niederlegen"),
    "=erhöhen": ("erhöhen", "steigen", "anheben", "zunehmen", "wachsen", "plus", "erhöhung", "anstieg",
                 "zuwachs", "mehr"),
    "=senken": ("senken", "sinken", "fallen", "zurückgehen", "kürzen", "minus", "rückgang", "kürzung",
                "verlieren"),
    "=lohn": ("lohn", "gehalt", "geld", "bezahlung", "vergütung", "entgelt", "einkommen"),
    "=beschäftigte": ("beschäftigte", "beschäftigter", "mitarbeiter", "mitarbeiterin", "angestellte",
                      "belegschaft", "arbeitnehmer", "festangestellte", "personal", "arbeitsplatz", "stelle",
                      "job", "fahrer", "fahrerin", "beschäftigten"),
    "=schließen": ("schließen", "sperren", "schließung", "sperrung", "dichtmachen", "gesperrt", "geschlossen"),
    "=stehlen": ("stehlen", "erbeuten", "rauben", "entwenden", "diebstahl", "raub", "einbruch", "einbrechen",
                 "beute"),
    "=zulassen": ("zulassen", "genehmigen", "zulassung", "genehmigung", "freigeben", "freigabe"),
    "=liefern": ("liefern", "lieferung", "exportieren", "export", "importieren", "import", "ausliefern",
                 "verkaufen", "kaufen"),
    "=reisen": ("reisen", "fliegen", "besuchen", "besuch", "anreisen", "eintreffen", "ankommen", "reise"),
    "=soldat": ("soldat", "truppe", "streitkraft", "militär", "einsatzkraft", "armee"),
    "=grenze": ("grenze", "grenznähe", "grenzgebiet", "grenzregion"),
    "=sicherheitsgarantie": ("sicherheitsgarantie", "garantie", "zusicherung"),
    "=erweiterung": ("erweiterung", "osterweiterung", "ausdehnung", "expansion", "ausweitung", "ausdehnen",
                     "expandieren", "ausweiten", "erweitern", "expansionsplan"),
    "=kosten": ("kosten", "preis", "betragen", "wert", "schaden"),
    "=ermitteln": ("ermitteln", "ermittlung", "fahnden", "fahndung", "untersuchen", "untersuchung"),
}

LEMMA_CLASS: dict[str, str] = {}
for _name, _lemmas in PARAPHRASE_CLASSES.items():
    for _lemma in _lemmas:
        LEMMA_CLASS.setdefault(_lemma, _name)

#: separable verb particles: base lemma + particle -> the full verb lemma
SEPARABLE_PARTICLES = frozenset("auf an ab zu mit ein aus vor hin zurück bekannt fest weiter hervor nieder".split())

NUMBER_WORDS = {
    "null": 0, "ein": 1, "eins": 1, "eine": 1, "einen": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6,
    "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "zwanzig": 20, "dreißig": 30,
    "vierzig": 40, "fünfzig": 50, "hundert": 100, "tausend": 1000, "dutzend": 12,
}
MULTIPLIERS = {"tausend": 1e3, "million": 1e6, "millionen": 1e6, "mio": 1e6, "milliarde": 1e9, "milliarden": 1e9,
               "mrd": 1e9}
#: approximate-value words: a figure after them is not a precise claim ("rund 1200")
APPROX = frozenset("rund etwa ca circa knapp fast beinahe mehr über gut annähernd nahezu bis zu mindestens".split())

#: unit nouns that are not content (their lemma is the unit itself)
UNIT_ALIASES = {"%": "prozent", "€": "euro", "eur": "euro", "m³": "kubikmeter", "km": "kilometer",
                "m": "meter", "t": "tonne", "$": "dollar", "mio": "million", "mrd": "milliarde"}

# ---------------------------------------------------------------------------------------------------------
# Boilerplate: agency credits, "Mehr zum Thema" footers, "Stand:" stamps, photo credits, share prompts.

CREDIT_RE = re.compile(r"^\(?\s*[A-Za-zÄÖÜäöü][\w.&]{0,14}(?:\s*[/,]\s*[A-Za-zÄÖÜäöü][\w.&]{0,14})*\s*\)?\.?$")
BOILERPLATE_RE = re.compile(
    r"^\(?(?:mehr zum thema|lesen sie auch|lesen sie mehr|auch interessant|weitere informationen|"
    r"stand:|quelle:|foto:|bild:|fotos?:|mit material von|dieser artikel|teilen sie|hinweis:|anzeige\b|"
    r"\(?\s*(?:dpa|afp|ap|reuters|apa|kna|epd|dna|sid)\b[^\w]*$)",
    re.IGNORECASE,
)
#: a trailing time stamp inside a line ("... Stand: 04.02.2022 11:39 Uhr")
STAMP_RE = re.compile(r"\s*Stand:\s*\d{1,2}\.\d{1,2}\.\d{2,4}(?:,?\s*\d{1,2}:\d{2}(?:\s*Uhr)?)?\s*$")
#: a photo caption ending in an all-caps agency or photographer credit ("... Westukraine. REUTERS")
CAPTION_CREDIT_RE = re.compile(r"(?:^|[.\s])(?:[A-Z]{3,}(?:/[A-Za-z]+)*|Foto:?\s+\S+.*|Bild:?\s+\S+.*)\s*$")
#: a leading dateline ("Brunnstadt (DNA) - ", "Moskau/Peking (Reuters) - ")
DATELINE_RE = re.compile(r"^[A-ZÄÖÜ][\wÄÖÜäöüß./ -]{1,40}\s\([A-Za-z/. ]{2,25}\)\s*[-–—]\s*")
