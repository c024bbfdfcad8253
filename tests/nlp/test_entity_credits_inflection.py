"""Credits are not entities; inflected forms of a multi-word name share one key (issue 10, point 5)."""
from __future__ import annotations

from newsloom.nlp.entities import credit_spans, inflection_key


def _credited(text: str) -> list[str]:
    return [text[a:b].strip() for a, b in credit_spans(text)]


def test_credit_spans():
    text = ("Brunnstadt (DNA) - Die Gewerkschaft ruft zum Streik auf.\n\n"
            "Soldaten im Raum Lemberg (Lviv), Westukraine. REUTERS\n\n"
            "Der Bürgermeister sagte, man sei bereit. Foto: Max Muster/dpa\n\n"
            "Die Verhandlungen gehen weiter. (APA/DPA/AFP)")
    credited = _credited(text)
    assert credited == ["APA/DPA/AFP", "DNA", "REUTERS", "Max Muster/dpa"] or set(credited) == {
        "APA/DPA/AFP", "DNA", "REUTERS", "Max Muster/dpa"}
    assert "Lviv" not in credited


def test_names_in_running_text_are_no_credits():
    assert credit_spans("Die NATO und Reuters berichteten am Mittwoch über das Treffen in Peking.") == []


def test_inflection_key():
    assert inflection_key("ORG:olympischen winterspiele") == inflection_key("ORG:olympischen winterspielen")
    assert inflection_key("ORG:europäische union") == inflection_key("ORG:europäischen union")
    assert inflection_key("MISC:kalten krieges") == inflection_key("MISC:kalter krieg")
    assert inflection_key("ORG:europäische union") != inflection_key("LOC:europäische union")
    assert inflection_key("PER:wladimir putin") is None  # persons: surname and genitive aliases
    assert inflection_key("ORG:bayern") is None  # single words stay apart ("Bayern"/"Bayer")
