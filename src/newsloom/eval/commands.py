"""``newsloom eval events|pairs|ner``: each prints one JSON object on its last line and exits 0."""
from __future__ import annotations

import json
import os
import tempfile
import time


def add_commands(subparsers) -> None:
    parser = subparsers.add_parser("eval", help="measure newsloom against labelled data")
    sub = parser.add_subparsers(dest="eval_command", required=True)

    p = sub.add_parser("events", help="cluster a JSON Lines file and score the events against a gold TSV")
    p.add_argument("--articles", required=True, help="JSON Lines (gzip allowed)")
    p.add_argument("--gold", required=True, help="TSV with header: id<TAB>event_key (NONE = not scored)")
    p.add_argument("--workers", type=int, default=None)
    p.set_defaults(handler=_eval_events, needs_store=False)

    p = sub.add_parser("pairs", help="same-story score against human ratings (SemEval-2022 task 8 format)")
    p.add_argument("file")
    p.set_defaults(handler=_eval_pairs, needs_store=False)

    p = sub.add_parser("ner", help="span-level NER scores on a GermEval 2014 TSV file")
    p.add_argument("file")
    p.set_defaults(handler=_eval_ner, needs_store=False)


def _eval_events(loom, args) -> int:
    from newsloom.api import Newsloom
    from newsloom.eval.clustering import clustering_scores, read_gold

    with tempfile.TemporaryDirectory(prefix="newsloom-eval-") as folder:
        store = Newsloom(os.path.join(folder, "eval.db"))
        started = time.perf_counter()
        report = store.ingest([args.articles], workers=args.workers)
        seconds = time.perf_counter() - started
        pred = store.store.all_assignments()
        store.close()
    scores = clustering_scores(pred, read_gold(args.gold))
    scores["n_articles"] = report.stored
    scores["seconds"] = round(seconds, 2)
    print(json.dumps(scores))
    return 0


def _eval_pairs(loom, args) -> int:
    from newsloom.eval.pairs import evaluate_pairs

    print(json.dumps(evaluate_pairs(args.file)))
    return 0


def _eval_ner(loom, args) -> int:
    from newsloom.eval.ner import evaluate_ner

    print(json.dumps(evaluate_ner(args.file)))
    return 0
