"""Command line: a thin layer over ``newsloom.api``. Every list command takes ``--json`` and filters."""
from __future__ import annotations

import argparse
import dataclasses
import html
import json
import os
import re
import shlex
import shutil
import sys
from collections import Counter
from importlib import resources

from newsloom import settings
from newsloom.api import Newsloom
from newsloom.cli_args import (
    add_db_option, default_db, is_url, limit_count, non_negative, positive, require_store,
)
from newsloom.errors import NewsloomError, NotFound, UsageError
from newsloom.nlp.ner_model import ENGINES

DEMO_DB = os.path.join(".newsloom-demo", "demo.db")  # `newsloom demo` without --db: a stable path, git-ignored


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _add_filters(parser: argparse.ArgumentParser, *, entity: bool = True, limit: int = 50) -> None:
    parser.add_argument("--since", help="from this date (YYYY, YYYY-MM or YYYY-MM-DD)")
    parser.add_argument("--until", help="up to and including this date")
    parser.add_argument("--outlet", help="only this outlet")
    if entity:
        parser.add_argument("--entity", help="only where this entity (name or id) is mentioned")
    parser.add_argument("--limit", type=limit_count, default=limit,
                        help=f"at most this many (default {limit}; 0 = all)")
    parser.add_argument("--offset", type=non_negative, default=0)
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def _add_engine_options(parser: argparse.ArgumentParser) -> None:
    """Where the per-article analysis runs (``newsloom.engine``)."""
    parser.add_argument("--processes", type=positive, default=None,
                        help="local analysis processes (default: this machine's cores; 1: in this process)")
    parser.add_argument("--workers", type=positive, default=None,
                        help="start a local Dask cluster of this many worker processes for the analysis")
    parser.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                        help="analyse on the workers of this running Dask scheduler (dask scheduler / dask worker)")


def run_analyze(_loom, args: argparse.Namespace) -> int:
    """``newsloom analyze INPUTS -o DIR``: analyses as a Parquet dataset, for ``newsloom ingest DIR`` later."""
    from newsloom.pipeline import analyse_to_dataset

    if args.ner_engine:
        settings.INGEST = dataclasses.replace(settings.INGEST, ner_engine=args.ner_engine)
    report = analyse_to_dataset(args.paths, args.output, workers=args.processes, dask_workers=args.workers,
                                scheduler=args.scheduler,
                                on_problem=lambda problem: print(f"skipped {problem}", file=sys.stderr))
    if args.json:
        _print_json(report.to_json())
    else:
        print(f"analysed {report.stored} articles into {args.output}, failed {report.failed}")
    return 1 if report.failed else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsloom", description="Events, storylines, entities and quotes from news articles.")
    add_db_option(parser, top_level=True)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="read articles from files, folders or - (stdin)")
    p.add_argument("paths", nargs="+")
    _add_engine_options(p)
    p.add_argument("--time-blocks", type=positive, default=None, metavar="DAYS",
                   help="cluster events in blocks of this many days in parallel on the same processes or Dask "
                        "workers, stitched across block boundaries (opt-in; default: one clusterer, in order)")
    p.add_argument("--ner-engine", choices=ENGINES, default=None,
                   help="entity tagger over each lead (default: settings.INGEST.ner_engine, crf: fastest; "
                        "ensemble: most accurate, about twice the analysis time)")
    p.add_argument("--no-progress", action="store_true")
    p.add_argument("--json", action="store_true", help="print the report as JSON")

    p = sub.add_parser("analyze", help="analyse articles into a Parquet dataset (by day) for a later ingest")
    p.add_argument("paths", nargs="+")
    p.add_argument("--output", "-o", required=True, help="folder of the dataset (new, or one written before)")
    _add_engine_options(p)
    p.add_argument("--ner-engine", choices=ENGINES, default=None)
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(needs_store=False, handler=run_analyze)

    p = sub.add_parser("events", help="list events, newest first")
    _add_filters(p)
    p.add_argument("--storyline")
    p.add_argument("--min-articles", type=non_negative, default=1)

    p = sub.add_parser("event", help="one event with its articles and entities")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.add_argument("--why", action="store_true",
                   help="why each article is in the event: the terms, entities and dates it shares, and its score")

    p = sub.add_parser("storylines", help="list storylines")
    _add_filters(p)

    p = sub.add_parser("storyline", help="one storyline as a timeline of its events")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("entities", help="people, organisations and places, most mentioned first")
    _add_filters(p, entity=False)
    p.add_argument("--type", choices=["PER", "ORG", "LOC", "MISC"])
    p.add_argument("--name", help="name contains")

    p = sub.add_parser("entity", help="one entity with its variants and events")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("articles", help="list articles")
    _add_filters(p)
    p.add_argument("--event")

    p = sub.add_parser("article", help="one article with its analysis")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("export", help="export articles, events, storylines and entities")
    p.add_argument("--format", choices=["json", "csv", "parquet"], default="json")
    p.add_argument("--output", "-o", help="file to write (default: stdout; parquet needs -o or a pipe)")

    p = sub.add_parser("search", help="full-text search over titles and texts (German lemmas), best first")
    p.add_argument("query", help="words to look for (plain words; no query syntax)")
    _add_filters(p, limit=20)

    sub.add_parser("demo", help=f"ingest the bundled demo corpus into a fresh store (default {DEMO_DB}) "
                                "and show the result")

    from newsloom.plugins import register_commands

    register_commands(sub)
    for subparser in sub.choices.values():  # `newsloom ingest FILE --db X` as well as `newsloom --db X ingest FILE`
        try:
            add_db_option(subparser)
        except argparse.ArgumentError:  # a command module that defines --db itself keeps its own
            pass
    parser.commands = dict(sub.choices)  # name -> subcommand parser (help texts, tests)
    return parser


