"""Tests for newsloom.compare: claims, paraphrase grouping, disagreements, citations, storyline diffs, JSON.

Every example text is written for these tests.
"""
from __future__ import annotations

import datetime as dt
import json

from newsloom.compare import compare_articles, diff_comparisons, split_claims
from newsloom.compare.claims import Claim
from newsloom.compare.group import group_claims
from newsloom.nlp.analyze import analyze
from newsloom.nlp.text import sentences
from newsloom.records import Analysis, Article, EntityType, Mention, MentionKind, Quote, TimeSpan

DAY = TimeSpan.day(dt.date(2024, 3, 5))


def item(article_id: str, outlet: str, text: str):
    article = Article(id=article_id, title=text.split(".")[0][:60], text=text, published=DAY, outlet=outlet)
    return article, analyze(article)


def group_of(comparison, article_id: str, needle: str):
    for g in comparison.groups:
        for c in g.claims:
            if c.article_id == article_id and needle in c.text:
                return g
    raise AssertionError(f"no claim with {needle!r} in {article_id}")


# -- claims -------------------------------------------------------------------------------------------------
def test_claims_skip_boilerplate_and_keep_spans():
    text = (
        "Hafenstadt (ABC) - Die Fähre nach Inselheim fährt ab Montag wieder. Die Reederei hatte den Betrieb "
        "wegen Sturmschäden drei Wochen lang eingestellt.\n\n"
        "Neue Fahrpläne\n\n"
        "Der Hafenmeister sagte, die Anleger seien repariert. (ABC)\n\n"
        "Ein Kran am Kai, aufgenommen im Januar. FOTOAGENTUR\n\n"
        "Mehr zum Thema - Fähren im Winter: Was Reisende wissen müssen"
    )
    article, analysis = item("a1", "Hafenblatt", text)
    claims = split_claims(article, analysis)
    texts = [c.text for c in claims]
    assert texts[0].startswith("Hafenstadt (ABC) - Die Fähre")
    assert any(t.startswith("Die Reederei hatte") for t in texts)
    assert any(t.startswith("Der Hafenmeister sagte") for t in texts)
    assert not any("Mehr zum Thema" in t or t == "(ABC)" or "Neue Fahrpläne" == t or "FOTOAGENTUR" in t
                   for t in texts)
    for c in claims:
        assert text[c.start:c.end] == c.text


def test_stand_stamp_is_cut_and_colon_intro_joins_quote():
    text = ("Die Stadt plant eine neue Brücke über den Fluss. Stand: 04.03.2024 11:39 Uhr\n\n"
            "Der Bürgermeister erklärte:\n\n\"Wir bauen die Brücke bis 2027.\"")
    article, analysis = item("a2", "Stadtblatt", text)
    claims = split_claims(article, analysis)
    assert claims[0].text == "Die Stadt plant eine neue Brücke über den Fluss."
    joined = [c for c in claims if c.text.startswith("Der Bürgermeister erklärte")]
    assert joined and joined[0].text.endswith("2027.\"")


def test_quantities_with_units():
    text = "Rund 1.200 Beschäftigte legen die Arbeit nieder. Die Firma bietet drei Prozent mehr Lohn und 2,5 Millionen Euro."
    article, analysis = item("a3", "X", text)
    claims = split_claims(article, analysis)
    values = {(q.value, q.unit) for c in claims for q in c.quantities}
    assert (1200.0, "=beschäftigte") in values
    assert (3.0, "prozent") in values
    assert (2_500_000.0, "euro") in values


# -- grouping -------------------------------------------------------------------------------------------------
def test_paraphrases_group_across_outlets_and_unrelated_claims_do_not():
    a = item("p1", "Morgenpost", "Die Regierung ruft die Bürger auf, auf Reisen in das Krisengebiet zu verzichten. "
             "Die Bahn erhöht im Sommer ihre Preise.")
    b = item("p2", "Abendzeitung", "Die Regierung fordert die Bürger auf, Reisen in das Krisengebiet zu stoppen. "
             "Im Zoo wurde ein Elefant geboren.")
    comp = compare_articles([a, b])
    g = group_of(comp, "p1", "verzichten")
    assert {c.article_id for c in g.claims} == {"p1", "p2"}
    assert g.status == "core"
    assert group_of(comp, "p1", "Bahn") is not group_of(comp, "p2", "Elefant")
    assert set(comp.outlet("Morgenpost").only) == {group_of(comp, "p1", "Bahn").id}
    assert set(comp.outlet("Abendzeitung").only) == {group_of(comp, "p2", "Elefant").id}


