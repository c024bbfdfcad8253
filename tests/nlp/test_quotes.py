"""Tests for newsloom.nlp.quotes: direct quotes, reported speech, speaker and channel resolution.

All example sentences are written for these tests; mentions are built by hand so the tests do not
depend on the entity module.
"""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsloom.nlp.quotes import find_quotes
from newsloom.nlp.text import sentences
from newsloom.records import EntityType, Mention, MentionKind

# surface form -> (type, key, canonical name, role)
ENTITIES = {
    "Anna Berger": ("PER", "berger", "Anna Berger", "Ministerin"),
    "Berger": ("PER", "berger", "Anna Berger", None),
    "Karl Hofmann": ("PER", "hofmann", "Karl Hofmann", "Präsident"),
    "Hofmann": ("PER", "hofmann", "Karl Hofmann", None),
    "Hofmanns": ("PER", "hofmann", "Karl Hofmann", None),
    "Li Wen": ("PER", "li", "Li Wen", "Präsident"),
    "Li": ("PER", "li", "Li Wen", None),
    "Peter Brandt": ("PER", "brandt", "Peter Brandt", "Berater"),
    "Brandt": ("PER", "brandt", "Peter Brandt", None),
    "Lena Vogt": ("PER", "vogt", "Lena Vogt", None),
    "Vogt": ("PER", "vogt", "Lena Vogt", None),
    "Xinhua": ("ORG", "xinhua", "Xinhua", None),
    "Kreml": ("ORG", "kreml", "Kreml", None),
    "Kremls": ("ORG", "kreml", "Kreml", None),
    "Umweltministeriums": ("ORG", "bmu", "Bundesumweltministerium", None),
    "Nato": ("ORG", "nato", "NATO", None),
    "Tass": ("ORG", "tass", "Tass", None),
    "Bild": ("ORG", "bild", "Bild", None),
    "Berlin": ("LOC", "berlin", "Berlin", None),
}
_NAME_RE = re.compile("|".join(re.escape(n) for n in sorted(ENTITIES, key=len, reverse=True)))


def mentions_of(text: str) -> list[Mention]:
    """Mentions of the known names in ``text`` (whole words, longest first)."""
    out = []
    for m in _NAME_RE.finditer(text):
        if m.start() > 0 and text[m.start() - 1].isalnum() or m.end() < len(text) and text[m.end()].isalnum():
            continue
        typ, key, name, role = ENTITIES[m.group()]
        out.append(Mention(m.start(), m.end(), m.group(), EntityType(typ), key, name, MentionKind.NAME, role))
    return out


def quotes(text: str):
    return find_quotes(text, sentences(text), mentions_of(text))


def only(text: str, kind: str | None = None):
    qs = quotes(text)
    if kind:
        qs = [q for q in qs if q.kind == kind]
    assert len(qs) == 1, qs
    return qs[0]


def check_spans(text, qs):
    for q in qs:
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start : q.end] == q.text
    assert [q.start for q in qs] == sorted(q.start for q in qs)


# ------------------------------------------------------------------ direct quotes: forms


@pytest.mark.parametrize(
    "opening, closing",
    [("„", "“"), ('"', '"'), ("»", "«"), ("«", "»"), ("‚", "‘"), ("“", "”")],
)
def test_direct_quote_marks(opening, closing):
    text = f"{opening}Wir werden die Steuern im nächsten Jahr senken{closing}, sagte Berger am Montag."
    q = only(text)
    assert q.kind == "direct"
    assert q.text == "Wir werden die Steuern im nächsten Jahr senken"
    assert q.speaker == "Anna Berger" and q.speaker_key == "berger"
    assert q.verb == "sagen"
    check_spans(text, [q])


def test_single_quotes_are_not_confused_with_apostrophes():
    text = "Brandt erklärte: ‚So geht’s nicht weiter mit dem Haushalt‘. Dann ging er."
    q = only(text, "direct")
    assert q.text == "So geht’s nicht weiter mit dem Haushalt"
    assert q.speaker_key == "brandt"


