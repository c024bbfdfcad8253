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
