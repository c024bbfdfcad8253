"""HTML built in Python: article highlighting from character spans and server-drawn SVG charts.

Every piece of text that reaches the output passes through ``markupsafe.escape``; markup is only ever made from
constant strings and escaped values.
"""
from __future__ import annotations

import datetime as dt
import math
from urllib.parse import quote

from markupsafe import Markup, escape

from newsloom.records import Precision, TimeSpan


def path_id(value: str) -> str:
    """An id as one URL path segment."""
    return quote(str(value), safe="")


# -- article highlighting ----------------------------------------------------------------------------------
def highlight_article(text: str, *, entities: list[dict], dates: list[dict], quotes: list[dict],
                      focus: tuple[int, int] | None = None) -> Markup:
    """The article text as HTML: quotes (outer layer), entity and date mentions (inner layer), and an optional
    focus span (a sentence linked from the comparison) marked with id="hl". Overlaps are cut at boundaries."""
    n = len(text)

    def clip(a, b):
        a, b = max(0, int(a)), min(n, int(b))
        return (a, b) if a < b else None

    outer = []  # (start, end, open_tag, close_tag)
    for i, q in enumerate(quotes):
        span = clip(q["start"], q["end"])
        if span:
            who = q.get("speaker") or "unbekannt"
            title = f"{q.get('kind', 'quote')}: {who}" + (f" (via {q['channel']})" if q.get("channel") else "")
            outer.append((*span, Markup('<span class="quote {}" id="q-{}" title="{}">').format(
                q.get("kind") or "", span[0], title), Markup("</span>")))
    inner = []
    for m in entities:
        span = clip(m["start"], m["end"])
        if span:
            href = "/entities/" + path_id(m["entity_id"])
            inner.append((*span, Markup('<a class="ent {}" href="{}" title="{} ({})">').format(
                m.get("type") or "", href, m.get("name") or "", m.get("type") or ""), Markup("</a>")))
    for d in dates:
        span = clip(d["start"], d["end"])
        if span:
            iso = span_iso(d.get("span_start"), d.get("span_end"), d.get("precision"))
            inner.append((*span, Markup('<time class="date" datetime="{}" title="{}">').format(
                machine_date(iso), human_date(iso, "date")), Markup("</time>")))
    layers = [_non_overlapping(outer), _non_overlapping(inner)]
    if focus:
        span = clip(*focus)
        if span:
            layers.insert(0, [(*span, Markup('<mark class="focus" id="hl">'), Markup("</mark>"))])
    bounds = {0, n}
    for layer in layers:
        for start, end, *_ in layer:
            bounds.update((start, end))
    points = sorted(bounds)
    out = []
    active: list = [None] * len(layers)
    indexes = [0] * len(layers)
    for a, b in zip(points, points[1:]):
        now = []
        for li, layer in enumerate(layers):
            while indexes[li] < len(layer) and layer[indexes[li]][1] <= a:
                indexes[li] += 1
            item = layer[indexes[li]] if indexes[li] < len(layer) else None
            now.append(item if item is not None and item[0] <= a < item[1] else None)
        # close layers that change (inner first), then open (outer first)
        first_change = next((i for i in range(len(layers)) if now[i] is not active[i]), None)
        if first_change is not None:
            for i in range(len(layers) - 1, first_change - 1, -1):
                if active[i] is not None:
                    out.append(active[i][3])
            for i in range(first_change, len(layers)):
                if now[i] is not None:
                    out.append(now[i][2])
            active = now
        out.append(escape(text[a:b]))
    for i in range(len(layers) - 1, -1, -1):
        if active[i] is not None:
            out.append(active[i][3])
    return Markup("").join(out)


def _non_overlapping(spans: list[tuple]) -> list[tuple]:
    """Greedy: by start, longer first; drop spans that overlap one already kept."""
    kept, last_end = [], -1
    for span in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if span[0] >= last_end:
            kept.append(span)
            last_end = span[1]
    return kept


def paragraphs(html: Markup) -> Markup:
    """Blank lines become paragraph breaks (applied after escaping; tags never contain newlines)."""
    parts = str(html).split("\n\n")
    return Markup("").join(Markup("<p>") + Markup(p.replace("\n", "<br>")) + Markup("</p>") for p in parts if p.strip())