def test_apostrophe_alone_is_no_quote():
    text = "Wie geht’s? Das ist Hofmann’sche Politik, sagte man."
    assert [q for q in quotes(text) if q.kind == "direct"] == []


def test_speech_clause_before_with_colon():
    text = "Hofmann sagte: „Das Abkommen ist ein großer Erfolg für beide Länder.“"
    q = only(text)
    assert q.kind == "direct" and q.speaker_key == "hofmann" and q.verb == "sagen"
    assert q.text == "Das Abkommen ist ein großer Erfolg für beide Länder."


def test_speech_clause_after_with_so():
    text = "„Wir lassen uns nicht erpressen“, so Berger."
    q = only(text)
    assert q.speaker_key == "berger" and q.verb == "so"
    assert q.text == "Wir lassen uns nicht erpressen"


def test_question_quote_with_lowercase_speech_clause():
    text = "„Wer soll das alles bezahlen?“ fragte Vogt. Niemand antwortete."
    qs = [q for q in quotes(text) if q.kind == "direct"]
    assert len(qs) == 1
    # "fragen" is not a speech verb of the list, but the quote inherits nothing wrong
    assert qs[0].text == "Wer soll das alles bezahlen?"


def test_multi_sentence_quote():
    text = "„Das war ein harter Winter. Wir haben viel gelernt. Jetzt geht es weiter“, erklärte Hofmann."
    q = only(text)
    assert q.text == "Das war ein harter Winter. Wir haben viel gelernt. Jetzt geht es weiter"
    assert q.speaker_key == "hofmann" and q.verb == "erklären"


def test_split_quote_gives_two_spans_with_same_speaker():
    text = "„Wir werden“, sagte Berger, „auf keinen Fall nachgeben.“"
    qs = quotes(text)
    assert [q.text for q in qs] == ["Wir werden", "auf keinen Fall nachgeben."]
    assert {q.speaker_key for q in qs} == {"berger"}
    assert all(q.kind == "direct" for q in qs)
    check_spans(text, qs)


def test_split_quote_with_short_first_half_is_kept():
    text = "„Nein“, sagte Hofmann, „das machen wir nicht.“"
    qs = quotes(text)
    assert [q.text for q in qs] == ["Nein", "das machen wir nicht."]
    assert {q.speaker_key for q in qs} == {"hofmann"}


def test_quote_without_clause_inherits_paragraph_speaker():
    text = (
        "„Die Reform kommt im Herbst“, sagte Vogt am Dienstag. „Wir haben lange genug gewartet.“\n\n"
        "Die Opposition reagierte verhalten."
    )
    qs = [q for q in quotes(text) if q.kind == "direct"]
    assert len(qs) == 2
    assert qs[1].text == "Wir haben lange genug gewartet."
    assert qs[1].speaker_key == "vogt"


def test_quote_paragraph_inherits_from_previous_paragraph():
    text = (
        "Berger äußerte sich am Abend. „Wir stehen zu unserem Wort“, sagte sie.\n\n"
        "„Und wir werden es auch halten.“"
    )
    qs = [q for q in quotes(text) if q.kind == "direct"]
    assert qs[-1].text == "Und wir werden es auch halten."
    assert qs[-1].speaker_key == "berger"


def test_quote_followed_by_attribution_sentence():
    text = "„Der Vertrag ist unterschriftsreif.“ Das sagte Hofmann am Freitag in Berlin."
    q = only(text, "direct")
    assert q.speaker_key == "hofmann"


@pytest.mark.parametrize(
    "text",
    [
        "Die Zeitung „Bild“ berichtete ausführlich über den Streit.",
        "Das sogenannte „Sondervermögen“ wird bald aufgebraucht sein.",
        "Der Film »Der große Plan« lief gestern.",
        "Berger sagte der „Bild“, die Lage sei ernst.",
    ],
)
def test_scare_quotes_and_titles_are_not_statements(text):
    assert [q for q in quotes(text) if q.kind == "direct"] == []


