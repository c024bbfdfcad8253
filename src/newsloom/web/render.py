"""HTML built in Python: article highlighting from character spans and server-drawn SVG charts.

Every piece of text that reaches the output passes through ``markupsafe.escape``; markup is only ever made from
constant strings and escaped values.
"""
from __future__ import annotations

import datetime as dt
import math
from urllib.parse import quote

from markupsafe import Markup, escape


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
            label = d.get("span_start", "")[:10] + " (" + (d.get("precision") or "") + ")"
            inner.append((*span, Markup('<time class="date" datetime="{}" title="{}">').format(
                d.get("span_start", "")[:10], label), Markup("</time>")))
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
            px, top - 6, px, height - 6, px, day.isoformat()))
    max_n = max(len(e.get("articles", [])) or 1 for e, _, _ in rows)
    for i, (event, start, end) in enumerate(rows):
        y = top + i * row_h + row_h / 2
        n = len(event.get("articles", [])) or 1
        r = 4 + 7 * math.sqrt(n / max_n)
        x1, x2 = x(start), x(end + dt.timedelta(days=1))
        href = "/events/" + path_id(event["id"])
        label = f"{(event.get('start') or '')[:10]}  {_short(event.get('title') or '', 48)}"
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
            px + 1, top + chart_h - h, max(1.0, bar_w - 2), h, p[key], p[value]))
        if i % every == 0:
            out.append(Markup('<text x="{:.1f}" y="{}" font-size="10" text-anchor="middle" fill="#666">{}</text>').format(
                px + bar_w / 2, height - 10, p[key]))
    out.append(Markup("</svg>"))
    return Markup("").join(out)