def test_wire_copies_count_once_per_outlet():
    wire = "Die Polizei hat am Dienstag den Hauptbahnhof wegen eines verdächtigen Koffers geräumt. "
    a = item("w1", "Kurier", wire + "Der Zugverkehr ruhte zwei Stunden.")
    b = item("w2", "Kurier", wire + "Der Zugverkehr ruhte zwei Stunden. Der Koffer war leer.")
    c = item("w3", "Anzeiger", wire)
    comp = compare_articles([a, b, c])
    g = group_of(comp, "w3", "Koffers")
    assert g.outlets == ["Anzeiger", "Kurier"]
    assert sum(1 for x in g.claims if x.outlet == "Kurier") == 1


def test_a_group_never_takes_two_claims_of_one_article():
    claims = [
        Claim("x:0", "x", "A", 0, 10, "Streik heute", terms={"=streiken": 1, "heute": 1}, text_key="1"),
        Claim("x:11", "x", "A", 11, 20, "Streik heute", terms={"=streiken": 1, "heute": 1}, text_key="2"),
        Claim("y:0", "y", "B", 0, 10, "Streik heute", terms={"=streiken": 1, "heute": 1}, text_key="3"),
    ]
    groups = group_claims(claims)
    assert all(len({claims[i].article_id for i in g}) == len(g) for g in groups)


# -- disagreements ----------------------------------------------------------------------------------------------
def test_numbers_that_disagree_for_the_same_quantity():
    a = item("n1", "Morgenpost", "Rund 1200 Beschäftigte der Verkehrsbetriebe sind zum Warnstreik aufgerufen.")
    b = item("n2", "Abendzeitung", "Etwa 1500 Mitarbeiter der Verkehrsbetriebe sollen beim Warnstreik die Arbeit niederlegen.")
    comp = compare_articles([a, b])
    numbers = [d for d in comp.disagreements if d.kind == "number"]
    assert len(numbers) == 1
    values = {(v["outlet"], v["value"]) for v in numbers[0].values}
    assert values == {("Morgenpost", 1200), ("Abendzeitung", 1500)}
    for v in numbers[0].values:
        text = dict(n1=a, n2=b)[v["article_id"]][0].text
        assert text[v["start"]:v["end"]] == v["text"]
        assert text[v["sentence_start"]:v["sentence_end"]] == v["sentence"]


def test_equal_numbers_are_no_disagreement():
    a = item("e1", "Morgenpost", "Rund 1200 Beschäftigte der Verkehrsbetriebe sind zum Warnstreik aufgerufen.")
    b = item("e2", "Abendzeitung", "Etwa 1200 Mitarbeiter der Verkehrsbetriebe sollen beim Warnstreik die Arbeit niederlegen.")
    assert not compare_articles([a, b]).disagreements


def test_figures_of_very_different_size_are_no_disagreement():
    # a count and a rate of the same unit measure different things
    a = item("r1", "Morgenpost", "Das Gesundheitsamt meldete am Mittwoch fast 15000 Neuinfektionen im Land.")
    b = item("r2", "Abendzeitung", "Das Gesundheitsamt meldete am Mittwoch 50 Neuinfektionen je 100.000 Einwohner im Land.")
    comp = compare_articles([a, b])
    assert not [d for d in comp.disagreements if d.kind == "number"]


# -- citations ----------------------------------------------------------------------------------------------------
def _hand_item(article_id, outlet, text, people, quotes):
    """An analysis built by hand: ``people`` maps surface form -> (key, name, type); ``quotes`` lists
    (quoted text, speaker surface form)."""
    mentions = []
    for surface, (key, name, etype, kind) in people.items():
        start = 0
        while (pos := text.find(surface, start)) >= 0:
            mentions.append(Mention(pos, pos + len(surface), surface, EntityType(etype), key, name,
                                    MentionKind(kind)))
            start = pos + len(surface)
    found = []
    for quoted, speaker in quotes:
        pos = text.find(quoted)
        key, name, _, _ = people[speaker]
        found.append(Quote(pos, pos + len(quoted), quoted, "direct", name, key, verb="sagte"))
    article = Article(article_id, "t", text, DAY, outlet)
    return article, Analysis(article_id, sentences(text), sorted(mentions, key=lambda m: m.start), [], found)


