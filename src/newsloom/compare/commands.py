"""``newsloom compare EVENT_ID [--json]``, ``newsloom compare --storyline ID`` and ``newsloom quotes``."""
from __future__ import annotations

import json
import sys
import textwrap

from newsloom.cli_args import limit_count, non_negative


def add_commands(subparsers) -> None:
    p = subparsers.add_parser("compare", help="how each outlet covered one event, claim by claim")
    p.add_argument("id", nargs="?", help="event id")
    p.add_argument("--storyline", help="compare the events of a storyline and show what changed")
    p.add_argument("--json", action="store_true", help="machine-readable output (stable shape, docs/compare.md)")
    p.set_defaults(handler=_compare)

    p = subparsers.add_parser("quotes", help="quotes and reported speech with speaker and channel")
    p.add_argument("--event")
    p.add_argument("--article")
    p.add_argument("--speaker", help="speaker name contains (case-insensitive) or entity id")
    p.add_argument("--outlet")
    p.add_argument("--limit", type=limit_count, default=0, help="at most this many (default 0 = all)")
    p.add_argument("--offset", type=non_negative, default=0)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_quotes)


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _wrap(text: str, indent: str, width: int = 110) -> str:
    return textwrap.fill(" ".join(text.split()), width=width, initial_indent=indent, subsequent_indent=indent + "  ")


def _claim_line(c, indent: str = "      ") -> str:
    return _wrap(f"[{c.article_id} {c.start}-{c.end}] {c.text}", indent)


def render_comparison(comp) -> str:
    lines = [f"Event {comp.event_id}: {comp.title}", ""]
    lines.append("Outlets: " + ", ".join(f"{o.outlet} ({len(o.articles)})" for o in comp.outlets))
    lines.append("")
    lines.append(f"SHARED CORE — carried by most outlets ({len(comp.core)} claims)")
    for gid in comp.core:
        g = comp.group(gid)
        lines.append(_wrap(f"● {g.label}", "  "))
        lines.append(f"      carried by: {', '.join(g.outlets)}")
    lines.append("")
    lines.append("PER OUTLET")
    for o in comp.outlets:
        lines.append(f"  ■ {o.outlet}  ({o.n_claims} claims; articles {', '.join(o.articles)})")
        if o.only:
            lines.append("    only here:")
            for gid in o.only:
                for c in comp.group(gid).claims[:1]:
                    lines.append(_claim_line(c))
        if o.some:
            lines.append("    shared with some, not most:")
            for gid in o.some:
                g = comp.group(gid)
                others = [x for x in g.outlets if x != o.outlet]
                claim = next(c for c in g.claims if c.outlet == o.outlet)
                lines.append(_claim_line(claim) + f"\n        (also: {', '.join(others)})")
        if o.missing_core:
            lines.append("    does not carry core claims: " + ", ".join(
                comp.group(g).label[:50] + "…" for g in o.missing_core))
    lines.append("")
    lines.append(f"DISAGREEMENTS ({len(comp.disagreements)})")
    for d in comp.disagreements:
        lines.append(f"  ≠ {d.kind} ({d.quantity}):")
        for v in d.values:
            lines.append(_wrap(f"{v['outlet']}: {v['value']} — “{v['text']}” [{v['article_id']} {v['start']}-"
                               f"{v['end']}] in: {v['sentence']}", "      "))
    lines.append("")
    lines.append("WHOM EACH OUTLET CITES")
    if comp.sides:
        lines.append("  sides quoted in this event: " + ", ".join(comp.sides))
    for o in comp.outlets:
        flags = []
        if o.one_sided:
            flags.append(f"cites only one side: {o.sides[0]}")
        if o.officials_only:
            flags.append("only official sources")
        lines.append(f"  ■ {o.outlet}" + (f"  [{'; '.join(flags)}]" if flags else ""))
        if not o.speakers:
            lines.append("      (no quotes)")
        for s in o.speakers:
            side = f", {s.side}" if s.side else ""
            lines.append(f"      {s.count}× {s.name}{side}")
        if o.channels:
            lines.append("      via: " + ", ".join(f"{c['name']} ({c['count']})" for c in o.channels))
    return "\n".join(lines)


def render_storyline(line) -> str:
    lines = [f"Storyline {line.storyline_id}: {line.title}", ""]
    for e in line.events:
        lines.append(f"  ● {e.event_id}: {e.title}  ({len(e.groups)} claims, {len(e.core)} shared)")
    for step in line.steps:
        lines.append("")
        lines.append(f"FROM {step.from_event} TO {step.to_event}")
        lines.append(f"  new ({len(step.new)}):")
        for g in step.new:
            c = g["claims"][0]
            lines.append(_wrap(f"+ [{c['article_id']} {c['start']}-{c['end']}] {c['text']}", "    "))
        lines.append(f"  dropped ({len(step.dropped)}):")
        for g in step.dropped:
            c = g["claims"][0]
            lines.append(_wrap(f"- [{c['article_id']} {c['start']}-{c['end']}] {c['text']}", "    "))
        lines.append(f"  carried on: {len(step.kept)}")
    return "\n".join(lines)


def _compare(loom, args) -> int:
    from newsloom.compare.api import compare_event, compare_storyline
    from newsloom.errors import UsageError

    if args.storyline:
        result = compare_storyline(loom, args.storyline)
        _print_json(result.to_json()) if args.json else print(render_storyline(result))
        return 0
    if not args.id:
        raise UsageError("give an event id or --storyline ID")
    result = compare_event(loom, args.id)
    _print_json(result.to_json()) if args.json else print(render_comparison(result))
    return 0


def _quotes(loom, args) -> int:
    from newsloom.compare.api import quotes

    items = quotes(loom, event=args.event, article=args.article, speaker=args.speaker, outlet=args.outlet,
                   limit=args.limit or None, offset=args.offset)
    if not items:  # stdout stays a clean (empty) list; stderr says for what
        given = [f"--{name} {getattr(args, name)}" for name in ("event", "article", "speaker", "outlet")
                 if getattr(args, name)] + ([f"--offset {args.offset}"] if args.offset else [])
        print("newsloom: no quotes" + (f" for {' '.join(given)}" if given else " in this store"), file=sys.stderr)
    if args.json:
        _print_json([q.to_json() for q in items])
        return 0
    for q in items:
        who = q.speaker or "?"
        if q.channel:
            who += f" (via {q.channel})"
        mark = "„" + q.text + "“" if q.kind == "direct" else q.text
        print(_wrap(f"{who} — {q.verb or ''} [{q.outlet}, {q.article_id} {q.start}-{q.end}]: {mark}", ""))
    return 0
