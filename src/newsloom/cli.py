"""Command line: a thin layer over ``newsloom.api``. Every list command takes ``--json`` and filters."""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import tempfile
from importlib import resources

from newsloom import settings
from newsloom.api import Newsloom
from newsloom.errors import NewsloomError
from newsloom.nlp.ner_model import ENGINES

DEFAULT_DB = os.environ.get("NEWSLOOM_DB", "newsloom.db")


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _add_filters(parser: argparse.ArgumentParser, *, entity: bool = True) -> None:
    parser.add_argument("--since", help="from this date (YYYY, YYYY-MM or YYYY-MM-DD)")
    parser.add_argument("--until", help="up to and including this date")
    parser.add_argument("--outlet", help="only this outlet")
    if entity:
        parser.add_argument("--entity", help="only where this entity (name or id) is mentioned")
    parser.add_argument("--limit", type=int, default=50, help="at most this many (default 50; 0 = all)")
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def _add_engine_options(parser: argparse.ArgumentParser) -> None:
    """Where the per-article analysis runs (``newsloom.engine``)."""
    parser.add_argument("--processes", type=int, default=None,
                        help="local analysis processes (default: this machine's cores; 1: in this process)")
    parser.add_argument("--workers", type=int, default=None,
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
    parser.add_argument("--db", default=DEFAULT_DB, help=f"store file (default {DEFAULT_DB}, or $NEWSLOOM_DB)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="read articles from files, folders or - (stdin)")
    p.add_argument("paths", nargs="+")
    _add_engine_options(p)
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
    p.add_argument("--min-articles", type=int, default=1)

    p = sub.add_parser("event", help="one event with its articles and entities")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")

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
    p.add_argument("--output", "-o", help="file to write (default: stdout)")

    sub.add_parser("demo", help="ingest the bundled demo corpus into a fresh store and show the result")

    from newsloom.plugins import register_commands

    register_commands(sub)
    return parser


def _show_events(events) -> None:
    for e in events:
        period = e.start if e.start == e.end else f"{e.start} .. {e.end}"
        outlets = ", ".join(e.outlets)
        print(f"{e.id}  {period:<24} {len(e.articles):>3} art  {e.title[:80]}")
        print(f"{'':16}outlets: {outlets}" + (f"   storyline: {e.storyline_id}" if e.storyline_id else ""))


def _show_event(e) -> None:
    print(f"Event {e.id}: {e.title}")
    print(f"  when: {e.start} .. {e.end}    storyline: {e.storyline_id or '-'}")
    print("  entities: " + ", ".join(f"{x.name} ({x.type}, {x.mentions})" for x in e.entities))
    print(f"  articles ({len(e.articles)}):")
    for a in e.articles:
        dup = f"  [copy of {a.duplicate_of}]" if a.duplicate_of else ""
        print(f"    {a.published or '?':<17} {a.outlet:<22} {a.id}  {a.title[:70]}{dup}")


def run(args: argparse.Namespace) -> int:
    if args.command == "demo":
        return run_demo(args)
    if getattr(args, "needs_store", True) is False:
        return args.handler(None, args)
    loom = Newsloom(args.db)
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
                             on_problem=report_problem)
        if args.json:
            _print_json(report.to_json())
        else:
            print(report.summary())
        return 1 if report.failed else 0
    if cmd == "events":
        events = loom.events(since=args.since, until=args.until, outlet=args.outlet, entity=args.entity,
                             storyline=args.storyline, min_articles=args.min_articles, limit=args.limit or None, offset=args.offset)
        _print_json([e.to_json() for e in events]) if args.json else _show_events(events)
        return 0
    if cmd == "event":
        event = loom.event(args.id)
        _print_json(event.to_json()) if args.json else _show_event(event)
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
        return 0
    if cmd == "article":
        a = loom.article(args.id)
        if args.json:
            data = a.to_json()
            data["entities"] = loom.mentions(a.id)
            data["dates"] = loom.dates(a.id)
            _print_json(data)
        else:
            print(f"{a.title}\n{a.outlet} ({a.outlet_evidence}), {a.published}, event {a.event_id}\n\n{a.text}")
        return 0
    if cmd == "export":
        data = loom.export(args.format, args.output)
        if not args.output:
            sys.stdout.buffer.write(data)
        return 0
    handler = getattr(args, "handler", None)
    if handler is not None:
        return handler(loom, args)
    raise NewsloomError(f"unknown command {cmd}")


def demo_corpus_path() -> str:
    return str(resources.files("newsloom").joinpath("demo", "articles.jsonl"))


def run_demo(args: argparse.Namespace) -> int:
    """The main job on the bundled demo corpus: ingest into a fresh store, show storylines and events, score them."""
    from newsloom.eval.clustering import score_store_against_gold

    db = args.db if args.db != DEFAULT_DB else os.path.join(tempfile.mkdtemp(prefix="newsloom-demo-"), "demo.db")
    if os.path.exists(db):
        os.remove(db)
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
        print("\nAgainst the gold file:", json.dumps(scores))
        print(f"\nExplore it: newsloom --db {db} events")
    finally:
        loom.close()
    return 0


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
