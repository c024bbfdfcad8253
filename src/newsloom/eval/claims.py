"""``newsloom eval claims``: "only this article reports it" and disagreements against real claim gold.

Gold format (``../shared/data/claims-dev/*.claims.json``): ``{"event", "articles": {id: outlet}, "claims":
[{"claim_id", "kind", "speaker", "conflict"?, "evidence": [{"article", "sentence"}]}]}``; ``sentence`` is
copied verbatim from the article's text (or title), so ``text.find(sentence)`` gives its span.

Scoring rule (the gold README's):

* a predicted "only here" item (an article id and a character span: each claim of a group the comparison
  marks unique) is **correct** when its span overlaps the evidence sentence of a gold claim whose evidence
  lies in that article only;
* **recall**: gold one-article claims hit by at least one predicted item;
* **shared called unique**: gold claims with evidence in two or more articles of which some evidence sentence
  is overlapped by a predicted "only here" item (the worst error). Gold uniqueness is per article: two
  articles of one outlet count as two;
* **disagreements**: a gold claim with a ``conflict`` is *found* when one predicted disagreement has values
  in at least two of the claim's evidence sentences (in different articles); a predicted disagreement that
  matches no gold conflict is *false*.

The scoring functions are pure; ``evaluate_claims`` ingests each gold file's articles alone into a temporary
store and compares them (see ``--events`` for the two protocols).
"""
from __future__ import annotations

import gzip
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from newsloom.errors import NewsloomError

DEFAULT_ARTICLES = Path("..") / "shared" / "data" / "fang-covid" / "articles.jsonl.gz"


@dataclass(frozen=True)
class Evidence:
    article_id: str
    start: int  # -1: the sentence was not found in the article's text (e.g. it is the title)
    end: int


@dataclass
class GoldClaim:
    claim_id: str
    kind: str
    evidence: list[Evidence]
    conflict: str | None = None

    @property
    def articles(self) -> set[str]:
        return {e.article_id for e in self.evidence}

    @property
    def one_article(self) -> bool:
        return len(self.articles) == 1


@dataclass
class GoldEvent:
    key: str
    articles: dict[str, str]  # id -> outlet
    claims: list[GoldClaim]
    unresolved: int = 0  # evidence sentences not found in the article text


@dataclass(frozen=True)
class Item:
    """A predicted "only here" item: a span of one article."""

    article_id: str
    start: int
    end: int


@dataclass
class PredictedDisagreement:
    kind: str
    spans: list[Item]  # the sentences holding the values


@dataclass
class EventScore:
    key: str
    n_items: int = 0
    correct_items: int = 0
    n_gold_unique: int = 0
    hit_gold_unique: int = 0
    n_gold_shared: int = 0
    shared_called_unique: int = 0
    n_gold_conflicts: int = 0
    conflicts_found: int = 0
    n_disagreements: int = 0
    false_disagreements: int = 0
    shared_errors: list[str] = field(default_factory=list)  # claim ids

    def figures(self) -> dict:
        p = self.correct_items / self.n_items if self.n_items else 0.0
        r = self.hit_gold_unique / self.n_gold_unique if self.n_gold_unique else 0.0
        return {
            "only_precision": round(p, 3), "only_recall": round(r, 3),
            "only_f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "n_items": self.n_items, "correct_items": self.correct_items,
            "n_gold_unique": self.n_gold_unique, "hit_gold_unique": self.hit_gold_unique,
            "n_gold_shared": self.n_gold_shared, "shared_called_unique": self.shared_called_unique,
            "shared_called_unique_rate": round(self.shared_called_unique / self.n_gold_shared, 3)
            if self.n_gold_shared else 0.0,
            # the same, as a figure that grows with quality (the evaluation gate pins minimums)
            "shared_kept_rate": round(1 - self.shared_called_unique / self.n_gold_shared, 3)
            if self.n_gold_shared else 1.0,
            "n_gold_conflicts": self.n_gold_conflicts, "conflicts_found": self.conflicts_found,
            "n_disagreements": self.n_disagreements, "false_disagreements": self.false_disagreements,
        }