PEOPLE = {
    "nordische": ("LOC:nordland", "Nordland", "LOC", "demonym"),
    "südische": ("LOC:südland", "Südland", "LOC", "demonym"),
    "Ole Berg": ("PER:ole berg", "Ole Berg", "PER", "name"),
    "Berg": ("PER:ole berg", "Ole Berg", "PER", "name"),
    "Ana Sol": ("PER:ana sol", "Ana Sol", "PER", "name"),
    "Sol": ("PER:ana sol", "Ana Sol", "PER", "name"),
}


def test_citations_counts_sides_and_one_sided_outlet():
    one = _hand_item(
        "c1", "Nordblatt",
        "Der nordische Minister Ole Berg sagte: „Wir halten den Vertrag ein.“ Berg sagte außerdem: „Wir warten ab.“",
        {k: v for k, v in PEOPLE.items() if k in ("nordische", "Ole Berg", "Berg")},
        [("Wir halten den Vertrag ein.", "Ole Berg"), ("Wir warten ab.", "Berg")])
    both = _hand_item(
        "c2", "Südpost",
        "Der nordische Minister Ole Berg sagte: „Wir halten den Vertrag ein.“ "
        "Die südische Ministerin Ana Sol sagte: „Der Vertrag ist gebrochen.“",
        {k: v for k, v in PEOPLE.items() if k in ("nordische", "südische", "Ole Berg", "Ana Sol")},
        [("Wir halten den Vertrag ein.", "Ole Berg"), ("Der Vertrag ist gebrochen.", "Ana Sol")])
    comp = compare_articles([one, both])
    nord, sued = comp.outlet("Nordblatt"), comp.outlet("Südpost")
    assert [(s.name, s.count, s.side) for s in nord.speakers] == [("Ole Berg", 2, "Nordland")]
    assert {(s.name, s.side) for s in sued.speakers} == {("Ole Berg", "Nordland"), ("Ana Sol", "Südland")}
    assert comp.sides == ["Nordland", "Südland"]
    assert nord.one_sided and not sued.one_sided
    assert nord.officials_only is False or nord.officials_only is True  # a flag, always present
    quote = nord.speakers[0].quotes[0]
    assert one[0].text[quote["start"]:quote["end"]] == quote["text"]


# -- storylines ----------------------------------------------------------------------------------------------------
def test_storyline_diff_new_and_dropped_claims():
    first = compare_articles([
        item("s1", "Morgenpost", "Die Gewerkschaft ruft zum Warnstreik bei den Verkehrsbetrieben auf. "
             "Der Bürgermeister appelliert an beide Seiten."),
    ], event_id="ev-1")
    second = compare_articles([
        item("s2", "Morgenpost", "Die Gewerkschaft ruft erneut zum Warnstreik bei den Verkehrsbetrieben auf. "
             "Ein Schlichter soll den Tarifstreit beenden."),
    ], event_id="ev-2")
    step = diff_comparisons(first, second)
    assert step.from_event == "ev-1" and step.to_event == "ev-2"
    new = [g["claims"][0]["text"] for g in step.new]
    dropped = [g["claims"][0]["text"] for g in step.dropped]
    assert any("Schlichter" in t for t in new)
    assert any("Bürgermeister" in t for t in dropped)
    assert len(step.kept) == 1 and "Warnstreik" in step.kept[0]["after"]["claims"][0]["text"]


# -- JSON -------------------------------------------------------------------------------------------------------------
def test_json_shape_is_stable():
    a = item("j1", "Morgenpost", "Rund 1200 Beschäftigte sind zum Warnstreik aufgerufen. Der Zoo öffnet.")
    b = item("j2", "Abendzeitung", "Etwa 1500 Beschäftigte sind zum Warnstreik aufgerufen.")
    data = json.loads(json.dumps(compare_articles([a, b], event_id="ev-x", title="T").to_json()))
    assert set(data) >= {"schema", "event_id", "title", "outlets", "core", "groups", "disagreements", "sides"}
    assert data["schema"] == 1 and data["event_id"] == "ev-x"
    outlet = data["outlets"][0]
    assert set(outlet) >= {"outlet", "articles", "n_claims", "only", "some", "missing_core", "citations"}
    assert set(outlet["citations"]) >= {"speakers", "channels", "sides", "one_sided", "officials_only"}
    group = data["groups"][0]
    assert set(group) >= {"id", "label", "status", "outlets", "n_outlets", "claims"}
    assert set(group["claims"][0]) >= {"article_id", "outlet", "start", "end", "text", "kind", "speaker"}
    assert set(data["disagreements"][0]) >= {"kind", "group", "quantity", "values"}
    assert set(data["disagreements"][0]["values"][0]) >= {"value", "text", "outlet", "article_id", "start", "end",
                                                         "sentence", "sentence_start", "sentence_end"}
    ids = {g["id"] for g in data["groups"]}
    assert set(data["core"]) <= ids and all(set(o["only"]) <= ids for o in data["outlets"])


