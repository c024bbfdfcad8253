"""Untrusted article text and hostile queries: everything escaped, nothing executes, never a 5xx."""
from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import quote

import pytest

from conftest import TOKEN, auth
from fastapi.testclient import TestClient

from newsloom.web.app import create_app

HOSTILE = [
    {"id": "evil-1", "title": "<script>alert('t1')</script> Gipfel in Berlin",
     "text": "Kanzler Olaf Scholz sagte: „<script>alert('x1')</script> Wir bleiben.“ Die NATO tagt am 5. Januar 2022 "
             "in Berlin. <img src=x onerror=alert('x2')> Ende.",
     "date": "2022-01-04", "outlet": "<b onmouseover=alert('o1')>Böses Blatt</b>",
     "url": "javascript:alert('u1')"},
    {"id": "evil-2\" onmouseover=\"alert('a1')", "title": "Attribut \" onmouseover=\"alert('a2') x=\"",
     "text": "Die NATO trifft sich in Berlin. \" onmouseover=\"alert('a3')\" und ' onfocus='alert(1)' "
             "sowie </textarea></title><svg onload=alert('s1')>.",
     "date": "2022-01-05", "outlet": "Testblatt", "url": "  JaVaScRiPt:alert('u2')"},
    {"id": "evil-3", "title": "Normaler Titel", "text": "Die NATO berät in Berlin über Sicherheitsgarantien.",
     "date": "2022-01-05", "outlet": "Testblatt", "url": "data:text/html,<script>alert(1)</script>"},
    {"id": "good-url", "title": "Mit Link", "text": "Die NATO berät in Brüssel.", "date": "2022-01-06",
     "outlet": "Testblatt", "url": "https://example.org/a?b=1&c=<2>"},
]

class _Scan(HTMLParser):
    """Collects what a browser would execute: script elements, on* handler attributes, javascript:/data: links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        own_script = tag == "script" and (dict(attrs).get("src") or "").startswith("/static/")  # newsloom's own
        if tag in ("script", "iframe", "object", "embed", "base") and not own_script:
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> handler")
            if name in ("href", "src", "action", "formaction", "xlink:href") and value:
                scheme = value.strip().lower()
                if not (scheme.startswith(("/", "#", "?", "http://", "https://"))):
                    self.problems.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    app = create_app(str(tmp_path_factory.mktemp("hostile") / "h.db"), token=TOKEN)
    with TestClient(app) as client:
        r = client.post("/api/v1/articles", json=HOSTILE, headers=auth())
        assert r.status_code == 200, r.text
        assert r.json()["stored"] == len(HOSTILE)
        yield client


def _assert_inert(html: str) -> None:
    scan = _Scan()
    scan.feed(html)
    scan.close()
    assert not scan.problems, scan.problems


def _pages(client) -> list[str]:
    urls = ["/", "/storylines", "/entities", "/search?q=NATO", "/search?q=script", "/search?q=onmouseover"]
    for item in HOSTILE:
        urls.append("/articles/" + quote(item["id"], safe=""))
    for e in client.get("/api/v1/events", params={"limit": 100}).json()["items"]:
        urls.append("/events/" + quote(e["id"], safe=""))
        if e["storyline_id"]:
            urls.append("/storylines/" + quote(e["storyline_id"], safe=""))
    for ent in client.get("/api/v1/entities", params={"limit": 100}).json()["items"]:
        urls.append("/entities/" + quote(ent["id"], safe=""))
    return urls


def test_every_page_escapes_untrusted_text(hostile):
    for url in _pages(hostile):
        r = hostile.get(url)
        assert r.status_code == 200, (url, r.status_code)
        _assert_inert(r.text)
    page = hostile.get("/articles/evil-1").text
    assert "&lt;script&gt;alert(" in page
    assert "&lt;b onmouseover=alert(" in page
    page2 = hostile.get("/articles/" + quote(HOSTILE[1]["id"], safe="")).text
    assert "&#34; onmouseover=&#34;alert(" in page2


def test_only_http_urls_become_links(hostile):
    for item in HOSTILE[:3]:
        html = hostile.get("/articles/" + quote(item["id"], safe="")).text
        assert 'class="ext"' not in html
        assert hostile.get("/api/v1/articles/" + quote(item["id"], safe="")).json()["url"] is None
    html = hostile.get("/articles/good-url").text
    assert 'href="https://example.org/a?b=1&amp;c=&lt;2&gt;"' in html


def test_json_api_returns_text_as_data(hostile):
    data = hostile.get("/api/v1/articles/evil-1").json()
    assert "<script>alert('x1')</script>" in data["text"]
    r = hostile.get("/api/v1/articles/evil-1")
    assert r.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize("query", [
    '"NATO OR (', "*", "NEAR(", 'NATO"', '"', "'", "NATO AND", "OR", "NOT NATO", "title:NATO", "NATO^2", "(((",
    ")", "-", "NATO*", "{NATO}", "\\", "%", "_", "''; DROP TABLE articles; --", "\x00", "ü" * 400, "a " * 300,
    "NEAR(NATO Berlin, 2)", "^", "\u202e", "🙂", "NATO -Berlin", ":",
])
def test_hostile_queries_never_fail(hostile, query):
    for url in ("/search", "/api/v1/search"):
        r = hostile.get(url, params={"q": query})
        assert r.status_code < 500, (query, r.status_code, r.text[:300])
        assert r.status_code in (200, 400, 422)
    r = hostile.get("/api/v1/search", params={"q": '"NATO OR ('})
    assert r.json()["total"] >= 0


def test_hostile_query_still_finds(hostile):
    data = hostile.get("/api/v1/search", params={"q": '"NATO OR ('}).json()
    assert data["message"] is None or data["total"] == 0
    data = hostile.get("/api/v1/search", params={"q": 'NATO"'}).json()
    assert data["total"] == 4
    html = hostile.get("/search", params={"q": "<script>alert(1)</script>"}).text
    _assert_inert(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
