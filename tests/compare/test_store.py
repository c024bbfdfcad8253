"""Comparison, quotes API and CLI over stores: the real seeds (read in place from ../shared/seeds; the fixtures skip, saying why, where it is absent) and the demo."""
from __future__ import annotations

import json


from newsloom.cli import main


def _event_with(loom, prefix: str) -> str:
    ids = [r[0] for r in loom.db.execute("SELECT id FROM articles") if r[0].startswith(prefix)]
    return loom.event_of_article(ids[0])


def _only_texts(comparison, article_prefix: str) -> list[str]:
    outlet = next(o for o in comparison.outlets if any(a.startswith(article_prefix) for a in o.articles))
    return [c.text for g in comparison.only(outlet.outlet) for c in g.claims]


def _has(texts: list[str], *words: str) -> bool:
    return any(all(w.lower() in t.lower() for w in words) for t in texts)


def _not_elsewhere(comparison, prefix: str, *words: str) -> bool:
    return not any(all(w.lower() in c.text.lower() for w in words)
                   for g in comparison.groups for c in g.claims if not c.article_id.startswith(prefix))


def test_february_seed_event_unique_items_per_outlet(seeded_store):
    comp = seeded_store.compare_event(_event_with(seeded_store, "002"))
    assert len(comp.outlets) == 2
    only_003 = _only_texts(comp, "003")
    only_002 = _only_texts(comp, "002")
    assert _has(only_003, "Erdgas") and _not_elsewhere(comp, "003", "Erdgas")  # the gas supply deal
    assert _has(only_003, "AUKUS")  # the AUKUS condemnation
    assert _has(only_002, "Dokumente", "zugespielt")  # the leaked document
    assert _has(only_002, "Analysten")  # the analysts' assessment
    assert not _has(only_003, "Analysten") and not _has(only_002, "AUKUS")


def test_december_seed_event_only_one_outlet_mentions_troops_near_the_border(seeded_store):
    comp = seeded_store.compare_event(_event_with(seeded_store, "000"))
    assert len(comp.outlets) == 3
    carriers = [o.outlet for o in comp.outlets
                if any(_has([c.text for c in comp.group(g).claims], "Soldaten", "Grenz") for g in o.only)]
    assert len(carriers) == 1
    everywhere = [c for g in comp.groups for c in g.claims if "Grenznähe" in c.text]
    assert len({c.outlet for c in everywhere}) == 1
    for g in comp.groups:
        for c in g.claims:
            text = seeded_store.article(c.article_id).text
            assert text[c.start:c.end] == c.text


def test_seed_storyline_diff(seeded_store):
    line = seeded_store.storylines()[0]
    result = seeded_store.compare_storyline(line.id)
    assert len(result.steps) == 1
    step = result.steps[0]
    assert step.new and step.dropped
    assert any("Erdgas" in c["text"] for g in step.new for c in g["claims"])


def test_quotes_api_filters(seeded_store):
    all_quotes = seeded_store.quotes()
    assert all_quotes
    event = _event_with(seeded_store, "004")
    in_event = seeded_store.quotes(event=event)
    assert in_event and all(q.event_id == event for q in in_event)
    putin = seeded_store.quotes(speaker="putin")
    assert putin and all("putin" in (q.speaker or "").lower() or "putin" in (q.speaker_key or "") for q in putin)
    reuters = seeded_store.quotes(outlet="Reuters")
    assert reuters and all(q.outlet == "Reuters" for q in reuters)
    article = reuters[0].article_id
    assert {q.article_id for q in seeded_store.quotes(article=article)} == {article}
    text = seeded_store.article(article).text
    for q in seeded_store.quotes(article=article):
        assert text[q.start:q.end] == q.text


def test_cli_compare_and_quotes(seeded_store, capsys):
    db = seeded_store.store.path
    event = _event_with(seeded_store, "002")
    assert main(["--db", db, "compare", event, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["event_id"] == event and data["groups"]
    assert main(["--db", db, "compare", event]) == 0
    out = capsys.readouterr().out
    assert "SHARED CORE" in out and "PER OUTLET" in out and "WHOM EACH OUTLET CITES" in out
    assert "tagesschau" in out
    assert main(["--db", db, "quotes", "--event", event, "--json"]) == 0
    quotes = json.loads(capsys.readouterr().out)
    assert quotes and set(quotes[0]) >= {"article_id", "outlet", "start", "end", "text", "kind", "speaker",
                                         "channel", "verb", "event_id"}
    assert main(["--db", db, "quotes", "--speaker", "Xi"]) == 0
    assert "Xi" in capsys.readouterr().out
    line = seeded_store.storylines()[0].id
    assert main(["--db", db, "compare", "--storyline", line]) == 0
    assert "new" in capsys.readouterr().out


def test_demo_number_disagreement(demo_store):
    event = demo_store.event_of_article("demo-013")
    comp = demo_store.compare_event(event)
    found = [d for d in comp.disagreements if d.kind == "number"
             and {v["value"] for v in d.values} >= {1200, 1500}]
    assert found, [d.to_json() for d in comp.disagreements]


def test_december_seed_event_does_not_call_the_shared_call_unique(seeded_store):
    # all three articles report the same video call and largely the same positions: at most half of an
    # article's claims may be "only here" (the uncalibrated comparison listed 14 of 16 and 12 of 17)
    comp = seeded_store.compare_event(_event_with(seeded_store, "000"))
    for o in comp.outlets:
        listed = sum(len(comp.group(g).claims) for g in o.only)
        assert listed <= o.n_claims / 2, (o.outlet, listed, o.n_claims)
    for g in comp.groups:
        if g.status == "unique":
            assert g.closest is not None and g.closest.claim.outlet not in g.outlets
