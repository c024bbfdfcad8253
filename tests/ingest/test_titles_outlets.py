"""Titles without datelines and time stamps; one name per outlet (issue 10, point 5)."""
from __future__ import annotations

import pytest

from newsloom.ingest.outlets import normalise_outlet
from newsloom.ingest.readers import build_article, clean_title, derive_title


@pytest.mark.parametrize("raw, clean", [
    ("Putin in Peking China unterstützt Russland gegen NATO Stand: 04.02.2022 11:39 Uhr",
     "Putin in Peking China unterstützt Russland gegen NATO"),
    ("Brunnstadt (DNA) - Warnstreik bei den Stadtwerken", "Warnstreik bei den Stadtwerken"),
    ("Moskau/Peking (Reuters) - Putin gewinnt Chinas Unterstützung", "Putin gewinnt Chinas Unterstützung"),
    ("Streik | Stand: 3.2.2022", "Streik"),
    ("Lemberg (Lviv) bleibt ruhig", "Lemberg (Lviv) bleibt ruhig"),
    ("Stand: 04.02.2022 11:39 Uhr", "Stand: 04.02.2022 11:39 Uhr"),  # nothing else: kept rather than emptied
])
def test_clean_title(raw, clean):
    assert clean_title(raw) == clean


def test_derived_title_skips_the_dateline():
    text = ("Varnik/Belgor (DNA) - Die Regierungschefs haben erstmals seit Monaten miteinander gesprochen, "
            "und zwar lange und ausführlich über den Damm am Grenzfluss und seine Folgen für beide Länder.\n\nMehr.")
    assert derive_title(text).startswith("Die Regierungschefs haben")


def test_given_title_and_outlet_are_cleaned():
    article = build_article({"id": "x", "title": "Gipfel in Peking Stand: 04.02.2022 11:39 Uhr",
                             "text": "Ein Text, der lang genug ist, um als Artikel zu gelten. " * 3,
                             "outlet": "DNA – Deutsche Nachrichtenagentur", "date": "2022-02-04"},
                            path="t.jsonl", line=1)
    assert article.title == "Gipfel in Peking" and article.outlet == "DNA"


@pytest.mark.parametrize("given, name", [
    ("DNA – Deutsche Nachrichtenagentur", "DNA"),
    ("Deutsche Presse-Agentur (dpa)", "dpa"),
    ("REUTERS", "Reuters"),
    ("SZ – Süddeutsche Zeitung", "SZ"),
    ("ZEIT ONLINE", "ZEIT ONLINE"),
    ("Der Tagesspiegel", "Der Tagesspiegel"),
    ("Rheintal-Depesche", "Rheintal-Depesche"),
    ("taz – die tageszeitung", "taz – die tageszeitung"),
    ("Berlin - Mitte Zeitung", "Berlin - Mitte Zeitung"),
])
def test_normalise_outlet(given, name):
    assert normalise_outlet(given) == name
