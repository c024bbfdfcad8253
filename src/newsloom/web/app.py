"""The web interface and JSON API (FastAPI + Jinja2, server-rendered, works without JavaScript).

``create_app(db_path, token=None)`` gives the ASGI app; ``newsloom serve`` runs it with uvicorn.
Reads use one SQLite connection per worker thread; writes (``POST /api/v1/articles``) are serialised.
"""
import hmac
import json
import os
import shutil
import sys
import tempfile
import threading
from contextlib import asynccontextmanager
from importlib import resources
from typing import Annotated, Any

import jinja2
from fastapi import Body, Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsloom import search as search_module
from newsloom.searchtext import lemma_text
from newsloom.api import Newsloom
from newsloom.errors import NewsloomError, NotFound, StoreBusy, UsageError
from newsloom.web import live
from newsloom.web import queries as q
from newsloom.web.render import (
    api_docs, bar_chart_svg, gap_label, highlight_article, human_date, human_range, machine_date, paragraphs, path_id,
    timeline_svg,
)

MAX_BODY_BYTES = 8 * 1024 * 1024
MAX_ARTICLES_PER_REQUEST = 1000
PAGE_SIZE = 20
MAX_OFFSET = 1_000_000
API = "/api/v1"

SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


class LimitsMiddleware:
    """Rejects request bodies above ``max_bytes`` (413) and adds security headers to every response."""

    def __init__(self, app, max_bytes: int = MAX_BODY_BYTES):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        too_big = False
        if length is not None:
            try:
                too_big = int(length) > self.max_bytes
            except ValueError:
                too_big = True
        if too_big:
            return await _send_json(send, 413, {"error": {"code": "E413", "message":
                                                          f"request body larger than {self.max_bytes} bytes"}})
        seen = 0

        async def limited_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise HTTPException(413, f"request body larger than {self.max_bytes} bytes")
            return message

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                extra = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        return await self.app(scope, limited_receive, send_with_headers)


async def _send_json(send, status: int, data: dict) -> None:
    body = json.dumps(data).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


# -- request and response models -----------------------------------------------------------------------------
class ArticleIn(BaseModel):
    """One article, with the fields of the file format (news-please names are accepted as well)."""

    model_config = ConfigDict(extra="allow")
    id: str | None = Field(None, max_length=500)
    title: str | None = None
    text: str | None = None
    date: str | None = Field(None, max_length=100)
    outlet: str | None = Field(None, max_length=500)
    url: str | None = Field(None, max_length=4000)
    lang: str | None = Field(None, max_length=20)


class ArticlesIn(BaseModel):
    articles: list[ArticleIn] = Field(..., max_length=MAX_ARTICLES_PER_REQUEST)


class SplitIn(BaseModel):
    """``POST /api/v1/corrections/split``: the article to move out of its event into a new event of its own."""

    article_id: str = Field(..., min_length=1, max_length=500)


class MergeIn(BaseModel):
    """``POST /api/v1/corrections/merge``: ``other_event_id`` is folded into ``event_id`` (and redirects to it)."""

    event_id: str = Field(..., min_length=1, max_length=300)
    other_event_id: str = Field(..., min_length=1, max_length=300)


def add_why(loom: Newsloom, data: dict) -> dict:
    """Each article of an event's detail (``articles`` and ``articles_by_outlet``) gains ``why``: the terms,
    entities and dates it shares with the event's other articles, and its score (for the most central articles,
    ``newsloom.cluster.corrections.MAX_EXPLAINED``)."""
    why = loom.explain_event(data["id"])
    for article in [*data.get("articles", ()), *(a for g in data.get("articles_by_outlet", ()) for a in g["articles"])]:
        found = why.get(article["id"])
        if found is not None:
            article["why"] = found.to_json()
    return data


class Page(BaseModel):
    items: list[dict[str, Any]]
    limit: int
    offset: int
    next_offset: int | None


class Error(BaseModel):
    error: dict[str, str]


ERRORS = {400: {"model": Error}, 404: {"model": Error}}