# -- SVG charts --------------------------------------------------------------------------------------------
def _date(iso: str | None) -> dt.date | None:
    if not iso:
        return None
    iso = iso[:10]
    if len(iso) == 4:
        iso += "-01-01"
    elif len(iso) == 7:
        iso += "-01"
    try:
        return dt.date.fromisoformat(iso)
    except ValueError:
        return None


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def timeline_svg(events: list[dict], *, width: int = 900) -> Markup:
    """A storyline timeline: one row per event, a bar from its start to its end on a shared date axis, its
    size by article count, linked to the event page."""
    rows = [(e, _date(e.get("start")), _date(e.get("end")) or _date(e.get("start"))) for e in events]
    rows = [r for r in rows if r[1]]
    if not rows:
        return Markup("")
    first = min(r[1] for r in rows)
    last = max(r[2] for r in rows)
    span_days = max(1, (last - first).days + 1)
    left, label_w, row_h, top = 70, 330, 26, 30
    chart_w = width - left - label_w - 20
    height = top + row_h * len(rows) + 10

    def x(day: dt.date) -> float:
        return left + chart_w * ((day - first).days / span_days)

    out = [Markup('<svg class="timeline" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
                  'xmlns="http://www.w3.org/2000/svg"><title>Timeline</title>').format(width, height, width, height)]
    # axis with a few date ticks
    ticks = 5 if span_days > 5 else span_days
    for i in range(ticks + 1):
        day = first + dt.timedelta(days=round(span_days * i / max(1, ticks)))
        px = x(day)
        out.append(Markup('<line x1="{:.1f}" y1="{}" x2="{:.1f}" y2="{}" stroke="#ddd"/>'
                          '<text x="{:.1f}" y="18" font-size="11" text-anchor="middle" fill="#666">{}</text>').format(
            px, top - 6, px, height - 6, px, _one("day", dt.datetime(day.year, day.month, day.day))))
    max_n = max(len(e.get("articles", [])) or 1 for e, _, _ in rows)
    for i, (event, start, end) in enumerate(rows):
        y = top + i * row_h + row_h / 2
        n = len(event.get("articles", [])) or 1
        r = 4 + 7 * math.sqrt(n / max_n)
        x1, x2 = x(start), x(end + dt.timedelta(days=1))
        href = "/events/" + path_id(event["id"])
        label = f"{human_date(event.get('start'), '')}  {_short(event.get('title') or '', 44)}"
        out.append(Markup(
            '<a href="{}"><title>{} ({} articles)</title>'
            '<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="6" rx="3" fill="#9bb7d4"/>'
            '<circle cx="{:.1f}" cy="{:.1f}" r="{:.1f}" fill="#2b6cb0" fill-opacity="0.85"/>'
            '<text x="{}" y="{:.1f}" font-size="12" fill="#1a202c">{}</text></a>').format(
            href, event.get("title") or "", n, x1, y - 3, max(2.0, x2 - x1), x1, y, r,
            left + chart_w + 16, y + 4, label))
    out.append(Markup("</svg>"))
    return Markup("").join(out)


def bar_chart_svg(points: list[dict], *, key: str, value: str, width: int = 760, height: int = 180,
                  label: str = "") -> Markup:
    """A small bar chart (e.g. events per month) with every bar titled with its value."""
    if not points:
        return Markup("")
    left, bottom, top = 40, 30, 14
    chart_w, chart_h = width - left - 10, height - bottom - top
    top_value = max(p[value] for p in points) or 1
    bar_w = chart_w / len(points)
    out = [Markup('<svg class="chart" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
                  'xmlns="http://www.w3.org/2000/svg"><title>{}</title>').format(width, height, width, height, label)]
    out.append(Markup('<text x="4" y="{}" font-size="11" fill="#666">{}</text>').format(top + 8, top_value))
    out.append(Markup('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#999"/>').format(
        left, top + chart_h, left + chart_w, top + chart_h))
    every = max(1, math.ceil(len(points) / 12))
    for i, p in enumerate(points):
        h = chart_h * p[value] / top_value
        px = left + i * bar_w
        out.append(Markup('<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="#2b6cb0">'
                          '<title>{}: {}</title></rect>').format(
            px + 1, top + chart_h - h, max(1.0, bar_w - 2), h, human_date(str(p[key]), ""), p[value]))
        if i % every == 0:
            out.append(Markup('<text x="{:.1f}" y="{}" font-size="10" text-anchor="middle" fill="#666">{}</text>').format(
                px + bar_w / 2, height - 10, human_date(str(p[key]), "")))
    out.append(Markup("</svg>"))
    return Markup("").join(out)