def test_seventy_articles_compare():
    base = ("Die Gewerkschaft ruft die Beschäftigten der Verkehrsbetriebe zum Warnstreik auf. Rund {n} Beschäftigte "
            "sollen die Arbeit niederlegen. Der Bürgermeister appelliert an beide Seiten, an den Verhandlungstisch "
            "zurückzukehren. Das Unternehmen nennt den Streik unverhältnismäßig und bietet {p} Prozent mehr Lohn. "
            "Die Stadt empfiehlt, auf das Fahrrad umzusteigen. Die nächste Verhandlungsrunde ist im Oktober. "
            "Schulen richten einen Notdienst ein. Pendler müssen mit Staus rechnen. Der Verband {k} warnt vor "
            "Folgen für den Einzelhandel. Die Polizei erwartet keine Zwischenfälle. ")
    items = []
    for i in range(70):
        text = base.format(n=1000 + 100 * (i % 5), p=2 + i % 3, k=f"V{i}") * 2
        items.append(item(f"f{i:02d}", f"Outlet {i % 12}", text))
    comp = compare_articles(items)
    assert comp.core
    assert all(len({c.article_id for c in g.claims}) == len(g.claims) for g in comp.groups)


# -- calibrated "only here" -----------------------------------------------------------------------------------------
def test_one_outlet_groups_carry_the_decision_and_the_closest_claim_as_evidence():
    a = item("u1", "Morgenpost", "Die Regierung ruft die Bürger auf, auf Reisen in das Krisengebiet zu verzichten. "
             "Im Hafen von Nordstadt sank am Montag ein Frachter mit 40 Containern.")
    b = item("u2", "Abendzeitung", "Die Regierung fordert die Bürger auf, Reisen in das Krisengebiet zu stoppen. "
             "Die Regierung rät den Bürgern, in das Krisengebiet nicht mehr zu reisen.")
    comp = compare_articles([a, b])
    data = json.loads(json.dumps(comp.to_json()))
    texts = {"u1": a[0].text, "u2": b[0].text}
    for g in data["groups"]:
        assert {"only_here", "only_score", "closest"} <= set(g)
        if g["status"] != "unique":
            assert g["only_here"] is False and g["closest"] is None
            continue
        assert 0.0 <= g["only_score"] <= 1.0
        near = g["closest"]
        assert near["outlet"] not in g["outlets"] and -1.0 <= near["score"] <= 1.0
        assert texts[near["article_id"]][near["start"]:near["end"]] == near["text"]
    for o in data["outlets"]:
        assert "maybe_only" in o
        only = [g for g in data["groups"] if g["id"] in o["only"]]
        assert all(g["status"] == "unique" and g["only_here"] for g in only)
        maybe = [g for g in data["groups"] if g["id"] in o["maybe_only"]]
        assert all(g["status"] == "unique" and not g["only_here"] for g in maybe)
    # the ship with new names, a new place and a figure is reported by one outlet only
    ship = group_of(comp, "u1", "Frachter")
    assert ship.id in comp.outlet("Morgenpost").only
    # the second paraphrase of the travel warning is close to a claim of the other outlet: never "only here"
    again = group_of(comp, "u2", "rät den Bürgern")
    assert again.id not in comp.outlet("Abendzeitung").only


def test_anchor_keys_meet_across_inflection():
    from newsloom.compare.claims import anchor_key

    assert anchor_key("ORG:olympischen winterspiele") == anchor_key("ORG:olympischen winterspielen")
    assert anchor_key("PER:wladimir putin") == anchor_key("PER:wladimir putins")
    assert anchor_key("LOC:rom") == "LOC:rom"


def test_word_vectors_know_paraphrases():
    from newsloom.nlp.wordvectors import word_vectors

    wv = word_vectors()
    v = wv.vector("Lockdown")
    assert v is not None and abs(float(v @ v) - 1.0) < 1e-3
    assert wv.vector("lockdown") is not None  # case variants are looked up like the tagger does
    assert wv.similarity("Lockdown", "Shutdown") > wv.similarity("Lockdown", "Banane") + 0.2
    assert wv.vector("xqzvbn") is None
