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


def _marks(row, width: int) -> str:
    return " ".join(("●" if cell is not None else "·").center(width) for cell in row.cells)


def _matrix(view, rows, lines: list[str]) -> None:
    """Claim groups x outlets: one line per group with a mark per outlet column, then the sentence references."""
    width = 1
    for row in rows:
        lines.append(_wrap(f"{_marks(row, width)}  {row.group} {row.label}", "  "))
        refs = [f"{view.letters[i]}: {cell.where}" for i, cell in enumerate(row.cells) if cell is not None]
        lines.append(_wrap("    ".join(refs), "  " + " " * (2 * len(view.columns))))
        if row.closest is not None:
            c = row.closest
            sim = f", similarity {c.similarity:.2f}" if c.similarity is not None else ""
            lines.append(_wrap(f"closest elsewhere ({c.outlet or '?'}{sim}): {c.text} [{c.where}]",
                               "  " + " " * (2 * len(view.columns))))


def render_comparison(comp) -> str:
    """The readable comparison: the same content as the web page's coverage section."""
    from newsloom.compare.view import coverage_view

    data = comp if isinstance(comp, dict) else comp.to_json()
    view = coverage_view(data)
    view.letters = [chr(ord("A") + i) if i < 26 else str(i) for i in range(len(view.columns))]
    c = view.counts
    lines = [f"Event {view.event_id}: {view.title}", ""]
    sample = (f" (a sample of {view.articles_compared} of its {view.articles_total} articles)"
              if view.articles_total > view.articles_compared else "")
    maybe = f", {c['maybe']} one outlet with a similar claim elsewhere" if c["maybe"] else ""
    lines.append(f"{c['groups']} claim groups{sample}: {c['core']} core, {c['partial']} partial, "
                 f"{c['only_here']} only here{maybe}")
    lines.append("")
    lines.append("OUTLETS (matrix columns)")
    for letter, o in zip(view.letters, view.outlets):
        lines.append(f"  {letter}  {o.name}  ({len(o.articles)} article{'s' if len(o.articles) != 1 else ''}, "
                     f"{o.n_claims} claims)")
    lines.append("")
    lines.append("  " + " ".join(view.letters) + "   ● carries the claim; references are [article start-end]")
    core = [r for r in view.rows if r.status == "core"]
    partial = [r for r in view.rows if r.status == "partial"]
    lines.append(f"SHARED CORE — carried by most outlets ({len(core)} claims)")
    _matrix(view, core, lines)
    lines.append(f"PARTIAL — carried by several outlets, not most ({len(partial)})")
    _matrix(view, partial, lines)
    lines.append(f"ONLY HERE — one outlet alone ({c['unique']}; listed per outlet below)")
    lines.append("  " + ", ".join(f"{letter}: {len(o.only) + len(o.maybe)}"
                                  for letter, o in zip(view.letters, view.outlets)))
    lines.append("")
    lines.append(f"DISAGREEMENTS ({len(view.disagreements)})")
    for d in view.disagreements:
        lines.append(f"  ≠ {d.kind}: {d.quantity}  (claim {d.group})")
        for v in d.values:
            marked = f"{v.before}[{v.figure}]{v.after}" if v.figure else v.before
            lines.append(_wrap(f"{v.outlet}: {v.value} — {marked} [{v.sentence.where}]", "      "))
    lines.append("")
    lines.append("PER OUTLET — what only it reports")
    for o in view.outlets:
        extra = []
        if o.n_some:
            extra.append(f"{o.n_some} shared with some outlets")
        if o.n_missing_core:
            extra.append(f"misses {o.n_missing_core} core claim{'s' if o.n_missing_core != 1 else ''}")
        lines.append(f"  ■ {o.name}  ({len(o.only)} only here" + (f"; {'; '.join(extra)}" if extra else "") + ")")
        for row in o.only:
            cell = next((x for x in row.cells if x is not None), None)
            lines.append(_wrap(f"- {row.label}" + (f" [{cell.where}]" if cell else ""), "      "))
            if row.closest is not None:
                k = row.closest
                sim = f", similarity {k.similarity:.2f}" if k.similarity is not None else ""
                lines.append(_wrap(f"closest elsewhere ({k.outlet or '?'}{sim}): {k.text} [{k.where}]", "        "))
        if o.maybe:
            lines.append(f"    only it carries, but a similar claim is elsewhere ({len(o.maybe)}):")
            for row in o.maybe:
                cell = next((x for x in row.cells if x is not None), None)
                lines.append(_wrap(f"? {row.label}" + (f" [{cell.where}]" if cell else ""), "      "))
                if row.closest is not None:
                    k = row.closest
                    sim = f", similarity {k.similarity:.2f}" if k.similarity is not None else ""
                    lines.append(_wrap(f"closest elsewhere ({k.outlet or '?'}{sim}): {k.text} [{k.where}]",
                                       "        "))
    lines.append("")
    lines.append("WHOM EACH OUTLET CITES")
    if view.sides:
        lines.append("  sides quoted in this event: " + ", ".join(view.sides))
    for o in view.outlets:
        lines.append(f"  ■ {o.name}" + (f"  [{'; '.join(o.flags)}]" if o.flags else ""))
        if not o.speakers:
            lines.append("      (no quotes)")
            continue
        lines.append(f"      {'count':>5}  {'speaker':<32} {'side':<22} official")
        for s in o.speakers:
            lines.append(f"      {s.count:>5}  {s.name[:32]:<32} {(s.side or '—')[:22]:<22} "
                         f"{'yes' if s.official else 'no'}")
        if o.channels:
            lines.append("      via: " + ", ".join(f"{name} ({n})" for name, n in o.channels))
    return "\n".join(lines)


def _group_line(g, mark: str) -> str:
    ref = f" [{g.first.where}]" if g.first else ""
    outlets = f" ({', '.join(g.outlets)})" if g.outlets else ""
    return _wrap(f"{mark} {g.label}{outlets}{ref}", "    ")


def render_storyline(line) -> str:
    """What changed from event to event: new, dropped and kept claims (the web's storyline changes)."""
    from newsloom.compare.view import storyline_view

    view = storyline_view(line if isinstance(line, dict) else line.to_json())
    lines = [f"Storyline {view.storyline_id}: {view.title}", ""]
    for e in view.events:
        lines.append(f"  ● {e.get('event_id')}: {e.get('title')}  ({e.get('n_groups', 0)} claims, "
                     f"{len(e.get('core') or [])} shared)")
    for step in view.steps:
        lines.append("")
        lines.append(f"FROM {step.from_event} TO {step.to_event}")
        lines.append(f"  new ({step.n_new}):")
        lines.extend(_group_line(g, "+") for g in step.new)
        if step.n_new > len(step.new):
            lines.append(f"    … {step.n_new - len(step.new)} more")
        lines.append(f"  dropped ({step.n_dropped}):")
        lines.extend(_group_line(g, "-") for g in step.dropped)
        if step.n_dropped > len(step.dropped):
            lines.append(f"    … {step.n_dropped - len(step.dropped)} more")
        lines.append(f"  kept ({step.n_kept}):")
        lines.extend(_group_line(k.after, "=") for k in step.kept)
        if step.n_kept > len(step.kept):
            lines.append(f"    … {step.n_kept - len(step.kept)} more")
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
