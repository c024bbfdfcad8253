"""Recognise who published an article from its text: agency credits, datelines, house signatures."""
from __future__ import annotations

import re

# News agencies as they appear in credits and datelines -> display name.
AGENCIES = {
    "dpa": "dpa", "afp": "AFP", "reuters": "Reuters", "ap": "AP", "apa": "APA", "kna": "KNA",
    "epd": "epd", "sda": "SDA", "sid": "SID", "ddp": "ddp", "dapd": "dapd", "xinhua": "Xinhua",
    "tass": "TASS", "ria": "RIA Nowosti", "interfax": "Interfax", "ots": "ots", "efe": "EFE",
    "ansa": "ANSA", "upi": "UPI", "bloomberg": "Bloomberg", "dna": "DNA", "spiegel": "SPIEGEL",
}

_CREDIT_PART = r"[A-Za-zÄÖÜäöü][\w.\-]{1,14}"
# "(APA/DPA/AFP)" or "(dpa, afp)" alone at the end, possibly with author initials ("(dpa/jm)").
_CREDIT_AT_END = re.compile(
    rf"\(\s*({_CREDIT_PART}(?:\s*[/,]\s*{_CREDIT_PART}){{0,5}})\s*\)\s*\.?\s*$"
)
# "Moskau/Peking (Reuters) -" at the start of the text or of a paragraph.
_DATELINE = re.compile(
    rf"(?:^|\n)\s*[A-ZÄÖÜ][\w./ \-]{{1,40}}?\s*\(\s*({_CREDIT_PART}(?:\s*[/,]\s*{_CREDIT_PART}){{0,3}})\s*\)\s*[-–—:]"
)

# House signatures: (pattern, outlet). Footers and stamps a known outlet prints on every article.
SIGNATURES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\n\s*Mehr zum Thema\s*[-–:]"), "RT DE"),
    (re.compile(r"\bStand:\s*\d{1,2}\.\d{1,2}\.\d{4}\s+\d{1,2}:\d{2}\s*Uhr"), "tagesschau.de"),
)


def _agencies(group: str) -> list[str]:
    names = []
    for part in re.split(r"\s*[/,]\s*", group):
        agency = AGENCIES.get(part.strip().strip(".").lower())
        if agency and agency not in names:
            names.append(agency)
    return names


def recognise_outlet(text: str) -> tuple[str, str]:
    """``(outlet, evidence)``; evidence is ``credit``, ``dateline``, ``signature`` or ``none``."""
    tail = text[-200:]
    credit = _CREDIT_AT_END.search(tail)
    if credit:
        names = _agencies(credit.group(1))
        if names:
            return "/".join(names), "credit"
    dateline = _DATELINE.search(text[:600])
    if dateline:
        names = _agencies(dateline.group(1))
        if names:
            return "/".join(names), "dateline"
    for pattern, outlet in SIGNATURES:
        if pattern.search(text):
            return outlet, "signature"
    return "unknown", "none"


# "DNA – Deutsche Nachrichtenagentur", "Deutsche Nachrichtenagentur (DNA)": a short name and its expansion
_SHORT_THEN_LONG = re.compile(r"^\s*([A-Za-zÄÖÜäöü][\w.&]{0,11})\s+[–—-]\s+(\S.+?)\s*$")
_LONG_THEN_SHORT = re.compile(r"^\s*(\S.+?)\s*\(\s*([A-Za-zÄÖÜäöü][\w.&]{0,11})\s*\)\s*$")


def _abbreviates(short: str, long: str) -> bool:
    """Whether ``short`` is an abbreviation of ``long``: a known agency, or its letters, in order, begin words
    or word parts of ``long`` ("DNA" of "Deutsche Nachrichtenagentur": D-eutsche, N-achrichten-a-gentur)."""
    if short.lower() in AGENCIES:
        return True
    letters = [c for c in short.lower() if c.isalpha()]
    words = re.findall(r"[\wÄÖÜäöüß]+", long.lower())
    if len(letters) < 2 or not words or letters[0] != words[0][0]:
        return False
    text = " ".join(words)
    k = 0
    for c in letters:
        k = text.find(c, k)
        if k < 0:
            return False
        k += 1
    return True


def normalise_outlet(name: str) -> str:
    """One name per outlet: a given name that pairs a short name with its expansion ("DNA – Deutsche
    Nachrichtenagentur", "Deutsche Presse-Agentur (dpa)") becomes the short name, as agency credits and
    datelines name it; a known agency gets its usual spelling ("REUTERS" -> "Reuters")."""
    name = " ".join(name.split())
    known = AGENCIES.get(name.lower())
    if known:
        return known
    match = _SHORT_THEN_LONG.match(name)
    if match and _abbreviates(match.group(1), match.group(2)):
        return AGENCIES.get(match.group(1).lower(), match.group(1))
    match = _LONG_THEN_SHORT.match(name)
    if match and _abbreviates(match.group(2), match.group(1)):
        return AGENCIES.get(match.group(2).lower(), match.group(2))
    return name