# ------------------------------------------------------------------------------------------------- reading
def read_articles(path: str | os.PathLike, ids: Iterable[str]) -> dict[str, dict]:
    """The records (``id, outlet, date, title, text, url``) of ``ids`` from a JSON Lines file (gzip allowed)."""
    wanted = set(ids)
    found: dict[str, dict] = {}
    opener = gzip.open if str(path).endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            for n, line in enumerate(handle, 1):
                if len(found) == len(wanted):
                    break
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise NewsloomError(f"{path}:{n}: malformed JSON ({exc.msg})") from exc
                if record.get("id") in wanted:
                    found[record["id"]] = record
    except OSError as exc:
        raise NewsloomError(f"{path}: cannot read the articles ({exc})") from exc
    return found


def read_gold(path: str | os.PathLike, texts: dict[str, str], titles: dict[str, str] | None = None) -> GoldEvent:
    """A gold file with every evidence sentence resolved to its span in the article's text."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NewsloomError(f"{path}: cannot read the claims gold ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list) or not isinstance(data.get("articles"), dict):
        raise NewsloomError(f"{path}: not a claims gold file (needs 'articles' and 'claims')")
    claims, unresolved = [], 0
    for n, raw in enumerate(data["claims"], 1):
        try:
            evidence = []
            for ev in raw["evidence"]:
                text = texts.get(ev["article"], "")
                start = text.find(ev["sentence"]) if ev["sentence"] else -1
                if start < 0:
                    unresolved += 1
                    evidence.append(Evidence(ev["article"], -1, -1))
                else:
                    evidence.append(Evidence(ev["article"], start, start + len(ev["sentence"])))
            claims.append(GoldClaim(str(raw.get("claim_id", f"c{n}")), raw.get("kind", ""), evidence,
                                    raw.get("conflict")))
        except (KeyError, TypeError) as exc:
            raise NewsloomError(f"{path}: claim {n}: malformed ({exc})") from exc
    return GoldEvent(str(data.get("event") or Path(path).stem), dict(data["articles"]), claims, unresolved)


# ------------------------------------------------------------------------------------------------- scoring
def _overlaps(item: Item, ev: Evidence) -> bool:
    return item.article_id == ev.article_id and ev.start >= 0 and item.start < ev.end and ev.start < item.end


def score_event(gold: GoldEvent, items: Iterable[Item],
                disagreements: Iterable[PredictedDisagreement] = ()) -> EventScore:
    """Score the predicted "only here" items and disagreements of one event against its gold."""
    items = sorted(set(items), key=lambda i: (i.article_id, i.start, i.end))
    score = EventScore(gold.key, n_items=len(items))
    unique = [c for c in gold.claims if c.one_article]
    shared = [c for c in gold.claims if not c.one_article]
    score.n_gold_unique, score.n_gold_shared = len(unique), len(shared)
    hit: set[str] = set()
    for item in items:
        ok = [c.claim_id for c in unique if any(_overlaps(item, ev) for ev in c.evidence)]
        if ok:
            score.correct_items += 1
            hit.update(ok)
    score.hit_gold_unique = len(hit)
    for c in shared:
        if any(_overlaps(item, ev) for item in items for ev in c.evidence):
            score.shared_called_unique += 1
            score.shared_errors.append(c.claim_id)
    conflicts = [c for c in gold.claims if c.conflict]
    score.n_gold_conflicts = len(conflicts)
    found: set[str] = set()
    for d in disagreements:
        score.n_disagreements += 1
        matched = False
        for c in conflicts:
            arts = {s.article_id for s in d.spans if any(_overlaps(s, ev) for ev in c.evidence)}
            if len(arts) >= 2:
                matched = True
                found.add(c.claim_id)
        if not matched:
            score.false_disagreements += 1
    score.conflicts_found = len(found)
    return score


def pooled(scores: list[EventScore]) -> EventScore:
    total = EventScore("pooled")
    for s in scores:
        for name in ("n_items", "correct_items", "n_gold_unique", "hit_gold_unique", "n_gold_shared",
                     "shared_called_unique", "n_gold_conflicts", "conflicts_found", "n_disagreements",
                     "false_disagreements"):
            setattr(total, name, getattr(total, name) + getattr(s, name))
    return total


def comparison_items(comparison) -> tuple[list[Item], list[PredictedDisagreement]]:
    """The "only here" items and the disagreements of a ``Comparison``."""
    items = []
    for coverage in comparison.outlets:
        for group_id in coverage.only:
            for c in comparison.group(group_id).claims:
                items.append(Item(c.article_id, c.start, c.end))
    disagreements = [
        PredictedDisagreement(d.kind, [Item(v["article_id"], v["sentence_start"], v["sentence_end"])
                                       for v in d.values])
        for d in comparison.disagreements
    ]
    return items, disagreements


# -------------------------------------------------------------------------------------------- evaluation
def predict_event(records: list[dict], *, per_event: bool = False) -> tuple[list, list]:
    """Ingest ``records`` alone into a temporary store and compare them: as one event (default), or every
    multi-article event the clustering forms (``per_event``). Returns (items, disagreements)."""
    from newsloom.api import Newsloom
    from newsloom.compare.api import load_items
    from newsloom.compare.core import compare_articles

    with tempfile.TemporaryDirectory(prefix="newsloom-eval-claims-") as folder:
        source = os.path.join(folder, "articles.jsonl")
        with open(source, "w", encoding="utf-8") as sink:
            for r in records:
                sink.write(json.dumps(r, ensure_ascii=False) + "\n")
        loom = Newsloom(os.path.join(folder, "eval.db"))
        try:
            loom.ingest([source], workers=1)
            comparisons = []
            if per_event:
                events = {loom.event_of_article(r["id"]) for r in records}
                for event_id in sorted(events):
                    if len(loom.event(event_id).articles) >= 2:
                        comparisons.append(loom.compare_event(event_id))
            else:
                comparisons.append(compare_articles(load_items(loom, [r["id"] for r in records])))
        finally:
            loom.close()
    items, disagreements = [], []
    for comparison in comparisons:
        i, d = comparison_items(comparison)
        items += i
        disagreements += d
    return items, disagreements


def evaluate_claims(gold_paths: list[str], articles: str | os.PathLike = DEFAULT_ARTICLES, *,
                    per_event: bool = False) -> tuple[list[EventScore], EventScore]:
    raw = []
    for path in gold_paths:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise NewsloomError(f"{path}: cannot read the claims gold ({exc})") from exc
        if not isinstance(data, dict) or not isinstance(data.get("articles"), dict):
            raise NewsloomError(f"{path}: not a claims gold file (needs 'articles' and 'claims')")
        raw.append((path, data))
    wanted = {a for _, data in raw for a in data["articles"]}
    records = read_articles(articles, wanted)
    missing = sorted(wanted - set(records))
    if missing:
        raise NewsloomError(f"{articles}: articles of the gold not found: {', '.join(missing[:10])}")
    scores = []
    for path, data in raw:
        ids = list(data["articles"])
        gold = read_gold(path, {i: records[i].get("text", "") for i in ids})
        items, disagreements = predict_event([records[i] for i in ids], per_event=per_event)
        scores.append(score_event(gold, items, disagreements))
    return scores, pooled(scores)


__all__ = ["Evidence", "EventScore", "GoldClaim", "GoldEvent", "Item", "PredictedDisagreement",
           "comparison_items", "evaluate_claims", "pooled", "predict_event", "read_articles", "read_gold",
           "score_event"]
