"""``newsloom eval events|pairs|ner|quotes|claims``: each prints one JSON object on its last line and exits 0."""
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

    p = sub.add_parser("quotes", help="quotes, speakers and channels against a gold JSON Lines file of real articles")
    p.add_argument("gold", help="gold JSON Lines: {id, quotes: [{start, end, kind, speaker, channel}]} per line")
    p.add_argument("--articles", default=None,
                   help="articles JSON Lines (gzip allowed), read by id (default ../shared/data/fang-covid/articles.jsonl.gz)")
    p.add_argument("--predictions", default=None, help="score this file (gold format) instead of running newsloom")
    p.add_argument("--errors", action="store_true", help="print each wrong speaker before the JSON line")
    p.set_defaults(handler=_eval_quotes, needs_store=False)

    p = sub.add_parser("claims", help="'only this article reports it' and disagreements against claim gold files")
    p.add_argument("gold", nargs="+", help="GOLD.claims.json files (one event each)")
    p.add_argument("--articles", default=None,
                   help="JSON Lines with the gold's articles by id (default ../shared/data/fang-covid/articles.jsonl.gz)")
    p.add_argument("--events", action="store_true",
                   help="compare every multi-article event the clustering forms (default: the gold articles as one event)")
    p.set_defaults(handler=_eval_claims, needs_store=False)


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


def _eval_quotes(loom, args) -> int:
    from newsloom.eval.quotes import evaluate_quotes

    result = evaluate_quotes(args.gold, articles_path=args.articles, predictions_path=args.predictions,
                             keep_errors=args.errors)
    for error in result.pop("errors", []):
        print(json.dumps(error, ensure_ascii=False))
    print(json.dumps(result))
    return 0


def _eval_claims(loom, args) -> int:
    from newsloom.eval.claims import DEFAULT_ARTICLES, evaluate_claims

    scores, total = evaluate_claims(args.gold, args.articles or DEFAULT_ARTICLES, per_event=args.events)
    mode = "every multi-article event compared" if args.events else "the gold articles compared as one event"
    print(f"'only this article' against {len(scores)} gold event(s), {mode}")
    for s in [*scores, total]:
        f = s.figures()
        print(f"  {s.key[:44]:<44} P {f['only_precision']:.3f} R {f['only_recall']:.3f} F1 {f['only_f1']:.3f}  "
              f"items {f['correct_items']}/{f['n_items']}  unique hit {f['hit_gold_unique']}/{f['n_gold_unique']}  "
              f"shared called unique {f['shared_called_unique']}/{f['n_gold_shared']}  "
              f"conflicts {f['conflicts_found']}/{f['n_gold_conflicts']} (false {f['false_disagreements']})")
    result = total.figures()
    result["mode"] = "events" if args.events else "gold_event"
    result["per_event"] = {s.key: s.figures() for s in scores}
    print(json.dumps(result))
    return 0