def _say_if_empty(loom: Newsloom, items: list, args: argparse.Namespace, what: str) -> None:
    """An empty list says why on stderr (stdout stays a clean, possibly empty, list for pipes)."""
    if items:
        return
    entity = getattr(args, "entity", None)
    if entity:
        try:
            loom.entity(entity)
        except NotFound:
            print(f"newsloom: no entity matches {entity!r} (see `newsloom entities --name ...` for names)",
                  file=sys.stderr)
            return
    filters = [f"--{name} {getattr(args, name)}" for name in ("since", "until", "outlet", "entity", "type", "name",
                                                               "event", "storyline") if getattr(args, name, None)]
    if getattr(args, "offset", 0):
        filters.append(f"--offset {args.offset}")
    print(f"newsloom: no {what}" + (f" for {' '.join(filters)}" if filters else " in this store"), file=sys.stderr)


def _show_events(events) -> None:
    for e in events:
        period = e.start if e.start == e.end else f"{e.start} .. {e.end}"
        outlets = ", ".join(e.outlets)
        print(f"{e.id}  {period:<24} {len(e.articles):>3} art  {e.title[:80]}")
        print(f"{'':16}outlets: {outlets}" + (f"   storyline: {e.storyline_id}" if e.storyline_id else ""))


def _show_event(e, why: dict | None = None) -> None:
    print(f"Event {e.id}: {e.title}")
    print(f"  when: {e.start} .. {e.end}    storyline: {e.storyline_id or '-'}")
    print("  entities: " + ", ".join(f"{x.name} ({x.type}, {x.mentions})" for x in e.entities))
    print(f"  articles ({len(e.articles)}):")
    for a in e.articles:
        dup = f"  [copy of {a.duplicate_of}]" if a.duplicate_of else ""
        print(f"    {a.published or '?':<17} {a.outlet:<22} {a.id}  {a.title[:70]}{dup}")
        if why is not None and a.id in why:
            print(f"    {'':17} why: {why[a.id].summary()}")


def run(args: argparse.Namespace) -> int:
    if args.command == "demo":
        return run_demo(args)
    args.db = args.db or default_db()
    if getattr(args, "needs_store", True) is False:
        return args.handler(None, args)
    # only ingest (and commands that say so, like watch) creates a store; a mistyped --db is an error, never an
    # empty store
    creates = args.command == "ingest" or getattr(args, "creates_store", False)
    if not creates:
        require_store(args.db)
    if args.command == "export" and args.format == "parquet" and not args.output and sys.stdout.isatty():
        raise UsageError("parquet is binary: write it to a file with -o FILE (or pipe it)")
    loom = Newsloom(args.db, create=creates)
    try:
        return _dispatch(loom, args)
    finally:
        loom.close()


