"""The JSON API: every route, pagination, 4xx for bad parameters, token-protected ingest, size limits."""
from __future__ import annotations

from urllib.parse import quote

from conftest import auth


def test_openapi_schema(demo_client):
    schema = demo_client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in ("/api/v1/events", "/api/v1/events/{event_id}", "/api/v1/storylines", "/api/v1/entities",
                 "/api/v1/articles", "/api/v1/articles/{article_id}", "/api/v1/search", "/api/v1/outlets"):
        assert path in paths, path
    assert "post" in paths["/api/v1/articles"]
    assert not any(p.startswith("/events") for p in paths)  # HTML pages are not part of the API


def test_lists_are_paginated(demo_client):
    first = demo_client.get("/api/v1/events", params={"limit": 5}).json()
    assert len(first["items"]) == 5 and first["next_offset"] == 5
    second = demo_client.get("/api/v1/events", params={"limit": 5, "offset": 5}).json()
    assert {e["id"] for e in first["items"]}.isdisjoint(e["id"] for e in second["items"])
    last = demo_client.get("/api/v1/events", params={"limit": 100}).json()
    assert last["next_offset"] is None
    for route in ("events", "storylines", "entities", "articles"):
        r = demo_client.get(f"/api/v1/{route}", params={"limit": 1000})
        assert r.status_code == 422 and "limit" in r.json()["error"]["message"]
        assert demo_client.get(f"/api/v1/{route}", params={"offset": "x"}).status_code == 422


def test_bad_parameters_are_4xx(demo_client):
    r = demo_client.get("/api/v1/events", params={"since": "not a date"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "E401"
    assert demo_client.get("/api/v1/entities", params={"type": "XYZ"}).status_code == 422
    assert demo_client.get("/api/v1/events/ev-none").status_code == 404
    assert demo_client.get("/api/v1/search").status_code == 422  # q is required


def test_detail_routes(demo_client):
    event = demo_client.get("/api/v1/events", params={"limit": 1}).json()["items"][0]
    detail = demo_client.get(f"/api/v1/events/{event['id']}").json()
    for key in ("id", "title", "start", "end", "articles", "entities", "articles_by_outlet", "dates_mentioned", "quotes"):
        assert key in detail
    line = demo_client.get("/api/v1/storylines").json()["items"][0]
    sl = demo_client.get(f"/api/v1/storylines/{line['id']}").json()
    assert len(sl["timeline"]) >= 2 and len(sl["changes"]) == len(sl["timeline"]) - 1
    ent = demo_client.get("/api/v1/entities", params={"limit": 1}).json()["items"][0]
    ed = demo_client.get("/api/v1/entities/" + quote(ent["id"], safe="")).json()
    for key in ("variants", "timeline", "cooccurring", "quotes_by", "quotes_about", "recent_events"):
        assert key in ed
    art = demo_client.get("/api/v1/articles/demo-001").json()
    assert art["text"] and art["entities"] and "quotes" in art and "dates" in art
    assert demo_client.get("/api/v1/articles", params={"outlet": "Tagesblick"}).json()["items"]
    outlets = demo_client.get("/api/v1/outlets").json()
    assert sum(o["articles"] for o in outlets) == 67
    cmp = demo_client.get(f"/api/v1/events/{event['id']}/comparison")
    assert cmp.status_code in (200, 404)


def test_writing_is_off_without_token(demo_client):
    r = demo_client.post("/api/v1/articles", json={"text": "Ein Text.", "title": "T"})
    assert r.status_code == 403 and "writing is off" in r.json()["error"]["message"]


def test_ingest_needs_the_token(empty_client):
    body = {"id": "api-1", "title": "Gipfel", "text": "Die Regierung fordert Sicherheitsgarantie für alle.",
            "date": "2022-01-05", "outlet": "Testblatt"}
    assert empty_client.post("/api/v1/articles", json=body).status_code == 401
    assert empty_client.post("/api/v1/articles", json=body,
                             headers={"Authorization": "Bearer wrong"}).status_code == 401
    r = empty_client.post("/api/v1/articles", json=body, headers=auth())
    assert r.status_code == 200, r.text
    assert r.json()["stored"] == 1
    again = empty_client.post("/api/v1/articles", json=[body], headers=auth()).json()
    assert again["stored"] == 0 and again["already_stored"] == 1
    # German-aware search: the plural finds the singular
    hits = empty_client.get("/api/v1/search", params={"q": "Sicherheitsgarantien"}).json()["hits"]
    assert [h["id"] for h in hits] == ["api-1"]
    assert "<mark>Sicherheitsgarantie</mark>" in hits[0]["snippet_html"]
    assert empty_client.get("/api/v1/articles/api-1").json()["outlet"] == "Testblatt"


def test_ingest_reports_bad_records(empty_client):
    r = empty_client.post("/api/v1/articles", json={"articles": [{"title": "no text"}]}, headers=auth())
    assert r.status_code == 422 and r.json()["failed"] == 1
    r = empty_client.post("/api/v1/articles", content=b"{not json", headers={**auth(), "content-type": "application/json"})
    assert r.status_code == 422
    r = empty_client.post("/api/v1/articles", json=[], headers=auth())
    assert r.status_code == 400


def test_request_size_limit(empty_client):
    big = {"text": "x" * (9 * 1024 * 1024)}
    r = empty_client.post("/api/v1/articles", json=big, headers=auth())
    assert r.status_code == 413


def test_security_headers(demo_client):
    r = demo_client.get("/")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