@pytest.mark.parametrize(
    "text, words",
    [
        ("Hofmann sprach von einer „historischen Wende“ in Berlin.", "historischen Wende"),
        ("Berger nannte das Angebot „einen schlechten Witz“.", "einen schlechten Witz"),
    ],
)
def test_short_quoted_words_a_speaker_is_said_to_use_are_direct_quotes(text, words):
    # the annotation guide: a quoted short phrase counts when the text attributes it to a speaker
    q = only(text, "direct")
    assert q.text == words and q.speaker_key in ("hofmann", "berger")


def test_reported_sentence_with_quoted_fragment_gives_two_items():
    text = "Hofmann sagte, die Lage sei „zutiefst besorgniserregend“ und man müsse handeln."
    qs = quotes(text)
    assert sorted(q.kind for q in qs) == ["direct", "reported"]
    direct = next(q for q in qs if q.kind == "direct")
    reported = next(q for q in qs if q.kind == "reported")
    assert direct.text == "zutiefst besorgniserregend"
    assert reported.start <= direct.start and direct.end <= reported.end
    assert {q.speaker_key for q in qs} == {"hofmann"}


def test_unclosed_quote_does_not_swallow_the_paragraph():
    text = "„Das ist ein Fehler, sagte Berger.\n\nHofmann sagte, die Lage sei ernst."
    qs = quotes(text)
    assert [q.kind for q in qs] == ["reported"]
    assert qs[0].speaker_key == "hofmann"


# ------------------------------------------------------------------ reported speech


def test_reported_speech_with_sagte_before():
    text = "Hofmann sagte, die Gespräche seien konstruktiv gewesen."
    q = only(text)
    assert q.kind == "reported"
    assert q.text == "die Gespräche seien konstruktiv gewesen"
    assert q.speaker_key == "hofmann" and q.verb == "sagen"


@pytest.mark.parametrize(
    "text, verb",
    [
        ("Die Verhandlungen seien gescheitert, so Brandt.", "so"),
        ("Laut Brandt seien die Verhandlungen gescheitert.", "laut"),
        ("Brandt zufolge seien die Verhandlungen gescheitert.", "zufolge"),
        ("Nach Angaben von Brandt seien die Verhandlungen gescheitert.", "nach Angaben"),
        ("Wie Brandt mitteilte, seien die Verhandlungen gescheitert.", "mitteilen"),
        ("Wie Brandt sagte, seien die Verhandlungen gescheitert.", "sagen"),
        ("Die Verhandlungen seien gescheitert, teilte Brandt am Abend mit.", "mitteilen"),
        ("Die Verhandlungen seien gescheitert, erklärte Brandt.", "erklären"),
        ("Brandt kündigte an, die Verhandlungen würden abgebrochen.", "ankündigen"),
        ("Brandt bekräftigte, man werde die Verhandlungen fortsetzen.", "bekräftigen"),
        ("Brandt warnte, die Verhandlungen könnten scheitern.", "warnen"),
        ("Brandt hat betont, dass die Verhandlungen weitergehen.", "betonen"),
    ],
)
def test_attribution_frames(text, verb):
    q = only(text)
    assert q.kind == "reported"
    assert q.speaker_key == "brandt", q
    assert q.verb == verb
    assert "Verhandlungen" in q.text
    check_spans(text, [q])


def test_frame_span_cuts_trailing_clause():
    text = "Die Verhandlungen seien gescheitert, teilte Brandt am Abend mit."
    assert only(text).text == "Die Verhandlungen seien gescheitert"


def test_nach_angaben_des_org():
    text = "Nach Angaben des Kremls sei das Treffen gut verlaufen."
    q = only(text)
    assert q.speaker == "Kreml" and q.speaker_key == "kreml" and q.verb == "nach Angaben"


def test_nach_compound_angaben():
    text = "Beide Seiten wollen sich nach Kreml-Angaben bald wieder treffen."
    q = only(text)
    assert q.speaker_key == "kreml"


