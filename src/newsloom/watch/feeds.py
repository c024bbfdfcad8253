"""The list of feeds to watch: a text file (one URL a line, optionally followed by the outlet's name; ``#``
comments) or an OPML file (``<outline xmlUrl=... title=...>``, nested outlines too)."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlsplit

from newsloom.errors import E_FEED_LIST, E_IO, InputProblem


@dataclass(frozen=True)
class FeedSpec:
    url: str
    outlet: str | None = None  # the outlet's name for the articles; None: the feed address's host


def valid_feed_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def read_feed_list(path: str) -> tuple[list[FeedSpec], list[InputProblem]]:
    """The feeds of a feeds file or OPML file, and a problem (file, line, reason) for each unusable entry.
    A URL listed twice is kept once (the first outlet name wins)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        return [], [InputProblem(E_IO, path, None, f"cannot read: {exc.strerror or exc}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [InputProblem(E_FEED_LIST, path, None, "not valid UTF-8")]
    head = text.lstrip()[:200].lower()
    if head.startswith("<?xml") or head.startswith("<opml"):
        specs, problems = _read_opml(path, text)
    else:
        specs, problems = _read_lines(path, text)
    seen: set[str] = set()
    unique = []
    for spec in specs:
        if spec.url not in seen:
            seen.add(spec.url)
            unique.append(spec)
    return unique, problems


def _read_lines(path: str, text: str) -> tuple[list[FeedSpec], list[InputProblem]]:
    specs, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 1)
        url, name = parts[0], " ".join(parts[1].split()) if len(parts) > 1 else ""
        if not valid_feed_url(url):
            problems.append(InputProblem(E_FEED_LIST, path, number, f"not an http(s) address: {url[:200]!r}"))
            continue
        specs.append(FeedSpec(url, name or None))
    return specs, problems


def _read_opml(path: str, text: str) -> tuple[list[FeedSpec], list[InputProblem]]:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        return [], [InputProblem(E_FEED_LIST, path, exc.position[0] if exc.position else None,
                                 f"malformed OPML: {exc}")]
    specs, problems = [], []
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not url:
            continue  # a folder
        if not valid_feed_url(url):
            problems.append(InputProblem(E_FEED_LIST, path, None, f"outline with an unusable xmlUrl {url[:200]!r}"))
            continue
        name = (outline.get("title") or outline.get("text") or "").strip()
        specs.append(FeedSpec(url, " ".join(name.split()) or None))
    if not specs and not problems:
        problems.append(InputProblem(E_FEED_LIST, path, None, "the OPML file lists no feeds (outline xmlUrl)"))
    return specs, problems