def _dispatch(loom: Newsloom, args: argparse.Namespace) -> int:
    cmd = args.command
    if cmd == "ingest":
        def report_problem(problem):
            print(f"skipped {problem}", file=sys.stderr)

        if args.ner_engine:
            settings.INGEST = dataclasses.replace(settings.INGEST, ner_engine=args.ner_engine)
        report = loom.ingest(args.paths, workers=args.processes, dask_workers=args.workers,
                             scheduler=args.scheduler, progress=not args.no_progress and sys.stderr.isatty(),
                             on_problem=report_problem, time_blocks=args.time_blocks)
        if args.json:
            _print_json(report.to_json())
        else:
            print(report.summary())
        return 1 if report.failed else 0
    if cmd == "events":
        events = loom.events(since=args.since, until=args.until, outlet=args.outlet, entity=args.entity,
                             storyline=args.storyline, min_articles=args.min_articles, limit=args.limit or None, offset=args.offset)
        _print_json([e.to_json() for e in events]) if args.json else _show_events(events)
        _say_if_empty(loom, events, args, "events")
        return 0
    if cmd == "event":
        event = loom.event(args.id)
        why = loom.explain_event(event.id) if args.why else None
        if args.json:
            data = event.to_json()
            if why is not None:
                for article in data["articles"]:
                    if article["id"] in why:
                        article["why"] = why[article["id"]].to_json()
            _print_json(data)
        else:
            _show_event(event, why)
        return 0
    if cmd == "storylines":
        lines = loom.storylines(since=args.since, until=args.until, outlet=args.outlet, entity=args.entity,
                                limit=args.limit or None, offset=args.offset)
        if args.json:
            _print_json([s.to_json() for s in lines])
        else:
            for s in lines:
                print(f"{s.id}  {s.start} .. {s.end}  {len(s.events)} events  {s.title[:80]}")
                print(f"{'':15}" + ", ".join(e.name for e in s.entities[:6]))
        _say_if_empty(loom, lines, args, "storylines")
        return 0
    if cmd == "storyline":
        line = loom.storyline(args.id)
        if args.json:
            _print_json(line.to_json(full=True))
        else:
            print(f"Storyline {line.id}: {line.title}\n  {line.start} .. {line.end}\n")
            for e in line.timeline:
                print(f"  {e.start:<17} ● {e.title[:90]}")
                print(f"  {'':17} │ {e.id}, {len(e.articles)} articles from {', '.join(e.outlets)}")
        return 0
    if cmd == "entities":
        items = loom.entities(type=args.type, name=args.name, outlet=args.outlet, since=args.since,
                              until=args.until, limit=args.limit or None, offset=args.offset)
        if args.json:
            _print_json([e.to_json() for e in items])
        else:
            for e in items:
                print(f"{e.mentions:>6}  {e.type:<4} {e.name:<30} {', '.join(e.variants[:6])}")
        _say_if_empty(loom, items, args, "entities")
        return 0
    if cmd == "entity":
        e = loom.entity(args.id)
        if args.json:
            _print_json(e.to_json())
        else:
            print(f"{e.name} ({e.type}), id {e.id}\n  variants: {', '.join(e.variants)}\n"
                  f"  {e.mentions} mentions in {e.articles} articles\n  events: {', '.join(e.events[:20])}")
        return 0
    if cmd == "articles":
        items = loom.articles(since=args.since, until=args.until, outlet=args.outlet, entity=args.entity,
                              event=args.event, limit=args.limit or None, offset=args.offset)
        if args.json:
            _print_json([a.to_json() for a in items])
        else:
            for a in items:
                print(f"{a.published or '?':<17} {a.outlet:<22} {a.id:<24} {a.title[:70]}")
        _say_if_empty(loom, items, args, "articles")
        return 0
    if cmd == "article":
        a = loom.article(args.id)
        if args.json:
            data = a.to_json()
            data["entities"] = loom.mentions(a.id)
            data["dates"] = loom.dates(a.id)
            _print_json(data)
        else:
            _show_article(loom, a)
        return 0
    if cmd == "export":
        data = loom.export(args.format, args.output)
        if not args.output:
            sys.stdout.buffer.write(data)
        return 0
    if cmd == "search":
        from newsloom.search import COUNT_CAP
        from newsloom.web.highlight import highlight  # the web's marks and snippets (pure; no web server needed)

        result = highlight(loom.search(args.query, since=args.since, until=args.until, outlet=args.outlet,
                                       entity=args.entity, limit=args.limit or COUNT_CAP, offset=args.offset))
        if args.json:
            _print_json(result.to_json())
        else:
            _show_search(result, args.offset)
        if result.message and not result.hits:
            print(f"newsloom: {result.message}", file=sys.stderr)
        return 0
    handler = getattr(args, "handler", None)
    if handler is not None:
        return handler(loom, args)
    raise NewsloomError(f"unknown command {cmd}")


def _show_article(loom: Newsloom, a) -> None:
    """A readable header (title, outlet, date, event, entities, quotes), then the text."""
    print(a.title)
    print(f"  id: {a.id}    outlet: {a.outlet} ({a.outlet_evidence})    published: {a.published or '?'}")
    copy = f"    copy of: {a.duplicate_of} ({a.duplicate_kind})" if a.duplicate_of else ""
    print(f"  event: {a.event_id or '-'}{copy}")
    if a.url:
        print(f"  url: {a.url}")
    counts = Counter((m["name"], m["type"]) for m in loom.mentions(a.id))
    if counts:
        print("  entities: " + ", ".join(f"{name} ({kind}, {n})" for (name, kind), n in counts.most_common(15))
              + (f", … {len(counts) - 15} more" if len(counts) > 15 else ""))
    quotes = loom.quotes(article=a.id)
    if quotes:
        print(f"  quotes ({len(quotes)}):")
        for q in quotes:
            text = " ".join(q.text.split())
            text = text if len(text) <= 100 else text[:99] + "…"
            mark = f"„{text}“" if q.kind == "direct" else text
            print(f"    {q.speaker or '?'}{f' (via {q.channel})' if q.channel else ''}: {mark}")
    print()
    print(a.text)