def loom_dep(request: Request) -> Newsloom:
    return request.app.state.ctx.loom()


Loom = Annotated[Newsloom, Depends(loom_dep)]
Limit = Annotated[int, Query(ge=1, le=q.MAX_LIMIT, description=f"page size (1..{q.MAX_LIMIT})")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
Since = Annotated[str | None, Query(max_length=40, description="YYYY, YYYY-MM or YYYY-MM-DD")]
Until = Annotated[str | None, Query(max_length=40, description="YYYY, YYYY-MM or YYYY-MM-DD (inclusive)")]
Outlet = Annotated[str | None, Query(max_length=200)]
EntityQ = Annotated[str | None, Query(max_length=300, description="entity name or id")]
bearer = HTTPBearer(auto_error=False, description="the token set with NEWSLOOM_API_TOKEN or --token")


def require_writer(request: Request,
                   credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> None:
    token = request.app.state.ctx.token
    if not token:
        raise HTTPException(403, "writing is off: no API token is configured (NEWSLOOM_API_TOKEN or --token)")
    given = credentials.credentials if credentials else ""
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise HTTPException(401, "a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"})


# -- the app -------------------------------------------------------------------------------------------------
class Context:
    """Per-app state: the store path, the write token and one Newsloom per thread."""

    def __init__(self, db_path: str, token: str | None):
        self.db_path = db_path
        self.token = token or None
        self.local = threading.local()
        self.write_lock = threading.Lock()
        self.all: list[Newsloom] = []

    def loom(self) -> Newsloom:
        loom = getattr(self.local, "loom", None)
        if loom is None:
            loom = Newsloom(self.db_path)
            self.local.loom = loom
            self.all.append(loom)
        return loom

    def close(self) -> None:
        for loom in self.all:
            try:
                loom.close()
            except Exception:  # noqa: BLE001 - a connection of another thread
                pass
        self.all.clear()


def make_templates() -> Jinja2Templates:
    folder = str(resources.files("newsloom.web").joinpath("templates"))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), autoescape=True, trim_blocks=True,
                             lstrip_blocks=True)
    env.filters["pid"] = path_id
    env.filters["safe_url"] = q.safe_url
    env.filters["when"] = human_date
    env.filters["iso"] = machine_date
    env.globals["period"] = human_range
    env.globals["gap_label"] = gap_label
    env.globals["api"] = API
    return Jinja2Templates(env=env)


def _coverage_view(comparison: dict):
    """The reader's view of a comparison (newsloom.compare.view), or None where that module is missing."""
    try:
        from newsloom.compare.view import coverage_view
    except ImportError:
        return None
    return coverage_view(comparison)


class _ViewCache:
    """A small thread-safe LRU of built page views (a large event's comparison JSON is parsed once)."""

    def __init__(self, size: int):
        self.size = size
        self.items: dict = {}
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.items.pop(key, None)
            if value is not None:
                self.items[key] = value
            return value

    def put(self, key, value) -> None:
        with self.lock:
            self.items.pop(key, None)
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.pop(next(iter(self.items)))


def _step_cache(db_path: str):
    """The storyline steps' cache (newsloom.compare.steps), or None where the comparison is not installed."""
    if q.comparison_module() is None:
        return None
    try:
        from newsloom.compare.steps import StepCache
    except ImportError:
        return None
    return StepCache(db_path)


