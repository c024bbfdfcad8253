"""HTTP for the watcher: one pooled ``httpx.Client`` shared by the fetch threads, a polite gap between requests
to one host, robots.txt (RFC 9309, via ``urllib.robotparser``), conditional requests and hard limits on time
and size. Every failure is a ``FetchError`` with a problem code; nothing here raises anything else."""
from __future__ import annotations

import threading
import time
import urllib.robotparser
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from newsloom.errors import E_HTTP, E_NETWORK, E_ROBOTS, E_TOO_BIG
from newsloom.settings import WatchSettings


class FetchError(Exception):
    def __init__(self, code: str, message: str, status: int | None = None):
        super().__init__(f"[{code}] {message}")
        self.code = code
        self.message = message
        self.status = status  # the HTTP status of an error answer


@dataclass
class Response:
    url: str  # the final address (after redirects)
    status: int  # 200 or 304
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


class HostLimiter:
    """At most one request start per ``delay`` seconds and host; callers reserve successive slots."""

    def __init__(self, delay: float):
        self.delay = delay
        self.lock = threading.Lock()
        self.next_at: dict[str, float] = {}
        self.delays: dict[str, float] = {}

    def set_delay(self, host: str, delay: float) -> None:
        with self.lock:
            self.delays[host] = max(self.delay, delay)

    def wait(self, host: str) -> None:
        with self.lock:
            now = time.monotonic()
            at = max(now, self.next_at.get(host, 0.0))
            self.next_at[host] = at + self.delays.get(host, self.delay)
        if at > now:
            time.sleep(at - now)


@dataclass
class _Robots:
    parser: urllib.robotparser.RobotFileParser | None  # None: everything allowed
    until: float  # monotonic time when it is read again
    unreachable: str | None = None  # the reason when robots.txt could not be read (everything disallowed)


class Fetcher:
    """Thread-safe GETs with pooling, politeness and limits."""

    def __init__(self, settings: WatchSettings, *, trust_env: bool = True):
        self.settings = settings
        self.limiter = HostLimiter(settings.host_delay_s)
        self.client = httpx.Client(
            timeout=httpx.Timeout(connect=settings.connect_timeout_s, read=settings.read_timeout_s,
                                  write=settings.read_timeout_s, pool=settings.total_timeout_s),
            limits=httpx.Limits(max_connections=settings.workers * 2, max_keepalive_connections=settings.workers * 2),
            follow_redirects=True, max_redirects=settings.max_redirects, trust_env=trust_env,
            headers={"User-Agent": settings.user_agent,
                     "Accept": "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml, "
                               "text/xml, text/html;q=0.9, */*;q=0.5"})
        self.robots: dict[str, _Robots] = {}
        self.robots_locks: dict[str, threading.Lock] = {}
        self.lock = threading.Lock()

    def close(self) -> None:
        self.client.close()

    # -- robots.txt --------------------------------------------------------------------------------------
    def allowed(self, url: str) -> tuple[bool, str | None]:
        """Whether robots.txt lets this user agent fetch ``url`` (and why not)."""
        host = host_of(url)
        with self.lock:
            lock = self.robots_locks.setdefault(host, threading.Lock())
        with lock:
            entry = self.robots.get(host)
            if entry is None or entry.until <= time.monotonic():
                entry = self._read_robots(host)
                self.robots[host] = entry
        if entry.unreachable:
            return False, entry.unreachable
        if entry.parser is None:
            return True, None
        if entry.parser.can_fetch(self.settings.user_agent, url):
            return True, None
        return False, f"robots.txt of {host} disallows {url}"

    def _read_robots(self, host: str) -> _Robots:
        s = self.settings
        now = time.monotonic()
        try:
            response = self._get(f"{host}/robots.txt", headers={}, max_bytes=500_000)
        except FetchError as exc:
            status = exc.status
            if status is not None and 400 <= status < 500:
                return _Robots(None, now + s.robots_ttl_s)  # no robots.txt: everything allowed (RFC 9309 2.3.1.3)
            return _Robots(None, now + s.robots_retry_s,
                           unreachable=f"robots.txt of {host} cannot be read ({exc.message}); retried later")
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(response.body.decode("utf-8", "replace").splitlines())
        delay = parser.crawl_delay(s.user_agent)
        if delay:
            self.limiter.set_delay(host, min(float(delay), s.max_host_delay_s))
        return _Robots(parser, now + s.robots_ttl_s)

    # -- GET ---------------------------------------------------------------------------------------------
    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            max_bytes: int | None = None) -> Response:
        """GET ``url`` if robots.txt allows it; conditional when ``etag``/``last_modified`` are given (a 304
        comes back as a ``Response`` with ``not_modified``). Raises ``FetchError``."""
        ok, reason = self.allowed(url)
        if not ok:
            raise FetchError(E_ROBOTS, reason or "disallowed by robots.txt")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        response = self._get(url, headers=headers, max_bytes=max_bytes or self.settings.max_page_bytes)
        if host_of(response.url) != host_of(url):
            ok, reason = self.allowed(response.url)
            if not ok:
                raise FetchError(E_ROBOTS, f"redirected to {response.url}: {reason}")
        return response

    def _get(self, url: str, *, headers: dict[str, str], max_bytes: int) -> Response:
        s = self.settings
        self.limiter.wait(host_of(url))
        deadline = time.monotonic() + s.total_timeout_s
        try:
            with self.client.stream("GET", url, headers=headers) as r:
                if r.status_code == 304:
                    return Response(str(r.url), 304, b"", _headers(r))
                if not 200 <= r.status_code < 300:
                    raise FetchError(E_HTTP, f"HTTP {r.status_code} from {r.url}", r.status_code)
                declared = r.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError(E_TOO_BIG, f"{url}: {declared} bytes, above the limit of {max_bytes}")
                chunks, size = [], 0
                for chunk in r.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise FetchError(E_TOO_BIG, f"{url}: more than {max_bytes} bytes")
                    if time.monotonic() > deadline:
                        raise FetchError(E_NETWORK, f"{url}: no complete answer within {s.total_timeout_s:g} s")
                    chunks.append(chunk)
                return Response(str(r.url), r.status_code, b"".join(chunks), _headers(r))
        except httpx.TimeoutException as exc:
            raise FetchError(E_NETWORK, f"{url}: timed out ({type(exc).__name__})") from None
        except httpx.TooManyRedirects:
            raise FetchError(E_NETWORK, f"{url}: more than {s.max_redirects} redirects") from None
        except httpx.HTTPError as exc:
            raise FetchError(E_NETWORK, f"{url}: {type(exc).__name__}: {exc}") from None
        except (OSError, ValueError) as exc:  # a malformed address or response
            raise FetchError(E_NETWORK, f"{url}: {exc}") from None


def _headers(r: httpx.Response) -> dict[str, str]:
    return {k.lower(): v for k, v in r.headers.items()}
