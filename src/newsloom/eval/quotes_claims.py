"""Scores for quotes and claim comparison against the demo gold (``gold_quotes.jsonl``, ``gold_claims.json``).

* quotes: a predicted quote matches a gold quote of the same article when their spans overlap by at least
  half of the shorter one (one-to-one, best overlap first); precision, recall, F1;
* speaker accuracy on matched quotes: canonical names compared case-insensitively; the surname alone is
  accepted ("Vogel" for "Katrin Vogel"); a missing speaker is wrong. Channel accuracy likewise (both empty
  counts as right);
* claim grouping: BCubed precision, recall, F1 over the gold member sentences of each gold event, each mapped
  to the predicted claim that overlaps it most (no claim: a singleton of its own);
* "only this outlet reports X": the (outlet, group) pairs marked unique, predicted vs gold, where a
  predicted unique group matches a gold singleton group when they share a member sentence.
"""
from __future__ import annotations

import json
from collections import defaultdict

from newsloom.eval.clustering import bcubed


def read_gold_quotes(path: str) -> dict[str, list[dict]]:
    by_article: dict[str, list[dict]] = defaultdict(list)
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                q = json.loads(line)
                by_article[q["article_id"]].append(q)
    return dict(by_article)


def read_gold_claims(path: str) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def _same_name(pred: str | None, gold: str | None) -> bool:
    if not pred and not gold:
        return True
    if not pred or not gold:
        return False
    p, g = pred.casefold().strip(), gold.casefold().strip()
    if p == g:
        return True
    p_last, g_last = p.split()[-1], g.split()[-1]
    return p_last == g_last or p in g or g in p


def match_quotes(pred: list[dict], gold: list[dict]) -> list[tuple[dict, dict]]:
    pairs = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            ov = _overlap(p["start"], p["end"], g["start"], g["end"])
            shorter = min(p["end"] - p["start"], g["end"] - g["start"]) or 1
            if ov and ov / shorter >= 0.5:
                pairs.append((ov, i, j))
    used_p, used_g, out = set(), set(), []
    for _, i, j in sorted(pairs, reverse=True):
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        out.append((pred[i], gold[j]))
    return out


def quote_scores(pred: dict[str, list[dict]], gold: dict[str, list[dict]]) -> dict:
    tp = n_pred = n_gold = speaker_ok = channel_ok = 0
    errors = []
    for article_id in sorted(set(pred) | set(gold)):
        p, g = pred.get(article_id, []), gold.get(article_id, [])
        n_pred += len(p)
        n_gold += len(g)
        matched = match_quotes(p, g)
        tp += len(matched)
        for pq, gq in matched:
            if _same_name(pq.get("speaker"), gq.get("speaker")):
                speaker_ok += 1
            else:
                errors.append({"article_id": article_id, "text": gq["text"][:60], "gold": gq.get("speaker"),
                               "pred": pq.get("speaker")})
            if _same_name(pq.get("channel"), gq.get("channel")):
                channel_ok += 1
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"quote_precision": round(precision, 3), "quote_recall": round(recall, 3), "quote_f1": round(f1, 3),
            "speaker_accuracy": round(speaker_ok / tp, 3) if tp else 0.0,
            "channel_accuracy": round(channel_ok / tp, 3) if tp else 0.0,
            "n_gold_quotes": n_gold, "n_pred_quotes": n_pred, "_speaker_errors": errors}


