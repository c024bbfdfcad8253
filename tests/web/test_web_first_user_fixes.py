"""Issue 10, point 5: what a new user hit, each reproduced on the seeds or the demo corpus and fixed."""
from __future__ import annotations

import re

import pytest

from newsloom.cluster.events import looks_like_headline
from newsloom.records import Precision, TimeSpan
from newsloom.web.render import gap_label, human_date, human_range

ISO_DAY = re.compile(r"\b\d{4}-\d\d-\d\d\b|\b\d{4}-\d\d\b|T\d\d:\d\d")


def _visible(page: str) -> str:
    """The text a reader sees: no tags (and so no attributes), no style."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", page)


def _article_ids(store, event_id):
    return {a.id for a in store.event(event_id).articles}


# -- titles --------------------------------------------------------------------------------------------------
def test_event_and_storyline_titles_prefer_headlines(seeded_store, seeds_client):
    december = seeded_store.event_of_article("000_41325a4c5d1bc65f")
    event = seeded_store.event(december)
    # three articles: two open with a lead sentence (one behind a Reuters dateline), one has a real headline
    headline = seeded_store.article("004_03f6dc859300f74d").title
    assert looks_like_headline(headline)
    assert event.title == headline
    line = seeded_store.storylines()[0]
    assert looks_like_headline(line.title)
    # no dateline or "Stand:" stamp left in any title
    for a in seeded_store.articles():
        assert "(Reuters) -" not in a.title and "Stand:" not in a.title, a.title
    page = seeds_client.get(f"/events/{december}").text
    assert f"<h1>{headline}</h1>" in page


# -- dates ---------------------------------------------------------------------------------------------------
def test_weekday_in_a_month_only_article_is_shown_as_its_window(seeded_store, seeds_client):
    december = seeded_store.event_of_article("000_41325a4c5d1bc65f")
    data = seeds_client.get(f"/api/v1/events/{december}").json()
    weekday = [d for d in data["dates_mentioned"] if any("Mittwoch" in x for x in d["examples"])]
    assert weekday and weekday[0]["span"] == "2021-11/2021-12"  # the window at month precision, not "2021-11"
    page = seeds_client.get(f"/events/{december}").text
    dates = page[page.index('id="dates"'):page.index('id="quotes"')]
    assert "Nov – Dec 2021" in dates and ">2021-11<" not in dates


def test_timespan_iso_of_windows():
    import datetime as dt

    window = TimeSpan(dt.datetime(2021, 11, 25), dt.datetime(2022, 1, 1), Precision.MONTH)
    assert window.iso() == "2021-11/2021-12"
    assert TimeSpan.month(2021, 12).iso() == "2021-12"
    assert TimeSpan(dt.datetime(2021, 1, 1), dt.datetime(2023, 1, 1), Precision.YEAR).iso() == "2021/2022"
    assert TimeSpan.year(2022).iso() == "2022"
    assert TimeSpan.days(dt.date(2021, 12, 1), dt.date(2021, 12, 10)).iso() == "2021-12-01/2021-12-10"


def test_month_only_storyline_dates(seeds_client):
    items = seeds_client.get("/api/v1/storylines").json()["items"]
    assert items and items[0]["start"] == "2021-12"  # not "2021-12-01"
    for path in ("/", "/storylines"):
        text = _visible(seeds_client.get(path).text)
        assert "2021-12-01" not in text and "Dec 2021" in text


def test_human_dates():
    assert human_date("2021-12") == "Dec 2021"
    assert human_date("2021-12-08") == "8 Dec 2021"
    assert human_date("2022-02-04T11:39") == "4 Feb 2022, 11:39"
    assert human_date("2021-12-01/2021-12-10") == "1–10 Dec 2021"
    assert human_date("2021-11/2021-12") == "Nov – Dec 2021"
    assert human_date(None) == "undated"
    assert human_range("2021-12", "2022-02-04T11:39") == "Dec 2021 – 4 Feb 2022, 11:39"
    assert human_range("2025-10-20", "2025-10-20") == "20 Oct 2025"


def test_no_raw_iso_timestamps_in_html_but_iso_in_json(demo_client, seeds_client):
    for client in (demo_client, seeds_client):
        events = client.get("/api/v1/events", params={"limit": 100}).json()["items"]
        assert all(re.fullmatch(r"\d{4}(-\d\d(-\d\d(T\d\d:\d\d)?)?)?", e["start"]) for e in events)
        lines = client.get("/api/v1/storylines").json()["items"]
        pages = ["/", "/storylines", "/entities"] + [f"/events/{e['id']}" for e in events[:8]]
        pages += [f"/storylines/{s['id']}" for s in lines[:3]]
        pages += [f"/articles/{a['id']}" for e in events[:3] for a in e["articles"][:1]]
        top = client.get("/api/v1/entities", params={"limit": 2}).json()["items"]
        pages += [f"/entities/{x['id']}" for x in top] + ["/search?q=Putin", "/search?q=Warnstreik"]
        for path in pages:
            page = client.get(path)
            assert page.status_code == 200, path
            text = _visible(page.text)
            # article texts and quotes are the articles' own words; everything newsloom writes is human
            found = [m for m in ISO_DAY.findall(text)]
            assert not found, (path, found[:5])


# -- outlets and entities --------------------------------------------------------------------------------
def test_outlet_names_normalised(demo_client):
    outlets = [o["outlet"] for o in demo_client.get("/api/v1/outlets").json()]
    assert "DNA" in outlets
    assert not any(o.startswith("DNA ") or "Nachrichtenagentur" in o for o in outlets), outlets


def test_credits_are_not_entities(seeded_store):
    names = {e.name.casefold() for e in seeded_store.entities(limit=None)}
    assert "reuters" not in names and "afp" not in names and "apa" not in names


def test_inflected_forms_are_one_entity(seeded_store):
    games = [e for e in seeded_store.entities(limit=None) if "winterspiel" in e.name.casefold()]
    assert len(games) == 1, [(e.id, e.variants) for e in games]
    assert {"Olympischen Winterspiele", "Olympischen Winterspielen"} <= set(games[0].variants)


def test_entities_list_has_their_events(demo_client):
    items = demo_client.get("/api/v1/entities", params={"limit": 10}).json()["items"]
    assert items and all(e["events"] for e in items)
    one = items[0]
    assert set(one["events"]) <= set(demo_client.get(f"/api/v1/entities/{one['id']}").json()["events"]) | set(one["events"])
    for event_id in one["events"][:3]:
        assert demo_client.get(f"/api/v1/events/{event_id}").status_code == 200


# -- API docs ------------------------------------------------------------------------------------------------
def test_docs_page_served_offline(demo_client):
    r = demo_client.get("/docs")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    schema = demo_client.get("/api/v1/openapi.json").json()
    for path in schema["paths"]:
        assert f"<code>{path}</code>" in page
    assert "<script" not in page and "cdn" not in page.lower()
    assert not re.search(r'(src|href)="https?://', page)
    nav = demo_client.get("/").text
    assert 'href="/docs"' in nav and 'href="/api/v1/openapi.json">API' not in nav


# -- storyline changes ---------------------------------------------------------------------------------------
def test_storyline_gaps_and_entity_changes(demo_client):
    for s in demo_client.get("/api/v1/storylines", params={"limit": 100}).json()["items"]:
        data = demo_client.get(f"/api/v1/storylines/{s['id']}").json()
        for change in data["changes"]:
            assert change["days"] is None or change["days"] >= 0
            new = {e["name"].casefold() for e in change["new_entities"]}
            dropped = {e["name"].casefold() for e in change["dropped_entities"]}
            assert not new & dropped, (s["id"], new & dropped)
        page = demo_client.get(f"/storylines/{s['id']}").text
        assert not re.search(r"-\d+ days? later", page)


def test_gap_labels():
    assert gap_label({"start": "2025-10-20", "end": "2025-10-22"}, {"start": "2025-10-21"}) == "at the same time"
    assert gap_label({"start": "2025-10-20", "end": "2025-10-22"}, {"start": "2025-10-23"}) == "the next day"
    assert gap_label({"start": "2025-10-20", "end": "2025-10-22"}, {"start": "2025-10-30"}) == "8 days later"
    assert gap_label({"start": "2021-12", "end": "2021-12"}, {"start": "2022-02-04T11:39"}) == "about 1 month later"


@pytest.mark.parametrize("title, headline", [
    ("Xi stärkt Putin den Rücken", True),
    ("Der Präsident sagte am Mittwoch, man sei bereit.", False),
    ("Der russische Präsident hat nach Angaben seines Amtes die Unterstützung gewonnen …", False),
    ("", False),
])
def test_looks_like_headline(title, headline):
    assert looks_like_headline(title) is headline
