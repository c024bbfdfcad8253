"""Every HTML page over the demo corpus and the seeds: content, filters, pagination, errors."""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from newsloom.web import queries


def _ids(client, route, **params):
    return client.get(f"/api/v1/{route}", params={"limit": 100, **params}).json()["items"]


def test_overview_lists_events_storylines_and_outlet_counts(demo_client):
    r = demo_client.get("/")
    assert r.status_code == 200
    html = r.text
    assert "Overview" in html and 'class="events"' in html and 'class="storylines"' in html
    assert "Articles per outlet" in html and "Tagesblick" in html
    assert "Oberbürgermeister mahnt Tarifparteien" in html  # a storyline title of the demo corpus
    # newest first
    starts = re.findall(r'<time class="when" datetime="(\d{4}-\d\d-\d\d)', html)
    assert starts and starts == sorted(starts, reverse=True)


def test_overview_filters_and_pagination(demo_client):
    all_events = _ids(demo_client, "events")
    r = demo_client.get("/", params={"outlet": "Tagesblick"})
    assert r.status_code == 200 and 'selected>Tagesblick' in r.text.replace('"Tagesblick" selected', "selected")
    for e in _ids(demo_client, "events", outlet="Tagesblick"):
        assert "Tagesblick" in e["outlets"]
    only = _ids(demo_client, "events", entity="Feldhaus")
    assert 0 < len(only) < len(all_events)
    assert all(e["start"] >= "2025-11" for e in _ids(demo_client, "events", since="2025-11"))
    page1 = demo_client.get("/").text
    assert ('rel="next"' in page1) == (len(all_events) > 20)  # 20 per page
    page2 = demo_client.get("/", params={"offset": 10}).text
    assert 'rel="prev"' in page2
    assert demo_client.get("/", params={"since": "gestern"}).status_code == 400
    assert demo_client.get("/", params={"offset": -1}).status_code == 400
    assert "No events match" in demo_client.get("/", params={"entity": "Niemand Nirgendwo"}).text


def test_event_page(demo_client):
    events = _ids(demo_client, "events")
    with_copy = next(e for e in events if any(a["duplicate_of"] for a in e["articles"]))
    r = demo_client.get(f"/events/{with_copy['id']}")
    assert r.status_code == 200
    html = r.text
    assert with_copy["title"].replace("&", "&amp;") in html
    assert 'id="articles"' in html and 'class="outlet"' in html
    assert "wire copy of" in html and "near-duplicate" in html
    assert 'id="entities"' in html and 'id="dates"' in html and 'id="quotes"' in html
    has_compare = queries.comparison_module() is not None
    assert ('id="comparison"' in html) == has_compare or "could not be computed" in html
    assert demo_client.get("/events/ev-nope").status_code == 404


def test_event_page_quotes_with_speakers(demo_client):
    for e in _ids(demo_client, "events"):
        data = demo_client.get(f"/api/v1/events/{e['id']}").json()
        if any(q["speaker"] for q in data["quotes"]):
            html = demo_client.get(f"/events/{e['id']}").text
            q = next(q for q in data["quotes"] if q["speaker"])
            assert f'?hl={q["start"]}-{q["end"]}#hl' in html
            return
    pytest.fail("no event with an attributed quote")


def test_storyline_page_has_svg_timeline_and_changes(demo_client):
    line = _ids(demo_client, "storylines")[0]
    r = demo_client.get(f"/storylines/{line['id']}")
    assert r.status_code == 200
    assert '<svg class="timeline"' in r.text and "<circle" in r.text
    assert "what changed" in r.text and 'class="change"' in r.text
    assert r.text.count('href="/events/') >= 2
    assert demo_client.get("/storylines").status_code == 200
    assert demo_client.get("/storylines/st-nope").status_code == 404


def test_entity_page(demo_client):
    ent = demo_client.get("/api/v1/entities", params={"type": "PER"}).json()["items"][0]
    r = demo_client.get("/entities/" + quote(ent["id"], safe=""))
    assert r.status_code == 200
    html = r.text
    assert ent["name"] in html and "Variants" in html and ent["type"] in html
    assert '<svg class="chart"' in html
    assert 'id="cooccurring"' in html and 'id="quotes-by"' in html
    assert demo_client.get("/entities").status_code == 200
    assert demo_client.get("/entities", params={"type": "PER"}).status_code == 200
    assert demo_client.get("/entities/PER:niemand").status_code == 404


def test_article_page_highlights_entities_dates_quotes(demo_client):
    article = demo_client.get("/api/v1/articles/demo-001").json()
    assert article["entities"] and article["quotes"]
    r = demo_client.get("/articles/demo-001")
    assert r.status_code == 200
    html = r.text
    assert 'class="ent PER"' in html and 'class="quote direct"' in html
    if article["dates"]:
        assert '<time class="date"' in html
    # the text survives highlighting (markup removed, entities unescaped)
    body = re.search(r'<div class="text">(.*?)</div>', html, re.S).group(1)
    plain = re.sub(r"<[^>]+>", "", body).replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&")
    assert re.sub(r"\s+", "", plain) == re.sub(r"\s+", "", article["text"])
    q = article["quotes"][0]
    focused = demo_client.get(f"/articles/demo-001?hl={q['start']}-{q['end']}").text
    assert 'id="hl"' in focused
    assert demo_client.get("/articles/demo-001?hl=abc").status_code == 400
    assert demo_client.get("/articles/nope").status_code == 404


def test_search_finds_lemmas_and_highlights(seeds_client):
    r = seeds_client.get("/search", params={"q": "Sicherheitsgarantie"})
    assert r.status_code == 200
    assert "<mark>Sicherheitsgarantien</mark>" in r.text
    data = seeds_client.get("/api/v1/search", params={"q": "Sicherheitsgarantien"}).json()
    assert data["total"] >= 4
    scores = [h["score"] for h in data["hits"]]
    assert scores == sorted(scores, reverse=True)
    assert seeds_client.get("/search").status_code == 200


def test_search_filters(demo_client):
    data = demo_client.get("/api/v1/search", params={"q": "Streik"}).json()
    assert data["total"] > 0
    outlet = data["hits"][0]["outlet"]
    only = demo_client.get("/api/v1/search", params={"q": "Streik", "outlet": outlet}).json()
    assert only["hits"] and all(h["outlet"] == outlet for h in only["hits"])
    assert demo_client.get("/api/v1/search", params={"q": "Streik", "since": "2030"}).json()["total"] == 0
    page = demo_client.get("/search", params={"q": "Streik", "outlet": outlet})
    assert page.status_code == 200 and "<mark>" in page.text


def test_seeds_pages(seeds_client):
    assert seeds_client.get("/").status_code == 200
    for e in _ids(seeds_client, "events"):
        assert seeds_client.get(f"/events/{e['id']}").status_code == 200
        for a in e["articles"]:
            assert seeds_client.get(f"/articles/{quote(a['id'], safe='')}").status_code == 200
