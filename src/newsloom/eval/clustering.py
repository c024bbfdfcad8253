"""Clustering scores: BCubed and pairwise precision/recall/F1 against gold labels."""
from __future__ import annotations

import csv
from collections import Counter, defaultdict


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """BCubed precision, recall, F1 over the items in ``gold`` (each item: its predicted and gold cluster)."""
    items = [i for i in gold if i in pred]
    if not items:
        return 0.0, 0.0, 0.0
    pred_members: dict[str, list[str]] = defaultdict(list)
    gold_members: dict[str, list[str]] = defaultdict(list)
    for i in items:
        pred_members[pred[i]].append(i)
        gold_members[gold[i]].append(i)
    precision = recall = 0.0
    for i in items:
        same_pred = pred_members[pred[i]]
        same_gold = gold_members[gold[i]]
        both = sum(1 for j in same_pred if gold[j] == gold[i])
        precision += both / len(same_pred)
        recall += both / len(same_gold)
    p, r = precision / len(items), recall / len(items)
    return p, r, _f1(p, r)


def pairwise(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """Precision/recall/F1 over unordered item pairs put in the same cluster."""
    items = [i for i in gold if i in pred]

    def pairs_in(labels: dict[str, str]) -> int:
        return sum(n * (n - 1) // 2 for n in Counter(labels[i] for i in items).values())

    joint = Counter((pred[i], gold[i]) for i in items)
    true_pairs = sum(n * (n - 1) // 2 for n in joint.values())
    pred_pairs, gold_pairs = pairs_in(pred), pairs_in(gold)
    p = true_pairs / pred_pairs if pred_pairs else (1.0 if not gold_pairs else 0.0)
    r = true_pairs / gold_pairs if gold_pairs else 1.0
    return p, r, _f1(p, r)


def clustering_scores(pred: dict[str, str], gold: dict[str, str]) -> dict:
    bp, br, bf = bcubed(pred, gold)
    pp, pr, pf = pairwise(pred, gold)
    scored = [i for i in gold if i in pred]
    return {
        "bcubed_p": round(bp, 4), "bcubed_r": round(br, 4), "bcubed_f1": round(bf, 4),
        "pairwise_p": round(pp, 4), "pairwise_r": round(pr, 4), "pairwise_f1": round(pf, 4),
        "n_scored": len(scored), "n_events_pred": len({pred[i] for i in scored}),
        "n_events_gold": len({gold[i] for i in scored}),
    }


def read_gold(path: str, column: str = "event_key") -> dict[str, str]:
    """id -> label from a TSV with a header; rows labelled NONE are left out."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return {r["id"]: r[column] for r in rows if r.get(column) and r[column] != "NONE"}


def score_store_against_gold(loom, gold_path: str) -> dict:
    """Event and storyline scores of a store against a gold TSV (``id, event_key[, storyline_key]``)."""
    store = getattr(loom, "store", loom)
    events = store.all_assignments()
    result = {"events": clustering_scores(events, read_gold(gold_path))}
    with open(gold_path, encoding="utf-8") as handle:
        header = handle.readline()
    if "storyline_key" in header:
        storyline_of_event = store.event_storylines()
        # an event outside any storyline is its own one-event line; gold NONE likewise gets its event key
        gold_lines = {}
        with open(gold_path, encoding="utf-8", newline="") as handle:
            for r in csv.DictReader(handle, delimiter="\t"):
                gold_lines[r["id"]] = r["storyline_key"] if r["storyline_key"] != "NONE" else "event:" + r["event_key"]
        pred_lines = {a: storyline_of_event.get(e) or "event:" + e for a, e in events.items()}
        result["storylines"] = clustering_scores(pred_lines, gold_lines)
    return result