# -- dates in human form (the JSON keeps ISO) ----------------------------------------------------------------
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _parts(iso: str) -> tuple[str, dt.datetime] | None:
    """(precision, moment) of one ISO value at its precision: ``2021``, ``2021-12``, ``2021-12-08``,
    ``2022-02-04T11:39``."""
    iso = iso.strip()
    try:
        if len(iso) == 4 and iso.isdigit():
            return "year", dt.datetime(int(iso), 1, 1)
        if len(iso) == 7:
            return "month", dt.datetime(int(iso[:4]), int(iso[5:7]), 1)
        if len(iso) == 10:
            return "day", dt.datetime.fromisoformat(iso)
        if len(iso) >= 16 and iso[10] == "T":
            return "minute", dt.datetime.fromisoformat(iso[:16])
    except ValueError:
        return None
    return None


def _one(precision: str, moment: dt.datetime, *, year: bool = True) -> str:
    y = f" {moment.year}" if year else ""
    if precision == "year":
        return str(moment.year)
    if precision == "month":
        return f"{MONTHS[moment.month - 1]}{y}"
    if precision == "day":
        return f"{moment.day} {MONTHS[moment.month - 1]}{y}"
    return f"{moment.day} {MONTHS[moment.month - 1]}{y}, {moment:%H:%M}"


def span_iso(start: str | None, end: str | None, precision: str | None) -> str | None:
    """The ISO value of a stored span (start, end exclusive, precision), as the JSON gives it."""
    if not start or not end or not precision:
        return None
    try:
        span = TimeSpan(dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end), Precision(precision))
    except ValueError:
        return None
    return span.iso()


def human_date(value: str | None, empty: str = "undated") -> str:
    """An ISO date of any precision, or an ISO interval ``A/B``, in a form people read: ``Dec 2021``,
    ``8 Dec 2021``, ``4 Feb 2022, 11:39``, ``1–10 Dec 2021``, ``Nov – Dec 2021``. Unreadable values are
    returned unchanged."""
    if not value:
        return empty
    if "/" in value:
        first, _, last = value.partition("/")
        return human_range(first, last)
    parts = _parts(value)
    return _one(*parts) if parts else value


def human_range(start: str | None, end: str | None, empty: str = "undated") -> str:
    """A period from two ISO values (each at its own precision), compacted: ``8–10 Dec 2021``,
    ``25 Nov – 31 Dec 2021``, ``Dec 2021 – 4 Feb 2022``; one value when both are the same."""
    if not start and not end:
        return empty
    if not start or not end or start == end:
        return human_date(start or end, empty)
    a, b = _parts(start), _parts(end)
    if a is None or b is None:
        return f"{start} – {end}"
    (pa, ma), (pb, mb) = a, b
    if pa == pb == "minute" and ma.date() == mb.date():
        return f"{_one('day', ma)}, {ma:%H:%M}–{mb:%H:%M}"
    if pa == pb == "day" and (ma.year, ma.month) == (mb.year, mb.month):
        return f"{ma.day}–{mb.day} {MONTHS[mb.month - 1]} {mb.year}"
    if pa == pb and pa in ("day", "month") and ma.year == mb.year:
        return f"{_one(pa, ma, year=False)} – {_one(pb, mb)}"
    return f"{_one(pa, ma)} – {_one(pb, mb)}"


def machine_date(value: str | None) -> str:
    """The value for a ``<time datetime>`` attribute: the ISO value itself, or an interval's start."""
    return (value or "").partition("/")[0]