def test_heisst_es_in_document():
    text = "Beide Staaten lehnten jede Einmischung ab, heißt es in der gemeinsamen Erklärung."
    q = only(text)
    assert q.kind == "reported" and q.verb == "heißen"
    assert q.speaker == "gemeinsamen Erklärung" and q.speaker_key is None
    assert q.text == "Beide Staaten lehnten jede Einmischung ab"


def test_hiess_es_aus_regierungskreisen():
    text = "Eine Einigung sei in Reichweite, hieß es aus Regierungskreisen."
    q = only(text)
    assert q.speaker == "Regierungskreisen" and q.speaker_key is None and q.verb == "heißen"


def test_heisst_es_without_source_keeps_statement_without_speaker():
    text = "Die Gespräche seien vertagt worden, heißt es."
    q = only(text)
    assert q.speaker is None and q.verb == "heißen"


def test_direct_quote_with_heisst_es_darin_takes_the_document():
    text = (
        "Am Abend veröffentlichten beide Regierungen eine gemeinsame Erklärung. "
        "„Beide Seiten wollen den Handel ausbauen und die Zölle senken“, heißt es darin."
    )
    q = only(text, "direct")
    assert q.speaker == "gemeinsame Erklärung" and q.verb == "heißen"


def test_konjunktiv_carries_over_following_sentences():
    text = (
        "Hofmann sagte am Montag, die Lage sei ernst. Man werde alles tun, um zu helfen. "
        "Die Regierung wolle keine Eskalation. Dies gelte auch für die Nachbarn. "
        "Die Nato verlegt unterdessen Truppen nach Osten. Es sei kalt.\n\n"
        "Im Süden regnet es. Dort habe es Überschwemmungen gegeben."
    )
    qs = quotes(text)
    # Konjunktiv I marks reported speech: after a sentence of narrative it goes on with the last source
    # (same or next paragraph), further away it is nobody's
    assert [q.text for q in qs] == [
        "die Lage sei ernst",
        "Man werde alles tun, um zu helfen",
        "Die Regierung wolle keine Eskalation",
        "Dies gelte auch für die Nachbarn",
        "Es sei kalt",
        "Dort habe es Überschwemmungen gegeben",
    ]
    assert {q.speaker_key for q in qs} == {"hofmann"}
    assert all(q.kind == "reported" for q in qs)
    far = "Hofmann sagte, die Lage sei ernst.\n\nDer Winter kommt.\n\nDie Nato verlegt Truppen.\n\nEs sei kalt."
    assert [q.text for q in quotes(far)] == ["die Lage sei ernst"]


def test_konjunktiv_needs_attribution():
    text = "Das könnte teuer werden. Es wäre besser, früher zu beginnen."
    assert quotes(text) == []


def test_konjunktiv_ii_and_modal_forms():
    text = "Vogt erklärte, sie könnten das Projekt noch retten. Es hätte schlimmer kommen können."
    qs = quotes(text)
    assert len(qs) == 2 and {q.speaker_key for q in qs} == {"vogt"}


def test_indicative_frame_statement():
    text = "Der Nato zufolge sind die Manöver rein defensiv."
    q = only(text)
    assert q.speaker_key == "nato" and q.verb == "zufolge"


def test_embedded_partial_quote_gets_sentence_speaker():
    text = "Berger betonte, dass beide Länder „eng und vertrauensvoll zusammenarbeiten“ wollten."
    q = only(text, "direct")
    assert q.text == "eng und vertrauensvoll zusammenarbeiten"
    assert q.speaker_key == "berger" and q.verb == "betonen"


def test_quoted_words_inside_reported_speech_are_a_nested_direct_item():
    # the annotation guide: a reported sentence holding a quoted fragment is two items, same speaker
    text = "Hofmann sei „zutiefst enttäuscht“, sagte Brandt."
    qs = quotes(text)
    assert [(q.kind, q.speaker_key) for q in qs] == [("reported", "brandt"), ("direct", "brandt")]
    assert qs[1].text == "zutiefst enttäuscht"


# ------------------------------------------------------------------ speaker vs channel


