"""Helpers of the watch tests: a feed server on 127.0.0.1 that the tests fill themselves with feeds (RSS 2.0,
Atom, RDF) and article pages built from the bundled, self-written demo corpus, plus failing, slow, malformed and
redirecting addresses. No test reaches any other address."""
from __future__ import annotations

import email.utils
import datetime as dt
import html
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from newsloom.api import Newsloom
from newsloom.cli import demo_corpus_path
from newsloom.store.watch import WatchStore


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0
    location: str | None = None  # a redirect
    etag: str | None = None  # answer 304 to If-None-Match with this tag


@dataclass
class FeedServer:
    routes: dict[str, Route] = field(default_factory=dict)
    hits: Counter = field(default_factory=Counter)
    conditional: Counter = field(default_factory=Counter)  # requests that carried If-None-Match / If-Modified-Since
    posted: list = field(default_factory=list)  # JSON bodies POSTed to /hook
    hook_status: int = 200
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def set(self, path: str, body: bytes | str = b"", **options) -> str:
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.routes[path] = Route(body=body, **options)
        return self.url(path)

    def page(self, path: str, article: dict) -> str:
        paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in article["text"].split("\n") if p.strip())
        body = (f"<!doctype html><html lang='de'><head><meta charset='utf-8'><title>{html.escape(article['title'])}"
                f"</title></head><body><nav><a href='/'>Start</a> | <a href='/politik'>Politik</a></nav><main>"
                f"<article><h1>{html.escape(article['title'])}</h1>{paragraphs}</article></main>"
                f"<footer>Impressum · Datenschutz</footer></body></html>")
        return self.set(path, body)


def request_handler(server_state: FeedServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def do_GET(self):  # noqa: N802
            path = self.path
            server_state.hits[path] += 1
            if self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"):
                server_state.conditional[path] += 1
            route = server_state.routes.get(path)
            if route is None:
                return self._send(404, b"not found", "text/plain")
            if route.delay:
                time.sleep(route.delay)
            if route.location:
                self.send_response(route.status if 300 <= route.status < 400 else 302)
                self.send_header("Location", route.location)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if route.etag and self.headers.get("If-None-Match") == route.etag:
                self.send_response(304)
                self.send_header("ETag", route.etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            extra = {"ETag": route.etag} if route.etag else {}
            self._send(route.status, route.body, route.content_type, extra)

        def do_POST(self):  # noqa: N802 - the webhook receiver
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            if server_state.hook_status == 200:
                server_state.posted.append(json.loads(body))
            self._send(server_state.hook_status, b"{}", "application/json")

        def _send(self, status, body, content_type, extra=None):
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (extra or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


def demo_articles() -> dict[str, dict]:
    with open(demo_corpus_path(), encoding="utf-8") as handle:
        return {a["id"]: a for a in map(json.loads, handle)}


def rfc822(value: str | None) -> str:
    moment = dt.datetime.fromisoformat(value) if value and len(value) > 10 else dt.datetime(2025, 11, 1, 12, 0)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone(dt.timedelta(hours=1)))
    return email.utils.format_datetime(moment)


def rss(items: list[dict], title: str = "Testfeed") -> str:
    """An RSS 2.0 document; each item: title, link, guid (optional), summary, date (ISO)."""
    parts = [f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{html.escape(title)}</title>"
             "<link>http://127.0.0.1/</link><description>Test</description><language>de-de</language>"]
    for item in items:
        guid = f"<guid isPermaLink='false'>{html.escape(item['guid'])}</guid>" if item.get("guid") else ""
        parts.append(f"<item><title>{html.escape(item['title'])}</title><link>{html.escape(item['link'])}</link>"
                     f"{guid}<description>{html.escape(item.get('summary', ''))}</description>"
                     f"<pubDate>{rfc822(item.get('date'))}</pubDate></item>")
    parts.append("</channel></rss>")
    return "".join(parts)


def atom(items: list[dict], title: str = "Atomfeed") -> str:
    parts = ["<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
             f"<title>{html.escape(title)}</title><id>urn:test:atom</id><updated>2025-11-20T12:00:00Z</updated>"]
    for item in items:
        parts.append(f"<entry><title>{html.escape(item['title'])}</title><link href='{html.escape(item['link'])}'/>"
                     f"<id>{html.escape(item.get('guid') or item['link'])}</id>"
                     f"<updated>{item.get('date') or '2025-11-01T12:00:00+01:00'}</updated>"
                     f"<summary>{html.escape(item.get('summary', ''))}</summary></entry>")
    parts.append("</feed>")
    return "".join(parts)


def rdf(items: list[dict], title: str = "RDF-Feed") -> str:
    parts = ["<?xml version='1.0' encoding='utf-8'?><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' "
             "xmlns='http://purl.org/rss/1.0/' xmlns:dc='http://purl.org/dc/elements/1.1/'>"
             f"<channel rdf:about='http://127.0.0.1/'><title>{html.escape(title)}</title><link>http://127.0.0.1/</link>"
             "<description>Test</description></channel>"]
    for item in items:
        parts.append(f"<item rdf:about='{html.escape(item['link'])}'><title>{html.escape(item['title'])}</title>"
                     f"<link>{html.escape(item['link'])}</link><description>{html.escape(item.get('summary', ''))}"
                     f"</description><dc:date>{item.get('date') or '2025-11-01T12:00:00+01:00'}</dc:date></item>")
    parts.append("</rdf:RDF>")
    return "".join(parts)


def publish(server: FeedServer, article_ids: list[str], *, prefix: str = "/a/") -> list[dict]:
    """Serve the demo articles' pages; return feed items (title, link, guid, summary, date) for them."""
    corpus = demo_articles()
    items = []
    for article_id in article_ids:
        article = corpus[article_id]
        link = server.page(f"{prefix}{article_id}.html", article)
        items.append({"title": article["title"], "link": link, "guid": f"urn:demo:{article_id}",
                      "summary": article["text"].split("\n")[0][:180], "date": article.get("date")})
    return items


def make_watcher(db: str, settings, *, clock=None, sender_options=None):
    from newsloom.watch.alerts import AlertSender
    from newsloom.watch.poller import Watcher

    loom = Newsloom(db)
    state = WatchStore(db)
    sender = AlertSender(state, settings=settings, **(sender_options or {}))
    watcher = Watcher(loom, state, settings=settings, sender=sender, clock=clock or time.time,
                      log=lambda message: None, trust_env=False)
    return watcher