def _plain(markup: str) -> str:
    """Search highlights as terminal text: the <mark> spans bold on a terminal, bare otherwise."""
    on, off = ("\033[1m", "\033[0m") if sys.stdout.isatty() else ("", "")
    text = html.unescape(re.sub(r"<mark>(.*?)</mark>", lambda m: on + m.group(1) + off, markup))
    return " ".join(text.split())


def _show_search(result, offset: int) -> None:
    if result.hits:
        shown = f"{offset + 1}–{offset + len(result.hits)}"
        total = f"{result.total}+" if result.total >= 10_000 else str(result.total)
        print(f"{total} articles match {result.query!r}; {shown}, best first:\n")
    for h in result.hits:
        print(f"{h.published or '?':<17} {h.outlet:<22} {h.id}  {_plain(h.title_html)[:90]}")
        print(f"{'':18}event {h.event_id or '-'}" + (f", copy of {h.duplicate_of}" if h.duplicate_of else ""))
        print(f"{'':18}{_plain(h.snippet_html)}\n")


def demo_corpus_path() -> str:
    return str(resources.files("newsloom").joinpath("demo", "articles.jsonl"))


def run_demo(args: argparse.Namespace) -> int:
    """The main job on the bundled demo corpus: ingest into a fresh store, show storylines and events, score them."""
    from newsloom.eval.clustering import score_store_against_gold

    db = args.db or DEMO_DB
    if is_url(db):
        raise UsageError("the demo builds a fresh SQLite file; give --db a file path")
    _remove_demo_store(db)
    os.makedirs(os.path.dirname(db) or ".", exist_ok=True)
    loom = Newsloom(db)
    try:
        report = loom.ingest([demo_corpus_path()])
        print(f"Ingested the demo corpus into {db}: {report.summary()}\n")
        print("Storylines:")
        for line in loom.storylines():
            view = loom.storyline(line.id)
            print(f"  {view.id}  {view.start} .. {view.end}  {view.title[:70]}")
            for e in view.timeline:
                print(f"      {e.start:<17} {e.title[:70]}  ({len(e.articles)} articles)")
        print("\nEvents (newest first):")
        _show_events(loom.events())
        print("\nMost mentioned entities:")
        for e in loom.entities(limit=12):
            print(f"  {e.mentions:>4}  {e.type:<4} {e.name:<28} {', '.join(e.variants[:5])}")
        gold = str(resources.files("newsloom").joinpath("demo", "gold.tsv"))
        scores = score_store_against_gold(loom, gold)
        print("\nAgainst the hand-made gold events and storylines (src/newsloom/demo/gold.tsv), BCubed:")
        for what in ("events", "storylines"):
            s = scores.get(what)
            if s:
                print(f"  {what:<10}  F1 {s['bcubed_f1']:.3f}  "
                      f"(precision {s['bcubed_p']:.3f}, recall {s['bcubed_r']:.3f})")
    finally:
        loom.close()
    me = _own_command()
    target = shlex.quote(db)
    print(f"\nThe demo store is {db}. Open it in a browser (http://127.0.0.1:8000/, Ctrl-C stops):\n"
          f"  {me} --db {target} serve\n"
          f"or on the terminal:\n"
          f"  {me} --db {target} events\n"
          f"  {me} --db {target} search Streik")
    return 0


def _remove_demo_store(db: str) -> None:
    """The demo starts from an empty store: an earlier demo store is removed, any other store is refused."""
    if not os.path.exists(db):
        return
    if os.path.isdir(db):
        raise UsageError(f"{db} is a folder, not a store file")
    loom = Newsloom(db)
    try:
        foreign = [a.id for a in loom.articles(limit=None) if not a.id.startswith("demo-")]
    finally:
        loom.close()
    if foreign:
        raise UsageError(f"{db} holds articles that are not from the demo corpus; the demo will not replace it "
                         f"(give --db a new file)")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)


def _own_command() -> str:
    """How the user can run this newsloom again: ``newsloom`` when that is on the PATH, else the path typed."""
    argv0 = sys.argv[0] if sys.argv and sys.argv[0] else ""
    if os.path.basename(argv0) == "newsloom":
        found = shutil.which("newsloom")
        if found and os.path.exists(argv0) and os.path.samefile(found, argv0):
            return "newsloom"
        return shlex.quote(argv0)
    return f"{shlex.quote(sys.executable)} -m newsloom"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return run(args)
    except NewsloomError as exc:
        print(f"newsloom: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
