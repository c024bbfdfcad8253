"""Commands: ``watch FEEDS [--once]``, ``watch-list add|list|remove``, ``alerts``, ``feeds``."""
from __future__ import annotations

import dataclasses
import json
import signal
import sys
import time

import feedparser  # noqa: F401 - without the feed dependencies this module (and its commands) is left out
import httpx  # noqa: F401

from newsloom import settings
from newsloom.cli_args import add_db_option, limit_count, positive
from newsloom.errors import NotFound, UsageError
from newsloom.store.watch import WatchStore


def add_commands(subparsers) -> None:
    p = subparsers.add_parser("watch", help="poll news feeds, ingest new articles as they appear, raise alerts")
    p.add_argument("feeds", help="feeds file (one http(s) URL a line, optionally followed by the outlet's name; "
                                 "# comments) or an OPML file")
    p.add_argument("--once", action="store_true",
                   help="poll every feed once (feeds backing off after failures only when due) and exit (for cron)")
    p.add_argument("--interval", type=float, default=None,
                   help=f"seconds between polls of one feed (default {settings.WATCH.interval_s:g})")
    p.add_argument("--host-delay", type=float, default=None,
                   help=f"seconds between requests to one host (default {settings.WATCH.host_delay_s:g}; "
                        "robots.txt Crawl-delay may raise it)")
    p.add_argument("--workers", type=positive, default=None,
                   help=f"requests in flight (default {settings.WATCH.workers})")
    p.add_argument("--webhook", help="POST every new alert as JSON to this address")
    p.add_argument("--alerts-file", help="append every new alert to this JSON Lines file")
    p.add_argument("--json", action="store_true", help="print each round's report as JSON")
    p.set_defaults(handler=watch_command, creates_store=True)

    p = subparsers.add_parser("watch-list", help="entities and queries to be alerted about (newsloom watch)")
    actions = p.add_subparsers(dest="watch_action", required=True)
    a = actions.add_parser("add", help="watch an entity (name or id) or a query")
    a.add_argument("value", nargs="+", help="an entity (\"Putin\", \"PER:wladimir putin\") or words to find")
    kind = a.add_mutually_exclusive_group()
    kind.add_argument("--entity", dest="kind", action="store_const", const="entity",
                      help="an entity (default for ids, known names and capitalised names)")
    kind.add_argument("--query", dest="kind", action="store_const", const="query",
                      help="words that must all occur (as lemmas) in the event's title or a new article")
    a.add_argument("--json", action="store_true")
    a.set_defaults(creates_store=True)
    ls = actions.add_parser("list", help="the watches")
    ls.add_argument("--json", action="store_true")
    rm = actions.add_parser("remove", help="stop watching")
    rm.add_argument("id", type=int)
    for action in (a, ls, rm):  # `newsloom watch-list list --db X` as well
        add_db_option(action)
    p.set_defaults(handler=watch_list_command)

    p = subparsers.add_parser("alerts", help="alerts raised by watches, newest first")
    p.add_argument("--limit", type=limit_count, default=50, help="at most this many (default 50; 0 = all)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=alerts_command)

    p = subparsers.add_parser("feeds", help="status of the watched feeds")
    p.add_argument("--all", action="store_true", help="include feeds no longer in the feeds file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=feeds_command)


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def watch_command(loom, args) -> int:
    from newsloom.watch.alerts import AlertSender
    from newsloom.watch.feeds import read_feed_list
    from newsloom.watch.poller import Watcher

    specs, problems = read_feed_list(args.feeds)
    for problem in problems:
        print(f"skipped {problem}", file=sys.stderr)
    if not specs:
        raise UsageError(f"{args.feeds}: no usable feed address")
    changes = {k: v for k, v in {"interval_s": args.interval, "host_delay_s": args.host_delay,
                                 "workers": args.workers}.items() if v is not None}
    config = dataclasses.replace(settings.WATCH, **changes)
    state = WatchStore(args.db)
    sender = AlertSender(state, webhook=args.webhook, jsonl_path=args.alerts_file, settings=config)
    watcher = Watcher(loom, state, settings=config, sender=sender)
    added, dropped = watcher.sync(specs)
    print(f"newsloom watch: {len(specs)} feeds ({added} new, {dropped} no longer listed) into {args.db}"
          + ("" if args.once else f", polled every {config.interval_s:g} s; Ctrl-C stops"), file=sys.stderr)

    def stop(signum, frame):  # noqa: ARG001
        if watcher.stop.is_set():
            raise KeyboardInterrupt
        print("newsloom watch: stopping after the requests in flight ...", file=sys.stderr)
        watcher.stop.set()

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}

    def on_round(report) -> None:
        if args.json:
            sys.stdout.write(json.dumps(report.to_json(), ensure_ascii=False) + "\n")
            sys.stdout.flush()
        else:
            print(time.strftime("%H:%M:%S ") + report.summary(), flush=True)

    try:
        total = watcher.run(once=args.once, on_round=on_round)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        watcher.close()
        state.close()
    return 1 if args.once and total.feeds_failed else 0


def watch_list_command(loom, args) -> int:
    from newsloom.watch.alerts import add_watch

    state = WatchStore(args.db)
    try:
        if args.watch_action == "add":
            watch = add_watch(loom, state, " ".join(args.value), args.kind)
            if args.json:
                _print_json(watch.to_json())
            else:
                print(f"watch {watch.id}: {watch.kind} {watch.value!r}")
        elif args.watch_action == "list":
            watches = state.watches()
            if args.json:
                _print_json([w.to_json() for w in watches])
            else:
                for w in watches:
                    print(f"{w.id:>4}  {w.kind:<6}  {w.value}")
        else:
            if not state.remove_watch(args.id):
                raise NotFound(f"no watch {args.id}")
            print(f"watch {args.id} removed")
    finally:
        state.close()
    return 0


def alerts_command(loom, args) -> int:
    state = WatchStore(args.db)
    try:
        alerts = state.alerts(limit=args.limit or 1_000_000_000)
    finally:
        state.close()
    if args.json:
        _print_json([a.to_json() for a in alerts])
        return 0
    for a in alerts:
        created = a.to_json()["created"]
        detail = f" — {a.detail[:90]}" if a.detail else ""
        print(f"{created}  {a.kind:<13} [{a.watch_value}] {a.event_id}  {a.event_title[:70]}{detail}")
    return 0


def feeds_command(loom, args) -> int:
    state = WatchStore(args.db)
    try:
        feeds = state.feeds(active_only=not args.all)
    finally:
        state.close()
    if args.json:
        _print_json([f.to_json() for f in feeds])
        return 0
    for f in feeds:
        data = f.to_json()
        status = "ok" if f.failures == 0 and f.last_success else ("failing" if f.failures else "new")
        print(f"{status:<8} {f.items:>6} items  last ok {data['last_success'] or '-':<20}  next {data['next_poll'] or 'now':<20}"
              f"  {f.outlet or ''}  {f.url}")
        if f.failures:
            print(f"{'':9}{f.failures} failure(s) in a row: {f.last_error}")
    return 0