def create_app(db_path: str, *, token: str | None = None, index_on_start: bool = True,
               warm_comparisons: bool = True) -> FastAPI:
    ctx = Context(db_path, token if token is not None else os.environ.get("NEWSLOOM_API_TOKEN"))
    templates = make_templates()
    steps = _step_cache(db_path)
    coverages = _ViewCache(64)  # coverage views of recently shown events, by (event id, article count)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        loom = Newsloom(db_path)  # runs migrations once before serving
        try:
            if index_on_start:
                missing = search_module.missing_count(loom.store)
                if missing:
                    print(f"newsloom: indexing {missing} articles for search ...", file=sys.stderr)
                    search_module.ensure_index(loom.store)
            lemma_text("Sicherheitsgarantien")  # loads the lemma dictionary before the first search
        finally:
            loom.close()
        stop = threading.Event()
        if warm_comparisons:
            # large events' comparisons are computed once, in the background, so their pages open fast
            from newsloom.compare.api import warm_comparison_cache

            threading.Thread(target=warm_comparison_cache, args=(db_path,), kwargs={"stop": stop},
                             name="newsloom-warm-comparisons", daemon=True).start()
        yield
        stop.set()
        if steps is not None:
            steps.stop()
        ctx.close()

    app = FastAPI(
        title="newsloom", version="1", lifespan=lifespan, docs_url=None, redoc_url=None,
        openapi_url=f"{API}/openapi.json",
        description="Events, storylines, entities, quotes and coverage comparison of news articles.",
    )
    app.state.ctx = ctx
    app.state.steps = steps  # storyline steps' cache (bench/web_latency.py waits on it)
    app.add_middleware(LimitsMiddleware)
    static = str(resources.files("newsloom.web").joinpath("static"))
    app.mount("/static", StaticFiles(directory=static), name="static")
    live.install(app, templates, require_writer)  # feeds, alerts, watches, the overview's live panel


    # -- errors ----------------------------------------------------------------------------------------------
    def _is_api(request: Request) -> bool:
        return request.url.path.startswith(API)

    def _error(request: Request, status: int, code: str, message: str):
        if _is_api(request):
            return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)
        return templates.TemplateResponse(request, "error.html", {"status": status, "message": message,
                                                                   "filters": q.Filters()}, status_code=status)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound):
        return _error(request, 404, exc.code, exc.message)

    @app.exception_handler(UsageError)
    async def _usage(request: Request, exc: UsageError):
        return _error(request, 400, exc.code, exc.message)

    @app.exception_handler(NewsloomError)
    async def _other(request: Request, exc: NewsloomError):
        return _error(request, 500, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        details = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors())
        if _is_api(request):
            return JSONResponse({"error": {"code": "E422", "message": details}}, status_code=422)
        return _error(request, 400, "E400", f"bad parameter: {details}")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        response = _error(request, exc.status_code, f"E{exc.status_code}", str(exc.detail))
        for k, v in (exc.headers or {}).items():
            response.headers[k] = v
        return response

    def page(request: Request, name: str, context: dict):
        context.setdefault("filters", q.Filters())
        return templates.TemplateResponse(request, name, context)

    def paged(items: list, more: bool, limit: int, offset: int) -> dict:
        return {"items": items, "limit": limit, "offset": offset, "next_offset": offset + limit if more else None}

    # -- HTML pages ----------------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview(request: Request, loom: Loom, since: Since = None, until: Until = None, outlet: Outlet = None,
                 entity: EntityQ = None, offset: Offset = 0, soffset: Offset = 0):
        f = q.Filters(since, until, outlet, entity).clean()
        events, more = q.list_events(loom, f, limit=PAGE_SIZE, offset=offset)
        lines, more_lines = q.list_storylines(loom, f, limit=8, offset=soffset)
        return page(request, "overview.html", {
            "filters": f, "events": events, "more": more, "offset": offset, "limit": PAGE_SIZE,
            "storylines": lines, "more_lines": more_lines, "soffset": soffset,
            "outlets": q.outlet_counts(loom, f), "counts": q.store_counts(loom),
            "live": live.panel(request, loom) if not offset and not f.as_params() else None,
        })

    @app.get("/events/{event_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def event_page(request: Request, loom: Loom, event_id: str):
        data = add_why(loom, q.event_detail(loom, event_id))
        key = (data["id"], len(data["articles"]))
        coverage, comparison_error = coverages.get(key), None
        if coverage is None:
            comparison, comparison_error = q.event_comparison(loom, data["id"])
            coverage = _coverage_view(comparison) if comparison else None
            if coverage is not None:
                coverages.put(key, coverage)
        return page(request, "event.html", {"event": data, "coverage": coverage,
                                            "comparison_error": comparison_error})

    @app.get("/storylines/{storyline_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def storyline_page(request: Request, loom: Loom, storyline_id: str):
        data = q.storyline_detail(loom, storyline_id)
        claims, waiting = {}, []
        if steps is not None:
            from newsloom.compare.view import step_view

            found, waiting = steps.steps_for(loom, data["timeline"])
            claims = {event_id: step_view(step, limit=12) for event_id, step in found.items()}
        return page(request, "storyline.html", {"line": data, "svg": timeline_svg(data["timeline"]),
                                                "claims": claims, "waiting": waiting,
                                                "has_claims": steps is not None})

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs_page(request: Request):
        """The JSON API's reference, rendered on the server from the OpenAPI schema (nothing from a CDN)."""
        return page(request, "docs.html", {"docs": api_docs(app.openapi()), "openapi_url": app.openapi_url})

    @app.get("/storylines", response_class=HTMLResponse, include_in_schema=False)
    def storylines_page(request: Request, loom: Loom, since: Since = None, until: Until = None,
                        outlet: Outlet = None, entity: EntityQ = None, offset: Offset = 0):
        f = q.Filters(since, until, outlet, entity).clean()
        lines, more = q.list_storylines(loom, f, limit=PAGE_SIZE, offset=offset)
        return page(request, "storylines.html", {"filters": f, "storylines": lines, "more": more,
                                                 "offset": offset, "limit": PAGE_SIZE})

    @app.get("/entities/{entity_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(request: Request, loom: Loom, entity_id: str):
        data = q.entity_detail(loom, entity_id)
        chart = bar_chart_svg(data["timeline"], key="month", value="events", label="events per month")
        return page(request, "entity.html", {"entity": data, "chart": chart})

    @app.get("/entities", response_class=HTMLResponse, include_in_schema=False)
    def entities_page(request: Request, loom: Loom, type: Annotated[str | None, Query(max_length=10)] = None,
                      name: Annotated[str | None, Query(max_length=200)] = None, offset: Offset = 0):
        items, more = q.list_entities(loom, type=type or None, name=name or None, limit=50, offset=offset)
        return page(request, "entities.html", {"entities": items, "more": more, "offset": offset, "limit": 50,
                                               "type": type or "", "name": name or ""})

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, loom: Loom, article_id: str,
                     hl: Annotated[str | None, Query(max_length=40, pattern=r"^\d{1,9}-\d{1,9}$")] = None):
        data = q.article_detail(loom, article_id)
        focus = tuple(int(x) for x in hl.split("-")) if hl else None
        body = highlight_article(data["text"], entities=data["entities"], dates=data["dates"],
                                 quotes=data["quotes"], focus=focus)
        return page(request, "article.html", {"article": data, "body": paragraphs(body), "focus": focus})

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, loom: Loom, q_: Annotated[str, Query(alias="q", max_length=500)] = "",
                    since: Since = None, until: Until = None, outlet: Outlet = None, entity: EntityQ = None,
                    offset: Offset = 0):
        f = q.Filters(since, until, outlet, entity).clean()
        result = q.search(loom, q_, f, limit=PAGE_SIZE, offset=offset) if q_.strip() else None
        return page(request, "search.html", {"query": q_, "filters": f, "result": result, "offset": offset,
                                             "limit": PAGE_SIZE, "outlets": q.outlet_counts(loom, q.Filters())})

    # -- JSON API --------------------------------------------------------------------------------------------
    @app.get(f"{API}/events", response_model=Page, responses=ERRORS, tags=["events"])
    def api_events(loom: Loom, since: Since = None, until: Until = None, outlet: Outlet = None,
                   entity: EntityQ = None, storyline: Annotated[str | None, Query(max_length=200)] = None,
                   limit: Limit = PAGE_SIZE, offset: Offset = 0):
        """Events, newest first, with their articles and key entities."""
        f = q.Filters(since, until, outlet, entity).clean()
        items, more = q.list_events(loom, f, storyline=storyline, limit=limit, offset=offset)
        return paged(items, more, limit, offset)

    @app.get(f"{API}/events/{{event_id}}", responses=ERRORS, tags=["events"])
    def api_event(loom: Loom, event_id: Annotated[str, Path(max_length=300)]) -> dict[str, Any]:
        """One event: articles grouped by outlet (wire copies marked), entities, dates mentioned, quotes; each
        article (up to the 40 most central) with ``why`` it is in the event: shared terms, entities, dates, score."""
        return add_why(loom, q.event_detail(loom, event_id))

    @app.get(f"{API}/events/{{event_id}}/comparison", responses=ERRORS, tags=["events"])
    def api_comparison(loom: Loom, event_id: Annotated[str, Path(max_length=300)]) -> dict[str, Any]:
        """The coverage comparison of one event (404 when this installation has no comparison module)."""
        loom.event(event_id)
        data, error = q.event_comparison(loom, loom.resolve_event(event_id))
        if data is None:
            raise NotFound(error or "the coverage comparison is not available in this installation")
        return data

    @app.get(f"{API}/storylines", response_model=Page, responses=ERRORS, tags=["storylines"])
    def api_storylines(loom: Loom, since: Since = None, until: Until = None, outlet: Outlet = None,
                       entity: EntityQ = None, limit: Limit = PAGE_SIZE, offset: Offset = 0):
        """Storylines (two or more events), most recently active first."""
        f = q.Filters(since, until, outlet, entity).clean()
        items, more = q.list_storylines(loom, f, limit=limit, offset=offset)
        return paged(items, more, limit, offset)

    @app.get(f"{API}/storylines/{{storyline_id}}", responses=ERRORS, tags=["storylines"])
    def api_storyline(loom: Loom, storyline_id: Annotated[str, Path(max_length=300)]) -> dict[str, Any]:
        """One storyline: its timeline (full events, oldest first) and what changed between events."""
        return q.storyline_detail(loom, storyline_id)

    @app.get(f"{API}/entities", response_model=Page, responses=ERRORS, tags=["entities"])
    def api_entities(loom: Loom, type: Annotated[str | None, Query(pattern="^(PER|ORG|LOC|MISC)$")] = None,
                     name: Annotated[str | None, Query(max_length=200)] = None, limit: Limit = PAGE_SIZE,
                     offset: Offset = 0):
        """Entities, most mentioned first."""
        items, more = q.list_entities(loom, type=type, name=name, limit=limit, offset=offset)
        return paged(items, more, limit, offset)

    @app.get(f"{API}/entities/{{entity_id}}", responses=ERRORS, tags=["entities"])
    def api_entity(loom: Loom, entity_id: Annotated[str, Path(max_length=300)]) -> dict[str, Any]:
        """One entity: variants, events over time, co-occurring entities, quotes by and about it."""
        return q.entity_detail(loom, entity_id)

    @app.get(f"{API}/articles", response_model=Page, responses=ERRORS, tags=["articles"])
    def api_articles(loom: Loom, since: Since = None, until: Until = None, outlet: Outlet = None,
                     entity: EntityQ = None, event: Annotated[str | None, Query(max_length=300)] = None,
                     limit: Limit = PAGE_SIZE, offset: Offset = 0):
        """Articles in publication order (without text; see the single-article route)."""
        f = q.Filters(since, until, outlet, entity).clean()
        items = loom.articles(since=f.since, until=f.until, outlet=f.outlet, entity=f.entity, event=event,
                              limit=limit + 1, offset=offset)
        return paged([a.to_json() for a in items[:limit]], len(items) > limit, limit, offset)

    @app.get(f"{API}/articles/{{article_id:path}}", responses=ERRORS, tags=["articles"])
    def api_article(loom: Loom, article_id: Annotated[str, Path(max_length=500)]) -> dict[str, Any]:
        """One article with its text, entity mentions, dates and quotes (character spans)."""
        return q.article_detail(loom, article_id)

    @app.get(f"{API}/search", responses=ERRORS, tags=["search"])
    def api_search(loom: Loom, q_: Annotated[str, Query(alias="q", max_length=500)], since: Since = None,
                   until: Until = None, outlet: Outlet = None, entity: EntityQ = None, limit: Limit = PAGE_SIZE,
                   offset: Offset = 0) -> dict[str, Any]:
        """Full-text search over titles and texts (German lemmas), ranked by bm25, with highlighted snippets."""
        f = q.Filters(since, until, outlet, entity).clean()
        result = q.search(loom, q_, f, limit=limit, offset=offset)
        data = result.to_json()
        data.update(limit=limit, offset=offset,
                    next_offset=offset + limit if offset + limit < min(result.total, search_module.COUNT_CAP) else None)
        return data

    @app.get(f"{API}/outlets", tags=["articles"])
    def api_outlets(loom: Loom, since: Since = None, until: Until = None, entity: EntityQ = None) -> list[dict[str, Any]]:
        """Article counts per outlet (with the date and entity filters)."""
        return q.outlet_counts(loom, q.Filters(since, until, None, entity).clean())

    @app.post(f"{API}/articles", tags=["articles"], dependencies=[Depends(require_writer)],
              responses={401: {"model": Error}, 403: {"model": Error}, 413: {"model": Error}, 422: {"model": Error}})
    def api_ingest(loom: Loom, body: Annotated[ArticleIn | list[ArticleIn] | ArticlesIn, Body()]) -> dict[str, Any]:
        """Ingest articles (one object, an array, or {"articles": [...]}, fields as in the file format).
        Returns the ingest report; problems name the record (line) and reason."""
        items = body.articles if isinstance(body, ArticlesIn) else body if isinstance(body, list) else [body]
        if len(items) > MAX_ARTICLES_PER_REQUEST:
            raise HTTPException(413, f"at most {MAX_ARTICLES_PER_REQUEST} articles per request")
        if not items:
            raise UsageError("no articles given")
        folder = tempfile.mkdtemp(prefix="newsloom-api-")
        try:
            path = os.path.join(folder, "api-request.jsonl")
            with open(path, "w", encoding="utf-8") as handle:
                for item in items:
                    record = {k: v for k, v in item.model_dump().items() if v is not None}
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            with ctx.write_lock:
                report = loom.ingest([path], workers=1)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        data = report.to_json()
        data["problems"] = [p.replace(path, "request") for p in data["problems"]]
        if report.stored == 0 and report.failed and report.already_stored == 0:
            return JSONResponse({"error": {"code": "E107", "message": "no article could be read"}, **data},
                                status_code=422)
        return data

    # -- a user's corrections of the events (newsloom.cluster.corrections) ---------------------------------------
    def corrected(action) -> dict[str, Any]:
        with ctx.write_lock:
            try:
                return action().to_json()
            except StoreBusy as exc:
                raise HTTPException(409, str(exc)) from None

    writer_errors = {400: {"model": Error}, 401: {"model": Error}, 403: {"model": Error}, 404: {"model": Error},
                     409: {"model": Error}, 422: {"model": Error}}

    @app.post(f"{API}/corrections/split", tags=["corrections"], dependencies=[Depends(require_writer)],
              responses=writer_errors)
    def api_split(loom: Loom, body: SplitIn) -> dict[str, Any]:
        """Move an article out of its event into a new event of its own. Recorded in the store; later ingests keep
        the two events apart. Returns the correction and the events (the new one first)."""
        return corrected(lambda: loom.split_article(body.article_id))

    @app.post(f"{API}/corrections/merge", tags=["corrections"], dependencies=[Depends(require_writer)],
              responses=writer_errors)
    def api_merge(loom: Loom, body: MergeIn) -> dict[str, Any]:
        """Fold event ``other_event_id`` into ``event_id`` (its id then redirects there). Recorded in the store."""
        return corrected(lambda: loom.merge_events(body.event_id, body.other_event_id))

    @app.get(f"{API}/corrections", tags=["corrections"])
    def api_corrections(loom: Loom) -> list[dict[str, Any]]:
        """Every split and merge made by users, oldest first."""
        return [c.to_json() for c in loom.corrections()]

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return RedirectResponse("/static/favicon.svg")

    return app
