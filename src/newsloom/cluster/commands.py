"""``newsloom split ARTICLE_ID``, ``newsloom merge EVENT_A EVENT_B`` and ``newsloom corrections``: a user's
corrections of the events (``newsloom.cluster.corrections``), recorded in the store and respected by later ingests."""
from __future__ import annotations

import json
import sys


def add_commands(subparsers) -> None:
    p = subparsers.add_parser("split", help="move an article out of its event into a new event of its own")
    p.add_argument("article_id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_split)

    p = subparsers.add_parser("merge", help="fold event B into event A (B's id then leads to A)")
    p.add_argument("event_a", help="the event that stays")
    p.add_argument("event_b", help="the event folded into it")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_merge)

    p = subparsers.add_parser("corrections", help="the splits and merges made by users, oldest first")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_corrections)


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _split(loom, args) -> int:
    result = loom.split_article(args.article_id)
    if args.json:
        _print_json(result.to_json())
        return 0
    new, old = result.events
    print(f"{args.article_id} left event {old.id} ({len(old.articles)} articles now) for the new event {new.id}")
    print("later ingests keep the two events apart (newsloom corrections lists every correction)")
    return 0


def _merge(loom, args) -> int:
    result = loom.merge_events(args.event_a, args.event_b)
    if args.json:
        _print_json(result.to_json())
        return 0
    event = result.events[0]
    print(f"event {result.correction.event_id} merged into {event.id}: {len(event.articles)} articles, "
          f"{event.title[:80]}")
    return 0


def _corrections(loom, args) -> int:
    items = loom.corrections()
    if args.json:
        _print_json([c.to_json() for c in items])
        return 0
    for c in items:
        what = (f"split {c.article_id} out of {c.event_id} into {c.target_event_id}" if c.kind == "split"
                else f"merged {c.event_id} into {c.target_event_id}")
        print(f"{c.created}  {what}")
    if not items:
        print("newsloom: no corrections in this store", file=sys.stderr)
    return 0