def test_relayed_by_verb_speaker_and_channel():
    text = "Li habe Hofmann Unterstützung zugesichert, sagte Hofmanns Berater Brandt."
    q = only(text)
    assert q.speaker_key == "li" and q.speaker == "Li Wen"
    assert q.channel_key == "brandt" and q.channel == "Peter Brandt"
    assert q.verb == "zusichern"


def test_relayed_with_apposition_channel():
    text = (
        "Dies habe der Präsident Li Wen am Telefon zugesichert, teilte der Sprecher der Delegation, "
        "Peter Brandt, am Mittwoch mit."
    )
    q = only(text)
    assert q.speaker_key == "li" and q.channel_key == "brandt"
    assert q.text == "Dies habe der Präsident Li Wen am Telefon zugesichert"


def test_laut_agency_is_channel():
    text = "Laut Xinhua sagte Li, beide Länder müssten enger zusammenarbeiten."
    q = only(text)
    assert q.speaker_key == "li" and q.channel_key == "xinhua" and q.verb == "sagen"
    assert q.text == "beide Länder müssten enger zusammenarbeiten"


def test_zufolge_agency_is_channel():
    text = "Li sagte der Nachrichtenagentur Xinhua zufolge, man wolle die Beziehungen vertiefen."
    q = only(text)
    assert q.speaker_key == "li" and q.channel_key == "xinhua"


def test_wie_agency_berichtete_is_channel():
    text = "Wie die Nachrichtenagentur Tass berichtete, betonte Hofmann, dass die Tür offen bleibe."
    q = only(text)
    assert q.speaker_key == "hofmann" and q.channel_key == "tass" and q.verb == "betonen"
    assert q.text == "dass die Tür offen bleibe"


def test_so_speaker_laut_channel():
    text = "Die Beziehungen seien so gut wie nie, so Li laut Xinhua."
    q = only(text)
    assert q.speaker_key == "li" and q.channel_key == "xinhua" and q.verb == "so"
    assert q.text == "Die Beziehungen seien so gut wie nie"


def test_zitieren_makes_the_object_the_speaker():
    text = "Er kenne Li schon lange, hatte der Sender Tass Hofmann zuvor zitiert."
    q = only(text)
    assert q.speaker_key == "hofmann" and q.channel_key == "tass" and q.verb == "zitieren"


def test_relayed_report_continues_with_the_relay():
    text = (
        "Li habe die Teilnahme zugesagt, teilte Brandt mit. Zuvor sei lange verhandelt worden."
    )
    qs = quotes(text)
    assert qs[0].speaker_key == "li" and qs[0].channel_key == "brandt"
    assert qs[1].speaker_key == "brandt" and qs[1].channel_key is None


# ------------------------------------------------------------------ speaker resolution


def test_pronoun_resolves_to_nearest_person():
    text = "Lena Vogt kam am Morgen nach Berlin. Sie sagte, man habe nichts zu verbergen."
    q = only(text)
    assert q.speaker_key == "vogt" and q.speaker == "Lena Vogt"
    assert text[q.speaker_start : q.speaker_end] == "Sie"


def test_pronoun_after_quote_agrees_in_gender():
    # the nearest preceding person whose gender fits: Anna Berger (Ministerin) is not "er"
    text = "Hofmann traf Berger in Berlin. „Wir sind uns in allen Punkten einig“, sagte er."
    assert only(text, "direct").speaker_key == "hofmann"
    text = "Hofmann traf Berger in Berlin. „Wir sind uns in allen Punkten einig“, sagte sie."
    assert only(text, "direct").speaker_key == "berger"
    text = "Brandt traf Hofmann in Berlin. „Wir sind uns einig“, sagte er."
    assert only(text, "direct").speaker_key == "hofmann"  # both male: the nearest


