"""The seed articles: two events, one storyline, recognised outlets, merged name variants, resolved dates."""
from __future__ import annotations


def _events_by_article(loom):
    return {a: loom.event_of_article(a) for a in [r[0] for r in loom.db.execute("SELECT id FROM articles")]}


def _short(article_id: str) -> str:
    return article_id.split("_")[0]


def test_two_events_in_one_storyline(seeded_store):
    by_article = _events_by_article(seeded_store)
    groups = {}
    for article, event in by_article.items():
        groups.setdefault(event, set()).add(_short(article))
    assert sorted(map(sorted, groups.values())) == [["000", "001", "004"], ["002", "003"]]
    storylines = {seeded_store.event(e).storyline_id for e in groups}
    assert len(storylines) == 1 and None not in storylines
    line = seeded_store.storyline(storylines.pop())
    assert len(line.timeline) == 2
    assert line.timeline[0].start.startswith("2021-12") and line.timeline[1].start.startswith("2022-02")


def test_outlets_recognised_from_text(seeded_store):
    outlets = {_short(a.id): a for a in seeded_store.articles()}
    assert outlets["000"].outlet_evidence == "credit" and "dpa" in outlets["000"].outlet
    assert outlets["001"].outlet == "Reuters" and outlets["001"].outlet_evidence == "dateline"


def test_month_only_date_is_an_interval(seeded_store):
    article = next(a for a in seeded_store.articles() if a.id.startswith("000"))
    assert article.published == "2021-12" and article.precision == "month"


def test_name_variants_resolve_to_one_entity(seeded_store):
    def entity_of(surface: str) -> set[str]:
        return {r[0] for r in seeded_store.db.execute("SELECT DISTINCT entity_id FROM mentions WHERE text=?", (surface,))}

    for variants in (["Putin", "Putins", "Wladimir Putin"], ["Xi", "Xi Jinping"], ["NATO", "Nato"]):
        ids = set().union(*(entity_of(v) for v in variants))
        assert len(ids) == 1, (variants, ids)
    putin = seeded_store.entity(entity_of("Putin").pop())
    assert putin.name == "Wladimir Putin" and putin.type == "PER"
    assert {"Putin", "Putins", "Wladimir Putin"} <= set(putin.variants)


def test_am_14_februar_resolves(seeded_store):
    article = next(a for a in seeded_store.articles() if a.id.startswith("003"))
    dates = {d["text"]: d for d in seeded_store.dates(article.id)}
    assert dates["Am 14. Februar"]["span_start"].startswith("2022-02-14")
    assert dates["Am 14. Februar"]["precision"] == "day"


def test_event_json_shape(seeded_store):
    event = seeded_store.events()[0].to_json()
    assert {"id", "title", "start", "end", "storyline_id", "articles", "entities"} <= set(event)
    assert {"id", "outlet", "published", "title"} <= set(event["articles"][0])
    line = seeded_store.storylines()[0].to_json()
    assert {"id", "title", "start", "end", "events", "outlets", "entities"} <= set(line)
    assert {"Reuters", "RT DE"} <= set(line["outlets"])
    entity = seeded_store.entities()[0].to_json()
    assert {"id", "name", "type", "variants", "mentions"} <= set(entity)
