"""The live view of ``newsloom watch``: newest and fastest-growing events on the overview (refreshed by a small
polling script, ``/static/live.js``; without JavaScript the server-rendered panel is simply as of the page load),
the feeds page (``/feeds``: each feed's last success, last error, items and next poll), alerts and watches
(``/alerts``), and their JSON API (``/api/v1/live``, ``/api/v1/feeds``, ``/api/v1/alerts``, ``/api/v1/watches``;
adding and removing watches needs the write token like ``POST /api/v1/articles``).

``install(app, templates, require_writer)`` adds the routes; ``panel(loom, db_path)`` gives the overview's data.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Body, Depends, FastAPI, Path, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from newsloom.errors import NotFound, StoreError, UsageError
from newsloom.store import is_postgres
from newsloom.nlp.dates import parse_published
from newsloom.store.watch import WatchStore

GROWTH_WINDOW_HOURS = 24  # an event grows by the articles it received in this window before the newest article
LIVE_LIMIT = 6
REFRESH_SECONDS = 30  # how often live.js asks for a fresh panel


class WatchIn(BaseModel):
    value: str = Field(..., min_length=1, max_length=300, description="an entity (name or id) or a query")
    kind: str | None = Field(None, pattern="^(entity|query)$", description="default: guessed from the value")


@dataclass
class GrowingEvent:
    id: str
    title: str
    start: str | None
    end: str | None
    articles: int
    recent: int  # articles in the growth window
    outlets: list[str]

    def to_json(self) -> dict:
        return dict(vars(self))


class _States:
    """One WatchStore per thread (like the app's per-thread Newsloom)."""

    def __init__(self, db_path: str):
        self.db_path = db_path
        # the watch state is kept in SQLite stores only so far: a PostgreSQL store shows no feeds and no alerts
        self.available = not is_postgres(db_path)
        self.local = threading.local()
        self.all: list[WatchStore] = []
        self.lock = threading.Lock()

    def get(self) -> WatchStore:
        state = getattr(self.local, "state", None)
        if state is None:
            try:
                state = WatchStore(self.db_path if self.available else ":memory:")
            except (StoreError, sqlite3.Error):  # a read-only store without the watch tables: nothing watched
                state = WatchStore(":memory:")
            self.local.state = state
            with self.lock:
                self.all.append(state)
        return state


def _end_of(iso: str | None) -> dt.datetime | None:
    """The end of a date known at least to the day (a month or a year says nothing about the last hours)."""
    span = parse_published(iso) if iso and len(iso) >= 10 else None
    return span.end if span else None


def live_events(loom, *, limit: int = LIVE_LIMIT, window_hours: int = GROWTH_WINDOW_HOURS) -> dict:
    """The newest events and those that gained the most articles in the ``window_hours`` before the newest
    article (of a live store: the last day; of an archive: its last day)."""
    newest = loom.events(limit=limit)
    reference = max((end for e in loom.events(limit=max(limit, 20)) if (end := _end_of(e.end))), default=None)
    growing: list[GrowingEvent] = []
    if reference is not None:
        cutoff = reference - dt.timedelta(hours=window_hours)
        for event in loom.events(since=cutoff.date().isoformat(), limit=300):
            recent = sum(1 for a in event.articles if (_end_of(a.published) or dt.datetime.min) > cutoff)
            if recent:
                growing.append(GrowingEvent(event.id, event.title, event.start, event.end, len(event.articles),
                                            recent, event.outlets))
        growing.sort(key=lambda g: (-g.recent, -len(g.outlets), g.id))
    return {"reference": reference.isoformat(timespec="minutes") if reference else None,
            "window_hours": window_hours, "newest": newest, "growing": growing[:limit]}


def panel(request: Request, loom) -> dict:
    """What the overview's live panel shows: newest and growing events, recent alerts, feed health."""
    data = live_events(loom)
    try:
        state = request.app.state.watch_states.get()
    except StoreError:  # no feed state for this store (a PostgreSQL store): the panel without alerts and feeds
        data.update(alerts=[], feeds=None, refresh=REFRESH_SECONDS)
        return data
    data["alerts"] = [a.to_json() for a in state.alerts(limit=5)]
    feeds = state.feeds()
    data["feeds"] = {"total": len(feeds), "failing": sum(1 for f in feeds if f.failures),
                     "items": sum(f.items for f in feeds)} if feeds else None
    data["refresh"] = REFRESH_SECONDS
    return data


def install(app: FastAPI, templates, require_writer) -> None:
    """Add the live pages and API routes to the app (called from ``web.app.create_app``)."""
    states = _States(app.state.ctx.db_path)
    app.state.watch_states = states
    writer = [Depends(require_writer)]
    errors = {401: {"description": "token missing or wrong"}, 403: {"description": "writing is off"},
              404: {"description": "unknown id"}}

    def loom_of(request: Request):
        return request.app.state.ctx.loom()

    # -- HTML ----------------------------------------------------------------------------------------------
    @app.get("/live", response_class=HTMLResponse, include_in_schema=False)
    def live_fragment(request: Request):
        """The overview's live panel alone (what live.js fetches)."""
        return templates.TemplateResponse(request, "live/_panel.html",
                                          {"live": panel(request, loom_of(request)), "fragment": True})

    @app.get("/feeds", response_class=HTMLResponse, include_in_schema=False)
    def feeds_page(request: Request, all: bool = False):
        state = states.get()
        feeds = state.feeds(active_only=not all)
        return templates.TemplateResponse(request, "live/feeds.html", {
            "feeds": [f.to_json() for f in feeds], "show_all": all, "items": state.item_states()})

    @app.get("/alerts", response_class=HTMLResponse, include_in_schema=False)
    def alerts_page(request: Request, offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0):
        state = states.get()
        alerts = state.alerts(limit=51, offset=offset)
        return templates.TemplateResponse(request, "live/alerts.html", {
            "alerts": [a.to_json() for a in alerts[:50]], "more": len(alerts) > 50, "offset": offset,
            "watches": [w.to_json() for w in state.watches()]})

    # -- JSON API ------------------------------------------------------------------------------------------
    @app.get("/api/v1/live", tags=["live"])
    def api_live(request: Request, limit: Annotated[int, Query(ge=1, le=50)] = LIVE_LIMIT) -> dict[str, Any]:
        """The newest events and the fastest-growing ones (most articles in the 24 hours before the newest)."""
        data = live_events(loom_of(request), limit=limit)
        return {"reference": data["reference"], "window_hours": data["window_hours"],
                "newest": [e.to_json() for e in data["newest"]], "growing": [g.to_json() for g in data["growing"]]}

    @app.get("/api/v1/feeds", tags=["live"])
    def api_feeds(all: bool = False) -> dict[str, Any]:
        """Every watched feed: last poll, last success, last error, failures in a row, items, next poll."""
        return {"items": [f.to_json() for f in states.get().feeds(active_only=not all)]}

    @app.get("/api/v1/alerts", tags=["live"])
    def api_alerts(limit: Annotated[int, Query(ge=1, le=100)] = 20,
                   offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
                   watch: Annotated[int | None, Query(ge=0, le=2**62)] = None) -> dict[str, Any]:
        """Alerts, newest first: a new event matching a watch, or a new outlet or claim of a watched event."""
        alerts = states.get().alerts(limit=limit + 1, offset=offset, watch_id=watch)
        return {"items": [a.to_json() for a in alerts[:limit]], "limit": limit, "offset": offset,
                "next_offset": offset + limit if len(alerts) > limit else None}

    @app.get("/api/v1/watches", tags=["live"])
    def api_watches() -> dict[str, Any]:
        """The watched entities and queries."""
        return {"items": [w.to_json() for w in states.get().watches()]}

    @app.post("/api/v1/watches", tags=["live"], dependencies=writer, responses=errors)
    def api_add_watch(request: Request, body: Annotated[WatchIn, Body()]) -> dict[str, Any]:
        """Watch an entity or a query (needs the write token)."""
        from newsloom.watch.alerts import add_watch

        if not states.available:
            raise UsageError("watches need a SQLite store so far (newsloom watch keeps its state there)")
        return add_watch(loom_of(request), states.get(), body.value, body.kind).to_json()

    @app.delete("/api/v1/watches/{watch_id}", tags=["live"], dependencies=writer, responses=errors)
    def api_remove_watch(watch_id: Annotated[int, Path(ge=0, le=2**62)]) -> dict[str, Any]:
        """Stop watching (needs the write token)."""
        if not states.get().remove_watch(watch_id):
            raise NotFound(f"no watch {watch_id}")
        return {"removed": watch_id}

