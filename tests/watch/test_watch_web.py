"""The live web view: overview panel, /live fragment, /feeds, /alerts and their JSON API (watches token-protected)."""
from __future__ import annotations

import pytest

pytest.importorskip("fastapi", reason="the web dependencies (fastapi, jinja2) are not installed")

from feedserver import make_watcher, publish, rss  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from newsloom.api import Newsloom  # noqa: E402
from newsloom.cli import demo_corpus_path  # noqa: E402
from newsloom.watch.alerts import add_watch  # noqa: E402
from newsloom.watch.feeds import FeedSpec  # noqa: E402
from newsloom.web.app import create_app  # noqa: E402

TOKEN = "live-token-1"


@pytest.fixture()
def watched_store(feed_server, test_settings, store_paths):
    """A store filled by one poll: a working feed (with a watch and its alert), a failing one."""
    good = feed_server.set("/good.xml", rss(publish(feed_server, ["demo-063", "demo-064", "demo-065"])))
    bad = feed_server.set("/bad.xml", "<script>alert(1)</script>", status=500)
    watcher = make_watcher(store_paths, test_settings)
    watcher.sync([FeedSpec(good, "Tagesblick <b>"), FeedSpec(bad, None)])
    add_watch(watcher.loom, watcher.state, "Lorvanien")
    watcher.poll()
    watcher.close()
    return store_paths, good, bad


def test_overview_shows_newest_and_growing_events_and_refreshes(tmp_path):
    db = str(tmp_path / "demo.db")
    loom = Newsloom(db)
    loom.ingest([demo_corpus_path()], workers=1)
    newest = loom.events(limit=1)[0]
    loom.close()
    with TestClient(create_app(db, warm_comparisons=False)) as client:
        page = client.get("/").text
        assert 'id="live-panel"' in page and '<script src="/static/live.js" defer></script>' in page
        panel = page[page.index('id="live-panel"'):page.index("</section>", page.index('id="live-panel"'))]
        assert "Newest events" in panel and "Fastest growing" in panel
        assert newest.title.replace('"', "&#34;") in panel or newest.title in panel
        assert "+" in panel  # the growing list counts the last day's articles
        fragment = client.get("/live")
        assert fragment.status_code == 200 and fragment.text.count('id="live-panel"') == 1
        assert "<script" not in fragment.text and "<html" not in fragment.text
        assert client.get("/static/live.js").status_code == 200
        assert "live-panel" not in client.get("/?outlet=Tagesblick").text  # filtered lists: no live panel
        data = client.get("/api/v1/live").json()
        assert data["newest"][0]["id"] == newest.id and data["reference"].startswith("2025-11-21")
        growing = data["growing"]
        assert growing and all(g["recent"] >= 1 for g in growing)
        assert [g["recent"] for g in growing] == sorted((g["recent"] for g in growing), reverse=True)


def test_feeds_and_alerts_pages(watched_store):
    db, good, bad = watched_store
    with TestClient(create_app(db, warm_comparisons=False)) as client:
        page = client.get("/feeds").text
        assert good in page and bad in page
        assert "failing (1×)" in page and "HTTP 500" in page
        assert "Tagesblick &lt;b&gt;" in page and "Tagesblick <b>" not in page
        feeds = {f["url"]: f for f in client.get("/api/v1/feeds").json()["items"]}
        assert feeds[good]["items"] == 3 and feeds[good]["failures"] == 0 and feeds[good]["last_success"]
        assert feeds[bad]["failures"] == 1 and "E153" in feeds[bad]["last_error"] and feeds[bad]["next_poll"]
        alerts = client.get("/api/v1/alerts").json()["items"]
        assert alerts and {a["watch"]["value"] for a in alerts} == {"Lorvanien"}
        assert alerts[-1]["kind"] == "new_event"  # the first alert: the event appeared; then its news
        page = client.get("/alerts").text
        assert alerts[0]["event_title"][:30] in page and "Lorvanien" in page
        assert "Latest alerts" in client.get("/").text


def test_watches_api_needs_the_token(watched_store):
    db, _, _ = watched_store
    with TestClient(create_app(db, warm_comparisons=False)) as client:
        assert client.post("/api/v1/watches", json={"value": "Kessler"}).status_code == 403  # writing is off
    with TestClient(create_app(db, token=TOKEN, warm_comparisons=False)) as client:
        assert client.post("/api/v1/watches", json={"value": "Kessler"}).status_code == 401
        bad = {"Authorization": "Bearer nope"}
        assert client.post("/api/v1/watches", json={"value": "Kessler"}, headers=bad).status_code == 401
        auth = {"Authorization": f"Bearer {TOKEN}"}
        made = client.post("/api/v1/watches", json={"value": "Sela Staudamm", "kind": "query"}, headers=auth)
        assert made.status_code == 200 and made.json()["kind"] == "query"
        assert client.post("/api/v1/watches", json={"value": "x", "kind": "other"}, headers=auth).status_code == 422
        values = [w["value"] for w in client.get("/api/v1/watches").json()["items"]]
        assert values == ["Lorvanien", "Sela Staudamm"]
        watch_id = made.json()["id"]
        assert client.delete(f"/api/v1/watches/{watch_id}").status_code == 401
        assert client.delete(f"/api/v1/watches/{watch_id}", headers=auth).json() == {"removed": watch_id}
        missing = client.delete(f"/api/v1/watches/{watch_id}", headers=auth)
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "E301"
