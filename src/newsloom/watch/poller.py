"""The polling loop of ``newsloom watch``.

One round: every due feed is fetched (conditional GET); each entry not seen before has its page fetched and its
text extracted (the feed's own text when the page cannot be had); each fetched item is recorded as *pending* in
the watch state (one small transaction); pending items are handed to the ingest (one ``Newsloom.ingest_session``
kept open for the watcher's life: the same reading, de-duplication and online clustering as files, without loading
the clustering state again for each chunk) every ``flush_items`` items or ``flush_seconds``, then
alerts are checked and the items marked *stored*. A feed's ETag/Last-Modified are saved only once all its new
items are recorded, so a kill at any point loses nothing: on restart pending items are ingested without
fetching them again, and a feed whose items were not all recorded is read again in full (known items skipped).

Requests run in a thread pool (one pooled HTTP client; one host at a time at its polite rate); everything that
touches the store runs in the calling thread.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from newsloom.errors import E_PAGE
from newsloom.nlp import memo
from newsloom.settings import WATCH, WatchSettings
from newsloom.store.watch import FeedState, PendingItem, WatchStore
from newsloom.watch.alerts import AlertChecker, AlertSender, FreshArticle
from newsloom.watch.feeds import FeedSpec
from newsloom.watch.fetch import Fetcher, FetchError, Response
from newsloom.watch.items import (FeedItem, FeedParseError, Page, ParsedFeed, article_id_for, extract_page,
                                  item_keys, normalize_url, parse_feed, text_hash)

INGEST_CHUNK = 500  # pending items handed to one ingest call


@dataclass
class WatchReport:
    feeds_polled: int = 0
    feeds_ok: int = 0
    feeds_not_modified: int = 0
    feeds_failed: int = 0
    items_new: int = 0  # entries never seen before, fetched
    items_known: int = 0  # entries seen before (not fetched)
    items_duplicate: int = 0  # fetched, then recognised as a known item (same final address or same text)
    items_from_summary: int = 0  # page unavailable or without text: the feed's text was used
    stored: int = 0
    already_stored: int = 0
    refused: int = 0  # items the ingest could not read (too short, ...)
    duplicates: int = 0  # stored as copies of other articles (wire copies)
    events_created: int = 0
    alerts: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, other: "WatchReport") -> None:
        for name, value in vars(other).items():
            if isinstance(value, int):
                setattr(self, name, getattr(self, name) + value)
        self.problems.extend(other.problems)

    def summary(self) -> str:
        return (f"feeds polled {self.feeds_polled} (ok {self.feeds_ok}, not modified {self.feeds_not_modified}, "
                f"failed {self.feeds_failed}); items new {self.items_new}, known {self.items_known}, duplicate "
                f"{self.items_duplicate}, from summary {self.items_from_summary}; stored {self.stored}, "
                f"refused {self.refused}, new events {self.events_created}, alerts {self.alerts}")

    def to_json(self) -> dict:
        return dict(vars(self))


@dataclass
class _FeedJob:
    feed: FeedState
    polled: float
    response: Response | None = None
    parsed: ParsedFeed | None = None
    remaining: int = 0


@dataclass
class _PageResult:
    job: _FeedJob
    item: FeedItem
    keys: list[str]
    page: Page | None
    final_url: str | None
    reason: str | None


class Watcher:
    """Polls the feeds of one store. Use ``sync`` to set the feed list, then ``poll`` or ``run``."""

    def __init__(self, loom, state: WatchStore, *, settings: WatchSettings = WATCH, fetcher: Fetcher | None = None,
                 sender: AlertSender | None = None, clock: Callable[[], float] = time.time,
                 log: Callable[[str], None] | None = None, trust_env: bool = True,
                 on_flush: Callable[["WatchReport"], None] | None = None):
        self.loom = loom
        self.state = state
        self.settings = settings
        self.fetcher = fetcher or Fetcher(settings, trust_env=trust_env)
        self.checker = AlertChecker(loom, state, settings)
        self.sender = sender
        self.clock = clock
        self.log = log or (lambda message: print(message, file=sys.stderr))
        self.on_flush = on_flush
        self.stop = threading.Event()
        self.ingested_once = False
        self.claimed: dict[str, str] = {}  # keys of the items being fetched -> their article ids
        # the analysis models load while the first feeds are fetched (joined before the first ingest)
        self.warming: threading.Thread | None = None
        self.session = None  # the ingest session, opened at the first ingest (pipeline.IngestSession)

    def close(self) -> None:
        self.fetcher.close()
        if self.session is not None:
            self.session.close()
            self.session = None

    # -- feeds -------------------------------------------------------------------------------------------
    def sync(self, specs: list[FeedSpec]) -> tuple[int, int]:
        return self.state.sync_feeds([(s.url, s.outlet) for s in specs], now=self.clock())

    def backoff(self, failures: int) -> float:
        """Seconds until a feed that failed ``failures`` times in a row is tried again."""
        return min(self.settings.max_backoff_s, self.settings.interval_s * 2 ** max(0, failures - 1))

    # -- the loop ----------------------------------------------------------------------------------------
    def run(self, *, once: bool = False, on_round: Callable[[WatchReport], None] | None = None) -> WatchReport:
        """Poll until ``stop`` is set (or one round with ``once``); returns the totals."""
        total = WatchReport()
        while not self.stop.is_set():
            report = self.poll(ignore_interval=once)
            total.add(report)
            if on_round:
                on_round(report)
            if once:
                break
            next_due = self.state.next_due()
            wait_s = self.settings.interval_s if next_due is None else max(1.0, next_due - self.clock())
            self.stop.wait(min(wait_s, self.settings.interval_s))
        return total

    def poll(self, *, ignore_interval: bool = False) -> WatchReport:
        """One round over the feeds that are due (with ``ignore_interval``: all but those backing off)."""
        report = WatchReport()
        if self.warming is None and not self.ingested_once:
            from newsloom.pipeline import warm_up

            self.warming = threading.Thread(target=warm_up, name="newsloom-warm-up", daemon=True)
            self.warming.start()
        self.flush(report)  # items a killed run had fetched but not ingested
        self._deliver(retry=True)  # alerts a failing webhook did not take last time
        now = self.clock()
        feeds = deque(self.state.due_feeds(now, ignore_interval=ignore_interval))
        pages: deque[tuple[_FeedJob, FeedItem, list[str]]] = deque()
        running: dict[Future, object] = {}
        self.claimed.clear()
        slots = self.settings.workers * 2
        last_flush, since_flush = time.monotonic(), 0
        pool = ThreadPoolExecutor(self.settings.workers, thread_name_prefix="newsloom-watch")
        try:
            while (feeds or pages or running) and not self.stop.is_set():
                while pages and len(running) < slots:
                    job, item, keys = pages.popleft()
                    running[pool.submit(self._fetch_page, job, item, keys)] = "page"
                while feeds and len(running) < slots and len(pages) < 4 * slots:
                    job = _FeedJob(feeds.popleft(), self.clock())
                    running[pool.submit(self._fetch_feed, job)] = "feed"
                done, _ = wait(list(running), timeout=1.0, return_when=FIRST_COMPLETED)
                for future in done:
                    kind = running.pop(future)
                    if kind == "feed":
                        self._feed_done(future.result(), report, pages)
                    else:
                        since_flush += self._page_done(future.result(), report)
                warm = self.warming is None or not self.warming.is_alive()
                if since_flush >= self.settings.flush_items or (since_flush and (
                        time.monotonic() - last_flush >= self.settings.flush_seconds
                        or (warm and not self.ingested_once))):  # the first event as soon as the models are ready
                    self.flush(report)
                    last_flush, since_flush = time.monotonic(), 0
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        self.flush(report)
        report.feeds_ok = report.feeds_polled - report.feeds_failed - report.feeds_not_modified
        return report

    # -- in the fetch threads ----------------------------------------------------------------------------
    def _fetch_feed(self, job: _FeedJob) -> _FeedJob | tuple[_FeedJob, str]:
        feed = job.feed
        try:
            job.response = self.fetcher.get(feed.url, etag=feed.etag, last_modified=feed.last_modified,
                                            max_bytes=self.settings.max_feed_bytes)
            if not job.response.not_modified:
                job.parsed = parse_feed(job.response.body, url=job.response.url,
                                        content_type=job.response.headers.get("content-type"),
                                        limit=self.settings.max_items_per_feed)
                job.response.body = b""
        except (FetchError, FeedParseError) as exc:
            return job, str(exc)
        except Exception as exc:  # noqa: BLE001 - one feed's surprise never stops the others
            return job, f"{feed.url}: {type(exc).__name__}: {exc}"
        return job

    def _fetch_page(self, job: _FeedJob, item: FeedItem, keys: list[str]) -> _PageResult:
        if not item.link:
            return _PageResult(job, item, keys, None, None, "the entry has no link")
        try:
            response = self.fetcher.get(item.link, max_bytes=self.settings.max_page_bytes)
            page = extract_page(response.body, url=response.url)
        except FetchError as exc:
            return _PageResult(job, item, keys, None, None, str(exc))
        except Exception as exc:  # noqa: BLE001
            return _PageResult(job, item, keys, None, None, f"{item.link}: {type(exc).__name__}: {exc}")
        if page is None or len(page.text) < self.settings.min_page_chars:
            return _PageResult(job, item, keys, page, response.url,
                               f"[{E_PAGE}] {item.link}: no article text on the page")
        return _PageResult(job, item, keys, page, response.url, None)

    # -- in the calling thread ---------------------------------------------------------------------------
    def _feed_done(self, result, report: WatchReport, pages: deque) -> None:
        report.feeds_polled += 1
        if isinstance(result, tuple):
            job, error = result
            failures = job.feed.failures + 1
            self.state.feed_failed(job.feed.url, polled=job.polled, error=error,
                                   next_poll=self.clock() + self.backoff(failures))
            report.feeds_failed += 1
            report.problems.append(error)
            self.log(f"feed failed ({failures} in a row, retried later): {error}")
            return
        job = result
        if job.response.not_modified:
            report.feeds_not_modified += 1
            self._feed_finished(job)
            return
        outlet = self._outlet(job.feed)
        for item in job.parsed.items:
            keys = item_keys(item, feed_url=job.feed.url, outlet=outlet)
            if not keys:
                continue
            known = self.state.known_keys(keys)
            owner = next(iter(known.values()), None) or next((self.claimed[k] for k in keys if k in self.claimed),
                                                             None)
            if owner is not None:
                report.items_known += 1
                if len(known) < len(keys):
                    self.state.add_keys([k for k in keys if k not in known], owner)
                continue
            article_id = article_id_for(keys[0])
            for key in keys:
                self.claimed[key] = article_id
            job.remaining += 1
            report.items_new += 1
            pages.append((job, item, keys))
        if job.remaining == 0:
            self._feed_finished(job)

    def _feed_finished(self, job: _FeedJob) -> None:
        response = job.response
        self.state.feed_succeeded(
            job.feed.url, polled=job.polled, next_poll=self.clock() + self.settings.interval_s,
            etag=response.headers.get("etag") if response else None,
            last_modified=response.headers.get("last-modified") if response else None,
            title=job.parsed.title if job.parsed else None)

    def _page_done(self, result: _PageResult, report: WatchReport) -> int:
        """Record one fetched item; returns 1 when it became pending."""
        job, item = result.job, result.item
        outlet = self._outlet(job.feed)
        article_id = article_id_for(result.keys[0])
        keys = list(result.keys)
        added = 0
        try:
            if result.final_url:
                keys.append("url:" + normalize_url(result.final_url))
            if result.page is not None and result.page.canonical:
                keys.append("url:" + normalize_url(result.page.canonical))
            extra = [k for k in keys[len(result.keys):] if k not in result.keys]
            known = self.state.known_keys(extra)
            owner = next((a for a in known.values() if a != article_id), None)
            text, source = self._text(result)
            digest = text_hash(text) if text else None
            if owner is None and digest:
                owner = self.state.content_owner(outlet, digest)
            if owner is not None:
                report.items_duplicate += 1
                self.state.add_keys(keys, owner)
                return 0
            if not text:
                report.problems.append(f"{item.link or item.guid}: no text on the page nor in the feed")
                self.state.add_pending(PendingItem(article_id, job.feed.url, item.link, outlet, keys, {}),
                                       now=self.clock())
                self.state.mark_failed(article_id, "no text on the page nor in the feed")
                return 0
            if source != "page":
                report.items_from_summary += 1
                if result.reason:
                    self.log(f"page unavailable, the feed's text is used: {result.reason}")
            record = {
                "id": article_id,
                "title": item.title or (result.page.title if result.page else None),
                "text": text,
                "date": item.published or (result.page.date if result.page else None)
                or dt.datetime.now().isoformat(timespec="minutes"),
                "outlet": outlet,
                "url": result.final_url or item.link,
                "lang": job.parsed.language if job.parsed else None,
            }
            record = {k: v for k, v in record.items() if v}
            if self.state.add_pending(PendingItem(article_id, job.feed.url, record.get("url"), outlet, keys, record,
                                                  digest, source), now=self.clock()):
                added = 1
        finally:
            for key in result.keys:  # recorded in the store now: known_keys finds them
                self.claimed.pop(key, None)
            job.remaining -= 1
            if job.remaining == 0:
                self._feed_finished(job)
        return added

    def _text(self, result: _PageResult) -> tuple[str, str]:
        if result.page is not None and len(result.page.text) >= self.settings.min_page_chars:
            return result.page.text, "page"
        item = result.item
        candidates = [(item.content, "content"), (item.summary, "summary")]
        if result.page is not None:
            candidates.append((result.page.text, "page"))
        text, source = max(candidates, key=lambda c: len(c[0]))
        return text.strip(), source

    @staticmethod
    def _outlet(feed: FeedState) -> str:
        if feed.outlet:
            return feed.outlet
        host = (urlsplit(feed.url).hostname or "unknown").lower()
        return host[4:] if host.startswith("www.") else host

    # -- into the store ----------------------------------------------------------------------------------
    def flush(self, report: WatchReport) -> None:
        """Ingest the pending items (in chunks), check alerts, mark the items stored, deliver alerts."""
        while True:
            items = self.state.pending(limit=max(1, min(INGEST_CHUNK, self.settings.flush_items)))
            if not items:
                break
            self._ingest(items, report)
            if self.on_flush:
                self.on_flush(report)
        self._deliver(retry=False)

    def _deliver(self, *, retry: bool) -> None:
        if self.sender is not None and self.sender.active:
            self.sender.deliver(retry=retry)
            for error in self.sender.errors:
                self.log(f"alert delivery failed (retried next round): {error}")
            self.sender.errors.clear()

    def _ingest(self, items: list[PendingItem], report: WatchReport) -> None:
        if self.warming is not None:
            self.warming.join()
            self.warming = None
        self.ingested_once = True
        folder = tempfile.mkdtemp(prefix="newsloom-watch-")
        path = os.path.join(folder, "items.jsonl")
        try:
            with open(path, "w", encoding="utf-8") as handle:
                for item in items:
                    handle.write(json.dumps(item.record, ensure_ascii=False) + "\n")
            if self.session is None:
                self.session = self.loom.ingest_session()
            result = self.session.ingest([path], workers=1)
            if memo.entries() > self.settings.analysis_memo_entries:
                memo.clear()  # the analysis runs in this process: its per-word memos stay bounded (no result changes)
        finally:
            try:
                os.remove(path)
                os.rmdir(folder)
            except OSError:
                pass
        refused = {}
        for problem in result.problems:
            if problem.line is not None and 1 <= problem.line <= len(items):
                refused[items[problem.line - 1].article_id] = problem.reason
        for article_id, reason in refused.items():
            self.state.mark_failed(article_id, reason)
            report.problems.append(f"{article_id}: refused by the ingest: {reason}")
        ok = [item for item in items if item.article_id not in refused]
        fresh = [FreshArticle(i.article_id, i.record.get("title", ""), i.record.get("text", ""), i.outlet)
                 for i in ok]
        drafts = self.checker.check(fresh)
        new_alerts = self.state.record_alerts(drafts, now=self.clock()) if drafts else []
        self.state.mark_stored([i.article_id for i in ok], now=self.clock())
        report.stored += result.stored
        report.already_stored += result.already_stored
        report.duplicates += result.duplicates
        report.events_created += result.events_created
        report.refused += len(refused)
        report.alerts += len(new_alerts)
        if new_alerts:
            self.log(f"{len(new_alerts)} new alert(s): " + "; ".join(
                f"{d.kind} [{d.watch.value}] {d.event_title[:60]}" for d in drafts[:5]))