def claim_scores(comparisons: dict, gold_claims: dict) -> dict:
    """``comparisons``: gold event key -> ``Comparison`` of that event's articles."""
    per_event = {}
    tot_p = tot_r = 0.0
    tot_n = 0
    only_tp = only_pred = only_gold = 0
    for key, data in gold_claims.items():
        comparison = comparisons[key]
        claim_group = {}
        claims_by_article = defaultdict(list)
        for g in comparison.groups:
            for c in g.claims:
                claims_by_article[c.article_id].append((c, g))
        gold_map, pred_map = {}, {}
        member_group = {}
        for group in data["groups"]:
            for m in group["members"]:
                item = (m["article_id"], m["start"])
                gold_map[item] = group["key"]
                best, best_ov = None, 0
                for c, g in claims_by_article.get(m["article_id"], []):
                    ov = _overlap(c.start, c.end, m["start"], m["end"])
                    if ov > best_ov:
                        best, best_ov = g, ov
                pred_map[item] = best.id if best else ("none",) + item
                member_group[item] = best
        p, r, f = bcubed(pred_map, gold_map)
        per_event[key] = round(f, 3)
        tot_p += p * len(gold_map)
        tot_r += r * len(gold_map)
        tot_n += len(gold_map)
        # "only this outlet": gold groups carried by one outlet vs predicted unique groups
        outlet_of = {}
        for g in comparison.groups:
            for c in g.claims:
                outlet_of[c.article_id] = c.outlet
        gold_only = set()
        for group in data["groups"]:
            outlets = {outlet_of.get(m["article_id"], m["article_id"]) for m in group["members"]}
            if len(outlets) == 1:
                gold_only.add((next(iter(outlets)), group["key"]))
        pred_only = {(g.outlets[0], g.id) for g in comparison.groups if g.status == "unique"}
        # a predicted unique group is right when its sentences are those of a gold one-outlet group
        gold_of_pred = defaultdict(set)
        for item, g in member_group.items():
            if g is not None:
                gold_of_pred[g.id].add(gold_map[item])
        hit_gold = set()
        for outlet, gid in pred_only:
            keys = gold_of_pred.get(gid, set())
            ok = [k for k in keys if (outlet, k) in gold_only]
            if ok:
                only_tp += 1
                hit_gold.update((outlet, k) for k in ok)
        only_pred += len(pred_only)
        only_gold += len(gold_only)
        claim_group[key] = len(hit_gold)
    p, r = tot_p / tot_n, tot_r / tot_n
    only_p = only_tp / only_pred if only_pred else 0.0
    only_r = min(1.0, only_tp / only_gold) if only_gold else 0.0
    return {"claim_bcubed_precision": round(p, 3), "claim_bcubed_recall": round(r, 3),
            "claim_bcubed_f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "only_precision": round(only_p, 3), "only_recall": round(only_r, 3),
            "claim_f1_per_event": per_event}


def measure_demo(*, thresholds: list[float] | None = None, keep_errors: bool = False) -> list[dict]:
    """Ingest the bundled demo corpus into a temporary store and score quotes and claim comparison against its
    gold; one result per claim-grouping threshold (default: the shipped one)."""
    import os
    import tempfile
    import time
    from importlib import resources

    from newsloom.api import Newsloom
    from newsloom.compare.api import load_items
    from newsloom.compare.core import compare_articles
    from newsloom.compare.group import THRESHOLD

    demo = resources.files("newsloom").joinpath("demo")
    gold_quotes = read_gold_quotes(str(demo.joinpath("gold_quotes.jsonl")))
    gold_claims = read_gold_claims(str(demo.joinpath("gold_claims.json")))
    results = []
    with tempfile.TemporaryDirectory(prefix="newsloom-measure-") as folder:
        loom = Newsloom(os.path.join(folder, "demo.db"))
        loom.ingest([str(demo.joinpath("articles.jsonl"))], workers=1)
        pred: dict[str, list[dict]] = {}
        for r in loom.store.quote_spans():
            pred.setdefault(r[0], []).append(dict(zip(("article_id", "start", "end", "text", "kind", "speaker",
                                                       "channel"), r)))
        for article_id in loom.store.article_ids():
            pred.setdefault(article_id, [])
        scores = quote_scores(pred, gold_quotes)
        errors = scores.pop("_speaker_errors")
        items_by_event = {}
        for key, data in gold_claims.items():
            ids = sorted({m["article_id"] for g in data["groups"] for m in g["members"]})
            items_by_event[key] = load_items(loom, ids)
        for threshold in thresholds or [THRESHOLD]:
            started = time.perf_counter()
            comparisons = {k: compare_articles(v, event_id=k, threshold=threshold) for k, v in items_by_event.items()}
            result = dict(scores)
            result.update(claim_scores(comparisons, gold_claims))
            result["threshold"] = threshold
            result["compare_seconds"] = round(time.perf_counter() - started, 3)
            if keep_errors:
                result["speaker_errors"] = errors
            results.append(result)
        loom.close()
    return results
