"""Feed documents and article pages: RSS 2.0 / Atom / RDF via feedparser, page text via trafilatura.

Items are recognised across polls and restarts by *keys*: the feed's GUID (per feed host), the address with
tracking parameters and fragments removed, the title + summary of the entry (per outlet), and after fetching
the page's final and canonical addresses and a hash of its text (per outlet). Any key seen before means the
item is known: it is not fetched or stored again, whatever new address it comes under.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import io
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from newsloom.errors import E_FEED_PARSE

# query parameters that only track where a click came from
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|mc_cid|mc_eid|wt_mc|wt_zmc|at_\w+|ns_\w+|xtor|ref_src|"
                       r"cmp|icid|ito|ocid)$", re.IGNORECASE)


class FeedParseError(Exception):
    code = E_FEED_PARSE

    def __init__(self, message: str):
        super().__init__(f"[{E_FEED_PARSE}] {message}")
        self.message = message


@dataclass
class FeedItem:
    guid: str | None
    link: str | None
    title: str
    summary: str  # plain text
    content: str = ""  # plain text of the full content the feed carries (content:encoded, atom:content), if any
    published: str | None = None  # ISO wall-clock time as the outlet gave it ("2026-12-02T10:15")


@dataclass
class ParsedFeed:
    title: str | None
    language: str | None
    items: list[FeedItem] = field(default_factory=list)


@dataclass
class Page:
    text: str
    title: str | None = None
    date: str | None = None
    canonical: str | None = None


def normalize_url(url: str) -> str:
    """The address without fragment and tracking parameters, host lower-cased, query sorted."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    netloc = parts.netloc.lower()
    if netloc.endswith(":80") and parts.scheme == "http":
        netloc = netloc[:-3]
    if netloc.endswith(":443") and parts.scheme == "https":
        netloc = netloc[:-4]
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(sorted(query)), ""))


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def text_hash(text: str) -> str:
    return _digest(" ".join(text.split()).casefold())


def item_keys(item: FeedItem, *, feed_url: str, outlet: str | None) -> list[str]:
    """Keys known before fetching: GUID (per feed host), address, title + summary (per outlet). First = primary."""
    keys = []
    if item.guid:
        keys.append(f"guid:{urlsplit(feed_url).netloc.lower()}|{item.guid.strip()}")
    if item.link:
        keys.append("url:" + normalize_url(item.link))
    summary = " ".join(item.summary.split())
    if item.title and len(summary) >= 40:
        keys.append(f"entry:{outlet or ''}|{_digest(' '.join(item.title.split()).casefold() + '|' + summary.casefold())}")
    return keys


def article_id_for(primary_key: str) -> str:
    """A stable article id from the item's primary key ("w" + 16 hex digits)."""
    return "w" + _digest(primary_key)[:16]


def parse_feed(body: bytes, *, url: str, content_type: str | None = None, limit: int = 300) -> ParsedFeed:
    """The items of an RSS/Atom/RDF document (newest ``limit``). Raises ``FeedParseError`` for anything that is
    not a readable feed (HTML, garbage, broken XML without entries)."""
    import feedparser

    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    # a stream, never a string: feedparser would treat a string that looks like an address as one to fetch
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    entries = parsed.get("entries") or []
    if not entries:  # an empty feed is fine; a document that is none, or broken XML, is not
        reason = parsed.get("bozo_exception")
        harmless = reason is None or type(reason).__name__ in ("NonXMLContentType", "CharacterEncodingOverride")
        if not parsed.get("version") or not harmless:
            raise FeedParseError(f"{url}: not a readable RSS, Atom or RDF feed"
                                 + (f" ({type(reason).__name__}: {reason})" if reason else ""))
    feed = parsed.get("feed") or {}
    language = (feed.get("language") or "").split("-")[0].lower()[:8] or None
    items = []
    for entry in entries[:limit]:
        title = " ".join(html_to_text(entry.get("title") or "").split())
        summary = html_to_text(entry.get("summary") or entry.get("description") or "")
        content = ""
        for part in entry.get("content") or []:
            value = html_to_text(part.get("value") or "")
            if len(value) > len(content):
                content = value
        link = entry.get("link") or None
        guid = entry.get("id") or None
        if not (title or summary or content) or not (link or guid or summary):
            continue
        items.append(FeedItem(guid=guid, link=link, title=title, summary=summary, content=content,
                              published=_entry_date(entry)))
    return ParsedFeed(title=" ".join((feed.get("title") or "").split()) or None, language=language, items=items)


def _entry_date(entry) -> str | None:
    for name in ("published", "updated", "created", "dc_date"):
        raw = entry.get(name)
        if raw:
            moment = parse_feed_date(raw)
            if moment is not None:
                return moment.isoformat(timespec="minutes")
    for name in ("published_parsed", "updated_parsed"):
        parsed = entry.get(name)
        if parsed:
            return dt.datetime(*parsed[:6]).isoformat(timespec="minutes")  # UTC: the offset was lost
    return None


def parse_feed_date(raw: str) -> dt.datetime | None:
    """RFC 822 (RSS) or ISO 8601 (Atom, RDF dc:date) -> the wall-clock time as given, offset dropped."""
    raw = raw.strip()
    try:
        moment = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        moment = None
    if moment is None:
        try:
            moment = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            return None
    return moment.replace(tzinfo=None)


_BREAKS = re.compile(r"<\s*(br|/p|/div|/li|/h\d)\s*/?\s*>", re.IGNORECASE)


def html_to_text(value: str) -> str:
    """Plain text of an HTML snippet (a feed summary); paragraph breaks kept."""
    if "<" not in value and "&" not in value:
        return value.strip()
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(_BREAKS.sub("\n", value), create_parent="div")
        text = root.text_content()
    except (ValueError, lxml.etree.ParserError):
        text = re.sub(r"<[^>]*>", " ", value)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line).strip()


def extract_page(body: bytes, *, url: str) -> Page | None:
    """The main text and metadata of an article page (trafilatura); None when it has no article text."""
    import trafilatura

    try:
        document = trafilatura.bare_extraction(body, url=url, with_metadata=True, include_comments=False)
    except Exception:  # noqa: BLE001 - trafilatura raises many kinds on broken markup; the page is just unusable
        return None
    if document is None:
        return None
    meta = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    text = (meta.get("text") or "").strip()
    if not text:
        return None
    canonical = meta.get("url")
    return Page(text=text, title=meta.get("title") or None, date=meta.get("date") or None,
                canonical=canonical if isinstance(canonical, str) and canonical.startswith("http") else None)
