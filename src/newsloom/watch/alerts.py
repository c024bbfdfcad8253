"""Watches and alerts.

A *watch* is an entity (a name or id, matched through the store's entity aliases: "Putin" finds
"PER:wladimir putin") or a query (every word of it, as German lemmas, must occur in the event's title or in one
of its new articles). After each ingest of fetched items, every event that received new articles is checked:

- ``new_event``: an event created by these articles matches a watch;
- ``matched_event``: an existing event matches a watch for the first time (a new article brought the match);
- ``new_outlet``: an event a watch already matched gains an outlet it did not have;
- ``new_claim``: an event a watch already matched gains a claim group (``newsloom.compare``) that only the new
  articles carry.

Alerts are recorded in the store (once: the same watch, event, kind and detail never twice) and then delivered
to an optional webhook (JSON POST) and/or appended to a JSON Lines file; a failed webhook is retried at the next
delivery (at most ``WatchSettings.alert_attempts`` times).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from newsloom.errors import NotFound, UsageError
from newsloom.search import lemma_text
from newsloom.settings import WATCH, WatchSettings
from newsloom.store.watch import WATCH_KINDS, Alert, AlertDraft, Watch, WatchStore


def guess_watch_kind(loom, value: str) -> str:
    """"entity" for an entity id ("PER:..."), a name the store knows, or a capitalised name of up to four words;
    "query" otherwise."""
    if value.split(":", 1)[0] in ("PER", "ORG", "LOC", "MISC") and ":" in value:
        return "entity"
    try:
        loom.entity(value)
        return "entity"
    except NotFound:
        pass
    words = value.split()
    if 0 < len(words) <= 4 and all(w[:1].isupper() for w in words):
        return "entity"
    return "query"


def add_watch(loom, state: WatchStore, value: str, kind: str | None = None) -> Watch:
    value = " ".join((value or "").split())
    if not value:
        raise UsageError("a watch needs an entity or a query")
    if len(value) > 300:
        raise UsageError("a watch is at most 300 characters")
    kind = kind or guess_watch_kind(loom, value)
    if kind not in WATCH_KINDS:
        raise UsageError(f"unknown watch kind {kind!r} ({', '.join(WATCH_KINDS)})")
    return state.add_watch(kind, value)


@dataclass
class FreshArticle:
    """An article this ingest stored (its record as fetched)."""

    id: str
    title: str
    text: str
    outlet: str | None
    lemmas: set[str] | None = field(default=None, repr=False)


class AlertChecker:
    def __init__(self, loom, state: WatchStore, settings: WatchSettings = WATCH):
        self.loom = loom
        self.state = state
        self.settings = settings

    def check(self, fresh: list[FreshArticle]) -> list[AlertDraft]:
        """Alerts for the events that received these (just stored) articles."""
        watches = self.state.watches()
        if not watches or not fresh:
            return []
        by_event: dict[str, list[FreshArticle]] = {}
        for article in fresh:
            try:
                event_id = self.loom.event_of_article(article.id)
            except NotFound:
                continue  # refused by the ingest
            by_event.setdefault(event_id, []).append(article)
        drafts: list[AlertDraft] = []
        for event_id, articles in by_event.items():
            drafts.extend(self._check_event(event_id, articles, watches))
        return drafts

    def _check_event(self, event_id: str, articles: list[FreshArticle], watches: list[Watch]) -> list[AlertDraft]:
        event = self.loom.event(event_id)
        fresh_ids = {a.id for a in articles}
        old = [a for a in event.articles if a.id not in fresh_ids]
        new = [a for a in event.articles if a.id in fresh_ids]
        drafts = []
        claims = None
        for watch in watches:
            if self.state.is_watched(watch.id, event.id):
                if not old:
                    continue
                old_outlets = {a.outlet for a in old}
                for outlet in sorted({a.outlet for a in new} - old_outlets):
                    first = next(a for a in new if a.outlet == outlet)
                    drafts.append(AlertDraft(watch, "new_outlet", event.id, event.title, outlet, outlet, first.id))
                if claims is None:
                    claims = self._new_claims(event.id, fresh_ids)
                for label, outlet, article_id in claims:
                    drafts.append(AlertDraft(watch, "new_claim", event.id, event.title, label, outlet, article_id))
            elif self._matches(watch, event, articles):
                kind = "matched_event" if old else "new_event"
                outlets = ", ".join(sorted({a.outlet for a in event.articles}))
                drafts.append(AlertDraft(watch, kind, event.id, event.title, "", outlets or None,
                                         new[0].id if new else None))
        return drafts

    def _matches(self, watch: Watch, event, articles: list[FreshArticle]) -> bool:
        if watch.kind == "entity":
            try:
                return bool(self.loom.articles(event=event.id, entity=watch.value, limit=1))
            except NotFound:
                return False
        terms = set(lemma_text(watch.value).split())
        if not terms:
            return False
        if terms <= set(lemma_text(event.title).split()):
            return True
        for article in articles:
            if article.lemmas is None:
                article.lemmas = set(lemma_text(f"{article.title}\n{article.text}").split())
            if terms <= article.lemmas:
                return True
        return False

    def _new_claims(self, event_id: str, fresh_ids: set[str]) -> list[tuple[str, str, str]]:
        """(label, outlet, article id) of claim groups carried only by the new articles."""
        try:
            comparison = self.loom.compare_event(event_id)
        except (ImportError, NotFound):
            return []
        found = []
        for group in comparison.groups:
            article_ids = {c.article_id for c in group.claims}
            if article_ids and article_ids <= fresh_ids:
                claim = group.claims[0]
                found.append((group.label[:300], claim.outlet, claim.article_id))
            if len(found) >= self.settings.max_claim_alerts:
                break
        return found


class AlertSender:
    """Delivers recorded alerts to a webhook (JSON POST) and/or a JSON Lines file."""

    def __init__(self, state: WatchStore, *, webhook: str | None = None, jsonl_path: str | None = None,
                 settings: WatchSettings = WATCH, client=None):
        self.state = state
        self.webhook = webhook
        self.jsonl_path = jsonl_path
        self.settings = settings
        self.client = client
        self.errors: list[str] = []

    @property
    def active(self) -> bool:
        return bool(self.webhook or self.jsonl_path)

    def deliver(self, *, retry: bool = True) -> int:
        """Send what is owed (with ``retry``, also to a webhook that failed before; the watcher retries once a
        round); returns how many alerts reached every configured channel."""
        if not self.active:
            return 0
        attempts = self.settings.alert_attempts if retry else 1
        owed = self.state.undelivered(webhook=bool(self.webhook), file=bool(self.jsonl_path), max_attempts=attempts)
        done = 0
        for alert in owed:
            ok = True
            if self.jsonl_path and not alert.file_done:
                ok &= self._append(alert)
            if self.webhook and not alert.webhook_done and alert.attempts < attempts:
                ok &= self._post(alert)
            done += ok
        return done

    def _append(self, alert: Alert) -> bool:
        try:
            with open(self.jsonl_path, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(alert.to_json(), ensure_ascii=False) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            self.errors.append(f"{self.jsonl_path}: {exc}")
            return False
        self.state.alert_delivered(alert.id, "file")
        return True

    def _post(self, alert: Alert) -> bool:
        import httpx

        try:
            if self.client is not None:
                response = self.client.post(self.webhook, json=alert.to_json(),
                                            timeout=self.settings.webhook_timeout_s)
            else:
                response = httpx.post(self.webhook, json=alert.to_json(), timeout=self.settings.webhook_timeout_s)
            if not 200 <= response.status_code < 300:
                raise httpx.HTTPError(f"HTTP {response.status_code}")
        except httpx.HTTPError as exc:
            message = f"webhook {self.webhook}: {exc}"
            self.errors.append(message)
            self.state.alert_failed(alert.id, message)
            return False
        self.state.alert_delivered(alert.id, "webhook")
        return True