def test_role_and_organisation_nouns_resolve_to_the_body_named_before():
    text = ("Die Senatsgesundheitsverwaltung hat 23 Millionen Euro ausgezahlt. Davon seien 460 Plätze "
            "geschaffen worden, teilte die Behörde mit. Die Gesundheitsverwaltung erklärte, man habe keine "
            "Hinweise auf Missbrauch.")
    qs = quotes(text)
    assert [q.speaker for q in qs] == ["Senatsgesundheitsverwaltung", "Senatsgesundheitsverwaltung"]


def test_unnamed_spokesperson_speaks_for_the_organisation_just_named():
    text = ("Die beiden Standorte der St. Hedwig-Kliniken planen zehn neue Betten. „Die Geräte sind "
            "bestellt“, teilte eine Sprecherin mit.")
    assert only(text, "direct").speaker == "St. Hedwig-Kliniken"


def test_acronym_speaker_gets_its_written_out_name():
    text = ("Die Gewerkschaft Nahverkehr und Schiene (GNS) ruft zum Streik auf. "
            "Betroffen seien alle Linien, teilte die Gewerkschaft mit.")
    mentions = [Mention(text.index("GNS"), text.index("GNS") + 3, "GNS", EntityType.ORG, "gns", "GNS")]
    qs = find_quotes(text, sentences(text), mentions)
    assert [q.speaker for q in qs] == ["Gewerkschaft Nahverkehr und Schiene"]


def test_role_noun_resolves_by_role():
    text = (
        "Der Präsident Karl Hofmann empfing die Ministerin Anna Berger. "
        "Die Ministerin erklärte, die Zusammenarbeit werde ausgebaut."
    )
    q = only(text)
    assert q.speaker_key == "berger"


def test_role_noun_with_adjective_picks_the_right_president():
    text = (
        "Der deutsche Präsident Karl Hofmann traf den chinesischen Präsidenten Li Wen. "
        "Hofmann lobte das Treffen. Der chinesische Präsident erklärte, China unterstütze den Plan."
    )
    q = only(text)
    assert q.speaker_key == "li"


def test_role_noun_uses_mention_role_field():
    text = "Peter Brandt traf Lena Vogt in Berlin. Der Berater sagte, die Gespräche würden fortgesetzt."
    q = only(text)
    assert q.speaker_key == "brandt"  # only Brandt has role "Berater"


def test_spokesperson_of_org_resolves_to_org():
    text = "Ein Sprecher des Umweltministeriums erklärte, die Werte seien unbedenklich."
    q = only(text)
    assert q.speaker_key == "bmu" and q.speaker == "Bundesumweltministerium"
    assert text[q.speaker_start : q.speaker_end] == "Sprecher des Umweltministeriums"


def test_role_with_name_next_to_it():
    text = "Hofmanns Berater Brandt sagte, der Termin stehe fest."
    q = only(text)
    assert q.speaker_key == "brandt"


def test_org_speaker():
    text = "Der Kreml teilte mit, das Treffen finde wie geplant statt."
    q = only(text)
    assert q.speaker_key == "kreml" and q.speaker == "Kreml" and q.verb == "mitteilen"


def test_unknown_speaker_keeps_raw_phrase():
    # the annotation guide: an unnamed spokesperson speaks for their organisation, named or not
    text = "Ein Vertreter der Gewerkschaft sagte, es gebe keine Einigung."
    q = only(text)
    assert q.speaker_key is None
    assert q.speaker == "Gewerkschaft"


def test_unknown_subject_stops_carry_over():
    text = "Hofmann sagte, die Lage sei ernst. Die Opposition betont, es gebe Alternativen."
    qs = quotes(text)
    assert qs[0].speaker_key == "hofmann"
    assert qs[1].speaker == "Opposition" and qs[1].speaker_key is None


# ------------------------------------------------------------------ robustness


def test_empty_and_quote_free_text():
    assert find_quotes("", [], []) == []
    text = "Am Montag regnete es in Berlin. Die Straßen waren nass."
    assert quotes(text) == []


def test_without_sentences_argument_still_works():
    text = "„Wir bleiben bei unserem Kurs und ändern nichts“, sagte Berger."
    qs = find_quotes(text, [], mentions_of(text))
    assert len(qs) == 1 and qs[0].text == "Wir bleiben bei unserem Kurs und ändern nichts"


