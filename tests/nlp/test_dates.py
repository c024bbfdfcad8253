"""Tests for newsloom.nlp.dates: German date expressions resolved against the publication date."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsloom.nlp.dates import find_dates, find_published_in_text, parse_published
from newsloom.records import Precision, TimeSpan

D = dt.date
# Thursday, 16 December 2021, 10:00
THU = TimeSpan.minute(dt.datetime(2021, 12, 16, 10, 0))
FEB22 = TimeSpan.month(2022, 2)


def _dates(text: str, pub: TimeSpan | None):
    found = find_dates(text, pub)
    last_end = -1
    for m in found:
        assert text[m.start : m.end] == m.text
        assert 0 <= m.start < m.end <= len(text)
        assert m.start >= last_end  # sorted and non-overlapping
        last_end = m.end
    return found


def _one(text: str, pub: TimeSpan | None):
    found = _dates(text, pub)
    assert len(found) == 1, [(m.text, m.span.iso()) for m in found]
    return found[0]


def _iso(text: str, pub: TimeSpan | None) -> list[tuple[str, str]]:
    return [(m.text, m.span.iso()) for m in _dates(text, pub)]


def test_calendar_assumption():
    assert D(2021, 12, 16).weekday() == 3  # Thursday
    assert D(2022, 1, 3).weekday() == 0  # Monday


# ---------------------------------------------------------------- absolute dates


@pytest.mark.parametrize(
    "text, mention, iso, precision",
    [
        ("Die Sitzung fand am 04.02.2022 statt.", "am 04.02.2022", "2022-02-04", Precision.DAY),
        ("Der Vertrag lief bis 4.2.22 und wurde verlängert.", "4.2.22", "2022-02-04", Precision.DAY),
        ("Gewählt wird am 14. Februar 2022 in allen Ländern.", "am 14. Februar 2022", "2022-02-14", Precision.DAY),
        ("Der Bericht vom 3. Jan. 2020 liegt vor.", "3. Jan. 2020", "2020-01-03", Precision.DAY),
        ("Die Messe ist für Februar 2022 angesetzt.", "Februar 2022", "2022-02", Precision.MONTH),
        ("Die Reform soll im Jahr 2025 greifen.", "im Jahr 2025", "2025", Precision.YEAR),
        ("Das Land will bis 2030 klimaneutral sein.", "bis 2030", "2030", Precision.YEAR),
        ("Seit 2014 regiert die Koalition das Land.", "Seit 2014", "2014", Precision.YEAR),
        ("Das Gesetz gilt ab 2024 für alle Betriebe.", "ab 2024", "2024", Precision.YEAR),
        ("Die Daten stammen vom 2021-11-30.", "2021-11-30", "2021-11-30", Precision.DAY),
        ("Sonntag, 3. April 2022: ein langer Wahlabend.", "Sonntag, 3. April 2022", "2022-04-03", Precision.DAY),
    ],
)
def test_absolute_with_year(text, mention, iso, precision):
    m = _one(text, THU)
    assert (m.text, m.span.iso(), m.span.precision) == (mention, iso, precision)
    # absolute expressions with a year need no publication date
    m2 = _one(text, None)
    assert m2.span == m.span


def test_year_less_dates_take_the_publication_year():
    assert _iso("Die Frist endet am 14. Februar.", TimeSpan.day(D(2022, 1, 20))) == [
        ("am 14. Februar", "2022-02-14")
    ]
    assert _iso("Am 14.02. beginnt die Messe.", TimeSpan.day(D(2022, 1, 20))) == [("Am 14.02.", "2022-02-14")]
    assert _iso("Er reiste im Februar nach Rom.", TimeSpan.day(D(2022, 3, 2))) == [("im Februar", "2022-02")]


def test_year_less_dates_without_publication_are_skipped():
    assert _dates("Die Frist endet am 14. Februar. Im Februar ist es kalt. Gestern regnete es.", None) == []


def test_month_precision_publication_pins_absolute_day():
    m = _one("Das Treffen am 14. Februar verlief ruhig.", FEB22)
    assert m.span == TimeSpan.day(D(2022, 2, 14))
    assert m.span.precision is Precision.DAY


@pytest.mark.parametrize(
    "pub, text, iso",
    [
        (TimeSpan.day(D(2022, 1, 12)), "Im Dezember stiegen die Preise stark.", "2021-12"),
        (TimeSpan.month(2022, 1), "Im Dezember stiegen die Preise stark.", "2021-12"),
        (TimeSpan.day(D(2021, 11, 5)), "Im Februar soll gewählt werden.", "2022-02"),
        (TimeSpan.day(D(2022, 1, 5)), "Am 28. Dezember kam es zum Eklat.", "2021-12-28"),
        (TimeSpan.day(D(2021, 12, 28)), "Die Gespräche gehen am 10. Januar weiter.", "2022-01-10"),
        (TimeSpan.day(D(2022, 1, 5)), "Im vergangenen Dezember war es mild.", "2021-12"),
        (TimeSpan.day(D(2022, 1, 5)), "Im kommenden Dezember wird gewählt.", "2022-12"),
        (TimeSpan.day(D(2022, 1, 5)), "Das war im März vergangenen Jahres.", "2021-03"),
        (TimeSpan.day(D(2022, 1, 5)), "Das geschah am 3. März vergangenen Jahres.", "2021-03-03"),
    ],
)
def test_year_rollover_nearest_year(pub, text, iso):
    assert _one(text, pub).span.iso() == iso


def test_parts_of_month_are_day_ranges():
    pub = TimeSpan.day(D(2021, 12, 1))
    assert _one("Anfang Dezember kam der Schnee.", pub).span == TimeSpan.days(D(2021, 12, 1), D(2021, 12, 10))
    assert _one("Mitte Dezember tagt der Rat.", pub).span == TimeSpan.days(D(2021, 12, 11), D(2021, 12, 20))
    ende = _one("Ende Dezember ist Schluss.", pub).span
    assert ende == TimeSpan.days(D(2021, 12, 21), D(2021, 12, 31))
    assert ende.precision is Precision.DAY
    leap = _one("Bis Ende Februar 2024 bleibt es dabei.", None).span
    assert leap == TimeSpan.days(D(2024, 2, 21), D(2024, 2, 29))


def test_parts_of_year_are_month_spans():
    anfang = _one("Anfang 2022 wurde das Werk eröffnet.", None).span
    assert (anfang.start, anfang.end, anfang.precision) == (
        dt.datetime(2022, 1, 1), dt.datetime(2022, 5, 1), Precision.MONTH)
    mitte = _one("Mitte 2023 soll der Bau beginnen.", None).span
    assert (mitte.start, mitte.end) == (dt.datetime(2023, 5, 1), dt.datetime(2023, 9, 1))
    ende = _one("Ende 2023 soll der Bau fertig sein.", None).span
    assert (ende.start, ende.end) == (dt.datetime(2023, 9, 1), dt.datetime(2024, 1, 1))
    rel = _one("Ende des Jahres läuft das Mandat aus.", THU).span
    assert (rel.start, rel.end, rel.precision) == (dt.datetime(2021, 9, 1), dt.datetime(2022, 1, 1), Precision.MONTH)


def test_day_ranges():
    m = _one("Der Gipfel findet vom 3. bis 5. März 2022 statt.", None)
    assert m.text == "3. bis 5. März 2022"
    assert m.span == TimeSpan.days(D(2022, 3, 3), D(2022, 3, 5))


# ---------------------------------------------------------------- relative to publication


@pytest.mark.parametrize(
    "text, iso",
    [
        ("Heute beginnt die Konferenz.", "2021-12-16"),
        ("Gestern sprach der Minister.", "2021-12-15"),
        ("Vorgestern sprach der Minister.", "2021-12-14"),
        ("Die Entscheidung fällt morgen.", "2021-12-17"),
        ("Übermorgen wird abgestimmt.", "2021-12-18"),
        ("Gestern Abend kam es zu Protesten.", "2021-12-15"),
        ("Das Parlament stimmte am Mittwoch zu.", "2021-12-15"),
        ("Die Ministerin sagte am Mittwochabend, es gebe keine Einigung.", "2021-12-15"),
        ("Am Donnerstag hatte der Rat getagt.", "2021-12-16"),
        ("Am Freitag hatte der Rat getagt.", "2021-12-10"),
        ("Am vergangenen Donnerstag fiel die Entscheidung.", "2021-12-09"),
        ("Am kommenden Montag beginnen die Gespräche.", "2021-12-20"),
        ("Am Montag will die Regierung das Paket beschließen.", "2021-12-20"),
        ("Diesen Dienstag wurde nicht verhandelt.", "2021-12-14"),
        ("Vergangene Woche stiegen die Zahlen.", "2021-12-06/2021-12-12"),
        ("In dieser Woche tagt der Ausschuss.", "2021-12-13/2021-12-19"),
        ("Es bleibt in diesem Monat ruhig.", "2021-12"),
        ("Nächste Woche tagt der Ausschuss.", "2021-12-20/2021-12-26"),
        ("Mitte der Woche gab es Neuschnee.", "2021-12-14/2021-12-16"),
        ("Im vergangenen Monat stiegen die Preise.", "2021-11"),
        ("Im kommenden Monat sinken die Preise.", "2022-01"),
        ("Im vergangenen Jahr stiegen die Preise.", "2020"),
        ("Im nächsten Jahr sinken die Preise.", "2022"),
        ("In diesem Jahr sinken die Preise.", "2021"),
        ("Dieses Jahr sinken die Preise.", "2021"),
        ("Vor drei Tagen kam die Nachricht.", "2021-12-13"),
        ("Vor zwei Wochen kam die Nachricht.", "2021-11-29/2021-12-05"),
        ("In zwei Wochen kommt die Nachricht.", "2021-12-27/2022-01-02"),
        ("Vor einem Monat kam die Nachricht.", "2021-11"),
        ("Vor zehn Jahren kam die Nachricht.", "2011"),
    ],
)
def test_relative_with_minute_publication(text, iso):
    m = _one(text, THU)
    assert m.span.iso() == iso
    assert m.span.precision.rank <= Precision.DAY.rank


def test_am_morgen_is_morning_not_tomorrow():
    assert _dates("Am Morgen war es neblig.", THU) == []
    assert _iso("Heute Morgen war es neblig.", THU) == [("Heute Morgen", "2021-12-16")]


def test_year_rollover_relative():
    dec30 = TimeSpan.day(D(2021, 12, 30))
    assert _one("Übermorgen beginnt das neue Jahr.", dec30).span.iso() == "2022-01-01"
    assert _one("Nächste Woche beginnt der Unterricht.", dec30).span.iso() == "2022-01-03/2022-01-09"
    jan3 = TimeSpan.day(D(2022, 1, 3))  # Monday
    assert _one("Am Mittwoch wurde das Paket verschickt.", jan3).span.iso() == "2021-12-29"
    assert _one("Im vergangenen Monat sanken die Preise.", jan3).span.iso() == "2021-12"
    assert _one("Gestern blieb es ruhig.", jan3).span.iso() == "2022-01-02"


# ---------------------------------------------------------------- precision rules


def test_month_publication_relative_days_stay_month_precise():
    m = _one("Das Parlament stimmte am Mittwoch zu.", FEB22)
    assert m.span.precision is Precision.MONTH
    # every Wednesday that could be meant: the month widened by six days before it
    assert m.span.start == dt.datetime(2022, 1, 26)
    assert m.span.end == dt.datetime(2022, 3, 1)
    gestern = _one("Gestern sprach der Minister.", FEB22).span
    assert gestern.precision is Precision.MONTH
    assert (gestern.start, gestern.end) == (dt.datetime(2022, 1, 31), dt.datetime(2022, 2, 28))
    for m in _dates("Heute, gestern und vergangene Woche und am Freitag.", FEB22):
        assert m.span.precision is Precision.MONTH


def test_month_publication_coarse_units_are_exact():
    assert _one("Im kommenden Jahr wird gebaut.", FEB22).span == TimeSpan.year(2023)
    assert _one("Im vergangenen Monat wurde gebaut.", FEB22).span == TimeSpan.month(2022, 1)
    assert _one("Vor zwei Jahren wurde gebaut.", FEB22).span == TimeSpan.year(2020)


def test_year_publication():
    pub = TimeSpan.year(2021)
    m = _one("Gestern sprach der Minister.", pub)
    assert m.span.precision is Precision.YEAR
    assert _one("Im kommenden Jahr wird gebaut.", pub).span == TimeSpan.year(2022)


def test_no_publication_only_absolute_with_year():
    text = "Gestern, am Mittwoch, im Februar und am 14. Februar 2022 und vergangene Woche."
    assert _iso(text, None) == [("am 14. Februar 2022", "2022-02-14")]


# ---------------------------------------------------------------- times


def test_time_attached_to_day_gives_minute():
    m = _one("Am Mittwoch um 14 Uhr begann die Sitzung.", THU)
    assert m.text == "Am Mittwoch um 14 Uhr"
    assert m.span == TimeSpan.minute(dt.datetime(2021, 12, 15, 14, 0))
    m = _one("Die Polizei kam gestern gegen 22.30 Uhr.", THU)
    assert m.span == TimeSpan.minute(dt.datetime(2021, 12, 15, 22, 30))
    m = _one("Am 04.02.2022, 11:39 Uhr, endete die Frist.", None)
    assert m.span == TimeSpan.minute(dt.datetime(2022, 2, 4, 11, 39))


def test_bare_time_uses_publication_day():
    m = _one("Der Zug fuhr um 11:39 Uhr ab.", THU)
    assert m.text == "um 11:39 Uhr"
    assert m.span == TimeSpan.minute(dt.datetime(2021, 12, 16, 11, 39))
    assert _dates("Der Zug fuhr um 11:39 Uhr ab.", FEB22) == []
    assert _dates("Der Zug fuhr um 11:39 Uhr ab.", None) == []


def test_time_with_month_precise_day_keeps_day_span():
    m = _one("Am Mittwoch um 14 Uhr begann die Sitzung.", FEB22)
    assert m.text == "Am Mittwoch um 14 Uhr"
    assert m.span.precision is Precision.MONTH


# ---------------------------------------------------------------- things that are no dates


@pytest.mark.parametrize(
    "text",
    [
        "Das Spiel endete 2:1 nach Verlängerung.",
        "Die neue Version 3.5 behebt viele Fehler.",
        "Das Update 2.4.1 ist verfügbar.",
        "Die Quote stieg auf 3.5 Prozent.",
        "Rufen Sie 030 2022 1234 an.",
        "Er zahlte 2022 Euro für das Rad.",
        "Bis 2000 Menschen passen in die Halle.",
        "Die 20er Jahre waren wild.",
        "August Bebel gründete die Partei.",
        "In den vergangenen Jahren wuchs die Stadt.",
        "Mittwochs ist der Markt geöffnet.",
        "Insgesamt 2022 Teilnehmer kamen.",
    ],
)
def test_not_dates(text):
    assert _dates(text, THU) == []


def test_overlap_longest_wins_and_offsets():
    text = "Am Mittwoch, 15. Dezember 2021, und am vergangenen Freitag sowie Ende 2022."
    found = _dates(text, THU)
    assert [m.text for m in found] == ["Am Mittwoch, 15. Dezember 2021", "am vergangenen Freitag", "Ende 2022"]
    assert found[0].span.iso() == "2021-12-15"
    assert found[1].span.iso() == "2021-12-10"


# ---------------------------------------------------------------- publication dates


@pytest.mark.parametrize(
    "value, iso, precision",
    [
        ("2021", "2021", Precision.YEAR),
        ("2021-12", "2021-12", Precision.MONTH),
        ("2021-12-08", "2021-12-08", Precision.DAY),
        ("2021-12-08T14:30", "2021-12-08T14:30", Precision.MINUTE),
        ("2021-12-08T14:30:00+01:00", "2021-12-08T14:30", Precision.MINUTE),
        ("2021-12-08T14:30:00Z", "2021-12-08T14:30", Precision.MINUTE),
        ("2021-12-08 14:30:00", "2021-12-08T14:30", Precision.MINUTE),
        ("2021-12-08T00:00:00", "2021-12-08", Precision.DAY),
        ("08.12.2021", "2021-12-08", Precision.DAY),
        ("08.12.2021, 14:30 Uhr", "2021-12-08T14:30", Precision.MINUTE),
        ("8. Dezember 2021", "2021-12-08", Precision.DAY),
        ("Dezember 2021", "2021-12", Precision.MONTH),
        ("Stand: 04.02.2022 11:39 Uhr", "2022-02-04T11:39", Precision.MINUTE),
        ("Wed, 08 Dec 2021 14:30:00 +0100", "2021-12-08T14:30", Precision.MINUTE),
        ("  2021-12-08  ", "2021-12-08", Precision.DAY),
    ],
)
def test_parse_published(value, iso, precision):
    span = parse_published(value)
    assert span is not None
    assert (span.iso(), span.precision) == (iso, precision)


def test_parse_published_month_is_whole_month():
    span = parse_published("Dezember 2021")
    assert span == TimeSpan.month(2021, 12)
    assert span.end - span.start == dt.timedelta(days=31)


@pytest.mark.parametrize(
    "value", ["", "   ", "unbekannt", "vor 3 Stunden", "2021-13-01", "2021-02-30", "31.02.2021",
              "1638970200", "1970-01-01", "1970-01-01T00:00:00Z", "0000-00-00", "Dezemberwetter"],
)
def test_parse_published_nonsense(value):
    assert parse_published(value) is None


def test_find_published_in_text():
    head = "Streit um Gaspreise\nStand: 04.02.2022 11:39 Uhr\n\nDie Regierung hat am Mittwoch ..."
    assert find_published_in_text(head) == TimeSpan.minute(dt.datetime(2022, 2, 4, 11, 39))
    tail = "Lange Rede. " + "Text ohne Stempel. " * 100 + "Veröffentlicht am 3. Februar 2022, 08:15 Uhr"
    assert find_published_in_text(tail) == TimeSpan.minute(dt.datetime(2022, 2, 3, 8, 15))
    assert find_published_in_text("Aktualisiert: 05.02.2022\nText.") == TimeSpan.day(D(2022, 2, 5))
    assert find_published_in_text("Ein Text ohne Datum, aber am 04.02.2022 geschrieben.") is None
    assert find_published_in_text("") is None
    both = "Veröffentlicht: 01.02.2022 09:00 Uhr, aktualisiert: 02.02.2022 10:00 Uhr\nText."
    assert find_published_in_text(both) == TimeSpan.minute(dt.datetime(2022, 2, 1, 9, 0))


# ---------------------------------------------------------------- robustness

_FRAGMENTS = st.sampled_from(
    ["am ", "Mittwoch", "14. ", "Februar ", "2022", "04.02.", "um 14 Uhr", "gestern ", "vor ",
     "zwei Wochen", "Ende ", "Anfang ", "im ", "Jahr ", "kommenden ", ". ", ", ", "24:00 Uhr",
     "31.02.2021", "29. Februar", "99.99.99", "Morgen", "Wochenende", "Mitte der Woche "]
)
_PUBS = st.one_of(
    st.none(),
    st.dates(min_value=D(1901, 1, 1), max_value=D(2099, 12, 31)).map(TimeSpan.day),
    st.tuples(st.integers(1901, 2099), st.integers(1, 12)).map(lambda t: TimeSpan.month(*t)),
    st.integers(1901, 2099).map(TimeSpan.year),
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), st.lists(_FRAGMENTS, max_size=25).map("".join)), _PUBS)
def test_never_raises_and_offsets_in_bounds(text, pub):
    for m in _dates(text, pub):
        assert m.span.start < m.span.end


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_parse_published_never_raises(value):
    span = parse_published(value)
    assert span is None or span.start < span.end