def _bounds(value: str | None) -> tuple[dt.date, dt.date] | None:
    """First and last day an ISO value (or interval) covers."""
    if not value:
        return None
    first, _, last = value.partition("/")
    a, b = _parts(first), _parts(last or first)
    if a is None or b is None:
        return None

    def end_of(precision: str, moment: dt.datetime) -> dt.date:
        if precision == "year":
            return dt.date(moment.year, 12, 31)
        if precision == "month":
            nxt = dt.date(moment.year + moment.month // 12, moment.month % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return moment.date()

    return a[1].date(), end_of(*b)


def gap_label(before: dict, after: dict) -> str | None:
    """How long after the previous event a storyline's next event came, in words, respecting precision:
    overlapping periods are "at the same time", never "-1 days later"."""
    prev = _bounds(before.get("end") or before.get("start"))
    nxt = _bounds(after.get("start"))
    if prev is None or nxt is None:
        return None
    last_day = prev[1]
    first_day = nxt[0]
    if first_day <= last_day:
        return "at the same time"
    days = (first_day - last_day).days
    coarse = any(len(v.partition("/")[0]) <= 7 for v in (before.get("end") or "", after.get("start") or "") if v)
    if coarse:
        months = round(days / 30.4)
        if months >= 1:
            return f"about {months} month{'s' if months != 1 else ''} later"
        return "within weeks"
    if days == 1:
        return "the next day"
    return f"{days} days later"


# -- the API reference, from the OpenAPI schema --------------------------------------------------------------
def _schema_text(schema: dict | None) -> str:
    """A short description of a JSON schema: type, enum, pattern, bounds ("integer, 1..100")."""
    if not isinstance(schema, dict):
        return ""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            parts = [_schema_text(s) for s in schema[key]]
            return " or ".join(p for p in parts if p and p != "null") or "any"
    kind = schema.get("type", "")
    if kind == "array":
        kind = f"array of {_schema_text(schema.get('items')) or 'values'}"
    extra = []
    if "enum" in schema:
        extra.append("one of " + ", ".join(map(str, schema["enum"])))
    if "pattern" in schema:
        extra.append(f"pattern {schema['pattern']}")
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None or high is not None:
        extra.append(f"{'' if low is None else low}..{'' if high is None else high}")
    if "maxLength" in schema:
        extra.append(f"at most {schema['maxLength']} characters")
    if "default" in schema and schema["default"] is not None:
        extra.append(f"default {schema['default']}")
    return ", ".join([kind or "any", *extra])


def api_docs(openapi: dict) -> dict:
    """The JSON API's reference as plain data for a template: endpoints grouped by tag, each with its
    parameters, request body and responses."""
    groups: dict[str, list[dict]] = {}
    for path, methods in (openapi.get("paths") or {}).items():
        for method, op in methods.items():
            if not isinstance(op, dict):
                continue
            params = [{"name": p.get("name"), "where": p.get("in"), "required": bool(p.get("required")),
                       "schema": _schema_text(p.get("schema")), "description": p.get("description") or
                       (p.get("schema") or {}).get("description") or ""}
                      for p in op.get("parameters") or []]
            body = op.get("requestBody") or {}
            body_types = sorted((body.get("content") or {}).keys())
            body_schema = ""
            if body_types:
                body_schema = _schema_text((body["content"][body_types[0]] or {}).get("schema"))
            responses = [{"code": code, "description": (r or {}).get("description", "")}
                         for code, r in sorted((op.get("responses") or {}).items())]
            description = (op.get("description") or "").strip()
            summary = op.get("summary") or ""
            tag = (op.get("tags") or ["other"])[0]
            groups.setdefault(tag, []).append({
                "method": method.upper(), "path": path, "summary": summary, "description": description,
                "params": params, "body": body_schema, "body_types": body_types, "responses": responses,
                "auth": bool(op.get("security")), "anchor": f"{method}-{path}".replace("/", "-").replace("{", "")
                .replace("}", "").strip("-"),
            })
    info = openapi.get("info") or {}
    return {"title": info.get("title", ""), "version": info.get("version", ""),
            "description": info.get("description", ""), "groups": sorted(groups.items())}