def test_long_text_with_many_quotes():
    unit = (
        "„Wir werden das schaffen“, sagte Berger. Hofmann sagte, die Lage sei ernst. "
        "Man werde helfen. Die Zeitung „Bild“ berichtete. \"Offen\n\n"
    )
    text = unit * 400
    qs = quotes(text)
    assert len(qs) >= 1200
    check_spans(text, qs)


_ALPHABET = st.sampled_from(
    list("abcdeHMSsiäöüß ,.:;!?-–\n") + ["„", "“", "”", '"', "»", "«", "‚", "‘", "’", "‹", "›", "'"]
    + [" sagte ", " so ", " laut ", " zufolge ", " sei ", " habe ", "Berger", " Hofmann", " er ", "Kreml",
       " heißt es ", " teilte ", " mit", " nach Angaben des ", " Der Präsident ", " dass ", " wie "]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=80).map("".join))
def test_property_never_raises_and_spans_in_bounds(text):
    qs = find_quotes(text, sentences(text), mentions_of(text))
    for q in qs:
        assert 0 <= q.start < q.end <= len(text)
        assert q.text == text[q.start : q.end]
        assert q.kind in ("direct", "reported")
        if q.speaker_start is not None:
            assert 0 <= q.speaker_start <= q.speaker_end <= len(text)
    assert [q.start for q in qs] == sorted(q.start for q in qs)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_property_arbitrary_text(text):
    qs = find_quotes(text, sentences(text), [])
    for q in qs:
        assert 0 <= q.start < q.end <= len(text)


# ------------------------------------------------------------------ media that relay a statement


@pytest.mark.parametrize(
    "text, medium",
    [
        ("„Wir bleiben dabei“, sagte Berger der Süddeutschen Zeitung.", "Süddeutsche Zeitung"),
        ("„Wir bleiben dabei“, sagte Berger gegenüber dem Tagesspiegel.", "Tagesspiegel"),
        ("Berger sagte in einem Interview mit dem Sender Fox News, man bleibe dabei.", "Fox News"),
        ("„Wir bleiben dabei“, twitterte Berger.", "Twitter"),
    ],
)
def test_medium_named_in_the_speech_clause_is_the_channel(text, medium):
    qs = quotes(text)
    assert qs and all(q.speaker_key == "berger" and q.channel == medium for q in qs)


def test_an_interviews_medium_spreads_to_the_speakers_other_statements():
    text = ("„Wir bleiben dabei“, sagte Berger der Süddeutschen Zeitung. Hofmann widersprach. "
            "Berger sagte zudem, die Regeln würden verschärft.")
    qs = quotes(text)
    assert [(q.speaker_key, q.channel) for q in qs] == [("berger", "Süddeutsche Zeitung"),
                                                        ("berger", "Süddeutsche Zeitung")]


def test_a_person_in_the_dative_is_no_channel():
    q = only("„Wir bleiben dabei“, sagte Berger dem Minister.", "direct")
    assert q.channel is None


def test_unnamed_relative_is_named_by_the_relation():
    text = "Berger wurde in die Klinik gebracht. „Es ging ihr sehr schlecht“, erinnerte sich ihr Vater."
    assert only(text, "direct").speaker == "Vater von Anna Berger"


def test_the_speech_verb_next_to_a_quote_attributes_it():
    text = ("Die Regierung erklärt das so: „Wir haben keine Wahl“, schreibt Hofmann, der Präsident. "
            "„Es geht nicht anders.“")
    qs = quotes(text)
    assert [q.speaker_key for q in qs] == ["hofmann", "hofmann"]


def test_colon_introduction_names_the_speaker_of_the_next_quote():
    text = "Berger sprach von einer Krise. Hofmann dazu:\n„Das ist im Alltag nicht möglich.“"
    qs = [q for q in quotes(text) if q.kind == "direct"]
    assert [q.speaker_key for q in qs] == ["hofmann"]
