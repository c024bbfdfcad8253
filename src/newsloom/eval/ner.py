"""Official-style evaluation of the German NER tagger on GermEval 2014 (outer level).

``read_germeval`` reads both the original GermEval TSV (``#`` comment lines; columns index, token,
outer tag, nested tag; blank line between sentences) and the two-column ``token<TAB>tag`` BIO file.
``span_prf`` is strict span-level precision/recall/F1: a predicted span counts only when its start,
end and type all equal a gold span.  ``evaluate_ner`` runs the shipped model over a file and reports

* ``f1``/``precision``/``recall`` over all twelve outer labels (PER, ORG, LOC, OTH and their
  ``-deriv``/``-part`` variants, each a type of its own) -- the official GermEval 2014 outer measure;
* ``f1_main4`` over PER/ORG/LOC/OTH alone, ``-deriv``/``-part`` spans left out of gold and prediction;
* ``per_type`` figures, ``n_sentences`` and the tagging speed ``tokens_per_second`` (feature
  extraction included, one process).
"""
from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

MAIN4 = ("PER", "ORG", "LOC", "OTH")


def _is_tag(s: str) -> bool:
    s = s.strip()
    return s == "O" or s[:2] in ("B-", "I-")


def read_germeval(path: str | Path) -> list[tuple[list[str], list[str]]]:
    """Sentences of a GermEval file as ``(tokens, outer_tags)`` pairs.

    Four-column lines (``index token outer nested``) and two-column lines (``token tag``) are both
    understood; lines starting with ``#`` followed by a tab or space (the source/date comment lines
    of the original files) are skipped.
    """
    sentences: list[tuple[list[str], list[str]]] = []
    tokens: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip():
                if tokens:
                    sentences.append((tokens, tags))
                    tokens, tags = [], []
                continue
            cols = line.split("\t")
            if cols[0].startswith("#") and not (len(cols) == 2 and _is_tag(cols[1])):
                continue  # comment line (a "#" token of the two-column format is kept)
            if len(cols) >= 3 and cols[0].isdigit():
                token, tag = cols[1], cols[2]
            elif len(cols) >= 2:
                token, tag = cols[0], cols[1]
            else:
                continue
            tokens.append(token)
            tags.append(tag.strip() or "O")
    if tokens:
        sentences.append((tokens, tags))
    return sentences


def spans(tags: list[str]) -> set[tuple[int, int, str]]:
    """Set of ``(start, end_exclusive, type)`` spans in one BIO sequence.

    ``I-X`` that does not continue a span of type X (after ``O``, at the start or after another
    type) starts a new span, as in conlleval.
    """
    out: set[tuple[int, int, str]] = set()
    start, typ = -1, None
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, label = tag.partition("-")
        if prefix not in ("B", "I") or not label:
            prefix, label = "O", None
        begins = prefix == "B" or (prefix == "I" and label != typ)
        if typ is not None and (prefix == "O" or begins):
            out.add((start, i, typ))
            typ = None
        if begins:
            start, typ = i, label
    return out


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def span_prf(gold_seqs, pred_seqs, types=None) -> dict:
    """Strict span-level P/R/F1 of ``pred_seqs`` against ``gold_seqs`` (lists of BIO sequences).

    ``types``: when given, only spans of these types are counted (in gold and prediction alike).
    Returns ``{"precision", "recall", "f1", "tp", "n_pred", "n_gold", "per_type": {type: {...}}}``.
    """
    if len(gold_seqs) != len(pred_seqs):
        raise ValueError("gold and predicted sequence counts differ")
    keep = set(types) if types is not None else None
    tp_t: Counter = Counter()
    gold_t: Counter = Counter()
    pred_t: Counter = Counter()
    for gold, pred in zip(gold_seqs, pred_seqs):
        if len(gold) != len(pred):
            raise ValueError("gold and predicted sequence lengths differ")
        g = {s for s in spans(gold) if keep is None or s[2] in keep}
        p = {s for s in spans(pred) if keep is None or s[2] in keep}
        for s in g:
            gold_t[s[2]] += 1
        for s in p:
            pred_t[s[2]] += 1
        for s in g & p:
            tp_t[s[2]] += 1
    tp, n_pred, n_gold = sum(tp_t.values()), sum(pred_t.values()), sum(gold_t.values())
    p, r, f = _prf(tp, n_pred, n_gold)
    per_type = {}
    for t in sorted(set(gold_t) | set(pred_t)):
        tp_, pr_, rc_ = tp_t[t], pred_t[t], gold_t[t]
        pp, rr, ff = _prf(tp_, pr_, rc_)
        per_type[t] = {"precision": pp, "recall": rr, "f1": ff, "support": rc_, "tp": tp_, "n_pred": pr_}
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "n_pred": n_pred, "n_gold": n_gold,
            "per_type": per_type}


def score_tags(gold: list[list[str]], pred: list[list[str]]) -> dict:
    """The figures of ``newsloom eval ner`` for predicted against gold BIO tags: ``f1``/``precision``/``recall``
    over all twelve outer labels, the same ``_main4``, and ``per_type``."""
    full = span_prf(gold, pred)
    main4 = span_prf(gold, pred, types=MAIN4)
    per_type = {
        t: {k: v[k] for k in ("precision", "recall", "f1", "support")} for t, v in full["per_type"].items()
    }
    return {
        "f1": full["f1"],
        "precision": full["precision"],
        "recall": full["recall"],
        "f1_main4": main4["f1"],
        "precision_main4": main4["precision"],
        "recall_main4": main4["recall"],
        "per_type": per_type,
    }


def evaluate_ner(path: str | Path, tagger=None, engine: str = "ensemble") -> dict:
    """Tag every sentence of a GermEval file with the shipped model and score it (see module doc).

    ``tagger``: optional callable ``list[list[str]] -> list[list[str]]`` replacing the shipped model;
    ``engine``: which of ``ner_model.ENGINES`` (default: the most accurate; the ingest's is a setting).
    """
    from newsloom.nlp import ner_model

    data = read_germeval(path)
    token_lists = [toks for toks, _ in data]
    gold = [tags for _, tags in data]
    if tagger is None:
        ner_model.load_tagger(engine)  # loading is not part of the timed tagging

        def tagger(sentences):
            return ner_model.tag_sentences(sentences, engine)
    n_tokens = sum(len(t) for t in token_lists)
    t0 = time.perf_counter()
    pred = tagger(token_lists)
    elapsed = time.perf_counter() - t0
    return {
        **score_tags(gold, pred),
        "n_sentences": len(data),
        "n_tokens": n_tokens,
        "tokens_per_second": n_tokens / elapsed if elapsed > 0 else float("inf"),
    }


def main(argv: list[str] | None = None) -> None:
    import argparse
    import json

    ap = argparse.ArgumentParser(description="Evaluate the shipped German NER model on a GermEval file.")
    ap.add_argument("path", nargs="?", default=str(Path(__file__).resolve().parents[3].parent
                                                      / "shared/data/germeval2014/NER-de-dev.tsv"))
    args = ap.parse_args(argv)
    print(json.dumps(evaluate_ner(args.path), indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
