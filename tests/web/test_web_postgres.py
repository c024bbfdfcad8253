"""The web pages and the JSON API over a PostgreSQL store: the same answers as over the SQLite store (the demo
corpus on both), and the page and API tests that read the demo store, run again on PostgreSQL."""
from __future__ import annotations

from urllib.parse import quote

import pytest
import test_web_api
import test_web_pages
from fastapi.testclient import TestClient

from newsloom.web.app import create_app


@pytest.fixture(scope="module")
def pg_client(pg_demo_store):
    with TestClient(create_app(pg_demo_store.store.url, warm_comparisons=False)) as client:
        yield client


def _paths(client) -> list[str]:
    events = client.get("/api/v1/events", params={"limit": 100}).json()["items"]
    lines = client.get("/api/v1/storylines", params={"limit": 100}).json()["items"]
    entities = client.get("/api/v1/entities", params={"limit": 30}).json()["items"]
    articles = client.get("/api/v1/articles", params={"limit": 100}).json()["items"]
    outlet = client.get("/api/v1/outlets").json()[0]["outlet"]
    paths = ["/api/v1/events?limit=100", "/api/v1/storylines?limit=100", "/api/v1/entities?limit=100",
             "/api/v1/articles?limit=100", "/api/v1/outlets", f"/api/v1/events?outlet={quote(outlet.lower())}",
             "/api/v1/events?since=2024-01&until=2024-12", "/api/v1/events?entity=Berlin",
             "/api/v1/entities?type=PER&limit=50", "/api/v1/entities?name=ber&limit=50",
             f"/api/v1/articles?outlet={quote(outlet.upper())}&limit=100"]
    paths += [f"/api/v1/events/{e['id']}" for e in events]
    paths += [f"/api/v1/events/{e['id']}/comparison" for e in events[:3]]
    paths += [f"/api/v1/storylines/{s['id']}" for s in lines]
    paths += [f"/api/v1/entities/{quote(e['id'], safe='')}" for e in entities]
    paths += [f"/api/v1/articles/{quote(a['id'], safe='')}" for a in articles]
    return paths


def test_json_api_answers_alike_on_both_backends(demo_client, pg_client):
    paths = _paths(demo_client)
    assert paths == _paths(pg_client)
    differing = []
    for path in paths:
        left, right = demo_client.get(path), pg_client.get(path)
        assert left.status_code == right.status_code == 200, path
        if left.json() != right.json():
            differing.append(path)
    assert not differing, differing[:5]


def test_search_api_finds_the_same_articles(demo_client, pg_client):
    for query in ("Berlin", "sagte Regierung", '"NATO OR (', "'; DROP TABLE articles; --"):
        left = demo_client.get("/api/v1/search", params={"q": query, "limit": 100}).json()
        right = pg_client.get("/api/v1/search", params={"q": query, "limit": 100}).json()
        assert left["total"] == right["total"], query
        assert {h["id"] for h in left["hits"]} == {h["id"] for h in right["hits"]}, query
        assert all("<mark>" in h["title_html"] + h["snippet_html"] for h in right["hits"]), query


def test_pages_open_on_postgres(pg_client):
    for path in ("/", "/storylines", "/entities", "/search?q=Berlin", "/search?q=Berlin&outlet=x",
                 "/?outlet=" + quote(pg_client.get("/api/v1/outlets").json()[0]["outlet"].lower())):
        response = pg_client.get(path)
        assert response.status_code == 200, path
        assert "Traceback" not in response.text


@pytest.mark.parametrize("test", [
    test_web_api.test_lists_are_paginated, test_web_api.test_bad_parameters_are_4xx, test_web_api.test_detail_routes,
    test_web_pages.test_overview_lists_events_storylines_and_outlet_counts,
    test_web_pages.test_overview_filters_and_pagination, test_web_pages.test_event_page,
    test_web_pages.test_event_page_quotes_with_speakers, test_web_pages.test_storyline_page_has_svg_timeline_and_changes,
    test_web_pages.test_entity_page, test_web_pages.test_article_page_highlights_entities_dates_quotes,
    test_web_pages.test_search_filters,
], ids=lambda test: test.__name__)
def test_demo_page_and_api_tests_pass_on_postgres(pg_client, test):
    test(pg_client)
